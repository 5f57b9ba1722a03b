"""The catalogue workbook: a 总目录 sheet and one sheet per agency, ready to print (A3
landscape at a readable size, header repeated on every page) and to filter. The narrative
fields (行使条件, 责任事项, 追责情形) are mostly one boilerplate per list (2,172 real
powers carry 237 distinct 责任事项 and 150 distinct 追责情形): each distinct text stands
once on the 责任事项与追责情形 sheet and the tables cite it by number (责12), which keeps
the tables narrow enough to print at a readable size. CSV, JSON and SQLite carry the
full texts on every row.

No text is lost: a row is as tall as its longest cell needs, up to PRINT_LINES lines (a
row of Excel's 409-point maximum is half a printed page: 2,172 powers printed on 932 A3
pages); a cell whose text needs more shows its beginning and links to the 依据全文 sheet,
where the whole text stands in rows that each fit, keyed by the power's code.

The workbook is written as a stream (openpyxl write-only): each row goes to disk as it is
made and each agency's sheet is closed when done, so memory stays flat however many powers
there are. The title row is merged by range (write-only sheets have no merge_cells());
column widths, frozen panes and print set-up are set before the first row, the filter and
the merge when the sheet closes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ..atomic import atomic_path
from ..output import save_workbook
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


# the same few texts fill most cells of a column (category, limits, rights …): measured once
_lines = lru_cache(maxsize=4096)(wrapped_lines)

MAX_LINES = 27  # 15 pt a line + 3: 408 pt, within Excel's 409-point row limit
PRINT_LINES = 8  # the catalogue's rows: 7 to 10 powers to a printed A3 page
FULL_TEXT_SHEET = "依据全文"
_LINK_FONT = Font(color="FF0563C1", underline="single")


def fit_text(text: str, width: int, lines: int) -> str:
    """The longest beginning of `text` that wraps into `lines` lines of `width`."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if wrapped_lines(text[:mid], width) <= lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo]


def fill_sheet(sheet, title: str, columns: Sequence[tuple[str, str, int]], rows: Iterable[Sequence[str]],
               overflow=None, paper: str = "A4", max_lines: int = MAX_LINES) -> None:
    """A titled, bordered, wrapped, filterable table with print setup. `overflow(text,
    row_index, column_key)` → (sheet name, row) receives text too long for one row and says
    where it now stands; the cell shows its beginning with a link there. Without it, long
    text is kept whole in a row of the maximum height. `sheet` may be a write-only
    (streaming) worksheet; `rows` may be a generator."""
    table = Table(sheet, title, columns, paper=paper, max_lines=max_lines)
    for values in rows:
        table.add(values, overflow)
    table.close()


class Table:
    """`fill_sheet` a row at a time, for regular and write-only (streaming) worksheets
    alike: in a write-only workbook nothing of a row is kept once it is written, so memory
    stays flat in the number of rows. The sheet must be empty."""

    def __init__(self, sheet, title: str, columns: Sequence[tuple[str, str, int]], paper: str = "A4",
                 max_lines: int = MAX_LINES):
        self.sheet, self.columns, self.max_lines = sheet, list(columns), max_lines
        self.streaming = isinstance(sheet, WriteOnlyWorksheet)
        last = get_column_letter(len(columns))
        # everything written before the first row goes first (the streaming writer writes
        # the sheet's head with its first row); the rest is written on close
        for c, (_key, _header, width) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = "C3"
        _print_setup(sheet, paper)
        head = Cell(sheet, row=1, column=1, value=title)
        head.font = Font(bold=True, size=14)
        self._put(1, [head], 24)
        if self.streaming:  # a write-only sheet has no merge_cells(); the range is written on close
            sheet.merged_cells.add(f"A1:{last}1")
        else:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        headers = []
        for c, (_key, header, _width) in enumerate(columns, start=1):
            cell = Cell(sheet, row=2, column=c, value=header)
            cell.font = Font(bold=True, color="FFFFFFFF")
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
            headers.append(cell)
        self._put(2, headers, row_height(max(wrapped_lines(h, w) for _k, h, w in columns)))
        self.row = 2
        body = Cell(sheet)
        body.alignment = Alignment(vertical="top", wrap_text=True)
        body.border = _BORDER
        self._body_style = body._style  # copied onto every body cell: one style lookup, not one per cell

    @property
    def next_row(self) -> int:
        return self.row + 1

    def _put(self, r: int, cells: list, height: float) -> None:
        self.sheet.row_dimensions[r].height = height
        self.sheet.append(cells)
        if self.streaming:  # written out with its row: no need to keep it
            del self.sheet.row_dimensions[r]

    def add(self, values: Sequence[str], overflow=None) -> int:
        """Writes one row (`overflow` as for fill_sheet); returns its row number."""
        r = self.row + 1
        lines, cells = 1, []
        for c, text in enumerate(values, start=1):
            key, _header, width = self.columns[c - 1]
            cell = Cell(self.sheet, row=r, column=c)
            cell._style = StyleArray(self._body_style)
            need = _lines(text, width)
            target = overflow(text, r - 3, key) if overflow and need > self.max_lines else None
            if target:
                where, at = target
                note = f"……（全文见“{where}”第{at}行）"
                text = fit_text(text, width, self.max_lines - wrapped_lines(note, width)) + note
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{where}'!A{at}", display=text)
                need = wrapped_lines(text, width)
            xlsx_cell(cell, text)
            lines = max(lines, need)
            cells.append(cell)
        self._put(r, cells, row_height(lines, cap=max(self.max_lines, MAX_LINES if not overflow else 0)))
        self.row = r
        return r

    def close(self) -> None:
        """The filter over the rows written; a streaming sheet is finished (its file closed)."""
        self.sheet.auto_filter.ref = f"A2:{get_column_letter(len(self.columns))}{max(2, self.row)}"
        if self.streaming:
            self.sheet.close()


def _print_setup(sheet, paper: str) -> None:
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if paper == "A3" else Worksheet.PAPERSIZE_A4
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


# catalogue columns and widths sized so that A3 landscape prints at about 9 pt
WIDTHS = {"seq": 5, "agency": 16, "code": 16, "name": 26, "sub_name": 14, "category": 9, "basis": 44, "office": 12,
          "level": 8, "statutory_limit": 10, "promised_limit": 10, "fee": 14, "disclosure": 9, "rights": 20,
          "complaint": 16, "disclosure_scope": 9, "version": 9, "conditions": 7, "duty": 7, "accountability": 7}
# long narrative fields: each distinct text once on its own sheet, cited by number in the tables
NARRATIVE = {"conditions": "条", "duty": "责", "accountability": "追"}
NARRATIVE_SHEET = "责任事项与追责情形"
NARRATIVE_COLUMNS = [("ref", "编号", 7), ("field", "栏目", 10), ("count", "事项数", 7), ("text", "内容（目录中按编号引用）", 110)]


def _columns(records: Sequence[Record], with_agency: bool) -> list[tuple[str, str, int]]:
    """序号 and the record fields that have a value in some record."""
    keys = [(k, h) for k, h, _w in FIELDS[1:] if (with_agency or k != "agency")]
    kept = [(k, h, WIDTHS.get(k, 12)) for k, h in keys if any(r.value(k) for r in records)]
    return [("seq", "序号", WIDTHS["seq"]), *kept]


def write_workbook(records: Sequence[Record], target: str | os.PathLike, title: str = "行政权力事项目录") -> None:
    """Written in streaming (write-only) mode: rows go to disk as they are made, so memory
    does not grow with the number of records."""
    book = Workbook(write_only=True)
    used: set[str] = {FULL_TEXT_SHEET.lower(), NARRATIVE_SHEET.lower()}
    full: list[Table] = []  # the 依据全文 sheet, made at the first text too long for its row
    placed: dict[tuple[str, str], int] = {}

    def overflow_for(items: Sequence[Record]):
        def place(text: str, index: int, key: str) -> tuple[str, int]:
            record = items[index]
            if (record.id, key) not in placed:
                if not full:
                    full.append(Table(book.create_sheet(FULL_TEXT_SHEET), "依据全文（目录中显示不下的长文本）",
                                      FULL_COLUMNS, paper="A3"))
                label = next(h for k, h, _w in FIELDS if k == key)
                placed[(record.id, key)] = full[0].next_row
                pieces = _pieces(text, FULL_WIDTH, MAX_LINES)
                for n, piece in enumerate(pieces, start=1):
                    part = f"（{n}/{len(pieces)}）" if len(pieces) > 1 else ""
                    # keyed as a reader finds the power: its code, else its place in 总目录
                    full[0].add([key_of(record), record.value("agency"), record.power.title, label + part, piece])
            return FULL_TEXT_SHEET, placed[(record.id, key)]
        return place

    # each distinct narrative text (per field) numbered in order of first use: 责1, 责2 …
    cited: dict[tuple[str, str], list] = {}
    numbered = dict.fromkeys(NARRATIVE, 0)
    for r in records:
        for key, prefix in NARRATIVE.items():
            text = r.value(key)
            if not text:
                continue
            entry = cited.get((key, text))
            if entry is None:
                numbered[key] += 1
                entry = cited[(key, text)] = [f"{prefix}{numbered[key]}", 0]
            entry[1] += 1

    def value(r: Record, key: str) -> str:
        text = r.value(key)
        return f"见{cited[(key, text)][0]}" if key in NARRATIVE and text else text

    def rows(items: Sequence[Record], columns):
        for i, r in enumerate(items, start=1):
            yield [str(i), *(value(r, k) for k, _h, _w in columns[1:])]

    seq = {id(r): n for n, r in enumerate(records, start=1)}

    def key_of(record: Record) -> str:
        """How a reader finds a power across sheets: its code, else its place in 总目录."""
        return record.value("code") or f"（无编码，总目录第{seq[id(record)]}项）"
    summary = book.create_sheet(sheet_title("总目录", used))
    columns = _columns(records, with_agency=True)
    fill_sheet(summary, title, columns, rows(records, columns), overflow=overflow_for(records), paper="A3",
               max_lines=PRINT_LINES)
    by_agency: dict[str, list[Record]] = {}
    for record in records:
        by_agency.setdefault(record.agency, []).append(record)
    for agency, items in by_agency.items():
        sheet = book.create_sheet(sheet_title(agency, used))
        agency_columns = _columns(items, with_agency=False)
        fill_sheet(sheet, f"{agency} {title}", agency_columns, rows(items, agency_columns),
                   overflow=overflow_for(items), paper="A3", max_lines=PRINT_LINES)
    if cited:
        labels = {k: h for k, h, _w in FIELDS}
        order = sorted(cited.items(), key=lambda item: (list(NARRATIVE).index(item[0][0]), int(item[1][0][1:])))
        fill_sheet(book.create_sheet(NARRATIVE_SHEET), f"{title}：行使条件、责任事项与追责情形（各段文字只列一次）",
                   NARRATIVE_COLUMNS, ([ref, labels[key], str(count), text] for (key, text), (ref, count) in order))
    if full:
        full[0].close()
        book.move_sheet(FULL_TEXT_SHEET, len(book.worksheets) - 1 - book.index(full[0].sheet))  # last, as before
    book.properties.creator = "powercat"
    with atomic_path(target) as tmp:
        save_workbook(book, tmp)


FULL_WIDTH = 130  # A3 landscape at full size: 65 Chinese characters a line, 50 lines a page
FULL_COLUMNS = [("code", "职权编码", 16), ("agency", "实施主体", 16), ("name", "职权名称", 24), ("field", "栏目", 10),
                ("text", "全文", FULL_WIDTH)]


def _pieces(text: str, width: int, lines: int) -> list[str]:
    """`text` cut into pieces that each wrap into at most `lines` lines, at line breaks
    where possible."""
    pieces, rest = [], text
    while rest:
        head = fit_text(rest, width, lines)
        if len(head) < len(rest):
            cut = head.rfind("\n")
            if cut > len(head) // 2:
                head = head[:cut + 1]
        if not head:
            head = rest[:1]
        pieces.append(head.rstrip("\n"))
        rest = rest[len(head):]
    return pieces
