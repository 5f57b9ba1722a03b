"""The public site in headless Chromium from file://, as a citizen uses it, at 1366 px and
at 390 px: multi-term and citation search, filters, a power page with its full-size chart,
the 办事指南, and every download link resolving to a file. Also the search index on its
own, agency pages for names that sanitise alike, and the SQLite database in Datasette."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from powercat.ingest import load
from powercat.ingest.agency import settle_agencies
from powercat.law.citation import parse
from powercat.publish import search, site
from powercat.publish.records import public_records
from powercat.publish.search import law_key

from .conftest import DATA, ROOT, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
SHOTS = os.environ.get("POWERCAT_SCREENSHOTS")  # e.g. docs/images: also write the README screenshots there


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    out = tmp_path_factory.mktemp("catalogue")
    result = run_cli("catalogue", DATA, "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def _browser(p):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (make test installs it)")
    return p.chromium.launch(executable_path=chromium, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"])


def _expected(out, test):
    return sorted(r["name"] for r in json.loads((out / "catalogue.json").read_text(encoding="utf-8")) if test(r))


def _cites(record, law, article):
    return any(law_key(c.title) == law and any(a.num == article for a in c.articles) for c in parse(record["basis"]))


def _settled(page):
    """Waits until the shown results are those of the current query and filters."""
    page.wait_for_function("() => document.body.getAttribute('data-query') === [document.querySelector('#q').value.trim(), "
                           "document.querySelector('#agency').value, document.querySelector('#category').value].join('|')")


def _search(page, query):
    page.fill("#q", query)
    _settled(page)
    return sorted(page.locator("#catalogue tbody td[data-col='1']").all_inner_texts())


def _links_resolve(page):
    """Every link on the page points to a file that exists."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    missing = []
    for href in hrefs:
        url = urllib.parse.urlparse(href)
        assert url.scheme == "file", href
        if not Path(urllib.parse.unquote(url.path)).is_file():
            missing.append(href)
    assert missing == []
    return hrefs


def _shot(page, tmp_path, name, full_page=False):
    page.screenshot(path=str(tmp_path / name), full_page=full_page)
    if SHOTS:
        page.screenshot(path=str(ROOT / SHOTS / name), full_page=full_page)


@needs_dot
def test_site_at_1366(published, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    index = published / "site" / "index.html"
    with sync_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(index.as_uri())
        page.wait_for_function("() => document.body.getAttribute('data-ready')")
        assert page.inner_text("#count").startswith("共 86 项")
        downloads = _links_resolve(page)
        names = {urllib.parse.unquote(h.rsplit("/", 1)[-1]) for h in downloads}
        assert {"行政权力事项目录.xlsx", "catalogue.csv", "catalogue.json", "datapackage.json", "catalogue.db"} <= names

        # several terms at once, spaced or not: over name, category, agency and cited laws
        want = _expected(published, lambda r: ("许可" in r["name"] or "许可" in r["category"]) and
                         ("公路" in r["name"] or "公路" in r["agency"] or any("公路" in c.title for c in parse(r["basis"]))))
        found = _search(page, "许可 公路")
        assert found == want and {"占用、挖掘公路或者使公路改线审批", "跨越、穿越公路修建桥梁、渡槽或者架设、埋设管线等设施审批"} <= set(found)
        assert _search(page, "许可公路") == want
        assert page.inner_text("#count") == f"找到 {len(want)} 项"
        _shot(page, tmp_path, "site-search.png")

        # a citation, written three ways
        cited = _expected(published, lambda r: _cites(r, "道路运输条例", 63))
        assert len(cited) == 3
        assert _search(page, "道路运输条例第六十三条") == cited
        assert _search(page, "《中华人民共和国道路运输条例》第63条") == cited
        assert _search(page, "公路法第七十六条") == _expected(published, lambda r: _cites(r, "公路法", 76))
        assert _search(page, "公路法第九百条") == []
        assert page.is_visible("#empty")

        # filters with and without a query; empty columns hidden
        _search(page, "安全生产法")
        total = int(page.inner_text("#count").split()[1])
        page.select_option("#category", label="行政处罚")
        _settled(page)
        fewer = int(page.inner_text("#count").split()[1])
        assert 0 < fewer < total
        assert all(t == "行政处罚" for t in page.locator("#catalogue tbody td[data-col='2']").all_inner_texts())
        assert page.is_hidden("th[data-col='5']")  # no 承诺时限 among these penalties
        page.fill("#q", "")
        page.select_option("#agency", label="青川市应急管理局")
        _settled(page)
        agency_rows = page.locator("#catalogue tbody td[data-col='3']").all_inner_texts()
        assert agency_rows and set(agency_rows) == {"青川市应急管理局"}
        page.select_option("#agency", value="")
        page.select_option("#category", value="")

        # a power page, its chart full size and its downloads
        _search(page, "道路运输条例第六十三条")
        page.click("#catalogue tbody a >> nth=0")
        page.wait_for_load_state()
        assert page.locator("figure.chart svg").count() == 1
        hrefs = _links_resolve(page)
        # SVG only by default (no per-power PDF, as build): the page prints its chart instead
        assert any(h.endswith(".svg") for h in hrefs) and not any(h.endswith(".pdf") for h in hrefs)
        assert page.locator("button.print").count() == 1
        _shot(page, tmp_path, "site-power.png", full_page=True)
        full = page.get_attribute("a.full", "href")
        guide = page.get_attribute("a.guide", "href")
        page.goto(urllib.parse.urljoin(page.url, full))
        width = page.evaluate("document.documentElement.getBoundingClientRect().width")
        assert page.evaluate("document.documentElement.tagName") == "svg" and width > 400
        back = urllib.parse.urljoin(page.url, "../powers/x.html")
        page.goto(urllib.parse.urljoin(back, guide))
        assert "办事指南" in page.inner_text("p.kind") and page.locator("ol.steps li").count() >= 2
        _links_resolve(page)
        _shot(page, tmp_path, "guide.png", full_page=True)
        page.emulate_media(media="print")
        assert page.is_hidden("nav.back")

        page.goto((published / "site" / "agencies" / "青川市应急管理局.html").as_uri())
        assert page.locator("ol.powers li").count() == 22
        _links_resolve(page)
        browser.close()
    assert all(url.startswith("file://") for url in requests)  # nothing from the network


@needs_dot
def test_site_at_390(published, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    index = published / "site" / "index.html"
    with sync_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                has_touch=True)
        page.goto(index.as_uri())
        page.wait_for_function("() => document.body.getAttribute('data-ready')")
        fits = "() => document.documentElement.scrollWidth <= window.innerWidth"
        assert page.evaluate(fits)
        for selector in ("#q", "#agency", "#category", "nav.downloads"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        _links_resolve(page)
        found = _search(page, "许可 公路")
        assert "占用、挖掘公路或者使公路改线审批" in found
        assert page.evaluate(fits)
        # the cards show only fields with a value
        assert page.locator("#catalogue tbody tr >> nth=0").locator("td:visible").count() >= 3
        assert all(t.strip() for t in page.locator("#catalogue tbody td:visible").all_inner_texts())
        _shot(page, tmp_path, "site-mobile.png")
        page.click("text=占用、挖掘公路或者使公路改线审批")
        page.wait_for_load_state()
        assert page.evaluate(fits)
        figure = page.locator("figure.chart").bounding_box()
        assert figure["width"] <= 390
        _shot(page, tmp_path, "site-power-mobile.png")
        svg_href = page.get_attribute("a.full", "href")
        page.goto(urllib.parse.urljoin(page.url, svg_href))
        assert page.evaluate("document.documentElement.getBoundingClientRect().width") > 390  # full size, scrollable
        browser.close()


@needs_dot
def test_guides_print_one_page_each(tmp_path):
    """办事指南 as PDF: one A4 page per power, its own title on it, an agency collection, and
    the power and agency pages link to them."""
    from pypdf import PdfReader

    if shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (make test installs it)")
    catalogue = load([str(DATA / "青川市交通运输局权力清单.xlsx")])
    settle_agencies(catalogue)
    records = public_records(catalogue)
    site.write_site(records, tmp_path / "site", guide_pdf=True)
    guides = tmp_path / "site" / "guides"
    for record in records:
        reader = PdfReader(guides / f"{record.id}.pdf")
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
        text = unicodedata.normalize("NFKC", "".join(reader.pages[0].extract_text().split()))  # Kangxi radicals in ToUnicode
        assert record.power.code in text and "监督投诉" in text and "办理流程" in text
    combined = PdfReader(guides / "汇编-青川市交通运输局.pdf")
    assert len(combined.pages) == len(records)
    agency = (tmp_path / "site" / "agencies" / "青川市交通运输局.html").read_text(encoding="utf-8")
    assert 'class="guides" href="../guides/%E6%B1%87%E7%BC%96-' in agency
    power = (tmp_path / "site" / "powers" / f"{records[0].id}.html").read_text(encoding="utf-8")
    assert f'href="../guides/{records[0].id}.pdf"' in power


def _records(tmp_path, agencies):
    from powercat.ingest.template import write_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    for n, name in enumerate(agencies):
        write_workbook(folder / f"{n}.xlsx", {"name": name}, [
            {"code": f"X-{n}-1", "name": f"公路建设项目施工许可{n}", "category": "行政许可",
             "basis": "【法律】《中华人民共和国公路法》（2017年修正）第二十五条", "disclosure": "主动公开"},
            {"code": f"X-{n}-2", "name": "对擅自占用公路的处罚", "category": "行政处罚",
             "basis": "《中华人民共和国公路法》第七十六条、第八十一条", "disclosure": "主动公开"}])
    catalogue = load([str(folder)])
    settle_agencies(catalogue)
    return public_records(catalogue)


def test_agencies_that_sanitise_alike_get_pages_of_their_own(tmp_path):
    records = _records(tmp_path, ["甲局/乙", "甲局:乙", "青川市测试局#2<b>"])
    site.write_site(records, tmp_path / "site", guides=False)
    pages = sorted((tmp_path / "site" / "agencies").glob("*.html"))
    assert len(pages) == 3
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert sum("<h1>甲局/乙</h1>" in t for t in texts) == 1 and sum("<h1>甲局:乙</h1>" in t for t in texts) == 1
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    manifest = json.loads(index.split("window.PC_MANIFEST = ", 1)[1].split(";</script>", 1)[0])
    slugs = [slug for _name, slug in manifest["agencies"]]
    assert len(set(slugs)) == 3 and all(f"{s}.html" in {p.name for p in pages} for s in slugs)
    assert "<b>" not in index and "青川市测试局#2&lt;b&gt;" in index
    for page in [tmp_path / "site" / "index.html", *(tmp_path / "site" / "powers").glob("*.html")]:
        for href in re.findall(r'href="([^"?]+)"', page.read_text(encoding="utf-8")):
            assert (page.parent / urllib.parse.unquote(href)).is_file(), href


def test_search_index_tokens_and_shards(tmp_path):
    records = _records(tmp_path, ["青川市交通运输局"])
    tokens = search.record_tokens(records[1], records[1].agency)
    assert {"公路法", "公路法§76", "公路法§81", "处罚", "x-0-2", "公路", "占用"} <= tokens
    assert "中华人民共和国公路法" not in tokens and "公路法§25" not in tokens
    assert search.law_key("中华人民共和国公路法（2017年修正）") == "公路法"
    ids = [0, 1, 2, 3, 9, 40, 41, 100000]
    assert search.decode(search.encode(ids)) == ids and search.encode(list(range(5000))) == "0.3uv"
    postings = {f"公路{i:04d}": search.encode([i]) for i in range(3000)} | {"公": "0", "许可": "1"}
    shards, split = search.split_shards(postings)
    assert "公" in split and all(len(json.dumps(s, ensure_ascii=False).encode()) <= search.SHARD_BYTES * 1.2
                                 for s in shards.values())
    assert sorted(t for s in shards.values() for t in s) == sorted(postings)  # every token in exactly one shard


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_serves_the_database_with_full_text_search(tmp_path):
    pytest.importorskip("datasette")
    out = tmp_path / "cat"
    assert run_cli("catalogue", DATA, "--out", out, "--format", "sqlite").exit_code == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(out / "catalogue.db"), "--metadata",
                               str(out / "metadata.json"), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        query = urllib.parse.urlencode({"_search": "许可 公路", "_shape": "array", "_col": "name"})
        url = f"http://127.0.0.1:{port}/catalogue/powers.json?{query}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.loads(response.read())
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.3)
        names = {r["name"] for r in rows}
        assert "占用、挖掘公路或者使公路改线审批" in names and all("公路" in n for n in names)
        cite = urllib.parse.urlencode({"_search": "公路法76", "_shape": "array"})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/catalogue/powers.json?{cite}", timeout=5) as response:
            cited = json.loads(response.read())
        assert len(cited) == 2 and all("公路法" in r["basis"] for r in cited)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_guide_basis_in_short_and_steps(tmp_path):
    from powercat.publish.guide import basis_short, guide_context

    assert basis_short("【法律】《中华人民共和国公路法》（2017年修正）第四十四条第二款：……《营业执照》……\n"
                       "【法规】《公路安全保护条例》第二十七条、第二十七条\n《中华人民共和国公路法》第八十一条") == [
        "《中华人民共和国公路法》第四十四条第二款、第八十一条", "《公路安全保护条例》第二十七条"]
    records = public_records(load([str(DATA / "青川市交通运输局权力清单.xlsx")]))
    penalty = next(r for r in records if r.power.steps and r.power.category == "行政处罚")
    steps = guide_context(penalty)["steps"]
    assert [s["name"] for s in steps] == [s.name for s in penalty.power.steps][: len(steps)]  # first and last kept
    assert all(s["name"] not in ("开始", "结束", "办结") for r in records for s in guide_context(r)["steps"])


@pytest.fixture(scope="module")
def two_level_build(tmp_path_factory):
    """`powercat build` of a 地县两级指导目录 beside a sample list: booklets included."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    from .two_level import write_two_level

    folder = tmp_path_factory.mktemp("lists")
    write_two_level(folder, "sections")
    shutil.copy(DATA / "青川市交通运输局权力清单.xlsx", folder)
    out = tmp_path_factory.mktemp("build") / "out"
    result = run_cli("build", folder, "--out", out, "--as-of", "2026-12-01")
    assert result.exit_code in (0, 1), result.stderr
    return out / "public"


def _rows_in_order(page):
    return page.locator("#catalogue tbody td[data-col='1']").all_inner_texts()


@needs_dot
def test_search_synonyms_code_tails_ranking_and_back(two_level_build, tmp_path):
    from .two_level import AGENCY

    sync_api = pytest.importorskip("playwright.sync_api")
    index = two_level_build / "site" / "index.html"
    with sync_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(index.as_uri())
        page.wait_for_function("() => document.body.getAttribute('data-ready')")
        # 人防, 人民防空 and 国动办 name the same powers; the two levels of each stay apart
        civil = ["人民防空工程拆除审批（县市区级）", "人民防空工程拆除审批（地州市级）",
                 "对擅自拆除人民防空工程的处罚（县市区级）", "对擅自拆除人民防空工程的处罚（地州市级）"]
        assert _search(page, "人民防空") == sorted(civil)
        assert _search(page, "人防") == sorted(civil)
        assert _search(page, "国动办") == sorted(civil)
        # the tail of a long code
        assert _search(page, "217CF00200") == sorted(civil[2:])
        assert "对不符合条件的人员驾驶道路运输经营车辆的处罚" in _search(page, "CF00200")  # 519901202CF00200 too
        assert _search(page, "7XK00100") == sorted(civil[:2])
        # ranked: names holding the query first, then those found by agency or basis
        _search(page, "公路")
        shown = _rows_in_order(page)
        holding = [t for t in shown if "公路" in t]
        assert holding and shown[:len(holding)] == holding and len(shown) > len(holding)
        _search(page, "拆除人民防空工程 处罚")
        assert _rows_in_order(page)[0].startswith("对擅自拆除人民防空工程的处罚")
        # the query stays in the address: Back from a power page returns to the results
        assert "q=" in page.url and "%E5%A4%84%E7%BD%9A" in page.url
        before = _rows_in_order(page)
        page.click("#catalogue tbody a >> nth=0")
        page.wait_for_load_state()
        assert "/powers/" in page.url
        page.go_back()
        page.wait_for_function("() => document.body.getAttribute('data-ready')")
        _settled(page)
        assert page.input_value("#q") == "拆除人民防空工程 处罚" and _rows_in_order(page) == before
        _shot(page, tmp_path, "site-search-levels.png")
        # the agency page: named from the title, levels apart, its booklet linked
        page.goto((two_level_build / "site" / "agencies" / f"{AGENCY}.html").as_uri())
        assert page.inner_text("h1") == AGENCY
        assert page.locator("a.booklet").count() == 1
        _links_resolve(page)
        browser.close()


@needs_dot
def test_two_level_agency_page_on_a_phone(two_level_build, tmp_path):
    from .two_level import AGENCY

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                has_touch=True)
        page.goto((two_level_build / "site" / "agencies" / f"{AGENCY}.html").as_uri())
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        items = page.locator("ol.powers li").all_inner_texts()
        assert sum("（地州市级）" in t for t in items) == 2 and sum("（县市区级）" in t for t in items) == 2
        assert page.locator("a.booklet").is_visible()
        _shot(page, tmp_path, "site-two-level-agency-mobile.png", full_page=True)
        page.click("text=人民防空工程拆除审批（县市区级）")
        page.wait_for_load_state()
        assert page.inner_text("h1") == "人民防空工程拆除审批（县市区级）"
        assert "县（市、区）级" in page.inner_text("table.fields")
        _shot(page, tmp_path, "site-two-level-power-mobile.png")
        browser.close()
