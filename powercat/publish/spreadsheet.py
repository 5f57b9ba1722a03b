"""The catalogue workbook: a 总目录 sheet and one sheet per agency, ready to print (A3
landscape at a readable size, header repeated on every page) and to filter. The narrative
fields (行使条件, 责任事项, 追责情形) are mostly one boilerplate per list (2,172 real
powers carry 237 distinct 责任事项 and 150 distinct 追责情形): each distinct text stands
once on the 责任事项与追责情形 sheet and the tables cite it by number (责12), which keeps
the tables narrow enough to print at a readable size. CSV, JSON and SQLite carry the
full texts on every row.

No text is lost (xlsxstyle.py, the house table writer): a row is as tall as its longest
cell needs, up to PRINT_LINES lines (a row of Excel's 409-point maximum is half a printed
page: 2,172 powers printed on 932 A3 pages); a cell whose text needs more shows its
beginning and links to the 依据全文 sheet, where the whole text stands in rows that each
fit, keyed by the power's code.

The workbook is written as a stream (openpyxl write-only): each row goes to disk as it is
made and each agency's sheet is closed when done, so memory stays flat however many powers
there are. The title row is merged by range (write-only sheets have no merge_cells());
column widths, frozen panes and print set-up are set before the first row, the filter and
the merge when the sheet closes.

A rebuild (with a SheetStore: the rebuild cache) makes again only what a changed list
touches: an agency sheet is kept whole, 总目录 list by list (its rows' XML with the 依据全文
texts they place), each under everything it is made from; kept rows of 总目录 are moved to
the row they now start at (row numbers and 序号 shifted), so a list that gained or lost
powers does not make the later lists' rows again."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from openpyxl import Workbook
from openpyxl import __version__ as openpyxl_version
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles.cell_style import StyleArray

from ..atomic import atomic_path
from ..fields import FIELDS as FIELD_TABLE, label
from ..output import save_workbook
from ..names import safe_name
# the house table writer, used here for the catalogue's own sheets
from ..xlsxstyle import MAX_LINES, Table, fill_sheet, fit_text, wrapped_lines as _lines_of  # noqa: F401 (fill_sheet: one way to write a table)
from .records import FIELDS, Record, list_runs

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


FULL_TEXT_SHEET = "依据全文"

# catalogue columns sized so that A3 landscape prints at about 9 pt: the field table's print widths
WIDTHS = {f.name: f.print_width for f in FIELD_TABLE}
WIDTHS["version"] = 9  # the list's version or date: not a power's field
# long narrative fields: each distinct text once on its own sheet, cited by number in the tables
NARRATIVE = {"conditions": "条", "duty": "责", "accountability": "追"}
NARRATIVE_SHEET = "责任事项与追责情形"
NARRATIVE_COLUMNS = [("ref", "编号", 7), ("field", "栏目", 10), ("count", "事项数", 7), ("text", "内容（目录中按编号引用）", 110)]
PRINT_LINES = 8  # the catalogue's rows: 7 to 10 powers to a printed A3 page


def _columns(records: Sequence[Record], with_agency: bool) -> list[tuple[str, str, int]]:
    """序号 and the record fields that have a value in some record."""
    keys = [(k, h) for k, h, _w in FIELDS[1:] if (with_agency or k != "agency")]
    kept = [(k, h, WIDTHS.get(k, 12)) for k, h in keys if any(r.value(k) for r in records)]
    return [("seq", label("seq"), WIDTHS["seq"]), *kept]


def write_workbook(records: Sequence[Record], target: str | os.PathLike, title: str = "行政权力事项目录",
                   sheets: SheetStore | None = None) -> None:
    """Written in streaming (write-only) mode: rows go to disk as they are made, so memory
    does not grow with the number of records. `sheets`: agency sheets made by an earlier
    run, reused where everything they are made from is the same (see _sheet_key)."""
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

    def rows(items: Sequence[Record], columns, start: int = 1):
        for i, r in enumerate(items, start=start):
            yield [str(i), *(value(r, k) for k, _h, _w in columns[1:])]

    seq = {id(r): n for n, r in enumerate(records, start=1)}

    def key_of(record: Record) -> str:
        """How a reader finds a power across sheets: its code, else its place in 总目录."""
        return record.value("code") or f"（无编码，总目录第{seq[id(record)]}项）"
    summary = Table(book.create_sheet(sheet_title("总目录", used)), title, _columns(records, with_agency=True),
                    paper="A3", max_lines=PRINT_LINES)
    place = overflow_for(records)
    start = 0
    for items in list_runs(records):  # each list's rows of 总目录, kept or made
        _summary_block(book, summary, records, start, len(items), rows(items, summary.columns, start + 1), place,
                       key=(_block_key(book, summary, items, sheets, cited, full) if sheets is not None else None),
                       sheets=sheets)
        start += len(items)
    summary.close()
    by_agency: dict[str, list[Record]] = {}
    for record in records:
        by_agency.setdefault(record.agency, []).append(record)
    for agency, items in by_agency.items():
        name = sheet_title(agency, used)
        sheet = book.create_sheet(name)
        key = _sheet_key(book, items, name, title, cited, placed, sheets) if sheets is not None else None
        kept = sheets.fetch(key) if key is not None else None
        if kept is not None:
            _reuse(sheet, *kept)
            continue
        before = (_style_state(book), len(placed), full[0].next_row if full else 0)
        agency_columns = _columns(items, with_agency=False)
        fill_sheet(sheet, f"{agency} {title}", agency_columns, rows(items, agency_columns),
                   overflow=overflow_for(items), paper="A3", max_lines=PRINT_LINES)
        # kept only when making it changed nothing outside it (no new style, no 依据全文 row)
        if key is not None and before == (_style_state(book), len(placed), full[0].next_row if full else 0) \
                and not sheet._writer._rels and isinstance(sheet._writer.out, str):
            sheets.store(key, Path(sheet._writer.out), {"filter": sheet.auto_filter.ref})
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


class SheetStore(Protocol):
    """Where agency sheets and 总目录's blocks of rows are kept between runs (pipeline.stages:
    the rebuild cache); `digest(items)`: filecache.digest of consecutive records (a list's,
    an agency's), which the store may know already."""

    def fetch(self, key: list) -> tuple[Path, dict] | None: ...

    def store(self, key: list, path: Path, meta: dict) -> None: ...

    def fetch_rows(self, key: list) -> tuple[str, dict] | None: ...

    def store_rows(self, key: list, text: str, meta: dict) -> None: ...

    def digest(self, items: Sequence[Record]) -> str: ...


def _block_key(book, summary: Table, items: Sequence[Record], sheets: SheetStore, cited: dict,
               full: list) -> list | None:
    """Everything a list's rows of 总目录 are made from besides the code: its records,
    总目录's columns, the numbers their narrative texts are cited by, the 依据全文 row their
    long texts would go to, and the style entries the rows cite by number. Not the row they
    start at: rows kept are moved to where they now start (_moved). None: rows not kept (not
    written as text)."""
    if not summary.takes_text:
        return None
    refs = [[cited[(key, record.value(key))][0] if record.value(key) else "" for key in NARRATIVE] for record in items]
    return ["summary-rows", sheets.digest(items), [list(c) for c in summary.columns], refs,
            full[0].next_row if full else 0, _style_state(book), openpyxl_version]


def _summary_block(book, summary: Table, records: Sequence[Record], start: int, count: int, made, place,
                   key: list | None, sheets: SheetStore | None) -> None:
    """Rows start+1 … start+count of 总目录: as an earlier run kept them under `key` (their
    long texts placed on 依据全文 again, as making them does), else made (`made`: their
    values) and kept when making them changed nothing outside them but new cell styles."""
    kept = sheets.fetch_rows(key) if key is not None else None
    if kept is not None:
        text, meta = kept
        moved = _moved(text, meta, summary, count)
    if kept is not None and moved is not None:
        text, links = moved
        for index, field in meta["placed"]:
            record = records[start + index]
            place(record.value(field), start + index, field)
        for style in meta["styles"]:  # the cell styles making the rows added, in order
            book._cell_styles.add(StyleArray(style))
        summary.add_text(text, count, links)
        return
    placed: list[list] = []

    def placing(text: str, index: int, field: str):
        placed.append([index - start, field])
        return place(text, index, field)

    styles, others, first = len(book._cell_styles), _style_state(book)[1:], summary.next_row
    summary.capture()
    for values in made:
        summary.add(values, placing)
    captured = summary.captured()
    # kept when nothing outside the rows changed but cell styles (no new font, no 依据全文
    # sheet), and not both: their order between 总目录's and 依据全文's rows is not replayed
    added = book._cell_styles[styles:]
    if key is not None and captured is not None and _style_state(book)[1:] == others and not (added and placed):
        text, links = captured
        sheets.store_rows(key, text, {"start": first, "placed": placed, "links": links,
                                      "styles": [list(style) for style in added]})


def _style_state(book) -> list:
    """The workbook's style tables: a sheet's XML cites their entries by number."""
    return [[tuple(style) for style in book._cell_styles],
            *(len(table) for table in (book._fonts, book._fills, book._borders, book._alignments,
                                       book._number_formats, book._protections))]


_ROW_NUMBER = re.compile(r'(<row r="|<c r="[A-Z]+)(\d+)"')
_SEQ_CELL = re.compile(r'(<c r="A\d+" s="\d+" t="inlineStr"><is><t>)(\d+)(</t>)')
_LINK_REF = re.compile(r"([A-Z]+)(\d+)")


def _moved(text: str, meta: dict, summary: Table, count: int) -> tuple[str, list] | None:
    """Kept rows of 总目录 (XML text, links) moved from the row they were made at to the
    table's next row: each row's and cell's number and 序号 (column A) shifted alike, as
    making them there writes them. None when a 序号 would then take another line (a row's
    height follows its tallest cell) or the rows are not as expected."""
    start = meta.get("start")
    if not isinstance(start, int):
        return None
    shift = summary.next_row - start
    if not shift:
        return text, meta["links"]
    key, _header, width = summary.columns[0]
    if key != "seq" or any(_lines_of(str(row - 2), width) != 1
                           for row in (start + count - 1, summary.next_row + count - 1)):
        return None
    text = _ROW_NUMBER.sub(lambda m: f'{m[1]}{int(m[2]) + shift}"', text)
    text = _SEQ_CELL.sub(lambda m: f"{m[1]}{int(m[2]) + shift}{m[3]}", text)
    links = [[_LINK_REF.sub(lambda m: f"{m[1]}{int(m[2]) + shift}", ref), location, display]
             for ref, location, display in meta["links"]]
    return text, links


def _sheet_key(book, items: Sequence[Record], name: str, title: str, cited: dict, placed: dict,
               sheets: SheetStore) -> list:
    """Everything an agency's sheet is made from besides the code: its records, its name and
    title, the numbers its narrative texts are cited by (责N, numbered across agencies), the
    依据全文 rows its long texts link to, and the style entries its cells cite by number."""
    ids = {record.id for record in items}
    refs = [[cited[(key, record.value(key))][0] if record.value(key) else "" for key in NARRATIVE] for record in items]
    links = sorted([rid, key, row] for (rid, key), row in placed.items() if rid in ids)
    return [sheets.digest(items), name, title, refs, links, _style_state(book), openpyxl_version]


class _KeptSheet:
    """Stands for a write-only sheet's writer: the sheet's XML, already whole, in `out`."""

    def __init__(self, path: Path):
        self.out, self._rels = str(path), RelationshipList()

    def cleanup(self) -> None:
        pass  # the file is the cache's (a link to it), removed with the run's scratch folder


def _reuse(sheet, path: Path, meta: dict) -> None:
    """`sheet` as kept: its XML as it was written, and what the workbook's part says of it
    (the defined names of its filter and printed title rows)."""
    sheet.print_title_rows = "2:2"  # as _print_setup
    sheet.auto_filter.ref = meta["filter"]
    sheet._writer = _KeptSheet(path)
    sheet._WriteOnlyWorksheet__saved = True  # closed: openpyxl writes it as it stands


FULL_WIDTH = 130  # A3 landscape at full size: 65 Chinese characters a line, 50 lines a page
FULL_COLUMNS = [("code", label("code"), 16), ("agency", label("agency"), 16), ("name", label("name"), 24),
                ("field", "栏目", 10), ("text", "全文", FULL_WIDTH)]


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
