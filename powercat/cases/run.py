"""One call for the command and the build: registers + catalogue → every case checked."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..check.findings import SEVERITY_ORDER, Finding, Place, Report, finding
from ..ingest.file_errors import file_error, file_error_from
from ..ingest.loader import SUFFIXES, discover
from ..ingest.sniff import SniffError
from ..model import Catalogue
from .checks import Outcome, Settings, assemble, check_case, check_cases, group_stream, last_events
from .lane import LogCheck, NotGrouped
from .link import PowerIndex
from .model import RegisterFile
from .read import read_registers, stream_case_ids, stream_events
from .stats import Aggregate

REGISTER_DIR = "办件登记"  # the folder beside the lists that holds their registers


@dataclass
class CasesResult:
    files: list[RegisterFile]
    outcomes: list[Outcome]
    report: Report
    aggregate: Aggregate
    as_of: dt.date
    index: PowerIndex = field(repr=False, default=None)

    @property
    def unreadable(self) -> list[RegisterFile]:
        return [f for f in self.files if f.error is not None]


def registers_beside(paths: Iterable[str]) -> list[str]:
    """The `办件登记/` folders beside (inside) the given list folders, and those given
    directly: what `powercat build` reads as registers."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            candidate = os.path.join(path, REGISTER_DIR)
            if os.path.isdir(candidate) and any(name.lower().endswith(SUFFIXES) for name in os.listdir(candidate)):
                found.append(candidate)
    return found


STREAM_BYTES = 8 * 2**20  # CSV logs larger than this are streamed, not read whole


def check_registers(catalogue: Catalogue, register_paths: list[str], as_of: dt.date | None = None,
                    due_within: int = 5, select: list[str] | None = None, ignore: list[str] | None = None) -> CasesResult:
    """Reads every register, joins case rows and steps by case id and checks each case.
    A large CSV event log is streamed, in whatever row order: each of its cases is checked as
    soon as its last step is read and its steps are then let go."""
    from ..check import _wanted

    settings = Settings(as_of=as_of or dt.date.today(), due_within=due_within)
    paths = discover(register_paths)
    streamed = [p for p in paths if p.lower().endswith(".csv") and os.path.isfile(p) and os.path.getsize(p) > STREAM_BYTES]
    files = read_registers([p for p in paths if p not in streamed])
    cases, findings = assemble(files)
    index = PowerIndex(catalogue)
    aggregate = Aggregate()
    outcomes: list[Outcome] = []

    def take(outcome: Outcome) -> None:
        outcome.findings = [f for f in outcome.findings if _wanted(f.code, select, ignore)]
        aggregate.add(outcome)
        outcomes.append(outcome)
        findings.extend(outcome.findings)

    if streamed:
        rows = {case.case_id: case for case in cases}
        for path in streamed:
            record = RegisterFile(path=path, format="csv")
            problems: list = []
            counted = [0]

            def counting(events):
                for event in events:
                    counted[0] += 1
                    yield event

            try:
                try:
                    # one pass, as if grouped by case (a log's usual order): the columnar lane
                    # (lane.py) watches the order and gives up at a case id met again
                    lane = LogCheck(path, index, settings, problems.append, rows, one_pass=True)
                    held = []
                    for outcome in lane:
                        outcome.case.events = []  # checked: the steps are not needed any more
                        held.append(outcome)
                except NotGrouped:
                    problems.clear()
                    held = None
                if held is not None:
                    for outcome in held:
                        take(outcome)
                    counted[0] = lane.events
                else:
                    # a first pass finds each case's last event, so a log sorted by time or by step
                    # is grouped by case as well as one sorted by case (the trade-off: read twice)
                    last, grouped = last_events(stream_case_ids(path))
                    if grouped:  # a log grouped by case with register rows for some of its cases
                        lane = LogCheck(path, index, settings, problems.append, rows)
                        for outcome in lane:
                            take(outcome)
                            outcome.case.events = []
                        counted[0] = lane.events
                    else:
                        for case in group_stream(counting(stream_events(path, problems.append)), rows, last, grouped):
                            take(check_case(case, index, settings))
                            case.events = []
            except SniffError as exc:
                record.error = file_error_from(path, exc)
            except OSError as exc:
                record.error = file_error(path, "file-unreadable", reason=exc.strerror or exc)
            record.streamed_events = counted[0]
            record.sheets.append((os.path.splitext(os.path.basename(path))[0], None, "events", counted[0]))
            for code, source, column, values in problems:
                findings.append(finding(code, Place.of(source, column), **values))
            files.append(record)
        cases = list(rows.values())
    for outcome in check_cases(cases, index, settings):
        take(outcome)
    findings = [f for f in findings if _wanted(f.code, select, ignore)]
    findings.sort(key=_sort_key)
    return CasesResult(files, outcomes, Report(findings), aggregate, settings.as_of, index)


def _sort_key(f: Finding):
    return (f.file, f.sheet or "", f.row or 0, SEVERITY_ORDER[f.severity], f.code, f.message)
