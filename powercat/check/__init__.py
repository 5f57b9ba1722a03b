"""Auditing a catalogue: every rule family over every power, as positioned findings."""

from __future__ import annotations

import datetime as dt

from ..law.registry import ArticleTexts, Registry, default_registry
from ..model import Catalogue
from . import catalogue as catalogue_rules
from . import legal, overlaps, process, timing
from .context import Context
from .findings import RULES, Finding, Report

__all__ = ["RULES", "Finding", "Report", "run"]


def run(
    catalogue: Catalogue,
    as_of: dt.date | None = None,
    law_texts: ArticleTexts | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    registry: Registry | None = None,
) -> Report:
    registry = registry or default_registry()
    if registry.texts:  # article texts that came with --laws supplements
        law_texts = ArticleTexts({**(law_texts.texts if law_texts else {}), **registry.texts})
    ctx = Context(registry=registry, as_of=as_of or dt.date.today(), law_texts=law_texts)
    findings: list[Finding] = []
    for power in catalogue.powers:
        findings.extend(legal.check_power(power, ctx))
        findings.extend(timing.check_power(power, ctx))
        findings.extend(process.check_power(power, ctx))
    findings.extend(legal.unknown_findings(ctx))
    findings.extend(catalogue_rules.check(catalogue, ctx))
    findings.extend(overlaps.check(catalogue, ctx))
    # the same finding twice (a law cited twice in one cell) is said once
    findings = list({(f.file, f.sheet, f.row, f.column, f.code, f.message): f for f in findings}.values())
    findings = [f for f in findings if _wanted(f.code, select, ignore)]
    findings.sort(key=lambda f: f.sort_key)
    return Report(findings)


def _wanted(code: str, select: list[str] | None, ignore: list[str] | None) -> bool:
    def matches(patterns: list[str]) -> bool:
        return any(code == p or (p.endswith(("-", "*")) and code.startswith(p.rstrip("*"))) for p in patterns)

    if select and not matches(select):
        return False
    return not (ignore and matches(ignore))
