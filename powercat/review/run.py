"""`powercat review`: the returned copies in; the confirmed lists, the filing register, the
调整对照表, the counts and the review report out, written atomically into one folder.

The output folder is internal (it holds the withheld powers): it is never a build's
public side.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..check.findings import Finding, Report
from ..errors import EXIT_UNREADABLE, EXIT_USAGE, PowercatError
from ..ingest import load_file
from ..ingest.loader import discover
from ..model import WorkbookFile
from ..names import distinct_names
from ..output import MARKER, check_folder_target, output_folder
from ..text_forms import position
from .adjustments import review_diff, withheld_words, write_review_adjustments
from .confirmed import write_confirmed
from .counts import counts_json, write_counts
from .invariant import unplaced
from .pending import pending_rows
from .reconcile import Group, Outcome, group_copies, reconcile, where, withhold_by_identity
from .register import filed, write_register
from .returned import ISSUES_SHEET, ReturnedCopy, read_copy

CONFIRMED_DIR = "确认清单"
REGISTER = "备案登记表.xlsx"
ADJUSTMENTS = "调整对照表.xlsx"
COUNTS = "清理统计.xlsx"
REPORT = "review.json"


class ReviewError(PowercatError):
    """A problem stopping the review before anything is written, with a Chinese message and
    its exit code: 2 for the output folder, 3 when no copy can be read."""

    exit_code = EXIT_USAGE


@dataclass
class ReviewResult:
    copies: list[ReturnedCopy]
    lists: list[WorkbookFile] | None
    groups: list[Group]
    findings: list[Finding]
    out: Path
    confirmed: dict[str, str] = field(default_factory=dict)  # label (agency) → confirmed list path
    counts: dict = field(default_factory=dict)
    blanked: int = 0  # cells of the 调整对照表 replaced because they named a withheld power

    @property
    def outcomes(self) -> list[Outcome]:
        return [o for g in self.groups for o in g.outcomes]

    @property
    def report(self) -> Report:
        return Report(sorted(self.findings, key=lambda f: f.sort_key))

    @property
    def files(self) -> list[WorkbookFile]:
        """The lists under review (given, or the snapshots the copies carry), then the copies."""
        bases = list(self.lists or [])
        copies = {id(c.file) for c in self.copies}
        bases += [g.base for g in self.groups if id(g.base) not in copies and g.base not in bases]
        return bases + [c.file for c in self.copies]

    @property
    def unreadable(self) -> list[WorkbookFile]:
        files = [c.file for c in self.copies] + list(self.lists or [])
        return [f for f in files if f.error is not None]


def _load_list(path: str) -> WorkbookFile:
    file = load_file(path)
    file.powers = [p for p in file.powers if p.source.sheet != ISSUES_SHEET]
    file.sheets = [s for s in file.sheets if s.name != ISSUES_SHEET]
    return file


def check_out(out: Path, inputs: list[str]) -> None:
    """The output folder may be new, empty, or an earlier review's output; never an input."""
    resolved = out.resolve()
    for path in inputs:
        given = Path(path).resolve()
        if given.is_relative_to(resolved):
            raise ReviewError(f"输出文件夹 {out} 包含输入文件 {path}，请换一个输出文件夹")
        if given.is_dir() and resolved.is_relative_to(given):
            raise ReviewError(f"输出文件夹 {out} 位于输入文件夹 {path} 之内，下次审核会把输出当作副本读入，请换一个输出文件夹")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / REPORT).is_file())):
        raise ReviewError(f"{out} 已存在且不是 powercat review 的输出文件夹，为免覆盖其他文件，请换一个输出文件夹")
    if out.is_dir() and (foreign := _foreign(out)):
        # the folder is replaced whole: a file someone put beside an earlier review would be lost
        raise ReviewError(f"输出文件夹 {out} 中有不是 powercat review 写出的文件：{'、'.join(foreign[:5])}"
                          f"{'等' if len(foreign) > 5 else ''}；重新审核会替换整个文件夹，请先移走这些文件或换一个输出文件夹")


def _foreign(out: Path) -> list[str]:
    """Files and folders in an earlier review's output that review did not write."""
    own = {REPORT, REGISTER, ADJUSTMENTS, COUNTS, MARKER, CONFIRMED_DIR}
    found = [p.name for p in out.iterdir() if p.name not in own or (p.name == CONFIRMED_DIR) != p.is_dir()]
    confirmed = out / CONFIRMED_DIR
    if confirmed.is_dir():
        found += [f"{CONFIRMED_DIR}/{p.name}" for p in confirmed.iterdir()
                  if not (p.is_file() and p.name.endswith(".确认清单.xlsx"))]
    return sorted(found)


def _refuse_empty(given: list[str], copies: list[ReturnedCopy], out: Path) -> None:
    """A mistyped copies folder must not replace an earlier review with an empty one: with
    no copy found, or none whose decision columns can be read, nothing is written."""
    paths = "、".join(given)
    kept = f"原有输出 {out} 未改动" if out.exists() else "未写出任何文件"
    if not copies:
        raise ReviewError(f"在 {paths} 中没有找到审核副本（.xlsx .xlsm .xls .csv），请检查路径；{kept}", EXIT_UNREADABLE)
    readable = [c for c in copies if c.file.error is None]
    if not any(c.decisions for c in readable):
        reasons = "；".join(c.file.error.message for c in copies if c.file.error is not None)
        raise ReviewError(f"{paths} 中的 {len(copies)} 个文件都无法作为审核副本读取（无法打开，或没有审核结论列）"
                          + (f"：{reasons}" if reasons else "") + f"；{kept}", EXIT_UNREADABLE)


def _once(paths: list[str]) -> list[str]:
    """A file given twice (by two arguments, or a folder and a file in it) is read once: a list
    read twice would be two lists of one agency, a copy read twice an office counted twice."""
    seen: set[str] = set()
    return [p for p in paths if not (os.path.realpath(p) in seen or seen.add(os.path.realpath(p)))]


def review(copy_paths: list[str], out: str | os.PathLike, list_paths: list[str] | None = None) -> ReviewResult:
    out = Path(out)
    copies_found = _once(discover(copy_paths))
    lists_found = _once(discover(list_paths)) if list_paths else None
    inputs = [*copy_paths, *(list_paths or []), *copies_found, *(lists_found or [])]
    check_out(out, inputs)
    check_folder_target(out, inputs=inputs, kind="review")  # never a build's, cases' or copies' folder
    copies = [read_copy(p) for p in copies_found]
    _refuse_empty(copy_paths, copies, out)
    lists = [_load_list(p) for p in lists_found] if lists_found is not None else None
    findings: list[Finding] = []
    groups = group_copies(copies, lists, findings)
    if not groups:  # every copy refused: an empty review must not replace an earlier one
        kept = f"原有输出 {out} 未改动" if out.exists() else "未写出任何文件"
        problems = "；".join(f"{Path(f.file).name}：{f.message}" for f in findings if f.severity == "error")[:600]
        # a --list that could not be read is the likelier cause: say so first
        unread = "；".join(f.error.message for f in lists or [] if f.error is not None)[:600]
        hint = f"--list 给出的清单无法读取：{unread}；" if unread else ""
        raise ReviewError(f"{hint}没有一份副本能对应到送审清单（{problems}）；请用 --list 给出原清单；{kept}", EXIT_UNREADABLE)
    for group in groups:
        reconcile(group, findings)
    withhold_by_identity(groups, findings)
    result = ReviewResult(copies, lists, groups, findings, out)
    # the one output module: locked, staged beside `out`, swapped whole; a failed write
    # (disk full, read-only) is an OutputError (exit 5) and the earlier review stays
    with output_folder(out, inputs=inputs, kind="review") as tmp:
        _write(result, tmp)
    return result


def label(group: Group, groups: list[Group]) -> str:
    """The agency; with the list's file name when the agency has several lists, and its folder
    when two of them share a file name: each group has a label, and a confirmed list, of its own
    (two groups writing one file would leave only the last)."""
    if sum(g.agency == group.agency for g in groups) == 1:
        return group.agency
    stem = Path(group.base.path).stem
    same = [g for g in groups if g.agency == group.agency and Path(g.base.path).stem == stem]
    if len(same) == 1:
        return f"{group.agency}（{stem}）"
    folder = Path(group.base.path).parent.name or "."
    named = f"{group.agency}（{folder}/{stem}）"
    if sum(f"{g.agency}（{Path(g.base.path).parent.name or '.'}/{stem}）" == named for g in same) == 1:
        return named
    return f"{named}-{same.index(group) + 1}"


def _write(result: ReviewResult, tmp: Path) -> None:
    names = distinct_names(label(g, result.groups) for g in result.groups)
    pairs, register_rows = [], []
    for group in result.groups:
        relative = f"{CONFIRMED_DIR}/{names[label(group, result.groups)]}.确认清单.xlsx"
        target = tmp / relative
        if target.exists():  # one file per group, or a group's confirmed list is overwritten: lost
            raise RuntimeError(f"两组送审清单的确认清单同名：{relative}")
        kept = write_confirmed(group, target)
        read_back = load_file(str(target)).powers
        pairs.append((group, str(target), read_back))
        result.confirmed[label(group, result.groups)] = str(result.out / relative)
        at = {id(o): p for o, p in zip(kept, read_back)}
        for o in kept:  # what `build` will withhold is what the reader finds in the confirmed list
            back = at.get(id(o))
            if back is not None and o.withheld and not back.is_withheld:
                raise RuntimeError(f"确认清单 {target} 第 {back.source.row} 行读回为公开，应为不予公开")
            o.withheld = o.withheld or (back is not None and back.is_withheld)
        for o in filed(group.outcomes):
            p = at.get(id(o))
            register_rows.append((o, position(relative, p.source.sheet, p.source.row) if p else ""))
        result.findings.extend(unplaced(group, at, {id(o) for o, _where in register_rows}))
    write_register(register_rows, tmp / REGISTER)
    d, removed_outcome, hidden = review_diff(pairs)
    result.blanked = write_review_adjustments(d, removed_outcome, hidden, tmp / ADJUSTMENTS, withheld_words(pairs))
    write_counts(result.outcomes, tmp / COUNTS, pending_rows(result.groups))
    result.counts = counts_json(result.outcomes)
    (tmp / REPORT).write_text(json.dumps(review_json(result), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _position(power) -> dict:
    return {"file": power.source.file, "sheet": power.source.sheet, "row": power.source.row}


def review_json(result: ReviewResult) -> dict:
    def outcome(o: Outcome) -> dict:
        return {"agency": o.agency, "power": o.power.title, "code": o.power.code, **_position(o.power),
                "conclusion": o.conclusion, "withheld": o.withheld,
                "decisions": [{"office": d.office, "conclusion": d.conclusion, "opinion": d.opinion,
                               "reviewer": d.reviewer, "date": d.date, **_position(d.power)} for d in o.decisions]}

    report = result.report
    return {
        "copies": [{"path": c.path, "office": c.office, "agency": c.agency, "decisions": len(c.decisions),
                    "error": c.file.error.message if c.file.error else None} for c in result.copies],
        "lists": [{"path": f.path, "agency": f.agency.name, "powers": len(f.powers),
                   "error": f.error.message if f.error else None} for f in result.lists or []],
        "groups": [{"agency": g.agency, "list": g.base.path, "copies": [c.path for c in g.copies],
                    "moved_rows": g.moved, "confirmed": result.confirmed.get(label(g, result.groups))} for g in result.groups],
        "counts": result.counts,
        "adjustments_cells_withheld": result.blanked,
        "conflicts": [outcome(o) for o in result.outcomes if o.conflict],
        "undecided": [outcome(o) for o in result.outcomes if not o.decisions],
        "filed": [outcome(o) for o in result.outcomes if o.confirmed is not None and o.withheld],
        "removed": [outcome(o) for o in result.outcomes if o.confirmed is None],
        "findings": [f.to_json() for f in report.findings],
        "summary": {"errors": report.count("error"), "warnings": report.count("warning"), "by_code": report.by_code()},
    }


__all__ = ["ReviewError", "ReviewResult", "review", "review_json", "where"]
