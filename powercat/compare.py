"""What changed between two versions of the power lists (`powercat diff`).

Matching, in order: the same 职权编码; the same agency, category and normalised name (and
子项); the same agency and name with another category; then renames: the most similar
remaining title within the agency (rapidfuzz, ≥ 85). What is left is added or removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .fields import labels
from .model import Catalogue, Power

COMPARED = list(labels("name", "sub_name", "category", "code", "basis", "agency", "office", "level", "authority",
                       "statutory_limit", "promised_limit", "fee", "disclosure", "exemption").items())
RENAME_THRESHOLD = 85
_PUNCT = re.compile(r"[\s，。、；：,.;:（）()《》〈〉“”\"'‘’【】\[\]—…·]")


def normalise(text: str | None) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text or "")).lower()


@dataclass
class Change:
    field: str
    label: str
    before: str | None
    after: str | None


@dataclass
class Pair:
    old: Power
    new: Power
    old_agency: str
    new_agency: str
    how: str  # code / name / name-category / rename
    similarity: int = 100
    changes: list[Change] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        return normalise(self.old.title) != normalise(self.new.title)


@dataclass
class Diff:
    added: list[tuple[str, Power]]
    removed: list[tuple[str, Power]]
    pairs: list[Pair]

    @property
    def renamed(self) -> list[Pair]:
        return [p for p in self.pairs if p.renamed]

    @property
    def changed(self) -> list[Pair]:
        return [p for p in self.pairs if not p.renamed and p.changes]

    @property
    def unchanged(self) -> list[Pair]:
        return [p for p in self.pairs if not p.renamed and not p.changes]


def _entries(catalogue: Catalogue) -> list[tuple[str, Power]]:
    out = []
    for f in catalogue.files:
        agency = f.agency.name or f.path
        out.extend((agency, p) for p in f.powers)
    return out


def diff(old: Catalogue, new: Catalogue) -> Diff:
    olds, news = _entries(old), _entries(new)
    left = list(range(len(olds)))
    right = list(range(len(news)))
    pairs: list[Pair] = []

    def match(key, how: str) -> None:
        nonlocal left, right
        index: dict = {}
        for j in right:
            k = key(*news[j])
            if k is not None:
                index.setdefault(k, []).append(j)
        kept_left = []
        taken = set()
        for i in left:
            k = key(*olds[i])
            candidates = [j for j in index.get(k, []) if j not in taken] if k is not None else []
            if candidates:
                j = candidates[0]  # same-named items pair up in list order
                taken.add(j)
                pairs.append(Pair(olds[i][1], news[j][1], olds[i][0], news[j][0], how))
            else:
                kept_left.append(i)
        left = kept_left
        right = [j for j in right if j not in taken]

    match(lambda agency, p: p.code or None, "code")
    match(lambda agency, p: (normalise(agency), p.category, normalise(p.name), normalise(p.sub_name)), "name")
    match(lambda agency, p: (normalise(agency), normalise(p.name), normalise(p.sub_name)), "name-category")
    # renames: best similarity first, within one agency
    scored = []
    for i in left:
        a_agency, a = olds[i]
        for j in right:
            b_agency, b = news[j]
            if normalise(a_agency) != normalise(b_agency):
                continue
            score = int(fuzz.ratio(normalise(a.title), normalise(b.title)))
            if score >= RENAME_THRESHOLD:
                scored.append((-score, i, j))
    used_i, used_j = set(), set()
    for negative, i, j in sorted(scored):
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        pairs.append(Pair(olds[i][1], news[j][1], olds[i][0], news[j][0], "rename", -negative))
    for pair in pairs:
        pair.changes = _changes(pair.old, pair.new)
    pairs.sort(key=lambda p: (p.new.source.file, p.new.source.sheet, p.new.source.row))
    removed = [olds[i] for i in left if i not in used_i]
    added = [news[j] for j in right if j not in used_j]
    return Diff(added, removed, pairs)


def _changes(old: Power, new: Power) -> list[Change]:
    changes = []
    for key, label in COMPARED:
        before, after = getattr(old, key), getattr(new, key)
        if normalise(before) != normalise(after):
            changes.append(Change(key, label, before, after))
    return changes


def unusable_side(catalogue: Catalogue) -> str | None:
    """Why one side of a diff cannot be compared at all (then every power of the other side
    would read as 新增 or 取消), or None."""
    if not catalogue.files:
        return "不存在，或其中没有工作簿（.xlsx .xls .csv）"
    if len(catalogue.unreadable) == len(catalogue.files):
        return f"中的 {len(catalogue.files)} 个文件全部无法读取"
    if not catalogue.powers:
        return "中没有读到任何事项"
    return None


def _identities(agency: str, power: Power) -> set[tuple]:
    """The keys one power is known by: agency + code, agency + name + 子项. Two records
    sharing any key are the same power. (Not the code alone: lists that number their powers
    1, 2, 3 would tie unrelated agencies together.)"""
    keys: set[tuple] = {("name", normalise(agency), normalise(power.name), normalise(power.sub_name))}
    if power.code and normalise(power.code):
        keys.add(("code", normalise(agency), normalise(power.code)))
    return keys


def withheld_identities(d: Diff) -> set[tuple]:
    """Every key of every power that any record, on either side, withholds: disclosure is
    decided per power, not per record, so one 不予公开 record withholds all records of it."""
    keys: set[tuple] = set()
    entries = [*d.added, *d.removed, *((p.old_agency, p.old) for p in d.pairs),
               *((p.new_agency, p.new) for p in d.pairs)]
    for agency, power in entries:
        if power.is_withheld:
            keys |= _identities(agency, power)
    return keys


def publishable(d: Diff) -> tuple[Diff, int]:
    """The diff without any withheld power on either side (its name, code and reason stay
    internal), and how many entries were left out. A power is withheld when any of its
    records on either side is (`withheld_identities`). A power that turned 不予公开 leaves the
    public table; only the count says that something did."""
    hidden = withheld_identities(d)

    def withheld(agency: str, power: Power) -> bool:
        return power.is_withheld or bool(_identities(agency, power) & hidden)

    def pair_withheld(pair: Pair) -> bool:
        return withheld(pair.old_agency, pair.old) or withheld(pair.new_agency, pair.new)

    added = [(a, p) for a, p in d.added if not withheld(a, p)]
    removed = [(a, p) for a, p in d.removed if not withheld(a, p)]
    pairs = [pair for pair in d.pairs if not pair_withheld(pair)]
    left_out = len(d.added) - len(added) + len(d.removed) - len(removed) + sum(
        1 for pair in d.pairs if pair_withheld(pair) and (pair.renamed or pair.changes))
    return Diff(added, removed, pairs), left_out


def diff_json(d: Diff) -> dict:
    def power(agency: str, p: Power) -> dict:
        return {"agency": agency, "name": p.name, "sub_name": p.sub_name, "code": p.code, "category": p.category,
                "file": p.source.file, "sheet": p.source.sheet, "row": p.source.row}

    def pair(p: Pair) -> dict:
        return {"old": power(p.old_agency, p.old), "new": power(p.new_agency, p.new), "matched_by": p.how,
                "similarity": p.similarity,
                "changes": [{"field": c.field, "label": c.label, "before": c.before, "after": c.after} for c in p.changes]}

    return {
        "summary": {"added": len(d.added), "removed": len(d.removed), "renamed": len(d.renamed),
                    "changed": len(d.changed), "unchanged": len(d.unchanged)},
        "added": [power(a, p) for a, p in d.added],
        "removed": [power(a, p) for a, p in d.removed],
        "renamed": [pair(p) for p in d.renamed],
        "changed": [pair(p) for p in d.changed],
    }
