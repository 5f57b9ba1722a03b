"""`powercat review` keeps what the list's structure said and never loses a power (issue 20).

The copies are made the way a reviewer gets them: `check --annotate` on a made-up list whose
powers are withheld by a sheet name, a section heading, another row of their block and a
blank 子项 under a withheld 事项; then each office edits its copy with openpyxl. The helpers
here are shared with tests/hostile/test_hostile_review.py."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from powercat.ingest import load, load_file
from powercat.ingest.decisions import FILE, KEEP, SNAPSHOT_SHEET, normalise_conclusion
from powercat.review.invariant import unplaced
from powercat.review.run import ADJUSTMENTS, CONFIRMED_DIR, REGISTER, review

from .conftest import run_cli

HEAD = ["序号", "职权编码", "职权名称", "子项名称", "职权类别", "设定依据", "公开方式", "不予公开理由"]
BASIS = "《中华人民共和国统计法》第四十一条"
LAWFUL = "涉及国家秘密，依据《中华人民共和国保守国家秘密法》第十三条"
AGENCY = "青川市统计局"
LIST_NAME = f"{AGENCY}权责清单.xlsx"
PUBLIC = {"QC01": "对统计造假行为的处罚", "QC02": "对拒报统计资料的处罚"}
# each withheld by the list's structure, not (only) by its own 公开方式 cell
WITHHELD = {
    "QC03": "对迟报统计资料的处罚",  # the second row of its block says 不予公开
    "QC04": "对涉密统计调查的检查",  # its own cell (the parent 事项 of QC05)
    "QC05": "对涉密统计调查的检查",  # a blank 子项 row under the withheld 事项
    "QC06": "对保密统计数据的核查",  # under the section heading 二、不予公开事项
    "QC07": "对涉密普查资料的管理",  # on the sheet 不予公开事项, 公开方式 blank
    "QC08": "对内部台账报送的检查",  # on the sheet 不予公开事项, 公开方式 主动公开
}
ALL = [*PUBLIC, *WITHHELD]
# names that appear in no other power: finding one in a file can only mean that power
UNIQUE_WITHHELD = ["对迟报统计资料的处罚", "对涉密统计调查的检查", "对保密统计数据的核查", "对涉密普查资料的管理",
                   "对内部台账报送的检查"]


def make_structured_list(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "行政处罚"
    sheet.append(HEAD)
    sheet.append([1, "QC01", PUBLIC["QC01"], None, "行政处罚", BASIS, "主动公开", None])  # row 2
    sheet.append([2, "QC02", PUBLIC["QC02"], None, "行政处罚", BASIS, "主动公开", None])  # row 3
    sheet.append([3, "QC03", WITHHELD["QC03"], None, "行政处罚", BASIS, "主动公开", None])  # row 4
    sheet.append([None, None, None, None, None, "《中华人民共和国统计法实施条例》第五十条", "不予公开", "涉及国家秘密"])
    for col in "ABCE":
        sheet.merge_cells(f"{col}4:{col}5")
    sheet.append([4, "QC04", WITHHELD["QC04"], "对普查的检查", "行政检查", BASIS, "不予公开", LAWFUL])  # row 6
    sheet.append([None, "QC05", None, "对抽样调查的检查", None, BASIS, None, None])  # row 7
    for col in "AC":
        sheet.merge_cells(f"{col}6:{col}7")
    sheet.append(["二、不予公开事项"])  # row 8
    sheet.merge_cells("A8:H8")
    sheet.append([5, "QC06", WITHHELD["QC06"], None, "行政检查", BASIS, None, None])  # row 9
    other = book.create_sheet("不予公开事项")
    other.append(HEAD)
    other.append([1, "QC07", WITHHELD["QC07"], None, "其他行政权力", BASIS, None, None])
    other.append([2, "QC08", WITHHELD["QC08"], None, "行政检查", BASIS, "主动公开", None])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def send(tmp_path: Path) -> tuple[Path, Path]:
    """The original list and the annotated copy `check --annotate` writes for it."""
    original = make_structured_list(tmp_path / "lists" / LIST_NAME)
    result = run_cli("check", original.parent, "--annotate", tmp_path / "sent")
    assert "Traceback" not in result.stderr
    (sent,) = (tmp_path / "sent").glob("*.xlsx")
    return original, sent


def copy_to(sent: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or sent.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(sent, target)
    return target


def fill(path: Path, decisions: dict[str, tuple[str, str | None]], office: str | None = None,
         header: str | None = None, edits: dict[tuple[str, str], str] | None = None) -> None:
    """One office fills its copy: `decisions` maps a 职权编码 to (审核结论, 审核意见); `header`
    retypes the 审核结论 header; `edits` sets a cell of a power's own columns (code, field)."""
    read = load_file(str(path))
    book = openpyxl.load_workbook(path)
    for report in read.sheets:
        if report.name not in book.sheetnames or not report.header_row:
            continue
        sheet = book[report.name]
        cols = {c.value: c.column for c in sheet[report.header_row] if isinstance(c.value, str)}
        if "审核结论" not in cols:
            continue
        if header:
            sheet.cell(report.header_row, cols["审核结论"], header)
        for power in read.powers:
            if power.source.sheet == report.name and power.code in decisions:
                conclusion, opinion = decisions[power.code]
                sheet.cell(power.source.row, cols["审核结论"], conclusion)
                if opinion:
                    sheet.cell(power.source.row, cols["审核意见"], opinion)
                if office:
                    sheet.cell(power.source.row, cols["审核单位"], office)
    for (code, field_name), value in (edits or {}).items():
        power = next(p for p in read.powers if p.code == code)
        book[power.source.sheet][f"{power.columns[field_name]}{power.source.row}"] = value
    book.save(path)


def keep_all(path: Path, office: str | None = "法制办", **overrides: tuple[str, str | None]) -> None:
    fill(path, {code: overrides.get(code, (KEEP, None)) for code in ALL}, office)


def drop_snapshot(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    del book[SNAPSHOT_SHEET]
    book.save(path)


def truncate_snapshot(path: Path, code: str) -> None:
    """Cuts the snapshot row of `code` short, as a copy damaged in transit or by hand."""
    from powercat.ingest.decisions import read_snapshot_row

    book = openpyxl.load_workbook(path)
    sheet = book[SNAPSHOT_SHEET]
    for row in sheet.iter_rows(min_row=2):
        record = read_snapshot_row([c.value or "" for c in row])
        if record and record.get("code") == code:
            row[0].value = row[0].value[: len(row[0].value) // 2]
            break
    else:
        raise AssertionError(code)
    book.save(path)


def confirmed(out: Path) -> dict[str, object]:
    """code → power as powercat reads the confirmed lists back."""
    return {p.code: p for p in load([str(out / CONFIRMED_DIR)]).powers}


def xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def publishable_text(out: Path) -> str:
    """Every file `review` writes that may be published: the 调整对照表."""
    return xlsx_text(out / ADJUSTMENTS)


def withheld_codes(powers) -> set[str]:
    return {code for code, p in powers.items() if p.is_withheld}


# ── 1. the list's structure survives the round trip ──────────────────────────────────────

@pytest.mark.parametrize("with_list", [False, True], ids=["snapshot", "--list"])
def test_structure_withheld_powers_come_back_withheld(tmp_path, with_list):
    original, sent = send(tmp_path)
    before = {p.code: p for p in load_file(str(original)).powers}
    assert withheld_codes(before) == set(WITHHELD)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    result = review([str(copy)], tmp_path / "out", [str(original)] if with_list else None)
    assert result.report.count("error") == 0, [f.message for f in result.findings]
    after = confirmed(tmp_path / "out")
    assert set(after) == set(ALL)
    assert withheld_codes(after) == set(WITHHELD)  # the confirmed list, read alone, means what the original meant
    assert all(after[c].disclosure == "不予公开" for c in WITHHELD)
    assert after["QC04"].exemption == LAWFUL  # the reason, where the list gave one, goes with it
    assert after["QC03"].exemption == "涉及国家秘密"  # given on the second row of its block
    register = xlsx_text(tmp_path / "out" / REGISTER)
    assert all(name in register for name in UNIQUE_WITHHELD)
    assert result.counts["total"]["filed"] == len(WITHHELD)


# ── 2. 转备案 / withholding in any spelling, under any retyped header ─────────────────────

@pytest.mark.parametrize("text", ["建议转备案", "不予公开（转备案）", "拟转备案（涉密）", "转备案(涉密)", " 转 备 案 ",
                                  "转备案\u200b（不予公开）", "ＴＯ转备案", "保留（涉密）", "保留，不公开", "备案"])
def test_any_withholding_spelling_files_the_power(text):
    assert normalise_conclusion(text) == FILE


@pytest.mark.parametrize("text,expected", [("建议保留", "保留"), ("予以取消。", "取消"), ("同意下放", "下放"),
                                           ("合并事项", "合并"), ("调\u3000整", "调整")])
def test_plain_conclusions_still_read(text, expected):
    assert normalise_conclusion(text) == expected


@pytest.mark.parametrize("header,conclusion", [("审核结论（必填）", "建议转备案"), ("审核意见*", None), ("结论", "拟转备案（涉密）"),
                                               ("审核结论(下拉选择)", "不予公开（转备案）")])
def test_retyped_headers_are_read(tmp_path, header, conclusion):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    fill(copy, {code: (KEEP, None) for code in ALL} | {"QC01": (conclusion or FILE, LAWFUL)}, "保密办",
         header=header if conclusion else None)
    if not conclusion:  # retype the opinion's header instead
        book = openpyxl.load_workbook(copy)
        sheet = book["行政处罚"]
        next(c for c in sheet[1] if c.value == "审核意见").value = header
        book.save(copy)
    result = review([str(copy)], tmp_path / "out")
    assert "review-no-decision-columns" not in {f.code for f in result.findings}
    after = confirmed(tmp_path / "out")
    assert after["QC01"].is_withheld and after["QC01"].exemption == LAWFUL
    assert not after["QC02"].is_withheld


def test_an_unreadable_conclusion_withholds_the_power(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy, QC01=("同意吧", None))
    result = review([str(copy)], tmp_path / "out")
    (finding,) = [f for f in result.findings if f.code == "review-conclusion-unknown"]
    assert "已暂按不予公开处理" in finding.message and finding.row == 2
    assert confirmed(tmp_path / "out")["QC01"].is_withheld
    assert PUBLIC["QC01"] in xlsx_text(tmp_path / "out" / REGISTER)
    assert PUBLIC["QC01"] not in publishable_text(tmp_path / "out")


# ── 3. a copy whose snapshot was deleted ─────────────────────────────────────────────────

def test_copy_without_snapshot_joins_its_list_and_its_filing_holds(tmp_path):
    _original, sent = send(tmp_path)
    legal = copy_to(sent, tmp_path / "returned", "法制办.xlsx")
    secrecy = copy_to(sent, tmp_path / "returned", "保密办意见.xlsx")
    keep_all(legal, "法制办")
    keep_all(secrecy, "保密办", QC02=(FILE, LAWFUL))
    drop_snapshot(secrecy)
    result = review([str(secrecy), str(legal)], tmp_path / "out")
    assert len(result.groups) == 1 and len(result.confirmed) == 1  # one agency, one confirmed list
    assert [f.code for f in result.findings] == ["review-snapshot-missing"]
    after = confirmed(tmp_path / "out")
    assert withheld_codes(after) == set(WITHHELD) | {"QC02"}


def test_copy_without_snapshot_and_without_a_list_is_not_used(tmp_path):
    _original, sent = send(tmp_path)
    legal = copy_to(sent, tmp_path / "returned", "法制办.xlsx")
    keep_all(legal)
    stranger = tmp_path / "returned" / "青川市另一局意见.xlsx"
    book = openpyxl.Workbook()
    book.active.append(HEAD + ["审核结论", "审核意见", "审核单位"])
    book.active.append([1, "ZZ01", "对某事项的另一处罚", None, "行政处罚", BASIS, "主动公开", None, "保留", None, "法制办"])
    book.save(stranger)
    result = review([str(legal), str(stranger)], tmp_path / "out")
    assert [f.code for f in result.findings] == ["review-copy-no-original"]
    assert "ZZ01" not in confirmed(tmp_path / "out") and len(result.confirmed) == 1


# ── 4. a truncated snapshot row; the invariant ───────────────────────────────────────────

def test_a_truncated_snapshot_row_keeps_its_power_with_a_finding(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    truncate_snapshot(copy, "QC06")
    truncate_snapshot(copy, "QC01")
    result = review([str(copy)], tmp_path / "out")
    assert [(f.code, f.sheet, f.row) for f in result.findings] == [("review-snapshot-damaged", "行政处罚", 2),
                                                                    ("review-snapshot-damaged", "行政处罚", 9)]
    after = confirmed(tmp_path / "out")
    assert set(after) == set(ALL) and after["QC06"].is_withheld  # kept, and still withheld by its section
    assert after["QC01"].is_withheld  # what the list said of it is unknown: withheld until checked


def test_the_invariant_reports_a_power_placed_nowhere(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    result = review([str(copy)], tmp_path / "out")
    (group,) = result.groups
    kept = {id(o): o.confirmed for o in group.outcomes}
    assert unplaced(group, kept, {id(o) for o in group.outcomes if o.withheld}) == []
    registered = {id(o) for o in group.outcomes if o.withheld}
    del kept[id(group.outcomes[0])]  # a power lost between the outcome and the confirmed list
    group.outcomes[1].withheld = True  # withheld, but never written into the filing register
    lost = unplaced(group, kept, registered)
    assert [(f.code, f.row) for f in lost] == [("review-power-lost", 2), ("review-power-lost", 3)]
    assert "既不在确认清单中也未被取消" in lost[0].message and "未列入备案登记表" in lost[1].message


# ── 5. structure-withheld powers decided 取消 ────────────────────────────────────────────

def test_withheld_powers_removed_stay_out_of_the_adjustment_table(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy, QC01=("取消", "已无上位法依据"), QC06=("取消", "职能调整"), QC07=("下放", "下放至区县"),
             QC03=("合并", "并入QC02"))
    result = review([str(copy)], tmp_path / "out")
    assert result.report.count("error") == 0
    table = publishable_text(tmp_path / "out")
    assert PUBLIC["QC01"] in table
    for code in ("QC03", "QC06", "QC07"):
        assert WITHHELD[code] not in table, code
    register = xlsx_text(tmp_path / "out" / REGISTER)
    assert all(WITHHELD[c] in register for c in ("QC03", "QC06", "QC07")) and "审核取消" in register
    assert set(confirmed(tmp_path / "out")) == set(ALL) - {"QC01", "QC03", "QC06", "QC07"}


# ── 6. a rerun with a mistyped copies folder ─────────────────────────────────────────────

@pytest.mark.parametrize("wrong", ["missing", "empty", "originals"])
def test_a_mistyped_copies_folder_leaves_earlier_results(tmp_path, wrong):
    original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    out = tmp_path / "out"
    assert run_cli("review", copy.parent, "--out", out).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    folder = {"missing": tmp_path / "retuned", "empty": tmp_path / "empty", "originals": original.parent}[wrong]
    if wrong == "empty":
        folder.mkdir()
    result = run_cli("review", folder, "--out", out)
    assert result.exit_code == 3 and "未改动" in result.stderr and "Traceback" not in result.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# ── 7. 审核单位 left blank ────────────────────────────────────────────────────────────────

def test_unnamed_copies_of_one_name_are_two_offices(tmp_path):
    _original, sent = send(tmp_path)
    first = copy_to(sent, tmp_path / "法制")
    second = copy_to(sent, tmp_path / "编制")
    keep_all(first, office=None)
    keep_all(second, office=None, QC01=("取消", "重复"))
    result = review([str(first), str(second)], tmp_path / "out")
    unnamed = [f for f in result.findings if f.code == "review-office-unnamed"]
    assert len(unnamed) == 2 and "法制/" in unnamed[0].message and "编制/" in unnamed[1].message
    (conflict,) = [f for f in result.findings if f.code == "review-conflict"]
    assert "法制/" in conflict.message and "编制/" in conflict.message
    (outcome,) = [o for o in result.outcomes if o.power.code == "QC01"]
    assert len({d.office for d in outcome.decisions}) == 2


# ── 8. a cell edited under 保留 ──────────────────────────────────────────────────────────

def test_an_edit_under_keep_is_reported_and_not_applied(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    fill(copy, {code: (KEEP, None) for code in ALL}, "编办", edits={("QC02", "basis"): "《中华人民共和国统计法》第四十二条"})
    result = review([str(copy)], tmp_path / "out")
    (finding,) = result.findings
    assert finding.code == "review-edit-not-applied" and (finding.row, finding.column) == (3, "F")
    assert "第四十一条" in finding.message and "第四十二条" in finding.message and "未采用" in finding.message
    assert confirmed(tmp_path / "out")["QC02"].basis == BASIS


# ── 9. fail closed: a copy that withholds where the snapshot does not ──────────────────

def test_a_copy_marking_a_power_withheld_withholds_it(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    fill(copy, {code: (KEEP, None) for code in ALL}, "保密办", edits={("QC02", "disclosure"): "涉密"})
    result = review([str(copy)], tmp_path / "out")
    assert [f.code for f in result.findings] == ["review-edit-not-applied"]
    assert confirmed(tmp_path / "out")["QC02"].is_withheld


# ── fail closed on what an office may do to the decision columns ─────────────────────────

def _set_cell(path: Path, code: str, header: str, value: str, new_column: bool = False) -> None:
    read = load_file(str(path))
    power = next(p for p in read.powers if p.code == code)
    book = openpyxl.load_workbook(path)
    sheet = book[power.source.sheet]
    if new_column:
        col = sheet.max_column + 1
        sheet.cell(1, col, header)
    else:
        col = next(c.column for c in sheet[1] if c.value == header)
    sheet.cell(power.source.row, col, value)
    book.save(path)


def test_a_second_conclusion_column_is_read_too(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    _set_cell(copy, "QC02", "审核结论（保密办）", "转备案", new_column=True)
    result = review([str(copy)], tmp_path / "out")
    assert confirmed(tmp_path / "out")["QC02"].is_withheld
    assert {f.code for f in result.findings} == {"review-withhold-no-reason"}


def test_an_uncomputed_formula_conclusion_withholds(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    _set_cell(copy, "QC02", "审核结论", '=IF(A1="","保留","取消")')
    result = review([str(copy)], tmp_path / "out")
    assert [f.code for f in result.findings] == ["review-conclusion-unknown"]
    assert confirmed(tmp_path / "out")["QC02"].is_withheld


def test_an_opinion_speaking_of_secrecy_withholds(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy, QC01=("取消", "涉及国家秘密，已另行备案"), QC02=(KEEP, "内部掌握"))
    result = review([str(copy)], tmp_path / "out")
    assert [f.code for f in result.findings] == ["review-opinion-withholds"] * 2
    assert PUBLIC["QC01"] not in publishable_text(tmp_path / "out")
    assert PUBLIC["QC01"] in xlsx_text(tmp_path / "out" / REGISTER)
    assert confirmed(tmp_path / "out")["QC02"].is_withheld


def test_no_copy_matching_a_list_writes_nothing(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    out = tmp_path / "out"
    assert run_cli("review", copy, "--out", out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    drop_snapshot(copy)
    result = run_cli("review", copy, "--out", out)
    assert result.exit_code == 3 and "没有一份副本能对应到送审清单" in result.stderr and "未改动" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_copy_made_before_the_snapshot_kept_status_still_withholds(tmp_path):
    """Copies sent out before issue 20 have no settled status in their snapshot: the copy's
    own structure (its sheet, section, block rows) withholds the power."""
    import base64
    import json

    from powercat.ingest.decisions import read_snapshot_row

    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    book = openpyxl.load_workbook(copy)
    for row in book[SNAPSHOT_SHEET].iter_rows(min_row=2):
        record = read_snapshot_row([c.value or "" for c in row])
        record.pop("status")
        row[0].value = base64.b64encode(json.dumps(record, ensure_ascii=False).encode()).decode()
    book.save(copy)
    review([str(copy)], tmp_path / "out")
    assert withheld_codes(confirmed(tmp_path / "out")) == set(WITHHELD)


def test_an_opinion_without_a_conclusion_that_speaks_of_filing_withholds(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    fill(copy, {code: (KEEP, None) for code in ALL if code != "QC01"} | {"QC01": (None, "建议转备案")}, "保密办")
    result = review([str(copy)], tmp_path / "out")
    assert sorted(f.code for f in result.findings) == ["review-opinion-withholds", "review-undecided"]
    assert confirmed(tmp_path / "out")["QC01"].is_withheld


def test_a_copy_of_another_agency_with_the_same_power_names_is_not_mixed_in(tmp_path):
    """Two cities' 统计局 list the same powers by name: a copy of the other city's list whose
    snapshot was deleted must not decide this city's powers."""
    _original, sent = send(tmp_path)
    keep_all(copy_to(sent, tmp_path / "returned"))
    other = tmp_path / "returned" / "白河市统计局权责清单.审查意见.xlsx"
    book = openpyxl.Workbook()
    book.active.append(HEAD + ["审核结论", "审核意见", "审核单位"])
    for i, (code, title) in enumerate(PUBLIC.items(), start=1):
        book.active.append([i, f"BH0{i}", title, None, "行政处罚", BASIS, "主动公开", None, "取消", "重复", "法制办"])
    book.save(other)
    result = review([str(tmp_path / "returned")], tmp_path / "out")
    assert "review-copy-no-original" in {f.code for f in result.findings}
    assert set(confirmed(tmp_path / "out")) == set(ALL)  # nothing removed by the other city's decisions


def test_with_list_a_renamed_copy_without_snapshot_joins_by_codes(tmp_path):
    original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned", "保密办意见.xlsx")
    keep_all(copy, "保密办", QC02=(FILE, LAWFUL))
    drop_snapshot(copy)
    result = review([str(copy)], tmp_path / "out", [str(original)])
    assert [f.code for f in result.findings] == ["review-snapshot-missing"]
    assert withheld_codes(confirmed(tmp_path / "out")) == set(WITHHELD) | {"QC02"}


def test_a_full_disk_leaves_the_earlier_review(tmp_path, monkeypatch):
    import errno

    from powercat.review import run as review_run

    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    keep_all(copy)
    out = tmp_path / "out"
    assert run_cli("review", copy, "--out", out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / REGISTER))

    monkeypatch.setattr(review_run, "write_register", full)
    result = run_cli("review", copy, "--out", out)
    assert result.exit_code == 5 and "磁盘空间不足" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []  # no staging, no lock file left


def test_a_renamed_snapshot_sheet_is_still_the_snapshot(tmp_path):
    _original, sent = send(tmp_path)
    legal = copy_to(sent, tmp_path / "returned", "法制办.xlsx")
    secrecy = copy_to(sent, tmp_path / "returned", "保密办.xlsx")
    keep_all(legal, "法制办")
    keep_all(secrecy, "保密办", QC02=(FILE, LAWFUL))
    book = openpyxl.load_workbook(secrecy)
    book[SNAPSHOT_SHEET].title = "Sheet9"
    book.save(secrecy)
    result = review([str(legal), str(secrecy)], tmp_path / "out")
    assert result.findings == [] and len(result.groups) == 1
    assert withheld_codes(confirmed(tmp_path / "out")) == set(WITHHELD) | {"QC02"}


def test_adjusting_a_withheld_power_to_public_is_refused(tmp_path):
    _original, sent = send(tmp_path)
    copy = copy_to(sent, tmp_path / "returned")
    fill(copy, {code: (KEEP, None) for code in ALL} | {"QC04": ("调整", "可以公开")}, "编办",
         edits={("QC04", "disclosure"): "主动公开", ("QC04", "exemption"): None})
    result = review([str(copy)], tmp_path / "out")
    assert [f.code for f in result.findings] == ["review-unwithhold-refused"]
    assert confirmed(tmp_path / "out")["QC04"].is_withheld
