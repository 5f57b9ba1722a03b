"""Statutory limits derived from the law (issue 22 item 4): the article reader on made-up
texts of the shapes the law uses, the derivation rules, and the hand audit on the real lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powercat.law.limit_text import DAY, MONTH, WORKDAY, facts_in
from powercat.law.limits import derive, statutory_for
from powercat.model import Power, Source

AUDIT = Path(__file__).parent / "data" / "audit_limits.json"


@pytest.mark.parametrize("text, expected", [
    ("第七条　受理申请的旅游行政管理部门应当自受理申请之日起20个工作日内作出许可或者不予许可的决定。",
     [(20, WORKDAY, "受理申请", 0)]),
    ("第四十二条　除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。"
     "二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日，并应当将延长期限的理由告知申请人。",
     [(20, DAY, "受理行政许可申请", 10)]),
    ("第三十条　国土资源主管部门查处违法案件，应当自立案之日起三十日内作出处理决定。案情复杂的，经批准可以延长六十日。",
     [(30, DAY, "立案", 60)]),
    ("第六条　主管部门应当自收到海上船只活动计划之日起1个月内作出批准或者不批准的决定。", [(1, MONTH, "收到海上船只活动计划", 0)]),
])
def test_decision_limits_are_read(text, expected):
    facts = facts_in(text)
    assert [(f.amount, f.unit, f.anchor, f.extension) for f in facts] == expected
    assert all(f.sure for f in facts)


@pytest.mark.parametrize("text", [
    "第八条　建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。",  # 颁发, not 作出决定
    "第八条　房地产管理部门经审查合格的，应在接到申请后的10日内核发《商品房预售许可证》。",
    "第二十二条　审批部门应当自收到环境影响报告书之日起六十日内，收到环境影响报告表之日起三十日内，分别作出审批决定。",
    "第三十条　消防设计审查验收主管部门应当自受理消防验收申请之日起十五日内出具消防验收意见。",
])
def test_a_period_that_may_be_the_decisions_is_kept_as_unsure(text):
    facts = facts_in(text)
    assert facts and not any(f.sure for f in facts)


@pytest.mark.parametrize("text", [
    "第十条　申请人应当在收到通知之日起三十日内办理登记手续，领取许可证。",  # the applicant's period
    "第十二条　拟批准的事项应当公示，公示期不少于七日，公示期内作出决定。",  # 公示期
    "第九条　责令限期整改，整改期限不超过三十日；逾期未整改的，作出处罚决定。",  # 整改期限
    "第十三条　许可证有效期为5年。有效期届满30个工作日前申请换证。",  # 有效期
    "第四十四条　行政机关作出准予行政许可的决定，应当自作出决定之日起十日内向申请人颁发、送达行政许可证件。",  # after the decision
    "第五十七条　人民法院应当自受理之日起七日内作出执行裁定。",  # a court's limit
    "第十九条　医疗机构应当于每次调整后15个工作日内向卫生行政部门备案。",  # a filing, not a decision
    "第八条　有关部门应当在十个工作日内予以处理和答复投诉。",  # a complaint's answer
    "第二十五条　主管部门接到许可证申请，应在10个工作日内作出是否受理的决定，并通知申请人。",  # acceptance only
])
def test_periods_that_are_not_the_decision_limit_are_not_taken(text):
    assert [f for f in facts_in(text) if f.sure] == []


def _power(category, basis, name="某事项", agency="克拉玛依市某局", limit=None):
    return Power(Source("某局权责清单.xlsx", "Sheet1", 5), name, category, agency=agency, basis=basis,
                 statutory_limit=limit)


def test_cited_article_that_states_the_limit_wins():
    power = _power("行政许可", "《农药管理条例》第二十四条", name="农药经营许可")
    limit = statutory_for(power)
    assert (limit.amount, limit.unit, limit.rule) == (20, WORKDAY, "article")
    assert limit.display.startswith("20个工作日（依《农药管理条例》第二十四条")
    assert "据法律推定" in limit.display


def test_licensing_falls_back_to_the_licensing_law_with_its_extension():
    limit = statutory_for(_power("行政许可", "《城市市容和环境卫生管理条例》第十一条"))
    assert (limit.amount, limit.unit, limit.law, limit.article, limit.extension, limit.rule) == \
        (20, WORKDAY, "中华人民共和国行政许可法", "第四十二条", 10, "general")
    assert limit.display.startswith("20个工作日（依《行政许可法》第四十二条")


def test_penalty_uses_article_60_or_the_sectors_own_rule():
    general = statutory_for(_power("行政处罚", "《中华人民共和国产品质量法》第五十六条", agency="克拉玛依市住房和城乡建设局"))
    assert (general.amount, general.unit, general.article) == (90, DAY, "第六十条")
    market = statutory_for(_power("行政处罚", "《中华人民共和国产品质量法》第五十六条", agency="克拉玛依市市场监督管理局"))
    assert (market.amount, market.law, market.extension) == (90, "市场监督管理行政处罚程序规定", 30)


def test_a_sector_rule_that_says_otherwise_leaves_the_limit_unknown():
    derivation = derive(_power("行政处罚", "《中华人民共和国土地管理法》第七十五条", agency="克拉玛依市自然资源局"))
    assert derivation.limit is None and "自然资源行政处罚办法" in derivation.reason


def test_an_unsure_period_in_the_cited_article_leaves_the_limit_unknown():
    """建筑法 第八条 gives 7 days to 颁发 a 施工许可证: not read as the decision limit, and the
    licensing law's 20 working days are not put in its place either."""
    derivation = derive(_power("行政许可", "《中华人民共和国建筑法》第八条", name="建筑工程施工许可证核发"))
    assert derivation.limit is None and "第八条" in derivation.reason


def test_a_cited_law_missing_from_the_registry_leaves_a_licence_unknown():
    derivation = derive(_power("行政许可", "《某市不存在的管理办法》第三条"))
    assert derivation.limit is None and "不在法规库中" in derivation.reason


def test_categories_without_a_stated_limit_stay_unknown():
    for category in ("行政确认", "行政给付", "行政检查", "其他行政权力"):
        derivation = derive(_power(category, "《中华人民共和国产品质量法》第五十六条"))
        assert derivation.limit is None and derivation.reason


def test_a_limit_the_list_gives_is_never_replaced():
    from powercat.law.limits import note_for

    assert statutory_for(_power("行政许可", "《农药管理条例》第二十四条", limit="15个工作日")) is None
    assert note_for(_power("行政许可", "《农药管理条例》第二十四条", limit="15个工作日")) is None
    assert note_for(_power("行政许可", "《农药管理条例》第二十四条")).startswith("法定时限：20个工作日（依《农药管理条例》第二十四条")


def test_hand_audit_agrees_with_what_is_derived_now(real_lists):
    from powercat.ingest.loader import load

    fixture = json.loads(AUDIT.read_text(encoding="utf-8"))
    audit = fixture["audits"]
    assert len(audit) == 50
    wanted = {(a["file"], a["sheet"], a["row"]): a for a in audit + fixture["supplement"]}
    found = {}
    for file in {key[0] for key in wanted}:
        for power in load([str(real_lists / file)]).powers:
            key = (Path(power.source.file).name, power.source.sheet, power.source.row)
            if key in wanted:
                found[key] = power
    assert set(wanted) - set(found) == set()
    for key, entry in wanted.items():
        limit = statutory_for(found[key])
        if entry["verdict"] == "unknown":
            continue
        assert limit is not None, key
        assert (limit.limit_text, limit.law, limit.article, limit.rule) == \
            (entry["limit"], entry["law"], entry["article"], entry["rule"]), key
    right = sum(a["verdict"] == "right" for a in audit)
    assert right / len(audit) >= 0.95
    assert not any(a["verdict"] == "wrong" for a in wanted.values())


def test_check_holds_a_promise_against_the_derived_limit_and_says_so():
    import datetime as dt

    from powercat.check import check_powers

    over = _power("行政许可", "《城市市容和环境卫生管理条例》第十一条", name="城市户外广告设置审批")
    over.promised_limit = "30个工作日"
    within = _power("行政许可", "《城市市容和环境卫生管理条例》第十一条", name="城市户外广告设置审批（变更）")
    within.promised_limit = "15个工作日"
    found = [f for f in check_powers([over, within], dt.date(2026, 12, 1)) if f.code == "limit-promised-exceeds-derived"]
    assert [f.power for f in found] == [over.title]
    assert "推定" in found[0].message and "《行政许可法》第四十二条" in found[0].message
    assert found[0].severity == "warning"


def test_cases_check_the_decision_deadline_with_the_derived_limit(real_lists):
    """On a real list (no 法定时限 column), a penalty case decided after 90 days of 立案 is late by
    the law's limit, and the message says the limit is derived."""
    import datetime as dt

    from powercat.cases.checks import Settings, check_case
    from powercat.cases.link import PowerIndex
    from powercat.cases.model import Case
    from powercat.ingest.loader import load
    from powercat.model import Source

    catalogue = load([str(real_lists / "克拉玛依市住房和城乡建设局2024年权责清单.xls")])
    index = PowerIndex(catalogue)
    linked = next(l for l in index.all if l.category == "行政处罚" and l.derived is not None and not l.withheld)
    assert linked.statutory_variant is not None and linked.derived.article == "第六十条"

    def case(case_id, decided, accepted=dt.date(2025, 3, 3)):
        return Case(Source("登记表.xlsx", "Sheet1", 2), case_id, power_name=linked.power.title,
                    agency=linked.agency, accepted=accepted, decided=decided)

    settings = Settings(as_of=dt.date(2025, 12, 31))
    late = check_case(case("A-1", dt.date(2025, 6, 10)), index, settings)  # 99 days after 立案
    over = [f for f in late.findings if f.code == "case-over-statutory"]
    assert over and "据法律推定" in over[0].message and "第六十条" in over[0].message
    assert late.on_time is False
    in_time = check_case(case("A-2", dt.date(2025, 5, 30)), index, settings)  # 88 days
    assert in_time.on_time is True and not [f for f in in_time.findings if f.code == "case-over-statutory"]
    open_case = check_case(case("A-3", None, accepted=dt.date(2025, 9, 1)), index, settings)
    overdue = [f for f in open_case.findings if f.code == "case-open-overdue"]
    assert overdue and "法定时限（据法律推定）" in overdue[0].message


def test_list_json_and_guide_carry_the_derived_limit_apart(real_lists):
    from powercat.publish.guide import guide_context
    from powercat.publish.records import public_records
    from powercat.ingest.loader import load

    from .conftest import list_json

    code, data = list_json(str(real_lists / "克拉玛依市住房和城乡建设局2024年权责清单.xls"))
    powers = data["powers"]
    penalties = [p for p in powers if p["category"] == "行政处罚" and p["derived_statutory_limit"]]
    assert penalties and all(not p["statutory_limit"] for p in penalties)
    assert penalties[0]["derived_statutory_limit"]["derived"] is True
    assert penalties[0]["derived_statutory_limit"]["article"] == "第六十条"
    record = next(r for r in public_records(load([str(real_lists / "克拉玛依市住房和城乡建设局2024年权责清单.xls")]))
                  if r.power.category == "行政处罚" and statutory_for(r.power) is not None)
    context = guide_context(record)
    assert context["statutory"] == "" and "据法律推定" in context["limits"]["derived"]


def test_a_licence_missing_its_limit_is_told_what_the_law_says():
    import datetime as dt

    from powercat.check import check_powers

    power = _power("行政许可", "《农药管理条例》第二十四条", name="农药经营许可")
    power.columns = {"statutory_limit": "H"}
    found = [f for f in check_powers([power], dt.date(2026, 12, 1)) if f.code == "limit-statutory-missing"]
    assert len(found) == 1 and "20个工作日（依《农药管理条例》第二十四条" in found[0].message
    unknown = _power("行政许可", "《中华人民共和国建筑法》第八条", name="建筑工程施工许可证核发")
    unknown.columns = {"statutory_limit": "H"}
    found = [f for f in check_powers([unknown], dt.date(2026, 12, 1)) if f.code == "limit-statutory-missing"]
    assert [f.message for f in found] == ["行政许可未填写法定时限"]


def test_first_review_and_coercive_measures_take_their_own_articles():
    first = statutory_for(_power("行政许可", "《城市市容和环境卫生管理条例》第十一条", name="户外广告设置初审"))
    assert (first.amount, first.article, first.extension) == (20, "第四十三条", 0)
    seizure = statutory_for(_power("行政强制", "《中华人民共和国广告法》第四十九条", name="查封、扣押涉嫌违法广告物品",
                                   agency="某市市场监督管理局"))
    assert (seizure.amount, seizure.unit, seizure.article, seizure.extension) == (30, DAY, "第二十五条、第二十七条", 30)
    freeze = statutory_for(_power("行政强制", "《中华人民共和国行政强制法》第三十二条", name="冻结存款"))
    assert (freeze.amount, freeze.rule, freeze.article) == (30, "article", "第三十二条")
    # a measure the general law gives no decision limit for stays unknown
    assert statutory_for(_power("行政强制", "《中华人民共和国广告法》第四十九条", name="代履行")) is None


def test_every_derived_limit_outside_penalties_has_been_judged(real_lists):
    """A change that derives a new number for a licence or a measure on the shared lists must
    come with its verdict in the audit fixture."""
    from powercat.ingest.loader import load

    fixture = json.loads(AUDIT.read_text(encoding="utf-8"))
    judged = {(a["file"], a["sheet"], a["row"]) for a in fixture["audits"] + fixture["supplement"]}
    derived = {(Path(p.source.file).name, p.source.sheet, p.source.row)
               for p in load([str(real_lists)]).powers
               if p.category != "行政处罚" and statutory_for(p) is not None}
    assert derived - judged == set()


def test_charts_show_the_derived_limit_as_derived_and_never_over_the_lists(tmp_path):
    """A chart's 法定时限 cell takes the law's limit only where the list gives none, marked
    推定 with its source on a row of its own; a limit the list gives is drawn as written."""
    from openpyxl import Workbook

    from powercat.pipeline.commands import flowchart

    book = Workbook()
    sheet = book.active
    sheet.append(["职权编码", "职权名称", "职权类别", "实施依据", "法定时限", "公开方式"])
    sheet.append(["001", "城市建筑垃圾处置核准", "行政许可", "《城市市容和环境卫生管理条例》第十一条", "", "主动公开"])
    sheet.append(["002", "临时占用城市道路许可", "行政许可", "《城市市容和环境卫生管理条例》第十一条", "15个工作日", "主动公开"])
    book.save(tmp_path / "青川市城市管理局权责清单.xlsx")
    drawn = flowchart([str(tmp_path / "青川市城市管理局权责清单.xlsx")], tmp_path / "out", ["svg"], booklet=False)
    svgs = {c.power.code: Path(next(o for o in c.outputs if o.endswith(".svg"))).read_text(encoding="utf-8")
            for c in drawn.charts}
    assert "法定时限：20个工作日（推定）" in svgs["001"]
    assert "法定时限系推定（清单未填写）：依《行政许可法》第四十二条" in svgs["001"]
    assert "法定时限：15个工作日" in svgs["002"] and "推定" not in svgs["002"]


def test_the_shipped_title_index_is_current_and_finds_what_the_registry_finds(tmp_path):
    """registry-titles.json.gz is made from registry.json.gz (python -m powercat.law.registry):
    regenerated, it is byte-identical, and every title (with and without a place) is found alike."""
    from powercat.law import registry as reg

    fresh = tmp_path / "titles.json.gz"
    reg.write_title_index(fresh)
    assert fresh.read_bytes() == reg.TITLES.read_bytes(), "run: python -m powercat.law.registry"
    index, whole = reg._title_index(), reg.load_registry()
    assert index is not None
    cited = [*list(whole.laws)[::97], "《行政许可法》", "中华人民共和国食品安全法", "克拉玛依市市容环境卫生管理条例", "不存在的条例"]
    for title in cited:
        for where in (None, "克拉玛依市城市管理局|a.xlsx", "乌鲁木齐市|b.xlsx"):
            law, indexed = whole.find(title, where=where), index.find(title, where=where)
            assert (law is None) == (indexed is None), (title, where)
            if law is not None:
                assert (indexed.title, indexed.locality, indexed.latest.id, indexed.latest.title) == \
                    (law.title, law.locality, law.latest.id, law.latest.title)


def test_a_stale_title_index_is_not_used(monkeypatch, tmp_path):
    from powercat.law import registry as reg

    stale = tmp_path / "titles.json.gz"
    reg.write_title_index(stale)
    monkeypatch.setattr(reg, "_registry_digest", lambda: "0" * 64)  # registry.json.gz rebuilt since
    monkeypatch.setattr(reg, "TITLES", stale)
    reg._title_index.cache_clear()
    try:
        assert reg._title_index() is None
    finally:
        reg._title_index.cache_clear()


def test_derived_limits_are_the_same_from_the_title_index_and_the_whole_registry():
    from powercat.law import registry as reg

    bases = ["《中华人民共和国行政许可法》第四十二条", "《中华人民共和国食品安全法》第三十五条", "《中华人民共和国安全生产法》第九十条",
             "【行政法规】《危险化学品安全管理条例》第七十八条", "《克拉玛依市市容环境卫生管理条例》第十条"]
    categories = ["行政许可", "行政处罚", "行政强制", "行政确认"]
    index, whole = reg._title_index(), reg.load_registry()
    for basis in bases:
        for category in categories:
            power = Power(Source("克拉玛依市市场监督管理局.xlsx", "s", 3), "事项", category, basis=basis, agency="克拉玛依市市场监督管理局")
            assert derive(power, index) == derive(power, whole), (basis, category)
