"""The leading office's view of what the review left open: every power in conflict or
undecided, one row per office — what it said, with its opinion, at which row of which
copy — so the conflicts can be settled from the workbook, not only from review.json."""

from __future__ import annotations

from collections.abc import Sequence

from .reconcile import Group

SHEET = "冲突与待定"
COLUMNS = [("agency", "单位", 20), ("code", "职权编码", 16), ("name", "职权名称", 30), ("where", "送审清单位置", 26),
           ("state", "状态", 9), ("office", "审核单位", 16), ("said", "审核结论", 10), ("opinion", "审核意见", 36),
           ("copy", "副本位置（文件、工作表、行）", 34), ("result", "确认清单中如何处理", 20)]


def _place(power) -> str:
    name = power.source.file.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name}“{power.source.sheet}”第 {power.source.row} 行"


def pending_rows(groups: Sequence[Group]) -> list[list[str]]:
    rows = []
    for group in groups:
        for o in group.outcomes:
            if not o.pending or not (o.conflict or not o.decisions):
                continue
            head = [o.agency, o.power.code or "", o.power.title, _place(o.power)]
            state = "结论冲突" if o.conflict else "未审核"
            result = "按原样保留，待协调" + ("（不予公开）" if o.withheld else "")
            said = [(d.office or "", d.raw_conclusion or d.conclusion or "", d.opinion or "", d.where) for d in o.decisions]
            said += [(d.office or "", "（未填写）", d.opinion or "", d.where) for d in o.blank]
            spoken = {office for office, *_rest in said}
            # an office whose copy lacks the power altogether
            said += [(c.office, "（副本中无此事项）", "", c.path.replace("\\", "/").rsplit("/", 1)[-1])
                     for c in group.copies if c.office not in spoken and c.decisions]
            for office, conclusion, opinion, where in said or [("", "（无副本）", "", "")]:
                rows.append([*head, state, office, conclusion, opinion, where, result])
    return rows


def copy_labels(groups: Sequence[Group]) -> dict[str, str]:
    """Each copy's path → the office that returned it, for the terminal."""
    return {c.path: f"{c.office}（审核单位）" for g in groups for c in g.copies if c.office}


__all__ = ["COLUMNS", "SHEET", "copy_labels", "pending_rows"]
