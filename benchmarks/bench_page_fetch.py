"""The floor of a no-change rebuild's site stage: CPU seconds to put 1,000 cached power pages
(page + 办事指南, one cache entry each) back in place — stat, read + sha256, hard link, and the
whole `FileCache.fetch` — on the cache beside a built OUT.

    python benchmarks/bench_page_fetch.py OUT/../.OUT.powercat-cache [--pages 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from powercat.filecache import FileCache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    entries = [entry for shard in args.cache.iterdir() if shard.is_dir() and shard.name != ".incoming"
               for entry in shard.iterdir() if (entry / "0.html").is_file() and (entry / "1.html").is_file()]
    entries = entries[:args.pages]
    cache = FileCache(args.cache)
    # beside the cache: on its file system, so that links work as in a build
    with tempfile.TemporaryDirectory(dir=args.cache.parent, prefix=".bench-page-fetch-") as tmp:
        scratch = Path(tmp)
        figures = {}
        start = time.process_time()
        for entry in entries:
            os.stat(entry / "0.html"), os.stat(entry / "1.html")
        figures["stat"] = time.process_time() - start
        start = time.process_time()
        for entry in entries:
            for name in ("0.html", "1.html"):
                hashlib.sha256((entry / name).read_bytes()).hexdigest()
        figures["read + sha256"] = time.process_time() - start
        start = time.process_time()
        for i, entry in enumerate(entries):
            for name in ("0.html", "1.html"):
                os.link(entry / name, scratch / f"{i}-{name}")
        figures["link"] = time.process_time() - start
        for path in scratch.iterdir():
            path.unlink()
        start = time.process_time()
        for i, entry in enumerate(entries):
            if cache.fetch(entry.name, [scratch / f"{i}.html", scratch / f"{i}-guide.html"]) is None:
                raise SystemExit(f"{entry}: not a complete page entry")
        figures["FileCache.fetch"] = time.process_time() - start
        shutil.rmtree(scratch, ignore_errors=True)
    scale = 1000 / max(1, len(entries))
    print(f"{len(entries)} page entries; CPU s per 1,000 pages: "
          + ", ".join(f"{name} {seconds * scale:.3f}" for name, seconds in figures.items()))


if __name__ == "__main__":
    main()
