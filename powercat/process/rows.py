"""A drawn procedure written back as 运行流程 rows: what `template --from` pre-fills for the
officer to correct. Read back (ingest/steps.py → graph._from_steps), the rows draw the same
boxes, kinds, posts, limits, 监督/公开 notes and labelled branches as the graph they came from."""

from __future__ import annotations

import re

from .graph import DECISION, END, START, ProcessGraph

KIND_ZH = {START: "开始", DECISION: "判断", END: "结束"}  # anything else is 办理
# parse_next splits on these: a branch label keeps its words, never the separators
_SEPARATORS = re.compile(r"[:：;；,，、/\n]+")


def step_rows(process: ProcessGraph) -> list[dict[str, str | None]]:
    """One row per box of the chart, numbered 1… in the drawing's order; `next` names the
    following boxes, a branch as `label:target` (`准予许可:9；不予许可:10`)."""
    graph = process.graph
    number = {node: str(i) for i, node in enumerate(graph.nodes, start=1)}
    rows = []
    for node, data in graph.nodes(data=True):
        targets = []
        for _source, target, edge in graph.out_edges(node, data=True):
            label = _SEPARATORS.sub(" ", edge.get("label") or "").strip()
            targets.append(f"{label}:{number[target]}" if label else number[target])
        rows.append({
            "code": process.power.code, "power_name": process.power.name, "power_sub_name": process.power.sub_name,
            "step_id": number[node], "name": data.get("name") or "", "kind": KIND_ZH.get(data.get("kind"), "办理"),
            "post": data.get("post"), "limit": data.get("limit"),
            "next": "；".join(targets) or None,
            # a written stage's duties stay in 责任事项 (职权目录): 监督制约 is not the same thing
            "control": data.get("control"), "disclosure": data.get("disclosure"),
        })
    return rows
