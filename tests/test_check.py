"""`powercat check`: the rules on the sample data, on verified real findings and clean
citations, the rule docs, the CLI contract and the annotated copies."""

import datetime as dt
import json
import shutil

import openpyxl
import pytest

from powercat.check import run
from powercat.check.docs import TARGET, render
from powercat.check.findings import RULES
from powercat.ingest import load

from .conftest import DATA, REAL_LISTS, run_cli

AS_OF = dt.date(2026, 11, 22)


def findings_of(paths, **kwargs):
    catalogue = load([str(p) for p in paths])
    return catalogue, run(catalogue, as_of=AS_OF, **kwargs)


def test_sample_defects_are_found_exactly():
    _, report = findings_of([DATA])
    got = sorted((f.file.rsplit("/", 1)[-1][:8], f.row, f.column, f.code) for f in report.findings)
    assert got == sorted([
        ("青川市市场监督管", 6, "J", "limit-promised-exceeds-statutory"),
        ("青川市市场监督管", 12, "E", "basis-article-missing"),
        ("青川市市场监督管", 16, "I", "limit-penalty-over-90"),
        ("青川市交通运输局", 6, "I", "limit-licensing-over-20"),
        ("青川市交通运输局", 14, "E", "basis-law-repealed"),
        ("青川市应急管理局", 2, "I", "limit-licensing-over-20"),
        ("青川市应急管理局", 3, "I", "limit-licensing-over-20"),
        ("青川市应急管理局", 16, "E", "basis-outdated-version"),
        ("青川市应急管理局", 21, "L", "withheld-no-reason"),
        ("青川市应急管理局", 3, "A", "process-over-limit"),
        ("青川市交通运输局", 12, "E", "process-parallel"),  # 运行流程 row of 车辆技术条件核查, 承办岗位
        ("青川市交通运输局", 15, "B", "power-overlap"),  # both cite 安全生产法 第一百零二条
        ("青川市应急管理局", 9, "B", "power-overlap"),
    ])
    repealed = next(f for f in report.findings if f.code == "basis-law-repealed")
    assert "生态环境法典" in repealed.message and "2026-08-15" in repealed.message


def test_as_of_before_a_repeal_takes_effect_warns_instead():
    catalogue = load([str(DATA / "青川市交通运输局权力清单.xlsx")])
    report = run(catalogue, as_of=dt.date(2026, 5, 1))
    assert "basis-law-repealing" in report.by_code() and "basis-law-repealed" not in report.by_code()


def test_law_texts_confirm_special_time_limits(tmp_path):
    """With article texts, a 30-day licensing limit stated by the cited article is lawful."""
    texts = REAL_LISTS.parent / "laws" / "articles.jsonl.gz"
    if not texts.is_file():
        pytest.skip("../shared/laws is absent")
    from powercat.law.registry import ArticleTexts

    _, report = findings_of([DATA / "青川市应急管理局权力清单.xlsx"], law_texts=ArticleTexts.load(texts))
    over = [f.row for f in report.findings if f.code == "limit-licensing-over-20"]
    assert over == []  # 危险化学品安全管理条例 Art. 35 and 烟花爆竹安全管理条例 Art. 19 set 30 days


# Verified by reading the law (registry article lists and texts in ../shared/laws):
VERIFIED = [
    # 《植物检疫条例》 has 24 articles; the cell cites 第二十五条
    ("2024年市农业农村局权责清单.xls", "行政处罚（254项）", 36, "basis-article-missing"),
    # 《禁止传销条例》 has 30 articles; 第三十五条 is cited (an article of 直销管理条例)
    ("附件：克拉玛依市市场监督管理局2024年权责清单.xls", "Sheet1", 364, "basis-article-missing"),
    # (issue 22: 克拉玛依市商务局 row 4 is gone: the cell writes 《报废机动车回收管理办法》实施细则》 (商务部令
    # 2020年第2号), so its 第三十二、三十三条 are the 实施细则's, not missing from the 办法)
    # 《广播电视管理条例》 Art. 50 is one 款 listing items; 第五十条第二款 cited (meant 第（二）项)
    ("克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx", "打印版（全）", 616, "basis-kuan-missing"),
    # 《农药管理条例》 is a 行政法规 (国务院令第216号), tagged 【规章】
    ("2024年市农业农村局权责清单.xls", "行政处罚（254项）", 9, "basis-level-mismatch"),
    # 责任事项依据 cites 行政处罚法 "2017年9月1日第二次修正"; current text is the 2021 revision
    ("克拉玛依市医疗保障局2024年权责清单.xls", "Sheet1", 3, "basis-outdated-version"),
    # 《中华人民共和国环境保护法》 repealed by 生态环境法典 (in force 2026-08-15)
    ("克拉玛依市生态环境局2024年权责清单.xls", "市生态环境局（217项）", 3, "basis-law-repealed"),
    # basis is only 《标准出版管理办法》（技监局政发[1997]118号）, a normative document (处罚法 Art. 16)
    ("克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx", "打印版（全）", 265, "setting-penalty"),
    # 行政强制 resting only on 《消防监督检查规定》 (公安部令第120号), a ministry rule (强制法 Art. 10)
    ("克拉玛依市2025年消防监督执法权责清单.xlsx", "Sheet1", 74, "setting-coercion"),
    # 【法规】（禁止使用童工规定》: the opening 《 is a （, so no law is named
    ("克拉玛依市人力资源和社会保障局2024年权责清单.xls", "附表1", 65, "basis-no-citation"),
    # 职权编码 650200207CF49000 on rows 24 and 26 (different powers)
    ("克拉玛依市2025年消防监督执法权责清单.xlsx", "Sheet1", 26, "code-duplicate"),
    ("克拉玛依市2025年消防监督执法权责清单.xlsx", "Sheet1", 50, "code-duplicate"),
]

# Checked clean: the law is in the registry, in force, cited in its current version, and
# the articles exist with the cited 款.
CLEAN = [
    ("附件：克拉玛依市市场监督管理局2024年权责清单.xls", "Sheet1", 259),  # 广告法 第五十五条第一款
    ("附件：克拉玛依市市场监督管理局2024年权责清单.xls", "Sheet1", 30),  # 药品管理法 第一百四十一条
    ("克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx", "打印版（全）", 404),  # 旅行社条例 第四十六条
    ("附件：克拉玛依市市场监督管理局2024年权责清单.xls", "Sheet1", 190),  # 特种设备安全法 第八十七条
    ("克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx", "打印版（全）", 434),  # 旅行社条例 第六十三条
    ("克拉玛依市自然资源局2024年权责清单 (1).xls", "克拉玛依市自然资源局权责清单", 55),  # 地质灾害防治条例 第四十四条
    ("克拉玛依市住房和城乡建设局2024年权责清单.xls", "准确版", 178),  # 建筑起重机械安全监督管理规定
    ("2024年市农业农村局权责清单.xls", "行政处罚（254项）", 117),  # 生猪屠宰管理条例 第二十五条
    ("附件：克拉玛依市市场监督管理局2024年权责清单.xls", "Sheet1", 66),  # 化妆品监督管理条例 第六十四条第二款
    ("克拉玛依市住房和城乡建设局2024年权责清单.xls", "准确版", 129),  # 招标投标法 第五十三条
    ("2024年市农业农村局权责清单.xls", "行政裁决（1项）", 2),  # 农村土地承包经营纠纷调解仲裁法 第十二条 …
]


@pytest.fixture(scope="module")
def real_report():
    if not (REAL_LISTS / "expected.json").is_file():
        pytest.skip("../shared/real-lists is absent")
    catalogue = load([str(REAL_LISTS)])
    return run(catalogue, as_of=AS_OF)


@pytest.mark.slow
@pytest.mark.parametrize("file, sheet, row, code", VERIFIED)
def test_verified_real_findings(real_report, file, sheet, row, code):
    found = {(f.file.rsplit("/", 1)[-1], f.sheet, f.row, f.code) for f in real_report.findings}
    assert (file, sheet, row, code) in found


@pytest.mark.slow
@pytest.mark.parametrize("file, sheet, row", CLEAN)
def test_verified_clean_real_citations(real_report, file, sheet, row):
    hits = [f for f in real_report.findings
            if (f.file.rsplit("/", 1)[-1], f.sheet, f.row) == (file, sheet, row) and f.field == "basis"]
    assert hits == []


def test_rules_doc_matches_catalogue():
    assert TARGET.read_text(encoding="utf-8") == render(), "run: python -m powercat.check.docs"
    for rule in RULES.values():
        assert rule.code == rule.code.lower() and " " not in rule.code
        assert rule.title and rule.description and rule.template


def test_check_json_contract_and_exit_code(tmp_path):
    result = run_cli("check", "--json", "--as-of", "2026-11-22", DATA)
    assert result.exit_code == 1  # errors found
    data = json.loads(result.stdout)
    assert set(data) == {"files", "findings", "summary", "unverifiable"}
    assert data["summary"]["errors"] == 5 and data["summary"]["warnings"] == 7 and data["summary"]["infos"] == 1
    assert data["summary"]["powers"] == 88
    first = data["findings"][0]
    assert set(first) == {"code", "severity", "file", "sheet", "row", "column", "field", "power", "message"}
    clean = run_cli("check", "--json", "--as-of", "2026-11-22", DATA / "青川市文化广电和旅游局2025年权责清单.xlsx")
    assert clean.exit_code == 0 and json.loads(clean.stdout)["findings"] == []


def test_select_ignore_and_bad_options():
    result = run_cli("check", "--json", "--as-of", "2026-11-22", "--select", "limit-", "--ignore", "limit-penalty-over-90", DATA)
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert codes == {"limit-licensing-over-20", "limit-promised-exceeds-statutory"}
    assert run_cli("check", "--select", "no-such-rule", DATA).exit_code == 2
    assert run_cli("check", "--as-of", "22/11/2026", DATA).exit_code == 2


def test_unreadable_file_exits_3_and_others_checked(tmp_path):
    shutil.copy(DATA / "青川市市场监督管理局权力清单.xlsx", tmp_path)
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    result = run_cli("check", "--json", tmp_path)
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["summary"]["powers"] == 24 and data["findings"]


def test_terminal_view_escapes_user_text(tmp_path):
    from powercat.ingest.template import write_workbook

    write_workbook(tmp_path / "x.xlsx", {"name": "测试局"}, [
        {"code": "X1", "name": "见[/规定]第3条[red]处罚[/red]", "category": "行政处罚",
         "basis": "【法律】《不存在的[/规定]条例[red]法》第一条"},
    ])
    result = run_cli("check", tmp_path / "x.xlsx")
    assert result.exit_code == 0
    assert "《不存在的[/规定]条例[red]法》" in result.stdout  # printed as text, not markup
    assert "Traceback" not in result.stdout + result.stderr


def test_annotated_copies(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DATA / "青川市市场监督管理局权力清单.xlsx", src)
    before = (src / "青川市市场监督管理局权力清单.xlsx").read_bytes()
    out = tmp_path / "out"
    result = run_cli("check", "--as-of", "2026-11-22", "--annotate", out, src)
    assert result.exit_code == 1
    assert (src / "青川市市场监督管理局权力清单.xlsx").read_bytes() == before
    book = openpyxl.load_workbook(out / "青川市市场监督管理局权力清单.审查意见.xlsx")
    assert book.sheetnames[0] == "问题清单"
    cell = book["职权目录"]["E12"]
    # comments are Chinese only, the rule's name first
    assert cell.comment.text.startswith("【条文不存在·错误】") and "basis-" not in cell.comment.text
    assert cell.fill.start_color.rgb == "FFFFC7CE"
    issues = book["问题清单"]
    cells = list(issues.iter_rows(values_only=True))
    # the sheet opens with the summary: counts, the check date, the registry's coverage
    assert cells[0][0].startswith("审查结果：错误 2 条，警告 1 条")
    assert any(row[0] and "审查基准日：2026-11-22" in row[0] for row in cells[:6])
    assert any(row[0] and "法规库收录情况" in row[0] and "行政法规" in row[0] for row in cells[:6])
    top = next(i for i, row in enumerate(cells) if row[0] == "序号")
    rows = cells[top + 1:]
    assert len(rows) == 3 and {r[3] for r in rows} >= {"basis-article-missing"}
    assert {r[2] for r in rows} >= {"条文不存在"}
    severities = [r[1] for r in rows]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)  # by severity
    links = [c.hyperlink.location or c.hyperlink.target for c in issues["J"] if c.hyperlink]
    assert "'职权目录'!E12" in "".join(links).replace("#", "")


@pytest.mark.slow
def test_annotated_copy_of_an_xls_keeps_merges(tmp_path, real_lists):
    source = real_lists / "克拉玛依市应急管理局2024年权责清单.xls"
    result = run_cli("check", "--as-of", "2026-11-22", "--annotate", tmp_path, source)
    assert result.exit_code == 1
    book = openpyxl.load_workbook(tmp_path / "克拉玛依市应急管理局2024年权责清单.审查意见.xlsx")
    sheet = book["Sheet1"]
    assert len(sheet.merged_cells.ranges) > 2000
    assert sheet["B3"].value == "生产、储存危险化学品建设项目安全条件审查"
    # what to fix in 问题清单, what the registry cannot verify on its own sheet (issue 22)
    assert len(list(book["问题清单"].iter_rows(min_row=2))) + len(list(book["无法核验的法规"].iter_rows(min_row=2))) > 50


def test_defusedxml_guards_openpyxl():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.slow
def test_quoted_text_of_a_renumbered_article_differs(real_lists):
    """《生猪屠宰管理条例》 was renumbered in 2021; the cell quotes the old 第二十四条 (定点屠宰
    证书) under the new number, whose text is about local protectionism."""
    texts = real_lists.parent / "laws" / "articles.jsonl.gz"
    if not texts.is_file():
        pytest.skip("../shared/laws is absent")
    from powercat.law.registry import ArticleTexts

    catalogue = load([str(real_lists / "2024年市农业农村局权责清单.xls")])
    report = run(catalogue, as_of=AS_OF, law_texts=ArticleTexts.load(texts), select=["basis-quote-differs"])
    rows = {(f.sheet, f.row) for f in report.findings}
    assert ("行政处罚（254项）", 116) in rows
    quoted = next(f for f in report.findings if f.row == 116)
    assert "引用：" in quoted.message and "现行：" in quoted.message
