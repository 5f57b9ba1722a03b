"""Each power's procedure as a directed graph (networkx's when an algorithm needs it, see
light_graph): from its explicit 运行流程 steps, else the stages of its 责任事项 text, else its
category's statutory procedure."""

from .graph import ProcessGraph, build_graph

__all__ = ["ProcessGraph", "build_graph"]
