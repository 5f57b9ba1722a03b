"""The one working-day calendar: which days are working days (chinese-calendar: holidays
and 调休 make-up working days; outside the years it knows, weekends only), as table
look-ups: a cumulative count per day, built once. Counting starts the day after the
triggering event. `timing` (limits in working days), `check`, `process` and `cases` all
count on it.

`between(a, b)` is the working days in (a, b]; `add(a, n)` the date of the n-th working day
after a. Both are O(1)/O(log n), which is what a register of a million events needs.

The table covers FIRST..LAST. Register dates outside it are findings at their cell and are
not counted (read.py); `--as-of` outside it is a usage error (cli). A count that still runs
past the table (a deadline of a case decided on 2040-12-30) falls back to Monday–Friday
outside the table instead of failing: the same rule `is_workday` uses for years
chinese-calendar does not know.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

FIRST = dt.date(2000, 1, 1)
LAST = dt.date(2040, 12, 31)
_FIRST, _LAST = FIRST, LAST


def is_workday(day: dt.date) -> bool:
    """The raw source of the calendar table; count with that table (default_calendar)."""
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except (ImportError, NotImplementedError):
        return day.weekday() < 5


def supported_range_zh() -> str:
    """The supported range, for messages."""
    return f"{FIRST.isoformat()} 至 {LAST.isoformat()}"


def in_range(day: dt.date) -> bool:
    return FIRST <= day <= LAST


def _weekdays_before(day: dt.date) -> int:
    """Monday–Friday days before `day` since 0001-01-01 (ordinal 1 is a Monday)."""
    days = day.toordinal() - 1
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest, 5)


class WorkCalendar:
    def __init__(self, is_workday=is_workday, first: dt.date = _FIRST, last: dt.date = _LAST):
        self.first = first.toordinal()
        self.first_day, self.last_day = first, last
        days = last.toordinal() - self.first + 1
        self.cum = [0] * (days + 1)  # cum[i] = working days among the first i days of the table
        self.workday = bytearray(days)
        total = 0
        for i in range(days):
            flag = is_workday(first + dt.timedelta(days=i))
            self.workday[i] = flag
            total += flag
            self.cum[i + 1] = total

    def _before(self, day: dt.date) -> int:
        """Working days before `day`, counted from the table's first day (negative before it);
        Monday–Friday outside the table."""
        i = day.toordinal() - self.first
        if i < 0:
            return _weekdays_before(day) - _weekdays_before(self.first_day)
        if i <= len(self.workday):
            return self.cum[i]
        return self.cum[-1] + _weekdays_before(day) - _weekdays_before(self.last_day + dt.timedelta(days=1))

    def is_workday(self, day: dt.date) -> bool:
        i = day.toordinal() - self.first
        if 0 <= i < len(self.workday):
            return bool(self.workday[i])
        return day.weekday() < 5

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        a, b = start.toordinal() + 1 - self.first, end.toordinal() + 1 - self.first
        if 0 <= a <= b <= len(self.workday):  # both inside the table: two look-ups
            return self.cum[b] - self.cum[a]
        if end < start:
            return -self.between(end, start)
        return self._before(_next(end)) - self._before(_next(start))

    def add(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (n ≥ 1); start itself for n ≤ 0."""
        if n <= 0:
            return start
        a = start.toordinal() + 1 - self.first
        # working days before the answer's next day
        target = (self.cum[a] if 0 <= a <= len(self.workday) else self._before(_next(start))) + n
        if 0 < target <= self.cum[-1] and start.toordinal() >= self.first:
            i = bisect.bisect_left(self.cum, target)  # first prefix reaching target
            return dt.date.fromordinal(self.first + i - 1)
        return self._add_slowly(start, n)

    def _add_slowly(self, start: dt.date, n: int) -> dt.date:
        """Outside the table: whole weeks at a time, then day by day (never more than a week)."""
        day = start
        while n > 0:
            if day.toordinal() - self.first >= len(self.workday) and n > 5:
                weeks = (n - 1) // 5
                day, n = _shift(day, weeks * 7), n - weeks * 5
                continue
            day = _shift(day, 1)
            n -= self.is_workday(day)
        return day

    def working_days_in(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end], both ends included (a suspension's own days)."""
        if end < start:
            return 0
        return self._before(_next(end)) - self._before(start)


def _next(day: dt.date) -> dt.date:
    return _shift(day, 1)


def _shift(day: dt.date, days: int) -> dt.date:
    """day + days, held at the ends of what a date can be (9999-12-31 has no next day)."""
    ordinal = min(max(day.toordinal() + days, 1), dt.date.max.toordinal())
    return dt.date.fromordinal(ordinal)


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return WorkCalendar()
