"""N flowcharts to SVG by powercat's chart path, against batched `dot` doing only the layout
and against a naive loop of one `dot` per chart, as whole processes to time side by side:

    python benchmarks/bench_chart_layout.py prepare DIR [--charts 771]   # once, not timed
    python benchmarks/bench_chart_layout.py powercat DIR                 # A: graphs, DOT, dot, SVG into place
    python benchmarks/bench_chart_layout.py floor DIR                    # B: `dot -Tsvg -O` over the same batches
    python benchmarks/bench_chart_layout.py naive DIR                    # C: `dot -Tsvg` per chart, one at a time
    python benchmarks/bench_chart_layout.py compare DIR [--before TREE] [--runs 3]

`prepare` reads the real lists (or data/), keeps the first N powers (pickled, so A does not
time the reading) and writes the DOT text A would make in batches of 40 (B's input) and one
file per chart (C's). A and B run 2 batches at a time, as `build` does on this 2-core machine.
`compare` runs A of TREE (another checkout, the "before"), A of this tree, B and C in turn,
a warm-up and then `--runs` counted rounds, and prints the CPU seconds (user + sys of the
process and its `dot` children) and wall seconds of each, medians, and their ratios.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BATCH, WORKERS = 40, 2


def prepare(folder: Path, count: int) -> None:
    from powercat.ingest import load
    from powercat.process import build_graph
    from powercat.render.dot import to_dot

    real = HERE.parent.parent / "shared" / "real-lists"
    catalogue = load([str(real if real.is_dir() else HERE.parent / "data")])
    powers = catalogue.powers[:count]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "powers.pickle").write_bytes(pickle.dumps(powers))
    dots = [to_dot(build_graph(p), p.agency, name=f"chart{i}") for i, p in enumerate(powers)]
    for b in range(0, len(dots), BATCH):
        (folder / f"batch{b // BATCH:04d}.gv").write_text("".join(dots[b:b + BATCH]), encoding="utf-8")
    (folder / "charts").mkdir(exist_ok=True)
    for i, dot in enumerate(dots):
        (folder / "charts" / f"c{i}.gv").write_text(dot, encoding="utf-8")
    print(f"{len(powers)} powers, {len(range(0, len(dots), BATCH))} batches in {folder}")


def powercat(folder: Path) -> None:
    from powercat.render.batch import render_all
    from powercat.render.flowcharts import ChartJob, render_charts

    powers = pickle.loads((folder / "powers.pickle").read_bytes())
    out = folder / "out-powercat"
    shutil.rmtree(out, ignore_errors=True)
    jobs = (ChartJob(p, p.agency or "", None, f"chart{i}", str(out / f"c{i}")) for i, p in enumerate(powers))
    done = render_all(jobs, ("svg",), workers=WORKERS, batch_size=BATCH, task=render_charts)
    print(len(done), "charts")


def floor(folder: Path) -> None:
    batches = sorted(folder.glob("batch*.gv"))
    for old in folder.glob("batch*.gv*.svg"):
        old.unlink()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(lambda f: subprocess.run(["dot", "-Tsvg", "-O", str(f)], check=True), batches))
    print(len(batches), "batches")


def naive(folder: Path) -> None:
    charts = sorted((folder / "charts").glob("c*.gv"))
    for chart in charts:
        subprocess.run(["dot", "-Tsvg", "-o", str(chart.with_suffix(".svg")), str(chart)], check=True)
    print(len(charts), "charts")


def _timed(command: list[str]) -> tuple[float, float]:
    """(CPU seconds of the command and its children, wall seconds)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def compare(folder: Path, before: Path | None, runs: int) -> None:
    here = Path(__file__).resolve()
    sides = {"powercat (before)": [sys.executable, str(before / "benchmarks" / here.name), "powercat", str(folder)]} \
        if before else {}
    sides.update({"powercat": [sys.executable, str(here), "powercat", str(folder)],
                  "floor: batched dot": [sys.executable, str(here), "floor", str(folder)],
                  "naive: dot per chart": [sys.executable, str(here), "naive", str(folder)]})
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    loads = []
    for round_ in range(runs + 1):  # round 0 warms the caches and is not counted
        for name, command in sides.items():
            result = _timed(command)
            if round_:
                times[name].append(result)
        loads.append(os.getloadavg()[0])
    cpu = {name: statistics.median(t[0] for t in values) for name, values in times.items()}
    wall = {name: statistics.median(t[1] for t in values) for name, values in times.items()}
    floor_, naive_ = "floor: batched dot", "naive: dot per chart"
    print(f"{runs} counted rounds, load average {min(loads):.1f}–{max(loads):.1f}")
    print(f"{'side':24} {'CPU s':>7} {'wall s':>7} {'CPU/floor':>10} {'wall/floor':>11} {'naive/it CPU':>13} {'naive/it wall':>14}")
    for name in sides:
        print(f"{name:24} {cpu[name]:7.2f} {wall[name]:7.2f} {cpu[name] / cpu[floor_]:9.2f}× {wall[name] / wall[floor_]:10.2f}×"
              f" {cpu[naive_] / cpu[name]:12.1f}× {wall[naive_] / wall[name]:13.1f}×")
    for name, values in times.items():
        print(f"  {name}: " + ", ".join(f"{c:.2f}/{w:.2f}" for c, w in values) + "  (CPU/wall per round)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("prepare", "powercat", "floor", "naive", "compare"))
    parser.add_argument("dir")
    parser.add_argument("--charts", type=int, default=771)
    parser.add_argument("--before", type=Path, help="another checkout whose chart path to time too")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.dir)
    if args.mode == "prepare":
        prepare(folder, args.charts)
    elif args.mode == "powercat":
        powercat(folder)
    elif args.mode == "floor":
        floor(folder)
    elif args.mode == "naive":
        naive(folder)
    else:
        compare(folder, args.before, args.runs)


if __name__ == "__main__":
    main()
