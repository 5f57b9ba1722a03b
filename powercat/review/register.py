"""The filing register (备案登记表) of the review: every power the confirmed lists withhold,
with who decided it, why and on what basis. Internal: written only into the review's
output folder, never beside public outputs."""

from __future__ import annotations

import os
from collections.abc import Sequence

from openpyxl import Workbook

from ..atomic import atomic_path
from ..fields import columns
from ..output import save_workbook
from ..xlsxstyle import fill_sheet
from ..ingest.decisions import FILE
from .reconcile import Outcome, where

COLUMNS = [*columns(("seq", "agency", "code", "name", "category", "exemption"), "register"), ("how", "来源", 14),
           ("decided_by", "决定单位", 14), ("reviewer", "审核人", 10), ("date", "日期", 11), ("opinion", "审核意见", 36),
           ("source", "送审清单位置", 30), ("confirmed", "确认清单位置", 30)]


def filed(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """Every withheld power: kept in a confirmed list, or removed by the review (a withheld
    power 取消 / 合并 / 下放 is recorded here, never in the publishable 调整对照表)."""
    return [o for o in outcomes if o.withheld]


def write_register(rows: Sequence[tuple[Outcome, str]], target: str | os.PathLike) -> None:
    """`rows`: each withheld outcome with its position in the confirmed list."""
    table = []
    for i, (o, confirmed_at) in enumerate(rows, start=1):
        p = o.confirmed or o.power
        filing = [d for d in o.decisions if d.conclusion == FILE]
        how = "审核转备案" if o.filed_by_review else "原清单不予公开"
        if o.unreadable:
            how += "（审核结论无法识别）"
        if o.conflict:
            how += "（结论冲突，待定）"
        elif o.confirmed is None:
            how += f"（审核{o.conclusion}）"
            filing = [d for d in o.decisions if d.conclusion == o.conclusion]
        table.append([str(i), p.agency or o.agency, p.code or "", p.title, p.category, p.exemption or "（未写明理由）",
                      how, "、".join(dict.fromkeys(d.office for d in filing if d.office)),
                      "、".join(dict.fromkeys(d.reviewer for d in filing if d.reviewer)),
                      max((d.date for d in filing if d.date), default=""),
                      "\n".join(f"{d.office}：{d.opinion}" for d in filing if d.opinion),
                      where(o.power), confirmed_at])
    book = Workbook()
    sheet = book.active
    sheet.title = "备案登记表"
    fill_sheet(sheet, f"不予公开行政权力事项备案登记表（清理审核，共 {len(table)} 项；内部资料，不得公开）", COLUMNS, table)
    with atomic_path(target) as tmp:
        save_workbook(book, tmp)
