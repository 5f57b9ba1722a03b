"""The shortcuts a large log takes give what the plain way gives: a variant's plan shared by
its cases, the first pass reading only case ids, the aggregate's tables filled when read."""

from __future__ import annotations

import datetime as dt

from powercat.cases.checks import Settings, check_case, group_stream
from powercat.cases.link import PowerIndex
from powercat.cases.model import Case, Event
from powercat.cases.read import stream_case_ids, stream_events
from powercat.cases.stats import Aggregate, Figures
from powercat.cases.variants import plan_of

from .test_cases import catalogue

CODE = "519901101XK00100"
STEPS = ["申请", "受理", "审查", "决定", "制证送达", "办结"]
ORIGIN = ("log.csv", "log", {"case_id": "A", "step": "C", "start": "D", "end": "E"})


def _case(case_id: str, first: dt.date, steps=STEPS, days_per_step: int = 1) -> Case:
    case = Case(None, case_id, power_code=CODE)
    for i, step in enumerate(steps):
        day = first + dt.timedelta(days=i * days_per_step)
        case.events.append(Event(ORIGIN, 2 + i, case_id, step, day, day))
    return case


def test_cases_of_one_variant_share_its_plan_but_not_their_dates():
    index = PowerIndex(catalogue())
    settings = Settings(as_of=dt.date(2025, 12, 31))
    quick, slow = _case("Q", dt.date(2025, 3, 3)), _case("S", dt.date(2025, 3, 3), days_per_step=20)
    a, b = check_case(quick, index, settings), check_case(slow, index, settings)
    linked = a.linked
    assert plan_of(linked, tuple(STEPS), None) is plan_of(linked, tuple(STEPS), None)  # worked out once
    assert a.fit and b.fit
    assert a.on_time and not b.on_time  # the same steps, each case's own deadline
    assert {"case-over-promised", "case-over-statutory"} & {f.code for f in b.findings}
    assert (a.accepted, a.decided) == (dt.date(2025, 3, 4), dt.date(2025, 3, 6))
    assert (b.accepted, b.decided) == (dt.date(2025, 3, 23), dt.date(2025, 5, 2))


def _log(tmp_path):
    lines = ["办件编号,事项编码,环节,开始,完成,承办岗位"]
    for n in range(1500):
        for k, step in enumerate(STEPS):
            case_id = "" if k == 2 else f"S{n:05d}"  # a blank id means the case above
            if n % 7 == 0 and k == 3:
                step = ""  # a blank step: no event
            day = "2025-13-45 09:00:00" if n % 11 == 0 and k == 1 else "2025-03-03 09:00:00"
            lines.append(f"{case_id},{CODE},{step},{day},2025-03-03 10:00:00,窗口")
    lines.append(",,,,,")
    lines.append(f",{CODE},受理,2025-03-03,2025-03-03,窗口")  # a blank id after a blank row: still the last case
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert path.stat().st_size > 4 * 65536  # streamed, not read whole
    return path


def test_the_first_pass_reads_the_same_case_ids_as_the_events(tmp_path):
    path = _log(tmp_path)
    problems = []
    events = list(stream_events(str(path), problems.append))
    assert [e.case_id for e in events] == list(stream_case_ids(str(path)))
    assert {code for code, *_ in problems} == {"case-step-blank", "case-date-invalid"}
    assert events[-1].case_id == "S01499" and events[-1].step == "受理"


def test_bad_dates_in_a_streamed_log_are_findings_each_time(tmp_path):
    path = _log(tmp_path)
    problems = []
    events = list(stream_events(str(path), problems.append))
    bad = [where.row for code, where, _col, _values in problems if code == "case-date-invalid"]
    assert len(bad) == len(range(0, 1500, 11))  # the same bad text, reported at every row it is on
    assert all(e.start is None for e in events if e.source.row in set(bad))


def test_the_aggregate_fills_its_tables_when_read_as_it_would_case_by_case(tmp_path):
    index = PowerIndex(catalogue())
    settings = Settings(as_of=dt.date(2025, 12, 31))
    cases = list(group_stream(stream_events(str(_log(tmp_path)), lambda _p: None)))
    outcomes = [check_case(c, index, settings) for c in cases]
    whole, in_parts = Aggregate(), Aggregate()
    for o in outcomes:
        whole.add(o)
    for n, o in enumerate(outcomes):
        in_parts.add(o)
        if n % 400 == 0:
            _ = in_parts.powers  # read half-way: later cases still count
    assert whole.powers == in_parts.powers and whole.agencies == in_parts.agencies
    power_id = outcomes[0].linked.id
    month = whole.series("power", power_id, "month")["2025-03"]
    decided = sum(1 for o in outcomes if o.decided and o.decided.month == 3)
    assert isinstance(month, Figures) and month.decided == decided
    assert whole.series("power", power_id, "year")["2025"].received == sum(1 for o in outcomes if o.accepted)
