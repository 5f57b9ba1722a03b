"""Totals for reports (`powercat stats`): items by agency × category, items with explicit
steps, withheld items, and findings by rule when a check report is given."""

from __future__ import annotations

import os
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from .atomic import atomic_path
from .check.findings import RULES, Report
from .model import Catalogue, Category
from .output import save_workbook
from .xlsxstyle import fill_sheet

_ORDER = [c.value for c in Category]


@dataclass
class Stats:
    agencies: list[str]
    categories: list[str]
    counts: dict[tuple[str, str], int]
    with_steps: dict[str, int]
    withheld: dict[str, int]
    findings: dict[str, int] | None

    def total(self, agency: str) -> int:
        return sum(self.counts.get((agency, c), 0) for c in self.categories)

    def to_json(self) -> dict:
        return {
            "agencies": [{"agency": a, "total": self.total(a), "with_steps": self.with_steps.get(a, 0),
                          "withheld": self.withheld.get(a, 0),
                          "by_category": {c: self.counts.get((a, c), 0) for c in self.categories}}
                         for a in self.agencies],
            "by_category": {c: sum(self.counts.get((a, c), 0) for a in self.agencies) for c in self.categories},
            "total": sum(self.total(a) for a in self.agencies),
            "findings_by_code": self.findings,
        }


def compute(catalogue: Catalogue, report: Report | None = None) -> Stats:
    counts: dict[tuple[str, str], int] = {}
    with_steps: dict[str, int] = {}
    withheld: dict[str, int] = {}
    agencies: list[str] = []
    for f in catalogue.files:
        agency = f.agency.name or f.path
        if f.powers and agency not in agencies:
            agencies.append(agency)
        for p in f.powers:
            counts[(agency, p.category)] = counts.get((agency, p.category), 0) + 1
            with_steps[agency] = with_steps.get(agency, 0) + bool(p.steps)
            withheld[agency] = withheld.get(agency, 0) + p.is_withheld
    categories = sorted({c for _a, c in counts}, key=lambda c: (_ORDER.index(c) if c in _ORDER else 99, c))
    return Stats(agencies, categories, counts, with_steps, withheld, report.by_code() if report else None)


def write_stats(stats: Stats, target: str | os.PathLike) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "分类统计"
    columns = [("agency", "单位", 28), *((c, c, 9) for c in stats.categories), ("total", "合计", 8),
               ("steps", "有运行流程", 10), ("withheld", "不予公开", 9)]
    rows = [[a, *(str(stats.counts.get((a, c), 0)) for c in stats.categories), str(stats.total(a)),
             str(stats.with_steps.get(a, 0)), str(stats.withheld.get(a, 0))] for a in stats.agencies]
    totals = ["合计", *(str(sum(stats.counts.get((a, c), 0) for a in stats.agencies)) for c in stats.categories),
              str(sum(stats.total(a) for a in stats.agencies)), str(sum(stats.with_steps.values())),
              str(sum(stats.withheld.values()))]
    fill_sheet(sheet, "行政权力事项分类统计", columns, [*rows, totals])
    # numbers as numbers, so the chart and the totals work in Excel
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row, min_col=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.isdigit():
                cell.value = int(cell.value)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = "各单位行政权力事项（按类别）"
    chart.y_axis.title = "事项数"
    data = Reference(sheet, min_col=2, max_col=1 + len(stats.categories), min_row=2, max_row=2 + len(stats.agencies))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + len(stats.agencies)))
    chart.height, chart.width = max(8, 1.1 * len(stats.agencies)), 22
    sheet.add_chart(chart, f"A{sheet.max_row + 3}")
    if stats.findings:
        findings = book.create_sheet("问题统计")
        fill_sheet(findings, "审查发现的问题（按规则）", [("code", "规则", 32), ("title", "名称", 24), ("severity", "级别", 8),
                                                ("count", "数量", 8)],
                   [[code, RULES[code].title, RULES[code].severity, str(n)] for code, n in stats.findings.items()])
    with atomic_path(target) as tmp:
        save_workbook(book, tmp, kind="stats")
