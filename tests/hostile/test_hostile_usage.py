"""Usage errors every command answers the same way: --as-of outside the working-day calendar,
SOURCE_DATE_EPOCH out of range, and a build whose --out is one of its inputs. Exit 2, a
Chinese message, nothing read or written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ..conftest import DATA, run_cli


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def lists(tmp_path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(DATA, folder)
    return folder


CASES = [
    # (name, arguments with IN for the lists, environment, message phrase)
    ("check as-of before the calendar", ["check", "IN", "--as-of", "1990-01-01"], {}, "超出工作日历支持的范围"),
    ("check as-of after the calendar", ["check", "IN", "--as-of", "2050-06-30"], {}, "超出工作日历支持的范围"),
    ("check as-of not a date", ["check", "IN", "--as-of", "2025-02-30"], {}, "应为 YYYY-MM-DD"),
    ("build as-of far future", ["build", "IN", "--out", "OUT", "--as-of", "9999-12-31"], {}, "超出工作日历支持的范围"),
    ("cases as-of year one", ["cases", "IN/办件登记", "--catalogue", "IN", "--as-of", "0001-01-01"], {},
     "超出工作日历支持的范围"),
    ("flowchart epoch negative", ["flowchart", "IN", "--out", "OUT"], {"SOURCE_DATE_EPOCH": "-1"}, "SOURCE_DATE_EPOCH"),
    ("flowchart epoch past 9999", ["flowchart", "IN", "--out", "OUT"], {"SOURCE_DATE_EPOCH": "999999999999999"},
     "SOURCE_DATE_EPOCH"),
    ("build out is the lists", ["build", "IN", "--out", "IN"], {}, "就是输入"),
    ("build out is the registers", ["build", "IN", "--out", "IN/办件登记"], {}, "覆盖输入"),
    ("build out holds the lists", ["build", "IN", "--out", "PARENT"], {}, "删除输入"),
]


@pytest.mark.parametrize("name,args,env,phrase", CASES, ids=[c[0] for c in CASES])
def test_usage_errors(lists, monkeypatch, name, args, env, phrase):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = lists.parent / "out"
    swap = {"IN": str(lists), "OUT": str(out), "PARENT": str(lists.parent)}
    argv = [swap.get(a, a.replace("IN/", f"{lists}/")) for a in args]
    before = _tree(lists.parent)
    result = run_cli(*argv)
    assert result.exit_code == 2, (name, result.stderr)
    assert phrase in result.stderr.replace("\n", ""), (name, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert _tree(lists.parent) == before  # nothing read into, nothing written


def test_review_never_replaces_a_catalogue_folder(lists, tmp_path):
    """review's output goes through the one output module: a folder another command wrote is
    refused (exit 2) and left as it was."""
    catalogue = tmp_path / "catalogue"
    assert run_cli("catalogue", lists, "--out", catalogue, "--format", "json,csv").exit_code == 0
    copies = tmp_path / "copies"
    assert run_cli("check", lists, "--annotate", copies).exit_code in (0, 1)
    before = _tree(catalogue)
    result = run_cli("review", copies, "--out", catalogue, "--list", lists)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr and "不是 powercat review 的输出文件夹" in result.stderr.replace("\n", "")
    assert _tree(catalogue) == before
    # and into a folder of its own it writes, marked as review's
    result = run_cli("review", copies, "--out", tmp_path / "review", "--list", lists)
    assert result.exit_code in (0, 1), result.stderr
    assert "review" in (tmp_path / "review" / ".powercat-output").read_text(encoding="utf-8")


@pytest.mark.slow
def test_make_demo_runs_twice(lists, tmp_path):
    """`make demo` builds, then writes the blank template inside the build's internal/ area;
    run again, the build replaces its folder (template included) rather than refusing it."""
    out = tmp_path / "exports"
    for _ in range(2):
        built = run_cli("build", lists, "--out", out, "--no-booklet", "--as-of", "2025-12-31")
        assert built.exit_code in (0, 1), built.stderr
        made = run_cli("template", out / "internal" / "标准模板.xlsx")
        assert made.exit_code == 0, made.stderr
    assert (out / "internal" / "标准模板.xlsx").is_file() and (out / "public" / "site" / "index.html").is_file()
