"""A process graph as DOT source, in the shapes of GB/T 1526 (ISO 5807).

开始/结束 are rounded boxes, 办理 steps boxes, 判断 diamonds; supervision (监督制约) and
disclosure (公开) are side notes beside their step. A header gives the power's name, code,
category, agency, legal basis in short (given: see law.summary) and its limits; a footer
gives the counterpart's rights and the complaint channel. Every label is an HTML-like label
built from escaped text, so quotes, `<>`, braces, backslashes and line breaks print as
written. Output is deterministic: nodes and edges in a fixed order, no timestamps.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ..model import Category, Power
from ..process.graph import DECISION, END, START, ProcessGraph
from .linebreak import wrap

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
# wrapping widths in display units (a CJK character counts two): narrow enough that the
# widest standard chart fits a portrait A4 page at 7 pt or more
NAME_WIDTH = 14
SMALL_WIDTH = 16
NOTE_WIDTH = 14
EDGE_WIDTH = 10
_TASK_STYLE = 'shape=box style=filled fillcolor="#ffffff" color="#2f5597"'


def esc(text: object) -> str:
    """Text for an HTML-like label: entities escaped, line breaks as <BR/>. Graphviz reads
    `\\N`, `\\G`, `\\l` … even inside HTML-like labels, so a backslash is doubled to print
    as one."""
    escaped = html.escape(str(text), quote=True).replace("\\", "\\\\")
    return "<BR/>".join(escaped.splitlines()) if "\n" in escaped or "\r" in escaped else escaped


def _quote_id(node) -> str:
    return '"' + str(node).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _raw_basis(power: Power, limit: int = 90) -> str:
    """The basis as written, in one line, for a caller that gave no summary."""
    if not power.basis:
        return "（未填写）"
    text = re.sub(r"\s+", " ", power.basis)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _header(process: ProcessGraph, agency: str | None, basis: str | None,
            derived_limit: tuple[str, str] | None = None) -> str:
    p = process.power
    # a limit the law gives where the list gives none is said as derived, with its source
    statutory = p.statutory_limit or (f"{derived_limit[0]}（推定）" if derived_limit else "—")
    derived_row = (
        f'<TR><TD ALIGN="LEFT" COLSPAN="4" BALIGN="LEFT">法定时限系推定（清单未填写）：'
        f'{esc(wrap(derived_limit[1], 70))}</TD></TR>' if derived_limit and not p.statutory_limit else "")
    rows = [
        # a long title is set smaller, so that it does not take half the page
        f'<TR><TD COLSPAN="4" BORDER="0"><FONT POINT-SIZE="{17 if len(p.title) <= 36 else 13}">'
        f'<B>{esc(wrap(p.title, 60 if len(p.title) <= 36 else 80))}</B></FONT></TD></TR>',
        "<TR>"
        f'<TD ALIGN="LEFT">职权编码：{esc(p.code or "—")}</TD><TD ALIGN="LEFT">职权类别：{esc(p.category)}</TD>'
        f'<TD ALIGN="LEFT" COLSPAN="2">实施主体：{esc(wrap(p.agency or agency or "—", 44))}</TD></TR>',
        "<TR>"
        f'<TD ALIGN="LEFT">法定时限：{esc(statutory)}</TD>'
        f'<TD ALIGN="LEFT">承诺时限：{esc(p.promised_limit or "—")}</TD>'
        f'<TD ALIGN="LEFT" COLSPAN="2">承办机构：{esc(wrap(p.office or "—", 44))}</TD></TR>',
        f'<TR><TD ALIGN="LEFT" COLSPAN="4" BALIGN="LEFT">实施依据：{esc(wrap(basis if basis is not None else _raw_basis(p), 84))}</TD></TR>',
        derived_row,
        f'<TR><TD ALIGN="LEFT" COLSPAN="4" BORDER="0" BALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#595959">'
        # a law-derived source names every law it follows: wrapped, so it never widens the chart
        f"{esc(wrap('流程来源：' + process.source_zh, 110))}</FONT></TD></TR>",
    ]
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#8faadc">' + "".join(rows) + "</TABLE>>"


def _footer(process: ProcessGraph, phone: str | None) -> str:
    p = process.power
    rights = p.rights or _DEFAULT_RIGHTS.get(p.category, _GENERIC_RIGHTS)
    complaint = p.complaint or (f"监督电话：{phone}" if phone else "向本机关或其上级机关、纪检监察机关投诉举报；12345 政务服务便民热线")
    return (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#8faadc">'
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><B>相对人权利</B>：{esc(wrap(rights, 84))}</TD></TR>'
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><B>监督投诉方式</B>：{esc(wrap(complaint, 84))}</TD></TR>'
        "</TABLE>>"
    )


def _prefixed(prefix: str, text: object, width: int, bold: bool = False) -> str:
    """`prefix：text` wrapped as one paragraph (the prefix takes room on the first line)."""
    wrapped = esc(wrap(f"{prefix}：{text}", width))[len(prefix) + 1:]
    return (f"<B>{prefix}</B>" if bold else prefix) + "：" + wrapped


def _node_label(data: dict) -> str:
    # a table, not <BR/>: its rows take each font's own line height, so small lines
    # under the bold step name do not overlap
    rows = [f"<TR><TD><B>{esc(wrap(data.get('name') or '', NAME_WIDTH))}</B></TD></TR>"]
    for prefix, key in (("承办", "post"), ("时限", "limit")):
        if data.get(key):
            rows.append(f'<TR><TD><FONT POINT-SIZE="9">{_prefixed(prefix, data[key], SMALL_WIDTH)}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _note_label(data: dict) -> str | None:
    """责任 (a written stage's duties), 监督 and 公开, the text of the step's annotation."""
    parts = [_prefixed(prefix, data[key], NOTE_WIDTH, bold=True)
             for prefix, key in (("责任", "duty"), ("监督", "control"), ("公开", "disclosure")) if data.get(key)]
    return "<BR/>".join(parts) if parts else None


_NOTE_CELL = ('SIDES="LTB" BORDER="1" COLOR="#7f7f7f" ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="3"')
_CELL_STYLE = {
    START: 'STYLE="rounded" BGCOLOR="#e2efda" COLOR="#548235"',
    END: 'STYLE="rounded" BGCOLOR="#e2efda" COLOR="#548235"',
}
_TASK_CELL = 'BGCOLOR="#ffffff" COLOR="#2f5597"'


def _note_table(note: str) -> str:
    """A GB/T 1526 annotation: the text behind an open bracket."""
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD {_NOTE_CELL}>'
            f'<FONT POINT-SIZE="9" COLOR="#262626">{note}</FONT></TD></TR></TABLE>')


def _step_with_note(data: dict, note: str) -> str:
    """A step and its annotation in one table: the step's cell (port `p`, where the edges
    attach), a dashed connector at mid-height, the bracketed note."""
    cell = _CELL_STYLE.get(data.get("kind"), _TASK_CELL)
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD ROWSPAN="2" PORT="p" BORDER="1" {cell} CELLPADDING="5">{_node_label(data)[1:-1]}</TD>'
            '<TD WIDTH="12" SIDES="B" BORDER="1" STYLE="dashed" COLOR="#7f7f7f"></TD>'
            f'<TD ROWSPAN="2" {_NOTE_CELL}><FONT POINT-SIZE="9" COLOR="#262626">{note}</FONT></TD>'
            '</TR><TR><TD WIDTH="12"></TD></TR></TABLE>>')


def _order(node) -> tuple:
    text = str(node)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _ids(process: ProcessGraph) -> dict:
    return {node: f"n{index}" for index, node in enumerate(sorted(process.flow.nodes, key=_order))}


def titles(process: ProcessGraph, name: str = "G") -> dict[str, str]:
    """What each SVG <title> (the tooltip) should say instead of the internal ids."""
    graph = process.flow
    out = {name: process.power.title, "footer": "相对人权利与监督投诉方式"}
    for node, node_id in _ids(process).items():
        step = str(graph.nodes[node].get("name") or node)
        out[node_id] = step
        out[f"{node_id}_note"] = f"{step}：监督与公开"
        out[f"{node_id}:p"] = step
    return out


# on the bytes dot writes: the SVG is placed as it comes, never decoded and encoded whole
_TITLE = re.compile(rb"<title>(.*?)</title>\n?", re.S)
_COMMENT = re.compile(rb"<!--.*?-->\n?", re.S)
# `dot` ids the graph of a one-graph file "graph0", and in a file of several "page0,1_graph0":
# one id, so that a chart's bytes never depend on which batch drew it (a rebuild draws only
# the changed charts, in batches of their own, and must equal a clean build)
_BATCH_GRAPH_ID = re.compile(rb'<g id="page\d+,\d+_graph0" class="graph"')


def _unescape(text: str) -> str:
    """html.unescape, without its regex pass for the only reference our ids make dot write
    (the `->` of an edge's title)."""
    if "&" not in text:
        return text
    plain = text.replace("&#45;&gt;", "->")
    return plain if "&" not in plain else html.unescape(text)


def retitle_svg(svg: bytes, names: dict[str, str]) -> bytes:
    """Graphviz titles every node and edge with its DOT id ("n0", "n1->n2"): those become
    the step names ("受理 → 审查"); titles of helper nodes and edges are dropped, and so
    are the comments that repeat the ids. UTF-8 in, UTF-8 out (only the titles are decoded)."""
    def replace(match: re.Match) -> bytes:
        text = _unescape(match.group(1).decode("utf-8"))
        if "->" in text:
            a, _, b = text.partition("->")
            if a in names and b in names and b != "footer" and not b.endswith("_note"):
                return f"<title>{html.escape(names[a] + ' → ' + names[b], quote=False)}</title>\n".encode("utf-8")
            return b""
        if text in names:
            return f"<title>{html.escape(names[text], quote=False)}</title>\n".encode("utf-8")
        return b""

    return _TITLE.sub(replace, _COMMENT.sub(b"", _BATCH_GRAPH_ID.sub(b'<g id="graph0" class="graph"', svg, count=1)))


# what a step's DOT lines are made of: a province's charts repeat a few hundred steps (the
# 771 real-list charts have 8,605 nodes, 633 distinct), so each is written once
_LABEL_KEYS = ("kind", "name", "post", "limit", "duty", "control", "disclosure")
_PLAIN = frozenset((str, type(None)))  # values a memo may key on (a str subclass may print otherwise)


def _node_lines(node_id: str, data: dict) -> tuple[tuple[str, ...], bool]:
    """The step's DOT lines, and whether its edges attach to its port `p` (a step with its note)."""
    values = tuple(map(data.get, _LABEL_KEYS))
    if _PLAIN.issuperset(map(type, values)):
        return _step_lines(node_id, values)
    return _step_lines.__wrapped__(node_id, values)  # a graph not from build_graph: drawn as given


@lru_cache(maxsize=1 << 12)
def _step_lines(node_id: str, values: tuple) -> tuple[tuple[str, ...], bool]:
    data = dict(zip(_LABEL_KEYS, values))
    kind = data["kind"]
    style = _STYLE.get(kind, _TASK_STYLE)
    note = _note_label(data)
    if not note:
        return (f"  {node_id} [{style} label={_node_label(data)}];",), False
    if kind != DECISION:
        # the note is part of the step's own table, so nothing can pass between them
        return (f"  {node_id} [shape=plain label={_step_with_note(data, note)}];",), True
    # a diamond cannot share a table: its note sits beside it on the same rank
    return (f"  {node_id} [{style} label={_node_label(data)}];",
            f"  {node_id}_note [shape=plain label=<{_note_table(note)}>];",
            f"  {{rank=same; {node_id}; {node_id}_note}}",
            # a flat edge that constrains: dot keeps the note right of the diamond and counts
            # the connector when it minimises crossings
            f'  {node_id} -> {node_id}_note [style=dashed arrowhead=none color="#7f7f7f"];'), False


def to_dot(process: ProcessGraph, agency: str | None = None, phone: str | None = None, name: str = "G",
           basis: str | None = None, derived_limit: tuple[str, str] | None = None) -> str:
    """`basis` is the legal basis in short, as law.summary gives it (the renderer reads no law);
    without it the basis is printed as written. `derived_limit` is (limit, source) of the
    statutory limit law.limits derives where the list gives none, drawn as derived."""
    graph = process.flow  # the graph as built: drawing needs no networkx
    out = [
        f"digraph {_quote_id(name)} {{",
        f'  graph [charset="UTF-8" fontname="{_FONT_LIST}" rankdir=TB nodesep=0.18 ranksep=0.24 pad=0.15 '
        f'labelloc=t labeljust=c fontsize=11 label={_header(process, agency, basis, derived_limit)}];',
        f'  node [fontname="{_FONT_LIST}" fontsize=11 penwidth=1.2 margin="0.12,0.06"];',
        f'  edge [fontname="{_FONT_LIST}" fontsize=9 color="#404040" arrowsize=0.7];',
    ]
    order = {node: _order(node) for node in graph.nodes}  # each node's sort key, made once
    nodes = sorted(graph.nodes, key=order.__getitem__)
    ids = {node: f"n{index}" for index, node in enumerate(nodes)}  # as _ids
    ports: dict[str, str] = {}
    for node in nodes:
        node_id = ids[node]
        lines, ported = _node_lines(node_id, graph.nodes[node])
        out.extend(lines)
        if ported:
            ports[node_id] = f"{node_id}:p"
    ref = {node: ports.get(ids[node], ids[node]) for node in nodes}
    for a, b in sorted(graph.edges, key=lambda e: (order[e[0]], order[e[1]])):
        label = graph.edges[a, b].get("label")
        attrs = f" [label=<{esc(wrap(label, EDGE_WIDTH))}>]" if label else ""
        out.append(f"  {ref[a]} -> {ref[b]}{attrs};")
    # the footer hangs below every step without a next one
    ends = [ids[n] for n in nodes if graph.out_degree(n) == 0 or graph.nodes[n].get("kind") == END] or (
        [ids[nodes[-1]]] if nodes else [])
    out.append(f"  footer [shape=plaintext margin=0 label={_footer(process, phone)}];")
    out.append("  {rank=sink; footer}")
    for end in ends:
        out.append(f"  {ports.get(end, end)} -> footer [style=invis];")
    out.append("}")
    return "\n".join(out) + "\n"
