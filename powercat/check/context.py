"""What every rule may consult (the Finding factory itself is check/findings.finding)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..law.registry import ArticleTexts, Registry
from ..model import Power
from ..text_forms import shorten  # noqa: F401 (check rules shorten texts through the context)
from .findings import finding  # noqa: F401 – the rules import it from here


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




def where_cited(power: Power) -> str:
    """Where a power's citations come from (its agency and its list's file name): a city's
    regulation judges only citations from that city (see Registry.find's `where`)."""
    return f"{power.agency or ''}|{power.source.file}"
