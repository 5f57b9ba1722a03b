"""The confirmed list (确认清单): per agency, the powers the review keeps, in the standard
template, ready for `powercat list` and `powercat build`. Powers turned to 备案 are written
with 公开方式 = 不予公开 and the reason in 不予公开理由, so every later stage withholds them;
the decision columns carry the agreed conclusion and each office's opinion."""

from __future__ import annotations

import os
from pathlib import Path

from ..disclosure import WITHHELD, classify, read_value, withholding_context
from ..ingest.template import EXTRA_POWER_COLUMNS, POWER_COLUMNS, STEP_COLUMNS, write_workbook
from ..model import Power
from .reconcile import Group, Outcome

_POWER_FIELDS = [f for _h, f, _w, _n in POWER_COLUMNS if not f.startswith("review_")]
_STEP_FIELDS = [f for _h, f, _w, _n in STEP_COLUMNS]


def _row(outcome: Outcome) -> dict[str, str | None]:
    power: Power = outcome.confirmed
    row = {f: getattr(power, f) for f in _POWER_FIELDS}
    row["category"] = power.category
    notes = _state_status(outcome, row)
    decisions = outcome.decisions
    # a pending power keeps an empty 审核结论, so the next round of review sees it undecided
    row["review_conclusion"] = outcome.conclusion
    pending = ["【待定：各审核单位结论冲突】" if outcome.conflict else "【待定：未作审核结论】"] if outcome.pending else []
    row["review_opinion"] = "\n".join(pending + notes + [f"{d.office}：{d.conclusion}" + (f"，{d.opinion}" if d.opinion else "")
                                                         for d in decisions]) or None
    row["review_office"] = "、".join(dict.fromkeys(d.office for d in decisions if d.office)) or None
    row["review_reviewer"] = "、".join(dict.fromkeys(d.reviewer for d in decisions if d.reviewer)) or None
    row["review_date"] = max((d.date for d in decisions if d.date), default=None)
    return row


def _state_status(outcome: Outcome, row: dict[str, str | None]) -> list[str]:
    """Writes the disclosure the review settled into 公开方式 itself when the power's own
    cells do not say it: a power withheld by the list's structure (a 不予公开 sheet, a section
    heading, another row of its block, its parent 事项) or by an office must read as withheld
    from the confirmed list alone, which has no such structure. Returns a note for 审核意见."""
    power: Power = outcome.confirmed
    status = WITHHELD if outcome.withheld else power.status
    # withheld is written in 公开方式 itself, not left to a contradiction between the cells
    said_status = read_value(row["disclosure"]) if status == WITHHELD else classify(row["disclosure"], row["exemption"]).status
    if said_status == status:
        return []
    said = row["disclosure"]
    row["disclosure"] = status
    if status != WITHHELD:
        return [f"【公开方式按原清单写明为“{status}”（原填“{said or '空'}”）】"]
    where = (f"列于“{power.source.sheet}”工作表" if withholding_context(outcome.power.source.sheet)
             else "所在分节标题、同一事项的其他行或所属事项标注为不予公开")
    return [f"【原清单{where}，确认清单写明为不予公开（原填“{said or '空'}”）】"]


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
    # fields the standard template has no column for (权限划分, 责任事项依据 …) are kept under
    # headers the reader maps back, as a pre-filled copy keeps them (prefill.py)
    extra = [column for column in EXTRA_POWER_COLUMNS if any(getattr(o.confirmed, column[1]) for o in kept)]
    rows = []
    for outcome in kept:
        row = _row(outcome)
        row.update({key: getattr(outcome.confirmed, key) for _h, key, _w, _n in extra})
        rows.append(row)
    write_workbook(target, info, rows, steps, power_columns=[*POWER_COLUMNS, *extra])
    return kept
