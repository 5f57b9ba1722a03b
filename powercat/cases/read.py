"""Registers in, cases and events out, through the ingest machinery the lists use.

A register file may hold case rows (one row per 办件/案件), an event log (one row per
case step: 编号, 环节, 开始, 完成, 承办岗位 — the shape approval systems export and
process-mining tools read), or both on different sheets. Bytes are sniffed as for lists
(`ingest.sniff`: real format, zip bombs, disguised HTML), workbooks read with calamine
(`ingest.workbook`, merges shown as Excel shows them), text cleaned with `ingest.text`.

CSV event logs are streamed: `stream_events` reads a file of any size row by row, so
memory stays flat however many events it holds.
"""

from __future__ import annotations

import codecs
import itertools
import csv
import os
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from ..ingest.file_errors import file_error, file_error_from
from ..ingest.items import column_letter
from ..ingest.loader import discover, open_grids
from ..ingest.sniff import SniffError, sniff
from ..ingest.text import clean_block, clean_name
from ..ingest.workbook import Grid, build_grid
from ..model import Source
from ..workdays import FIRST, LAST, supported_range_zh
from ..ingest.register_columns import disclosure_columns, find_header
from .dates import BadDate, to_date
from .mask import is_natural_type
from .model import LEGAL, NATURAL, OTHER_ORG, Case, Event, RegisterFile, Suspension

FIELD_ZH = {
    "case_id": "办件编号", "power_code": "职权编码", "power_name": "职权名称", "agency": "实施主体", "party": "相对人",
    "party_type": "相对人类型", "party_id": "证件号码", "accepted": "受理日期", "decided": "决定日期",
    "result": "办理结果", "doc_no": "决定文书号", "served": "送达日期", "disclosed": "公开日期",
    "disclosure_way": "公开方式", "disclosure_scope": "公开范围", "suspend_start": "中止开始日期",
    "suspend_end": "中止结束日期", "suspend_reason": "中止原因", "suspend_approval": "中止批准人",
    "extension_days": "延期天数", "extension_reason": "延期原因", "extension_approval": "延期批准人",
    "hearing_requested": "是否申请听证", "handler": "承办人", "remark": "备注", "step": "环节", "start": "开始",
    "end": "完成", "post": "承办岗位",
}
_DATE_FIELDS = ("accepted", "decided", "served", "disclosed", "suspend_start", "suspend_end")
_YES = frozenset({"是", "要求", "申请", "已申请", "y", "yes", "1", "√", "true"})
MAX_EXTENSION_DAYS = 366  # more is a typo (1e9, inf): a finding, not a deadline past the year 9999

Problem = tuple[str, Source, str | None, dict]  # (rule code, where, column letter, values)


def party_type(text: str | None, party: str | None = None) -> str | None:
    """自然人 / 法人 / 其他组织 from the cell; unknown → None (masked as a natural person).
    居民, 村民, 农户, 户主 … are natural persons whatever the name looks like."""
    if text:
        if is_natural_type(text) or any(w in text for w in ("自然人", "个人", "公民")):
            return NATURAL
        if any(w in text for w in ("法人", "企业", "公司")):
            return LEGAL
        if "个体" in text:
            return None  # 个体工商户 often trade under the owner's name: masked unless it reads as a shop's
        if "组织" in text:
            return OTHER_ORG
    return None


def read_registers(paths: list[str]) -> list[RegisterFile]:
    return [read_register(path) for path in discover(paths)]


def read_register(path: str) -> RegisterFile:
    """Every case row and event of one file (small and middle-sized registers; a big CSV
    event log is better streamed with `stream_events`)."""
    result = RegisterFile(path=path)
    try:
        result.format, grids = open_grids(path)  # the same guards as the lists: FIFOs, sizes, bombs
    except SniffError as exc:
        result.error = file_error_from(path, exc)
        return result
    problems: list[Problem] = []
    for grid in grids:
        found = find_header(grid)
        if found is None:
            if not all(grid.row_is_blank(r) for r in range(grid.n_rows)):
                result.sheets.append((grid.name, None, "none", 0))
            continue
        table, header_row, columns = found
        letters = {f: column_letter(c) for f, c in columns.items()}
        rows = _grid_rows(grid, header_row + 1)
        if table == "case":
            before = len(result.cases)
            headers = [grid.text(header_row, col) for col in range(grid.n_cols)]
            also = [(col, headers[col], column_letter(col)) for col in disclosure_columns(headers, columns)]
            result.cases.extend(_cases(rows, columns, letters, path, grid.name, problems, grid, also))
            result.sheets.append((grid.name, header_row + 1, "cases", len(result.cases) - before))
        else:
            before = len(result.events)
            result.events.extend(_events(rows, columns, letters, path, grid.name, problems.append))
            result.sheets.append((grid.name, header_row + 1, "events", len(result.events) - before))
    result.problems = problems
    if not result.sheets or all(kind == "none" for _n, _h, kind, _c in result.sheets):
        result.error = file_error(path, "no-register-table")
    return result


def _grid_rows(grid: Grid, first: int) -> Iterator[tuple[int, list[str]]]:
    for row in range(first, grid.n_rows):
        yield row + 1, [grid.text(row, col) for col in range(grid.n_cols)]


def _cell(values: list[str], columns: dict[str, int], field: str) -> str:
    col = columns.get(field)
    return values[col] if col is not None and col < len(values) else ""


def _cases(rows, columns, letters, path, sheet, problems: list[Problem], grid: Grid | None = None,
           also: list[tuple[int, str, str]] = ()) -> Iterator[Case]:
    formulas = grid.uncached_formulas if grid is not None else {}
    way_col = columns.get("disclosure_way")
    for excel_row, values in rows:
        if not any(v.strip() for v in values if isinstance(v, str)):
            continue
        source = Source(path, sheet, excel_row)
        case_id = clean_name(_cell(values, columns, "case_id"))
        if not case_id:
            problems.append(("case-id-missing", source, letters.get("case_id"), {}))
            continue
        case = Case(source=source, case_id=case_id, columns=letters)
        for field in ("power_code", "power_name", "agency", "party", "party_id", "doc_no", "disclosure_way",
                      "handler", "extension_approval"):
            setattr(case, field, clean_name(_cell(values, columns, field)))
        for field in ("result", "remark", "extension_reason", "disclosure_scope"):
            setattr(case, field, clean_block(_cell(values, columns, field)))
        if way_col is not None and formulas:
            anchor = grid.anchor_of(excel_row - 1, way_col)
            case.disclosure_formula = formulas.get(anchor)  # reads as blank, but is not: withheld
        for col, header, letter in also:
            text = clean_name(values[col] if col < len(values) else "")
            formula = formulas.get(grid.anchor_of(excel_row - 1, col)) if formulas else None
            if formula and not case.disclosure_formula:
                case.disclosure_formula = formula
            if text:
                case.disclosure_also.append((header, letter, text))
        suspend_approval = clean_name(_cell(values, columns, "suspend_approval"))
        case.party_type = party_type(clean_name(_cell(values, columns, "party_type")), case.party)
        dates = {}
        for field in _DATE_FIELDS:
            text = _cell(values, columns, field)
            try:
                dates[field] = to_date(text)
            except BadDate:
                dates[field] = None
                case.problems.append(("case-date-invalid", field, {"field_zh": FIELD_ZH[field], "text": text.strip()}))
                continue
            if dates[field] is not None and not FIRST <= dates[field] <= LAST:
                dates[field] = None  # 9999-12-31, 0001-01-01: a finding at its cell, not a count that fails
                case.problems.append(("case-date-out-of-range", field, {"field_zh": FIELD_ZH[field], "text": text.strip(),
                                                                        "range": supported_range_zh()}))
        case.accepted, case.decided = dates["accepted"], dates["decided"]
        case.served, case.disclosed = dates["served"], dates["disclosed"]
        if dates["suspend_start"] and dates["suspend_end"]:
            case.suspensions.append(Suspension(dates["suspend_start"], dates["suspend_end"],
                                               clean_block(_cell(values, columns, "suspend_reason")), suspend_approval))
        days = clean_name(_cell(values, columns, "extension_days"))
        if days:
            try:
                value = float(days.replace("个工作日", "").replace("工作日", "").replace("天", "").replace("日", ""))
            except ValueError:
                case.problems.append(("case-number-invalid", "extension_days", {"field_zh": "延期天数", "text": days}))
            else:
                if 0 <= value <= MAX_EXTENSION_DAYS:  # not inf, nan, negative or a year's worth
                    case.extension_days = value
                else:
                    case.problems.append(("case-number-out-of-range", "extension_days",
                                          {"field_zh": "延期天数", "text": days, "range": f"0 至 {MAX_EXTENSION_DAYS}"}))
        hearing = (clean_name(_cell(values, columns, "hearing_requested")) or "").lower()
        case.hearing_requested = hearing in _YES
        yield case


def _events(rows, columns, letters, path, sheet, problem: Callable[[Problem], None], words: dict | None = None,
            day_of: dict | None = None) -> Iterator[Event]:
    """Events from (row number, cells) pairs. The hot loop of a large log: columns are
    looked up once, each distinct step, post or code text is cleaned once, each distinct
    `YYYY-MM-DD…` date part parsed once, and each event made as a tuple at C speed
    (`tuple.__new__`); positions are built on demand. `words` (a `Words`) and `day_of` (date
    part → day) may be given to share what was cleaned and parsed with another reader of the
    same log (`lane.LogCheck`)."""
    origin = (path, sheet, letters)
    c_id, c_step = columns["case_id"], columns["step"]
    c_start, c_end = columns.get("start", -1), columns.get("end", -1)
    c_post, c_code, c_name = columns.get("post", -1), columns.get("power_code", -1), columns.get("power_name", -1)
    width = 1 + max(c_id, c_step, c_start, c_end, c_post, c_code, c_name)
    clean_id = clean_cell
    words = Words() if words is None else words
    day_of = {} if day_of is None else day_of
    new, event = tuple.__new__, Event
    last_id = raw_id = clean = None
    for excel_row, values in rows:
        if len(values) < width:
            values = list(values) + [""] * (width - len(values))
        raw = values[c_id]
        if raw != raw_id:  # a case's rows follow one another: its id is cleaned once
            raw_id, clean = raw, clean_id(raw)
        case_id = clean
        step = words[values[c_step]]
        if not (case_id and step):  # the rare rows: blank id or step
            if not case_id and not step:
                continue
            if not case_id:
                # a log that writes the case id once per case (or merges it) means the one above
                case_id = last_id
                if case_id is None:
                    problem(("case-id-missing", Source(path, sheet, excel_row), letters.get("case_id"), {}))
                    continue
            last_id = case_id
            if not step:
                problem(("case-step-blank", Source(path, sheet, excel_row), letters.get("step"), {"case": case_id}))
                continue
        last_id = case_id
        start = end = None
        if c_start >= 0:
            value = values[c_start]
            try:
                start = day_of[value[:10]]
            except (KeyError, TypeError):  # a date part not met yet, or not a text: parsed (a finding if bad)
                start = _event_date(value, day_of, problem, path, sheet, excel_row, letters, "start")
        if c_end >= 0:
            value = values[c_end]
            try:
                end = day_of[value[:10]]
            except (KeyError, TypeError):
                end = _event_date(value, day_of, problem, path, sheet, excel_row, letters, "end")
        yield new(event, (origin, excel_row, case_id, step, start, end,
                          words[values[c_post]] if c_post >= 0 else None,
                          words[values[c_code]] if c_code >= 0 else None,
                          words[values[c_name]] if c_name >= 0 else None))


def _event_date(value, day_of: dict, problem, path, sheet, row, letters, field):
    """A date cell not yet in `day_of`: parsed (a finding, and None, when it is not a date or is
    outside the calendar's range). A valid `YYYY-MM-DD…` cell is read by its date part alone
    (`to_date`), so that part is remembered in `day_of` for the next rows (bounded)."""
    try:
        day = to_date(value)
    except BadDate:
        return _bad_date(problem, path, sheet, row, letters, field, value)
    if day is not None and not FIRST <= day <= LAST:
        return _bad_date(problem, path, sheet, row, letters, field, value, "case-date-out-of-range")
    if day is not None and value.__class__ is str and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        if len(day_of) >= _CACHE_MAX:
            day_of.clear()
        day_of[value[:10]] = day
    return day


class Words(dict):
    """Cell text → cleaned text (`clean_cell`), each distinct text cleaned once: a log's steps,
    posts and codes repeat on every row. Bounded: cleared when it grows large."""

    def __missing__(self, value):
        cleaned = clean_cell(value)
        if len(self) >= _CACHE_MAX:
            self.clear()
        self[value] = cleaned
        return cleaned


_CACHE_MAX = 1 << 16


def clean_cell(value) -> str | None:
    """`clean_name`, without its cache for the common plain cell (case ids are all
    different and would only churn the cache)."""
    if value.__class__ is str and value.isascii() and value.isprintable() and " " not in value \
            and value not in _ASCII_NULLS:
        return value
    return clean_name(value) if value.__class__ is str else clean_name(str(value))


_ASCII_NULLS = frozenset({"", "/", "-", "\\", "null", "none", "n/a", "NULL", "None", "N/A"})


def _bad_date(problem, path, sheet, row, letters, field, value, code: str = "case-date-invalid") -> None:
    values = {"field_zh": FIELD_ZH[field], "text": str(value).strip()}
    if code == "case-date-out-of-range":
        values["range"] = supported_range_zh()
    problem((code, Source(path, sheet, row), letters.get(field), values))


# --- streaming a CSV event log -----------------------------------------------------------

_HEAD_BYTES = 1 << 16


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        return "utf-8" if exc.start >= len(head) - 4 else "gb18030"


def stream_events(path: str, problem: Callable[[Problem], None]) -> Iterator[Event]:
    """The events of a CSV log, row by row (memory flat). Workbooks are read whole (a
    sheet holds at most 1,048,576 rows) and their events yielded in order. Raises
    SniffError for a file that cannot be read."""
    with csv_log(path) as table:
        if table is not None:
            yield from _events(table.numbered(), table.columns, table.letters, path, table.name, problem)
            for item in table.unclosed_quotes(path):
                problem(item)
            return
    register = read_register(path)
    if register.error is not None:
        raise SniffError(register.error.code, register.error.message)
    for item in register.problems:
        problem(item)
    yield from register.events


def stream_case_ids(path: str) -> Iterator[str]:
    """The case id of each event `stream_events` yields, in the same order, for a first pass
    over a log (`checks.last_events`): the same rows kept and skipped, without their dates
    and events."""
    with csv_log(path) as table:
        if table is not None:
            yield from _case_ids(table.numbered(), table.columns)
            return
    for event in stream_events(path, lambda _problem: None):
        yield event.case_id


class CsvLog(NamedTuple):
    """A large CSV event log, open: its rows after the header (lists of cells) and the record
    number of the first, the field → column index and letter maps, its sheet name, and the
    quotes opened and never closed met so far (`unclosed_quotes`: report them once the rows
    are read)."""

    rows: Iterator[list[str]]
    first_number: int
    columns: dict[str, int]
    letters: dict[str, str]
    name: str
    quotes: list | tuple = ()

    def numbered(self) -> Iterator[tuple[int, list[str]]]:
        """(record number, cells) of each row after the header."""
        return enumerate(self.rows, start=self.first_number)

    def unclosed_quotes(self, path: str) -> Iterator[Problem]:
        """A finding for each cell whose quote never closed (`_records`), at its record."""
        fields = {col: field for field, col in self.columns.items()}
        for number, col, lines_after in self.quotes:
            field = fields.get(col)
            yield ("csv-quote-unclosed", Source(path, self.name, number), column_letter(col),
                   {"field_zh": FIELD_ZH.get(field, f"第 {column_letter(col)} 列"), "value": str(lines_after)})


@contextmanager
def csv_log(path: str):
    """A large CSV event log (`CsvLog`), open while in the block; None for a file to read
    whole (small, or not CSV)."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not (os.path.getsize(path) > _HEAD_BYTES * 4 and sniff(head, path).format == "csv"):
        yield None
        return
    encoding = _encoding(head)
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        sample = text.read(8192)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    quotes: list = []
    records = _records(path, encoding, delimiter, quotes)
    try:
        first = list(itertools.islice(records, 30))
        grid = build_grid(Path(path).stem, first, [])
        found = find_header(grid)
        if found is None or found[0] != "event":
            raise SniffError.of("no-register-table", "events")
        _table, header_row, columns = found
        letters = {f: column_letter(c) for f, c in columns.items()}
        # the rows already read after the header, then the rest: record numbers run on
        yield CsvLog(itertools.chain(first[header_row + 1:], records), header_row + 2, columns, letters, grid.name,
                     quotes)
    finally:
        records.close()


def _records(path: str, encoding: str, delimiter: str, quotes: list) -> Iterator[list[str]]:
    """Every record of a CSV log as the csv module reads it, at its speed, but for one slip:
    a quote opening a cell and never closed. The csv module (as Excel) then reads the rest of
    the file into that cell: to the end of the file, or until it passes its size limit and
    stops with an error; every row after it would be lost. That record's line is read again
    with its quotes taken literally, and the rows after it as usual; `quotes` gets [record
    number, column index, lines after it] for a finding.

    The reader is strict, so that it says where a quote runs to the end of the file; the one
    other thing it is strict about (text after a closing quote, `"某某"局`) is read again
    leniently, as the csv module reads it by default, and nothing is said about it."""
    skip = done = 0  # physical lines, and records, before the reader below
    while True:
        with open(path, encoding=encoding, errors="replace", newline="") as text:
            reader = csv.reader(itertools.islice(text, skip, None) if skip else text, delimiter=delimiter, strict=True)
            try:
                yield from reader
            except csv.Error as exc:
                unclosed = any(words in str(exc) for words in ("field larger than field limit", "unexpected end of data"))
            else:
                lines_read = skip + reader.line_num
                for quote in quotes:
                    line = quote.pop()  # the line the quote opened on (1-based): the lines after it, to the end
                    quote.append(lines_read - line)
                return
        before, start = _record_at_error(path, encoding, delimiter, skip)
        done += before
        row, lines = (None, 0) if unclosed else _lenient_record(path, encoding, delimiter, start)
        if row is None:  # the quote: its line with quotes taken literally, and a finding
            row, col = _literal_line(path, encoding, delimiter, start)
            quotes.append([done + 1, col, start + 1])
            lines = 1
        skip = start + max(lines, 1)
        yield row
        done += 1


def _lines_from(path: str, encoding: str, start: int):
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        yield from itertools.islice(text, start, None)


def _lenient_record(path: str, encoding: str, delimiter: str, start: int) -> tuple[list[str] | None, int]:
    """The record starting on line `start` as the csv module reads it by default, and the lines
    it takes; (None, 0) when that reading too runs into a quote that does not close."""
    lines = _lines_from(path, encoding, start)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        return next(reader, []), reader.line_num
    except csv.Error:
        return None, 0
    finally:
        lines.close()


def _literal_line(path: str, encoding: str, delimiter: str, start: int) -> tuple[list[str], int]:
    """Line `start` read with its quotes taken literally, and the index of the cell whose quote
    does not close (the last one the csv module gives for that line alone)."""
    lines = _lines_from(path, encoding, start)
    line = next(lines, "")
    lines.close()
    col = len(next(csv.reader([line], delimiter=delimiter), [""])) - 1
    return next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), []), col


def _record_at_error(path: str, encoding: str, delimiter: str, skip: int) -> tuple[int, int]:
    """(records read, physical line the failing record starts on) of a CSV read again from
    line `skip` up to its csv error (strictly, as `_records`): only after a slip, so its cost
    is no matter."""
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        reader = csv.reader(itertools.islice(text, skip, None) if skip else text, delimiter=delimiter, strict=True)
        before = start = 0
        try:
            for _row in reader:
                before, start = before + 1, reader.line_num
        except csv.Error:
            pass
    return before, skip + start


def _case_ids(rows, columns) -> Iterator[str]:
    """`_events`' choice of rows (blank rows and steps skipped, a blank id meaning the one
    above), giving only each event's case id."""
    c_id, c_step = columns["case_id"], columns["step"]
    clean_id, words = clean_cell, Words()
    last_id = raw_id = clean = None
    for _row, values in rows:
        raw = values[c_id] if c_id < len(values) else ""
        if raw != raw_id:
            raw_id, clean = raw, clean_id(raw)
        case_id = clean
        step = words[values[c_step] if c_step < len(values) else ""]
        if not case_id and not step:
            continue
        if not case_id:
            case_id = last_id
            if case_id is None:
                continue
        last_id = case_id
        if step:
            yield case_id
