"""Figures per power and period (month, quarter, year): cases received and decided, on-time
rate, median working days against the limit. Accumulated case by case in counters (a
histogram of days, not a list), so memory depends on powers × periods, not on cases."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .checks import Outcome, fewer_collections

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


def _cell(by_key: dict[str, Figures], key: str) -> Figures:
    """The period's Figures, made when first met (not made and thrown away each time)."""
    figures = by_key.get(key)
    if figures is None:
        figures = by_key[key] = Figures()
    return figures


def _add_counts(counter: Counter, counts: dict) -> None:
    """`counter.update(counts)`, without its checks (a few entries, thousands of times)."""
    get = counter.get
    for value, n in counts.items():
        counter[value] = get(value, 0) + n


class Aggregate:
    """power id → period kind → period key → Figures; agencies likewise (public powers only).

    A case is tallied in its power's month (one counter per month, however many cases);
    the month, quarter and year tables of the power and its agency are filled from those
    tallies when they are read. The hot path of a million-event log is then one counter
    increment per case instead of six table cells."""

    def __init__(self):
        self._powers: dict[str, dict[str, dict[str, Figures]]] = {}
        self._agencies: dict[str, dict[str, dict[str, Figures]]] = {}
        self.cases = 0
        self._cells: dict[tuple[str, int, int], tuple[Figures, ...]] = {}
        # (power id, year, month) → [linked, a day of that month, cases received, Counter of
        # (on time, days used, days allowed) of the cases decided], in the order first met
        self._tallies: dict[tuple[str, int, int], list] = {}
        self.by_code: Counter = Counter()

    @property
    def powers(self) -> dict[str, dict[str, dict[str, Figures]]]:
        self._settle()
        return self._powers

    @property
    def agencies(self) -> dict[str, dict[str, dict[str, Figures]]]:
        self._settle()
        return self._agencies

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        findings = outcome.findings
        if findings:
            by_code = self.by_code
            for f in findings:
                by_code[f.code] += 1
        linked = outcome.linked
        if linked is None:
            return
        tallies = self._tallies
        day = outcome.accepted
        if day is not None:  # the power's month of `day`: [linked, a day of it, received, Counter of decided]
            key = (linked.id, day.year, day.month)
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = [linked, day, 0, Counter()]
            tally[2] += 1
        day = outcome.decided
        if day is not None:
            key = (linked.id, day.year, day.month)
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = [linked, day, 0, Counter()]
            tally[3][(outcome.on_time, outcome.used, outcome.allowed)] += 1

    def _settle(self) -> None:
        """The tallies so far into the tables (cells created in the order the cases met them).
        Each month's decided cases are summed once, then added to its six cells."""
        with fewer_collections():  # some ten thousand Figures made at once, none of them in a cycle
            for linked, day, received, decided in self._tallies.values():
                n_decided = timed = on_time = 0
                days: dict[int, int] = {}
                allowed: dict[int, int] = {}
                for (punctual, used, allowing), n in decided.items():
                    n_decided += n
                    if punctual is not None:
                        timed += n
                        on_time += punctual * n
                        days[used] = days.get(used, 0) + n
                        allowed[allowing] = allowed.get(allowing, 0) + n
                for figures in self._figures(linked, day):
                    figures.received += received
                    figures.decided += n_decided
                    if timed:
                        figures.timed += timed
                        figures.on_time += on_time
                        _add_counts(figures.days, days)
                        _add_counts(figures.allowed, allowed)
        self._tallies.clear()

    def _figures(self, linked, day: dt.date) -> tuple[Figures, ...]:
        """Every table cell a case of this power on this day counts in (month, quarter and year;
        the power's and its agency's)."""
        month = (linked.id, day.year, day.month)
        cells = self._cells.get(month)
        if cells is None:
            # an agency's figures are published: withheld powers' cases stay out of them
            tables = ((self._powers, linked.id),) if linked.withheld else \
                ((self._powers, linked.id), (self._agencies, linked.agency))
            cells = self._cells[month] = tuple(_cell(table.setdefault(name, {}).setdefault(period, {}), key)
                                               for period, key in period_keys(day) for table, name in tables)
        return cells

    def series(self, table: str, name: str, period: str) -> dict[str, Figures]:
        source = self.powers if table == "power" else self.agencies
        return dict(sorted(source.get(name, {}).get(period, {}).items()))
