"""Incremental rebuilds, side by side in one run: a full build into a fresh --out, the same
build again with nothing changed, a build after one cell of one list changed, and a clean
build (--no-cache) of the changed lists. Goal: the rebuilds take ≤ 10 % and ≤ 20 % of the
full build (≤ 5 % at a province's 100,000 powers). With `--trees BEFORE AFTER` each step is
run by both trees in turn (before, after, before, after …), each on its own copy of the
lists, so that both see the same load. The primary figure is CPU seconds (user + sys of the
build and everything it ran: dot, rsvg-convert); wall is distorted by other work.

    python benchmarks/bench_incremental.py [--jobs 2] [--lists ../shared/real-lists]
        [--trees /work/base-inc /work/wt-inc] [--changed NAME] [--no-clean] [--results NAME]
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
REAL = HERE.parents[1] / "shared" / "real-lists"
CHANGED = "克拉玛依市商务局2024年权责清单.xlsx"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _build(tree: Path, lists: Path, out: Path, jobs: int, *extra: str) -> dict:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(tree)}
    cpu, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "powercat", "build", str(lists), "--out", str(out),
                           "--jobs", str(jobs), "--json", "--as-of", "2026-12-01", *extra],
                          capture_output=True, text=True, env=env, cwd=tree)
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    try:
        summary = json.loads(proc.stdout)
    except ValueError:
        sys.exit(f"{tree}: build failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return {"wall": round(wall, 2), "cpu": round(cpu, 2), "stages": summary["seconds"], "exit": proc.returncode,
            "load": round(os.getloadavg()[0], 1)}


def _change_one_cell(tree: Path, workbook: Path) -> None:
    """The first power's name gets a suffix, in its own cell (read with `tree`'s reader)."""
    script = """
import sys, openpyxl
from powercat.ingest import load
workbook = sys.argv[1]
power = load([workbook]).powers[0]
book = openpyxl.load_workbook(workbook)
for cell in book[power.source.sheet][power.source.row]:
    if cell.value == power.name:
        cell.value = f"{power.name}（调整）"
        book.save(workbook)
        sys.exit(0)
sys.exit(f"no cell holds {power.name!r}")
"""
    subprocess.run([sys.executable, "-c", script, str(workbook)], check=True,
                   env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree)


def _cache_mb(out: Path) -> float:
    cache = out.parent / f".{out.name}.powercat-cache"
    return round(sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) / 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--lists", type=Path, default=REAL, help="the folder of the lists (15 real ones by default)")
    parser.add_argument("--trees", type=Path, nargs="+", default=[HERE.parent],
                        help="powercat trees to compare (before after); this one by default")
    parser.add_argument("--changed", default=CHANGED, help="the list whose first power's name is changed")
    parser.add_argument("--no-clean", action="store_true", help="skip the clean build of the changed lists")
    parser.add_argument("--results", default="incremental", help="benchmarks/results/NAME.json")
    args = parser.parse_args()
    if not args.lists.is_dir():
        sys.exit(f"{args.lists} is absent")
    names = [tree.name for tree in args.trees]
    steps = ["full", "nothing changed", "one list changed"] + ([] if args.no_clean else ["clean (--no-cache)"])
    runs: dict[str, dict[str, dict]] = {name: {} for name in names}
    cache_mb: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        places = {}
        for name in names:
            lists = Path(tmp) / name / "lists"
            lists.mkdir(parents=True)
            for path in args.lists.rglob("*"):
                if path.suffix in (".xls", ".xlsx", ".csv") and path.is_file():
                    target = lists / path.relative_to(args.lists)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, target)
            places[name] = (lists, Path(tmp) / name / "out")
        for step in steps:
            for tree, name in zip(args.trees, names):  # before, after: the same load for both
                lists, out = places[name]
                if step == "one list changed":
                    _change_one_cell(tree, next(lists.rglob(args.changed)))
                if step.startswith("clean"):
                    runs[name][step] = _build(tree, lists, out.with_name("clean"), args.jobs, "--no-cache")
                    shutil.rmtree(out.with_name("clean"), ignore_errors=True)
                else:
                    runs[name][step] = _build(tree, lists, out, args.jobs)
                run = runs[name][step]
                print(f"{name:10} {step:20} wall {run['wall']:7.1f} s  cpu {run['cpu']:7.1f} s  "
                      f"load {run['load']:4.1f}  exit {run['exit']}", flush=True)
        for name in names:
            cache_mb[name] = _cache_mb(places[name][1])
    print(f"\nincremental build, {args.lists}, --jobs {args.jobs}")
    table = {}
    for name in names:
        full = runs[name]["full"]
        table[name] = {step: {"wall %": round(100 * run["wall"] / full["wall"], 1),
                              "cpu %": round(100 * run["cpu"] / full["cpu"], 1)} for step, run in runs[name].items()}
        print(f"{name} (cache {cache_mb[name]} MB)")
        for step, run in runs[name].items():
            print(f"  {step:22} wall {run['wall']:7.1f} s {table[name][step]['wall %']:5.1f} %   "
                  f"cpu {run['cpu']:7.1f} s {table[name][step]['cpu %']:5.1f} %")
            print("     " + ", ".join(f"{k} {v:.1f}" for k, v in run["stages"].items()))
    results = HERE / "results" / f"{args.results}.json"
    results.parent.mkdir(exist_ok=True)
    results.write_text(json.dumps({"lists": str(args.lists), "jobs": args.jobs, "trees": [str(t) for t in args.trees],
                                   "cache_mb": cache_mb, "runs": runs, "percent_of_full": table},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
