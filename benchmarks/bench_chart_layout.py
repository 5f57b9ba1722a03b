"""N flowcharts to SVG by powercat's chart path, against batched `dot` doing only the layout,
as two whole processes to time side by side (A B A B) with any process timer
(`/usr/bin/time -v`, hyperfine …):

    python benchmarks/bench_chart_layout.py prepare DIR [--charts 771]   # once, not timed
    python benchmarks/bench_chart_layout.py powercat DIR                 # A: graphs, DOT, dot, SVG into place
    python benchmarks/bench_chart_layout.py floor DIR                    # B: `dot -Tsvg -O` over the same batches

`prepare` reads the real lists (or data/), keeps the first N powers (pickled, so A does not
time the reading) and writes the DOT text A would make in batches of 40 (B's input). Both
run 2 batches at a time, as `build` does on this 2-core machine.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import subprocess
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("prepare", "powercat", "floor"))
    parser.add_argument("dir")
    parser.add_argument("--charts", type=int, default=771)
    args = parser.parse_args()
    folder = Path(args.dir)
    if args.mode == "prepare":
        prepare(folder, args.charts)
    elif args.mode == "powercat":
        powercat(folder)
    else:
        floor(folder)


if __name__ == "__main__":
    main()
