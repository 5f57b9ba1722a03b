"""Writes the hostile corpus: files an agency (or an attacker) might send. Each entry has
the exit code `powercat list` must give and a phrase its message must contain.

    python tests/hostile/make_corpus.py OUT_DIR

Large files (the zip bomb) are generated, never committed.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import openpyxl

HEADER = ["序号", "事项名称", "权力类型", "实施依据"]


def good_book(rows=None, **cells) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows or [[1, "某项许可", "行政许可", "【法律】《中华人民共和国行政许可法》第十二条"]]:
        sheet.append(row)
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


def sheet_xml(rows_xml: str, dimension: str = "A1:D2") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()


def inline_row(r: int, values: list[str], col_letters="ABCD") -> str:
    cells = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in zip(col_letters, values))
    return f'<row r="{r}">{cells}</row>'


HEAD_ROW = inline_row(1, HEADER)
ITEM_ROW = inline_row(2, ["1", "某项许可", "行政许可", "依据"])

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    '<si><t>&lol9;</t></si></sst>'
).encode()


def build(out: Path) -> dict[str, tuple[int, str]]:
    """Writes every file into `out`; returns name → (expected exit code, message phrase)."""
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, tuple[int, str]] = {}

    def put(name: str, data: bytes, code: int, phrase: str) -> None:
        (out / name).write_bytes(data)
        expected[name] = (code, phrase)

    base = good_book()
    put("ok.xlsx", base, 0, "")
    put("truncated.xlsx", base[: len(base) // 3], 3, "损坏")
    corrupt = bytearray(base)
    middle = len(corrupt) // 2
    corrupt[middle:middle + 64] = b"\x00" * 64
    put("corrupt-member.xlsx", bytes(corrupt), 3, "损坏")
    # refused before any parser sees it; openpyxl would refuse too (defusedxml)
    put("billion-laughs.xlsx", _with_shared_strings_bomb(), 3, "XML 实体")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (50 * 2**20) + b"/>")
    put("zip-bomb.xlsx", bomb.getvalue(), 3, "压缩")
    put("too-many-rows.xlsx", replace_part(base, "xl/worksheets/sheet1.xml",
                                           sheet_xml(HEAD_ROW + inline_row(1048577, ["x", "y", "z", "w"]), "A1:D1048577")),
        3, "超出")
    put("too-many-columns.xlsx", replace_part(base, "xl/worksheets/sheet1.xml",
                                              sheet_xml(HEAD_ROW + '<row r="2"><c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>',
                                                        "A1:XFE2")), 3, "超出")
    put("macros.xlsm", good_book(), 0, "")
    formulas = (HEAD_ROW
                + '<row r="2"><c r="A2"><f>ROW()-1</f><v>1</v></c><c r="B2" t="str"><f>CONCAT("某","项许可")</f><v>某项许可</v></c>'
                '<c r="C2" t="str"><f>"行政"&amp;"许可"</f><v>行政许可</v></c><c r="D2" t="str"><f>WEBSERVICE("http://x")</f><v>依据</v></c></row>'
                '<row r="3"><c r="A3"><f>ROW()-1</f><v>2</v></c><c r="B3" t="str"><f>HYPERLINK("http://x","某项处罚")</f><v>某项处罚</v></c>'
                '<c r="C3" t="inlineStr"><is><t>行政处罚</t></is></c><c r="D3"><f>1/0</f></c></row>')
    put("formulas.xlsx", replace_part(base, "xl/worksheets/sheet1.xml", sheet_xml(formulas, "A1:D3")), 0, "")
    external = replace_part(base, "[Content_Types].xml", zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml"))
    put("external-link.xlsx", _with_external_link(external), 0, "")
    put("long-cell.xlsx", good_book([[1, "超长事项" + "长" * 10_000, "行政许可", "依据" * 5000]]), 0, "")
    put("control-chars.xlsx", replace_part(base, "xl/worksheets/sheet1.xml", sheet_xml(
        HEAD_ROW + inline_row(2, ["1", "含控制字符&#x1;&#x8;事项", "行政许可", "依据&#xFFFE;"]))), 0, "")
    # an undecodable byte (a lone surrogate in UTF-8 terms) inside a name
    put("lone-surrogate.csv", "事项名称,权力类型\n某项\udcff许可,行政许可\n".encode("utf-8", "surrogateescape"), 0, "")
    put("mixed-encoding.csv", "事项名称,权力类型\n".encode("utf-8") + "某项许可,行政许可\n".encode("gbk"), 0, "")
    put("nul.csv", "事项名称,权力类型\n某项\x00许可,行政许可\n".encode("utf-8"), 0, "")
    put("empty.xlsx", b"", 3, "文件为空")
    put("empty.csv", b"", 3, "文件为空")
    put("only-header.csv", "事项名称,权力类型\n".encode("utf-8"), 0, "")
    put("random.xls", bytes((i * 7919 + i // 256) % 256 for i in range(4096)), 3, "")
    (out / "dangling-link.xlsx").symlink_to(out / "does-not-exist.xlsx")
    expected["dangling-link.xlsx"] = (3, "不存在")
    (out / "link-to-ok.xlsx").symlink_to(out / "ok.xlsx")
    expected["link-to-ok.xlsx"] = (0, "")
    return expected


def _with_shared_strings_bomb() -> bytes:
    """A workbook whose strings live in sharedStrings.xml, and that part is a
    billion-laughs entity bomb (the first string expands to 10^9 characters)."""
    strings = ["&lol9;", *HEADER, "1", "某项许可", "行政许可", "依据"]
    shared = BILLION_LAUGHS.replace(
        b'count="1" uniqueCount="1"><si><t>&lol9;</t></si>',
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'.encode()
        + "".join(f"<si><t>{t}</t></si>" for t in strings).encode())
    cells = lambda r, ids: "".join(f'<c r="{c}{r}" t="s"><v>{i}</v></c>' for c, i in zip("ABCDE", ids))  # noqa: E731
    sheet = sheet_xml(f'<row r="1">{cells(1, [1, 2, 3, 4])}</row><row r="2">{cells(2, [5, 6, 7, 8])}</row>'
                      f'<row r="3">{cells(3, [0])}</row>', "A1:D3")
    data = replace_part(good_book(), "xl/worksheets/sheet1.xml", sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                          b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                                          b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
            target.writestr(item, content)
        target.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def _with_external_link(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/externalLinks/externalLink1.xml",
                        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        '<externalBook><sheetNames><sheetName val="x"/></sheetNames></externalBook></externalLink>')
    return out.getvalue()


if __name__ == "__main__":
    for name, (code, phrase) in build(Path(sys.argv[1])).items():
        print(f"{name}\t{code}\t{phrase}")
