import datetime as dt

import pytest

from powercat.ingest.text import cell_to_text, clean_block, clean_name, is_null, normalise_header, squeeze


@pytest.mark.parametrize("raw, want", [
    ("对拒绝\n配合统\n计调查", "对拒绝配合统计调查"),
    ("连续 2 次", "连续2次"),
    ("排 放 船 舶 的", "排放船舶的"),
    ("ISO 9001 认证", "ISO 9001认证"),
    ("\u3000行政\u2002处罚 ", "行政处罚"),
    ("  ", ""),
    ("a\u200bb", "ab"),
])
def test_squeeze(raw, want):
    assert squeeze(raw) == want


@pytest.mark.parametrize("raw", ["", " ", "/", "／", "无", " 无 ", "\n", "—"])
def test_null_markers(raw):
    assert is_null(raw)
    assert clean_name(raw) is None


def test_names_keep_full_width_punctuation():
    assert clean_name("种子生产经营许可证核发（农作物种子生产经营许可）") == "种子生产经营许可证核发（农作物种子生产经营许可）"
    assert clean_name("无线电台设置审批") == "无线电台设置审批"  # starts with 无 but is a name


def test_cell_to_text():
    assert cell_to_text(1.0) == "1"
    assert cell_to_text(2.5) == "2.5"
    assert cell_to_text(20) == "20"
    assert cell_to_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_to_text(dt.date(2024, 5, 1)) == "2024-05-01"
    assert cell_to_text(True) == "是"
    assert cell_to_text(None) == ""


def test_clean_block_joins_hard_wraps_and_keeps_structure():
    raw = "【法律】《 中华\n人民共和国行政\n处罚法》（2021年修订）\n第六十条：行政机关应当\n自行政处罚案件立案之日起九十日内作出\n行政处罚决定。\n【法规】《植物检疫条例》"
    assert clean_block(raw) == (
        "【法律】《中华人民共和国行政处罚法》（2021年修订）\n"
        "第六十条：行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。\n"
        "【法规】《植物检疫条例》"
    )


def test_clean_block_keeps_conditional_limits_apart():
    assert clean_block("告知承诺制：20个工作日\n非告知承诺制:10个工作日") == "告知承诺制：20个工作日\n非告知承诺制:10个工作日"
    assert clean_block("地州\n市级") == "地州市级"
    assert clean_block(" / ") is None


def test_normalise_header():
    assert normalise_header("事项\n名称") == "事项名称"
    assert normalise_header("序  号") == "序号"
    assert normalise_header("法定期限(天/日)") == normalise_header("法定期限（天/日）")
    assert normalise_header("*职权名称：") == "职权名称"


# a procedure numbers its steps in full-width, circled and Chinese forms: a line starting so is a
# new step (process/stages.py reads it as one), never joined to the step before
@pytest.mark.parametrize("start", ["１．审查", "１、审查", "①审查", "⑵审查", "⒉审查", "㈡审查", "第一步审查", "第2阶段：审查",
                                   "第三环节：审查", "（一）审查", "（２）审查", "2.审查", "二、审查"])
def test_clean_block_breaks_before_every_numbered_item_start(start):
    assert clean_block("受理申请材料\n" + start) == "受理申请材料\n" + start


@pytest.mark.parametrize("raw, want", [
    ("年满\n18周岁", "年满18周岁"),  # a number inside a sentence is no item
    ("收件\n第一次补正", "收件第一次补正"),  # 第一次 is not a step
    ("收件\n１２个工作日", "收件１２个工作日"),
])
def test_clean_block_still_joins_hard_wraps_before_numbers(raw, want):
    assert clean_block(raw) == want


def test_a_text_with_nothing_to_clean_is_its_own_clean_form(monkeypatch):
    """The fast path of clean_name and clean_block gives what the full cleaning gives."""
    import random
    import re

    from powercat.ingest import text as cleaning

    alphabet = ["事", "项", "A", "1", "/", "无", "-", "—", "*", " ", "\u3000", "\n", "\r", "\t", "\xa0",
                "\u200b", "\ufeff", "\xad", "\u202e", "\x07", "\ud800", "\uffff", "Ｎ", "ｎ", "n", "/", "\\"]
    rng = random.Random(24)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9))) for _ in range(4000)]
    texts += ["".join(rng.choice(alphabet[:9]) for _ in range(rng.randrange(4, 9))) for _ in range(1000)]  # plain
    texts += ["null", "N/A", "n/a", "——", "无 ", "对违反广告法规定行为的处罚", "【法律】《广告法》\n第六十四条"]
    fast = [(cleaning.clean_name.__wrapped__(t), cleaning.clean_block.__wrapped__(t)) for t in texts]
    monkeypatch.setattr(cleaning, "_NEEDS_CLEANING", re.compile(""))  # matches every text: the full cleaning
    full = [(cleaning.clean_name.__wrapped__(t), cleaning.clean_block.__wrapped__(t)) for t in texts]
    assert fast == full
    assert sum(not re.search(r"[\s\u200b\ufeff\xad\u202e\x07\ud800\uffff]", t) and len(t) > 4 for t in texts) > 500
