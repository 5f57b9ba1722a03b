"""`powercat cases`: the 动态公开 register read, linked, checked and published.

The sample registers in data/办件登记/ are made by data/make_cases.py with the defects of
data/README.md planted on cases whose id ends in -Pnn; every other case is clean.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from functools import lru_cache

import chinese_calendar
import openpyxl
import pytest

from powercat.workdays import WorkCalendar, default_calendar
from powercat.cases.checks import Settings, check_case
from powercat.cases.conformance import net_for, net_from_graph, replay
from powercat.cases.dates import BadDate, to_date
from powercat.cases.deadlines import due_date
from powercat.cases.link import PowerIndex
from powercat.cases.model import Case
from powercat.cases.run import check_registers, registers_beside
from powercat.ingest import load
from powercat.ingest.loader import discover
from powercat.process.templates import template_for
from powercat.timing import parse_limit

from .conftest import DATA

REGISTERS = DATA / "办件登记"
AS_OF = dt.date(2025, 12, 31)

# case id → the rules planted on it (data/README.md); every other case must be clean
PLANTED = {
    "QC101-2025-P01": {"case-step-over-limit", "case-over-promised"},
    "QC101-2025-P02": {"case-notice-missing"},
    "QC202-2025-P03": {"case-disclosure-late"},
    "QC202-2025-P04": {"case-disclosure-late"},
    "QC303-2025-P05": {"case-service-late", "case-step-over-limit"},
    "QC303-2025-P06": {"case-personal-data"},
    "QC101-2025-P07": {"case-step-order"},
    "QC101-2025-P08": {"case-hearing-missing"},
    "QC303-2025-P09": {"case-legal-review-missing"},
    "QC202-2025-P10": {"case-extension-unapproved", "case-over-statutory"},
    "QC101-2025-P11": {"case-suspension-not-excluded"},
    "QC202-2025-P12": {"case-power-unknown"},
    "QC101-2025-P13": {"case-open-overdue"},
    "QC101-2025-P14": {"case-due-soon"},
    "QC202-2025-P16": {"case-power-withheld"},
}
# rules about one step point at that step's row in the event log; the others at the case row
STEP_RULES = {"case-step-over-limit", "case-notice-missing", "case-step-order", "case-legal-review-missing"}


@lru_cache(maxsize=1)
def catalogue():
    return load([str(DATA)])


@lru_cache(maxsize=1)
def sample_result():
    return check_registers(catalogue(), [str(REGISTERS)], as_of=AS_OF)


def rows_by_case() -> tuple[dict[str, tuple[str, int]], dict[str, list[tuple[str, int, str]]]]:
    """Read independently of powercat: case id → (file, row); case id → event (file, row, step)."""
    cases, events = {}, {}
    for path in sorted(REGISTERS.iterdir()):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            for r, values in enumerate(book["运行记录"].iter_rows(values_only=True), start=1):
                if r > 2 and values[0]:
                    cases[values[0]] = (path.name, r)
            if "环节记录" in book.sheetnames:
                for r, values in enumerate(book["环节记录"].iter_rows(values_only=True), start=1):
                    if r > 1:
                        events.setdefault(values[0], []).append((path.name, r, values[2]))
        elif path.suffix == ".csv":
            with open(path, encoding="gb18030", newline="") as handle:
                for r, values in enumerate(csv.reader(handle), start=1):
                    if r > 1:
                        events.setdefault(values[0], []).append((path.name, r, values[2]))
    return cases, events


def test_every_planted_defect_is_found_at_its_row_and_none_on_clean_cases():
    result = sample_result()
    assert not result.unreadable
    assert len(result.outcomes) > 300
    case_rows, event_rows = rows_by_case()
    found: dict[str, set[str]] = {}
    for outcome in result.outcomes:
        for f in outcome.findings:
            found.setdefault(outcome.case.case_id, set()).add(f.code)
            name = f.file.rsplit("/", 1)[-1]
            if f.code in STEP_RULES:
                assert (name, f.row) in {(n, r) for n, r, _s in event_rows[outcome.case.case_id]}, f
            else:
                assert (name, f.row) == case_rows[outcome.case.case_id], f
            assert f.sheet and f.column, f
            assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message)
    assert found == PLANTED


def test_planted_rows_point_at_the_step_at_fault():
    result = sample_result()
    _cases, event_rows = rows_by_case()
    by_case = {o.case.case_id: o for o in result.outcomes}
    step_at = {(n, r): s for events in event_rows.values() for n, r, s in events}

    def step_of(case_id: str, code: str) -> str:
        f = next(f for f in by_case[case_id].findings if f.code == code)
        return step_at[(f.file.rsplit("/", 1)[-1], f.row)]

    assert step_of("QC101-2025-P01", "case-step-over-limit") == "审查"
    assert step_of("QC101-2025-P02", "case-notice-missing") == "决定"
    assert step_of("QC303-2025-P09", "case-legal-review-missing") == "决定"
    assert step_of("QC101-2025-P07", "case-step-order") == "决定"
    assert step_of("QC303-2025-P05", "case-step-over-limit") == "送达"
    columns = {f.code: f.column for o in result.outcomes for f in o.findings}
    assert columns["case-disclosure-late"] == "K" and columns["case-personal-data"] == "W"


def test_excluded_period_keeps_a_case_on_time():
    # QC202-2025-0010: 17 working days, 5 of them 技术检测 (许可法 Art. 45): 12 counted, promised 15
    outcome = next(o for o in sample_result().outcomes if o.case.suspensions and not o.findings)
    assert outcome.case.suspensions[0].reason == "技术检测"
    assert outcome.used == 12 and outcome.on_time is True


# -- working days ------------------------------------------------------------------------

def test_working_days_agree_with_chinese_calendar_over_2024_to_2026():
    cal = default_calendar()
    start = dt.date(2024, 1, 1)
    for k in range(0, 3 * 365 - 60, 3):
        day = start + dt.timedelta(days=k)
        assert cal.is_workday(day) == chinese_calendar.is_workday(day)
        for span in (7, 20, 45):
            end = day + dt.timedelta(days=span)
            expected = len(chinese_calendar.get_workdays(day + dt.timedelta(days=1), end))
            assert cal.between(day, end) == expected
        n = 7 + k % 14
        due = cal.add(day, n)
        assert chinese_calendar.is_workday(due)
        assert len(chinese_calendar.get_workdays(day + dt.timedelta(days=1), due)) == n


def test_deadlines_across_spring_festival_and_national_day_with_make_up_days():
    cal = default_calendar()
    licensing = parse_limit("20个工作日").longest
    # 2025 春节: 01-28 … 02-04 off; Sunday 01-26 and Saturday 02-08 are working days
    assert due_date(cal, dt.date(2025, 1, 20), licensing, "行政许可") == dt.date(2025, 2, 21)
    # 许可法 Art. 82: a 许可 limit written in 日 is in working days too
    assert due_date(cal, dt.date(2025, 1, 20), parse_limit("20日").longest, "行政许可") == dt.date(2025, 2, 21)
    # 2025 国庆+中秋: 10-01 … 10-08 off; Sunday 09-28 and Saturday 10-11 are working days
    assert cal.add(dt.date(2025, 9, 26), 7) == dt.date(2025, 10, 13)
    # a penalty's 90 日 are natural days (处罚法 Art. 60); its 7 日 are working days (Art. 85)
    assert due_date(cal, dt.date(2025, 9, 26), parse_limit("90日").longest, "行政处罚") == dt.date(2025, 12, 25)
    assert due_date(cal, dt.date(2025, 10, 9), parse_limit("7日").longest, "行政处罚") == dt.date(2025, 10, 17)


def _case(**fields) -> Case:
    from powercat.model import Source

    case = Case(Source("r.xlsx", "运行记录", 3), "T-1", columns={"disclosed": "K", "served": "J", "decided": "G"})
    for key, value in fields.items():
        setattr(case, key, value)
    return case


@pytest.mark.parametrize("code, decided, field, date, rule", [
    # 许可 decided Wed 2025-02-05, disclosed Fri 02-14: the 8th working day because Saturday 02-08 works
    ("519901202XK00300", dt.date(2025, 2, 5), "disclosed", dt.date(2025, 2, 14), "case-disclosure-late"),
    # 处罚 decided Thu 2025-10-09, served Mon 10-20: the 8th working day because Saturday 10-11 works
    ("519901303CF00400", dt.date(2025, 10, 9), "served", dt.date(2025, 10, 20), "case-service-late"),
])
def test_late_only_when_the_make_up_saturday_counts(code, decided, field, date, rule):
    index = PowerIndex(catalogue())
    weekdays_only = WorkCalendar(is_workday=lambda d: d.weekday() < 5)
    case = dict(power_code=code, accepted=decided - dt.timedelta(days=1), decided=decided, served=decided,
                disclosed=decided)
    case[field] = date
    real = check_case(_case(**case), index, Settings(as_of=AS_OF))
    naive = check_case(_case(**case), index, Settings(as_of=AS_OF, calendar=weekdays_only))
    assert [f.code for f in real.findings] == [rule]
    assert "第 8 个工作日" in real.findings[0].message
    assert naive.findings == []


def test_open_cases_overdue_and_due_soon_in_working_days():
    index = PowerIndex(catalogue())
    # 食品经营许可: promised 10, statutory 20 working days; accepted on the eve of 春节
    settings = Settings(as_of=dt.date(2025, 2, 7), due_within=3)
    outcome = check_case(_case(power_code="519901101XK00100", accepted=dt.date(2025, 1, 24)), index, settings)
    # 01-26 (Sun, works), 01-27, then 02-05, 06, 07 → 5 used; due 02-13 (10th working day): 4 left
    assert outcome.due == dt.date(2025, 2, 13)
    assert [f.code for f in outcome.findings] == []
    outcome = check_case(_case(power_code="519901101XK00100", accepted=dt.date(2025, 1, 24)), index,
                         Settings(as_of=dt.date(2025, 2, 10), due_within=3))
    assert [f.code for f in outcome.findings] == ["case-due-soon"] and "还有 3 个工作日" in outcome.findings[0].message
    outcome = check_case(_case(power_code="519901101XK00100", accepted=dt.date(2025, 1, 24)), index,
                         Settings(as_of=dt.date(2025, 2, 24)))
    assert [f.code for f in outcome.findings] == ["case-open-overdue"] and "承诺时限" in outcome.findings[0].message


def test_extension_counts_only_with_approval_and_within_the_cap():
    index = PowerIndex(catalogue())
    accepted = dt.date(2025, 3, 3)
    decided = default_calendar().add(accepted, 25)  # statutory 20 working days
    plain = dict(power_code="519901101XK00400", accepted=accepted, decided=decided, served=decided, disclosed=decided)
    assert {f.code for f in check_case(_case(**plain), index, Settings(as_of=AS_OF)).findings} == {"case-over-statutory"}
    approved = check_case(_case(**plain, extension_days=10, extension_approval="局长"), index, Settings(as_of=AS_OF))
    # promised 15 + 10 and statutory 20 + 10 working days: decided on the 25th, on time
    assert approved.findings == [] and approved.on_time is True and approved.used == 25
    unapproved = check_case(_case(**plain, extension_days=10), index, Settings(as_of=AS_OF))
    assert {f.code for f in unapproved.findings} == {"case-extension-unapproved", "case-over-statutory"}
    capped = check_case(_case(**plain, extension_days=15, extension_approval="局长"), index, Settings(as_of=AS_OF))
    assert {f.code for f in capped.findings} == {"case-extension-over-cap"}


# -- the process ---------------------------------------------------------------------------

def test_replay_on_parallel_steps_choices_and_loops():
    powers = {p.code: p for p in catalogue().powers}
    parallel = net_for(powers["519901101XK00300"])  # 受理 → 现场核查 ∥ 技术审查 → 决定
    assert replay(parallel, ["申请", "受理", "现场核查", "技术审查", "决定", "制证送达", "办结"]).fit
    assert replay(parallel, ["申请", "受理", "技术审查", "现场核查", "决定", "制证送达", "办结"]).fit
    missing = replay(parallel, ["申请", "受理", "现场核查", "决定", "制证送达", "办结"])
    assert not missing.fit and missing.deviation == 3 and missing.expected == ("技术审查",)
    loop = net_for(powers["519901101XK00100"])  # 受理 ⇄ 补正材料
    assert replay(loop, ["申请", "受理", "补正材料", "受理", "补正材料", "受理", "审查", "决定", "制证送达", "办结"]).fit
    refused = replay(loop, ["申请", "受理", "书面告知理由及救济途径", "办结"])
    assert refused.fit
    unknown = replay(loop, ["申请", "受理", "现场勘验", "审查", "决定", "制证送达", "办结"])
    assert not unknown.fit and unknown.unknown == (2,) and unknown.completed
    # the statutory procedure of a penalty: 是否要求听证 is a silent choice; steps match by name parts
    template = net_from_graph(template_for("行政处罚"))
    assert replay(template, ["立案", "调查取证", "法制审核", "告知", "决定", "送达", "执行", "结案归档"]).fit
    assert replay(template, ["立案", "调查取证", "法制审核", "告知", "听证", "决定", "送达", "执行", "结案归档"]).fit
    assert not replay(template, ["立案", "调查取证", "法制审核", "决定", "送达", "执行", "结案归档"]).fit
    # 责任事项 stages (1.立案责任 2.调查责任 …): their drawn 开始 and 办结 are not steps
    duty = net_for(powers["519901101CF00200"])
    assert replay(duty, ["立案", "调查", "审查", "告知", "决定", "送达", "执行"]).fit


# -- reading -------------------------------------------------------------------------------

def test_dates_as_registers_write_them():
    assert to_date("2025-03-04") == to_date("2025/3/4") == to_date("2025年3月4日") == to_date("20250304") \
        == to_date("2025.3.4 09:30") == to_date(dt.datetime(2025, 3, 4, 9, 30)) == to_date(45720.0) == dt.date(2025, 3, 4)
    assert to_date("") is None and to_date("/") is None
    with pytest.raises(BadDate):
        to_date("三月四日")
    with pytest.raises(BadDate):
        to_date("2025-02-30")


def test_registers_sit_beside_the_lists_and_the_list_reader_skips_them():
    assert registers_beside([str(DATA)]) == [str(REGISTERS)]
    assert not any("办件登记" in path for path in discover([str(DATA)]))


def test_bad_rows_become_findings_at_their_cells(tmp_path):
    from powercat.ingest.template import write_workbook

    path = tmp_path / "登记.xlsx"
    write_workbook(path, records=[
        {"case_id": "A-1", "power_code": "519901101XK00100", "accepted": "2025-03-03", "decided": "三月五日"},
        {"case_id": "A-1", "power_code": "519901101XK00100", "accepted": "2025-03-03"},
        {"power_code": "519901101XK00100", "accepted": "2025-03-03"},
        {"case_id": "A-2", "power_name": "食品经营许可", "accepted": "2025-03-10", "decided": "2025-03-05"},
    ])
    result = check_registers(catalogue(), [str(path)], as_of=dt.date(2025, 3, 20))
    found = {(f.code, f.row, f.column) for f in result.report.findings}
    assert ("case-date-invalid", 2, "G") in found
    assert ("case-id-duplicate", 3, "A") in found
    assert ("case-id-missing", 4, "A") in found
    # 食品经营许可 is listed twice (two 子项): without a code the case cannot be linked
    assert any(code == "case-power-unknown" and row == 5 for code, row, _c in found)


def test_stream_reads_a_large_gbk_event_log_row_by_row(tmp_path):
    from powercat.cases.checks import group_stream
    from powercat.cases.read import stream_events

    path = tmp_path / "log.csv"
    lines = ["办件编号,事项编码,环节,开始,完成,承办岗位"]
    steps = ["申请", "受理", "审查", "决定", "制证送达", "办结"]
    for n in range(2000):
        for step in steps:
            lines.append(f"S{n:05d},519901101XK00100,{step},2025-03-03 09:00:00,2025-03-03 10:00:00,窗口")
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    assert path.stat().st_size > 4 * 65536
    problems = []
    events = stream_events(str(path), problems.append)
    first = next(events)
    assert (first.case_id, first.step, first.source.row, first.start) == ("S00000", "申请", 2, dt.date(2025, 3, 3))
    index = PowerIndex(catalogue())
    cases = list(group_stream(events))
    assert len(cases) == 2000 and problems == []
    outcomes = [check_case(c, index, Settings(as_of=AS_OF)) for c in cases]
    assert all(o.fit for o in outcomes[1:])  # the first case lost its first event to next() above


# -- outputs -------------------------------------------------------------------------------

def test_cli_cases_json_and_exit_codes(cli, tmp_path):
    result = cli("cases", REGISTERS, "--catalogue", DATA, "--as-of", "2025-12-31", "--json", "--period", "quarter")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["cases"] == len(sample_result().outcomes)
    assert {f["code"] for f in data["findings"]} == set().union(*PLANTED.values())
    assert {row["period"] for row in data["figures"]} == {"2025Q1", "2025Q2", "2025Q3", "2025Q4"}
    assert cli("cases", REGISTERS, "--catalogue", DATA, "--period", "week").exit_code == 2
    assert cli("cases", REGISTERS, "--catalogue", DATA, "--as-of", "31/12/2025").exit_code == 2
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    result = cli("cases", broken, "--catalogue", DATA)
    assert result.exit_code == 3 and "坏.xlsx" in result.stderr
    result = cli("cases", REGISTERS, "--catalogue", DATA, "--as-of", "2025-12-31", "--select", "case-step-")
    assert result.exit_code == 1 and "case-step-order" in result.stdout and "case-disclosure-late" not in result.stdout


def test_template_record_sheet_has_dropdowns_and_reads_back(tmp_path):
    from powercat.ingest import load_file
    from powercat.ingest.template import write_workbook

    path = tmp_path / "模板.xlsx"
    write_workbook(path, records=[{"case_id": "B-1", "power_code": "519901101XK00100", "party": "青川市甲公司",
                                   "party_type": "法人", "accepted": "2025-03-03", "decided": "2025-03-05",
                                   "disclosed": "2025-03-06", "served": "2025-03-06", "hearing_requested": "否"}])
    sheet = openpyxl.load_workbook(path)["运行记录"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["D2"] == '"自然人,法人,其他组织"' and "不予公开" in lists["L2"] and lists["U2"] == '"是,否"'
    assert load_file(str(path)).powers == []  # the list reader does not take cases for powers
    result = check_registers(catalogue(), [str(path)], as_of=AS_OF)
    (outcome,) = result.outcomes
    assert outcome.linked.power.code == "519901101XK00100" and outcome.findings == [] and outcome.on_time


def test_streamed_logs_give_the_same_findings(monkeypatch):
    from powercat.cases import run

    def key(result):
        return sorted((f.code, f.file, f.row, f.column, f.message) for f in result.report.findings)

    whole = sample_result()
    monkeypatch.setattr(run, "STREAM_BYTES", 0)  # every CSV log streamed, joined to the case rows as it goes
    streamed = check_registers(catalogue(), [str(REGISTERS)], as_of=AS_OF)
    assert key(streamed) == key(whole)
    assert len(streamed.outcomes) == len(whole.outcomes)
    csv_file = next(f for f in streamed.files if f.path.endswith(".csv"))
    lines = (REGISTERS / "青川市应急管理局环节记录.csv").read_bytes().count(b"\n")
    assert csv_file.streamed_events == lines - 1 and csv_file.events == []


def test_every_sample_legal_person_has_a_valid_credit_code():
    """data/make_cases.py drew the 18th character at random: 157 of 161 sample codes were
    invalid (GB 32100), so the demo published almost no 统一社会信用代码."""
    import glob

    from powercat.cases.mask import is_uscc, org_code_check_char, uscc_check_char

    assert uscc_check_char("91350100M000100Y4") == "3" and org_code_check_char("M000100Y") == "4"  # GB 32100 example
    assert org_code_check_char("D2143569") == "X"  # GB 11714 example
    codes = []
    for path in sorted(glob.glob(str(DATA / "办件登记" / "*.xlsx"))):
        rows = list(openpyxl.load_workbook(path, read_only=True)["运行记录"].iter_rows(values_only=True))
        header = rows[1]
        kind, code = header.index("相对人类型"), next(i for i, h in enumerate(header) if h and "证件" in h)
        codes += [r[code] for r in rows[2:] if r[kind] == "法人"]
    assert len(codes) > 100 and all(is_uscc(c) for c in codes), [c for c in codes if not is_uscc(c)][:5]


def _with_end_step(tmp_path):
    """The 应急管理局 register with a "结束" event added as the last step of every 行政强制 (QZ)
    case of its event log."""
    import shutil

    for name in ("青川市应急管理局办件登记.xlsx",):
        shutil.copy(REGISTERS / name, tmp_path / name)
    source = REGISTERS / "青川市应急管理局环节记录.csv"
    with open(source, encoding="gb18030", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    by_case: dict[str, list[list[str]]] = {}
    for row in rows:
        by_case.setdefault(row[0], []).append(row)
    changed = set()
    out = [header]
    for case_id, events in by_case.items():
        if "QZ" in events[0][1]:
            last = events[-1]
            end = [case_id, last[1], "结束", last[4] or last[3], last[4] or last[3], last[5]]
            events = [*events, end]
            changed.add(case_id)
        out.extend(events)
    with open(tmp_path / source.name, "w", encoding="gb18030", newline="") as handle:
        csv.writer(handle).writerows(out)
    return check_registers(catalogue(), [str(tmp_path)], as_of=AS_OF), changed


def test_a_coercion_case_ending_at_the_charts_own_end_box_conforms(tmp_path):
    """Issue 23 item 7: the chart of a 行政强制 power ends in its own 结束 box; a case that
    records it as its last step follows the drawn procedure (conformance replays the same graph,
    end nodes included)."""
    result, changed = _with_end_step(tmp_path)
    assert len(changed) >= 2
    codes = {o.case.case_id: {f.code for f in o.findings} for o in result.outcomes if o.case.case_id in changed}
    assert set(codes) == changed
    assert not any({"case-step-unknown", "case-step-order"} & found for found in codes.values()), codes

