"""The catalogue workbook: a 总目录 sheet and one sheet per agency, ready to print (A4
landscape, header repeated on every page) and to filter."""

from __future__ import annotations

import os
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..atomic import atomic_path
from ..names import safe_name
from ..xlsxstyle import row_height, wrapped_lines
from .records import FIELDS, Record
from .safety import xlsx_cell

_HEADER_FILL = PatternFill("solid", start_color="FF2F5597", end_color="FF2F5597")
_THIN = Side(style="thin", color="FFBFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_title(name: str, used: set[str]) -> str:
    """Excel sheet names: ≤ 31 characters, none of []:*?/\\, unique."""
    base = safe_name(name).translate(_INVALID_SHEET_CHARS)[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def fill_sheet(sheet, title: str, columns: Sequence[tuple[str, str, int]], rows: Sequence[Sequence[str]]) -> None:
    """A titled, bordered, wrapped, filterable table with print setup."""
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.row_dimensions[1].height = 24
    for c, (_key, header, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=c, value=header)
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.row_dimensions[2].height = row_height(max(wrapped_lines(h, w) for _k, h, w in columns))
    for r, values in enumerate(rows, start=3):
        lines = 1
        for c, text in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            xlsx_cell(cell, text)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = _BORDER
            lines = max(lines, wrapped_lines(text, columns[c - 1][2]))
        sheet.row_dimensions[r].height = row_height(lines, cap=12)
    last = get_column_letter(len(columns))
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A2:{last}{max(2, len(rows) + 2)}"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_workbook(records: Sequence[Record], target: str | os.PathLike, title: str = "行政权力事项目录") -> None:
    book = Workbook()
    summary = book.active
    used: set[str] = set()
    summary.title = sheet_title("总目录", used)
    columns = [("seq", "序号", 6), *FIELDS[1:]]
    rows = [[str(i), *(r.value(k) for k, _h, _w in FIELDS[1:])] for i, r in enumerate(records, start=1)]
    fill_sheet(summary, title, columns, rows)
    by_agency: dict[str, list[Record]] = {}
    for record in records:
        by_agency.setdefault(record.agency, []).append(record)
    agency_columns = [c for c in columns if c[0] != "agency"]
    for agency, items in by_agency.items():
        sheet = book.create_sheet(sheet_title(agency, used))
        fill_sheet(sheet, f"{agency} {title}", agency_columns,
                   [[str(i), *(r.value(k) for k, _h, _w in agency_columns[1:])] for i, r in enumerate(items, start=1)])
    book.properties.creator = "powercat"
    with atomic_path(target) as tmp:
        book.save(tmp)
