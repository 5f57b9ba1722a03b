"""`powercat review` tried as careless offices and users would (issue 20): each case builds
the copies the way a reviewer gets them (`check --annotate` on a made-up list withheld by
its structure), spoils them, runs the CLI and asserts the exit code, a Chinese phrase on
stderr, no traceback, and — wherever review wrote its outputs — that no withheld power is
named in the publishable 调整对照表 and every withheld power reads back as withheld from
the confirmed lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from ..conftest import run_cli
from ..test_review_structure import (ALL, BASIS, HEAD, LAWFUL, PUBLIC, UNIQUE_WITHHELD, WITHHELD, confirmed, copy_to,
                                     drop_snapshot, fill, keep_all, publishable_text, send, truncate_snapshot)

KEEP = "保留"


@dataclass
class Case:
    id: str
    prepare: Callable[[Path, Path, Path], list]  # (tmp_path, original, sent) → the review's arguments
    exit_code: int
    phrase: str
    absent: list[str] = field(default_factory=list)  # names that must not be in the publishable table
    withheld: set[str] = field(default_factory=set)  # codes that must read back withheld (beyond WITHHELD)


def _copies(tmp: Path) -> Path:
    return tmp / "returned"


def structure_kept(tmp, original, sent):
    keep_all(copy_to(sent, _copies(tmp)))
    return [_copies(tmp)]


def structure_removed(tmp, original, sent):
    keep_all(copy_to(sent, _copies(tmp)), QC03=("取消", "重复"), QC06=("取消", "职能调整"), QC07=("下放", "下放区县"),
             QC08=("合并", "并入QC02"))
    return [_copies(tmp)]


def structure_removed_with_list(tmp, original, sent):
    keep_all(copy_to(sent, _copies(tmp)), QC07=("取消", "职能调整"), QC08=("取消", "重复"))
    return [_copies(tmp), "--list", original]


def filing_spelled(conclusion: str, header: str | None):
    """One office removes QC01, the other files it in a spelling of its own (under a retyped
    header): a conflict, so the power stays withheld and never reaches the 调整对照表."""
    def prepare(tmp, original, sent):
        legal = copy_to(sent, _copies(tmp), "法制办.xlsx")
        secrecy = copy_to(sent, _copies(tmp), "保密办.xlsx")
        keep_all(legal, "法制办", QC01=("取消", "无上位法依据"))
        fill(secrecy, {code: (KEEP, None) for code in ALL} | {"QC01": (conclusion, LAWFUL)}, "保密办", header=header)
        return [_copies(tmp)]
    return prepare


def unreadable_conclusion(tmp, original, sent):
    legal = copy_to(sent, _copies(tmp), "法制办.xlsx")
    secrecy = copy_to(sent, _copies(tmp), "保密办.xlsx")
    keep_all(legal, "法制办", QC01=("取消", "无上位法依据"))
    keep_all(secrecy, "保密办", QC01=("同意（待议）", None))
    return [_copies(tmp)]


def snapshot_deleted(tmp, original, sent):
    legal = copy_to(sent, _copies(tmp), "法制办.xlsx")
    secrecy = copy_to(sent, _copies(tmp), "保密办意见.xlsx")
    keep_all(legal, "法制办", QC02=("取消", "重复"))
    keep_all(secrecy, "保密办", QC02=("转备案（不予公开）", LAWFUL))
    drop_snapshot(secrecy)
    return [_copies(tmp)]


def stranger_without_snapshot(tmp, original, sent):
    keep_all(copy_to(sent, _copies(tmp)))
    book = openpyxl.Workbook()
    book.active.append(HEAD + ["审核结论", "审核意见", "审核单位"])
    book.active.append([1, "ZZ01", "对外来副本中某事项的处罚", None, "行政处罚", BASIS, "主动公开", None, "取消", None, "法制办"])
    book.save(_copies(tmp) / "青川市另一局意见.xlsx")
    return [_copies(tmp)]


def snapshot_truncated(tmp, original, sent):
    copy = copy_to(sent, _copies(tmp))
    keep_all(copy, QC06=("取消", "职能调整"))
    truncate_snapshot(copy, "QC06")
    return [_copies(tmp)]


def earlier_review_then(wrong: str):
    def prepare(tmp, original, sent):
        keep_all(copy_to(sent, _copies(tmp)))
        assert run_cli("review", _copies(tmp), "--out", tmp / "out").exit_code == 0
        if wrong == "empty":
            (tmp / "empty").mkdir()
        return [{"missing": tmp / "retruned", "empty": tmp / "empty", "originals": original.parent}[wrong]]
    return prepare


def unnamed_offices(tmp, original, sent):
    keep_all(copy_to(sent, tmp / "copies" / "法制"), office=None)
    keep_all(copy_to(sent, tmp / "copies" / "编制"), office=None, QC01=("取消", "重复"))
    return [tmp / "copies"]


def edited_under_keep(tmp, original, sent):
    copy = copy_to(sent, _copies(tmp))
    fill(copy, {code: (KEEP, None) for code in ALL}, "编办", edits={("QC02", "basis"): "《中华人民共和国统计法》第五十条"})
    return [_copies(tmp)]


def withheld_by_copy_cell(tmp, original, sent):
    copy = copy_to(sent, _copies(tmp))
    fill(copy, {code: (KEEP, None) for code in ALL}, "保密办", edits={("QC02", "disclosure"): "不宜公开"})
    return [_copies(tmp)]


def opinion_speaks_of_secrecy(tmp, original, sent):
    keep_all(copy_to(sent, _copies(tmp)), QC01=("取消", "该事项涉密，不宜公开"))
    return [_copies(tmp)]


def filing_only_in_opinion(tmp, original, sent):
    legal = copy_to(sent, _copies(tmp), "法制办.xlsx")
    secrecy = copy_to(sent, _copies(tmp), "保密办.xlsx")
    keep_all(legal, "法制办", QC02=("取消", "重复"))
    fill(secrecy, {"QC02": (None, "拟转备案（涉及商业秘密）")}, "保密办")
    return [_copies(tmp)]


def every_snapshot_deleted(tmp, original, sent):
    for office in ("法制办", "编办"):
        copy = copy_to(sent, _copies(tmp), f"{office}.xlsx")
        keep_all(copy, office, QC01=("取消", "重复"))
        drop_snapshot(copy)
    return [_copies(tmp)]


def csv_copy_without_snapshot(tmp, original, sent):
    """An office saved its copy as CSV (no hidden sheet survives) and filed QC02 in it."""
    legal = copy_to(sent, _copies(tmp), "法制办.xlsx")
    keep_all(legal, "法制办", QC02=("取消", "重复"))
    book = openpyxl.load_workbook(sent)
    sheet = book["行政处罚"]
    rows = [[("" if c.value is None else str(c.value)) for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    for row in rows[1:]:
        if row[1] == "QC02":
            row[header.index("审核结论")] = "转备案"
            row[header.index("审核意见")] = LAWFUL
            row[header.index("审核单位")] = "保密办"
    import csv

    with open(_copies(tmp) / "青川市统计局权责清单-保密办.csv", "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return [_copies(tmp)]


def out_inside_copies(tmp, original, sent):
    keep_all(copy_to(sent, _copies(tmp)))
    return [_copies(tmp), "--out", _copies(tmp) / "结果"]


CASES = [
    Case("structure-kept", structure_kept, 0, "确认清单"),
    Case("structure-removed", structure_removed, 0, "确认清单", absent=UNIQUE_WITHHELD),
    Case("structure-removed-list", structure_removed_with_list, 0, "确认清单", absent=UNIQUE_WITHHELD),
    Case("file-建议转备案-retyped-header", filing_spelled("建议转备案", "审核结论（必填）"), 1, "审核结论冲突",
         absent=[PUBLIC["QC01"]], withheld={"QC01"}),
    Case("file-拟转备案（涉密）-header-结论", filing_spelled("拟转备案（涉密）", "结论"), 1, "审核结论冲突",
         absent=[PUBLIC["QC01"]], withheld={"QC01"}),
    Case("file-fullwidth-spaces", filing_spelled("不予公开　（ 转备案 ）", "审核结论*"), 1, "审核结论冲突",
         absent=[PUBLIC["QC01"]], withheld={"QC01"}),
    Case("file-转备案(涉密)-invisible", filing_spelled("转\u200b备案(涉密)", None), 1, "审核结论冲突",
         absent=[PUBLIC["QC01"]], withheld={"QC01"}),
    Case("conclusion-unreadable", unreadable_conclusion, 1, "审核结论无法识别", absent=[PUBLIC["QC01"]],
         withheld={"QC01"}),
    Case("snapshot-deleted", snapshot_deleted, 1, "副本缺少送审底稿", absent=[PUBLIC["QC02"]], withheld={"QC02"}),
    Case("snapshot-less-stranger", stranger_without_snapshot, 1, "副本无法对应原清单", absent=["对外来副本中某事项的处罚"]),
    Case("snapshot-row-truncated", snapshot_truncated, 1, "送审底稿损坏", absent=UNIQUE_WITHHELD),
    Case("rerun-missing-folder", earlier_review_then("missing"), 3, "未改动"),
    Case("rerun-empty-folder", earlier_review_then("empty"), 3, "没有找到审核副本"),
    Case("rerun-originals-folder", earlier_review_then("originals"), 3, "无法作为审核副本读取"),
    Case("offices-unnamed", unnamed_offices, 1, "副本未填审核单位"),
    Case("edit-under-keep", edited_under_keep, 0, "保留下的修改未采用"),
    Case("copy-cell-withholds", withheld_by_copy_cell, 0, "保留下的修改未采用", withheld={"QC02"}),
    Case("opinion-speaks-of-secrecy", opinion_speaks_of_secrecy, 0, "审核意见提到不予公开", absent=[PUBLIC["QC01"]],
         withheld={"QC01"}),
    Case("filing-only-in-opinion", filing_only_in_opinion, 0, "审核意见提到不予公开", absent=[PUBLIC["QC02"]],
         withheld={"QC02"}),
    Case("every-snapshot-deleted", every_snapshot_deleted, 3, "没有一份副本能对应到送审清单"),
    Case("csv-copy-files", csv_copy_without_snapshot, 1, "副本缺少送审底稿", absent=[PUBLIC["QC02"]], withheld={"QC02"}),
    Case("out-inside-copies", out_inside_copies, 2, "位于输入文件夹"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_review(tmp_path, case):
    original, sent = send(tmp_path)
    args = case.prepare(tmp_path, original, sent)
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} if out.exists() else None
    if "--out" not in args:
        args = [*args, "--out", out]
    result = run_cli("review", *args)
    assert "Traceback" not in result.stderr + result.stdout
    if case.exit_code in (2, 3):
        if before is not None:  # the earlier review is untouched
            assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    else:  # leaks first: they are what matters most
        table = publishable_text(out)
        for name in [*UNIQUE_WITHHELD, *case.absent]:
            assert name not in table, name
        back = confirmed(out)
        for code in set(WITHHELD) | case.withheld:
            assert code not in back or back[code].is_withheld, code
    assert result.exit_code == case.exit_code, (result.exit_code, result.stderr[-2000:])
    assert case.phrase in result.stderr, result.stderr[-2000:]
