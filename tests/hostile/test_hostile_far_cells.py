"""A value far out in a sheet (XFD1048576) made calamine allocate the whole grid (512 GB)
before any size check could run: the process aborted with a Rust backtrace and every other
file of the run was lost. Now such a sheet is refused by its cell references first, with
the usual 工作表过大 message, and the run goes on; a cell that is only styled out there
(calamine leaves it out) is no reason to refuse."""

import io
import json
import subprocess
import sys

import pytest

from powercat.ingest import workbook

from .make_corpus import HEAD_ROW, ITEM_ROW, good_book, replace_part, sheet_xml


def _value(ref: str, row: int) -> str:
    return f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'


FAR = {  # file → the rows added after the header and one item
    "xfd.xlsx": _value("XFD1048576", 1048576),
    "wide-and-long.xlsx": _value("ZZ3", 3) + _value("A999999", 999999),
    "dollar.xlsx": _value("$XFD$1048576", 1048576),
}
NEAR = {
    "wide.xlsx": _value("AAA3", 3),  # 703 columns, 3 rows: small
    "styled-only.xlsx": '<row r="1048576"><c r="XFD1048576" s="0"/></row>',
    "styled-closed.xlsx": '<row r="1048576"><c r="XFD1048576" s="0"></c></row>',
}


def _book(extra: str) -> bytes:
    return replace_part(good_book(), "xl/worksheets/sheet1.xml", sheet_xml(HEAD_ROW + ITEM_ROW + extra))


@pytest.mark.slow
def test_a_far_value_is_refused_and_the_other_files_are_read(tmp_path):
    for name, extra in {**FAR, **NEAR}.items():
        (tmp_path / name).write_bytes(_book(extra))
    (tmp_path / "good.xlsx").write_bytes(good_book())
    # a subprocess: on the old reader the whole interpreter aborted
    done = subprocess.run([sys.executable, "-m", "powercat", "list", str(tmp_path), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert "panicked" not in done.stderr and "backtrace" not in done.stderr, done.stderr[-2000:]
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(done.stdout)["files"]}
    for name in FAR:
        assert files[name]["error"]["code"] == "sheet-too-large", files[name]
        assert "过大" in files[name]["error"]["message"]
    for name in [*NEAR, "good.xlsx"]:
        assert files[name]["error"] is None and files[name]["items"] == 1, files[name]


def test_the_extent_of_cells_split_between_chunks(monkeypatch):
    xml = (b'<sheetData><row r="1"><c r="A1" s="3" t="inlineStr"><is><t>a</t></is></c></row>'
           b'<row r="70000"><c r="AB70000" s="12" t="s"><v>0</v></c><c r="XFD70000" s="1"/></row></sheetData>')
    for chunk in (7, 13, 64, 1 << 16):  # every split of a tag between two reads
        monkeypatch.setattr(workbook, "_PART_CHUNK", chunk)
        assert workbook._extent(io.BytesIO(xml)) == (69999, 27)
        assert workbook._scan_part(io.BytesIO(xml), 1 << 20) == (False, True)
    assert workbook._scan_part(io.BytesIO(b'<row r="9"><c r="Z9"><v>1</v></c></row>'), 1 << 20) == (False, False)
