"""The confirmed list (确认清单): per agency, the powers the review keeps, in the standard
template, ready for `powercat list` and `powercat build`. Powers turned to 备案 are written
with 公开方式 = 不予公开 and the reason in 不予公开理由, so every later stage withholds them;
the decision columns carry the agreed conclusion and each office's opinion."""

from __future__ import annotations

import os
from pathlib import Path

from ..ingest.template import POWER_COLUMNS, STEP_COLUMNS, write_workbook
from ..model import Power
from .reconcile import Group, Outcome

_POWER_FIELDS = [f for _h, f, _w, _n in POWER_COLUMNS if not f.startswith("review_")]
_STEP_FIELDS = [f for _h, f, _w, _n in STEP_COLUMNS]


def _row(outcome: Outcome) -> dict[str, str | None]:
    power: Power = outcome.confirmed
    row = {f: getattr(power, f) for f in _POWER_FIELDS}
    row["category"] = power.category
    decisions = outcome.decisions
    row["review_conclusion"] = outcome.conclusion or ("待定（冲突）" if outcome.conflict else "待定（未审核）")
    row["review_opinion"] = "\n".join(f"{d.office}：{d.conclusion}" + (f"，{d.opinion}" if d.opinion else "")
                                      for d in decisions) or None
    row["review_office"] = "、".join(dict.fromkeys(d.office for d in decisions if d.office)) or None
    row["review_reviewer"] = "、".join(dict.fromkeys(d.reviewer for d in decisions if d.reviewer)) or None
    row["review_date"] = max((d.date for d in decisions if d.date), default=None)
    return row


def write_confirmed(group: Group, target: str | os.PathLike) -> list[Outcome]:
    """Writes the group's confirmed list; returns the outcomes written, in row order (row
    2 onwards of 职权目录)."""
    kept = [o for o in group.outcomes if o.confirmed is not None]
    agency = group.base.agency
    info = {"name": agency.name or group.agency, "credit_code": agency.credit_code, "region": agency.region,
            "version": agency.version, "published": agency.published, "phone": agency.phone}
    steps = []
    for outcome in kept:
        power = outcome.confirmed
        if not power.code:
            continue  # steps link to their power by code only
        for step in outcome.power.steps:
            values = {f: getattr(step, f) for f in _STEP_FIELDS}
            values["code"] = power.code
            steps.append(values)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    write_workbook(target, info, [_row(o) for o in kept], steps)
    return kept
