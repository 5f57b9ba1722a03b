"""A process graph as it is built: the few `networkx.DiGraph` operations the builders and the
renderer use, on plain dicts, and the networkx graph made from it only when asked for.

Drawing a chart needs no graph algorithm: importing networkx and building its graphs was a
fifth of the chart path's own time. Checks and case conformance do use networkx's algorithms;
they read `ProcessGraph.graph`, which converts. The conversion gives the graph networkx would
have built by the same calls: nodes, successors and predecessors in the same order, the same
attribute dicts (`to_networkx`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx


class _Nodes(dict):
    """node → its attributes, in the order added; `nodes(data=True)` as networkx's view."""

    def __call__(self, data: bool = False):
        return iter(self.items()) if data else iter(self)


class _Edges:
    """(u, v) in networkx's order (by u as added, then v as added to u); `edges[u, v]` → data."""

    def __init__(self, succ: dict[Hashable, dict[Hashable, dict]]):
        self._succ = succ

    def __iter__(self) -> Iterator[tuple[Hashable, Hashable]]:
        return ((u, v) for u, targets in self._succ.items() for v in targets)

    def __len__(self) -> int:
        return sum(len(targets) for targets in self._succ.values())

    def __contains__(self, edge) -> bool:
        u, v = edge
        return u in self._succ and v in self._succ[u]

    def __getitem__(self, edge) -> dict:
        u, v = edge
        return self._succ[u][v]

    def __call__(self, data: bool = False):
        if not data:
            return iter(self)
        return ((u, v, attrs) for u, targets in self._succ.items() for v, attrs in targets.items())


class LightDiGraph:
    """A directed graph with node and edge attributes, networkx's semantics for what it has:
    adding an existing node or edge updates its attributes in place; adding an edge adds its
    missing nodes (u, then v); removing a node removes its edges."""

    def __init__(self, **attrs: Any):
        self.graph: dict[str, Any] = dict(attrs)
        self.nodes = _Nodes()
        self._succ: dict[Hashable, dict[Hashable, dict]] = {}
        # every edge in the order added (a removed and re-added edge goes to the end): what
        # networkx's predecessor order follows, replayed by to_networkx
        self._added: dict[tuple[Hashable, Hashable], dict] = {}
        self.edges = _Edges(self._succ)

    @property
    def adj(self) -> dict[Hashable, dict[Hashable, dict]]:
        return self._succ

    def add_node(self, node: Hashable, **attrs: Any) -> None:
        if node not in self.nodes:
            self.nodes[node] = {}
            self._succ[node] = {}
        self.nodes[node].update(attrs)

    def add_edge(self, u: Hashable, v: Hashable, **attrs: Any) -> None:
        for node in (u, v):
            if node not in self.nodes:
                self.add_node(node)
        data = self._succ[u].get(v)
        if data is None:
            data = self._succ[u][v] = self._added[u, v] = {}
        data.update(attrs)

    def has_edge(self, u: Hashable, v: Hashable) -> bool:
        return u in self._succ and v in self._succ[u]

    def remove_edge(self, u: Hashable, v: Hashable) -> None:
        del self._succ[u][v]
        del self._added[u, v]

    def remove_node(self, node: Hashable) -> None:
        del self.nodes[node]
        del self._succ[node]
        for targets in self._succ.values():
            targets.pop(node, None)
        for edge in [e for e in self._added if node in e]:
            del self._added[edge]

    def remove_nodes_from(self, nodes: Iterable[Hashable]) -> None:
        for node in nodes:
            if node in self.nodes:
                self.remove_node(node)

    def out_degree(self, node: Hashable) -> int:
        return len(self._succ[node])

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def copy(self) -> LightDiGraph:
        """A graph of its own (attribute dicts copied), as the same calls would build it."""
        new = LightDiGraph(**self.graph)
        new.nodes.update((node, dict(attrs)) for node, attrs in self.nodes.items())
        new._succ.update((node, {}) for node in self.nodes)
        for (u, v), attrs in self._added.items():  # each successor list in the order added, as here
            new._succ[u][v] = new._added[u, v] = dict(attrs)
        return new

    def to_networkx(self) -> nx.DiGraph:
        """The networkx graph the same calls would have built."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.graph.update(self.graph)
        graph.add_nodes_from(self.nodes.items())
        graph.add_edges_from((u, v, data) for (u, v), data in self._added.items())
        return graph
