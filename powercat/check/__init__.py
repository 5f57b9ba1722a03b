"""Auditing a catalogue: every rule family over every power, as positioned findings."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Executor

from ..engine import tasks
from ..law.registry import ArticleTexts, Registry, default_registry
from ..model import Catalogue, Power
from ..rules import checks as rule_checks
from . import catalogue as catalogue_rules  # noqa: F401 – declares its rules (@rule)
from . import legal, overlaps, process, reading, timing  # noqa: F401 – overlaps: @rule
from .context import Context
from .findings import RULES, Finding, Report

__all__ = ["RULES", "Finding", "Report", "finding_codes", "run"]


def finding_codes() -> list[str]:
    """The codes `--select` / `--ignore` may name: every rule of check, review and cases (the
    file errors of ingest are not findings: a file that cannot be read is never selected away)."""
    return [code for code, rule in RULES.items() if rule.family != "file"]


def run(
    catalogue: Catalogue,
    as_of: dt.date | None = None,
    law_texts: ArticleTexts | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    registry: Registry | None = None,
    executor: Executor | None = None,
    by_file: dict[int, list[Finding]] | None = None,
) -> Report:
    """With an executor (a Dask cluster's), the per-power rules run one task per file; the
    rules over the whole catalogue run here. `by_file` holds `check_powers`' findings by the
    file's position in `catalogue.files`: those it has (an earlier run's, see the build's
    cache) are taken as they are, the others are made and added to it."""
    day = as_of or dt.date.today()
    registry = registry or default_registry()
    if registry.texts:  # article texts that came with --laws supplements
        law_texts = ArticleTexts({**(law_texts.texts if law_texts else {}), **registry.texts})
    ctx = Context(registry=registry, as_of=day, law_texts=law_texts)
    # a registry with --laws supplements travels with the tasks; the bundled one is loaded where they run
    shipped = registry if registry.coverage.supplements else None
    by_file = {} if by_file is None else by_file
    todo = [i for i in range(len(catalogue.files)) if i not in by_file]
    parts = [catalogue.files[i].powers for i in todo]  # Dask's map wants sized arguments
    n = len(parts)
    for i, part in zip(todo, tasks(executor).map(check_powers, parts, [day] * n, [law_texts] * n, [shipped] * n)):
        by_file[i] = part
    findings: list[Finding] = [f for i in range(len(catalogue.files)) for f in by_file[i]]
    for check in rule_checks("catalogue"):  # the rules declared with their function (@rule)
        findings.extend(check(catalogue, ctx))
    findings.extend(reading.check(catalogue))
    # the same finding twice (a law cited twice in one cell) is said once
    findings = list({(f.file, f.sheet, f.row, f.column, f.code, f.message): f for f in findings}.values())
    findings = [f for f in findings if _wanted(f.code, select, ignore)]
    findings.sort(key=lambda f: f.sort_key)
    return Report(findings)


def check_powers(powers: list[Power], as_of: dt.date, law_texts: ArticleTexts | None = None,
                 registry: Registry | None = None) -> list[Finding]:
    """The rules that look at one file's powers one at a time (a task of its own on a
    cluster), and its unverifiable titles, once per file."""
    ctx = Context(registry=registry or default_registry(), as_of=as_of, law_texts=law_texts)
    findings: list[Finding] = []
    checks = rule_checks("power")
    for power in powers:
        findings.extend(legal.check_power(power, ctx))
        findings.extend(timing.check_power(power, ctx))
        findings.extend(process.check_power(power, ctx))
        for check in checks:  # the rules declared with their function (@rule)
            findings.extend(check(power, ctx))
    findings.extend(legal.unknown_findings(ctx))
    return findings


def _wanted(code: str, select: list[str] | None, ignore: list[str] | None) -> bool:
    def matches(patterns: list[str]) -> bool:
        return any(code == p or (p.endswith(("-", "*")) and code.startswith(p.rstrip("*"))) for p in patterns)

    if select and not matches(select):
        return False
    return not (ignore and matches(ignore))
