"""The block rule on small hand-made sheets, one layout quirk per test."""

from powercat.ingest.header import find_header
from powercat.ingest.items import column_letter, read_items
from powercat.ingest.workbook import build_grid

HEAD = ["序号", "事项名称", "子项名称", "权力类型", "实施依据", "行使主体"]


def items(rows, merges=(), name="Sheet1"):
    grid = build_grid(name, [list(r) for r in rows], [tuple(map(tuple, m)) for m in merges])
    header = find_header(grid)
    assert header is not None
    return [(p.source.row, p.name, p.sub_name, p.category) for p in read_items(grid, header, "f.xlsx", "某局")]


def test_title_rows_above_header_and_blank_spacer():
    rows = [["", "", "", "", "某局2024年权责清单"], [""] * 6, HEAD,
            [1.0, "甲许可", "", "行政许可", "依据", ""], [""] * 6, [2.0, "乙处罚", "/", "行政处罚", "依据", ""]]
    assert items(rows) == [(4, "甲许可", None, "行政许可"), (6, "乙处罚", None, "行政处罚")]


def test_merged_name_with_sub_item_merges_inside():
    # B4:B9 one name; C4:C6 and C7:C9 two 子项; the values under merges are ignored
    rows = [HEAD,
            [1, "矿山审查", "1.煤矿", "行政许可", "依据", "局"],
            ["", "隐藏值", "", "", "", ""], ["", "", "", "", "", ""],
            ["", "", "2.非煤矿山", "", "", ""], ["", "", "", "", "", ""], ["", "", "", "", "", ""],
            [2, "下一个", "", "行政检查", "", ""]]
    merges = [((1, 1), (6, 1)), ((1, 2), (3, 2)), ((4, 2), (6, 2)), ((1, 3), (6, 3)), ((1, 0), (6, 0))]
    assert items(rows, merges) == [
        (2, "矿山审查", "1.煤矿", "行政许可"), (5, "矿山审查", "2.非煤矿山", "行政许可"), (8, "下一个", None, "行政检查"),
    ]


def test_same_sub_repeated_in_merge_is_continuation():
    rows = [HEAD, [1, "甲", "子", "行政许可", "", ""], ["", "", "子", "", "", ""], [2, "乙", "", "行政许可", "", ""]]
    assert items(rows, [((1, 1), (2, 1))]) == [(2, "甲", "子", "行政许可"), (4, "乙", None, "行政许可")]


def test_name_carried_over_empty_unmerged_cell_for_a_further_sub_item():
    rows = [HEAD, [4, "中外合作", "1.设立", "行政许可", "", ""], ["", "", "2.变更", "", "", ""],
            ["", "", "3.终止", "行政许可", "", ""]]
    # B2:B3 merged, B4 empty and unmerged
    assert items(rows, [((1, 1), (2, 1))]) == [
        (2, "中外合作", "1.设立", "行政许可"), (3, "中外合作", "2.变更", "行政许可"), (4, "中外合作", "3.终止", "行政许可"),
    ]


def test_repeated_name_unmerged_is_a_new_item():
    rows = [HEAD, [1, "甲", "", "行政征收", "", "区级"], [2, "甲", "", "行政征收", "", "市级"]]
    assert [r[0] for r in items(rows)] == [2, 3]


def test_category_from_sheet_name_when_cell_empty():
    rows = [HEAD, [1, "甲", "", "", "", ""], [2, "乙", "", "\n行政处罚", "", ""], [3, "丙", "", "许可", "", ""]]
    got = items(rows, name="行政强制（21项）")
    assert [r[3] for r in got] == ["行政强制", "行政处罚", "行政许可"]


def test_section_heading_rows_set_the_category_and_are_not_items():
    head = ["序号", "事项名称", "子项名称", "实施依据", "行使主体"]
    rows = [head, ["一、行政许可", "", "", "", ""], [1, "甲", "", "", ""], ["二、行政处罚", "", "", "", ""],
            [1, "乙", "", "", ""], ["注：本清单动态调整", "", "", "", ""]]
    merges = [((1, 0), (1, 4)), ((3, 0), (3, 4)), ((5, 0), (5, 4))]
    assert items(rows, merges) == [(3, "甲", None, "行政许可"), (5, "乙", None, "行政处罚")]


def test_repeated_header_row_is_skipped():
    rows = [HEAD, [1, "甲", "", "行政许可", "", ""], HEAD, [2, "乙", "", "行政许可", "", ""]]
    assert [r[1] for r in items(rows)] == ["甲", "乙"]


def test_merges_beyond_the_last_stored_row_still_count():
    rows = [HEAD, [1, "甲", "", "行政许可", "依据", ""]]
    grid = build_grid("S", rows, [((1, 1), (6, 1)), ((1, 4), (6, 4))])
    assert grid.n_rows == 7 and grid.text(6, 4) == "依据"
    header = find_header(grid)
    powers = read_items(grid, header, "f", None)
    assert len(powers) == 1 and powers[0].last_row == 7


def test_fields_and_column_letters():
    rows = [HEAD, [1, "甲", "", "行政许可", "【法律】《行政许可法》\n第四十二条", ""]]
    grid = build_grid("S", rows, [])
    power = read_items(grid, find_header(grid), "f", "默认局")[0]
    assert power.basis == "【法律】《行政许可法》\n第四十二条"
    assert power.agency == "默认局"  # empty 行使主体 falls back to the workbook's agency
    assert power.columns["basis"] == "E" and power.columns["name"] == "B"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_only_the_fields_asked_for_are_read_and_the_rest_is_as_without():
    """`list` reads only the fields it shows: those are what a full read gives (cleaned texts, the
    agency's fallback, the merged cells, 1 / 1.0 / True kept apart), the others are left None."""
    head = HEAD + ["承办机构", "责任事项", "备注"]
    rows = [head,
            [1, "甲", "", "行政许可", " 依据\n第一条 ", "", 1, "责任", True],
            ["", "", "", "", "", "", 1.0, "", ""],
            [2, "乙", "", "行政处罚", "/", "某局", True, "责任", "无"]]
    grid = build_grid("S", rows, [((1, 1), (2, 1)), ((1, 4), (2, 4))])
    everything = read_items(grid, find_header(grid), "f", "默认局")
    shown = read_items(grid, find_header(grid), "f", "默认局", fields=frozenset({"basis", "agency", "office"}))
    assert [(p.basis, p.agency, p.office) for p in shown] == [(p.basis, p.agency, p.office) for p in everything] \
        == [("依据\n第一条", "默认局", "1"), (None, "某局", "是")]
    assert [p.duty for p in everything] == ["责任", "责任"] and [p.duty for p in shown] == [None, None]
    assert [(p.source, p.name, p.category, p.last_row, p.disclosure_status) for p in shown] == \
        [(p.source, p.name, p.category, p.last_row, p.disclosure_status) for p in everything]


def test_a_column_read_at_once_shows_what_each_cell_shows():
    """Grid.column_texts (the 运行流程 reader's path) agrees with Grid.text cell by cell, whatever
    the merges: one column tall, wide, overlapping, reaching past the last row."""
    import random

    rng = random.Random(24)
    for _ in range(200):
        n_rows, n_cols = rng.randint(1, 12), rng.randint(1, 6)
        rows = [[rng.choice(["", "甲", "乙", 3.0, 2.5, None, True]) for _ in range(rng.randint(0, n_cols))]
                for _ in range(n_rows)]
        merges = []
        for _ in range(rng.randint(0, 6)):
            r0, c0 = rng.randrange(n_rows + 2), rng.randrange(n_cols + 1)
            merges.append(((r0, c0), (r0 + rng.randint(0, 3), c0 + rng.choice([0, 0, 1, 2]))))
        grid = build_grid("s", rows, merges)
        for col in range(grid.n_cols):
            assert grid.column_texts(col) == [grid.text(row, col) for row in range(grid.n_rows)], (rows, merges, col)
