"""`powercat catalogue`: the public catalogue files and the site into one folder.

    OUT/行政权力事项目录.xlsx  catalogue.csv (中文表头)  catalogue-data.csv  catalogue.json
    OUT/datapackage.json  OUT/catalogue.db (+ metadata.json for Datasette)  OUT/site/
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

from ..model import Catalogue
from . import database, opendata, site, spreadsheet
from .records import Record, public_records

FORMATS = ("xlsx", "csv", "json", "sqlite", "html")
XLSX_NAME = "行政权力事项目录.xlsx"
DB_NAME = "catalogue.db"


def publish(catalogue: Catalogue, target: str | Path, formats: Sequence[str] = FORMATS, guide_pdf: bool = False,
            charts: bool = True) -> list[Record]:
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    records = public_records(catalogue)
    downloads: dict[str, Path] = {}
    if "xlsx" in formats:
        spreadsheet.write_workbook(records, target / XLSX_NAME)
        downloads["xlsx"] = target / XLSX_NAME
    if "csv" in formats or "json" in formats:
        paths = opendata.write_open_data(records, target)
        downloads.update({k: v for k, v in paths.items() if k in ("csv", "json", "datapackage")})
    if "sqlite" in formats:
        database.write_database(records, target / DB_NAME)
        database.write_metadata(target / "metadata.json")
        downloads["sqlite"] = target / DB_NAME
    if "html" in formats:
        with tempfile.TemporaryDirectory(prefix="powercat-site-") as tmp:
            links = site.Links(downloads=downloads, copy_charts=True)
            svgs: dict[str, str | None] = {}
            if charts:
                from ..render import flowcharts

                planned = flowcharts.plan(catalogue, Path(tmp) / "charts")
                flowcharts.render(catalogue, planned, ("svg", "pdf"), booklet=False, out_dir=Path(tmp) / "charts")
                by_power = {id(c.power): c.outputs for c in planned}
                for r in records:
                    outputs = by_power.get(id(r.power)) or []
                    svgs[r.id] = next((o for o in outputs if o.endswith(".svg")), None)
            # built beside its final place, so that relative links hold after the move
            staging = target / ".site-staging"
            shutil.rmtree(staging, ignore_errors=True)
            site.write_site(records, staging, svgs, links=links, guide_pdf=guide_pdf)
            try:
                _replace_dir(staging, target / "site")
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    return records


def write_catalogue_files(records: Sequence[Record], catalogue_dir: str | Path) -> dict[str, Path]:
    """For `powercat build`: xlsx, CSV (Chinese headers), the data package with its CSV,
    JSON, and the SQLite database with Datasette metadata. Returns the downloads the site
    links to: kind → path."""
    folder = Path(catalogue_dir)
    folder.mkdir(parents=True, exist_ok=True)
    spreadsheet.write_workbook(records, folder / XLSX_NAME)
    downloads: dict[str, Path] = {"xlsx": folder / XLSX_NAME}
    paths = opendata.write_open_data(records, folder)
    downloads.update({k: v for k, v in paths.items() if k in ("csv", "json", "datapackage")})
    database.write_database(records, folder / DB_NAME)
    database.write_metadata(folder / "metadata.json")
    downloads["sqlite"] = folder / DB_NAME
    return downloads


def write_public_site(records: Sequence[Record], site_dir: str | Path, downloads: dict[str, Path],
                      svg_of: dict[str, str | None] | None = None, flowcharts_dir: str | Path | None = None,
                      guide_pdf: bool = False, booklet_names: dict[str, str] | None = None,
                      cases_dir: str | Path | None = None, executor: Executor | None = None) -> Path:
    """For `powercat build`: the site into `site_dir` (made fresh by the caller), linking to
    `downloads`, to each agency's booklet (`flowcharts_dir/<safe agency name>.pdf`, as
    render.flowcharts writes it; `booklet_names` maps agency → file stem if it names them
    otherwise) and to each chart's SVG and PDF (the PDF beside the SVG).
    Links are relative: the folders must keep their places relative to each other
    (OUT/public/{catalogue,site,flowcharts}); moving OUT as a whole is fine."""
    from ..names import safe_name

    booklets = {}
    if flowcharts_dir is not None:
        for agency in {r.agency for r in records}:
            stem = (booklet_names or {}).get(agency) or safe_name(agency)
            booklet = Path(flowcharts_dir) / f"{stem}.pdf"
            if booklet.is_file():
                booklets[agency] = booklet
    links = site.Links(downloads=downloads, booklets=booklets, cases=cases_dir)
    return site.write_site(records, site_dir, svg_of or {}, links=links, guide_pdf=guide_pdf, executor=executor)


def publish_public(records: Sequence[Record], catalogue_dir: str | Path, site_dir: str | Path,
                   svg_of: dict[str, str | None] | None = None, flowcharts_dir: str | Path | None = None,
                   guide_pdf: bool = False) -> dict[str, Path]:
    """Both of the above."""
    downloads = write_catalogue_files(records, catalogue_dir)
    write_public_site(records, site_dir, downloads, svg_of, flowcharts_dir, guide_pdf)
    return downloads


def _replace_dir(staging: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old")
    if final.exists():
        if old.exists():
            shutil.rmtree(old)
        final.rename(old)
    shutil.move(str(staging), str(final))
    shutil.rmtree(old, ignore_errors=True)
