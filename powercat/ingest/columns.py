"""The one alias table: Chinese column headers → canonical field names of model.py.

Headers are compared after `text.normalise_header` (NFKC, no whitespace). A header that
equals an alias wins over one that merely contains it, so `是否有涉及中介服务项目`
never becomes the item name because it contains `项目`.
"""

from __future__ import annotations

from .text import normalise_header

# field → aliases, most specific first. Order of fields matters only for containment ties.
POWER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "code": ("职权编码", "权力编码", "事项编码", "基本编码", "实施编码", "事项代码", "业务编码", "权责事项编码", "编码"),
    "name": ("事项名称", "职权名称", "权责事项名称", "权力事项名称", "权力名称", "主项名称", "项目名称", "项目", "事项", "标题"),
    "sub_name": ("子项名称", "子项", "事项子项", "实施事项", "业务办理项", "办理项"),
    "category": ("权力类型", "权力类别", "职权类型", "职权类别", "事项类型", "权责类型", "权责类别", "事项类别", "类别", "类型"),
    "basis": ("实施依据", "设定依据", "设定和实施依据", "设定依据和实施依据", "行使依据", "法律依据", "权力依据", "设立依据", "依据"),
    "agency": ("行使主体", "实施主体", "责任主体", "实施机关", "实施部门", "办理主体", "审批部门", "实施机构",
               "法定主体", "主管部门", "部门名称"),
    "office": ("承办机构", "承办科室", "承办处室", "责任科室", "办理机构", "内设机构", "受理机构", "办理部门"),
    "level": ("实施层级及权限", "实施层级", "行使层级", "层级", "权限划分"),
    "statutory_limit": ("法定时限", "法定期限", "法定办结时限", "法定期限（天/日）", "法定办理时限"),
    "promised_limit": ("承诺时限", "承诺期限", "承诺办结时限", "承诺期限（天/日）", "承诺办理时限"),
    "fee": ("收费依据及标准", "收费标准与依据", "收费（征收）依据和标准", "收费依据和标准", "收费标准", "收费依据", "是否收费", "收费"),
    "disclosure": ("公开方式", "公开类型", "公开属性", "是否公开", "是否公示"),
    "disclosure_scope": ("公开范围",),
    "disclosure_time": ("公开时限",),
    "exemption": ("不予公开理由", "不公开理由", "不予公开依据"),
    "conditions": ("行使条件", "受理条件", "申请条件", "办理条件"),
    "rights": ("相对人权利", "相对人权利义务", "当事人权利"),
    "complaint": ("监督投诉方式", "监督电话", "投诉电话", "监督方式", "投诉举报途径", "投诉渠道", "投诉方式", "监督投诉渠道",
                  "投诉举报电话", "诉求渠道", "救济渠道", "救助渠道"),
    "duty": ("责任事项", "责任事项内容", "责任内容"),
    # a procedure written in one cell of the power's row; a separate 运行流程 sheet has its own table (STEP_ALIASES)
    "procedure": ("办理流程", "办理程序", "工作流程", "运行流程", "流程"),
    "duty_basis": ("责任事项依据", "责任事项的依据", "责任依据", "追责依据"),
    "accountability_scope": ("追责对象范围", "问责对象", "追责对象"),
    "accountability": ("追责情形", "问责情形", "责任追究情形"),
    "department_duty": ("部门职责", "主要职责"),
    "remark": ("备注", "说明"),
    # 办事指南 columns (service guides, the template's and those real lists carry)
    "materials": ("申请材料", "申报材料", "所需材料", "提交材料", "办理材料", "申请材料目录", "材料清单", "办事材料"),
    "place": ("办理地点", "办理地址", "受理地点", "受理地址", "办公地点", "办公地址", "服务地点"),
    "hours": ("办理时间", "受理时间", "办公时间", "工作时间", "服务时间"),
    "enquiry_phone": ("咨询电话", "咨询方式", "咨询途径", "联系电话", "联系方式"),
}

STEP_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("职权编码", "权力编码", "事项编码"),
    # a step names its power where the list gives no 职权编码
    "power_name": ("职权名称", "事项名称", "权力名称"),
    "power_sub_name": ("子项名称", "子项"),
    "step_id": ("环节编号", "步骤编号", "环节序号"),
    "name": ("环节名称", "步骤名称", "环节"),
    "kind": ("环节类型", "步骤类型"),
    "post": ("承办岗位", "办理岗位", "责任岗位", "岗位"),
    "limit": ("办理时限", "环节时限", "时限"),
    "next": ("下一环节", "后续环节", "下一步"),
    "control": ("监督制约", "监督制约措施", "风险防控"),
    "disclosure": ("公开要求", "公开内容"),
}

# Containment is only tried with aliases of at least this many characters: 2-character
# aliases such as 事项 or 依据 sit inside too many unrelated headers.
_MIN_CONTAINED = 3


def _index(aliases: dict[str, tuple[str, ...]]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact = {}
    for field, names in aliases.items():
        for alias in names:
            exact.setdefault(_key(alias), field)
    contained = sorted(
        ((alias, field) for alias, field in exact.items() if len(alias) >= _MIN_CONTAINED),
        key=lambda pair: -len(pair[0]),
    )
    return exact, contained


def _key(header: str) -> str:
    # case-folded too, for the English headers process-mining exports use (case:concept:name)
    return normalise_header(header).lower()


class AliasTable:
    """Headers → canonical fields for one kind of table (powers, steps, case registers …)."""

    def __init__(self, aliases: dict[str, tuple[str, ...]]):
        self.exact, self.contained = _index(aliases)

    def field_for(self, header: str) -> tuple[str | None, bool]:
        """The canonical field a header names, and whether it matched exactly."""
        key = _key(header)
        if not key:
            return None, False
        if key in self.exact:
            return self.exact[key], True
        for alias, field in self.contained:
            if alias in key:
                return field, False
        return None, False

    def map_columns(self, headers: list[str]) -> dict[str, int]:
        """field → 0-based column index. Exact matches are placed first, then containment;
        the leftmost column wins when two headers name the same field."""
        mapping: dict[str, int] = {}
        loose: list[tuple[int, str]] = []
        for col, header in enumerate(headers):
            field, exact = self.field_for(header)
            if field is None:
                continue
            if exact:
                mapping.setdefault(field, col)
            else:
                loose.append((col, field))
        taken = set(mapping.values())
        for col, field in loose:
            if field not in mapping and col not in taken:
                mapping[field] = col
                taken.add(col)
        return mapping


TABLES = {"power": AliasTable(POWER_ALIASES), "step": AliasTable(STEP_ALIASES)}


def field_for(header: str, table: str = "power") -> tuple[str | None, bool]:
    return TABLES[table].field_for(header)


def map_columns(headers: list[str], table: str = "power") -> dict[str, int]:
    return TABLES[table].map_columns(headers)
