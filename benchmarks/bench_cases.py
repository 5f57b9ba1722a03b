"""Checking a province's event log: powercat's streaming check side by side with PM4Py's
token-based replay of the same log against the same processes.

Both sides run in their own child process (peak RSS is per process) on the same CSV
(`make_case_log.py`: 1,000,000 events, ~150,000 cases, 500 powers):

- powercat: `cases.lane.LogCheck` (the columnar lane; a case with anything to say takes
  `read._events` → `checks.check_case`: process replay, step limits, deadlines in working
  days) → `stats.Aggregate`: the whole check, from the CSV's bytes, one case in memory at a time;
- PM4Py: `pandas.read_csv` → `pm4py.format_dataframe` → per power `pm4py.convert_to_event_log`
  and `pm4py.conformance_diagnostics_token_based_replay` on that power's workflow net (the same
  net powercat replays, built with PM4Py's `PetriNet` objects). Replay only: no deadlines.

Verdicts are compared case by case: a case fits when PM4Py says `trace_is_fit` and when
powercat's replay completes with every step known. PM4Py may be given a subsample
(`--pm4py-cases N`: the first N cases) when the whole log takes too long; powercat is then
also timed on the same subsample, so the ratio compares the same work.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_cases.py [--events 1000000] [--pm4py-cases 0] [--dir /tmp/bench-cases]
        [--before /path/to/another/tree]   # its powercat on the same logs, in the same run (before/after)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# -- workers (each in its own process) --------------------------------------------------------

def work_powercat(log: str, verdicts: str, max_cases: int) -> dict:
    import datetime as dt
    from collections import Counter

    from make_case_log import bench_catalogue

    import gc

    from powercat.cases.checks import Settings
    from powercat.cases.link import PowerIndex
    from powercat.cases.stats import Aggregate

    index = PowerIndex(bench_catalogue())
    settings = Settings(as_of=dt.date(2025, 12, 31))
    settings.calendar.add(dt.date(2025, 1, 1), 1)  # the calendar table is built before the clock starts
    gc.freeze()  # as `powercat cases` does once the catalogue is loaded (cli._settle)
    base_rss = _rss_kb()
    problems: list = []
    aggregate, codes = Aggregate(), Counter()
    events = cases = 0
    samples = []
    started, cpu = time.perf_counter(), time.process_time()
    with open(verdicts, "w", encoding="utf-8") as out:
        lane = _checked_log(log, index, settings, problems.append)
        for outcome in lane:
            if max_cases and cases >= max_cases:
                break
            aggregate.add(outcome)
            for f in outcome.findings:
                codes[f.code] += 1
            cases += 1
            before, events = events, lane.events
            out.write(f"{outcome.case.case_id}\t{int(bool(outcome.fit))}\n")
            if events // 100_000 != before // 100_000:
                samples.append((events, _rss_kb()))
    _ = aggregate.powers  # the tables filled, inside the clock (they may be filled lazily)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"tool": "powercat", "events": events, "cases": cases, "seconds": seconds, "cpu": cpu, "peak_rss_kb": _peak_kb(),
            "base_rss_kb": base_rss, "rss_samples": samples, "findings": dict(codes.most_common()),
            "problems": len(problems)}


class _checked_log:
    """The Outcomes of a log's cases, `events` counting the events read: `cases.lane.LogCheck`,
    or, in a tree without it (before the columnar lane), `group_stream` → `check_case`."""

    def __init__(self, log, index, settings, problem):
        self.log, self.index, self.settings, self.problem, self.events = log, index, settings, problem, 0

    def __iter__(self):
        try:
            from powercat.cases.lane import LogCheck
        except ImportError:
            from powercat.cases.checks import check_case, group_stream
            from powercat.cases.read import stream_events

            for case in group_stream(stream_events(self.log, self.problem)):
                self.events += len(case.events)
                yield check_case(case, self.index, self.settings)
            return
        lane = LogCheck(self.log, self.index, self.settings, self.problem)
        for outcome in lane:
            self.events = lane.events
            yield outcome


def work_floors(log: str, verdicts: str, max_cases: int) -> dict:
    """What the check's parts cost alone on the same log (CPU seconds, one after another in
    this process): the csv module reading every row (no Python per row beyond the loop), the
    reader making events, the reader and the grouping into cases. The check's own cost is
    the whole run's minus the last."""
    import csv

    from powercat.cases.checks import group_stream
    from powercat.cases.read import stream_events

    floors = {}
    cpu = time.process_time()
    with open(log, encoding="utf-8", newline="") as handle:
        rows = sum(1 for _row in csv.reader(handle))
    floors["csv_rows"] = time.process_time() - cpu
    cpu = time.process_time()
    events = sum(1 for _event in stream_events(log, lambda _problem: None))
    floors["read_events"] = time.process_time() - cpu
    cpu = time.process_time()
    cases = sum(1 for _case in group_stream(stream_events(log, lambda _problem: None)))
    floors["read_and_group"] = time.process_time() - cpu
    return {"tool": "floors", "rows": rows, "events": events, "cases": cases, **floors}


def to_pm4py(net, name: str):
    """powercat's workflow net as a PM4Py Petri net (same places, transitions and labels)."""
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils import petri_utils

    pn = PetriNet(name)
    places = {}

    def place(key: str):
        if key not in places:
            places[key] = PetriNet.Place(key)
            pn.places.add(places[key])
        return places[key]

    for t in net.transitions:
        transition = PetriNet.Transition(t.name, t.label)
        pn.transitions.add(transition)
        for p in t.consumes:
            petri_utils.add_arc_from_to(place(p), transition, pn)
        for p in t.produces:
            petri_utils.add_arc_from_to(transition, place(p), pn)
    return pn, Marking({place(p): n for p, n in net.initial}), Marking({place(p): n for p, n in net.final})


def work_pm4py(log: str, verdicts: str, max_cases: int) -> dict:
    import logging
    import warnings

    import pandas as pd
    import pm4py

    from make_case_log import bench_catalogue

    from powercat.cases.link import PowerIndex

    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    index = PowerIndex(bench_catalogue())
    nets = {linked.power.code: to_pm4py(linked.net, linked.power.code) for linked in index.all}
    # a step the process does not have makes a case unfit (powercat's verdict too); no progress bars
    options = {"consider_activities_not_in_model_in_fitness": True, "show_progress_bar": False}
    base_rss = _rss_kb()
    started, cpu = time.perf_counter(), time.process_time()
    df = pd.read_csv(log, dtype=str)
    if max_cases:
        keep = df["办件编号"].drop_duplicates().iloc[:max_cases]
        df = df[df["办件编号"].isin(set(keep))]
    df = pm4py.format_dataframe(df, case_id="办件编号", activity_key="环节", timestamp_key="完成",
                                start_timestamp_key="开始")
    read_seconds = time.perf_counter() - started
    convert = replay = 0.0
    cases = events = 0
    with open(verdicts, "w", encoding="utf-8") as out:
        for code, group in df.groupby("职权编码", sort=True):
            t0 = time.perf_counter()
            event_log = pm4py.convert_to_event_log(group)
            t1 = time.perf_counter()
            net, im, fm = nets[code]
            results = pm4py.conformance_diagnostics_token_based_replay(event_log, net, im, fm, opt_parameters=options)
            t2 = time.perf_counter()
            convert += t1 - t0
            replay += t2 - t1
            for trace, result in zip(event_log, results):
                out.write(f"{trace.attributes['concept:name']}\t{int(bool(result['trace_is_fit']))}\n")
            cases += len(event_log)
            events += len(group)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"tool": "pm4py " + pm4py.__version__, "events": events, "cases": cases, "seconds": seconds, "cpu": cpu,
            "read_seconds": read_seconds, "convert_seconds": convert, "replay_seconds": replay,
            "peak_rss_kb": _peak_kb(), "base_rss_kb": base_rss}


def adjudicate(log: Path, case_ids: list[str]) -> dict:
    """The cases the two replays disagree on, settled by PM4Py's alignments (exact, and far
    too slow for the whole log): a case fits when its alignment has fitness 1."""
    import csv
    import logging
    import warnings

    import pandas as pd
    import pm4py

    from make_case_log import bench_catalogue

    from powercat.cases.link import PowerIndex

    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    wanted = set(case_ids)
    rows = []
    with open(log, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if row[0] in wanted]
    if not rows:
        return {"checked": 0, "fit_by_alignment": 0}
    df = pm4py.format_dataframe(pd.DataFrame(rows, columns=header), case_id="办件编号", activity_key="环节",
                                timestamp_key="完成", start_timestamp_key="开始")
    nets = {linked.power.code: linked.net for linked in PowerIndex(bench_catalogue()).all}
    fit = checked = 0
    for code, group in df.groupby("职权编码"):
        net, im, fm = to_pm4py(nets[code], code)
        for result in pm4py.conformance_diagnostics_alignments(pm4py.convert_to_event_log(group), net, im, fm):
            checked += 1
            fit += result["fitness"] == 1.0
    return {"checked": checked, "fit_by_alignment": fit}


# -- the driver ---------------------------------------------------------------------------------

def run_worker(tool: str, log: Path, verdicts: Path, max_cases: int, tree: Path = ROOT) -> dict:
    """One worker in a child process; `tree`: the source tree whose powercat this bench runs
    (the same harness for before and after)."""
    command = [sys.executable, str(ROOT / "benchmarks" / "bench_cases.py"), "--worker", tool, str(log), str(verdicts),
               str(max_cases), "--tree", str(tree)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{tool} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def read_verdicts(path: Path) -> dict[str, int]:
    with open(path, encoding="utf-8") as handle:
        return {case: int(fit) for case, fit in (line.rstrip("\n").split("\t") for line in handle)}


def agreement(a: Path, b: Path) -> dict:
    mine, theirs = read_verdicts(a), read_verdicts(b)
    common = mine.keys() & theirs.keys()
    differ = sorted(c for c in common if mine[c] != theirs[c])
    return {"compared": len(common), "agree": len(common) - len(differ), "differ": len(differ),
            "fit_powercat": sum(mine[c] for c in common), "fit_pm4py": sum(theirs[c] for c in common),
            "examples": differ[:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--pm4py-cases", type=int, default=0, help="PM4Py on the first N cases only (0: all)")
    parser.add_argument("--dir", default="/tmp/bench-cases")
    parser.add_argument("--before", help="another source tree (the code before a change): its powercat is run on "
                                         "the same logs in the same run, for a before/after table")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        if args.tree:
            # its powercat, imported now: make_case_log puts this bench's own tree first on the path
            sys.path.insert(0, str(Path(args.tree).resolve()))
            import powercat

            assert Path(powercat.__file__).resolve().is_relative_to(Path(args.tree).resolve()), powercat.__file__
        tool, log, verdicts, max_cases = args.worker
        work = {"powercat": work_powercat, "floors": work_floors}.get(tool, work_pm4py)
        print(json.dumps(work(log, verdicts, int(max_cases))))
        return

    from make_case_log import write_log

    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"log-{args.events}.csv"
    small = folder / f"log-{args.events // 10}.csv"
    for path, n in ((log, args.events), (small, args.events // 10)):
        if not path.exists():
            t = time.perf_counter()
            info = write_log(path, events=n)
            print(f"generated {path} ({info['events']:,} events, {info['cases']:,} cases, "
                  f"{info['deviated']:,} with a deviation) in {time.perf_counter() - t:.0f}s", file=sys.stderr)
    results = {}
    before = Path(args.before).resolve() if args.before else None
    # before and after side by side, interleaved, so that both meet the same load
    if before:
        results["before"] = run_worker("powercat", log, folder / "verdicts-before.tsv", 0, before)
    results["powercat"] = run_worker("powercat", log, folder / "verdicts-powercat.tsv", 0)
    if before:
        results["before_small"] = run_worker("powercat", small, folder / "verdicts-before-small.tsv", 0, before)
    results["powercat_small"] = run_worker("powercat", small, folder / "verdicts-powercat-small.tsv", 0)
    results["floors"] = run_worker("floors", log, folder / "verdicts-floors.tsv", 0)
    results["pm4py"] = run_worker("pm4py", log, folder / "verdicts-pm4py.tsv", args.pm4py_cases)
    if args.pm4py_cases:
        results["powercat_same"] = run_worker("powercat", log, folder / "verdicts-powercat-same.tsv", args.pm4py_cases)
    same = results.get("powercat_same", results["powercat"])
    results["agreement"] = agreement(folder / "verdicts-powercat.tsv", folder / "verdicts-pm4py.tsv")
    mine, theirs = read_verdicts(folder / "verdicts-powercat.tsv"), read_verdicts(folder / "verdicts-pm4py.tsv")
    differ = sorted(c for c in mine.keys() & theirs.keys() if mine[c] != theirs[c])[:500]
    results["alignments"] = {**adjudicate(log, differ), "powercat_fit": sum(mine[c] for c in differ),
                             "pm4py_fit": sum(theirs[c] for c in differ)}

    def row(name: str, r: dict) -> str:
        return (f"| {name} | {r['events']:,} | {r['cases']:,} | {r['cpu']:.1f} | {r['events'] / r['cpu']:,.0f} | "
                f"{r['seconds']:.1f} | {r['peak_rss_kb'] / 1024:.0f} |")

    load = os.getloadavg()[0]
    print(f"(CPU seconds of each worker process; wall seconds are also shown. Load average {load:.1f} on "
          f"{os.cpu_count()} CPUs when the table was printed.)\n")
    print("| run | events | cases | CPU s | events per CPU s | wall s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    if before:
        print(row(f"powercat cases before ({before.name}), whole log", results["before"]))
    print(row("powercat cases (whole check, streaming)", results["powercat"]))
    if before:
        print(row(f"powercat cases before ({before.name}), {args.events // 10:,}-event log", results["before_small"]))
    print(row(f"powercat cases, {args.events // 10:,}-event log", results["powercat_small"]))
    if args.pm4py_cases:
        print(row(f"powercat cases, first {args.pm4py_cases:,} cases", same))
    p = results["pm4py"]
    print(row(f"{p['tool']} token replay" + (f", first {args.pm4py_cases:,} cases" if args.pm4py_cases else ""), p))
    ratio = (same["events"] / same["cpu"]) / (p["events"] / p["cpu"])
    wall = (same["events"] / same["seconds"]) / (p["events"] / p["seconds"])
    print(f"\nthroughput ratio powercat / PM4Py on the same cases: {ratio:.1f}× (CPU time), {wall:.1f}× (wall time)")
    if before:
        b = results["before"]
        same_verdicts = read_verdicts(folder / "verdicts-before.tsv") == read_verdicts(folder / "verdicts-powercat.tsv")
        print(f"before / after on the whole log: {b['cpu']:.1f} → {results['powercat']['cpu']:.1f} CPU s "
              f"({b['cpu'] / results['powercat']['cpu']:.1f}×); before / PM4Py "
              f"{(b['events'] / b['cpu']) / (p['events'] / p['cpu']):.1f}× (CPU); same verdicts before and after: "
              f"{same_verdicts}; same findings: {b['findings'] == results['powercat']['findings']}")
    print(f"PM4Py time: read+format {p['read_seconds']:.1f}s, convert_to_event_log {p['convert_seconds']:.1f}s, "
          f"token replay {p['replay_seconds']:.1f}s")
    f = results["floors"]
    print(f"floors on the whole log (CPU s, alone): csv module reading the rows {f['csv_rows']:.2f}; reader making "
          f"events {f['read_events']:.2f}; reader + grouping into cases {f['read_and_group']:.2f}; so the check and "
          f"aggregate of the whole run take about {results['powercat']['cpu'] - f['read_and_group']:.2f}")
    samples = ", ".join(f"{e // 1000}k: {kb / 1024:.0f} MB" for e, kb in results["powercat"]["rss_samples"])
    print(f"powercat RSS while streaming (events read: RSS): {samples}")
    a = results["agreement"]
    print(f"verdicts: {a['agree']:,} of {a['compared']:,} cases agree ({a['differ']} differ); "
          f"fitting: powercat {a['fit_powercat']:,}, PM4Py {a['fit_pm4py']:,}; examples {a['examples']}")
    d = results["alignments"]
    print(f"the {d['checked']} cases they disagree on, by PM4Py alignments (exact): {d['fit_by_alignment']} fit; "
          f"powercat said {d['powercat_fit']} fit, PM4Py token replay {d['pm4py_fit']}")
    print(f"powercat findings: {results['powercat']['findings']}")
    (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
