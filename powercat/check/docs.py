"""Generates docs/rules.md from the rule catalogue: `python -m powercat.check.docs`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..ingest import file_errors  # noqa: F401 – the file errors, in the same catalogue
from .findings import FAMILIES, RULES, SEVERITY_ZH

TARGET = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def render() -> str:
    lines = [
        "# powercat check: rules",
        "",
        "Generated from the catalogue (`powercat/rules.py`; rules declared in the check module that emits them,",
        "beside their function with `@rule`, in `powercat/check/findings.py` (disclosure, cases, review) or",
        "`powercat/ingest/file_errors.py`) by `python -m powercat.check.docs`;",
        "a test fails when this file and the catalogue drift. Select or ignore rules with `--select` / `--ignore`",
        "(a code, or a prefix ending in `-` such as `basis-`); file errors (文件读取) are not findings and",
        "cannot be selected: the file is left out and the command ends with exit 3.",
        "",
        "A new rule is one edit and its test: a function with `@rule(code, severity, family, title=…, template=…,",
        "description=…)` in its family's module (see `powercat/check/catalogue.py`); check runs it on every power",
        "(or once on the whole list with `scope=\"catalogue\"`) and this page lists it.",
        "",
    ]
    for family, title in FAMILIES.items():
        lines += [f"## {title} ({family})", "", "| code | 名称 | severity | law | description | message |", "|---|---|---|---|---|---|"]
        for rule in RULES.values():
            if rule.family != family:
                continue
            message = " / ".join((rule.template, *rule.variants.values())).replace("\n", " ").replace("|", "\\|")
            lines.append(f"| `{rule.code}` | {rule.title} | {rule.severity}（{SEVERITY_ZH[rule.severity]}） | "
                         f"{rule.law or ''} | {rule.description} | {message} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
