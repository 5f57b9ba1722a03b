"""The one styled-table writer for the workbooks powercat writes (catalogue, registers,
调整对照表, review counts, case figures, statistics) and its house style: a bold title row,
a blue header row, thin grey borders, wrapped text, frozen panes, a filter, print set-up
(landscape, fit to width, header repeated, page numbers) and rows as tall as their text.
Column widths of a power's fields come from the field table (powercat/fields.py).

No text is clipped: a row is as tall as its longest cell needs, up to Excel's limit of 409
points; a cell whose text needs more shows its beginning and, with `overflow`, links to
where the whole text stands.

Templates powercat writes for agencies to fill (ingest/template.py, review decision columns)
keep their own input style for now."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import openpyxl
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .formula_safety import is_risky, xlsx_cell

# the house style
HEADER_FILL = PatternFill("solid", start_color="FF2F5597", end_color="FF2F5597")
HEADER_FONT_COLOR = "FFFFFFFF"
_THIN = Side(style="thin", color="FFBFBFBF")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
LINK_FONT = Font(color="FF0563C1", underline="single")


def style_header(cell) -> None:
    """A header cell in the house style, for sheets laid out by hand (the 问题清单 of an
    annotated copy, which sits under a summary)."""
    cell.font = Font(bold=True, color=HEADER_FONT_COLOR)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = BORDER


def wrapped_lines(text: str | None, width: int) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (CJK count double).
    Spreadsheet programs do not grow rows for wrapped text written by openpyxl, so rows
    get an explicit height from this."""
    if not text:
        return 1
    total = 0
    for part in str(text).split("\n"):
        units = len(part) if part.isascii() else len(part) + len(_WIDE.findall(part))
        total += max(1, -(-units // max(width, 1)))
    return total


_WIDE = re.compile("[\u2e81-\U0010ffff]")  # characters that take two units (CJK and beyond): ord > 0x2E80


def row_height(lines: int, cap: int = 20) -> float:
    return 15.0 * min(max(lines, 1), cap) + 3


# the same few texts fill most cells of a column (category, limits, rights …): measured once
_lines = lru_cache(maxsize=4096)(wrapped_lines)

MAX_LINES = 27  # 15 pt a line + 3: 408 pt, within Excel's 409-point row limit


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
        # body rows of a streamed sheet go out as XML text (see _RowText); openpyxl's
        # lxml writer, when lxml is installed, takes no text: then cells as for a regular sheet
        # (private openpyxl parts: pinned to 3.1.x in pyproject; any other shape → cells as before)
        self._text_rows = (self.streaming and not openpyxl.LXML and getattr(sheet, "_writer", False) is None
                           and hasattr(WorksheetWriter, "write_row"))
        last = get_column_letter(len(columns))
        # everything written before the first row goes first (the streaming writer writes
        # the sheet's head with its first row); the rest is written on close
        for c, (_key, _header, width) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = "C3"
        _print_setup(sheet, paper)
        if self._text_rows:  # before the first row, which writes the sheet's head
            sheet._writer = _TextRowWriter(sheet)
            sheet._writer.write_top()
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
            style_header(cell)
            headers.append(cell)
        self._put(2, headers, row_height(max(wrapped_lines(h, w) for _k, h, w in columns)))
        self.row = 2
        body = Cell(sheet)
        body.alignment = Alignment(vertical="top", wrap_text=True)
        body.border = BORDER
        self._body_style = body._style  # copied onto every body cell: one style lookup, not one per cell
        self._text = _RowText(sheet, body._style) if self._text_rows else None
        self._captured: list[str] | None = None  # the rows' XML while capturing (capture())
        self._broken, self._links_from = False, 0

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
        lines, texts, links = 1, [], {}
        for c, text in enumerate(values, start=1):
            key, _header, width = self.columns[c - 1]
            need = _lines(text, width)
            target = overflow(text, r - 3, key) if overflow and need > self.max_lines else None
            if target:
                where, at = target
                note = f"……（全文见“{where}”第{at}行）"
                text = fit_text(text, width, self.max_lines - wrapped_lines(note, width)) + note
                links[c] = f"'{where}'!A{at}"
                need = wrapped_lines(text, width)
            lines = max(lines, need)
            texts.append(text)
        height = row_height(lines, cap=max(self.max_lines, MAX_LINES if not overflow else 0))
        if self._text is not None and all(type(text) is str or text is None for text in texts):
            self.sheet._writer.text = self._text.row(r, height, texts, links)
            if self._captured is not None:
                self._captured.append(self.sheet._writer.text)
            self.sheet.append(())  # openpyxl counts the row and writes the text (_TextRowWriter)
        else:
            self._broken = True  # a row written as cells: no text to capture
            self._put(r, [self._cell(r, c, text, links.get(c)) for c, text in enumerate(texts, start=1)], height)
        self.row = r
        return r

    def capture(self) -> None:
        """From here on keep the body rows' XML (streamed sheets written as text only) for
        `captured`, so that a caller can file a block of rows and `add_text` it another time."""
        self._captured, self._broken = ([] if self._text is not None else None), False
        self._links_from = len(self.sheet._hyperlinks) if self._text is not None else 0

    def captured(self) -> tuple[str, list[list[str]]] | None:
        """The rows added since `capture()` as XML text and their links [ref, location,
        display]; None when some row could not be captured (written as cells)."""
        rows, self._captured = self._captured, None
        if rows is None or self._broken:
            return None
        links = [[link.ref, link.location, link.display] for link in self.sheet._hyperlinks[self._links_from:]]
        return "".join(rows), links

    def add_text(self, text: str, count: int, links: Sequence[Sequence[str]]) -> None:
        """`count` body rows as the XML text `captured` gave for them, numbered for this
        place (the caller moves them: row numbers, styles and link targets as here): written
        as they stand."""
        if self._text is None:
            raise ValueError("rows as text need a streamed sheet written as text")
        for n in range(count):  # openpyxl counts the rows one append at a time
            self.sheet._writer.text = "" if n else text
            self.sheet.append(())
        self.sheet._hyperlinks.extend(Hyperlink(ref=ref, location=location, display=display)
                                      for ref, location, display in links)
        self.row += count

    @property
    def takes_text(self) -> bool:
        """Whether rows can be captured and added as text (a streamed sheet, no lxml)."""
        return self._text is not None

    def _cell(self, r: int, c: int, text, link: str | None) -> Cell:
        cell = Cell(self.sheet, row=r, column=c)
        cell._style = StyleArray(self._body_style)
        if link:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link, display=text)
        xlsx_cell(cell, text)
        return cell

    def close(self) -> None:
        """The filter over the rows written; a streaming sheet is finished (its file closed)."""
        self.sheet.auto_filter.ref = f"A2:{get_column_letter(len(self.columns))}{max(2, self.row)}"
        if self.streaming:
            self.sheet.close()


class _RowText:
    """A body row of a streamed sheet as the XML text openpyxl would write for its cells,
    made directly: openpyxl builds an element tree per cell and serialises it, which costs
    ~4× the text itself (a 100,000-power catalogue is 2.8 million cells). Same bytes: every
    cell is an inline string in the body style (quote-prefixed when risky, as xlsx_cell
    does), the text cut and checked as openpyxl's Cell does, escaped as ElementTree does;
    tests/test_spreadsheet_streaming.py compares the two writers' sheets byte for byte."""

    def __init__(self, sheet, body: StyleArray):
        self.sheet, self.body = sheet, body
        self.quoted = StyleArray(body)
        self.quoted.quotePrefix = 1
        self.ids: dict[bool, str] = {}  # risky → style id, taken at first use as openpyxl does
        self.letters = [""]

    def row(self, r: int, height: float, texts: Sequence[str | None], links: dict[int, str]) -> str:
        while len(self.letters) <= len(texts):
            self.letters.append(get_column_letter(len(self.letters)))
        parts = [f'<row r="{r}" ht="{height:.16g}" customHeight="1">']
        for c, text in enumerate(texts, start=1):
            ref = f"{self.letters[c]}{r}"
            if text:
                text = text[:32767]  # as Cell.check_string
                if ILLEGAL_CHARACTERS_RE.search(text):
                    raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
            risky = is_risky(text)
            style = self.ids.get(risky)
            if style is None:
                style = self.ids[risky] = str(self.sheet.parent._cell_styles.add(self.quoted if risky else self.body))
            if c in links:
                self.sheet._hyperlinks.append(Hyperlink(ref=ref, location=links[c], display=text))
            if not text:
                parts.append(f'<c r="{ref}" s="{style}" t="inlineStr" />')
                continue
            stripped = text.strip()
            space = ' xml:space="preserve"' if stripped and stripped != text else ""
            if "&" in text or "<" in text or ">" in text:
                text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        parts.append("</row>")
        return "".join(parts)


class _TextRowWriter(WorksheetWriter):
    """openpyxl's sheet writer, which writes a row given as text (`text`, set just before
    the row is appended) as it stands; other rows as openpyxl does."""

    text: str | None = None

    def write_row(self, xf, row, row_idx):
        if self.text is None:
            return super().write_row(xf, row, row_idx)
        xf._file(self.text)  # the stream's own write: the text is already XML
        self.text = None


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
