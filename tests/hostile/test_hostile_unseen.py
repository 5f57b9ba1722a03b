"""The third hostile corpus (tests/hostile/make_unseen.py, issue 24): each case listed on its own
(exit code, phrase, valid JSON, no traceback), the classes fixed in the reader checked one by
one, and every command run over the whole corpus at once, with and without --json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
import pytest

from powercat.check.reading import check as reading_findings
from powercat.ingest import load

from ..conftest import fake_tools, run_cli  # noqa: F401 – fake_tools: a fixture

sys.path.insert(0, str(Path(__file__).parent))
from make_unseen import BASIS, HEADER, build as build_unseen, item  # noqa: E402


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unseen")
    return folder, build_unseen(folder)


def _powers(folder: Path) -> list:
    return load([str(folder)]).powers


def test_each_unseen_case_is_listed_or_refused_in_chinese(unseen):
    root, expected = unseen
    assert len(expected) >= 20
    for case, (code, phrase) in expected.items():
        result = run_cli("list", "--json", root / case)
        assert result.exit_code == code, (case, result.stderr[-800:])
        assert phrase in result.stdout + result.stderr, (case, result.stderr[-800:])
        assert "Traceback" not in result.stdout + result.stderr
        data = json.loads(result.stdout)
        for file in data["files"]:
            if file["error"] is not None:  # a refused file names itself, in Chinese
                assert Path(file["path"]).name in result.stderr and "无法读取" in result.stderr, case


def test_a_header_repeated_at_every_page_is_not_an_item(unseen):
    root, _ = unseen
    names = [p.name for p in _powers(root / "repeated-header")]
    assert names == [f"测试许可{n}" for n in range(1, 21)]


def test_a_header_below_row_30_is_found(unseen):
    root, _ = unseen
    catalogue = load([str(root / "header-row-40")])
    assert [p.name for p in catalogue.powers] == ["测试许可1", "测试许可2", "测试许可3"]
    assert catalogue.files[0].sheets[0].header_row == 40


def test_a_pair_of_header_words_low_in_a_notes_sheet_is_no_header(tmp_path):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    for n in range(40):
        notes.append([f"说明第{n + 1}条"])
    notes.append(["事项名称", "权力类型"])  # two words only: not a header that low
    notes.append(["示例事项", "行政许可"])
    workbook.save(tmp_path / "notes.xlsx")
    assert load([str(tmp_path / "notes.xlsx")]).files[0].error.code == "no-power-table"


def test_every_item_of_a_second_table_beside_the_first_is_reported(unseen):
    root, _ = unseen
    catalogue = load([str(root / "side-by-side")])
    assert [p.name for p in catalogue.powers] == ["测试许可1", "测试许可2"]
    names = [f for f in reading_findings(catalogue) if f.code == "column-duplicate-unread" and f.field == "name"]
    assert [(f.row, f.column) for f in names] == [(3, "K"), (4, "K"), (5, "K"), (6, "K"), (7, "K")]
    assert all(f"右表事项{n}" in f.message for n, f in enumerate(names, start=1))


def test_a_header_over_no_items_says_why_and_an_empty_template_says_nothing(unseen, tmp_path):
    root, _ = unseen
    catalogue = load([str(root / "merge-over-table")])  # one merge over every item row
    sheet = catalogue.files[0].sheets[0]
    assert (catalogue.powers, sheet.items, sheet.header_row) == ([], 0, 2)
    assert "表头下有内容，但没有读到任何事项" in sheet.reason
    empty = openpyxl.Workbook()
    empty.active.append(HEADER)
    empty.save(tmp_path / "template.xlsx")
    assert load([str(tmp_path / "template.xlsx")]).files[0].sheets[0].reason is None


def test_a_contents_sheet_is_not_read_twice(unseen):
    root, _ = unseen
    catalogue = load([str(root / "contents-sheet")])
    assert len(catalogue.powers) == 15 and {p.source.sheet for p in catalogue.powers} == {
        "行政许可", "行政处罚", "行政检查", "行政确认", "其他行政权力"}
    contents = catalogue.files[0].sheets[0]
    assert (contents.name, contents.kind, contents.items) == ("目录", "none", 0)
    assert "15 个事项均见于本文件其他工作表" in contents.reason


def _two_sheets(path: Path, names_sheet: str, names: list[str]) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = names_sheet
    first.append(["序号", "事项名称", "权力类型"])
    for n, name in enumerate(names, start=1):
        first.append([n, name, "行政许可"])
    full = workbook.create_sheet("权责清单")
    full.append(HEADER)
    full.append(item(1, name="甲许可"))
    full.append(item(2, name="乙许可"))
    workbook.save(path)
    return path


def test_a_names_only_sheet_is_read_when_it_lists_something_new_or_withholds(tmp_path):
    # an item listed nowhere else is an item (its missing 依据 is check's to report)
    new = load([str(_two_sheets(tmp_path / "new.xlsx", "目录", ["甲许可", "丙许可"]))])
    assert sorted(p.name for p in new.powers) == sorted(["甲许可", "丙许可", "甲许可", "乙许可"])
    # a sheet of withheld names is read: it withholds them (fail closed), never skipped as contents
    withheld = load([str(_two_sheets(tmp_path / "withheld.xlsx", "不予公开事项", ["甲许可"]))])
    held = [p for p in withheld.powers if p.source.sheet == "不予公开事项"]
    assert [p.name for p in held] == ["甲许可"] and held[0].is_withheld


def test_a_gb18030_csv_with_a_stray_byte_is_read_and_the_cell_reported(unseen):
    root, _ = unseen
    catalogue = load([str(root / "csv-gb18030-stray")])
    assert [p.name for p in catalogue.powers] == ["测试许可1", "测试许可2"]
    assert catalogue.powers[0].basis == BASIS  # the lines around it decode as GB18030
    found = [(f.row, f.column) for f in reading_findings(catalogue) if f.code == "csv-undecodable-bytes"]
    assert found == [(3, "B")]


def test_an_office_file_with_no_workbook_inside_is_named_for_what_it_is(unseen, tmp_path):
    root, _ = unseen
    result = run_cli("list", root / "ole-renamed")
    assert result.exit_code == 3 and "Office 复合文档，但其中没有 Excel 工作簿" in result.stderr
    assert "Cannot detect" not in result.stdout + result.stderr
    doc = (root / "ole-renamed" / "list.xls").read_bytes()[:512] + "WordDocument".encode("utf-16-le")
    (tmp_path / "memo.xls").write_bytes(doc)
    assert load([str(tmp_path / "memo.xls")]).files[0].error.message.endswith("这是 Word 文档（.doc），不是 Excel 工作簿")


def test_a_utf8_csv_with_a_stray_byte_is_reported_at_its_cell(tmp_path):
    path = tmp_path / "stray.csv"
    path.write_bytes("事项名称,权力类型,实施依据\n甲许可,行政许可,依据\n乙许可,行政许可,".encode() + b"\xff\xfe" + "依据\n".encode())
    catalogue = load([str(path)])
    assert [p.name for p in catalogue.powers] == ["甲许可", "乙许可"]
    assert [(f.row, f.column) for f in reading_findings(catalogue) if f.code == "csv-undecodable-bytes"] == [(3, "C")]


COMMANDS = [
    ("list",), ("list", "--json"), ("list", "--files"),
    ("check", "--as-of", "2026-12-01"), ("check", "--json", "--as-of", "2026-12-01"),
    ("flowchart", "--format", "svg", "--no-booklet", "--out", "{out}/fc"),
    ("flowchart", "--json", "--format", "svg", "--no-booklet", "--out", "{out}/fcj"),
    ("catalogue", "--out", "{out}/cat"),
    ("build", "--no-booklet", "--as-of", "2026-12-01", "--out", "{out}/build"),
    ("build", "--json", "--no-booklet", "--as-of", "2026-12-01", "--out", "{out}/buildj"),
    ("stats",), ("stats", "--json"),
    ("review", "--out", "{out}/review"), ("review", "--json", "--out", "{out}/reviewj"),
    ("cases", "--catalogue", "{corpus}", "--as-of", "2026-12-01"),
    ("cases", "--json", "--catalogue", "{corpus}", "--as-of", "2026-12-01"),
    ("template", "--from", "{corpus}", "--out", "{out}/tpl"),
]


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(a for a in c if a.startswith("--j") or a == c[0]))
def test_every_command_over_the_whole_unseen_corpus(unseen, tmp_path, fake_tools, command):  # noqa: F811
    root, _ = unseen
    args = [a.format(out=tmp_path, corpus=root) for a in command]
    args[1:1] = [str(root)]
    result = run_cli(*args)  # an exception would escape: catch_exceptions=False
    assert result.exit_code in (0, 1, 3), (args, result.exit_code, result.stderr[-1500:])
    assert "Traceback" not in result.stdout + result.stderr
    if "--json" in args and result.exit_code != 3:  # (review: no copy readable at all is stderr alone)
        json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_diff_against_every_unseen_case(unseen, json_flag):
    root, expected = unseen
    for case in expected:
        if case == "repeated-header":
            continue  # the same list on both sides: a usage error (exit 2)
        result = run_cli("diff", *json_flag, root / "repeated-header", root / case)
        assert result.exit_code in (0, 1, 3), (case, result.stderr[-800:])
        assert "Traceback" not in result.stdout + result.stderr
