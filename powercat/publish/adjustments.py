"""The 调整对照表: a publishable table of what an adjustment of the power lists changed."""

from __future__ import annotations

import os

from openpyxl import Workbook

from ..atomic import atomic_path
from ..compare import Diff, publishable
from ..fields import columns
from ..output import save_workbook
from ..text_forms import cell_position, shorten
from ..xlsxstyle import fill_sheet

COLUMNS = [*columns(("seq",)), ("kind", "调整类型", 10), *columns(("agency", "category")),
           ("before", "调整前事项", 34), ("after", "调整后事项", 34), ("detail", "调整内容", 60),
           ("where", "位置（调整后）", 26)]


def _where(power) -> str:
    return cell_position(power.source.file, power.source.sheet, power.source.row)


def _short(text: str | None, limit: int = 120) -> str:
    return shorten(text or "（空）", limit)


def write_adjustments(d: Diff, target: str | os.PathLike, title: str = "行政权力事项调整对照表",
                      internal: bool = False) -> int:
    """The publishable table leaves out every withheld power (`compare.publishable`) and says
    how many entries it left out; `internal=True` writes them all, marked 不予公开, for the
    internal file only. Returns the number of entries left out."""
    left_out = 0
    if not internal:
        d, left_out = publishable(d)
    else:
        title = f"{title}（内部资料，含不予公开事项，不得公开）"
    rows = []
    for agency, power in d.added:
        rows.append(["新增", agency, power.category, "", power.title, "新增事项", _where(power)])
    for agency, power in d.removed:
        rows.append(["取消", agency, power.category, power.title, "", "取消事项", ""])
    for pair in d.renamed:
        detail = "；".join(f"{c.label}：{_short(c.before)} → {_short(c.after)}" for c in pair.changes if c.field != "name")
        rows.append(["更名", pair.new_agency, pair.new.category, pair.old.title, pair.new.title,
                     f"名称调整（相似度 {pair.similarity}%）" + (f"；{detail}" if detail else ""), _where(pair.new)])
    for pair in d.changed:
        detail = "\n".join(f"{c.label}：{_short(c.before)} → {_short(c.after)}" for c in pair.changes)
        rows.append(["变更", pair.new_agency, pair.new.category, pair.old.title, pair.new.title, detail, _where(pair.new)])
    numbered = [[str(i), *row] for i, row in enumerate(rows, start=1)]
    book = Workbook()
    sheet = book.active
    sheet.title = "调整对照表"
    summary = f"{title}（新增 {len(d.added)} 项，取消 {len(d.removed)} 项，更名 {len(d.renamed)} 项，变更 {len(d.changed)} 项）"
    if left_out:
        summary += f"；另有 {left_out} 项涉及依法不予公开的事项，未列入本表"
    if internal:  # mark withheld powers in the kind column
        numbered = [_mark_withheld(row, power) for row, power in zip(numbered, _powers_in_order(d), strict=True)]
    fill_sheet(sheet, summary, COLUMNS, numbered)
    with atomic_path(target) as tmp:
        save_workbook(book, tmp, kind="adjustments")
    return left_out


def _powers_in_order(d: Diff):
    yield from (p for _a, p in d.added)
    yield from (p for _a, p in d.removed)
    yield from (pair.new if pair.new.is_withheld else pair.old for pair in d.renamed)
    yield from (pair.new if pair.new.is_withheld else pair.old for pair in d.changed)


def _mark_withheld(row: list[str], power) -> list[str]:
    if power.is_withheld:
        row[1] = f"{row[1]}（不予公开）"
    return row
