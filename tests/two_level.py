"""A realistic 地县两级权责清单指导目录, written with openpyxl (no real copy): a merged title
row naming the agency and both levels, a version line, a header, and each power listed once
per level — either with a 行使层级 column or under level section headings (一、地（州、市）级
/ 二、县（市、区）级) — with merged name cells over continuation rows, as such lists are laid out.
One power is 不予公开, carrying a marker in its 责任事项 and 追责情形 that must never be public."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

TITLE = "新疆维吾尔自治区示范厅地（州、市）县（市、区）两级权责清单指导目录"
FILE_NAME = f"附件2：{TITLE}.xlsx"
AGENCY = "新疆维吾尔自治区示范厅"
SECRET = "两级机密标记QX7"
HEADERS = ["序号", "职权编码", "职权名称", "子项名称", "职权类别", "实施依据", "行使层级", "实施主体", "承办机构",
           "责任事项", "追责情形", "公开方式"]
LEVELS = ("地（州、市）级", "县（市、区）级")

# (code, name, category, basis, duty, accountability, disclosure), the second line of basis
# on a continuation row under a merged name cell
POWERS = [
    ("650000217XK00100", "人民防空工程拆除审批", "行政许可",
     ("《中华人民共和国人民防空法》第二十八条：任何组织或者个人不得擅自拆除本法第二十一条规定的人民防空工程；",
      "确需拆除的，必须报经人民防空主管部门批准，并由拆除单位负责补建或者补偿。"),
     "1.受理责任：公示应当提交的材料，一次性告知补正材料。2.审查责任：对申请材料进行审查。3.决定责任：作出准予或者不予许可的决定。",
     "因不履行或不正确履行行政职责，有下列情形的，行政机关及其工作人员应当承担相应责任：对符合法定条件的申请不予受理的。",
     "主动公开"),
    ("650000217CF00200", "对擅自拆除人民防空工程的处罚", "行政处罚",
     ("《中华人民共和国人民防空法》第四十九条第一款第（四）项。",),
     "1.立案责任：发现违法行为，予以审查，决定是否立案。2.调查责任：全面、客观、公正地调查。",
     "没有法律或者事实依据实施行政处罚的；擅自改变行政处罚种类、幅度的。",
     "主动公开"),
    ("650000217JC00300", "对人防重点目标防护的检查", "行政检查",
     ("《人民防空工程平时开发利用管理办法》第十二条。",),
     f"检查责任：依法开展检查。{SECRET}",
     f"未依法履行检查职责的。{SECRET}",
     "不予公开"),
]


def write_two_level(folder: Path, layout: str = "column") -> Path:
    """The list in `folder`; `layout` "column" (a 行使层级 column) or "sections" (level
    headings spanning the table, no level column)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "权责清单"
    headers = HEADERS if layout == "column" else [h for h in HEADERS if h != "行使层级"]
    width = len(headers)
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["（2023年版）"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append(headers)
    seq = 0
    for n, level in enumerate(LEVELS):
        office = "地（州、市）人防办" if n == 0 else "县（市、区）人防办"
        if layout == "sections":
            sheet.append([f"{'一二'[n]}、{level}"])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        for code, name, category, basis, duty, accountability, disclosure in POWERS:
            seq += 1
            first = sheet.max_row + 1
            for k, line in enumerate(basis):
                row = {"序号": seq, "职权编码": code, "职权名称": name, "子项名称": "", "职权类别": category,
                       "实施依据": line, "行使层级": level, "实施主体": f"{'地州市' if n == 0 else '县市区'}人民防空主管部门",
                       "承办机构": office, "责任事项": duty, "追责情形": accountability, "公开方式": disclosure}
                sheet.append([row[h] if k == 0 or h == "实施依据" else None for h in headers])
            if len(basis) > 1:  # the name, code, duty … merged over the continuation row
                for col, header in enumerate(headers, start=1):
                    if header != "实施依据":
                        sheet.merge_cells(start_row=first, start_column=col, end_row=sheet.max_row, end_column=col)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    path = folder / FILE_NAME
    book.save(path)
    return path
