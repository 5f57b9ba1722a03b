"""A process graph as DOT source, in the shapes of GB/T 1526 (ISO 5807).

开始/结束 are rounded boxes, 办理 steps boxes, 判断 diamonds; supervision (监督制约) and
disclosure (公开) are side notes beside their step. A header gives the power's name, code,
category, agency, legal basis in short and its limits; a footer gives the counterpart's
rights and the complaint channel. Every label is an HTML-like label built from escaped
text, so quotes, `<>`, braces, backslashes and line breaks print as written. Output is
deterministic: nodes and edges in a fixed order, no timestamps.
"""

from __future__ import annotations

import html
import re

from ..law.citation import parse
from ..law.registry import default_registry
from ..model import Category, Power
from ..process.graph import DECISION, END, START, ProcessGraph

FONT = "Noto Sans CJK SC"
_FONT_LIST = f"{FONT},Noto Sans CJK,Source Han Sans SC,WenQuanYi Micro Hei,sans-serif"

_DEFAULT_RIGHTS = {
    Category.LICENSING.value: "申请人享有陈述、申辩权；依法要求听证；对决定不服的，可自知道之日起60日内申请行政复议或6个月内提起行政诉讼",
    Category.PENALTY.value: "当事人享有陈述、申辩权；符合条件的可要求听证；可自知道之日起60日内申请行政复议或6个月内提起行政诉讼",
    Category.COERCION.value: "当事人享有陈述、申辩权；可依法申请行政复议或提起行政诉讼；因违法实施强制受到损害的有权依法要求赔偿",
}
_GENERIC_RIGHTS = "相对人享有陈述、申辩权；对决定不服的，可依法申请行政复议或提起行政诉讼"
_STYLE = {
    START: 'shape=box style="rounded,filled" fillcolor="#e2efda" color="#548235"',
    END: 'shape=box style="rounded,filled" fillcolor="#e2efda" color="#548235"',
    DECISION: 'shape=diamond style=filled fillcolor="#fff2cc" color="#bf9000" margin="0.02,0.02"',
}
_TASK_STYLE = 'shape=box style=filled fillcolor="#ffffff" color="#2f5597"'


def esc(text: object) -> str:
    """Text for an HTML-like label: entities escaped, line breaks as <BR/>."""
    escaped = html.escape(str(text), quote=True)
    return "<BR/>".join(escaped.splitlines()) if "\n" in escaped or "\r" in escaped else escaped


def wrap(text: str, width: int) -> str:
    """Hard-wraps text at `width` display units (CJK count two), keeping existing breaks."""
    lines = []
    for paragraph in str(text).splitlines() or [""]:
        line, used = "", 0
        for ch in paragraph:
            w = 2 if ord(ch) > 0x2E80 else 1
            if used + w > width and line:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += w
        lines.append(line)
    return "\n".join(lines)


def _quote_id(node) -> str:
    return '"' + str(node).replace("\\", "\\\\").replace('"', '\\"') + '"'


def basis_summary(power: Power, limit: int = 90) -> str:
    """The legal basis in short: 《short title》第X条, … (from the citation parser)."""
    if not power.basis:
        return "（未填写）"
    registry = default_registry()
    parts = []
    for citation in parse(power.basis):
        if not citation.title:
            continue
        law = registry.find(citation.title)
        title = (law.latest.short_title or law.title) if law else citation.title
        labels = "、".join(dict.fromkeys(a.label for a in citation.articles[:4]))
        more = "等" if len(citation.articles) > 4 else ""
        parts.append(f"《{title}》{labels}{more}")
    text = "；".join(dict.fromkeys(parts)) or re.sub(r"\s+", " ", power.basis)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _header(process: ProcessGraph, agency: str | None) -> str:
    p = process.power
    rows = [
        f'<TR><TD COLSPAN="4" BORDER="0"><FONT POINT-SIZE="17"><B>{esc(wrap(p.title, 60))}</B></FONT></TD></TR>',
        "<TR>"
        f'<TD ALIGN="LEFT">职权编码：{esc(p.code or "—")}</TD><TD ALIGN="LEFT">职权类别：{esc(p.category)}</TD>'
        f'<TD ALIGN="LEFT" COLSPAN="2">实施主体：{esc(wrap(p.agency or agency or "—", 44))}</TD></TR>',
        "<TR>"
        f'<TD ALIGN="LEFT">法定时限：{esc(p.statutory_limit or "—")}</TD>'
        f'<TD ALIGN="LEFT">承诺时限：{esc(p.promised_limit or "—")}</TD>'
        f'<TD ALIGN="LEFT" COLSPAN="2">承办机构：{esc(wrap(p.office or "—", 44))}</TD></TR>',
        f'<TR><TD ALIGN="LEFT" COLSPAN="4" BALIGN="LEFT">实施依据：{esc(wrap(basis_summary(p), 96))}</TD></TR>',
        f'<TR><TD ALIGN="LEFT" COLSPAN="4" BORDER="0"><FONT POINT-SIZE="9" COLOR="#595959">'
        f"流程来源：{esc(process.source_zh)}</FONT></TD></TR>",
    ]
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#8faadc">' + "".join(rows) + "</TABLE>>"


def _footer(process: ProcessGraph, phone: str | None) -> str:
    p = process.power
    rights = p.rights or _DEFAULT_RIGHTS.get(p.category, _GENERIC_RIGHTS)
    complaint = p.complaint or (f"监督电话：{phone}" if phone else "向本机关或其上级机关、纪检监察机关投诉举报；12345 政务服务便民热线")
    return (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#8faadc">'
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><B>相对人权利</B>：{esc(wrap(rights, 96))}</TD></TR>'
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><B>监督投诉方式</B>：{esc(wrap(complaint, 96))}</TD></TR>'
        "</TABLE>>"
    )


def _node_label(data: dict) -> str:
    # a table, not <BR/>: its rows take each font's own line height, so small lines
    # under the bold step name do not overlap
    rows = [f"<TR><TD><B>{esc(wrap(data.get('name') or '', 20))}</B></TD></TR>"]
    if data.get("post"):
        rows.append(f'<TR><TD><FONT POINT-SIZE="9">承办：{esc(wrap(data["post"], 22))}</FONT></TD></TR>')
    if data.get("limit"):
        rows.append(f'<TR><TD><FONT POINT-SIZE="9">时限：{esc(wrap(data["limit"], 22))}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _note_label(data: dict) -> str | None:
    parts = []
    if data.get("control"):
        parts.append(f"<B>监督</B>：{esc(wrap(data['control'], 26))}")
    if data.get("disclosure"):
        parts.append(f"<B>公开</B>：{esc(wrap(data['disclosure'], 26))}")
    if not parts:
        return None
    return '<<FONT POINT-SIZE="9">' + "<BR/>".join(parts) + "</FONT>>"


def _order(node) -> tuple:
    text = str(node)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def to_dot(process: ProcessGraph, agency: str | None = None, phone: str | None = None, name: str = "G") -> str:
    graph = process.graph
    out = [
        f"digraph {_quote_id(name)} {{",
        f'  graph [charset="UTF-8" fontname="{_FONT_LIST}" rankdir=TB nodesep=0.3 ranksep=0.35 pad=0.3 '
        f'labelloc=t labeljust=c fontsize=11 label={_header(process, agency)}];',
        f'  node [fontname="{_FONT_LIST}" fontsize=11 penwidth=1.2 margin="0.12,0.06"];',
        f'  edge [fontname="{_FONT_LIST}" fontsize=9 color="#404040" arrowsize=0.7];',
    ]
    nodes = sorted(graph.nodes, key=_order)
    ids = {node: f"n{index}" for index, node in enumerate(nodes)}
    for node in nodes:
        data = graph.nodes[node]
        style = _STYLE.get(data.get("kind"), _TASK_STYLE)
        out.append(f"  {ids[node]} [{style} label={_node_label(data)}];")
        note = _note_label(data)
        if note:
            out.append(f'  {ids[node]}_note [shape=note style=filled fillcolor="#f2f2f2" color="#a6a6a6" label={note}];')
            out.append(f"  {{rank=same; {ids[node]}; {ids[node]}_note}}")
            out.append(f'  {ids[node]} -> {ids[node]}_note [style=dashed arrowhead=none color="#a6a6a6" constraint=false];')
    for a, b in sorted(graph.edges, key=lambda e: (_order(e[0]), _order(e[1]))):
        label = graph.edges[a, b].get("label")
        attrs = f" [label=<{esc(wrap(label, 16))}>]" if label else ""
        out.append(f"  {ids[a]} -> {ids[b]}{attrs};")
    ends = [ids[n] for n in nodes if graph.nodes[n].get("kind") == END] or [ids[nodes[-1]]] if nodes else []
    out.append(f"  footer [shape=plaintext margin=0 label={_footer(process, phone)}];")
    out.append("  {rank=sink; footer}")
    for end in ends:
        out.append(f"  {end} -> footer [style=invis];")
    out.append("}")
    return "\n".join(out) + "\n"
