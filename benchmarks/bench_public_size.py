"""Sizes of the parts of one or more OUT/public folders, as a Markdown table.

    python benchmarks/bench_public_size.py LABEL=OUT/public [LABEL=OUT/public ...]

Parts: per-power PDFs (`flowcharts/<agency>/*.pdf`), chart SVGs, booklets
(`flowcharts/*.pdf`), site, catalogue, cases, and the whole; the first folder is the
reference for the percentages. Results: benchmarks/results/public-size.md.
"""

from __future__ import annotations

import sys
from pathlib import Path


def parts(public: Path) -> dict[str, tuple[int, int]]:
    """part → (files, bytes)."""
    out: dict[str, list[int]] = {}

    def add(part: str, size: int) -> None:
        entry = out.setdefault(part, [0, 0])
        entry[0] += 1
        entry[1] += size

    charts = public / "flowcharts"
    for path in public.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        if path.is_relative_to(charts):
            if path.suffix == ".pdf":
                add("booklets" if path.parent == charts else "per-power PDFs", size)
            else:
                add(f"chart {path.suffix.lstrip('.').upper()}s", size)
        else:
            add(path.relative_to(public).parts[0], size)
        add("public/ in all", size)
    return {part: (n, size) for part, (n, size) in out.items()}


def main(args: list[str]) -> None:
    runs = [(label, parts(Path(folder))) for label, folder in (a.split("=", 1) for a in args)]
    names = sorted({p for _l, r in runs for p in r}, key=lambda p: (p == "public/ in all", p))
    print("| part | " + " | ".join(label for label, _r in runs) + " |")
    print("|---|" + "---:|" * len(runs))
    reference = runs[0][1]
    for name in names:
        cells = []
        for _label, run in runs:
            n, size = run.get(name, (0, 0))
            base = reference.get(name, (0, 0))[1]
            share = f" ({size / base:.0%})" if base and run is not reference else ""
            cells.append(f"{size / 1e6:.1f} MB, {n} files{share}" if n else "—")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
