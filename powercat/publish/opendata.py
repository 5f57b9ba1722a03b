"""Open data: CSV (UTF-8 with BOM, for Excel; Chinese headers by default), JSON (English
keys), and a Frictionless Data Package whose table schema has the English keys as field
names and the Chinese headers as titles. The package's CSV resource has English headers
(so it validates against the schema); the Chinese-header CSV is for people."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..atomic import atomic_path
from .records import FIELDS, Record
from ..formula_safety import csv_safe

CSV_NAME = "catalogue.csv"  # Chinese headers, for people and Excel
DATA_CSV_NAME = "catalogue-data.csv"  # English headers, the data package's resource
JSON_NAME = "catalogue.json"
PACKAGE_NAME = "datapackage.json"

# The licence the package declares. China has no statutory open-data licence; CC BY 4.0 is
# what open government data portals commonly use: anyone may copy, redistribute and adapt
# the data, also commercially, if they name the source. The lists are public government
# information (政府信息公开条例); attribution keeps users pointed at the agencies' own lists,
# which remain authoritative.
LICENSES = [{
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "知识共享署名 4.0 国际许可协议（CC BY 4.0）：可自由复制、分发、改编和商业使用，须注明数据来源"
             "（各实施主体公开的权责清单）；内容以实施主体公布的最新清单为准。",
}]


def csv_body(records: Sequence[Record]) -> str:
    """The records' lines of both CSVs (they differ only by their header row), as the file
    holds them: a list's part of the CSVs (publish/parts.py)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for record in records:
        writer.writerow([csv_safe(record.value(key)) for key, _t, _w in FIELDS])
    return buffer.getvalue()


def write_csv(records: Sequence[Record], target: str | os.PathLike, english: bool = False,
              bodies: Iterable[str] | None = None) -> None:
    """Part by part into the file (utf-8-sig: the BOM Excel needs), never whole in memory:
    `bodies` are the records' lines in parts (csv_body), one part of all records without."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow([key if english else title for key, title, _width in FIELDS])
        for body in (csv_body(records),) if bodies is None else bodies:
            handle.write(body)


def json_fragment(records: Sequence[Record]) -> str:
    """The records' elements of catalogue.json, each its own dump indented one more space
    (JSON strings hold no raw line breaks), as write_json puts them between its brackets:
    fragments of consecutive records joined by "," are the fragment of them all."""
    return ",".join("\n " + json.dumps(record.as_dict(), ensure_ascii=False, indent=1).replace("\n", "\n ")
                    for record in records)


def write_json(records: Sequence[Record], target: str | os.PathLike, fragments: Iterable[str] | None = None) -> None:
    """The same bytes as json.dumps(list, indent=1), written a part at a time (`fragments`:
    json_fragment of consecutive records, non-empty; one of all records without)."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.write("[")
        for n, fragment in enumerate((json_fragment(records),) if fragments is None else fragments):
            handle.write(("," if n else "") + fragment)
        handle.write("\n]\n" if records else "]\n")


def write_datapackage(target: str | os.PathLike, csv_name: str, json_name: str, count: int) -> None:
    """`csv_name` must be a CSV with English headers (write_csv(..., english=True))."""
    fields = [{"name": key, "title": title, "type": "string"} for key, title, _w in FIELDS]
    descriptor = {
        "name": "powers-catalogue",
        "title": "行政权力事项目录",
        "description": "各单位公开的行政权力事项（不含依法不予公开的事项）。字段名为英文，title 为中文表头；"
                       f"供人阅读的中文表头 CSV 为 {CSV_NAME}。各事项所在清单的版本或日期见 version 字段。",
        "licenses": LICENSES,
        "resources": [
            {"name": "catalogue", "path": csv_name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
             "dialect": {"delimiter": ",", "header": True}, "count": count,
             "schema": {"fields": fields, "primaryKey": ["id"]}},
            {"name": "catalogue-json", "path": json_name, "format": "json", "mediatype": "application/json"},
        ],
    }
    with atomic_path(target) as tmp:
        Path(tmp).write_text(json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_open_data(records: Sequence[Record], folder: str | os.PathLike, parts=None) -> dict[str, Path]:
    """All open-data files into `folder`: returns kind → path (csv, json, datapackage, data-csv).
    `parts` (publish/parts.Parts): the records' lines and elements list by list."""
    folder = Path(folder)
    paths = {"csv": folder / CSV_NAME, "data-csv": folder / DATA_CSV_NAME, "json": folder / JSON_NAME,
             "datapackage": folder / PACKAGE_NAME}
    bodies = (lambda: None) if parts is None else (lambda: parts.texts("csv"))
    write_csv(records, paths["csv"], bodies=bodies())
    write_csv(records, paths["data-csv"], english=True, bodies=bodies())
    write_json(records, paths["json"], None if parts is None else parts.texts("json"))
    write_datapackage(paths["datapackage"], DATA_CSV_NAME, JSON_NAME, len(records))
    return paths
