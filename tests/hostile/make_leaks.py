"""Writes the leak corpus: lists in which powers that must stay withheld are planted through
every path we know of, each carrying a marker (LKnn) in its name, and public controls (PUBnn)
that must be published. `build` over the folder must put no LK marker under public/ and every
PUB marker there; every LK power must be in the internal filing register (nothing lost).

    python tests/hostile/make_leaks.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

HEADER = ["序号", "职权编码", "事项名称", "子项名称", "权力类型", "实施依据", "公开方式", "不予公开理由"]
BASIS = "【法律】《中华人民共和国行政许可法》第十二条"
SECRET = "国家秘密：《中华人民共和国保守国家秘密法》第十三条"


def row(code, name, disclosure="", reason="", sub="", category="行政检查"):
    return [None, code, name, sub, category, BASIS, disclosure, reason]


def book(path: Path, rows, title: str | None = None, header=HEADER, sheet="权责清单", more=None):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    if more:
        more(workbook, ws)
    workbook.save(path)


# (marker, the value written in 公开方式, the value in 不予公开理由): one file each
SPELLINGS = [
    ("LK01", "不公开", SECRET), ("LK02", "不予以公开", SECRET), ("LK03", "涉密", SECRET), ("LK04", "内部", SECRET),
    ("LK06", "", "商业秘密"), ("LK07", "待定", ""), ("LK08", "不\u200b予\u200d公开", SECRET),
    ("LK09", "\u202e不予公开\u202c", SECRET), ("LK10", "主动公开", "个人隐私"), ("LK26", "/", ""), ("LK27", "无", ""),
    ("LK29", "部分公开", ""), ("LK30", "依申请公开；涉及国家秘密的不公开", ""), ("LK31", "ＮＯ", ""),
    ("LK32", "不­予公开", SECRET),  # a soft hyphen inside
    ("LK33", "=\"主动公开\"", ""),  # a formula typed as text in a CSV-like way: unrecognised
]
PUBLIC_CONTROLS = [("PUB01", "主动公开"), ("PUB02", "政府门户网站、政务公开栏"), ("PUB03", ""), ("PUB04", "依申请公开")]


def build(folder: Path) -> dict[str, list[str]]:
    """Writes the corpus; returns {"withheld": markers, "public": markers}."""
    folder.mkdir(parents=True, exist_ok=True)
    withheld: list[str] = []
    for marker, disclosure, reason in SPELLINGS:
        book(folder / f"spelling-{marker}.xlsx", [row(f"C-{marker}", f"{marker}事项", disclosure, reason)],
             title=f"拼写测试局{marker[2:]}权责清单")
        withheld.append(marker)

    # 是否公开 answered 否, as text and as a boolean
    header = [*HEADER[:6], "是否公开", "不予公开理由"]
    book(folder / "yesno.xlsx", [row("C-LK05", "LK05事项", "否", SECRET), row("C-LK23", "LK23事项", False, SECRET),
                                 row("C-PUB05", "PUB05事项", "是")], title="是否公开测试局权责清单", header=header)
    withheld += ["LK05", "LK23"]

    # formulas with no cached value (openpyxl writes none): in 公开方式 and in 事项名称
    book(folder / "formulas.xlsx", [row("C-LK11", "LK11事项", '=IF(1,"不予公开","主动公开")', SECRET),
                                    row("C-LK12", '=CONCATENATE("LK12","事项")', "主动公开")],
         title="公式测试局权责清单")
    withheld += ["LK11", "LK12"]

    # a withheld 事项 whose 子项 rows leave 公开方式 blank; a block whose second row withholds
    def merges(_wb, ws):
        ws.merge_cells("C3:C5")
        ws.merge_cells("C6:C7")
    book(folder / "blocks.xlsx", [
        row("C-LK13", "LK13事项", "不予公开", SECRET, sub="LK13甲"), row("C-LK13b", None, "", "", sub="LK13乙"),
        row("C-LK13c", None, "", "", sub="LK13丙"),
        row("C-LK16", "LK16事项", "", ""), [None, None, None, None, None, None, "不予公开", SECRET],
        row("C-PUB06", "PUB06事项", "主动公开"),
    ], title="子项测试局权责清单", more=merges)
    withheld += ["LK13", "LK16"]

    # a sheet and a section that say their items are withheld
    def withheld_sheet(wb, _ws):
        ws = wb.create_sheet("不予公开事项")
        ws.append(HEADER)
        ws.append(row("C-LK14", "LK14事项"))
    book(folder / "sections.xlsx", [row("C-PUB07", "PUB07事项", "主动公开"), ["三、涉密事项"], row("C-LK15", "LK15事项")],
         title="分节测试局权责清单", more=lambda wb, ws: (ws.merge_cells("A4:H4"), withheld_sheet(wb, ws)))
    withheld += ["LK14", "LK15"]

    # an agency, a file name, a sheet name and a code that exist only for withheld powers
    book(folder / "agency.xlsx", [row("C-LK17", "某事项甲", "不予公开", SECRET)], title="LK17局权责清单")
    book(folder / "LK18涉密清单.xlsx", [row("C-X18", "某事项乙", "不予公开", SECRET)])
    book(folder / "sheetname.xlsx", [row("C-X19", "某事项丙", "涉密", SECRET)], title="工作表测试局权责清单",
         sheet="LK19专项")
    book(folder / "code.xlsx", [row("LK21-CODE", "某事项丁", "不予公开", SECRET)], title="编码测试局权责清单")
    withheld += ["LK17", "LK18", "LK19", "LK21"]

    # only a 不予公开理由 column: a reason withholds
    header = [h for h in HEADER if h != "公开方式"]
    book(folder / "reason-only.xlsx", [[None, "C-LK28", "LK28事项", "", "行政检查", BASIS, "个人隐私"],
                                       [None, "C-PUB08", "PUB08事项", "", "行政检查", BASIS, "不涉及"]],
         title="理由测试局权责清单", header=header)
    withheld.append("LK28")

    # a CSV (GBK) with a withholding spelling
    (folder / "csv-gbk.csv").write_bytes(("\n".join([
        ",".join(HEADER), ",".join(["1", "C-LK22", "LK22事项", "", "行政检查", "依据", "涉密", "国家秘密"]),
        ",".join(["2", "C-PUB09", "PUB09事项", "", "行政检查", "依据", "主动公开", ""])]) + "\n").encode("gbk"))
    withheld.append("LK22")

    # one power, two records: a second list of the same agency (or a second sheet) lists as
    # public what the first withholds, by code (LK34) or, without a code, by name and 子项 (LK35)
    book(folder / "identity-a.xlsx", [row("C-LK34", "LK34事项", "不予公开", SECRET),
                                      row(None, "LK35事项", "不予公开", SECRET, sub="LK35子项")],
         title="同一事项测试局权责清单")
    book(folder / "identity-b.xlsx", [row("C-LK34", "LK34事项", "主动公开"), row(None, "LK35事项", "主动公开", sub="LK35子项"),
                                      row("C-PUB10", "PUB10事项", "主动公开")], title="同一事项测试局权责清单")
    withheld += ["LK34", "LK35"]

    # two 公开方式 columns (公开类型 read, 是否公示 beside it): the second says 否 (LK38) or
    # something unrecognised (LK39) — the stricter one wins; both saying public publishes (PUB11)
    header = [*HEADER[:6], "公开类型", "不予公开理由", "是否公示"]
    book(folder / "two-columns.xlsx", [[*row("C-LK38", "LK38事项", "主动公开"), "否"],
                                       [*row("C-LK39", "LK39事项", "主动公开"), "待定"],
                                       [*row("C-PUB11", "PUB11事项", "主动公开"), "是"]],
         title="两列公开测试局权责清单", header=header)
    withheld += ["LK38", "LK39"]

    public = ["PUB05", "PUB06", "PUB07", "PUB08", "PUB09", "PUB10", "PUB11"]
    book(folder / "controls.xlsx", [row(f"C-{m}", f"{m}事项", d) for m, d in PUBLIC_CONTROLS], title="对照测试局权责清单")
    public += [m for m, _ in PUBLIC_CONTROLS]
    return {"withheld": withheld, "public": public}


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
