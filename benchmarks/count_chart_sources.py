"""How many charts each source of procedure draws, per list and in total: the unit's own
运行流程 (steps), its 责任事项/办理流程 stages (duty), the procedure derived from the cited
laws (law), the bare category template (template).

    PYTHONPATH=. python benchmarks/count_chart_sources.py [LIST_DIR …] [--json]

Run it with PYTHONPATH pointing at two trees to compare before and after.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from powercat.ingest.loader import load
from powercat.process import build_graph

SOURCES = ("steps", "duty", "law", "template")


def count(paths: list[str]) -> dict[str, Counter]:
    catalogue = load(paths)
    out: dict[str, Counter] = {}
    for file in catalogue.files:
        counts = out.setdefault(Path(file.path).name, Counter())
        for power in file.powers:
            counts[build_graph(power).source] += 1
    return out


def main(argv: list[str]) -> None:
    as_json = "--json" in argv
    paths = [a for a in argv if a != "--json"] or [str(Path(__file__).resolve().parents[2] / "shared" / "real-lists")]
    per_file = count(paths)
    total = sum(per_file.values(), Counter())
    if as_json:
        print(json.dumps({"total": {s: total[s] for s in SOURCES},
                          "files": {name: {s: c[s] for s in SOURCES} for name, c in sorted(per_file.items())}},
                         ensure_ascii=False, indent=1))
        return
    print(f"{'list':<48}" + "".join(f"{s:>10}" for s in SOURCES))
    for name, counts in sorted(per_file.items()):
        print(f"{name[:48]:<48}" + "".join(f"{counts[s]:>10}" for s in SOURCES))
    print(f"{'total':<48}" + "".join(f"{total[s]:>10}" for s in SOURCES))


if __name__ == "__main__":
    main(sys.argv[1:])
