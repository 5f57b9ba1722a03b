"""Columns the reader used to drop without a word: the second half of a 实施层级及权限 header
(the 权限 text of ~2,700 real items), and a second column headed like one that is read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from powercat.check.reading import check as reading_findings
from powercat.ingest import load

HEADER = ["序号", "事项名称", "权力类型", "实施依据", "实施层级及权限", "实施层级及权限", "责任事项依据", "责任事项依据"]
BASIS = "【法律】《中华人民共和国行政许可法》第十二条"


def _book(path: Path, rows, header=HEADER, merge: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["测试局权责清单"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def _unread(catalogue) -> list[tuple[str, int, str]]:
    return [(f.code, f.row, f.column) for f in reading_findings(catalogue)
            if f.code in ("column-duplicate-unread", "disclosure-columns-disagree")]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["克拉玛依市生态环境局2024年权责清单.xls",  # header merged over H:I
                                  "克拉玛依市住房和城乡建设局2024年权责清单.xls",  # written twice, unmerged
                                  "2024年市农业农村局权责清单.xls"])  # most sheets: written once, I1 blank
def test_real_level_and_authority_halves(real_lists, name):
    powers = load([str(real_lists / name)]).powers
    assert powers and all(p.columns.get("authority") == "I" for p in powers)
    with_authority = [p for p in powers if p.authority]
    assert len(with_authority) > 0.9 * len(powers)
    # the 层级 half stays a level; the 权限 half is the sentence beside it (负责本级……的审批)
    assert all(p.level and p.level.endswith("级") for p in powers)
    assert sum(len(p.authority) > 8 and p.authority != p.level for p in with_authority) > 0.9 * len(with_authority)
    assert _unread(load([str(real_lists / name)])) == []  # the halves are read, not reported


@pytest.mark.slow
def test_real_repeated_columns_reported_and_agreeing_columns_not(real_lists):
    commerce = load([str(real_lists / "克拉玛依市商务局2024年权责清单.xlsx")])
    found = _unread(commerce)
    # 责任事项依据 L|P, 追责对象范围 M|Q, 追责情形 N|R (备注 O|S: both blank, nothing to say)
    assert {column for _code, _row, column in found} == {"P", "Q", "R"}
    assert ("column-duplicate-unread", 23, "Q") in found  # the read column is blank there
    assert len(found) <= 2 * len(commerce.powers)  # once per item and column at most
    # 公开类型 (主动公开) beside 是否公示 (是) on every row: the same status, no finding
    fire = load([str(real_lists / "克拉玛依市2025年消防监督执法权责清单.xlsx")])
    assert fire.powers and _unread(fire) == []
    assert not any(p.is_withheld for p in fire.powers if p.disclosure and "主动" in p.disclosure)


def test_compound_header_split_only_over_two_columns(tmp_path):
    two = _book(tmp_path / "two.xlsx", [[1, "甲许可", "行政许可", BASIS, "县级", "负责本县甲许可", "依据甲", "依据甲"]],
                merge="E2:F2")
    power = load([str(two)]).powers[0]
    assert (power.level, power.authority) == ("县级", "负责本县甲许可")
    header = HEADER[:5] + ["", "责任事项依据", "备注"]  # written once, the cell beside it blank
    blank = _book(tmp_path / "blank.xlsx", [[1, "丁许可", "行政许可", BASIS, "县级", "负责本县丁许可", "依据丁", ""]],
                  header=header)
    assert load([str(blank)]).powers[0].authority == "负责本县丁许可"
    # merged over three columns: which column is which is not said — the others are checked
    header = HEADER[:4] + ["实施层级及权限"] * 3 + ["备注"]
    three = _book(tmp_path / "three.xlsx", [[1, "乙许可", "行政许可", BASIS, "县级", "负责乙", "负责丙", ""]],
                  header=header, merge="E2:G2")
    catalogue = load([str(three)])
    assert catalogue.powers[0].authority is None
    assert _unread(catalogue) == [("column-duplicate-unread", 3, "F"), ("column-duplicate-unread", 3, "G")]


def test_repeated_column_differing_only_in_punctuation_is_not_reported(tmp_path):
    path = _book(tmp_path / "punct.xlsx", [
        [1, "甲许可", "行政许可", BASIS, "县级", "负责甲", "《行政许可法》第三十条，第三十一条。", "《行政许可法》第三十条、第三十一条"],
        [2, "乙许可", "行政许可", BASIS, "县级", "负责乙", "《行政许可法》第三十条", "《行政许可法》第三十二条"],
        [3, "丙许可", "行政许可", BASIS, "县级", "负责丙", "《行政许可法》第三十条", ""],
    ])
    catalogue = load([str(path)])
    assert _unread(catalogue) == [("column-duplicate-unread", 4, "H")]
    message = next(f.message for f in reading_findings(catalogue) if f.code == "column-duplicate-unread")
    assert "自第 11 字起" in message and "第三十二条" in message and "第三十条" in message and "责任事项依据" in message


def test_a_blank_headed_column_with_text_is_reported_once_per_sheet_and_column(tmp_path):
    header = ["序号", "事项名称", "权力类型", "", "实施依据", ""]
    rows = [[1, "甲许可", "行政许可", "", BASIS, ""],
            [2, "乙许可", "行政许可", "联系电话 0990-1234567", BASIS, ""],
            [3, "丙许可", "行政许可", "另有说明", BASIS, ""]]
    path = _book(tmp_path / "blank-header.xlsx", rows, header=header)
    catalogue = load([str(path)])
    found = [f for f in reading_findings(catalogue) if f.code == "column-unheaded-unread"]
    assert [(f.sheet, f.row, f.column, f.severity) for f in found] == [("Sheet", 4, "D", "warning")]
    assert "共 2 行" in found[0].message and "联系电话" in found[0].message and "表头为空" in found[0].message
    assert found[0].power.startswith("乙许可") and found[0].file.endswith("blank-header.xlsx")
    # a second sheet with the same gap is its own finding
    workbook = openpyxl.load_workbook(path)
    copy = workbook.copy_worksheet(workbook.active)
    copy.title = "第二页"
    workbook.save(path)
    found = [f for f in reading_findings(load([str(path)])) if f.code == "column-unheaded-unread"]
    assert sorted((f.sheet, f.row, f.column) for f in found) == [("Sheet", 4, "D"), ("第二页", 4, "D")]


def test_a_blank_headed_column_in_a_csv_is_reported(tmp_path):
    path = tmp_path / "blank-header.csv"
    path.write_text("事项名称,权力类型,,实施依据\n甲许可,行政许可,,依据\n乙许可,行政许可,备注内容在此,依据\n", encoding="utf-8")
    found = [f for f in reading_findings(load([str(path)])) if f.code == "column-unheaded-unread"]
    assert [(f.row, f.column) for f in found] == [(3, "C")]
    assert "备注内容在此" in found[0].message and "共 1 行" in found[0].message


def test_blank_headed_columns_not_reported_when_read_empty_or_outside_items(tmp_path):
    # the second half of a compound header is read; an empty blank-headed column says nothing;
    # a footnote merged across the table is no item's text
    header = HEADER[:5] + ["", "责任事项依据", "", "备注"]
    rows = [[1, "丁许可", "行政许可", BASIS, "县级", "负责本县丁许可", "依据丁", "", ""]]
    path = _book(tmp_path / "quiet.xlsx", rows + [["注：本表由某局编制"]], header=header, merge="A4:I4")
    catalogue = load([str(path)])
    assert catalogue.powers[0].authority == "负责本县丁许可"
    assert [f for f in reading_findings(catalogue) if f.code == "column-unheaded-unread"] == []


def test_columns_under_headers_that_name_no_field_are_reported_once_per_sheet(tmp_path):
    header = ["序号", "事项名称", "权力类型", "实施对象", "实施依据", "录入人", "办理数量", "审核结论"]
    rows = [[1, "甲许可", "行政许可", "自然人、法人", BASIS, "张三", "", "保留"],
            [2, "乙许可", "行政许可", "法人", BASIS, "李四", "", ""]]
    catalogue = load([str(_book(tmp_path / "unknown.xlsx", rows, header=header))])
    found = [f for f in reading_findings(catalogue) if f.code == "column-unknown-unread"]
    assert [(f.row, f.column, f.severity) for f in found] == [(2, "D", "info")]  # at the first such header
    # each column with text, how many rows; an empty one (办理数量) and a review column (审核结论:
    # read by `review`) not; the cells' own text (a person's name) is not quoted
    assert "D列“实施对象”（2 行）、F列“录入人”（2 行）；" in found[0].message
    assert "办理数量" not in found[0].message and "审核结论" not in found[0].message and "张三" not in found[0].message
    # the items themselves are read as before
    assert [p.name for p in catalogue.powers] == ["甲许可", "乙许可"]
