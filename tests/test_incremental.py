"""Rebuilds into the same --out redo only what changed (filecache.py, pipeline/keys.py): the
result is a clean build's, byte for byte (xlsx timestamps aside), and the charts and
booklets whose inputs did not change are copied from the cache instead of being drawn."""

import importlib.util
import shutil
from pathlib import Path

import openpyxl
import pytest

from powercat import filecache
from powercat.ingest import load
from powercat.output import OutputError
from powercat.pipeline import stages
from powercat.pipeline.commands import build
from powercat.pipeline import keys
from powercat.render import flowcharts

from .conftest import DATA, ROOT

needs_dot = pytest.mark.skipif(shutil.which("dot") is None or shutil.which("rsvg-convert") is None,
                               reason="Graphviz dot and rsvg-convert are needed")

_spec = importlib.util.spec_from_file_location("compare_trees", ROOT / "scripts" / "compare_trees.py")
compare_trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_trees)


@pytest.fixture
def drawn(monkeypatch) -> dict:
    """Counts the charts and booklets actually drawn (handed to `dot` / rsvg-convert), and
    the annotated copies written."""
    counts = {"charts": 0, "booklets": 0, "annotated": 0}
    render_charts, booklet_task, write_annotated = flowcharts.render_charts, flowcharts.booklet_task, \
        stages.write_annotated

    def charts(jobs, *args):
        counts["charts"] += len(jobs)
        return render_charts(jobs, *args)

    def booklet(*args):
        counts["booklets"] += 1
        return booklet_task(*args)

    def annotated(*args):
        counts["annotated"] += 1
        return write_annotated(*args)

    monkeypatch.setattr(flowcharts, "render_charts", charts)
    monkeypatch.setattr(flowcharts, "booklet_task", booklet)
    monkeypatch.setattr(stages, "write_annotated", annotated)
    return counts


def _reset(drawn: dict) -> None:
    drawn.update(charts=0, booklets=0, annotated=0)


def _lists(tmp_path: Path, source: Path = DATA) -> Path:
    lists = tmp_path / "lists"
    shutil.copytree(source, lists)
    return lists


def _change_one_cell(workbook: Path) -> str:
    """Appends to the name of the workbook's first power, in its own cell; returns the new name."""
    power = load([str(workbook)]).powers[0]
    book = openpyxl.load_workbook(workbook)
    sheet = book[power.source.sheet]
    for cell in sheet[power.source.row]:
        if cell.value == power.name:
            cell.value = f"{power.name}（调整）"
            book.save(workbook)
            return cell.value
    raise AssertionError(f"no cell holds {power.name!r}")


def _same(a: Path, b: Path) -> None:
    assert compare_trees.compare(a, b) == []


@needs_dot
def test_rebuild_after_one_changed_cell_equals_a_clean_build(tmp_path, drawn):
    lists = _lists(tmp_path)
    out = tmp_path / "out"
    first = build([str(lists)], out)
    total = first.counts["charts"]
    made = total + drawn["booklets"] + drawn["annotated"] + first.counts["public"]  # and a site page per public power
    assert drawn["charts"] == total > 50 and drawn["annotated"] == 4 and first.reused == {"hits": 0, "misses": made}

    changed = lists / "青川市交通运输局权力清单.xlsx"
    name = _change_one_cell(changed)
    _reset(drawn)
    again = build([str(lists)], out)
    # the changed power's chart, its agency's booklet, its list's annotated copy and its site
    # page are made again, nothing else
    assert drawn == {"charts": 1, "booklets": 1, "annotated": 1}
    assert again.reused == {"hits": made - 4, "misses": 4}
    assert any(name in p.read_text(encoding="utf-8") for p in (out / "public" / "flowcharts").rglob("*.svg"))

    clean = build([str(lists)], tmp_path / "clean", cache=False)
    assert clean.reused == {} and not filecache.beside(tmp_path / "clean").exists()
    _same(tmp_path / "clean", out)
    # bounded: the entries the rebuild did not use (the old chart and booklet) are gone
    assert len(filecache.FileCache(filecache.beside(out))) == made


@needs_dot
def test_nothing_changed_draws_nothing_and_a_new_graphviz_draws_everything(tmp_path, drawn, monkeypatch):
    lists = _lists(tmp_path)
    out = lists / "exports"  # inside the lists' folder: the cache's annotated copies are never read as lists
    first = build([str(lists)], out)
    booklets, annotated = drawn["booklets"], drawn["annotated"]
    assert booklets >= 4
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.suffix in (".svg", ".pdf")}

    _reset(drawn)
    again = build([str(lists)], out)
    assert drawn == {"charts": 0, "booklets": 0, "annotated": 0}
    assert again.reused == {"hits": first.counts["charts"] + booklets + annotated + first.counts["public"], "misses": 0}
    assert again.counts == first.counts and [f.path for f in again.catalogue.files] == \
        [f.path for f in first.catalogue.files]
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.suffix in (".svg", ".pdf")} == before

    real = keys.versions()
    monkeypatch.setattr(keys, "versions", lambda: {**real, "graphviz": real["graphviz"] + " (a newer one)"})
    build([str(lists)], out)
    assert drawn == {"charts": first.counts["charts"], "booklets": booklets, "annotated": 0}


@needs_dot
def test_the_cache_is_never_published_and_outlives_a_failed_run(tmp_path, drawn, monkeypatch):
    lists = _lists(tmp_path)
    out = tmp_path / "site-out"
    first = build([str(lists)], out)
    cache = filecache.beside(out)
    entries = len(filecache.FileCache(cache))
    assert cache.is_dir() and cache.parent == out.parent and entries == first.reused["misses"]
    # nothing of the cache inside the output, and no path under public/ leads to it
    assert not [p for p in out.rglob("*") if filecache.SUFFIX in p.name or p.is_symlink()]
    cached = {p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    assert not cached & {p.stat().st_ino for p in (out / "public").rglob("*") if p.is_file()}

    # a run that fails after drawing its charts: the previous output and the cache stay whole
    _change_one_cell(lists / "青川市应急管理局权力清单.xlsx")

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(stages, "write_catalogue_files", disk_full)
    with pytest.raises(OutputError):
        build([str(lists)], out)
    assert len(filecache.FileCache(cache)) == entries + 3  # its new chart, booklet and annotated copy, kept too
    monkeypatch.undo()

    monkeypatch.setattr(flowcharts, "render_charts", lambda *_a: pytest.fail("a chart was drawn again"))
    monkeypatch.setattr(flowcharts, "booklet_task", lambda *_a: pytest.fail("a booklet was drawn again"))
    monkeypatch.setattr(stages, "write_annotated", lambda *_a: pytest.fail("an annotated copy was made again"))
    build([str(lists)], out)  # everything from the cache, the failed run's entries included


@needs_dot
def test_a_damaged_entry_is_drawn_again(tmp_path, drawn):
    lists = _lists(tmp_path)
    out = tmp_path / "out"
    build([str(lists)], out)
    cache = filecache.beside(out)
    metas = sorted(m for m in cache.rglob("meta.json") if '"source"' in m.read_text(encoding="utf-8"))  # a chart's
    metas[0].unlink()  # as an interrupted store would leave it, were stores not renamed into place
    _reset(drawn)
    build([str(lists)], out)
    assert sum(drawn.values()) == 1
    clean = tmp_path / "clean"
    build([str(lists)], clean, cache=False)
    _same(clean, out)


def test_the_cache_lives_beside_the_output_under_its_lock_name():
    place = filecache.beside("/srv/公开/out")
    assert place == Path("/srv/公开/.out.powercat-cache")
    # never mistaken for an interrupted run's leftovers (output.clean_leftovers removes those)
    from powercat.output import _leftover_pattern
    assert not _leftover_pattern(Path("/srv/公开/out")).fullmatch(place.name)


def test_keys_change_with_the_record_and_nothing_else():
    power = load([str(DATA / "青川市应急管理局权力清单.xlsx")]).powers[0]
    job = flowcharts.ChartJob(power, "青川市应急管理局", None, "chart0", "/a/x")
    moved = flowcharts.ChartJob(power, "青川市应急管理局", None, "chart9", "/b/y")
    stamp = keys.versions()
    assert flowcharts._chart_key(job, ("svg",), stamp) == flowcharts._chart_key(moved, ("svg",), stamp)
    assert flowcharts._chart_key(job, ("svg",), stamp) != flowcharts._chart_key(job, ("svg", "pdf"), stamp)
    assert flowcharts._chart_key(job, ("svg",), stamp) != flowcharts._chart_key(job, ("svg",), {**stamp, "font": "x"})
    before = flowcharts._chart_key(job, ("svg",), stamp)
    power.promised_limit = (power.promised_limit or "") + "1"
    assert flowcharts._chart_key(job, ("svg",), stamp) != before


@pytest.mark.slow
@needs_dot
def test_a_real_list_rebuilt_after_one_cell_equals_a_clean_build(tmp_path, drawn, real_lists):
    lists = tmp_path / "lists"
    lists.mkdir()
    source = real_lists / "克拉玛依市商务局2024年权责清单.xlsx"
    shutil.copy(source, lists / source.name)
    out = tmp_path / "out"
    first = build([str(lists)], out)
    _change_one_cell(lists / source.name)
    _reset(drawn)
    build([str(lists)], out)
    assert drawn == {"charts": 1, "booklets": 1, "annotated": 1} and first.counts["charts"] > 10
    build([str(lists)], tmp_path / "clean", cache=False)
    _same(tmp_path / "clean", out)


def test_a_symlink_in_the_caches_place_is_never_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    made = tmp_path / "made.svg"
    made.write_text("<svg/>", encoding="utf-8")
    (tmp_path / ".out.powercat-cache").symlink_to(elsewhere)
    cache = filecache.FileCache(filecache.beside(tmp_path / "out"))
    cache.store("ab" * 32, [made])
    assert list(elsewhere.iterdir()) == [] and cache.fetch("ab" * 32, [tmp_path / "x.svg"]) is None
    assert cache.prune() == 0 and elsewhere.is_dir()


def test_entries_are_stored_whole_and_the_unused_ones_pruned(tmp_path):
    made = [tmp_path / "a.svg", tmp_path / "a.pdf"]
    for path in made:
        path.write_bytes(path.suffix.encode())
    cache = filecache.FileCache(tmp_path / "cache")
    old, new = filecache.make_key("x", 1), filecache.make_key("x", 2)
    cache.store(old, made, {"source": "steps"})
    assert cache.fetch(old, [tmp_path / "b.svg"]) is None  # not the same files
    targets = [tmp_path / "out" / "b.svg", tmp_path / "out" / "b.pdf"]
    assert cache.fetch(old, targets) == {"source": "steps"}
    assert [t.read_bytes() for t in targets] == [b".svg", b".pdf"]
    later = filecache.FileCache(tmp_path / "cache")
    later.started += 10  # a run that began after the entry was made
    later.store(new, made)
    assert later.prune() == 1 and len(later) == 1 and later.fetch(new, targets) == {}
