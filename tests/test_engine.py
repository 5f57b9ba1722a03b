"""Builds through a Dask cluster (LocalCluster, 2 worker processes, on loopback) give the
same public outputs as a local build."""

import shutil
from pathlib import Path

import openpyxl
import pytest

from powercat.pipeline.commands import build
from powercat.engine import EngineError, executor, parse

from .conftest import DATA, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")


def test_executor_spec():
    assert parse("local") is None and parse(None) is None
    assert parse("dask://127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    with pytest.raises(EngineError) as bad:
        parse("spark://x")
    assert bad.value.exit_code == 2


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    result = run_cli("check", DATA, "--executor", "dask://127.0.0.1:9")
    assert result.exit_code == 4 and "无法连接 Dask 调度器" in result.stderr


def _content(folder: Path) -> dict:
    """Every public file's bytes; xlsx as cell values (openpyxl stamps a creation time)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        key = path.relative_to(folder)
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            out[key] = [[c.value for c in row] for ws in book.worksheets for row in ws.iter_rows()]
        else:
            out[key] = path.read_bytes()
    return out


@pytest.mark.slow
@needs_dot
def test_a_dask_build_equals_a_local_build(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        spec = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
        with distributed.Client(cluster) as observer, distributed.get_task_stream(observer) as stream, \
                executor(spec) as pool:
            remote = build([str(DATA)], tmp_path / "dask", workers=2, executor=pool)
        names = {task["key"].split("-")[0] for task in stream.data}
        ran_on = {task["worker"] for task in stream.data}
    local = build([str(DATA)], tmp_path / "local", workers=2)
    assert len(ran_on) == 2 and {"load_file", "check_powers", "write_annotated", "render_charts", "booklet_task", "write_power_pages"} <= names, names
    assert remote.counts == local.counts and remote.counts["charts"] > 50
    assert [f.to_json() for f in remote.report.findings] == [f.to_json() for f in local.report.findings]
    assert _content(tmp_path / "dask" / "public") == _content(tmp_path / "local" / "public")
    # the annotated copies, written on the workers, say what the local ones say
    assert _content(tmp_path / "dask" / "internal" / "review") == _content(tmp_path / "local" / "internal" / "review")


@pytest.mark.slow
@needs_dot
def test_a_dask_rebuild_sends_out_only_what_changed(tmp_path):
    """The cache is looked up on the client before any task is sent: a rebuild with nothing
    changed sends the workers no chart and no booklet, and gives the same public outputs."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        spec = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
        with executor(spec) as pool:
            first = build([str(DATA)], tmp_path / "out", workers=2, executor=pool)
        before = _content(tmp_path / "out" / "public")
        with distributed.Client(cluster) as observer, distributed.get_task_stream(observer) as stream, \
                executor(spec) as pool:
            again = build([str(DATA)], tmp_path / "out", workers=2, executor=pool)
        names = {task["key"].split("-")[0] for task in stream.data}
    assert "load_file" in names and not {"render_charts", "booklet_task", "write_annotated"} & names, names
    # every entry the first build filed is fetched again, but what a whole entry answers for:
    # each list's own findings (the catalogue's findings), its parts of the catalogue files, its
    # agency's sheet and its 总目录 rows (the catalogue files), its agency's search words (the
    # search files) — kept, not fetched (one agency per list here)
    lists = len(first.catalogue.files)
    assert again.reused == {"hits": first.reused["misses"] - 5 * lists, "misses": 0} and first.counts["charts"] > 50
    assert _content(tmp_path / "out" / "public") == before
