"""`powercat list` on a synthetic 100,000-row published-style list, side by side with
its peers, in one run:

- bare python-calamine: open, every cell (`to_python`), merged ranges — the floor;
- openpyxl read-only: every cell value (it cannot see merged ranges in this mode);
- frictionless `validate` of the same file (its Excel reader is openpyxl);
- powercat: `load_file` in-process (read, fill merges, find header, map, items), and the
  whole CLI `powercat list --json` as a user runs it (interpreter start and JSON included).

Each reader runs in its own fresh process, `--repeat` times; the best time counts.

    python benchmarks/bench_list.py [--rows 100000] [--repeat 3] [--skip-frictionless] [--frictionless-merged]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

READERS = {
    "calamine (bare)": """
import python_calamine as pc
book = pc.CalamineWorkbook.from_path(PATH)
cells = merges = 0
for name in book.sheet_names:
    sheet = book.get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=False)
    cells += sum(map(len, rows)); merges += len(sheet.merged_cell_ranges or [])
RESULT = f"{cells} cells, {merges} merges"
""",
    "openpyxl read-only": """
import openpyxl
book = openpyxl.load_workbook(PATH, read_only=True, data_only=True)
cells = 0
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        cells += len(row)
book.close()
RESULT = f"{cells} cells (no merges)"
""",
    "frictionless validate": """
import os, frictionless
os.chdir(os.path.dirname(PATH))  # frictionless refuses absolute paths as unsafe
report = frictionless.validate(os.path.basename(PATH), limit_errors=10**9)
RESULT = f"valid={report.valid}, {report.stats['errors']} errors, {report.tasks[0].stats.get('rows')} rows"
""",
    # The fair comparison (header on row 2, merged cells filled) forces openpyxl's full
    # load: 800 s on this machine for 100,000 rows. Only with --frictionless-merged.
    "frictionless validate (merged)": """
import os, frictionless
from frictionless import Dialect, formats
os.chdir(os.path.dirname(PATH))
dialect = Dialect(header_rows=[2], controls=[formats.ExcelControl(fill_merged_cells=True)])
report = frictionless.validate(os.path.basename(PATH), dialect=dialect, limit_errors=10**9)
RESULT = f"valid={report.valid}, {report.stats['errors']} errors, {report.tasks[0].stats.get('rows')} rows"
""",
    "powercat load_file": """
from powercat.ingest import load_file
result = load_file(PATH)
RESULT = f"{len(result.powers)} items, error={result.error}"
""",
}

HARNESS = """
import time, sys
PATH = sys.argv[1]
t0 = time.perf_counter()
{body}
print(f"{{time.perf_counter() - t0:.4f}}\\t{{RESULT}}")
"""


def run_reader(body: str, path: Path) -> tuple[float, str]:
    proc = subprocess.run([sys.executable, "-c", HARNESS.format(body=body), str(path)],
                          capture_output=True, text=True, check=True)
    seconds, result = proc.stdout.strip().splitlines()[-1].split("\t", 1)
    return float(seconds), result


def run_cli(path: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "powercat", "list", "--json", str(path)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    data = json.loads(proc.stdout)
    return seconds, f"exit {proc.returncode}, {len(data['powers'])} items"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument("--frictionless-merged", action="store_true",
                        help="also time frictionless with merged cells filled (slow: minutes)")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    from make_big_list import write

    path = OUT / f"published-{args.rows}.xlsx"
    if not path.exists():
        items = write(path, args.rows)
        print(f"generated {path} ({items} items, {path.stat().st_size // 1024} KiB)")

    timings: dict[str, tuple[float, str]] = {}
    for name, body in READERS.items():
        if args.skip_frictionless and name.startswith("frictionless"):
            continue
        if name.endswith("(merged)") and not args.frictionless_merged:
            continue
        runs = [run_reader(body, path) for _ in range(1 if name.startswith("frictionless") else args.repeat)]
        timings[name] = min(runs)
    timings["powercat list --json (CLI)"] = min(run_cli(path) for _ in range(args.repeat))

    floor = timings["calamine (bare)"][0]
    ours = timings["powercat load_file"][0]
    print(f"\n{args.rows:,} rows, best of {args.repeat} (frictionless: 1 run)\n")
    print(f"{'reader':30} {'seconds':>8} {'× calamine':>11} {'× powercat':>11}  result")
    for name, (seconds, result) in timings.items():
        print(f"{name:30} {seconds:8.2f} {seconds / floor:11.2f} {seconds / ours:11.2f}  {result}")


if __name__ == "__main__":
    main()
