"""Issue 22, item 3: the registry rebuilt from 18,081 versions — compact facts, 款 counts trusted
only where the source keeps one 款 per line, and a city's own regulation judging only citations
from that city or naming it."""

import datetime as dt
import importlib.util

import pytest

from powercat.check import run
from powercat.ingest import load
from powercat.ingest.template import write_workbook
from powercat.law.registry import decode_articles, default_registry, place_names

from .conftest import ROOT

AS_OF = dt.date(2026, 11, 22)


def _build_script():
    spec = importlib.util.spec_from_file_location("build_registry", ROOT / "scripts" / "build_registry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _codes(tmp_path, *bases, agency="测试局"):
    path = tmp_path / "x.xlsx"
    write_workbook(path, {"name": agency}, [
        {"code": f"X000{i}", "name": f"事项{i}", "category": "行政检查", "basis": basis} for i, basis in enumerate(bases, 1)])
    return [(f.row, f.code, f.message) for f in run(load([str(path)]), as_of=AS_OF).findings]


# --- the compact article string ------------------------------------------------------------------

@pytest.mark.parametrize("articles", [
    [],
    [(1, 0, 1), (2, 0, 3), (2, 1, 1), (5, 0, 2), (6, 0, 0)],  # 之一, a gap, an unknown 款 count
    [(1, 0, 1), (2, 0, 1), (1, 0, 2)],  # a text that restarts its numbering
    [(3, 0, 12), (4, 0, 40)],  # starts late; 款 counts above 35 are capped
])
def test_article_numbering_survives_the_compact_string(articles):
    encoded = _build_script().encode_articles(articles)
    assert decode_articles(encoded) == [(n, s, min(k, 35)) for n, s, k in articles]


def test_crawl_kuan_counts_are_shipped_as_unknown_and_registry_ones_as_counted():
    script = _build_script()
    crawl = {"id": "某条例@2020-01-01", "title": "某条例", "source_repo": "sonqyau/Bibliotheca",
             "articles": [{"num": 1, "sub": 0}, {"num": 2, "sub": 0}]}
    kuan = {("某条例@2020-01-01", 1, 0): 1, ("某条例@2020-01-01", 2, 0): 2}
    assert script.entry_of(crawl, kuan)["articles"] == "00"
    assert script.entry_of(dict(crawl, source_repo="LawRefBook/Laws"), kuan)["articles"] == "12"


# --- 款 counts from the crawl prove nothing missing ----------------------------------------------

def test_a_crawl_text_run_into_one_line_gives_no_false_kuan_missing(tmp_path):
    # 新疆实施〈动物防疫法〉办法 第十四条 has two 款 in law; the crawl ran them into one line
    cell = "【法规】《新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法》第十四条第二款"
    assert not [c for _r, c, _m in _codes(tmp_path, cell) if c.startswith(("basis-kuan", "basis-article", "basis-law"))]


def test_an_article_beyond_a_crawl_text_is_still_missing(tmp_path):
    cell = "【法规】《新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法》第九十九条"
    assert [c for _r, c, _m in _codes(tmp_path, cell) if c.startswith("basis-")] == ["basis-article-missing"]


def test_a_kuan_beyond_a_registry_text_is_still_missing(tmp_path):
    # 行政许可法 第四十二条 has two 款 in the original registry's text (LawRefBook)
    found = _codes(tmp_path, "【法律】《中华人民共和国行政许可法》第四十二条第五款")
    assert [c for _r, c, _m in found if c.startswith("basis-kuan")] == ["basis-kuan-missing"]


# --- a city's regulation judges only its own city's citations ------------------------------------

def test_place_names_cover_the_ways_lists_write_a_place():
    assert {"克拉玛依市", "克拉玛依"} <= place_names("克拉玛依市")
    assert {"伊犁哈萨克自治州", "伊犁州", "伊犁"} <= place_names("伊犁哈萨克自治州")
    assert "宁蒗" in place_names("", "云南省宁蒗彝族自治县禁毒条例")


def test_registry_find_holds_back_another_citys_regulation():
    registry = default_registry()
    assert registry.find("云冈石窟保护条例").locality == "大同市"  # no context (powercat law): found
    assert registry.find("云冈石窟保护条例", where="克拉玛依市文物局|x.xlsx") is None
    assert registry.find("云冈石窟保护条例", where="大同市文物局|x.xlsx") is not None
    assert registry.find("克拉玛依市养犬管理条例", where="乌鲁木齐市公安局|x.xlsx") is not None  # the title names it
    assert registry.find("中华人民共和国行政许可法", where="克拉玛依市|x.xlsx") is not None  # national: anywhere


def test_another_citys_regulation_gives_no_article_finding(tmp_path):
    cell = "【法规】《云冈石窟保护条例》第九十九条"  # 大同市's regulation has 46 articles
    elsewhere = _codes(tmp_path, cell, agency="克拉玛依市文化体育广播电视和旅游局")
    assert not [c for _r, c, _m in elsewhere if c == "basis-article-missing"]
    assert [c for _r, c, _m in elsewhere if c.startswith("basis-law")] == ["basis-law-unknown"]
    at_home = _codes(tmp_path, cell, agency="大同市文物局")
    assert [c for _r, c, _m in at_home if c.startswith("basis-")] == ["basis-article-missing"]


def test_a_title_naming_its_city_is_checked_from_any_list(tmp_path):
    found = _codes(tmp_path, "【法规】《克拉玛依市养犬管理条例》第九十九条", agency="乌鲁木齐市公安局")
    assert [c for _r, c, _m in found if c.startswith("basis-")] == ["basis-article-missing"]


# --- coverage ------------------------------------------------------------------------------------

def test_an_unknown_city_title_is_placed_in_its_province_by_the_registrys_localities():
    coverage = default_registry().coverage
    assert coverage.cities["伊犁"] == "新疆" and coverage.cities["景德镇"] == "江西"
    assert "江西地方性法规" in coverage.of_title("景德镇市某某管理办法")


def test_the_shipped_registry_stays_small():
    size = (ROOT / "powercat" / "law" / "registry.json.gz").stat().st_size
    assert size < 1_500_000
    assert len(default_registry().by_id) >= 18_000


# --- a crawl text filed under another law's title ----------------------------------------------

@pytest.mark.parametrize("title, opening, matches", [
    ("某某自治区农业机械安全监督管理条例", "第一条 为加强农村集体经济组织资产管理，保护资产所有者的合法权益", False),
    ("某某自治区农业机械安全监督管理条例", "第一条 为加强对农业机械及其驾驶、操作人员的安全监督管理，预防农业机械事故", True),
    ("某某市物业管理条例", "第一条 为了规范物业管理活动", True),
    ("某某市条例", "第一条 任何内容", True),  # nothing left of the title to compare: trusted
])
def test_a_crawl_text_must_speak_of_its_title(title, opening, matches):
    assert _build_script().text_matches_title(title, opening) is matches


def test_a_crawl_text_of_another_law_proves_no_article_missing(tmp_path):
    # the crawl's 2024-11-28 text under this title is 农村集体经济组织资产管理条例 (27 articles);
    # the regulation itself has 36
    cell = "【法规】《新疆维吾尔自治区农业机械安全监督管理条例》第三十五条"
    assert not [c for _r, c, _m in _codes(tmp_path, cell) if c == "basis-article-missing"]
