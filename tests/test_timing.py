import datetime as dt

import pytest

from powercat.timing import DAY, INSTANT, MONTH, WORKDAY, Variant, parse_limit, to_natural_days, to_workdays, workdays_in


@pytest.mark.parametrize("text, variants", [
    ("20个工作日", [(20, WORKDAY, None)]),
    ("二十个工作日", [(20, WORKDAY, None)]),
    ("60日", [(60, DAY, None)]),
    ("30天", [(30, DAY, None)]),
    ("3个月", [(3, MONTH, None)]),
    ("即办", [(0, INSTANT, None)]),
    ("当场办结", [(0, INSTANT, None)]),
    ("１５个工作日（不含听证时间）", [(15, WORKDAY, None)]),
    ("告知承诺制：20个工作日\n非告知承诺制:10个工作日", [(20, WORKDAY, "告知承诺制"), (10, WORKDAY, "非告知承诺制")]),
])
def test_parse_limit(text, variants):
    limit = parse_limit(text)
    assert [(v.amount, v.unit, v.label) for v in limit.variants] == variants


@pytest.mark.parametrize("text", ["按规定办理", "", None, "视情况而定"])
def test_unreadable_limits(text):
    assert parse_limit(text) is None


def test_working_days_follow_holidays_and_make_up_days():
    # National Day 2026: 1–7 October off; the week around it has make-up Saturdays
    assert workdays_in(dt.date(2026, 9, 30), 7) == 0
    assert workdays_in(dt.date(2026, 9, 20), 60) == 39
    # 2026-02-14 is a Saturday and a make-up working day before the Spring Festival
    assert workdays_in(dt.date(2026, 2, 13), 1) == 1


def test_conversions():
    start = dt.date(2026, 3, 2)  # a Monday with no holiday in the next weeks
    assert to_workdays(Variant(14, DAY), start) == 10
    assert to_workdays(Variant(20, DAY), start, "行政许可") == 20  # 行政许可法 Art. 82
    assert to_workdays(Variant(0, INSTANT), start) == 0
    assert to_natural_days(Variant(10, WORKDAY), start) == 14  # the 10th working day is Monday 16 March
    assert to_natural_days(Variant(1, MONTH), dt.date(2026, 1, 31)) == 28
