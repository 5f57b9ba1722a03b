"""The catalogue files people open: a workbook that prints without clipping, open data
with Chinese CSV headers and an English data package, one agency name everywhere."""

import csv
import io
import json
import re
import shutil
import urllib.parse

import openpyxl
import pytest

from powercat.ingest import load
from powercat.ingest.agency import resolve_agency, settle_agencies
from powercat.ingest.template import write_workbook as write_template
from powercat.publish import opendata, spreadsheet
from powercat.publish.records import FIELDS, public_records
from powercat.xlsxstyle import wrapped_lines

from .conftest import DATA, run_cli

LONG = "【法律】《中华人民共和国公路法》第四十四条：" + "任何单位和个人不得擅自占用、挖掘公路。" * 260


def _catalogue(tmp_path, lists):
    folder = tmp_path / "in"
    folder.mkdir()
    for n, (info, rows) in enumerate(lists):
        write_template(folder / f"{n}.xlsx", info, rows)
    catalogue = load([str(folder)])
    return catalogue


def _row(code, name, **extra):
    return {"code": code, "name": name, "category": "行政许可", "basis": "《中华人民共和国公路法》第四十四条",
            "disclosure": "主动公开", **extra}


def _estimated_scale(sheet) -> float:
    """Print scale that fit-to-width gives: column widths (≈7 px a unit + 5 px) against the
    printable width of the paper, landscape, inside the margins."""
    paper_mm = {int(sheet.PAPERSIZE_A3): 420, int(sheet.PAPERSIZE_A4): 297}[int(sheet.page_setup.paperSize)]
    printable = paper_mm - 25.4 * (sheet.page_margins.left + sheet.page_margins.right)
    used = {c.column_letter for row in sheet.iter_rows(min_row=2, max_row=2) for c in row}
    px = sum(7 * sheet.column_dimensions[c].width + 5 for c in used)
    return min(1.0, printable / (px * 25.4 / 96))


def _check_printable(book):
    assert len(set(book.sheetnames)) == len(book.sheetnames) and all(len(n) <= 31 for n in book.sheetnames)
    for sheet in book.worksheets:
        widths = {k: d.width for k, d in sheet.column_dimensions.items()}
        for row in sheet.iter_rows(min_row=3):
            height = sheet.row_dimensions[row[0].row].height
            assert height <= 409
            for cell in row:
                if cell.value:
                    assert 15 * wrapped_lines(cell.value, int(widths[cell.column_letter])) + 3 <= height + 0.01, \
                        (sheet.title, cell.coordinate)
        assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows == "$2:$2"
        if sheet.title != spreadsheet.FULL_TEXT_SHEET:
            assert sheet.page_setup.orientation == "landscape" and _estimated_scale(sheet) >= 0.75, sheet.title


def test_long_text_goes_to_the_full_text_sheet_and_is_linked(tmp_path):
    catalogue = _catalogue(tmp_path, [({"name": "青川市交通运输局"}, [
        _row("T-1", "公路施工许可", basis=LONG), _row("T-2", "公路占用许可")])])
    records = public_records(catalogue)
    target = tmp_path / "目录.xlsx"
    spreadsheet.write_workbook(records, target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["总目录", "青川市交通运输局", "依据全文"]
    _check_printable(book)
    summary = book["总目录"]
    header = [c.value for c in summary[2]]
    assert "子项名称" not in header  # a column no record fills is left out
    cell = summary.cell(row=3, column=header.index("实施依据") + 1)
    assert cell.value.startswith("【法律】《中华人民共和国公路法》第四十四条") and "全文见“依据全文”第3行" in cell.value
    assert cell.hyperlink.location == "'依据全文'!A3"
    agency_sheet = book["青川市交通运输局"]
    column = [c.value for c in agency_sheet[2]].index("实施依据") + 1
    assert agency_sheet.cell(row=3, column=column).hyperlink.location == "'依据全文'!A3"  # the text is written once
    full = book["依据全文"]
    pieces = [row[4].value for row in full.iter_rows(min_row=3) if row[0].value == "T-1"]
    assert len(pieces) >= 2 and re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", LONG)
    assert full.cell(row=3, column=4).value.startswith("实施依据（1/")


@pytest.mark.slow
def test_real_lists_print_without_clipping(tmp_path, real_lists):
    catalogue = load([str(real_lists)])
    settle_agencies(catalogue)
    records = public_records(catalogue)
    target = tmp_path / "目录.xlsx"
    spreadsheet.write_workbook(records, target)
    book = openpyxl.load_workbook(target)
    _check_printable(book)
    linked = [c for row in book["总目录"].iter_rows(min_row=3) for c in row if c.hyperlink]
    assert linked and all(c.hyperlink.location.startswith("'依据全文'!A") for c in linked)


def test_csv_headers_are_chinese_and_the_data_package_english(tmp_path):
    records = public_records(load([str(DATA)]))
    paths = opendata.write_open_data(records, tmp_path)
    people = list(csv.reader(io.StringIO(paths["csv"].read_bytes().decode("utf-8-sig"))))
    assert people[0] == [title for _k, title, _w in FIELDS] and people[0][:4] == ["标识", "实施主体", "职权编码", "职权名称"]
    data = list(csv.reader(io.StringIO(paths["data-csv"].read_bytes().decode("utf-8-sig"))))
    assert data[0] == [key for key, _t, _w in FIELDS] and data[1:] == people[1:]
    package = json.loads(paths["datapackage"].read_text(encoding="utf-8"))
    resource = package["resources"][0]
    assert resource["path"] == "catalogue-data.csv" and resource["count"] == len(records) == len(data) - 1
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == data[0] and [f["title"] for f in fields] == people[0]
    assert set(json.loads(paths["json"].read_text(encoding="utf-8"))[0]) == set(data[0])


def test_agency_name_from_the_column_when_it_agrees(tmp_path):
    catalogue = _catalogue(tmp_path, [
        # the column names one agency the title row does not: the column wins
        ({"name": "青川市档案局"}, [_row("A-1", "档案查阅", agency="青川市委办公室（市档案局）"),
                                   _row("A-2", "档案移交", agency="青川市委办公室（市档案局）")]),
        # short form of the list's own name: the full name
        ({"name": "青川市应急管理局"}, [_row("B-1", "安全许可", agency="市应急管理局"), _row("B-2", "安全检查")]),
        # a generic level name, and rows that disagree: the 单位信息 name
        ({"name": "青川市商务局"}, [_row("C-1", "备案", agency="地州市商务主管部门")]),
        ({"name": "青川市自然资源局"}, [_row("D-1", "用地审批", agency="青川市自然资源局"),
                                     _row("D-2", "征收", agency="青川市人民政府（青川市自然资源局承办）")]),
    ])
    assert [resolve_agency(f) for f in catalogue.files] == [
        "青川市委办公室（市档案局）", "青川市应急管理局", "青川市商务局", "青川市自然资源局"]
    settle_agencies(catalogue)
    by_code = {r.power.code: r for r in public_records(catalogue)}
    assert {c: (r.agency, r.value("agency")) for c, r in by_code.items()} == {
        "A-1": ("青川市委办公室（市档案局）",) * 2, "A-2": ("青川市委办公室（市档案局）",) * 2,
        "B-1": ("青川市应急管理局",) * 2, "B-2": ("青川市应急管理局",) * 2, "C-1": ("青川市商务局",) * 2,
        "D-1": ("青川市自然资源局",) * 2, "D-2": ("青川市自然资源局", "青川市人民政府（青川市自然资源局承办）")}


def test_agency_option_overrides_everywhere(tmp_path):
    out = tmp_path / "cat"
    result = run_cli("catalogue", DATA / "青川市应急管理局权力清单.xlsx", "--out", out, "--format", "csv,json,html",
                     "--agency", "青川市应急管理局（青川市地震局）")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((out / "catalogue.csv").read_bytes().decode("utf-8-sig"))))
    assert {r["实施主体"] for r in rows} == {"青川市应急管理局（青川市地震局）"}
    pages = [p.name for p in (out / "site" / "agencies").glob("*.html")]
    assert pages == ["青川市应急管理局(青川市地震局).html"]


def test_one_agency_name_across_csv_site_and_booklets(tmp_path):
    out = tmp_path / "cat"
    assert run_cli("catalogue", DATA, "--out", out, "--format", "csv,html").exit_code == 0
    rows = list(csv.DictReader(io.StringIO((out / "catalogue.csv").read_bytes().decode("utf-8-sig"))))
    headings = {re.search(r"<h1>(.*?)</h1>", p.read_text(encoding="utf-8")).group(1)
                for p in (out / "site" / "agencies").glob("*.html")}
    assert {r["实施主体"] for r in rows} == headings and len(headings) == 4


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_build_layout_links_resolve_after_the_swap(tmp_path):
    """OUT/public/{catalogue,site,flowcharts} as `powercat build` lays them out: every link
    of every page resolves, also after the folder is moved (the build's atomic swap)."""
    from powercat.pipeline import Pipeline, Run
    from powercat.pipeline.stages import CatalogueFiles, Charts, Records, Site

    catalogue = load([str(DATA / "青川市交通运输局权力清单.xlsx")])
    settle_agencies(catalogue)
    public = tmp_path / "building" / "public"
    with Pipeline() as pipeline:  # the stages of build that lay out OUT/public
        pipeline.run([Records(), Charts(public / "flowcharts"), CatalogueFiles(public / "catalogue"),
                      Site(public / "site", flowcharts_dir=public / "flowcharts")],
                     Run([], products={"catalogue": catalogue}))
    (tmp_path / "building").rename(tmp_path / "exports")
    site_dir = tmp_path / "exports" / "public" / "site"
    checked, kinds = 0, set()
    for page in site_dir.rglob("*.html"):
        for href in re.findall(r'href="([^"#?]+)"', page.read_text(encoding="utf-8")):
            target = (page.parent / urllib.parse.unquote(href)).resolve()
            assert target.is_file(), (page.name, href)
            assert site_dir.parent in target.parents  # nothing outside the public folder
            kinds.add(target.suffix)
            checked += 1
    assert checked > 100 and {".html", ".svg", ".pdf", ".xlsx", ".csv", ".json", ".db", ".css"} <= kinds
    agency_pages = list((site_dir / "agencies").glob("*.html"))
    assert len(agency_pages) == 1 and all('class="booklet"' in p.read_text(encoding="utf-8") for p in agency_pages)


def _pages(path):
    import importlib.util

    from .conftest import ROOT

    spec = importlib.util.spec_from_file_location("print_pages", ROOT / "scripts" / "print_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.workbook_pages(str(path))


def test_open_data_carries_every_field_the_site_shows_with_version_and_licence(tmp_path):
    from powercat.publish.database import write_database
    from powercat.publish.site import _LABELS

    from .two_level import write_two_level

    catalogue = load([str(write_two_level(tmp_path))])
    settle_agencies(catalogue)
    records = public_records(catalogue)
    keys = {key for key, _title, _width in FIELDS}
    assert {key for key, _label in _LABELS} <= keys  # every field of a power page
    paths = opendata.write_open_data(records, tmp_path / "out")
    rows = list(csv.DictReader(io.StringIO(paths["data-csv"].read_bytes().decode("utf-8-sig"))))
    first = rows[0]
    assert first["duty"].startswith("1.受理责任：") and first["accountability"].startswith("因不履行或不正确履行")
    assert first["office"] == "地（州、市）人防办" and first["level"] == "地（州、市）级"
    assert {r["version"] for r in rows} == {"2023年版"}  # the list's version line under its title
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data[0]["duty"] == first["duty"]
    package = json.loads(paths["datapackage"].read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and "注明数据来源" in package["licenses"][0]["title"]
    db = write_database(records, tmp_path / "out" / "c.db")
    import sqlite3

    with sqlite3.connect(db) as conn:
        got = conn.execute("select duty, accountability, version from powers order by id").fetchall()
    assert len(got) == 4 and all(d and a and v == "2023年版" for d, a, v in got)


def test_catalogue_workbook_prints_several_powers_a_page(tmp_path):
    """The print estimate (scripts/print_pages.py: paper, fit-to-width, row heights): no
    row is a page of its own; the sample's 86 powers print on a few A3 pages."""
    records = public_records(load([str(DATA)]))
    target = tmp_path / "目录.xlsx"
    spreadsheet.write_workbook(records, target)
    pages = _pages(target)
    assert pages["总目录"] * 4 <= len(records), pages
    book = openpyxl.load_workbook(target)
    summary = book["总目录"]
    assert max(summary.row_dimensions[r].height for r in range(3, summary.max_row + 1)) <= 15 * spreadsheet.PRINT_LINES + 3
    assert int(summary.page_setup.paperSize) == int(summary.PAPERSIZE_A3) and summary.print_title_rows == "$2:$2"


def test_full_text_sheet_is_keyed_by_code(tmp_path):
    catalogue = _catalogue(tmp_path, [({"name": "青川市交通运输局"}, [
        _row("T-1", "公路施工许可", basis=LONG), _row("", "公路占用许可", basis=LONG + "另")])])
    spreadsheet.write_workbook(public_records(catalogue), tmp_path / "目录.xlsx")
    full = openpyxl.load_workbook(tmp_path / "目录.xlsx")["依据全文"]
    keys = {row[0].value for row in full.iter_rows(min_row=3)}
    assert keys == {"T-1", "（无编码，总目录第2项）"}


@pytest.mark.slow
def test_real_lists_print_at_six_powers_a_page(tmp_path, real_lists):
    """Before: 2,172 real powers on 932 A3 pages of 总目录 (Excel's 409-point rows, two a page)."""
    catalogue = load([str(real_lists)])
    settle_agencies(catalogue)
    records = public_records(catalogue)
    target = tmp_path / "目录.xlsx"
    spreadsheet.write_workbook(records, target)
    pages = _pages(target)
    assert pages["总目录"] * 5 <= len(records), pages
    assert pages["责任事项与追责情形"] <= 120 and pages["依据全文"] <= 400, pages


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_catalogue_site_has_per_power_pdfs_only_when_asked(tmp_path):
    """`catalogue` draws SVG charts for its site, as `build` does; --per-power-pdf adds the PDFs
    (and each power page links its own)."""
    one = DATA / "青川市交通运输局权力清单.xlsx"
    plain, with_pdf = tmp_path / "plain", tmp_path / "pdf"
    assert run_cli("catalogue", one, "--out", plain, "--format", "html").exit_code == 0
    assert run_cli("catalogue", one, "--out", with_pdf, "--format", "html", "--per-power-pdf").exit_code == 0
    svgs = list((plain / "site").rglob("*.svg"))
    assert svgs and not list((plain / "site").rglob("*.pdf"))
    pdfs = list((with_pdf / "site").rglob("*.pdf"))
    assert len(pdfs) == len(list((with_pdf / "site").rglob("*.svg"))) == len(svgs)
    page = next((with_pdf / "site" / "powers").glob("*.html")).read_text(encoding="utf-8")
    assert 'class="pdf"' in page
