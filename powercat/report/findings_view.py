"""`powercat check` output: JSON for machines, a terminal report for reviewers.

Signal first: the terminal report is built for lists of hundreds of items: first the check
date and what the law registry covers, then one line per file (errors, warnings, unverifiable
titles), then every error grouped by rule and law, then warnings grouped by rule — what a
reviewer must act on. What cannot be verified follows as one line per file and the other
notes as one line, each pointing to the full lists, which close the report: the titles the
registry lacks, the versions it lacks (one line per law) and the notes. `limit` caps the
detail lines of each severity. The JSON leads the same way: findings by severity, and the
unverifiable titles and versions grouped in their own section."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..check.findings import ERROR, INFO, RULES, SEVERITY_ORDER, SEVERITY_ZH, WARNING, Finding, Report
from ..law.registry import default_registry
from ..model import Catalogue
from .listing import file_json

_STYLE = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}
UNVERIFIABLE = ("basis-law-unknown",)
VERSION_UNVERIFIABLE = "basis-version-unverifiable"
FULL_LISTS = "—— 以下为完整列表（无法核验的法规、所引版本无法核验、提示）——"
_CITED = re.compile(r"引用 (.+?) 的版本，对照的是(法规库.+?版本)")
_TITLE = re.compile(r"《([^》]+)》")
_ROWS = re.compile(r"本文件引用它的行：(.*)$")


def summary_json(catalogue: Catalogue, report: Report, as_of: str | None = None) -> dict:
    coverage = default_registry().coverage
    return {
        "files": len(catalogue.files),
        "powers": len(catalogue.powers),
        "errors": report.count(ERROR),
        "warnings": report.count(WARNING),
        "infos": report.count(INFO),
        "by_code": report.by_code(),
        "as_of": as_of,
        "registry": coverage.lines(),
    }


def report_json(catalogue: Catalogue, report: Report, as_of: str | None = None) -> dict:
    """Summary first, then the findings by severity (errors, warnings, then notes), then what
    could not be verified, grouped: one entry per file and title, one per law and version."""
    return {
        "summary": summary_json(catalogue, report, as_of),
        "findings": [f.to_json() for f in signal_first(report.findings)],
        "unverifiable": unverifiable_json(report.findings),
        "files": [file_json(f) for f in catalogue.files],
    }


def signal_first(findings: Iterable[Finding]) -> list[Finding]:
    """Errors, then warnings, then notes; the unverifiable titles and versions last."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity],
                                           f.code in UNVERIFIABLE or f.code == VERSION_UNVERIFIABLE))


def unverifiable_titles(findings: Iterable[Finding]) -> list[dict]:
    """One row per file and title the registry lacks: the title, the rows citing it, the
    registry's coverage; most cited first. Also the rows of a 问题清单 sheet of them."""
    rows = []
    for finding in findings:
        if finding.code not in UNVERIFIABLE:
            continue
        match = _ROWS.search(finding.message)
        cited = [int(n) for n in re.findall(r"\d+", match.group(1).split(" 等 ")[0])] if match else [finding.row or 0]
        coverage = re.search(r"无法核验（(.+?)），请人工核对", finding.message)
        rows.append({"file": finding.file, "title": law_of(finding), "rows": cited,
                     "count": int(m.group(1)) if match and (m := re.search(r"等 (\d+) 行", match.group(1))) else len(cited),
                     "coverage": coverage.group(1) if coverage else "", "sheet": finding.sheet, "field": finding.field})
    return sorted(rows, key=lambda r: (r["file"], -r["count"], r["title"]))


def unverifiable_versions(findings: Iterable[Finding]) -> list[dict]:
    """The per-cell "registry lacks this version" notes, one row per law: the versions cited,
    the registry version compared and where, per file."""
    laws: dict[str, dict] = {}
    for finding in findings:
        if finding.code != VERSION_UNVERIFIABLE:
            continue
        law = law_of(finding)
        match = _CITED.search(finding.message)
        entry = laws.setdefault(law, {"title": law, "cited": [], "registry": match.group(2) if match else "",
                                      "rows": defaultdict(list), "count": 0})
        if match and match.group(1) not in entry["cited"]:
            entry["cited"].append(match.group(1))
        entry["rows"][finding.file].append(finding.row or 0)
        entry["count"] += 1
    return [{**e, "rows": {f: sorted(set(r)) for f, r in e["rows"].items()}}
            for e in sorted(laws.values(), key=lambda e: (-e["count"], e["title"]))]


UNVERIFIABLE_SHEET = "无法核验的法规"
UNVERIFIABLE_HEADERS = ["类别", "法规", "所引版本", "对照", "工作表", "行", "说明"]


def unverifiable_sheet_rows(findings: list[Finding]) -> list[list]:
    """The rows of a 问题清单 workbook's "无法核验的法规" sheet (under UNVERIFIABLE_HEADERS): one per
    title the registry lacks, then one per law whose cited version it lacks."""
    rows = [["法规库未收录", f"《{t['title']}》", "", "", t["sheet"] or "", "、".join(map(str, t["rows"])), t["coverage"]]
            for t in unverifiable_titles(findings)]
    for law in unverifiable_versions(findings):
        where_ = "；".join("、".join(map(str, r)) for r in law["rows"].values())
        rows.append(["所引版本未收录", f"《{law['title']}》", "、".join(law["cited"]), law["registry"], "", where_,
                     "未核对条文，请人工核对"])
    return rows


def unverifiable_line(findings: list[Finding]) -> str | None:
    """The one line a 问题清单 sheet says about what could not be verified, pointing to the full sheet."""
    titles, versions = unverifiable_titles(findings), unverifiable_versions(findings)
    if not (titles or versions):
        return None
    parts = ([f"法规库未收录的法规 {len(titles)} 部"] if titles else []) + \
        ([f"所引版本未收录的法规 {len(versions)} 部"] if versions else [])
    return f"无法核验：{'、'.join(parts)}（并非依据有误），完整列表见“{UNVERIFIABLE_SHEET}”表"


def unverifiable_json(findings: list[Finding]) -> dict:
    titles = unverifiable_titles(findings)
    by_file = Counter(t["file"] for t in titles)
    return {"about": "法规库未收录、无法核验的法规和版本：并非依据有误，请人工核对，或用 --laws 补充本地法规",
            "titles_per_file": dict(by_file), "titles": titles, "versions": unverifiable_versions(findings)}


def short_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


# Families whose findings are about a law; elsewhere a 《》 in a message is quoted cell text
# (a 责任事项依据 left unread), not the law the finding is about.
_LAW_FAMILIES = frozenset({"legal", "setting", "timing", "process", "review"})


def law_of(finding: Finding) -> str:
    """The law a finding is about (the first 《》 title of its message), or ''."""
    rule = RULES.get(finding.code)
    if rule is not None and rule.family not in _LAW_FAMILIES:
        return ""
    match = _TITLE.search(finding.message)
    return match.group(1) if match else ""


def file_summary(catalogue: Catalogue, report: Report) -> list[dict]:
    """Per file: items, errors, warnings, unverifiable titles, infos."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.file].append(finding)
    rows = []
    for f in catalogue.files:
        found = by_file.get(f.path, [])
        rows.append({
            "file": f.path, "name": short_name(f.path), "agency": f.agency.name if f.agency else None,
            "items": len(f.powers), "error": f.error.message if f.error else None,
            "errors": sum(1 for x in found if x.severity == ERROR),
            "warnings": sum(1 for x in found if x.severity == WARNING),
            "unverifiable": sum(1 for x in found if x.code in UNVERIFIABLE),
            "infos": sum(1 for x in found if x.severity == INFO and x.code not in UNVERIFIABLE),
        })
    return rows


def grouped(findings: Iterable[Finding]) -> list[tuple[str, str, list[Finding]]]:
    """(code, law, findings) groups, in the order of severity, then size."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[(finding.code, law_of(finding))].append(finding)
    return sorted(((code, law, items) for (code, law), items in groups.items()),
                  key=lambda g: (SEVERITY_ORDER[RULES[g[0]].severity], -len(g[2]), g[0], g[1]))


def where(findings: list[Finding], files: int) -> str:
    """'生态环境局…清单.xls 3、5、8' per file; the file is named only when several are."""
    rows: dict[str, list[int]] = defaultdict(list)
    for finding in findings:
        numbers = rows.setdefault(finding.file, [])  # a finding about a whole file has no row
        if finding.row:
            numbers.append(finding.row)
    parts = []
    for path, numbers in rows.items():
        listed = "、".join(str(n) for n in sorted(set(numbers)))
        if not numbers:
            parts.append(_stem(path) if files > 1 else "整个文件")
        else:
            parts.append(f"{_stem(path)} 行{listed}" if files > 1 else f"行{listed}")
    return "；".join(parts)


_PREFIX: list[str] = [""]  # the words every input file's name starts with (the city), set by render


def _stem(path: str) -> str:
    name = short_name(path).rsplit(".", 1)[0]
    name = name.removeprefix(_PREFIX[0]) if len(name) > len(_PREFIX[0]) + 1 else name
    name = re.sub(r"^(附件[:：]?)", "", name)
    name = re.sub(r"\d{4}年?(权责|权力)清单.*$", "", name)
    # the city every agency of a list shares: 克拉玛依市住房和城乡建设局 → 住房和城乡建设局
    name = re.sub(r"^[\u4e00-\u9fa5]{2,4}市(?=[\u4e00-\u9fa5（）()]{3,}$)", "", name)
    return name or short_name(path)


def render(console: Console, catalogue: Catalogue, report: Report, limit: int | None = None,
           as_of: str | None = None, limit_per_file: int | None = None, labels: dict[str, str] | None = None) -> None:
    """`labels`: path → what names the file better than its name (a review copy's office)."""
    limit = limit if limit is not None else limit_per_file
    names = [re.sub(r"^(附件[:：]?)", "", short_name(f.path)) for f in catalogue.files]
    _PREFIX[0] = _common_prefix(names) if len(names) > 1 else ""
    coverage = default_registry().coverage
    head = f"审查基准日 {as_of}；" if as_of else ""
    console.print(escape(head + "法规库：" + "；".join(coverage.lines())), overflow="ellipsis", no_wrap=True)
    files = file_summary(catalogue, report)
    for row in files:
        if labels and row["file"] in labels:
            row["name"] = f"{labels[row['file']]} {row['name']}"
    table = Table(title="各文件审查结果", title_justify="left", box=None, header_style="bold", pad_edge=False)
    table.add_column("文件", no_wrap=True, overflow="ellipsis", max_width=44)
    for column in ("事项", "错误", "警告", "无法核验的法规", "提示"):
        table.add_column(column, justify="right", no_wrap=True)
    for row in files:
        if row["error"]:
            table.add_row(escape(row["name"]), "[red]无法读取[/red]", "", "", "", "")
            continue
        table.add_row(escape(row["name"]), str(row["items"]),
                      f"[red]{row['errors']}[/red]" if row["errors"] else "0",
                      f"[yellow]{row['warnings']}[/yellow]" if row["warnings"] else "0",
                      str(row["unverifiable"]), str(row["infos"]))
    console.print(table)
    unverifiable = [f for f in report.findings if f.code in UNVERIFIABLE]
    console.print(
        f"共 {len(catalogue.files)} 个文件、{len(catalogue.powers)} 个事项："
        f"[red]错误 {report.count(ERROR)}[/red]，[yellow]警告 {report.count(WARNING)}[/yellow]，"
        f"无法核验的法规 {len(unverifiable)} 部次，[cyan]提示 {report.count(INFO) - len(unverifiable)}[/cyan]"
        + ("（无法核验的法规和提示的完整列表见下文）" if report.count(INFO) else "")
    )
    several = len(catalogue.files) > 1
    errors = [f for f in report.findings if f.severity == ERROR]
    if errors:
        _groups(console, "错误", ERROR, grouped(errors), limit, several)
    warnings = [f for f in report.findings if f.severity == WARNING]
    if warnings:
        _by_rule(console, "警告", WARNING, warnings, limit, several)
    versions = [f for f in report.findings if f.code == VERSION_UNVERIFIABLE]
    infos = [f for f in report.findings if f.severity == INFO and f.code not in UNVERIFIABLE
             and f.code != VERSION_UNVERIFIABLE]
    if not (unverifiable or versions or infos):
        return
    # the notes in a few pointer lines, before the full lists; one file's counts are in the lines above
    console.print()
    for line in pointer_lines(unverifiable, versions, several) if several else []:
        console.print(f"[cyan]{escape(line)}[/cyan]", overflow="ellipsis", no_wrap=True)
    if infos:
        counts = Counter(RULES[f.code].title for f in infos)
        console.print(f"[cyan]提示 {len(infos)} 条：" + escape("、".join(f"{t} {n}" for t, n in counts.most_common()))
                      + "（见下文完整列表）[/cyan]", overflow="ellipsis", no_wrap=True)
    console.print(f"\n[bold]{FULL_LISTS}[/bold]")
    if unverifiable:
        _unverifiable(console, unverifiable, limit, several)
    if versions:
        _versions(console, versions, limit, several)
    if infos:
        _by_rule(console, "提示", INFO, infos, limit, several)


def pointer_lines(unverifiable: list[Finding], versions: list[Finding], several: bool) -> list[str]:
    """One line per file: how many titles and versions could not be verified, and where the full list is."""
    titles = Counter(f.file for f in unverifiable)
    laws: dict[str, set[str]] = defaultdict(set)
    for finding in versions:
        laws[finding.file].add(law_of(finding))
    lines = []
    paths = sorted(set(titles) | set(laws), key=lambda p: (-titles.get(p, 0), p))
    stems = Counter(_stem(p) for p in paths)
    for path in paths:
        parts = [f"法规 {titles[path]} 部"] if titles.get(path) else []
        if laws.get(path):
            parts.append(f"所引版本 {len(laws[path])} 部")
        # two files of one agency (…清单.xlsx, …清单 (1).xlsx) are told apart by their names
        name = (f"{_stem(path)} " if stems[_stem(path)] == 1 else f"{short_name(path)} ") if several else ""
        lines.append(f"无法核验（法规库未收录）：{name}" + "、".join(parts) + "，完整列表见下文")
    return lines


def _groups(console: Console, label: str, severity: str, groups, limit: int | None, several: bool) -> None:
    """One line per (rule, law): count, the first message, where."""
    style = _STYLE[severity]
    total = sum(len(items) for _c, _l, items in groups)
    console.print(f"\n[bold {style}]{label} {total} 条[/bold {style}]（同一规则、同一法规归并为一行）")
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("规则", no_wrap=True)
    table.add_column("数", justify="right", no_wrap=True)
    table.add_column("问题", no_wrap=True, overflow="ellipsis", ratio=3)
    table.add_column("位置", no_wrap=True, overflow="ellipsis", ratio=2)
    shown = groups if limit is None else groups[:limit]
    for code, _law, items in shown:
        message = items[0].message.split("\n")[0]
        table.add_row(f"[{style}]{RULES[code].title}[/{style}]", str(len(items)), escape(message),
                      escape(where(items, 2 if several else 1)))
    console.print(table)
    if len(shown) < len(groups):
        console.print(f"  …另有 {len(groups) - len(shown)} 组（用 --limit 0、--json 或 --annotate 查看全部）")


def _by_rule(console: Console, label: str, severity: str, findings: list[Finding], limit: int | None,
             several: bool) -> None:
    """Per rule: a count line naming the laws most concerned, then the findings grouped by law."""
    style = _STYLE[severity]
    console.print(f"\n[bold {style}]{label} {len(findings)} 条，按规则[/bold {style}]")
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    for code, items in sorted(by_code.items(), key=lambda kv: -len(kv[1])):
        laws = Counter(law_of(f) for f in items if law_of(f))
        top = "、".join(f"《{law}》{n}" for law, n in laws.most_common(3))
        console.print(f"  [{style}]{RULES[code].title}[/{style}] {len(items)} 条" + (f"：{escape(top)}…" if top else ""),
                      overflow="ellipsis", no_wrap=True)
    groups = grouped(findings)
    _groups(console, f"{label}明细", severity, groups, limit, several)


def _unverifiable(console: Console, findings: list[Finding], limit: int | None, several: bool) -> None:
    """The titles the registry lacks, each once, with the files and rows citing it."""
    titles: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        titles[law_of(finding)].append(finding)
    console.print(f"\n[bold cyan]无法核验的法规 {len(titles)} 部[/bold cyan]（法规库未收录；请人工核对，"
                  "或用 --laws 补充本地法规）")
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column("法规", no_wrap=True, overflow="ellipsis", ratio=3)
    table.add_column("位置", no_wrap=True, overflow="ellipsis", ratio=2)
    ordered = sorted(titles.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    shown = ordered if limit is None else ordered[:limit]
    for title, items in shown:
        parts = []
        for finding in items:
            match = _ROWS.search(finding.message)
            rows = match.group(1) if match else str(finding.row or "")
            parts.append(f"{_stem(finding.file)} 行{rows}" if several else f"行{rows}")
        table.add_row(escape(f"《{title}》"), escape("；".join(parts)))
    console.print(table)
    if len(shown) < len(ordered):
        console.print(f"  …另有 {len(ordered) - len(shown)} 部（用 --limit 0、--json 或 --annotate 查看全部）")


def _versions(console: Console, findings: list[Finding], limit: int | None, several: bool) -> None:
    """The versions the registry lacks: one line per law, not one per cell."""
    laws = unverifiable_versions(findings)
    console.print(f"\n[bold cyan]所引版本无法核验 {len(laws)} 部法规、{len(findings)} 处[/bold cyan]"
                  "（法规库未收录所引版本，未核对条文；请人工核对）", overflow="ellipsis", no_wrap=True)
    shown = laws if limit is None else laws[:limit]
    for law in shown:
        where_ = "；".join((f"{_stem(f)} " if several else "") + "行" + "、".join(map(str, rows))
                           for f, rows in law["rows"].items())
        console.print(escape(f"  《{law['title']}》引用 {'、'.join(law['cited'])} 的版本，对照{law['registry']}：{where_}"),
                      overflow="ellipsis", no_wrap=True)
    if len(shown) < len(laws):
        console.print(f"  …另有 {len(laws) - len(shown)} 部（用 --limit 0、--json 或 --annotate 查看全部）")


def _common_prefix(names: list[str]) -> str:
    prefix = names[0] if names else ""
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    return prefix
