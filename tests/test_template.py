"""`powercat template` writes the standard workbook; a filled copy reads back."""

import openpyxl

from powercat.ingest import load_file
from powercat.ingest.template import write_workbook


def test_blank_template_has_sheets_headers_notes_and_dropdowns(tmp_path, cli):
    out = tmp_path / "模板.xlsx"
    result = cli("template", out)
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["职权目录", "运行流程", "单位信息", "运行记录"]
    catalogue = book["职权目录"]
    headers = [c.value for c in catalogue[1]]
    assert headers[:5] == ["职权编码", "职权名称", "子项名称", "职权类别", "实施依据"]
    assert catalogue.freeze_panes == "A2"
    assert "必填" in catalogue["B1"].comment.text
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in catalogue.data_validations.dataValidation}
    assert "行政许可" in lists["D"] and "不予公开" in lists["L"]
    steps = book["运行流程"]
    assert [dv.formula1 for dv in steps.data_validations.dataValidation] == ['"开始,办理,判断,结束"']
    # the blank template reads as a valid, empty list
    read = load_file(str(out))
    assert read.powers == [] and [s.name for s in read.sheets if s.header_row] == ["职权目录", "运行流程"]


def test_template_refuses_to_overwrite(tmp_path, cli):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    assert cli("template", out).exit_code == 2
    assert out.read_bytes() == b"keep me"
    assert cli("template", tmp_path / "t.csv").exit_code == 2


def test_filled_copy_reads_back(tmp_path):
    out = tmp_path / "filled.xlsx"
    write_workbook(
        out,
        info={"name": "测试县统计局", "credit_code": "11000000MB0000000X", "phone": "12345"},
        powers=[{"code": "000000001XK00100", "name": "涉外调查机构资格认定", "category": "行政许可",
                 "basis": "【法律】《中华人民共和国统计法》\n第四十九条", "statutory_limit": "20个工作日",
                 "promised_limit": "=1+1", "disclosure": "主动公开"},
                {"code": "000000001CF00100", "name": "对拒绝提供统计资料的处罚", "sub_name": "无", "category": "处罚",
                 "basis": "【法律】《中华人民共和国统计法》第四十一条"}],
        steps=[{"code": "000000001XK00100", "step_id": "1", "name": "受理", "kind": "开始", "next": "2"},
               {"step_id": "2", "name": "决定", "kind": "结束"}],
    )
    result = load_file(str(out))
    assert result.error is None and result.agency.name == "测试县统计局" and result.agency.phone == "12345"
    first, second = result.powers
    assert (first.source.sheet, first.source.row, first.name, first.category) == ("职权目录", 2, "涉外调查机构资格认定", "行政许可")
    assert first.promised_limit == "=1+1"  # user text stays text, never a formula
    assert first.agency == "测试县统计局"  # 实施主体 left blank → the workbook's agency
    assert (second.sub_name, second.category, second.category_raw) == (None, "行政处罚", "处罚")
    assert [(s.step_id, s.code) for s in first.steps] == [("1", "000000001XK00100"), ("2", "000000001XK00100")]
    assert second.steps == []


def test_the_duty_note_shows_only_forms_the_stage_reader_draws(tmp_path, cli):
    import re

    from powercat.process.stages import PROCEDURE, read_procedure

    out = tmp_path / "模板.xlsx"
    assert cli("template", out).exit_code == 0
    catalogue = openpyxl.load_workbook(out)["职权目录"]
    (duty,) = [c for c in catalogue[1] if c.value == "责任事项"]
    note = duty.comment.text
    assert "1.受理阶段：" in note and "受理→审查→决定→送达" in note and "运行流程" in note
    numbered = note.split("：", 1)[1].split("（", 1)[0]  # "1.受理阶段：… 2.审查阶段：… …"
    assert [s.name for s in read_procedure(numbered).stages] == ["受理", "审查", "决定", "送达"]
    chain = re.search(r"“(受理→[^”]+)”", note).group(1)
    assert read_procedure(chain).form == PROCEDURE
    bracketed = re.search(r"如 (1\.受理阶段（[^）]+）：…)", note).group(1) + " 2.审查阶段：…"
    first = read_procedure(bracketed).stages[0]
    assert (first.post, first.limit) == ("窗口受理岗", "1个工作日")
    for mark in ("１．", "（一）", "①", "第一步"):  # each numbering the note offers reads as stages
        assert len(read_procedure(f"{mark}受理：收件\n{mark.replace('１', '２').replace('一', '二').replace('①', '②')}审查：核对")
                   .stages) == 2, mark
    assert read_procedure("直接实施责任：1.规范审批标准。指导监督责任：加强指导。").form != PROCEDURE
