"""Incremental rebuilds on the 15 real lists (../shared/real-lists), side by side in one run:
a full build into a fresh --out, the same build again with nothing changed, and a build
after one cell of one list changed. Goal: the rebuilds take ≤ 10 % and ≤ 20 % of the full
build. Writes benchmarks/results/incremental.json.

    python benchmarks/bench_incremental.py [--jobs 2] [--lists ../shared/real-lists]
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

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-lists"
RESULTS = Path(__file__).resolve().parent / "results" / "incremental.json"
CHANGED = "克拉玛依市商务局2024年权责清单.xlsx"


def _build(lists: Path, out: Path, jobs: int, *extra: str) -> dict:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "powercat", "build", str(lists), "--out", str(out),
                           "--jobs", str(jobs), "--json", "--as-of", "2026-12-01", *extra],
                          capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    summary = json.loads(proc.stdout)
    return {"wall": round(wall, 2), "stages": summary["seconds"], "exit": proc.returncode}


def _change_one_cell(workbook: Path) -> None:
    import openpyxl

    from powercat.ingest import load

    power = load([str(workbook)]).powers[0]
    book = openpyxl.load_workbook(workbook)
    for cell in book[power.source.sheet][power.source.row]:
        if cell.value == power.name:
            cell.value = f"{power.name}（调整）"
            book.save(workbook)
            return
    raise SystemExit(f"no cell holds {power.name!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lists", type=Path, default=REAL, help="the folder of the 15 real lists")
    args = parser.parse_args()
    if not args.lists.is_dir():
        sys.exit(f"{args.lists} is absent")
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        lists = Path(tmp) / "lists"
        lists.mkdir()
        for path in args.lists.iterdir():
            if path.suffix in (".xls", ".xlsx"):
                shutil.copy(path, lists / path.name)
        out = Path(tmp) / "out"
        runs = {"full": _build(lists, out, args.jobs)}
        runs["nothing changed"] = _build(lists, out, args.jobs)
        _change_one_cell(lists / CHANGED)
        runs["one list changed"] = _build(lists, out, args.jobs)
        runs["clean build of the changed lists (--no-cache)"] = _build(lists, Path(tmp) / "clean", args.jobs,
                                                                        "--no-cache")
        cache = out.parent / f".{out.name}.powercat-cache"
        cache_mb = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) / 1e6
    full = runs["full"]["wall"]
    print(f"incremental build, 15 real lists, --jobs {args.jobs} (cache {cache_mb:.0f} MB)")
    for name, run in runs.items():
        print(f"  {name:48} {run['wall']:7.1f} s  {100 * run['wall'] / full:5.1f} %  exit {run['exit']}")
        print("     " + ", ".join(f"{k} {v:.1f}" for k, v in run["stages"].items()))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"jobs": args.jobs, "cache_mb": round(cache_mb, 1), "runs": runs,
                                   "percent_of_full": {k: round(100 * r["wall"] / full, 1) for k, r in runs.items()}},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
