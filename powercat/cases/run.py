"""One call for the command and the build: registers + catalogue → every case checked."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..check.findings import SEVERITY_ORDER, Finding, Report
from ..ingest.loader import SUFFIXES
from ..model import Catalogue
from .checks import Outcome, Settings, assemble, check_cases
from .link import PowerIndex
from .model import RegisterFile
from .read import read_registers
from .stats import Aggregate

REGISTER_DIR = "办件登记"  # the folder beside the lists that holds their registers


@dataclass
class CasesResult:
    files: list[RegisterFile]
    outcomes: list[Outcome]
    report: Report
    aggregate: Aggregate
    as_of: dt.date
    index: PowerIndex = field(repr=False, default=None)

    @property
    def unreadable(self) -> list[RegisterFile]:
        return [f for f in self.files if f.error is not None]


def registers_beside(paths: Iterable[str]) -> list[str]:
    """The `办件登记/` folders beside (inside) the given list folders, and those given
    directly: what `powercat build` reads as registers."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            candidate = os.path.join(path, REGISTER_DIR)
            if os.path.isdir(candidate) and any(name.lower().endswith(SUFFIXES) for name in os.listdir(candidate)):
                found.append(candidate)
    return found


def check_registers(catalogue: Catalogue, register_paths: list[str], as_of: dt.date | None = None,
                    due_within: int = 5, select: list[str] | None = None, ignore: list[str] | None = None) -> CasesResult:
    from ..check import _wanted

    settings = Settings(as_of=as_of or dt.date.today(), due_within=due_within)
    files = read_registers(register_paths)
    cases, findings = assemble(files)
    index = PowerIndex(catalogue)
    aggregate = Aggregate()
    outcomes = []
    for outcome in check_cases(cases, index, settings):
        outcome.findings = [f for f in outcome.findings if _wanted(f.code, select, ignore)]
        aggregate.add(outcome)
        outcomes.append(outcome)
        findings.extend(outcome.findings)
    findings = [f for f in findings if _wanted(f.code, select, ignore)]
    findings.sort(key=_sort_key)
    return CasesResult(files, outcomes, Report(findings), aggregate, settings.as_of, index)


def _sort_key(f: Finding):
    return (f.file, f.sheet or "", f.row or 0, SEVERITY_ORDER[f.severity], f.code, f.message)
