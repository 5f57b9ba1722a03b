"""Publishing: the catalogue outputs, withheld powers, injection safety, the site in a real
browser, and the atomic build."""

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from powercat.output import clean_leftovers
from powercat.ingest.template import write_workbook

from .conftest import DATA, ROOT, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
MARKER = "绝密事项甲乙丙丁XQ7"
HYPERLINK = '=HYPERLINK("http://x")'
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def tricky_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "青川市文化广电和旅游局2025年权责清单.xlsx", folder)
    write_workbook(folder / "测试局.xlsx", {"name": "青川市测试局", "phone": "0888-1"}, [
        {"code": "T-XK-001", "name": HYPERLINK, "category": "行政许可", "basis": "【法律】《中华人民共和国行政许可法》第十二条",
         "statutory_limit": "20个工作日", "promised_limit": "＋5个工作日", "disclosure": "主动公开"},
        {"code": "T-CF-001", "name": SCRIPT, "category": "行政处罚", "basis": "@《中华人民共和国行政处罚法》第六十条",
         "disclosure": "主动公开"},
        {"code": "T-JC-999", "name": MARKER, "category": "行政检查", "basis": "【法律】《中华人民共和国保守国家秘密法》第十三条",
         "disclosure": "不予公开", "exemption": "国家秘密：" + MARKER + "的布局"},
    ])
    return folder


def _texts_of(path: Path) -> str:
    """Everything a reader could see in a file: text, xlsx XML parts, PDF text, file name."""
    out = [str(path)]
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            out += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
    elif path.suffix == ".pdf":
        out += [page.extract_text() or "" for page in PdfReader(path).pages]
    else:
        out.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


@needs_dot
def test_withheld_marker_in_no_public_file(tmp_path, tricky_inputs):
    out = tmp_path / "exports"
    result = run_cli("build", tricky_inputs, "--out", out, "--as-of", "2026-11-22")
    assert result.exit_code in (0, 1), result.stderr
    public = [p for p in (out / "public").rglob("*") if p.is_file()]
    assert len(public) > 30
    leaks = [p for p in public if MARKER in _texts_of(p)]
    assert leaks == []
    register = openpyxl.load_workbook(out / "internal" / "备案登记表.xlsx").active
    assert any(MARKER in str(c.value) for row in register.iter_rows() for c in row)


@needs_dot
def test_injection_is_inert_in_csv_xlsx_and_html(tmp_path, tricky_inputs):
    out = tmp_path / "cat"
    assert run_cli("catalogue", tricky_inputs, "--out", out).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((out / "catalogue-data.csv").read_bytes().decode("utf-8-sig"))))
    by_code = {r["code"]: r for r in rows}
    people = list(csv.DictReader(io.StringIO((out / "catalogue.csv").read_bytes().decode("utf-8-sig"))))
    assert [r["职权编码"] for r in people] == [r["code"] for r in rows]
    assert {r["职权名称"] for r in people} >= {"'" + HYPERLINK, SCRIPT}
    assert by_code["T-XK-001"]["name"] == "'" + HYPERLINK
    assert by_code["T-XK-001"]["promised_limit"] == "'＋5个工作日"
    assert by_code["T-CF-001"]["basis"].startswith("'@")
    book = openpyxl.load_workbook(out / "行政权力事项目录.xlsx")
    cells = [c for row in book["总目录"].iter_rows() for c in row if c.value == HYPERLINK]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    pages = [p.read_text(encoding="utf-8") for p in (out / "site").rglob("*.html")]
    assert all(SCRIPT not in page for page in pages)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in page for page in pages)
    data = json.loads((out / "catalogue.json").read_text(encoding="utf-8"))
    assert {d["name"] for d in data} >= {HYPERLINK, SCRIPT} and MARKER not in json.dumps(data, ensure_ascii=False)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"][0]["schema"]["primaryKey"] == ["id"] and package["resources"][0]["count"] == len(rows)


def test_catalogue_workbook_layout(tmp_path):
    assert run_cli("catalogue", DATA, "--out", tmp_path, "--format", "xlsx,csv").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "行政权力事项目录.xlsx")
    assert book.sheetnames[0] == "总目录" and len(book.sheetnames) == 6
    assert book.sheetnames[-1] == "责任事项与追责情形"
    summary = book["总目录"]
    # 责任事项 and 追责情形 cite their text, written once on its own sheet
    header = [c.value for c in summary[2]]
    cited = [r for r in range(3, summary.max_row + 1) if summary.cell(row=r, column=header.index("责任事项") + 1).value]
    duties = {summary.cell(row=r, column=header.index("责任事项") + 1).value for r in cited}
    narrative = book["责任事项与追责情形"]
    refs = {row[0].value: row[3].value for row in narrative.iter_rows(min_row=3)}
    assert duties and all(d.startswith("见责") and d[1:] in refs for d in duties)
    data = {r["code"]: r for r in csv.DictReader(io.StringIO((tmp_path / "catalogue.csv").read_bytes().decode("utf-8-sig")
                                                             .replace("职权编码", "code").replace("责任事项", "duty")))}
    first = summary.cell(row=cited[0], column=header.index("职权编码") + 1).value
    assert refs[summary.cell(row=cited[0], column=header.index("责任事项") + 1).value[1:]] == data[first]["duty"]
    assert summary.freeze_panes == "C3" and summary.auto_filter.ref.startswith("A2:")
    assert summary.page_setup.orientation == "landscape" and summary.print_title_rows == "$2:$2"
    assert summary.max_row == 2 + 86
    assert (tmp_path / "catalogue.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@needs_dot
def test_build_is_atomic_and_strict_publishes_nothing(tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    (out / ".powercat-output").write_text("")  # a previous build's folder
    (out / "catalogue.csv").write_text("kept")  # what a build writes: a marked folder holds only that
    result = run_cli("build", DATA, "--out", out, "--strict", "--as-of", "2026-11-22")
    assert result.exit_code == 1 and "未发布" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".powercat-output", "catalogue.csv"]
    # no staging left; the annotated copies the withdrawn run made wait in the rebuild cache
    assert sorted(p.name for p in tmp_path.glob(".exports.*")) == [".exports.powercat-cache"]  # (no lock file left)
    result = run_cli("build", DATA / "青川市文化广电和旅游局2025年权责清单.xlsx", "--out", out, "--strict",
                     "--as-of", "2026-11-22", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["published"] and set(summary["seconds"]) == {"读取清单", "审查", "流程图", "公开目录", "网站", "内部备案"}
    assert sorted(p.name for p in out.iterdir()) == [".powercat-output", "internal", "public"]
    assert sorted(p.name for p in (out / "public").iterdir()) == ["catalogue", "flowcharts", "site"]
    assert sorted(p.name for p in (out / "internal").iterdir()) == ["review", "备案登记表.xlsx"]


def test_leftovers_of_interrupted_builds_are_cleaned(tmp_path):
    out = tmp_path / "exports"
    (tmp_path / ".exports.building-123").mkdir()
    old = tmp_path / ".exports.old-456"
    old.mkdir()
    (old / "catalogue.csv").write_text("previous")
    clean_leftovers(out)  # the swap was cut after moving the old exports aside
    assert (out / "catalogue.csv").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]


def test_readme_screenshot_exists():
    assert (ROOT / "docs" / "images" / "site-search.png").is_file()
