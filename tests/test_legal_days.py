"""One legal calendar: whether a period counts working or calendar days (legal_days.py, with
its grounds), counted on one working-day table, and check, process and cases agreeing on it."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import openpyxl
import pytest

from powercat.workdays import default_calendar
from powercat.cases.checks import Settings, check_case
from powercat.cases.deadlines import due_date
from powercat.cases.link import PowerIndex
from powercat.cases.model import Case
from powercat.check import run
from powercat.ingest import load
from powercat.legal_days import day_rule
from powercat.model import Source
from powercat.timing import parse_limit, to_natural_days, to_workdays

LICENSING, PENALTY, COERCION, CONFIRMATION = "行政许可", "行政处罚", "行政强制", "行政确认"


@pytest.mark.parametrize("category, text, workdays, ground", [
    (LICENSING, "20日", True, "行政许可法》第八十二条"),
    (LICENSING, "二十天", True, "行政许可法》第八十二条"),
    (PENALTY, "2日", True, "行政处罚法》第八十五条"),
    (PENALTY, "3日", True, "行政处罚法》第八十五条"),
    (PENALTY, "五日", True, "行政处罚法》第八十五条"),
    (PENALTY, "7日", True, "行政处罚法》第八十五条"),
    (PENALTY, "10日", False, "仅将二日、三日、五日、七日定为工作日"),
    (PENALTY, "15日", False, "仅将二日、三日、五日、七日定为工作日"),
    (PENALTY, "90日", False, "民法典》第二百条"),
    (COERCION, "10日", True, "行政强制法》第六十九条（十日以内"),  # 以内 includes ten (民法典 Art. 1259)
    (COERCION, "3日", True, "行政强制法》第六十九条（十日以内"),
    (COERCION, "15日", False, "仅将十日以内的期限定为工作日"),
    (CONFIRMATION, "10日", False, "法律未规定按工作日计算"),
    (None, "5日", False, "法律未规定按工作日计算"),
    # the text's own word wins over the category's law
    (LICENSING, "15个自然日", False, "写明“自然日”"),
    (PENALTY, "10个工作日", True, "写明“工作日”"),
    (CONFIRMATION, "10个工作日", True, "写明“工作日”"),
    (LICENSING, "3个月", False, "民法典》第二百条"),
])
def test_each_rule_with_its_ground(category, text, workdays, ground):
    rule = day_rule(parse_limit(text).longest, category)
    assert rule.workdays is workdays
    assert ground in rule.ground


def test_an_explicit_natural_day_limit_reads_back_as_written():
    assert str(parse_limit("15个自然日").longest) == "15个自然日"
    assert str(parse_limit("15日").longest) == "15日"


START = dt.date(2025, 6, 30)  # a Monday; no holiday in July 2025


@pytest.mark.parametrize("category, text, end, workdays", [
    (PENALTY, "10日", dt.date(2025, 7, 10), 8),  # the issue's example: calendar days (处罚法 Art. 85)
    (PENALTY, "5日", dt.date(2025, 7, 7), 5),  # working days (Art. 85)
    (PENALTY, "15日", dt.date(2025, 7, 15), 11),  # calendar days
    (LICENSING, "20日", dt.date(2025, 7, 28), 20),  # working days (许可法 Art. 82)
    (LICENSING, "20个自然日", dt.date(2025, 7, 20), 14),  # the text says calendar days
    (COERCION, "10日", dt.date(2025, 7, 14), 10),  # working days (强制法 Art. 69)
    (COERCION, "30日", dt.date(2025, 7, 30), 22),  # calendar days
])
def test_check_process_and_cases_end_on_the_same_day(category, text, end, workdays):
    variant, cal = parse_limit(text).longest, default_calendar()
    assert due_date(cal, START, variant, category) == end  # cases
    assert to_workdays(variant, START, category) == workdays  # check and process (process.checks.step_days)
    assert START + dt.timedelta(days=to_natural_days(variant, START, category)) == end  # check's 90-day ceiling
    assert cal.between(START, end) == workdays


def test_a_period_across_national_day_with_make_up_days():
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are make-up working days
    friday = dt.date(2025, 9, 26)
    assert chinese_calendar.is_workday(dt.date(2025, 9, 28)) and chinese_calendar.is_workday(dt.date(2025, 10, 11))
    five = parse_limit("5日").longest
    # 处罚 5日 = working days: 28 Sep (make-up Sunday), 29, 30 Sep, 9, 10 Oct
    assert due_date(default_calendar(), friday, five, PENALTY) == dt.date(2025, 10, 10)
    assert to_natural_days(five, friday, PENALTY) == 14
    # the same 5日 in a 行政确认 are calendar days, holidays or not
    assert due_date(default_calendar(), friday, five, CONFIRMATION) == dt.date(2025, 10, 1)
    assert to_workdays(five, friday, CONFIRMATION) == 3  # 28, 29, 30 September
    # 许可 20日 across the holiday: the make-up Saturday 11 October counts
    twenty = parse_limit("20日").longest
    due = due_date(default_calendar(), friday, twenty, LICENSING)
    assert len(chinese_calendar.get_workdays(friday + dt.timedelta(days=1), due)) == 20
    assert due == dt.date(2025, 10, 30)


def _workbook(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "职权目录"
    sheet.append(["职权编码", "职权名称", "职权类别", "实施依据", "实施主体", "法定时限", "承诺时限"])
    basis = "【法律】《中华人民共和国行政处罚法》第六十条"
    sheet.append(["519901303CF00901", "对未按规定公示信息的处罚", PENALTY, basis, "青川市测试局", "10日", "9个工作日"])
    sheet.append(["519901303CF00902", "对未按规定备案的处罚", PENALTY, basis, "青川市测试局", "10日", "8个工作日"])
    steps = book.create_sheet("运行流程")
    steps.append(["职权编码", "环节编号", "环节名称", "环节类型", "承办岗位", "办理时限", "下一环节"])
    for code in ("519901303CF00901", "519901303CF00902"):
        steps.append([code, "1", "立案", "开始", "承办人员", "1个工作日", "2"])
        steps.append([code, "2", "调查取证", "办理", "承办人员", "5个工作日", "3"])
        steps.append([code, "3", "作出处罚决定", "结束", "负责人", "3个工作日", None])
    book.save(path)
    return path


def test_the_issue_example_through_check_process_and_cases(tmp_path):
    """行政处罚 法定 10日 from 2025-06-30 ends 2025-07-10 (8 working days) in every command."""
    catalogue = load([str(_workbook(tmp_path / "青川市测试局权力清单.xlsx"))])
    report = run(catalogue, as_of=START)
    flagged = {(f.code, f.row) for f in report.findings if f.code in ("limit-promised-exceeds-statutory",
                                                                        "process-over-limit")}
    # promised 9 working days > 8; the steps' 9 working days > 8; promised 8 is within
    assert ("limit-promised-exceeds-statutory", 2) in flagged
    assert ("limit-promised-exceeds-statutory", 3) not in flagged
    assert any(code == "process-over-limit" for code, _row in flagged)

    index = PowerIndex(catalogue)
    source = Source("办件登记.xlsx", "运行记录", 3)

    def decided_on(day):
        case = Case(source, "C-1", columns={"decided": "G"})
        case.power_code, case.accepted, case.decided = "519901303CF00902", START, day
        return [f.code for f in check_case(case, index, Settings(as_of=dt.date(2025, 8, 1))).findings]

    assert "case-over-statutory" not in decided_on(dt.date(2025, 7, 10))
    assert "case-over-statutory" in decided_on(dt.date(2025, 7, 11))  # was on time when 10日 meant working days


def test_check_names_the_ground_when_it_converts_a_plain_day_limit(tmp_path):
    catalogue = load([str(_workbook(tmp_path / "青川市测试局权力清单.xlsx"))])
    (over,) = [f for f in run(catalogue, as_of=START).findings if f.code == "limit-promised-exceeds-statutory"]
    assert "法定 8 个工作日" in over.message
    assert "法定时限按自然日计，依据《中华人民共和国行政处罚法》第八十五条" in over.message


@pytest.mark.parametrize("category, text, source_law, workdays, ground", [
    # 处罚法 Art. 85 / 强制法 Art. 69 speak of "本法中" periods: read on the shared lists' cited articles
    (PENALTY, "3日", "营业性演出管理条例", False, "只适用于本法中的期限，本期限出自《营业性演出管理条例》"),
    (PENALTY, "7日", "直销管理条例", False, "只适用于本法中的期限"),
    (COERCION, "七日", "中华人民共和国药品管理法", False, "《中华人民共和国行政强制法》第六十九条只适用于本法中的期限"),
    (PENALTY, "7日", "中华人民共和国行政处罚法", True, "第八十五条（"),  # 送达 (Art. 61): the law's own period
    (PENALTY, "5日", "行政处罚法", True, "第八十五条（"),
    (COERCION, "10日", "中华人民共和国行政强制法", True, "第六十九条（"),
    (PENALTY, "3个工作日", "营业性演出管理条例", True, "写明“工作日”"),
    (LICENSING, "20日", "中华人民共和国食品安全法", True, "行政许可法》第八十二条"),
])
def test_a_period_from_another_law_is_not_reached_by_this_law_s_rule(category, text, source_law, workdays, ground):
    rule = day_rule(parse_limit(text).longest, category, source_law)
    assert rule.workdays is workdays
    assert ground in rule.ground


def test_the_source_law_reaches_every_door():
    seven = parse_limit("7日").longest
    assert due_date(default_calendar(), START, seven, PENALTY) == dt.date(2025, 7, 9)  # 处罚法's own 7日: working days
    assert due_date(default_calendar(), START, seven, PENALTY, source_law="直销管理条例") == dt.date(2025, 7, 7)
    assert to_workdays(seven, START, PENALTY, source_law="直销管理条例") == 5
    assert to_natural_days(seven, START, PENALTY, source_law="直销管理条例") == 7
