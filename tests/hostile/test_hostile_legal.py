"""Hostile 实施依据 cells for `powercat check`: garbled version histories, titles closed too early or
never, quoted text naming other laws, catalogue titles, enormous cells. Each case: the exit code, a
Chinese phrase where the reviewer reads it, and no traceback."""

import json

import pytest

from ..conftest import run_cli

CASES = [
    # (id, cell, exit code, phrase in the report, code expected in the JSON or None)
    ("garbled-day", "【法律】《中华人民共和国行政许可法》（2003年8月27日通过，2019年4月36日第十三届全国人民代表大会常务委员会第十次会议修正）第十二条",
     0, "不是有效日期", "basis-date-invalid"),
    ("garbled-year", "【法律】《中华人民共和国行政许可法》（0016年13月45日公布）第十二条", 0, "不是有效日期", "basis-date-invalid"),
    ("date-digits-only", "【法律】《中华人民共和国行政许可法》（9999年99月99日修正）第十二条", 0, "不是有效日期", "basis-date-invalid"),
    ("decree-year", "【规章】《道路运输从业人员管理规定》（交通运输部令2022年第10号）第九条", 0, "共 1 个文件", None),
    ("title-runs-on", "【规章】《报废机动车回收管理办法》实施细则》第三十三条", 0, "无法核验", "basis-law-unknown"),
    ("title-never-closed", "【法律】《中华人民共和国行政许可法第十二条", 0, "共 1 个文件", None),
    ("only-closers", "》》》》第十二条）））", 0, "共 1 个文件", None),
    ("nested-openers", "《《《《《《《《《《" * 50, 0, "共 1 个文件", None),
    ("other-law-in-quote", "【规章】《中华人民共和国船舶安全监督规则》第五十条。违反本规则，依照内河交通安全管理条例第七十七条的规定处罚。",
     0, "共 1 个文件", None),
    ("bare-catalogue", "【规范性文件】《目录》第三条", 0, "共 1 个文件", None),
    ("misnamed", "【规章】《危险化学品重大危险源督管理暂行规定》第三条", 0, "应为《危险化学品重大危险源监督管理暂行规定》", "basis-law-misnamed"),
    ("ministry-rule-as-regulation", "【法规】《道路运输从业人员管理规定》第九条", 0, "但它是部门规章", "basis-level-mismatch"),
    ("rich-markup", "【法律】《[red]中华人民共和国行政许可法[/red]》（2019年4月36日修正）第十二条", 0, "[red]", "basis-no-citation"),
    ("huge-cell", "【法律】《中华人民共和国行政许可法》（2019年4月23日修正）第十二条：" + "许可" * 20000, 0, "共 1 个文件", None),
    ("many-articles", "【法律】《中华人民共和国行政许可法》" + "、".join(f"第{n}条" for n in range(1, 400)), 1, "没有第", "basis-article-missing"),
]


def _workbook(tmp_path, cell):
    from powercat.ingest.template import write_workbook

    path = tmp_path / "敌意依据.xlsx"
    write_workbook(path, {"name": "测试局"}, [{"code": "X0001", "name": "事项1", "category": "行政检查", "basis": cell}])
    return path


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_basis_cells(tmp_path, case, monkeypatch):
    _id, cell, code, phrase, rule = case
    monkeypatch.setenv("COLUMNS", "400")
    path = _workbook(tmp_path, cell)
    result = run_cli("check", "--as-of", "2026-11-22", "--limit", "0", path)
    assert result.exit_code == code, result.stdout[-2000:]
    assert phrase in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    data = json.loads(run_cli("check", "--json", "--as-of", "2026-11-22", path).stdout)
    codes = {f["code"] for f in data["findings"]}
    if rule:
        assert rule in codes
    # the report still leads with problems: nothing after an info is an error or a warning
    severities = [f["severity"] for f in data["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


@pytest.mark.parametrize("args, code, phrase", [
    (("--as-of", "2026-02-30"), 2, "--as-of 应为 YYYY-MM-DD"),
    (("--select", "basis-nonsense"), 2, "未知的规则"),
])
def test_hostile_check_options(tmp_path, args, code, phrase):
    path = _workbook(tmp_path, "【法律】《中华人民共和国行政许可法》第十二条")
    result = run_cli("check", *args, path)
    assert result.exit_code == code and phrase in result.stderr and "Traceback" not in result.stderr
