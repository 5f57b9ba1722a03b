"""Figures per power and period (month, quarter, year): cases received and decided, on-time
rate, median working days against the limit. Accumulated case by case in counters (a
histogram of days, not a list), so memory depends on powers × periods, not on cases."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .checks import Outcome

PERIODS = ("month", "quarter", "year")
PERIOD_ZH = {"month": "月", "quarter": "季度", "year": "年"}


@lru_cache(maxsize=1 << 14)
def period_keys(day: dt.date) -> tuple[tuple[str, str], ...]:
    return tuple((period, period_key(day, period)) for period in PERIODS)


def period_key(day: dt.date, period: str) -> str:
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def period_label(key: str) -> str:
    if "Q" in key:
        year, q = key.split("Q")
        return f"{year}年第{'一二三四'[int(q) - 1]}季度"
    if "-" in key:
        year, month = key.split("-")
        return f"{year}年{int(month)}月"
    return f"{key}年"


@dataclass
class Figures:
    received: int = 0
    decided: int = 0
    timed: int = 0  # decided cases with a limit to compare with
    on_time: int = 0
    days: Counter = field(default_factory=Counter)  # working days used → cases
    allowed: Counter = field(default_factory=Counter)  # working days allowed → cases
    findings: int = 0
    errors: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.timed, 4) if self.timed else None

    @staticmethod
    def _median(counter: Counter) -> float | None:
        total = sum(counter.values())
        if not total:
            return None
        values = sorted(counter)
        lower, upper = (total - 1) // 2, total // 2
        seen, low = 0, None
        for value in values:
            seen += counter[value]
            if low is None and seen > lower:
                low = value
            if seen > upper:
                return (low + value) / 2
        return None

    @property
    def median_days(self) -> float | None:
        return self._median(self.days)

    @property
    def median_allowed(self) -> float | None:
        return self._median(self.allowed)

    def to_json(self) -> dict:
        return {"received": self.received, "decided": self.decided, "on_time": self.on_time, "timed": self.timed,
                "on_time_rate": self.on_time_rate, "median_days": self.median_days,
                "median_allowed": self.median_allowed}


class Aggregate:
    """power id → period kind → period key → Figures; agencies likewise (public powers only)."""

    def __init__(self):
        self.powers: dict[str, dict[str, dict[str, Figures]]] = {}
        self.agencies: dict[str, dict[str, dict[str, Figures]]] = {}
        self.cases = 0
        self._cells: dict[tuple[str, int, int], tuple[Figures, ...]] = {}
        self.by_code: Counter = Counter()

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        for f in outcome.findings:
            self.by_code[f.code] += 1
        linked = outcome.linked
        if linked is None:
            return
        if outcome.accepted is not None:
            for figures in self._figures(linked, outcome.accepted):
                figures.received += 1
        if outcome.decided is not None:
            on_time = outcome.on_time
            for figures in self._figures(linked, outcome.decided):
                figures.decided += 1
                if on_time is not None:
                    figures.timed += 1
                    figures.on_time += on_time
                    figures.days[outcome.used] += 1
                    figures.allowed[outcome.allowed] += 1

    def _figures(self, linked, day: dt.date) -> tuple[Figures, ...]:
        """Every table cell a case of this power on this day counts in (month, quarter and year;
        the power's and its agency's), found once per power and month: the hot path of a
        million-event log."""
        month = (linked.id, day.year, day.month)
        cells = self._cells.get(month)
        if cells is None:
            # an agency's figures are published: withheld powers' cases stay out of them
            tables = ((self.powers, linked.id),) if linked.withheld else \
                ((self.powers, linked.id), (self.agencies, linked.agency))
            cells = self._cells[month] = tuple(
                table.setdefault(name, {}).setdefault(period, {}).setdefault(key, Figures())
                for period, key in period_keys(day) for table, name in tables)
        return cells

    def series(self, table: str, name: str, period: str) -> dict[str, Figures]:
        source = self.powers if table == "power" else self.agencies
        return dict(sorted(source.get(name, {}).get(period, {}).items()))
