"""Pagefind (PyPI `pagefind[extended]`, with its CJK segmentation) beside powercat's own
index, on the same site opened from file:// in headless Chromium — how a citizen opens a
site copied to a USB stick or a shared folder — and over http:// for comparison.

    pip install 'pagefind[extended]'
    python benchmarks/pagefind_file_url.py [SITE_DIR]   (default: a site from data/)
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out">…</pre>
<script type="module">
const out = document.getElementById("out");
const started = performance.now();
try {
  const pagefind = await import("./pagefind/pagefind.js");
  await pagefind.init();
  const search = await pagefind.search("公路");
  const first = search.results.length ? await search.results[0].data() : null;
  out.textContent = "ok " + search.results.length + " " + Math.round(performance.now() - started) + "ms " + (first ? first.url : "");
} catch (e) { out.textContent = "error " + e; }
</script></body></html>"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def run(url: str) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        messages = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(url)
        page.wait_for_function("() => document.getElementById('out').textContent !== '…'", timeout=30_000)
        text = page.inner_text("#out")
        browser.close()
    return text + ("  [console: " + messages[0][:120] + "]" if messages else "")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 1:
            site = Path(tmp) / "site"
            shutil.copytree(sys.argv[1], site)
        else:
            subprocess.run([sys.executable, "-m", "powercat", "catalogue", "data", "--out", tmp, "--format", "html"],
                           check=True, capture_output=True)
            site = Path(tmp) / "site"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "zh"],
                       check=True, capture_output=True)
        print(f"pagefind indexed {site} in {time.perf_counter() - started:.1f} s")
        (site / "pagefind-test.html").write_text(PAGE, encoding="utf-8")
        print("file://  →", run((site / "pagefind-test.html").as_uri()))
        handler = functools.partial(Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            print("http://  →", run(f"http://127.0.0.1:{server.server_address[1]}/pagefind-test.html"))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
