"""The internal filing register (备案登记表) of withheld powers, with their reasons.
It is written only into the internal folder, never beside public outputs."""

from __future__ import annotations

import os
from collections.abc import Sequence

from openpyxl import Workbook

from ..atomic import atomic_path
from ..fields import columns
from ..output import save_workbook
from ..text_forms import cell_position
from ..xlsxstyle import fill_sheet
from .records import Record

COLUMNS = [*columns(("seq", "agency", "code", "name", "category", "exemption", "basis"), "register"),
           ("source", "来源（文件/工作表/行）", 40)]


def write_register(records: Sequence[Record], target: str | os.PathLike) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "备案登记表"
    rows = []
    for i, r in enumerate(records, start=1):
        p = r.power
        source = cell_position(p.source.file, p.source.sheet, p.source.row)
        rows.append([str(i), r.value("agency"), p.code or "", p.title, p.category,
                     p.exemption or "（未填写理由）", p.basis or "", source])
    fill_sheet(sheet, "不予公开行政权力事项备案登记表（内部资料，不得公开）", COLUMNS, rows)
    with atomic_path(target) as tmp:
        save_workbook(book, tmp)
