import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powercat.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL_LISTS = SHARED / "real-lists"
DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    # rich wraps to the terminal width; pin it so assertions on text are stable
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def real_lists() -> Path:
    if not (REAL_LISTS / "expected.json").is_file():
        pytest.skip(f"../shared/real-lists is absent ({REAL_LISTS}); real-list tests need it beside the repo")
    return REAL_LISTS


@pytest.fixture
def expected(real_lists) -> dict:
    return json.loads((real_lists / "expected.json").read_text(encoding="utf-8"))


def run_cli(*args: str):
    """Runs powercat in-process; returns the click Result (stdout and stderr separate)."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return result


def list_json(*paths) -> tuple[int, dict]:
    result = run_cli("list", "--json", *paths)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def cli():
    return run_cli
