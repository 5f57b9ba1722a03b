"""Checking each case: its power, its steps against the power's process, and the legal
deadlines in working days. A case in, an Outcome (findings + the figures the statistics
need) out; nothing is kept between cases, so a register of any size streams through.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby
from dataclasses import dataclass, field
from operator import attrgetter

from ..check.findings import Finding, Place, finding
from ..disclosure import ACTIVE, WITHHELD
from ..model import Category, Source
from ..text_forms import position
from ..workdays import WorkCalendar, default_calendar
from .deadlines import (EXTENSION_CAP, SERVICE_DAYS, canonical, days_are_workdays, disclosure_days, due_date,
                        is_excluded)
from .gate import case_disclosure_detail
from .link import Linked, PowerIndex
from .mask import KIND_ZH, personal_data
from .model import Case, Event, RegisterFile
from .read import FIELD_ZH
from .quick import is_plain, quick_figures
from .variants import plan_of


PENALTY = Category.PENALTY.value
_STEP = attrgetter("step")
_BLANK_STATUS = case_disclosure_detail(Case(None, ""))[0].status  # a log's case: no disclosure cell


@dataclass
class Settings:
    as_of: dt.date
    due_within: int = 5  # working days, for the early-warning list
    calendar: WorkCalendar = field(default_factory=default_calendar)


@dataclass
class Outcome:
    case: Case
    linked: Linked | None
    accepted: dt.date | None
    decided: dt.date | None
    served: dt.date | None
    disclosed: dt.date | None
    used: int | None = None  # working days from acceptance to decision, excluded periods left out
    allowed: int | None = None  # working days the promised (else statutory) limit allows
    on_time: bool | None = None
    fit: bool | None = None  # steps replay on the process (None: no steps recorded)
    due: dt.date | None = None  # for open cases: the nearest deadline
    findings: list[Finding] = field(default_factory=list)
    disclosure: str = WITHHELD  # the case's own 公开方式 as read (gate.case_disclosure)


def _finding(code: str, source: Source, column: str | None, field_name: str | None, power: str | None, /,
             **values) -> Finding:
    return finding(code, Place.of(source, column, power), field_name, **values)


# -- assembling cases from rows and events -------------------------------------------------

def assemble(files: list[RegisterFile]) -> tuple[list[Case], list[Finding]]:
    """Case rows and events of all files joined by case id (events in any order). The
    findings are those of reading: rows without id, duplicate ids, bad dates in events."""
    findings: list[Finding] = []
    rows: dict[str, Case] = {}
    order: list[Case] = []
    for f in files:
        if f.error is not None:
            continue
        for code, source, column, values in f.problems:
            findings.append(_finding(code, source, column, None, None, **values))
        for case in f.cases:
            first = rows.get(case.case_id)
            if first is not None:
                findings.append(_finding("case-id-duplicate", case.source, case.columns.get("case_id"), "case_id", None,
                                         case=case.case_id, other=f"{_where(first.source)}"))
                continue
            rows[case.case_id] = case
            order.append(case)
    for f in files:
        if f.error is not None:
            continue
        grouped = is_grouped(f.events)
        for event in f.events:
            case = rows.get(event.case_id)
            if case is None:
                case = rows[event.case_id] = Case(None, event.case_id)
                order.append(case)
            case.events.append(event)
            case.order_unknown = case.order_unknown or not grouped
    for case in order:
        _fill_from_events(case)
    return order, findings


def is_grouped(events: Iterable[Event]) -> bool:
    """Whether each case's events are one unbroken run (a log sorted by case)."""
    runs, seen, previous = 0, set(), None
    for event in events:
        if event.case_id != previous:
            runs += 1
            seen.add(event.case_id)
            previous = event.case_id
    return runs == len(seen)


def group_stream(events: Iterable[Event], rows: dict[str, Case] | None = None,
                 last: dict[str, int] | None = None, grouped: bool = True) -> Iterator[Case]:
    """Cases from a stream of events. With `last` (case id → number of its last event in the
    stream, from a first pass: `last_events`) the log may be in any order — sorted by case,
    by time or by step: a case's events are held until its last one is read, then the case
    is yielded and let go, so memory is the cases open at that point of the log (one at a
    time for a log grouped by case; for a log sorted by step, nearly all of it). Without
    `last` the log must be grouped by case (a case ends where the next begins)."""
    rows = rows or {}
    with fewer_collections():
        if last is None:
            yield from _group_grouped(events, rows)
            return
        open_cases: dict[str, Case] = {}
        for number, event in enumerate(events):
            case = open_cases.get(event.case_id)
            if case is None:
                case = open_cases[event.case_id] = rows.pop(event.case_id, None) or Case(None, event.case_id)
                case.order_unknown = not grouped
            case.events.append(event)
            if last.get(event.case_id, number) <= number:
                del open_cases[event.case_id]
                _fill_from_events(case)
                yield case
        for case in open_cases.values():  # the file changed between the passes: what is left, as it is
            _fill_from_events(case)
            yield case


@contextmanager
def fewer_collections(young: int = 20_000, middle: int = 20):
    """Python's cyclic garbage collector less often while a log streams through. Its events,
    cases and outcomes are freed by reference counting as soon as a case is checked, but the
    collector's default (a pass every 700 allocations, a full pass over every object alive —
    catalogue, law, caches — every hundred) spent a quarter of the check's time finding
    nothing. Cycles are still collected, only in larger batches; the settings are restored
    when the stream ends (or is closed)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], young), max(old[1], middle), old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def last_events(case_ids: Iterable[str]) -> tuple[dict[str, int], bool]:
    """(case id → the number (0-based, in stream order) of its last event, whether the log
    is grouped by case), from the case id of each event (`read.stream_case_ids`). Memory:
    one entry per case, not per event."""
    last: dict[str, int] = {}
    runs, previous = 0, None
    for number, case_id in enumerate(case_ids):
        last[case_id] = number
        if case_id != previous:
            runs, previous = runs + 1, case_id
    return last, runs == len(last)


def _group_grouped(events: Iterable[Event], rows: dict[str, Case]) -> Iterator[Case]:
    # each run of one case id, cut at C speed (itertools.groupby on the event's case_id)
    for case_id, run in groupby(events, _CASE_ID):
        case = rows.pop(case_id, None) or Case(None, case_id)
        case.events.extend(run)
        _fill_from_events(case)
        yield case


_CASE_ID = attrgetter("case_id")


def _where(source: Source | None) -> str:
    return position(row=source.row) if source else "运行记录"


def _time_key(e: Event) -> tuple[dt.date, dt.date]:
    return (e.start or e.end or _NO_DATE, e.end or e.start or _NO_DATE)


_NO_DATE = dt.date.max


def _in_time_order(events: list[Event]) -> bool:
    """Whether the events' time keys (`_time_key`) never go down. Without building the keys
    when every event has both dates (a log's usual case): then the key is (start, end)."""
    starts = list(map(_START, events))
    ends = list(map(_END, events))
    if None in starts or None in ends:
        keys = list(map(_time_key, events))
    else:
        keys = list(zip(starts, ends))
    return keys == sorted(keys)


_START, _END = attrgetter("start"), attrgetter("end")
_POWER_CODE, _POWER_NAME = attrgetter("power_code"), attrgetter("power_name")


def _fill_from_events(case: Case) -> None:
    events = case.events
    if not events:
        return
    if len(events) > 1 and not _in_time_order(events):
        case.order_unknown = True  # the file does not keep this case's steps in time order
        events.sort(key=_time_key)  # stable: a case's rows in time order are left as they are
    # the first code and name the steps give (filter and map: no Python frame per event)
    if not case.power_code:
        code = events[0].power_code or next(filter(None, map(_POWER_CODE, events)), None)
        if code is not None:
            case.power_code = code
    if not case.power_name:
        name = events[0].power_name or next(filter(None, map(_POWER_NAME, events)), None)
        if name is not None:
            case.power_name = name


# -- the check ---------------------------------------------------------------------------------

def check_cases(cases: Iterable[Case], index: PowerIndex, settings: Settings) -> Iterator[Outcome]:
    with fewer_collections():
        for case in cases:
            yield check_case(case, index, settings)


def check_case(case: Case, index: PowerIndex, settings: Settings) -> Outcome:
    linked, why = index.find(case.power_code, case.power_name, case.agency)
    if linked is not None and case.events and not linked.withheld and is_plain(case):
        events = case.events
        plan = plan_of(linked, tuple(map(_STEP, events)), step_limit)
        figures = quick_figures(list(map(_START, events)), list(map(_END, events)), linked, plan, settings,
                                _limits_of(linked))
        if figures is not None:  # nothing to say: the figures alone (else the full check, below)
            accepted, decided, served, used, allowed, on_time, due = figures
            return Outcome(case, linked, accepted, decided, served, None, used, allowed, on_time, plan.result.fit, due,
                           [], _BLANK_STATUS)
    cal = settings.calendar
    title = linked.power.title if linked else (case.power_name or case.power_code)
    first = case.events[0] if case.events else None  # before any reordering: the case's first row
    out: list[Finding] = []

    def at(code: str, field_name: str | None = None, source: Source | None = None, column: str | None = None, /,
           **values):
        src = source or case.source or (first.source if first is not None else Source("", "", 0))  # Case.where
        col = column if column is not None else (case.columns.get(field_name) if field_name and case.source else None)
        out.append(_finding(code, src, col, field_name, title, **values))

    for code, field_name, values in case.problems:
        at(code, field_name, **values)

    accepted, decided, served, disclosed = case.accepted, case.decided, case.served, case.disclosed
    for field_name, day in (() if accepted is decided is served is disclosed is None else  # (a log's cases)
                            (("accepted", accepted), ("decided", decided), ("served", served), ("disclosed", disclosed))):
        if day is not None and day > settings.as_of:  # kept and counted, but most likely a typo
            at("case-date-future", field_name, field_zh=FIELD_ZH[field_name], date=day.isoformat(),
               as_of=settings.as_of.isoformat())
    labels: list[str | None] = []
    if linked is None:
        at("case-power-unknown", "power_code" if case.power_code else "power_name", case=case.case_id,
           power=case.power_code or case.power_name or "（未填写）", detail=why)
    elif linked.withheld:
        at("case-power-withheld", "power_code" if case.power_code else "power_name", case=case.case_id, power=title)

    fit = None
    # whether a 送达 is due: the register has the column, or the case's steps have not
    # finished on a path without one
    service_due = "served" in case.columns or (linked is not None and not case.events and linked.has_service_step)
    if linked is not None and case.events:
        net = linked.net
        if case.order_unknown:  # same-day steps of a log out of case or time order: an order the process allows
            case.events = order_ties(net, case.events)
        events = case.events
        plan = plan_of(linked, tuple([e.step for e in events]), step_limit)  # shared by the variant's cases
        result = plan.result
        labels = result.labels
        fit = result.fit
        for i in result.unknown:
            e = events[i]
            at("case-step-unknown", "step", e.source, e.columns.get("step"), step=e.step,
               steps="、".join(net.labels) or "无")
        specific = False
        if plan.decision_at is not None:
            e = events[plan.decision_at]
            no_penalty = bool(case.result and ("不予处罚" in case.result or "撤销" in case.result))
            if plan.notice_missing and not no_penalty:
                at("case-notice-missing", "step", e.source, e.columns.get("step"))
                specific = True
            if plan.review_missing:
                at("case-legal-review-missing", "step", e.source, e.columns.get("step"))
                specific = True
        if case.hearing_requested and not plan.has_hearing:
            at("case-hearing-missing", "hearing_requested")
            specific = True
        if not specific and result.deviation is not None:
            e = events[result.deviation]
            done = [labels[i] for i in range(result.deviation) if labels[i]]
            at("case-step-order", "step", e.source, e.columns.get("step"), step=e.step,
               done="“" + "→".join(done[-3:]) + "”" if done else "（无）",
               expected="、".join(f"“{x}”" for x in result.expected) or "（流程已结束）")
        elif not specific and not result.completed and not result.unknown and (case.served or case.disclosed):
            at("case-step-missing", source=events[-1].source, state="送达" if case.served else "公开",
               expected="、".join(f"“{x}”" for x in result.expected))
        # dates the row leaves blank, from the steps
        for i, r in plan.dated:
            e = events[i]
            if r == "accept" and accepted is None:
                accepted = e.end or e.start
            elif r == "decision" and decided is None:
                decided = e.end or e.start
            elif r == "service" and served is None:
                served = e.end or e.start
        if accepted is None:
            accepted = events[0].start or events[0].end
        if decided is None and result.completed:
            # a procedure without a 决定 step (强制, 检查, 不予受理 …): its decision is what it
            # served, else the case ends at its last step
            decided = served or events[-1].end or events[-1].start
        if plan.limited:
            _step_limits(events, plan.limited, linked.category, cal, at)
        service_due = service_due or plan.service_due

    outcome = Outcome(case, linked, accepted, decided, served, disclosed, fit=fit)
    disclosure, stricter = case_disclosure_detail(case)
    outcome.disclosure = disclosure.status
    if disclosure.problem is not None:
        value = case.disclosure_way or (f"公式 {case.disclosure_formula}（无计算结果）" if case.disclosure_formula else "")
        at("case-disclosure-unrecognised", "disclosure_way", case=case.case_id, value=value)
    elif stricter is not None and disclosure.status == WITHHELD:  # said by 是否公开, 公开范围 or 备注
        header, letter, text = stricter
        at("case-disclosure-withheld", None, None, letter, case=case.case_id, value=f"{header}：{text}")
    elif disclosure.status == WITHHELD:
        at("case-disclosure-withheld", "disclosure_way", case=case.case_id, value=case.disclosure_way or "")
    if not _dates_in_order(accepted, decided, served, disclosed, at):
        outcome.findings = out
        return outcome
    if linked is not None and accepted is not None:
        _deadlines(case, outcome, linked, settings, at)
    if linked is not None and decided is not None:
        _service_and_disclosure(case, outcome, linked, settings, at, service_due)
    for field_name in ("remark", "result", "doc_no", "extension_reason", "disclosure_scope"):
        text = getattr(case, field_name)
        kinds = personal_data(text) if text else None
        if kinds:
            at("case-personal-data", field_name, field_zh=FIELD_ZH[field_name], kinds="、".join(KIND_ZH[k] for k in kinds))
    for suspension in case.suspensions:
        kinds = personal_data(suspension.reason)
        if kinds:
            at("case-personal-data", "suspend_reason", field_zh="中止原因", kinds="、".join(KIND_ZH[k] for k in kinds))
    outcome.findings = out
    return outcome


def _dates_in_order(accepted, decided, served, disclosed, at) -> bool:
    if decided is None:
        return True  # every pair below has the decision in it
    ok = True
    for earlier, earlier_zh, e_field, later, later_zh, l_field in (
        (accepted, "受理日期", "accepted", decided, "决定日期", "decided"),
        (decided, "决定日期", "decided", served, "送达日期", "served"),
        (decided, "决定日期", "decided", disclosed, "公开日期", "disclosed"),
    ):
        if earlier and later and later < earlier:
            at("case-date-order", l_field, earlier_zh=earlier_zh, earlier=earlier.isoformat(), later_zh=later_zh,
               later=later.isoformat())
            ok = False
    return ok


def _step_limits(events, limited, category, cal, at) -> None:
    """The steps of the case's variant that have a limit (`Plan.limited`), against their dates."""
    for i, variant, in_days in limited:
        event = events[i]
        start, end = event.start, event.end
        if start is None or end is None or end <= start:
            continue
        if in_days and (end - start).days <= variant.amount:
            continue  # within the limit even counted in natural days
        due = due_date(cal, start, variant, category)
        if end > due:
            used = cal.between(start, end)
            at("case-step-over-limit", "end", event.source, event.columns.get("end"), step=event.step,
               used=used, start=start.isoformat(), end=end.isoformat(), limit=str(variant))


_TIE_SEARCH = 2000  # orders of one day's steps tried before giving up (process order then)
_TIE_GROUP_MAX = 8  # a day with more steps than this keeps the process's order (8! orders at most)


def order_ties(net, events: list[Event]) -> list[Event]:
    """The case's events by date, the steps of one day in an order the process allows if
    there is one, else in the process's order. For a log whose order says nothing about
    steps of the same day (not grouped by case, or a case's rows not in time order): the
    verdicts then do not depend on how the log was sorted. A wrong order within one day is
    not seen in such a log: the price of a log that does not keep it. Day by day, so the
    search is bounded however long the case."""
    def tie(e: Event):
        return (e.start or e.end or dt.date.max, e.end or e.start or dt.date.max)

    by_rank = sorted(events, key=lambda e: (tie(e), step_rank(net, e.step)))
    groups: list[list[Event]] = []
    for event in by_rank:
        if groups and tie(groups[-1][0]) == tie(event):
            groups[-1].append(event)
        else:
            groups.append([event])
    if all(len(g) == 1 for g in groups):
        return by_rank
    out: list[Event] = []
    markings = net.start()
    for group in groups:
        labels = [net.match(e.step) for e in group]
        order = group
        if markings and 1 < len(group) <= _TIE_GROUP_MAX and None not in labels:
            found = _allowed_order(net, markings, list(zip(group, labels)))
            order = found if found is not None else group
        for event in order:
            label = net.match(event.step)
            if markings and label is not None:
                markings = net.step(markings, label)
        out.extend(order)
    return out


def _allowed_order(net, markings, items: list[tuple[Event, str]]) -> list[Event] | None:
    """An order of one day's steps that the process allows from `markings` (depth-first,
    the process's order tried first, at most _TIE_SEARCH orders)."""
    budget = [_TIE_SEARCH]

    def search(left: list[tuple[Event, str]], state) -> list[Event] | None:
        if not left:
            return []
        tried: set[str] = set()
        for i, (event, label) in enumerate(left):
            if label in tried or budget[0] <= 0:
                continue  # the same step twice on one day: either copy will do
            tried.add(label)
            budget[0] -= 1
            after = net.step(state, label)
            if after:
                rest = search(left[:i] + left[i + 1:], after)
                if rest is not None:
                    return [event, *rest]
        return None

    return search(items, markings)


def step_rank(net, step: str) -> int:
    """How many steps from the start the process reaches this step (unknown steps last)."""
    cache = net.__dict__.setdefault("_ranks", {})
    if step in cache:
        return cache[step]
    depths = net.__dict__.get("_depths")
    if depths is None:
        import networkx as nx

        starts = [n for n in net.graph.nodes if net.graph.in_degree(n) == 0] or list(net.graph.nodes)[:1]
        depths = net.__dict__["_depths"] = nx.multi_source_dijkstra_path_length(net.graph, starts, weight=lambda *_: 1) \
            if starts else {}
    label = net.match(step)
    node = net.labels.get(label) if label else None
    cache[step] = rank = depths.get(node, 1 << 20) if node is not None else 1 << 20
    return rank


def step_limit(net, label: str):
    """The limit of a step of the process (None: none, or the applicant's own time)."""
    cache = net.__dict__.setdefault("_limits", {})
    if label in cache:
        return cache[label]
    from ..timing import parse_limit

    node = net.labels.get(label)
    data = net.graph.nodes[node] if node is not None else {}
    text = data.get("limit")
    variant = None
    if text and "补正" not in label and not (data.get("post") or "").startswith("申请人"):
        limit = parse_limit(text)
        variant = limit.longest if limit else None
    cache[label] = variant
    return variant


def _deadlines(case: Case, outcome: Outcome, linked: Linked, settings: Settings, at) -> None:
    cal = settings.calendar
    accepted, decided = outcome.accepted, outcome.decided
    category = linked.category
    excluded_work = excluded_days = 0
    for s in case.suspensions:
        if s.end < s.start:
            at("case-date-order", "suspend_end", earlier_zh="中止开始日期", earlier=s.start.isoformat(),
               later_zh="中止结束日期", later=s.end.isoformat())
            continue
        work = cal.working_days_in(s.start, s.end)
        if is_excluded(s.reason):
            excluded_work += work
            excluded_days += (s.end - s.start).days + 1
        else:
            at("case-suspension-not-excluded", "suspend_reason", reason=s.reason or "（未填写）", days=work)
    extension = 0
    if case.extension_days:
        if not case.extension_approval:
            at("case-extension-unapproved", "extension_days", days=case.extension_days)
        else:
            extension = int(case.extension_days)
            cap = EXTENSION_CAP.get(category)
            if cap is not None and extension > cap:
                at("case-extension-over-cap", "extension_days", days=case.extension_days, cap=cap)
                extension = cap
    dues = []
    for which, variant, work, source_law, shown_which, shown in _limits_of(linked):
        due = due_date(cal, accepted, variant, category,
                       extra_workdays=(excluded_work + extension) if work else 0,
                       extra_days=0 if work else excluded_days + extension, source_law=source_law)
        dues.append((shown_which, shown, due))
    if not dues:
        return
    excluded_note = f"（已扣除法定不计入期限 {excluded_work} 个工作日）" if excluded_work else ""
    extension_note = f"（含批准延期 {extension} 个工作日）" if extension else ""
    first_which, _v, first_due = dues[0]
    if decided is not None:
        outcome.used = cal.between(accepted, decided) - excluded_work
        outcome.allowed = cal.between(accepted, first_due) - excluded_work
        outcome.on_time = decided <= first_due
        late_statutory = False
        for which, variant, due in reversed(dues):  # statutory first
            if decided <= due:
                continue
            if which.startswith("法定时限"):
                late_statutory = True
                at("case-over-statutory", "decided", limit=str(variant), due=due.isoformat(), decided=decided.isoformat(),
                   detail=excluded_note + extension_note)
            elif not late_statutory:
                at("case-over-promised", "decided", used=outcome.used, limit=str(variant), due=due.isoformat(),
                   decided=decided.isoformat(), detail=excluded_note + extension_note)
        return
    # an open case
    as_of = settings.as_of
    nearest = min(dues, key=lambda d: d[2])
    outcome.due = nearest[2]
    overdue = [d for d in reversed(dues) if as_of > d[2]]
    if overdue:
        which, variant, due = overdue[0]
        at("case-open-overdue", "accepted", which=which, limit=str(variant), due=due.isoformat(), as_of=as_of.isoformat())
        return
    which, variant, due = nearest
    left = cal.between(as_of, due)
    if left <= settings.due_within:
        at("case-due-soon", "accepted", which=which, left=left, due=due.isoformat())


def _limits_of(linked: Linked) -> tuple:
    """The power's promised and statutory limits as `_deadlines` counts them: (which, variant,
    counted in working days, the law that states it, which and limit as messages say them).
    Worked out once per power (kept on the Linked, like its process net)."""
    found = linked.__dict__.get("_limits_of")
    if found is None:
        limits = []
        derived = linked.derived  # the list gives no 法定时限: the law's, said as derived in every message
        for which, variant in (("承诺时限", linked.promised_variant), ("法定时限", linked.statutory_variant)):
            if variant is None:
                continue
            variant = canonical(variant)
            source_law = derived.law if derived is not None and which == "法定时限" else None
            work = days_are_workdays(variant, linked.category, source_law)
            if source_law is not None:
                limits.append((which, variant, work, source_law, "法定时限（据法律推定）", _Shown(variant, derived.display)))
            else:
                limits.append((which, variant, work, source_law, which, variant))
        found = linked.__dict__["_limits_of"] = tuple(limits)
    return found


class _Shown:
    """A derived limit in messages: its display ("90日（依《行政处罚法》第六十条…据法律推定…）")."""

    def __init__(self, variant, text: str):
        self.variant, self.text = variant, text

    def __str__(self) -> str:
        return self.text


def _service_and_disclosure(case: Case, outcome: Outcome, linked: Linked, settings: Settings, at,
                            service_due: bool) -> None:
    cal, decided, as_of = settings.calendar, outcome.decided, settings.as_of
    days = SERVICE_DAYS.get(linked.category)
    if days is not None and service_due:
        due = cal.add(decided, days)
        if outcome.served is not None and outcome.served > due:
            at("case-service-late", "served", decided=decided.isoformat(), due=due.isoformat(), limit=days,
               detail=f"实际 {outcome.served.isoformat()} 送达（第 {cal.between(decided, outcome.served)} 个工作日）")
        elif outcome.served is None and as_of > due:
            at("case-service-late", "served", decided=decided.isoformat(), due=due.isoformat(), limit=days,
               detail=f"截至 {as_of.isoformat()} 尚未送达")
    if linked.withheld or outcome.disclosure != ACTIVE:
        return  # not disclosed on the unit's initiative: no disclosure deadline
    days = disclosure_days(linked.category)
    due = cal.add(decided, days)
    kind = linked.category if days == 7 else "行政执法"
    if outcome.disclosed is not None and outcome.disclosed > due:
        at("case-disclosure-late", "disclosed", kind=kind, limit=days, due=due.isoformat(),
           detail=f"实际 {outcome.disclosed.isoformat()} 公开（第 {cal.between(decided, outcome.disclosed)} 个工作日）")
    elif outcome.disclosed is None and "disclosed" in case.columns and as_of > due:
        at("case-disclosure-late", "disclosed", kind=kind, limit=days, due=due.isoformat(),
           detail=f"截至 {as_of.isoformat()} 尚未公开")
