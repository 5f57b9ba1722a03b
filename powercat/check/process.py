"""Rules on each power's explicit 运行流程: the graph checks of process/checks.py, as
findings at the step's row in the 运行流程 sheet (or the power's row)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Power
from ..process import build_graph
from ..process.checks import check_graph
from ..rules import ERROR, INFO, declare
from .context import Context, finding
from .findings import Finding, Place

# which step column a rule points at
_STEP_FIELD = {"process-unknown-next": "next", "process-dead-end": "next", "process-decision-exits": "next",
               "process-cycle": "next", "process-duplicate-step": "step_id", "process-parallel": "post"}

# ── the rules of this module, declared here with their codes (powercat/rules.py) ──
# process graphs (运行流程)
declare("process-no-start", ERROR, "process", "流程无开始",
        "运行流程没有“开始”环节",
        "The steps have no start step.")
declare("process-no-end", ERROR, "process", "流程无结束",
        "运行流程没有“结束”环节",
        "The steps have no end step.")
declare("process-unknown-next", ERROR, "process", "下一环节不存在",
        "环节 {step} 的下一环节“{target}”不存在",
        "A next-step id that names no step.")
declare("process-duplicate-step", ERROR, "process", "环节编号重复",
        "环节编号 {step} 重复",
        "Two steps of one power share an id.")
declare("process-unreachable", ERROR, "process", "环节不可达",
        "环节 {step}“{name}”从开始环节无法到达",
        "A step no path from the start reaches.")
declare("process-dead-end", ERROR, "process", "流程断头",
        "环节 {step}“{name}”之后没有下一环节，也不是结束环节",
        "A step with no way on that is not an end.")
declare("process-decision-exits", ERROR, "process", "判断出口不足",
        "判断环节 {step}“{name}”应有两个以上带标注的出口（如“是:4；否:9”），现有 {count} 个",
        "A decision with fewer than two labelled exits.")
declare("process-cycle", ERROR, "process", "流程循环",
        "运行流程存在循环：{cycle}（只允许补正材料的回路）",
        "A cycle other than a 补正 loop.")
declare("process-over-limit", ERROR, "process", "环节时限超过总时限",
        "各环节时限合计 {total:g} 个工作日（最长路径：{path}；不计申请人补正及法定不计入的时间），超过{which} {limit}",
        "The longest path's summed step limits exceed the promised or statutory limit.")
declare("process-parallel", INFO, "process", "可并联办理",
        "环节“{a}”（{post_a}）与“{b}”（{post_b}）由不同岗位办理、互不依赖，可并联办理，约节省 {days:g} 个工作日",
        "Two sequential steps of different posts with no dependency: a 并联审批 opportunity.")
# emitted by the loader (a CellProblem, made a finding by check/reading.py), kept with its family
declare("process-too-many-steps", ERROR, "process", "流程环节过多",
        "运行流程有 {value} 个环节，超过上限 200 个；流程图和流程检查只使用前 200 个。请核对是否把多个事项的环节填在了同一职权编码下",
        "More steps under one power than any procedure has: only the first 200 are used.")


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
