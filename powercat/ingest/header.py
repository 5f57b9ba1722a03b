"""Finding the header row of a sheet and mapping its columns to canonical fields."""

from __future__ import annotations

from dataclasses import dataclass

from .columns import map_columns
from .workbook import Grid

# Headers sit below at most a few title rows; the importer we learned from looks at 30.
SEARCH_ROWS = 30


@dataclass(frozen=True)
class Header:
    row: int  # 0-based
    columns: dict[str, int]  # field → 0-based column
    labels: list[str]  # the header texts as written


def find_header(grid: Grid, table: str = "power", required: tuple[str, ...] = ("name",)) -> Header | None:
    """The row (among the first 30) that names the most distinct fields and includes
    every required one; at least two fields. Ties go to the upper row."""
    best: Header | None = None
    for row in range(min(SEARCH_ROWS, grid.n_rows)):
        labels = [grid.text(row, col) for col in range(grid.n_cols)]
        columns = map_columns(labels, table)
        if len(columns) < 2 or any(field not in columns for field in required):
            continue
        if best is None or len(columns) > len(best.columns):
            best = Header(row, columns, labels)
    return best
