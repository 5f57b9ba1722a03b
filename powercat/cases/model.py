"""The register's vocabulary: a case (办件/案件), its events (环节), its suspensions.

Plain dataclasses (an event: a named tuple), no I/O. Every case and event keeps its file, sheet and row; `columns`
maps a field to the Excel column letter of its sheet so findings point at the cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import FileError, Source

NATURAL, LEGAL, OTHER_ORG = "自然人", "法人", "其他组织"


class Event(NamedTuple):
    """One step of one case, from an event log (one row per case step). A named tuple, not a
    dataclass: a log holds a million of them, and the reader makes each at C speed
    (`tuple.__new__`), without a Python `__init__` per row."""

    origin: tuple[str, str, dict[str, str]]  # (file, sheet, field → column letter), shared by a sheet's rows
    row: int  # 1-based Excel row (CSV: record number)
    case_id: str
    step: str
    start: dt.date | None
    end: dt.date | None
    post: str | None = None
    power_code: str | None = None
    power_name: str | None = None

    @property
    def source(self) -> Source:
        return Source(self.origin[0], self.origin[1], self.row)

    @property
    def columns(self) -> dict[str, str]:
        return self.origin[2]


@dataclass(slots=True)
class Suspension:
    """A period the law leaves out of the count (中止), or any 中止 the unit recorded."""

    start: dt.date
    end: dt.date
    reason: str | None
    approval: str | None


@dataclass
class Case:
    source: Source | None  # the case row; None when the case is known from events only
    case_id: str
    power_code: str | None = None
    power_name: str | None = None
    agency: str | None = None
    party: str | None = None
    party_type: str | None = None
    party_id: str | None = None
    accepted: dt.date | None = None
    decided: dt.date | None = None
    result: str | None = None
    doc_no: str | None = None
    served: dt.date | None = None
    disclosed: dt.date | None = None
    disclosure_way: str | None = None
    disclosure_formula: str | None = None  # a 公开方式 formula with no cached value (withheld)
    disclosure_scope: str | None = None
    # what the other disclosure columns say (a second 是否公开, 公开属性, 公开范围): (header, column letter, text)
    disclosure_also: list[tuple[str, str, str]] = field(default_factory=list)
    suspensions: list[Suspension] = field(default_factory=list)
    extension_days: float | None = None
    extension_reason: str | None = None
    extension_approval: str | None = None
    hearing_requested: bool = False
    handler: str | None = None
    remark: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    # the steps came from a log not grouped by case (sorted by time or step): steps of one day
    # are then put in the process's order, as the file's order says nothing about them
    order_unknown: bool = False
    # problems found while reading the row: (rule code, field, values)
    problems: list[tuple[str, str | None, dict]] = field(default_factory=list)

    @classmethod
    def from_log(cls, case_id: str, power_code: str | None, power_name: str | None) -> Case:
        """A case known from an event log alone: equal to `Case(None, case_id, power_code=…,
        power_name=…)`, made without the dataclass's `__init__` of thirty fields (a third of
        the cost of checking a plain case of a large log)."""
        case = cls.__new__(cls)
        case.__dict__.update(_LOG_CASE)
        case.case_id, case.power_code, case.power_name = case_id, power_code, power_name
        case.disclosure_also, case.suspensions, case.columns, case.events, case.problems = [], [], {}, [], []
        return case

    @property
    def where(self) -> Source:
        if self.source is not None:
            return self.source
        return self.events[0].source if self.events else Source("", "", 0)


_LOG_CASE = dict(Case(None, "").__dict__)  # every field at its default (the lists are made afresh per case)


@dataclass
class RegisterFile:
    """What one register file gave: its case rows, how many events, or why it was unreadable."""

    path: str
    format: str | None = None
    sheets: list[tuple[str, int | None, str, int]] = field(default_factory=list)  # name, header row, kind, rows
    cases: list[Case] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # rows that could not become a case or event: (rule code, where, column letter, values)
    problems: list[tuple[str, Source, str | None, dict]] = field(default_factory=list)
    streamed_events: int = 0  # events of a streamed log (checked and let go, not kept in `events`)
    error: FileError | None = None
