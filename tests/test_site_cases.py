"""The site shows 动态公开 figures: each power page its yearly figures and recent masked
decisions, each agency page its on-time chart; no personal data reaches a page."""

import re
import shutil
from urllib.parse import unquote

import pytest

from .conftest import DATA, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
ID_CARD = re.compile(r"(?<![0-9])[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])[0-9]{2}[0-9]{3}[0-9Xx](?![0-9])")
PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


@needs_dot
def test_build_puts_case_figures_on_the_site(tmp_path):
    out = tmp_path / "exports"
    result = run_cli("build", DATA, "--out", out, "--as-of", "2026-01-15", "--no-booklet")
    assert result.exit_code in (0, 1), result.stderr
    site = out / "public" / "site"
    pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    with_figures = [p for p, text in pages.items() if "动态运行情况" in text]
    assert len(with_figures) > 20
    agency_charts = [p for p, text in pages.items() if "按时办结情况" in text and p.parent.name == "agencies"]
    assert len(agency_charts) >= 3
    for page in agency_charts:  # the chart each page shows is a file of public/cases
        src = unquote(re.search(r'<img src="([^"]+)"', pages[page]).group(1))
        assert (page.parent / src).resolve().is_file() and "/public/cases/" in str((page.parent / src).resolve())
    text = "".join(pages.values())
    assert re.search(r"<td>[\u4e00-\u9fff]\*+</td>", text)  # natural persons appear masked
    assert not ID_CARD.search(text) and not PHONE.search(text)
