"""Compare two powercat output trees file by file, for restructurings that must change no output.

    python scripts/compare_trees.py BEFORE AFTER

xlsx files are compared part by part with their timestamps (docProps/core.xml) left out; every
other file byte for byte. Prints each difference and exits 1 when there is any.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

IGNORED_PARTS = {"docProps/core.xml"}
IGNORED_FILES = {".powercat-output"}  # the marker records when and by what it was written


def _xlsx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n not in IGNORED_PARTS}


def _differs(a: Path, b: Path) -> str | None:
    if a.suffix.lower() == ".xlsx":
        pa, pb = _xlsx_parts(a), _xlsx_parts(b)
        changed = sorted(n for n in pa.keys() | pb.keys() if pa.get(n) != pb.get(n))
        return f"xlsx parts differ: {', '.join(changed[:5])}" if changed else None
    return None if a.read_bytes() == b.read_bytes() else "bytes differ"


def compare(before: Path, after: Path) -> list[str]:
    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*")
                if p.is_file() and p.name not in IGNORED_FILES}

    left, right = files(before), files(after)
    problems = [f"only before: {n}" for n in sorted(left - right)]
    problems += [f"only after: {n}" for n in sorted(right - left)]
    for name in sorted(left & right):
        why = _differs(before / name, after / name)
        if why:
            problems.append(f"{name}: {why}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = compare(Path(argv[0]), Path(argv[1]))
    for line in problems:
        print(line)
    print(f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
