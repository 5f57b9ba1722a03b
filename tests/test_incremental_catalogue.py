"""The catalogue files put together from per-list parts (publish/parts.py): the same bytes as
files made whole, only the changed list's parts made again in a rebuild, and a power
withheld since the last run gone from every file however many parts came from the cache."""

import shutil
import sqlite3
import zipfile
from pathlib import Path

import openpyxl

from powercat import filecache
from powercat.ingest import load
from powercat.ingest.agency import settle_agencies
from powercat.pipeline import Pipeline, Run, stages
from powercat.publish import parts
from powercat.publish.catalogue import FORMATS, write_catalogue_files
from powercat.publish.records import list_runs, public_records

from .conftest import DATA
from .test_incremental import compare_trees

MARKER = "标记事项ZQX"


def _records(lists: Path):
    catalogue = load(sorted(str(p) for p in lists.glob("*.xlsx")))
    settle_agencies(catalogue, None)
    return public_records(catalogue)


def _lists(tmp_path: Path) -> Path:
    lists = tmp_path / "lists"
    lists.mkdir()
    for path in DATA.glob("*.xlsx"):
        shutil.copy(path, lists)
    return lists


def _stage(records, folder: Path, cache) -> None:
    run = Run([], {"records": records})
    with Pipeline() as pipeline:
        pipeline.run([stages.CatalogueFiles(folder, FORMATS, cache=cache)], run)


def _set_cell(workbook: Path, field: str, value) -> None:
    """Sets the first power's cell of `field` (`value(old)` gives the new text)."""
    power = load([str(workbook)]).powers[0]
    book = openpyxl.load_workbook(workbook)
    sheet = book[power.source.sheet]
    column = power.columns.get(field)
    if column:
        cell = sheet[f"{column}{power.source.row}"]
    else:
        old = getattr(power, field)
        cell = next(c for c in sheet[power.source.row] if c.value == old)
    cell.value = value(cell.value)
    book.save(workbook)


def _same_folders(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert compare_trees.compare(a / name, b / name) == [], name


def test_files_put_together_from_parts_equal_files_made_whole(tmp_path):
    records = _records(DATA)
    runs = list_runs(records)
    assert len(runs) == 4 and [r for run in runs for r in run] == records
    files = []
    for n, mine in enumerate(runs):
        paths = {kind: tmp_path / f"{n}.{kind}" for kind in parts.KINDS}
        for kind, path in paths.items():
            parts.write_part(mine, kind, path)
        files.append(paths)
    write_catalogue_files(records, tmp_path / "whole")
    write_catalogue_files(records, tmp_path / "parts", parts=parts.Parts(files))
    for path in (tmp_path / "whole").iterdir():  # the database too: the same rows in the same order
        assert path.read_bytes() == (tmp_path / "parts" / path.name).read_bytes() or path.suffix == ".xlsx", path.name


def test_one_list_changed_makes_its_parts_alone_and_equals_a_clean_build(tmp_path, monkeypatch):
    lists = _lists(tmp_path)
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(_records(lists), tmp_path / "first", cache)
    # nothing changed: the files whole from one entry, the parts kept through the prune
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(_records(lists), tmp_path / "same", cache)
    assert (cache.hits, cache.misses) == (1, 0) and cache.prune() == 0
    made = []
    write_part = stages.write_part
    monkeypatch.setattr(stages, "write_part", lambda records, kind, target: (made.append(records[0].agency),
                                                                               write_part(records, kind, target)))
    changed = lists / "青川市应急管理局权力清单.xlsx"
    _set_cell(changed, "name", lambda old: f"{old}（调整）")
    records = _records(lists)
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(records, tmp_path / "again", cache)
    assert len(made) == len(parts.KINDS) and len(set(made)) == 1 and "应急" in made[0]
    # the other lists' parts, sheets and 总目录 rows; the files, the changed list's parts, its
    # sheet and its 总目录 rows
    assert cache.hits == 9 and cache.misses == 4
    write_catalogue_files(records, tmp_path / "clean")
    _same_folders(tmp_path / "clean", tmp_path / "again")


def _public_text(folder: Path) -> str:
    """Every catalogue file as text: the workbook's parts unzipped, the database dumped."""
    texts = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        elif path.suffix == ".db":
            connection = sqlite3.connect(path)
            texts += list(connection.iterdump())
            connection.close()
        else:
            texts.append(path.read_bytes().decode("utf-8"))
    return "\n".join(texts)


def test_a_power_withheld_since_the_last_run_is_in_no_catalogue_file(tmp_path):
    lists = _lists(tmp_path)
    marked = lists / "青川市交通运输局权力清单.xlsx"
    _set_cell(marked, "name", lambda old: f"{old}{MARKER}")
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(_records(lists), tmp_path / "first", cache)
    assert MARKER in _public_text(tmp_path / "first")  # the marker is found where it stands

    _set_cell(marked, "disclosure", lambda _old: "不予公开")
    records = _records(lists)
    assert not any(MARKER in record.power.name for record in records)
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(records, tmp_path / "again", cache)
    # the other lists' parts, sheets and 总目录 rows came from the cache (the rows moved up)
    assert cache.hits == 9
    assert MARKER not in _public_text(tmp_path / "again")


def test_a_new_narrative_text_renumbers_the_later_sheets_as_a_clean_build_does(tmp_path):
    """责N numbers run across agencies: a new 责任事项 text in the first list shifts the numbers
    the later agencies' sheets cite, so those sheets are made again, not reused."""
    lists = _lists(tmp_path)
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(_records(lists), tmp_path / "first", cache)
    first = sorted(lists.glob("*.xlsx"))[0]
    _set_cell(first, "duty", lambda _old: "新增的责任事项文字（只在此一项）")
    records = _records(lists)
    assert any(record.value("duty") == "新增的责任事项文字（只在此一项）" for record in records)
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(records, tmp_path / "again", cache)
    # the other lists' parts still hit; every agency's sheet and 总目录 rows cite new numbers:
    # all made again
    assert (cache.hits, cache.misses) == (3, 10)
    write_catalogue_files(records, tmp_path / "clean")
    _same_folders(tmp_path / "clean", tmp_path / "again")


def test_a_power_withheld_in_a_middle_list_moves_the_later_rows_of_the_summary(tmp_path):
    """总目录 is kept list by list: a power withheld in the second list makes that list's rows
    again and moves the later lists' kept rows up by one (序号 and row numbers), as a clean
    build numbers them, and its text is in no file."""
    lists = _lists(tmp_path)
    marked = sorted(lists.glob("*.xlsx"))[1]
    _set_cell(marked, "name", lambda old: f"{old}{MARKER}")
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(_records(lists), tmp_path / "first", cache)
    assert MARKER in _public_text(tmp_path / "first")
    _set_cell(marked, "disclosure", lambda _old: "不予公开")
    records = _records(lists)
    cache = filecache.FileCache(tmp_path / "cache")
    _stage(records, tmp_path / "again", cache)
    # three lists' parts, sheets and 总目录 rows; the files, the second list's parts, sheet
    # and rows
    assert (cache.hits, cache.misses) == (9, 4)
    assert MARKER not in _public_text(tmp_path / "again")
    write_catalogue_files(records, tmp_path / "clean")
    _same_folders(tmp_path / "clean", tmp_path / "again")
