"""`powercat list` on a synthetic 100,000-row published-style list, side by side with
its peers, in one run:

- bare python-calamine: open, every cell (`to_python`), merged ranges — the floor;
- openpyxl read-only: every cell value (it cannot see merged ranges in this mode);
- frictionless `validate` of the same file (its Excel reader is openpyxl);
- powercat: `load_file` in-process (read, fill merges, find header, map, items), and the
  whole CLI `powercat list --json` as a user runs it (interpreter start and JSON included).

Each reader runs in its own fresh process, `--repeat` times; the best time counts.

    python benchmarks/bench_list.py [--rows 100000] [--repeat 3] [--skip-frictionless] [--frictionless-merged]

`--cpu` compares whole processes by CPU seconds (user + sys of the child: what a loaded
machine distorts least): bare calamine, `list --json` of this tree and, with `--before TREE`, of
another tree (a worktree of main), interleaved A B A B, the median of `--repeat` runs counted;
`--stages` adds `list --json`'s CPU per stage in one process of each tree. `--province DIR`
does the same for the build's reading stage (读取清单: `ingest.load` of every list of a
make_province.py folder) against calamine reading every sheet of every list.

    python benchmarks/bench_list.py --cpu --before ../base --stages [--province benchmarks/out/province]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
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


# --- whole processes by CPU seconds (--cpu) ------------------------------------------------

CALAMINE_FILES = """
import sys, python_calamine as pc
for path in sys.argv[1:]:
    book = pc.CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        sheet.to_python(skip_empty_area=False); sheet.merged_cell_ranges
"""
READING_STAGE = """
import sys
from powercat.ingest import load
load(sys.argv[1:])
"""
# list --json's stages in one process, CPU seconds each (time.process_time), as cli.list_command runs them
STAGES = """
import gc, io, json, sys, time
clock = time.process_time
marks, last = [], clock()
def mark(name):
    global last
    now = clock(); marks.append((name, now - last)); last = clock()
from powercat import cli  # noqa: F401
from powercat.ingest import loader, workbook
from powercat.ingest.sniff import sniff
from powercat.model import Catalogue
from powercat.report import listing
mark("imports (cli)")
path = sys.argv[1]
data = loader._read_regular_file(path); sniff(data, path)
gc.disable()  # as load_file reads
import python_calamine
book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
sheets = [(n, book.get_sheet_by_name(n)) for n in book.sheet_names]
raw = [(n, s.to_python(skip_empty_area=False), s.merged_cell_ranges) for n, s in sheets]
mark("calamine (cells, merges)")
formulas = workbook.uncached_formulas(data)
mark("formula scan")
grids = [workbook.build_grid(n, r, m) for n, r, m in raw]
mark("merges filled (build_grid)")
result = loader.WorkbookFile(path=path, format="xlsx")
fields = getattr(listing, "READ_FIELDS", None)  # the fields list reads (trees after 24c)
loader._read_grids(result, grids, "x", *([fields] if fields else []))
mark("header, items, disclosure")
gc.enable(); gc.freeze()
catalogue = Catalogue(files=[result])
powers = catalogue.powers
from powercat.law import limits, registry
getattr(registry, "citing_registry", registry.default_registry)(); limits.default_facts()
mark("law registry and limit facts")
[limits.statutory_for(p) for p in powers]
mark("derived limits (first pass; list --json makes them in its JSON pass)")
if hasattr(listing, "catalogue_json_parts"):  # trees after 24d: UTF-8 made value by value, in parts
    sum(map(len, listing.catalogue_json_parts(catalogue)))
    mark("JSON bytes (catalogue_json_parts)")
else:
    if hasattr(listing, "catalogue_json_text"):  # trees after 24c: the text from each value's JSON text
        text = listing.catalogue_json_text(catalogue) + "\\n"
        mark("JSON text (catalogue_json_text)")
    else:
        out = listing.catalogue_json(catalogue)
        mark("JSON objects (catalogue_json)")
        text = json.dumps(out, ensure_ascii=False) + "\\n"
        mark("json.dumps")
    text.encode("utf-8", "surrogateescape")
    mark("encode")
for name, seconds in marks:
    print(f"{name}\\t{seconds:.3f}")
"""


def child_cpu(argv: list[str], tree: Path | None = None, stdout=subprocess.DEVNULL) -> tuple[float, subprocess.CompletedProcess]:
    """Runs argv in a fresh process: (its user + sys CPU seconds, the process)."""
    env = dict(os.environ, PYTHONPATH=str(tree)) if tree else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=str(tree) if tree else None)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{argv[:4]} failed: {proc.stderr.decode(errors='replace')[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


def compare_cpu(label: str, floor: list[str], runs: dict[str, tuple[list[str], Path]], repeat: int) -> None:
    """floor and each tree's run interleaved, one warm-up round, then the median of `repeat`."""
    columns = {"calamine (floor)": (floor, None), **runs}
    seconds: dict[str, list[float]] = {name: [] for name in columns}
    for round_ in range(repeat + 1):
        for name, (argv, tree) in columns.items():
            cpu, _proc = child_cpu(argv, tree)
            if round_:
                seconds[name].append(cpu)
    floor_cpu = statistics.median(seconds["calamine (floor)"])
    print(f"\n{label}: CPU seconds (user+sys) of whole processes, median of {repeat} "
          f"(load average {os.getloadavg()[0]:.1f})\n")
    print(f"{'run':34} {'CPU s':>7} {'× floor':>8}  runs")
    for name, values in seconds.items():
        median = statistics.median(values)
        print(f"{name:34} {median:7.2f} {median / floor_cpu:8.2f}  {' '.join(f'{v:.2f}' for v in values)}")


def stages(path: Path, trees: dict[str, Path]) -> None:
    table: dict[str, dict[str, float]] = {}
    for name, tree in trees.items():
        _cpu, proc = child_cpu([sys.executable, "-c", STAGES, str(path)], tree, stdout=subprocess.PIPE)
        for line in proc.stdout.decode().splitlines():
            stage, seconds = line.split("\t")
            table.setdefault(stage, {})[name] = float(seconds)
    print(f"\n`list --json` per stage, CPU seconds in one process each ({', '.join(trees)})\n")
    print(f"{'stage':34} " + " ".join(f"{name:>12}" for name in trees))
    for stage, row in table.items():
        print(f"{stage:34} " + " ".join(f"{row.get(name, 0):12.3f}" for name in trees))
    print(f"{'total':34} " + " ".join(f"{sum(r.get(name, 0) for r in table.values()):12.3f}" for name in trees))


def cpu_main(args, path: Path) -> None:
    trees = {"this tree": HERE.parent}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    py = sys.executable
    compare_cpu(f"`list --json` on {path.name}", [py, "-c", CALAMINE_FILES, str(path)],
                {f"list --json ({name})": ([py, "-m", "powercat", "list", "--json", str(path)], tree)
                 for name, tree in trees.items()}, args.repeat)
    if args.stages:
        stages(path, trees)
    if args.province:
        lists = [str(p) for p in sorted(args.province.resolve().glob("*.xlsx"))]
        compare_cpu(f"reading stage (读取清单) on {args.province.name}, {len(lists)} lists",
                    [py, "-c", CALAMINE_FILES, *lists],
                    {f"ingest.load ({name})": ([py, "-c", READING_STAGE, *lists], tree) for name, tree in trees.items()},
                    args.repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument("--frictionless-merged", action="store_true",
                        help="also time frictionless with merged cells filled (slow: minutes)")
    parser.add_argument("--cpu", action="store_true", help="whole processes by CPU seconds (see above)")
    parser.add_argument("--before", type=Path, help="with --cpu: also run list --json from this tree (a worktree)")
    parser.add_argument("--stages", action="store_true", help="with --cpu: list --json's CPU per stage")
    parser.add_argument("--province", type=Path, help="with --cpu: the reading stage on this make_province.py folder")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    from make_big_list import write

    path = OUT / f"published-{args.rows}.xlsx"
    if not path.exists():
        items = write(path, args.rows)
        print(f"generated {path} ({items} items, {path.stat().st_size // 1024} KiB)")
    if args.cpu:
        cpu_main(args, path)
        return

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
