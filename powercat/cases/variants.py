"""What a variant (one sequence of steps of one power) gives every case that follows it.

A province's log has 150,000 cases but only a few thousand variants: cases of the same
power with the same steps share the replay verdict, the role of each step, which checks of
the procedure apply (告知, 法制审核, 听证), where the dates of acceptance, decision and
service come from and which steps have a limit to check. That is worked out once per
variant here; only what depends on a case's own dates is left to `checks.check_case`.
Memoised per power in a bounded table, as the replays are, so memory stays flat.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..timing import DAY, WORKDAY
from .conformance import Replay, replay
from .deadlines import canonical
from .memo import remember

_PLANS_KEPT = 8192  # per net (a net may serve several powers)
_DATED_ROLES = frozenset({"accept", "decision", "service"})


@dataclass(frozen=True, slots=True)
class Plan:
    result: Replay
    roles: tuple[str | None, ...]  # each step's role in the procedure (conformance.role)
    decision_at: int | None  # the first 决定 step
    notice_missing: bool  # a 处罚 decided with no 告知 before it (unless the result says 不予处罚)
    review_missing: bool  # a decision the power's 法制审核 step did not come before
    has_hearing: bool
    dated: tuple[tuple[int, str], ...]  # (index, role) of the steps whose dates stand for 受理/决定/送达
    # the first of those steps for each: the dates a case takes from its steps (None: no such step)
    accept_at: int | None
    decide_at: int | None
    serve_at: int | None
    limited: tuple[tuple[int, object, bool], ...]  # (index, the step's limit, limit in 工作日/日) to check
    service_due: bool  # a 送达 is due: a service step, or an unfinished path on a process that has one


def plan_of(linked, steps: tuple[str, ...], step_limit) -> Plan:
    """The plan of `steps` on `linked`'s process (`step_limit(net, label)`: checks.step_limit).
    Kept on the process net, by the power's category and the steps: powers with the same
    chart share a net (conformance.net_for), and a plan depends on nothing else of them."""
    net = linked.net
    plans = net.__dict__.get("_plans")
    if plans is None:
        plans = net.__dict__["_plans"] = {}
    key = (linked.category, steps)
    found = plans.get(key)
    if found is None:
        found = remember(plans, key, _plan(linked, steps, step_limit), _PLANS_KEPT)
    return found


def _plan(linked, steps: tuple[str, ...], step_limit) -> Plan:
    from ..model import Category

    net = linked.net
    result = replay(net, list(steps))
    labels = result.labels
    roles_of = net.roles
    roles = tuple(roles_of.get(label) for label in labels)
    decision_at = next((i for i, r in enumerate(roles) if r == "decision"), None)
    notice_missing = review_missing = False
    if decision_at is not None:
        before = set(roles[:decision_at])
        notice_missing = linked.category == Category.PENALTY.value and "notice" not in before
        review_missing = linked.has_legal_review and "review" not in before
    limited = []
    for i, label in enumerate(labels):
        variant = step_limit(net, label) if label else None
        if variant is not None:
            variant = canonical(variant)  # deadlines are memoised per distinct limit
            limited.append((i, variant, variant.unit in (WORKDAY, DAY)))
    first = {}
    for i, r in enumerate(roles):
        if r in _DATED_ROLES:
            first.setdefault(r, i)
    return Plan(result, roles, decision_at, notice_missing, review_missing, "hearing" in roles,
                tuple((i, r) for i, r in enumerate(roles) if r in _DATED_ROLES),
                first.get("accept"), first.get("decision"), first.get("service"), tuple(limited),
                "service" in roles or (not result.completed and linked.has_service_step))
