"""Paths in, a Catalogue out. One bad file becomes that file's error; the others still load."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import stat
from collections.abc import Iterable
from concurrent.futures import Executor
from functools import partial
import zipfile
from pathlib import Path

from ..engine import tasks
from ..output import MARKER as OUTPUT_MARKER
from ..model import Agency, CellProblem, Catalogue, SheetReport, WorkbookFile
from . import classify
from .agency import agency_from_titles, read_agency_info, version_from_titles
from .csvfile import read_csv
from .file_errors import file_error, file_error_from
from .header import Header, find_header
from .items import read_items
from .sniff import MAX_FILE_BYTES, SniffError, sniff
from .steps import read_steps
from .text import squeeze
from .workbook import Grid, read_sheets, read_sheets_isolated

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods")
_STEP_SHEETS = ("运行流程", "流程", "环节")
# A procedure has a dozen steps; thousands under one code are a paste error or an attack
# on the graph checks and the layout. Beyond this, the first ones are used, with a finding.
MAX_STEPS_PER_POWER = 200
_INFO_SHEETS = ("单位信息",)
# Sheets powercat itself adds to an annotated copy (report/annotate.py, ingest/decisions.py).
OWN_SHEETS = classify.REVIEW_SHEETS
REGISTER_DIRS = ("办件登记",)


def discover(paths: Iterable[str]) -> list[str]:
    """Files named on the command line as given; folders searched recursively for
    workbooks, in a stable order. Office lock files (`~$x.xlsx`) are skipped, and so are
    powercat's own output folders (marked `.powercat-output`) and their staging siblings:
    `build data --out data/exports` must not read its catalogue, copies or filing register
    back as lists on the next run."""
    found: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            for root, dirs, files in os.walk(given):
                # registers of cases sit beside the lists in their own folder (powercat cases)
                dirs[:] = sorted(d for d in dirs if d not in REGISTER_DIRS and not _is_output(root, d))
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES) and not name.startswith(("~$", ".~")):
                        found.append(os.path.join(root, name))
        else:
            found.append(given)
    return found


def _is_output(root: str, name: str) -> bool:
    if name.startswith(".") and (".building-" in name or ".old-" in name):
        return True
    return os.path.exists(os.path.join(root, name, OUTPUT_MARKER))


def load(paths: Iterable[str], executor: Executor | None = None, fields: frozenset[str] | None = None) -> Catalogue:
    """Every file of `paths`; with an executor (a Dask cluster's), one task per file. `fields`:
    read_items's (the value fields a command shows; None: all)."""
    read = load_file if fields is None else partial(load_file, fields=fields)
    return Catalogue(files=list(tasks(executor).map(read, discover(paths))))


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
            # what was made meanwhile goes straight to the oldest generation: re-enabled as it
            # was, the collector would first walk every object of the file just read (a tenth of
            # a second at 100,000 rows) to find nothing. Cycles, were there any, are still
            # collected by the next full collection.
            gc.freeze()
            gc.enable()
            gc.unfreeze()


def load_file(path: str, fields: frozenset[str] | None = None) -> WorkbookFile:
    with _gc_paused():
        return _load_file(path, fields)


def _load_file(path: str, fields: frozenset[str] | None = None) -> WorkbookFile:
    result = WorkbookFile(path=path, format=None)
    try:
        result.format, grids, data = _open(path)
        if result.format == "csv" and classify.looks_like_supplement(data, path):
            result.sheets.append(SheetReport(Path(path).name, None, 0, kind=classify.SUPPLEMENT,
                                             reason="这是补充法规文件（请用 --laws 给出），不是权力清单，未读取"))
            return result
        if classify.own_output(grids, _core_properties(data) if result.format == "xlsx" else None):
            result.sheets.extend(SheetReport(grid.name, None, 0, kind=classify.OUTPUT,
                                             reason="这是 powercat 生成的输出文件（目录、备案登记表、对照表或统计），不作为清单读取")
                                 for grid in grids)
            return result
        _read_grids(result, grids, Path(path).stem, fields)
    except SniffError as exc:
        result.format = result.format or getattr(exc, "format", None)
        result.error = file_error_from(path, exc)
        result.powers, result.steps = [], []
    return result


def open_grids(path: str) -> tuple[str, list[Grid]]:
    """(format, every sheet as a Grid) of one input file, however it is named: the one way
    a file is opened (lists and case registers alike). Raises SniffError with a stable
    code and a Chinese message for anything that cannot or must not be read."""
    file_format, grids, _data = _open(path)
    return file_format, grids


def _open(path: str) -> tuple[str, list[Grid], bytes]:
    try:
        data = _read_regular_file(path)
    except FileNotFoundError:
        raise SniffError.of("file-not-found") from None
    except IsADirectoryError:
        raise SniffError.of("file-unreadable", "folder") from None
    except OSError as exc:
        raise SniffError.of("file-unreadable", reason=exc.strerror or exc) from None
    sniffed = sniff(data, path)
    try:
        if sniffed.format == "csv":
            return sniffed.format, [read_csv(data, Path(path).stem)], data
        if sniffed.format == "xls":
            return sniffed.format, read_sheets_isolated(data), data
        return sniffed.format, read_sheets(data), data
    except SniffError as exc:
        exc.format = sniffed.format  # what the bytes are, though they could not be read
        raise


def _read_regular_file(path: str) -> bytes:
    """The file's bytes, refusing before any read what is not a regular file (a FIFO would
    block forever, a device never ends) or is larger than the size limit."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise SniffError.of("not-a-regular-file")
        if info.st_size > MAX_FILE_BYTES:
            raise SniffError.of("file-too-large", "unread", size=info.st_size // 2**20, limit=MAX_FILE_BYTES // 2**20)
        chunks, remaining = [], MAX_FILE_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 22))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > MAX_FILE_BYTES:  # grew while we read it
            raise SniffError.of("file-too-large", "grew", limit=MAX_FILE_BYTES // 2**20)
        return data
    finally:
        os.close(fd)


def _core_properties(data: bytes) -> bytes | None:
    """docProps/core.xml of an xlsx (where powercat stamps its outputs' creator), bounded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("docProps/core.xml") as part:
            return part.read(65536)
    except Exception:  # noqa: BLE001 – no or a broken part: no mark
        return None


def _read_grids(result: WorkbookFile, grids: list[Grid], stem: str, fields: frozenset[str] | None = None) -> None:
    titles: list[str] = []
    info: Agency | None = None
    sheet_headers = []
    for grid in grids:
        if grid.name in OWN_SHEETS:  # what powercat added to an annotated copy is not the list
            result.sheets.append(SheetReport(grid.name, None, 0, kind="none", reason="powercat 生成的审查意见表，不是清单内容"))
            continue
        if any(word in grid.name for word in _INFO_SHEETS):
            info = read_agency_info(grid) or info
            result.sheets.append(SheetReport(grid.name, None, 0, kind="agency"))
            sheet_headers.append((grid, None, "agency"))
            continue
        # what a sheet holds is decided by its header, never by its name alone: a sheet
        # named 行政检查（含办理流程） with a power header is read as powers, and a case
        # register's sheet, though it names 职权编码 and 职权名称, is not a list
        register = classify.register_table(grid)
        if register is not None:
            result.sheets.append(SheetReport(grid.name, None, 0, kind=classify.REGISTER, reason=(
                classify.REGISTER_REASON if register == "case" else classify.EVENTS_REASON)))
            continue
        step_header = find_header(grid, "step", required=("step_id", "next"))
        if step_header is not None:
            sheet_headers.append((grid, step_header, "steps"))
            continue
        header = find_header(grid)
        if header is not None and classify.procedure_only(header.columns):
            result.sheets.append(SheetReport(grid.name, None, 0, kind="none", reason=classify.PROCEDURE_ONLY_REASON))
            continue
        sheet_headers.append((grid, header, "powers"))
        if header is not None:
            titles.extend(_title_texts(grid, header.row))
    agency = info or Agency(agency_from_titles(titles, stem))
    agency.edition = version_from_titles(titles, stem)
    result.agency = agency
    read_sheets: list[tuple[int, Header, list]] = []  # (index in result.sheets, header, items)
    for grid, header, kind in sheet_headers:
        if kind == "agency":
            continue
        if header is None:
            result.sheets.append(SheetReport(grid.name, None, 0, kind="none", reason=_skip_reason(grid)))
            continue
        if kind == "steps":
            steps = read_steps(grid, header, result.path)
            result.steps.extend(steps)
            result.sheets.append(SheetReport(grid.name, header.row + 1, len(steps), kind="steps"))
        else:
            powers = read_items(grid, header, result.path, agency.name, fields)
            result.powers.extend(powers)
            read_sheets.append((len(result.sheets), header, powers))
            result.sheets.append(SheetReport(grid.name, header.row + 1, len(powers),
                                             reason=None if powers else _no_items_reason(grid, header.row)))
    _skip_contents_sheets(result, read_sheets)
    _attach_steps(result)
    if classify.is_register_file(result):
        return  # read as a register by `build`, skipped with a notice by the other commands
    if not any(s.kind == "powers" for s in result.sheets):
        result.error = file_error(result.path, "no-power-table")


def _skip_contents_sheets(result: WorkbookFile, read_sheets: list[tuple[int, Header, list]]) -> None:
    """A list split over sheets often opens with a 目录 sheet naming every item again: a sheet
    whose header names the items and nothing of their content, and whose every item another
    sheet of the file lists with content, is that contents sheet and is not read twice. One
    that withholds anything (a 不予公开事项 sheet of names) is read: it withholds them elsewhere."""
    listed = {(p.name, p.sub_name) for _at, header, powers in read_sheets
              if not classify.names_only(header.columns) for p in powers}
    for at, header, powers in read_sheets:
        if (powers and classify.names_only(header.columns, header.labels) and not any(p.is_withheld for p in powers)
                and all((p.name, p.sub_name) in listed for p in powers)):
            dropped = {id(p) for p in powers}
            result.powers = [p for p in result.powers if id(p) not in dropped]
            report = result.sheets[at]
            result.sheets[at] = SheetReport(report.name, report.header_row, 0, kind="none",
                                            reason=classify.CONTENTS_REASON.format(count=len(powers)))


def _no_items_reason(grid: Grid, header_row: int) -> str | None:
    """Why a sheet with a header gave no item, when rows below it hold something (an empty
    template says nothing)."""
    if all(grid.row_is_blank(row) for row in range(header_row + 1, grid.n_rows)):
        return None
    return ("表头下有内容，但没有读到任何事项：事项名称列为空，或内容在跨越大半个表格的合并单元格中"
            "（按标题或说明处理）；请检查事项名称列和合并范围")


def _title_texts(grid: Grid, header_row: int) -> list[str]:
    texts = []
    for row in range(header_row):
        for col in range(grid.n_cols):
            text = squeeze(grid.text(row, col))
            if text and text not in texts:
                texts.append(text)
    return texts


def _skip_reason(grid: Grid) -> str:
    if not grid.n_rows or _sheet_is_empty(grid):
        return "空工作表"
    if any(word in grid.name for word in _STEP_SHEETS):
        return "像运行流程表，但前 30 行没有“环节编号”和“下一环节”列"
    return "前 200 行没有权力清单表头（事项名称/职权名称等），未作为清单读取"


def _sheet_is_empty(grid: Grid) -> bool:
    return all(grid.row_is_blank(row) for row in range(grid.n_rows))


def _attach_steps(result: WorkbookFile) -> None:
    """Steps go to the power of their 职权编码. Steps without one name their power by
    职权名称 and 子项名称: the k-th run of consecutive steps naming a power goes to the k-th
    power of the file with that name (a list may name two powers alike)."""
    if not result.steps:
        return  # a list without a 运行流程 sheet: nothing to attach, and its powers need no walk
    by_code: dict[str, list] = {}
    runs: dict[tuple[str, str | None], list[list]] = {}
    previous = None
    for step in result.steps:
        if step.code:
            by_code.setdefault(step.code, []).append(step)
            previous = None
        elif step.power_name:
            key = (step.power_name, step.power_sub_name)
            # a step number met again starts the next power of that name
            if key != previous or any(s.step_id == step.step_id for s in runs[key][-1]):
                runs.setdefault(key, []).append([])
            runs[key][-1].append(step)
            previous = key
    taken: dict[tuple[str, str | None], int] = {}
    for power in result.powers:
        steps = by_code.get(power.code) if power.code else None
        if not steps:  # (a code two powers share is left off their steps: they link by name)
            key = (power.name, power.sub_name)
            nth = taken.get(key, 0)
            taken[key] = nth + 1
            found = runs.get(key, [])
            steps = found[nth] if nth < len(found) else None
        if not steps:
            continue
        if len(steps) > MAX_STEPS_PER_POWER:
            first = steps[0]
            power.problems.append(CellProblem("process-too-many-steps", first.source.row, first.columns.get("code"),
                                              "steps", str(len(steps)), first.source.sheet))
            steps = steps[:MAX_STEPS_PER_POWER]
        power.steps = steps
