"""Hostile 办理流程/运行流程 columns through `powercat flowchart`: the column is read beside
事项名称 whatever it is called, numbered in any form, and drawn before 责任事项; a column that
writes no procedure falls back honestly; a sheet named 运行流程 holding a power header stays a
power list; the unit's own steps still win; markup prints as written. Exit 0, the Chinese
summary line, the chart's 流程来源 line, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from ..conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")

CODE = "650200001XK00100"
FIRE = "\n".join(f"{i}.{name}阶段：{name}的责任。" for i, name in
                 enumerate(["受理", "调查取证", "审查", "告知", "决定", "送达", "执行"], start=1))
DUTIES = "直接实施责任：\n1.规范完善审批标准。\n指导监督责任：\n1.指导下级。"

CASES = [
    # (name, header, procedure cell, 责任事项 cell, sheet name, own steps?, 流程来源 line, phrase present, phrase absent)
    ("full-width numbers on lines", "办理流程", "１．受理：收件\n２．审查：审查材料\n３．决定：作出决定", FIRE, "权责清单", False,
     "清单所列办理流程（3 个阶段）", "审查材料", "调查取证"),
    ("steps numbered 第一步", "办理程序", "第一步受理\n第二步审查\n第三步决定\n第四步送达", None, "权责清单", False,
     "清单所列办理流程（4 个阶段）", "送达", None),
    ("circled numbers", "工作流程", "①受理（窗口受理岗，1个工作日）\n②审查（审批科，5个工作日）\n③决定", None, "权责清单", False,
     "清单所列办理流程（3 个阶段）", "窗口受理岗", None),
    ("arrows in a bare 流程 column", "流程", "受理→审查→决定→送达", None, "权责清单", False,
     "清单所列办理流程（4 个阶段）", "送达", None),
    ("a column of duties falls back to 责任事项", "运行流程", DUTIES, FIRE, "权责清单", False,
     "清单所列责任事项（7 个阶段）", "调查取证", "规范完善"),
    ("no procedure anywhere: the template, said so", "办理流程", "按法定程序办理", DUTIES, "权责清单", False,
     "法定程序通用流程", None, "规范完善"),
    ("a sheet named 运行流程 with a power header", "运行流程", "1.受理：收件\n2.审查：审查", None, "运行流程", False,
     "清单所列办理流程（2 个阶段）", "审查", None),
    ("the unit's own steps win", "办理流程", "1.受理：收件\n2.审查：审查", None, "权责清单", True,
     "单位填报的运行流程", "办结", None),
    ("markup in a stage", "办理流程", "1.受理阶段：<script>alert(1)</script> & {x}\n2.审查阶段：\"引号\"", None, "权责清单", False,
     "清单所列办理流程（2 个阶段）", "&lt;script&gt;", "<script>"),
]


def _workbook(path: Path, header: str, procedure: str, duty: str | None, sheet_name: str, own_steps: bool,
              disclosure: str = "主动公开") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append(["某县住房和城乡建设局权责清单"])
    sheet.append(["序号", "事项名称", "权力类型", "职权编码", "实施依据", "公开方式", header, "责任事项"])
    sheet.append([1, "建筑工程施工许可", "行政许可", CODE, "《中华人民共和国建筑法》第七条", disclosure, procedure, duty])
    if own_steps:
        steps = book.create_sheet("本单位环节")
        steps.append(["职权编码", "环节编号", "环节名称", "环节类型", "下一环节"])
        steps.append([CODE, "1", "受理", "开始", "2"])
        steps.append([CODE, "2", "办结", "结束", ""])
    book.save(path)
    return path


@pytest.mark.parametrize("name,header,procedure,duty,sheet_name,own_steps,source_line,present,absent", CASES,
                         ids=[c[0] for c in CASES])
def test_hostile_procedure_columns_draw_honestly(tmp_path, name, header, procedure, duty, sheet_name, own_steps,
                                                 source_line, present, absent):
    path = _workbook(tmp_path / "清单.xlsx", header, procedure, duty, sheet_name, own_steps)
    out = tmp_path / "out"
    result = run_cli("flowchart", path, "--out", out, "--format", "svg", "--no-booklet")
    assert result.exit_code == 0, result.stderr
    assert "已绘制 1 张流程图" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    (svg,) = [p.read_text(encoding="utf-8") for p in out.rglob("*.svg")]
    assert f"流程来源：{source_line}" in svg
    if present:
        assert present in svg
    if absent:
        assert absent not in svg


def test_a_withheld_powers_procedure_column_stays_out_of_the_public_folder(tmp_path):
    path = _workbook(tmp_path / "清单.xlsx", "办理流程", "1.受理：内部审批岗收件\n2.审查：审查", None, "权责清单", False,
                     disclosure="不予公开")
    out = tmp_path / "out"
    result = run_cli("flowchart", path, "--out", out, "--format", "svg", "--no-booklet")
    assert result.exit_code == 0 and "已绘制 0 张流程图" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not any("内部审批岗" in p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())
