"""A light public/: charts as SVG, printable as the agency booklet (each font once) or as the
browser's print of a power page; per-power PDFs (each with its own ~155 KB CJK font subset)
only with `--per-power-pdf`. Sizes measured in benchmarks/results/public-size.md."""

import hashlib
import html
import re
import shutil
import subprocess
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from powercat.pipeline.commands import build

from .conftest import DATA

pytestmark = pytest.mark.skipif(not (shutil.which("dot") and shutil.which("rsvg-convert")),
                                reason="Graphviz dot and rsvg-convert are needed")

# bytes of public/ per public power on data/: 102 KB measured with SVG-only charts, 256 KB
# with per-power PDFs (~154 KB each); the bound fails as soon as they come back
BOUND_PER_POWER = 130_000


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("light") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        result = build([str(DATA)], out, workers=2)
    assert result.published
    return result, out / "public"


def font_files(pdf: Path) -> Counter:
    """Digest → how many embedded font programs (FontFile, FontFile2, FontFile3) have it."""
    reader = PdfReader(pdf)
    found: Counter = Counter()
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry of the cross-reference table
            continue
        if hasattr(obj, "get") and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    found[hashlib.sha256(obj[key].get_object().get_data()).hexdigest()] += 1
    return found


def test_each_booklet_embeds_each_font_once(built):
    _result, public = built
    booklets = sorted((public / "flowcharts").glob("*.pdf"))
    assert len(booklets) >= 3
    for booklet in booklets:
        fonts = font_files(booklet)
        pages = len(PdfReader(booklet).pages)
        assert fonts and pages > 5, booklet.name
        # one program per typeface (regular, bold), not one per chart or per page
        assert max(fonts.values()) == 1 and len(fonts) <= 4, (booklet.name, fonts)


def test_public_has_no_per_power_pdf_and_stays_under_a_bound_per_power(built):
    result, public = built
    charts = public / "flowcharts"
    assert not [p for p in charts.rglob("*.pdf") if p.parent != charts]  # only the booklets
    assert len(list(charts.rglob("*.svg"))) == result.counts["public"]
    size = sum(p.stat().st_size for p in public.rglob("*") if p.is_file())
    assert size / result.counts["public"] < BOUND_PER_POWER, size


def _chart_page(public: Path) -> Path:
    return next(p for p in sorted((public / "site" / "powers").glob("*.html"))
                if 'class="chart"' in p.read_text(encoding="utf-8"))


def test_power_page_links_its_agency_booklet_and_offers_print(built):
    _result, public = built
    page = _chart_page(public)
    text = page.read_text(encoding="utf-8")
    href = re.search(r'<a class="booklet" href="([^"]+)"', text).group(1)
    target = (page.parent / urllib.parse.unquote(href)).resolve()
    assert target.is_file() and target.parent == (public / "flowcharts").resolve()
    assert 'class="pdf"' not in text and "window.print()" in text


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("pdftotext")),
                    reason="Chromium and pdftotext are needed")
def test_browser_print_puts_the_chart_whole_on_one_a4_page(built, tmp_path):
    from powercat.publish.guide import print_pdf

    _result, public = built
    page = _chart_page(public)
    printed = tmp_path / "page.pdf"
    print_pdf(shutil.which("chromium"), page, printed, timeout=120)
    reader = PdfReader(printed)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4
    texts = [subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), str(printed), "-"], capture_output=True,
                            text=True, check=True).stdout.replace("\n", "") for k in range(1, len(reader.pages) + 1)]
    svg = re.search(r'<figure class="chart">.*?</figure>', page.read_text(encoding="utf-8"), re.S).group(0)
    words = [html.unescape(w).strip() for w in re.findall(r"<text[^>]*>([^<]+)</text>", svg)]
    words = [w for w in words if len(w) >= 4]
    first, last = words[0][:6], words[-1][:6]
    on = [k for k, t in enumerate(texts) if "运行流程图" in t]
    assert len(on) == 1 and first in texts[on[0]] and last in texts[on[0]], (first, last, texts)
    # the chart starts its page: nothing of the fields table above it
    assert not any(first in t for k, t in enumerate(texts) if k != on[0] and "职权编码" not in t)


def test_per_power_pdf_option_writes_them_and_links_them(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = DATA / "青川市交通运输局权力清单.xlsx"
    result = build([str(source)], tmp_path / "out", workers=2, per_power_pdf=True)
    public = tmp_path / "out" / "public"
    charts = public / "flowcharts"
    pdfs = [p for p in charts.rglob("*.pdf") if p.parent != charts]
    assert len(pdfs) == result.counts["public"] > 5
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert 'class="pdf"' in _chart_page(public).read_text(encoding="utf-8")


def _fonttools() -> bool:
    try:
        import fontTools.subset.cff  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _fonttools(), reason="fontTools is needed to prune font programs")
def test_booklet_fonts_are_pruned_of_unused_subroutines(built):
    _result, public = built
    for booklet in sorted((public / "flowcharts").glob("*.pdf")):
        reader = PdfReader(booklet)
        sizes = [len(obj["/FontFile3"].get_object().get_data()) for obj in _descriptors(reader)]
        assert sizes and max(sizes) < 400_000, (booklet.name, sizes)  # ~1 MB each when cairo's


def _descriptors(reader):
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:
            continue
        if hasattr(obj, "get") and obj.get("/Type") == "/FontDescriptor" and "/FontFile3" in obj:
            yield obj


@pytest.mark.skipif(not (_fonttools() and shutil.which("pdftoppm")), reason="fontTools and pdftoppm are needed")
def test_pruned_font_draws_the_same_pixels(tmp_path):
    """cairo copies the Ideographs FD's 28,516 subroutines once a subset takes K, F and an
    ideograph (as a booklet with …XK… and …CF… codes does); pruned, the page is the same."""
    from pypdf import PdfWriter

    from powercat.render.dot import FONT
    from powercat.render.pdfmeta import slim_fonts

    svg = tmp_path / "k.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="60pt">'
                   f'<text x="10" y="30" font-family="{FONT}" font-size="14">519901202XK00100 行政处罚 CF00100</text>'
                   f'<text x="10" y="50" font-family="{FONT}" font-size="10" font-weight="bold">续 1/2</text></svg>',
                   encoding="utf-8")
    raw, slim = tmp_path / "raw.pdf", tmp_path / "slim.pdf"
    subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(raw), str(svg)], check=True)
    if raw.stat().st_size < 400_000:
        pytest.skip("this cairo no longer copies whole subroutine sets")
    writer = PdfWriter(clone_from=PdfReader(raw))
    assert slim_fonts(writer) > 500_000
    with open(slim, "wb") as handle:
        writer.write(handle)
    assert raw.stat().st_size > 500_000 > 5 * slim.stat().st_size
    pixels = []
    for pdf in (raw, slim):
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=True)
        pixels.append(pdf.with_suffix(".png").read_bytes())
    assert pixels[0] == pixels[1] and len(pixels[0]) > 1000
