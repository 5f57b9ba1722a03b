"""The site at province scale (benchmarks/make_province.py, 100,000 powers): time to write
it, index page weight, and time from typing a query to the first result in headless
Chromium from file://, side by side with the previous design (every row inline in the
index page, filtered by a script) as the peer.

    python benchmarks/make_province.py benchmarks/out/province --agencies 50 --powers 2000
    python benchmarks/bench_site.py benchmarks/out/province
"""

from __future__ import annotations

import argparse
import html
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from powercat.ingest import load  # noqa: E402
from powercat.ingest.agency import settle_agencies  # noqa: E402
from powercat.publish import site  # noqa: E402
from powercat.publish.records import public_records  # noqa: E402

QUERIES = ["许可 公路", "公路法第四十二条", "安全生产法", "990000012", "第07厅 检查"]
PEER_JS = """
var rows = Array.prototype.slice.call(document.querySelectorAll("#catalogue tbody tr"));
document.getElementById("q").addEventListener("input", function (e) {
  var words = e.target.value.replace(/\\s+/g, "").toLowerCase(), shown = 0;
  rows.forEach(function (row) { var ok = row.getAttribute("data-text").indexOf(words) !== -1; row.hidden = !ok; if (ok) shown++; });
  document.getElementById("count").textContent = "显示 " + shown + " 项";
  document.body.setAttribute("data-ready", words);
});
"""


def write_peer(records, out: Path) -> Path:
    """The previous index page: every row inline with its search text."""
    rows = []
    for r in records:
        p = r.power
        text = "".join(f"{p.title}{p.code or ''}{r.agency}{p.category}{p.basis or ''}".split()).lower()[:600]
        rows.append(f'<tr data-text="{html.escape(text)}"><td>{html.escape(p.code or "")}</td>'
                    f'<td><a href="powers/{r.id}.html">{html.escape(p.title)}</a></td><td>{html.escape(p.category)}</td>'
                    f'<td>{html.escape(r.agency)}</td></tr>')
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><input id="q"><span id="count"></span>'
            '<table id="catalogue"><tbody>' + "\n".join(rows) + f"</tbody></table><script>{PEER_JS}</script></body></html>")
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(page, encoding="utf-8")
    return out / "index.html"


def first_result_ms(page, query: str, peer: bool) -> float:
    page.fill("#q", "")
    started = page.evaluate("performance.now()")
    page.fill("#q", query)
    if peer:
        page.wait_for_function("q => document.body.getAttribute('data-ready') === q.replace(/\\s+/g, '').toLowerCase()",
                               arg=query, timeout=120_000)
    else:
        page.wait_for_function("q => document.body.getAttribute('data-query') === q + '||'", arg=query, timeout=120_000)
    return page.evaluate("performance.now()") - started


def measure(index: Path, peer: bool) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        started = time.perf_counter()
        page.goto(index.as_uri(), timeout=600_000)
        page.wait_for_load_state("load", timeout=600_000)
        loaded = (time.perf_counter() - started) * 1000
        times = {}
        for query in QUERIES:
            times[query] = first_result_ms(page, query, peer)
        counts = page.inner_text("#count")
        browser.close()
    return {"load_ms": loaded, "query_ms": times, "last_count": counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("province", type=Path)
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: measure the site already there")
    args = parser.parse_args()
    started = time.perf_counter()
    catalogue = load([str(args.province)])
    settle_agencies(catalogue)
    records = public_records(catalogue)
    print(f"{len(records)} public powers, loaded in {time.perf_counter() - started:.1f} s", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "site"
        started = time.perf_counter()
        if args.reuse and args.keep and (args.keep / "index.html").is_file():
            index = args.keep / "index.html"
            shutil.copytree(site.ASSETS, out / "assets", dirs_exist_ok=True)
        else:
            index = site.write_site(records, out)
        written = time.perf_counter() - started
        search_files = list((out / "search").rglob("*.js"))
        shard_sizes = [f.stat().st_size for f in search_files if f.parent.name == "t"]
        print(f"site written in {written:.1f} s; index.html {index.stat().st_size / 1024:.1f} KB; "
              f"{len(shard_sizes)} token shards (median {statistics.median(shard_sizes) / 1024:.1f} KB, "
              f"max {max(shard_sizes) / 1024:.1f} KB), {sum(f.stat().st_size for f in search_files) / 2**20:.1f} MB index",
              flush=True)
        ours = measure(index, peer=False)
        peer_index = write_peer(records, Path(tmp) / "peer")
        print(f"peer index.html {peer_index.stat().st_size / 2**20:.1f} MB", flush=True)
        theirs = measure(peer_index, peer=True)
        ours_kb, peer_kb = index.stat().st_size / 1024, peer_index.stat().st_size / 1024
    print(f"{'':22}{'powercat':>12}{'inline peer':>14}{'ratio':>8}")
    print(f"{'index page KB':22}{ours_kb:12.1f}{peer_kb:14.1f}{peer_kb / ours_kb:8.0f}")
    print(f"{'page load ms':22}{ours['load_ms']:12.0f}{theirs['load_ms']:14.0f}{theirs['load_ms'] / ours['load_ms']:8.1f}")
    for query in QUERIES:
        a, b = ours["query_ms"][query], theirs["query_ms"][query]
        print(f"{'first result ' + query:22}{a:12.0f}{b:14.0f}{b / a:8.1f}")


if __name__ == "__main__":
    main()
