"""The site's power pages on a rebuild: a page whose inputs did not change is copied from the
cache (filecache.py), the rest are written, and the site is a clean build's byte for byte;
a power withheld since the last build never comes back from the cache. Pages written by
worker processes are the pages written here."""

import dataclasses
import importlib.util
import os
import shutil
import signal
from pathlib import Path

import openpyxl
import pytest

from powercat import filecache
from powercat.ingest import load
from powercat.pipeline import keys
from powercat.pipeline.commands import build
from powercat.publish import site, site_pages
from powercat.publish.records import public_records

from .conftest import DATA, ROOT

needs_dot = pytest.mark.skipif(shutil.which("dot") is None or shutil.which("rsvg-convert") is None,
                               reason="Graphviz dot and rsvg-convert are needed")

_spec = importlib.util.spec_from_file_location("compare_trees", ROOT / "scripts" / "compare_trees.py")
compare_trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_trees)

AS_OF = __import__("datetime").date(2026, 12, 1)


@pytest.fixture
def written(monkeypatch) -> list[str]:
    """The ids of the power pages actually written (not copied from the cache)."""
    ids: list[str] = []
    write_power_pages = site.write_power_pages

    def counting(records, *args):
        ids.extend(r.id for r in records)
        return write_power_pages(records, *args)

    monkeypatch.setattr(site, "write_power_pages", counting)
    return ids


def _lists(tmp_path: Path) -> Path:
    lists = tmp_path / "lists"
    shutil.copytree(DATA, lists, ignore=shutil.ignore_patterns("*.py", "README.md", "办件登记"))
    return lists


def _set_cell(workbook: Path, old: str, new: str) -> str:
    """Sets the cell of the workbook's first power that holds `old` (one of its values) to
    `new`; returns the power's id as the site names it."""
    power = load([str(workbook)]).powers[0]
    record_id = next(r.id for r in public_records(load([str(workbook)])) if r.power.code == power.code)
    book = openpyxl.load_workbook(workbook)
    for cell in book[power.source.sheet][power.source.row]:
        if cell.value == old:
            cell.value = new
            book.save(workbook)
            return record_id
    raise AssertionError(f"no cell holds {old!r}")


def _build(lists: Path, out: Path, cache: bool = True):
    result = build([str(lists)], out, as_of=AS_OF, cache=cache, booklet=False)
    assert result.published
    return result


@needs_dot
def test_a_rebuild_writes_only_the_changed_page_and_equals_a_clean_build(tmp_path, written, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lists = _lists(tmp_path)
    _build(lists, tmp_path / "out")
    first = len(written)
    assert first > 10
    workbook = sorted(lists.glob("*.xlsx"))[0]
    power = load([str(workbook)]).powers[0]
    changed = _set_cell(workbook, power.name, f"{power.name}（调整）")

    written.clear()
    _build(lists, tmp_path / "out")
    assert written == [changed]  # every other page came from the cache
    _build(lists, tmp_path / "clean", cache=False)
    assert compare_trees.compare(tmp_path / "out" / "public" / "site", tmp_path / "clean" / "public" / "site") == []
    page = (tmp_path / "out" / "public" / "site" / "powers" / f"{changed}.html").read_text(encoding="utf-8")
    assert f"{power.name}（调整）" in page


@needs_dot
def test_a_power_withheld_since_the_last_build_never_comes_back_from_the_cache(tmp_path, written, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lists = _lists(tmp_path)
    _build(lists, tmp_path / "out")
    workbook = sorted(lists.glob("*.xlsx"))[0]
    power = load([str(workbook)]).powers[0]
    assert power.disclosure and not power.is_withheld
    withheld = _set_cell(workbook, power.disclosure, "不予公开")

    written.clear()
    _build(lists, tmp_path / "out")
    site_dir = tmp_path / "out" / "public" / "site"
    assert not (site_dir / "powers" / f"{withheld}.html").exists()
    assert not (site_dir / "guides" / f"{withheld}.html").exists()
    assert written == []  # nothing else changed: every public page is a cache copy
    assert not any(power.name in path.read_text(encoding="utf-8", errors="replace")
                   for path in site_dir.rglob("*") if path.is_file() and path.suffix in (".html", ".js"))


def test_the_page_key_holds_the_gate_verdict_and_the_chart():
    record = public_records(load([str(DATA)]))[0]
    key = site_pages.page_key({}, record, {"svg": "a"})
    assert key != site_pages.page_key({}, record, {"svg": "b"})
    record.power.disclosure, record.power.disclosure_status = "不予公开", None
    assert record.power.is_withheld
    assert key != site_pages.page_key({}, record, {"svg": "a"})


def test_a_page_keyed_by_the_chart_stage_changes_with_the_chart_the_power_and_the_other_fields():
    """The chart stage's chart key and power digest stand for the SVG's bytes and the power's
    pickle in a page's key: each still changes it, and so does every other field of the record."""
    record = public_records(load([str(DATA)]))[0]
    digest = filecache.record(record.power)
    key = site_pages.page_key({}, record, {"svg": ["chart", "k1"]}, digest)
    assert key != site_pages.page_key({}, record, {"svg": ["chart", "k2"]}, digest)
    assert key != site_pages.page_key({}, record, {"svg": ["chart", "k1"]}, filecache.record("another power"))
    for change in ({"agency": "另一单位"}, {"id": "other"}, {"agency_phone": "0990-1"}, {"version": "v2"}):
        assert key != site_pages.page_key({}, dataclasses.replace(record, **change), {"svg": ["chart", "k1"]}, digest)
    # the same record keyed without the chart stage's digest never meets a keyed one's entry
    assert key != site_pages.page_key({}, record, {"svg": ["chart", "k1"]})


@needs_dot
def test_a_new_chart_key_writes_the_pages_again(tmp_path, written, monkeypatch):
    """A page inlines its chart: keyed by the chart's key, a chart drawn with another Graphviz
    (a new key) writes its page again, and the site is a clean build's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lists = _lists(tmp_path)
    _build(lists, tmp_path / "out")
    pages = sorted(written)
    written.clear()
    _build(lists, tmp_path / "out")
    assert written == []
    real = keys.versions()
    monkeypatch.setattr(keys, "versions", lambda: {**real, "graphviz": real["graphviz"] + " (a newer one)"})
    _build(lists, tmp_path / "out")
    assert sorted(written) == pages
    _build(lists, tmp_path / "clean", cache=False)
    assert compare_trees.compare(tmp_path / "out" / "public" / "site", tmp_path / "clean" / "public" / "site") == []


def test_pages_written_by_worker_processes_are_those_written_here(tmp_path, monkeypatch):
    records = public_records(load([str(DATA)]))
    site.write_site(records, tmp_path / "here", workers=1)
    monkeypatch.setattr(site_pages, "POOLED_FROM", 1)
    monkeypatch.setattr(site_pages, "CHUNK", 7)  # several tasks per agency
    site.write_site(records, tmp_path / "pool", workers=2)
    assert compare_trees.compare(tmp_path / "here", tmp_path / "pool") == []
    assert len(list((tmp_path / "pool" / "powers").glob("*.html"))) == len(records)


_PARENT = os.getpid()
_WRITE_POWER_PAGES = site.write_power_pages


def _dying(part, *args):
    """write_power_pages, except that in a worker process it kills that worker."""
    if os.getpid() != _PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return _WRITE_POWER_PAGES(part, *args)


def test_a_page_worker_that_dies_costs_no_page(tmp_path, monkeypatch):
    """A worker killed mid-run (out of memory, a signal) breaks the pool: its pages are
    written in this process instead, and the site is whole — no BrokenProcessPool traceback."""
    records = public_records(load([str(DATA)]))
    site.write_site(records, tmp_path / "here", workers=1)
    monkeypatch.setattr(site_pages, "POOLED_FROM", 1)
    monkeypatch.setattr(site_pages, "CHUNK", 7)
    monkeypatch.setattr(site, "write_power_pages", _dying)
    site.write_site(records, tmp_path / "pool", workers=2)
    assert compare_trees.compare(tmp_path / "here", tmp_path / "pool") == []
