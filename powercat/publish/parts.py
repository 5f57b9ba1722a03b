"""The catalogue files made list by list, so that a rebuild makes again only the parts of the
list that changed (pipeline.stages.CatalogueFiles files each part in the rebuild cache,
keyed by that list's public records) and puts the files together from the parts in order.

A list's part is what its public records put into each file:

    csv   its lines of catalogue.csv and catalogue-data.csv (the two differ only by the header)
    json  its elements of catalogue.json, as write_json writes them
    db    its rows of catalogue.db's `powers` table, search words included (jieba: most of
          the cost of all the catalogue files)

Whatever is global is made when the files are put together, never kept in a part: the
headers, the JSON brackets and the commas between lists, the data package's count, and the
database itself (its rows inserted afresh, then its indexes and full-text index), so the
files are a clean build's byte for byte. The workbook is not made of these parts: its
总目录 numbers every power, and its 责N/追N references and 依据全文 rows are numbered across
lists; spreadsheet.write_workbook keeps its agency sheets and each list's rows of 总目录
itself (a SheetStore), keyed by those numbers, the rows moved to where they now start.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import database, opendata
from .records import Record

KINDS = ("csv", "json", "db")


def kinds_for(formats: Sequence[str]) -> tuple[str, ...]:
    """The parts the files of `formats` are put together from (the xlsx has none)."""
    wanted = set()
    if "csv" in formats or "json" in formats:
        wanted |= {"csv", "json"}  # the open data: both CSVs, the JSON and the data package
    if "sqlite" in formats:
        wanted.add("db")
    return tuple(kind for kind in KINDS if kind in wanted)


def make_text(records: Sequence[Record], kind: str) -> str:
    """A part as the text it is filed as (the database's rows as a JSON array of arrays)."""
    if kind == "csv":
        return opendata.csv_body(records)
    if kind == "json":
        return opendata.json_fragment(records)
    return json.dumps(database.rows(records), ensure_ascii=False)


def write_part(records: Sequence[Record], kind: str, target: Path) -> None:
    # bytes, not text mode: the CSV's \r\n line ends and line breaks inside cells stay as they are
    target.write_bytes(make_text(records, kind).encode("utf-8"))


class Parts:
    """Each list's parts, read from its files one at a time (memory stays flat): `files[i]`
    maps kind → the file of run `i`'s part."""

    def __init__(self, files: Sequence[dict[str, Path]]):
        self.files = list(files)

    def texts(self, kind: str) -> Iterator[str]:
        for files in self.files:
            yield files[kind].read_bytes().decode("utf-8")

    def rows(self) -> Iterator[list[str]]:
        for text in self.texts("db"):
            yield from json.loads(text)
