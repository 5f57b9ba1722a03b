"""Bad register dates are findings at their cell, the case is kept; --as-of outside the
working-day calendar is a usage error; counting past the calendar falls back to Mon–Fri."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from powercat.workdays import FIRST, LAST, WorkCalendar

from .conftest import DATA, run_cli

CODE = "519901101XK00300"  # a public 许可 of the sample market-regulation list
HEADERS = ["办件编号", "职权编码", "相对人", "相对人类型", "受理日期", "决定日期", "送达日期", "公开日期", "办理结果"]


def _register(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "登记"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


BAD_DATES = [  # (accepted, decided, rule expected, column of the bad cell)
    ("2025-05-06", "2041-01-05", "case-date-out-of-range", "F"),
    ("2025-05-06", "9999-12-31", "case-date-out-of-range", "F"),
    ("0001-01-01", "2025-05-08", "case-date-out-of-range", "E"),
    ("1900-01-00", "2025-05-08", "case-date-invalid", "E"),
    ("2023年2月30日", "2025-05-08", "case-date-invalid", "E"),
    (2958465, "2025-05-08", "case-date-invalid", "E"),  # an Excel serial far beyond 9999
    (dt.datetime(9999, 12, 31), "2025-05-08", "case-date-out-of-range", "E"),
]


@pytest.mark.parametrize("accepted,decided,code,column", BAD_DATES)
def test_a_bad_date_is_a_finding_at_its_cell_and_the_case_is_kept(tmp_path, accepted, decided, code, column):
    path = _register(tmp_path / "登记.xlsx", [["D-1", CODE, "青川市某某有限公司", "法人", accepted, decided, "", "", "准予许可"],
                                             ["D-2", CODE, "青川市某某有限公司", "法人", "2025-05-06", "2025-05-08", "", "",
                                              "准予许可"]])
    result = run_cli("cases", path, "--catalogue", DATA, "--as-of", "2026-01-15", "--json")
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["cases"] == 2
    found = [f for f in data["findings"] if f["code"] == code]
    assert found and found[0]["row"] == 2 and found[0]["column"] == column and found[0]["sheet"] == "登记"
    assert found[0]["file"].endswith("登记.xlsx")


def test_a_date_after_the_check_date_is_a_warning(tmp_path):
    path = _register(tmp_path / "登记.xlsx", [["D-1", CODE, "青川市某某有限公司", "法人", "2025-05-06", "2040-12-30", "", "",
                                             "准予许可"]])
    result = run_cli("cases", path, "--catalogue", DATA, "--as-of", "2026-01-15", "--json")
    assert "Traceback" not in result.stderr
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "case-date-future"]
    assert found and found[0]["column"] == "F" and "晚于基准日" in found[0]["message"]


@pytest.mark.parametrize("as_of", ["1990-01-01", "2041-01-01", "9999-12-31"])
def test_as_of_outside_the_calendar_is_a_usage_error(tmp_path, as_of):
    path = _register(tmp_path / "登记.xlsx", [["D-1", CODE, "某公司", "法人", "2025-05-06", "2025-05-08", "", "", ""]])
    result = run_cli("cases", path, "--catalogue", DATA, "--as-of", as_of)
    assert result.exit_code == 2
    assert "超出工作日历支持的范围" in result.stderr and FIRST.isoformat() in result.stderr
    assert "Traceback" not in result.stderr


def test_counting_past_the_calendar_falls_back_to_weekdays():
    cal = WorkCalendar()
    friday = dt.date(2040, 12, 28)
    assert cal.add(friday, 7) == dt.date(2041, 1, 8)  # Mon 31 Dec … 7 working days, weekends skipped
    assert cal.between(LAST, dt.date(2041, 1, 7)) == 5
    assert cal.between(dt.date(1999, 12, 24), dt.date(2000, 1, 3)) == 6  # before the table: Mon–Fri too
    assert cal.add(dt.date(9999, 12, 20), 30) == dt.date(9999, 12, 31)  # held at the last date, no OverflowError


def test_working_day_counts_agree_with_counting_day_by_day_inside_and_across_the_table_ends():
    # a small table (2025-01-01..2025-03-31, weekends off) so that counts cross both of its ends
    first, last = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    cal = WorkCalendar(lambda day: day.weekday() < 5, first, last)

    def naive_between(a, b):
        sign, (a, b) = (1, (a, b)) if a <= b else (-1, (b, a))
        return sign * sum((a + dt.timedelta(days=k)).weekday() < 5 for k in range(1, (b - a).days + 1))

    def naive_add(a, n):
        day = a
        while n > 0:
            day += dt.timedelta(days=1)
            n -= day.weekday() < 5
        return day

    days = [first + dt.timedelta(days=k) for k in range(-9, (last - first).days + 10, 4)] + [first, last]
    for a in days:
        for b in days[::3]:
            assert cal.between(a, b) == naive_between(a, b), (a, b)
        for n in (0, 1, 5, 23, 70):
            assert cal.add(a, n) == naive_add(a, n), (a, n)
