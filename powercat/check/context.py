"""What every rule may consult, and how a rule turns into a positioned Finding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..law.registry import ArticleTexts, Registry
from ..model import Power
from ..text_forms import shorten  # noqa: F401 (check rules shorten texts through the context)
from .findings import RULES, Finding


@dataclass
class Context:
    registry: Registry
    as_of: dt.date
    law_texts: ArticleTexts | None = None
    # (file, title) → [(power, field)]: titles the registry lacks, reported once per file
    unknown: dict = field(default_factory=dict)

    @property
    def coverage(self):
        return self.registry.coverage


def finding(code: str, power: Power, field: str | None = None, /, **values) -> Finding:
    """A finding of rule `code` on `power`, pointing at the cell of `field` when the
    sheet has that column."""
    rule = RULES[code]
    return Finding(
        code=code,
        severity=rule.severity,
        file=power.source.file,
        sheet=power.source.sheet,
        row=power.source.row,
        column=power.columns.get(field) if field else None,
        field=field,
        power=power.title,
        message=rule.template.format(**values),
    )


def where_cited(power: Power) -> str:
    """Where a power's citations come from (its agency and its list's file name): a city's
    regulation judges only citations from that city (see Registry.find's `where`)."""
    return f"{power.agency or ''}|{power.source.file}"
