"""The columnar lane (cases/lane.py) gives what the reader and the full check give
(`read.stream_events` → `checks.group_stream` → `checks.check_case`): the same outcome for
every case, figure by figure and finding by finding, the same reading problems at the same
rows and the same count of events, on a log full of defects. Defective cases take the full
check; clean ones are answered by the lane without an event per row."""

from __future__ import annotations

import csv
import datetime as dt
import random
from itertools import groupby

import pytest

from powercat.cases import lane as lane_module
from powercat.cases.checks import Settings, check_case, group_stream, last_events
from powercat.cases.lane import LogCheck, NotGrouped
from powercat.cases.link import PowerIndex
from powercat.cases.model import Case
from powercat.cases.read import stream_case_ids, stream_events
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


# -- one read of the log: the lane decides "grouped by case" while it streams --------------------

def _two_passes(path, rows=None):
    """What the command gave before it read a log once: a first pass for each case's last
    event, then the reader, the grouping and the full check."""
    index, settings = PowerIndex(catalogue()), Settings(as_of=AS_OF)
    last, grouped = last_events(stream_case_ids(str(path)))
    problems = []
    outcomes = [_seen(check_case(case, index, settings)) + (case.case_id,)
                for case in group_stream(stream_events(str(path), problems.append), rows, last, grouped)]
    return outcomes, problems, grouped


def _command(path, monkeypatch, registers=()):
    from powercat.cases import run

    monkeypatch.setattr(run, "STREAM_BYTES", 4096)  # the log streamed, a register beside it read whole
    result = check_registers(catalogue(), [str(path), *map(str, registers)], as_of=AS_OF)
    log = next(f for f in result.files if f.path == str(path))
    return result, log


def _interleaved(rows: list[list[str]], rng: random.Random) -> list[list[str]]:
    """The rows of a grouped log with the cases interleaved (each case's rows keep their order)."""
    runs = [list(run) for _id, run in groupby(rows, lambda row: row[0] if row else "")]
    open_runs, out = [], []
    while runs or open_runs:
        if runs and (not open_runs or rng.random() < 0.4):
            open_runs.append(runs.pop(0))
        run = rng.choice(open_runs)
        out.append(run.pop(0))
        if not run:
            open_runs.remove(run)
    return out


def test_a_grouped_log_is_read_once_with_the_same_outcomes(log, monkeypatch):
    from powercat.cases import run

    expected, expected_problems, grouped = _two_passes(log)
    assert grouped
    monkeypatch.setattr(run, "stream_case_ids", lambda path: pytest.fail("a first pass over a grouped log"))
    result, record = _command(log, monkeypatch)
    assert [_seen(o) + (o.case.case_id,) for o in result.outcomes] == expected
    assert record.streamed_events == sum(1 for _ in stream_events(str(log), lambda _p: None))
    reading = sorted((f.code, f.row, f.column) for f in result.report.findings if f.code in ("case-step-blank",
                     "case-date-invalid", "case-date-out-of-range", "case-id-missing"))
    assert reading == sorted((code, source.row, column) for code, source, column, _values in expected_problems)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_interleaved_log_gives_up_the_one_pass_and_nothing_is_lost_or_counted_twice(tmp_path, monkeypatch, seed):
    path = tmp_path / "interleaved.csv"
    _write(path, _interleaved(_rows(random.Random(seed), 1500), random.Random(seed)))
    with pytest.raises(NotGrouped):
        list(LogCheck(str(path), PowerIndex(catalogue()), Settings(as_of=AS_OF), lambda _p: None, one_pass=True))
    expected, expected_problems, grouped = _two_passes(path)
    assert not grouped
    result, record = _command(path, monkeypatch)
    got = [_seen(o) + (o.case.case_id,) for o in result.outcomes]
    assert got == expected
    assert len({case_id for *_seen_, case_id in got}) == len(got)  # each case once
    assert record.streamed_events == sum(1 for _ in stream_events(str(path), lambda _p: None))
    assert sum(f.code == "case-step-blank" for f in result.report.findings) == \
        sum(code == "case-step-blank" for code, *_ in expected_problems)


def test_a_case_met_again_on_the_last_row_undoes_the_whole_pass(log, tmp_path, monkeypatch):
    with open(log, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    path = tmp_path / "late.csv"
    _write(path, rows + [rows[0]])  # grouped but for the first case's step written again at the end
    expected, _problems, grouped = _two_passes(path)
    assert not grouped
    result, record = _command(path, monkeypatch)
    assert [_seen(o) + (o.case.case_id,) for o in result.outcomes] == expected
    assert result.aggregate.cases == len(expected)  # nothing of the given-up pass counted
    assert record.streamed_events == sum(1 for _ in stream_events(str(path), lambda _p: None))


def test_a_log_with_register_rows_for_its_cases_leaves_the_rows_to_the_two_passes(log, tmp_path, monkeypatch):
    from powercat.cases import run

    register = tmp_path / "cases.csv"
    with open(register, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["办件编号", "职权编码", "受理日期", "决定日期"],
                                      ["L00007", CODE, "2025-01-02", "2025-01-20"], ["X00001", CODE, "2025-01-02", ""]])

    def seen(result):
        return ([(f.code, f.message, f.file, f.row, f.column) for f in result.report.findings],
                [_seen(o) + (o.case.case_id, o.case.source) for o in result.outcomes],
                [f.streamed_events for f in result.files])

    one_read = seen(_command(log, monkeypatch, [register])[0])

    class TwoPasses(LogCheck):  # the command before it read a log once
        def __iter__(self):
            if self.one_pass:
                raise NotGrouped(self.path)
            return super().__iter__()

    monkeypatch.setattr(run, "LogCheck", TwoPasses)
    assert one_read == seen(_command(log, monkeypatch, [register])[0])
    cases = {case_id: source for *_seen_, case_id, source in one_read[1]}
    assert {"L00007", "X00001"} <= cases.keys() and cases["L00007"] is not None  # the row, joined to its steps
    lane = LogCheck(str(log), PowerIndex(catalogue()), Settings(as_of=AS_OF), lambda _p: None,
                    {"L00007": Case(None, "L00007")}, one_pass=True)
    with pytest.raises(NotGrouped):
        list(lane)


# -- a quote opened in one cell and never closed ----------------------------------------------

@pytest.mark.parametrize("one_pass", [True, False])
@pytest.mark.parametrize("near", ["start", "end"])  # past the csv module's field limit, or to the end of the file
def test_a_stray_quote_gives_a_finding_at_its_row_and_every_other_case_is_checked(log, tmp_path, one_pass, near):
    with open(log, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    candidates = [i for i, row in enumerate(rows) if len(row) == 6 and row[0] and row[2] and "," not in row[2]]
    at = candidates[40] if near == "start" else candidates[-30]
    stray = tmp_path / "stray.csv"
    _write(stray, rows)
    lines = stray.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[at + 1].split(",")
    cells[2] = '"' + cells[2]  # 环节 opens a quote that never closes: the csv module would read the rest into it
    lines[at + 1] = ",".join(cells)
    stray.write_text("".join(lines), encoding="utf-8")
    after = stray.stat().st_size - len("".join(lines[:at + 1]).encode())
    assert after > 131072 if near == "start" else after < 131072  # past the csv module's field limit, or not
    index, settings = PowerIndex(catalogue()), Settings(as_of=AS_OF)
    broken = rows[at][0]

    def others(outcomes):  # the file's name left out
        return [seen[:11] + ([(c, m, row, col) for c, m, _file, row, col in seen[11]],) + seen[12:]
                for seen in outcomes if seen[-3] != broken]

    def where(problems):
        return [(code, source.row, column, values) for code, source, column, values in problems]

    problems = []
    lane = LogCheck(str(stray), index, settings, problems.append, one_pass=one_pass)
    got = [_seen(o) + (o.case.case_id, o.case.power_code, o.case.power_name) for o in lane]
    expected, expected_problems, _events = _by_lane(log, index, settings)
    assert others(got) == others(expected)  # nothing swallowed: every other case, as without the quote
    assert broken in {seen[-3] for seen in got}
    quotes = [p for p in problems if p[0] == "csv-quote-unclosed"]
    assert len(quotes) == 1
    code, source, column, values = quotes[0]
    assert (source.row, column, values["field_zh"]) == (at + 2, "C", "环节")
    assert int(values["value"]) == len(lines) - (at + 2)
    assert where(p for p in problems if p[0] != "csv-quote-unclosed") == where(expected_problems)
    by_reader = []
    assert sum(1 for _ in stream_events(str(stray), by_reader.append)) == lane.events
    assert by_reader == problems


def test_text_after_a_closing_quote_is_read_as_before_without_a_word(log, tmp_path):
    with open(log, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    odd = tmp_path / "odd.csv"
    _write(odd, rows)
    lines = odd.read_text(encoding="utf-8").splitlines(keepends=True)
    for at in (50, len(lines) - 20):
        cells = lines[at].split(",")
        cells[5] = '"承办"岗位' + cells[5][len("承办岗位"):]  # a quote closed, then more text: lenient csv reads 承办岗位
        lines[at] = ",".join(cells)
    odd.write_text("".join(lines), encoding="utf-8")
    index, settings = PowerIndex(catalogue()), Settings(as_of=AS_OF)
    got, problems, events = _by_lane(odd, index, settings)
    expected, expected_problems, expected_events = _by_lane(log, index, settings)
    assert [seen[:11] + seen[12:] for seen in got] == [seen[:11] + seen[12:] for seen in expected]
    assert events == expected_events and len(problems) == len(expected_problems)
    assert not [p for p in problems if p[0] == "csv-quote-unclosed"]
