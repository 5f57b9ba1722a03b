"""The second hostile corpus (issue 10): non-regular files, expansion bombs in ODS and CSV, a
password-protected legacy .xls, formulas with no cached value, sheets named misleadingly,
process steps built to hurt the graph checks, and names that would collide or carry control
characters. Each case: the command to run on it, its exit code, and a phrase its output
(stdout or stderr) must contain.

    python tests/hostile/make_more.py OUT_DIR
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
from pathlib import Path

import openpyxl

POWER_HEADER = ["序号", "职权编码", "事项名称", "权力类型", "实施依据", "公开方式"]
STEP_HEADER = ["职权编码", "环节编号", "环节名称", "环节类型", "承办岗位", "办理时限", "下一环节"]
BASIS = "【法律】《中华人民共和国行政许可法》第十二条"


def _save(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def powers_book(rows, title="某测试局权责清单", sheet="权责清单", steps=None, extra_sheets=()) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(POWER_HEADER)
    for r in rows:
        ws.append(r)
    if steps is not None:
        flow = book.create_sheet("运行流程")
        flow.append(STEP_HEADER)
        for s in steps:
            flow.append(s)
    for name, cells in extra_sheets:
        other = book.create_sheet(name)
        for r in cells:
            other.append(r)
    return _save(book)


def ods(rows_xml: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="清单">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>事项名称</text:p></table:table-cell>'
        '</table:table-row>' + rows_xml + '</table:table></office:spreadsheet></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                         'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


FILLED = '<table:table-cell office:value-type="string"{attr}><text:p>x</text:p></table:table-cell>'


def filepass_xls() -> bytes | None:
    """A legacy .xls whose globals carry a FILEPASS record (password-protected)."""
    try:
        import xlwt
        from xlwt.CompoundDoc import XlsDoc
    except ImportError:
        return None
    book = xlwt.Workbook()
    sheet = book.add_sheet("清单")
    sheet.write(0, 0, "事项名称")
    sheet.write(1, 0, "某项许可")
    stream = book.get_biff_data()
    _type, length = struct.unpack("<HH", stream[:4])
    filepass = struct.pack("<HH", 0x002F, 54) + struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48
    out = io.BytesIO()
    XlsDoc().save(out, stream[:4 + length] + filepass + stream[4 + length:])
    return out.getvalue()


def build(out: Path) -> dict[str, tuple[list[str], int, str]]:
    """Writes every case into `out`; returns name → (command, exit code, phrase)."""
    out.mkdir(parents=True, exist_ok=True)
    cases: dict[str, tuple[list[str], int, str]] = {}

    def put(name: str, data: bytes | None, command: list[str], code: int, phrase: str) -> None:
        if data is None:
            return
        (out / name).write_bytes(data)
        cases[name] = (command, code, phrase)

    listing, check = ["list", "--files"], ["check", "--limit", "0"]
    # not regular files: refused before reading (a FIFO would block a reader forever)
    os.mkfifo(out / "pipe.xlsx")
    cases["pipe.xlsx"] = (listing, 3, "不是普通文件")
    (out / "folder.xlsx").mkdir()
    cases["folder.xlsx"] = (listing, 3, "没有找到工作簿")
    # expansion bombs: ODS repeats and oversized CSVs
    put("ods-rows.ods", ods('<table:table-row table:number-rows-repeated="2000000000">'
                            + FILLED.format(attr="") + "</table:table-row>"), listing, 3, "展开后的范围")
    put("ods-columns.ods", ods('<table:table-row table:number-rows-repeated="10000">'
                               + FILLED.format(attr=' table:number-columns-repeated="16000"') + "</table:table-row>"),
        listing, 3, "展开后的范围")
    put("ods-gap.ods", ods('<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
                           '<table:table-row>' + FILLED.format(attr=' table:number-columns-repeated="1"')
                           + '<table:table-cell table:number-columns-repeated="5000"/>'
                           + FILLED.format(attr="") + "</table:table-row>"), listing, 3, "展开后的范围")
    put("ods-empty-tail.ods", ods('<table:table-row table:number-rows-repeated="1048000">'
                                  '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'),
        listing, 3, "未找到权力清单表头")  # the trailing empty area LibreOffice writes is harmless
    put("csv-wide.csv", ("事项名称," + ",".join(["x"] * 17000) + "\n").encode(), listing, 3, "超出可读取的上限")
    put("csv-long.csv", ("事项名称\n" + "a\n" * 1_048_577).encode(), listing, 3, "超出可读取的上限")
    put("csv-huge-field.csv", ("事项名称,实施依据\n某事项," + "长" * 200_000 + "\n").encode(), listing, 3, "CSV")
    put("filepass.xls", filepass_xls(), listing, 3, "已加密")
    # formulas with no cached value: the item is kept, with a finding
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(POWER_HEADER)
    ws.append([1, "F-1", '=CONCATENATE("某","事项")', "行政检查", BASIS, "主动公开"])
    ws.append([2, "F-2", "某处罚事项", "行政处罚", '=A1&"依据"', "主动公开"])
    put("formula-uncached.xlsx", _save(book), check, 1, "公式")
    put("formula-uncached-list.xlsx", _save(book), ["list"], 0, "公式未计算")
    # sheets decided by their header, never by their name
    put("named-like-steps.xlsx", powers_book([[1, "N-1", "某检查事项", "行政检查", BASIS, "主动公开"]],
                                             sheet="行政检查（含办理流程）"), ["list"], 0, "某检查事项")
    put("skipped-sheet.xlsx", powers_book([[1, "S-1", "某事项", "行政检查", BASIS, "主动公开"]],
                                          extra_sheets=[("填表说明", [["本表按要求填写"]])]), listing, 0, "未读取")
    # process steps built to hurt: thousands under one code; a dense graph of cycles with no 补正 step
    many = [["P-1", str(i), f"环节{i}", "办理", "科员", "1个工作日", str(i + 1)] for i in range(1, 3001)]
    put("steps-too-many.xlsx", powers_book([[1, "P-1", "某许可事项", "行政许可", BASIS, "主动公开"]], steps=many),
        check, 1, "超过上限 200")
    dense = [["P-2", "1", "开始", "开始", "窗口", "", "2"]] + [
        ["P-2", str(i), f"审查{i}", "办理", "科员", "1个工作日", ",".join(str(j) for j in range(2, 18) if j != i)]
        for i in range(2, 18)] + [["P-2", "18", "结束", "结束", "", "", ""]]
    put("steps-dense-cycles.xlsx", powers_book([[1, "P-2", "某许可事项", "行政许可", BASIS, "主动公开"]], steps=dense),
        check, 1, "循环")
    # 公开方式 values the vocabulary does not know, or that withhold without a reason
    put("disclosure-unknown.xlsx", powers_book([[1, "D-1", "某事项", "行政检查", BASIS, "网上"]]), check, 1, "无法识别")
    put("disclosure-no-reason.xlsx", powers_book([[1, "D-2", "某事项", "行政检查", BASIS, "涉密"]]), check, 1, "未写明理由")
    # names: control and bidi characters, a name too long for a file system
    put("bidi-agency.xlsx", powers_book([[1, "B-1", "某事项", "行政检查", BASIS, "主动公开"]],
                                        title="丙\u202e测试\u200b局权责清单"), ["list", "--files"], 0, "丙测试局")
    put("long-agency.xlsx", powers_book([[1, "L-1", "某事项", "行政检查", BASIS, "主动公开"]],
                                        title="很" * 300 + "局权责清单"), ["list", "--files"], 0, "")
    return cases


if __name__ == "__main__":
    for name, (command, code, phrase) in build(Path(sys.argv[1])).items():
        print(f"{name}\t{' '.join(command)}\t{code}\t{phrase}")
