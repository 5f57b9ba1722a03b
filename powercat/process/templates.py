"""The statutory procedure of each category, used when a power has neither explicit steps
nor staged 责任事项. Each node states its legal time limit where a law sets one; the
article is given in the node's `control` note so the chart shows where the rule comes from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Category
from .light_graph import LightDiGraph

if TYPE_CHECKING:
    import networkx as nx

# (id, name, kind, post, limit, control)
Node = tuple[str, str, str, str | None, str | None, str | None]
Edge = tuple[str, str, str | None]

_LICENSING: tuple[list[Node], list[Edge]] = (
    [
        ("1", "申请", "start", "申请人", None, None),
        ("2", "受理", "decision", "窗口受理岗", "5日", "材料不全的当场或5日内一次告知补正（许可法第三十二条）"),
        ("3", "补正材料", "task", "申请人", None, None),
        ("4", "不予受理，书面告知理由", "task", "窗口受理岗", None, "告知申请人复议、诉讼权利"),
        ("5", "审查", "task", "承办科室审核岗", None, "审查与决定分离；现场核查两人以上"),
        ("6", "是否需要听证", "decision", "承办科室", None, None),
        ("7", "听证", "task", "听证主持人", "20日", "申请人5日内提出，20日内组织（许可法第四十七条）"),
        ("8", "决定", "decision", "机关负责人", "20日", "受理之日起20日内，经批准可延长10日（许可法第四十二条）"),
        ("9", "制证、送达", "task", "窗口发证岗", "10日", "决定之日起10日内颁发、送达（许可法第四十四条）"),
        ("10", "书面决定不予许可，说明理由", "task", "承办科室", None, "告知申请人复议、诉讼权利"),
        ("11", "办结、公开", "end", None, None, None),
    ],
    [("1", "2", None), ("2", "5", "材料齐全"), ("2", "3", "需要补正"), ("3", "2", "补正后"),
     ("2", "4", "不属受理范围"), ("5", "6", None), ("6", "7", "需要听证"), ("6", "8", "不需听证"), ("7", "8", None),
     ("8", "9", "准予许可"), ("8", "10", "不予许可"), ("9", "11", None), ("10", "11", None), ("4", "11", None)],
)

_PENALTY: tuple[list[Node], list[Edge]] = (
    [
        ("1", "立案", "start", "执法人员", "7日", "立案审批"),
        ("2", "调查取证", "task", "执法人员（两名以上）", None, "出示执法证件；证据登记保存7日内处理（处罚法第五十六条）"),
        ("3", "审查（法制审核）", "decision", "法制审核岗", None, "重大执法决定法制审核（处罚法第五十八条）"),
        ("4", "告知拟处罚事实、理由、依据和权利", "task", "执法人员", None, "陈述、申辩；符合条件的告知听证权利"),
        ("5", "是否要求听证", "decision", "执法人员", "5日", "告知后5日内提出（处罚法第六十四条）"),
        ("6", "听证", "task", "听证主持人", None, "举行听证7日前通知当事人"),
        ("7", "决定", "task", "机关负责人", "90日", "立案之日起90日内作出决定（处罚法第六十条）；情节复杂或重大的集体讨论"),
        ("8", "送达", "task", "执法人员", "7日", "当场交付或7日内送达（处罚法第六十一条）"),
        ("9", "执行", "task", "执法人员", "15日", "15日内缴纳罚款（处罚法第六十七条）"),
        ("10", "不予处罚或撤销案件", "task", "机关负责人", None, None),
        ("11", "结案归档", "end", None, None, None),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", "拟作处罚"), ("3", "10", "不予处罚"), ("4", "5", None),
     ("5", "6", "要求听证"), ("5", "7", "未要求"), ("6", "7", None), ("7", "8", None), ("8", "9", None),
     ("9", "11", None), ("10", "11", None)],
)

_COERCION: tuple[list[Node], list[Edge]] = (
    [
        ("1", "报告并经负责人批准", "start", "执法人员", None, "紧急情况当场实施的，24小时内报告补办批准（强制法第十九条）"),
        ("2", "两名以上执法人员出示证件，通知当事人到场", "task", "执法人员", None, None),
        ("3", "告知理由、依据和权利，听取陈述申辩", "task", "执法人员", None, "行政强制法第十八条"),
        ("4", "制作现场笔录，送达决定书和清单", "task", "执法人员", None, "当事人、见证人签名"),
        ("5", "查封、扣押期间查明事实", "decision", "承办科室", "30日", "不超过30日，复杂的经批准延长30日（强制法第二十五条）"),
        ("6", "依法没收、销毁或移送处理", "task", "承办科室", None, None),
        ("7", "解除查封、扣押，退还财物", "task", "承办科室", None, "强制法第二十八条"),
        ("8", "结束", "end", None, None, None),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", None), ("4", "5", None), ("5", "6", "违法事实成立"),
     ("5", "7", "无需继续查封扣押"), ("6", "8", None), ("7", "8", None)],
)

_LEVY: tuple[list[Node], list[Edge]] = (
    [
        ("1", "确定征收对象", "start", "承办科室", None, None),
        ("2", "核定征收数额", "task", "承办科室", None, "依法定标准核定"),
        ("3", "送达缴款通知", "task", "承办科室", None, "告知缴纳期限和权利"),
        ("4", "是否按期缴纳", "decision", "承办科室", None, None),
        ("5", "催缴、加收滞纳金或申请强制执行", "task", "承办科室", None, None),
        ("6", "开具票据，办结", "end", "承办科室", None, "公开征收依据和标准"),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", None), ("4", "6", "按期缴纳"), ("4", "5", "逾期未缴"), ("5", "6", None)],
)

_BENEFIT: tuple[list[Node], list[Edge]] = (
    [
        ("1", "申请", "start", "申请人", None, None),
        ("2", "受理", "task", "窗口受理岗", None, "一次性告知补正"),
        ("3", "调查核实", "task", "承办科室", None, "入户调查两人以上"),
        ("4", "公示", "decision", "承办科室", None, "公示期内接受异议"),
        ("5", "复核", "task", "承办科室", None, None),
        ("6", "决定", "task", "机关负责人", None, None),
        ("7", "发放", "end", "承办科室", None, "公开给付结果"),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", None), ("4", "6", "无异议"), ("4", "5", "有异议"),
     ("5", "6", None), ("6", "7", None)],
)

_INSPECTION: tuple[list[Node], list[Edge]] = (
    [
        ("1", "制定检查计划", "start", "承办科室", None, "双随机抽取检查对象，公开抽查计划"),
        ("2", "实施检查", "task", "执法人员（两名以上）", None, "出示执法证件，制作检查记录"),
        ("3", "是否发现问题", "decision", "执法人员", None, None),
        ("4", "责令整改或依法立案查处", "task", "承办科室", None, None),
        ("5", "公开检查结果，归档", "end", "承办科室", "20个工作日", "检查结果20个工作日内公示"),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", "发现问题"), ("3", "5", "未发现问题"), ("4", "5", None)],
)

_CONFIRMATION: tuple[list[Node], list[Edge]] = (
    [
        ("1", "申请", "start", "申请人", None, None),
        ("2", "受理", "task", "窗口受理岗", None, "一次性告知补正"),
        ("3", "审查", "task", "承办科室审核岗", None, None),
        ("4", "决定", "decision", "机关负责人", None, None),
        ("5", "确认并送达", "task", "窗口发证岗", None, None),
        ("6", "不予确认，书面说明理由", "task", "承办科室", None, "告知复议、诉讼权利"),
        ("7", "办结", "end", None, None, None),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", None), ("4", "5", "符合条件"), ("4", "6", "不符合条件"),
     ("5", "7", None), ("6", "7", None)],
)

_REWARD: tuple[list[Node], list[Edge]] = (
    [
        ("1", "推荐或申报", "start", "申报单位、个人", None, None),
        ("2", "审核", "task", "承办科室", None, None),
        ("3", "公示", "decision", "承办科室", None, "公示期内接受异议"),
        ("4", "核查异议", "task", "承办科室", None, None),
        ("5", "决定", "task", "机关负责人", None, "集体研究"),
        ("6", "表彰奖励，公开", "end", "承办科室", None, None),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "5", "无异议"), ("3", "4", "有异议"), ("4", "5", None), ("5", "6", None)],
)

_ADJUDICATION: tuple[list[Node], list[Edge]] = (
    [
        ("1", "申请", "start", "申请人", None, None),
        ("2", "受理", "task", "承办科室", None, None),
        ("3", "通知被申请人答辩", "task", "承办科室", None, None),
        ("4", "调查、调解", "decision", "承办科室", None, "回避制度"),
        ("5", "制作调解书", "task", "承办科室", None, None),
        ("6", "作出裁决", "task", "机关负责人", None, "告知复议、诉讼权利"),
        ("7", "送达", "end", "承办科室", None, None),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", None), ("4", "5", "调解成功"), ("4", "6", "调解不成"),
     ("5", "7", None), ("6", "7", None)],
)

_OTHER: tuple[list[Node], list[Edge]] = (
    [
        ("1", "启动（申请或依职权）", "start", None, None, None),
        ("2", "办理", "task", "承办科室", None, None),
        ("3", "审核决定", "task", "机关负责人", None, None),
        ("4", "送达或公开", "task", "承办科室", None, None),
        ("5", "办结", "end", None, None, None),
    ],
    [("1", "2", None), ("2", "3", None), ("3", "4", None), ("4", "5", None)],
)

TEMPLATES = {
    Category.LICENSING.value: _LICENSING, Category.PENALTY.value: _PENALTY, Category.COERCION.value: _COERCION,
    Category.LEVY.value: _LEVY, Category.BENEFIT.value: _BENEFIT, Category.INSPECTION.value: _INSPECTION,
    Category.CONFIRMATION.value: _CONFIRMATION, Category.REWARD.value: _REWARD,
    Category.ADJUDICATION.value: _ADJUDICATION,
}


def template_for(category: str) -> nx.DiGraph:
    return template_flow(category).to_networkx()


def template_flow(category: str) -> LightDiGraph:
    """The category's statutory procedure as built (what a chart draws; see light_graph)."""
    return graph_of(*TEMPLATES.get(category, _OTHER), source="template")


def graph_of(nodes: list[Node], edges: list[Edge], key=str, **attrs) -> LightDiGraph:
    """The graph of these nodes and edges, ids made `key(id)`."""
    graph = LightDiGraph(**attrs)
    for node_id, name, kind, post, limit, control in nodes:
        graph.add_node(key(node_id), name=name, kind=kind, post=post, limit=limit, control=control, disclosure=None)
    for a, b, label in edges:
        graph.add_edge(key(a), key(b), label=label)
    return graph
