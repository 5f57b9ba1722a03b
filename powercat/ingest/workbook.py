"""Cells and merged ranges of every sheet, in true Excel coordinates, via python-calamine.

A `Grid` answers two questions for any cell: what Excel shows there (a merged range shows
its top-left value everywhere; values stored underneath a merge are ignored), and whether
the cell is covered by a merge (lies under it without being its top-left cell). Item
detection needs both.
"""

from __future__ import annotations

import io
import os
import re
import resource
import struct
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from operator import itemgetter

import python_calamine

from ..rules import RULES
from .sniff import OLE_MAGIC, SniffError
from .text import cell_to_text


@dataclass
class Grid:
    name: str
    rows: list[list[object]]
    n_rows: int
    n_cols: int
    # Merges one column wide (nearly all of them in real lists): per column, the anchor
    # row of every covered row, -1 where the row is not covered. Filled by slice
    # assignment, so tens of thousands of merges cost C time, not Python time.
    column_anchors: dict[int, list[int]] = field(default_factory=dict)
    # Merges wider than one column (titles, headers, footnotes): covered cell → top-left
    wide_covered: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # top-left cell of a wide merge → its (last row, last col)
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # cells holding a formula Excel never computed (no cached value): (row, col) → formula.
    # calamine reads them as empty; the reader must say so rather than lose the cell.
    uncached_formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # what the reader found wrong in a cell itself: (row, col) → (rule code, detail), e.g. a
    # CSV quote never closed (ingest/csvfile.py); reported on the item that holds the cell
    cell_notes: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    def raw(self, row: int, col: int) -> object:
        try:
            return self.rows[row][col]
        except IndexError:
            return ""

    @cached_property
    def wide_rows(self) -> frozenset[int]:
        """The rows where some cell lies under a wide merge: on every other row a cell's merge,
        if any, is one column wide, and `column_anchors` alone answers (the readers' hot path)."""
        return frozenset(row for row, _col in self.wide_covered)

    def covering_anchor(self, row: int, col: int) -> tuple[int, int] | None:
        """The top-left cell of the merge covering this cell, None when the cell is
        unmerged or is itself a top-left cell."""
        anchors = self.column_anchors.get(col)
        if anchors is not None:
            top = anchors[row]
            if top >= 0:
                return top, col
        return self.wide_covered.get((row, col)) if self.wide_covered else None

    def text(self, row: int, col: int) -> str:
        """What Excel shows in the cell (0-based coordinates)."""
        anchor = self.covering_anchor(row, col)
        if anchor is not None:
            row, col = anchor
        return cell_to_text(self.raw(row, col))

    @cached_property
    def wide_by_column(self) -> dict[int, list[tuple[int, tuple[int, int]]]]:
        """Per column, (row, top-left cell) of the cells lying under a wide merge."""
        by_column: dict[int, list[tuple[int, tuple[int, int]]]] = {}
        for (row, col), anchor in self.wide_covered.items():
            by_column.setdefault(col, []).append((row, anchor))
        return by_column

    def column_texts(self, col: int) -> list[str]:
        """`text` of every row of one column (n_rows of them), made a column at a time in list
        comprehensions: the readers' hot path over a hundred thousand rows."""
        rows = self.rows
        texts = [(r[col] if col < len(r) else "") for r in rows]
        texts += [""] * (self.n_rows - len(texts))
        texts = [v if type(v) is str else cell_to_text(v) for v in texts]
        anchors = self.column_anchors.get(col)
        shown = texts if anchors is None else [t if a < 0 else texts[a] for a, t in zip(anchors, texts)]
        for row, (top, left) in self.wide_by_column.get(col, ()):
            if anchors is None or anchors[row] < 0:  # a one-column merge answers first (covering_anchor)
                shown[row] = cell_to_text(self.raw(top, left))
        return shown

    def is_covered(self, row: int, col: int) -> bool:
        """Whether the cell lies under a merge without being its top-left cell."""
        return self.covering_anchor(row, col) is not None

    def anchor_of(self, row: int, col: int) -> tuple[int, int]:
        return self.covering_anchor(row, col) or (row, col)

    def span_width(self, row: int, col: int) -> int:
        """How many columns the merge holding this cell spans (1 when unmerged)."""
        top = self.anchor_of(row, col)
        end = self.spans.get(top)
        return 1 if end is None else end[1] - top[1] + 1

    def row_is_blank(self, row: int) -> bool:
        return all(not self.text(row, col).strip() for col in range(self.n_cols))


def build_grid(name: str, rows: list[list[object]], merges: list | None) -> Grid:
    merges = merges or []
    # merges may reach below the last row (and right of the last column) calamine returns
    ends = list(map(itemgetter(1), merges))  # tens of thousands of merges: read in C, not in a generator
    n_rows = max(len(rows), max(map(itemgetter(0), ends), default=-1) + 1)
    n_cols = max(max(map(len, rows), default=0), max(map(itemgetter(1), ends), default=-1) + 1)
    grid = Grid(name=name, rows=rows, n_rows=n_rows, n_cols=n_cols)
    wide, spans = grid.wide_covered, grid.spans
    # one slot per column, filled on first use: an index is cheaper than a dict look-up, and a
    # 100,000-row list has hundreds of thousands of one-column merges
    by_column: list[list[int] | None] = [None] * n_cols
    first_seen: list[int] = []  # column_anchors keeps the order the columns were met in
    for (r0, c0), (r1, c1) in merges:
        if c1 == c0:  # one column wide: the common case, tested first
            if r1 <= r0:
                continue  # a single cell (or a reversed range): nothing covered
            anchors = by_column[c0]
            if anchors is None:
                anchors = by_column[c0] = [-1] * n_rows
                first_seen.append(c0)
            if r1 - r0 == 1:  # two rows (half the merges of a list): one store, no slice
                anchors[r1] = r0
            else:
                anchors[r0 + 1:r1 + 1] = [r0] * (r1 - r0)
            continue
        if r1 < r0 or c1 < c0:
            continue
        anchor = (r0, c0)
        spans[anchor] = (r1, c1)
        for c in range(c0, c1 + 1):
            wide.update(zip(zip(range(r0 + 1 if c == c0 else r0, r1 + 1), repeat(c)), repeat(anchor)))
    grid.column_anchors.update((col, by_column[col]) for col in first_seen)
    return grid


# Legacy OLE (.xls) workbooks are parsed in a child process with a memory ceiling: the
# fuzzer found corrupt .xls files that make calamine allocate 16 GB and abort, which
# would take the whole run down. A crash or a refused allocation there is one bad file.
XLS_MEMORY_LIMIT = 3 * 2**30


def read_sheets_isolated(data: bytes) -> list[Grid]:
    if not hasattr(os, "fork"):
        return read_sheets(data)
    import multiprocessing  # here, not at the top: only a .xls needs it, and `list` of an .xlsx pays its import

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(data, sender, receiver), daemon=True)
    try:
        child.start()
        sender.close()
        outcome = receiver.recv()
    except EOFError:
        outcome = None
    except BaseException:
        # Ctrl-C (or any failure) while the child reads or sends: it is killed, not waited
        # for. Waiting was the hang: the child blocked writing its result to a pipe nobody
        # read, and join() waited on it for ever
        if child.pid is not None:
            child.kill()
        raise
    finally:
        receiver.close()
        if child.pid is not None:
            child.join()
    if outcome is None:
        raise SniffError.of("corrupt-workbook", "crashed")
    if outcome[0] == "error":
        raise SniffError(outcome[1], outcome[2])
    return outcome[1]


def _read_in_child(data: bytes, sender, receiver) -> None:
    # The parent's end of the pipe is closed here: were the child to keep it, a send to a
    # parent that stopped reading (Ctrl-C) would block for ever instead of failing.
    receiver.close()
    # calamine's panic and abort messages would land in the user's terminal, and a child
    # holding the caller's stdout or stderr would keep a pipeline waiting after the parent ended
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (XLS_MEMORY_LIMIT, XLS_MEMORY_LIMIT))
    except (ValueError, OSError):
        pass
    try:
        sender.send(("ok", read_sheets(data)))
    except SniffError as exc:
        sender.send(("error", exc.code, exc.message))
    except MemoryError:
        sender.send(("error", "corrupt-workbook", RULES["corrupt-workbook"].message("memory")))
    finally:
        sender.close()


def read_sheets(data: bytes) -> list[Grid]:
    """Every sheet of an xlsx/xls/ods workbook as a Grid. Raises SniffError when the
    workbook cannot be opened (encrypted, corrupt)."""
    if data.startswith(OLE_MAGIC) and biff_is_encrypted(data):  # before calamine, which may read it as plain
        raise SniffError.of("encrypted")
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        formulas, extents = scan_sheet_parts(data) if data.startswith(b"PK") else ({}, {})
        grids = []
        for sheet_name in book.sheet_names:
            # calamine makes the sheet's grid from its outermost cells before `end` can be
            # asked: a single value at XFD1048576 would abort the process (and the run)
            _check_size(sheet_name, extents.get(sheet_name))
            sheet = book.get_sheet_by_name(sheet_name)
            _check_size(sheet_name, sheet.end)
            rows = sheet.to_python(skip_empty_area=False)
            grid = build_grid(sheet_name, rows, sheet.merged_cell_ranges)
            grid.uncached_formulas = formulas.get(sheet_name, {})
            grids.append(grid)
        return grids
    except SniffError:
        raise
    except python_calamine.PasswordError:
        raise SniffError.of("encrypted") from None
    except Exception as exc:  # calamine raises several types; a pyo3 panic is BaseException
        if data.startswith(OLE_MAGIC) and biff_is_encrypted(data):
            raise SniffError.of("encrypted") from None
        raise _unreadable(exc) from None
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            raise _unreadable(exc) from None
        raise


def uncached_formulas(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name, the formula cells of an xlsx that carry no cached value. python-calamine
    reads only cached values, so these would silently read as empty. Sheets without a
    formula are not parsed (a byte search decides)."""
    return scan_sheet_parts(data)[0]


def scan_sheet_parts(data: bytes) -> tuple[dict[str, dict[tuple[int, int], str]], dict[str, tuple[int, int]]]:
    """One pass over an xlsx's sheet parts: per sheet name, the uncached formula cells (see
    uncached_formulas), and the last (row, column), counted from 0, of a sheet whose cell
    references reach far enough that its grid might not fit in memory."""
    try:
        return _scan_sheet_parts(data)
    except Exception:  # noqa: BLE001 – a part calamine could read but we cannot parse: no claim
        return {}, {}


def _scan_sheet_parts(data: bytes) -> tuple[dict[str, dict[tuple[int, int], str]], dict[str, tuple[int, int]]]:
    from xml.etree.ElementTree import XMLPullParser

    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:  # an .ods (calamine reads it; not an xlsx's parts)
        return {}, {}
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    targets = dict(re.findall(rb'<(?:\w+:)?Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({rid: t for t, rid in re.findall(rb'<(?:\w+:)?Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    found: dict[str, dict[tuple[int, int], str]] = {}
    extents: dict[str, tuple[int, int]] = {}
    for attrs in re.findall(rb"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\br:id="([^"]*)"|\b\w+:id="([^"]*)"', attrs)
        if not name or not rid:
            continue
        target = targets.get(rid.group(1) or rid.group(2), b"").decode("utf-8", "replace")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part not in names:
            continue
        sheet_name = _xml_unescape(name.group(1).decode("utf-8", "replace"))
        with archive.open(part) as stream:
            has_formula, far = _scan_part(stream, MAX_PART_BYTES)
        if far:
            with archive.open(part) as stream:
                extents[sheet_name] = _extent(stream)
        if not has_formula:
            continue
        with archive.open(part) as stream:  # read whole only when it holds a formula (rare)
            xml = stream.read(MAX_PART_BYTES)
        cells = _formula_cells(xml, XMLPullParser)
        if cells:
            found[sheet_name] = cells
    return found, extents


MAX_PART_BYTES = 256 * 1024 * 1024
# The name of an <f> element, plain or namespace-prefixed (`<f`, `<x:f`), and the byte that ends
# it. The pattern starts with the literal "f", which re scans for in C, and the look-behind tests
# the byte before: find(b"<f") stops at every "<" of the XML, three times slower.
_FORMULA_NAME = re.compile(rb"f(?<=[<:]f)[ \t\r\n/>]")
_FORMULA_NAME_AT_END = (b"<f", b":f")  # a name cut off by the end of what is read
_PART_CHUNK = 1 << 16


def has_formula_element(xml: bytes) -> bool:
    """Whether a sheet's XML may hold an `<f>` element (plain or namespace-prefixed, `<x:f>`).
    A byte search, not a parse: `<formula1>` of a data validation (every template sheet has
    them) or `<filters>` must not send a sheet of a hundred thousand rows through the XML
    parser. A false yes only costs the parse; a false no is impossible."""
    return _FORMULA_NAME.search(xml) is not None or xml[-2:] in _FORMULA_NAME_AT_END


# A cell reference that may make a sheet's grid too large to hold (then every cell reference
# is read: _extent): a column past Z, a row past 999,999, or a `$`. Below these a grid has at
# most 26 × 999,999 cells, under MAX_CELLS. One pattern with a literal start, so that re skips
# to each `r="` in C: about 0.05 s over a 100,000-row sheet's 40 MB. Row elements
# (`<row r="5">`) carry no letter and do not match; `ref="` and `sqref="` end in f, not r.
_FAR_REF = re.compile(rb'r="(?:\$|[A-Z](?:[A-Z]|[0-9]{7}))')
_REF_TAIL = 16  # bytes of one chunk searched again with the next: a reference split between them
# A cell and whether it is empty (self-closed, or closed at once: only styled), which calamine
# leaves out of the grid. Its tag may be split between chunks: a longer overlap.
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="\$?([A-Z]{1,3})\$?([0-9]{1,7})"[^>]*?(/?)>(</(?:\w+:)?c>)?')
_CELL_TAIL = 512


def _part_has_formula_element(stream, limit: int) -> bool:
    return _scan_part(stream, limit)[0]


def _scan_part(stream, limit: int) -> tuple[bool, bool]:
    """has_formula_element of the first `limit` bytes of a zip member, and whether its cell
    references reach far (see _FAR_REF), inflated a chunk at a time: small buffers stay in the
    CPU cache (inflating 40 MB into one bytes object takes twice as long), and a sheet is never
    held whole. Each chunk is searched with the last bytes of the one before, so a name or a
    reference split between two chunks is still seen."""
    formula = far = False
    tail = b""
    while limit > 0:
        chunk = stream.read(min(_PART_CHUNK, limit))
        if not chunk:
            break
        limit -= len(chunk)
        window = tail + chunk
        formula = formula or _FORMULA_NAME.search(window) is not None
        far = far or _FAR_REF.search(window) is not None
        if formula and far:
            break
        tail = window[-_REF_TAIL:]
    return formula or tail[-2:] in _FORMULA_NAME_AT_END, far


def _extent(stream) -> tuple[int, int]:
    """The last row and column (from 0) of the cells of a sheet part that hold something:
    what calamine's grid would span from A1."""
    rows = cols = 0
    tail = b""
    while chunk := stream.read(_PART_CHUNK):
        window = tail + chunk
        for letters, digits, self_closed, closed in _CELL.findall(window):
            if self_closed or closed:
                continue
            rows = max(rows, int(digits))
            col = 0
            for letter in letters:
                col = col * 26 + letter - 64
            cols = max(cols, col)
        tail = window[-_CELL_TAIL:]
    return rows - 1, cols - 1


def _formula_cells(xml: bytes, parser_type) -> dict[tuple[int, int], str]:
    parser = parser_type(events=("end",))
    cells: dict[tuple[int, int], str] = {}
    step = 1 << 20
    for start in range(0, len(xml), step):
        parser.feed(xml[start:start + step])
        for _event, element in parser.read_events():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag != "c":
                if tag == "row":
                    element.clear()
                continue
            formula, value = None, None
            for child in element:
                child_tag = child.tag.rsplit("}", 1)[-1]
                if child_tag == "f":
                    formula = child.text or "（共享公式）"
                elif child_tag in ("v", "is"):
                    value = "".join(child.itertext())
            # no <v>, or an empty one on a formula not typed as text (openpyxl writes <v/> for
            # formulas it never computed; Excel writes t="str" with <v></v> for an empty result)
            if formula is not None and (value is None or (not value and element.get("t") != "str")):
                ref = _cell_ref(element.get("r"))
                if ref is not None:
                    cells[ref] = "=" + formula
    parser.close()
    return cells


def _cell_ref(ref: str | None) -> tuple[int, int] | None:
    match = re.fullmatch(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})", ref or "")
    if not match:
        return None
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, col - 1


def _xml_unescape(text: str) -> str:
    import html

    return html.unescape(text)


MAX_ROWS, MAX_COLS = 1_048_576, 16_384
# A sheet is read as a full grid from A1: refuse what would not fit in memory.
MAX_CELLS = 40_000_000


def _check_size(name: str, end: tuple[int, int] | None) -> None:
    if not end:
        return
    rows, cols = end[0] + 1, end[1] + 1
    if rows > MAX_ROWS or cols > MAX_COLS:
        raise SniffError.of("sheet-too-large", "excel", sheet=name, rows=rows, cols=cols, max_rows=MAX_ROWS,
                            max_cols=MAX_COLS)
    if rows * cols > MAX_CELLS:
        raise SniffError.of("sheet-too-large", sheet=name, rows=rows, cols=cols, limit=MAX_CELLS)


FILEPASS = 0x002F
BOF, EOF = 0x0809, 0x000A
_BIFF_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")


def biff_is_encrypted(data: bytes) -> bool:
    """Whether a legacy .xls is password-protected: a FILEPASS record anywhere in its
    workbook stream (globals, by the format; a crafted file may put it after padding, after a
    stray BOF, past the first megabyte, or in a later substream, where a reader that looks
    only at the head would take the file as plain); without a workbook stream, msoffcrypto-tool's
    verdict.
    Checked before any reading: fail closed, the file-level "encrypted" error."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = [ole.openstream(name).read() for name in _BIFF_STREAMS if ole.exists(name)]
    except Exception:  # noqa: BLE001 – a broken container: the reader reports it
        streams = []
    if streams:
        return any(_has_filepass(stream) for stream in streams)
    return _msoffcrypto_says_encrypted(data)  # no BIFF stream we know: ask the library


def _has_filepass(stream: bytes) -> bool:
    """Walks the BIFF records (type, length, body) from the first to the last."""
    unpack, offset, end = struct.Struct("<HH").unpack_from, 0, len(stream) - 4
    while offset <= end:
        record, length = unpack(stream, offset)
        if record == FILEPASS:
            return True
        offset += 4 + length
    return False


def _msoffcrypto_says_encrypted(data: bytes) -> bool:
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 – not a format it knows, or not installed: no claim
        return False


def _unreadable(exc: BaseException) -> SniffError:
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if "password" in detail.lower() or "encrypt" in detail.lower():
        return SniffError.of("encrypted")
    return SniffError.of("corrupt-workbook", detail=detail)
