"""The procedure the law prescribes for one power (issue 23 item 2): the category's statutory
procedure specialised by the articles the power cites, and the chart's source line naming them."""

from __future__ import annotations

from collections import Counter

from powercat.cases.conformance import net_for, replay
from powercat.ingest import load
from powercat.model import Power, Source
from powercat.process import build_graph
from powercat.process.law_procedure import law_graph


def _power(name: str, category: str, basis: str | None) -> Power:
    return Power(Source("清单.xlsx", "权责清单", 3), name, category, basis=basis, agency="某市某局")


def _names(process) -> dict[str, dict]:
    return {data["name"]: data for _n, data in process.graph.nodes(data=True)}


def test_a_small_penalty_gets_the_simplified_procedure_and_no_hearing():
    # 消防法第六十四条: 警告或者五百元以下罚款 (and 拘留): nothing of 处罚法第六十三条
    process = build_graph(_power("对过失引起火灾的处罚", "行政处罚", "《中华人民共和国消防法》第六十四条"))
    assert process.source == "law"
    assert process.source_zh == "依《消防法》第六十四条、《行政处罚法》第五十一条、第六十三条等法定程序"
    nodes = _names(process)
    assert "当场作出处罚决定" in nodes and "报所属行政机关备案" in nodes
    assert "听证" not in nodes and "是否要求听证" not in nodes
    assert "不属听证范围" in nodes["告知拟处罚事实、理由、依据和权利"]["control"]
    # the case register replays the same graph: both procedures fit
    net = net_for(process.power)
    assert replay(net, ["当场作出处罚决定", "报所属行政机关备案", "执行", "结案归档"]).fit
    assert replay(net, ["立案", "调查取证", "审查（法制审核）", "告知拟处罚事实、理由、依据和权利", "决定", "送达", "执行", "结案归档"]).fit
    assert replay(net, ["立案", "调查取证", "审查（法制审核）", "告知拟处罚事实、理由、依据和权利", "听证", "决定"]).unknown


def test_a_heavy_penalty_keeps_the_hearing_and_says_why():
    # 旅游法第九十五条: 没收违法所得, 一万元以上十万元以下罚款, 违法所得一倍以上五倍以下: hearing, no 当场处罚
    process = build_graph(_power("对未经许可经营旅行社业务的处罚", "行政处罚", "《中华人民共和国旅游法》第九十五条第一款"))
    assert process.source == "law"
    nodes = _names(process)
    assert "听证" in nodes and "当场作出处罚决定" not in nodes
    assert "处罚法第六十三条" in nodes["告知拟处罚事实、理由、依据和权利"]["control"]
    assert "较大数额罚款" in nodes["告知拟处罚事实、理由、依据和权利"]["control"]


def test_a_licence_takes_its_review_steps_hearing_and_publicity_from_the_quoted_article():
    basis = ("《某某管理条例》第十二条：审批机关应当自受理申请之日起对申请材料进行现场核查，组织专家评审；"
             "拟批准的，公示期不少于七日；涉及公共利益的，应当举行听证。")
    process = build_graph(_power("某某经营许可", "行政许可", basis))
    assert process.source == "law"
    nodes = _names(process)
    for name in ("现场核查", "专家评审", "公示", "公告并举行听证"):
        assert name in nodes, name
    assert "检验、检测" not in nodes
    assert nodes["公示"]["limit"] == "7日"
    assert "《某某管理条例》第十二条" in nodes["现场核查"]["control"]
    assert "许可法第四十五条" in nodes["专家评审"]["control"]
    assert "是否需要听证" not in nodes  # the law requires it: not a branch on request
    assert process.source_zh.startswith("依《某某管理条例》第十二条")
    # the review steps come between 审查 and the decision
    order = [process.graph.nodes[n]["name"] for n in sorted(process.graph.nodes, key=int)]
    assert order.index("审查") < order.index("现场核查") < order.index("专家评审") < order.index("决定")


def test_enforcement_is_drawn_with_notice_and_hearing_of_the_party():
    process = build_graph(_power("对阻碍公路建设或者抢修的强制拆除", "行政强制", "《中华人民共和国公路法》第七十九条"))
    assert process.source == "law"
    names = [process.graph.nodes[n]["name"] for n in sorted(process.graph.nodes, key=int)]
    assert names[:3] == ["开始", "书面催告履行", "听取陈述、申辩"] and names[-1] == "结束"
    assert "强制法第三十五条" in _names(process)["书面催告履行"]["control"]
    court = build_graph(_power("申请人民法院强制执行", "行政强制", None))
    assert "申请人民法院强制执行" in _names(court) and "10日" == _names(court)["书面催告履行"]["limit"]


def test_a_citation_without_an_article_or_an_unknown_one_stays_the_bare_template():
    assert law_graph(_power("对某事的处罚", "行政处罚", "《中华人民共和国消防法》")) is None
    assert build_graph(_power("对某事的处罚", "行政处罚", "《某地不存在的办法》第三条")).source_zh == "法定程序通用流程"
    assert build_graph(_power("对某事的检查", "行政检查", "《中华人民共和国消防法》第五十三条")).source == "template"


def test_on_the_real_lists_most_charts_follow_their_cited_articles(real_lists):
    catalogue = load([str(real_lists)])
    sources = Counter(build_graph(p).source for p in catalogue.powers)
    # before: 2,093 bare templates, 79 written procedures (benchmarks/count_chart_sources.py)
    assert sources["law"] > 1500 and sources["template"] < 500 and sources["duty"] == 79
    for power in catalogue.powers:
        process = build_graph(power)
        if process.source == "law":
            assert process.source_zh.startswith("依《") and process.source_zh.endswith("等法定程序")
            # every added node names the article it comes from
            for _n, data in process.graph.nodes(data=True):
                # (a 公示 of the category's own procedure keeps its template note unless the article sets a period)
                if data["name"] in ("现场核查", "检验、检测", "专家评审", "当场作出处罚决定") or (
                        data["name"] == "公示" and data.get("limit")):
                    assert "第" in (data.get("control") or "") and "条" in data["control"], (power.title, data)


def test_hostile_quotes_draw_a_chart_and_never_raise():
    nasty = [
        "《某条例》第三条：处．．．元以下罚款；处1.2.3元罚款；处99999999999999999999万元罚款；处万元罚款。",
        "《某条例》第三条：" + "应当举行听证，公示期不少于" * 2000 + "七日",
        "《某条例》第九九九九九条、第0条：吊销许可证",
        "《某条例》第三条：处二百元以下罚款或者警告\x00<script>{}\\N",
    ]
    for basis in nasty:
        for category in ("行政处罚", "行政许可", "行政强制", "行政奖励", "其他行政权力"):
            process = build_graph(_power("某事项", category, basis))
            assert process.graph.number_of_nodes() >= 4
            assert process.source_zh
    small = build_graph(_power("对某事的处罚", "行政处罚", nasty[3]))
    assert small.source == "law" and "当场作出处罚决定" in _names(small)


def test_a_source_line_naming_many_laws_is_wrapped_and_never_widens_the_chart():
    """A law-derived chart names every law it follows; on one line that made the chart wider
    than a booklet page and its header was cut at the page's edge."""
    import re

    from powercat.render.dot import to_dot
    from powercat.render.linebreak import text_width

    basis = ("《安全生产法》第九十七条、第一百一十二条、第一百一十三条；《矿山安全法实施条例》第五十二条；"
             "《建设工程安全生产管理条例》第六十二条；《工贸企业粉尘防爆安全规定》第二十八条")
    process = build_graph(_power("对未按规定履行安全生产教育培训职责的处罚", "行政处罚", basis))
    assert process.source == "law" and len(process.source_zh) > 60
    dot = to_dot(process)
    line = re.search(r"流程来源：(.*?)</FONT>", dot).group(0)
    pieces = line.removesuffix("</FONT>").split("<BR/>")
    assert len(pieces) > 1 and max(text_width(p) for p in pieces) <= 110
