"""Hostile citations for the rebuilt registry (issue 22, item 3): another city's regulation,
crawl texts whose 款 were run together, one-character near misses of local titles, place-only
titles. Each case: the exit code, a Chinese phrase where the reviewer reads it, no traceback."""

import json

import pytest

from ..conftest import run_cli

CASES = [
    # (id, agency of the list, cell, exit code, phrase in the report, codes expected, codes that must not appear)
    ("other-citys-regulation", "克拉玛依市文化体育广播电视和旅游局", "【法规】《云冈石窟保护条例》第九十九条",
     0, "无法核验", {"basis-law-unknown"}, {"basis-article-missing"}),
    ("own-citys-regulation", "大同市文物局", "【法规】《云冈石窟保护条例》第九十九条",
     1, "没有第九十九条", {"basis-article-missing"}, set()),
    ("prefecture-by-short-name", "伊犁州林业和草原局", "【法规】《库鲁斯台草原生态保护条例》第九十九条",
     1, "没有第九十九条", {"basis-article-missing"}, set()),
    ("title-names-another-city", "克拉玛依市公安局", "【法规】《乌鲁木齐市养犬管理规定》第九十九条",
     1, "没有第九十九条", {"basis-article-missing"}, set()),
    ("crawl-kuan-run-together", "测试局", "【法规】《新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法》第十四条第二款",
     0, "共 1 个文件", set(), {"basis-kuan-missing", "basis-article-missing", "basis-law-unknown"}),
    ("crawl-kuan-absurd", "测试局", "【法规】《新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法》第十四条第九十九款",
     0, "共 1 个文件", set(), {"basis-kuan-missing"}),
    ("crawl-article-beyond", "测试局", "【法规】《新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法》第九十九条",
     1, "没有第九十九条", {"basis-article-missing"}, set()),
    ("near-miss-is-another-law", "测试局", "【法规】《新疆维吾尔自治区物业管理条例》第三条",
     0, "无法核验", {"basis-law-unknown"}, {"basis-law-misnamed"}),
    ("unknown-city-title", "测试局", "【法规】《克拉玛依市城市绿化条例》第三条",
     0, "无法核验", {"basis-law-unknown"}, set()),
    ("place-only-title", "测试局", "【法规】《伊犁哈萨克自治州》第三条", 0, "共 1 个文件", set(), set()),
]


def _workbook(tmp_path, agency, cell):
    from powercat.ingest.template import write_workbook

    path = tmp_path / "敌意法规库.xlsx"
    write_workbook(path, {"name": agency}, [{"code": "X0001", "name": "事项1", "category": "行政检查", "basis": cell}])
    return path


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_registry_citations(tmp_path, case, monkeypatch):
    _id, agency, cell, code, phrase, expected, absent = case
    monkeypatch.setenv("COLUMNS", "400")
    path = _workbook(tmp_path, agency, cell)
    result = run_cli("check", "--as-of", "2026-11-22", "--limit", "0", path)
    assert result.exit_code == code, result.stdout[-2000:]
    assert phrase in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    codes = {f["code"] for f in json.loads(run_cli("check", "--json", "--as-of", "2026-11-22", path).stdout)["findings"]}
    assert expected <= codes and not (absent & codes), codes


@pytest.mark.parametrize("query, phrase", [
    ("《新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法》第十四条第二款", "款数未知"),  # a crawl text: no count claimed
    ("《中华人民共和国行政许可法》第四十二条第五款", "没有第 5 款"),  # a registry text: counted
    ("云冈石窟保护条例第九十九条", "没有此条"),  # asked by name: a city's regulation is shown
])
def test_hostile_law_lookups(query, phrase, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    result = run_cli("law", query)
    assert result.exit_code == 0 and phrase in result.stdout and "Traceback" not in result.stdout + result.stderr
