"""Reading a copy an office sent back: its powers (as `powercat list` reads them) and, for
each, the decision written in the decision columns of the power's rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string

from ..disclosure import PUBLIC_STATUSES, WITHHELD
from ..ingest import load_file
from ..ingest.agency import agency_from_text
from ..ingest.columns import field_for
from ..ingest.csvfile import read_csv
from ..ingest.items import column_letter
from ..ingest.sniff import SniffError, sniff
from ..ingest.text import clean_block, clean_name
from ..ingest.workbook import read_sheets, read_sheets_isolated
from ..model import Power, Source, WorkbookFile
from ..text_forms import position
from .comments import read_comments
from ..ingest.decisions import (FIELDS, SNAPSHOT_FIELDS, SNAPSHOT_MARK, SNAPSHOT_SHEET, header_field, normalise_conclusion,
                        read_snapshot_row)

# sheets powercat itself adds to an annotated copy; never read as powers
ISSUES_SHEET = "问题清单"
ANNOTATED_SUFFIX = ".审查意见"  # report.annotate.annotated_name


@dataclass
class Decision:
    """One office's decision on one row of its copy."""

    power: Power  # as read from the copy (its file, sheet and row are the copy's)
    conclusion: str | None  # one of CONCLUSIONS, the raw text when it is none, or None
    opinion: str | None = None
    office: str | None = None
    reviewer: str | None = None
    date: str | None = None
    raw_conclusion: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # decision field → column letter
    unreadable: bool = False  # a conclusion that could not be read, counted as 转备案 (fail closed)
    block_reason: str | None = None  # every 不予公开理由 the item's rows state (a reason may sit on a later row)
    # what else in the item's rows speaks of withholding: an office's cell comment, or a column the
    # office added (是否公开: 否) beside the list's own 公开方式; the power is then withheld
    withholding_note: str | None = None

    @property
    def where(self) -> str:
        return position(self.power.source.file, self.power.source.sheet, self.power.source.row)


@dataclass
class ReturnedCopy:
    path: str
    file: WorkbookFile  # the powers of the copy, its agency, its read error if any
    office: str  # 审核单位 written most often in the copy, else the file name
    decisions: list[Decision] = field(default_factory=list)
    sheets_without_columns: list[str] = field(default_factory=list)
    snapshot: WorkbookFile | None = None  # the list as sent, kept in the copy by `check --annotate`
    snapshot_damaged: list[int] = field(default_factory=list)  # rows of the snapshot sheet that could not be read
    snapshot_deleted: int = 0  # rows deleted from the snapshot sheet (told by the numbers each row carries)

    @property
    def snapshot_old(self) -> bool:
        """A snapshot made before it kept each power's settled status: the list's structure
        (a section heading, another row of a block) is then known only from the copy itself."""
        return self.snapshot is not None and any(p.disclosure_status is None for p in self.snapshot.powers)
    office_named: bool = True  # False when no row gives 审核单位 (the office is then told by the copy's path)

    @property
    def agency(self) -> str:
        name = self.file.agency.name
        if self.snapshot is not None and (not name or name == agency_from_text(Path(self.path).stem)):
            # the agency came from the copy's own file name, which each office may change:
            # take it from the name of the list as sent, the same in every copy
            sent = Path(self.snapshot.path).stem
            return agency_from_text(sent) or sent
        if name:
            return name
        # no snapshot: the copy's file name, without the suffix `check --annotate` gave it
        stem = Path(self.path).stem.removesuffix(ANNOTATED_SUFFIX)
        return agency_from_text(stem) or stem


def _grids(path: str):
    data = Path(path).read_bytes()
    kind = sniff(data, path).format
    if kind == "csv":
        return [read_csv(data, Path(path).stem)]
    return read_sheets_isolated(data) if kind == "xls" else read_sheets(data)


def read_copy(path: str) -> ReturnedCopy:
    """Never raises on bad data: an unreadable copy comes back with `file.error` set."""
    file = load_file(path)
    file.powers = [p for p in file.powers if p.source.sheet not in (ISSUES_SHEET, SNAPSHOT_SHEET)]
    file.sheets = [s for s in file.sheets if s.name not in (ISSUES_SHEET, SNAPSHOT_SHEET)]
    copy = ReturnedCopy(path, file, office=Path(path).stem)
    if file.error is not None:
        return copy
    try:
        grids = {g.name: g for g in _grids(path)}
    except (OSError, SniffError):
        return copy
    # the snapshot sheet by its name, else by its mark (a sheet an office renamed)
    snapshot = grids.get(SNAPSHOT_SHEET) or next(
        (g for g in grids.values() if g.n_rows and g.n_cols and g.text(0, 0) == SNAPSHOT_MARK), None)
    if snapshot is not None:
        copy.snapshot, copy.snapshot_damaged, copy.snapshot_deleted = _snapshot(snapshot, file)
    comments = read_comments(path)
    by_sheet: dict[str, list[Power]] = {}
    for power in file.powers:
        by_sheet.setdefault(power.source.sheet, []).append(power)
    for report in file.sheets:
        powers = by_sheet.get(report.name)
        grid = grids.get(report.name)
        if not powers or grid is None or not report.header_row:
            continue
        header = report.header_row - 1
        columns: dict[str, int] = {}
        conclusion_cols: list[int] = []  # an office may add a second 审核结论 column: every one is read
        for col in range(grid.n_cols):
            key = header_field(grid.text(header, col))
            if key and key not in columns:
                columns[key] = col
            if key == "review_conclusion":
                conclusion_cols.append(col)
        if "review_conclusion" not in columns:
            copy.sheets_without_columns.append(report.name)
            continue
        letters = {key: column_letter(col) for key, col in columns.items()}
        # every column whose header names 公开方式 / 不予公开理由: a power's own is the first
        extra = [(col, kind) for col in range(grid.n_cols)
                 if (kind := field_for(grid.text(header, col))[0]) in ("disclosure", "exemption")]
        for power in powers:
            values: dict[str, str | None] = {}
            rows = range(power.source.row - 1, max(power.last_row, power.source.row))
            for key in FIELDS:
                col = columns.get(key)
                values[key] = None
                if col is None:
                    continue
                # the first non-empty cell of the item's rows (a decision may sit on any of them)
                for row in rows:
                    text = grid.text(row, col)
                    if text.strip():
                        values[key] = (clean_block if key == "review_opinion" else clean_name)(text)
                        break
            values["review_conclusion"] = _conclusion_text(grid, rows, conclusion_cols)
            raw = values["review_conclusion"]
            copy.decisions.append(Decision(
                power, normalise_conclusion(raw), values["review_opinion"], values["review_office"],
                values["review_reviewer"], values["review_date"], raw, letters,
                block_reason=_block_reason(grid, rows, power),
                withholding_note=_withholding_note(grid, rows, power, extra, comments.get(report.name[:31], {}))))
    offices = Counter(d.office for d in copy.decisions if d.office)
    if offices:
        copy.office = sorted(offices.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    else:
        copy.office_named = False
    for decision in copy.decisions:
        decision.office = decision.office or copy.office
    return copy


def _withholding_note(grid, rows: range, power: Power, columns: list[tuple[int, str]],
                      comments: dict[tuple[int, int], str]) -> str | None:
    """A comment on any cell of the item's rows that speaks of withholding, or a second
    公开方式 column whose cell does not read as public, or a second 不予公开理由 column that
    gives a reason."""
    from ..disclosure import has_reason, read_value
    from ..ingest.decisions import mentions_withholding

    own = {column_index_from_string(power.columns[k]) - 1 for k in ("disclosure", "exemption") if power.columns.get(k)}
    notes = []
    for (row, _col), text in sorted(comments.items()):
        if row in rows and mentions_withholding(text):
            notes.append(f"批注：{clean_block(text)}")
    for col, kind in columns:
        if col in own:
            continue
        for row in rows:
            value = grid.text(row, col)
            if not value.strip():
                continue
            public = read_value(value) in PUBLIC_STATUSES if kind == "disclosure" else not has_reason(value)
            if not public or mentions_withholding(value):
                notes.append(f"{column_letter(col)} 列：{clean_name(value)}")
    return "；".join(dict.fromkeys(notes)) or None


def _block_reason(grid, rows: range, power: Power) -> str | None:
    letter = power.columns.get("exemption")
    if not letter:
        return None
    col = column_index_from_string(letter) - 1
    texts = dict.fromkeys(clean_block(grid.text(row, col)) for row in rows)
    return "\n".join(t for t in texts if t) or None


def _conclusion_text(grid, rows: range, cols: list[int]) -> str | None:
    """Every 审核结论 the item's rows hold, in every conclusion column: one text when they
    agree; else all of them joined, which reads as 转备案 if any mentions withholding and
    as unreadable (withheld) otherwise. A formula Excel never computed is read as its
    formula: what it would say is unknown, so it cannot pass as empty."""
    texts = []
    for col in cols:
        for row in rows:
            text = grid.text(row, col)
            if not text.strip() and (row, col) in grid.uncached_formulas:
                text = "=" + grid.uncached_formulas[(row, col)].lstrip("=")
            if text.strip():
                texts.append(clean_name(text))
    texts = list(dict.fromkeys(t for t in texts if t))
    return "；".join(texts) if texts else None


def _snapshot(grid, file: WorkbookFile) -> tuple[WorkbookFile | None, list[int], int]:
    """The list as sent, the rows of the snapshot sheet that could not be read (cut short,
    cells missing) and how many rows were deleted from it: their powers are recovered from
    the copy by the caller."""
    if grid.text(0, 0) != SNAPSHOT_MARK:
        return None, [], 0
    columns = {p.source.sheet: p.columns for p in file.powers}
    steps = {p.code: p.steps for p in file.powers if p.code and p.steps}  # 运行流程 is not in the snapshot
    powers, name, damaged, seqs, totals = [], None, [], set(), set()
    for r in range(1, grid.n_rows):
        cells = [grid.text(r, c) for c in range(grid.n_cols)]
        if not any(cell.strip() for cell in cells):
            continue
        record = read_snapshot_row(cells)
        if not record or not isinstance(record.get("name"), str) or not isinstance(record.get("row"), int):
            damaged.append(r + 1)
            continue
        values = {key: record.get(key) if isinstance(record.get(key), str) else None for key in SNAPSHOT_FIELDS}
        name = record.get("file") if isinstance(record.get("file"), str) else name
        if isinstance(record.get("seq"), int) and isinstance(record.get("of"), int):
            if record["seq"] in seqs:
                continue  # a row pasted twice: one power, not two
            seqs.add(record["seq"])
            totals.add(record["of"])
        sheet, row = str(record.get("sheet") or ""), record["row"]
        last = record.get("last_row") if isinstance(record.get("last_row"), int) else row
        values["category"] = values["category"] or ""
        # the status the list's structure settled; copies made before it was kept have none
        # (then the cells and the copy decide); anything else is not trusted: withheld
        status = record.get("status")
        if "status" in record and status not in PUBLIC_STATUSES:
            status = WITHHELD
        powers.append(Power(Source(name or file.path, sheet, row), last_row=last, columns=columns.get(sheet, {}),
                            steps=steps.get(values["code"], []), disclosure_status=status, **values))
    # a row cut short counts as damaged, not deleted; two totals mean rows of two snapshots mixed
    deleted = max(0, max(totals) - len(seqs) - len(damaged)) if totals else 0
    if len(totals) > 1 or any(seq >= max(totals) for seq in seqs if totals):
        deleted = max(deleted, 1)
    if not powers and not damaged:
        return None, [], deleted
    snapshot = WorkbookFile(name or file.path, file.format, file.agency, sheets=list(file.sheets), powers=powers)
    return snapshot, damaged, deleted
