"""The catalogue workbook: a 总目录 sheet and one sheet per agency, ready to print (A3
landscape at a readable size, header repeated on every page) and to filter.

No text is clipped (the house table writer, xlsxstyle.py): a cell whose text needs more
than Excel's 409-point row shows its beginning and links to the 依据全文 sheet, where the
whole text stands in rows that each fit.

The workbook is written as a stream (openpyxl write-only): each row goes to disk as it is
made and each agency's sheet is closed when done, so memory stays flat however many powers
there are. The title row is merged by range (write-only sheets have no merge_cells());
column widths, frozen panes and print set-up are set before the first row, the filter and
the merge when the sheet closes."""

from __future__ import annotations

import os
from collections.abc import Sequence

from openpyxl import Workbook

from ..atomic import atomic_path
from ..fields import FIELDS as FIELD_TABLE, label
from ..output import save_workbook
from ..names import safe_name
# the house table writer, used here for the catalogue's own sheets
from ..xlsxstyle import MAX_LINES, Table, fill_sheet, fit_text  # noqa: F401 (fill_sheet: one way to write a table)
from .records import FIELDS, Record

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


def _columns(records: Sequence[Record], with_agency: bool) -> list[tuple[str, str, int]]:
    """序号 and the record fields that have a value in some record."""
    keys = [(k, h) for k, h, _w in FIELDS[1:] if (with_agency or k != "agency")]
    kept = [(k, h, WIDTHS.get(k, 12)) for k, h in keys if any(r.value(k) for r in records)]
    return [("seq", label("seq"), WIDTHS["seq"]), *kept]


def write_workbook(records: Sequence[Record], target: str | os.PathLike, title: str = "行政权力事项目录") -> None:
    """Written in streaming (write-only) mode: rows go to disk as they are made, so memory
    does not grow with the number of records."""
    book = Workbook(write_only=True)
    used: set[str] = {FULL_TEXT_SHEET.lower()}
    full: list[Table] = []  # the 依据全文 sheet, made at the first text too long for its row
    placed: dict[tuple[str, str], int] = {}

    def overflow_for(items: Sequence[Record]):
        def place(text: str, index: int, key: str) -> tuple[str, int]:
            record = items[index]
            if (record.id, key) not in placed:
                if not full:
                    full.append(Table(book.create_sheet(FULL_TEXT_SHEET), "依据全文（目录中显示不下的长文本）",
                                      FULL_COLUMNS, paper="A4"))
                heading = label(key)
                placed[(record.id, key)] = full[0].next_row
                pieces = _pieces(text, FULL_WIDTH, MAX_LINES)
                for n, piece in enumerate(pieces, start=1):
                    part = f"（{n}/{len(pieces)}）" if len(pieces) > 1 else ""
                    full[0].add([record.value("code") or record.id, record.value("agency"), record.power.title,
                                 heading + part, piece])
            return FULL_TEXT_SHEET, placed[(record.id, key)]
        return place

    def rows(items: Sequence[Record], columns):
        for i, r in enumerate(items, start=1):
            yield [str(i), *(r.value(k) for k, _h, _w in columns[1:])]

    summary = book.create_sheet(sheet_title("总目录", used))
    columns = _columns(records, with_agency=True)
    fill_sheet(summary, title, columns, rows(records, columns), overflow=overflow_for(records), paper="A3")
    by_agency: dict[str, list[Record]] = {}
    for record in records:
        by_agency.setdefault(record.agency, []).append(record)
    for agency, items in by_agency.items():
        sheet = book.create_sheet(sheet_title(agency, used))
        agency_columns = _columns(items, with_agency=False)
        fill_sheet(sheet, f"{agency} {title}", agency_columns, rows(items, agency_columns),
                   overflow=overflow_for(items), paper="A3")
    if full:
        full[0].close()
        book.move_sheet(FULL_TEXT_SHEET, len(book.worksheets) - 1 - book.index(full[0].sheet))  # last, as before
    book.properties.creator = "powercat"
    with atomic_path(target) as tmp:
        save_workbook(book, tmp)


FULL_WIDTH = 100
# an A4 sheet: the name column a little narrower than in the A3 catalogue
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
