"""The legal deadlines of the register, in working days (调休 aware).

| what | limit | source |
|---|---|---|
| decision → 送达 | 许可 10, 处罚 7 working days | 许可法 Art. 44; 处罚法 Art. 61, 85 |
| decision → public | 许可/处罚 7, other decisions 20 working days | 国办发〔2018〕118号 |
| acceptance → decision | the power's 法定/承诺 limits, excluded periods left out | 许可法 Art. 42, 45, 82; 处罚法 Art. 60 |
| extension | only with a recorded approval; 许可 at most 10 working days | 许可法 Art. 42 |
"""

from __future__ import annotations

import datetime as dt

from ..legal_days import counts_workdays
from ..model import Category
from ..limits import DAY, HOUR, INSTANT, MONTH, Variant, months_in_days
from ..workdays import WorkCalendar
from .memo import remember

SERVICE_DAYS = {Category.LICENSING.value: 10, Category.PENALTY.value: 7}
DISCLOSURE_DAYS_FAST = 7  # 行政许可、行政处罚
DISCLOSURE_DAYS = 20  # other decisions
EXTENSION_CAP = {Category.LICENSING.value: 10}
# 许可法 Art. 45 (and the same kinds of time in the rules of other procedures)
EXCLUDED_REASONS = ("听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "专家评审", "公告", "征求第三方意见", "第三方意见")


def disclosure_days(category: str) -> int:
    return DISCLOSURE_DAYS_FAST if category in _FAST_KINDS else DISCLOSURE_DAYS


_FAST_KINDS = frozenset({Category.LICENSING.value, Category.PENALTY.value})


def days_are_workdays(variant: Variant, category: str, source_law: str | None = None) -> bool:
    """The one policy (legal_days.py): 许可法 Art. 82; 处罚法 Art. 85 (only 二、三、五、七日);
    强制法 Art. 69 (十日以内); an explicit 工作日/自然日 wins. Asked once per kind of limit."""
    key = (variant, category, source_law)
    work = _WORKDAYS.get(key)
    if work is None:
        work = remember(_WORKDAYS, key, counts_workdays(variant, category, source_law), _DUE_KEPT)
    return work


_WORKDAYS: dict = {}


def due_date(cal: WorkCalendar, start: dt.date, variant: Variant, category: str,
             extra_workdays: int = 0, extra_days: int = 0, source_law: str | None = None) -> dt.date:
    """The last day the limit allows, counted from the day after `start`. `extra_*`: excluded
    periods and approved extensions, in the limit's own kind of day. A limit that reaches
    past the last date there is (a list's 99999999日) gives that last date, not a crash."""
    # by identity: the calendar and the limit are long-lived objects, kept alive by the entry
    key = (id(cal), id(variant), start, category, extra_workdays, extra_days, source_law)
    found = _DUE.get(key)
    if found is None:
        try:
            due = _due_date(cal, start, variant, category, extra_workdays, extra_days, source_law)
        except (OverflowError, ValueError):
            due = dt.date.max
        found = remember(_DUE, key, (due, cal, variant), _DUE_KEPT)
    return found[0]


# a log's cases start on a few hundred days and their powers have a few dozen limits:
# each deadline is counted once (bounded, so memory stays flat)
_DUE: dict = {}
_DUE_KEPT = 1 << 16


def _due_date(cal: WorkCalendar, start: dt.date, variant: Variant, category: str,
              extra_workdays: int, extra_days: int, source_law: str | None = None) -> dt.date:
    if variant.unit == INSTANT:
        return cal.add(start, extra_workdays) if extra_workdays else start
    if days_are_workdays(variant, category, source_law):
        return cal.add(start, int(round(variant.amount)) + extra_workdays)
    if variant.unit == HOUR:
        return start + dt.timedelta(days=-(-int(variant.amount) // 24) + extra_days)
    natural = variant.amount if variant.unit == DAY else months_in_days(start, variant.amount) if variant.unit == MONTH \
        else variant.amount
    return start + dt.timedelta(days=int(round(natural)) + extra_days)


def canonical(variant: Variant) -> Variant:
    """One object per distinct limit: every power's 20个工作日 is then the same object, so the
    deadlines `due_date` keeps by identity are shared by all the powers with that limit."""
    return _CANONICAL.setdefault(variant, variant)


_CANONICAL: dict[Variant, Variant] = {}  # as many as the catalogue has different limits


def is_excluded(reason: str | None) -> bool:
    return bool(reason) and any(word in reason for word in EXCLUDED_REASONS)
