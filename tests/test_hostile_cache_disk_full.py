"""A full disk with the rebuild cache beside --out (issue 24, third pass, QA). The cache
(`.OUT.powercat-cache`) is a second copy of the made files on the same disk: on a small disk a
cached build ran out of space where `--no-cache` finished, and the failed run's entries stay.
The disk-full message now names the cache and what to do; the previous outputs stay intact."""

from __future__ import annotations

import errno

from powercat.pipeline import stages

from .conftest import run_cli
from .hostile.make_corpus import good_book


def test_disk_full_names_the_rebuild_cache(tmp_path, fake_tools, monkeypatch):
    lists = tmp_path / "清单"
    lists.mkdir()
    (lists / "某局.xlsx").write_bytes(good_book())
    out = tmp_path / "out"
    assert run_cli("build", lists, "--out", out, "--no-booklet", "--as-of", "2026-12-01").exit_code in (0, 1)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stages, "write_register", full)  # the last stage, never taken from the cache
    result = run_cli("build", lists, "--out", out, "--no-booklet", "--as-of", "2026-12-01")
    assert result.exit_code == 5 and "磁盘空间不足" in result.stderr, result.stderr[-2000:]
    assert ".out.powercat-cache" in result.stderr and "--no-cache" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    result = run_cli("build", lists, "--out", out, "--no-booklet", "--as-of", "2026-12-01", "--no-cache")
    assert result.exit_code == 5 and ".out.powercat-cache" in result.stderr  # its entries still take room


def test_flowchart_disk_full_names_its_cache(tmp_path, fake_tools, monkeypatch):
    from powercat.render import flowcharts

    lists = tmp_path / "清单"
    lists.mkdir()
    (lists / "某局.xlsx").write_bytes(good_book())
    out = tmp_path / "charts"
    assert run_cli("flowchart", lists, "--out", out, "--no-booklet").exit_code == 0

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(flowcharts, "render", full)
    result = run_cli("flowchart", lists, "--out", out, "--no-booklet")
    assert result.exit_code == 5 and "磁盘空间不足" in result.stderr, result.stderr[-2000:]
    assert ".charts.powercat-cache" in result.stderr and "Traceback" not in result.stderr


def test_a_nearly_full_disk_gets_the_outputs_not_the_cache(tmp_path, fake_tools, monkeypatch):
    """With less free space than the cache's reserve, entries are not filed: the build still
    completes (its outputs equal a --no-cache build's), says why the cache was left out, and
    the next build, with room again, makes and files them."""
    from powercat import filecache

    lists = tmp_path / "清单"
    lists.mkdir()
    (lists / "某局.xlsx").write_bytes(good_book())
    out, clean = tmp_path / "out", tmp_path / "clean"
    args = ("--no-booklet", "--as-of", "2026-12-01")
    assert run_cli("build", lists, "--out", clean, *args, "--no-cache").exit_code in (0, 1)
    monkeypatch.setattr(filecache, "RESERVE_BYTES", 1 << 62)  # more than any disk has free
    result = run_cli("build", lists, "--out", out, *args)
    assert result.exit_code in (0, 1) and "Traceback" not in result.stderr
    assert "重建缓存" in result.stderr and "未写入" in result.stderr and "--no-cache" in result.stderr
    cache = tmp_path / ".out.powercat-cache"
    assert not [p for p in cache.rglob("meta.json")] if cache.exists() else True
    made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(clean) for p in clean.rglob("*") if p.is_file())
    monkeypatch.setattr(filecache, "RESERVE_BYTES", 0)
    result = run_cli("build", lists, "--out", out, *args)
    assert "未写入" not in result.stderr and list(cache.rglob("meta.json"))
