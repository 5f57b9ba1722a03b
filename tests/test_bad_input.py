"""Bad input: each file either reads correctly or is reported (exit 3) with a Chinese
message naming it; never a traceback; the other files are still listed."""

import io
import random
import struct
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from powercat.ingest import load_file

from .conftest import list_json, run_cli


def good_workbook(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "事项名称", "权力类型", "实施依据"])
    sheet.append([1, "某项许可", "行政许可", "【法律】《中华人民共和国行政许可法》第十二条"])
    book.save(path)
    return path


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def claim_size(data: bytes, size: int) -> bytes:
    """Rewrites every central-directory entry to claim `size` inflated bytes."""
    out = bytearray(data)
    start = 0
    while (pos := out.find(b"PK\x01\x02", start)) != -1:
        out[pos + 24:pos + 28] = struct.pack("<I", size)
        start = pos + 4
    return bytes(out)


@pytest.fixture
def bad_files(tmp_path):
    good = good_workbook(tmp_path / "good.xlsx")
    whole = good.read_bytes()
    encrypted = tmp_path / "encrypted.xlsx"
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(whole)).encrypt("secret", out)
    encrypted.write_bytes(out.getvalue())
    empty_book = openpyxl.Workbook()
    empty_book.save(tmp_path / "empty-book.xlsx")
    files = {
        "truncated.xlsx": whole[: len(whole) // 2],
        "no-workbook.xlsx": zip_bytes({"readme.txt": "只是一个压缩包".encode()}),
        "random.xlsx": random.Random(7).randbytes(4096),
        "zero.xls": b"",
        "ratio-bomb.xlsx": zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (4 * 2**20)}),
        "size-bomb.xlsx": claim_size(zip_bytes({"xl/workbook.xml": b"<workbook/>"}), 300 * 2**20),
        "page.xls": "<html><body><table><tr><td>事项名称</td></tr></table></body></html>".encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "gbk.csv").write_bytes("职权名称,职权类别,实施依据\n某项检查,行政检查,依据\n".encode("gbk"))
    return tmp_path


EXPECTED_ERRORS = {
    "truncated.xlsx": ("corrupt-zip", "损坏"),
    "no-workbook.xlsx": ("zip-no-workbook", "没有 Excel 工作簿"),
    "random.xlsx": ("corrupt-workbook", "不是 Excel 工作簿"),
    "zero.xls": ("empty-file", "文件为空"),
    "ratio-bomb.xlsx": ("zip-bomb", "压缩比"),
    "size-bomb.xlsx": ("zip-bomb", "超过上限"),
    "page.xls": ("html-disguised", "网页"),
    "encrypted.xlsx": ("encrypted", "加密"),
    "empty-book.xlsx": ("no-power-table", "未找到权力清单表头"),
}


def test_each_bad_file_has_its_code_and_chinese_message(bad_files):
    for name, (code, words) in EXPECTED_ERRORS.items():
        result = load_file(str(bad_files / name))
        assert result.error is not None, name
        assert result.error.code == code, (name, result.error)
        assert words in result.error.message and name in result.error.message, result.error.message
        assert result.powers == []


def test_folder_with_bad_files_lists_the_good_ones_and_exits_3(bad_files):
    code, data = list_json(bad_files)
    assert code == 3
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
    assert by_name["good.xlsx"]["error"] is None and by_name["good.xlsx"]["items"] == 1
    assert by_name["gbk.csv"]["error"] is None and by_name["gbk.csv"]["format"] == "csv"
    assert {n for n, f in by_name.items() if f["error"]} == set(EXPECTED_ERRORS)
    names = sorted(p["name"] for p in data["powers"])
    assert names == ["某项检查", "某项许可"]


def test_terminal_view_names_each_unreadable_file_without_traceback(bad_files):
    result = run_cli("list", bad_files)
    assert result.exit_code == 3
    assert "Traceback" not in result.stdout + result.stderr
    for name in EXPECTED_ERRORS:
        assert name in result.stderr
    assert "无法读取" in result.stderr


def test_missing_path_is_reported(tmp_path):
    code, data = list_json(tmp_path / "nope.xlsx")
    assert code == 3 and data["files"][0]["error"]["code"] == "file-not-found"


def test_csv_encodings_read_alike(tmp_path):
    text = "职权名称,子项名称,职权类别\n对未按规定报送统计资料的处罚,无,行政处罚\n"
    variants = {"utf8.csv": text.encode("utf-8"), "bom.csv": b"\xef\xbb\xbf" + text.encode("utf-8"),
                "gb.csv": text.encode("gb18030")}
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        result = load_file(str(tmp_path / name))
        assert result.error is None, name
        assert [(p.name, p.sub_name, p.category) for p in result.powers] == [("对未按规定报送统计资料的处罚", None, "行政处罚")]


def test_xls_named_xlsx_read_by_its_bytes(real_lists):
    result = load_file(str(real_lists / "克拉玛依市2025年消防监督执法权责清单.xlsx"))
    assert result.format == "xls" and result.error is None and len(result.powers) == 75


def test_inputs_are_never_modified(bad_files):
    before = {p.name: p.read_bytes() for p in bad_files.iterdir()}
    list_json(bad_files)
    assert {p.name: p.read_bytes() for p in bad_files.iterdir()} == before


def test_console_script_exit_code_and_stderr(bad_files):
    proc = subprocess.run([sys.executable, "-m", "powercat", "list", "--json", str(bad_files / "random.xlsx"),
                           str(bad_files / "good.xlsx")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "random.xlsx" in proc.stderr
