"""The annotated copy a reviewer sends back: the agency's workbook with every flagged cell
filled and commented, and a 问题清单 sheet whose rows link to the cells.

Always a new file `<name>.审查意见.xlsx`; the input is never opened for writing. `.xlsx`
inputs keep their formatting (openpyxl, normal mode); `.xls` inputs are rebuilt from their
cells and merged ranges with the formatting of their BIFF records (column widths, row
heights, fonts, borders, wrapping, alignment, read with xlrd), so the copy can go back to
the agency; `.csv` inputs are rebuilt from their cells. Two inputs of the same name in
different folders get distinct copies (`annotated_names`).

The 问题清单 sheet opens with a summary (check date, counts, what the law registry covers)
and lists the findings by severity; cell comments are Chinese, the rule's name first.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..atomic import atomic_path
from ..check.findings import ERROR, INFO, RULES, SEVERITY_ORDER, SEVERITY_ZH, WARNING, Finding
from ..ingest.csvfile import read_csv
from ..ingest.workbook import read_sheets
from ..ingest.decisions import add_decision_columns  # issue 15: reviewers' decision columns
from ..model import WorkbookFile
from ..names import distinct_names, sheet_title
from ..errors import EXIT_USAGE
from ..output import OutputError, save_workbook
from ..xlsxstyle import LINK_FONT, row_height, style_header, wrapped_lines
from .findings_view import (UNVERIFIABLE, UNVERIFIABLE_HEADERS, UNVERIFIABLE_SHEET, VERSION_UNVERIFIABLE,
                            unverifiable_line, unverifiable_sheet_rows)

FILLS = {
    ERROR: PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE"),
    WARNING: PatternFill("solid", start_color="FFFFEB9C", end_color="FFFFEB9C"),
}
INFO_FILL = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
ISSUES_SHEET = "问题清单"


def annotated_name(path: str) -> str:
    return Path(path).stem + ".审查意见.xlsx"


def annotated_names(paths: list[str]) -> dict[str, str]:
    """The copy's file name for each input path, no two alike: inputs of the same name in
    different folders are told apart by their folder (and a hash, through distinct_names)."""
    stems = defaultdict(list)
    for path in dict.fromkeys(paths):
        stems[Path(path).stem].append(path)
    texts = {}
    for stem, members in stems.items():
        for path in members:
            texts[path] = stem if len(members) == 1 else f"{stem}（{Path(path).parent.name or '根目录'}）"
    names = distinct_names(texts.values())
    return {path: names[text] + ".审查意见.xlsx" for path, text in texts.items()}


def write_annotated(source: WorkbookFile, findings: list[Finding], out_dir: str | os.PathLike,
                    name: str | None = None, summary: list[str] | None = None) -> Path:
    """The annotated copy of `source` in `out_dir` (as `name`, default `<stem>.审查意见.xlsx`);
    `summary` lines open the 问题清单 sheet."""
    target = Path(out_dir) / (name or annotated_name(source.path))
    if target.resolve() == Path(source.path).resolve():
        raise OutputError(f"审查意见副本 {target} 与输入文件相同，不能覆盖输入", EXIT_USAGE)
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
        text = "\n".join(f"【{RULES[f.code].title}·{SEVERITY_ZH[f.severity]}】{f.message}" for f in items)
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        cell.comment = Comment(text[:30000], "powercat 审查", height=min(400, 60 + 40 * len(items)), width=360)
    _issue_sheet(book, findings, anchors, summary or [])
    with atomic_path(target) as tmp:
        save_workbook(book, tmp)
    return target


# what a worksheet cannot hold (XML 1.0 has no place for them): C0 controls, lone surrogates and
# the non-characters U+FFFE/U+FFFF. An .xls or .csv may carry them, and openpyxl would refuse
# the controls and write the others into a copy Excel cannot open; the reader drops them too
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _load_copy(source: WorkbookFile) -> Workbook:
    if source.format == "xlsx" and not source.path.lower().endswith(".xlsb"):
        try:
            # keep_links=False: external link caches are not needed in a review copy
            return load_workbook(source.path, keep_links=False, keep_vba=False)
        except Exception:  # noqa: BLE001 – defusedxml refusing a bomb, parts openpyxl cannot read …
            pass  # … then rebuild the copy from the cells calamine read
    data = Path(source.path).read_bytes()
    grids = [read_csv(data, Path(source.path).stem)] if source.format == "csv" else read_sheets(data)
    styles = _xls_styles(data) if source.format == "xls" else {}
    book = Workbook()
    book.remove(book.active)
    for grid in grids:
        sheet = book.create_sheet(sheet_title(grid.name, {name.casefold() for name in book.sheetnames}))
        for r, cells in enumerate(grid.rows, start=1):
            for c, value in enumerate(cells, start=1):
                if value not in ("", None):
                    if isinstance(value, str):
                        value = _NOT_XML.sub("", value)
                    cell = sheet.cell(row=r, column=c, value=value)
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
        if grid.name in styles:
            styles[grid.name](sheet)
    return book


_BORDERS = {1: "thin", 2: "medium", 3: "dashed", 4: "dotted", 5: "thick", 6: "double", 7: "hair",
            8: "mediumDashed", 9: "dashDot", 10: "mediumDashDot", 11: "dashDotDot", 12: "mediumDashDotDot",
            13: "slantDashDot"}
_HORIZONTAL = {1: "left", 2: "center", 3: "right", 4: "fill", 5: "justify", 6: "centerContinuous", 7: "distributed"}
_VERTICAL = {0: "top", 1: "center", 2: "bottom", 3: "justify", 4: "distributed"}


def _xls_styles(data: bytes) -> dict:
    """sheet name → a function that gives an openpyxl sheet the .xls sheet's column widths,
    row heights and each cell's font, borders, wrapping and alignment. {} when xlrd cannot
    read the formatting (the copy then keeps cells and merges only)."""
    if len(data) > 64 * 1024 * 1024:
        return {}
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception:  # noqa: BLE001 – formatting is a nicety; the cells were read already
        return {}
    colours = book.colour_map
    cache: dict[int, tuple] = {}

    def colour(index) -> str | None:
        rgb = colours.get(index)
        return "FF%02X%02X%02X" % rgb if rgb else None

    def style(xf_index: int) -> tuple:
        if xf_index not in cache:
            xf = book.xf_list[xf_index]
            f = book.font_list[xf.font_index]
            font = Font(name=f.name, size=f.height / 20, bold=bool(f.bold), italic=bool(f.italic),
                        underline="single" if f.underline_type else None, color=colour(f.colour_index))
            b = xf.border

            def side(kind, index):
                return Side(style=_BORDERS.get(kind), color=colour(index)) if kind else Side()

            border = Border(left=side(b.left_line_style, b.left_colour_index),
                            right=side(b.right_line_style, b.right_colour_index),
                            top=side(b.top_line_style, b.top_colour_index),
                            bottom=side(b.bottom_line_style, b.bottom_colour_index))
            a = xf.alignment
            alignment = Alignment(horizontal=_HORIZONTAL.get(a.hor_align), vertical=_VERTICAL.get(a.vert_align, "bottom"),
                                  wrap_text=bool(a.text_wrapped), indent=a.indent_level,
                                  text_rotation=a.rotation if 0 <= a.rotation <= 180 else 0)
            fill = None
            if xf.background.fill_pattern == 1:
                rgb = colour(xf.background.pattern_colour_index)
                fill = PatternFill("solid", start_color=rgb, end_color=rgb) if rgb else None
            cache[xf_index] = (font, border, alignment, fill)
        return cache[xf_index]

    def styler(index: int):
        def apply(sheet) -> None:
            source = book.sheet_by_index(index)
            # xlrd does not read the page setup: lists print landscape, one page wide
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
            sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            default = source.standardwidth or (source.defcolwidth or 8) * 256
            for col in range(source.ncols):
                info = source.colinfo_map.get(col)
                width = info.width if info else default
                sheet.column_dimensions[get_column_letter(col + 1)].width = round(width / 256, 2)
            for row in range(source.nrows):
                info = source.rowinfo_map.get(row)
                if info is not None and info.height:
                    sheet.row_dimensions[row + 1].height = info.height / 20
                elif source.default_row_height:
                    sheet.row_dimensions[row + 1].height = source.default_row_height / 20
                for col in range(source.ncols):
                    font, border, alignment, fill = style(source.cell_xf_index(row, col))
                    cell = sheet.cell(row=row + 1, column=col + 1)
                    cell.font, cell.border, cell.alignment = font, border, alignment
                    if fill is not None:
                        cell.fill = fill
        return apply

    try:
        return {name: styler(i) for i, name in enumerate(book.sheet_names())}
    except Exception:  # noqa: BLE001
        return {}


def _writable(sheet, ref: str):
    cell = sheet[ref]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if ref in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _issue_sheet(book: Workbook, findings: list[Finding], anchors: dict[tuple[str, str], str],
                 summary: list[str]) -> None:
    """The findings by severity, under a summary: the check date, the counts and what the
    registry covers."""
    if ISSUES_SHEET in book.sheetnames:
        del book[ISSUES_SHEET]
    sheet = book.create_sheet(ISSUES_SHEET, 0)
    headers = ["序号", "级别", "规则", "编码", "工作表", "行", "列", "事项", "问题", "定位"]
    widths = [5, 6, 16, 22, 10, 5, 4, 28, 60, 10]
    counts = {sev: sum(1 for f in findings if f.severity == sev) for sev in (ERROR, WARNING, INFO)}
    lines = [f"审查结果：错误 {counts[ERROR]} 条，警告 {counts[WARNING]} 条，提示 {counts[INFO]} 条"]
    # signal first: what a reviewer must act on is listed here; what the registry cannot
    # verify is one line pointing to a sheet of its own
    unverifiable = unverifiable_line(findings)
    lines += [unverifiable] if unverifiable else []
    lines += summary
    _unverifiable_sheet(book, findings)
    findings = [f for f in findings if f.code not in UNVERIFIABLE and f.code != VERSION_UNVERIFIABLE]
    for r, line in enumerate(lines, start=1):
        cell = sheet.cell(row=r, column=1, value=line)
        cell.data_type = "s"
        cell.font = Font(bold=r == 1)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headers))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[r].height = row_height(wrapped_lines(line, sum(widths)))
    top = len(lines) + 2  # a blank row, then the header
    for i, (header, width) in enumerate(zip(headers, widths), start=1):
        style_header(sheet.cell(row=top, column=i, value=header))
        sheet.column_dimensions[get_column_letter(i)].width = width
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.sheet or "", f.row or 0, f.code))
    for n, f in enumerate(ordered, start=1):
        r = top + n
        values = [n, SEVERITY_ZH[f.severity], RULES[f.code].title, f.code, f.sheet, f.row, f.column, f.power, f.message]
        for i, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # workbook text is never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if f.severity in FILLS:
            sheet.cell(row=r, column=2).fill = FILLS[f.severity]
        height = max(wrapped_lines(f.power, widths[7]), wrapped_lines(f.message, widths[8]),
                     wrapped_lines(f.code, widths[3]))
        sheet.row_dimensions[r].height = row_height(height)
        target = anchors.get((f.sheet, f"{f.column or 'A'}{f.row}"))
        if target and f.sheet:
            link = sheet.cell(row=r, column=len(headers), value="转到单元格")
            link.hyperlink = f"#'{f.sheet}'!{target}"
            link.font = LINK_FONT
            link.alignment = Alignment(vertical="top")
    sheet.freeze_panes = f"A{top + 1}"
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{max(top, top + len(findings))}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{top}"


def _unverifiable_sheet(book: Workbook, findings: list[Finding]) -> None:
    """The full list of titles and versions the registry lacks, one row each, after 问题清单."""
    if UNVERIFIABLE_SHEET in book.sheetnames:
        del book[UNVERIFIABLE_SHEET]
    rows = unverifiable_sheet_rows(findings)
    if not rows:
        return
    sheet = book.create_sheet(UNVERIFIABLE_SHEET, 1)
    widths = [14, 36, 16, 20, 12, 16, 60]
    for i, (header, width) in enumerate(zip(UNVERIFIABLE_HEADERS, widths), start=1):
        style_header(sheet.cell(row=1, column=i, value=header))
        sheet.column_dimensions[get_column_letter(i)].width = width
    for r, values in enumerate(rows, start=2):
        for i, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # workbook text is never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(UNVERIFIABLE_HEADERS))}{len(rows) + 1}"


def summary_lines(as_of: str | None, coverage_lines: list[str]) -> list[str]:
    """The lines under the counts: the check date and the registry's coverage per level."""
    lines = [f"审查基准日：{as_of}"] if as_of else []
    lines.append("法规库收录情况：" + "；".join(coverage_lines))
    lines.append("“无法核验”表示法规库未收录该法规或所引版本，并非依据有误；请人工核对，或用 --laws 补充本地法规后重新审查。")
    return lines
