"""Cells and merged ranges of every sheet, in true Excel coordinates, via python-calamine.

A `Grid` answers two questions for any cell: what Excel shows there (a merged range shows
its top-left value everywhere; values stored underneath a merge are ignored), and whether
the cell starts a merge, is covered by one, or stands alone. Item detection needs both.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import python_calamine

from .sniff import SniffError
from .text import cell_to_text

PLAIN, ANCHOR, COVERED = 0, 1, 2


@dataclass
class Grid:
    name: str
    rows: list[list[object]]
    n_rows: int
    n_cols: int
    # (row, col) of a covered cell → (row, col) of its merge's top-left cell
    covered: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # (row, col) of a merge's top-left cell → (last row, last col) of the merge
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def raw(self, row: int, col: int) -> object:
        if row < len(self.rows):
            cells = self.rows[row]
            if col < len(cells):
                return cells[col]
        return ""

    def text(self, row: int, col: int) -> str:
        """What Excel shows in the cell (0-based coordinates)."""
        anchor = self.covered.get((row, col))
        if anchor is not None:
            row, col = anchor
        return cell_to_text(self.raw(row, col))

    def state(self, row: int, col: int) -> int:
        if (row, col) in self.covered:
            return COVERED
        if (row, col) in self.spans:
            return ANCHOR
        return PLAIN

    def anchor_of(self, row: int, col: int) -> tuple[int, int]:
        return self.covered.get((row, col), (row, col))

    def span_width(self, row: int, col: int) -> int:
        """How many columns the merge holding this cell spans (1 when unmerged)."""
        top = self.anchor_of(row, col)
        end = self.spans.get(top)
        return 1 if end is None else end[1] - top[1] + 1

    def row_is_blank(self, row: int) -> bool:
        return all(not self.text(row, col).strip() for col in range(self.n_cols))


def build_grid(name: str, rows: list[list[object]], merges: list | None) -> Grid:
    merges = merges or []
    n_rows = max([len(rows)] + [end[0] + 1 for _, end in merges])
    n_cols = max([len(r) for r in rows[:1]] + [0] + [end[1] + 1 for _, end in merges])
    if rows:
        n_cols = max(n_cols, max(len(r) for r in rows))
    grid = Grid(name=name, rows=rows, n_rows=n_rows, n_cols=n_cols)
    for (r0, c0), (r1, c1) in merges:
        if r1 < r0 or c1 < c0:
            continue
        grid.spans[(r0, c0)] = (r1, c1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if r != r0 or c != c0:
                    grid.covered[(r, c)] = (r0, c0)
    return grid


def read_sheets(data: bytes) -> list[Grid]:
    """Every sheet of an xlsx/xls/ods workbook as a Grid. Raises SniffError when the
    workbook cannot be opened (encrypted, corrupt)."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
            grids.append(build_grid(sheet_name, rows, sheet.merged_cell_ranges))
        return grids
    except python_calamine.PasswordError:
        raise SniffError("encrypted", "工作簿已加密（设有密码保护），请去除密码后另存再提交") from None
    except Exception as exc:  # calamine raises several types; a pyo3 panic is BaseException
        raise _unreadable(exc) from None
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            raise _unreadable(exc) from None
        raise


def _unreadable(exc: BaseException) -> SniffError:
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if "password" in detail.lower() or "encrypt" in detail.lower():
        return SniffError("encrypted", "工作簿已加密（设有密码保护），请去除密码后另存再提交")
    return SniffError("corrupt-workbook", f"工作簿已损坏，无法读取（{detail}）")
