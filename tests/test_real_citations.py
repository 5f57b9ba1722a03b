"""The citation parser on 75 real 实施依据 cells, read from ../shared/real-lists by position.
Only positions and expected parses are committed (tests/data/real_citations.json)."""

import json
from pathlib import Path

import pytest

from powercat.ingest import load
from powercat.law.citation import parse

pytestmark = pytest.mark.slow
CASES = json.loads((Path(__file__).parent / "data" / "real_citations.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cells():
    from .conftest import REAL_LISTS

    if not REAL_LISTS.is_dir():
        pytest.skip("../shared/real-lists is absent")
    catalogue = load([str(REAL_LISTS)])
    return {(p.source.file.rsplit("/", 1)[-1], p.source.sheet, p.source.row): p.basis for p in catalogue.powers}


def test_enough_real_cells_cover_the_forms():
    assert len(CASES) >= 60
    labels = [label for case in CASES for c in case["citations"] for label in c["articles"]]
    assert any("项" in label for label in labels) and any("款" in label for label in labels)
    assert any(c["chapters"] for case in CASES for c in case["citations"])
    assert any(c["tag"] is None for case in CASES for c in case["citations"])
    assert any(len(case["citations"]) >= 4 for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['file'][:12]}-{c['sheet'][:6]}-{c['row']}")
def test_real_cell_parses_as_expected(cells, case):
    basis = cells[(case["file"], case["sheet"], case["row"])]
    got = [{"tag": c.tag, "title": c.title, "cited": c.cited_date, "articles": [a.label for a in c.articles],
            "chapters": c.chapters} for c in parse(basis)]
    assert got == case["citations"]
