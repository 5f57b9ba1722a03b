"""Booklet size and time for each of the 15 shared lists, side by side in one run:

- powercat: `booklet.build_booklet` over the list's chart SVGs (A4 pages, cover, contents,
  page numbers, bookmarks), one `rsvg-convert` pass plus pypdf for the bookmarks;
- limit: `rsvg-convert -f pdf -o limit.pdf *.svg` over the same chart SVGs, nothing else;
- today (with `--base DIR`, a checkout of the base commit, e.g. made with
  `git archive 9d55f95 | tar -x -C DIR`): that code's booklet, from its own per-chart PDFs
  (charts rendered beforehand, untimed, as for the two above).

Goal: size ≤ 1.3× the limit's, time no worse than today's.

    python benchmarks/bench_booklet.py [--lists ../shared/real-lists] [--base DIR] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from powercat.ingest import load  # noqa: E402
from powercat.render import flowcharts  # noqa: E402
from powercat.render.booklet import Entry, build_booklet  # noqa: E402

# run in a child with PYTHONPATH=<base checkout>: renders that code's charts, times its booklet
_BASE = r"""
import json, sys, tempfile, time
from pathlib import Path
from powercat.ingest import load
from powercat.render import flowcharts
from powercat.render.booklet import Entry, build_booklet
catalogue = load([sys.argv[1]])
out = Path(sys.argv[2])
charts = flowcharts.plan(catalogue, out)
flowcharts.render(catalogue, charts, ("pdf",), workers=4, booklet=False, out_dir=out)
entries = [Entry(c.power.title, c.power.code, c.power.category, c.outputs[0]) for c in charts if not c.withheld]
start = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp:
    build_booklet(charts[0].agency if charts else "x", entries, out / "booklet.pdf", tmp)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "bytes": (out / "booklet.pdf").stat().st_size, "pages": len(entries) + 2}))
"""


def measure(path: Path, work: Path, base: Path | None) -> dict:
    catalogue = load([str(path)])
    charts = [c for c in flowcharts.plan(catalogue, work / "charts") if not c.withheld]
    flowcharts.render(catalogue, charts, ("svg",), workers=4, booklet=False, out_dir=work / "charts")
    svgs = [c.outputs[0] for c in charts]
    row = {"list": path.name, "charts": len(svgs)}
    if not svgs:
        return row

    details = flowcharts._details(charts)
    entries = [Entry(c.power.title, c.power.code, c.power.category, svg, d) for c, svg, d in zip(charts, svgs, details)]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        booklet = build_booklet(charts[0].agency, entries, work / "powercat.pdf", tmp)
    row["powercat_s"] = time.perf_counter() - start
    row["powercat_bytes"] = booklet.stat().st_size
    row["powercat_pages"] = len(__import__("pypdf").PdfReader(booklet).pages)

    start = time.perf_counter()
    subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(work / "limit.pdf"), *svgs], check=True)
    row["limit_s"] = time.perf_counter() - start
    row["limit_bytes"] = (work / "limit.pdf").stat().st_size

    if base is not None:
        env = {**os.environ, "PYTHONPATH": str(base)}
        proc = subprocess.run([sys.executable, "-c", _BASE, str(path), str(work / "base")], capture_output=True,
                              text=True, env=env, cwd=str(base))
        if proc.returncode == 0:
            today = json.loads(proc.stdout.strip().splitlines()[-1])
            row["today_s"], row["today_bytes"] = today["seconds"], today["bytes"]
        else:
            row["today_error"] = proc.stderr.strip()[-300:]
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lists", default=str(HERE.parent.parent / "shared" / "real-lists"))
    parser.add_argument("--base", help="a checkout of the base commit, for today's booklet")
    parser.add_argument("--only", help="only lists whose file name contains this")
    parser.add_argument("--json", help="also write the rows here")
    args = parser.parse_args()
    if shutil.which("rsvg-convert") is None:
        sys.exit("rsvg-convert is missing: sudo apt-get install librsvg2-bin")
    lists = sorted(p for p in Path(args.lists).iterdir() if p.suffix in (".xls", ".xlsx", ".csv"))
    if args.only:
        lists = [p for p in lists if args.only in p.name]
    rows = []
    header = f"{'list':<44} {'charts':>6} {'powercat':>16} {'limit':>16} {'size×':>6} {'today':>17} {'time vs today':>13}"
    print(header)
    for path in lists:
        with tempfile.TemporaryDirectory(prefix="bench-booklet-") as tmp:
            row = measure(path, Path(tmp), Path(args.base) if args.base else None)
        rows.append(row)
        if "powercat_s" not in row:
            print(f"{row['list'][:44]:<44} {row['charts']:>6}  (no public charts)")
            continue
        ratio = row["powercat_bytes"] / row["limit_bytes"]
        today = (f"{row['today_bytes'] / 1e6:7.1f} MB {row['today_s']:6.1f} s" if "today_s" in row else
                 ("error" if "today_error" in row else "—"))
        versus = f"{row['powercat_s'] / row['today_s']:.2f}×" if "today_s" in row else "—"
        print(f"{row['list'][:44]:<44} {row['charts']:>6} {row['powercat_bytes'] / 1e6:6.2f} MB {row['powercat_s']:5.1f} s "
              f"{row['limit_bytes'] / 1e6:6.2f} MB {row['limit_s']:5.1f} s {ratio:5.2f}× {today:>17} {versus:>13}",
              flush=True)
    done = [r for r in rows if "powercat_s" in r]
    if done:
        size = sum(r["powercat_bytes"] for r in done) / sum(r["limit_bytes"] for r in done)
        worst = max(r["powercat_bytes"] / r["limit_bytes"] for r in done)
        print(f"\nall lists: size {size:.2f}× the limit's (worst {worst:.2f}×; goal ≤ 1.3×); "
              f"time {sum(r['powercat_s'] for r in done):.1f} s vs limit {sum(r['limit_s'] for r in done):.1f} s", end="")
        if all("today_s" in r for r in done):
            print(f" vs today {sum(r['today_s'] for r in done):.1f} s "
                  f"({sum(r['today_bytes'] for r in done) / 1e6:.0f} MB today, "
                  f"{sum(r['powercat_bytes'] for r in done) / 1e6:.1f} MB now)")
        else:
            print()
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
