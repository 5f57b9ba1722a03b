"""The one table of a power's fields: canonical name (the attribute of `model.Power`), the
Chinese label every output prints, the header words readers accept, column widths and
whether the field may be shown publicly.

Readers (`ingest/columns.py`), writers (catalogue, registers, diff), the site and the docs
take their labels from here, so a field is added or renamed once. No I/O; imports only
model. `python -m powercat.fields` writes docs/fields.md; a test fails when they drift.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields as dataclass_fields
from pathlib import Path

from .model import Power


@dataclass(frozen=True)
class Field:
    name: str  # the attribute of model.Power (seq: only a reader's row number)
    label: str  # the heading every output prints (the standard template's own header)
    aliases: tuple[str, ...]  # headers readers accept, most specific first
    width: int  # column width in a working workbook (the standard template, registers)
    print_width: int  # in the printed catalogue: A3 landscape at about 9 pt (narrative fields
    # 行使条件/责任事项/追责情形 print as a reference such as 见责12 to their own sheet: narrow)
    public: bool  # may appear in public outputs of a public power (records, site pages)


# Order matters only for readers' containment ties (ingest/columns.py) and for docs/fields.md.
FIELDS: tuple[Field, ...] = (
    Field("seq", "序号", ("序号", "编号"), 6, 5, False),
    Field("code", "职权编码",
          ("职权编码", "权力编码", "事项编码", "基本编码", "实施编码", "事项代码", "业务编码", "权责事项编码", "编码"),
          20, 16, True),
    Field("name", "职权名称",
          ("事项名称", "职权名称", "权责事项名称", "权力事项名称", "权力名称", "主项名称", "项目名称", "项目", "事项", "标题"),
          30, 26, True),
    Field("sub_name", "子项名称", ("子项名称", "子项", "事项子项", "实施事项", "业务办理项", "办理项"), 20, 14, True),
    Field("category", "职权类别",
          ("权力类型", "权力类别", "职权类型", "职权类别", "事项类型", "权责类型", "权责类别", "事项类别", "类别", "类型"),
          12, 9, True),
    Field("basis", "实施依据",
          ("实施依据", "设定依据", "设定和实施依据", "设定依据和实施依据", "行使依据", "法律依据", "权力依据", "设立依据", "依据"),
          50, 44, True),
    Field("agency", "实施主体",
          ("行使主体", "实施主体", "责任主体", "实施机关", "实施部门", "办理主体", "审批部门", "实施机构",
           "法定主体", "主管部门", "部门名称"),
          20, 16, True),
    Field("office", "承办机构",
          ("承办机构", "承办科室", "承办处室", "责任科室", "办理机构", "内设机构", "受理机构", "办理部门"), 16, 12, True),
    Field("level", "行使层级", ("实施层级及权限", "实施层级", "行使层级", "层级"), 10, 8, True),
    # what the agency may do at its level (负责本级……的审批): the national standard's 权限划分,
    # or the second half of a 实施层级及权限 header over two columns (ingest/header.py)
    Field("authority", "权限划分", ("权限划分", "行使权限", "权限范围", "权限内容", "权限"), 30, 24, True),
    Field("statutory_limit", "法定时限", ("法定时限", "法定期限", "法定办结时限", "法定期限（天/日）", "法定办理时限"),
          12, 10, True),
    Field("promised_limit", "承诺时限", ("承诺时限", "承诺期限", "承诺办结时限", "承诺期限（天/日）", "承诺办理时限"),
          12, 10, True),
    Field("fee", "收费依据及标准",
          ("收费依据及标准", "收费标准与依据", "收费（征收）依据和标准", "收费依据和标准", "收费标准", "收费依据", "是否收费", "收费"),
          20, 14, True),
    Field("disclosure", "公开方式", ("公开方式", "公开类型", "公开属性", "是否公开", "是否公示"), 12, 9, True),
    Field("disclosure_scope", "公开范围", ("公开范围",), 12, 9, True),
    Field("disclosure_time", "公开时限", ("公开时限",), 16, 12, False),
    # the reason a power is withheld: internal, it names what is secret
    Field("exemption", "不予公开理由", ("不予公开理由", "不公开理由", "不予公开依据"), 20, 16, False),
    Field("conditions", "行使条件", ("行使条件", "受理条件", "申请条件", "办理条件"), 24, 7, True),
    Field("rights", "相对人权利", ("相对人权利", "相对人权利义务", "当事人权利"), 20, 20, True),
    Field("complaint", "监督投诉方式",
          ("监督投诉方式", "监督电话", "投诉电话", "监督方式", "投诉举报途径", "投诉渠道", "投诉方式", "监督投诉渠道",
           "投诉举报电话", "诉求渠道", "救济渠道", "救助渠道"), 20, 16, True),
    Field("duty", "责任事项", ("责任事项", "责任事项内容", "责任内容"), 40, 7, True),
    # a procedure written in one cell of the power's row; a separate 运行流程 sheet has its own
    # table (ingest/columns.py STEP_ALIASES); public as the flowchart drawn from it
    Field("procedure", "办理流程", ("办理流程", "办理程序", "工作流程", "运行流程", "流程"), 40, 30, False),
    Field("duty_basis", "责任事项依据", ("责任事项依据", "责任事项的依据", "责任依据", "追责依据"), 30, 24, False),
    Field("accountability_scope", "追责对象范围", ("追责对象范围", "问责对象", "追责对象"), 20, 16, False),
    Field("accountability", "追责情形", ("追责情形", "问责情形", "责任追究情形"), 30, 7, True),
    Field("department_duty", "部门职责", ("部门职责", "主要职责"), 30, 24, False),
    Field("remark", "备注", ("备注", "说明"), 16, 12, False),
    # 办事指南 columns (service guides): the agency's own office facts, public like the guide
    Field("materials", "申请材料",
          ("申请材料", "申报材料", "所需材料", "提交材料", "办理材料", "申请材料目录", "材料清单", "办事材料"), 30, 24, True),
    Field("place", "办理地点", ("办理地点", "办理地址", "受理地点", "受理地址", "办公地点", "办公地址", "服务地点"), 20, 16, True),
    Field("hours", "办理时间", ("办理时间", "受理时间", "办公时间", "工作时间", "服务时间"), 16, 12, True),
    Field("enquiry_phone", "咨询电话", ("咨询电话", "咨询方式", "咨询途径", "联系电话", "联系方式"), 14, 12, True),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

# Headings a legal form prescribes in place of the label, by output. Only where a form
# requires it: the filing register (备案登记表) of withheld powers records the reason *and*
# its legal basis (《政府信息公开条例》第十四、十五条 exemptions must be grounded), so the
# column is headed 不予公开理由及依据 and is wide enough to hold both.
OVERRIDES: dict[str, dict[str, tuple[str, int]]] = {
    "register": {"exemption": ("不予公开理由及依据", 48)},
}


def label(name: str, output: str | None = None) -> str:
    """The Chinese heading of a field (in `output` when a legal form overrides it)."""
    override = OVERRIDES.get(output or "", {}).get(name)
    return override[0] if override else BY_NAME[name].label


def width(name: str, output: str | None = None) -> int:
    override = OVERRIDES.get(output or "", {}).get(name)
    return override[1] if override else BY_NAME[name].width


def labels(*names: str) -> dict[str, str]:
    return {name: label(name) for name in names}


def columns(names, output: str | None = None) -> list[tuple[str, str, int]]:
    """(field, heading, width) of `names`, the column shape the workbook writer takes."""
    return [(name, label(name, output), width(name, output)) for name in names]


def aliases() -> dict[str, tuple[str, ...]]:
    """field → accepted headers, for the list reader's alias table."""
    return {f.name: f.aliases for f in FIELDS}


PUBLIC: tuple[str, ...] = tuple(f.name for f in FIELDS if f.public)

# check the table against the model once, at import: a renamed attribute fails here
_ATTRIBUTES = {f.name for f in dataclass_fields(Power)}
assert all(f.name in _ATTRIBUTES for f in FIELDS if f.name != "seq"), "fields.py names a field Power lacks"

TARGET = Path(__file__).resolve().parents[1] / "docs" / "fields.md"


def render_docs() -> str:
    lines = [
        "# powercat: the fields of a power",
        "",
        "Generated from `powercat/fields.py` by `python -m powercat.fields`; a test fails when this",
        "file and the table drift. A list's column is read as a field when its header equals one of",
        "the accepted headers (after removing spaces and full-width forms), else when it contains one",
        "of three or more characters.",
        "",
        "| field | 栏目 | accepted headers | width | print width | public |",
        "|---|---|---|---|---|---|",
    ]
    for f in FIELDS:
        lines.append(f"| `{f.name}` | {f.label} | {'、'.join(f.aliases)} | {f.width} | {f.print_width} | "
                     f"{'yes' if f.public else 'no'} |")
    lines += ["", "## Headings prescribed by a form", "", "| output | field | heading | width |", "|---|---|---|---|"]
    for output, names in OVERRIDES.items():
        for name, (heading, size) in names.items():
            lines.append(f"| {output} | `{name}` | {heading} | {size} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render_docs(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
