"""CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or the GB family (read as
GB18030, the superset: chardet's "GB2312" guesses are usually GBK or GB18030)."""

from __future__ import annotations

import csv
import io

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
            except UnicodeDecodeError:
                lines.append(line.decode("utf-8", errors="replace"))
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
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            cells += len(row)
            if number > MAX_ROWS or len(row) > MAX_COLS or cells > MAX_CELLS:
                raise SniffError.of("sheet-too-large", "csv", row=number, max_rows=MAX_ROWS, max_cols=MAX_COLS,
                                    max_cells=MAX_CELLS)
            rows.append(row)
    except csv.Error as exc:
        raise SniffError.of("corrupt-csv", error=exc) from None
    # a CSV's only "sheet" is named after the file, which may hold characters no sheet title
    # can (a\b.csv): the review copy of it would fail to save
    return build_grid(sheet_title(sheet_name), rows, [])
