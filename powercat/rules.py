"""The one catalogue of codes powercat reports: rules on records (findings) and errors on
whole files, each declared once with its severity, family, Chinese title and message
template, English description, the law behind it and, for a rule that stands alone, the
function that applies it.

Declared where they are applied: at the top of the check module that emits them
(check/legal.py, timing.py, process.py), next to a rule function with the `@rule`
decorator (check/catalogue.py, overlaps.py), in check/findings.py (disclosure, review and
cases) or ingest/file_errors.py (what makes a file unreadable or unsafe). `docs/rules.md` is generated from this catalogue
(`python -m powercat.check.docs`); a test fails when the two drift. This module sits at the
bottom with model.py: it imports nothing of powercat.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

# family → its Chinese heading, in the order docs/rules.md shows them
FAMILIES: dict[str, str] = {
    "legal": "法定依据", "setting": "设定权", "timing": "时限", "process": "运行流程", "catalogue": "清单要素",
    "disclosure": "公开属性与读取", "review": "清理审核", "cases": "动态运行（办件登记）", "file": "文件读取",
}
SCOPES = ("power", "catalogue")
_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    family: str  # a key of FAMILIES
    template: str  # Chinese, str.format fields
    description: str  # English, one line
    law: str | None = None  # the provision behind the rule
    title: str = ""  # Chinese short name, for summaries
    check: Callable | None = field(default=None, compare=False, repr=False)  # the function applying it (@rule)
    scope: str = "power"  # what `check` looks at: one power, or the whole catalogue
    # other wordings of a file error, by name (the template is the first); see message()
    variants: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def message(self, variant: str | None = None, /, **values) -> str:
        return (self.variants[variant] if variant else self.template).format(**values)


RULES: dict[str, Rule] = {}


def declare(code: str, severity: str, family: str, title: str, template: str, description: str,
            law: str | None = None, *, check: Callable | None = None, scope: str = "power",
            variants: dict[str, str] | None = None) -> Rule:
    """Adds one rule to the catalogue; a code declared twice, or declared incompletely, is a
    bug and stops the import (so it is caught by any test)."""
    if code in RULES:
        raise ValueError(f"rule code declared twice: {code}")
    if not _CODE.match(code):
        raise ValueError(f"rule code must be kebab-case: {code!r}")
    if severity not in SEVERITY_ORDER or family not in FAMILIES:
        raise ValueError(f"rule {code}: unknown severity {severity!r} or family {family!r}")
    if not (title and template and description):
        raise ValueError(f"rule {code}: title, template and description are required")
    if scope not in SCOPES:
        raise ValueError(f"rule {code}: unknown scope {scope!r}")
    rule_ = Rule(code, severity, family, template, description, law, title, check, scope, dict(variants or {}))
    RULES[code] = rule_
    return rule_


def rule(code: str, severity: str, family: str, *, title: str, template: str, description: str,
         law: str | None = None, scope: str = "power") -> Callable:
    """Declares a rule together with the function that applies it, which check then runs
    with no further wiring: `f(power, ctx)` on every power (scope "power"), or
    `f(catalogue, ctx)` once (scope "catalogue", for what only the whole list shows);
    either yields Findings."""

    def attach(function: Callable) -> Callable:
        declare(code, severity, family, title, template, description, law, check=function, scope=scope)
        return function

    return attach


def checks(scope: str = "power") -> list[Callable]:
    """The functions of the rules declared with `@rule` for `scope`, in the order declared."""
    return [r.check for r in RULES.values() if r.check is not None and r.scope == scope]
