"""Placing 9,000 cache files in an output tree as copies or as hard links, then removing the
tree (the swap's rmtree): CPU and wall seconds on this disk (filecache._place).

    python benchmarks/bench_link_unlink.py /somewhere/on/the/output/disk
"""
import os, time, shutil, sys, tempfile
from pathlib import Path
root = Path(tempfile.mkdtemp(prefix="bench-link-", dir=sys.argv[1])) / "t"  # never the folder given
n = 9000; data = os.urandom(20000)
def cpu(): t = os.times(); return t.user + t.system
for trial in range(2):
    src = root / "cache"; shutil.rmtree(root, ignore_errors=True); src.mkdir(parents=True)
    for i in range(n): (src / f"{i}.svg").write_bytes(data)
    os.sync()
    for how in ("copy", "link"):
        tree = root / how; tree.mkdir()
        c, w = cpu(), time.perf_counter()
        for i in range(n):
            if how == "copy": (tree / f"{i}.svg").write_bytes((src / f"{i}.svg").read_bytes())
            else: (src / f"{i}.svg").read_bytes(); os.link(src / f"{i}.svg", tree / f"{i}.svg")
        put = (cpu() - c, time.perf_counter() - w)
        os.sync()
        c, w = cpu(), time.perf_counter()
        shutil.rmtree(tree)
        rm = (cpu() - c, time.perf_counter() - w)
        print(f"{how}: place cpu {put[0]:.2f} wall {put[1]:.2f}; rmtree cpu {rm[0]:.2f} wall {rm[1]:.2f}")
shutil.rmtree(root.parent)
