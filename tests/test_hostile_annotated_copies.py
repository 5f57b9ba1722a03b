"""Hostile cells in the annotated copies (issue 24, third pass, QA): a list whose cells hold
control characters is read (the reader drops them) and must get its review copy too, not
stop the run with an internal error (exit 70) — on `check --annotate` and on `build`."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from .conftest import run_cli
from .hostile.make_corpus import HEAD_ROW, good_book, inline_row, replace_part, sheet_xml


def control_char_lists(folder: Path) -> Path:
    """An .xlsx whose sheet XML carries &#x1;/&#x8;/&#xFFFE; (openpyxl refuses to open it, so
    the copy is rebuilt from the cells), a CSV with a bell and a vertical tab, one with a byte
    that is no UTF-8, and a good list."""
    folder.mkdir()
    (folder / "控制字符.xlsx").write_bytes(replace_part(good_book(), "xl/worksheets/sheet1.xml", sheet_xml(
        HEAD_ROW + inline_row(2, ["1", "含控制字符&#x1;&#x8;事项", "行政许可", "依据&#xFFFE;"]))))
    (folder / "响铃.csv").write_bytes("事项名称,权力类型,实施依据\n某项\x07许可,行政许可,依据\x0b一\n".encode("utf-8"))
    (folder / "代理项.csv").write_bytes("事项名称,权力类型\n某项\udcff许可,行政许可\n".encode("utf-8", "surrogateescape"))
    (folder / "正常.xlsx").write_bytes(good_book())
    return folder


def copy_texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_check_annotates_cells_with_control_characters(tmp_path):
    lists = control_char_lists(tmp_path / "清单")
    copies = tmp_path / "副本"
    result = run_cli("check", lists, "--annotate", copies, "--as-of", "2026-12-01")
    assert result.exit_code in (0, 1), result.stderr[-2000:]
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    made = sorted(p.name for p in copies.glob("*.xlsx"))
    assert made == ["代理项.审查意见.xlsx", "响铃.审查意见.xlsx", "控制字符.审查意见.xlsx", "正常.审查意见.xlsx"]
    for copy in made:  # each opens (a raw U+FFFE in the XML made a copy Excel cannot open)
        assert copy_texts(copies / copy)
    texts = copy_texts(copies / "控制字符.审查意见.xlsx")
    assert "含控制字符事项" in texts  # the cell kept, its control characters dropped
    assert "某项许可" in copy_texts(copies / "响铃.审查意见.xlsx")


def test_build_with_a_control_character_list_publishes(tmp_path, fake_tools):
    lists = control_char_lists(tmp_path / "清单")
    out = tmp_path / "out"
    result = run_cli("build", lists, "--out", out, "--no-booklet", "--as-of", "2026-12-01")
    assert result.exit_code in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    review = out / "internal" / "review"
    assert (review / "控制字符.审查意见.xlsx").is_file() and (review / "响铃.审查意见.xlsx").is_file()
