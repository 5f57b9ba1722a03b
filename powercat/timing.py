"""法定/承诺 time limits in working days: what a limit parsed by limits.py comes to, counted
from a day. Working days follow the one calendar of workdays.py (the State Council's
holidays with their 调休 make-up working days); which periods count working days is
legal_days.py's policy. The parsing names are here too, so a caller has one door for limits.
"""

from __future__ import annotations

import datetime as dt
import math

from .legal_days import counts_workdays
from .limits import (DAY, HOUR, INSTANT, MONTH, WORKDAY, TimeLimit, Variant, approx_workdays,  # noqa: F401 – one door
                     months_in_days, parse_limit)
from .workdays import default_calendar


def workdays_in(start: dt.date, natural_days: int) -> int:
    """Working days among the `natural_days` days after `start` (the day of the
    triggering event itself does not count)."""
    return default_calendar().between(start, start + dt.timedelta(days=natural_days))


def to_workdays(variant: Variant, start: dt.date, category: str | None = None, source_law: str | None = None) -> float:
    """A limit in working days counted from `start`, for a power of `category`: whether its
    日 are working days is legal_days.day_rule (行政许可法 Art. 82, 处罚法 Art. 85, 强制法 Art. 69)."""
    if variant.unit == INSTANT:
        return 0.0
    if counts_workdays(variant, category, source_law):
        return variant.amount
    if variant.unit == HOUR:
        return variant.amount / 24
    natural = variant.amount if variant.unit == DAY else months_in_days(start, variant.amount)
    return float(workdays_in(start, int(round(natural))))


def to_natural_days(variant: Variant, start: dt.date, category: str | None = None,
                    source_law: str | None = None) -> float:
    """A limit in calendar days counted from `start` (its working days, if the policy says so,
    spanned on the calendar)."""
    if variant.unit == INSTANT:
        return 0.0
    if variant.unit == HOUR:
        return variant.amount / 24
    if variant.unit == MONTH:
        return months_in_days(start, variant.amount)
    if not counts_workdays(variant, category, source_law):
        return variant.amount
    return float((default_calendar().add(start, math.ceil(variant.amount)) - start).days)
