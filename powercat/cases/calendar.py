"""Working days as table look-ups: a cumulative count per day, built once from
`timing.is_workday` (chinese-calendar: holidays and 调休 make-up working days; outside the
years it knows, weekends only). Counting starts the day after the triggering event.

`between(a, b)` is the working days in (a, b]; `add(a, n)` the date of the n-th working day
after a. Both are O(1)/O(log n), which is what a register of a million events needs.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

from .. import timing

_FIRST = dt.date(2000, 1, 1)
_LAST = dt.date(2040, 12, 31)


class WorkCalendar:
    def __init__(self, is_workday=timing.is_workday, first: dt.date = _FIRST, last: dt.date = _LAST):
        self.first = first.toordinal()
        days = last.toordinal() - self.first + 1
        self.cum = [0] * (days + 1)  # cum[i] = working days among the first i days of the table
        self.workday = bytearray(days)
        total = 0
        for i in range(days):
            flag = is_workday(first + dt.timedelta(days=i))
            self.workday[i] = flag
            total += flag
            self.cum[i + 1] = total

    def _index(self, day: dt.date) -> int:
        i = day.toordinal() - self.first
        if not 0 <= i < len(self.workday):
            raise ValueError(f"date out of the calendar's range: {day}")
        return i

    def is_workday(self, day: dt.date) -> bool:
        return bool(self.workday[self._index(day)])

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.between(end, start)
        return self.cum[self._index(end) + 1] - self.cum[self._index(start) + 1]

    def add(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (n ≥ 1); start itself for n ≤ 0."""
        if n <= 0:
            return start
        target = self.cum[self._index(start) + 1] + n
        i = bisect.bisect_left(self.cum, target)  # first prefix reaching target
        return dt.date.fromordinal(self.first + i - 1)

    def working_days_in(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end], both ends included (a suspension's own days)."""
        if end < start:
            return 0
        return self.cum[self._index(end) + 1] - self.cum[self._index(start)]


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return WorkCalendar()
