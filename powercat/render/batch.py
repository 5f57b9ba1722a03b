"""Many graphs per `dot` process, batches spread over an Executor.

Starting `dot` costs about 22 ms of a 24 ms SVG render, so one process renders a batch of
graphs: SVG alone through its standard streams (`dot -Tsvg` reads them all on stdin and
writes one SVG document per graph to stdout), other formats from one file (`dot -Tsvg -Tpdf -O batch.gv`
writes batch.gv.svg, batch.gv.2.svg, … in input order). Batches go to any `concurrent.futures.Executor`: a thread pool on one
machine (the work happens in the `dot` subprocesses), or a distributed executor (Dask,
Ray) for a national run, without changing this code: `render_batch` is a plain top-level
function of picklable arguments.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from pathlib import Path

from ..engine import threads
from .dot import retitle_svg
from .system import RenderError, allow_tools, kill_tools, run_tool, tool_timeout

FORMATS = ("svg", "pdf", "png")


@dataclass(frozen=True)
class Job:
    dot: str  # one digraph
    target: str  # output path without extension
    titles: tuple[tuple[str, str], ...] = ()  # DOT id → the SVG <title> to show instead


# seconds a `dot` process may take: 2 minutes, plus 5 s per chart of its batch
DOT_TIMEOUT_BASE, DOT_TIMEOUT_PER_CHART = 120.0, 5.0


def render_batch(jobs: Sequence[Job], formats: Sequence[str], dot_binary: str = "dot",
                 env: dict[str, str] | None = None) -> list[list[str]]:
    """Renders the jobs with one `dot` process; returns each job's output paths. Outputs
    are written to their targets only once `dot` has succeeded. SVG alone (what build and
    the site draw) goes through dot's standard streams: the DOT text in, each graph's SVG
    out, then retitled straight into place; PDF or PNG are files dot writes (`-O`), moved."""
    if tuple(formats) == ("svg",):
        svgs = _piped_svgs(jobs, dot_binary, env)
        if svgs is not None:
            made: set[Path] = set()
            return [[_place_svg(svg, job, made)] for svg, job in zip(svgs, jobs)]
    return _render_files(jobs, formats, dot_binary, env)


# each graph's SVG starts with its own XML declaration, in the -O files and on stdout alike;
# a label's "<" is always escaped, so the declaration never occurs inside a chart
_SVG_START = b"<?xml "


def _piped_svgs(jobs: Sequence[Job], dot_binary: str, env: dict[str, str] | None) -> list[bytes] | None:
    """Each job's SVG, the bytes `dot -Tsvg -O` would have written; None when dot's stdout
    does not split into one document per graph (another Graphviz: the caller uses files)."""
    source = "".join(job.dot for job in jobs).encode("utf-8")
    proc = _run_dot([dot_binary, "-Tsvg"], len(jobs), env, stdin=source)
    parts = proc.stdout.split(_SVG_START)
    if len(parts) != len(jobs) + 1 or parts[0]:
        return None
    return [_SVG_START + part for part in parts[1:]]


def _place_svg(svg: bytes, job: Job, made: set[Path]) -> str:
    target = Path(f"{job.target}.svg")
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    target.write_bytes(retitle_svg(_universal_newlines(svg), dict(job.titles)) if job.titles else svg)
    return str(target)


def _universal_newlines(data: bytes) -> bytes:
    """The line ends `Path.read_text` would give these bytes (a retitled SVG was read as text
    once: its bytes stay what they were)."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in data else data


def _render_files(jobs: Sequence[Job], formats: Sequence[str], dot_binary: str,
                  env: dict[str, str] | None) -> list[list[str]]:
    """`dot -T<fmt>… -O batch.gv` writes batch.gv.<fmt>, batch.gv.2.<fmt>, … in input order."""
    with tempfile.TemporaryDirectory(prefix="powercat-dot-") as tmp:
        source = Path(tmp) / "batch.gv"
        source.write_text("".join(job.dot for job in jobs), encoding="utf-8")
        command = [dot_binary, *(f"-T{fmt}" for fmt in formats), "-O", str(source)]
        if "png" in formats:
            command.insert(1, "-Gdpi=110")
        _run_dot(command, len(jobs), env)
        outputs = []
        for index, job in enumerate(jobs, start=1):
            paths = []
            for fmt in formats:
                produced = Path(f"{source}.{fmt}" if index == 1 else f"{source}.{index}.{fmt}")
                target = Path(f"{job.target}.{fmt}")
                target.parent.mkdir(parents=True, exist_ok=True)
                if fmt == "svg" and job.titles:
                    # written retitled straight to its place: the temporary copy goes with the folder
                    target.write_bytes(retitle_svg(_universal_newlines(produced.read_bytes()), dict(job.titles)))
                else:
                    if fmt == "pdf":
                        from .pdfmeta import fix_creation_date  # here: an SVG-only worker never loads it

                        fix_creation_date(produced)
                    shutil.move(str(produced), str(target))
                paths.append(str(target))
            outputs.append(paths)
        return outputs


def _run_dot(command: list[str], charts: int, env: dict[str, str] | None, stdin: bytes | None = None):
    environment = {**os.environ, **(env or {})}
    # a Dask worker's nanny sets MALLOC_TRIM_THRESHOLD_=65536 for itself; inherited, it makes
    # glibc give memory back on nearly every free() and `dot` twice as slow
    environment.pop("MALLOC_TRIM_THRESHOLD_", None)
    proc = run_tool(command, tool_timeout(DOT_TIMEOUT_BASE, DOT_TIMEOUT_PER_CHART, charts), env=environment,
                    stdin=stdin)
    if proc.returncode != 0:
        raise RenderError(proc.stderr.strip()[:2000] or f"dot exited {proc.returncode}")
    return proc


def render_all(jobs: Iterable, formats: Sequence[str], workers: int = 2, batch_size: int = 40,
               executor: Executor | None = None, on_batch: Callable[[int], None] | None = None,
               env: dict[str, str] | None = None, task: Callable = render_batch) -> list:
    """Runs `task(batch, formats, "dot", env)` over every batch of jobs; returns its
    results, one per job, in job order. Jobs may be a generator: at most `2 × workers`
    batches are built and in flight at once, so memory stays flat however many charts
    there are. `on_batch(n)` is called as each batch of n completes. `task` defaults to
    rendering ready DOT text (`Job`s); flowcharts.render_charts takes powers instead, so the
    graphs and DOT text are made where the batch runs."""
    results: dict[int, list[list[str]]] = {}
    sizes: dict[int, int] = {}
    window = max(2, 2 * workers)
    pending: dict = {}

    def collect(block: bool) -> None:
        done, _ = wait(pending, return_when=FIRST_COMPLETED) if block else (
            [f for f in pending if f.done()], None)
        for future in list(done):
            index = pending.pop(future)
            results[index] = future.result()
            if on_batch:
                on_batch(sizes[index])

    allow_tools()
    with threads(executor, workers) as pool:
        try:
            for index, batch in enumerate(chunked(jobs, batch_size)):
                while len(pending) >= window:
                    collect(block=True)
                sizes[index] = len(batch)
                pending[pool.submit(task, batch, tuple(formats), "dot", env)] = index
                collect(block=False)
            while pending:
                collect(block=True)
        except BaseException:
            # a failed batch, a timeout or Ctrl-C: the other batches' `dot` processes are killed
            # (this process's; a cluster's workers run their own) and the queued ones cancelled,
            # so the pool's threads end now, not when dot would
            for future in pending:
                future.cancel()
            kill_tools()
            raise
    return [paths for index in sorted(results) for paths in results[index]]


def chunked(items: Iterable, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
