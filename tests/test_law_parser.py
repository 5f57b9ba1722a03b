"""Numerals and the 实施依据 citation parser on hand-written cases of every form."""

import pytest

from powercat.law.citation import parse
from powercat.law.numerals import article_label, to_chinese, to_int


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("一百一十", 110), ("一百二十三", 123),
    ("两千", 2000), ("一千零一", 1001), ("一千二百六十", 1260), ("二〇二〇", 2020), ("12", 12), ("１２", 12),
    ("一万零五", 10005), ("abc", None), ("", None),
])
def test_to_int(text, value):
    assert to_int(text) == value


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 105, 110, 119, 120, 999, 1000, 1001, 1010, 1260])
def test_round_trip(n):
    assert to_int(to_chinese(n)) == n


def test_labels():
    assert article_label(133, 1) == "第一百三十三条之一"
    assert article_label(10) == "第十条"
    assert to_chinese(110) == "一百一十"


def labels(citation):
    return [a.label for a in citation.articles]


def test_tag_full_title_history_article_kuan_and_quote():
    [c] = parse("【法律】《中华人民共和国畜牧法》（2005年12月29日通过，2022年10月30日修订）\n"
                "第二十二条第一款：从事种畜禽生产经营的单位、个人，应当取得种畜禽生产经营许可证。")
    assert (c.tag, c.level, c.title) == ("法律", "法律", "中华人民共和国畜牧法")
    assert c.dates == ["2005-12-29", "2022-10-30"] and c.cited_date == "2022-10-30"
    assert labels(c) == ["第二十二条第一款"]
    assert c.articles[0].quote.startswith("从事种畜禽生产经营")


def test_tag_typos_spaces_and_line_breaks_inside_title():
    [c] = parse("【 法律】《 中华\n人民共和国行政\n处罚法》第六十条")
    assert (c.tag, c.title, labels(c)) == ("法律", "中华人民共和国行政处罚法", ["第六十条"])


def test_short_title_and_arabic_numerals():
    [c] = parse("《行政许可法》第42条")
    assert (c.tag, c.title, labels(c)) == (None, "行政许可法", ["第四十二条"])


def test_lists_and_ranges_and_missing_di():
    [c] = parse("【法规】《植物检疫条例》（国务院令第98号）第七条、第八条和第十条")
    assert labels(c) == ["第七条", "第八条", "第十条"] and c.doc_numbers == ["国务院令第98号"]
    [c] = parse("《中华人民共和国行政处罚法》第四十六条至第四十八条")
    assert labels(c) == ["第四十六条", "第四十七条", "第四十八条"]
    [c] = parse("《X条例》第四十六条、四十七条之规定：……")
    assert labels(c) == ["第四十六条", "第四十七条"]


def test_kuan_lists_and_items():
    [c] = parse("【法规】《X条例》第三十条第二款、第三款")
    assert labels(c) == ["第三十条第二款", "第三十条第三款"]
    [c] = parse("【法律】《刑法》第一百三十三条之一第一款第（二）项：在道路上驾驶机动车")
    ref = c.articles[0]
    assert (ref.num, ref.sub, ref.kuan, ref.xiang) == (133, 1, 1, 2)
    [c] = parse("《X法》第十条第一款第三项")
    assert (c.articles[0].kuan, c.articles[0].xiang) == (1, 3)


def test_chapters():
    [c] = parse("【规章】《Y办法》第五章")
    assert c.chapters == [5] and c.articles == []


def test_several_laws_each_with_its_tag_and_several_articles():
    cells = parse("【法律】《中华人民共和国食品安全法》\n第三十五条：国家对食品生产经营实行许可制度。\n"
                  "第一百二十二条：违反本法规定……\n【规章】《食品经营许可和备案管理办法》（2023年6月15日国家市场监督管理总局令第78号）\n"
                  "第十条：……")
    assert [(c.tag, c.title, labels(c)) for c in cells] == [
        ("法律", "中华人民共和国食品安全法", ["第三十五条", "第一百二十二条"]),
        ("规章", "食品经营许可和备案管理办法", ["第十条"]),
    ]
    assert cells[1].doc_numbers == ["国家市场监督管理总局令第78号"] and cells[1].dates == ["2023-06-15"]


def test_titles_listed_without_tags_with_doc_numbers():
    cells = parse("《固定资产投资项目节能审查办法》(国家发展改革委令2016年第44号)《浙江省实施办法》(浙政办发〔2020〕48号)")
    assert [c.title for c in cells] == ["固定资产投资项目节能审查办法", "浙江省实施办法"]
    assert cells[0].doc_numbers == ["国家发展改革委令2016年第44号"] and cells[0].dates == []  # a 文号 year is no version
    assert cells[1].doc_numbers == ["浙政办发〔2020〕48号"]


def test_mistyped_doc_number_brackets_are_not_tags():
    [c] = parse("【规范性文件】《关于印发某办法的通知》（新政发【2020】53号）第三条")
    assert (c.level, c.doc_numbers, labels(c)) == ("规范性文件", ["新政发【2020】53号"], ["第三条"])


def test_titles_and_articles_inside_quotes_are_not_citations():
    [c] = parse("【法规】《广播电视管理条例》\n第十八条：持有《广播电视节目传送业务经营许可证（无线）》的单位，"
                "违反本条例第二十二条规定的，依照《中华人民共和国行政处罚法》处理")
    assert c.title == "广播电视管理条例" and labels(c) == ["第十八条"]


def test_nested_title_marks_and_local_regulation():
    [c] = parse("【法规】《新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法》（2012年11月29日通过。）\n"
                "第二十二条第二款：禁止随意弃置。\n第四十二条：违反本办法第二十二条第二款规定的，责令改正")
    assert c.title == "新疆维吾尔自治区实施〈中华人民共和国动物防疫法〉办法"
    assert labels(c) == ["第二十二条第二款", "第四十二条"]
    assert c.articles[1].quote.startswith("违反本办法")


def test_plain_sentence_basis():
    [c] = parse("依据《中华人民共和国统计法》第十二条、第十三条的规定：……")
    assert (c.tag, c.title, labels(c)) == (None, "中华人民共和国统计法", ["第十二条", "第十三条"])


def test_year_only_history_keeps_its_precision():
    [c] = parse("【法律】《中华人民共和国大气污染防治法》（2015年8月修订通过，2018年修正）第九十九条")
    assert c.dates == ["2015-08", "2018"] and c.cited_date == "2018"


def test_no_citation():
    assert parse("") == [] and parse(None) == []
    assert [c.title for c in parse("【法规】（禁止使用童工规定》第四条")] == [""]


@pytest.mark.parametrize("cell", [
    "【规章】<<市场监督管理严重违法失信名单管理办法>>(2021年7月30日国家市场监管总局令第44号)\n第五条、第六条。",
    "【规章】＜＜市场监督管理严重违法失信名单管理办法＞＞（2021年7月30日）第五条、第六条",
])
def test_a_title_in_doubled_angle_brackets_is_a_marked_title(cell):
    [citation] = parse(cell)
    assert citation.title == "市场监督管理严重违法失信名单管理办法" and citation.tag == "规章"
    assert [a.num for a in citation.articles] == [5, 6] and citation.dates == ["2021-07-30"]
    assert cell[citation.start:].lstrip("<＜《 ").startswith("市场监督管理")  # offsets into the cell stay right


def test_angle_brackets_around_no_title_are_left_alone():
    assert [c.title for c in parse("当 a<<b 且 c>>d 时，依照《中华人民共和国行政许可法》第三条")] == ["中华人民共和国行政许可法"]
