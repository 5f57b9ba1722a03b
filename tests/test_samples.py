"""The demo's sample data reads as documented in data/README.md."""

from collections import Counter

from powercat.ingest import load

from .conftest import DATA


def test_sample_agencies_and_counts():
    catalogue = load([str(DATA)])
    assert not catalogue.unreadable
    counts = {f.agency.name: len(f.powers) for f in catalogue.files}
    assert counts == {"青川市交通运输局": 22, "青川市市场监督管理局": 24, "青川市应急管理局": 23, "青川市文化广电和旅游局": 19}
    for f in catalogue.files:
        if f.steps:
            with_steps = sum(1 for p in f.powers if p.steps)
            assert with_steps * 3 >= len(f.powers), f.path
            assert f.agency.credit_code and f.agency.phone


def test_standard_template_fields_and_steps():
    catalogue = load([str(DATA / "青川市市场监督管理局权力清单.xlsx")])
    powers = {p.title: p for p in catalogue.powers}
    food = powers["食品经营许可（食品经营许可证核发）"]
    assert food.code == "519901101XK00100" and food.category == "行政许可"
    assert food.statutory_limit == "20个工作日" and food.promised_limit == "10个工作日"
    assert food.basis.endswith("第三十五条第一款")
    assert [s.step_id for s in food.steps] == [str(i) for i in range(1, 9)]
    decision = food.steps[1]
    assert decision.kind == "判断" and decision.next == "材料齐全:3；需补正:7；不予受理:8"
    assert decision.source.sheet == "运行流程"
    assert len({p.code for p in catalogue.powers}) == len(catalogue.powers)


def test_withheld_items_are_marked():
    catalogue = load([str(DATA)])
    withheld = [p for p in catalogue.powers if p.is_withheld]
    assert [(p.name, bool(p.exemption)) for p in withheld] == [
        ("国防交通战备设施安全检查", True), ("应急救灾物资储备库安全检查", False),
    ]


def test_published_style_sample_merges():
    catalogue = load([str(DATA / "青川市文化广电和旅游局2025年权责清单.xlsx")])
    powers = catalogue.powers
    assert Counter(p.category for p in powers) == {"行政处罚": 7, "行政许可": 5, "行政检查": 3, "其他行政权力": 3, "行政强制": 1}
    shows = [p for p in powers if p.name == "营业性演出审批"]
    assert [(p.source.row, p.sub_name) for p in shows] == [
        (6, "1.文艺表演团体从事营业性演出活动审批"), (9, "2.演出经纪机构从事营业性演出经营活动审批"),
    ]
    # the district value stored under each merge is hidden, as Excel shows it
    assert {p.level for p in powers} == {"市级", "县级"}
    assert all(p.last_row == p.source.row + 2 for p in powers)
