"""One PDF booklet per agency: a cover, a table of contents, then every chart on its own
A4 page (portrait or landscape, scaled to fit), with a bookmark per power."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from ..atomic import atomic_path
from .batch import Job, render_batch
from .dot import _FONT_LIST, esc, wrap

A4 = (595.28, 841.89)
MARGIN = 36.0
TOC_ROWS = 28


@dataclass(frozen=True)
class Entry:
    title: str
    code: str | None
    category: str
    pdf: str


def _cover_dot(agency: str, count: int, note: str | None) -> str:
    extra = f"<BR/><BR/>{esc(note)}" if note else ""
    return (
        f'digraph cover {{ graph [fontname="{_FONT_LIST}" pad=1 size="7,10"]; '
        f'node [shape=plaintext fontname="{_FONT_LIST}"]; '
        f'c [label=<<FONT POINT-SIZE="30"><B>{esc(wrap(agency, 28))}</B></FONT><BR/><BR/>'
        f'<FONT POINT-SIZE="24">行政权力运行流程图</FONT><BR/><BR/>'
        f'<FONT POINT-SIZE="14">共 {count} 项</FONT>{extra}>]; }}\n'
    )


def _toc_dot(rows: Sequence[tuple[int, Entry, int]], page: int, pages: int) -> str:
    cells = ['<TR><TD><B>序号</B></TD><TD><B>职权编码</B></TD><TD><B>职权名称</B></TD><TD><B>类别</B></TD><TD><B>页码</B></TD></TR>']
    for number, entry, page_no in rows:
        cells.append(
            f'<TR><TD>{number}</TD><TD>{esc(entry.code or "—")}</TD>'
            f'<TD ALIGN="LEFT" BALIGN="LEFT">{esc(wrap(entry.title, 56))}</TD>'
            f"<TD>{esc(entry.category)}</TD><TD>{page_no}</TD></TR>"
        )
    title = "目　录" + (f"（{page}/{pages}）" if pages > 1 else "")
    return (
        f'digraph toc {{ graph [fontname="{_FONT_LIST}" pad=0.5]; node [shape=plaintext fontname="{_FONT_LIST}" fontsize=10]; '
        f't [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3" COLOR="#8faadc">'
        f'<TR><TD COLSPAN="5" BORDER="0"><FONT POINT-SIZE="18"><B>{title}</B></FONT></TD></TR>'
        + "".join(cells) + "</TABLE>>]; }\n"
    )


def _fit(page: PageObject, portrait: bool = False) -> PageObject:
    """The page scaled to fit A4 (landscape when the chart is wider than tall) and centred."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    page_w, page_h = A4 if portrait or height >= width else (A4[1], A4[0])
    scale = min((page_w - 2 * MARGIN) / width, (page_h - 2 * MARGIN) / height, 1.0)
    blank = PageObject.create_blank_page(width=page_w, height=page_h)
    dx = (page_w - width * scale) / 2 - float(page.mediabox.left) * scale
    dy = (page_h - height * scale) / 2 - float(page.mediabox.bottom) * scale
    blank.merge_transformed_page(page, Transformation().scale(scale).translate(dx, dy))
    return blank


def build_booklet(agency: str, entries: Sequence[Entry], target: str | os.PathLike, workdir: str | os.PathLike,
                  note: str | None = None) -> Path:
    toc_pages = max(1, -(-len(entries) // TOC_ROWS))
    first_chart = 1 + toc_pages  # 0-based page index of the first chart
    numbered = [(i + 1, entry, first_chart + i + 1) for i, entry in enumerate(entries)]
    jobs = [Job(_cover_dot(agency, len(entries), note), str(Path(workdir) / "cover"))]
    for p in range(toc_pages):
        chunk = numbered[p * TOC_ROWS:(p + 1) * TOC_ROWS]
        jobs.append(Job(_toc_dot(chunk, p + 1, toc_pages), str(Path(workdir) / f"toc-{p + 1}")))
    front = render_batch(jobs, ("pdf",))
    writer = PdfWriter()
    for paths in front:
        writer.add_page(_fit(PdfReader(paths[0]).pages[0], portrait=True))
    writer.add_outline_item(title="封面", page_number=0)
    writer.add_outline_item(title="目录", page_number=1)
    for number, entry, page_no in numbered:
        reader = PdfReader(entry.pdf)
        writer.add_page(_fit(reader.pages[0]))
        label = f"{number}. {entry.title}" + (f"（{entry.code}）" if entry.code else "")
        writer.add_outline_item(title=label, page_number=page_no - 1)
    writer.add_metadata({"/Title": f"{agency} 行政权力运行流程图", "/Creator": "powercat"})
    with atomic_path(target) as tmp, open(tmp, "wb") as handle:
        writer.write(handle)
    return Path(target)
