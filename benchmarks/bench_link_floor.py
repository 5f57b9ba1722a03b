"""The floor of putting an unchanged file in place on a rebuild (a hard link out of the cache),
beside a copy and each tree's FileCache.fetch (its checks included), in CPU s per 1,000 files
of ~20 KB (a chart's SVG, a power page): what a no-change rebuild's chart and site stages pay
per file at least.

    python benchmarks/bench_link_floor.py /work/base-NAME /work/wt-NAME
"""
import importlib
import os
import shutil
import sys
from pathlib import Path
N = 3000
import tempfile
root = Path(tempfile.mkdtemp(prefix="bench-link-floor-"))
src = root / "src"; src.mkdir()
data = os.urandom(20000)
files = []
for i in range(N):
    p = src / f"{i}.svg"; p.write_bytes(data + str(i).encode()); files.append(p)
def cpu(): t = os.times(); return t.user + t.system
def run(label, fn):
    out = root / label.replace(" ", "_"); (out / "d").mkdir(parents=True)
    c = cpu(); fn(out / "d"); c = cpu() - c
    print(f"{label:34} {1000*c/N:.3f} CPU s per 1,000 files")
for tree in sys.argv[1:]:
    for m in [m for m in sys.modules if m.startswith("powercat")]: del sys.modules[m]
    sys.path.insert(0, tree)
    fc = importlib.import_module("powercat.filecache")
    sys.path.pop(0)
    cache = fc.FileCache(root / ("cache-" + Path(tree).name))
    keys = [fc.make_key("x", i) for i in range(N)]
    for k, p in zip(keys, files):
        cache.store(k, [p])
    entries = [cache._entry(k) / "0.svg" for k in keys]
    run("os.link (floor) " + Path(tree).name, lambda d: [os.link(e, d / f"{i}.svg") for i, e in enumerate(entries)])
    run("shutil.copyfile " + Path(tree).name, lambda d: [shutil.copyfile(e, d / f"{i}.svg") for i, e in enumerate(entries)])
    run("FileCache.fetch " + Path(tree).name, lambda d: [cache.fetch(k, [d / f"{i}.svg"]) for i, k in enumerate(keys)])
shutil.rmtree(root, ignore_errors=True)
