"""`powercat check` against `powercat list` on the synthetic 100,000-row published-style
list (benchmarks/make_big_list.py), as a user runs them, in one run. Goal: check ≤ 3× list.

    python benchmarks/bench_check.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(args: list[str]) -> tuple[float, dict]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "powercat", *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return seconds, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from make_big_list import write

    path = HERE / "out" / f"published-{args.rows}.xlsx"
    if not path.exists():
        write(path, args.rows)
    listing = min(timed(["list", "--json", str(path)])[0] for _ in range(args.repeat))
    runs = [timed(["check", "--json", "--as-of", "2026-11-22", str(path)]) for _ in range(args.repeat)]
    check = min(seconds for seconds, _ in runs)
    summary = runs[0][1]["summary"]
    print(f"{args.rows:,} rows, {summary['powers']:,} items, best of {args.repeat}")
    print(f"powercat list --json   {listing:6.2f} s")
    print(f"powercat check --json  {check:6.2f} s   {check / listing:.2f}× list   "
          f"({summary['errors']:,} errors, {summary['warnings']:,} warnings)")


if __name__ == "__main__":
    main()
