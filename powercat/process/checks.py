"""Checks on a process graph: shape (start, end, reachability, decisions, cycles), the
summed step limits against the power's limit, and steps that could run in parallel."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import networkx as nx

from ..model import Category, Step
from ..timing import parse_limit, to_workdays
from .graph import DECISION, END, START, TASK, ProcessGraph

_REWORK = re.compile(r"补正|补齐|补充材料|退回修改|整改后")
# 行政许可法 Art. 45: hearing, auction, testing, appraisal and expert review time does not
# count; nor does the applicant's own time (补正).
_NOT_COUNTED_LICENSING = re.compile(r"听证|招标|拍卖|检验|检测|检疫|鉴定|专家评审|补正")
_REVIEWISH = re.compile(r"核查|审查|审核|评审|勘验|勘察|检测|检验|鉴定|征求意见|会审|论证|踏勘")

Problem = tuple[str, Step | None, dict]


def check_graph(process: ProcessGraph, as_of: dt.date) -> Iterator[Problem]:
    yield from process.problems
    graph = process.graph
    if graph.number_of_nodes() == 0:
        return
    starts = [n for n, d in graph.nodes(data=True) if d["kind"] == START]
    ends = [n for n, d in graph.nodes(data=True) if d["kind"] == END]
    if not starts:
        yield "process-no-start", None, {}
    if not ends:
        yield "process-no-end", None, {}
    if starts:
        reachable = set(starts)
        for start in starts:
            reachable |= nx.descendants(graph, start)
        for node in _ordered(graph):
            if node not in reachable:
                yield "process-unreachable", _step(graph, node), _named(graph, node)
    for node in _ordered(graph):
        data = graph.nodes[node]
        if data["kind"] != END and graph.out_degree(node) == 0:
            yield "process-dead-end", _step(graph, node), _named(graph, node)
        if data["kind"] == DECISION:
            labelled = [t for t in graph.successors(node) if graph.edges[node, t].get("label")]
            if len(labelled) < 2:
                yield "process-decision-exits", _step(graph, node), {**_named(graph, node), "count": len(labelled)}
    yield from _cycles(graph)
    if process.source == "steps":
        yield from _over_limit(process, as_of)
        yield from _parallel(process, as_of)


def _cycles(graph: nx.DiGraph, limit: int = 5):
    """Cycles that avoid every 补正 step. Linear in the graph: with the rework steps taken
    out, each remaining strongly connected component with a cycle yields one example
    (never an enumeration of all simple cycles, which is exponential)."""
    rest = graph.subgraph(n for n in graph.nodes if not _REWORK.search(graph.nodes[n]["name"] or ""))
    found = 0
    components = sorted((sorted(c, key=str) for c in nx.strongly_connected_components(rest)), key=lambda c: str(c[0]))
    for component in components:
        if found == limit:
            return
        if len(component) == 1 and not rest.has_edge(component[0], component[0]):
            continue
        edges = nx.find_cycle(rest.subgraph(component), source=component[0])
        cycle = [a for a, _b in edges]
        names = " → ".join(graph.nodes[n]["name"] or str(n) for n in cycle + cycle[:1])
        found += 1
        yield "process-cycle", _step(graph, cycle[0]), {"cycle": names}


def _ordered(graph: nx.DiGraph) -> list:
    return sorted(graph.nodes, key=lambda n: (len(str(n)), str(n)))


def _step(graph: nx.DiGraph, node) -> Step | None:
    return graph.nodes[node].get("step")


def _named(graph: nx.DiGraph, node) -> dict:
    return {"step": node, "name": graph.nodes[node].get("name") or ""}


def step_days(data: dict, as_of: dt.date, category: str | None) -> float:
    limit = parse_limit(data.get("limit"))
    return to_workdays(limit.longest, as_of, category) if limit else 0.0


def _counted(data: dict, licensing: bool) -> bool:
    """Whether a step's time counts against the power's limit."""
    if "申请人" in (data.get("post") or ""):
        return False
    return not (licensing and _NOT_COUNTED_LICENSING.search(data.get("name") or ""))


def longest_path(process: ProcessGraph, as_of: dt.date) -> tuple[float, list]:
    """The path with the largest summed step limits (working days), rework loops set aside.
    It ends at an end step; for a 行政处罚 at the decision (处罚法 Art. 60 runs from 立案
    to 决定)."""
    graph = process.graph
    category = process.power.category
    licensing = category == Category.LICENSING.value
    dag = nx.DiGraph(graph)
    for a, b in list(dag.edges):
        if _REWORK.search(graph.nodes[a]["name"] or "") and not nx.is_directed_acyclic_graph(dag):
            dag.remove_edge(a, b)
    if not nx.is_directed_acyclic_graph(dag):
        return 0.0, []
    weight = {n: step_days(graph.nodes[n], as_of, category) if _counted(graph.nodes[n], licensing) else 0.0
              for n in dag.nodes}
    best: dict = {}
    for node in nx.topological_sort(dag):
        preds = [best[p] for p in dag.predecessors(node) if p in best]
        base = max(preds, key=lambda x: x[0]) if preds else (0.0, [])
        best[node] = (base[0] + weight[node], base[1] + [node])
    if category == Category.PENALTY.value:
        targets = [n for n, d in graph.nodes(data=True) if "决定" in (d["name"] or "") and n in best]
    else:
        targets = []
    targets = targets or [n for n, d in graph.nodes(data=True) if d["kind"] == END and n in best]
    if not targets:
        return 0.0, []
    return max((best[n] for n in targets), key=lambda x: x[0])


def _over_limit(process: ProcessGraph, as_of: dt.date) -> Iterator[Problem]:
    power = process.power
    for field, which in (("promised_limit", "承诺时限"), ("statutory_limit", "法定时限")):
        limit = parse_limit(getattr(power, field))
        if limit is None:
            continue
        allowed = to_workdays(limit.longest, as_of, power.category)
        total, path = longest_path(process, as_of)
        if total > allowed + 1e-9:
            names = " → ".join(process.graph.nodes[n]["name"] for n in path)
            yield "process-over-limit", None, {"total": total, "path": names, "which": which, "limit": str(limit.longest)}
        return


def _parallel(process: ProcessGraph, as_of: dt.date) -> Iterator[Problem]:
    graph = process.graph
    category = process.power.category
    for a in _ordered(graph):
        successors = list(graph.successors(a))
        if len(successors) != 1:
            continue
        b = successors[0]
        da, db = graph.nodes[a], graph.nodes[b]
        if graph.in_degree(b) != 1 or da["kind"] != TASK or db["kind"] != TASK:
            continue
        if not (da.get("post") and db.get("post")) or da["post"] == db["post"]:
            continue
        if not (_REVIEWISH.search(da["name"] or "") and _REVIEWISH.search(db["name"] or "")):
            continue
        days = min(step_days(da, as_of, category), step_days(db, as_of, category))
        if days > 0:
            yield "process-parallel", _step(graph, a), {"a": da["name"], "b": db["name"], "post_a": da["post"],
                                                       "post_b": db["post"], "days": days}
