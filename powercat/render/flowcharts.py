"""Every public power's flowchart, per agency, and the agency booklets.

Layout: `OUT/<agency>/<code or stable slug>.<ext>` and `OUT/<agency>.pdf`. Agencies (and,
within one, codes) whose names would sanitise to the same file name get distinct names
(`names.distinct_names`). Only the powers the disclosure gate let through (`public`, given
by the caller) are charted in public; with `include_withheld` the others go to
`OUT/内部（不予公开）/<agency>/`, never into the public folders or booklets. The renderer draws
what it is given: the legal basis in short comes with each chart (`Chart.basis`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import threads
from ..model import Catalogue, Power
from ..names import distinct_names, safe_name
from ..process import build_graph
from .batch import Job, render_all, render_batch
from .dot import titles, to_dot

# the reading (ingest), booklet (pypdf) and cache modules are imported where they are used: a
# worker that only draws charts (render_charts) never loads them
if TYPE_CHECKING:
    from ..filecache import FileCache
    from .booklet import Entry

INTERNAL_DIR = "内部（不予公开）"


@dataclass
class Chart:
    power: Power
    agency: str
    target: str  # without extension
    withheld: bool
    source: str = ""  # steps / duty / template, known once the graph is built
    outputs: list[str] = field(default_factory=list)
    folder_name: str = ""  # the agency's distinct file name (its folder and booklet)
    basis: str | None = None  # the legal basis in short (law.summary); as written when not given
    # the statutory limit the law gives when the list gives none (law.limits): (limit, its source)
    derived_limit: tuple[str, str] | None = None
    # with a cache: the chart's cache key (it names the chart's bytes) and its power's digest,
    # so that the site keys the power's page by them instead of hashing both again
    key: str = ""
    power_digest: str = ""


def _agency_name(source) -> str:
    from ..ingest.agency import list_agency

    return list_agency(source)  # the name the records carry: the site links the booklet by it


def _stem_text(power: Power) -> str:
    return power.code or f"{power.source.sheet[:12]}-{power.source.row}-{power.title[:24]}"


def plan(catalogue: Catalogue, out_dir: str | Path, include_withheld: bool = False,
         internal_dir: str | Path | None = None, *, public: Collection[Power]) -> list[Chart]:
    """Where each chart goes. `public`: the powers of the public records (the gate's, see
    publish.records); every other power is withheld, charted only with `include_withheld`,
    and then into `internal_dir` (default `out_dir/内部（不予公开）`)."""
    internal = Path(internal_dir) if internal_dir is not None else Path(out_dir) / INTERNAL_DIR
    folders = distinct_names(_agency_name(source) for source in catalogue.files)
    stems: dict[str, dict[str, str]] = {}
    by_agency: dict[str, list[str]] = {}
    for source in catalogue.files:
        by_agency.setdefault(_agency_name(source), []).extend(_stem_text(p) for p in source.powers)
    for agency, texts in by_agency.items():
        stems[agency] = distinct_names(texts)
    charts: list[Chart] = []
    used: set[str] = set()
    # public charts come from the one way into public outputs, never from the catalogue
    public_ids = {id(power) for power in public}
    for source in catalogue.files:
        agency = _agency_name(source)
        for power in source.powers:
            withheld = id(power) not in public_ids
            if withheld and not include_withheld:
                continue
            folder = (internal if withheld else Path(out_dir)) / folders[agency]
            stem = stems[agency][_stem_text(power)]
            target = str(folder / stem)
            suffix = 2
            while target.casefold() in used:  # the same code twice exists in real lists
                target = str(folder / f"{stem}-{suffix}")
                suffix += 1
            used.add(target.casefold())
            charts.append(Chart(power, agency, target, withheld, folder_name=folders[agency]))
    return charts


@dataclass(frozen=True)
class ChartJob:
    """What a render task needs to draw one chart; the graph and DOT text are made by the
    task, on whichever worker runs it."""
    power: Power
    agency: str
    phone: str | None
    name: str  # the DOT graph id, unique in the run
    target: str  # output path without extension
    basis: str | None = None  # the legal basis in short
    derived_limit: tuple[str, str] | None = None  # (limit, its source) when the list gives none


def render_charts(charts: Sequence[ChartJob], formats: Sequence[str], dot_binary: str = "dot",
                  env: dict[str, str] | None = None) -> list[tuple[list[str], str]]:
    """One batch: each chart's process graph and DOT text, laid out by one `dot` process.
    Returns each chart's output paths and its graph's source (steps / duty / template).
    A plain top-level function, so a Dask worker can run it."""
    jobs, sources = [], []
    for chart in charts:
        process = build_graph(chart.power)
        sources.append(process.source)
        jobs.append(Job(to_dot(process, chart.agency, chart.phone, name=chart.name, basis=chart.basis,
                           derived_limit=chart.derived_limit), chart.target,
                        tuple(titles(process, chart.name).items())))
    return list(zip(render_batch(jobs, formats, dot_binary, env), sources))


def booklet_task(agency: str, entries: Sequence[Entry], target: str) -> str:
    """One agency's booklet (a plain top-level function, so a Dask worker can run it)."""
    from .booklet import build_booklet

    with tempfile.TemporaryDirectory(prefix="powercat-booklet-") as tmp:
        return str(build_booklet(agency, entries, target, tmp))


def _details(charts: Sequence[Chart]) -> list[str]:
    """For entries of one booklet that share a title (the two levels of one list, a power
    listed under two sheets, two files of one agency): what tells them apart, the first of
    level, sheet, file, office, row that differs within each group of one title."""
    from ..ingest.levels import level_tag, shown_levels

    def file_stem(p: Power) -> str:
        return Path(p.source.file).stem

    keys = (lambda p: level_tag(p.level), lambda p: p.source.sheet, file_stem, lambda p: p.office,
            lambda p: f"第{p.source.row}行", lambda p: f"{file_stem(p)} 第{p.source.row}行")
    groups: dict[str, list[int]] = {}
    for i, chart in enumerate(charts):
        groups.setdefault(chart.power.title, []).append(i)
    out = [""] * len(charts)
    for members in groups.values():
        if len(members) < 2:
            continue
        powers = [charts[i].power for i in members]
        for key in keys:
            values = [key(p) or "" for p in powers]
            if all(values) and len(set(values)) == len(values):
                break
        else:
            values = [f"第{k}处" for k in range(1, len(members) + 1)]
        for i, value in zip(members, values):
            out[i] = value
    # a list for several levels (地县两级): entries name their level, as the site does
    tags = shown_levels([level_tag(c.power.level) for c in charts])
    return [tag if value in ("", tag) else " ".join(x for x in (tag, value) if x) for tag, value in zip(tags, out)]


def render(catalogue: Catalogue, charts: Sequence[Chart], formats: Sequence[str], workers: int = 2,
           booklet: bool = True, out_dir: str | Path = ".", executor: Executor | None = None,
           on_progress: Callable[[int], None] | None = None, cache: FileCache | None = None,
           stamp: dict[str, str] | None = None) -> list[str]:
    """Renders the planned charts (and booklets); returns the booklet paths. Booklets are
    set from the charts' SVGs in one pass (booklet.py). `executor`: a cluster's, else the
    work runs on `workers` threads (each waiting on a `dot` or `rsvg-convert`). With a
    `cache`, a chart or booklet whose key is found is copied from it, here, before any work
    is sent out; only the others are made (and then filed in the cache). `stamp`: the code,
tools and font they are made with (pipeline.keys.versions), part of every key."""
    phones = {f.agency.name: f.agency.phone for f in catalogue.files}
    needed = tuple(dict.fromkeys([*formats, *(("svg",) if booklet else ())]))

    jobs = [ChartJob(chart.power, chart.agency, phones.get(chart.agency), f"chart{i}", chart.target, chart.basis,
                     chart.derived_limit)
            for i, chart in enumerate(charts)]
    stamp = stamp or {}
    chart_keys = []
    if cache is not None:
        from ..filecache import record

        for chart, job in zip(charts, jobs):
            chart.power_digest = record(job.power)
            chart.key = _chart_key(job, needed, stamp, chart.power_digest)
            chart_keys.append(chart.key)
    rendered: list[tuple[list[str], str] | None] = [None] * len(jobs)
    if cache is not None:
        for i, job in enumerate(jobs):
            paths = [f"{job.target}.{fmt}" for fmt in needed]
            meta = cache.fetch(chart_keys[i], paths)
            if meta is not None:
                rendered[i] = (paths, meta.get("source", ""))
        reused = sum(1 for item in rendered if item is not None)
        if reused and on_progress:
            on_progress(reused)
    missing = [i for i, item in enumerate(rendered) if item is None]

    # batches are cut as the renderer asks for them; each one's graphs and DOT text are made
    # by its task (render_charts), on a worker's core rather than here
    with threads(executor, workers) as pool:
        made = render_all((jobs[i] for i in missing), needed, workers=workers, executor=pool, on_batch=on_progress,
                          task=render_charts)
        for i, result in zip(missing, made):
            rendered[i] = result
            if cache is not None:
                cache.store(chart_keys[i], result[0], {"source": result[1]})
        done = [item for item in rendered if item is not None]
        booklets = _booklets(charts, done, out_dir, pool, cache, chart_keys, stamp) if booklet else []
    for chart, (paths, source) in zip(charts, done):
        chart.source = source
        chart.outputs = [p for p in paths if p.rsplit(".", 1)[-1] in formats]
    if "svg" not in formats:  # rendered only for the booklets
        for paths, _source in done:
            for path in paths:
                if path.endswith(".svg"):
                    Path(path).unlink(missing_ok=True)
    return booklets


def _chart_key(job: ChartJob, formats: Sequence[str], stamp: dict[str, str], power_digest: str | None = None) -> str:
    """Everything a chart's files are made from but its name in the batch (`chartN`, which
    appears in no output) and its path; `power_digest`: filecache.record(job.power), when
    the caller has it already."""
    from ..filecache import make_key, record

    return make_key("chart", stamp, list(formats), power_digest or record(job.power), job.agency, job.phone,
                    job.basis, job.derived_limit)


def _booklets(charts: Sequence[Chart], rendered: list[tuple[list[str], str]], out_dir: str | Path,
              pool: Executor, cache: FileCache | None = None, chart_keys: Sequence[str] = (),
              stamp: dict[str, str] | None = None) -> list[str]:
    """One booklet per agency from its public charts' SVGs, one task per agency: rsvg-convert
    runs beside the others, locally or on the cluster's workers (which write into the shared
    output folder, as they do for the charts)."""
    from ..filecache import make_key
    from .booklet import Entry

    by_agency: dict[str, list[tuple[Chart, str, str]]] = {}
    for i, (chart, (paths, _source)) in enumerate(zip(charts, rendered)):
        if not chart.withheld:
            by_agency.setdefault(chart.agency, []).append(
                (chart, next(p for p in paths if p.endswith(".svg")), chart_keys[i] if chart_keys else ""))
    tasks, booklet_keys = [], []
    for agency, items in by_agency.items():
        details = _details([c for c, _svg, _key in items])
        entries = [Entry(c.power.title, c.power.code, c.power.category, svg, detail)
                   for (c, svg, _key), detail in zip(items, details)]
        folder_name = items[0][0].folder_name or safe_name(agency)
        target = str(Path(out_dir) / f"{folder_name}.pdf")
        # a booklet is made from its entries and their charts (by key: the SVGs' paths do not matter)
        key = make_key("booklet", stamp, agency, folder_name,
                       [[c.power.title, c.power.code, c.power.category, detail, chart_key]
                        for (c, _svg, chart_key), detail in zip(items, details)]) if cache is not None else ""
        if cache is not None and cache.fetch(key, [target]) is not None:
            tasks.append(target)
            continue
        tasks.append(pool.submit(booklet_task, agency, entries, target))
        booklet_keys.append((len(tasks) - 1, key))
    made = [task if isinstance(task, str) else task.result() for task in tasks]
    if cache is not None:
        for index, key in booklet_keys:
            cache.store(key, [made[index]])
    return made
