"""No power vanishes: every power of every list under review ends in exactly one place —
kept in a confirmed list (public, or withheld and in the filing register) or removed
(取消 / 合并 / 下放) — or it carries a finding saying where it went astray."""

from __future__ import annotations

from ..check.findings import Finding, Place, finding
from .reconcile import Group


def unplaced(group: Group, confirmed_at: dict[int, object], registered: set[int]) -> list[Finding]:
    """`confirmed_at`: outcome id → the power read back from the confirmed list;
    `registered`: ids of the outcomes written into the filing register."""
    findings = []
    outcomes = {id(o.power): o for o in group.outcomes}
    for power in group.base.powers:
        o = outcomes.get(id(power))
        if o is None:
            detail = "审核结果中没有此事项"
        elif (id(o) in confirmed_at) == o.removed:
            detail = "既在确认清单中又被取消" if o.removed else "既不在确认清单中也未被取消"
        elif o.withheld and id(o) not in registered:
            detail = "不予公开，但未列入备案登记表"
        else:
            continue
        findings.append(finding("review-power-lost", Place.of(power.source, power=power.title), detail=detail))
    return findings
