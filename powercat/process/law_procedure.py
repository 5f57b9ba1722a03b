"""The procedure the law prescribes for one power: its category's statutory procedure,
specialised by what the articles the power cites provide.

- 行政许可: 现场核查 (许可法第三十四条), 检验检测 and 专家评审 (their time not counted,
  许可法第四十五条), 公示 with its period, and a hearing held because the law says so
  (公告 + 听证, 许可法第四十六条) rather than only on request (第四十七条);
- 行政处罚: the simplified procedure where the article provides 警告 or a fine that may be
  within 200 元 (citizen) / 3,000 元 (organisation) (处罚法第五十一条, 第五十二条), and the
  hearing branch only where the article provides a penalty of 处罚法第六十三条 (a fine that may
  be 较大数额, confiscation, 降低资质等级, 吊销, 责令停产停业, 责令关闭, 限制从业);
- 行政强制: enforcement by 催告, 陈述申辩, decision (强制法第三十五条至第三十八条), or by
  application to a court (第五十三条, 第五十四条); seizure 查封扣押 (第十八条至第二十五条);
- 给付, 确认, 奖励, 征收, 裁决: 现场核查, 检验检测, 专家评审 and 公示 from the article.

Each added node carries its limit and the article it comes from. A power whose cited
articles change nothing is drawn from the bare template (`law_graph` returns None).

The decision node keeps its category's statutory limit (许可法第四十二条 20日, 处罚法第六十条
90日). Hook for the derived time limits (law/limits.py, issue 22): where a power's cited law sets
its own decision limit, `_Draft.done` is the one place to write it on the decision node.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..law.procedure_facts import UNBOUNDED, CitedArticle, cited_articles
from ..model import Category, Power
from .light_graph import LightDiGraph
from .templates import TEMPLATES, graph_of

# 处罚法第六十三条: 较大数额 is set by each province or ministry; a low threshold is taken here,
# so that no chart hides a hearing a party may ask for (a fine that may exceed 2,000 元)
HEARING_FINE = 2000
# 处罚法第五十一条: 200 元 for a citizen, 3,000 元 for an organisation. The facts do not say
# which party a fine is for, so only a fine that may be within 200 元 qualifies for anyone
SIMPLE_FINE = 200
_HEAVY = {"c": "没收较大数额违法所得、非法财物", "jd": "降低资质等级", "dx": "吊销许可证件", "tc": "责令停产停业",
          "gb": "责令关闭", "xz": "限制从业", "zk": "暂扣许可证件"}
_COURT = re.compile(r"申请(?:人民)?法院")
_ENFORCE_TITLE = re.compile(r"强制执行|代履行|加处罚款|加处滞纳金|拍卖|划拨|强制拆除|依法拆除")
_SEIZE_TITLE = re.compile(r"查封|扣押|冻结")


def law_graph(power: Power) -> tuple[LightDiGraph, list[str]] | None:
    """(the graph, the laws and articles it follows) or None when nothing is known beyond
    the category."""
    cited = cited_articles(power.basis, power.agency)
    builder = _BUILDERS.get(power.category)
    if builder is None:
        return None
    return builder(power, cited)


class _Draft:
    """A template as a graph whose nodes may be added between, sorted by a float key and
    numbered 1… at the end (charts and case registers see ordinary step ids)."""

    def __init__(self, category: str):
        self.graph = _template(category).copy()

    def node(self, key: float, name: str, kind: str = "task", post: str | None = None, limit: str | None = None,
             control: str | None = None) -> float:
        self.graph.add_node(key, name=name, kind=kind, post=post, limit=limit, control=control, disclosure=None)
        return key

    def insert_after(self, after: float, keys: list[float]) -> None:
        """Put a chain of nodes between `after` and its one unlabelled successor."""
        if not keys:
            return
        successors = list(self.graph.adj[after].items())
        successor, label = (successors[0][0], successors[0][1].get("label")) if successors else (None, None)
        if successor is not None:
            self.graph.remove_edge(after, successor)
        chain = [after, *keys]
        for a, b in zip(chain, chain[1:]):
            self.graph.add_edge(a, b, label=label if a == after else None)
        if successor is not None:
            self.graph.add_edge(keys[-1], successor, label=None)

    def done(self, follows: list[str]) -> tuple[LightDiGraph, list[str]]:
        # nodes numbered 1, 2, … in key order, added (and edges) in that order; built directly
        # rather than through nx.relabel_nodes, a whole copy of the graph per chart
        rank = {key: index for index, key in enumerate(sorted(self.graph.nodes), 1)}
        out = LightDiGraph(source="law", basis=follows)
        nodes, edges = self.graph.nodes, self.graph.edges
        for key in rank:
            out.add_node(str(rank[key]), **nodes[key])
        for a, b in sorted(edges, key=lambda e: (rank[e[0]], rank[e[1]])):
            out.add_edge(str(rank[a]), str(rank[b]), **edges[a, b])
        return out, follows


@lru_cache(maxsize=None)
def _template(category: str) -> LightDiGraph:
    """The category's template with float ids (a draft's copy is changed, never this one)."""
    return graph_of(*TEMPLATES[category], key=float)


def _names(items: list[CitedArticle]) -> str:
    """《消防法》第六十条、第七十条、《X》第N条: one law's articles together."""
    by_law: dict[str, list[str]] = {}
    for item in items:
        by_law.setdefault(item.law, [])
        if item.label not in by_law[item.law]:
            by_law[item.law].append(item.label)
    return "、".join(f"《{law}》{'、'.join(labels)}" for law, labels in by_law.items())


def _review_nodes(draft: _Draft, cited: tuple[CitedArticle, ...], start: float, excluded: str | None,
                  testing: bool = True) -> tuple[list[float], list[CitedArticle]]:
    """现场核查, 检验检测, 专家评审 nodes (in that order) for the articles that provide them."""
    keys, used = [], []
    step = 0.1
    for flag, name, post, note in (
        ("site", "现场核查", "承办科室（两名以上工作人员）", "需要核实实质内容的，指派两名以上工作人员核查（许可法第三十四条）"
         if excluded else "两名以上工作人员核查"),
        ("testing", "检验、检测", "承办科室或检验检测机构", excluded),
        ("expert", "专家评审", "承办科室组织专家", excluded),
    ):
        sources = [c for c in cited if getattr(c.facts, flag)]
        if not sources or (flag == "testing" and not testing):
            continue
        used.extend(sources)
        text = "；".join(x for x in (f"依{_names(sources)}", note) if x)
        keys.append(draft.node(start + step, name, post=post, control=text))
        step += 0.1
    return keys, used


def _publicity(cited: tuple[CitedArticle, ...]) -> tuple[str | None, list[CitedArticle]]:
    sources = [c for c in cited if c.facts.publicity is not None]
    days = [c for c in sources if c.facts.publicity]
    if not days:
        return None, sources
    longest = max(days, key=lambda c: c.facts.publicity)
    return f"{longest.facts.publicity}{'个工作日' if longest.facts.publicity_workdays else '日'}", sources


_EXCLUDED = "所需时间书面告知申请人，不计入许可期限（许可法第四十五条）"


def _licensing(power: Power, cited: tuple[CitedArticle, ...]):
    draft = _Draft(Category.LICENSING.value)
    keys, used = _review_nodes(draft, cited, 5.0, _EXCLUDED)
    follows = list(used)
    limit, publicity = _publicity(cited)
    if publicity:
        keys.append(draft.node(5.5, "公示", post="承办科室", limit=limit,
                               control=f"依{_names(publicity)}；公示期内接受异议"))
        follows.extend(publicity)
    hearing = [c for c in cited if c.facts.hearing]
    shall = [c for c in hearing if c.facts.hearing == 2]
    if shall:
        # the law requires a hearing: announced and held, not a branch on request
        draft.graph.remove_node(6.0)
        draft.graph.add_edge(5.0, 7.0)
        draft.graph.nodes[7.0].update(control=f"依{_names(shall)}应当听证：向社会公告并举行听证（许可法第四十六条），"
                                               "20日内组织（许可法第四十七条）")
        draft.graph.nodes[7.0]["name"] = "公告并举行听证"
        follows.extend(shall)
    elif hearing:
        draft.graph.nodes[6.0]["control"] = f"{_names(hearing)}规定听证；涉及重大利益关系的，告知听证权利（许可法第四十七条）"
        follows.extend(hearing)
    draft.insert_after(5.0, keys)
    if not follows:
        return None
    return draft.done([_names(follows), "《行政许可法》"])


def _penalty(power: Power, cited: tuple[CitedArticle, ...]):
    sources = [c for c in cited if c.facts.kinds]
    if not sources:
        return None
    kinds = set().union(*(c.facts.kinds for c in sources))
    fines = [c for c in sources if "f" in c.facts.kinds]
    highs = [c.facts.fine_high for c in fines if c.facts.fine_high is not None]
    lows = [c.facts.fine_low for c in fines if c.facts.fine_low is not None]
    big_fine = bool(fines) and (not highs or UNBOUNDED in highs or max(highs) > HEARING_FINE)
    heavy = [_HEAVY[k] for k in _HEAVY if k in kinds]
    simple = "w" in kinds or (bool(lows) and min(lows) <= SIMPLE_FINE)
    draft = _Draft(Category.PENALTY.value)
    procedural = ["第六十三条"]
    if big_fine or heavy:
        # a note is seven characters a line: two kinds named, the rest 等
        what = (["较大数额罚款"] if big_fine else []) + heavy
        what_text = "、".join(what[:2]) + ("等" if len(what) > 2 else "")
        draft.graph.nodes[4.0]["control"] = f"陈述、申辩；拟作{what_text}的，告知听证权利（处罚法第六十三条）"
    else:
        # no penalty of Art. 63: no hearing to ask for, the decision follows the notice
        draft.graph.remove_nodes_from([5.0, 6.0])
        draft.graph.add_edge(4.0, 7.0)
        draft.graph.nodes[4.0]["control"] = "陈述、申辩（处罚法第四十五条）；不属听证范围（处罚法第六十三条）"
    if simple:
        # 当场处罚: the case starts before 立案, and the simplified branch skips it
        draft.graph.nodes[1.0]["kind"] = "task"
        # the 开始 box chooses (a decision diamond more would make the chart a page too tall)
        draft.node(0.1, "开始", kind="start", control="警告或公民200元、组织3000元以下罚款的，可当场处罚（处罚法第五十一条）")
        draft.node(0.3, "当场作出处罚决定", post="执法人员", limit="当场",
                   control="出示执法证件，告知事由和权利，听取陈述申辩，当场交付决定书（处罚法第五十二条）")
        draft.node(8.5, "报所属行政机关备案", post="执法人员", control="当场处罚决定报所属行政机关备案（处罚法第五十二条）")
        draft.graph.add_edge(0.1, 1.0, label="一般程序")
        draft.graph.add_edge(0.1, 0.3, label="简易程序")
        draft.graph.add_edge(0.3, 8.5)
        draft.graph.add_edge(8.5, 9.0)
        procedural.insert(0, "第五十一条")
    return draft.done([_names(sources), f"《行政处罚法》{'、'.join(procedural)}"])


def _coercion(power: Power, cited: tuple[CitedArticle, ...]):
    title = power.title
    enforce = [c for c in cited if c.facts.enforce]
    seize = [c for c in cited if c.facts.seize or c.facts.freeze]
    if enforce or (_ENFORCE_TITLE.search(title) and not _SEIZE_TITLE.search(title)):
        return _enforcement(bool(_COURT.search(title)), enforce)
    if seize:
        draft = _Draft(Category.COERCION.value)
        draft.graph.nodes[1.0]["control"] = (f"依{_names(seize)}；" + draft.graph.nodes[1.0]["control"])
        if any(c.facts.freeze for c in seize) and not any(c.facts.seize for c in seize):
            draft.graph.nodes[5.0].update(name="冻结期间查明事实", control="不超过30日，复杂的经批准延长30日（强制法第三十二条）")
            draft.graph.nodes[7.0]["name"] = "解除冻结"
            draft.graph.nodes[7.0]["control"] = "强制法第三十三条"
        return draft.done([_names(seize), "《行政强制法》第十八条至第二十五条"])
    return None


def _enforcement(court: bool, cited: list[CitedArticle]):
    basis = f"依{_names(cited)}；" if cited else ""
    if court:
        nodes = [
            ("1", "开始", "start", None, None, None),
            ("2", "书面催告履行", "task", "承办科室", "10日", basis + "催告书送达10日后当事人仍未履行的，可申请人民法院强制执行（强制法第五十四条）"),
            ("3", "是否履行", "decision", "承办科室", None, None),
            ("4", "申请人民法院强制执行", "task", "承办科室", "3个月", "自复议、诉讼期限届满之日起3个月内申请（强制法第五十三条）"),
            ("5", "结束", "end", None, None, None),
        ]
        edges = [("1", "2", None), ("2", "3", None), ("3", "5", "已履行"), ("3", "4", "逾期未履行"), ("4", "5", None)]
        follows = [_names(cited), "《行政强制法》第五十三条、第五十四条"] if cited else ["《行政强制法》第五十三条、第五十四条"]
    else:
        nodes = [
            ("1", "开始", "start", None, None, None),
            ("2", "书面催告履行", "task", "承办科室", None, basis + "催告以书面形式作出，载明期限、方式和权利（强制法第三十五条）"),
            ("3", "听取陈述、申辩", "task", "承办科室", None, "记录、复核；理由成立的应当采纳（强制法第三十六条）"),
            ("4", "是否履行", "decision", "承办科室", None, None),
            ("5", "作出强制执行决定", "task", "机关负责人", None, "书面决定，载明方式、时间和权利（强制法第三十七条）"),
            ("6", "送达决定书", "task", "承办科室", None, "强制法第三十八条"),
            ("7", "实施强制执行", "task", "执法人员", None, "不得在夜间或法定节假日实施，不得停水停电（强制法第四十三条）"),
            ("8", "结束", "end", None, None, None),
        ]
        edges = [("1", "2", None), ("2", "3", None), ("3", "4", None), ("4", "8", "已履行"), ("4", "5", "逾期仍不履行"),
                 ("5", "6", None), ("6", "7", None), ("7", "8", None)]
        follows = ([_names(cited)] if cited else []) + ["《行政强制法》第三十五条至第三十八条"]
    return graph_of(nodes, edges, source="law", basis=follows), follows


def _generic(category: str):
    """给付, 确认, 奖励, 征收, 裁决: the review steps and the publicity the article provides."""
    def build(power: Power, cited: tuple[CitedArticle, ...]):
        draft = _Draft(category)
        review = next((k for k in sorted(draft.graph.nodes) if draft.graph.out_degree(k) == 1
                       and any(w in draft.graph.nodes[k]["name"] for w in ("审查", "审核", "调查核实", "核定", "调查"))), None)
        follows: list[CitedArticle] = []
        keys: list[float] = []
        if review is not None:
            # 检验/检疫 in a reward or benefit article names its subject (植物检疫工作), not a step
            keys, follows = _review_nodes(draft, cited, review, None, testing=False)
        limit, publicity = _publicity(cited)
        shown = next((k for k in draft.graph.nodes if draft.graph.nodes[k]["name"] == "公示"), None)
        if publicity and shown is not None:
            draft.graph.nodes[shown].update(limit=limit, control=f"依{_names(publicity)}；公示期内接受异议")
            follows.extend(publicity)
        if review is not None:
            draft.insert_after(review, keys)
        if not follows:
            return None
        return draft.done([_names(follows)])
    return build


_BUILDERS = {
    Category.LICENSING.value: _licensing, Category.PENALTY.value: _penalty, Category.COERCION.value: _coercion,
    **{c.value: _generic(c.value) for c in (Category.BENEFIT, Category.CONFIRMATION, Category.REWARD, Category.LEVY,
                                            Category.ADJUDICATION)},
}
