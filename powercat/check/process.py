"""Rules on each power's explicit 运行流程: the graph checks of process/checks.py, as
findings at the step's row in the 运行流程 sheet (or the power's row)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Power
from ..process import build_graph
from ..process.checks import check_graph
from .context import Context, finding
from .findings import Finding, Place

# which step column a rule points at
_STEP_FIELD = {"process-unknown-next": "next", "process-dead-end": "next", "process-decision-exits": "next",
               "process-cycle": "next", "process-duplicate-step": "step_id", "process-parallel": "post"}


def check_power(power: Power, ctx: Context) -> Iterator[Finding]:
    if not power.steps:
        return
    process = build_graph(power)
    for code, step, values in check_graph(process, ctx.as_of):
        if step is None:
            yield finding(code, power, "code", **values)
            continue
        field = _STEP_FIELD.get(code, "name")
        yield finding(code, Place.of(step.source, step.columns.get(field), power.title), field, **values)
