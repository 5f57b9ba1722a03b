"""The quick lane for a plain log case (cases/quick.py) gives what the full check gives: the
same figures and the same findings, on clean cases and on every kind of defect a log can
hold (steps swapped, dropped or unknown, undated or backward steps, late decisions, late
service, open cases overdue or due soon). And powers with the same chart share one net."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from powercat.cases import checks
from powercat.cases.checks import Settings, check_case
from powercat.cases.conformance import net_for
from powercat.cases.link import PowerIndex
from powercat.cases.model import Case, Event

from .test_cases import catalogue
from .test_cases_variants import CODE, ORIGIN, STEPS

AS_OF = dt.date(2025, 6, 30)


def _random_case(rng: random.Random, n: int) -> Case:
    steps = list(STEPS)
    kind = rng.random()
    if kind < 0.1:
        i = rng.randrange(len(steps) - 1)
        steps[i], steps[i + 1] = steps[i + 1], steps[i]  # two steps swapped
    elif kind < 0.2:
        del steps[rng.randrange(len(steps))]  # a step dropped
    elif kind < 0.25:
        steps.insert(rng.randrange(len(steps)), "会商")  # a step the process does not have
    elif kind < 0.45:
        steps = steps[:rng.randrange(1, len(steps))]  # still open
    day = dt.date(2025, 1, 2) + dt.timedelta(days=rng.randrange(175))
    case = Case(None, f"Q{n}", power_code=CODE)
    for i, step in enumerate(steps):
        start = day
        day = day + dt.timedelta(days=rng.choice((0, 1, 1, 2, 3, 8, 25)))
        end = day
        odd = rng.random()
        if odd < 0.04:
            start = None  # a blank or bad date cell
        elif odd < 0.08:
            end = None
        elif odd < 0.10:
            start, end = end, start  # ends before it starts
        case.events.append(Event(ORIGIN, 2 + i, case.case_id, step, start, end))
    checks._fill_from_events(case)
    return case


def _seen(outcome) -> tuple:
    return (outcome.linked.id if outcome.linked else None, outcome.accepted, outcome.decided, outcome.served,
            outcome.disclosed, outcome.used, outcome.allowed, outcome.on_time, outcome.fit, outcome.due,
            outcome.disclosure, [(f.code, f.message, f.file, f.row, f.column) for f in outcome.findings])


@pytest.mark.parametrize("due_within", [5, 40])
def test_the_quick_lane_says_what_the_full_check_says(monkeypatch, due_within):
    index = PowerIndex(catalogue())
    settings = Settings(as_of=AS_OF, due_within=due_within)
    rng = random.Random(24)
    cases = [_random_case(rng, n) for n in range(600)]
    quick = [_seen(check_case(case, index, settings)) for case in cases]
    monkeypatch.setattr(checks, "is_plain", lambda case: False)  # every case the full way
    full = [_seen(check_case(case, index, settings)) for case in cases]
    assert quick == full
    codes = {code for seen in full for code, *_ in seen[-1]}
    # the defects were there to be found (so the lane met them and gave way)
    assert {"case-step-order", "case-step-unknown", "case-open-overdue"} <= codes, codes
    assert sum(1 for seen in full if not seen[-1]) > 50  # and many cases were clean: the quick lane's


def test_a_case_with_anything_of_its_own_takes_the_full_check():
    from powercat.cases.quick import is_plain

    plain = Case(None, "P", power_code=CODE)
    assert is_plain(plain)
    for field, value in (("remark", "涉密"), ("result", "不予处罚"), ("hearing_requested", True),
                         ("extension_days", 5.0), ("decided", AS_OF), ("order_unknown", True),
                         ("columns", {"served": "K"}), ("problems", [("case-date-invalid", "accepted", {})])):
        case = Case(None, "P", power_code=CODE)
        setattr(case, field, value)
        assert not is_plain(case), field


def test_powers_with_the_same_chart_share_one_net():
    index = PowerIndex(catalogue())
    by_chart: dict[int, list] = {}
    for linked in index.all:
        by_chart.setdefault(id(linked.net), []).append(linked)
    assert len(by_chart) < len(index.all)  # some powers follow one written procedure
    for shared in by_chart.values():
        first = shared[0]
        assert all(net_for(other.power) is first.net for other in shared)
        assert all(other.net.labels == first.net.labels for other in shared)


def _dirty_log(tmp_path):
    """A streamed log with a defect of each kind a few hundred times: bad and out-of-range
    dates, an unknown power, a duplicated row, a case whose rows are out of time order."""
    lines = ["办件编号,职权编码,环节,开始,完成,承办岗位"]
    for n in range(1200):
        rows = []
        for k, step in enumerate(STEPS):
            day = f"2025-03-{3 + k:02d}"
            start, end = f"{day} 09:00:00", f"{day} 10:00:00"
            if n % 13 == 0 and k == 1:
                start = "2025-13-45 09:00:00"  # not a date
            if n % 17 == 0 and k == 2:
                end = "1899-01-01"  # out of the calendar's range
            rows.append([f"D{n:05d}", "NO-SUCH-POWER" if n % 19 == 0 else CODE, step, start, end, "窗口"])
        if n % 23 == 0:
            rows.insert(3, list(rows[2]))  # the same row twice
        if n % 29 == 0:
            rows[1], rows[4] = rows[4], rows[1]  # out of time order
        lines.extend(",".join(row) for row in rows)
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_dirty_streamed_log_gets_its_findings_at_every_row_either_way(tmp_path, monkeypatch):
    from powercat.cases import run

    path = _dirty_log(tmp_path)
    monkeypatch.setattr(run, "STREAM_BYTES", 0)  # streamed, as a province's log is

    def findings():
        result = run.check_registers(catalogue(), [str(path)], as_of=AS_OF)
        return [(f.code, f.row, f.column, f.message) for f in result.report.findings], len(result.outcomes)

    quick, cases = findings()
    monkeypatch.setattr(checks, "is_plain", lambda case: False)
    assert findings() == (quick, cases) and cases == 1200
    rows_of = {}
    for code, row, _column, _message in quick:
        rows_of.setdefault(code, set()).add(row)
    lines = path.read_text(encoding="utf-8").splitlines()
    at = {text: {number for number, line in enumerate(lines, start=1) if text in line}
          for text in ("2025-13-45", "1899-01-01", "NO-SUCH-POWER")}
    assert rows_of["case-date-invalid"] == at["2025-13-45"]  # each bad cell at its own row, duplicates too
    assert rows_of["case-date-out-of-range"] == at["1899-01-01"]
    assert len(rows_of["case-power-unknown"]) == len(range(0, 1200, 19))  # once per case, at its first row
    assert rows_of["case-power-unknown"] <= at["NO-SUCH-POWER"]
