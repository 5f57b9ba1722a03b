"""Every public power's flowchart, per agency, and the agency booklets.

Layout: `OUT/<agency>/<code or stable slug>.<ext>` and `OUT/<agency>.pdf`. Powers marked
不予公开 are left out; with `include_withheld` they go to `OUT/内部（不予公开）/<agency>/`,
never into the public folders or booklets.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Catalogue, Power
from ..names import distinct_names, safe_name
from ..publish.records import public_records
from ..process import build_graph
from .batch import Job, render_all
from .booklet import Entry, build_booklet
from .dot import to_dot

INTERNAL_DIR = "内部（不予公开）"


@dataclass
class Chart:
    power: Power
    agency: str
    target: str  # without extension
    withheld: bool
    source: str = ""  # steps / duty / template, known once the graph is built
    outputs: list[str] = field(default_factory=list)


def plan(catalogue: Catalogue, out_dir: str | Path, include_withheld: bool = False,
         internal_dir: str | Path | None = None) -> list[Chart]:
    """Where each chart goes. Withheld powers only with `include_withheld`, and then into
    `internal_dir` (default `out_dir/内部（不予公开）`)."""
    internal = Path(internal_dir) if internal_dir is not None else Path(out_dir) / INTERNAL_DIR
    charts: list[Chart] = []
    used: set[str] = set()
    # public charts come from the one way into public outputs, never from the catalogue
    public = {id(record.power) for record in public_records(catalogue)}
    folders = distinct_names(source.agency.name or Path(source.path).stem for source in catalogue.files)
    for source in catalogue.files:
        agency = source.agency.name or safe_name(Path(source.path).stem)
        for power in source.powers:
            withheld = id(power) not in public
            if withheld and not include_withheld:
                continue
            folder = (internal if withheld else Path(out_dir)) / folders[source.agency.name or Path(source.path).stem]
            stem = safe_name(power.code) if power.code else safe_name(
                f"{power.source.sheet[:12]}-{power.source.row}-{power.title[:24]}")
            target = str(folder / stem)
            suffix = 2
            while target in used:  # duplicate codes exist in real lists
                target = str(folder / f"{stem}-{suffix}")
                suffix += 1
            used.add(target)
            charts.append(Chart(power, agency, target, withheld))
    return charts


def render(catalogue: Catalogue, charts: Sequence[Chart], formats: Sequence[str], workers: int = 2,
           booklet: bool = True, out_dir: str | Path = ".", executor: Executor | None = None,
           on_progress: Callable[[int], None] | None = None) -> list[str]:
    """Renders the planned charts (and booklets); returns the booklet paths."""
    phones = {f.agency.name: f.agency.phone for f in catalogue.files}
    needed = tuple(dict.fromkeys([*formats, *(("pdf",) if booklet else ())]))

    def jobs():
        # graphs and DOT text are made batch by batch, as the renderer asks for them
        for i, chart in enumerate(charts):
            process = build_graph(chart.power)
            chart.source = process.source
            yield Job(to_dot(process, chart.agency, phones.get(chart.agency), name=f"chart{i}"), chart.target)

    results = render_all(jobs(), needed, workers=workers, executor=executor, on_batch=on_progress)
    for chart, paths in zip(charts, results):
        chart.outputs = [p for p in paths if p.rsplit(".", 1)[-1] in formats]
    booklets = []
    if booklet:
        by_agency: dict[str, list[tuple[Chart, str]]] = {}
        for chart, paths in zip(charts, results):
            if not chart.withheld:
                by_agency.setdefault(chart.agency, []).append((chart, next(p for p in paths if p.endswith(".pdf"))))
        names = distinct_names(by_agency)  # agencies whose names sanitise alike get distinct booklets
        for agency, items in by_agency.items():
            entries = [Entry(c.power.title, c.power.code, c.power.category, pdf) for c, pdf in items]
            with tempfile.TemporaryDirectory(prefix="powercat-booklet-") as tmp:
                booklets.append(str(build_booklet(agency, entries, Path(out_dir) / f"{names[agency]}.pdf", tmp)))
    if "pdf" not in formats:  # rendered only for the booklets
        for paths in results:
            for path in paths:
                if path.endswith(".pdf"):
                    Path(path).unlink(missing_ok=True)
    return booklets
