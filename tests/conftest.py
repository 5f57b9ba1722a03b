import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powercat.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL_LISTS = SHARED / "real-lists"
DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    # rich wraps to the terminal width; pin it so assertions on text are stable
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def real_lists() -> Path:
    if not (REAL_LISTS / "expected.json").is_file():
        pytest.skip(f"../shared/real-lists is absent ({REAL_LISTS}); real-list tests need it beside the repo")
    return REAL_LISTS


@pytest.fixture
def expected(real_lists) -> dict:
    return json.loads((real_lists / "expected.json").read_text(encoding="utf-8"))


def run_cli(*args: str):
    """Runs powercat in-process; returns the click Result (stdout and stderr separate)."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return result


def list_json(*paths) -> tuple[int, dict]:
    result = run_cli("list", "--json", *paths)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def cli():
    return run_cli


# A stand-in `dot` that writes placeholder outputs (optionally sleeping, recording its pid) and
# an `fc-list` that reports the CJK font: builds run without Graphviz, and a `dot` that hangs
# can be made on purpose.
FAKE_DOT = '''#!{python}
import os, sys, time
if os.environ.get("FAKE_DOT_PIDS"):
    with open(os.environ["FAKE_DOT_PIDS"], "a") as pids:
        pids.write(f"{{os.getpid()}} ")
time.sleep(float(os.environ.get("FAKE_DOT_SLEEP", "0")))
formats = [a[2:] for a in sys.argv[1:] if a.startswith("-T")]
if "-O" not in sys.argv:  # SVG alone: the graphs on stdin, one document each on stdout
    count = sys.stdin.read().count("digraph")
    sys.stdout.write('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><g><title>g</title></g></svg>' * count)
    sys.exit(0)
source = sys.argv[-1]
count = open(source, encoding="utf-8").read().count("digraph")
for i in range(1, count + 1):
    for fmt in formats:
        name = f"{{source}}.{{fmt}}" if i == 1 else f"{{source}}.{{i}}.{{fmt}}"
        with open(name, "w") as out:
            out.write('<svg xmlns="http://www.w3.org/2000/svg"><g><title>g</title></g></svg>' if fmt == "svg"
                      else "%PDF-1.4\\n%%EOF\\n")
'''


@pytest.fixture
def fake_tools(tmp_path, monkeypatch):
    """A bin folder with a stand-in `dot` and `fc-list`, first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(FAKE_DOT.format(python=sys.executable), encoding="utf-8")
    (bin_dir / "fc-list").write_text("#!/bin/sh\necho 'Noto Sans CJK SC'\n", encoding="utf-8")
    for tool in ("dot", "fc-list"):
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return bin_dir


def mount_tmpfs(target: Path, options: str) -> bool:
    """A real small or read-only disk for fault tests (root only); False when none can be made."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    target.mkdir(exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True).returncode == 0
