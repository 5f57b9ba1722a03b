"""What the reader could not take at face value, reported at its cell: formulas Excel never
computed, and 公开方式 values that forced a power closed (see powercat/disclosure.py)."""

from __future__ import annotations

from collections.abc import Iterator

from ..fields import labels
from ..model import Catalogue
from .context import shorten
from .findings import RULES, Finding

FIELD_ZH = {**labels("name", "sub_name", "disclosure", "exemption", "basis", "category", "code"), "steps": "运行流程"}


# a position is only useful whole
_WIDTH = {"disclosure-withheld-elsewhere": 120}


def check(catalogue: Catalogue) -> Iterator[Finding]:
    for power in catalogue.powers:
        for problem in power.problems:
            rule = RULES[problem.code]
            field_zh = FIELD_ZH.get(problem.field or "", problem.field or "")
            yield Finding(
                code=problem.code, severity=rule.severity, file=power.source.file, sheet=problem.sheet or power.source.sheet,
                row=problem.row, column=problem.column, field=problem.field, power=power.title,
                message=rule.template.format(value=shorten(problem.detail, _WIDTH.get(problem.code, 40)), field_zh=field_zh),
            )
