"""The third hostile corpus (issue 24): layouts and bytes no earlier corpus tried. Each case is
a folder of its own (some are about what a folder holds): print-ready lists whose header repeats
at every page break, a header below row 30, two tables side by side, a list split over many
sheets behind a 目录 sheet, columns in another order per sheet, 时限 in full-width digits, as a
formula or as a date, a merge over the whole table, an xlsx whose sharedStrings part is missing
or huge, a real macro workbook, other formats under a workbook's name, CSVs in UTF-16 and in
GB18030 with a stray byte, NUL bytes, ten thousand empty styled rows, hostile file names and
one file under two names.

    python tests/hostile/make_unseen.py OUT_DIR     # prints case, expected exit code, phrase

`expected` is what a user must see: the exit code of `powercat list` on the folder and a phrase
of its output; tests/hostile/test_hostile_unseen.py runs every command over every case.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import sys
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill

HEADER = ["序号", "职权编码", "事项名称", "权力类型", "实施依据", "承诺时限", "公开方式"]
BASIS = "【法律】《中华人民共和国行政许可法》第十二条"
TITLE = "某测试局权责清单"


def item(n: int, name: str | None = None, limit: object = "20个工作日", code: str | None = None) -> list:
    return [n, code or f"U-{n}", name or f"测试许可{n}", "行政许可", BASIS, limit, "主动公开"]


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def book(rows, header=HEADER, title=TITLE, sheet="权责清单", merges=()) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    if title is not None:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    return workbook


def _zip_edit(data: bytes, drop: tuple[str, ...] = (), put: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = (put or {}).get(info.filename, source.read(info.filename))
            target.writestr(info, content)
        for name, content in (put or {}).items():
            if name not in source.namelist():
                target.writestr(name, content)
    return out.getvalue()


def _shared_strings_book(n_extra: int = 0, drop_part: bool = False) -> bytes:
    """The list with its strings moved to sharedStrings.xml (as Excel writes them), padded with
    `n_extra` strings no cell uses; or with the part left out (every cell points at nothing)."""
    data = _save(book([item(1)]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        types = archive.read("[Content_Types].xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    strings: list[str] = []

    def shared(match: re.Match) -> str:
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(.*?)</t></is></c>', shared, sheet)
    part = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "".join(f"<si><t>{text}</t></si>" for text in strings)
            + "".join(f"<si><t>{i}</t></si>" for i in range(n_extra)) + "</sst>").encode()
    types = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    parts = {"xl/worksheets/sheet1.xml": sheet.encode(), "[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}
    if not drop_part:
        parts["xl/sharedStrings.xml"] = part
    return _zip_edit(data, put=parts)


def _xlsm() -> bytes:
    """A macro workbook as Excel writes it: the macro content type and a vbaProject.bin part."""
    data = _save(book([item(1)]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    types = types.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    types = types.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/'
                        b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    return _zip_edit(data, put={"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels,
                                "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504})


def _numbers() -> bytes:
    """An Apple Numbers document: a zip of Index/*.iwa, no workbook part at all."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00\x01snappy")
        archive.writestr("Metadata/Properties.plist", b"<plist/>")
    return out.getvalue()


def _ole_not_a_workbook() -> bytes:
    """An OLE2 compound file with no Workbook stream (a WPS .et or a .doc given a workbook's name)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = (0x3E).to_bytes(2, "little")
    header[26:28] = (3).to_bytes(2, "little")
    header[28:30] = (0xFFFE).to_bytes(2, "little")
    header[30:32] = (9).to_bytes(2, "little")
    header[32:34] = (6).to_bytes(2, "little")
    return bytes(header) + b"\xff" * 512


def _ods_bytes() -> bytes:
    """A small real ODS list (the same list as ok.xlsx), to be given other names."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="权责清单">'
               + "".join("<table:table-row>" + "".join(f'<table:table-cell office:value-type="string"><text:p>{v}'
                                                       f"</text:p></table:table-cell>" for v in row)
                         + "</table:table-row>" for row in [HEADER, item(1)])
               + "</table:table></office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                         'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                         '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                         "</manifest:manifest>")
    return out.getvalue()


def _styled_empty_rows() -> bytes:
    workbook = book([item(1), item(2)])
    ws = workbook.active
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(5, 10_005):
        for col in (1, 3, 7):
            ws.cell(row, col).fill = fill
    return _save(workbook)


def _repeated_header() -> bytes:
    """A print-ready list: the title and header again at every page (each 5 items)."""
    rows: list[list] = []
    for page in range(4):
        if page:
            rows += [[TITLE], HEADER]
        rows += [item(page * 5 + i + 1) for i in range(5)]
    return _save(book(rows))


def _header_low() -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "权责清单"
    ws.append([TITLE])
    for n in range(2, 40):
        ws.append([f"填表说明第{n}条：请按要求填写。"])
    ws.append(HEADER)  # row 40
    for n in range(1, 4):
        ws.append(item(n))
    return _save(workbook)


def _side_by_side() -> bytes:
    """Two tables in one sheet, one column apart: the right one has more items."""
    rows = []
    for n in range(1, 6):
        left = item(n) if n <= 2 else [None] * len(HEADER)
        rows.append(left + [None] + item(100 + n, name=f"右表事项{n}"))
    return _save(book(rows, header=HEADER + [None] + HEADER))


def _many_sheets_with_contents() -> bytes:
    workbook = openpyxl.Workbook()
    contents = workbook.active
    contents.title = "目录"
    contents.append([TITLE])
    contents.append(["序号", "事项名称", "权力类型", "页码"])
    sheets = ["行政许可", "行政处罚", "行政检查", "行政确认", "其他行政权力"]
    n = 0
    for index, category in enumerate(sheets):
        ws = workbook.create_sheet(category)
        ws.append(HEADER)
        for k in range(3):
            n += 1
            row = item(n, name=f"{category}事项{k + 1}")
            row[3] = category
            ws.append(row)
            contents.append([n, row[2], category, index + 2])
    return _save(workbook)


def _column_order_per_sheet() -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "行政许可"
    first.append(HEADER)
    first.append(item(1, name="甲许可"))
    second = workbook.create_sheet("行政处罚")
    order = [6, 4, 2, 0, 5, 3, 1]
    second.append([HEADER[i] for i in order])
    row = item(2, name="乙处罚")
    row[3] = "行政处罚"
    second.append([row[i] for i in order])
    return _save(workbook)


def _limits_in_odd_forms() -> bytes:
    workbook = book([item(1, limit="１５个工作日"), item(2, limit="=10+5"), item(3, limit=datetime.date(2024, 1, 15)),
                     item(4, limit=15), item(5, limit="十五个工作日"), item(6, limit="15日（法定20日）")])
    return _save(workbook)


def _merge_over_table() -> bytes:
    rows = [item(n) for n in range(1, 6)]
    return _save(book(rows, merges=["A3:G7"]))


def build(out: Path) -> dict[str, tuple[int, str]]:
    """Writes every case into its own folder under `out`; returns folder → (exit code of
    `powercat list` on it, a phrase its output must hold)."""
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, tuple[int, str]] = {}

    def put(case: str, files: dict[str, bytes], code: int, phrase: str) -> Path:
        folder = out / case
        folder.mkdir(exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        expected[case] = (code, phrase)
        return folder

    put("repeated-header", {"list.xlsx": _repeated_header()}, 0, "测试许可20")
    put("header-row-40", {"list.xlsx": _header_low()}, 0, "测试许可3")
    put("side-by-side", {"list.xlsx": _side_by_side()}, 0, "测试许可2")
    put("contents-sheet", {"list.xlsx": _many_sheets_with_contents()}, 0, "其他行政权力事项3")
    put("column-order", {"list.xlsx": _column_order_per_sheet()}, 0, "乙处罚")
    put("odd-limits", {"list.xlsx": _limits_in_odd_forms()}, 0, "测试许可6")
    put("merge-over-table", {"list.xlsx": _merge_over_table()}, 0, "")
    put("no-shared-strings", {"list.xlsx": _shared_strings_book(drop_part=True)}, 3, "list.xlsx")
    put("huge-shared-strings", {"list.xlsx": _shared_strings_book(n_extra=300_000)}, 0, "测试许可1")
    put("macro", {"list.xlsm": _xlsm()}, 0, "测试许可1")
    put("numbers-renamed", {"list.xlsx": _numbers()}, 3, "list.xlsx")
    put("ole-renamed", {"list.xls": _ole_not_a_workbook()}, 3, "list.xls")
    put("ods-renamed", {"list.xlsx": _ods_bytes()}, 0, "测试许可1")
    csv = "\r\n".join(",".join(str(v) for v in row) for row in [HEADER, item(1), item(2)]) + "\r\n"
    put("csv-utf16", {"list.csv": csv.encode("utf-16")}, 0, "测试许可2")
    put("csv-gb18030-stray", {"list.csv": csv.encode("gb18030").replace(b"U-2", b"U-\xff2")}, 0, "测试许可2")
    put("nul-padded", {"list.xlsx": _save(book([item(1)])) + b"\x00" * 4096}, 0, "测试许可1")
    put("nul-in-cells", {"list.csv": csv.replace("测试许可1", "测试\x00许可1").encode("utf-8")}, 0, "测试许可2")
    put("styled-empty-rows", {"list.xlsx": _styled_empty_rows()}, 0, "测试许可2")
    ok = _save(book([item(1)]))
    put("odd-names", {"名 称 有 空格.xlsx": ok, "换\n行.xlsx": ok.replace(b"U-1", b"U-2"),
                      "井#号%25百分.xlsx": ok.replace(b"U-1", b"U-3"),
                      ("长" * 80) + ".xlsx": ok.replace(b"U-1", b"U-4")}, 0, "测试许可1")
    twice = put("same-file-twice", {"清单.xlsx": ok, "清单（副本）.xlsx": ok}, 0, "测试许可1")
    os.link(twice / "清单.xlsx", twice / "清单-硬链接.xlsx")
    return expected


if __name__ == "__main__":
    for name, (code, phrase) in build(Path(sys.argv[1])).items():
        print(f"{name}\t{code}\t{phrase}")
