"""Rebuilds into the same --out redo only what changed (filecache.py, pipeline/keys.py): the
result is a clean build's, byte for byte (xlsx timestamps aside), and the charts, booklets,
annotated copies, catalogue files and findings whose inputs did not change are copied from
the cache instead of being made."""

import importlib.util
import os
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
    """Counts the charts and booklets actually drawn (handed to `dot` / rsvg-convert), the
    annotated copies written, the times the catalogue files were written and the rules run."""
    counts = {"charts": 0, "booklets": 0, "annotated": 0, "catalogue": 0, "checks": 0}
    render_charts, booklet_task, write_annotated = flowcharts.render_charts, flowcharts.booklet_task, \
        stages.write_annotated
    write_catalogue_files, run_checks = stages.write_catalogue_files, stages.run_checks

    def charts(jobs, *args):
        counts["charts"] += len(jobs)
        return render_charts(jobs, *args)

    def booklet(*args):
        counts["booklets"] += 1
        return booklet_task(*args)

    def annotated(*args):
        counts["annotated"] += 1
        return write_annotated(*args)

    def catalogue_files(*args):
        counts["catalogue"] += 1
        return write_catalogue_files(*args)

    def checks(*args, **kwargs):
        counts["checks"] += 1
        return run_checks(*args, **kwargs)

    monkeypatch.setattr(flowcharts, "render_charts", charts)
    monkeypatch.setattr(flowcharts, "booklet_task", booklet)
    monkeypatch.setattr(stages, "write_annotated", annotated)
    monkeypatch.setattr(stages, "write_catalogue_files", catalogue_files)
    monkeypatch.setattr(stages, "run_checks", checks)
    return counts


NOTHING = {"charts": 0, "booklets": 0, "annotated": 0, "catalogue": 0, "checks": 0}
ONE_CELL = {"charts": 1, "booklets": 1, "annotated": 1, "catalogue": 1, "checks": 1}


def _reset(drawn: dict) -> None:
    drawn.update(NOTHING)


def _lists(tmp_path: Path, source: Path = DATA) -> Path:
    lists = tmp_path / "lists"
    shutil.copytree(source, lists)
    return lists


def _built(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of data/ built once into tmp_path/out: (lists, out, the cache beside it)."""
    lists = _lists(tmp_path)
    out = tmp_path / "out"
    build([str(lists)], out)
    return lists, out, filecache.beside(out)


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
    # + the catalogue files, the findings, the search index and a site page per public power;
    # then each list's own findings (of the per-power rules), its parts of the catalogue files,
    # its agency's sheet of the catalogue workbook and its rows of that workbook's 总目录; the
    # site's index page, and per agency its page and its records' search tokens (one agency
    # per list here)
    files = len(first.catalogue.files)
    made = total + drawn["booklets"] + drawn["annotated"] + 3 + first.counts["public"] + 4 * files + 1 + 2 * files
    assert drawn["charts"] == total > 50 and drawn["annotated"] == 4 and first.reused == {"hits": 0, "misses": made}
    assert drawn["catalogue"] == drawn["checks"] == 1

    changed = lists / "青川市交通运输局权力清单.xlsx"
    name = _change_one_cell(changed)
    _reset(drawn)
    again = build([str(lists)], out)
    # the changed power's chart, its agency's booklet, its list's annotated copy, its site
    # page, the catalogue files (that list's parts, sheet and 总目录 rows alone), the findings
    # (the per-power rules on that list alone), the search index, that agency's search tokens
    # and page, and the index page (its first rows show the changed name) are made again,
    # nothing else
    assert drawn == ONE_CELL
    assert again.reused == {"hits": made - 14, "misses": 14}
    assert any(name in p.read_text(encoding="utf-8") for p in (out / "public" / "flowcharts").rglob("*.svg"))

    clean = build([str(lists)], tmp_path / "clean", cache=False)
    assert clean.reused == {} and not filecache.beside(tmp_path / "clean").exists()
    _same(tmp_path / "clean", out)
    assert again.report.findings and [f.to_json() for f in again.report.findings] == \
        [f.to_json() for f in clean.report.findings]
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
    assert drawn == NOTHING
    # + the site's index page and each agency's page (the search tokens are not looked up: the
    # search index they make is found whole)
    assert again.reused == {"hits": first.counts["charts"] + booklets + annotated + 3 + first.counts["public"]
                            + 1 + len(first.catalogue.files), "misses": 0}
    assert [f.to_json() for f in again.report.findings] == [f.to_json() for f in first.report.findings]
    assert again.counts == first.counts and [f.path for f in again.catalogue.files] == \
        [f.path for f in first.catalogue.files]
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.suffix in (".svg", ".pdf")} == before

    real = keys.versions()
    monkeypatch.setattr(keys, "versions", lambda: {**real, "graphviz": real["graphviz"] + " (a newer one)"})
    build([str(lists)], out)
    assert drawn == {**NOTHING, "charts": first.counts["charts"], "booklets": booklets}


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
    # its new chart, booklet, annotated copy, findings (the whole list's and the list's own) and
    # the list's parts of the catalogue files (made before the files were written), kept too
    assert len(filecache.FileCache(cache)) == entries + 6
    monkeypatch.undo()

    monkeypatch.setattr(flowcharts, "render_charts", lambda *_a: pytest.fail("a chart was drawn again"))
    monkeypatch.setattr(flowcharts, "booklet_task", lambda *_a: pytest.fail("a booklet was drawn again"))
    monkeypatch.setattr(stages, "write_annotated", lambda *_a: pytest.fail("an annotated copy was made again"))
    monkeypatch.setattr(stages, "run_checks", lambda *_a, **_k: pytest.fail("the rules were run again"))
    build([str(lists)], out)  # everything from the cache, the failed run's entries included


@needs_dot
def test_a_damaged_entry_is_drawn_again(tmp_path, drawn):
    lists, out, cache = _built(tmp_path)
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
    assert drawn == ONE_CELL and first.counts["charts"] > 10
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


@needs_dot
def test_a_new_as_of_day_checks_again_and_keeps_the_catalogue_files(tmp_path, drawn):
    """The findings are keyed by the day they are judged on; the catalogue files are not
    made from it, so they stay."""
    import datetime as dt

    lists = _lists(tmp_path)
    out = tmp_path / "out"
    build([str(lists)], out, as_of=dt.date(2026, 12, 1))
    _reset(drawn)
    later = build([str(lists)], out, as_of=dt.date(2027, 6, 1))
    # the annotated copies say the day in their summary: made again too
    assert drawn == {**NOTHING, "checks": 1, "annotated": 4}
    clean = build([str(lists)], tmp_path / "clean", as_of=dt.date(2027, 6, 1), cache=False)
    assert [f.to_json() for f in later.report.findings] == [f.to_json() for f in clean.report.findings]
    _same(tmp_path / "clean", out)


def _records():
    from powercat.publish.records import public_records

    return public_records(load([str(DATA / "青川市应急管理局权力清单.xlsx")]))


def _catalogue_files(records, folder: Path, formats, cache) -> dict:
    from powercat.pipeline import Pipeline, Run

    folder.mkdir(parents=True)
    run = Run([], {"records": records})
    with Pipeline() as pipeline:
        pipeline.run([stages.CatalogueFiles(folder, formats, cache=cache)], run)
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_the_catalogue_files_are_one_entry_keyed_by_their_records_and_formats(tmp_path, drawn):
    records = _records()
    cache = filecache.FileCache(tmp_path / "cache")
    both = _catalogue_files(records, tmp_path / "a", ("xlsx", "csv"), cache)
    # the files, the one list's parts of the open data (publish/parts.py), its agency's sheet
    # and its rows of 总目录
    assert drawn["catalogue"] == 1 and "catalogue.csv" in both and len(cache) == 4
    # another option: another entry, its own files only (the workbook has no parts; its sheet
    # and 总目录 rows are kept)
    only_xlsx = _catalogue_files(records, tmp_path / "b", ("xlsx",), cache)
    assert drawn["catalogue"] == 2 and set(only_xlsx) == {"行政权力事项目录.xlsx"} and len(cache) == 5
    assert cache.hits == 2
    # the same records and formats again: copied, the same files
    again = _catalogue_files(records, tmp_path / "c", ("xlsx", "csv"), cache)
    assert drawn["catalogue"] == 2 and again == both and cache.hits == 3
    # one record changed: made again
    records[0].power.name += "（调整）"
    _catalogue_files(records, tmp_path / "d", ("xlsx", "csv"), cache)
    assert drawn["catalogue"] == 3


def _entry_with(cache: Path, wanted) -> Path:
    """The entry folder whose meta satisfies `wanted(meta)`."""
    import json

    for meta in cache.rglob("meta.json"):
        if wanted(json.loads(meta.read_text(encoding="utf-8"))["meta"]):
            return meta.parent
    raise AssertionError("no such entry")


@needs_dot
def test_a_truncated_or_damaged_entry_is_a_miss_not_an_error(tmp_path, drawn):
    lists, out, cache = _built(tmp_path)
    files = _entry_with(cache, lambda meta: any(n.endswith(".csv") for n in meta.get("names", ())))  # catalogue files
    biggest = max((p for p in files.iterdir() if p.name != "meta.json"), key=lambda p: p.stat().st_size)
    biggest.write_bytes(biggest.read_bytes()[: biggest.stat().st_size // 2])  # truncated
    chart = next(p for p in _entry_with(cache, lambda meta: meta.get("source")).iterdir() if p.suffix == ".svg")
    data = bytearray(chart.read_bytes())
    data[len(data) // 2] ^= 1  # damaged, the same size
    chart.write_bytes(bytes(data))
    _reset(drawn)
    again = build([str(lists)], out)
    assert drawn == {**NOTHING, "catalogue": 1, "charts": 1} and again.reused["misses"] == 2
    build([str(lists)], tmp_path / "clean", cache=False)
    _same(tmp_path / "clean", out)
    _reset(drawn)
    build([str(lists)], out)  # the damaged entries were replaced
    assert drawn == NOTHING


def test_an_entry_naming_a_file_outside_its_folder_is_a_miss(tmp_path):
    import json

    made = tmp_path / "made.csv"
    made.write_text("a\n", encoding="utf-8")
    cache = filecache.FileCache(tmp_path / "cache")
    key = filecache.make_key("named")
    cache.store_named(key, tmp_path, ["made.csv"])
    meta_path = next((tmp_path / "cache").rglob("meta.json"))
    stored = json.loads(meta_path.read_text(encoding="utf-8"))
    assert filecache.FileCache(tmp_path / "cache").fetch_named(key, tmp_path / "back") == {"names": ["made.csv"]}
    for name in ("../escaped.csv", "/tmp/escaped.csv", 7):
        stored["meta"]["names"] = [name]
        meta_path.write_text(json.dumps(stored), encoding="utf-8")
        later = filecache.FileCache(tmp_path / "cache")
        assert later.fetch_named(key, tmp_path / "again") is None and later.misses == 1
    assert not (tmp_path / "escaped.csv").exists() and not (tmp_path / "again").exists()


@needs_dot
def test_flowchart_reuses_its_own_cache(tmp_path, drawn):
    from powercat.pipeline.commands import flowchart

    lists = _lists(tmp_path)
    out = tmp_path / "charts"
    first = flowchart([str(lists)], out, ["svg"])
    made = drawn["charts"] + drawn["booklets"]
    assert drawn["charts"] == len(first.charts) > 50 and first.reused == {"hits": 0, "misses": made}
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".powercat-output"}
    _reset(drawn)
    again = flowchart([str(lists)], out, ["svg"])
    assert drawn == NOTHING and again.reused == {"hits": made, "misses": 0}
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and p.name != ".powercat-output"} == before
    assert filecache.beside(out).is_dir() and not filecache.beside(tmp_path / "plain").exists()
    plain = flowchart([str(lists)], tmp_path / "plain", ["svg"], cache=False)
    assert plain.reused == {} and not filecache.beside(tmp_path / "plain").exists()


@needs_dot
def test_the_findings_follow_the_files_bytes_not_only_what_was_read(tmp_path, drawn):
    """file-duplicate compares the files' bytes: a copy saved again (the same powers, other
    bytes) is judged again, as a clean build judges it."""
    lists = tmp_path / "lists"
    lists.mkdir()
    source = DATA / "青川市应急管理局权力清单.xlsx"
    shutil.copy(source, lists / source.name)
    shutil.copy(source, lists / "副本.xlsx")
    out = tmp_path / "out"
    first = build([str(lists)], out)
    assert any(f.code == "file-duplicate" and "字节完全相同" in f.message for f in first.report.findings)
    openpyxl.load_workbook(lists / "副本.xlsx").save(lists / "副本.xlsx")
    _reset(drawn)
    again = build([str(lists)], out)
    assert drawn["checks"] == 1
    assert not any("字节完全相同" in f.message for f in again.report.findings)
    clean = build([str(lists)], tmp_path / "clean", cache=False)
    assert [f.to_json() for f in again.report.findings] == [f.to_json() for f in clean.report.findings]
    _same(tmp_path / "clean", out)


def test_equal_records_give_one_digest_however_their_objects_are_shared():
    """A Dask worker that memoised a cell's text hands back one object where a fresh worker
    hands back two equal ones: the catalogue is the same, and so must its key be (a rebuild
    through Dask missed its findings entry until the pickler's memo was turned off)."""
    from powercat.pipeline import keys

    text = "".join(["依据", "《行政许可法》"])
    shared = [text, text]
    apart = [text, "".join(["依据", "《行政许可法》"])]
    assert shared[1] is shared[0] and apart[1] is not apart[0]
    assert keys.content_digest(shared) == keys.content_digest(apart)
    assert keys.content_digest(shared) != keys.content_digest([text, text + "。"])


def _sums(folder: Path) -> dict[Path, str]:
    import hashlib

    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


@needs_dot
def test_linked_outputs_never_write_through_to_the_cache_or_the_previous_tree(tmp_path):
    """A rebuild links its outputs to the cache's entries (filecache._place): the output, the
    entry and the previous tree then share one file. Every writer makes fresh files, so the
    next build, with a change, alters neither the entries nor the tree it replaces."""
    lists = _lists(tmp_path)
    out = tmp_path / "out"
    build([str(lists)], out)
    build([str(lists)], out)  # nothing changed: everything comes from the cache, linked
    cache = filecache.beside(out)
    entries = {p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    linked = [p for p in out.rglob("*") if p.is_file() and p.stat().st_ino in entries]
    assert len(linked) > 100 and all(p.stat().st_nlink >= 2 for p in linked)
    previous = tmp_path / "previous"  # the previous tree's files themselves (links), to read after the swap
    shutil.copytree(out, previous, copy_function=os.link)
    cache_before, previous_before = _sums(cache), _sums(previous)

    _change_one_cell(lists / "青川市交通运输局权力清单.xlsx")
    third = build([str(lists)], out)
    assert third.reused["misses"] > 0 and third.reused["hits"] > 100
    assert _sums(previous) == previous_before
    cache_after = _sums(cache)
    assert all(cache_after[name] == digest for name, digest in cache_before.items() if name in cache_after
               and name.name != "meta.json")
    build([str(lists)], tmp_path / "clean", cache=False)
    _same(tmp_path / "clean", out)


def test_a_fetch_links_where_it_can_and_copies_where_it_cannot(tmp_path, monkeypatch):
    made = tmp_path / "made.txt"
    cache = filecache.FileCache(tmp_path / "cache")
    made.write_text("first\n", encoding="utf-8")
    cache.store("a" * 64, [made])
    made.unlink()
    made.write_text("second\n", encoding="utf-8")
    cache.store("b" * 64, [made])
    target = tmp_path / "out" / "made.txt"
    assert cache.fetch("a" * 64, [target]) is not None and target.stat().st_nlink == 2
    # fetched again over a linked file: the file is replaced, never written through
    assert cache.fetch("b" * 64, [target]) is not None and target.read_text(encoding="utf-8") == "second\n"
    assert filecache.FileCache(tmp_path / "cache").fetch("a" * 64, [tmp_path / "again.txt"]) is not None
    assert (tmp_path / "again.txt").read_text(encoding="utf-8") == "first\n"

    def refused(*_args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(filecache.os, "link", refused)
    copied = tmp_path / "copied.txt"
    assert cache.fetch("a" * 64, [copied]) is not None
    assert copied.read_text(encoding="utf-8") == "first\n" and copied.stat().st_nlink == 1
    # an output edited in place (it is the entry's file too) makes the entry a miss, not a wrong output
    target.write_text("edited\n", encoding="utf-8")
    assert cache.fetch("b" * 64, [tmp_path / "third.txt"]) is None and not (tmp_path / "third.txt").exists()


def _set_in_first_row(workbook: Path, changes: dict[str, str]) -> None:
    """In the row of the workbook's first power, each cell holding an old value gets the new one."""
    power = load([str(workbook)]).powers[0]
    book = openpyxl.load_workbook(workbook)
    cells = {cell.value: cell for cell in book[power.source.sheet][power.source.row]}
    for old, new in changes.items():
        cells[old].value = new
    book.save(workbook)


def _public_texts(out: Path) -> dict[Path, str]:
    from .hostile.test_leaks_every_command import _texts_of  # xlsx parts, PDF text, SQLite rows

    return {p: _texts_of(p).lower() for p in (out / "public").rglob("*") if p.is_file()}


@needs_dot
def test_a_power_withheld_on_a_rebuild_leaves_every_cached_page_and_search_shard(tmp_path):
    """The site's cached parts (power pages, agency and index pages, each agency's search
    tokens, the search files) never bring back a power withheld since the last build."""
    lists = _lists(tmp_path)
    out = tmp_path / "out"
    workbook = lists / "青川市交通运输局权力清单.xlsx"
    power = load([str(workbook)]).powers[0]
    marker = "LKSiteQZX"  # a run of letters: the search index keeps it as a token of its own
    _set_in_first_row(workbook, {power.name: f"{power.name}{marker}"})
    first = build([str(lists)], out)
    planted = [p.relative_to(out).as_posix() for p, text in _public_texts(out).items() if marker.lower() in text]
    assert any("/site/powers/" in f"/{p}" for p in planted) and any("/search/t/" in f"/{p}" for p in planted)
    assert any(p.endswith("index.html") for p in planted) and any("/agencies/" in f"/{p}" for p in planted)

    _set_in_first_row(workbook, {power.disclosure: "不予公开"})
    again = build([str(lists)], out)
    assert again.counts["withheld"] == first.counts["withheld"] + 1 and again.reused["hits"] > 0
    assert [p for p, text in _public_texts(out).items() if marker.lower() in text] == []
    clean = build([str(lists)], tmp_path / "clean", cache=False)
    assert clean.counts == again.counts
    _same(tmp_path / "clean", out)


@needs_dot
def test_one_changed_list_cuts_only_its_agencys_search_tokens_and_writes_only_its_pages(tmp_path, monkeypatch):
    from powercat.publish import search, site

    lists, out, _cache = _built(tmp_path)
    build([str(lists)], out)  # nothing changed: the search files are fetched whole, the tokens kept
    cut: list[str] = []
    tokens_of, agency_tokens, in_site = search.tokens_of, site._agency_tokens, [False]

    def counting_tokens(fields):
        if in_site[0]:  # not the SQLite file's own tokens (the catalogue files are made again)
            cut.append(fields[1])  # the agency
        return tokens_of(fields)

    def site_tokens(*args):
        in_site[0] = True
        try:
            return agency_tokens(*args)
        finally:
            in_site[0] = False

    monkeypatch.setattr(search, "tokens_of", counting_tokens)
    monkeypatch.setattr(site, "_agency_tokens", site_tokens)
    changed = lists / "青川市交通运输局权力清单.xlsx"
    _change_one_cell(changed)
    again = build([str(lists)], out)
    records = [p for p in load([str(changed)]).powers if not p.is_withheld]
    agencies = set(cut)
    assert len(agencies) == 1 and len(cut) == len(records)  # that list's records, and only those, cut again
    pages = sorted(p.name for p in (out / "public" / "site" / "agencies").glob("*.html")
                   if p.stat().st_nlink == 1)  # the others are links to their cache entries
    assert len(pages) == 1 and again.reused["misses"] == 14  # (with that list's catalogue parts, sheet and 总目录 rows)
    build([str(lists)], tmp_path / "clean", cache=False)
    _same(tmp_path / "clean", out)
