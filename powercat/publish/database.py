"""The catalogue as a SQLite database (sqlite-utils) that Datasette serves as it is:
table `powers` (English column names, the Chinese headers as Datasette labels in
`metadata.json`), full-text search over a `words` column holding the same Chinese words,
law short titles and law§article citations as the site's index (SQLite's tokenizer does
not segment Chinese, so the words are segmented here and separated by spaces).

    datasette catalogue.db --metadata metadata.json
    → /catalogue/powers?_search=许可 公路
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path

from ..atomic import atomic_path
from .records import FIELDS, Record
from .search import record_tokens

TABLE = "powers"


def search_words(record: Record) -> str:
    # FTS5's unicode61 tokenizer splits on § and keeps CJK runs whole: 公路法§42 → 公路法 42,
    # so citations are also written as 公路法第42条 joined: 公路法42
    words = set()
    for token in record_tokens(record, record.agency):
        if "§" in token:
            law, _, article = token.partition("§")
            words.add(f"{law}{article}")
            words.add(law)
        else:
            words.add(token)
    return " ".join(sorted(words))


COLUMNS = [*(key for key, _t, _w in FIELDS), "words"]


def rows(records: Sequence[Record]) -> list[list[str]]:
    """The records' rows of the `powers` table, values in COLUMNS order: a list's part of the
    database (publish/parts.py). The search words are most of the cost (jieba)."""
    return [[*record.as_dict().values(), search_words(record)] for record in records]


def write_database(records: Sequence[Record], target: str | os.PathLike,
                   parts: Iterable[Sequence[str]] | None = None) -> Path:
    """`parts`: the rows (as `rows` makes them) of all records in order, made from them
    without."""
    target = Path(target)

    def made():  # made as they are inserted, a batch at a time
        for record in records:
            yield [*record.as_dict().values(), search_words(record)]

    try:
        _write(made() if parts is None else parts, target)
    except sqlite3.OperationalError as error:
        # SQLite says "database or disk is full" in its own words: told as any full disk is
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(error):
            raise OSError(errno.ENOSPC, "No space left on device", str(target)) from error
        raise
    return target


# Rows go in as sqlite-utils' insert_all puts them: in chunks of as many rows as 999 SQL
# variables hold, each chunk its own transaction (the file's change counter counts them), so
# the file is the bytes it wrote; without its per-value Python work (most of the insert's cost)
CHUNK = max(1, 999 // len(COLUMNS))


def _write(rows, target: Path) -> None:
    import sqlite_utils

    with atomic_path(target) as tmp:
        Path(tmp).unlink(missing_ok=True)
        db = sqlite_utils.Database(tmp)
        # a file being made beside its place (renamed in whole, as every output): no sync to
        # disk and no journal file per chunk (~50× the insert's wall time); neither is in its bytes
        db.conn.execute("PRAGMA synchronous = OFF")
        db.conn.execute("PRAGMA journal_mode = MEMORY")
        table = db[TABLE]
        columns = {key: str for key, _t, _w in FIELDS}
        columns["words"] = str
        table.create(columns, pk="id")
        insert = f"INSERT INTO [{TABLE}] ({', '.join(f'[{key}]' for key in COLUMNS)}) " \
                 f"VALUES ({', '.join('?' * len(COLUMNS))})"
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            with db.conn:  # one transaction per chunk, as insert_all
                db.conn.executemany(insert, chunk)
        for key in ("agency", "category", "code"):
            table.create_index([key])
        table.enable_fts(["name", "code", "agency", "category", "words"], create_triggers=False)
        db.conn.commit()
        db.close()




def metadata(title: str = "行政权力事项目录") -> dict:
    """Datasette metadata: titles and Chinese labels for the columns."""
    labels = {key: title for key, title, _w in FIELDS}
    labels["words"] = "检索词"
    return {"title": title, "databases": {"catalogue": {"tables": {TABLE: {
        "title": "行政权力事项", "columns": labels, "sort": "agency",
        "description": "全文检索按词：多个词用空格分开，如“许可 公路”；依据可检索“公路法42”。"}}}}}


def write_metadata(target: str | os.PathLike, title: str = "行政权力事项目录") -> None:
    with atomic_path(target) as tmp:
        Path(tmp).write_text(json.dumps(metadata(title), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
