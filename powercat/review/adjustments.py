"""The review's 调整对照表: what the confirmed list changed against the list under review,
through `compare.diff` and `publish.adjustments` (the publishable table). Powers withheld
on either side are left out before the diff runs, so the table never names them: it is
safe to publish; the filing register lists them for internal use."""

from __future__ import annotations

import os
from collections.abc import Sequence

from openpyxl import load_workbook

from ..atomic import atomic_path
from ..compare import Diff, diff
from ..disclosure import normalise
from ..model import Agency, Catalogue, Power, WorkbookFile
from ..output import save_workbook
from ..publish.adjustments import write_adjustments
from ..formula_safety import xlsx_cell
from .reconcile import Group, Outcome

def withheld_words(pairs: Sequence[tuple[Group, str, list[Power]]]) -> set[str]:
    """The names and codes of every withheld power, as the list and the review give them: no
    cell of the publishable table may hold one (an opinion 并入…, a basis quoting it)."""
    words = set()
    for group, _path, read_back in pairs:
        powers = [p for o in group.outcomes if o.withheld or o.power.is_withheld
                  for p in (o.power, o.confirmed) if p is not None]
        powers += [p for p in read_back if p.is_withheld]
        for power in powers:
            words.update(normalise(w).casefold() for w in (power.code, power.name, power.title) if w)
    return {w for w in words if len(w) >= 2}


def review_diff(pairs: Sequence[tuple[Group, str, list[Power]]]) -> tuple[Diff, dict[int, Outcome], int]:
    """`pairs`: each group with its confirmed list's path and the powers read back from it
    (in the order written). Returns the diff, the outcome of each removed power (by id),
    and how many withheld powers were left out."""
    old_files, new_files, removed_outcome, hidden = [], [], {}, 0
    for group, path, read_back in pairs:
        kept = [o for o in group.outcomes if o.confirmed is not None]
        if len(kept) != len(read_back):
            raise ValueError(f"{path}：确认清单读回 {len(read_back)} 项，应为 {len(kept)} 项")
        confirmed_at = {id(o): p for o, p in zip(kept, read_back)}
        olds, news = [], []
        for o in group.outcomes:
            new = confirmed_at.get(id(o))
            if o.power.is_withheld or (new is not None and new.is_withheld) or o.withheld:
                hidden += 1
                continue
            olds.append(o.power)
            if new is not None:
                news.append(new)
            else:
                removed_outcome[id(o.power)] = o
        agency = Agency(group.agency)
        old_files.append(WorkbookFile(group.base.path, group.base.format, agency, powers=olds))
        new_files.append(WorkbookFile(path, "xlsx", agency, powers=news))
    return diff(Catalogue(old_files), Catalogue(new_files)), removed_outcome, hidden


def write_review_adjustments(d: Diff, removed_outcome: dict[int, Outcome], hidden: int,
                             target: str | os.PathLike, withheld: set[str] = frozenset()) -> int:
    """The publishable table; rows of removed powers say how the review removed them
    (取消 / 合并 / 下放) and why."""
    write_adjustments(d, target, title="权力清单清理审核调整对照表")
    book = load_workbook(target)
    sheet = book.active
    kinds: dict[str, int] = {}
    first = 3 + len(d.added)
    for offset, (_agency, power) in enumerate(d.removed):
        outcome = removed_outcome.get(id(power))
        if outcome is None:
            continue
        row = first + offset
        kinds[outcome.conclusion] = kinds.get(outcome.conclusion, 0) + 1
        xlsx_cell(sheet.cell(row=row, column=2), outcome.conclusion)
        opinions = "；".join(f"{x.office}：{x.opinion}" for x in outcome.decisions
                            if x.conclusion == outcome.conclusion and x.opinion)
        xlsx_cell(sheet.cell(row=row, column=7), f"{outcome.conclusion}事项" + (f"（{opinions}）" if opinions else ""))
    removed = "，".join(f"{k} {n} 项" for k, n in kinds.items())
    sheet["A1"].value = (f"权力清单清理审核调整对照表（{removed + '，' if removed else ''}更名 {len(d.renamed)} 项，"
                         f"变更 {len(d.changed)} 项；不予公开的 {hidden} 项不列入本表）")
    blanked = _blank_withheld(book, withheld)
    with atomic_path(target) as tmp:
        save_workbook(book, tmp)
    return blanked


WITHHELD_CELL = "（涉及不予公开事项，不予列出）"


def _blank_withheld(book, words: set[str]) -> int:
    """The last guard of the publishable table: a cell naming a withheld power (by name or
    code, in any spacing or width) is replaced. Returns how many cells were."""
    blanked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and any(w in normalise(cell.value).casefold() for w in words):
                    cell.value = WITHHELD_CELL
                    blanked += 1
    return blanked
