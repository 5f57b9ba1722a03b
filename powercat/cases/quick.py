"""The quick lane of `checks.check_case`: a case known only from an event log (no case row,
so no register dates, texts, suspensions, extensions or disclosure cells) of a power the
catalogue publishes. Most of a province's million events are such cases, and most of those
pass every check. This lane works out only their figures (the dates, the working days used
and allowed, the nearest deadline) and gives up (None) as soon as any check would have
something to say: the full check, the one place every message is written, then runs for
that case. So the lane can only be faster, never say anything different.

Deadlines depend on the power's limits and the case's acceptance day only (no excluded
periods, no extension in a log): they are kept per power and day (bounded, as the plans).
"""

from __future__ import annotations

import datetime as dt

from .deadlines import SERVICE_DAYS, due_date
from .memo import remember

_DUES_KEPT = 1 << 16  # kinds of limits × days of acceptance
_ADDS_KEPT = 1 << 16


def is_plain(case) -> bool:
    """A case of an event log alone: nothing but its id, its power and its steps."""
    return not (case.source is not None or case.order_unknown or case.problems or case.suspensions
                or case.extension_days or case.hearing_requested or case.accepted or case.decided or case.served
                or case.disclosed or case.disclosure_formula or case.disclosure_way or case.disclosure_also
                or case.remark or case.result or case.doc_no or case.extension_reason or case.disclosure_scope
                or case.columns)


def quick_figures(starts: list, ends: list, linked, plan, settings, limits) -> tuple | None:
    """(accepted, decided, served, used, allowed, on_time, due) of a plain case (`is_plain`)
    of a public power with steps (`starts`, `ends`: each step's dates, in the case's order),
    or None when any check would find something (or might)."""
    if not plan_may_pass(plan):
        return None
    return dated_figures(starts, ends, linked, plan, settings, limits)


def plan_may_pass(plan) -> bool:
    """Whether a case of this variant may pass every check: the steps say nothing (all known,
    in the process's order, 告知 and 法制审核 before the decision); its dates decide the rest."""
    result = plan.result
    return not (result.unknown or result.deviation is not None or plan.notice_missing or plan.review_missing)


def dated_figures(starts: list, ends: list, linked, plan, settings, limits) -> tuple | None:
    """`quick_figures` of a case whose plan may pass (`plan_may_pass`): the checks of its dates."""
    result = plan.result
    # the dates the steps give: the first step of each role (check_case reads `plan.dated`,
    # looking further when that step has no date; an undated step is left to it)
    accepted = decided = served = None
    i = plan.accept_at
    if i is not None and (accepted := ends[i] or starts[i]) is None:
        return None
    i = plan.decide_at
    if i is not None and (decided := ends[i] or starts[i]) is None:
        return None
    i = plan.serve_at
    if i is not None and (served := ends[i] or starts[i]) is None:
        return None
    if accepted is None:
        accepted = starts[0] or ends[0]
    if decided is None and result.completed:
        decided = served or ends[-1] or starts[-1]
    cal = settings.calendar
    category = linked.category
    for i, variant, in_days in plan.limited:  # checks._step_limits, without its message
        start, end = starts[i], ends[i]
        if start is None or end is None or end <= start or (in_days and (end - start).days <= variant.amount):
            continue
        if end > due_date(cal, start, variant, category):
            return None
    if decided is not None and ((accepted is not None and decided < accepted) or
                                (served is not None and served < decided)):
        return None  # case-date-order
    used = allowed = on_time = due = None
    as_of = settings.as_of
    if accepted is not None and limits:
        dues, first_allowed = _dues(linked, limits, cal, accepted)
        if decided is not None:
            for d in dues:
                if decided > d:
                    return None  # case-over-promised / case-over-statutory
            used = cal.between(accepted, decided)
            allowed = first_allowed
            on_time = True
        else:
            due = min(dues)
            if as_of > due or cal.between(as_of, due) <= settings.due_within:
                return None  # case-open-overdue / case-due-soon
    if decided is not None:
        days = SERVICE_DAYS.get(category)
        if days is not None and plan.service_due:
            service_due = _add(cal, decided, days)
            if (served > service_due) if served is not None else as_of > service_due:
                return None  # case-service-late
        # the disclosure deadline: a log has no 公开日期 column, so nothing to say about it
    return accepted, decided, served, used, allowed, on_time, due


def _dues(linked, limits, cal, accepted: dt.date) -> tuple[tuple[dt.date, ...], int]:
    """The due dates of the power's limits (checks._limits_of) for a case accepted that day,
    and the working days the first allows (checks._deadlines, with nothing excluded). Kept
    per kind of limits, not per power: a power has a few hundred cases over a year, but the
    catalogue only a few dozen kinds of limits, which its powers share."""
    kind = linked.__dict__.get("_limits_kind")
    if kind is None:
        kind = linked.__dict__["_limits_kind"] = _kind_of(linked.category, limits)
    key = (cal, kind, accepted)
    found = _DUES.get(key)
    if found is None:
        category = linked.category
        dues = tuple(due_date(cal, accepted, variant, category, 0, 0, source_law)
                     for _which, variant, _work, source_law, _shown_which, _shown in limits)
        found = remember(_DUES, key, (dues, cal.between(accepted, dues[0])), _DUES_KEPT)
    return found


def _kind_of(category: str, limits) -> int:
    """A small number for the power's category and limits (canonical objects, by identity:
    `deadlines.canonical` keeps them alive, and hashing the limits themselves costs more)."""
    signature = (category, tuple((id(variant), source_law) for _w, variant, _k, source_law, _s, _t in limits))
    return _KINDS.setdefault(signature, len(_KINDS))


_DUES: dict = {}
_KINDS: dict = {}


def _add(cal, day: dt.date, n: int) -> dt.date:
    key = (cal, day, n)
    found = _ADDS.get(key)
    if found is None:
        found = remember(_ADDS, key, cal.add(day, n), _ADDS_KEPT)
    return found


_ADDS: dict = {}
