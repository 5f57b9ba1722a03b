"""The columnar lane of a large CSV event log grouped by case: each case checked from its
rows (lists of cells) as the csv module gives them, without an Event per row or a Case
built from events, when nothing about it needs more.

A log of a million events is mostly plain cases (no register row, see `quick.is_plain`)
of published powers that pass every check. For such a case the check needs only the tuple
of its steps (its variant: the plan is worked out once per variant and chart) and the date
part of each step's start and end. Those are read column by column at C speed: `map` over
the rows with `itemgetter`, each distinct step text cleaned once (`read.Words`), each
distinct `YYYY-MM-DD` part parsed once (shared with the reader).

The lane gives up on a case as soon as anything is not plain: a register row, a blank or
merged id, a short row, a blank step, code or name on the first row, a date part not met
yet or not a date, steps out of time order, a power unknown or withheld, or any check that
would speak (`quick.dated_figures` returns None). That case's rows then take the reader
(`read._events`, which reports each bad cell) and the full check (`checks.check_case`): the
same path as `group_stream`. So the lane can only be faster, never say anything different.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain, groupby
from operator import itemgetter

from .checks import (_BLANK_STATUS, Outcome, Settings, _group_grouped, _limits_of, check_case, fewer_collections,
                     group_stream, step_limit)
from .link import PowerIndex
from .memo import remember
from .model import Case
from .quick import dated_figures, plan_may_pass
from .read import Words, _events, clean_cell, csv_log, stream_events
from .variants import plan_of

_DAY_PART = itemgetter(slice(0, 10))  # `2025-03-04 09:30:00` → `2025-03-04`, as the reader looks dates up
_VARIANTS_KEPT = 1 << 14  # distinct (code, name, steps) cells remembered (variants as written)


_END = ((None, None),)  # the run after the last one: see LogCheck._columns


class NotGrouped(Exception):
    """A log checked in one pass (`LogCheck(..., one_pass=True)`) turned out not to be one the
    lane can take alone: a case id came back after another case, a case has a register row, or
    the file is not a large CSV with dates. Nothing it gave may be used: read the log again
    after a first pass (`checks.last_events`)."""


class LogCheck:
    """Every case of one event log checked, in the log's order: iterate for the Outcomes;
    `events` counts the events read so far. `rows` (case id → Case) are the register's case
    rows: a log case with one is joined to it (and checked in full), as `group_stream` does.
    The log must be grouped by case (each case's rows one run, `checks.last_events`); a file
    that is not a large CSV is read by `read.stream_events` instead, with the same results.

    `one_pass`: whether the log is grouped is not known yet. The lane then watches for a case
    id met again after another case and raises `NotGrouped` when it sees one (or a case with a
    register row, or a file it does not read itself), leaving `rows` untouched; when the
    iteration ends without it, the log was grouped and the outcomes are those of the first
    pass's way (one case id per run: `last_events` would have said grouped)."""

    def __init__(self, path: str, index: PowerIndex, settings: Settings, problem: Callable,
                 rows: dict[str, Case] | None = None, one_pass: bool = False):
        self.path, self.index, self.settings, self.problem = path, index, settings, problem
        self.rows = rows if rows is not None else {}
        self.one_pass = one_pass
        self.events = 0

    def __iter__(self) -> Iterator[Outcome]:
        with fewer_collections():
            with csv_log(self.path) as table:
                if table is not None and {"start", "end"} <= table.columns.keys():
                    yield from self._columns(table)
                    return
            if self.one_pass:
                raise NotGrouped(self.path)
            for case in group_stream(self._counted(stream_events(self.path, self.problem)), self.rows):
                yield check_case(case, self.index, self.settings)

    def _counted(self, events):
        for event in events:
            self.events += 1
            yield event

    def _columns(self, table) -> Iterator[Outcome]:
        """Runs of one case id cut by `groupby` (C code) on the id cell; runs whose ids clean
        to one id, or with a blank id (the id above, for the reader), are joined first. A
        case with a register row, or joined, takes the reader and the full check."""
        self._table, self._words, self._day_of = table, Words(), {"": None}
        quick = _quick_lane(table.columns, self.index, self.settings, self._words, self._day_of)
        rows, full = self.rows, self._full
        c_id = table.columns["case_id"]
        number = table.first_number  # the record number of the run below
        pending_id = pending = pending_number = None
        joined = False
        seen = set() if self.one_pass else None  # the case ids met so far, in one pass (as last_events keeps them)
        # one run past the last (_END) settles the last case where every other is settled;
        # the key is a slice of the row: [] for a short row
        for key, run in chain(groupby(table.rows, itemgetter(slice(c_id, c_id + 1))), _END):
            last = run is None
            if not last:
                run = list(run)
                case_id = clean_cell(key[0]) if key else None
            if pending is not None:
                if not last and (not case_id or case_id == pending_id):
                    pending += run
                    joined = True
                    number += len(run)
                    continue
                # the case held, settled: the quick lane's outcome, or the reader and the full check
                outcome = None if joined or pending_id in rows else quick(pending_id, pending)
                if outcome is None:
                    yield from full(pending, pending_number)
                else:
                    self.events += len(pending)
                    yield outcome
            if last:
                break
            if seen is not None and case_id:
                if case_id in seen or case_id in rows:
                    raise NotGrouped(case_id)  # met before (the log is not grouped), or joined to a row
                seen.add(case_id)
            pending_id, pending, pending_number, joined = case_id, run, number, not case_id
            number += len(run)
        for item in table.unclosed_quotes(self.path):
            self.problem(item)

    def _full(self, run: list[list[str]], number: int) -> Iterator[Outcome]:
        """The rows of one case through the reader and the full check, as `group_stream` gives them."""
        table = self._table
        events = list(_events(enumerate(run, start=number), table.columns, table.letters, self.path, table.name,
                              self.problem, self._words, self._day_of))
        self.events += len(events)
        self._day_of.setdefault("", None)  # a blank cell has no date (the reader may have emptied its memo)
        for case in _group_grouped(events, self.rows):
            yield check_case(case, self.index, self.settings)


_MISSING = object()
_SEP = "\x1f"  # joins a case's code, name and step cells into one key (hashed once per case)


def _quick_lane(columns: dict[str, int], index: PowerIndex, settings: Settings, words: Words,
                day_of: dict) -> Callable[[str, list[list[str]]], Outcome | None]:
    """`quick(case id, rows)`: the case's Outcome when it is plain and passes every check,
    else None. What depends on the cells of the code, the name and the steps alone (the
    power, the plan, whether the variant can pass) is worked out once per distinct cells."""
    get_step, get_start, get_end = (itemgetter(columns[f]) for f in ("step", "start", "end"))
    heads = [columns[f] for f in ("power_code", "power_name") if f in columns]
    # the code and name cells (C code; a slice for one or none: a short row then gives a key with
    # too few separators, which the count below sends to the full check)
    get_heads = itemgetter(*heads) if len(heads) == 2 else itemgetter(slice(heads[0], heads[0] + 1)) if heads \
        else itemgetter(slice(0, 0))
    has_code, has_name, separators = "power_code" in columns, "power_name" in columns, len(heads) - 1
    join, chain_ = _SEP.join, chain
    variants: dict = {}
    day = day_of.__getitem__
    from_log = Case.from_log

    def variant(key: str):
        """(linked, code, name, plan, limits) of a case whose cells join to `key`, or None when
        such a case takes the full check whatever its dates."""
        cells = key.split(_SEP)
        raw_code = cells.pop(0) if has_code else None
        raw_name = cells.pop(0) if has_name else None
        steps = tuple(map(words.__getitem__, cells))
        code = words[raw_code] if raw_code is not None else None
        name = words[raw_name] if raw_name is not None else None
        if not all(steps) or (raw_code is not None and not code) or (raw_name is not None and not name):
            return None  # a blank step (the reader reports it), or the code or name a later step gives
        linked, _why = index.find(code, name, None)
        if linked is None or linked.withheld:
            return None
        plan = plan_of(linked, steps, step_limit)
        if not plan_may_pass(plan):
            return None  # a finding whatever the dates
        return linked, code, name, plan, _limits_of(linked)

    def quick(case_id: str, run: list[list[str]]) -> Outcome | None:
        try:
            key = join(chain_(get_heads(run[0]), map(get_step, run)))
            starts = list(map(day, map(_DAY_PART, map(get_start, run))))
            ends = list(map(day, map(_DAY_PART, map(get_end, run))))
        except (IndexError, KeyError):
            return None  # a short row (the reader pads it), or a date part not parsed yet or not a date
        if key.count(_SEP) != len(run) + separators:
            return None  # a cell holding the separator: the key would be ambiguous
        found = variants.get(key, _MISSING)
        if found is _MISSING:
            found = remember(variants, key, variant(key), _VARIANTS_KEPT)
        if found is None:
            return None
        try:
            if starts != sorted(starts) or ends != sorted(ends):
                return None  # out of time order: the full check puts the steps in order
        except TypeError:
            return None  # dated and undated steps mixed
        linked, code, name, plan, limits = found
        figures = dated_figures(starts, ends, linked, plan, settings, limits)
        if figures is None:
            return None
        accepted, decided, served, used, allowed, on_time, due = figures
        return Outcome(from_log(case_id, code, name), linked, accepted, decided, served, None, used, allowed, on_time,
                       plan.result.fit, due, [], _BLANK_STATUS)

    return quick
