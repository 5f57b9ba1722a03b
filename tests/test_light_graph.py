"""LightDiGraph: the graph networkx would build by the same calls, order included."""

import networkx as nx

from powercat.process import build_graph
from powercat.process.light_graph import LightDiGraph
from powercat.process.templates import template_flow, template_for


def _calls(graph):
    graph.graph.update(source="law")
    graph.add_node(2.0, name="受理", kind="task")
    graph.add_node(1.0, name="申请", kind="start")
    graph.add_edge(1.0, 2.0, label=None)
    graph.add_edge(2.0, 3.0, label="准予")  # adds node 3.0
    graph.add_edge(1.0, 3.0)
    graph.add_node(2.0, post="窗口")  # updates in place, keeps its position
    graph.add_edge(2.0, 3.0, label="改")
    graph.remove_edge(1.0, 2.0)
    graph.add_edge(1.0, 2.0, label="again")  # re-added: now after 1.0 → 3.0
    graph.add_edge(4.0, 2.0)
    graph.remove_node(3.0)
    graph.add_edge(2.0, 3.0)  # 3.0 back, at the end
    graph.remove_nodes_from([5.0, 4.0])
    graph.nodes[1.0]["control"] = "note"
    return graph


def _shape(graph):
    return (dict(graph.graph), list(graph.nodes(data=True)), list(graph.edges(data=True)),
            [(n, list(graph.pred[n])) for n in graph], [(n, list(graph.succ[n])) for n in graph])


def test_same_graph_as_networkx_by_the_same_calls():
    light, real = _calls(LightDiGraph()), _calls(nx.DiGraph())
    assert _shape(light.to_networkx()) == _shape(real)
    assert list(light.edges) == list(real.edges) and list(light.nodes) == list(real.nodes)
    assert [light.out_degree(n) for n in light.nodes] == [real.out_degree(n) for n in real.nodes]
    assert light.has_edge(2.0, 3.0) and not light.has_edge(3.0, 2.0)
    assert light.edges[1.0, 2.0] == real.edges[1.0, 2.0] == {"label": "again"}


def test_process_graph_converts_once_and_draws_from_the_networkx_graph_after(tmp_path):
    from powercat.model import Power, Source

    power = Power(Source(str(tmp_path / "x.xlsx"), "s", 2), "对违法行为的处罚", "行政处罚")
    process = build_graph(power)
    assert isinstance(process.flow, LightDiGraph)
    graph = process.graph
    assert isinstance(graph, nx.DiGraph) and process.graph is graph and process.flow is graph
    assert _shape(template_for("行政许可")) == _shape(template_flow("行政许可").to_networkx())


def test_a_copy_is_the_same_graph_and_its_own():
    light = _calls(LightDiGraph())
    copy = light.copy()
    assert _shape(copy.to_networkx()) == _shape(light.to_networkx())
    copy.nodes[1.0]["name"] = "changed"
    copy.edges[1.0, 2.0]["label"] = "changed"
    copy.add_edge(2.0, 1.0)
    assert light.nodes[1.0]["name"] == "申请" and light.edges[1.0, 2.0]["label"] == "again"
    assert not light.has_edge(2.0, 1.0)
