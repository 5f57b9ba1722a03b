"""A power's process graph as a workflow net, and replaying a case's steps on it.

The graph (`process.graph.build_graph`: the unit's 运行流程, its 责任事项 stages, or the
category's statutory procedure) becomes a Petri net, the form process-mining tools
(PM4Py) replay logs on, so both check the same process:

- each step is a transition labelled with its name; a 判断 step named "是否…" is silent;
- a 判断 step (or a step whose exits are labelled) chooses one exit: an XOR split, made
  with one silent transition per exit;
- a step with several unlabelled exits starts them all (并联, an AND split); they join at
  the first step all of them reach, which waits for every branch;
- the start step holds the initial token; end steps put the final token;
- the chart's own 开始 and 结束 boxes are optional steps: a case may record them or not.

Replay keeps the set of markings the steps so far can lead to (silent transitions fired as
needed), so it is exact on choices and parallel branches. Transitions from a set of
markings are memoised per process: a million events cost a million dictionary look-ups.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx

from ..ingest.text import squeeze
from ..process.graph import DECISION, END, START, build_graph
from .memo import remember

Marking = tuple[tuple[str, int], ...]  # sorted (place, tokens)
_PARTS = re.compile(r"[、，,；;／/（）()及和与并]+")
_MAX_MARKINGS = 64


@dataclass
class Transition:
    name: str
    label: str | None  # None: silent
    consumes: tuple[str, ...]
    produces: tuple[str, ...]
    node: str | None = None  # the graph node it stands for (None for an XOR choice)


@dataclass
class Net:
    transitions: list[Transition]
    initial: Marking
    final: Marking
    labels: dict[str, str]  # label → graph node
    graph: nx.DiGraph
    optional: frozenset = frozenset()  # labels of the chart's 开始/结束 boxes: matched when recorded, never expected
    _match: dict[str, str | None] = field(default_factory=dict)
    _step: dict = field(default_factory=dict)
    _closure: dict = field(default_factory=dict)
    _by_label: dict = field(default_factory=dict)
    _silent: list = field(default_factory=list)
    _expected: dict = field(default_factory=dict)
    _replays: dict = field(default_factory=dict)

    def __post_init__(self):
        self.roles = {label: role(label) for label in self.labels}
        for t in self.transitions:
            if t.label is None:
                self._silent.append(t)
            else:
                self._by_label.setdefault(t.label, []).append(t)

    # -- names ---------------------------------------------------------------------------
    def match(self, step: str) -> str | None:
        """The step's label in this process, or None when the process has no such step.
        Exact name first, then one name containing the other, then a listed part
        (`制证、送达` answers `送达`)."""
        if step in self._match:
            return self._match[step]
        found = None
        key = squeeze(step)
        if key in self.labels:
            found = key
        else:
            candidates = [label for label in self.labels if key in label or label in key]
            if not candidates:
                candidates = [label for label in self.labels if key in _PARTS.split(label)]
            if candidates:
                found = min(candidates, key=lambda label: (abs(len(label) - len(key)), label))
        self._match[step] = found
        return found

    # -- replay --------------------------------------------------------------------------
    def closure(self, markings: frozenset) -> frozenset:
        cached = self._closure.get(markings)
        if cached is not None:
            return cached
        seen = set(markings)
        queue = deque(markings)
        while queue and len(seen) < _MAX_MARKINGS:
            marking = queue.popleft()
            for t in self._silent:
                fired = _fire(marking, t)
                if fired is not None and fired not in seen:
                    seen.add(fired)
                    queue.append(fired)
        result = frozenset(seen)
        self._closure[markings] = result
        return result

    def step(self, markings: frozenset, label: str) -> frozenset:
        key = (markings, label)
        cached = self._step.get(key)
        if cached is not None:
            return cached
        out = set()
        for marking in self.closure(markings):
            for t in self._by_label.get(label, ()):
                fired = _fire(marking, t)
                if fired is not None:
                    out.add(fired)
        result = frozenset(out)
        self._step[key] = result
        return result

    def start(self) -> frozenset:
        return frozenset((self.initial,))

    def can_finish(self, markings: frozenset) -> bool:
        return self.final in self.closure(markings)

    def expected(self, markings: frozenset) -> list[str]:
        """The steps that may come next (for messages)."""
        cached = self._expected.get(markings)
        if cached is not None:
            return cached
        reachable = self.closure(markings)
        # in the process's own order, whatever the order of the set of markings
        labels = [label for label, ts in self._by_label.items() if label not in self.optional
                  and any(_fire(marking, t) is not None for marking in reachable for t in ts)]
        self._expected[markings] = labels
        return labels


# -- what a step does in the procedure ------------------------------------------------------

@lru_cache(maxsize=4096)
def role(label: str | None) -> str | None:
    if not label:
        return None
    if "法制审核" in label:
        return "review"
    if label.startswith("告知") or "事先告知" in label or label.startswith("告知拟"):
        return "notice"
    if "听证" in label and not label.startswith("是否"):
        return "hearing"
    if any(w in label for w in ("送达", "制证", "发证", "颁发", "交付")) or (label.startswith("书面") and "理由" in label):
        return "service"  # a refusal is served as a written decision with its reasons
    if "不予" not in label and "书面" not in label and (label.startswith("决定") or label.endswith("决定")):
        return "decision"
    if label.startswith(("受理", "立案")):
        return "accept"
    return None



def _fire(marking: Marking, t: Transition) -> Marking | None:
    tokens = dict(marking)
    for place in t.consumes:
        count = tokens.get(place, 0)
        if count <= 0:
            return None
        if count == 1:
            del tokens[place]
        else:
            tokens[place] = count - 1
    for place in t.produces:
        tokens[place] = tokens.get(place, 0) + 1
    return tuple(sorted(tokens.items()))


def is_silent(name: str) -> bool:
    return name.startswith("是否")


def net_for(power) -> Net:
    """The power's workflow net. Powers whose charts are the same (a catalogue's powers of
    one kind often follow one written procedure) share one Net, so they share its replays
    and plans (variants.plan_of): the chart as a whole, in its order, is the key, so only
    identical charts meet."""
    graph = build_graph(power).graph
    key = repr((list(graph.nodes(data=True)), list(graph.edges(data=True)), graph.graph))
    net = _NETS.get(key)
    if net is None:
        net = remember(_NETS, key, net_from_graph(graph), _NETS_KEPT)
    return net


_NETS: dict = {}
_NETS_KEPT = 4096


def net_from_graph(graph: nx.DiGraph) -> Net:
    label_of: dict[str, str | None] = {}
    # boxes a register may or may not record: the chart's own 开始 and 结束 (and the 开始 and 办结
    # a written procedure's chart adds): a case that records them fits, and so does one that does not
    synthetic = graph.graph.get("source") == "duty"
    optional: set[str] = set()
    for node, data in graph.nodes(data=True):
        name = squeeze(str(data.get("name") or node))
        if name in ("开始", "结束") or (synthetic and data.get("kind") in (START, END)):
            optional.add(node)
        silent = data.get("kind") == DECISION and is_silent(name)
        label_of[node] = None if silent else name
    and_split = {
        node for node in graph.nodes
        if graph.nodes[node].get("kind") != DECISION and graph.out_degree(node) > 1
        and not any(graph.edges[node, v].get("label") for v in graph.successors(node))
    }
    and_join: set[str] = set()
    for split in and_split:
        branches = list(graph.successors(split))
        reach = [nx.descendants(graph, b) | {b} for b in branches]
        common = set.intersection(*reach)
        if common:
            distance = nx.single_source_shortest_path_length(graph, split)
            and_join.add(min(common, key=lambda n: (distance.get(n, 1 << 30), str(n))))

    def into(u: str, v: str) -> str:
        return f"p:{u}>{v}" if v in and_join else f"p:{v}"

    transitions: list[Transition] = []
    final = "p:final"
    for node in graph.nodes:
        consumes = tuple(into(u, node) for u in graph.predecessors(node)) if node in and_join else (f"p:{node}",)
        successors = list(graph.successors(node))
        kind = graph.nodes[node].get("kind")
        if kind == END or not successors:
            produces: tuple[str, ...] = (final,)
        elif node in and_split or len(successors) == 1:
            produces = tuple(into(node, v) for v in successors)
        else:
            produces = (f"q:{node}",)
            for v in successors:
                transitions.append(Transition(f"xor:{node}>{v}", None, (f"q:{node}",), (into(node, v),)))
        transitions.append(Transition(f"t:{node}", label_of[node], consumes, produces, node))
        if node in optional and label_of[node] is not None:
            transitions.append(Transition(f"skip:{node}", None, consumes, produces, node))
    starts = [n for n, d in graph.nodes(data=True) if d.get("kind") == START] or \
        [n for n in graph.nodes if graph.in_degree(n) == 0] or list(graph.nodes)[:1]
    initial = ((f"p:{starts[0]}", 1),) if starts else ()
    labels = {label: node for node, label in label_of.items() if label}
    return Net(transitions, initial, ((final, 1),), labels, graph,
               frozenset(label_of[n] for n in optional if label_of[n]))


@dataclass(frozen=True)
class Replay:
    fit: bool  # every step known, in an order the process allows, and the process completed
    unknown: tuple[int, ...]  # indexes of events whose step the process does not have
    deviation: int | None  # index of the first event the process does not allow there
    expected: tuple[str, ...]  # what the process allowed at the deviation (or at the end)
    completed: bool
    labels: tuple[str | None, ...]


_REPLAYS_KEPT = 2048  # per power: most cases of a power follow a few dozen variants


def replay(net: Net, steps: list[str]) -> Replay:
    """The verdict for one case's steps; memoised per variant (sequence of steps), as
    process-mining tools do, in a bounded table so memory stays flat."""
    key = tuple(steps)
    cached = net._replays.get(key)
    if cached is None:
        cached = remember(net._replays, key, _replay(net, steps), _REPLAYS_KEPT)
    return cached


def _replay(net: Net, steps: list[str]) -> Replay:
    markings = net.start()
    unknown, labels = [], []
    deviation, expected = None, []
    for index, step in enumerate(steps):
        label = net.match(step)
        labels.append(label)
        if label is None:
            unknown.append(index)
            continue
        if deviation is not None:
            continue
        after = net.step(markings, label)
        if not after:
            deviation, expected = index, net.expected(markings)
            continue
        markings = after
    completed = deviation is None and net.can_finish(markings)
    if deviation is None and not completed:
        expected = net.expected(markings)
    return Replay(completed and not unknown, tuple(unknown), deviation, tuple(expected), completed, tuple(labels))


def random_run(net: Net, rng, max_steps: int = 40, rare: tuple[str, ...] = ("不予", "补正", "书面告知")) -> list[str] | None:
    """A run the process allows, chosen at random (for sample registers and benchmarks):
    new steps preferred over repeats, branches named in `rare` seldom taken."""
    markings = net.start()
    labels: list[str] = []
    while True:
        if net.can_finish(markings) and not net.expected(markings):
            return labels
        options = net.expected(markings)
        if not options or len(labels) >= max_steps:
            return None
        weights = [(0.15 if label in labels else 1.0) * (0.08 if any(w in label for w in rare) else 1.0)
                   for label in options]
        label = rng.choices(options, weights)[0]
        markings = net.step(markings, label)
        labels.append(label)
