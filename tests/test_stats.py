"""The stats room (powercat/stats.py): totals by agency × category, steps, withheld items and
findings by rule, and the workbook they are written to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from powercat import stats
from powercat.check import run as run_checks
from powercat.ingest import load
from powercat.model import Catalogue

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def sample() -> Catalogue:
    return load([str(DATA)])


def test_totals_add_up_to_the_powers_read(sample):
    result = stats.compute(sample)
    data = result.to_json()
    assert data["total"] == len(sample.powers) > 0
    assert sum(data["by_category"].values()) == data["total"]
    for entry in data["agencies"]:
        assert sum(entry["by_category"].values()) == entry["total"]
    # every power counted once under its own file's agency and category
    for f in sample.files:
        agency = f.agency.name or f.path
        for category in {p.category for p in f.powers}:
            mine = sum(1 for g in sample.files if (g.agency.name or g.path) == agency
                       for p in g.powers if p.category == category)
            assert result.counts[(agency, category)] == mine
    assert sum(result.withheld.values()) == sum(p.is_withheld for p in sample.powers) > 0
    assert sum(result.with_steps.values()) == sum(bool(p.steps) for p in sample.powers) > 0
    assert data["findings_by_code"] is None  # no check report given


def test_findings_by_rule_come_from_the_check_report(sample, tmp_path):
    report = run_checks(sample, as_of=dt.date(2026, 12, 1))
    result = stats.compute(sample, report)
    assert result.findings == report.by_code() and sum(result.findings.values()) == len(report.findings) > 0
    target = tmp_path / "统计.xlsx"
    stats.write_stats(result, target)
    book = load_workbook(target)
    sheet = book["分类统计"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    total_row = next(r for r in rows if r[0] == "合计")
    n = len(result.categories)
    assert total_row[1 + n] == len(sample.powers)  # numbers stored as numbers
    assert total_row[3 + n] == sum(result.withheld.values())
    assert len(sheet._charts) == 1
    by_rule = {r[0].value: r[3].value for r in book["问题统计"].iter_rows(min_row=3) if r[0].value}
    assert {k: int(v) for k, v in by_rule.items()} == report.by_code()


@pytest.mark.slow
def test_real_lists_counted_as_the_hand_checked_lists(real_lists, expected):
    catalogue = load([str(real_lists)])
    result = stats.compute(catalogue)
    assert result.to_json()["total"] == expected["total_items"] == 2172
    for f in catalogue.files:
        want = expected["files"][Path(f.path).name]["category_counts"]
        got = stats.compute(Catalogue(files=[f])).to_json()["by_category"]
        assert {c: n for c, n in got.items() if n} == want, f.path
