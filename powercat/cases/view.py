"""`powercat cases` output: JSON for machines, rich tables for the unit and the office."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..check.findings import ERROR, INFO, RULES, SEVERITY_ZH, WARNING
from .publish import summary
from .run import CasesResult
from .stats import period_label

_STYLE = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}


def figures_json(result: CasesResult, period: str) -> list[dict]:
    rows = []
    index = {linked.id: linked for linked in result.index.all}
    for power_id in sorted(result.aggregate.powers):
        linked = index[power_id]
        for key, f in result.aggregate.series("power", power_id, period).items():
            rows.append({"power_id": power_id, "power": linked.power.title, "code": linked.power.code,
                         "agency": linked.agency, "withheld": linked.withheld, "period": key, **f.to_json()})
    return rows


def result_json(result: CasesResult, period: str) -> dict:
    return {
        "as_of": result.as_of.isoformat(),
        "files": [{"path": f.path, "format": f.format,
                   "sheets": [{"name": n, "header_row": h, "kind": k, "rows": c} for n, h, k, c in f.sheets],
                   "cases": len(f.cases), "events": len(f.events) + f.streamed_events,
                   "error": None if f.error is None else {"code": f.error.code, "message": f.error.message}}
                  for f in result.files],
        "findings": [f.to_json() for f in result.report.findings],
        "figures": figures_json(result, period),
        "summary": summary(result),
    }


def render(console: Console, result: CasesResult, period: str, limit_per_file: int | None = 200) -> None:
    by_file = defaultdict(list)
    for finding in result.report.findings:
        by_file[finding.file].append(finding)
    for f in result.files:
        name = f.path.replace("\\", "/").rsplit("/", 1)[-1]
        if f.error:
            continue  # the command reports unreadable files on stderr
        findings = by_file.pop(f.path, [])
        what = f"{len(f.cases)} 条办件登记，{len(f.events) + f.streamed_events} 条环节记录"
        if not findings:
            console.print(f"[green]✓[/green] {escape(name)}：{what}，未发现问题")
            continue
        table = Table(title=f"{escape(name)}（{what}）", header_style="bold", title_justify="left")
        for column, kwargs in (("工作表", {}), ("行", {"justify": "right"}), ("列", {}), ("级别", {}),
                               ("规则", {}), ("职权", {"max_width": 24}), ("问题", {"ratio": 1})):
            table.add_column(column, overflow="fold", **kwargs)
        shown = findings if limit_per_file is None else findings[:limit_per_file]
        for item in shown:
            style = _STYLE[item.severity]
            table.add_row(escape(item.sheet or ""), str(item.row or ""), item.column or "",
                          f"[{style}]{SEVERITY_ZH[item.severity]}[/{style}]", item.code, escape(item.power or ""),
                          escape(item.message))
        console.print(table)
        if len(shown) < len(findings):
            console.print(f"  …另有 {len(findings) - len(shown)} 条（用 --json 查看全部）")
    figures = Table(title=f"各单位运行情况（按{ {'month': '月', 'quarter': '季度', 'year': '年'}[period] }）",
                    header_style="bold", title_justify="left")
    for column in ("实施主体", "期间", "受理", "办结", "按时办结率", "用时中位数（工作日）"):
        figures.add_column(column, justify="left" if column in ("实施主体", "期间") else "right")
    for agency in sorted(result.aggregate.agencies):
        for key, f in result.aggregate.series("agency", agency, period).items():
            rate = "" if f.on_time_rate is None else f"{f.on_time_rate * 100:.1f}%"
            figures.add_row(escape(agency), period_label(key), str(f.received), str(f.decided), rate,
                            "" if f.median_days is None else f"{f.median_days:g}")
    if result.aggregate.agencies:
        console.print(figures)
    counts = Table(title="问题汇总", header_style="bold", title_justify="left")
    for column in ("规则", "名称", "级别", "数量"):
        counts.add_column(column)
    for code, n in result.report.by_code().items():
        rule = RULES[code]
        style = _STYLE[rule.severity]
        counts.add_row(code, rule.title, f"[{style}]{SEVERITY_ZH[rule.severity]}[/{style}]", str(n))
    if result.report.findings:
        console.print(counts)
    s = summary(result)
    console.print(f"共 {s['files']} 个登记文件、{s['cases']} 件办件（截至 {result.as_of.isoformat()}）："
                  f"[red]错误 {s['errors']}[/red]，[yellow]警告 {s['warnings']}[/yellow]，[cyan]提示 {s['infos']}[/cyan]")
