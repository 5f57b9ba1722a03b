"""Hostile `powercat cases` runs: registers as careless users and attackers write them.
Each case: its exit code, a Chinese phrase of its message, no traceback, and where public
output is written, none of the planted data under public/."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ..conftest import DATA, ROOT, run_cli

CODE = "519901101XK00300"  # a public 许可 of the sample market-regulation list
WITHHELD_CODE = "519901202JC00400"  # a power the sample transport list withholds
HEADERS = ["办件编号", "职权编码", "相对人", "相对人类型", "证件号码", "受理日期", "决定日期", "送达日期", "公开日期",
           "办理结果", "决定文书号", "公开方式", "备注"]


def row(case_id="H-1", code=CODE, party="青川市清河餐饮管理有限公司", kind="法人", party_id="", accepted="2025-05-06",
        decided="2025-05-08", served="2025-05-09", disclosed="2025-05-12", result="准予许可", doc_no="青市监许〔2025〕1号",
        way="主动公开", remark=""):
    return [case_id, code, party, kind, party_id, accepted, decided, served, disclosed, result, doc_no, way, remark]


def formula_way(sheet):
    sheet["L2"] = '=IF(1=1,"主动公开","不予公开")'  # saved without a cached value


# (id, rows, sheet edit, extra args, exit code, phrase, planted data that must not be public)
CASES = [
    ("date-2041", [row(decided="2041-01-05")], None, [], 1, "超出可核算的日期范围", []),
    ("date-9999", [row(decided="9999-12-31")], None, [], 1, "超出可核算的日期范围", []),
    ("date-0001", [row(accepted="0001-01-01")], None, [], 1, "超出可核算的日期范围", []),
    ("date-feb-30", [row(accepted="2023年2月30日")], None, [], 1, "不是有效日期", []),
    ("date-1900-01-00", [row(accepted="1900-01-00")], None, [], 1, "不是有效日期", []),
    ("excel-serial-too-big", [row(accepted=2958465)], None, [], 1, "不是有效日期", []),
    ("as-of-1990", [row()], None, ["--as-of", "1990-01-01"], 2, "超出工作日历支持的范围", []),
    ("as-of-2041", [row()], None, ["--as-of", "2041-06-01"], 2, "超出工作日历支持的范围", []),
    ("as-of-not-a-date", [row()], None, ["--as-of", "2025-13-45"], 2, "应为 YYYY-MM-DD", []),
    ("id-15-digits", [row(result="当事人身份证号110105900101123")], None, [], 0, "已生成", ["110105900101123"]),
    ("id-hyphens", [row(result="身份证 110105-1990-0101-1234")], None, [], 0, "已生成", ["110105199001011234"]),
    ("id-full-width", [row(result="身份证１１０１０５１９９００１０１１２３４")], None, [], 0, "已生成",
     ["110105199001011234"]),
    ("phone-in-doc-no", [row(doc_no="青市监许〔2025〕1号（联系138-0013-8000）")], None, [], 0, "已生成", ["13800138000"]),
    ("landline-area-code", [row(result="座机(010)12345678")], None, [], 0, "已生成", ["12345678"]),
    ("bank-card-hyphens", [row(result="退款至6222-0212-3456-7890-123")], None, [], 0, "已生成", ["6222021234567890123"]),
    ("e-mail", [row(result="回执发至 zhang.san@example.com")], None, [], 0, "已生成", ["zhang.san@example.com"]),
    ("address-no-keyword", [row(result="当事人住在清河村十组，现居白鹭小区5栋")], None, [], 0, "已生成",
     ["清河村十组", "白鹭小区5栋"]),
    ("joint-parties", [row(party="张三与李四", kind="")], None, [], 0, "已生成", ["张三", "李四"]),
    ("resident-named-like-a-park", [row(party="李小园", kind="居民")], None, [], 0, "已生成", ["李小园"]),
    ("villager-named-like-a-hall", [row(party="王家馆", kind="村民")], None, [], 0, "已生成", ["王家馆"]),
    ("shop-owner-in-brackets", [row(party="清河小吃店（经营者：赵六）", kind="个体工商户")], None, [], 0, "已生成", ["赵六"]),
    ("name-in-doc-no", [row(doc_no="青市监许〔2025〕1号（孙七）")], None, [], 0, "已生成", ["孙七"]),
    ("id-in-legal-person-code", [row(party_id="110105199001011234")], None, [], 0, "已生成", ["110105199001011234"]),
    ("case-secret", [row(doc_no="青市监许〔2025〕密1号", way="涉密")], None, [], 0, "已生成", ["密1号"]),
    ("case-not-suitable", [row(doc_no="青市监许〔2025〕密2号", way="不宜公开")], None, [], 0, "已生成", ["密2号"]),
    ("case-exempt", [row(doc_no="青市监许〔2025〕密3号", way="免予公开")], None, [], 0, "已生成", ["密3号"]),
    ("case-no", [row(doc_no="青市监许〔2025〕密4号", way="否")], None, [], 0, "已生成", ["密4号"]),
    ("case-unrecognised", [row(doc_no="青市监许〔2025〕密5号", way="领导说了算")], None, [], 0, "已生成", ["密5号"]),
    ("case-formula-uncached", [row(doc_no="青市监许〔2025〕密6号", way=None)], formula_way, [], 0, "已生成", ["密6号"]),
    ("power-withheld", [row(code=WITHHELD_CODE, party="青川市保密测试有限公司", doc_no="青交运〔2025〕密7号")], None, [], 0,
     "已生成", ["密7号", "青川市保密测试有限公司"]),
]


# Second pass (issue 20): forms of the same kinds the first pass had not seen. The ones marked
# "leaked" reached public/ before this pass.
P = "自然人"
CASES += [
    # names in free text without brackets or role words (leaked)
    ("name-after-dui", [row(result="对王小明罚款2000元")], None, [], 0, "已生成", ["王小明"]),
    ("name-after-you", [row(result="由李建国负责整改")], None, [], 0, "已生成", ["李建国"]),
    ("name-after-jing", [row(result="经刘德华同意撤回申请")], None, [], 0, "已生成", ["刘德华"]),
    ("name-then-gender", [row(result="王大锤，男，汉族")], None, [], 0, "已生成", ["王大锤"]),
    ("name-then-gender-age", [row(result="当场查获孙二娘（女，45岁）经营")], None, [], 0, "已生成", ["孙二娘"]),
    ("name-then-age", [row(result="未成年人李小龙（12岁）")], None, [], 0, "已生成", ["李小龙"]),
    ("name-deng-ren", [row(result="宋江等3人聚众")], None, [], 0, "已生成", ["宋江"]),
    ("name-repeated-without-context", [row(result="对王小明罚款，王小明已缴纳")], None, [], 0, "已生成", ["王小明"]),
    ("kinship", [row(result="当事人系刘备之子刘禅")], None, [], 0, "已生成", ["刘禅", "刘备"]),
    ("name-glued-in-doc-no", [row(doc_no="青市监罚〔2025〕李四海1号")], None, [], 0, "已生成", ["李四海"]),
    ("name-in-remark-masked-in-result", [row(result="责令钱小宝改正", remark="经营者：钱小宝")], None, [], 0, "已生成",
     ["钱小宝"]),
    ("names-listed-after-trigger", [row(result="对王小明、李小红罚款；对赵大刚和钱小丽分别警告")], None, [], 0, "已生成",
     ["王小明", "李小红", "赵大刚", "钱小丽"]),
    ("name-after-label", [row(result="罚款对象：周小舟，姓名：吴大海")], None, [], 0, "已生成", ["周小舟", "吴大海"]),
    ("name-before-id-note", [row(result="郑大成（身份证号略）已缴纳")], None, [], 0, "已生成", ["郑大成"]),
    ("name-said", [row(result="当事人称冯小刚是其雇员，据冯小刚供述")], None, [], 0, "已生成", ["冯小刚"]),
    ("traditional-characters", [row(result="對陳大文罰款，當事人陳大文已繳納")], None, [], 0, "已生成", ["陳大文"]),
    ("name-from-another-withheld-case", [row(case_id="K-1", party="欧阳明月", kind=P, way="涉密"),
                                         row(case_id="K-2", result="欧阳明月的邻居投诉，已核实")], None, [], 0, "已生成",
     ["欧阳明月", "明月"]),
    ("name-from-another-case-remark", [row(case_id="K-3", remark="联系人：司徒小雨"),
                                       row(case_id="K-4", result="司徒小雨签收")], None, [], 0, "已生成", ["司徒小雨", "小雨"]),
    ("latin-name-after-trigger", [row(result="对John Smith罚款")], None, [], 0, "已生成", ["John Smith", "Smith"]),
    ("party-own-name-in-doc-no", [row(party="张三", kind=P, doc_no="青市监罚〔2025〕张三1号")], None, [], 0, "已生成", ["张三"]),
    ("party-own-name-in-result", [row(party="扎西顿珠", kind=P, result="责令扎西顿珠改正")], None, [], 0, "已生成", ["扎西顿珠"]),
    ("common-word-name", [row(party="文明", kind=P, result="文明已改正")], None, [], 0, "已生成", ["文明已"]),
    # several parties in one cell
    ("parties-semicolon", [row(party="张伟；李娜", kind="")], None, [], 0, "已生成", ["张伟", "李娜"]),
    ("parties-deng", [row(party="王强等", kind=P)], None, [], 0, "已生成", ["王强"]),
    ("parties-newline", [row(party="周杰\n吴敏", kind="")], None, [], 0, "已生成", ["周杰", "吴敏"]),
    ("parties-space", [row(party="马超 赵云", kind="个人")], None, [], 0, "已生成", ["马超", "赵云"]),
    ("middle-dot-name", [row(party="阿卜杜拉·买买提", kind=P, result="阿卜杜拉·买买提已缴纳罚款")], None, [], 0, "已生成",
     ["阿卜杜拉", "买买提"]),
    ("middle-dot-name-in-text", [row(result="责令阿依古丽·吐尔逊改正")], None, [], 0, "已生成", ["阿依古丽", "吐尔逊"]),
    # party types
    ("type-natural-bracketed", [row(party="钱多多", kind="自然人（个人）")], None, [], 0, "已生成", ["钱多多"]),
    ("type-sole-proprietorship", [row(party="孙悟空", kind="个人独资企业")], None, [], 0, "已生成", ["孙悟空"]),
    ("type-other", [row(party="欧阳锋", kind="其他")], None, [], 0, "已生成", ["欧阳锋"]),
    ("type-blank", [row(party="黄药师", kind="")], None, [], 0, "已生成", ["黄药师"]),
    ("type-n-a", [row(party="洪七公", kind="N/A")], None, [], 0, "已生成", ["洪七公"]),
    ("shop-named-after-owner", [row(party="张三丰经营部", kind="个体工商户")], None, [], 0, "已生成", ["张三丰"]),
    ("shop-owner-long-stem", [row(party="张小花餐饮店", kind="个体工商户")], None, [], 0, "已生成", ["张小花"]),
    ("shop-owner-blank-type", [row(party="李四海小吃店", kind="")], None, [], 0, "已生成", ["李四海"]),
    ("shop-owner-named-in-result", [row(party="张小花小吃店", kind="个体工商户", result="张小花小吃店经营者张小花")], None, [],
     0, "已生成", ["张小花"]),
    ("owner-equals-shop-name", [row(party="张小花", kind="个体工商户", party_id="92519901MA6CUXXXX1")], None, [], 0, "已生成",
     ["张小花"]),
    ("legal-rep-in-brackets", [row(party="青川市某某有限公司（法定代表人：刘玄德）")], None, [], 0, "已生成", ["刘玄德"]),
    ("party-with-id-in-brackets", [row(party="张三丰（身份证110105199001011234）", kind="")], None, [], 0, "已生成",
     ["三丰", "110105199001011234"]),
    ("party-with-phone", [row(party="王五六 13800138000", kind="")], None, [], 0, "已生成", ["五六", "13800138000"]),
    # identity documents
    ("id-lowercase-x", [row(result="身份证号11010519900101123x")], None, [], 0, "已生成", ["11010519900101123"]),
    ("id-ocr-letter-o", [row(result="身份证号11O1O519900101l234")], None, [], 0, "已生成", ["19900101"]),
    ("id-spaced-digits", [row(result="证号 1 1 0 1 0 5 1 9 9 0 0 1 0 1 1 2 3 4")], None, [], 0, "已生成",
     ["110105199001011234"]),
    ("id-in-remark-only", [row(remark="身份证：110105199001011234")], None, [], 0, "已生成", ["110105199001011234"]),
    ("id-chinese-digits", [row(result="身份证号码为一一零一零五一九九零零一零一一二三四")], None, [], 0, "已生成",
     ["一一零一零五"]),
    ("hong-kong-id", [row(result="香港身份证A123456(7)")], None, [], 0, "已生成", ["A123456"]),
    ("macau-id", [row(result="澳门身份证1234567(8)")], None, [], 0, "已生成", ["1234567"]),
    ("taiwan-id", [row(result="台湾身份证A123456789")], None, [], 0, "已生成", ["A123456789"]),
    ("passport-8-digits", [row(result="护照号E12345678")], None, [], 0, "已生成", ["E12345678"]),
    ("passport-5-digits", [row(result="护照号：K12345")], None, [], 0, "已生成", ["K12345"]),
    ("travel-permit", [row(result="港澳通行证C12345678")], None, [], 0, "已生成", ["C12345678"]),
    ("legal-15-digit-registration", [row(party="青川市测试有限公司", party_id="510823000012345")], None, [], 0, "已生成",
     ["510823000012345"]),
    ("legal-person-id-with-x", [row(party="青川市测试二有限公司", party_id="51082319850612321X")], None, [], 0, "已生成",
     ["51082319850612321X"]),
    # phones, accounts, e-mail
    ("phone-half-masked", [row(result="电话138****5678")], None, [], 0, "已生成", ["138****5678"]),
    ("phone-plus86-hyphens", [row(result="+86-138-0013-8000")], None, [], 0, "已生成", ["13800138000"]),
    ("landline-em-dash", [row(result="电话：0839—5551234")], None, [], 0, "已生成", ["08395551234", "5551234"]),
    ("phone-with-extension", [row(result="139 1234 5678转8001")], None, [], 0, "已生成", ["13912345678"]),
    ("phone-read-out-yao", [row(result="电话幺三八零零幺三八零零零")], None, [], 0, "已生成", ["三八零零幺三八"]),
    ("bank-card-4-and-3", [row(result="账户6222 0212 3456 7890 123")], None, [], 0, "已生成", ["6222021234567890123"]),
    ("email-full-width-at", [row(result="邮箱 wang.xm＠qq．com")], None, [], 0, "已生成", ["wang.xm"]),
    ("qq-number", [row(result="QQ号：123456789")], None, [], 0, "已生成", ["123456789"]),
    ("qq-short", [row(result="QQ 12345")], None, [], 0, "已生成", ["QQ 12345"]),
    ("wechat-id", [row(result="微信：wxid_abc123")], None, [], 0, "已生成", ["wxid_abc123"]),
    ("douyin-id", [row(result="抖音号 zhangsan88")], None, [], 0, "已生成", ["zhangsan88"]),
    # addresses, plates, birth dates
    ("address-community-group", [row(result="家住某某街道某某社区3组")], None, [], 0, "已生成", ["社区3组"]),
    ("address-residence", [row(result="居住地：某某县城关镇")], None, [], 0, "已生成", ["城关镇"]),
    ("address-hukou", [row(result="户籍所在地青川县竹园镇")], None, [], 0, "已生成", ["竹园镇"]),
    ("address-yard", [row(result="在12号院内违规搭建")], None, [], 0, "已生成", ["12号院"]),
    ("address-jia-zai", [row(result="家在东坪乡石桥组")], None, [], 0, "已生成", ["石桥组"]),
    ("address-door-plate", [row(result="门牌12号")], None, [], 0, "已生成", ["门牌12号"]),
    ("plate-new-energy", [row(result="车牌川AD12345")], None, [], 0, "已生成", ["AD12345"]),
    ("plate-lowercase", [row(result="查扣川a12345")], None, [], 0, "已生成", ["a12345"]),
    ("birth-date-dots", [row(result="1990.1.1生")], None, [], 0, "已生成", ["1990.1.1"]),
    # case-level disclosure
    ("on-request-not-listed", [row(doc_no="青市监许〔2025〕依申请9号", way="依申请公开")], None, [], 0, "已生成", ["依申请9号"]),
    ("public-minus-personal", [row(party="韦小宝", kind=P, way="公开（隐去个人信息）")], None, [], 0, "已生成", ["韦小宝"]),
]


def _public_text(folder: Path) -> str:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data.startswith(b"PK"):
                with zipfile.ZipFile(path) as archive:
                    texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
            else:
                texts.append(data.decode("utf-8", "replace"))
            texts.append(path.name)
    text = unicodedata.normalize("NFKC", "\n".join(texts))
    import re

    return re.sub(r"(?<=\d)[\s\-.·/()]+(?=\d)", "", text)


@pytest.mark.parametrize("name,rows,edit,args,code,phrase,planted", CASES, ids=[c[0] for c in CASES])
def test_hostile_cases(tmp_path, name, rows, edit, args, code, phrase, planted):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "登记"
    sheet.append(HEADERS)
    for r in rows:
        sheet.append(r)
    if edit:
        edit(sheet)
    register = tmp_path / "登记.xlsx"
    book.save(register)
    out = tmp_path / "out"
    result = run_cli("cases", register, "--catalogue", DATA, "--out", out,
                     *(args if "--as-of" in args else ["--as-of", "2025-12-31", *args]))
    assert result.exit_code == code, (result.stdout[-2000:], result.stderr)
    assert phrase in result.stderr + result.stdout, (result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    if code in (0, 1):
        assert (out / "public" / "cases" / "index.json").is_file()
        assert (out / "internal" / "cases" / "办件登记簿.xlsx").is_file()  # nothing lost: the office keeps it all
        published = _public_text(out / "public")
        for datum in planted:
            assert datum not in published, datum
    else:
        assert not out.exists()  # a usage error writes nothing


def test_hostile_count():
    assert len(CASES) >= 30 + 60 and len(HEADER_CASES) >= 9  # the first pass, then the second


def test_json_is_utf8_under_a_gbk_locale(tmp_path):
    """`cases --json` under a GBK terminal wrote GBK (sys.stdout.write): JSON is UTF-8."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "POWERCAT_NO_REEXEC": "1", "PYTHONUTF8": "0",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "powercat", "cases", str(DATA / "办件登记"), "--catalogue", str(DATA),
                           "--as-of", "2025-12-31", "--json"], capture_output=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    data = json.loads(done.stdout.decode("utf-8"))  # UTF-8, whatever the locale
    assert any("公开" in f["message"] for f in data["findings"])
    assert b"Traceback" not in done.stderr


def test_a_streamed_log_sorted_by_step_gives_the_same_verdicts(tmp_path, monkeypatch):
    """A big event log sorted by step was split into thousands of false cases."""
    import csv
    import io
    import shutil

    from powercat.cases import run

    monkeypatch.setattr(run, "STREAM_BYTES", 0)  # stream every CSV log, as a big one is
    folder = tmp_path / "登记"
    shutil.copytree(DATA / "办件登记", folder)
    log = folder / "青川市应急管理局环节记录.csv"
    rows = list(csv.reader(io.StringIO(log.read_bytes().decode("gb18030"))))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([rows[0], *sorted(rows[1:], key=lambda r: r[2])])
    log.write_bytes(buffer.getvalue().encode("gb18030"))
    before = run_cli("cases", DATA / "办件登记", "--catalogue", DATA, "--as-of", "2025-12-31", "--json")
    after = run_cli("cases", folder, "--catalogue", DATA, "--as-of", "2025-12-31", "--json")
    assert after.exit_code == before.exit_code == 1 and "Traceback" not in after.stderr
    summary = json.loads(after.stdout)["summary"]
    assert summary == json.loads(before.stdout)["summary"]
    assert any("环节" in f["message"] for f in json.loads(after.stdout)["findings"])


def test_an_unreadable_register_is_exit_3(tmp_path):
    broken = tmp_path / "登记.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = run_cli("cases", broken, "--catalogue", DATA, "--as-of", "2025-12-31")
    assert result.exit_code == 3 and "无法读取" in result.stderr and "Traceback" not in result.stderr


def test_as_of_today_default_is_inside_the_calendar():
    from powercat.workdays import in_range

    assert in_range(dt.date.today())


EXTENSIONS = ["1e9", "inf", "nan", "-5", "99999999999999999999"]


@pytest.mark.parametrize("days", EXTENSIONS)
@pytest.mark.parametrize("code", [CODE, "519901101CF00100"])  # a 许可 (working days) and a 处罚 (natural days)
def test_an_absurd_extension_is_a_finding(tmp_path, days, code):
    """延期天数 inf or 1e9 ended in exit 70 (OverflowError past the year 9999)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["办件编号", "职权编码", "相对人", "相对人类型", "受理日期", "决定日期", "延期天数", "延期批准人"])
    sheet.append(["X-1", code, "青川市清河餐饮管理有限公司", "法人", "2025-05-06", "", days, "局长"])
    book.save(tmp_path / "登记.xlsx")
    result = run_cli("cases", tmp_path / "登记.xlsx", "--catalogue", DATA, "--as-of", "2025-12-31", "--json")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert any(f["code"] in ("case-number-out-of-range", "case-number-invalid") and f["column"] == "G" and "延期天数" in
               f["message"] for f in findings)


def test_a_limit_past_the_year_9999_is_no_crash(tmp_path):
    """A list's 法定时限 of 99999999日 put a deadline past the last date (exit 70)."""
    lists = tmp_path / "清单"
    lists.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "权责清单"
    sheet.append(["青川市测试局权责清单"])
    sheet.append(["序号", "职权编码", "事项名称", "子项名称", "权力类型", "实施依据", "公开方式", "法定时限", "承诺时限"])
    sheet.append([1, "T-1", "某某许可", "", "行政许可", "【法律】《中华人民共和国行政许可法》第十二条", "主动公开", "99999999日",
                  "99999999个工作日"])
    sheet.append([2, "T-2", "某某处罚", "", "行政处罚", "【法律】《中华人民共和国行政处罚法》第十二条", "主动公开", "9999999个月",
                  "99999999日"])
    book.save(lists / "青川市测试局权责清单.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["办件编号", "职权编码", "相对人", "相对人类型", "受理日期", "决定日期"])
    for n, code in enumerate(["T-1", "T-2", "T-2"], start=1):
        sheet.append([f"T-{n}", code, "某某有限公司", "法人", "2025-05-06", "2025-06-08" if n != 2 else ""])
    book.save(tmp_path / "登记.xlsx")
    result = run_cli("cases", tmp_path / "登记.xlsx", "--catalogue", lists, "--as-of", "2026-01-15", "--out", tmp_path / "out")
    assert result.exit_code in (0, 1) and "已生成" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("answer,public", [("否", False), (False, False), ("N", False), ("是", True), (True, True),
                                           ("=1/0", False), ("主动公开（涉及个人隐私的除外）", False)])
def test_a_whether_public_column_is_read_with_the_closed_vocabulary(tmp_path, answer, public):
    """A register that says 是否公开 instead of 公开方式: 否, FALSE, a formula as text withhold the case."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["办件编号", "职权编码", "相对人", "相对人类型", "受理日期", "决定日期", "送达日期", "公开日期", "决定文书号", "是否公开"])
    sheet.append(["W-1", CODE, "青川市清河餐饮管理有限公司", "法人", "2025-05-06", "2025-05-08", "2025-05-09", "2025-05-12",
                  "青市监许〔2025〕标记9号", answer])
    book.save(tmp_path / "登记.xlsx")
    result = run_cli("cases", tmp_path / "登记.xlsx", "--catalogue", DATA, "--as-of", "2025-12-31", "--out", tmp_path / "out")
    assert result.exit_code == 0 and "已生成" in result.stderr and "Traceback" not in result.stderr
    assert ("标记9号" in _public_text(tmp_path / "out" / "public")) == public


# Registers with retyped headers and columns outside the allow-list (联系电话, 住址, 法定代表人 …):
# (id, headers, row, planted data that must not be public)
HEADER_CASES = [
    ("name-slash-title", ["办件编号", "职权编码", "相对人姓名/名称", "相对人类型", "受理日期", "决定日期", "公开日期", "办理结果"],
     ["V-1", CODE, "诸葛孔明", "自然人", "2025-05-06", "2025-05-08", "2025-05-12", "准予"], ["诸葛孔明", "孔明"]),
    ("dang-shi-ren", ["案件编号", "权力编码", "当事人", "受理日期", "决定日期", "公开日期", "处罚内容"],
     ["V-2", CODE, "司马懿", "2025-05-06", "2025-05-08", "2025-05-12", "罚款"], ["司马懿"]),
    ("applicant-and-its-id", ["受理编号", "事项编码", "申请人", "申请人证件号码", "受理时间", "决定时间", "公示日期"],
     ["V-3", CODE, "曹孟德", "110105199001011234", "2025-05-06", "2025-05-08", "2025-05-12"], ["曹孟德", "110105199001011234"]),
    ("id-type-column-first", ["办件编号", "职权编码", "相对人证件类型", "相对人证件号码", "相对人名称", "受理日期", "决定日期", "公开日期"],
     ["V-4", CODE, "居民身份证", "110105199001011234", "孙仲谋", "2025-05-06", "2025-05-08", "2025-05-12"],
     ["孙仲谋", "110105199001011234"]),
    ("id-card-column-of-a-firm", ["办件编号", "职权编码", "相对人", "身份证号", "受理日期", "决定日期", "公开日期"],
     ["V-5", CODE, "青川市清河餐饮管理有限公司", "110105199001011234", "2025-05-06", "2025-05-08", "2025-05-12"],
     ["110105199001011234"]),
    ("phone-address-legal-rep-columns", ["办件编号", "职权编码", "相对人", "相对人类型", "联系电话", "住址", "法定代表人", "受理日期",
                                         "决定日期", "公开日期"],
     ["V-6", CODE, "青川市清河餐饮管理有限公司", "法人", "13800138000", "清河路8号", "周公瑾", "2025-05-06", "2025-05-08",
      "2025-05-12"], ["13800138000", "清河路8号", "周公瑾"]),
    ("name-column-blank-type", ["办件编号", "职权编码", "相对人姓名", "相对人类型", "受理日期", "决定日期", "公开日期"],
     ["V-7", CODE, "黄汉升", "", "2025-05-06", "2025-05-08", "2025-05-12"], ["黄汉升"]),
    ("legal-rep-name-and-id-columns", ["办件编号", "职权编码", "行政相对人名称", "法定代表人姓名", "法定代表人身份证号", "受理日期",
                                       "决定日期", "公开日期"],
     ["V-8", CODE, "青川市清河餐饮管理有限公司", "马孟起", "110105199001011234", "2025-05-06", "2025-05-08", "2025-05-12"],
     ["马孟起", "110105199001011234"]),
    ("contact-column", ["办件编号", "职权编码", "相对人名称（姓名）", "受理日期", "决定日期", "公开日期", "联系方式"],
     ["V-9", CODE, "赵子龙", "2025-05-06", "2025-05-08", "2025-05-12", "13900001111"], ["赵子龙", "13900001111"]),
]


@pytest.mark.parametrize("name,headers,values,planted", HEADER_CASES, ids=[c[0] for c in HEADER_CASES])
def test_hostile_register_headers(tmp_path, name, headers, values, planted):
    book = openpyxl.Workbook()
    book.active.append(headers)
    book.active.append(values)
    book.save(tmp_path / "登记.xlsx")
    out = tmp_path / "out"
    result = run_cli("cases", tmp_path / "登记.xlsx", "--catalogue", DATA, "--out", out, "--as-of", "2025-12-31")
    assert result.exit_code in (0, 1) and "已生成" in result.stderr and "Traceback" not in result.stderr + result.stdout
    published = _public_text(out / "public")
    assert "20250508" in published  # the decision is disclosed (the register was read, not skipped)
    for datum in planted:
        assert datum not in published, datum


# A case withheld by a column other than its 公开方式 (a second 是否公开, 公开属性, 公开范围) or by its 备注
# (all six were published before): (id, extra headers, their values, whether the case is public)
FIRM = ["S-1", CODE, "青川市清河餐饮管理有限公司", "法人", "2025-05-06", "2025-05-08", "2025-05-12", "青市监许〔2025〕标记8号"]
FIRM_HEADERS = ["办件编号", "职权编码", "相对人", "相对人类型", "受理日期", "决定日期", "公开日期", "决定文书号"]
DISCLOSURE_CASES = [
    ("scope-not-public", ["公开范围"], ["不公开"], False),
    ("way-then-whether-no", ["公开方式", "是否公开"], ["主动公开", "否"], False),
    ("whether-no-then-way", ["是否公开", "公开方式"], ["否", "主动公开"], False),
    ("scope-internal-only", ["公开方式", "公开范围"], ["主动公开", "仅限内部"], False),
    ("attribute-secret", ["公开方式", "公开属性"], ["主动公开", "涉密"], False),
    ("remark-state-secret", ["公开方式", "备注"], ["", "涉及国家秘密，不予公开"], False),
    ("scope-the-public", ["公开方式", "公开范围"], ["主动公开", "社会公众"], True),
    ("remark-internal-approval", ["公开方式", "备注"], ["主动公开", "经内部审批"], True),
]


@pytest.mark.parametrize("name,headers,values,public", DISCLOSURE_CASES, ids=[c[0] for c in DISCLOSURE_CASES])
def test_hostile_case_disclosure_columns(tmp_path, name, headers, values, public):
    book = openpyxl.Workbook()
    book.active.append(FIRM_HEADERS + headers)
    book.active.append(FIRM + values)
    book.save(tmp_path / "登记.xlsx")
    out = tmp_path / "out"
    result = run_cli("cases", tmp_path / "登记.xlsx", "--catalogue", DATA, "--out", out, "--as-of", "2025-12-31", "--json")
    assert result.exit_code in (0, 1) and "已生成" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert ("标记8号" in _public_text(out / "public")) == public
    messages = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "case-disclosure-withheld"]
    assert bool(messages) == (not public) and all("不对外公开" in m for m in messages), messages


@pytest.mark.parametrize("code", [CODE, "５１９９０１１０１ＸＫ００３００"])  # a public power's code, also full-width
def test_a_public_code_with_a_withheld_power_name_is_withheld(tmp_path, code):
    """职权编码 of a public power, 职权名称 of a withheld one: the case was published under the public power."""
    book = openpyxl.Workbook()
    book.active.append(FIRM_HEADERS + ["职权名称"])
    book.active.append(["M-1", code, *FIRM[2:], "国防交通战备设施安全检查"])
    book.save(tmp_path / "登记.xlsx")
    out = tmp_path / "out"
    result = run_cli("cases", tmp_path / "登记.xlsx", "--catalogue", DATA, "--out", out, "--as-of", "2025-12-31", "--json")
    assert result.exit_code in (0, 1) and "已生成" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert "标记8号" not in _public_text(out / "public")
    assert any(f["code"] == "case-power-withheld" and "不予公开事项" in f["message"]
               for f in json.loads(result.stdout)["findings"])
