"""CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or the GB family (read as
GB18030, the superset: chardet's "GB2312" guesses are usually GBK or GB18030)."""

from __future__ import annotations

import csv
import io
import re

from .sniff import SniffError
from ..names import sheet_title
from .workbook import MAX_CELLS, MAX_COLS, MAX_ROWS, Grid, build_grid


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Stray NUL bytes are dropped; a file mixing UTF-8 and GBK lines is
    decoded line by line; bytes that fit no encoding become U+FFFD."""
    data = data.replace(b"\x00", b"") if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else data
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    raw_lines = data.split(b"\n")
    utf8_lines = sum(1 for line in raw_lines if _is_utf8(line))
    if utf8_lines * 2 < len(raw_lines):  # mostly not UTF-8: the GB family
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    lines = []
    for line in raw_lines:
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(line.decode("gb18030"))
            except UnicodeDecodeError:  # a stray byte: the encoding that keeps the rest of the line
                lines.append(min((line.decode(encoding, errors="replace") for encoding in ("gb18030", "utf-8")),
                                 key=lambda text: text.count("\ufffd")))
    return "\n".join(lines), "mixed"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def read_csv(data: bytes, sheet_name: str) -> Grid:
    text, _ = decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[str]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = last_start = 0  # physical lines read before the record at hand, and before the last one
    try:
        for number, row in enumerate(reader, start=1):
            cells += len(row)
            if number > MAX_ROWS or len(row) > MAX_COLS or cells > MAX_CELLS:
                raise SniffError.of("sheet-too-large", "csv", row=number, max_rows=MAX_ROWS, max_cols=MAX_COLS,
                                    max_cells=MAX_CELLS)
            rows.append(row)
            last_start, start = start, reader.line_num
    except csv.Error as exc:
        raise SniffError.of("corrupt-csv", error=exc) from None
    notes = _reopen_unclosed_quote(text, rows, last_start, delimiter)
    if "\ufffd" in text:
        _note_undecodable(rows, notes)
    if len(rows) > MAX_ROWS:  # the rows a quote had swallowed count too
        raise SniffError.of("sheet-too-large", "csv", row=len(rows), max_rows=MAX_ROWS, max_cols=MAX_COLS,
                            max_cells=MAX_CELLS)
    # a CSV's only "sheet" is named after the file, which may hold characters no sheet title
    # can (a\b.csv): the review copy of it would fail to save
    grid = build_grid(sheet_title(sheet_name), rows, [])
    grid.cell_notes = notes
    return grid


def _note_undecodable(rows: list[list[str]], notes: dict[tuple[int, int], tuple[str, str]]) -> None:
    """Bytes no encoding could read became U+FFFD: the cells that hold one get a finding, so a
    name or 依据 changed by a damaged export is never taken silently."""
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if "\ufffd" in cell:
                notes.setdefault((r, c), ("csv-undecodable-bytes", cell))


_LINE_END = re.compile(r"\r\n|\r|\n")


def _reopen_unclosed_quote(text: str, rows: list[list[str]], last_start: int,
                           delimiter: str) -> dict[tuple[int, int], tuple[str, str]]:
    """A quote opened and never closed makes the csv module (as Excel) read the rest of the
    file as one cell, and every row after it is lost. The last record is read again with its
    quotes taken literally, so those rows come back, and its cell gets a finding. `rows` is
    changed in place; returns the note for Grid.cell_notes."""
    if not rows or not any("\n" in cell or "\r" in cell for cell in rows[-1][-1:]):
        return {}
    ends = [m.end() for _, m in zip(range(last_start), _LINE_END.finditer(text))]
    if len(ends) != last_start:
        return {}
    tail = text[ends[-1]:] if ends else text
    try:
        list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
        return {}
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return {}  # some other slip the lenient reading already settled: not this case
    at = (len(rows) - 1, len(rows[-1]) - 1)
    literal = list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE))
    rows[-1:] = literal
    return {at: ("csv-quote-unclosed", str(len(literal) - 1))}
