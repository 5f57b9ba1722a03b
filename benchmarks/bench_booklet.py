"""Booklet size and time for each of the 15 shared lists, side by side in one run:

- powercat: `booklet.build_booklet` over the list's chart SVGs (A4 pages, cover, contents,
  page numbers, bookmarks), one `rsvg-convert` pass plus pypdf for the bookmarks;
- limit: `rsvg-convert -f pdf -o limit.pdf *.svg` over the same chart SVGs, nothing else;
- today (with `--base DIR`, a checkout of the base commit, e.g. made with
  `git archive 9d55f95 | tar -x -C DIR`): that code's booklet, from its own per-chart PDFs
  (charts rendered beforehand, untimed, as for the two above).

Goal: size ≤ 1.3× the limit's, time no worse than today's. Wall time and CPU time (this
process and its children) are both shown: on a busy machine CPU time is the steadier one.

    python benchmarks/bench_booklet.py [--lists ../shared/real-lists] [--base DIR] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from powercat.ingest import load  # noqa: E402
from powercat.publish.records import public_records  # noqa: E402
from powercat.render import flowcharts  # noqa: E402
from powercat.render.booklet import Entry, build_booklet  # noqa: E402

# run in a child with PYTHONPATH=<base checkout>: renders that code's charts, times its booklet
_BASE = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
from powercat.ingest import load
from powercat.render import flowcharts
from powercat.render.booklet import Entry, build_booklet
catalogue = load([sys.argv[1]])
out = Path(sys.argv[2])
charts = flowcharts.plan(catalogue, out)
flowcharts.render(catalogue, charts, ("pdf",), workers=4, booklet=False, out_dir=out)
entries = [Entry(c.power.title, c.power.code, c.power.category, c.outputs[0]) for c in charts if not c.withheld]
def cpu():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
start, cpu0 = time.perf_counter(), cpu()
with tempfile.TemporaryDirectory() as tmp:
    build_booklet(charts[0].agency if charts else "x", entries, out / "booklet.pdf", tmp)
seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu0
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "bytes": (out / "booklet.pdf").stat().st_size}))
"""


def cpu() -> float:
    """CPU seconds of this process and its finished children: steadier than wall time on a
    busy machine."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(path: Path, work: Path, base: Path | None) -> dict:
    catalogue = load([str(path)])
    public = [record.power for record in public_records(catalogue)]
    charts = [c for c in flowcharts.plan(catalogue, work / "charts", public=public) if not c.withheld]
    flowcharts.render(catalogue, charts, ("svg",), workers=4, booklet=False, out_dir=work / "charts")
    svgs = [c.outputs[0] for c in charts]
    row = {"list": path.name, "charts": len(svgs)}
    if not svgs:
        return row

    details = flowcharts._details(charts)
    entries = [Entry(c.power.title, c.power.code, c.power.category, svg, d) for c, svg, d in zip(charts, svgs, details)]
    start, cpu0 = time.perf_counter(), cpu()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        booklet = build_booklet(charts[0].agency, entries, work / "powercat.pdf", tmp)
    row["powercat_s"], row["powercat_cpu"] = time.perf_counter() - start, cpu() - cpu0
    row["powercat_bytes"] = booklet.stat().st_size
    row["powercat_pages"] = len(__import__("pypdf").PdfReader(booklet).pages)

    start, cpu0 = time.perf_counter(), cpu()
    subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(work / "limit.pdf"), *svgs], check=True)
    row["limit_s"], row["limit_cpu"] = time.perf_counter() - start, cpu() - cpu0
    row["limit_bytes"] = (work / "limit.pdf").stat().st_size

    if base is not None:
        env = {**os.environ, "PYTHONPATH": str(base)}
        proc = subprocess.run([sys.executable, "-c", _BASE, str(path), str(work / "base")], capture_output=True,
                              text=True, env=env, cwd=str(base))
        if proc.returncode == 0:
            today = json.loads(proc.stdout.strip().splitlines()[-1])
            row["today_s"], row["today_cpu"], row["today_bytes"] = today["seconds"], today["cpu"], today["bytes"]
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
    header = (f"{'list':<40} {'charts':>6} {'powercat MB, s (cpu)':>22} {'limit MB, s (cpu)':>22} {'size×':>6} "
              f"{'today MB, s (cpu)':>23} {'cpu vs today':>12}")
    print(header)
    for path in lists:
        with tempfile.TemporaryDirectory(prefix="bench-booklet-") as tmp:
            row = measure(path, Path(tmp), Path(args.base) if args.base else None)
        rows.append(row)
        if "powercat_s" not in row:
            print(f"{row['list'][:44]:<44} {row['charts']:>6}  (no public charts)")
            continue
        ratio = row["powercat_bytes"] / row["limit_bytes"]
        today = (f"{row['today_bytes'] / 1e6:6.1f} {row['today_s']:6.1f} ({row['today_cpu']:5.1f})" if "today_s" in row
                 else ("error" if "today_error" in row else "—"))
        versus = f"{row['powercat_cpu'] / row['today_cpu']:.2f}×" if "today_s" in row else "—"
        print(f"{row['list'][:40]:<40} {row['charts']:>6} {row['powercat_bytes'] / 1e6:6.2f} {row['powercat_s']:6.1f} "
              f"({row['powercat_cpu']:5.1f}) {row['limit_bytes'] / 1e6:6.2f} {row['limit_s']:6.1f} ({row['limit_cpu']:5.1f}) "
              f"{ratio:5.2f}× {today:>23} {versus:>12}", flush=True)
    done = [r for r in rows if "powercat_s" in r]
    if done:
        def total(key: str) -> float:
            return sum(r[key] for r in done)
        size = total("powercat_bytes") / total("limit_bytes")
        worst = max(r["powercat_bytes"] / r["limit_bytes"] for r in done)
        print(f"\nall lists: size {size:.2f}× the limit's (worst {worst:.2f}×; goal ≤ 1.3×); "
              f"powercat {total('powercat_s'):.1f} s ({total('powercat_cpu'):.1f} s cpu), "
              f"limit {total('limit_s'):.1f} s ({total('limit_cpu'):.1f} s cpu)")
        if all("today_s" in r for r in done):
            print(f"today: {total('today_s'):.1f} s ({total('today_cpu'):.1f} s cpu), "
                  f"{total('today_bytes') / 1e6:.0f} MB; now {total('powercat_bytes') / 1e6:.1f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
