"""The columnar lane (cases/lane.py) gives what the reader and the full check give
(`read.stream_events` → `checks.group_stream` → `checks.check_case`): the same outcome for
every case, figure by figure and finding by finding, the same reading problems at the same
rows and the same count of events, on a log full of defects. Defective cases take the full
check; clean ones are answered by the lane without an event per row."""

from __future__ import annotations

import csv
import datetime as dt
import random

import pytest

from powercat.cases import lane as lane_module
from powercat.cases.checks import Settings, check_case, group_stream
from powercat.cases.lane import LogCheck
from powercat.cases.link import PowerIndex
from powercat.cases.model import Case
from powercat.cases.read import stream_events
from powercat.cases.run import check_registers
from powercat.model import Source

from .test_cases import catalogue
from .test_cases_quick import _seen
from .test_cases_variants import CODE, STEPS

AS_OF = dt.date(2025, 6, 30)
HEADER = ["办件编号", "职权编码", "环节", "开始", "完成", "承办岗位"]


def _rows(rng: random.Random, n_cases: int) -> list[list[str]]:
    """A log grouped by case, most cases clean, the others with one defect each of what logs hold."""
    rows = []
    for n in range(n_cases):
        steps = list(STEPS)
        kind = rng.random()
        if kind < 0.05:
            i = rng.randrange(len(steps) - 1)
            steps[i], steps[i + 1] = steps[i + 1], steps[i]  # two steps swapped
        elif kind < 0.08:
            steps.insert(rng.randrange(len(steps)), "会商")  # a step the process does not have
        elif kind < 0.2:
            steps = steps[:rng.randrange(1, len(steps))]  # still open
        code = "ZZ-UNKNOWN" if rng.random() < 0.02 else CODE
        day = dt.date(2025, 1, 2) + dt.timedelta(days=rng.randrange(175))
        case_rows = []
        for step in steps:
            start = day
            day += dt.timedelta(days=25 if rng.random() < 0.01 else rng.choice((0, 1, 1, 2)))  # late, now and then
            case_rows.append([f"L{n:05d}", code, step, f"{start} 09:00:00", f"{day} 17:30:00", "承办岗位"])
        odd, row = rng.random(), rng.choice(case_rows)
        if odd < 0.02:
            row[0] = "" if row is not case_rows[0] else row[0]  # the id written once per case
        elif odd < 0.04:
            row[2] = ""  # a blank step
        elif odd < 0.06:
            row[3] = "2025-13-45 10:00:00"  # not a date
        elif odd < 0.07:
            row[4] = "9999-12-31"  # out of the calendar's range
        elif odd < 0.09:
            row[3] = row[3][:10].replace("-", "/")  # another way to write a date
        elif odd < 0.10:
            row[4] = ""  # a step not finished
        elif odd < 0.11:
            row[3], row[4] = row[4], row[3]  # ends before it starts
        elif odd < 0.12:
            row[2] = f" {row[2]} "  # a padded step
        elif odd < 0.13:
            row[0] = f" {row[0]}"  # a padded id: the same case
        elif odd < 0.14:
            del row[5:]  # a short row
        elif odd < 0.15:
            case_rows[0][1] = ""  # the code on a later row only
        elif odd < 0.16 and len(case_rows) > 2:
            case_rows[1], case_rows[2] = case_rows[2], case_rows[1]  # rows out of time order
        rows.extend(case_rows)
        if rng.random() < 0.01:
            rows.append([])  # a blank line
    return rows


def _write(path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def _by_reader(path, index, settings, rows=None):
    problems = []
    events = list(stream_events(str(path), problems.append))
    outcomes = [_seen(check_case(case, index, settings)) + (case.case_id, case.power_code, case.power_name)
                for case in group_stream(iter(events), rows)]
    return outcomes, problems, len(events)


def _by_lane(path, index, settings, rows=None):
    problems = []
    lane = LogCheck(str(path), index, settings, problems.append, rows)
    outcomes = [_seen(o) + (o.case.case_id, o.case.power_code, o.case.power_name) for o in lane]
    return outcomes, problems, lane.events


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    path = tmp_path_factory.mktemp("lane") / "log.csv"
    _write(path, _rows(random.Random(3), 1500))
    assert path.stat().st_size > 4 * 2**16  # large enough to be streamed as a CSV log (read.csv_log)
    return path


@pytest.mark.parametrize("due_within", [5, 40])
def test_the_lane_says_what_the_reader_and_the_full_check_say(log, monkeypatch, due_within):
    index = PowerIndex(catalogue())
    settings = Settings(as_of=AS_OF, due_within=due_within)
    full_checks = []

    def counted(case, *args):
        full_checks.append(case.case_id)
        return check_case(case, *args)

    expected = _by_reader(log, index, settings)
    monkeypatch.setattr(lane_module, "check_case", counted)
    got = _by_lane(log, index, settings)
    assert got == expected
    outcomes, problems, _events = got
    codes = {code for seen in outcomes for code, *_ in seen[11]}
    # the defects were there, found by the full check, each at its row
    assert {"case-step-order", "case-step-unknown", "case-power-unknown", "case-date-order"} <= codes, codes
    assert {"case-date-invalid", "case-date-out-of-range", "case-step-blank"} <= {p[0] for p in problems}
    # every case with a finding took the full check; most clean ones did not
    with_findings = {seen[12] for seen in outcomes if seen[11]}
    assert with_findings <= set(full_checks)
    assert len(outcomes) - len(full_checks) > len(outcomes) / 4, len(full_checks)


def test_a_case_with_a_register_row_is_joined_and_checked_in_full(log):
    index = PowerIndex(catalogue())
    settings = Settings(as_of=AS_OF)

    def rows():
        made = {}
        for n in range(0, 1500, 7):
            made[f"L{n:05d}"] = Case(Source("cases.csv", "cases", n + 2), f"L{n:05d}", decided=dt.date(2025, 1, 1),
                                     columns={"case_id": "A", "decided": "D"})
        return made

    left_by_reader, left_by_lane = rows(), rows()
    assert _by_lane(log, index, settings, left_by_lane) == _by_reader(log, index, settings, left_by_reader)
    assert left_by_lane.keys() == left_by_reader.keys()  # the rows no log case met: left for the caller


def test_a_small_log_is_read_whole_with_the_same_results(tmp_path):
    path = tmp_path / "small.csv"
    _write(path, _rows(random.Random(5), 40))
    index = PowerIndex(catalogue())
    settings = Settings(as_of=AS_OF)
    assert _by_lane(path, index, settings) == _by_reader(path, index, settings)


def test_the_command_path_gives_the_same_report_with_the_lane_and_without(log, monkeypatch):
    from powercat.cases import run

    def seen(result):
        return ([(f.code, f.message, f.file, f.row, f.column) for f in result.report.findings],
                [_seen(o) + (o.case.case_id,) for o in result.outcomes], result.files[0].streamed_events)

    monkeypatch.setattr(run, "STREAM_BYTES", 1)
    with_lane = seen(check_registers(catalogue(), [str(log)], as_of=AS_OF))
    monkeypatch.setattr(lane_module, "_quick_lane", lambda *args: lambda case_id, run_rows: None)
    without = seen(check_registers(catalogue(), [str(log)], as_of=AS_OF))
    assert with_lane == without


def test_a_log_case_made_quickly_equals_one_made_by_the_dataclass():
    made = Case.from_log("C1", "X1", None)
    assert made == Case(None, "C1", power_code="X1")
    assert made.events is not Case.from_log("C2", None, None).events  # fresh lists for each case
