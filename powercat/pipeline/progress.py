"""The progress the pipeline shows on the terminal (rich), for the commands that draw it:
`build` a bar over its stages and, while the charts are drawn, one over them; `flowchart`
one bar over the charts."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

CHARTS = "流程图"


class StageBars:
    """`构建：<stage>` over `stages` stages, and the charts' bar during 流程图. Use as a
    context; `stage` and `charts` are the pipeline's on_stage and on_progress."""

    def __init__(self, console: Console, stages: int):
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                             console=console)
        self._stages = stages
        self._started: list[str] = []

    def __enter__(self) -> "StageBars":
        self._bar.__enter__()
        self._stage_task = self._bar.add_task("构建", total=self._stages)
        self._chart_task = self._bar.add_task(CHARTS, total=None, visible=False)
        return self

    def __exit__(self, *exc) -> None:
        self._bar.__exit__(*exc)

    def stage(self, label: str) -> None:
        if self._started:
            self._bar.advance(self._stage_task)
        self._started.append(label)
        self._bar.update(self._stage_task, description=f"构建：{label}")
        self._bar.update(self._chart_task, visible=label == CHARTS)

    def charts(self, done: int, total: int) -> None:
        self._bar.update(self._chart_task, completed=done, total=total)

    def finish(self) -> None:
        """The last stage done. A build without 动态公开 runs fewer stages than `stages`: the bar
        ends full at the number it ran (6/6, not 6/7), and says 完成."""
        done = len(self._started)
        self._bar.update(self._stage_task, completed=done, total=max(done, 1), description="构建：完成")


class ChartBar:
    """`绘制流程图` over the charts, shown from the moment their number is known. Use as a
    context; `charts` is the pipeline's on_progress."""

    def __init__(self, console: Console, disable: bool = False):
        self._bar = Progress(TextColumn("绘制流程图"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                             console=console, disable=disable)
        self._task = None

    def __enter__(self) -> "ChartBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._task is not None:
            self._bar.__exit__(*exc)

    def charts(self, done: int, total: int) -> None:
        if self._task is None:
            self._bar.__enter__()
            self._task = self._bar.add_task("charts", total=total)
        self._bar.update(self._task, completed=done)
