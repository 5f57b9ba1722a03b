"""What the reader could not take at face value, reported at its cell: formulas Excel never
computed, and 公开方式 values that forced a power closed (see powercat/disclosure.py)."""

from __future__ import annotations

from collections.abc import Iterator

from ..fields import FIELDS, labels
from ..model import Catalogue
from .context import shorten
from .findings import Finding, Place, finding

FIELD_ZH = {**labels(*(f.name for f in FIELDS)), "steps": "运行流程"}


# a position is only useful whole
_WIDTH = {"disclosure-withheld-elsewhere": 120, "column-duplicate-unread": 120, "disclosure-columns-disagree": 120,
          "column-unknown-unread": 400}


def check(catalogue: Catalogue) -> Iterator[Finding]:
    for power in catalogue.powers:
        for problem in power.problems:
            field_zh = FIELD_ZH.get(problem.field or "", problem.field or "")
            at = Place(power.source.file, problem.sheet or power.source.sheet, problem.row, problem.column, power.title)
            yield finding(problem.code, at, problem.field,
                          value=shorten(problem.detail, _WIDTH.get(problem.code, 40)), field_zh=field_zh)
