"""Pairing the rows of a returned copy with the powers of the list under review.

In order: the same 职权编码 and name; the same 职权编码; else the same sheet, name and 子项; else the same name and 子项
in any sheet; else (an office renaming a power it adjusts) the most similar title in the
same sheet, as `powercat diff` pairs renames. Where several powers qualify, the one with the same category and basis
wins, then the nearest row: an office may sort, move or insert rows, and same-named items
(common in real lists) still pair with their own power.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..compare import RENAME_THRESHOLD, normalise
from ..model import Power
from .returned import Decision


@dataclass
class Matched:
    decisions: dict[int, Decision] = field(default_factory=dict)  # base index → the copy's decision
    unmatched: list[Decision] = field(default_factory=list)  # rows of the copy no power answers to
    missing: list[int] = field(default_factory=list)  # base powers the copy no longer has
    moved: int = 0  # pairs whose row differs between the list and the copy


def _keys(power: Power):
    name, sub = normalise(power.name), normalise(power.sub_name)
    return (
        # code and name together first: a row whose code an office changed to another power's
        # must not take that power's place from the row that still is it
        (power.code, name, sub) if power.code else None,
        power.code or None,
        (power.source.sheet, name, sub),
        (name, sub),
    )


def match(base: list[Power], rows: list[Decision]) -> Matched:
    indexes: list[dict] = [defaultdict(list) for _ in range(4)]
    for i, power in enumerate(base):
        for index, key in zip(indexes, _keys(power)):
            if key is not None:
                index[key].append(i)
    taken: set[int] = set()
    result = Matched()
    left = list(range(len(rows)))
    for level, index in enumerate(indexes):
        still = []
        for j in left:
            copy_power = rows[j].power
            key = _keys(copy_power)[level]
            candidates = [i for i in index.get(key, ()) if i not in taken] if key is not None else []
            if not candidates:
                still.append(j)
                continue
            best = min(candidates, key=lambda i: _distance(base[i], copy_power))
            taken.add(best)
            result.decisions[best] = rows[j]
            if (base[best].source.sheet, base[best].source.row) != (copy_power.source.sheet, copy_power.source.row):
                result.moved += 1
        left = still
    # renames: best similarity first, within one sheet
    scored = []
    for j in left:
        title = normalise(rows[j].power.title)
        for i, power in enumerate(base):
            if i not in taken and power.source.sheet == rows[j].power.source.sheet:
                score = fuzz.ratio(title, normalise(power.title))
                if score >= RENAME_THRESHOLD:
                    scored.append((-score, abs(power.source.row - rows[j].power.source.row), i, j))
    renamed = set()
    for _score, _gap, i, j in sorted(scored):
        if i in taken or j in renamed:
            continue
        taken.add(i)
        renamed.add(j)
        result.decisions[i] = rows[j]
        result.moved += base[i].source.row != rows[j].power.source.row
    left = [j for j in left if j not in renamed]
    result.unmatched = [rows[j] for j in left]
    result.missing = [i for i in range(len(base)) if i not in taken]
    return result


def _distance(power: Power, other: Power) -> tuple:
    return (
        normalise(power.name) != normalise(other.name) or normalise(power.sub_name) != normalise(other.sub_name),
        power.category != other.category,
        normalise(power.basis) != normalise(other.basis),
        power.source.sheet != other.source.sheet,
        abs(power.source.row - other.source.row),
        power.source.row,
    )
