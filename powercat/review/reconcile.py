"""One outcome per power from every office's decision.

- The list under review (`--list`) is the reference; without it, the snapshot of the list
  as sent that each annotated copy carries (an intact one where several copies differ).
  Every returned copy of that agency is matched to it (`matching`); a copy whose snapshot
  was deleted joins by agency or content, or is not used at all.
- Decisions agree when they say the same, or when they all keep the power: 保留, 调整 and
  转备案 combine (the power stays, its adjusted fields are taken, and it is withheld if any
  office filed it). Keeping against removing (取消 / 合并 / 下放), or two ways of removing,
  is a conflict: the power stays as it was (withheld if any office filed it: disclosure
  fails closed) until the leading office settles it.
- A power no office decided stays as it was, and is reported.
- Withheld is withheld whatever the decision: by the list (its cells or its structure), by
  an office's copy, by a conclusion that cannot be read, or by an opinion speaking of secrecy.
- 转备案 needs a lawful reason (国家秘密 / 商业秘密 / 个人隐私) and its basis, taken from the
  copy's 不予公开理由 cell, else from 审核意见.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..check.findings import Finding, Place, finding
from ..compare import normalise
from ..disclosure import WITHHELD, classify, has_reason, identity_keys
from ..fields import label
from ..ingest.agency import agency_from_text
from ..model import Power, WorkbookFile
from ..text_forms import position, shorten
from ..ingest.decisions import ADJUST, CONCLUSIONS, FILE, KEEP, REMOVING, mentions_withholding
from .matching import match
from .returned import Decision, ReturnedCopy

_LAWFUL = re.compile(r"国家秘密|商业秘密|个人隐私")
_BASIS = re.compile(r"《[^》]+》|第[一二三四五六七八九十百千零〇两\d]+条|〔\d{4}〕|\[\d{4}\]|定密|密级")
# the fields an office may change by deciding 调整 (everything the template carries)
ADJUSTABLE = ("code", "name", "sub_name", "category", "basis", "agency", "office", "level", "authority", "statutory_limit",
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
    unreadable: bool = False  # an office's conclusion could not be read: withheld until settled
    # the rows where an office left the conclusion blank (where to look when it is undecided)
    blank: list[Decision] = field(default_factory=list)

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
    damaged: list[int] = field(default_factory=list)  # unreadable rows of the snapshot taken as the base
    deleted: int = 0  # rows deleted from the snapshot taken as the base


def where(power: Power) -> str:
    return position(power.source.file, power.source.sheet, power.source.row)


def _finding(code: str, power: Power, column: str | None, field_name: str | None, **values) -> Finding:
    return finding(code, Place.of(power.source, column, power.title), field_name, **values)


def group_copies(copies: list[ReturnedCopy], lists: list[WorkbookFile] | None,
                 findings: list[Finding]) -> list[Group]:
    """Copies to the list each answers to: by agency (and, when one agency has several
    lists, by the list's file name at the start of the copy's). A copy whose snapshot was
    deleted joins the list of its agency, else the list sharing its 职权编码 (or names), with
    a warning; with no list to join, nothing of it is used (fail closed)."""
    _tell_offices(copies, findings)
    groups: list[Group] = []
    if lists is not None:
        for base in lists:
            if base.error is None:
                groups.append(Group(base, base.agency.name or Path(base.path).stem))
    readable = [c for c in copies if c.file.error is None]
    for copy in readable:
        _drop_foreign_snapshot(copy, findings)
    # copies carrying their snapshot first, so a copy without one finds its list already there
    for copy in sorted(readable, key=lambda c: c.snapshot is None):
        if copy.snapshot is None:
            _join_without_snapshot(copy, groups, findings, with_lists=lists is not None)
            continue
        key = normalise(copy.agency)
        candidates = [g for g in groups if normalise(g.agency) == key]
        if lists is None:  # two lists of one agency stay apart
            candidates = [g for g in candidates if Path(g.base.path).name == Path(copy.snapshot.path).name]
        if len(candidates) > 1:
            sent = Path(copy.snapshot.path).stem
            candidates = [g for g in candidates if sent.startswith(Path(g.base.path).stem)] or candidates[:1]
        if lists is None and copy.snapshot_old:
            findings.append(finding("review-snapshot-old", copy.path, office=copy.office))
        if candidates:
            group = candidates[0]
            group.copies.append(copy)
            if lists is None:
                whole = not copy.snapshot_damaged and not copy.snapshot_deleted
                if (group.damaged or group.deleted) and whole:  # another office's snapshot is whole: take it
                    group.base, group.damaged, group.deleted, other = copy.snapshot, [], 0, group.base
                    _merge_snapshot(group, other, group.copies[0].office, findings)
                else:
                    _merge_snapshot(group, copy.snapshot, copy.office, findings)
        elif lists is None:
            groups.append(Group(copy.snapshot, copy.agency, [copy], damaged=list(copy.snapshot_damaged),
                                deleted=copy.snapshot_deleted))
        else:
            findings.append(finding("review-no-list", copy.path, agency=copy.agency))
    return groups


def _drop_foreign_snapshot(copy: ReturnedCopy, findings: list[Finding]) -> None:
    """A snapshot most of whose copy's rows it does not hold is another list's (an office
    pasted the hidden sheet of another copy): the copy is then read as having none, so its
    own powers are not lost behind a list they do not belong to."""
    if copy.snapshot is None or not copy.decisions:
        return
    matched = match(copy.snapshot.powers, copy.decisions)
    if len(matched.unmatched) <= len(matched.decisions):
        return
    findings.append(finding("review-snapshot-foreign", copy.path, sent=Path(copy.snapshot.path).name,
                            count=len(matched.unmatched), total=len(copy.decisions)))
    copy.snapshot, copy.snapshot_damaged, copy.snapshot_deleted = None, [], 0


def _merge_snapshot(group: Group, other: WorkbookFile, office: str, findings: list[Finding]) -> None:
    """Two copies of one list whose snapshots differ (a copy from an earlier round, another
    list of the same file name): nothing is lost and the strictest wins. A power missing from
    either snapshot, or withheld in one, is withheld in the base, with a finding."""
    if other is group.base:
        return
    base = group.base.powers = list(group.base.powers)
    matched = match(base, [Decision(p, None) for p in other.powers])

    def differs(i: int | None, power: Power, detail: str) -> None:
        withheld = replace(power, disclosure_status=WITHHELD)
        if i is None:
            base.append(withheld)
        else:
            base[i] = withheld
        findings.append(finding("review-snapshot-differs", Place.of(power.source, power=power.title),
                                office=office, detail=detail))

    for i, decision in matched.decisions.items():
        if decision.power.is_withheld and not base[i].is_withheld:
            differs(i, base[i], "此事项在一份底稿中为不予公开")
    for decision in matched.unmatched:
        differs(None, decision.power, "此事项只见于该副本的底稿")
    for i in matched.missing:
        if not base[i].is_withheld:
            differs(i, base[i], "此事项不见于该副本的底稿")


def _tell_offices(copies: list[ReturnedCopy], findings: list[Finding]) -> None:
    """An office is its 审核单位; a copy that gives none is an office of its own, told by
    its path (two copies named alike in two folders are two offices, not one)."""
    unnamed = [c for c in copies if not c.office_named and c.file.error is None and any(d.conclusion for d in c.decisions)]
    stems = [Path(c.path).stem for c in unnamed]
    named = {c.office for c in copies if c.office_named}
    for copy, stem in zip(unnamed, stems):
        if stems.count(stem) > 1 or stem in named:
            copy.office = f"{Path(copy.path).parent.name or '.'}/{stem}"
        for decision in copy.decisions:
            decision.office = decision.office if decision.office and decision.office != stem else copy.office
        findings.append(finding("review-office-unnamed", copy.path, office=copy.office))


def _codes(powers: list[Power]) -> set:
    return {normalise(p.code) for p in powers if p.code}


def _names(powers: list[Power]) -> set:
    return {(normalise(p.name), normalise(p.sub_name)) for p in powers}


def _join_without_snapshot(copy: ReturnedCopy, groups: list[Group], findings: list[Finding],
                           with_lists: bool = False) -> None:
    """By agency (the most shared powers among that agency's lists); else by 职权编码, which
    belong to one agency; else, when the copy names no agency of its own (an office renamed
    the file), by names. Two agencies with the same power names are never mixed."""
    codes, names = _codes(copy.file.powers), _names(copy.file.powers)

    def shared(g: Group) -> tuple[int, int]:
        return len(codes & _codes(g.base.powers)), len(names & _names(g.base.powers))

    by_agency = [g for g in groups if normalise(g.agency) == normalise(copy.agency)]
    best = max(groups, key=shared, default=None)
    group, how = None, ""
    if by_agency:
        group, how = max(by_agency, key=shared), "单位"
    elif best is not None and codes and shared(best)[0] * 2 >= len(codes):
        group, how = best, label("code")
    elif best is not None and names and shared(best)[1] * 2 >= len(names) and not agency_from_text(copy.agency):
        group, how = best, label("name")
    if group is None:
        code = "review-no-list" if with_lists else "review-copy-no-original"
        findings.append(finding(code, copy.path, agency=copy.agency, count=len(copy.file.powers)))
        return
    group.copies.append(copy)
    if with_lists and how == "单位":
        return  # the list given with --list is the reference: no snapshot needed
    findings.append(finding("review-snapshot-missing", copy.path, how=how, agency=group.agency,
                            list=Path(group.base.path).name))


def reconcile(group: Group, findings: list[Finding]) -> None:
    if group.damaged or group.deleted:
        _recover(group, findings)
    base = group.base.powers
    per_power: list[list[Decision]] = [[] for _ in base]
    blank: list[list[Decision]] = [[] for _ in base]
    said_withheld = [False] * len(base)  # a copy's own cells or structure withhold the power
    for copy in group.copies:
        for sheet in copy.sheets_without_columns:
            header = next((s.header_row for s in copy.file.sheets if s.name == sheet), None)
            findings.append(finding("review-no-decision-columns", Place(copy.path, sheet, header), sheet=sheet))
        if copy.snapshot is not None and copy.snapshot is not group.base:
            _snapshot_withholds(base, copy, said_withheld, findings)
        matched = match(base, copy.decisions)
        group.moved[copy.office] = group.moved.get(copy.office, 0) + matched.moved
        taken = list(matched.decisions.items())
        for decision in matched.unmatched:
            i = _same_power(base, decision.power)
            if i is not None and i in matched.decisions:
                # a second row of a power the copy already has (an office duplicated it): its
                # decision counts too, so a 转备案 or a 取消 written there is never dropped
                first = matched.decisions[i].power.source
                findings.append(_finding("review-row-duplicate", decision.power, decision.columns.get("review_conclusion"),
                                         "review_conclusion", office=decision.office, title=decision.power.title,
                                         sheet=first.sheet, row=first.row))
                taken.append((i, decision))
            elif decision.conclusion is not None:
                findings.append(_finding("review-row-unmatched", decision.power, decision.columns.get("review_conclusion"),
                                         "review_conclusion", office=decision.office, title=decision.power.title))
        if copy.decisions:  # a copy with no readable decision columns is reported above
            name = Path(copy.path).name
            for i in matched.missing:
                findings.append(_finding("review-power-missing", base[i], None, None, office=copy.office, copy=name))
        for i, decision in taken:
            said_withheld[i] = said_withheld[i] or decision.power.is_withheld
            if decision.withholding_note and not base[i].is_withheld:
                # a comment or an added 是否公开 column says withheld (the reader takes such a
                # column as a second 公开方式 and already withholds; the reviewer is told either way)
                findings.append(_finding("review-note-withholds", decision.power, None, None,
                                         office=decision.office, note=shorten(decision.withholding_note, 60)))
                said_withheld[i] = True
            already = base[i].is_withheld or decision.power.is_withheld  # then a mention changes nothing
            if decision.conclusion != FILE and mentions_withholding(decision.opinion) and not already:
                # an opinion that speaks of secrecy or withholding (under 保留, 取消 or no conclusion
                # at all): when in doubt the power is withheld (kept out of every publishable
                # table), and said so
                findings.append(_finding("review-opinion-withholds", decision.power,
                                         decision.columns.get("review_opinion"), "review_opinion",
                                         office=decision.office, conclusion=decision.raw_conclusion or "（空）",
                                         opinion=shorten(decision.opinion, 40)))
                said_withheld[i] = True
            if decision.conclusion is None:
                blank[i].append(decision)
                continue
            if decision.conclusion not in CONCLUSIONS:
                # fail closed: a conclusion nobody can read withholds the power until it is settled
                findings.append(_finding("review-conclusion-unknown", decision.power,
                                         decision.columns.get("review_conclusion"), "review_conclusion",
                                         value=decision.raw_conclusion or decision.conclusion))
                decision = replace(decision, conclusion=FILE, unreadable=True)
            if decision.conclusion == KEEP:
                _edits_not_applied(base[i], decision, findings)
            per_power[i].append(decision)
    offices = "、".join(dict.fromkeys(c.office for c in group.copies)) or "无"
    group.outcomes = [_outcome(power, group.agency, decisions, offices, findings, withheld)
                      for power, decisions, withheld in zip(base, per_power, said_withheld)]
    for outcome, left_blank in zip(group.outcomes, blank):
        outcome.blank = left_blank


def _snapshot_withholds(base: list[Power], copy: ReturnedCopy, said_withheld: list[bool],
                        findings: list[Finding]) -> None:
    """What the list as sent withheld stays withheld, whatever version --list gives: a power
    the copy's snapshot withholds is withheld, with a finding where the given list does not."""
    for i, decision in match(base, [Decision(p, None) for p in copy.snapshot.powers]).decisions.items():
        if decision.power.is_withheld and not base[i].is_withheld and not said_withheld[i]:
            said_withheld[i] = True
            power = base[i]
            findings.append(finding("review-list-differs", Place.of(power.source, power=power.title),
                                    office=copy.office))


def _same_power(base: list[Power], power: Power) -> int | None:
    """The power of the list a row names by its 职权编码, else by its name and 子项."""
    code = normalise(power.code)
    if code:
        found = [i for i, p in enumerate(base) if normalise(p.code) == code]
    else:
        key = (normalise(power.name), normalise(power.sub_name))
        found = [i for i, p in enumerate(base) if (normalise(p.name), normalise(p.sub_name)) == key]
    return found[0] if len(found) == 1 else None


def _identities(group: Group, o: Outcome) -> set:
    powers = [p for p in (o.power, o.confirmed) if p is not None]
    return set().union(*(identity_keys((group.agency, p.agency), p.code, p.name, p.sub_name) for p in powers))


def withhold_by_identity(groups: list[Group], findings: list[Finding]) -> None:
    """One power, one disclosure, across every list under review: an outcome sharing its agency
    and code, or agency, name and 子项, with a withheld one (in the same list or another list of
    the agency; before or after an office's 调整 renamed or recoded it) is withheld too, so the
    publishable 调整对照表 never names a withheld power under another row."""
    changed = True
    while changed:
        changed = False
        withheld = {}
        for group in groups:
            for o in group.outcomes:
                if o.withheld:
                    for key in _identities(group, o):
                        withheld.setdefault(key, o)
        for group in groups:
            for o in group.outcomes:
                by = None if o.withheld else next((withheld[k] for k in _identities(group, o) if k in withheld), None)
                if by is None:
                    continue
                o.withheld = changed = True
                if o.confirmed is not None:
                    o.confirmed.disclosure_status = WITHHELD
                findings.append(_finding("disclosure-withheld-elsewhere", o.power, None, "disclosure",
                                         value=f"{where(by.power)}“{by.power.title}”"))


def _recover(group: Group, findings: list[Finding]) -> None:
    """Rows of the snapshot were cut short: the powers of the copies that answer to no
    power of the snapshot are taken from the copy that holds them, each with a finding
    at its position, so that none vanishes; withheld, since what the list said of them
    cannot be told from an edited copy."""
    base = group.base.powers = list(group.base.powers)
    code = "review-snapshot-damaged" if group.damaged else "review-snapshot-deleted"
    rows = "、".join(str(r) for r in group.damaged[:5]) + ("等" if len(group.damaged) > 5 else "")
    for copy in group.copies:
        for decision in match(base, copy.decisions).unmatched:
            # what the list said of it is unknown: withheld until checked against the original
            power = replace(decision.power, disclosure_status=WITHHELD)
            base.append(power)
            findings.append(finding(code, Place.of(power.source, power=power.title), rows=rows, office=copy.office,
                                    count=group.deleted))


def _edits_not_applied(power: Power, decision: Decision, findings: list[Finding]) -> None:
    """An office that changed a cell but concluded 保留: the list stays as sent (保留 means
    "as it is"; changes need 调整), and the change is reported at its cell."""
    for key in ADJUSTABLE:
        before, after = getattr(power, key), getattr(decision.power, key)
        if not _edited(key, decision.power, before, after):
            continue
        findings.append(_finding("review-edit-not-applied", decision.power, decision.power.columns.get(key), key,
                                 office=decision.office, field=label(key),
                                 before=shorten(before or "（空）", 30), after=shorten(after or "（空）", 30)))


def _outcome(power: Power, agency: str, decisions: list[Decision], offices: str, findings: list[Finding],
             said_withheld: bool = False) -> Outcome:
    outcome = Outcome(power, agency, decisions, None)
    # withheld is withheld whatever the decision: by the list (its cells or its structure:
    # sheet, section, block rows, parent 事项) or by what an office's copy says
    structural = power.is_withheld or said_withheld
    outcome.unreadable = any(d.unreadable for d in decisions)
    kinds = list(dict.fromkeys(d.conclusion for d in decisions))
    removals = [k for k in kinds if k in REMOVING]
    keeps = [k for k in kinds if k not in REMOVING]
    filing = [d for d in decisions if d.conclusion == FILE]
    for decision in filing:
        if not decision.unreadable:
            _check_reason(decision, findings)
    confirmed = replace(power)
    if not kinds:
        findings.append(_finding("review-undecided", power, None, None, offices=offices))
    elif removals and (keeps or len(removals) > 1):
        outcome.conflict = True
        detail = "；".join(f"{d.office}：{d.conclusion}（{d.where}）" for d in decisions)
        findings.append(_finding("review-conflict", power, None, None, detail=detail,
                                 outcome="不予公开并保留" if filing or structural else "保留"))
    elif removals:
        outcome.conclusion = removals[0]
        outcome.confirmed = None
        outcome.withheld = structural  # left out of the publishable 调整对照表, kept in the filing register
        return outcome
    else:
        outcome.conclusion = FILE if filing else ADJUST if ADJUST in kinds else KEEP
        if ADJUST in kinds:
            confirmed = _adjusted(power, [d for d in decisions if d.conclusion == ADJUST], findings)
            if confirmed is None:  # offices adjusted the same field differently
                outcome.conclusion, outcome.conflict, confirmed = None, True, replace(power)
            elif structural and not classify(confirmed.disclosure, confirmed.exemption).status == WITHHELD:
                _unwithhold_refused(power, [d for d in decisions if d.conclusion == ADJUST], findings)
    if filing and not structural:
        reasons = [_reason(d) for d in filing if not d.unreadable]
        outcome.reason = next((r for r in reasons if r), None)
        confirmed.disclosure = "不予公开"
        if outcome.reason:
            confirmed.exemption = outcome.reason
        elif not confirmed.exemption:
            confirmed.exemption = "（审核结论无法识别，暂按不予公开处理）" if outcome.unreadable else "（未写明理由）"
        outcome.filed_by_review = True
    # set explicitly (fail closed), not read back from `confirmed`, whose disclosure status
    # the reader may have settled before the office's decision; `confirmed` then writes it
    # into 公开方式 so the confirmed list says it by itself
    outcome.withheld = outcome.filed_by_review or structural or confirmed.is_withheld
    if outcome.withheld:
        confirmed.disclosure_status = WITHHELD
        if not has_reason(confirmed.exemption):  # the reason a later row of the block gives, where known
            confirmed.exemption = next((d.block_reason for d in decisions if d.block_reason), confirmed.exemption)
    outcome.confirmed = confirmed
    return outcome


def _adjusted(power: Power, adjusting: list[Decision], findings: list[Finding]) -> Power | None:
    result = replace(power)
    set_by: dict[str, Decision] = {}
    for decision in adjusting:
        for key in ADJUSTABLE:
            after = getattr(decision.power, key)
            if not _edited(key, decision.power, getattr(power, key), after):
                continue
            first = set_by.get(key)
            if first is not None and normalise(getattr(first.power, key)) != normalise(after):
                detail = (f"{first.office}与{decision.office}对{label(key)}作了不同调整："
                          f"{first.where}、{decision.where}")
                findings.append(_finding("review-conflict", power, power.columns.get(key), key, detail=detail,
                                         outcome="原样保留"))
                return None
            set_by[key] = decision
            setattr(result, key, after)
    return result


def _unwithhold_refused(power: Power, adjusting: list[Decision], findings: list[Finding]) -> None:
    """An office adjusting a withheld power's 公开方式 to public: withheld stays withheld (the
    list, its structure or another office said so); the change is reported, not applied."""
    for decision in adjusting:
        if _edited("disclosure", decision.power, power.disclosure, decision.power.disclosure):
            findings.append(_finding("review-unwithhold-refused", decision.power, decision.power.columns.get("disclosure"),
                                     "disclosure", office=decision.office,
                                     after=shorten(decision.power.disclosure or "（空）", 30)))


def _edited(key: str, copy_power: Power, before: str | None, after: str | None) -> bool:
    """Whether the office changed this field in its copy. A field with no cell in the copy
    was not edited; nor was an empty 实施主体 cell, which the reader fills from the file
    name (each office names its copy differently)."""
    if key not in copy_power.columns or (key == "agency" and after is None):
        return False
    return normalise(after) != normalise(before)


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
                                 office=decision.office, reason=shorten(reason)))
    elif not _BASIS.search(reason):
        findings.append(_finding("review-withhold-no-basis", decision.power, column, "review_opinion",
                                 office=decision.office, reason=shorten(reason)))

