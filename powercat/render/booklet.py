"""One PDF booklet per agency, rendered in one pass so that its fonts are embedded once.

Every page is an A4 SVG written here: a cover, the contents (grouped by category, with page
numbers), then each chart placed on its page at a scale that keeps every text at 7 pt or
more. A chart is set portrait when it fits, else landscape; a chart too tall for either is
split between steps across pages, with 续 marks. Every page but the cover prints its page
number. `rsvg-convert` turns all pages into one PDF (one font subset for the booklet);
pypdf then adds the bookmarks (grouped by category), the title and a fixed document id.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject

from ..atomic import atomic_path
from .batch import RenderError
from .dot import FONT
from .linebreak import text_width, wrap_lines
from .pdfmeta import pdf_date, slim_fonts, source_date_epoch
from .system import run_tool, tool_timeout

A4 = (595.28, 841.89)
SIDE = 20.0  # left and right margins, pt
HEAD = 26.0  # room above the chart for the running head
FOOT = 22.0  # room below the chart for the page number
MIN_TEXT_PT = 7.0  # no printed text smaller than this
_FONT_FAMILY = f"'{FONT}', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif"


# seconds one `rsvg-convert` pass may take: 2 minutes, plus 2 s per page of the booklet
RSVG_TIMEOUT_BASE, RSVG_TIMEOUT_PER_PAGE = 120.0, 2.0


class BookletError(RenderError):
    pass


@dataclass(frozen=True)
class Entry:
    title: str
    code: str | None
    category: str
    svg: str  # the chart's SVG
    detail: str = ""  # what tells apart two entries of one name (level, sheet …)


@dataclass
class _Chart:
    width: float
    height: float
    view: tuple[float, float, float, float]
    body: str  # the root <svg>'s content
    min_font: float

    @cached_property
    def spans(self) -> list[tuple[float, float]]:
        """The y extents of the nodes, view units, sorted: where a chart too tall for a page
        may be cut. Found when asked (most charts fit a page and never are): reading every
        node's outline is most of the cost of reading a chart, which a booklet does twice."""
        translate = re.search(r"translate\((" + _NUM + r")[ ,](" + _NUM + r")\)", self.body)
        ty = float(translate.group(2)) if translate else 0.0
        spans = []
        for group in re.finditer(r'<g id="[^"]*" class="node">(.*?)</g>', self.body, re.S):
            content = group.group(1)
            ys = [float(p.split(",")[1]) for points in re.findall(r'points="([^"]+)"', content)
                  for p in points.split() if "," in p]
            for d in re.findall(r'\bd="([^"]+)"', content):
                ys.extend(float(p.split(",")[1]) for p in re.findall(_NUM + "," + _NUM, d))
            pad_top, pad_bottom = 1.0, 1.0
            if not ys:  # text only: a baseline, so room above it for the glyphs
                ys = [float(y) for y in re.findall(r'\by="(' + _NUM + ')"', content)]
                pad_top, pad_bottom = 14.0, 4.0
            if ys:
                spans.append((min(ys) + ty - pad_top, max(ys) + ty + pad_bottom))
        return sorted(spans)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: object) -> str:
    """Text for SVG: escaped, without the characters XML cannot hold."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


# --- reading Graphviz's SVG -------------------------------------------------------------

_ROOT = re.compile(r"<svg\b[^>]*>", re.S)
_NUM = r"-?[0-9]+(?:\.[0-9]+)?"


def read_chart(svg_text: str) -> _Chart:
    root = _ROOT.search(svg_text)
    if not root:
        raise BookletError("not an SVG chart")
    tag = root.group(0)
    view = re.search(r'viewBox="([^"]+)"', tag)
    vx, vy, vw, vh = (float(v) for v in view.group(1).split()) if view else (0.0, 0.0, 0.0, 0.0)
    width, height = (re.search(name + r'="(' + _NUM + ')', tag) for name in ("width", "height"))
    if not (width and height) and not view:
        raise BookletError("an SVG chart without its size (width, height or viewBox)")
    # a chart with no width/height (not one dot writes) is as wide as its view
    width, height = (float(width.group(1)) if width else vw), (float(height.group(1)) if height else vh)
    if not view:
        vw, vh = width, height
    body = svg_text[root.end():svg_text.rindex("</svg>")]
    fonts = [float(f) for f in re.findall(r'font-size="(' + _NUM + ')"', body)]
    return _Chart(width, height, (vx, vy, vw, vh), body, min(fonts) if fonts else 14.0)


# --- placing a chart on pages -----------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    landscape: bool
    scale: float
    bands: tuple[tuple[float, float], ...]  # vertical slices of the chart, view units
    columns: tuple[tuple[float, float], ...] = ()  # horizontal slices, for a chart too wide even so

    @property
    def pages(self) -> int:
        return len(self.bands) * max(1, len(self.columns))


def _area(landscape: bool) -> tuple[float, float]:
    w, h = (A4[1], A4[0]) if landscape else A4
    return w - 2 * SIDE, h - HEAD - FOOT


def place(chart: _Chart) -> Placement:
    """Portrait if the chart fits at ≥ 7 pt, else landscape, else split into bands."""
    floor = MIN_TEXT_PT / chart.min_font
    per_unit = chart.width / chart.view[2] if chart.view[2] else 1.0  # pt per view unit
    whole = ((chart.view[1], chart.view[1] + chart.view[3]),)
    for landscape in (False, True):
        w, h = _area(landscape)
        scale = min(w / chart.width, h / chart.height, 1.0)
        if scale >= floor:
            return Placement(landscape, scale, whole)
    # too big for one page: the orientation whose width fits at the floor, cut into bands
    for landscape in (False, True):
        w, h = _area(landscape)
        scale = min(w / chart.width, 1.0)
        if scale >= floor:
            return Placement(landscape, scale, _bands(chart, h / (scale * per_unit)))
    # wider than a landscape page even at the floor: keep the text legible, cut it into
    # columns that overlap a little, so that a box cut at the edge is whole on one of them
    w, h = _area(True)
    scale = floor
    room = w / (scale * per_unit)
    left, right = chart.view[0], chart.view[0] + chart.view[2]
    count = -(-int(right - left) // int(room * 0.9))
    step = (right - left - room) / max(1, count - 1)
    columns = tuple((left + k * step, left + k * step + room) for k in range(count))
    return Placement(True, scale, _bands(chart, h / (scale * per_unit)), columns)


def _bands(chart: _Chart, room: float) -> tuple[tuple[float, float], ...]:
    """Slices of at most `room` view units, cut between nodes where possible."""
    top, bottom = chart.view[1], chart.view[1] + chart.view[3]
    bands = []
    start = top
    while bottom - start > room:
        limit = start + room
        cut = None
        # the lowest gap between node extents above the limit
        candidates = [end for _s, end in chart.spans if start + room * 0.3 < end <= limit]
        for y in sorted(candidates, reverse=True):
            if not any(s < y < e for s, e in chart.spans):
                below = [s for s, _e in chart.spans if s >= y]
                cut = min((y + min(below)) / 2, limit) if below else y  # mid-gap, where edges run
                break
        cut = cut if cut is not None else limit
        bands.append((start, cut))
        start = cut
    bands.append((start, bottom))
    return tuple(bands)


# --- pages --------------------------------------------------------------------------------

def _page(landscape: bool, content: str) -> str:
    w, h = (A4[1], A4[0]) if landscape else A4
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">'
            f'<g font-family="{_FONT_FAMILY}">{content}</g></svg>\n')


def _text(x: float, y: float, text: str, size: float, anchor: str = "start", bold: bool = False,
          fill: str = "#000000") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}"{weight} '
            f'fill="{fill}">{_x(text)}</text>')


def _folio(landscape: bool, number: int, head_left: str, head_right: str, note: str = "") -> str:
    w, h = (A4[1], A4[0]) if landscape else A4
    parts = [
        _text(SIDE, 17, _clip(head_left, w / 2 - SIDE, 8), 8, fill="#595959"),
        _text(w - SIDE, 17, _clip(head_right, w / 2 - SIDE, 8), 8, "end", fill="#595959"),
        f'<line x1="{SIDE}" y1="21" x2="{w - SIDE}" y2="21" stroke="#bfbfbf" stroke-width="0.5"/>',
        _text(w / 2, h - 9, f"— {number} —", 9, "middle"),
    ]
    if note:
        parts.append(_text(w - SIDE, h - 9, note, 8, "end", fill="#595959"))
    return "".join(parts)


def _clip(text: str, width_pt: float, size: float) -> str:
    units = int(width_pt / (size * 0.5))
    if text_width(text) <= units:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch) > units - 2:
            return out + "…"
        out += ch
    return out


def chart_pages(chart: _Chart, placement: Placement, first_page: int, head_left: str,
                head_right: str) -> list[str]:
    pages = []
    w, h = (A4[1], A4[0]) if placement.landscape else A4
    per_unit = chart.width / chart.view[2] if chart.view[2] else 1.0
    columns = placement.columns or ((chart.view[0], chart.view[0] + chart.view[2]),)
    total = placement.pages
    index = 0
    for y0, y1 in placement.bands:
        for x0, x1 in columns:
            band_w = (x1 - x0) * per_unit * placement.scale
            band_h = (y1 - y0) * per_unit * placement.scale
            x = (w - band_w) / 2
            y = HEAD + (0 if total > 1 else (h - HEAD - FOOT - band_h) / 2)
            nested = (f'<svg x="{x:.2f}" y="{y:.2f}" width="{band_w:.2f}" height="{band_h:.2f}" '
                      f'viewBox="{x0:.2f} {y0:.2f} {x1 - x0:.2f} {y1 - y0:.2f}" '
                      f'preserveAspectRatio="xMidYMin meet">{chart.body}</svg>')
            right = (f"（续 {index + 1}/{total}）" if index else "") + head_right
            note = "接下页 →" if index < total - 1 else ""
            pages.append(_page(placement.landscape, _folio(placement.landscape, first_page + index, head_left,
                                                           right, note) + nested))
            index += 1
    return pages


def cover_page(agency: str, count: int, categories: Sequence[tuple[str, int]], note: str | None) -> str:
    w, _h = A4
    parts = []
    y = 300.0
    for line in wrap_lines(agency, 28):
        parts.append(_text(w / 2, y, line, 28, "middle", bold=True))
        y += 40
    y += 20
    parts.append(_text(w / 2, y, "行政权力运行流程图", 24, "middle"))
    y += 50
    parts.append(_text(w / 2, y, f"共 {count} 项", 14, "middle"))
    y += 26
    for category, n in categories:
        parts.append(_text(w / 2, y, f"{category} {n} 项", 11, "middle", fill="#404040"))
        y += 18
    if note:
        for line in wrap_lines(note, 60):
            y += 18
            parts.append(_text(w / 2, y, line, 11, "middle", fill="#404040"))
    return _page(False, "".join(parts))


# contents: columns (x of the left edge, width) for 序号, 职权名称, 职权编码, 页码
_TOC_SIZE = 9.5
_TOC_LINE = 14.0
_TOC_COLS = ((SIDE + 10, 30), (SIDE + 44, 330), (SIDE + 380, 125), (A4[0] - SIDE - 10, 0))


@dataclass(frozen=True)
class _Row:
    kind: str  # "category" or "entry"
    lines: tuple[str, ...]
    number: int = 0
    code: str = ""
    entry: int = -1  # index into the entries


def _title_width(codes: bool) -> float:
    """The 职权名称 column; it takes the 职权编码 column's room when no entry has a code."""
    return _TOC_COLS[1][1] if codes else _TOC_COLS[3][0] - 40 - _TOC_COLS[1][0]


def _toc_rows(entries: Sequence[Entry], groups: Sequence[tuple[str, list[int]]]) -> list[_Row]:
    rows = []
    codes = any(e.code for e in entries)
    units = int(_title_width(codes) / (_TOC_SIZE * 0.5))
    for category, members in groups:
        rows.append(_Row("category", (f"{category}（{len(members)} 项）",)))
        for i in members:
            entry = entries[i]
            title = entry.title + (f"（{entry.detail}）" if entry.detail else "")
            code_lines = wrap_lines(entry.code or "—", int(_TOC_COLS[2][1] / (_TOC_SIZE * 0.5))) if codes else [""]
            rows.append(_Row("entry", tuple(wrap_lines(title, units)), i + 1, "\n".join(code_lines), i))
    return rows


def _row_height(row: _Row) -> float:
    if row.kind == "category":
        return _TOC_LINE + 10
    return _TOC_LINE * max(len(row.lines), len(row.code.split("\n"))) + 4


def toc_paginate(rows: Sequence[_Row]) -> list[list[_Row]]:
    """Rows into pages; a category running on to a new page repeats its heading, marked 续."""
    room = A4[1] - HEAD - FOOT - 60  # the first lines hold the title
    pages, current, used = [], [], 0.0
    heading: _Row | None = None
    for row in rows:
        height = _row_height(row)
        if current and (used + height > room or (row.kind == "category" and used + height + _TOC_LINE * 2 > room)):
            pages.append(current)
            current, used = [], 0.0
            if row.kind == "entry" and heading is not None:
                name = heading.lines[0].split("（")[0]
                current.append(_Row("category", (f"{name}（续）",)))
                used += _row_height(current[0])
        if row.kind == "category":
            heading = row
        current.append(row)
        used += height
    if current or not pages:
        pages.append(current)
    return pages


def toc_page(rows: Sequence[_Row], page_of: dict[int, int], number: int, index: int, total: int,
             agency: str) -> str:
    title = "目　录" + (f"（{index}/{total}）" if total > 1 else "")
    parts = [_folio(False, number, agency, "行政权力运行流程图"), _text(A4[0] / 2, HEAD + 30, title, 16, "middle", bold=True)]
    y = HEAD + 58
    for row in rows:
        if row.kind == "category":
            y += 6
            parts.append(_text(_TOC_COLS[0][0], y + 10, row.lines[0], 10.5, bold=True, fill="#1f3864"))
            parts.append(f'<line x1="{_TOC_COLS[0][0]}" y1="{y + 14:.2f}" x2="{A4[0] - SIDE - 10}" y2="{y + 14:.2f}" '
                         f'stroke="#8faadc" stroke-width="0.6"/>')
            y += _row_height(row) - 6
            continue
        base = y + 11
        parts.append(_text(_TOC_COLS[0][0] + _TOC_COLS[0][1] - 6, base, str(row.number), _TOC_SIZE, "end"))
        for k, line in enumerate(row.lines):
            parts.append(_text(_TOC_COLS[1][0], base + k * _TOC_LINE, line, _TOC_SIZE))
        for k, line in enumerate(l for l in row.code.split("\n") if l):
            parts.append(_text(_TOC_COLS[2][0], base + k * _TOC_LINE, line, _TOC_SIZE - 1, fill="#404040"))
        last = row.lines[-1]
        dots_from = _TOC_COLS[1][0] + text_width(last) * _TOC_SIZE * 0.5 + 4
        dots_to = _TOC_COLS[2][0] - 6 if row.code else _TOC_COLS[3][0] - 30
        if dots_to > dots_from:
            y_dots = base + (len(row.lines) - 1) * _TOC_LINE - 3
            parts.append(f'<line x1="{dots_from:.2f}" y1="{y_dots:.2f}" x2="{dots_to:.2f}" y2="{y_dots:.2f}" '
                         f'stroke="#a6a6a6" stroke-width="0.6" stroke-dasharray="0.8 2.4"/>')
        parts.append(_text(_TOC_COLS[3][0], base, str(page_of[row.entry]), _TOC_SIZE, "end"))
        y += _row_height(row)
    return _page(False, "".join(parts))


# --- the booklet --------------------------------------------------------------------------

def _groups(entries: Sequence[Entry]) -> list[tuple[str, list[int]]]:
    groups: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        groups.setdefault(entry.category or "其他", []).append(i)
    return list(groups.items())


def build_booklet(agency: str, entries: Sequence[Entry], target: str | os.PathLike, workdir: str | os.PathLike,
                  note: str | None = None, renderer: str = "rsvg-convert") -> Path:
    """Writes the booklet; entries are grouped by category (first-seen order) and numbered
    in that order, which is also the order of the pages and bookmarks."""
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    groups = _groups(entries)
    order = [i for _c, members in groups for i in members]
    ordered = [entries[i] for i in order]
    groups = _groups(ordered)
    # only the placements are kept: a chart is read again when its pages are written, so a
    # 2,000-chart agency never holds all its charts, or all its pages, at once
    placements = [place(read_chart(Path(e.svg).read_text(encoding="utf-8"))) for e in ordered]
    rows = _toc_rows(ordered, groups)
    toc = toc_paginate(rows)
    first = 2 + len(toc)  # printed page number of the first chart (the cover is page 1)
    page_of = {}
    page = first
    for i, placement in enumerate(placements):
        page_of[i] = page
        page += placement.pages

    def pages():
        yield cover_page(agency, len(ordered), [(c, len(m)) for c, m in groups], note)
        yield from (toc_page(chunk, page_of, 2 + k, k + 1, len(toc), agency) for k, chunk in enumerate(toc))
        for i, (entry, placement) in enumerate(zip(ordered, placements)):
            chart = read_chart(Path(entry.svg).read_text(encoding="utf-8"))
            head = f"{i + 1}. {entry.title}" + (f"（{entry.detail}）" if entry.detail else "")
            yield from chart_pages(chart, placement, page_of[i], agency, f"{entry.category}　{head}")

    digest = hashlib.sha256()
    names = []
    for k, text in enumerate(pages()):
        name = work / f"p{k:05d}.svg"
        name.write_text(text, encoding="utf-8")
        digest.update(text.encode("utf-8"))
        names.append(name.name)
    raw = work / "booklet.raw.pdf"
    _run_renderer(renderer, names, raw, cwd=work)
    _finish(raw, target, agency, groups, ordered, page_of, len(toc), digest.digest()[:16])
    return Path(target)


def _run_renderer(renderer: str, pages: Sequence[str], out: Path, cwd: Path) -> None:
    """One pass over all pages (names relative to `cwd`, to keep the command line short)."""
    binary = shutil.which(renderer)
    if binary is None:
        raise BookletError(f"找不到 {renderer}")
    env = {**os.environ}
    env.pop("SOURCE_DATE_EPOCH", None)  # the date is set afterwards, in the PDF's own format
    proc = run_tool([binary, "-f", "pdf", "-o", str(out.resolve()), *pages],
                    tool_timeout(RSVG_TIMEOUT_BASE, RSVG_TIMEOUT_PER_PAGE, len(pages)), env=env, cwd=str(cwd))
    if proc.returncode != 0 or not out.exists():
        raise BookletError(proc.stderr.strip()[:2000] or f"{renderer} exited {proc.returncode}")


def _finish(raw: Path, target, agency: str, groups, ordered: Sequence[Entry], page_of: dict[int, int],
            toc_pages: int, doc_id: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(raw))
    slim_fonts(writer)  # cairo's CJK subsets carry every subroutine of the font
    writer.add_outline_item(title="封面", page_number=0)
    writer.add_outline_item(title="目录", page_number=1)
    for category, members in groups:
        parent = writer.add_outline_item(title=f"{category}（{len(members)} 项）", page_number=page_of[members[0]] - 1)
        for i in members:
            entry = ordered[i]
            label = f"{i + 1}. {entry.title}" + (f"（{entry.detail}）" if entry.detail else "")
            label += f" {entry.code}" if entry.code else ""
            writer.add_outline_item(title=label, page_number=page_of[i] - 1, parent=parent)
    writer.page_mode = "/UseOutlines"
    info = {"/Title": f"{agency} 行政权力运行流程图", "/Creator": "powercat", "/Producer": "powercat (rsvg-convert, cairo)"}
    epoch = source_date_epoch()
    if epoch is not None:
        info["/CreationDate"] = info["/ModDate"] = pdf_date(epoch)
    writer.metadata = info
    writer._ID = ArrayObject([ByteStringObject(doc_id), ByteStringObject(doc_id)])
    with atomic_path(target) as tmp, open(tmp, "wb") as handle:
        writer.write(handle)
