"""The annotated copy a reviewer sends back: the agency's workbook with every flagged cell
filled and commented, and a 问题清单 sheet whose rows link to the cells.

Always a new file `<name>.审查意见.xlsx`; the input is never opened for writing. `.xlsx`
inputs keep their formatting (openpyxl, normal mode); `.xls`, `.ods` and `.csv` inputs are
rebuilt from their cells and merged ranges.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..atomic import atomic_path
from ..check.findings import ERROR, RULES, SEVERITY_ORDER, SEVERITY_ZH, WARNING, Finding
from ..ingest.csvfile import read_csv
from ..ingest.workbook import read_sheets
from ..review.decisions import add_decision_columns  # issue 15: reviewers' decision columns
from ..model import WorkbookFile
from ..xlsxstyle import row_height, wrapped_lines

FILLS = {
    ERROR: PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE"),
    WARNING: PatternFill("solid", start_color="FFFFEB9C", end_color="FFFFEB9C"),
}
INFO_FILL = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
ISSUES_SHEET = "问题清单"


def annotated_name(path: str) -> str:
    return Path(path).stem + ".审查意见.xlsx"


def write_annotated(source: WorkbookFile, findings: list[Finding], out_dir: str | os.PathLike) -> Path:
    target = Path(out_dir) / annotated_name(source.path)
    if target.resolve() == Path(source.path).resolve():
        raise ValueError(f"{target} 与输入文件相同")
    book = _load_copy(source)
    add_decision_columns(book, source)  # issue 15: 审核结论 … 日期, read back by `powercat review`
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.sheet in book.sheetnames and finding.row:
            by_cell[(finding.sheet, f"{finding.column or 'A'}{finding.row}")].append(finding)
    anchors: dict[tuple[str, str], str] = {}
    for (sheet_name, ref), items in by_cell.items():
        sheet = book[sheet_name]
        cell = _writable(sheet, ref)
        anchors[(sheet_name, ref)] = cell.coordinate
        worst = min((f.severity for f in items), key=SEVERITY_ORDER.__getitem__)
        cell.fill = FILLS.get(worst, INFO_FILL)
        text = "\n".join(f"【{SEVERITY_ZH[f.severity]}·{f.code}】{f.message}" for f in items)
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        cell.comment = Comment(text[:30000], "powercat 审查", height=min(400, 60 + 40 * len(items)), width=360)
    _issue_sheet(book, findings, anchors)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def _load_copy(source: WorkbookFile) -> Workbook:
    if source.format == "xlsx" and not source.path.lower().endswith(".xlsb"):
        try:
            # keep_links=False: external link caches are not needed in a review copy
            return load_workbook(source.path, keep_links=False, keep_vba=False)
        except Exception:  # noqa: BLE001 – defusedxml refusing a bomb, parts openpyxl cannot read …
            pass  # … then rebuild the copy from the cells calamine read
    data = Path(source.path).read_bytes()
    grids = [read_csv(data, Path(source.path).stem)] if source.format == "csv" else read_sheets(data)
    book = Workbook()
    book.remove(book.active)
    for grid in grids:
        sheet = book.create_sheet(grid.name[:31])
        for r, cells in enumerate(grid.rows, start=1):
            for c, value in enumerate(cells, start=1):
                if value not in ("", None):
                    cell = sheet.cell(row=r, column=c, value=value if not isinstance(value, str) else value)
                    if isinstance(value, str):
                        cell.data_type = "s"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        merged = {(top, end) for top, end in grid.spans.items()}
        for col, anchors in grid.column_anchors.items():
            start = None
            for row, top in enumerate(anchors + [-1]):
                if top >= 0 and start is None:
                    start = top
                elif top < 0 and start is not None:
                    merged.add(((start, col), (row - 1, col)))
                    start = None
        for (r0, c0), (r1, c1) in sorted(merged):
            sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    return book


def _writable(sheet, ref: str):
    cell = sheet[ref]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if ref in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _issue_sheet(book: Workbook, findings: list[Finding], anchors: dict[tuple[str, str], str]) -> None:
    if ISSUES_SHEET in book.sheetnames:
        del book[ISSUES_SHEET]
    sheet = book.create_sheet(ISSUES_SHEET, 0)
    headers = ["序号", "级别", "规则", "名称", "工作表", "行", "列", "事项", "问题", "定位"]
    widths = [5, 6, 22, 16, 10, 5, 4, 28, 60, 10]
    for i, (header, width) in enumerate(zip(headers, widths), start=1):
        cell = sheet.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(i)].width = width
    for n, f in enumerate(findings, start=1):
        values = [n, SEVERITY_ZH[f.severity], f.code, RULES[f.code].title, f.sheet, f.row, f.column, f.power, f.message]
        for i, value in enumerate(values, start=1):
            cell = sheet.cell(row=n + 1, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # workbook text is never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if f.severity in FILLS:
            sheet.cell(row=n + 1, column=2).fill = FILLS[f.severity]
        lines = max(wrapped_lines(f.power, widths[7]), wrapped_lines(f.message, widths[8]), wrapped_lines(f.code, widths[2]))
        sheet.row_dimensions[n + 1].height = row_height(lines)
        target = anchors.get((f.sheet, f"{f.column or 'A'}{f.row}"))
        if target and f.sheet:
            link = sheet.cell(row=n + 1, column=len(headers), value="转到单元格")
            link.hyperlink = f"#'{f.sheet}'!{target}"
            link.font = Font(color="FF0563C1", underline="single")
            link.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(findings) + 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"

