"""`powercat build`: agency workbooks in, everything out: the review (check report and
annotated copies), the flowcharts and booklets, the catalogue (xlsx, CSV, JSON, data
package), the site, and the internal register of withheld powers.

Atomic: everything is built in a sibling temporary folder and swapped in at the end, so an
interrupted build leaves the previous exports intact; the next build clears what an
interrupted one left behind (and restores the previous exports if the swap itself was cut).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .check import run as run_checks
from .check.findings import ERROR, Report
from .ingest import load
from .model import Catalogue
from .publish import opendata, site, spreadsheet
from .publish.internal import write_register
from .publish.records import public_records, withheld_records
from .render import flowcharts
from .report.annotate import write_annotated
from .report.findings_view import report_json

CATALOGUE_XLSX = "行政权力事项目录.xlsx"
STAGES = ("读取清单", "审查", "流程图", "公开目录", "网站", "内部备案")


@dataclass
class BuildResult:
    catalogue: Catalogue
    report: Report
    published: bool
    out: Path
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _sibling(out: Path, kind: str) -> Path:
    return out.parent / f".{out.name}.{kind}-{os.getpid()}"


def clean_leftovers(out: Path) -> list[Path]:
    """Removes temporary folders of interrupted builds; if the previous exports were
    moved aside and never replaced, puts them back."""
    removed = []
    if not out.parent.is_dir():
        return removed
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if olds and not out.exists():
        olds[-1].rename(out)
        olds = olds[:-1]
    for leftover in [*out.parent.glob(f".{out.name}.building-*"), *olds]:
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed


def _swap(tmp: Path, out: Path) -> None:
    old = _sibling(out, "old")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def build(paths: list[str], out: str | os.PathLike, strict: bool = False, as_of: dt.date | None = None,
          workers: int = 2, stage: Callable[[str], None] | None = None,
          progress: Callable[[int, int], None] | None = None, booklet: bool = True) -> BuildResult:
    """`stage(name)` is called as each stage starts; `progress(done, total)` during the
    flowcharts."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    tmp = _sibling(out, "building")
    tmp.mkdir()
    seconds: dict[str, float] = {}

    def timed(name: str):
        if stage:
            stage(name)
        seconds[name] = time.perf_counter()

    def done(name: str):
        seconds[name] = round(time.perf_counter() - seconds[name], 3)

    try:
        timed("读取清单")
        catalogue = load(paths)
        done("读取清单")

        timed("审查")
        report = run_checks(catalogue, as_of=as_of)
        review = tmp / "review"
        review.mkdir()
        (review / "report.json").write_text(json.dumps(report_json(catalogue, report), ensure_ascii=False, indent=1)
                                            + "\n", encoding="utf-8")
        for source in catalogue.files:
            if source.error is None:
                write_annotated(source, [f for f in report.findings if f.file == source.path], review)
        done("审查")
        errors = report.count(ERROR)
        if strict and errors:
            shutil.rmtree(tmp, ignore_errors=True)
            return BuildResult(catalogue, report, False, out, seconds)

        timed("流程图")
        charts = flowcharts.plan(catalogue, tmp / "flowcharts", include_withheld=True,
                                 internal_dir=tmp / "internal" / "flowcharts")
        total = len(charts)
        rendered = [0]

        def advance(n: int) -> None:
            rendered[0] += n
            if progress:
                progress(rendered[0], total)

        flowcharts.render(catalogue, charts, ("svg", "pdf"), workers=workers, booklet=booklet,
                          out_dir=tmp / "flowcharts", on_progress=advance)
        done("流程图")

        timed("公开目录")
        records = public_records(catalogue)
        folder = tmp / "catalogue"
        folder.mkdir()
        spreadsheet.write_workbook(records, folder / CATALOGUE_XLSX)
        opendata.write_csv(records, folder / "catalogue.csv")
        opendata.write_json(records, folder / "catalogue.json")
        opendata.write_datapackage(folder / "datapackage.json", "catalogue.csv", "catalogue.json", len(records))
        done("公开目录")

        timed("网站")
        svg_of = {}
        by_power = {id(c.power): c for c in charts}
        for record in records:
            chart = by_power.get(id(record.power))
            if chart is not None:
                svg_of[record.id] = next((o for o in chart.outputs if o.endswith(".svg")), None)
        site.write_site(records, tmp / "site", svg_of)
        done("网站")

        timed("内部备案")
        withheld = withheld_records(catalogue)
        (tmp / "internal").mkdir(exist_ok=True)
        write_register(withheld, tmp / "internal" / "备案登记表.xlsx")
        done("内部备案")

        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    counts = {"powers": len(catalogue.powers), "public": len(records), "withheld": len(withheld),
              "charts": len(charts), "errors": errors}
    return BuildResult(catalogue, report, True, out, seconds, counts)
