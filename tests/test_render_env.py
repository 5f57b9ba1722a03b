"""`dot` runs in the environment it is given, minus what only slows it down."""

from pathlib import Path

from powercat.render.batch import Job, render_batch


def test_dot_does_not_inherit_a_dask_workers_malloc_trim_setting(tmp_path, monkeypatch):
    # a Dask nanny starts its worker with MALLOC_TRIM_THRESHOLD_=65536; `dot` under it runs ~2× slower
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.setenv("POWERCAT_TEST_KEPT", "yes")
    fake = tmp_path / "dot"
    fake.write_text('#!/bin/sh\nfor last; do :; done\n'
                    'printf "%s %s" "${MALLOC_TRIM_THRESHOLD_-unset}" "$POWERCAT_TEST_KEPT" > "$last.svg"\n')
    fake.chmod(0o755)
    outputs = render_batch([Job("digraph a {}\n", str(tmp_path / "out" / "a"))], ("svg",), dot_binary=str(fake))
    assert Path(outputs[0][0]).read_text() == "unset yes"
