"""Auditing a catalogue: every rule family over every power, as positioned findings."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Executor

from ..law.registry import ArticleTexts, default_registry
from ..model import Catalogue, Power
from . import catalogue as catalogue_rules
from . import legal, overlaps, process, reading, timing
from .context import Context
from .findings import RULES, Finding, Report

__all__ = ["RULES", "Finding", "Report", "run"]


def run(
    catalogue: Catalogue,
    as_of: dt.date | None = None,
    law_texts: ArticleTexts | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    executor: Executor | None = None,
) -> Report:
    """With an executor (a Dask cluster's), the per-power rules run one task per file; the
    rules over the whole catalogue run here."""
    day = as_of or dt.date.today()
    ctx = Context(registry=default_registry(), as_of=day, law_texts=law_texts)
    findings: list[Finding] = []
    if executor is None:
        for source in catalogue.files:
            findings.extend(check_powers(source.powers, day, law_texts))
    else:
        parts = [f.powers for f in catalogue.files]  # Dask's map wants sized arguments
        for part in executor.map(check_powers, parts, [day] * len(parts), [law_texts] * len(parts)):
            findings.extend(part)
    findings.extend(catalogue_rules.check(catalogue, ctx))
    findings.extend(overlaps.check(catalogue, ctx))
    findings.extend(reading.check(catalogue))
    findings = [f for f in findings if _wanted(f.code, select, ignore)]
    findings.sort(key=lambda f: f.sort_key)
    return Report(findings)


def check_powers(powers: list[Power], as_of: dt.date, law_texts: ArticleTexts | None = None) -> list[Finding]:
    """The rules that look at one power at a time (a task of its own on a cluster)."""
    ctx = Context(registry=default_registry(), as_of=as_of, law_texts=law_texts)
    findings: list[Finding] = []
    for power in powers:
        findings.extend(legal.check_power(power, ctx))
        findings.extend(timing.check_power(power, ctx))
        findings.extend(process.check_power(power, ctx))
    return findings


def _wanted(code: str, select: list[str] | None, ignore: list[str] | None) -> bool:
    def matches(patterns: list[str]) -> bool:
        return any(code == p or (p.endswith(("-", "*")) and code.startswith(p.rstrip("*"))) for p in patterns)

    if select and not matches(select):
        return False
    return not (ignore and matches(ignore))
