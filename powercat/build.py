"""`powercat build`: agency workbooks in, everything out, in two trees:

- `OUT/public/`: safe to upload as a whole: the catalogue (xlsx, CSV, JSON, data package),
  the site, the flowcharts of public powers and their booklets. Every record in it comes
  from `publish.records.public_records`, the one way in.
- `OUT/internal/`: never to publish: the review (check report and annotated copies), the
  filing register of withheld powers (备案登记表) and their flowcharts.

Nothing is replaced unless the inputs gave at least one power; the folder is written through
`output.output_folder` (checked, locked, staged and swapped atomically).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from .cases.publish import build_cases
from .cases.run import registers_beside
from .check import run as run_checks
from .check.findings import ERROR, Report
from .ingest import discover, load
from .ingest.classify import REGISTER, is_register_file, skip_notice
from .model import Catalogue
from .law.registry import default_registry
from .errors import EXIT_UNREADABLE, EXIT_USAGE  # noqa: F401 – re-exported
from .output import OutputError, clean_leftovers, output_folder  # noqa: F401 – re-exported
from .ingest.agency import settle_agencies
from .publish.catalogue import write_catalogue_files, write_public_site
from .publish.internal import write_register
from .publish.records import public_records, withheld_records
from .render import flowcharts
from .report.annotate import annotated_names, summary_lines, write_annotated
from .report.findings_view import report_json

PUBLIC, INTERNAL = "public", "internal"


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


CATALOGUE_XLSX = "行政权力事项目录.xlsx"
STAGES = ("读取清单", "审查", "流程图", "公开目录", "动态公开", "网站", "内部备案")


@dataclass
class BuildResult:
    catalogue: Catalogue
    report: Report
    published: bool
    out: Path
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def build(paths: list[str], out: str | os.PathLike, strict: bool = False, as_of: dt.date | None = None,
          workers: int = 2, stage: Callable[[str], None] | None = None,
          progress: Callable[[int, int], None] | None = None, booklet: bool = True,
          executor: Executor | None = None, agency: str | None = None,
          registers: list[str] | None = None, notice: Callable[[str], None] | None = None,
          guide_pdf: bool = False) -> BuildResult:
    """`stage(name)` is called as each stage starts; `progress(done, total)` during the
    flowcharts. Raises NoInput when the inputs give no power, OutputError when the folder
    cannot be written; in both cases the previous outputs are left as they were. With an
    executor (a Dask cluster's, see engine.py) reading, checking and rendering are spread
    over its workers. Case registers (动态公开) are `registers`, else the `办件登记/` folders
    inside the list folders; a register met among the lists is read as one too, and
    `notice(sentence)` says so. `guide_pdf` prints the public 办事指南 to PDF (per power and
    an agency's 汇编) with headless Chromium."""
    out = Path(out)
    seconds: dict[str, float] = {}

    def timed(name: str):
        if stage:
            stage(name)
        seconds[name] = time.perf_counter()

    def done(name: str):
        seconds[name] = round(time.perf_counter() - seconds[name], 3)

    timed("读取清单")
    catalogue = load(paths, executor)
    done("读取清单")
    every_file = Catalogue(files=list(catalogue.files))  # for the message when none gives a power
    found_registers = _registers_among_lists(catalogue, notice)
    if not catalogue.powers:
        raise NoInput(every_file, out)

    try:
        register_paths = list(registers) if registers is not None else registers_beside(paths)
        register_paths += _not_yet_among(found_registers, register_paths)
        # an --out inside the lists' folder is fine (the reader skips marked output folders);
        # an --out that is, or holds, one of the inputs is not
        with output_folder(out, inputs=[*paths, *register_paths], kind="build", inside_ok=True) as tmp:
            return _build_into(tmp, catalogue, out, strict, as_of, workers, booklet, timed, done, progress,
                               seconds, executor, agency, register_paths, guide_pdf)
    except _Withdrawn as withdrawn:
        return withdrawn.result


def _registers_among_lists(catalogue: Catalogue, notice: Callable[[str], None] | None) -> list[str]:
    """Takes the case registers (and event logs) found among the list files out of the
    catalogue: they are read by the cases stage, as registers, never as lists. powercat's own
    outputs and law supplements met there are dropped too, with a notice."""
    found = [source.path for source in catalogue.files if is_register_file(source)]
    if found:
        catalogue.files = [source for source in catalogue.files if not is_register_file(source)]
        for path in found:
            if notice:
                notice(f"{path} 是办件登记表（或环节记录），按办件登记读取，不作为权力清单")
    kept = []
    for source in catalogue.files:  # powercat's own outputs, law supplements: skipped, and said so
        sentence = skip_notice(source)
        if sentence is None:
            kept.append(source)
        elif notice:
            notice(sentence)
        for sheet in source.sheets if source.powers and notice else ():  # a list with a register sheet in it
            if sheet.kind == REGISTER:
                notice(f"{source.path} 中的工作表“{sheet.name}”是办件登记表，未作为清单读取，也未按办件登记读取；"
                       "请把办件登记另存为单独的文件（放在 办件登记/ 文件夹中或用 --registers 给出）")
    catalogue.files = kept  # no review copy is made of them either
    return found


def _not_yet_among(files: list[str], register_paths: list[str]) -> list[str]:
    """The files not already among the registers given (or found in 办件登记/ folders)."""
    known = {os.path.realpath(path) for path in discover(register_paths)}
    return [path for path in files if os.path.realpath(path) not in known]


def _build_into(tmp: Path, catalogue: Catalogue, out: Path, strict: bool, as_of, workers: int, booklet: bool,
                timed, done, progress, seconds, executor: Executor | None, agency: str | None,
                register_paths: list[str], guide_pdf: bool = False) -> BuildResult:
    public, internal = tmp / PUBLIC, tmp / INTERNAL
    public.mkdir()
    internal.mkdir()

    timed("审查")
    report = run_checks(catalogue, as_of=as_of, executor=executor)
    review = internal / "review"
    review.mkdir()
    (review / "report.json").write_text(json.dumps(report_json(catalogue, report, (as_of or dt.date.today()).isoformat()),
                                                   ensure_ascii=False, indent=1)
                                        + "\n", encoding="utf-8")
    readable = [source for source in catalogue.files if source.error is None]
    copy_names = annotated_names([source.path for source in readable])  # same-named inputs stay apart
    summary = summary_lines((as_of or dt.date.today()).isoformat(), default_registry().coverage.lines())
    by_file: dict[str, list] = {source.path: [] for source in readable}
    for finding in report.findings:
        by_file.get(finding.file, []).append(finding)
    copies = [(source, by_file[source.path], review, copy_names[source.path], summary) for source in readable]
    if executor is None:
        for copy in copies:
            write_annotated(*copy)
    else:  # one task per file: the workers read the inputs and write into the staging folder
        for future in [executor.submit(write_annotated, *copy) for copy in copies]:
            future.result()
    done("审查")
    errors = report.count(ERROR)
    if strict and errors:
        raise _Withdrawn(BuildResult(catalogue, report, False, out, seconds))

    # one agency name everywhere from here on (review findings name the lists as written)
    settle_agencies(catalogue, agency)

    timed("流程图")
    charts = flowcharts.plan(catalogue, public / "flowcharts", include_withheld=True,
                             internal_dir=internal / "flowcharts")
    total = len(charts)
    rendered = [0]

    def advance(n: int) -> None:
        rendered[0] += n
        if progress:
            progress(rendered[0], total)

    flowcharts.render(catalogue, charts, ("svg", "pdf"), workers=workers, booklet=booklet,
                      out_dir=public / "flowcharts", on_progress=advance, executor=executor)
    done("流程图")

    timed("公开目录")
    records = public_records(catalogue)
    downloads = write_catalogue_files(records, public / "catalogue")
    done("公开目录")

    cases = None
    if register_paths:  # before the site, which shows each power's figures
        timed("动态公开")
        cases = build_cases(catalogue, register_paths, public, internal, as_of=as_of)
        done("动态公开")

    timed("网站")
    svg_of = {}
    by_power = {id(c.power): c for c in charts}
    for record in records:
        chart = by_power.get(id(record.power))
        if chart is not None:
            svg_of[record.id] = next((o for o in chart.outputs if o.endswith(".svg")), None)
    booklet_names = {c.agency: c.folder_name for c in charts if not c.withheld and c.folder_name}
    write_public_site(records, public / "site", downloads, svg_of, flowcharts_dir=public / "flowcharts",
                      guide_pdf=guide_pdf, booklet_names=booklet_names, cases_dir=public / "cases" if cases else None,
                      executor=executor)
    done("网站")

    timed("内部备案")
    withheld = withheld_records(catalogue)
    write_register(withheld, internal / "备案登记表.xlsx")
    done("内部备案")
    counts = {"powers": len(catalogue.powers), "public": len(records), "withheld": len(withheld),
              "charts": len(charts), "errors": errors}
    if cases is not None:
        counts["cases"] = len(cases.outcomes)
        counts["case_errors"] = cases.report.count(ERROR)
    return BuildResult(catalogue, report, True, out, seconds, counts)


class _Withdrawn(Exception):
    """--strict found errors: the staged folder is dropped, the previous outputs stay."""

    def __init__(self, result: BuildResult):
        super().__init__("strict build withdrawn")
        self.result = result

