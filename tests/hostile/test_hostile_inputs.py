"""Hostile inputs at the one way in (issue 20): case registers among the lists, powercat's own
outputs, bad --laws supplements, bad SOURCE_DATE_EPOCH, a stuck `dot`, file names that
would break a sheet title, Ctrl-C at start. Each case: exit code, a Chinese phrase in
stderr, and no traceback.

`build` needs Graphviz and a CJK font; the tests put stand-ins on PATH (a `dot` that writes
one small SVG/PDF per graph, an `fc-list` naming the font), so they run anywhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from ..conftest import ROOT, run_cli
from ..test_bad_input import list_with_a_withheld_power, register_naming_the_withheld_code

FAKE_DOT = '''#!{python}
import os, sys, time
time.sleep(float(os.environ.get("FAKE_DOT_SLEEP", "0")))
source = sys.argv[-1]
formats = [a[2:] for a in sys.argv[1:] if a.startswith("-T")]
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


def lists_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "清单"
    folder.mkdir()
    list_with_a_withheld_power(folder / "某局权力清单.xlsx")
    return folder


def assert_clean(result, code: int, phrase: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr[-2000:])
    assert phrase in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr


# --- SOURCE_DATE_EPOCH: a usage error before any work (was exit 70 from the PDF writer) ---

@pytest.mark.parametrize("value, phrase", [
    ("99999999999999999999999", "超出范围"),
    ("253402300800", "超出范围"),
    ("-1", "负数"),
    ("1.5e9", "不是整数"),
    ("昨天", "不是整数"),
])
def test_bad_source_date_epoch_is_a_usage_error(tmp_path, fake_tools, monkeypatch, value, phrase):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    out = tmp_path / "out"
    result = run_cli("build", lists_folder(tmp_path), "--out", out, "--no-booklet")
    assert_clean(result, 2, phrase)
    assert "SOURCE_DATE_EPOCH" in result.stderr
    assert not out.exists()


def test_a_good_source_date_epoch_still_builds(tmp_path, fake_tools, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = run_cli("build", lists_folder(tmp_path), "--out", tmp_path / "out", "--no-booklet")
    assert result.exit_code in (0, 1), result.stderr[-2000:]


# --- a case register among the lists ---

def test_build_reads_a_register_among_the_lists_as_a_register(tmp_path, fake_tools):
    folder = lists_folder(tmp_path)
    register_naming_the_withheld_code(folder / "某局办件登记.xlsx")
    out = tmp_path / "out"
    result = run_cli("build", folder, "--out", out, "--no-booklet", "--json")
    assert_clean(result, 1, "按办件登记读取")  # 1: the list's own check findings
    import json

    counts = json.loads(result.stdout)["counts"]
    assert counts["powers"] == 2 and counts["withheld"] == 1  # before: 5 powers, the cases among them
    assert counts["cases"] == 3
    public_text = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in (out / "public").rglob("*")
                          if p.is_file() and p.suffix in (".json", ".csv", ".html", ".svg"))
    assert "涉密事项核查" not in public_text


@pytest.mark.parametrize("command", ["list", "check"])
def test_list_and_check_skip_a_register_with_a_notice(tmp_path, command):
    folder = lists_folder(tmp_path)
    register_naming_the_withheld_code(folder / "某局办件登记.xlsx")
    result = run_cli(command, folder)
    # check: exit 1 for the list's own findings, none for the register's rows
    assert result.exit_code == (0 if command == "list" else 1), result.stderr
    assert "BJ-2025" not in result.stdout
    if command == "list":  # the file table says why the register was not read
        assert "办件登记表" in result.stdout and "未作为事项读取" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
