"""A list for two levels (地县两级指导目录): its agency from its title, never its file name,
each power keeping its level, and the levels told apart on the site and in the booklet."""

import json

import pytest

from powercat.ingest import load
from powercat.ingest.agency import settle_agencies
from powercat.publish import site
from powercat.publish.records import level_tags, public_records

from .two_level import AGENCY, FILE_NAME, SECRET, write_two_level


@pytest.mark.parametrize("layout", ["column", "sections"])
def test_agency_from_title_and_each_power_keeps_its_level(tmp_path, layout):
    path = write_two_level(tmp_path, layout)
    catalogue = load([str(path)])
    settle_agencies(catalogue)
    source = catalogue.files[0]
    assert source.error is None and source.agency.name == AGENCY
    powers = source.powers
    assert len(powers) == 6
    assert [p.level for p in powers] == ["地（州、市）级"] * 3 + ["县（市、区）级"] * 3
    assert {p.agency for p in powers} == {AGENCY}  # 地州市人民防空主管部门 names a kind, not an agency
    # the basis on the continuation row under the merged name belongs to the first power
    assert "补建或者补偿" in powers[0].basis
    records = public_records(catalogue)
    assert {r.agency for r in records} == {AGENCY} and not any(".xls" in r.agency for r in records)
    assert len(records) == 4 and SECRET not in json.dumps([r.as_dict() for r in records], ensure_ascii=False)
    tags = level_tags(records)
    assert sorted(tags.values()) == ["（县市区级）", "（县市区级）", "（地州市级）", "（地州市级）"]


def test_agency_without_a_title_is_never_the_file_name_with_extension(tmp_path):
    path = write_two_level(tmp_path)
    plain = tmp_path / "清单.xlsx"
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    book = load_workbook(path)
    sheet = book.active
    sheet.unmerge_cells(start_row=1, start_column=1, end_row=1, end_column=sheet.max_column)
    sheet["A1"] = None
    for row in sheet.iter_rows(min_row=4):  # no 实施主体 column values either
        if not isinstance(row[7], MergedCell):
            row[7].value = None
    book.save(plain)
    path.unlink()
    records = public_records(load([str(plain)]))
    assert {r.agency for r in records} == {"清单"}


def test_site_tells_levels_apart_and_links_the_booklet(tmp_path):
    path = write_two_level(tmp_path, "sections")
    catalogue = load([str(path)])
    settle_agencies(catalogue)
    records = public_records(catalogue)
    booklet = tmp_path / "booklet.pdf"
    booklet.write_bytes(b"%PDF-1.4\n%%EOF\n")
    out = tmp_path / "site"
    site.write_site(records, out, links=site.Links(booklets={AGENCY: booklet}), guides=False)
    agency_page = (out / "agencies" / f"{AGENCY}.html").read_text(encoding="utf-8")
    assert "流程图汇编（PDF）" in agency_page and "booklet.pdf" in agency_page
    assert agency_page.count("（地州市级）") == 2 and agency_page.count("（县市区级）") == 2
    assert "共 4 项，其中地州市级 2 项、县市区级 2 项" in agency_page
    rows = json.loads((out / "search" / "r" / "0.js").read_text(encoding="utf-8")[len("PC.rows(0,"):-3])
    titles = [row[1] for row in rows]
    assert "人民防空工程拆除审批（地州市级）" in titles and "人民防空工程拆除审批（县市区级）" in titles
    ids = {row[1]: row[0] for row in rows}
    page = (out / "powers" / f"{ids['人民防空工程拆除审批（县市区级）']}.html").read_text(encoding="utf-8")
    assert "<h1>人民防空工程拆除审批（县市区级）</h1>" in page and FILE_NAME not in page


def test_booklet_entries_name_their_level(tmp_path):
    from powercat.publish.records import public_records
    from powercat.render.flowcharts import _details, plan

    path = write_two_level(tmp_path, "column")
    catalogue = load([str(path)])
    settle_agencies(catalogue)
    charts = plan(catalogue, tmp_path / "charts", public=[r.power for r in public_records(catalogue)])
    assert {c.agency for c in charts} == {AGENCY}
    assert _details(charts) == ["地州市级", "地州市级", "县市区级", "县市区级"]


def test_level_tags_only_for_levels():
    from powercat.ingest.levels import level_in, level_tag

    assert level_tag("地（州、市）级") == "地州市级" and level_tag("县（市、区）级") == "县市区级"
    assert level_tag("地州市级；负责对外劳务合作经营资格初审") == "地州市级"
    # duties typed into 行使层级 (real lists do) name no level
    assert level_tag("负责本级办公用房管理工作") == "" and level_tag("负责市本级公共机构节能监督检查工作") == ""
    assert level_in("一、地（州、市）级") == "地（州、市）级" and level_in("（二）县(市、区)级") == "县（市、区）级"
    assert level_in("二、行政处罚") is None and level_in("县级以上人民政府卫生健康主管部门依照本法规定负责监督管理的事项") is None


def test_the_usual_level_goes_without_saying():
    from powercat.ingest.levels import shown_levels

    # a real list: 310 powers at 地州市级 and one at 自治区级 — only the odd one is named
    assert shown_levels(["地州市级"] * 310 + ["自治区级"]) == [""] * 310 + ["自治区级"]
    assert shown_levels(["地州市级", "县市区级"] * 3) == ["地州市级", "县市区级"] * 3
    assert shown_levels(["市级"] * 5 + [""]) == [""] * 6
