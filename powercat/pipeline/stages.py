"""The stages a command picks from, in the order they run. Each declares what it needs and
gives (see pipeline.Run) and does one job by calling the room that owns it; none times
itself, draws progress or decides where its tasks run (the pipeline does).

    Read            paths → catalogue                      ingest
    SortInputs      catalogue → registers found among the lists (build)
    Check           catalogue → report; review report and annotated copies   check, report
    Strict          report: withdraws the run on errors (build --strict)
    SettleAgencies  one agency name per list, everywhere from here on
    Records         catalogue → records (public, through the gate)            publish.records
    Charts          catalogue, records → charts, booklets                    process, render
    CatalogueFiles  records → downloads (xlsx, CSV, JSON, SQLite)            publish
    Cases           catalogue → cases (动态公开)                               cases
    Site            records, downloads, charts → the static site             publish.site
    Register        catalogue → withheld, the filing register (备案登记表)     publish.internal
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..cases.publish import build_cases
from ..check import run as run_checks
from ..check.findings import ERROR, Finding, Report
from ..filecache import FileCache, make_key
from ..ingest import load
from ..ingest.agency import settle_agencies
from ..ingest.classify import REGISTER, is_register_file, skip_notice
from ..law.registry import default_registry
from ..law.limits import statutory_for
from ..law.summary import basis_summary
from ..names import safe_name
from ..publish import site
from ..publish.catalogue import FORMATS, write_catalogue_files
from ..publish.internal import write_register
from ..publish.parts import Parts, kinds_for, write_part
from ..publish.records import list_runs, public_records, withheld_records
from ..render import flowcharts
from ..report.annotate import annotated_names, summary_lines, write_annotated
from ..report.findings_view import report_json
from . import Run, Stage, Work, keys


class Withdrawn(Exception):
    """--strict found errors: the staged folder is dropped, the previous outputs stay."""


class Read(Stage):
    """Every input through the loader. With `freeze` the catalogue, which lives until the
    command ends, is moved out of the cyclic collector's sight, so building the outputs does
    not rescan millions of objects."""

    label = "读取清单"
    gives = ("catalogue",)

    def __init__(self, freeze: bool = False):
        self.freeze = freeze

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        catalogue = load(run.paths, work.executor)
        if self.freeze:
            gc.freeze()
        return {"catalogue": catalogue}


class SortInputs(Stage):
    """Takes the case registers (and event logs) found among the list files out of the
    catalogue: they are read by the cases stage, as registers, never as lists. powercat's own
    outputs and law supplements met there are dropped too, with a notice."""

    needs = ("catalogue",)
    gives = ("registers_found",)

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        catalogue = run["catalogue"]
        found = [source.path for source in catalogue.files if is_register_file(source)]
        if found:
            catalogue.files = [source for source in catalogue.files if not is_register_file(source)]
            for path in found:
                work.notice(f"{path} 是办件登记表（或环节记录），按办件登记读取，不作为权力清单")
        kept = []
        for source in catalogue.files:  # powercat's own outputs, law supplements: skipped, and said so
            sentence = skip_notice(source)
            if sentence is None:
                kept.append(source)
            else:
                work.notice(sentence)
            for sheet in source.sheets if source.powers else ():  # a list with a register sheet in it
                if sheet.kind == REGISTER:
                    work.notice(f"{source.path} 中的工作表“{sheet.name}”是办件登记表，未作为清单读取，也未按办件登记读取；"
                                "请把办件登记另存为单独的文件（放在 办件登记/ 文件夹中或用 --registers 给出）")
        catalogue.files = kept  # no review copy is made of them either
        return {"registers_found": found}


class Check(Stage):
    """The rules, then what reviewers read: report.json and an annotated copy of each
    readable list, under `review_dir`."""

    label = "审查"
    needs = ("catalogue",)
    gives = ("report",)

    def __init__(self, review_dir: Path, as_of: dt.date | None, cache: FileCache | None = None):
        self.review_dir, self.as_of = review_dir, as_of
        self.cache = cache  # annotated copies made by an earlier run (filecache.py)

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        catalogue = run["catalogue"]
        as_of = self.as_of or dt.date.today()
        report = self._findings(catalogue, as_of, work)
        day = as_of.isoformat()
        review = self.review_dir
        review.mkdir()
        (review / "report.json").write_text(json.dumps(report_json(catalogue, report, day), ensure_ascii=False, indent=1)
                                            + "\n", encoding="utf-8")
        readable = [source for source in catalogue.files if source.error is None]
        copy_names = annotated_names([source.path for source in readable])  # same-named inputs stay apart
        summary = summary_lines(day, default_registry().coverage.lines())
        by_file: dict[str, list] = {source.path: [] for source in readable}
        for finding in report.findings:
            by_file.get(finding.file, []).append(finding)
        made = []
        for source in readable:
            key = self._key(source, by_file[source.path], copy_names[source.path], summary)
            if key is not None and self.cache.fetch(key, [review / copy_names[source.path]]) is not None:
                continue
            # one task per file: on a cluster the workers read the inputs and write into the staging folder
            made.append((key, work.tasks.submit(write_annotated, source, by_file[source.path], review,
                                                copy_names[source.path], summary)))
        for key, future in made:
            path = future.result()
            if key is not None:
                self.cache.store(key, [path])
        return {"report": report}

    def _findings(self, catalogue, as_of: dt.date, work: Work) -> Report:
        """The rules' findings; from the cache when an earlier run checked the same catalogue
        (every file's bytes, and the file as read: its powers, steps, cell problems and
        errors) on the same day with the same code, libraries and law facts (bundled and
        --laws): all a rule reads. When only some files changed, the per-power rules (most
        of the time: each file's findings are made from that file alone) are run on those
        files only; the rules over the whole catalogue (duplicates, overlaps across lists)
        always run on all of it."""
        files = None
        if self.cache is not None:  # (an empty cache is falsy: it has a length)
            try:  # the files' bytes too: file-duplicate compares them
                files = [(keys.file_digest(source.path), keys.content_digest(source)) for source in catalogue.files]
            except OSError:
                pass
        if files is None:
            return run_checks(catalogue, as_of=as_of, executor=work.executor)
        day, code = as_of.isoformat(), keys.code()
        scratch = work.scratch("powercat-findings-")
        key = make_key("findings", code, day, files)
        file_keys = [make_key("file-findings", code, day, source.path, file) for source, file in zip(catalogue.files, files)]
        found = self._cached_findings(key, scratch / "findings.json")
        if found is not None:
            self.cache.keep(file_keys)  # for the run after, when one list has changed
            return Report(found)
        by_file = {}
        for i, file_key in enumerate(file_keys):
            part = self._cached_findings(file_key, scratch / f"{i}.json")
            if part is not None:
                by_file[i] = part
        known = set(by_file)
        report = run_checks(catalogue, as_of=as_of, executor=work.executor, by_file=by_file)
        for i, file_key in enumerate(file_keys):
            if i not in known:
                self._store_findings(file_key, by_file[i], scratch / f"{i}.json")
        self._store_findings(key, report.findings, scratch / "findings.json")
        return report

    def _cached_findings(self, key: str, kept: Path) -> list[Finding] | None:
        if self.cache.fetch(key, [kept]) is None:
            return None
        try:
            return [Finding(**item) for item in json.loads(kept.read_text(encoding="utf-8"))]
        except (ValueError, TypeError):
            kept.unlink()  # intact but not findings (another version wrote it): checked again
            return None

    def _store_findings(self, key: str, findings: list[Finding], kept: Path) -> None:
        kept.write_text(json.dumps([f.to_json() for f in findings], ensure_ascii=False), encoding="utf-8")
        self.cache.store(key, [kept])

    def _key(self, source, findings, name: str, summary: list[str]) -> str | None:
        """An annotated copy is made from the input's bytes, its findings, its name and the
        summary lines (and the code that reads and writes it)."""
        if self.cache is None:
            return None
        try:
            digest = keys.file_digest(source.path)
        except OSError:
            return None
        return make_key("annotated", keys.code(), digest, source.path, source.format, name, summary,
                        [finding.to_json() for finding in findings])


class Strict(Stage):
    needs = ("report",)

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        if run["report"].count(ERROR):
            raise Withdrawn("strict build withdrawn")
        return {}


class SettleAgencies(Stage):
    """One agency name everywhere from here on (review findings name the lists as written)."""

    needs = ("catalogue",)

    def __init__(self, override: str | None):
        self.override = override

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        settle_agencies(run["catalogue"], self.override)
        return {}


class Records(Stage):
    """The public records: the one way from the catalogue into anything public."""

    needs = ("catalogue",)
    gives = ("records",)

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        return {"records": public_records(run["catalogue"])}


class Charts(Stage):
    """Each power's process graph and flowchart, and the agencies' booklets. Public charts
    only for the public records; withheld ones with `include_withheld`, into `internal_dir`.
    The legal basis in short is made here, so the renderer draws what it is given."""

    label = "流程图"
    needs = ("catalogue", "records")
    gives = ("charts", "booklets")

    def __init__(self, out_dir: Path | None, formats: Sequence[str] = ("svg", "pdf"), booklet: bool = True,
                 include_withheld: bool = False, internal_dir: Path | None = None, cache: FileCache | None = None):
        self.out_dir, self.formats, self.booklet = out_dir, tuple(formats), booklet
        self.include_withheld, self.internal_dir = include_withheld, internal_dir
        self.cache = cache  # charts and booklets made by an earlier run (filecache.py)

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        catalogue = run["catalogue"]
        out_dir = self.out_dir or work.scratch("powercat-site-") / "charts"
        charts = flowcharts.plan(catalogue, out_dir, self.include_withheld, self.internal_dir,
                                 public=[record.power for record in run["records"]])
        for chart in charts:
            chart.basis = basis_summary(chart.power.basis)
            derived = statutory_for(chart.power)  # None where the list gives its own 法定时限
            if derived is not None:
                source = derived.display.split("（", 1)[1].rstrip("）").removesuffix("；据法律推定，非清单填写")
                chart.derived_limit = (derived.limit_text, source)
        total, done = len(charts), [0]
        work.progress(0, total)

        def advance(n: int) -> None:
            done[0] += n
            work.progress(done[0], total)

        booklets = flowcharts.render(catalogue, charts, self.formats, workers=work.workers, booklet=self.booklet,
                                     out_dir=out_dir, on_progress=advance, executor=work.executor,
                                     cache=self.cache, stamp=keys.versions() if self.cache is not None else None)
        return {"charts": charts, "booklets": booklets}


class CatalogueFiles(Stage):
    """The catalogue for download: xlsx, CSV (Chinese headers), JSON and the data package,
    SQLite with Datasette metadata, as many of them as `formats` asks."""

    label = "公开目录"
    needs = ("records",)
    gives = ("downloads",)

    def __init__(self, folder: Path, formats: Sequence[str] = FORMATS, cache: FileCache | None = None):
        self.folder, self.formats = folder, tuple(formats)
        self.cache = cache  # the files an earlier run made from the same records (filecache.py)

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        records = run["records"]
        if self.cache is None:
            return {"downloads": write_catalogue_files(records, self.folder, self.formats)}
        code, kinds, runs = keys.code(), kinds_for(self.formats), list_runs(records)
        digests = [keys.content_digest(mine) for mine in runs]
        part_keys = [make_key("catalogue-part", code, kinds, digest) for digest in digests] if kinds else []
        # one entry for all the files (each made from every public record, in order) and, below
        # it, one for each list's parts: when one list changed, only its parts are made again
        key = make_key("catalogue-files", code, list(self.formats), digests)
        before = _files_under(self.folder)
        meta = self.cache.fetch_named(key, self.folder, accept=_names_downloads)
        if meta is not None:
            # for the run after, when one list has changed: its parts and the workbook's sheets
            self.cache.keep(part_keys + [k for k in meta.get("sheets", ()) if isinstance(k, str)])
            return {"downloads": {kind: self.folder / name for kind, name in meta["downloads"].items()}}
        scratch = work.scratch("powercat-parts-")
        parts = self._parts(runs, part_keys, kinds, scratch) if kinds else None
        sheets = _KeptSheets(self.cache, code, scratch, zip(runs, digests))
        downloads = write_catalogue_files(records, self.folder, self.formats, parts, sheets)
        names = sorted(_files_under(self.folder) - before)
        self.cache.store_named(key, self.folder, names,
                               {"downloads": {kind: path.relative_to(self.folder).as_posix()
                                              for kind, path in downloads.items()}, "sheets": sheets.keys})
        return {"downloads": downloads}

    def _parts(self, runs: list[list], part_keys: list[str], kinds: tuple[str, ...], scratch: Path) -> Parts:
        """Each list's parts (publish/parts.py): from the cache where its records are those of
        an earlier run, else made and filed."""
        files = []
        for n, (mine, key) in enumerate(zip(runs, part_keys)):
            paths = {kind: scratch / f"{n}.{kind}" for kind in kinds}
            if self.cache.fetch(key, list(paths.values())) is None:
                for kind, path in paths.items():
                    write_part(mine, kind, path)
                self.cache.store(key, list(paths.values()))
            files.append(paths)
        return Parts(files)


class _KeptSheets:
    """The catalogue workbook's agency sheets and 总目录's rows list by list in the rebuild
    cache (spreadsheet.SheetStore), keyed by all they are made from; `keys`: those this run
    used, kept with the files' entry. `known`: each list's records with their digest."""

    def __init__(self, cache: FileCache, code: dict, scratch: Path, known=()):
        self.cache, self.code, self.scratch = cache, code, scratch
        self.keys: list[str] = []
        # the records are this run's, alive while the workbook is made: their ids name them
        self.known = {(id(items[0]), id(items[-1]), len(items)): found for items, found in known if items}

    def digest(self, items) -> str:
        """filecache.digest(list(items)), once per run for a list's records (the stage's)."""
        found = self.known.get((id(items[0]), id(items[-1]), len(items))) if items else None
        return found if found is not None else keys.content_digest(list(items))

    def fetch_rows(self, parts: list) -> tuple[str, dict] | None:
        key = make_key("catalogue-rows", self.code, parts)
        target = self.scratch / f"rows-{key}.xml"
        meta = self.cache.fetch(key, [target])
        if meta is None or not all(isinstance(meta.get(name), list) for name in ("placed", "links", "styles")):
            return None
        self.keys.append(key)
        return target.read_text(encoding="utf-8"), meta

    def store_rows(self, parts: list, text: str, meta: dict) -> None:
        key = make_key("catalogue-rows", self.code, parts)
        kept = self.scratch / f"rows-{key}.xml"
        kept.write_text(text, encoding="utf-8")
        self.cache.store(key, [kept], meta)
        self.keys.append(key)

    def fetch(self, parts: list) -> tuple[Path, dict] | None:
        key = make_key("catalogue-sheet", self.code, parts)
        target = self.scratch / f"sheet-{key}.xml"
        meta = self.cache.fetch(key, [target])
        if meta is None or not isinstance(meta.get("filter"), str):
            return None
        self.keys.append(key)
        return target, meta

    def store(self, parts: list, path: Path, meta: dict) -> None:
        key = make_key("catalogue-sheet", self.code, parts)
        kept = self.scratch / f"sheet-{key}.xml"  # filed by its suffix, as fetch asks for it
        shutil.copyfile(path, kept)
        self.cache.store(key, [kept], meta)
        self.keys.append(key)


def _names_downloads(meta: dict) -> bool:
    """A catalogue-files entry's meta names each download among its files."""
    kinds = meta.get("downloads")
    return isinstance(kinds, dict) and all(name in meta.get("names", ()) for name in kinds.values())


def _files_under(folder: Path) -> set[str]:
    """The files in `folder` and below, as relative POSIX paths."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} \
        if folder.is_dir() else set()


class Cases(Stage):
    """动态公开: the case registers checked against the powers, figures public and internal."""

    label = "动态公开"
    needs = ("catalogue",)
    gives = ("cases",)

    def __init__(self, registers: list[str], public_dir: Path, internal_dir: Path, as_of: dt.date | None):
        self.registers, self.public_dir, self.internal_dir, self.as_of = registers, public_dir, internal_dir, as_of

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        return {"cases": build_cases(run["catalogue"], self.registers, self.public_dir, self.internal_dir,
                                     as_of=self.as_of)}


class Site(Stage):
    """The static site. Beside the flowcharts (`flowcharts_dir`, as build lays them out) it
    links to them and to the booklets; without it, it takes copies of the charts and is
    built beside its place and swapped in whole (as `powercat catalogue` writes it)."""

    label = "网站"
    needs = ("records", "downloads")

    def __init__(self, site_dir: Path, flowcharts_dir: Path | None = None, guide_pdf: bool = False,
                 cases_dir: Path | None = None, cache: FileCache | None = None, take_charts: bool = False):
        self.site_dir, self.flowcharts_dir, self.guide_pdf, self.cases_dir = site_dir, flowcharts_dir, guide_pdf, cases_dir
        # without flowcharts_dir: the charts were drawn for the site alone (a scratch folder), so
        # it moves them into site/charts instead of copying them
        self.take_charts = take_charts
        self.cache = cache  # power pages written by an earlier run (filecache.py): beside the flowcharts only

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        records, charts = run["records"], run.get("charts") or []
        svg_of: dict[str, str | None] = {}
        keyed: dict[str, tuple[str, str]] = {}  # the chart stage's keys, for the page keys
        by_power = {id(c.power): c for c in charts}
        for record in records:
            chart = by_power.get(id(record.power))
            if chart is not None:
                svg_of[record.id] = next((o for o in chart.outputs if o.endswith(".svg")), None)
                if chart.key and chart.power_digest:
                    keyed[record.id] = (chart.key, chart.power_digest)
        if self.flowcharts_dir is None:
            self._swapped_in(records, svg_of, run["downloads"], work)
            return {}
        names = {c.agency: c.folder_name for c in charts if not c.withheld and c.folder_name}
        booklets = {}
        for agency in {r.agency for r in records}:
            booklet = self.flowcharts_dir / f"{names.get(agency) or safe_name(agency)}.pdf"
            if booklet.is_file():
                booklets[agency] = booklet
        links = site.Links(downloads=run["downloads"], booklets=booklets, cases=self.cases_dir)
        site.write_site(records, self.site_dir, svg_of, links=links, guide_pdf=self.guide_pdf, executor=work.executor,
                        workers=work.workers, cache=self.cache, stamp=keys.code() if self.cache is not None else None,
                        keyed=keyed)
        return {}

    def _swapped_in(self, records, svg_of, downloads, work: Work) -> None:
        # moved rather than copied when they are the site's to take: with a PDF each, a
        # province's charts are GBs
        links = site.Links(downloads=downloads, copy_charts=True, move_charts=self.take_charts)
        # built beside its final place, so that relative links hold after the move
        staging = self.site_dir.with_name(".site-staging")
        shutil.rmtree(staging, ignore_errors=True)
        site.write_site(records, staging, svg_of, links=links, guide_pdf=self.guide_pdf, executor=work.executor,
                        workers=work.workers)
        try:
            _replace_dir(staging, self.site_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


class Register(Stage):
    """The filing register (备案登记表) of the withheld powers: internal, never public."""

    label = "内部备案"
    needs = ("catalogue",)
    gives = ("withheld",)

    def __init__(self, target: Path):
        self.target = target

    def run(self, run: Run, work: Work) -> dict[str, Any]:
        withheld = withheld_records(run["catalogue"])
        write_register(withheld, self.target)
        return {"withheld": withheld}


def _replace_dir(staging: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old")
    if final.exists():
        if old.exists():
            shutil.rmtree(old)
        final.rename(old)
    shutil.move(str(staging), str(final))
    shutil.rmtree(old, ignore_errors=True)
