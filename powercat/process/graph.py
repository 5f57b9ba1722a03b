"""Building a power's process graph.

Node attributes: `name`, `kind` (start / task / decision / end), `post`, `limit`,
`control` (supervision), `disclosure`, and `step` (the 运行流程 Step, for explicit steps).
Edge attributes: `label` (a decision's branch, e.g. 准予许可).
Graph attributes: `source` (steps / duty / law / template), `title`, `basis_note`; for a written
procedure, `field` (duty / procedure: the cell its stages were read from); for the procedure
derived from the cited articles, `basis` (the laws and articles it follows).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Power, Step
from .law_procedure import law_graph
from .light_graph import LightDiGraph
from .stages import FIELD_ZH, WrittenProcedure, read_procedure, written_procedure
from .templates import template_flow

if TYPE_CHECKING:
    import networkx as nx

START, TASK, DECISION, END = "start", "task", "decision", "end"
_KINDS = {"开始": START, "办理": TASK, "判断": DECISION, "结束": END, "决策": DECISION, "终止": END}
_BRANCH = re.compile(r"^\s*(?P<label>[^:：]+?)\s*[:：]\s*(?P<target>[^:：]+?)\s*$")
_NEXT_SPLIT = re.compile(r"[；;]|\n")
_PARALLEL_SPLIT = re.compile(r"[,，、/]")


class ProcessGraph:
    """A power's procedure. `graph` is the networkx DiGraph (for the checks' and conformance's
    graph algorithms), made on first use from the graph as built; `flow` is the graph as built
    (a LightDiGraph, or the networkx graph once made or given), what a chart is drawn from."""

    def __init__(self, power: Power, graph: nx.DiGraph | LightDiGraph, source: str,
                 problems: list[tuple[str, Step | None, dict]]):
        self.power = power
        self._graph = graph
        self.source = source  # steps / duty / law / template
        self.problems = problems  # (rule code, step, values) found while building

    @property
    def graph(self) -> nx.DiGraph:
        if isinstance(self._graph, LightDiGraph):
            self._graph = self._graph.to_networkx()  # from now on drawn from it too (it may be changed)
        return self._graph

    @property
    def flow(self) -> nx.DiGraph | LightDiGraph:
        return self._graph

    def __repr__(self) -> str:
        return f"ProcessGraph({self.power.title!r}, {self.source!r}, {self.flow.number_of_nodes()} nodes)"

    @property
    def source_zh(self) -> str:
        """What the chart's 流程来源 line says: which of the list's own texts the drawing
        comes from, or that it is the category's generic procedure."""
        if self.source == "duty":
            field = FIELD_ZH.get(self.flow.graph.get("field", "duty"), "责任事项")
            stages = sum(1 for _n, data in self.flow.nodes(data=True) if data.get("kind") == TASK)
            return f"清单所列{field}（{stages} 个阶段）"
        if self.source == "law":
            return f"依{'、'.join(self.flow.graph.get('basis') or ())}等法定程序"
        return {"steps": "单位填报的运行流程", "template": "法定程序通用流程"}.get(self.source, self.source)


def build_graph(power: Power) -> ProcessGraph:
    """The unit's own 运行流程 steps; else the stages its 办理流程 or 责任事项 cell writes;
    else its category's statutory procedure as the articles it cites specialise it; else the
    bare statutory procedure of its category."""
    if power.steps:
        return _from_steps(power)
    written = written_procedure(power)
    if written is not None:
        return _from_written(power, written)
    derived = law_graph(power)
    if derived is not None:
        return ProcessGraph(power, derived[0], "law", [])
    graph = template_flow(power.category)
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
    graph = LightDiGraph()
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
    """(stage name, its text) of a procedure written in a 责任事项 cell, in order:
    [('受理', '…'), ('审查', '…')]; [] when the cell lists duties or writes no procedure."""
    return [(stage.name, stage.text) for stage in read_procedure(duty).stages]


# how much of a stage's text its note on the chart shows: the list holds it whole
NOTE_CHARS = 60


def _from_written(power: Power, written: WrittenProcedure) -> ProcessGraph:
    """A chain 开始 → the stages in the cell's order → 办结. The 开始 and 办结 boxes are drawn,
    not done (cases/conformance.py treats them as silent). Each stage keeps its Step, placed
    at the cell it was read from, and its text as the note of duties at that stage."""
    graph = LightDiGraph()
    graph.add_node("s", name="开始", kind=START)
    previous = "s"
    width = len(str(len(written.steps)))
    for step in written.steps:
        node = f"d{int(step.step_id):0{width}d}"  # d01 … d12: ids sort in the stages' order
        graph.add_node(node, name=step.name, kind=TASK, post=step.post, limit=step.limit, control=None,
                       disclosure=None, duty=_note(step.control), step=step)
        graph.add_edge(previous, node)
        previous = node
    graph.add_node("e", name="办结", kind=END)
    graph.add_edge(previous, "e")
    graph.graph.update(source="duty", field=written.field)
    return ProcessGraph(power, graph, "duty", [])


def _note(text: str | None) -> str | None:
    """The stage's text, cut at a sentence end within NOTE_CHARS where one is, marked … when cut."""
    if not text:
        return None
    flat = re.sub(r"\s+", "", text)
    if len(flat) <= NOTE_CHARS:
        return flat
    head = flat[:NOTE_CHARS]
    cut = max(head.rfind(mark) for mark in "。；;")
    return (head[:cut + 1] if cut >= NOTE_CHARS // 2 else head) + "…"
