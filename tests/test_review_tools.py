"""`powercat diff`, `powercat stats` and the overlap findings."""

import json
import shutil

import openpyxl
import pytest

from powercat.check import run
from powercat.compare import diff, diff_json
from powercat.ingest import load, load_file
from powercat.report.annotate import _load_copy

from .conftest import DATA, run_cli

FIRE = "克拉玛依市2025年消防监督执法权责清单.xlsx"


@pytest.fixture
def edited_fire_list(tmp_path, real_lists):
    """A copy of the real fire-service list (an OLE .xls named .xlsx) with known edits:
    one item added, one removed, one renamed, one basis and one limit changed."""
    source = load_file(str(real_lists / FIRE))
    book = _load_copy(source)  # the cells and merges, as an openpyxl workbook
    sheet = book["Sheet1"]
    by_row = {p.source.row: p for p in source.powers}
    # rename row 25 (no code, so only the rename matcher can pair it)
    renamed_old = by_row[25].name
    sheet["D25"] = renamed_old + "（含分支机构）"
    # basis of row 6 and limit of row 7
    sheet["G6"] = "【法律】《中华人民共和国消防法》\n第六十条第一款第（一）项"
    sheet["N7"] = "30日"
    # add an item at the end, then remove row 12
    sheet.append(["76", "克拉玛依市", "新疆消防救援总队", "新增的消防安全检查事项", "行政检查", "650200207JC00100",
                  "【法律】《中华人民共和国消防法》第五十三条"])
    removed = by_row[12]
    sheet.delete_rows(12)
    path = tmp_path / "消防清单（调整后）.xlsx"
    book.save(path)
    return real_lists / FIRE, path, {"renamed": renamed_old, "removed": removed, "basis": by_row[6], "limit": by_row[7]}


@pytest.mark.slow
def test_diff_of_an_edited_real_list_is_exact(edited_fire_list, tmp_path):
    old, new, edits = edited_fire_list
    result = diff(load([str(old)]), load([str(new)]))
    assert [p.name for _a, p in result.added] == ["新增的消防安全检查事项"]
    assert [p.source.row for _a, p in result.removed] == [edits["removed"].source.row]
    assert [(p.old.name, p.new.name, p.how) for p in result.renamed] == [
        (edits["renamed"], edits["renamed"] + "（含分支机构）", "rename")]
    changed = {(p.old.source.row, c.field, c.after) for p in result.changed for c in p.changes}
    assert changed == {(6, "basis", "【法律】《中华人民共和国消防法》\n第六十条第一款第（一）项"), (7, "statutory_limit", "30日")}
    assert len(result.unchanged) == 75 - 1 - 1 - 2
    # the CLI: JSON and the publishable 调整对照表
    out = tmp_path / "调整对照表.xlsx"
    cli = run_cli("diff", old, new, "--json", "--out", out)
    assert cli.exit_code == 0
    assert json.loads(cli.stdout)["summary"] == {"added": 1, "removed": 1, "renamed": 1, "changed": 2, "unchanged": 71}
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["新增", "取消", "更名", "变更", "变更"]
    assert "法定时限：60日 → 30日" in rows[4][6]


@pytest.mark.slow
def test_identical_archive_files_are_reported(real_lists):
    catalogue = load([str(real_lists)])
    report = run(catalogue, select=["file-duplicate"])
    assert [(f.file.rsplit("/", 1)[-1], f.code) for f in report.findings] == [
        ("克拉玛依市档案局2024年权责清单.xlsx", "file-duplicate")]
    assert "字节完全相同" in report.findings[0].message
    copy = diff(load([str(real_lists / "克拉玛依市档案局2024年权责清单.xlsx")]),
                load([str(real_lists / "克拉玛依市档案局2024年权责清单 (1).xlsx")]))
    assert diff_json(copy)["summary"] == {"added": 0, "removed": 0, "renamed": 0, "changed": 0, "unchanged": 12}


def test_overlapping_powers_across_agencies():
    report = run(load([str(DATA)]), select=["power-overlap"])
    assert sorted((f.file.rsplit("/", 1)[-1], f.row) for f in report.findings) == [
        ("青川市交通运输局权力清单.xlsx", 15), ("青川市应急管理局权力清单.xlsx", 9)]
    assert "《中华人民共和国安全生产法》第一百零二条" in report.findings[0].message


def test_near_identical_files(tmp_path):
    shutil.copy(DATA / "青川市市场监督管理局权力清单.xlsx", tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(DATA / "青川市市场监督管理局权力清单.xlsx")
    book["单位信息"]["D2"] = "2025年版（修订）"  # a different file, the same items
    book.save(tmp_path / "b.xlsx")
    report = run(load([str(tmp_path)]), select=["file-duplicate"])
    assert len(report.findings) == 1 and "100% 相同" in report.findings[0].message


def test_stats_json_and_workbook(tmp_path):
    out = tmp_path / "统计.xlsx"
    result = run_cli("stats", DATA, "--json", "--out", out, "--check")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"] == 88
    market = next(a for a in data["agencies"] if a["agency"] == "青川市市场监督管理局")
    assert market["total"] == 24 and market["with_steps"] == 8 and market["by_category"]["行政处罚"] == 11
    assert sum(a["withheld"] for a in data["agencies"]) == 2
    assert data["findings_by_code"]["power-overlap"] == 2
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["分类统计", "问题统计"]
    assert len(book["分类统计"]._charts) == 1
