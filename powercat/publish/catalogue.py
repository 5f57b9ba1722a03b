"""The public catalogue files, from the public records:

    行政权力事项目录.xlsx  catalogue.csv (中文表头)  catalogue-data.csv  catalogue.json
    datapackage.json  catalogue.db (+ metadata.json for Datasette)

`powercat build` writes them all into OUT/public/catalogue, `powercat catalogue` those its
--format asks for into OUT; the site beside them is pipeline.stages.Site.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import database, opendata, spreadsheet
from .parts import Parts
from .records import Record

FORMATS = ("xlsx", "csv", "json", "sqlite", "html")
XLSX_NAME = "行政权力事项目录.xlsx"
DB_NAME = "catalogue.db"


def write_catalogue_files(records: Sequence[Record], folder: str | Path,
                          formats: Sequence[str] = FORMATS, parts: Parts | None = None,
                          sheets: spreadsheet.SheetStore | None = None) -> dict[str, Path]:
    """The files of `formats` (xlsx; csv and json: the data package with both; sqlite) into
    `folder`. Returns the downloads the site links to: kind → path. `parts`: the open data's
    and database's parts of `records` made (or kept) list by list (parts.py), put together
    here; made from `records` without. `sheets`: the workbook's agency sheets kept by an
    earlier run (spreadsheet.write_workbook)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    downloads: dict[str, Path] = {}
    if "xlsx" in formats:
        spreadsheet.write_workbook(records, folder / XLSX_NAME, sheets=sheets)
        downloads["xlsx"] = folder / XLSX_NAME
    if "csv" in formats or "json" in formats:
        paths = opendata.write_open_data(records, folder, parts)
        downloads.update({k: v for k, v in paths.items() if k in ("csv", "json", "datapackage")})
    if "sqlite" in formats:
        database.write_database(records, folder / DB_NAME, None if parts is None else parts.rows())
        database.write_metadata(folder / "metadata.json")
        downloads["sqlite"] = folder / DB_NAME
    return downloads
