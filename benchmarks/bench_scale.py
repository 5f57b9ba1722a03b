"""`powercat build` of a synthetic province (benchmarks/make_province.py), stage by stage,
each stage beside its floor measured in the same run: the bare tool doing only that stage's
work on the same input.

    python benchmarks/make_province.py benchmarks/out/province --agencies 10 --powers 500
    python benchmarks/bench_scale.py build benchmarks/out/province         # local pool and Dask
    python benchmarks/bench_scale.py workbook --rows 100000                  # the catalogue workbook alone
    python benchmarks/bench_scale.py booklets --charts 2000                  # one agency's booklet alone

`build` runs, each in a fresh process (so that peak RSS is that run's own):
  (a) the local pool (`--jobs` dot processes), (b) a Dask LocalCluster on this machine
  (`--dask-workers` worker processes, one thread each, on loopback, through `--executor`);
then the floors, on the same inputs and outputs:
  reading   python-calamine reading every sheet of every input, nothing else
  layout    bare `dot -Tsvg -Tpdf -O` over the same DOT sources, in the same batches of 40,
            as many `dot` processes at once as the local pool runs
  booklets  one `rsvg-convert -f pdf` pass per agency over that agency's chart SVGs, as many
            agencies at once as the local pool runs
  workbook  openpyxl write-only writing the same rows into the same sheets (plain values)
and projects the per-chart cost to a national run of 1,000,000 powers on N workers.

`workbook` compares, for N synthetic records, powercat's catalogue workbook with the
openpyxl write-only floor: time and peak RSS, each in its own process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# BENCH_TREE: another checkout whose powercat a child measures (`workbook --before DIR`)
sys.path.insert(0, os.environ.get("BENCH_TREE") or str(ROOT))

AS_OF = dt.date(2026, 11, 22)
BATCH = 40  # render.batch.render_all's batch size


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(*args: str, tree: Path | None = None) -> dict:
    """Runs this script in a fresh process (importing powercat from `tree` when given); its
    last stdout line is a JSON result."""
    env = {**os.environ, "BENCH_TREE": str(tree)} if tree else None
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    sys.stderr.write(proc.stderr[-2000:] if os.environ.get("BENCH_VERBOSE") else "")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the catalogue workbook alone --------------------------------------------------------

def synthetic_records(count: int, agencies: int = 20):
    """Records like a province's: 15 fields, a basis of a few lines, one in 200 too long for
    its row (so the 依据全文 sheet and its links are written too)."""
    from powercat.model import Power, Source
    from powercat.publish.records import Record

    long_basis = "【法律】《中华人民共和国安全生产法》第六十二条：" + "生产经营单位应当建立健全安全生产责任制。" * 60
    records = []
    for i in range(count):
        agency = f"示范省第{i % agencies + 1:02d}厅"
        code = f"990000{i % agencies:03d}CF{i:07d}"
        power = Power(Source(f"{agency}.xlsx", "权力清单", i + 2), name=f"处罚事项{i + 1}（依安全生产法第{i % 119 + 1}条）",
                      category="行政处罚", code=code, agency=agency, office=f"第{i % 9 + 1}处", level="省级",
                      basis=long_basis if i % 200 == 0 else f"【法律】《中华人民共和国安全生产法》\n第{i % 119 + 1}条",
                      statutory_limit="90日", promised_limit="60日", fee="不收费", disclosure="主动公开",
                      rights="陈述、申辩；依法申请复议、诉讼", complaint="监督电话 12345")
        records.append(Record(power, agency, code))
    return records


def floor_workbook(records, target: Path, styled: bool = False) -> None:
    """The floor: openpyxl write-only, the same sheets and rows, plain values, nothing else.
    `styled`: every cell also wrapped and bordered, as the catalogue's are (the least a
    printable catalogue costs in openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Side

    from powercat.publish.records import FIELDS

    keys = [k for k, _h, _w in FIELDS[1:]]
    book = Workbook(write_only=True)
    wrap, thin = Alignment(vertical="top", wrap_text=True), Side(style="thin", color="FFBFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def row(sheet, values):
        if not styled:
            return values
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value)
            cell.alignment, cell.border = wrap, border
            cells.append(cell)
        return cells

    summary = book.create_sheet("总目录")
    by_agency: dict[str, list] = {}
    for i, r in enumerate(records, start=1):
        summary.append(row(summary, [str(i), *(r.value(k) for k in keys)]))
        by_agency.setdefault(r.agency, []).append(r)
    for n, (_agency, items) in enumerate(by_agency.items()):
        sheet = book.create_sheet(f"s{n}")
        for i, r in enumerate(items, start=1):
            sheet.append(row(sheet, [str(i), *(r.value(k) for k in keys if k != "agency")]))
    book.save(target)


def floor_text(records, target: Path) -> None:
    """The floor below openpyxl: the same sheets' rows as bare inline-string XML (escaped,
    no styles, heights or links), deflated into a zip; what any xlsx writer in Python pays
    for the text and the compression alone."""
    import zipfile

    from powercat.publish.records import FIELDS

    keys = [k for k, _h, _w in FIELDS[1:]]

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def sheet(rows) -> str:
        out = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
        for r, values in enumerate(rows, start=1):
            out.append(f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in values if v)
                       + "</row>")
        out.append("</sheetData></worksheet>")
        return "".join(out)

    by_agency: dict[str, list] = {}
    for r in records:
        by_agency.setdefault(r.agency, []).append(r)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet([str(i), *(r.value(k) for k in keys)]
                                                           for i, r in enumerate(records, start=1)))
        for n, items in enumerate(by_agency.values(), start=2):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", sheet([str(i), *(r.value(k) for k in keys if k != "agency")]
                                                                  for i, r in enumerate(items, start=1)))


def run_workbook(impl: str, rows: int) -> dict:
    records = synthetic_records(rows)
    base = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "目录.xlsx"
        started, cpu = time.perf_counter(), time.process_time()
        if impl == "floor-text":
            floor_text(records, target)
        elif impl.startswith("floor"):
            floor_workbook(records, target, styled=impl == "floor-styled")
        else:
            from powercat.publish import spreadsheet

            spreadsheet.write_workbook(records, target)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = target.stat().st_size / 2**20
    return {"seconds": seconds, "cpu": cpu, "peak": peak_mb(), "records_rss": base, "mib": size}


def workbook_main(rows: int, before: Path | None = None, styled: bool = True) -> None:
    """CPU seconds (user+sys of the writing process, from the records made to the file
    closed) are the primary figure: wall time follows the machine's load."""
    print(f"catalogue workbook, {rows:,} records (each run in its own process); load {os.getloadavg()[0]:.1f}")
    print(f"{'':22} {'CPU s':>7} {'wall s':>7} {'peak RSS MiB':>13} {'RSS of the records':>19} {'file MiB':>9}")
    names = {"powercat": "powercat (streaming)", "floor": "write-only, values", "floor-styled": "write-only, styled",
             "floor-text": "bare XML text, zipped"}
    if not styled:
        del names["floor-styled"]
    runs = [(impl, impl, None) for impl in names]
    if before:
        names["before"] = f"before ({before.name})"
        runs.insert(0, ("before", "powercat", before))
    results = {name: child("_workbook", impl, str(rows), tree=tree) for name, impl, tree in runs}
    for name, r in results.items():
        print(f"{names[name]:22} {r['cpu']:7.1f} {r['seconds']:7.1f} {r['peak']:13.0f} {r['records_rss']:19.0f} {r['mib']:9.1f}")
    for name in ("before", "powercat"):
        if name in results:
            ours = results[name]["cpu"]
            styled_ratio = f", {ours / results['floor-styled']['cpu']:.2f}× (cells styled alike)" if styled else ""
            print(f"{names[name]}: {ours / results['floor']['cpu']:.2f}× the floor (openpyxl, values only)"
                  f"{styled_ratio}, {ours / results['floor-text']['cpu']:.2f}× bare XML text; CPU seconds")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


# --- one agency's booklet alone ---------------------------------------------------------

def booklet_charts(work: Path, distinct: int) -> list[dict]:
    """`distinct` chart SVGs of one synthetic agency (make_province.py), drawn by the build's
    own renderer; returns each chart's title, code, category and SVG path."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import random

    from make_province import agency_rows

    from powercat.ingest import load
    from powercat.ingest.agency import settle_agencies
    from powercat.ingest.template import write_workbook as write_list
    from powercat.publish.records import public_records
    from powercat.render import flowcharts

    info, powers, steps = agency_rows(0, distinct, random.Random(2026))
    write_list(work / f"{info['name']}.xlsx", info, powers, steps)
    catalogue = load([str(work / f"{info['name']}.xlsx")])
    settle_agencies(catalogue)
    charts = flowcharts.plan(catalogue, work / "charts", public=[r.power for r in public_records(catalogue)])
    flowcharts.render(catalogue, charts, ("svg",), workers=2, booklet=False, out_dir=work / "charts")
    return [{"title": c.power.title, "code": c.power.code, "category": c.power.category, "svg": f"{c.target}.svg",
             "agency": c.agency} for c in charts]


def booklet_entries(charts: list[dict], count: int) -> list[dict]:
    """`count` entries cycling over the drawn charts, each with its own title and code (the
    contents, bookmarks and running heads are as many and as varied as a real agency's)."""
    entries = []
    for n in range(count):
        chart = charts[n % len(charts)]
        entries.append({**chart, "title": f"{chart['title']}（{n + 1}）" if n >= len(charts) else chart["title"],
                        "code": f"{chart['code']}-{n:05d}"})
    return entries


def cpu_with_children() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_booklet(impl: str, spec: Path) -> dict:
    """One booklet (impl powercat: build_booklet, its parts timed apart; impl floor: one
    `rsvg-convert -f pdf` pass over the same chart SVGs). CPU: this process and its children."""
    from powercat.render import booklet  # imported before the clock starts, as a build has it

    data = json.loads(spec.read_text())
    entries, agency = data["entries"], data["entries"][0]["agency"]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "booklet.pdf"
        started, cpu = time.perf_counter(), cpu_with_children()
        parts: dict[str, float] = {}
        if impl == "floor":
            subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(target), *(e["svg"] for e in entries)], check=True,
                           capture_output=True)
        else:
            for name in ("_run_renderer", "_finish", "slim_fonts"):
                if hasattr(booklet, name):
                    setattr(booklet, name, _cpu_timed(parts, name, getattr(booklet, name)))
            items = [booklet.Entry(e["title"], e["code"], e["category"], e["svg"]) for e in entries]
            booklet.build_booklet(agency, items, target, Path(tmp) / "work")
        seconds, cpu = time.perf_counter() - started, cpu_with_children() - cpu
        return {"seconds": seconds, "cpu": cpu, "parts": parts, "bytes": target.stat().st_size,
                "sha256": __import__("hashlib").sha256(target.read_bytes()).hexdigest()}


def _cpu_timed(parts: dict, name: str, fn):
    def wrapper(*args, **kwargs):
        cpu = cpu_with_children()
        try:
            return fn(*args, **kwargs)
        finally:
            parts[name] = parts.get(name, 0.0) + cpu_with_children() - cpu
    return wrapper


def booklets_main(charts: int, distinct: int, before: Path | None, work: Path | None) -> None:
    """One agency's booklet of `charts` charts (`distinct` of them drawn, the rest repeats
    under their own titles) against one `rsvg-convert` pass; each in its own process, all
    with SOURCE_DATE_EPOCH set so that the bytes can be compared."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    folder = Path(tempfile.mkdtemp(prefix="bench-booklets-", dir=work))
    try:
        drawn = booklet_charts(folder, min(distinct, charts))
        spec = folder / "entries.json"
        spec.write_text(json.dumps({"entries": booklet_entries(drawn, charts)}, ensure_ascii=False))
        print(f"booklet of {charts:,} charts ({len(drawn)} drawn); load {os.getloadavg()[0]:.1f}")
        runs = [("floor", "floor", None), ("powercat", "powercat", None)]
        if before:
            runs.insert(1, (f"before ({before.name})", "powercat", before))
        results = {name: child("_booklet", impl, str(spec), tree=tree) for name, impl, tree in runs}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    floor = results["floor"]["cpu"]
    print(f"{'':22} {'CPU s':>7} {'×floor':>7} {'wall s':>7} {'MiB':>6}  parts (CPU s, children included)")
    for name, r in results.items():
        parts = ", ".join(f"{k} {v:.1f}" for k, v in r["parts"].items())
        print(f"{name:22} {r['cpu']:7.1f} {r['cpu'] / floor:6.2f}× {r['seconds']:7.1f} {r['bytes'] / 2**20:6.1f}  {parts}")
    digests = {r["sha256"] for name, r in results.items() if name != "floor"}
    if len(results) > 2:
        print("booklet bytes: " + ("identical" if len(digests) == 1 else "DIFFERENT") + " before and after")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


# --- a whole build -------------------------------------------------------------------------

def run_build(province: Path, out: Path, jobs: int, dask_workers: int) -> dict:
    """One build, in this process; with `dask_workers` through a Dask LocalCluster."""
    import contextlib

    from powercat.pipeline import commands as build_module, stages as stages_module
    from powercat.publish import spreadsheet
    from powercat.render import flowcharts

    from powercat import check as check_module

    spent = {"charting": 0.0, "layout": 0.0, "workbook": 0.0, "rules": 0.0, "client rules": 0.0}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return wrapper

    # booklets run as tasks (on Dask workers, or threads), so they are timed from outside:
    # what flowcharts.render spends after render_all (the layout) has returned
    flowcharts.render = timed("charting", flowcharts.render)
    flowcharts.render_all = timed("layout", flowcharts.render_all)
    spreadsheet.write_workbook = timed("workbook", spreadsheet.write_workbook)
    # 审查 = the rules (per power, on workers with Dask; over the whole catalogue, here) and the
    # annotated copies (per file, on workers with Dask)
    stages_module.run_checks = timed("rules", stages_module.run_checks)
    for module in (check_module.catalogue_rules, check_module.overlaps, check_module.reading):
        # generators: consumed inside the timer, or only their creation would be timed
        module.check = timed("client rules", lambda *a, _check=module.check, **k: list(_check(*a, **k)))

    stage_peak: dict[str, float] = {}
    current = ["start"]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            stage_peak[current[0]] = max(stage_peak.get(current[0], 0.0), rss_mb())
            time.sleep(0.1)

    def on_stage(name: str) -> None:
        current[0] = name
        print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)

    chart_rss: list[tuple[int, float]] = []

    def on_progress(done: int, total: int) -> None:
        if not chart_rss or done - chart_rss[-1][0] >= total // 10:
            chart_rss.append((done, rss_mb()))

    workers_peak: list[float] = []
    with contextlib.ExitStack() as stack:
        pool = None
        if dask_workers:
            import dask
            import distributed

            from powercat.engine import executor

            # the LocalCluster's scheduler runs in this process: give it the setting the README
            # asks of a cluster's scheduler, or its comms keep 1,000 messages of DOT text each
            stack.enter_context(dask.config.set({"distributed.admin.low-level-log-length": 20}))
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=dask_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=40))
            observer = stack.enter_context(distributed.Client(cluster))
            pool = stack.enter_context(executor("dask://" + cluster.scheduler_address.removeprefix("tcp://")))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        result = build_module.build([str(province)], out, as_of=AS_OF, workers=jobs, stage=on_stage,
                                    progress=on_progress, executor=pool)
        wall = time.perf_counter() - started
        stop.set()
        if dask_workers:
            workers_peak = sorted(observer.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024).values())
    seconds = dict(result.seconds)
    return {"wall": wall, "stages": seconds, "spent": spent, "stage_peak": stage_peak, "peak": peak_mb(),
            "workers_peak": workers_peak, "counts": result.counts, "chart_rss": chart_rss}


def floor_reading(province: Path) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    for path in sorted(province.glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - started


def dot_sources(province: Path, folder: Path) -> int:
    """The build's DOT sources, in the build's order and batches: folder/b00000.gv …"""
    from powercat.ingest import load
    from powercat.ingest.agency import settle_agencies
    from powercat.law.summary import basis_summary
    from powercat.process import build_graph
    from powercat.publish.records import public_records
    from powercat.render import flowcharts
    from powercat.render.dot import to_dot

    catalogue = load([str(province)])
    settle_agencies(catalogue)
    charts = flowcharts.plan(catalogue, folder / "unused", include_withheld=True, internal_dir=folder / "unused",
                             public=[record.power for record in public_records(catalogue)])
    phones = {f.agency.name: f.agency.phone for f in catalogue.files}
    for start in range(0, len(charts), BATCH):
        text = "".join(to_dot(build_graph(c.power), c.agency, phones.get(c.agency), name=f"chart{start + k}",
                              basis=basis_summary(c.power.basis))
                       for k, c in enumerate(charts[start:start + BATCH]))
        (folder / f"b{start // BATCH:05d}.gv").write_text(text, encoding="utf-8")
    return len(charts)


def floor_layout(folder: Path, jobs: int) -> float:
    batches = sorted(folder.glob("*.gv"))

    def run(path: Path) -> None:
        subprocess.run(["dot", "-Tsvg", "-Tpdf", "-O", str(path)], check=True, capture_output=True)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, batches))
    return time.perf_counter() - started


def floor_booklets(flowcharts_dir: Path, work: Path, jobs: int) -> tuple[float, int]:
    """One `rsvg-convert` pass per agency, `jobs` agencies at once (as the build runs them)."""
    agencies = sorted(p for p in flowcharts_dir.iterdir() if p.is_dir())
    pages = sum(1 for folder in agencies for _ in folder.glob("*.svg"))

    def run(folder: Path) -> None:
        svgs = sorted(p.name for p in folder.glob("*.svg"))
        subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(work / f"{folder.name}.pdf"), *svgs], check=True,
                       capture_output=True, cwd=folder)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, agencies))
    return time.perf_counter() - started, pages


def floor_workbook_of(province: Path, target: Path) -> float:
    from powercat.ingest import load
    from powercat.ingest.agency import settle_agencies
    from powercat.publish.records import public_records

    catalogue = load([str(province)])
    settle_agencies(catalogue)
    records = public_records(catalogue)
    started = time.perf_counter()
    floor_workbook(records, target)
    return time.perf_counter() - started


def build_main(args) -> None:
    province = args.province.resolve()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=args.work))
    try:
        # --reuse: runs and floors not asked for again come from an earlier --json of this province
        earlier = json.loads(args.reuse.read_text()) if args.reuse else {"runs": {}, "floors": None}
        runs = dict(earlier["runs"])
        if "local" in args.runs:
            print(f"[{time.strftime('%H:%M:%S')}] local build (--jobs {args.jobs})", flush=True)
            runs["local"] = child("_build", str(province), str(work / "local"), str(args.jobs), "0")
        if "dask" in args.runs and args.dask_workers:
            print(f"[{time.strftime('%H:%M:%S')}] Dask LocalCluster build ({args.dask_workers} workers)", flush=True)
            runs["dask"] = child("_build", str(province), str(work / "dask"), str(args.jobs), str(args.dask_workers))
        floors = earlier["floors"]
        if "floors" in args.runs or floors is None:
            print(f"[{time.strftime('%H:%M:%S')}] floors", flush=True)
            floors = child("_floors", str(province), str(work), str(args.jobs))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "floors": floors}, ensure_ascii=False, indent=1))
    report(runs, floors, args)


def floors_main(province: Path, work: Path, jobs: int) -> dict:
    gv = work / "gv"
    gv.mkdir()
    started = time.perf_counter()
    charts = dot_sources(province, gv)
    dot_text = time.perf_counter() - started  # reading again, graphs and DOT text: what the client does per chart
    booklet_dir = work / "floor-booklets"
    booklet_dir.mkdir()
    booklets, pages = floor_booklets(work / "local" / "public" / "flowcharts", booklet_dir, jobs)
    return {"reading": floor_reading(province), "layout": floor_layout(gv, jobs), "charts": charts, "dot_text": dot_text,
            "booklets": booklets, "booklet_pages": pages,
            "workbook": floor_workbook_of(province, work / "floor.xlsx")}


def split(run: dict) -> dict[str, float]:
    """The build's stages, with 流程图 cut into layout and booklets and 公开目录 into the
    workbook and the other catalogue files."""
    s, spent = run["stages"], dict(run["spent"])
    spent.setdefault("booklets", spent.get("charting", 0.0) - spent.get("layout", 0.0))
    checks = {"审查 checks": s["审查"]}
    if "rules" in spent:  # runs from before the rules were timed apart have 审查 whole
        checks = {"审查 rules per power": spent["rules"] - spent["client rules"],
                  "审查 rules, whole list": spent["client rules"],
                  "审查 annotated copies": s["审查"] - spent["rules"]}
    return {"读取清单 reading": s["读取清单"], **checks,
            "流程图 layout": s["流程图"] - spent["booklets"], "流程图 booklets": spent["booklets"],
            "公开目录 workbook": spent["workbook"], "公开目录 other files": s["公开目录"] - spent["workbook"],
            "网站 site": s["网站"], "内部备案 register": s["内部备案"]}


STAGE_OF = {"读取清单 reading": "读取清单", "审查 checks": "审查", "审查 rules per power": "审查",
            "审查 rules, whole list": "审查", "审查 annotated copies": "审查", "流程图 layout": "流程图", "流程图 booklets": "流程图",
            "公开目录 workbook": "公开目录", "公开目录 other files": "公开目录", "网站 site": "网站", "内部备案 register": "内部备案"}
FLOOR_OF = {"读取清单 reading": "reading", "流程图 layout": "layout", "流程图 booklets": "booklets",
            "公开目录 workbook": "workbook"}


def report(runs: dict, floors: dict, args) -> None:
    local = runs["local"]
    counts = local["counts"]
    print(f"\nprovince {args.province}: {counts['powers']:,} powers ({counts['public']:,} public), "
          f"{counts['charts']:,} charts; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    names = list(runs)
    head = f"{'stage':22}" + "".join(f" {n + ' s':>9} {'×floor':>7} {'RSS MiB':>8}" for n in names) + f" {'floor s':>8}"
    print(head)
    print("-" * len(head))
    parts = {n: split(r) for n, r in runs.items()}
    for stage in parts["local"]:
        line = f"{stage:22}"
        floor = floors.get(FLOOR_OF.get(stage, ""), None)
        for n in names:
            value = parts[n][stage]
            ratio = f"{value / floor:6.2f}×" if floor else f"{'–':>7}"
            line += f" {value:9.1f} {ratio:>7} {runs[n]['stage_peak'].get(STAGE_OF[stage], 0):8.0f}"
        line += f" {floor:8.1f}" if floor else f" {'–':>8}"
        print(line)
    print(f"{'total (wall)':22}" + "".join(f" {runs[n]['wall']:9.1f} {'':7} {runs[n]['peak']:8.0f}" for n in names))
    for n in names:
        extra = f"; Dask workers' peak RSS {', '.join(f'{w:.0f}' for w in runs[n]['workers_peak'])} MiB" \
            if runs[n]["workers_peak"] else ""
        rss = ", ".join(f"{d}→{m:.0f}" for d, m in runs[n]["chart_rss"])
        print(f"{n}: client peak RSS {runs[n]['peak']:.0f} MiB{extra}; RSS while charting (charts→MiB): {rss}")
    print(f"floors: layout = bare dot over {floors['charts']:,} charts in batches of {BATCH}, {args.jobs} at once; "
          f"booklets = rsvg-convert over {floors['booklet_pages']:,} chart SVGs, one pass per agency; "
          f"workbook = openpyxl write-only, same rows; reading = python-calamine, every sheet")
    project(runs, floors, args)


# Where each part runs with --executor dask:// (engine.py); everything else runs on the client.
ON_WORKERS = {"读取清单 reading", "审查 rules per power", "审查 annotated copies", "流程图 layout", "流程图 booklets"}


def project(runs: dict, floors: dict, args) -> None:
    """Per-power costs from the measured Dask run (else the local one), to 1,000,000 powers
    on N workers. A part on the workers (ON_WORKERS) costs its wall time × the cores that ran
    it, spread over N workers; a part on the client costs its wall time, once. The stages run
    one after another, so a build takes client time + worker time / N.

    Runs measured before the graphs/DOT text and the annotated copies moved to the workers
    (no `审查 annotated copies` part) are projected as they ran: DOT text (timed apart in
    the floors run) and all of 审查 on the client."""
    target, budget = 1_000_000, 3600.0
    name = "dask" if "dask" in runs else "local"
    run = runs[name]
    parts = split(run)
    powers, charts = run["counts"]["powers"], run["counts"]["charts"]
    cores = args.dask_workers if name == "dask" else args.jobs
    client = {k: v for k, v in parts.items() if k not in ON_WORKERS}
    worker = {k: v * cores for k, v in parts.items() if k in ON_WORKERS}
    if "审查 annotated copies" not in parts:  # as built before: graphs and DOT text on the client
        dot_text = floors["dot_text"]  # seconds, measured in the floors run
        worker["流程图 layout"] = max(0.0, parts["流程图 layout"] - dot_text) * cores
        client["流程图 DOT text"] = dot_text
    per_power = {k: v / powers for k, v in client.items()}
    spread = sum(worker.values()) / powers * target  # core-seconds on workers
    serial = sum(per_power.values()) * target
    print(f"\nprojection to {target:,} powers (costs from the {name} run, {cores} cores; a worker = one core like these):")
    print("  on workers: " + ", ".join(f"{k} {v / powers * target / 3600:.1f}" for k, v in worker.items())
          + f" = {spread / 3600:.1f} core-hours")
    print("  on the client, one process: " + ", ".join(f"{k} {v * target / 60:.1f} min" for k, v in per_power.items())
          + f" = {serial / 60:.0f} min")
    if serial >= budget:
        print(f"  under an hour: no number of workers: the client alone takes {serial / 60:.0f} min")
        return
    workers = math.ceil(spread / (budget - serial))
    print(f"  under an hour: {workers} workers ({spread / workers / 60:.0f} min on the workers + "
          f"{serial / 60:.0f} min on the client); on 100 workers {(serial + spread / 100) / 60:.0f} min")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_workbook":
        print(json.dumps(run_workbook(sys.argv[2], int(sys.argv[3]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_booklet":
        print(json.dumps(run_booklet(sys.argv[2], Path(sys.argv[3]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        province, out, jobs, dask_workers = sys.argv[2:6]
        print(json.dumps(run_build(Path(province), Path(out), int(jobs), int(dask_workers)), ensure_ascii=False))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_floors":
        print(json.dumps(floors_main(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="a whole build, local pool and Dask, beside the floors")
    b.add_argument("province", type=Path)
    b.add_argument("--jobs", type=int, default=2)
    b.add_argument("--dask-workers", type=int, default=2, help="0: no Dask run")
    b.add_argument("--work", type=Path, default=None, help="where the outputs go meanwhile (default: tmp)")
    b.add_argument("--keep", action="store_true", help="keep the outputs")
    b.add_argument("--json", type=Path, default=None, help="also write the measurements here")
    b.add_argument("--report", type=Path, default=None, help="print the report of a --json file, run nothing")
    b.add_argument("--runs", default="local,dask,floors", help="which of local, dask, floors to run (default: all)")
    b.add_argument("--reuse", type=Path, default=None,
                   help="an earlier --json of the same province: what --runs leaves out is taken from it")
    w = commands.add_parser("workbook", help="the catalogue workbook alone, against openpyxl write-only")
    w.add_argument("--rows", type=int, default=100_000)
    w.add_argument("--before", type=Path, default=None, help="also measure the powercat of this checkout")
    w.add_argument("--no-styled", action="store_true", help="leave out the styled openpyxl floor (the slowest run)")
    k = commands.add_parser("booklets", help="one agency's booklet alone, against one rsvg-convert pass")
    k.add_argument("--charts", type=int, default=2000)
    k.add_argument("--distinct", type=int, default=200, help="charts drawn; the others repeat them")
    k.add_argument("--before", type=Path, default=None, help="also measure the powercat of this checkout")
    k.add_argument("--work", type=Path, default=None, help="where the charts go meanwhile (default: tmp)")
    args = parser.parse_args()
    if args.command == "booklets":
        booklets_main(args.charts, args.distinct, args.before, args.work)
        return
    if args.command == "build" and args.report:
        data = json.loads(args.report.read_text())
        report(data["runs"], data["floors"], args)
    elif args.command == "build":
        build_main(args)
    else:
        workbook_main(args.rows, args.before, styled=not args.no_styled)


if __name__ == "__main__":
    main()
