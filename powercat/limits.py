"""法定/承诺 time limits as written: parsing the free text into variants.

`20个工作日`, `20日`, `60天`, `3个月`, `即办`, `当场办结`, `二十个工作日`, and conditional
texts such as `告知承诺制：20个工作日；非告知承诺制：10个工作日` (one variant per label).
What they come to in working days is timing.py's (on the calendar of workdays.py, under
the policy of legal_days.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .law.numerals import NUMERAL, to_int

WORKDAY, DAY, MONTH, HOUR, INSTANT = "工作日", "日", "个月", "小时", "即办"

_AMOUNT = re.compile(
    rf"(?P<num>{NUMERAL}|半)\s*(?P<unit>个?\s*工作日|个?\s*自然日|日|天|个?\s*月|小时|个?\s*工作小时)"
)
_INSTANT = re.compile(r"即办|即时办结|即时|当场办结|当场办理|当场|立即办理|当即")
_LABEL = re.compile(r"^(?P<label>[^：:0-9０-９一二三四五六七八九十]{1,20})[：:]\s*")
_SPLIT = re.compile(r"[；;\n]+")


@dataclass(frozen=True)
class Variant:
    amount: float  # 0 for 即办
    unit: str  # WORKDAY / DAY / MONTH / HOUR / INSTANT
    label: str | None = None  # 告知承诺制 …
    natural: bool = False  # the text says 自然日: calendar days whatever the category's law says

    def __str__(self) -> str:
        if self.unit == INSTANT:
            text = "即办"
        else:
            amount = int(self.amount) if float(self.amount).is_integer() else self.amount
            unit = "自然日" if self.natural else self.unit.removeprefix('个')
            text = f"{amount}{'个' if self.unit in (WORKDAY, MONTH) or self.natural else ''}{unit}"
        return f"{self.label}：{text}" if self.label else text


@dataclass(frozen=True)
class TimeLimit:
    raw: str
    variants: tuple[Variant, ...]

    @property
    def longest(self) -> Variant:
        return max(self.variants, key=lambda v: approx_workdays(v))


def parse_limit(text: str | None) -> TimeLimit | None:
    """None when the text states no limit we can read (the caller decides whether that is
    a problem: a blank cell is not, `按规定办理` is)."""
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text).replace("（", "(").replace("）", ")")
    variants: list[Variant] = []
    for part in _SPLIT.split(folded):
        part = part.strip(" ，,。")
        if not part:
            continue
        label = None
        labelled = _LABEL.match(part)
        if labelled:
            label = re.sub(r"\s+", "", labelled.group("label"))
            part = part[labelled.end():]
        found = _AMOUNT.search(part)
        if found:
            number = 0.5 if found.group("num") == "半" else to_int(found.group("num"))
            if number is None:
                continue
            unit_text = re.sub(r"\s+", "", found.group("unit"))
            unit = WORKDAY if "工作日" in unit_text else MONTH if "月" in unit_text else \
                HOUR if "小时" in unit_text else DAY
            variants.append(Variant(float(number), unit, label, natural="自然日" in unit_text))
        elif _INSTANT.search(part):
            variants.append(Variant(0.0, INSTANT, label))
    if not variants:
        return None
    return TimeLimit(text, tuple(variants))


def approx_workdays(variant: Variant) -> float:
    """For ordering only: 5 working days a week, 30 days a month."""
    factor = {WORKDAY: 1.0, DAY: 5 / 7, MONTH: 30 * 5 / 7, HOUR: 1 / 24, INSTANT: 0.0}[variant.unit]
    return variant.amount * factor


def months_in_days(start: dt.date, months: float) -> float:
    whole = int(months)
    year, month = divmod(start.month - 1 + whole, 12)
    try:
        end = start.replace(year=start.year + year, month=month + 1)
    except ValueError:  # 31 January + 1 month
        end = (start.replace(day=1, year=start.year + year, month=month + 1) + dt.timedelta(days=31)).replace(day=1) \
            - dt.timedelta(days=1)
    return (end - start).days + (months - whole) * 30
