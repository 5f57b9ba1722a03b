"""Finding the header row of a sheet and mapping its columns to canonical fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .columns import TABLES, map_columns
from .text import normalise_header
from .workbook import Grid

# Headers sit below at most a few title rows; the importer we learned from looks at 30.
SEARCH_ROWS = 30
# Below that, a print-ready list may carry a long 填表说明 above its table: a row further down
# is a header only when it names at least three fields (a stray pair of words is not one).
DEEP_SEARCH_ROWS, DEEP_MIN_FIELDS = 200, 3
# A compound header: 实施层级及权限, 收费依据和标准 … — two names joined by one conjunction.
_COMPOUND = re.compile(r"^(.+?)(?:及|和|与|、|/)(.+)$")


@dataclass(frozen=True)
class Header:
    row: int  # 0-based
    columns: dict[str, int]  # field → 0-based column
    labels: list[str]  # the header texts as written
    # a column whose header names a field another column already holds: column → that field
    # (only the leftmost column is read; the reader reports where the two differ)
    unread: dict[int, str] = field(default_factory=dict)


def find_header(grid: Grid, table: str = "power", required: tuple[str, ...] = ("name",)) -> Header | None:
    """The row (among the first 30) that names the most distinct fields and includes
    every required one; at least two fields. Ties go to the upper row. None there, in a power
    list: the first row down to row 200 that names at least three."""
    best = _best_row(grid, table, required, range(min(SEARCH_ROWS, grid.n_rows)), 2)
    if best is None and table == "power":  # (a 运行流程 or register header is never that low)
        best = _best_row(grid, table, required, range(SEARCH_ROWS, min(DEEP_SEARCH_ROWS, grid.n_rows)),
                         DEEP_MIN_FIELDS, first=True)
    if best is None:
        return None
    columns = _split_merged_compounds(grid, best.row, best.labels, best.columns, table)
    return Header(best.row, columns, best.labels, _unread(best.labels, columns, table))


def _best_row(grid: Grid, table: str, required: tuple[str, ...], rows: range, min_fields: int,
              first: bool = False) -> Header | None:
    best: Header | None = None
    for row in rows:
        labels = [grid.text(row, col) for col in range(grid.n_cols)]
        columns = map_columns(labels, table)
        if len(columns) < min_fields or any(field not in columns for field in required):
            continue
        if best is None or len(columns) > len(best.columns):
            best = Header(row, columns, labels)
            if first:
                break
    return best


def _split_merged_compounds(grid: Grid, row: int, labels: list[str], columns: dict[str, int],
                            table: str) -> dict[str, int]:
    """A compound header over two columns names one field per column: 实施层级及权限 merged
    over (or written twice above, or once above and a blank beside) 层级 (地州市级) and 权限
    (负责本级……的审批) gives the second column to the field its second name means, when that
    field has no column of its own. Otherwise the second column would be dropped unread."""
    aliases = TABLES[table]
    split = dict(columns)

    def same_header(col: int, other: int) -> bool:
        """Merged over both, written twice, or written once with the cell beside it left blank."""
        if other >= len(labels):
            return False
        anchor = grid.covering_anchor(row, other)
        return anchor == (row, col) or (anchor is None
                                        and normalise_header(labels[other]) in ("", normalise_header(labels[col])))

    for field_name, col in columns.items():
        nxt = col + 1
        if not same_header(col, nxt) or same_header(col, nxt + 1):
            continue  # one column, or three and more: which column is which is not said
        parts = _COMPOUND.match(normalise_header(labels[col]))
        if parts is None or aliases.field_for(parts.group(1))[0] != field_name:
            continue
        second, _exact = aliases.field_for(parts.group(2))
        if second is not None and second != field_name and second not in split and nxt not in split.values():
            split[second] = nxt
    return split


def _unread(labels: list[str], columns: dict[str, int], table: str) -> dict[int, str]:
    """Columns headed exactly like a field another column holds (a repeated 责任事项依据, a
    second 公开方式 such as 是否公示): the reader keeps the leftmost and checks the others."""
    aliases = TABLES[table]
    taken = set(columns.values())
    unread = {}
    for col, label in enumerate(labels):
        if col in taken:
            continue
        found, exact = aliases.field_for(label)
        if found is not None and exact and found in columns:
            unread[col] = found
    return unread
