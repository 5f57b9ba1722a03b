"""The three commands that read lists and write outputs, each as the stages it runs:

    build       Read SortInputs | Check [Strict] SettleAgencies Records Charts CatalogueFiles [Cases] Site Register
    flowchart   Read | Records Charts
    catalogue   Read SettleAgencies | Records [Charts] CatalogueFiles [Site]

(`|`: the output folder is opened there, once the inputs are known to give powers.)

`build` writes two trees:

- `OUT/public/`: safe to upload as a whole: the catalogue (xlsx, CSV, JSON, data package),
  the site, the flowcharts of public powers and their booklets. Every record in it comes
  from `publish.records.public_records`, the one way in.
- `OUT/internal/`: never to publish: the review (check report and annotated copies), the
  filing register of withheld powers (备案登记表) and their flowcharts.

Nothing is replaced unless the inputs gave at least one power; every folder is written
through `output.output_folder` (checked, locked, staged and swapped atomically).

A build into an --out built before copies the charts, booklets, annotated copies, the
catalogue files and the findings whose inputs did not change from `.OUT.powercat-cache`
beside it (filecache.py, pipeline/keys.py), and makes only the others; `cache=False`
(--no-cache) makes everything. `flowchart` does the same with its charts and booklets.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from ..cases.run import registers_beside
from ..check.findings import ERROR, Report
from ..errors import EXIT_UNREADABLE
from ..filecache import RESERVE_BYTES, FileCache, beside
from ..ingest import discover
from ..model import Catalogue
from ..output import OutputError, output_folder
from ..render.flowcharts import Chart
from . import Pipeline, Run
from .stages import (Cases, CatalogueFiles, Charts, Check, Read, Records, Register, SettleAgencies, Site, SortInputs,
                     Strict, Withdrawn)

PUBLIC, INTERNAL = "public", "internal"
# what `powercat build` shows and times, in order (动态公开 only with case registers)
STAGES = ("读取清单", "审查", "流程图", "公开目录", "动态公开", "网站", "内部备案")


class NoInput(OutputError):
    """The inputs gave no power at all: nothing may replace the previous outputs."""

    def __init__(self, catalogue: Catalogue, out: Path):
        if not catalogue.files:
            why = "没有找到任何工作簿（路径不存在，或文件夹中没有 .xlsx .xls .csv 文件）"
        elif catalogue.unreadable and len(catalogue.unreadable) == len(catalogue.files):
            why = f"{len(catalogue.files)} 个文件全部无法读取"
        else:
            why = "所读文件中没有任何事项"
        super().__init__(f"{why}，未生成任何输出；原有输出 {out} 保持不变", EXIT_UNREADABLE)
        self.catalogue = catalogue


@dataclass
class BuildResult:
    catalogue: Catalogue
    report: Report
    published: bool
    out: Path
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)  # lookups in the cache: hits, misses


def build(paths: list[str], out: str | os.PathLike, strict: bool = False, as_of: dt.date | None = None,
          workers: int = 2, stage: Callable[[str], None] | None = None,
          progress: Callable[[int, int], None] | None = None, booklet: bool = True,
          executor: Executor | None = None, agency: str | None = None,
          registers: list[str] | None = None, notice: Callable[[str], None] | None = None,
          guide_pdf: bool = False, per_power_pdf: bool = False, cache: bool = True) -> BuildResult:
    """`stage(name)` is called as each stage starts; `progress(done, total)` during the
    flowcharts. Raises NoInput when the inputs give no power, OutputError when the folder
    cannot be written; in both cases the previous outputs are left as they were. With an
    executor (a Dask cluster's, see engine.py) reading, checking and rendering are spread
    over its workers. Case registers (动态公开) are `registers`, else the `办件登记/` folders
    inside the list folders; a register met among the lists is read as one too, and
    `notice(sentence)` says so. `guide_pdf` prints the public 办事指南 to PDF (per power and
    an agency's 汇编) with headless Chromium. Charts are SVG only unless `per_power_pdf`: each
    PDF embeds its own CJK font subset (~155 KB of its ~160 KB), which made them two thirds of
    public/; the agency booklet (bookmarked per power) and the browser's print of a power page
    give the printable chart instead. With `cache` (the default) charts, booklets, annotated
    copies, the catalogue files and the findings whose inputs did not change since the last
    build into `out` are taken from its cache (`.OUT.powercat-cache` beside it, see
    filecache.py) instead of being made again."""
    out = Path(out)
    files = FileCache(beside(out)) if cache else None
    with Pipeline(executor, workers, on_stage=stage, on_progress=progress, notice=notice) as pipeline:
        run = pipeline.run([Read()], Run(list(paths)))
        every_file = Catalogue(files=list(run["catalogue"].files))  # for the message when none gives a power
        pipeline.run([SortInputs()], run)
        catalogue = run["catalogue"]
        if not catalogue.powers:
            raise NoInput(every_file, out)
        register_paths = list(registers) if registers is not None else registers_beside(paths)
        register_paths += _not_yet_among(run["registers_found"], register_paths)
        # an --out inside the lists' folder is fine (the reader skips marked output folders);
        # an --out that is, or holds, one of the inputs is not
        try:
            with output_folder(out, inputs=[*paths, *register_paths], kind="build", inside_ok=True) as tmp:
                public, internal = tmp / PUBLIC, tmp / INTERNAL
                public.mkdir()
                internal.mkdir()
                pipeline.run([
                    Check(internal / "review", as_of, cache=files), *([Strict()] if strict else []),
                    SettleAgencies(agency), Records(),
                    Charts(public / "flowcharts", ("svg", "pdf") if per_power_pdf else ("svg",),
                           booklet=booklet, include_withheld=True,
                           internal_dir=internal / "flowcharts", cache=files),
                    CatalogueFiles(public / "catalogue", cache=files),
                    *([Cases(register_paths, public, internal, as_of)] if register_paths else []),  # before the site
                    Site(public / "site", flowcharts_dir=public / "flowcharts", guide_pdf=guide_pdf,
                         cases_dir=public / "cases" if register_paths else None, cache=files),
                    Register(internal / "备案登记表.xlsx"),
                ], run)
        except Withdrawn:  # --strict found errors: the staged folder is dropped
            return BuildResult(catalogue, run["report"], False, out, run.seconds)
    reused = {}
    if files is not None:  # the build is in place: the cache keeps what it used, no more
        files.prune()
        reused = {"hits": files.hits, "misses": files.misses}
        if files.not_stored:
            reused["not_stored"] = files.not_stored
        if files.not_stored and notice is not None:
            notice(f"磁盘剩余空间不足 {RESERVE_BYTES // 2**20} MB：重建缓存 {files.root} 有 {files.not_stored} 项未写入"
                   "（本次输出已完整生成，下次构建将重新生成这些内容）。可释放磁盘空间，或用 --no-cache 构建")
    report, errors = run["report"], run["report"].count(ERROR)
    counts = {"powers": len(catalogue.powers), "public": len(run["records"]), "withheld": len(run["withheld"]),
              "charts": len(run["charts"]), "errors": errors}
    if run.get("cases") is not None:
        counts["cases"] = len(run["cases"].outcomes)
        counts["case_errors"] = run["cases"].report.count(ERROR)
    return BuildResult(catalogue, report, True, out, run.seconds, counts, reused)


def _not_yet_among(files: list[str], register_paths: list[str]) -> list[str]:
    """The files not already among the registers given (or found in 办件登记/ folders)."""
    known = {os.path.realpath(path) for path in discover(register_paths)}
    return [path for path in files if os.path.realpath(path) not in known]


@dataclass
class Drawn:
    catalogue: Catalogue
    charts: list[Chart]
    booklets: list[str]
    reused: dict[str, int] = field(default_factory=dict)  # lookups in the cache: hits, misses


def flowchart(paths: list[str], out: str | os.PathLike, formats: Sequence[str], booklet: bool = True,
              include_withheld: bool = False, workers: int = 2, executor: Executor | None = None,
              progress: Callable[[int, int], None] | None = None, cache: bool = True) -> Drawn:
    """Every public power's flowchart (and the withheld ones' with `include_withheld`, apart)
    and the agencies' booklets into OUT. The paths returned are those under OUT. With
    `cache`, charts and booklets whose inputs did not change since the last run into OUT are
    copied from `.OUT.powercat-cache` beside it, as build does."""
    files = FileCache(beside(out)) if cache else None
    with Pipeline(executor, workers, on_progress=progress) as pipeline:
        run = pipeline.run([Read(freeze=True)], Run(list(paths)))
        catalogue = run["catalogue"]
        if not catalogue.powers:
            raise NoInput(catalogue, Path(out))
        with output_folder(out, inputs=[*paths, *(f.path for f in catalogue.files)], kind="flowchart",
                           inside_ok=True) as tmp:
            pipeline.run([Records(), Charts(tmp, formats, booklet=booklet, include_withheld=include_withheld,
                                            cache=files)], run)
    reused = {}
    if files is not None:  # in place: the cache keeps what this run used, no more
        files.prune()
        reused = {"hits": files.hits, "misses": files.misses}
    moved = lambda path: str(Path(out) / Path(path).relative_to(tmp))  # noqa: E731 – the staged folder is now OUT
    charts = run["charts"]
    for chart in charts:
        chart.outputs = [moved(p) for p in chart.outputs]
    return Drawn(catalogue, charts, [moved(p) for p in run["booklets"]], reused)


@dataclass
class Published:
    catalogue: Catalogue
    records: list


def catalogue(paths: list[str], out: str | os.PathLike, formats: Sequence[str], agency: str | None = None,
              guide_pdf: bool = False, per_power_pdf: bool = False) -> Published:
    """The public catalogue files of `formats` into OUT, and with "html" the site (OUT/site)
    with each public power's chart: SVG (the page prints it whole on A4), and a PDF beside it
    only with `per_power_pdf` — as `build` does, since the PDFs were half of `dot`'s time and
    most of the site's size."""
    with Pipeline() as pipeline:
        run = pipeline.run([Read(freeze=True), SettleAgencies(agency)], Run(list(paths)))
        catalogue = run["catalogue"]
        if not catalogue.powers:
            raise NoInput(catalogue, Path(out))
        site = "html" in formats
        with output_folder(out, inputs=[*paths, *(f.path for f in catalogue.files)], kind="catalogue",
                           inside_ok=True) as staged:  # checked, locked, swapped whole: atomic like build
            pipeline.run([Records(), *([Charts(None, ("svg", "pdf") if per_power_pdf else ("svg",), booklet=False)] if site else []),
                          CatalogueFiles(staged, formats),
                          # the charts are drawn into the run's scratch folder, for the site alone
                          *([Site(staged / "site", guide_pdf=guide_pdf, take_charts=True)] if site else [])], run)
    return Published(catalogue, run["records"])
