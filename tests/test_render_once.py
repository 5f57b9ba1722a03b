"""Each chart is laid out once: one `dot` process per batch of charts makes the SVG
(for the site, and the PDF too when asked for), and each agency's booklet is set from those SVGs by one
`rsvg-convert` pass, with no second layout."""

import os
import shutil
from pathlib import Path

import pytest

from powercat.pipeline.commands import build

from .conftest import DATA

pytestmark = pytest.mark.skipif(not (shutil.which("dot") and shutil.which("rsvg-convert")),
                                reason="Graphviz dot and rsvg-convert are needed")


def _logging_wrapper(folder: Path, tool: str, log: Path) -> None:
    """A `tool` on PATH that notes its arguments (and, for dot, the graphs it was given on
    stdin) and then runs the real one."""
    real = shutil.which(tool)
    script = folder / tool
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "{tool} $*" >> "{log}"\n'
        + (f'if [ "$*" = "-Tsvg" ]; then\n  input=$(mktemp)\n  cat > "$input"\n'
           f'  grep -o "^digraph [^ ]*" "$input" | sed "s/^/graph /" >> "{log}"\n'
           f'  "{real}" "$@" < "$input"\n  status=$?\n  rm -f "$input"\n  exit $status\nfi\n'
           if tool == "dot" else "")
        + f'exec "{real}" "$@"\n')
    script.chmod(0o755)


def test_every_chart_is_laid_out_once_and_booklets_reuse_the_svgs(tmp_path, monkeypatch):
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for tool in ("dot", "rsvg-convert"):
        _logging_wrapper(bin_dir, tool, log)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    result = build([str(DATA)], tmp_path / "out", workers=2)

    lines = log.read_text(encoding="utf-8").splitlines()
    # `dot -V`, `rsvg-convert --version`: the tools' versions, part of the cache keys (pipeline.keys)
    lines = [line for line in lines if line not in ("dot -V", "rsvg-convert --version")]
    dot_runs = [line for line in lines if line.startswith("dot ")]
    graphs = [line.split()[-1] for line in lines if line.startswith("graph ")]
    booklet_runs = [line for line in lines if line.startswith("rsvg-convert ")]
    charts = result.counts["charts"]
    assert charts > 50
    # every chart is in exactly one dot input; build writes SVG only (no per-power PDF in
    # public/, see test_public_size.py)
    assert sorted(graphs) == sorted({g for g in graphs}) and len(graphs) == charts
    assert len(dot_runs) == -(-charts // 40)
    assert all(run == "dot -Tsvg" for run in dot_runs)  # the graphs on stdin, their SVGs on stdout
    # one rsvg-convert per agency booklet, reading the charts' SVGs; nothing is drawn twice
    booklets = sorted((tmp_path / "out" / "public" / "flowcharts").glob("*.pdf"))
    assert len(booklet_runs) == len(booklets) >= 3
    assert all(".svg" in run and "-f pdf" in run for run in booklet_runs)
