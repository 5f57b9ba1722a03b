"""Hostile 责任事项 cells through `powercat flowchart`: every written form still draws, duty
lists that look like stages are not drawn as steps, markup in a stage prints as written, and
a withheld power's stages never reach the public folder. Exit 0, the Chinese summary line,
the chart's honest 流程来源 line, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from ..conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")

HEADERS = ["序号", "事项名称", "权力类型", "职权编码", "实施依据", "行使主体", "承办机构", "公开方式", "责任事项内容"]
FIRE = "\n".join(f"{i}.{name}阶段：{name}的责任。" for i, name in
                 enumerate(["受理", "调查取证", "审查", "告知", "决定", "送达", "执行"], start=1)) \
    + "\n8.其他法律法规规章文件规定应履行的责任。"

# a duty list is no procedure: the chart follows what the cited article (消防法第六十四条: 警告或者
# 五百元以下罚款, 拘留) makes of the penalty procedure — simplified procedure, no hearing
LAW_LINE = "依《消防法》第六十四条、《行政处罚法》第五十一条、第六十三条等法定程序"
CASES = [
    # (name, 责任事项 cell, what the chart's source line says, a phrase the chart must hold, one it must not)
    ("fire-list stages", FIRE, "清单所列责任事项（7 个阶段）", "调查取证", "其他法律法规"),
    ("a hundred stages", "\n".join(f"{i}.第{i}项审查阶段：审查。" for i in range(1, 101)), "清单所列责任事项（100 个阶段）",
     "第100项审查", None),
    ("stages with no text", "1.受理阶段：\n2.审查阶段：\n3.决定阶段：", "清单所列责任事项（3 个阶段）", "决定", None),
    ("mixed numbering", "1.受理阶段：收件\n（二）审查阶段：审查\n三、决定阶段：决定\n④送达阶段：送达", "清单所列责任事项（4 个阶段）",
     "送达", None),
    ("full-width digits", "１．受理阶段：收件\n２．审查阶段：审查\n３．决定阶段：决定", "清单所列责任事项（3 个阶段）", "审查", None),
    ("arrows with posts and limits", "受理（窗口受理岗，1个工作日）→审查（审批科，5个工作日）→决定→送达",
     "清单所列责任事项（4 个阶段）", "窗口受理岗", None),
    ("duty list that looks like stages", "1.监管责任：建立监督检查制度。\n2.指导监督责任：指导下级。\n3.追责：依法追究。",
     LAW_LINE, None, "监管"),
    ("Xinjiang duty list", "直接实施责任：\n1.规范完善审批标准。\n2.依法依规实施行政处罚。\n指导监督责任：\n1.指导下级。",
     LAW_LINE, None, "规范完善"),
    ("markup in a stage", "1.受理阶段：<script>alert(1)</script> & {x} \\N\n2.审查阶段：\"引号\"与'单引号'",
     "清单所列责任事项（2 个阶段）", "&lt;script&gt;", "<script>"),
    ("a cell at Excel's limit", ("1.受理阶段：" + "审查材料。" * 3000 + "\n2.审查阶段：" + "核实。" * 2000)[:32767],
     "清单所列责任事项（2 个阶段）", "受理", None),
]


def _workbook(path: Path, duty: str, disclosure: str = "主动公开") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "权责清单"
    sheet.append(["某县消防救援大队权责清单"])
    sheet.append(HEADERS)
    sheet.append([1, "对过失引起火灾的处罚", "行政处罚", "650200207CF48600", "《中华人民共和国消防法》第六十四条", "某县消防救援大队",
                  "防火监督科", disclosure, duty])
    book.save(path)
    return path


@pytest.mark.parametrize("name,duty,source_line,present,absent", CASES, ids=[c[0] for c in CASES])
def test_hostile_stage_cells_draw_honestly(tmp_path, name, duty, source_line, present, absent):
    path = _workbook(tmp_path / "清单.xlsx", duty)
    out = tmp_path / "out"
    result = run_cli("flowchart", path, "--out", out, "--format", "svg", "--no-booklet")
    assert result.exit_code == 0, result.stderr
    assert "已绘制 1 张流程图" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    svgs = list(out.rglob("*.svg"))
    assert len(svgs) == 1
    svg = svgs[0].read_text(encoding="utf-8")
    assert f"流程来源：{source_line}" in svg
    if present:
        assert present in svg
    if absent:
        assert absent not in svg


def test_a_withheld_powers_stages_stay_out_of_the_public_folder(tmp_path):
    path = _workbook(tmp_path / "清单.xlsx", FIRE, disclosure="不予公开")
    out = tmp_path / "out"
    result = run_cli("flowchart", path, "--out", out, "--format", "svg", "--no-booklet")
    assert result.exit_code == 0 and "已绘制 0 张流程图" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    # drawn only on request, and then into the internal folder
    result = run_cli("flowchart", path, "--out", out, "--format", "svg", "--no-booklet", "--include-withheld")
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    charts = [p for p in out.rglob("*.svg")]
    assert charts and all("内部（不予公开）" in str(p) for p in charts)
    assert "清单所列责任事项（7 个阶段）" in charts[0].read_text(encoding="utf-8")
