"""One outcome per power from every office's decision.

- The list under review (`--list`) is the reference; without it, the first copy of each
  agency is. Every returned copy of that agency is matched to it (`matching`).
- Decisions agree when they say the same, or when they all keep the power: 保留, 调整 and
  转备案 combine (the power stays, its adjusted fields are taken, and it is withheld if any
  office filed it). Keeping against removing (取消 / 合并 / 下放), or two ways of removing,
  is a conflict: the power stays as it was (withheld if any office filed it: disclosure
  fails closed) until the leading office settles it.
- A power no office decided stays as it was, and is reported.
- 转备案 needs a lawful reason (国家秘密 / 商业秘密 / 个人隐私) and its basis, taken from the
  copy's 不予公开理由 cell, else from 审核意见.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..check.findings import RULES, Finding
from ..compare import normalise
from ..ingest.template import POWER_COLUMNS
from ..model import Power, WorkbookFile
from .decisions import ADJUST, CONCLUSIONS, FILE, KEEP, REMOVING
from .matching import match
from .returned import Decision, ReturnedCopy

_LABELS = {field_name: header for header, field_name, _width, _note in POWER_COLUMNS}
_LAWFUL = re.compile(r"国家秘密|商业秘密|个人隐私")
_BASIS = re.compile(r"《[^》]+》|第[一二三四五六七八九十百千零〇两\d]+条|〔\d{4}〕|\[\d{4}\]|定密|密级")
# the fields an office may change by deciding 调整 (everything the template carries)
ADJUSTABLE = ("code", "name", "sub_name", "category", "basis", "agency", "office", "level", "statutory_limit",
              "promised_limit", "fee", "disclosure", "disclosure_scope", "disclosure_time", "exemption", "conditions",
              "rights", "complaint", "duty", "accountability", "remark")


@dataclass
class Outcome:
    power: Power  # as in the list under review
    agency: str
    decisions: list[Decision]  # the offices' readable decisions, in the order the copies were given
    conclusion: str | None  # the agreed conclusion; None when undecided or in conflict
    withheld: bool = False  # goes into the confirmed list as 不予公开
    reason: str | None = None  # the 不予公开 reason when withheld by the review
    filed_by_review: bool = False  # turned to 备案 by an office (not withheld already)
    conflict: bool = False
    confirmed: Power | None = None  # as it goes into the confirmed list; None when removed

    @property
    def pending(self) -> bool:
        return self.conclusion is None

    @property
    def removed(self) -> bool:
        return self.confirmed is None


@dataclass
class Group:
    """One list under review and the copies returned for it."""

    base: WorkbookFile
    agency: str
    copies: list[ReturnedCopy] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    moved: dict[str, int] = field(default_factory=dict)  # office → rows found at another position


def where(power: Power) -> str:
    name = power.source.file.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name}“{power.source.sheet}”第 {power.source.row} 行"


def _finding(code: str, power: Power, column: str | None, field_name: str | None, **values) -> Finding:
    rule = RULES[code]
    return Finding(code, rule.severity, power.source.file, power.source.sheet, power.source.row, column,
                   field_name, power.title, rule.template.format(**values))


def group_copies(copies: list[ReturnedCopy], lists: list[WorkbookFile] | None,
                 findings: list[Finding]) -> list[Group]:
    """Copies to the list each answers to: by agency (and, when one agency has several
    lists, by the list's file name at the start of the copy's)."""
    groups: list[Group] = []
    if lists is not None:
        for base in lists:
            if base.error is None:
                groups.append(Group(base, base.agency.name or Path(base.path).stem))
    for copy in copies:
        if copy.file.error is not None:
            continue
        key = normalise(copy.agency)
        candidates = [g for g in groups if normalise(g.agency) == key]
        if copy.snapshot is not None and lists is None:  # two lists of one agency stay apart
            candidates = [g for g in candidates if Path(g.base.path).name == Path(copy.snapshot.path).name]
        if len(candidates) > 1:
            sent = Path(copy.snapshot.path).stem if copy.snapshot else Path(copy.path).name
            candidates = [g for g in candidates if sent.startswith(Path(g.base.path).stem)] or candidates[:1]
        if candidates:
            candidates[0].copies.append(copy)
        elif lists is None:
            # the list as sent, from the copy's snapshot; else the copy itself
            base = copy.snapshot or replace(copy.file, powers=list(copy.file.powers))
            groups.append(Group(base, copy.agency, [copy]))
        else:
            findings.append(Finding("review-no-list", RULES["review-no-list"].severity, copy.path, None, None, None,
                                    None, None, RULES["review-no-list"].template.format(agency=copy.agency)))
    return groups


def reconcile(group: Group, findings: list[Finding]) -> None:
    base = group.base.powers
    per_power: list[list[Decision]] = [[] for _ in base]
    for copy in group.copies:
        for sheet in copy.sheets_without_columns:
            header = next((s.header_row for s in copy.file.sheets if s.name == sheet), None)
            findings.append(Finding("review-no-decision-columns", RULES["review-no-decision-columns"].severity,
                                    copy.path, sheet, header, None, None, None,
                                    RULES["review-no-decision-columns"].template.format(sheet=sheet)))
        matched = match(base, copy.decisions)
        group.moved[copy.office] = group.moved.get(copy.office, 0) + matched.moved
        for decision in matched.unmatched:
            if decision.conclusion is not None:
                findings.append(_finding("review-row-unmatched", decision.power, decision.columns.get("review_conclusion"),
                                         "review_conclusion", office=decision.office, title=decision.power.title))
        if copy.decisions:  # a copy with no readable decision columns is reported above
            name = Path(copy.path).name
            for i in matched.missing:
                findings.append(_finding("review-power-missing", base[i], None, None, office=copy.office, copy=name))
        for i, decision in matched.decisions.items():
            if decision.conclusion is None:
                continue
            if decision.conclusion not in CONCLUSIONS:
                findings.append(_finding("review-conclusion-unknown", decision.power,
                                         decision.columns.get("review_conclusion"), "review_conclusion",
                                         value=decision.raw_conclusion or decision.conclusion))
                continue
            per_power[i].append(decision)
    offices = "、".join(dict.fromkeys(c.office for c in group.copies)) or "无"
    group.outcomes = [_outcome(power, group.agency, decisions, offices, findings)
                      for power, decisions in zip(base, per_power)]


def _outcome(power: Power, agency: str, decisions: list[Decision], offices: str, findings: list[Finding]) -> Outcome:
    outcome = Outcome(power, agency, decisions, None)
    kinds = list(dict.fromkeys(d.conclusion for d in decisions))
    removals = [k for k in kinds if k in REMOVING]
    keeps = [k for k in kinds if k not in REMOVING]
    filing = [d for d in decisions if d.conclusion == FILE]
    for decision in filing:
        _check_reason(decision, findings)
    confirmed = replace(power)
    if not kinds:
        findings.append(_finding("review-undecided", power, None, None, offices=offices))
    elif removals and (keeps or len(removals) > 1):
        outcome.conflict = True
        detail = "；".join(f"{d.office}：{d.conclusion}（{d.where}）" for d in decisions)
        findings.append(_finding("review-conflict", power, None, None, detail=detail,
                                 outcome="不予公开并保留" if filing else "保留"))
    elif removals:
        outcome.conclusion = removals[0]
        outcome.confirmed = None
        return outcome
    else:
        outcome.conclusion = FILE if filing else ADJUST if ADJUST in kinds else KEEP
        if ADJUST in kinds:
            confirmed = _adjusted(power, [d for d in decisions if d.conclusion == ADJUST], findings)
            if confirmed is None:  # offices adjusted the same field differently
                outcome.conclusion, outcome.conflict, confirmed = None, True, replace(power)
    if filing and not power.is_withheld:
        reasons = [_reason(d) for d in filing]
        outcome.reason = next((r for r in reasons if r), None)
        confirmed.disclosure = "不予公开"
        confirmed.exemption = outcome.reason or "（未写明理由）"
        outcome.filed_by_review = True
    # set explicitly (fail closed), not read back from `confirmed`, whose disclosure status
    # the reader may have settled before the office's decision; `run` then takes the
    # confirmed list as read back
    outcome.withheld = outcome.filed_by_review or power.is_withheld or confirmed.is_withheld
    outcome.confirmed = confirmed
    return outcome


def _adjusted(power: Power, adjusting: list[Decision], findings: list[Finding]) -> Power | None:
    result = replace(power)
    set_by: dict[str, Decision] = {}
    for decision in adjusting:
        for key in ADJUSTABLE:
            after = getattr(decision.power, key)
            if normalise(after) == normalise(getattr(power, key)):
                continue
            first = set_by.get(key)
            if first is not None and normalise(getattr(first.power, key)) != normalise(after):
                detail = (f"{first.office}与{decision.office}对{_LABELS.get(key, key)}作了不同调整："
                          f"{first.where}、{decision.where}")
                findings.append(_finding("review-conflict", power, power.columns.get(key), key, detail=detail,
                                         outcome="原样保留"))
                return None
            set_by[key] = decision
            setattr(result, key, after)
    return result


def _reason(decision: Decision) -> str | None:
    return decision.power.exemption or decision.opinion


def _check_reason(decision: Decision, findings: list[Finding]) -> None:
    reason = _reason(decision)
    column = decision.columns.get("review_opinion")
    if not reason:
        findings.append(_finding("review-withhold-no-reason", decision.power, column, "review_opinion",
                                 office=decision.office))
    elif not _LAWFUL.search(reason):
        findings.append(_finding("review-withhold-reason-unlawful", decision.power, column, "review_opinion",
                                 office=decision.office, reason=_short(reason)))
    elif not _BASIS.search(reason):
        findings.append(_finding("review-withhold-no-basis", decision.power, column, "review_opinion",
                                 office=decision.office, reason=_short(reason)))


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
