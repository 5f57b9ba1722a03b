"""`powercat catalogue --format html` (the site with a chart per power) against batched `dot`
drawing the same charts, and before/after trees side by side, in one run (issue 24):

    python benchmarks/bench_catalogue.py prepare DIR [--agencies 10 --powers 1000]   # once, not timed
    python benchmarks/bench_catalogue.py run DIR --before TREE --after TREE [--rounds 1]

`prepare` writes a synthetic province (make_province.py) into DIR/lists and, for the floor,
the DOT text `catalogue` draws, in its batches of 40 (the Charts stage run with `dot`
replaced by writing the batch file). `run` times, per round, A = `catalogue` of each tree
(whole processes) and B = `dot -Tsvg -Tpdf -O` over those batches, 2 at a time as
`catalogue` runs them (the charts and their PDFs, nothing else: the floor). CPU seconds are
user+sys of the child and every process it waited for; the outputs of the two trees are
compared with scripts/compare_trees.py.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
WORKERS = 2


def prepare(folder: Path, agencies: int, powers: int) -> None:
    sys.path.insert(0, str(HERE.parent))
    from powercat.pipeline import Pipeline, Run
    from powercat.pipeline.stages import Charts, Read, Records, SettleAgencies
    from powercat.render import flowcharts

    lists = folder / "lists"
    if not lists.is_dir():
        subprocess.run([PYTHON, str(HERE / "make_province.py"), str(lists), "--agencies", str(agencies),
                        "--powers", str(powers)], check=True)
    batches = folder / "batches"
    shutil.rmtree(batches, ignore_errors=True)
    batches.mkdir(parents=True)
    count = [0]

    def write_batch(jobs, formats, dot_binary="dot", env=None):  # the DOT `dot` would be given
        (batches / f"batch{count[0]:05d}.gv").write_text("".join(job.dot for job in jobs), encoding="utf-8")
        count[0] += 1
        return [[] for _job in jobs]

    flowcharts.render_batch = write_batch
    with Pipeline(workers=1) as pipeline:
        pipeline.run([Read(), SettleAgencies(None), Records(), Charts(folder / "unused", booklet=False)],
                     Run([str(lists)]))
    print(f"{count[0]} batches of DOT in {batches}")


def floor(folder: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    out = folder / "floor-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    batches = sorted((folder / "batches").glob("batch*.gv"))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(lambda f: subprocess.run(["dot", "-Tsvg", "-Tpdf", "-O", str(f)], check=True, cwd=out), batches))
    for made in (folder / "batches").glob("batch*.gv.*"):
        made.unlink()


def timed(command: list[str], env: dict | None = None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "load": os.getloadavg()[0]}


def catalogue(tree: Path, folder: Path, name: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "SOURCE_DATE_EPOCH": "1700000000"}
    out = folder / f"out-{name}"
    shutil.rmtree(out, ignore_errors=True)
    return timed([PYTHON, "-m", "powercat", "catalogue", str(folder / "lists"), "--out", str(out), "--format", "html"],
                 env)


def run(folder: Path, before: Path, after: Path, rounds: int) -> None:
    rows = []
    for n in range(rounds):
        for name, measure in (("floor", lambda: timed([PYTHON, __file__, "floor", str(folder)])),
                              ("before", lambda: catalogue(before, folder, "before")),
                              ("after", lambda: catalogue(after, folder, "after"))):
            result = measure()
            rows.append((n, name, result))
            print(f"round {n} {name:7s} cpu {result['cpu']:8.1f} s  wall {result['wall']:8.1f} s  load {result['load']:.1f}",
                  flush=True)
    same = subprocess.run([PYTHON, str(after / "scripts" / "compare_trees.py"), str(folder / "out-before"),
                           str(folder / "out-after")], capture_output=True, text=True)
    print(same.stdout.strip().splitlines()[-1] if same.stdout.strip() else same.stderr.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("prepare", "run", "floor"))
    parser.add_argument("dir", type=Path)
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--powers", type=int, default=1000)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--after", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "prepare":
        prepare(args.dir, args.agencies, args.powers)
    elif args.mode == "floor":
        floor(args.dir)
    else:
        run(args.dir, args.before, args.after, args.rounds)


if __name__ == "__main__":
    main()
