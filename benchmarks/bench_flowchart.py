"""1,000 flowcharts to SVG and to PDF, side by side, in one run:

- naive: one `graphviz` (xflr6) `Source(dot).render()` per chart, i.e. one `dot` process each;
- powercat: `render_all` (batches of 40 graphs per `dot` process, 2 workers);
- limit: plain `dot -T<fmt> -O` over the same batch files with the same 2 workers, with no
  Python work around it (files written beforehand, outputs left where dot puts them).

Goal: ≥ 10× faster than naive for SVG, ≥ 3× for PDF, within 1.3× of the limit.

    python benchmarks/bench_flowchart.py [--charts 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from powercat.ingest import load  # noqa: E402
from powercat.process import build_graph  # noqa: E402
from powercat.render.batch import Job, render_all  # noqa: E402
from powercat.render.dot import to_dot  # noqa: E402

BATCH = 40


def sources(count: int) -> list[str]:
    real = HERE.parent.parent / "shared" / "real-lists"
    catalogue = load([str(real if real.is_dir() else HERE.parent / "data")])
    powers = catalogue.powers
    dots = []
    while len(dots) < count:
        for power in powers[: count - len(dots)]:
            dots.append(to_dot(build_graph(power), power.agency, name=f"c{len(dots)}"))
    return dots


def naive(dots: list[str], fmt: str, out: Path) -> float:
    import graphviz

    start = time.perf_counter()
    for i, dot in enumerate(dots):
        graphviz.Source(dot).render(outfile=str(out / f"n{i}.{fmt}"), format=fmt, cleanup=True)
    return time.perf_counter() - start


def ours(dots: list[str], fmt: str, out: Path, workers: int) -> float:
    jobs = [Job(dot, str(out / f"p{i}")) for i, dot in enumerate(dots)]
    start = time.perf_counter()
    render_all(jobs, (fmt,), workers=workers, batch_size=BATCH)
    return time.perf_counter() - start


def limit(dots: list[str], fmt: str, out: Path, workers: int) -> float:
    files = []
    for b in range(0, len(dots), BATCH):
        path = out / f"batch{b // BATCH}.gv"
        path.write_text("".join(dots[b:b + BATCH]), encoding="utf-8")
        files.append(path)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda f: subprocess.run(["dot", f"-T{fmt}", "-O", str(f)], check=True), files))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("dot") is None:
        sys.exit("Graphviz dot is not installed")
    dots = sources(args.charts)
    print(f"{len(dots)} charts, {args.workers} workers, batches of {BATCH}")
    print(f"{'format':6} {'naive s':>8} {'powercat s':>10} {'limit s':>8} {'naive/powercat':>15} {'powercat/limit':>15}")
    for fmt in ("svg", "pdf"):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b, tempfile.TemporaryDirectory() as c:
            t_naive = naive(dots, fmt, Path(a))
            t_ours = ours(dots, fmt, Path(b), args.workers)
            t_limit = limit(dots, fmt, Path(c), args.workers)
        print(f"{fmt:6} {t_naive:8.1f} {t_ours:10.1f} {t_limit:8.1f} {t_naive / t_ours:15.1f} {t_ours / t_limit:15.2f}")


if __name__ == "__main__":
    main()
