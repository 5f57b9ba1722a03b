"""One pipeline for `build`, `catalogue` and `flowchart`: read → check → graphs and charts →
publish → report. A command is a list of stages (pipeline.commands); a stage is a small object
with named inputs and outputs (pipeline.stages). What every stage would otherwise do for
itself is done here, once: timing, telling the progress display, the executor (a cluster's,
or this machine's), and the scratch folders that live as long as the run.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import tasks, threads


@dataclass
class Run:
    """What flows through the stages: the input paths, each stage's products under the
    names its `gives` declares (catalogue, report, records, charts, booklets, downloads,
    cases, withheld), and the seconds each labelled stage took. A stage's options are its
    own (given when the command lists it)."""

    paths: list[str]
    products: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.products[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.products.get(name, default)


class Stage:
    """One step of the pipeline. `label` is what the progress display and the timings call it
    (None: a step too small to show); `needs` the products it reads, `gives` those it makes."""

    label: str | None = None
    needs: tuple[str, ...] = ()
    gives: tuple[str, ...] = ()

    def run(self, run: Run, work: "Work") -> dict[str, Any]:
        """Returns the products named in `gives`."""
        raise NotImplementedError


@dataclass
class Work:
    """What the pipeline lends a stage: where its tasks run, and how it reports progress."""

    executor: Executor | None
    workers: int
    progress: Callable[[int, int], None]
    notice: Callable[[str], None]
    scratch: Callable[[str], Path]

    @property
    def tasks(self) -> Executor:
        """Per-file Python work: the cluster's executor, else here, one task after another."""
        return tasks(self.executor)

    def threads(self):
        """Work that waits on subprocesses: the cluster's executor, else a thread pool."""
        return threads(self.executor, self.workers)


class Pipeline:
    """Runs stages in order, timing each labelled one and telling `on_stage(label)` as it
    starts; `on_progress(done, total)` is passed on to stages that count (the charts)."""

    def __init__(self, executor: Executor | None = None, workers: int = 2,
                 on_stage: Callable[[str], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None,
                 notice: Callable[[str], None] | None = None):
        self.executor = executor
        self.workers = workers
        self.on_stage = on_stage or (lambda _label: None)
        self.on_progress = on_progress or (lambda _done, _total: None)
        self.notice = notice or (lambda _text: None)
        self._scratch = contextlib.ExitStack()

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(self, *_exc) -> None:
        self._scratch.close()  # the scratch folders go with the run

    def scratch(self, prefix: str) -> Path:
        return Path(self._scratch.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))

    def run(self, stages: Sequence[Stage], run: Run) -> Run:
        work = Work(self.executor, self.workers, self.on_progress, self.notice, self.scratch)
        for stage in stages:
            missing = [name for name in stage.needs if name not in run.products]
            if missing:  # a command listed its stages out of order: a bug, not a user's error
                raise RuntimeError(f"{type(stage).__name__} needs {missing}")
            if stage.label:
                self.on_stage(stage.label)
                started = time.perf_counter()
            made = stage.run(run, work) or {}
            if set(made) != set(stage.gives):
                raise RuntimeError(f"{type(stage).__name__} gave {sorted(made)}, not {list(stage.gives)}")
            run.products.update(made)
            if stage.label:
                run.seconds[stage.label] = round(time.perf_counter() - started, 3)
        return run

