"""The compare room (powercat/compare.py, `powercat diff`): matching two versions of the
lists power by power, what changed field by field, and what may be published of it."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from powercat import compare
from powercat.ingest import load

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def old():
    return load([str(DATA)])


def _public(catalogue, n: int):
    """The n-th public power with a code, and its file's powers list."""
    found = [(f, p) for f in catalogue.files for p in f.powers if p.code and not p.is_withheld]
    return found[n]


def test_the_same_lists_have_no_change(old):
    d = compare.diff(old, old)
    assert not (d.added or d.removed or d.renamed or d.changed)
    assert len(d.unchanged) == len(old.powers) and {p.how for p in d.pairs} <= {"code", "name", "name-category"}
    assert compare.diff_json(d)["summary"] == {"added": 0, "removed": 0, "renamed": 0, "changed": 0,
                                               "unchanged": len(old.powers)}


def test_an_adjustment_is_told_power_by_power(old):
    new = copy.deepcopy(old)
    file_a, changed = _public(new, 0)
    changed.basis = (changed.basis or "") + "；《中华人民共和国行政许可法》第十二条"
    _file_b, renamed = _public(new, 3)
    renamed_title_before = renamed.name
    renamed.code, renamed.name = None, renamed.name + "（含变更）"  # no code: matched as a rename
    file_c, removed = _public(new, 10)
    file_c.powers.remove(removed)
    added = dataclasses.replace(changed, name="新增的公路巡查事项", code="NEW-0001", sub_name=None)
    file_a.powers.append(added)

    d = compare.diff(old, new)
    assert [(p.new.name, [(c.field, c.label) for c in p.changes]) for p in d.changed] == \
        [(changed.name, [("basis", "实施依据")])]
    assert d.changed[0].changes[0].after.endswith("第十二条") and d.changed[0].how == "code"
    assert [(p.old.name, p.new.name, p.how) for p in d.renamed] == [(renamed_title_before, renamed.name, "rename")]
    assert d.renamed[0].similarity >= compare.RENAME_THRESHOLD
    assert [(a, p.name) for a, p in d.removed] == [(file_c.agency.name, removed.name)]
    assert [(a, p.code) for a, p in d.added] == [(file_a.agency.name, "NEW-0001")]
    summary = compare.diff_json(d)["summary"]
    assert summary == {"added": 1, "removed": 1, "renamed": 1, "changed": 1, "unchanged": len(old.powers) - 3}


def test_a_withheld_power_never_reaches_the_public_diff(old):
    new = copy.deepcopy(old)
    withheld = next(p for p in new.powers if p.is_withheld)
    withheld.basis = (withheld.basis or "") + "（已修改）"
    d = compare.diff(old, new)
    assert [p.new.name for p in d.changed] == [withheld.name]
    public, left_out = compare.publishable(d)
    assert public.changed == [] and left_out == 1
    assert withheld.name not in str(compare.diff_json(public))
