"""End-to-end `powercat build` of a synthetic province (benchmarks/make_province.py):
time per stage, peak memory, and resident memory as the charts render (it must stay flat).

    python benchmarks/bench_scale.py benchmarks/out/province [--jobs 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from powercat.build import build  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("province", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    stage_peak: dict[str, float] = {}
    current = ["start"]
    chart_rss: list[tuple[int, int, float]] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            stage_peak[current[0]] = max(stage_peak.get(current[0], 0.0), rss_mb())
            time.sleep(0.2)

    def on_stage(name: str) -> None:
        current[0] = name
        print(f"[{time.strftime('%H:%M:%S')}] {name}", flush=True)

    def on_progress(done: int, total: int) -> None:
        if not chart_rss or done - chart_rss[-1][0] >= total // 20:
            chart_rss.append((done, total, rss_mb()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with tempfile.TemporaryDirectory(dir=args.province.parent) as tmp:
        started = time.perf_counter()
        result = build([str(args.province)], Path(tmp) / "exports", as_of=dt.date(2026, 11, 22), workers=args.jobs,
                       stage=on_stage, progress=on_progress)
        wall = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (Path(tmp) / "exports").rglob("*") if p.is_file()) / 2**20
    stop.set()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{result.counts} in {wall:.0f} s, outputs {size:.0f} MiB, peak RSS {peak:.0f} MiB")
    print(f"{'stage':10} {'seconds':>9} {'peak RSS MiB':>13}")
    for stage, seconds in result.seconds.items():
        print(f"{stage:10} {seconds:9.1f} {stage_peak.get(stage, 0):13.0f}")
    print("RSS while rendering charts (done/total → MiB):")
    print("  " + ", ".join(f"{d}/{t} → {m:.0f}" for d, t, m in chart_rss))


if __name__ == "__main__":
    main()
