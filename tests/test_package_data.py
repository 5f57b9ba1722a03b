"""Every data file powercat reads at run time ships in its wheel: a file missing from
pyproject's package-data works in the editable checkout and fails only once installed."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_under_the_package_is_declared():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]
    missing = []
    for path in sorted((ROOT / "powercat").rglob("*")):
        if not path.is_file() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(ROOT)
        package = ".".join(relative.parent.parts)
        # a pattern of a parent package may name the file by its path below that package
        owners = [(p, pats) for p, pats in declared.items() if package == p or package.startswith(p + ".")]
        if not any(fnmatch.fnmatch(str(relative.relative_to(Path(*p.split(".")))), pat)
                   for p, pats in owners for pat in pats):
            missing.append(str(relative))
    assert missing == []
