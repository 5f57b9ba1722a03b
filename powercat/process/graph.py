"""Building a power's process graph.

Node attributes: `name`, `kind` (start / task / decision / end), `post`, `limit`,
`control` (supervision), `disclosure`, and `step` (the 运行流程 Step, for explicit steps).
Edge attributes: `label` (a decision's branch, e.g. 准予许可).
Graph attributes: `source` (steps / duty / template), `title`, `basis_note`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from ..model import Power, Step
from .templates import template_for

START, TASK, DECISION, END = "start", "task", "decision", "end"
_KINDS = {"开始": START, "办理": TASK, "判断": DECISION, "结束": END, "决策": DECISION, "终止": END}
_BRANCH = re.compile(r"^\s*(?P<label>[^:：]+?)\s*[:：]\s*(?P<target>[^:：]+?)\s*$")
_NEXT_SPLIT = re.compile(r"[；;]|\n")
_PARALLEL_SPLIT = re.compile(r"[,，、/]")
# 责任事项 stages: "1.受理责任：…" "2、审查责任：…" "（三）决定责任：…"
_STAGE = re.compile(r"(?:^|(?<=[\s。；;，,…）)]))(?:[0-9]+[.、．]|[（(][一二三四五六七八九十0-9]+[)）]|[一二三四五六七八九十]+、)\s*"
                    r"(?P<name>[^：:\n。；]{1,12}?)责任\s*[：:]")


@dataclass
class ProcessGraph:
    power: Power
    graph: nx.DiGraph
    source: str  # steps / duty / template
    problems: list[tuple[str, Step | None, dict]]  # (rule code, step, values) found while building

    @property
    def source_zh(self) -> str:
        return {"steps": "本单位填报的运行流程", "duty": "责任事项所列环节", "template": "法定程序通用流程"}[self.source]


def build_graph(power: Power) -> ProcessGraph:
    if power.steps:
        return _from_steps(power)
    stages = duty_stages(power.duty)
    if len(stages) >= 2:
        return _from_stages(power, stages)
    graph = template_for(power.category)
    return ProcessGraph(power, graph, "template", [])


def parse_next(text: str | None) -> list[tuple[str | None, str]]:
    """'3' → [(None,'3')]; '3,4' → [(None,'3'),(None,'4')]; '是:4；否:9' → [('是','4'),('否','9')]."""
    if not text:
        return []
    out: list[tuple[str | None, str]] = []
    for part in _NEXT_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        branch = _BRANCH.match(part)
        if branch:
            out.append((branch.group("label"), branch.group("target").strip()))
        else:
            out.extend((None, target.strip()) for target in _PARALLEL_SPLIT.split(part) if target.strip())
    return out


def _from_steps(power: Power) -> ProcessGraph:
    graph = nx.DiGraph()
    problems: list[tuple[str, Step | None, dict]] = []
    ids = {}
    for step in power.steps:
        if step.step_id in ids:
            problems.append(("process-duplicate-step", step, {"step": step.step_id}))
            continue
        ids[step.step_id] = step
        kind = _KINDS.get((step.kind or "").strip(), TASK)
        graph.add_node(step.step_id, name=step.name, kind=kind, post=step.post, limit=step.limit,
                       control=step.control, disclosure=step.disclosure, step=step)
    for step in ids.values():
        for label, target in parse_next(step.next):
            if target not in ids:
                problems.append(("process-unknown-next", step, {"step": step.step_id, "target": target}))
                continue
            if graph.has_edge(step.step_id, target):  # two branches to one step: one edge, both labels
                labels = [graph.edges[step.step_id, target]["label"], label]
                label = "／".join(dict.fromkeys(x for x in labels if x)) or None
            graph.add_edge(step.step_id, target, label=label)
    graph.graph.update(source="steps")
    return ProcessGraph(power, graph, "steps", problems)


def duty_stages(duty: str | None) -> list[tuple[str, str]]:
    """(stage name, its text) from a 责任事项 cell, in order: [('受理', '…'), ('审查', '…')]."""
    if not duty:
        return []
    marks = list(_STAGE.finditer(duty))
    stages = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(duty)
        name = re.sub(r"\s+", "", mark.group("name"))
        stages.append((name, duty[mark.end():end].strip()))
    return stages


def _from_stages(power: Power, stages: list[tuple[str, str]]) -> ProcessGraph:
    graph = nx.DiGraph()
    graph.add_node("s", name="开始", kind=START)
    previous = "s"
    for index, (name, _text) in enumerate(stages, start=1):
        node = f"d{index}"
        graph.add_node(node, name=name, kind=TASK, post=power.office)
        graph.add_edge(previous, node)
        previous = node
    graph.add_node("e", name="办结", kind=END)
    graph.add_edge(previous, "e")
    graph.graph.update(source="duty")
    return ProcessGraph(power, graph, "duty", [])
