"""The pipeline (powercat/pipeline/): stages with named inputs and outputs, run in order,
timed and shown once; and the rooms' imports, which run one way only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from powercat.pipeline import Pipeline, Run, Stage
from powercat.pipeline.stages import CatalogueFiles, Read, Records, SettleAgencies
from powercat.publish.records import public_records

from .conftest import DATA, ROOT

LIST = DATA / "青川市交通运输局权力清单.xlsx"


def test_a_stage_runs_only_once_what_it_needs_is_there():
    with Pipeline() as pipeline, pytest.raises(RuntimeError, match="needs"):
        pipeline.run([Records()], Run([str(LIST)]))  # nothing read yet


def test_a_stage_must_give_what_it_declares():
    class Careless(Stage):
        gives = ("records",)

        def run(self, run, work):
            return {}

    with Pipeline() as pipeline, pytest.raises(RuntimeError, match="gave"):
        pipeline.run([Careless()], Run([]))


def test_labelled_stages_are_told_and_timed_in_order(tmp_path):
    told = []
    with Pipeline(on_stage=told.append) as pipeline:
        run = pipeline.run([Read(), SettleAgencies(None), Records(), CatalogueFiles(tmp_path, ("csv",))],
                           Run([str(LIST)]))
    assert told == ["读取清单", "公开目录"] == list(run.seconds)  # unlabelled steps are neither
    assert all(seconds >= 0 for seconds in run.seconds.values())
    assert run["records"] and [r.id for r in run["records"]] == [r.id for r in public_records(run["catalogue"])]
    assert set(run["downloads"]) == {"csv", "json", "datapackage"}  # csv brings the data package
    assert (tmp_path / "catalogue.csv").is_file() and not (tmp_path / "catalogue.db").exists()


# --- imports run one way ---------------------------------------------------------------------

# bottom to top: a room may import its own layer and those below, never one above
LAYERS = [
    {"model", "law", "disclosure", "names", "limits", "workdays", "timing", "legal_days", "atomic", "xlsxstyle",
     "interrupt", "output", "filecache", "engine", "gate", "fields", "text_forms", "formula_safety", "rules", "errors"},
    {"ingest"},
    {"check", "process", "compare"},
    {"render"},
    {"publish", "report", "stats", "prefill"},
    {"review", "cases"},
    {"pipeline"},
    {"cli", "__main__", "__init__"},
    {"docs_cli"},  # reads the CLI's own help into the README
]


def _layer(room: str) -> int:
    found = [i for i, rooms in enumerate(LAYERS) if room in rooms]
    assert found, f"powercat/{room} is on no layer: add it to LAYERS where it belongs"
    return found[0]


def _is_room(name: str) -> bool:
    return (ROOT / "powercat" / name).is_dir() or (ROOT / "powercat" / f"{name}.py").is_file()


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, room) of every powercat module the file imports, at the top or inside a function."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]  # ("powercat", "render")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                parts = [*base, *(node.module.split(".") if node.module else [])]
            else:
                parts = (node.module or "").split(".")
            if parts[0] != "powercat":
                continue
            names = [parts[1]] if len(parts) > 1 else [alias.name for alias in node.names]
            # `from powercat import __version__`: a name of the package's face, not a room
            found.extend((node.lineno, name if _is_room(name) else "__init__") for name in names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[1]) for alias in node.names
                         if alias.name.startswith("powercat."))
    return found


def _room(path: Path) -> str:
    parts = path.relative_to(ROOT / "powercat").with_suffix("").parts
    return parts[0]


def test_no_import_runs_upward():
    upward = []
    for path in sorted((ROOT / "powercat").rglob("*.py")):
        room = _room(path)
        for line, other in _imports(path):
            if _layer(other) > _layer(room):
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {other}")
    assert upward == []


def test_render_draws_what_it_is_given():
    """render imports neither publish (what is public is given to it) nor law (the legal
    basis comes as text)."""
    taken = {other for path in (ROOT / "powercat" / "render").rglob("*.py") for _line, other in _imports(path)}
    assert not taken & {"publish", "law", "report", "review", "cases", "pipeline", "cli"}, taken


def test_local_tasks_stop_at_the_first_error_as_a_loop_would():
    """Without a cluster the per-file tasks run here, in order; a file that cannot be written
    (a full disk) stops the rest at once instead of after every other file was tried."""
    from powercat.engine import tasks

    ran = []

    def write(name: str) -> str:
        ran.append(name)
        if name == "b":
            raise OSError(28, "No space left on device")
        return name

    with pytest.raises(OSError):
        list(tasks(None).map(write, ["a", "b", "c"]))
    assert ran == ["a", "b"]
