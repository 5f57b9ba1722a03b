"""Process graphs and rendered flowcharts."""

import json
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from powercat.ingest import load
from powercat.ingest.template import write_workbook
from powercat.model import Category, Power, Source
from powercat.process import build_graph
from powercat.process.checks import check_graph, longest_path
from powercat.process.graph import duty_stages, parse_next
from powercat.process.templates import TEMPLATES, template_for
from powercat.render.dot import to_dot

from .conftest import DATA, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")


def test_parse_next():
    assert parse_next("3") == [(None, "3")]
    assert parse_next("3,4") == [(None, "3"), (None, "4")]
    assert parse_next("是:4；否:9") == [("是", "4"), ("否", "9")]
    assert parse_next("材料齐全：3；需补正:7") == [("材料齐全", "3"), ("需补正", "7")]


def test_graph_sources():
    catalogue = load([str(DATA)])
    by_code = {p.code: p for p in catalogue.powers}
    food = build_graph(by_code["519901101XK00100"])
    assert food.source == "steps" and food.graph.edges["2", "7"]["label"] == "需补正"
    assert food.graph.nodes["4"]["kind"] == "decision" and food.graph.nodes["4"]["post"] == "分管副局长"
    staged = build_graph(by_code["519901101XK00300"].__class__(
        source=Source("f", "s", 2), name="x", category="行政许可",
        duty="1.受理责任：公示条件。\n2.审查责任：审查材料。\n3.决定责任：作出决定。"))
    assert staged.source == "duty" and [staged.graph.nodes[n]["name"] for n in ("d1", "d2", "d3")] == ["受理", "审查", "决定"]
    published = [p for p in catalogue.powers if "文化" in p.source.file][0]
    assert build_graph(published).source == "template"
    # the chart's 流程来源 line says which, in words a reader of the chart understands
    assert (food.source_zh, staged.source_zh, build_graph(published).source_zh) == (
        "单位填报的运行流程", "清单所列责任事项（3 个阶段）", "法定程序通用流程")


def test_duty_stages():
    assert [n for n, _ in duty_stages("1.受理责任：…2.审查责任：…（三）决定责任：…")] == ["受理", "审查", "决定"]
    assert duty_stages("直接实施责任：规范审批") == []


@pytest.mark.parametrize("category", list(TEMPLATES) + ["其他行政权力"])
def test_templates_pass_the_graph_checks(category):
    power = Power(source=Source("f", "s", 2), name="x", category=category)
    process = build_graph(power)
    assert process.source == "template"
    assert list(check_graph(process, __import__("datetime").date(2026, 3, 2))) == []


def test_licensing_template_has_rework_loop_and_hearing():
    graph = template_for(Category.LICENSING.value)
    names = {graph.nodes[n]["name"] for n in graph.nodes}
    assert {"补正材料", "听证", "决定"} <= names
    assert ("3", "2") in graph.edges  # 补正 loops back to 受理


def _power_with_steps(tmp_path, steps, promised="5个工作日"):
    write_workbook(tmp_path / "w.xlsx", {"name": "测试局"},
                   [{"code": "T1", "name": "测试许可", "category": "行政许可", "basis": "《行政许可法》第十二条",
                     "statutory_limit": "20个工作日", "promised_limit": promised}],
                   [dict(zip(("code", "step_id", "name", "kind", "post", "limit", "next"), s)) for s in steps])
    return load([str(tmp_path / "w.xlsx")]).powers[0]


def test_graph_checks_find_broken_steps(tmp_path):
    power = _power_with_steps(tmp_path, [
        ("T1", "1", "受理", "办理", "窗口", "1个工作日", "2"),
        ("T1", "2", "审查", "判断", "科室", "1个工作日", "通过:3"),
        ("T1", "3", "决定", "办理", "领导", "1个工作日", "2,9"),
        ("T1", "4", "孤立环节", "办理", "科室", None, None),
    ])
    codes = {code for code, _step, _values in check_graph(build_graph(power), __import__("datetime").date(2026, 3, 2))}
    assert codes == {"process-unknown-next", "process-no-start", "process-no-end", "process-dead-end",
                     "process-decision-exits", "process-cycle"}


def test_longest_path_skips_applicant_time_and_rework(tmp_path):
    power = _power_with_steps(tmp_path, [
        ("T1", "1", "申请", "开始", "申请人", None, "2"),
        ("T1", "2", "受理", "判断", "窗口", "1个工作日", "齐全:3；补正:5"),
        ("T1", "3", "审查", "办理", "科室", "2个工作日", "4"),
        ("T1", "4", "办结", "结束", None, "1个工作日", None),
        ("T1", "5", "补正材料", "办理", "申请人", "5日", "2"),
    ])
    total, path = longest_path(build_graph(power), __import__("datetime").date(2026, 3, 2))
    assert total == 4 and path == ["1", "2", "3", "4"]


def test_dot_escapes_every_label(tmp_path):
    tricky = '<无>"引号"{x}\\y'
    power = _power_with_steps(tmp_path, [("T1", "1", tricky, "开始", "岗&位", None, "2"),
                                         ("T1", "2", "结束", "结束", None, None, None)])
    dot = to_dot(build_graph(power), "测试局")
    # a backslash is doubled: Graphviz reads \N, \G, \l … even in HTML-like labels
    assert "&lt;无&gt;&quot;引号&quot;{x}" in dot and "\\\\y" in dot and "岗&amp;位" in dot
    assert 'fontname="Noto Sans CJK SC' in dot


def _svg_text(svg: str) -> str:
    """The text a reader sees, in drawing order, wrapped lines joined."""
    import html
    import re
    return "".join(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S))


@needs_dot
@pytest.mark.parametrize("name", ['<无>"引号"{x}\\y', "审查\\N\\G\\l\\\\结束", "\\E\\T\\H\\L\\n\\r"])
def test_tricky_label_renders_exactly(tmp_path, name):
    power = _power_with_steps(tmp_path, [("T1", "1", name, "开始", None, None, "2"),
                                         ("T1", "2", "结束", "结束", "岗\\G位", None, None)])
    svg = subprocess.run(["dot", "-Tsvg"], input=to_dot(build_graph(power), "测试局"), capture_output=True, text=True,
                         check=True).stdout
    text = _svg_text(svg)
    assert name in text and "承办：岗\\G位" in text


@needs_dot
def test_flowchart_command_outputs_manifest_booklet_and_fonts(tmp_path):
    out = tmp_path / "charts"
    result = run_cli("flowchart", DATA / "青川市应急管理局权力清单.xlsx", "--out", out, "--format", "svg,pdf", "--json")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads(result.stdout)
    charts = manifest["charts"]
    assert len(charts) == 22  # 23 powers, the withheld one left out
    assert all(not c["withheld"] for c in charts)
    assert "应急救灾物资储备库安全检查" not in json.dumps(charts, ensure_ascii=False)
    first = charts[0]
    assert first["source"] == "steps" and first["outputs"][0].endswith("519901303XK00100.svg")
    booklet = PdfReader(manifest["booklets"][0])
    assert len(booklet.pages) == 1 + 1 + 22
    outline = booklet.outline
    assert [o.title for o in outline[:3]] == ["封面", "目录", "行政许可（3 项）"]
    assert outline[3][0].title == "1. 危险化学品经营许可 519901303XK00100"
    assert any("NotoSansCJKsc" in f for f in _embedded_fonts(first["outputs"][1]))
    if shutil.which("pdffonts"):  # the same seen by poppler, which make test installs
        fonts = subprocess.run(["pdffonts", first["outputs"][1]], capture_output=True, text=True).stdout
        assert "NotoSansCJKsc" in fonts


@needs_dot
def test_svg_is_byte_identical_twice(tmp_path):
    for run in ("a", "b"):
        assert run_cli("flowchart", DATA / "青川市市场监督管理局权力清单.xlsx", "--out", tmp_path / run,
                       "--format", "svg", "--no-booklet").exit_code == 0
    a = sorted((tmp_path / "a").rglob("*.svg"))
    b = sorted((tmp_path / "b").rglob("*.svg"))
    assert len(a) == 24 and [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


@needs_dot
def test_withheld_go_to_internal_folder_only_when_asked(tmp_path):
    result = run_cli("flowchart", DATA, "--out", tmp_path, "--format", "svg", "--include-withheld", "--json")
    charts = json.loads(result.stdout)["charts"]
    withheld = [c for c in charts if c["withheld"]]
    assert len(withheld) == 2 and all("内部（不予公开）" in c["outputs"][0] for c in withheld)
    for booklet in tmp_path.glob("*.pdf"):
        text = "".join(page.extract_text() for page in PdfReader(booklet).pages[:2])
        assert "国防交通战备设施" not in text


def test_missing_dot_exits_4(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("flowchart", DATA, "--out", tmp_path / "x")
    assert result.exit_code == 4 and "apt-get install graphviz" in result.stderr


def test_missing_cjk_font_exits_4(tmp_path, monkeypatch):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    (tmp_path / "dot").symlink_to(shutil.which("dot"))
    fake = tmp_path / "fc-list"
    fake.write_text("#!/bin/sh\necho 'DejaVu Sans'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("flowchart", DATA, "--out", tmp_path / "x")
    assert result.exit_code == 4 and "fonts-noto-cjk" in result.stderr
    assert not (tmp_path / "x").exists()


def _embedded_fonts(pdf_path) -> set[str]:
    fonts = set()
    for page in PdfReader(pdf_path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if embedded:
                fonts.add(str(font.get("/BaseFont")))
    return fonts


@needs_dot
def test_every_sample_pdf_embeds_noto_sans_cjk_sc(tmp_path):
    result = run_cli("flowchart", DATA, "--out", tmp_path, "--format", "pdf", "--no-booklet", "--json")
    pdfs = [o for c in json.loads(result.stdout)["charts"] for o in c["outputs"]]
    assert len(pdfs) == 86
    for pdf in pdfs:
        assert any("NotoSansCJKsc" in f for f in _embedded_fonts(pdf)), pdf


@pytest.mark.slow
@needs_dot
def test_one_chart_per_real_item(tmp_path, real_lists, expected):
    result = run_cli("flowchart", real_lists, "--out", tmp_path, "--format", "svg", "--no-booklet", "--json")
    assert result.exit_code == 0, result.stderr
    charts = json.loads(result.stdout)["charts"]
    assert len(charts) == expected["total_items"]
    outputs = [c["outputs"][0] for c in charts]
    assert len(set(outputs)) == len(outputs)  # duplicate codes still get their own file
    assert all(__import__("os").path.getsize(o) > 1000 for o in outputs)
    assert {c["source"] for c in charts} <= {"steps", "duty", "law", "template"}
