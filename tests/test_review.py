"""`powercat review` on small made-up lists: the decision columns, matching rows that were
moved, inserted or deleted, conflicts, unlawful withholding, and the command's exit codes."""

import json
import shutil

import openpyxl
import pytest

from powercat.check import run as run_checks
from powercat.ingest import load_file
from powercat.ingest.template import write_workbook
from powercat.model import Catalogue
from powercat.report.annotate import write_annotated
from powercat.ingest.decisions import CONCLUSIONS, FILE, normalise_conclusion
from powercat.review.run import review

from .conftest import run_cli

BASIS = "【法律】《中华人民共和国统计法》第四十一条"


def make_list(path, agency="青川市测试局", n=6):
    powers = []
    for i in range(1, n + 1):
        powers.append({"code": f"QC001CF{i:03d}" if i % 2 else None, "name": f"对第{i}类统计违法行为的处罚",
                       "category": "行政处罚", "basis": BASIS, "statutory_limit": "90日", "disclosure": "主动公开"})
    write_workbook(path, {"name": agency}, powers)
    return path


def annotate(list_path, out_dir):
    source = load_file(str(list_path))
    return write_annotated(source, run_checks(Catalogue([source])).findings, out_dir)


def returned(sent, tmp_path, office):
    target = tmp_path / "returned" / f"{sent.stem}-{office}.xlsx"
    target.parent.mkdir(exist_ok=True)
    shutil.copy(sent, target)
    return target


def columns(sheet):
    return {c.value: c.column for c in sheet[1] if c.value}


def decide(path, office, decisions, insert_before=None):
    """decisions: power name → (结论, 意见); insert_before: a name before which a new row
    (a power the office made up) is inserted first."""
    book = openpyxl.load_workbook(path)
    sheet = book["职权目录"]
    cols = columns(sheet)
    if insert_before:
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, cols["职权名称"]).value == insert_before)
        sheet.insert_rows(row)
        sheet.cell(row, cols["职权名称"], "对拒绝配合统计调查的处罚（新增）")
        sheet.cell(row, cols["职权类别"], "行政处罚")
        sheet.cell(row, cols["审核结论"], "保留")
    for r in range(2, sheet.max_row + 1):
        name = sheet.cell(r, cols["职权名称"]).value
        if name in decisions:
            conclusion, opinion = decisions[name]
            sheet.cell(r, cols["审核结论"], conclusion)
            sheet.cell(r, cols["审核意见"], opinion)
            sheet.cell(r, cols["审核单位"], office)
    book.save(path)


def name(i):
    return f"对第{i}类统计违法行为的处罚"


def test_conclusions_normalise():
    assert normalise_conclusion(" 保留 ") == "保留"
    assert normalise_conclusion("转备案") == FILE and normalise_conclusion("转备案(不予公开)") == FILE
    assert normalise_conclusion("不予公开") == FILE
    assert normalise_conclusion("") is None and normalise_conclusion(None) is None
    assert normalise_conclusion("同意") == "同意"  # reported by the caller, never guessed
    assert set(CONCLUSIONS) == {"保留", "取消", "合并", "调整", "下放", "转备案（不予公开）"}


def test_template_and_annotated_copy_carry_decision_columns(tmp_path, cli):
    template = tmp_path / "模板.xlsx"
    assert cli("template", template).exit_code == 0
    sheet = openpyxl.load_workbook(template)["职权目录"]
    headers = [c.value for c in sheet[1]]
    assert headers[-5:] == ["审核结论", "审核意见", "审核单位", "审核人", "日期"]
    letter = openpyxl.utils.get_column_letter(headers.index("审核结论") + 1)
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert "转备案（不予公开）" in lists[letter]
    assert load_file(str(template)).powers == []  # the decision headers are not read as power fields

    sent = annotate(make_list(tmp_path / "list.xlsx"), tmp_path / "sent")
    book = openpyxl.load_workbook(sent)
    copy = book["职权目录"]
    headers = [c.value for c in copy[1]]
    assert headers.count("审核结论") == 1  # the template's own columns are reused, not added twice
    assert book["powercat送审底稿"].sheet_state == "veryHidden"
    # the copy still reads as the same list
    assert [p.name for p in load_file(str(sent)).powers if p.source.sheet == "职权目录"] == [name(i) for i in range(1, 7)]


def test_moved_inserted_and_deleted_rows_conflicts_and_reasons(tmp_path):
    sent = annotate(make_list(tmp_path / "list.xlsx"), tmp_path / "sent")
    legal = returned(sent, tmp_path, "法制")
    staffing = returned(sent, tmp_path, "编制")
    secrecy = returned(sent, tmp_path, "保密")
    decide(legal, "法制办", {name(1): ("取消", "无上位法依据"), name(2): ("保留", None), name(3): ("保留", None),
                            name(4): ("调整", None), name(5): ("保留", None), name(6): ("保留", None)},
           insert_before=name(3))
    # 编办 deletes row of power 5, and disagrees on 1 (two different ways of removing)
    book = openpyxl.load_workbook(staffing)
    sheet = book["职权目录"]
    row5 = next(r for r in range(2, 9) if sheet.cell(r, 2).value == name(5))
    sheet.delete_rows(row5)
    book.save(staffing)
    decide(staffing, "编办", {name(1): ("下放", None), name(2): ("同意", None), name(4): ("保留", None)})
    decide(secrecy, "保密办", {name(2): ("转备案（不予公开）", None), name(3): ("转备案", "涉及个人隐私"),
                               name(6): ("转备案", "涉及商业秘密，依据《中华人民共和国反不正当竞争法》第十条")})
    result = review([str(legal), str(staffing), str(secrecy)], tmp_path / "out")
    found = sorted((f.code, f.row, f.file.rsplit("/", 1)[-1]) for f in result.findings)
    legal_name, staffing_name, secrecy_name = legal.name, staffing.name, secrecy.name
    assert found == sorted([
        ("review-conflict", 2, "list.xlsx"),  # 取消 vs 下放
        ("review-row-unmatched", 4, legal_name),  # the row 法制办 inserted
        ("review-power-missing", 6, "list.xlsx"),  # the row 编办 deleted
        ("review-conclusion-unknown", 3, staffing_name),
        ("review-withhold-no-reason", 3, secrecy_name),
        ("review-withhold-no-basis", 4, secrecy_name),
    ]), found
    outcomes = {o.power.name: o for o in result.outcomes}
    assert outcomes[name(1)].conflict and outcomes[name(1)].confirmed is not None  # kept until settled
    assert outcomes[name(4)].conclusion == "调整"  # 保留 and 调整 agree
    assert [o.power.name for o in result.outcomes if o.withheld] == [name(2), name(3), name(6)]  # fail closed
    assert outcomes[name(6)].confirmed.exemption.startswith("涉及商业秘密")
    # matching survived the inserted row: power 3's decision from 法制办 is at row 5 of its copy
    assert [d.power.source.row for d in outcomes[name(3)].decisions if d.office == "法制办"] == [5]


def test_withheld_outcomes_stay_out_of_the_adjustment_table(tmp_path):
    sent = annotate(make_list(tmp_path / "list.xlsx"), tmp_path / "sent")
    copy = returned(sent, tmp_path, "保密")
    decide(copy, "保密办", {name(i): ("保留", None) for i in range(1, 7)} |
           {name(2): ("转备案", "国家秘密，依据《中华人民共和国保守国家秘密法》第十三条"), name(5): ("取消", None)})
    result = review([str(copy)], tmp_path / "out")
    assert result.report.count("error") == 0
    table = " ".join(str(c.value) for row in openpyxl.load_workbook(tmp_path / "out" / "调整对照表.xlsx").active.iter_rows()
                     for c in row if c.value)
    assert name(5) in table and name(2) not in table
    register = " ".join(str(c.value) for row in openpyxl.load_workbook(tmp_path / "out" / "备案登记表.xlsx").active.iter_rows()
                        for c in row if c.value)
    assert name(2) in register and "保守国家秘密法" in register
    assert result.counts["sentence"] == "清理出 6 项，确认 5 项，取消 1 项，合并 0 项，下放 0 项，备案 1 项"


def test_list_option_groups_copies_and_reports_strangers(tmp_path):
    original = make_list(tmp_path / "list.xlsx")
    other = make_list(tmp_path / "other.xlsx", agency="青川市另一局", n=2)
    copy = returned(annotate(original, tmp_path / "sent"), tmp_path, "法制")
    stranger = returned(annotate(other, tmp_path / "sent"), tmp_path, "法制")
    decide(copy, "法制办", {name(i): ("保留", None) for i in range(1, 7)})
    result = review([str(copy), str(stranger)], tmp_path / "out", [str(original)])
    assert [f.code for f in result.findings] == ["review-no-list"]
    assert len(result.groups) == 1 and result.counts["total"]["confirmed"] == 6


def test_cli_exit_codes_and_output_folder_safety(tmp_path):
    sent = annotate(make_list(tmp_path / "list.xlsx"), tmp_path / "sent")
    copy = returned(sent, tmp_path, "法制")
    decide(copy, "法制办", {name(i): ("保留", None) for i in range(1, 7)})
    out = tmp_path / "out"
    result = run_cli("review", str(copy), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "清理出 6 项，确认 6 项" in result.stdout
    assert run_cli("review", str(copy), "--out", str(out)).exit_code == 0  # an earlier review's folder is replaced
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("keep")
    result = run_cli("review", str(copy), "--out", str(tmp_path / "busy"))
    assert result.exit_code == 2 and (tmp_path / "busy" / "keep.txt").read_text() == "keep"
    assert run_cli("review", str(tmp_path / "returned"), "--out", str(tmp_path / "returned" / "o")).exit_code == 2
    # a plain list (no decision columns) and an unreadable file
    plain = tmp_path / "plain" / "plain.xlsx"
    plain.parent.mkdir()
    book = openpyxl.Workbook()
    book.active.append(["序号", "事项名称", "权力类型", "实施依据"])
    book.active.append(["1", name(1), "行政处罚", BASIS])
    book.save(plain)
    bad = tmp_path / "plain" / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    result = run_cli("review", str(plain), str(bad), "--out", str(tmp_path / "o2"), "--json")
    # neither can be read as a copy: nothing is written (issue 20: no empty review replaces an earlier one)
    assert result.exit_code == 3 and "都无法作为审核副本读取" in result.stderr
    assert not (tmp_path / "o2").exists()
    # beside a readable copy, the plain list is reported
    result = run_cli("review", str(copy), str(plain), str(bad), "--out", str(tmp_path / "o3"), "--json")
    assert result.exit_code == 3
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert {"review-snapshot-missing", "review-no-decision-columns"} <= set(codes)  # joined by its power's name


@pytest.mark.parametrize("conclusion", ["取消", "下放", "合并"])
def test_a_removal_leaves_the_confirmed_list(tmp_path, conclusion):
    sent = annotate(make_list(tmp_path / "list.xlsx", n=2), tmp_path / "sent")
    copy = returned(sent, tmp_path, "编制")
    decide(copy, "编办", {name(1): (conclusion, "理由"), name(2): ("保留", None)})
    result = review([str(copy)], tmp_path / "out")
    back = load_file(result.confirmed["青川市测试局"])
    assert [p.name for p in back.powers] == [name(2)]
    assert result.counts["total"][{"取消": "cancelled", "下放": "devolved", "合并": "merged"}[conclusion]] == 1


def test_an_adjusted_name_still_matches_its_power(tmp_path):
    sent = annotate(make_list(tmp_path / "list.xlsx"), tmp_path / "sent")
    copy = returned(sent, tmp_path, "法制")
    book = openpyxl.load_workbook(copy)
    sheet = book["职权目录"]
    row = next(r for r in range(2, 9) if sheet.cell(r, 2).value == name(2))
    assert sheet.cell(row, 1).value is None  # no code: only the name can pair it
    sheet.cell(row, 2, name(2).replace("的处罚", "行为的行政处罚"))
    book.save(copy)
    decide(copy, "法制办", {name(i): ("保留", None) for i in range(1, 7)} |
           {name(2).replace("的处罚", "行为的行政处罚"): ("调整", "名称规范")})
    result = review([str(copy)], tmp_path / "out")
    assert [f.code for f in result.findings] == []
    (adjusted,) = [o for o in result.outcomes if o.conclusion == "调整"]
    assert adjusted.power.name == name(2) and adjusted.confirmed.name.endswith("行为的行政处罚")
    table = " ".join(str(c.value) for r in openpyxl.load_workbook(tmp_path / "out" / "调整对照表.xlsx").active.iter_rows()
                     for c in r if c.value)
    assert "更名" in table


def test_copies_renamed_by_each_office_stay_one_list(tmp_path):
    original = tmp_path / "青川市测试局权责清单.xlsx"
    write_workbook(original, None, [{"name": name(1), "category": "行政处罚", "basis": BASIS}])
    sent = annotate(original, tmp_path / "sent")
    first, second = tmp_path / "r" / "法制办意见.xlsx", tmp_path / "r" / "编办意见（终）.xlsx"
    first.parent.mkdir()
    shutil.copy(sent, first)
    shutil.copy(sent, second)
    decide(first, "法制办", {name(1): ("保留", None)})
    decide(second, "编办", {name(1): ("取消", None)})
    result = review([str(first), str(second)], tmp_path / "out")
    assert [(g.agency, len(g.copies)) for g in result.groups] == [("青川市测试局", 2)]
    assert [f.code for f in result.findings] == ["review-conflict"]


def test_outputs_are_deterministic(tmp_path):
    sent = annotate(make_list(tmp_path / "list.xlsx"), tmp_path / "sent")
    legal, secrecy = returned(sent, tmp_path, "法制"), returned(sent, tmp_path, "保密")
    decide(legal, "法制办", {name(i): ("保留", None) for i in range(1, 6)} | {name(6): ("取消", "重复")})
    decide(secrecy, "保密办", {name(3): ("转备案", "国家秘密，依据《中华人民共和国保守国家秘密法》第十三条")})

    def cells(path):
        book = openpyxl.load_workbook(path)
        return [[c.value for c in row] for sheet in book for row in sheet.iter_rows()]

    outs = []
    for n in (1, 2):
        review([str(legal), str(secrecy)], tmp_path / f"out{n}")
        outs.append(tmp_path / f"out{n}")
    first, second = (json.loads((o / "review.json").read_text(encoding="utf-8").replace(str(o), "OUT")) for o in outs)
    assert first == second
    for name_ in ("备案登记表.xlsx", "调整对照表.xlsx", "清理统计.xlsx", "确认清单/青川市测试局.确认清单.xlsx"):
        assert cells(outs[0] / name_) == cells(outs[1] / name_), name_


def test_two_lists_of_one_agency_get_two_confirmed_lists(tmp_path):
    copies = []
    for stem, n in (("甲清单", 2), ("乙清单", 3)):
        sent = annotate(make_list(tmp_path / f"{stem}.xlsx", n=n), tmp_path / "sent")
        copies.append(returned(sent, tmp_path, "法制"))
        decide(copies[-1], "法制办", {name(i): ("保留", None) for i in range(1, n + 1)})
    result = review([str(c) for c in copies], tmp_path / "out")
    assert sorted(result.confirmed) == ["青川市测试局（乙清单）", "青川市测试局（甲清单）"]
    assert sorted(len(load_file(p).powers) for p in result.confirmed.values()) == [2, 3]


def test_two_offices_adjusting_one_field_differently_is_a_conflict(tmp_path):
    sent = annotate(make_list(tmp_path / "list.xlsx", n=2), tmp_path / "sent")
    copies = [returned(sent, tmp_path, office) for office in ("法制", "编制")]
    for copy, office, limit in ((copies[0], "法制办", "60日"), (copies[1], "编办", "30日")):
        book = openpyxl.load_workbook(copy)
        sheet = book["职权目录"]
        sheet.cell(2, columns(sheet)["法定时限"], limit)
        book.save(copy)
        decide(copy, office, {name(1): ("调整", f"时限改为{limit}"), name(2): ("保留", None)})
    result = review([str(c) for c in copies], tmp_path / "out")
    (finding,) = result.findings
    assert finding.code == "review-conflict" and finding.column == "I"
    assert "法制办与编办对法定时限作了不同调整" in finding.message
    (first, second) = result.outcomes
    assert first.conflict and first.confirmed.statutory_limit == "90日"  # kept as sent until settled
    assert second.conclusion == "保留"


def test_sample_data_round_trips_with_steps_and_withheld_powers(tmp_path):
    from .conftest import DATA

    from powercat.ingest import load

    for source in load([str(DATA)]).files:
        write_annotated(source, [], tmp_path / "sent")  # the copies as `check --annotate` writes them
    result = review([str(tmp_path / "sent")], tmp_path / "out")
    assert {f.code for f in result.findings} == {"review-undecided"}  # nothing decided, nothing lost
    before = {(p.agency, p.title): p for p in load_file_all(DATA)}
    after = {(p.agency, p.title): p for p in load_file_all(tmp_path / "out" / "确认清单")}
    assert before.keys() == after.keys() and len(before) == 88
    for key, old in before.items():
        new = after[key]
        assert [(s.step_id, s.name, s.next) for s in old.steps] == [(s.step_id, s.name, s.next) for s in new.steps]
        assert (old.basis, old.disclosure, old.exemption, old.is_withheld) == \
            (new.basis, new.disclosure, new.exemption, new.is_withheld), key
    assert sum(o.withheld for o in result.outcomes) == 2 == result.counts["total"]["filed"]


def load_file_all(folder):
    from powercat.ingest import load

    return load([str(folder)]).powers


def test_conflicts_and_undecided_powers_in_a_sheet_and_on_the_terminal(tmp_path, cli):
    """The leading office sees, in 清理统计.xlsx, who said what at which row of which copy;
    the terminal names each copy by the office that returned it."""
    sent = annotate(make_list(tmp_path / "list.xlsx", n=3), tmp_path / "sent")
    legal, staff = returned(sent, tmp_path, "法制"), returned(sent, tmp_path, "编制")
    decide(legal, "法制办", {name(1): ("取消", "上位法已废止"), name(2): ("保留", None)})
    decide(staff, "编办", {name(1): ("保留", "仍在实施"), name(2): ("保留", None)})  # name(3): nobody decided
    result = cli("review", legal, staff, "--out", tmp_path / "out")
    book = openpyxl.load_workbook(tmp_path / "out" / "清理统计.xlsx")
    sheet = book["冲突与待定"]
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=3)]
    conflict = [r for r in rows if r["状态"] == "结论冲突"]
    assert [(r["职权名称"], r["审核单位"], r["审核结论"], r["审核意见"]) for r in conflict] == [
        (name(1), "法制办", "取消", "上位法已废止"), (name(1), "编办", "保留", "仍在实施")]
    assert conflict[0]["副本位置（文件、工作表、行）"] == f"{legal.name}“职权目录”第 2 行"
    assert conflict[0]["送审清单位置"].endswith("“职权目录”第 2 行")
    undecided = [r for r in rows if r["状态"] == "未审核"]
    assert {(r["职权名称"], r["审核单位"], r["审核结论"]) for r in undecided} == {
        (name(3), "法制办", "（未填写）"), (name(3), "编办", "（未填写）")}
    assert {r["副本位置（文件、工作表、行）"] for r in undecided} == {f"{legal.name}“职权目录”第 4 行",
                                                          f"{staff.name}“职权目录”第 4 行"}
    out = result.stdout
    assert f"审核单位 法制办：{legal.name}" in out and f"审核单位 编办：{staff.name}" in out
    assert "法制办（审核单位）" in out
    assert f"{name(1)} — 法制办：取消（{legal.name}“职权目录”第 2 行）；编办：保留" in out
