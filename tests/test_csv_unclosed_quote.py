"""A CSV quote opened and never closed: the csv module (as Excel) reads the rest of the file
into that one cell, and every later row would vanish without a word. The reader takes that
quote literally, keeps every row, and reports the cell (found by the hostile-input pass)."""

import json

import pytest

from powercat.ingest import load_file

from .conftest import run_cli

HEAD = "序号,事项名称,权力类型,实施依据\n"
TAIL = "2,事项二,行政许可,依据二\n3,事项三,行政处罚,依据三\n"


def _names(path):
    result = load_file(str(path))
    assert result.error is None
    return result, [p.name for p in result.powers]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rows_after_an_unclosed_quote_are_kept_and_the_cell_reported(tmp_path, newline):
    path = tmp_path / "清单.csv"
    path.write_bytes((HEAD + '1,"事项一,行政许可,依据一\n' + TAIL).replace("\n", newline).encode("utf-8"))
    result, names = _names(path)
    assert names == ['"事项一', "事项二", "事项三"]
    problems = [(p.code, p.row, p.column, p.field) for p in result.powers[0].problems]
    assert problems == [("csv-quote-unclosed", 2, "B", "name")]
    assert not result.powers[1].problems and not result.powers[2].problems


def test_check_names_the_cell_in_chinese(tmp_path):
    (tmp_path / "清单.csv").write_text(HEAD + '1,"事项一,行政许可,依据一\n' + TAIL, encoding="utf-8")
    proc = run_cli("check", str(tmp_path), "--json")
    report = json.loads(proc.stdout)
    found = [f for f in report["findings"] if f["code"] == "csv-quote-unclosed"]
    assert len(found) == 1
    assert (found[0]["row"], found[0]["column"]) == (2, "B")
    assert "引号" in found[0]["message"] and "2 行" in found[0]["message"]


def test_a_closed_quote_across_lines_is_left_alone(tmp_path):
    path = tmp_path / "清单.csv"
    path.write_text(HEAD + '1,事项一,行政许可,"依据一\n第二段"\n', encoding="utf-8")
    result, names = _names(path)
    assert names == ["事项一"] and result.powers[0].basis.startswith("依据一")
    assert not result.powers[0].problems


def test_an_unclosed_quote_in_an_earlier_record_is_not_confused_with_the_last(tmp_path):
    # the quote of row 2 closes on row 3: a legal multi-line cell; row 4's quote never closes
    path = tmp_path / "清单.csv"
    path.write_text(HEAD + '1,事项一,行政许可,"依据一\n续"\n2,"事项二,行政许可,依据二\n3,事项三,行政处罚,依据三\n',
                    encoding="utf-8")
    result, names = _names(path)
    assert names == ["事项一", '"事项二', "事项三"]
    assert [(p.code, p.row) for p in result.powers[1].problems] == [("csv-quote-unclosed", 3)]
