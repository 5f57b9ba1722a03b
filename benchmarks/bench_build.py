"""`powercat build` over all 15 real lists (../shared/real-lists), time per stage.

    python benchmarks/bench_build.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-lists"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not REAL.is_dir():
        sys.exit(f"{REAL} is absent")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "powercat", "build", str(REAL), "--out", f"{tmp}/exports",
                               "--jobs", str(args.jobs), "--json", "--as-of", "2026-11-22"],
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
    summary = json.loads(proc.stdout)
    print(f"powercat build, 15 real lists, exit {proc.returncode}, {wall:.1f} s wall")
    for stage, seconds in summary["seconds"].items():
        print(f"  {stage:8} {seconds:7.2f} s")
    print("  counts:", summary["counts"])


if __name__ == "__main__":
    main()
