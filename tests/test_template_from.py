"""`template --from`: officers complete what the list lacks. Per agency a pre-filled standard
workbook (职权目录 as read, 运行流程 as drawn today, 办事指南 columns); filled and returned
it reads back as the unit's own steps and guide data, and the charts and guides say so."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from powercat.ingest import load
from powercat.ingest.agency import settle_agencies
from powercat.output import read_marker
from powercat.process.graph import build_graph
from powercat.publish.guide import guide_context
from powercat.publish.records import public_records
from powercat.render.dot import to_dot

COMMERCE = "克拉玛依市商务局2024年权责清单.xlsx"
MATERIALS = "1.对外贸易经营者备案登记表；2.营业执照复印件一份"
PLACE = "克拉玛依市政务服务中心二楼商务窗口"
PHONE = "0990-6888123"
AGENCY_PHONE = "0990-6222345"


def _shape(power):
    """What a chart draws: its boxes and its labelled arrows."""
    graph = build_graph(power).graph
    name = {n: d.get("name") for n, d in graph.nodes(data=True)}
    return (sorted((d.get("name"), d.get("kind"), d.get("post"), d.get("limit"), d.get("control"))
                   for _n, d in graph.nodes(data=True)),
            sorted((name[a], name[b], d.get("label")) for a, b, d in graph.edges(data=True)))


def _columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


@pytest.fixture(scope="module")
def prefilled(tmp_path_factory):
    from .conftest import REAL_LISTS as real_lists, run_cli

    if not (real_lists / COMMERCE).is_file():
        pytest.skip(f"../shared/real-lists is absent ({real_lists})")
    root = tmp_path_factory.mktemp("template-from")
    out = root / "模板"
    result = run_cli("template", "--from", real_lists / COMMERCE, "--out", out)
    assert result.exit_code == 0, result.stderr
    return root, out, result


def test_one_prefilled_workbook_per_agency_with_every_power_and_its_chart(real_lists, prefilled):
    _root, out, result = prefilled
    copies = sorted(out.glob("*.xlsx"))
    assert [p.name for p in copies] == ["克拉玛依市商务局-标准模板.xlsx"]
    assert read_marker(out / ".powercat-output") == "templates"
    assert "21 个事项" in result.stderr and "请勿公开" in result.stderr
    book = openpyxl.load_workbook(copies[0])
    assert book.sheetnames == ["职权目录", "运行流程", "单位信息", "运行记录"]
    headers = _columns(book["职权目录"])
    assert {"申请材料", "办理地点", "办理时间", "咨询电话", "收费依据及标准", "行使条件"} <= headers.keys()
    assert book["单位信息"]["A2"].value == "克拉玛依市商务局"
    # read back as it is, the copy is the same list: every field, and every chart the same drawing
    original = load([str(real_lists / COMMERCE)])
    settle_agencies(original)
    back = load([str(copies[0])])
    settle_agencies(back)
    assert len(back.powers) == len(original.powers) == 21
    for before, after in zip(original.powers, back.powers):
        assert (after.name, after.sub_name, after.category, after.basis, after.duty, after.office, after.level) == \
               (before.name, before.sub_name, before.category, before.basis, before.duty, before.office, before.level)
        assert after.steps, after.title
        assert _shape(after) == _shape(before)
        assert build_graph(after).source_zh == "单位填报的运行流程" != build_graph(before).source_zh


def test_filled_and_returned_reads_as_the_units_own_steps_and_guide(prefilled, tmp_path):
    root, out, _result = prefilled
    book = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    powers, steps = book["职权目录"], book["运行流程"]
    pcol, scol = _columns(powers), _columns(steps)
    row = next(r for r in range(2, powers.max_row + 1) if powers.cell(r, pcol["职权类别"]).value == "行政许可")
    name = powers.cell(row, pcol["职权名称"]).value
    # the officer fills the guide columns of one 许可 …
    powers.cell(row, pcol["申请材料"], MATERIALS)
    powers.cell(row, pcol["办理地点"], PLACE)
    powers.cell(row, pcol["咨询电话"], PHONE)
    powers.cell(row, pcol["办理时间"], "工作日 10:00-14:00，16:00-19:30")
    powers.cell(row, pcol["收费依据及标准"], "不收费")
    powers.cell(row, pcol["行使条件"], "依法办理工商登记的对外贸易经营者")
    # … corrects its 受理 step (post and limit) and renames a step, and gives the 监督电话
    mine = [r for r in range(2, steps.max_row + 1) if steps.cell(r, scol["职权名称"]).value == name]
    accept = next(r for r in mine if steps.cell(r, scol["环节名称"]).value == "受理")
    steps.cell(accept, scol["承办岗位"], "商务窗口受理岗")
    steps.cell(accept, scol["办理时限"], "即办")
    review = next(r for r in mine if steps.cell(r, scol["环节名称"]).value == "审查")
    steps.cell(review, scol["环节名称"], "审查（含现场核查）")
    book["单位信息"].cell(2, _columns(book["单位信息"])["监督电话"], AGENCY_PHONE)
    returned = tmp_path / "returned" / "商务局权责清单.xlsx"
    returned.parent.mkdir()
    book.save(returned)

    from .conftest import list_json

    code, listed = list_json(returned)
    assert code == 0 and listed["files"][0]["steps"] == steps.max_row - 1
    catalogue = load([str(returned)])
    settle_agencies(catalogue)
    power = next(p for p in catalogue.powers if p.name == name)
    assert (power.materials, power.place, power.enquiry_phone) == (MATERIALS, PLACE, PHONE)
    names = [s.name for s in power.steps]
    assert "审查（含现场核查）" in names and "审查" not in names
    process = build_graph(power)
    assert process.source == "steps"
    dot = to_dot(process, catalogue.files[0].agency.name, catalogue.files[0].agency.phone).replace("<BR/>", "")
    assert "流程来源：单位填报的运行流程" in dot and "商务窗口受理岗" in dot and "审查（含现场核查）" in dot
    record = next(r for r in public_records(catalogue) if r.power is power)
    guide = guide_context(record)
    assert guide["materials"] == MATERIALS and guide["place"] == PLACE and guide["enquiry_phone"] == PHONE
    assert guide["missing"] == []
    assert guide["complaint"] == f"监督电话：{AGENCY_PHONE}"  # from 单位信息: the list gives no 监督投诉方式
    accept_step = next(s for s in guide["steps"] if s["name"] == "受理")
    assert (accept_step["post"], accept_step["limit"]) == ("商务窗口受理岗", "即办")
    assert {b["label"] for b in accept_step["branches"]} >= {"材料齐全", "需要补正"}
    # another 许可 the officer has not completed says what is missing
    other = next(r for r in public_records(catalogue) if r.power.category == "行政许可" and r.power is not power)
    assert guide_context(other)["missing"] == ["申请条件", "申请材料", "办理地点", "办理时间", "咨询电话", "收费"]


@pytest.mark.skipif(shutil.which("dot") is None or shutil.which("rsvg-convert") is None,
                    reason="Graphviz dot and rsvg-convert are needed for the build")
def test_returned_copy_builds_charts_and_guides_that_show_it(prefilled, tmp_path):
    from .conftest import run_cli

    _root, out, _result = prefilled
    book = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    powers, steps = book["职权目录"], book["运行流程"]
    pcol, scol = _columns(powers), _columns(steps)
    row = next(r for r in range(2, powers.max_row + 1) if powers.cell(r, pcol["职权类别"]).value == "行政许可")
    name = powers.cell(row, pcol["职权名称"]).value
    powers.cell(row, pcol["申请材料"], MATERIALS)
    first = next(r for r in range(2, steps.max_row + 1) if steps.cell(r, scol["职权名称"]).value == name)
    steps.cell(first + 1, scol["承办岗位"], "商务窗口受理岗")
    returned = tmp_path / "lists" / "商务局.xlsx"
    returned.parent.mkdir()
    book.save(returned)
    built = tmp_path / "built"
    result = run_cli("build", returned.parent, "--out", built, "--as-of", "2026-12-01", "--no-booklet")
    assert result.exit_code in (0, 1), result.stderr
    charts = list((built / "public" / "flowcharts").rglob("*.svg"))
    assert charts and all("单位填报的运行流程" in p.read_text(encoding="utf-8") for p in charts)
    guides = {p: p.read_text(encoding="utf-8") for p in (built / "public" / "site" / "guides").glob("*.html")}
    filled = [p for p, text in guides.items() if "对外贸易经营者备案登记表" in text]
    assert len(filled) == 1 and "商务窗口受理岗" in guides[filled[0]]
    assert "流程来源：单位填报的运行流程" in guides[filled[0]]


def test_template_from_refuses_its_input_and_other_outputs(real_lists, tmp_path):
    from .conftest import run_cli

    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(real_lists / COMMERCE, lists / COMMERCE)
    before = (lists / COMMERCE).read_bytes()
    result = run_cli("template", "--from", lists, "--out", lists)
    assert result.exit_code == 2 and (lists / COMMERCE).read_bytes() == before
    # a build's folder is not replaced by templates, nor the templates by a build
    built = tmp_path / "built"
    built.mkdir()
    (built / ".powercat-output").write_text("powercat output folder\nkind: build\nentries:\n", encoding="utf-8")
    assert run_cli("template", "--from", lists, "--out", built).exit_code == 2
    # nor written anywhere inside an output folder: a build's public/ is uploaded whole
    inside = run_cli("template", "--from", lists, "--out", built / "public" / "模板")
    assert inside.exit_code == 2 and "内部的工作底稿" in inside.stderr and not (built / "public").exists()
    templates = tmp_path / "templates"
    assert run_cli("template", "--from", lists, "--out", templates).exit_code == 0
    refused = run_cli("build", lists, "--out", templates, "--no-booklet")
    assert refused.exit_code == 2 and "template --from" in refused.stderr
    # the marked folder is never read back as lists: returned copies are given by name
    assert [f.path for f in load([str(tmp_path)]).files] == [str(lists / COMMERCE)]
    assert run_cli("template").exit_code == 2


def test_steps_link_by_power_name_where_there_is_no_code(tmp_path):
    """Most lists have no 职权编码: a 运行流程 sheet names its power; two powers named alike
    take the runs of steps in order."""
    from powercat.ingest.template import write_workbook

    powers = [{"name": "对甲的处罚", "category": "行政处罚", "basis": "《中华人民共和国行政处罚法》第八条"},
              {"name": "对甲的处罚", "category": "行政处罚", "basis": "《中华人民共和国行政处罚法》第九条"},
              {"name": "乙的许可", "code": "X1", "category": "行政许可", "basis": "《中华人民共和国行政许可法》第十二条"}]
    steps = [{"power_name": "对甲的处罚", "step_id": "1", "name": "立案", "kind": "开始", "next": "2"},
             {"power_name": "对甲的处罚", "step_id": "2", "name": "决定甲一", "kind": "结束"},
             {"power_name": "对甲的处罚", "step_id": "1", "name": "立案", "kind": "开始", "next": "2"},
             {"power_name": "对甲的处罚", "step_id": "2", "name": "决定甲二", "kind": "结束"},
             {"code": "X1", "step_id": "1", "name": "受理", "kind": "开始", "next": "2"},
             {"code": "X1", "step_id": "2", "name": "决定乙", "kind": "结束"}]
    write_workbook(tmp_path / "list.xlsx", {"name": "测试局"}, powers, steps)
    read = load([str(tmp_path / "list.xlsx")]).powers
    assert [[s.name for s in p.steps] for p in read] == [["立案", "决定甲一"], ["立案", "决定甲二"], ["受理", "决定乙"]]
