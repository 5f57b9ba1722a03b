"""Writes a synthetic published-style 权责清单 of N rows (default 100,000) as .xlsx.

Shaped like the real lists: a merged title row, a 15-column header with a line break and
a header merged over two columns, items merged vertically over 1–3 rows (name, basis,
agency … all merged), some 事项 split into numbered 子项, long wrapped 实施依据 text and
shared strings, as Excel and WPS write them. The XML is written directly: openpyxl would
need minutes and gigabytes for a sheet this size with merges.

    python benchmarks/make_big_list.py benchmarks/out/big.xlsx --rows 100000
"""

from __future__ import annotations

import argparse
import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from powercat.ingest.items import column_letter as col_letter  # noqa: E402

HEADER = ["序号", "事项\n名称", "子项名称", "权力类型", "实施依据", "行使主体", "承办机构", "实施层级及权限", "",
          "部门职责", "责任事项内容", "责任事项依据", "追责对象范围", "追责情形", "备注"]
CATEGORIES = ["行政处罚"] * 8 + ["行政许可", "行政检查", "行政强制", "其他行政权力", "行政确认", "行政奖励"]
LAWS = ["《中华人民共和国食品安全法》", "《中华人民共和国安全生产法》", "《中华人民共和国广告法》",
        "《危险化学品安全管理条例》", "《中华人民共和国道路运输条例》", "《中华人民共和国特种设备安全法》"]
NUMS = "一二三四五六七八九十"


class Strings:
    def __init__(self):
        self.index: dict[str, int] = {}
        self.count = 0

    def id(self, text: str) -> int:
        self.count += 1
        if text not in self.index:
            self.index[text] = len(self.index)
        return self.index[text]

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.index)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>')


def build(rows: int, seed: int = 2024) -> tuple[str, str, int]:
    rng = random.Random(seed)
    strings = Strings()
    out: list[str] = []
    merges: list[str] = ["A1:O1", "H2:I2"]

    def row_xml(r: int, values: list[str | int | None]) -> str:
        cells = []
        for c, v in enumerate(values):
            if v is None or v == "":
                continue
            ref = f"{col_letter(c)}{r}"
            if isinstance(v, int):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.id(v)}</v></c>')
        return f'<row r="{r}">{"".join(cells)}</row>'

    out.append(row_xml(1, ["某市某局2024年权责清单"]))
    out.append(row_xml(2, HEADER))
    r = 3
    seq = 0
    items = 0
    while r < rows + 3:
        seq += 1
        category = rng.choice(CATEGORIES)
        law = rng.choice(LAWS)
        article = f"第{NUMS[rng.randrange(9)]}十{NUMS[rng.randrange(9)]}条"
        name = f"对违反{law[1:-1]}{article}规定行为的处罚（第{seq}项）" if category == "行政处罚" else f"{category[2:]}事项{seq}"
        subs = [None] if rng.random() > 0.05 else [f"{i}.子项{i}" for i in range(1, rng.randint(2, 4))]
        first = r
        for sub in subs:
            height = rng.choice((1, 1, 2, 3))
            basis = (f"【法律】{law}（2021年4月29日修正）\n{article}第一款：违反本法规定，有下列情形之一的，由县级以上"
                     f"人民政府有关主管部门责令改正，给予警告，没收违法所得，并处罚款……")
            values = [seq if sub == subs[0] else None, name if sub == subs[0] else None, sub, category, basis,
                      "某市某局", f"第{rng.randint(1, 9)}科", "市级", "负责本级", "依法履行本部门职责",
                      "直接实施责任：\n1.依法实施\n2.加强监管", "【法律】《中华人民共和国行政处罚法》第六十条",
                      "1.具体承办人；\n2.内设机构负责人", "因不履行或不正确履行行政职责的", ""]
            out.append(row_xml(r, values))
            for extra in range(1, height):
                out.append(row_xml(r + extra, [None] * 7 + ["县级"]))  # hidden under the merge
            if height > 1:
                for c in range(2, 15):
                    merges.append(f"{col_letter(c)}{r}:{col_letter(c)}{r + height - 1}")
            r += height
            items += 1
        if r - first > 1:
            merges.append(f"A{first}:A{r - 1}")
            merges.append(f"B{first}:B{r - 1}")
    merge_xml = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:O{r - 1}"/><sheetData>{"".join(out)}</sheetData>'
             f'<mergeCells count="{len(merges)}">{merge_xml}</mergeCells>'
             '</worksheet>')
    return sheet, strings.xml(), items


STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="权责清单" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '</Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf/></cellXfs></styleSheet>'),
}


def write(path: Path, rows: int) -> int:
    sheet, shared, items = build(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in STATIC.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    items = write(args.out, args.rows)
    print(f"{args.out}: {args.rows} data rows, {items} items, {args.out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
