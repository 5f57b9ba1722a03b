"""Paths in, a Catalogue out. One bad file becomes that file's error; the others still load."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable
from pathlib import Path

from ..model import Agency, Catalogue, FileError, SheetReport, WorkbookFile
from .agency import agency_from_titles, read_agency_info
from .csvfile import read_csv
from .header import find_header
from .items import read_items
from .sniff import SniffError, sniff
from .steps import read_steps
from .text import squeeze
from .workbook import Grid, read_sheets, read_sheets_isolated

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods")
_STEP_SHEETS = ("运行流程", "流程", "环节")
_INFO_SHEETS = ("单位信息",)
REGISTER_DIRS = ("办件登记",)


def discover(paths: Iterable[str]) -> list[str]:
    """Files named on the command line as given; folders searched recursively for
    workbooks, in a stable order. Office lock files (`~$x.xlsx`) are skipped."""
    found: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            for root, dirs, files in os.walk(given):
                # registers of cases sit beside the lists in their own folder (powercat cases)
                dirs[:] = sorted(d for d in dirs if d not in REGISTER_DIRS)
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not name.startswith(("~$", ".~")):
                        found.append(os.path.join(root, name))
        else:
            found.append(given)
    return found


def load(paths: Iterable[str]) -> Catalogue:
    return Catalogue(files=[load_file(path) for path in discover(paths)])


@contextlib.contextmanager
def _gc_paused():
    """The reader allocates millions of small tuples and no reference cycles; letting the
    cyclic collector scan them over and over costs a third of the reading time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_file(path: str) -> WorkbookFile:
    with _gc_paused():
        return _load_file(path)


def _load_file(path: str) -> WorkbookFile:
    result = WorkbookFile(path=path, format=None)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        result.error = FileError("file-not-found", f"{path}：文件不存在")
        return result
    except IsADirectoryError:
        result.error = FileError("file-unreadable", f"{path}：这是文件夹而不是文件")
        return result
    except OSError as exc:
        result.error = FileError("file-unreadable", f"{path}：无法读取文件（{exc.strerror or exc}）")
        return result
    try:
        sniffed = sniff(data, path)
        result.format = sniffed.format
        if sniffed.format == "csv":
            grids = [read_csv(data, Path(path).stem)]
        elif sniffed.format == "xls":
            grids = read_sheets_isolated(data)
        else:
            grids = read_sheets(data)
        _read_grids(result, grids, Path(path).stem)
    except SniffError as exc:
        result.error = FileError(exc.code, f"{path}：{exc.message}")
        result.powers, result.steps = [], []
    return result


def _read_grids(result: WorkbookFile, grids: list[Grid], stem: str) -> None:
    titles: list[str] = []
    info: Agency | None = None
    sheet_headers = []
    for grid in grids:
        if any(word in grid.name for word in _INFO_SHEETS):
            info = read_agency_info(grid) or info
            result.sheets.append(SheetReport(grid.name, None, 0, kind="agency"))
            sheet_headers.append((grid, None, "agency"))
            continue
        step_header = find_header(grid, "step", required=("step_id", "next"))
        if step_header is not None or any(word in grid.name for word in _STEP_SHEETS):
            sheet_headers.append((grid, step_header, "steps"))
            continue
        header = find_header(grid)
        sheet_headers.append((grid, header, "powers"))
        if header is not None:
            titles.extend(_title_texts(grid, header.row))

    agency = info or Agency(agency_from_titles(titles, stem))
    result.agency = agency
    for grid, header, kind in sheet_headers:
        if kind == "agency":
            continue
        if header is None:
            if kind == "powers" and grid.n_rows and not _sheet_is_empty(grid):
                result.sheets.append(SheetReport(grid.name, None, 0, kind="none"))
            continue
        if kind == "steps":
            steps = read_steps(grid, header, result.path)
            result.steps.extend(steps)
            result.sheets.append(SheetReport(grid.name, header.row + 1, len(steps), kind="steps"))
        else:
            powers = read_items(grid, header, result.path, agency.name)
            result.powers.extend(powers)
            result.sheets.append(SheetReport(grid.name, header.row + 1, len(powers)))
    _attach_steps(result)
    if not any(s.kind == "powers" for s in result.sheets):
        result.error = FileError(
            "no-power-table",
            f"{result.path}：未找到权力清单表头（前 30 行中没有“事项名称/职权名称”等列名），未读取到任何事项",
        )


def _title_texts(grid: Grid, header_row: int) -> list[str]:
    texts = []
    for row in range(header_row):
        for col in range(grid.n_cols):
            text = squeeze(grid.text(row, col))
            if text and text not in texts:
                texts.append(text)
    return texts


def _sheet_is_empty(grid: Grid) -> bool:
    return all(grid.row_is_blank(row) for row in range(grid.n_rows))


def _attach_steps(result: WorkbookFile) -> None:
    by_code: dict[str, list] = {}
    for step in result.steps:
        if step.code:
            by_code.setdefault(step.code, []).append(step)
    for power in result.powers:
        if power.code and power.code in by_code:
            power.steps = by_code[power.code]
