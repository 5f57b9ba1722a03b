"""`powercat check` output: JSON for machines, rich tables for reviewers."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..check.findings import ERROR, INFO, RULES, SEVERITY_ZH, WARNING, Report
from ..model import Catalogue
from .listing import file_json

_STYLE = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}


def summary_json(catalogue: Catalogue, report: Report) -> dict:
    return {
        "files": len(catalogue.files),
        "powers": len(catalogue.powers),
        "errors": report.count(ERROR),
        "warnings": report.count(WARNING),
        "infos": report.count(INFO),
        "by_code": report.by_code(),
    }


def report_json(catalogue: Catalogue, report: Report) -> dict:
    return {
        "files": [file_json(f) for f in catalogue.files],
        "findings": [f.to_json() for f in report.findings],
        "summary": summary_json(catalogue, report),
    }


def render(console: Console, catalogue: Catalogue, report: Report, limit_per_file: int | None = None) -> None:
    by_file = defaultdict(list)
    for finding in report.findings:
        by_file[finding.file].append(finding)
    for f in catalogue.files:
        name = f.path.replace("\\", "/").rsplit("/", 1)[-1]
        if f.error:
            console.print(f"[red]无法读取[/red] {escape(f.error.message)}")
            continue
        findings = by_file.get(f.path, [])
        if not findings:
            console.print(f"[green]✓[/green] {escape(name)}：{len(f.powers)} 个事项，未发现问题")
            continue
        table = Table(title=f"{escape(name)}（{escape(f.agency.name or '')}，{len(f.powers)} 个事项）",
                      header_style="bold", title_justify="left", show_lines=False)
        for column, kwargs in (("工作表", {}), ("行", {"justify": "right"}), ("列", {}), ("级别", {}),
                               ("规则", {}), ("事项", {"max_width": 28}), ("问题", {"ratio": 1})):
            table.add_column(column, overflow="fold", **kwargs)
        shown = findings if limit_per_file is None else findings[:limit_per_file]
        for item in shown:
            style = _STYLE[item.severity]
            table.add_row(escape(item.sheet or ""), str(item.row or ""), item.column or "",
                          f"[{style}]{SEVERITY_ZH[item.severity]}[/{style}]", item.code,
                          escape(item.power or ""), escape(item.message))
        console.print(table)
        if len(shown) < len(findings):
            console.print(f"  …另有 {len(findings) - len(shown)} 条（用 --json 或 --annotate 查看全部）")
    counts = Table(title="问题汇总", header_style="bold", title_justify="left")
    for column in ("规则", "名称", "级别", "数量"):
        counts.add_column(column)
    for code, n in report.by_code().items():
        rule = RULES[code]
        style = _STYLE[rule.severity]
        counts.add_row(code, rule.title, f"[{style}]{SEVERITY_ZH[rule.severity]}[/{style}]", str(n))
    if report.findings:
        console.print(counts)
    console.print(
        f"共 {len(catalogue.files)} 个文件、{len(catalogue.powers)} 个事项："
        f"[red]错误 {report.count(ERROR)}[/red]，[yellow]警告 {report.count(WARNING)}[/yellow]，"
        f"[cyan]提示 {report.count(INFO)}[/cyan]"
    )
