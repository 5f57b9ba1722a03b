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


# --- one way in: a file is read only as what its header says it is (issue 20) ---

LIST_HEADER = ["序号", "职权编码", "事项名称", "权力类型", "实施依据", "公开方式"]
REGISTER_HEADER = ["办件编号", "职权编码", "职权名称", "相对人", "受理日期", "决定日期", "办理结果", "公开方式"]


def list_with_a_withheld_power(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "职权目录"
    sheet.append(LIST_HEADER)
    sheet.append([1, "XK-001", "某项许可", "行政许可", "【法律】《中华人民共和国行政许可法》第十二条", "主动公开"])
    sheet.append([2, "QT-009", "涉密事项核查", "其他行政权力", "【法律】《中华人民共和国保守国家秘密法》第二条", "不予公开"])
    book.save(path)
    return path


def register_naming_the_withheld_code(path, rows=3):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "运行记录"
    sheet.append(["青川市重要行政权力动态运行情况登记表（2025年）"])
    sheet.append(REGISTER_HEADER)
    for n in range(rows):
        sheet.append([f"BJ-2025-{n:03d}", "QT-009", "涉密事项核查", "某公司", "2025-03-01", "2025-03-10", "准予", "主动公开"])
    events = book.create_sheet("环节记录")
    events.append(["办件编号", "职权编码", "环节", "开始", "完成", "承办岗位"])
    events.append(["BJ-2025-000", "QT-009", "受理", "2025-03-01", "2025-03-01", "窗口"])
    book.save(path)
    return path


def test_a_register_among_the_lists_is_not_read_as_powers(tmp_path):
    list_with_a_withheld_power(tmp_path / "某局权力清单.xlsx")
    register_naming_the_withheld_code(tmp_path / "某局办件登记.xlsx")
    code, data = list_json(tmp_path)
    assert code == 0
    assert [p["name"] for p in data["powers"]] == ["某项许可", "涉密事项核查"]  # before: 5, each case a "power"
    register = next(f for f in data["files"] if f["path"].endswith("办件登记.xlsx"))
    assert register["error"] is None
    assert {s["kind"] for s in register["sheets"]} == {"register"}
    assert "办件登记表" in register["sheets"][0]["skipped"]


def test_a_list_with_a_sequence_column_named_bianhao_stays_a_list(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "职权编码", "事项名称", "权力类型", "实施依据", "公开方式", "备注"])
    sheet.append([1, "XK-001", "某项许可", "行政许可", "【法律】《中华人民共和国行政许可法》第十二条", "主动公开", "无"])
    book.save(tmp_path / "清单.xlsx")
    assert len(load_file(str(tmp_path / "清单.xlsx")).powers) == 1


def test_an_event_log_csv_among_the_lists_is_skipped_without_error(tmp_path):
    (tmp_path / "环节记录.csv").write_text("办件编号,职权编码,环节,开始,完成,承办岗位\nBJ-1,QT-009,受理,2025-03-01,2025-03-01,窗口\n",
                                         encoding="utf-8")
    source = load_file(str(tmp_path / "环节记录.csv"))
    assert source.error is None and not source.powers  # before: error no-power-table (exit 3)
    assert source.sheets[0].kind == "register"


def test_powercat_outputs_and_supplements_met_as_inputs_are_skipped(tmp_path):
    from powercat.publish.internal import write_register

    list_with_a_withheld_power(tmp_path / "清单.xlsx")
    catalogue_file = tmp_path / "行政权力事项目录.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["行政权力事项目录"])
    book.active.append(LIST_HEADER)
    book.active.append([1, "XK-001", "某项许可", "行政许可", "依据", "主动公开"])
    book.properties.creator = "powercat"  # as publish/spreadsheet.py stamps it
    book.save(catalogue_file)
    withheld = [p for p in load_file(str(tmp_path / "清单.xlsx")).powers if p.is_withheld]
    from powercat.publish.records import withheld_records
    from powercat.model import Catalogue

    write_register(withheld_records(Catalogue([load_file(str(tmp_path / "清单.xlsx"))])), tmp_path / "备案登记表.xlsx")
    (tmp_path / "规章.jsonl").write_text('{"title": "青川市某条例", "level": "地方性法规"}\n', encoding="utf-8")
    assert withheld
    code, data = list_json(tmp_path, tmp_path / "规章.jsonl")
    assert code == 0
    assert len(data["powers"]) == 2  # before: the catalogue's and the register's rows came back as powers
    kinds = {f["path"].rsplit("/", 1)[-1]: {s["kind"] for s in f["sheets"]} for f in data["files"]}
    assert kinds["行政权力事项目录.xlsx"] == {"output"} and kinds["备案登记表.xlsx"] == {"output"}
    assert kinds["规章.jsonl"] == {"supplement"}


def test_sheet_titles_from_user_text_are_always_valid_and_unique():
    from openpyxl import Workbook

    from powercat.names import sheet_title

    used: set[str] = set()
    book = Workbook()
    texts = ["a\\b", "x/y?z*[1]:", "'引号'", "", "   ", "History", "青" * 40, "青" * 40, "A\x00B\u202e", "a_b", "A_B"]
    titles = [sheet_title(text, used) for text in texts]
    for title in titles:
        book.create_sheet(title)  # openpyxl raises on any title Excel would refuse
    assert len({t.casefold() for t in titles}) == len(titles)
    assert all(len(t) <= 31 for t in titles)
    assert titles[0] == "a_b" and titles[-2] == "a_b(2)"


@pytest.mark.parametrize("command", ["check --annotate", "build"])
def test_a_file_name_with_a_backslash_reaches_no_sheet_title(tmp_path, command, fake_tools):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "某局\\权力[清单]?.csv").write_text(
        "序号,事项名称,权力类型,实施依据\n1,某项许可,行政许可,【法律】《中华人民共和国行政许可法》第十二条\n", encoding="utf-8")
    args = ["check", folder, "--annotate", tmp_path / "copies"] if command != "build" else \
        ["build", folder, "--out", tmp_path / "out", "--no-booklet"]
    result = run_cli(*args)
    assert result.exit_code in (0, 1), result.stderr  # before: 70, ValueError from openpyxl
    assert "内部错误" not in result.stderr
    copies = list((tmp_path / ("copies" if command != "build" else "out/internal/review")).glob("*.xlsx"))
    assert len(copies) == 1
    assert "某局_权力_清单__" in openpyxl.load_workbook(copies[0]).sheetnames


def _xls_with_filepass(where: str) -> bytes:
    """A legacy .xls with a FILEPASS record placed where a reader looking at the head of the
    globals does not see it."""
    xlwt = pytest.importorskip("xlwt")
    from xlwt.CompoundDoc import XlsDoc

    book = xlwt.Workbook()
    sheet = book.add_sheet("清单")
    for col, text in enumerate(["事项名称", "权力类型"]):
        sheet.write(0, col, text)
    sheet.write(1, 0, "某项许可")
    sheet.write(1, 1, "行政许可")
    stream = book.get_biff_data()
    offsets, offset = [], 0
    while offset + 4 <= len(stream):
        kind, length = struct.unpack("<HH", stream[offset:offset + 4])
        offsets.append((offset, kind, length))
        offset += 4 + length
    filepass = struct.pack("<HH", 0x002F, 54) + struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48
    first_eof = next(o for o, kind, _l in offsets if kind == 0x000A)
    after_bof = 4 + offsets[0][2]
    cut, extra = {
        "after-a-megabyte-of-padding": (after_bof, b"".join(struct.pack("<HH", 0x00E2, 8000) + b"\0" * 8000
                                                            for _ in range(140))),
        "after-a-stray-bof": (after_bof, struct.pack("<HH", 0x0809, 16) + b"\0" * 16),
        "after-the-globals": (first_eof + 4, b""),
        "at-the-end": (len(stream), b""),
    }[where]
    out = io.BytesIO()
    XlsDoc().save(out, stream[:cut] + extra + filepass + stream[cut:])
    return out.getvalue()


@pytest.mark.parametrize("where", ["after-a-megabyte-of-padding", "after-a-stray-bof", "after-the-globals", "at-the-end"])
def test_an_xls_with_a_filepass_anywhere_is_encrypted(tmp_path, where):
    path = tmp_path / "加密.xls"
    path.write_bytes(_xls_with_filepass(where))
    result = run_cli("list", "--files", path)
    assert result.exit_code == 3, result.stdout  # before: read as plain (exit 0) or "损坏"
    assert "已加密" in result.stderr
    assert load_file(str(path)).error.code == "encrypted"


def test_each_input_is_classified_once_as_what_it_is(tmp_path):
    from powercat.ingest.classify import file_kind

    list_with_a_withheld_power(tmp_path / "清单.xlsx")
    register_naming_the_withheld_code(tmp_path / "办件登记.xlsx")
    (tmp_path / "规章.json").write_text('{"title": "青川市某条例"}', encoding="utf-8")
    (tmp_path / "空.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    kinds = {name: file_kind(load_file(str(tmp_path / name))) for name in ("清单.xlsx", "办件登记.xlsx", "规章.json", "空.csv")}
    assert kinds == {"清单.xlsx": "powers", "办件登记.xlsx": "register", "规章.json": "supplement", "空.csv": "unknown"}


def test_only_a_formula_element_sends_a_sheet_through_the_formula_parser():
    from powercat.ingest.workbook import has_formula_element

    assert has_formula_element(b'<c r="A1"><f>ROW()</f><v>1</v></c>')
    assert has_formula_element(b'<x:c r="A1"><x:f t="shared" si="0"/></x:c>')
    assert has_formula_element(b'<c r="A1"><f\tt="array" ref="A1">1</f></c>')
    assert not has_formula_element(b'<dataValidation><formula1>"a,b"</formula1></dataValidation><filters/>')
    assert not has_formula_element(b'<c r="A1" t="s"><v>0</v></c>')


def _formula_element_by_find(xml: bytes) -> bool:
    """The search as first written (two finds): what the regex and the chunked scan must agree with."""
    for marker in (b"<f", b":f"):
        at = xml.find(marker)
        while at >= 0:
            if at + 2 >= len(xml) or xml[at + 2] in b" \t\r\n/>":
                return True
            at = xml.find(marker, at + 2)
    return False


def test_the_chunked_formula_search_agrees_with_a_search_of_the_whole_part(monkeypatch):
    import io
    import random
    import zipfile

    from powercat.ingest import workbook

    monkeypatch.setattr(workbook, "_PART_CHUNK", 3)  # every split of a name between two chunks
    rng = random.Random(24)
    samples = [b"", b"f", b"<f", b":f", b"<f>", b"a<f", b"<ff", b"<formula1>", b"x:f/", b"<<f\n"]
    samples += [bytes(rng.choice(b"<:f />a\t") for _ in range(rng.randrange(1, 14))) for _ in range(3000)]
    for xml in samples:
        expected = _formula_element_by_find(xml)
        assert workbook.has_formula_element(xml) is expected, xml
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("sheet.xml", xml)
        with zipfile.ZipFile(buffer).open("sheet.xml") as stream:
            assert workbook._part_has_formula_element(stream, workbook.MAX_PART_BYTES) is expected, xml
        with zipfile.ZipFile(buffer).open("sheet.xml") as stream:  # only the first `limit` bytes count
            assert workbook._part_has_formula_element(stream, 5) is _formula_element_by_find(xml[:5]), xml
