"""The review's totals in the seeds' form (清理出 N 项，确认 M 项，取消 …，备案 K 项), by
agency and category.

确认 counts the powers kept by agreed decisions (保留, 调整, 转备案); 待定 the powers in
conflict or undecided, which stay in the confirmed list as they were. So
清理出 = 确认 + 取消 + 合并 + 下放 + 待定; 备案 counts the withheld powers of the confirmed
lists (turned to 备案 by the review, or withheld already); 调整 is part of 确认.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from openpyxl import Workbook

from ..atomic import atomic_path
from ..fields import columns as field_columns
from ..model import Category
from ..output import save_workbook
from ..xlsxstyle import fill_sheet
from ..ingest.decisions import ADJUST, CANCEL, DEVOLVE, MERGE
from .pending import COLUMNS as PENDING_COLUMNS
from .pending import SHEET as PENDING_SHEET
from .reconcile import Outcome

KEYS = [("found", "清理出"), ("confirmed", "确认"), ("cancelled", "取消"), ("merged", "合并"), ("devolved", "下放"),
        ("filed", "备案"), ("adjusted", "调整"), ("pending", "待定"), ("conflicts", "冲突"), ("undecided", "未审核")]
_ORDER = [c.value for c in Category]


def tally(outcomes: Sequence[Outcome]) -> dict[str, int]:
    counts = dict.fromkeys((k for k, _ in KEYS), 0)
    for o in outcomes:
        counts["found"] += 1
        if o.conclusion == CANCEL:
            counts["cancelled"] += 1
        elif o.conclusion == MERGE:
            counts["merged"] += 1
        elif o.conclusion == DEVOLVE:
            counts["devolved"] += 1
        elif o.conclusion is None:
            counts["pending"] += 1
            counts["conflicts" if o.conflict else "undecided"] += 1
        else:
            counts["confirmed"] += 1
            counts["adjusted"] += o.conclusion == ADJUST
        counts["filed"] += o.confirmed is not None and o.withheld
    return counts


def sentence(counts: dict[str, int]) -> str:
    text = (f"清理出 {counts['found']} 项，确认 {counts['confirmed']} 项，取消 {counts['cancelled']} 项，"
            f"合并 {counts['merged']} 项，下放 {counts['devolved']} 项，备案 {counts['filed']} 项")
    extra = [f"调整 {counts['adjusted']} 项"] if counts["adjusted"] else []
    if counts["pending"]:
        extra.append(f"待定 {counts['pending']} 项（结论冲突 {counts['conflicts']} 项，未审核 {counts['undecided']} 项）")
    return text + ("；其中" + "，".join(extra) if extra else "")


def by_agency(outcomes: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.agency, []).append(o)
    return {agency: tally(items) for agency, items in groups.items()}


def by_agency_category(outcomes: Sequence[Outcome]) -> dict[tuple[str, str], dict[str, int]]:
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault((o.agency, o.power.category), []).append(o)
    order = {a: i for i, a in enumerate(dict.fromkeys(o.agency for o in outcomes))}
    keys = sorted(groups, key=lambda k: (order[k[0]], _ORDER.index(k[1]) if k[1] in _ORDER else 99, k[1]))
    return {k: tally(groups[k]) for k in keys}


def counts_json(outcomes: Sequence[Outcome]) -> dict:
    total = tally(outcomes)
    return {
        "total": total, "sentence": sentence(total),
        "by_agency": [{"agency": a, **c, "sentence": sentence(c)} for a, c in by_agency(outcomes).items()],
        "by_agency_category": [{"agency": a, "category": cat, **c} for (a, cat), c in by_agency_category(outcomes).items()],
    }


def write_counts(outcomes: Sequence[Outcome], target: str | os.PathLike, pending: Sequence[Sequence[str]] = ()) -> None:
    """The counts, by agency and category; `pending` (review/pending.py's rows) on a sheet
    of their own."""
    book = Workbook()
    sheet = book.active
    sheet.title = "清理统计"
    columns = [("agency", "单位", 24), *field_columns(("category",)), *((k, label, 8) for k, label in KEYS)]
    rows = []
    for agency, counts in by_agency(outcomes).items():
        for (a, category), c in by_agency_category(outcomes).items():
            if a == agency:
                rows.append([agency, category, *(str(c[k]) for k, _ in KEYS)])
        rows.append([agency, "小计", *(str(counts[k]) for k, _ in KEYS)])
    total = tally(outcomes)
    rows.append(["合计", "", *(str(total[k]) for k, _ in KEYS)])
    fill_sheet(sheet, f"权力清单清理审核统计：{sentence(total)}", columns, rows)
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row, min_col=3):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.isdigit():
                cell.value = int(cell.value)
    lines = book.create_sheet("按单位")
    fill_sheet(lines, "各单位清理审核情况", [("agency", "单位", 28), ("sentence", "清理审核情况", 100)],
               [[a, sentence(c)] for a, c in by_agency(outcomes).items()] + [["合计", sentence(total)]])
    if pending:
        fill_sheet(book.create_sheet(PENDING_SHEET), f"结论冲突与未审核的事项（{total['conflicts']} 项冲突，{total['undecided']} 项未审核）："
                   "各审核单位的结论与副本位置", PENDING_COLUMNS, pending)
    with atomic_path(target) as tmp:
        save_workbook(book, tmp)
