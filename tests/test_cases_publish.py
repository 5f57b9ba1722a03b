"""What the register publishes: figures and decisions, natural persons masked, nothing of
withheld powers; and what stays internal."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl

from powercat.cases.mask import mask_name, public_party, scrub
from powercat.cases.publish import build_cases
from powercat.ingest import load
from powercat.ingest.template import write_workbook

from .conftest import DATA

ID_A, ID_B = "51990119850312451X", "519901197711085236"
PHONE_A, PHONE_B = "13812345678", "0839-5551234"
PEOPLE = ["欧阳明华", "司马青云", "上官婉清"]
CARD = "6222021234567890123"
WITHHELD_PARTY, WITHHELD_DOC = "青川市保密测试有限公司", "青交运决〔2025〕保密9号"


def _register(path: Path) -> None:
    write_workbook(path, records=[
        {"case_id": "M-1", "power_code": "519901101CF00100", "party": PEOPLE[0], "party_type": "自然人",
         "party_id": ID_A, "accepted": "2025-03-03", "decided": "2025-03-20", "served": "2025-03-21",
         "disclosed": "2025-03-24", "doc_no": "青市监罚〔2025〕101号",
         "result": f"对{PEOPLE[0]}（身份证号{ID_A}，住址青川市清河区人民路12号3单元）罚款2000元",
         "remark": f"联系电话{PHONE_A}，退款账号{CARD}"},
        {"case_id": "M-2", "power_code": "519901101XK00100", "party": PEOPLE[1], "party_type": "",
         "party_id": ID_B, "accepted": "2025-04-01", "decided": "2025-04-08", "served": "2025-04-09",
         "disclosed": "2025-04-10", "doc_no": "青市监许〔2025〕102号", "result": f"准予许可，{PEOPLE[1]}电话{PHONE_B}"},
        {"case_id": "M-3", "power_code": "519901101XK00300", "party": PEOPLE[2], "party_type": "个人",
         "party_id": ID_B, "accepted": "2025-05-06", "decided": "2025-05-08", "served": "2025-05-09",
         "disclosed": "2025-05-12", "doc_no": "青市监许〔2025〕103号", "result": "准予许可"},
        {"case_id": "M-4", "power_code": "519901101XK00300", "party": "青川市清河餐饮管理有限公司", "party_type": "法人",
         "party_id": "91519901MA6XYC123Q", "accepted": "2025-05-06", "decided": "2025-05-08", "served": "2025-05-09",
         "disclosed": "2025-05-12", "doc_no": "青市监许〔2025〕104号", "result": "准予许可"},
        {"case_id": "M-5", "power_code": "519901101XK00300", "party": "青川市隐私测试有限公司", "party_type": "法人",
         "accepted": "2025-05-06", "decided": "2025-05-08", "served": "2025-05-09", "disclosure_way": "不予公开",
         "doc_no": "青市监许〔2025〕隐私5号", "result": "准予许可"},
        {"case_id": "M-6", "power_code": "519901101XK00300", "party": "张记小吃店（个体工商户）", "party_type": "个体工商户",
         "accepted": "2025-05-06", "decided": "2025-05-08", "served": "2025-05-09", "disclosed": "2025-05-12",
         "doc_no": "青市监许〔2025〕106号", "result": "准予许可"},
        {"case_id": "M-7", "power_code": "519901101XK00300", "party": "诸葛文远", "party_type": "个体工商户",
         "accepted": "2025-05-06", "decided": "2025-05-08", "served": "2025-05-09", "disclosed": "2025-05-12",
         "doc_no": "青市监许〔2025〕107号", "result": "准予许可"},
        {"case_id": "W-1", "power_code": "519901202JC00400", "party": WITHHELD_PARTY, "party_type": "法人",
         "party_id": "91519901MA6SECRET1", "accepted": "2025-05-06", "decided": "2025-05-08",
         "doc_no": WITHHELD_DOC, "result": "发现问题，责令整改"},
    ])


def public_texts(folder: Path) -> dict[str, str]:
    """Every public file as text: JSON, CSV and SVG as they are; xlsx by every XML part
    inside the zip (cells, shared strings, comments, properties) and by cell values."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                parts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
            book = openpyxl.load_workbook(path)
            cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
            texts[str(path)] = "\n".join(parts + cells)
        else:
            texts[str(path)] = path.read_bytes().decode("utf-8-sig")
    return texts


def test_no_personal_data_and_nothing_withheld_in_any_public_file(tmp_path):
    register = tmp_path / "办件登记" / "登记.xlsx"
    register.parent.mkdir()
    _register(register)
    catalogue = load([str(DATA)])
    result = build_cases(catalogue, [str(register.parent)], tmp_path / "public", tmp_path / "internal",
                         as_of=dt.date(2025, 12, 31))
    assert len(result.outcomes) == 8
    texts = public_texts(tmp_path / "public")
    assert any(p.endswith(".xlsx") for p in texts) and any(p.endswith(".csv") for p in texts)
    assert any("/powers/" in p for p in texts) and any(p.endswith(".svg") for p in texts)
    everything = "\n".join(texts.values())
    for secret in [ID_A, ID_B, PHONE_A, PHONE_B, CARD, *PEOPLE, "人民路12号", WITHHELD_PARTY, WITHHELD_DOC,
                   "91519901MA6SECRET1", "国防交通战备设施安全检查", "519901202JC00400",
                   "青川市隐私测试有限公司", "青市监许〔2025〕隐私5号", "诸葛文远"]:
        leaks = [p for p, text in texts.items() if secret in text]
        assert not leaks, f"{secret} in {leaks}"
    # what is disclosed is there: masked names, the legal person in full, the decisions
    assert "欧***" in everything and "司**" in everything and "上**" in everything
    assert "青川市清河餐饮管理有限公司" in everything and "91519901MA6XYC123Q" in everything
    assert "张记小吃店（个体工商户）" in everything and "诸***" in everything
    assert "罚款2000元" in everything and "青市监许〔2025〕104号" in everything
    page = json.loads((tmp_path / "public" / "cases" / "powers" / "519901101CF00100.json").read_text("utf-8"))
    assert page["recent"][0]["party"] == "欧***" and page["recent"][0]["result"].startswith("对欧***（身份证号［已删除］")
    # the internal register keeps the full record for the office
    internal = public_texts(tmp_path / "internal")
    register_text = next(t for p, t in internal.items() if p.endswith("办件登记簿.xlsx"))
    assert PEOPLE[0] in register_text and ID_A in register_text and WITHHELD_PARTY in register_text


def test_figures_and_filing_reports_from_the_sample_registers(tmp_path):
    catalogue = load([str(DATA)])
    result = build_cases(catalogue, [str(DATA / "办件登记")], tmp_path / "public", tmp_path / "internal",
                         as_of=dt.date(2025, 12, 31), period="quarter")
    index = json.loads((tmp_path / "public" / "cases" / "index.json").read_text("utf-8"))
    assert set(index["agencies"]) == {"青川市市场监督管理局", "青川市交通运输局", "青川市应急管理局"}
    public_ids = {o.linked.id for o in result.outcomes if o.linked and not o.linked.withheld}
    assert set(index["powers"]) == public_ids and "519901202JC00400" not in index["powers"]
    totals = index["agencies"]["青川市交通运输局"]["totals"]
    decided = sum(1 for o in result.outcomes if o.linked and o.linked.agency == "青川市交通运输局"
                  and not o.linked.withheld and o.decided)
    assert totals["decided"] == decided and 0 < totals["on_time_rate"] <= 1
    # one power's page: figures by month, quarter and year that add up
    page = json.loads((tmp_path / "public" / "cases" / "powers" / "519901202XK00400.json").read_text("utf-8"))
    months = page["figures"]["month"]
    assert sum(m["decided"] for m in months.values()) == page["figures"]["year"]["2025"]["decided"]
    assert sum(q["received"] for q in page["figures"]["quarter"].values()) == page["totals"]["received"]
    assert len(page["recent"]) <= 10 and page["recent"] == sorted(page["recent"], key=lambda d: d["decided"], reverse=True)
    chart = (tmp_path / "public" / "cases" / index["agencies"]["青川市交通运输局"]["chart"]).read_text("utf-8")
    assert chart.startswith("<svg") and chart.count("<rect") == len(index["agencies"]["青川市交通运输局"]["month"])
    # the filing report per quarter, ready to print, withheld powers included (it goes to the office)
    reports = sorted(p.name for p in (tmp_path / "internal" / "cases" / "备案报表").iterdir())
    assert reports == ["2025年第一季度.xlsx", "2025年第三季度.xlsx", "2025年第二季度.xlsx", "2025年第四季度.xlsx"]
    sheet = openpyxl.load_workbook(tmp_path / "internal" / "cases" / "备案报表" / "2025年第二季度.xlsx").active
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$2:$2"
    titles = [sheet.cell(row=r, column=3).value for r in range(3, sheet.max_row + 1)]
    assert any(t and t.endswith("（不予公开）") for t in titles)
    warning = openpyxl.load_workbook(tmp_path / "internal" / "cases" / "预警清单.xlsx").active
    assert {warning.cell(row=r, column=1).value for r in range(3, warning.max_row + 1)} == {"QC101-2025-P13", "QC101-2025-P14"}


def test_masking_rules():
    assert mask_name("张三") == "张*" and mask_name("欧阳明华") == "欧***"
    assert public_party("李四", "自然人", ID_A) == ("李*", "")
    assert public_party("王五", None, ID_A) == ("王*", "")  # unknown type: masked (fail closed)
    assert public_party("青川市甲食品商行", None, "92519901MA6A0001XF") == ("青川市甲食品商行", "92519901MA6A0001XF")
    assert public_party("青川市乙公司", "法人", ID_A) == ("青川市乙公司", "")  # an ID number in the code column
    text = scrub(f"张三身份证{ID_A}，手机 138-1234-5678，座机{PHONE_B}，卡号{CARD}，家住青川市清河区人民路12号", {"张三": "张*"})
    assert text == "张*身份证［已删除］，手机 ［已删除］，座机［已删除］，卡号［已删除］，［已删除］"


def test_cases_from_an_event_log_alone_are_counted_not_listed_as_decisions(tmp_path):
    """A case known only from its steps (立案 … 决定 … 送达) has no 决定文书号, party or
    content: it counts in the figures, it is never published as a decision."""
    import csv
    import io
    import shutil

    from powercat.cases.publish import public_outcomes

    registers = tmp_path / "办件登记"
    shutil.copytree(DATA / "办件登记", registers)
    steps = [("立案", "2025-11-03", "2025-11-03"), ("调查取证", "2025-11-03", "2025-11-10"),
             ("法制审核", "2025-11-10", "2025-11-12"), ("告知", "2025-11-12", "2025-11-12"),
             ("决定", "2025-11-20", "2025-11-27"), ("送达", "2025-11-27", "2025-11-28"),
             ("结案归档", "2025-11-28", "2025-11-28")]
    (registers / "青川市应急管理局环节记录（补）.csv").write_text(
        "办件编号,职权编码,环节,开始,完成,承办岗位\n"
        + "".join(f"QC303-2025-E01,519901303CF00400,{s},{a},{b},执法队办案人员\n" for s, a, b in steps), encoding="utf-8")
    catalogue = load([str(DATA)])
    result = build_cases(catalogue, [str(registers)], tmp_path / "public", tmp_path / "internal",
                         as_of=dt.date(2025, 12, 31))
    (alone,) = [o for o in result.outcomes if o.case.case_id == "QC303-2025-E01"]
    assert alone.case.source is None and alone.decided == dt.date(2025, 11, 27)
    assert alone in public_outcomes(result)  # a public power's case: it counts
    page = json.loads((tmp_path / "public" / "cases" / "powers" / "519901303CF00400.json").read_text("utf-8"))
    assert page["figures"]["month"]["2025-11"]["decided"] >= 1
    listed = list(csv.DictReader(io.StringIO((tmp_path / "public" / "cases" / "执法决定公开.csv").read_text("utf-8-sig"))))
    assert listed and all(row["决定文书号"] and row["相对人"] and row["决定内容"] for row in listed)
    assert not any(row["决定日期"] == "2025-11-27" for row in listed)
    assert not any(d["decided"] == "2025-11-27" for d in page["recent"])
