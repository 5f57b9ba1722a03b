"""`dot` runs in the environment it is given, minus what only slows it down; SVG through its
standard streams is byte for byte what it writes to files."""

import shutil
from pathlib import Path

import pytest

from powercat.render.batch import Job, _render_files, render_batch


def test_dot_does_not_inherit_a_dask_workers_malloc_trim_setting(tmp_path, monkeypatch):
    # a Dask nanny starts its worker with MALLOC_TRIM_THRESHOLD_=65536; `dot` under it runs ~2× slower
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.setenv("POWERCAT_TEST_KEPT", "yes")
    fake = tmp_path / "dot"
    # SVG alone comes back on dot's stdout, one document (from its XML declaration on) per graph
    fake.write_text('#!/bin/sh\nprintf "<?xml %s %s" "${MALLOC_TRIM_THRESHOLD_-unset}" "$POWERCAT_TEST_KEPT"\n')
    fake.chmod(0o755)
    outputs = render_batch([Job("digraph a {}\n", str(tmp_path / "out" / "a"))], ("svg",), dot_binary=str(fake))
    assert Path(outputs[0][0]).read_text() == "<?xml unset yes"


def _jobs(out: Path) -> list[Job]:
    from powercat.ingest import load
    from powercat.process import build_graph
    from powercat.render.dot import titles, to_dot

    from .conftest import DATA

    first: dict = {}  # one chart of each source: steps, written stages, law-derived, template
    for power in load([str(DATA)]).powers:
        first.setdefault(build_graph(power).source, power)
    powers = list(first.values())
    graphs = [build_graph(power) for power in powers]
    return [Job(to_dot(graph, power.agency, name=f"c{i}"), str(out / f"c{i}"), tuple(titles(graph, f"c{i}").items()))
            for i, (power, graph) in enumerate(zip(powers, graphs))]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_svg_through_dots_streams_is_what_dot_writes_to_files(tmp_path):
    # the SVG-only path reads dot's stdout; each chart's bytes must be those `dot -O` writes
    piped = render_batch(_jobs(tmp_path / "piped"), ("svg",))
    filed = _render_files(_jobs(tmp_path / "filed"), ("svg",), "dot", None)
    assert len(piped) == len(filed) == 4
    assert [Path(p).read_bytes() for (p,) in piped] == [Path(p).read_bytes() for (p,) in filed]


def test_a_dot_whose_stdout_does_not_split_per_graph_writes_files_instead(tmp_path):
    fake = tmp_path / "dot"
    fake.write_text('#!/bin/sh\nfor last; do :; done\n'
                    'if [ "$last" = "-Tsvg" ]; then printf "<svg/>"; else printf "<svg>%s</svg>" "$last" > "$last.svg"; fi\n')
    fake.chmod(0o755)
    outputs = render_batch([Job("digraph a {}\n", str(tmp_path / "out" / "a"))], ("svg",), dot_binary=str(fake))
    assert Path(outputs[0][0]).read_text().endswith("batch.gv</svg>")
