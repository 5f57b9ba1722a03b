"""Open data: CSV (UTF-8 with BOM, for Excel), JSON, and a Frictionless Data Package
descriptor with a table schema."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path

from ..atomic import atomic_path
from .records import FIELDS, Record
from .safety import csv_safe


def write_csv(records: Sequence[Record], target: str | os.PathLike) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([key for key, _title, _width in FIELDS])
    for record in records:
        writer.writerow([csv_safe(record.value(key)) for key, _t, _w in FIELDS])
    with atomic_path(target) as tmp:
        Path(tmp).write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def write_json(records: Sequence[Record], target: str | os.PathLike) -> None:
    data = [record.as_dict() for record in records]
    with atomic_path(target) as tmp:
        Path(tmp).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_datapackage(target: str | os.PathLike, csv_name: str, json_name: str, count: int) -> None:
    fields = [{"name": key, "title": title, "type": "string"} for key, title, _w in FIELDS]
    descriptor = {
        "name": "powers-catalogue",
        "title": "行政权力事项目录",
        "description": "各单位公开的行政权力事项（不含依法不予公开的事项）",
        "resources": [
            {"name": "catalogue", "path": csv_name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
             "dialect": {"delimiter": ",", "header": True}, "count": count,
             "schema": {"fields": fields, "primaryKey": ["id"]}},
            {"name": "catalogue-json", "path": json_name, "format": "json", "mediatype": "application/json"},
        ],
    }
    with atomic_path(target) as tmp:
        Path(tmp).write_text(json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
