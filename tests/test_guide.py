"""办事指南 a citizen can act on: what to bring, where, when and whom to ask when the agency
gave it, and plainly which it has not; decisions read as branches; the time limits the chart
shows; the complaint channel from the list or its 单位信息 sheet, never a stock line."""

from __future__ import annotations

import re

import pytest

from powercat.model import Power, Source, Step
from powercat.publish import guide
from powercat.publish.records import Record

BASIS = "【法律】《中华人民共和国行政许可法》第十二条"


def _record(phone: str | None = None, **fields) -> Record:
    power = Power(source=Source("清单.xlsx", "Sheet1", 3), **{"name": "某事项", "category": "行政许可", "basis": BASIS,
                                                              **fields})
    return Record(power, "青川市测试局", "p1", phone)


def _html(record: Record) -> str:
    from pathlib import Path
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        guide.write_guide_page(record, Path(tmp), guide.guide_template(), "目录")
        text = (Path(tmp) / f"{record.id}.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text)


def test_a_filled_guide_shows_what_to_bring_where_when_and_whom_to_ask():
    record = _record(conditions="依法设立的企业", materials="1.申请书\n2.营业执照复印件", place="政务服务中心二楼12号窗口",
                     hours="工作日 9:30-13:30", enquiry_phone="0839-1234567", fee="不收费", complaint="监督电话：0839-7654321")
    context = guide.guide_context(record)
    assert context["missing"] == []
    html = _html(record)
    for text in ("营业执照复印件", "政务服务中心二楼12号窗口", "工作日 9:30-13:30", "0839-1234567", "监督电话：0839-7654321"):
        assert text in html
    assert "尚未提供" not in html and "class=\"missing-note\"" not in html


def test_an_empty_guide_says_plainly_what_the_agency_has_not_provided():
    record = _record()
    assert guide.guide_context(record)["missing"] == ["申请条件", "申请材料", "办理地点", "办理时间", "咨询电话", "收费"]
    html = _html(record)
    assert "实施主体尚未提供本事项的申请条件、申请材料、办理地点、办理时间、咨询电话、收费" in html
    # no stock sentences standing in for what the agency did not say
    assert "以实施依据规定的条件为准" not in html and "可向实施主体或当地政务服务热线" not in html
    assert "尚未提供投诉渠道" in html
    # a penalty is the agency's own act: its guide asks for a number to call, not materials
    assert guide.guide_context(_record(category="行政处罚"))["missing"] == ["咨询电话"]


def test_the_complaint_channel_comes_from_the_list_then_its_agency_sheet():
    assert guide.guide_context(_record("0839-555", complaint="投诉：12345"))["complaint"] == "投诉：12345"
    assert guide.guide_context(_record("0839-555"))["complaint"] == "监督电话：0839-555"
    assert guide.guide_context(_record())["complaint"] == ""


def test_decisions_read_as_branches_of_the_drawn_procedure():
    """The penalty procedure drawn from the category's statutory template: the hearing
    decision has its two ways, each naming the step it goes to."""
    record = _record(category="行政处罚")
    steps = guide.guide_context(record)["steps"]
    hearing = next(s for s in steps if s["name"] == "是否要求听证")
    by_label = {b["label"]: (b["to"], b["name"]) for b in hearing["branches"]}
    number = {s["name"]: s["no"] for s in steps}
    assert by_label == {"要求听证": (number["听证"], "听证"), "未要求": (number["决定"], "决定")}
    html = _html(record)
    assert f"要求听证：转第 {number['听证']} 步（听证）" in html and f"未要求：转第 {number['决定']} 步（决定）" in html
    # a unit's own steps: a 判断 row's 是/否 read the same way; steps not branching have none
    own = [Step(Source("f", "运行流程", 2), None, "1", "受理", "开始", next="2"),
           Step(Source("f", "运行流程", 3), None, "2", "是否符合条件", "判断", next="是:3；否:4"),
           Step(Source("f", "运行流程", 4), None, "3", "准予", "办理", next="5"),
           Step(Source("f", "运行流程", 5), None, "4", "不予受理", "办理", next="5"),
           Step(Source("f", "运行流程", 6), None, "5", "办结", "结束")]
    steps = guide.guide_context(_record(steps=own))["steps"]
    assert [s["name"] for s in steps] == ["受理", "是否符合条件", "准予", "不予受理"]
    assert steps[1]["decision"] and not steps[0]["decision"]
    assert steps[1]["branches"] == [{"label": "是", "to": 3, "name": "准予"}, {"label": "否", "to": 4, "name": "不予受理"}]
    # 受理 simply goes on to 2; 准予 does not go on to 不予受理 but ends: the guide says so
    assert steps[0]["branches"] == [] and steps[2]["branches"] == [{"label": "", "to": None, "name": "办结"}]
    # the last step simply ends
    assert steps[3]["branches"] == []


def test_time_limits_agree_with_the_chart(monkeypatch):
    # the list's own limits, as the chart's header shows them
    html = _html(_record(statutory_limit="20个工作日", promised_limit="5个工作日"))
    assert "<div>法定时限：20个工作日</div><div>承诺时限：5个工作日</div>" in html and "未列明" not in html
    # none in the list, none derived: the limits on the chart's steps, never "未列明"
    monkeypatch.setattr(guide, "_derived_limit", lambda power: None)
    record = _record()
    limits = guide.guide_context(record)["limits"]
    assert "决定 20日" in limits["steps"] and "受理 5日" in limits["steps"]
    assert "各环节时限（与流程图一致）：受理 5日" in _html(record)
    # a statutory limit derived from the law (law/limits.py) is shown as such
    monkeypatch.setattr(guide, "_derived_limit", lambda power: "20个工作日（依《行政许可法》第四十二条；据法律推定）")
    assert "法定时限：20个工作日（依《行政许可法》第四十二条；据法律推定）" in _html(_record())


@pytest.mark.parametrize("category", ["行政许可", "行政处罚", "行政强制", "行政检查", "行政确认", "其他行政权力"])
def test_every_category_guide_numbers_its_steps_without_the_drawn_ends(category):
    steps = guide.guide_context(_record(category=category))["steps"]
    assert steps and [s["no"] for s in steps] == list(range(1, len(steps) + 1))
    assert all(s["name"] not in ("开始", "结束", "办结") for s in steps)
    assert all(b["to"] is None or 1 <= b["to"] <= len(steps) for s in steps for b in s["branches"])
