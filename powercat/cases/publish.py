"""What the register gives the public and what it gives the disclosure office.

Public (`public_dir`, safe to upload as a whole; only cases that gate.py lets through — a
power no record withholds, the case's own 公开方式 public — built from the allow-list
PUBLIC_FIELDS, natural persons masked, free text scrubbed by mask.py):

    cases/index.json                the figures of every agency and power (for the site)
    cases/powers/<power id>.json    one power: figures per month, quarter and year, recent decisions
    cases/charts/<agency>.svg       one agency's on-time rate per month (a bar chart)
    cases/执法决定公开.csv           every decision to disclose (UTF-8 with BOM)
    cases/动态运行情况.xlsx           the figures per power and period, and the decisions

Internal (`internal_dir`, never to publish):

    cases/办件登记簿.xlsx            every case as registered, with its findings; 问题清单
    cases/findings.json             the check report
    cases/预警清单.xlsx              open cases overdue or due within N working days
    cases/备案报表/<period>.xlsx     the periodic filing report to the disclosure office, ready to print
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook

from ..atomic import atomic_path
from ..model import Catalogue
from ..names import distinct_names, safe_name
from ..output import save_workbook
from ..fields import labels
from ..formula_safety import csv_safe
from ..publish.spreadsheet import sheet_title
from ..text_forms import cell_position
from ..xlsxstyle import fill_sheet
from .checks import Outcome
from ..disclosure import PUBLIC_STATUSES
from .gate import WithheldPowers, is_listed
from .mask import KnownNames, context_names, context_names_strength, is_person, org_name, person_names, public_party, scrub
from .run import CasesResult, check_registers
from .stats import PERIODS, Aggregate, Figures, period_key, period_label

RECENT = 10
# the power's columns of every case sheet: headed as in the field table (widths are the case sheets' own)
_AGENCY, _CODE, _NAME, _CATEGORY = labels("agency", "code", "name", "category").values()

DECISION_FIELDS = [("doc_no", "决定文书号", 22), ("agency", _AGENCY, 22), ("power_code", _CODE, 18),
                   ("power", _NAME, 30), ("category", _CATEGORY, 10), ("party", "相对人", 22),
                   ("credit_code", "统一社会信用代码", 22), ("result", "决定内容", 30), ("decided", "决定日期", 12),
                   ("disclosed", "公开日期", 12)]
FIGURE_FIELDS = [("agency", _AGENCY, 22), ("power_code", _CODE, 18), ("power", _NAME, 30),
                 ("period", "期间", 14), ("received", "受理件数", 10), ("decided", "办结件数", 10),
                 ("on_time_rate", "按时办结率", 10), ("median_days", "办理用时中位数（工作日）", 12),
                 ("median_allowed", "时限（工作日）", 10)]


def build_cases(catalogue: Catalogue, register_paths: list[str], public_dir: str | os.PathLike,
                internal_dir: str | os.PathLike, as_of: dt.date | None = None, period: str = "month",
                due_within: int = 5) -> CasesResult:
    """Checks the registers and writes the public and internal outputs (see the module doc)."""
    result = check_registers(catalogue, register_paths, as_of=as_of, due_within=due_within)
    write_public(result, Path(public_dir) / "cases")
    write_internal(result, Path(internal_dir) / "cases", period)
    return result


# -- public -----------------------------------------------------------------------------------

# The allow-list: the only fields of a case that reach public/ (see docs/personal-data.md).
# Everything else the register holds (备注, 证件号码 of persons, 承办人, reasons, dates of
# steps …) stays internal. Free text among them is masked by `mask.scrub`.
PUBLIC_FIELDS = ("doc_no", "agency", "power_code", "power", "power_id", "category", "party", "credit_code", "result",
                 "decided", "disclosed")


def known_names(result: CasesResult) -> KnownNames:
    """The names of every natural person any case of the registers gives (withheld cases too)."""
    known = KnownNames()
    for outcome in result.outcomes:
        case = outcome.case
        known.add(person_names(case.party, case.party_type, case.party_id))
        known.add(context_names_strength(case.party, case.doc_no, case.result, case.remark, case.extension_reason,
                                         case.disclosure_scope)[1])  # strong contexts only: 对许可… is no name
    return known


def public_decision(outcome: Outcome, known: KnownNames | None = None) -> dict:
    """A decision as disclosed, built field by field from the allow-list: the power from the
    catalogue, the party masked unless a proven organisation, free text masked (with the names
    the other cases give, when `known` is given)."""
    case, linked = outcome.case, outcome.linked
    # every person the case names anywhere (its party, a role or context in any text, 备注 included)
    # is masked in every public field: 对王小明罚款 in 办理结果 masks 王小明 in 决定文书号 too
    names = {**context_names(case.party, case.doc_no, case.result, case.remark, case.extension_reason,
                             case.disclosure_scope), **person_names(case.party, case.party_type, case.party_id)}
    party, code = public_party(case.party, case.party_type, case.party_id, names)
    keep = tuple(k for k in (code, org_name(case.party) if not is_person(case.party, case.party_type, case.party_id)
                             else None) if k)
    decision = {
        "doc_no": _known(scrub(case.doc_no, names, keep), known, keep), "agency": linked.agency,
        "power_code": linked.power.code or "", "power": linked.power.title, "power_id": linked.id,
        "category": linked.category, "party": party, "credit_code": code,
        "result": _known(scrub(case.result, names, keep), known, keep),
        "decided": outcome.decided.isoformat() if outcome.decided else "",
        "disclosed": outcome.disclosed.isoformat() if outcome.disclosed else "",
    }
    assert tuple(decision) == PUBLIC_FIELDS  # a new field must be added to the allow-list on purpose
    return decision


def _known(text: str, known: KnownNames | None, keep: tuple[str, ...]) -> str:
    return known.mask(text, keep) if known is not None else text


def discloses(outcome: Outcome) -> bool:
    """Whether the decision is listed one by one: 主动公开 only (a 依申请公开 case counts in
    the figures but is not listed). A case known from an event log alone (a 决定 step with a
    date, no register row) is listed only when the log gives its 决定文书号, party and content:
    otherwise it counts in the figures but is not published as a decision. A register row is
    the agency's own record of the decision and is listed as registered."""
    case = outcome.case
    if case.source is None:
        return is_listed(outcome.disclosure) and all((text or "").strip()
                                                     for text in (case.doc_no, case.party, case.result))
    return is_listed(outcome.disclosure)


def public_outcomes(result: CasesResult) -> list[Outcome]:
    """The cases that may reach public/ at all (figures, charts, lists): linked to a power no
    record withholds, and not withheld by their own 公开方式 (gate.py)."""
    withheld = WithheldPowers(result.index) if result.index is not None else None
    return [o for o in result.outcomes if o.linked is not None and o.disclosure in PUBLIC_STATUSES
            and not (o.linked.withheld or (withheld is not None and o.linked in withheld))]


def public_aggregate(outcomes: list[Outcome]) -> Aggregate:
    """The figures of the public cases only: a withheld case is in no public number or chart."""
    aggregate = Aggregate()
    for outcome in outcomes:
        aggregate.add(outcome)
    return aggregate


def write_public(result: CasesResult, folder: Path) -> None:
    outcomes = public_outcomes(result)
    aggregate = public_aggregate(outcomes)
    known = known_names(result)
    decisions = sorted((public_decision(o, known) for o in outcomes if o.decided is not None and discloses(o)),
                       key=lambda d: (d["agency"], d["decided"], d["doc_no"], d["power_id"]))
    by_power: dict[str, list[dict]] = defaultdict(list)
    for decision in decisions:
        by_power[decision["power_id"]].append(decision)
    powers = {o.linked.id: o.linked for o in outcomes}
    agencies = sorted({linked.agency for linked in powers.values()})
    chart_names = distinct_names(agencies)

    index = {"as_of": result.as_of.isoformat(), "agencies": {}, "powers": {}}
    for power_id in sorted(powers):
        linked = powers[power_id]
        figures = {period: {key: f.to_json() for key, f in aggregate.series("power", power_id, period).items()}
                   for period in PERIODS}
        year_totals = _total(aggregate.series("power", power_id, "year").values())
        page = {
            "id": power_id, "name": linked.power.title, "code": linked.power.code or "", "agency": linked.agency,
            "category": linked.category, "statutory_limit": linked.power.statutory_limit or "",
            "promised_limit": linked.power.promised_limit or "", "figures": figures, "totals": year_totals,
            # the list gives no 法定时限: on-time figures use the law's, kept apart and said as derived
            **({"derived_statutory_limit": linked.derived.to_json()} if linked.derived else {}),
            "recent": [{k: v for k, v in d.items() if k != "power_id"} for d in by_power[power_id][-RECENT:][::-1]],
        }
        _write_json(folder / "powers" / f"{safe_name(power_id, 60)}.json", page)
        index["powers"][power_id] = {"name": linked.power.title, "agency": linked.agency, "category": linked.category,
                                     **year_totals}
    for agency in agencies:
        months = aggregate.series("agency", agency, "month")
        index["agencies"][agency] = {
            "chart": f"charts/{chart_names[agency]}.svg",
            "powers": sorted(pid for pid, linked in powers.items() if linked.agency == agency),
            "month": {key: f.to_json() for key, f in months.items()},
            "totals": _total(aggregate.series("agency", agency, "year").values()),
        }
        _write_text(folder / "charts" / f"{chart_names[agency]}.svg", on_time_chart(agency, months))
    _write_json(folder / "index.json", index)
    _write_csv(folder / "执法决定公开.csv", DECISION_FIELDS, decisions)
    rows = []
    for power_id in sorted(powers, key=lambda p: (powers[p].agency, powers[p].power.code or "", p)):
        linked = powers[power_id]
        for period in PERIODS:
            for key, f in aggregate.series("power", power_id, period).items():
                rows.append(_figure_row(linked.agency, linked.power.code or "", linked.power.title, key, f))
    book = Workbook(write_only=True)  # rows streamed as text: a 1M-event log has ~150k register rows
    used: set[str] = set()
    sheet = book.create_sheet(sheet_title("运行情况统计", used))
    fill_sheet(sheet, "重要行政权力动态运行情况统计", FIGURE_FIELDS, rows)
    sheet = book.create_sheet(sheet_title("执法决定公开", used))
    fill_sheet(sheet, "行政执法决定公开（自然人信息已隐去）", DECISION_FIELDS,
               [[d[k] for k, _h, _w in DECISION_FIELDS] for d in decisions])
    _save(book, folder / "动态运行情况.xlsx")


def _total(figures) -> dict:
    total = Figures()
    for f in figures:
        total.received += f.received
        total.decided += f.decided
        total.timed += f.timed
        total.on_time += f.on_time
        total.days.update(f.days)
        total.allowed.update(f.allowed)
    return total.to_json()


def _figure_row(agency: str, code: str, title: str, key: str, f: Figures) -> list[str]:
    rate = f.on_time_rate
    return [agency, code, title, period_label(key), str(f.received), str(f.decided),
            "" if rate is None else f"{rate * 100:.1f}%", "" if f.median_days is None else f"{f.median_days:g}",
            "" if f.median_allowed is None else f"{f.median_allowed:g}"]


def on_time_chart(agency: str, months: dict[str, Figures]) -> str:
    """A small SVG bar chart: the on-time rate of each month (the bar), decided cases (the
    label). Self-contained, no script, text escaped."""
    keys = sorted(months)
    bar, gap, height, top, left = 28, 8, 160, 30, 40
    width = max(left + max(1, len(keys)) * (bar + gap) + 20, left + 14 * (len(agency) + 12))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 50}" '
             f'viewBox="0 0 {width} {top + height + 50}" role="img" aria-label="{xml_escape(agency)}按时办结率" '
             'font-family="Noto Sans CJK SC, sans-serif" font-size="11">',
             f'<title>{xml_escape(agency)}：各月按时办结率</title>',
             f'<text x="{left}" y="16" font-size="13">{xml_escape(agency)} 按时办结率（柱）与办结件数</text>']
    for tick in (0, 50, 100):
        y = top + height - height * tick / 100
        parts.append(f'<line x1="{left}" y1="{y:g}" x2="{width - 10}" y2="{y:g}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:g}" text-anchor="end">{tick}%</text>')
    for i, key in enumerate(keys):
        f = months[key]
        x = left + gap + i * (bar + gap)
        rate = f.on_time_rate
        h = 0 if rate is None else height * rate
        colour = "#2f5597" if rate is None or rate >= 0.95 else "#c55a11"
        parts.append(f'<rect x="{x}" y="{top + height - h:g}" width="{bar}" height="{h:g}" fill="{colour}">'
                     f'<title>{xml_escape(period_label(key))}：按时 {f.on_time}/{f.timed}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:g}" y="{top + height + 14}" text-anchor="middle">{int(key[-2:])}月</text>')
        parts.append(f'<text x="{x + bar / 2:g}" y="{top + height + 28}" text-anchor="middle" fill="#666">{f.decided}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# -- internal ---------------------------------------------------------------------------------

REGISTER_FIELDS = [("case_id", "办件编号", 18), ("agency", _AGENCY, 20), ("power_code", _CODE, 18),
                   ("power", _NAME, 28), ("status", "关联情况", 12), ("party", "相对人", 18), ("party_type", "类型", 8),
                   ("party_id", "证件号码", 20), ("accepted", "受理日期", 11), ("decided", "决定日期", 11),
                   ("result", "办理结果", 20), ("doc_no", "决定文书号", 18), ("served", "送达日期", 11),
                   ("disclosed", "公开日期", 11), ("used", "用时（工作日）", 8), ("allowed", "时限（工作日）", 8),
                   ("on_time", "按时", 6), ("fit", "流程相符", 8), ("remark", "备注", 20), ("findings", "问题", 40),
                   ("source", "来源", 30)]
FINDING_FIELDS = [("severity", "级别", 6), ("code", "规则", 22), ("file", "文件", 24), ("sheet", "工作表", 10),
                  ("row", "行", 6), ("column", "列", 5), ("power", "职权", 26), ("message", "问题", 60)]
FILING_FIELDS = [("agency", _AGENCY, 22), ("power_code", _CODE, 18), ("power", _NAME, 30),
                 ("received", "受理件数", 9), ("decided", "办结件数", 9), ("on_time", "按时办结", 9),
                 ("on_time_rate", "按时办结率", 10), ("median_days", "用时中位数（工作日）", 11),
                 ("late", "超期办结", 9), ("disclosed", "已公开决定", 10), ("disclosure_late", "逾期或未公开", 10),
                 ("findings", "问题数", 8)]


def _register_row(o: Outcome) -> list[str]:
    c = o.case
    status = "未关联职权" if o.linked is None else "不予公开事项" if o.linked.withheld else "公开事项"
    where = c.where
    source = cell_position(where.file, where.sheet, where.row) if where.file else ""
    return [c.case_id, o.linked.agency if o.linked else (c.agency or ""), c.power_code or "",
            o.linked.power.title if o.linked else (c.power_name or ""), status, c.party or "", c.party_type or "",
            c.party_id or "", _d(o.accepted), _d(o.decided), c.result or "", c.doc_no or "", _d(o.served),
            _d(o.disclosed), "" if o.used is None else str(o.used), "" if o.allowed is None else str(o.allowed),
            "" if o.on_time is None else ("是" if o.on_time else "否"), "" if o.fit is None else ("是" if o.fit else "否"),
            c.remark or "", "\n".join(f.message for f in o.findings), source]


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def write_internal(result: CasesResult, folder: Path, period: str = "month") -> None:
    book = Workbook(write_only=True)
    used: set[str] = set()
    sheet = book.create_sheet(sheet_title("办件登记簿", used))
    fill_sheet(sheet, "重要行政权力动态运行情况登记簿（内部资料，含个人信息，不得公开）", REGISTER_FIELDS,
               [_register_row(o) for o in result.outcomes])
    sheet = book.create_sheet(sheet_title("问题清单", used))
    fill_sheet(sheet, "办件登记审查问题清单", FINDING_FIELDS,
               [[f.severity, f.code, f.file.replace("\\", "/").rsplit("/", 1)[-1], f.sheet or "", str(f.row or ""),
                 f.column or "", f.power or "", f.message] for f in result.report.findings])
    _save(book, folder / "办件登记簿.xlsx")
    _write_json(folder / "findings.json", {
        "as_of": result.as_of.isoformat(),
        "files": [{"path": f.path, "format": f.format, "sheets": [list(s) for s in f.sheets],
                   "cases": len(f.cases), "events": len(f.events) + f.streamed_events, "error": None if f.error is None else
                   {"code": f.error.code, "message": f.error.message}} for f in result.files],
        "findings": [f.to_json() for f in result.report.findings],
        "summary": summary(result),
    })
    warn = [o for o in result.outcomes if any(f.code in ("case-open-overdue", "case-due-soon") for f in o.findings)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("预警清单")
    fill_sheet(sheet, f"在办件超期预警（截至 {result.as_of.isoformat()}）", REGISTER_FIELDS,
               [_register_row(o) for o in sorted(warn, key=lambda o: (o.due or dt.date.max, o.case.case_id))])
    _save(book, folder / "预警清单.xlsx")
    for key, rows in filing_rows(result, period).items():
        book = Workbook(write_only=True)
        sheet = book.create_sheet("备案报表")
        fill_sheet(sheet, f"重要行政权力动态运行情况备案报表（{period_label(key)}）", FILING_FIELDS, rows)
        _save(book, folder / "备案报表" / f"{safe_name(period_label(key))}.xlsx")


def filing_rows(result: CasesResult, period: str) -> dict[str, list[list[str]]]:
    """period key → one row per power with cases in that period (withheld powers included:
    the filing goes to the disclosure office, not to the public)."""
    table: dict[str, dict[str, dict]] = defaultdict(dict)
    for o in result.outcomes:
        if o.linked is None:
            continue
        keys = {period_key(day, period) for day in (o.accepted, o.decided) if day}
        for key in keys:
            row = table[key].setdefault(o.linked.id, {"linked": o.linked, "received": 0, "decided": 0, "on_time": 0,
                                                      "timed": 0, "days": [], "late": 0, "disclosed": 0,
                                                      "disclosure_late": 0, "findings": 0})
            if o.accepted and period_key(o.accepted, period) == key:
                row["received"] += 1
            if o.decided and period_key(o.decided, period) == key:
                row["decided"] += 1
                row["findings"] += len(o.findings)
                if o.on_time is not None:
                    row["timed"] += 1
                    row["on_time"] += o.on_time
                    row["late"] += not o.on_time
                    row["days"].append(o.used)
                row["disclosed"] += o.disclosed is not None
                row["disclosure_late"] += any(f.code == "case-disclosure-late" for f in o.findings)
    out = {}
    for key in sorted(table):
        rows = []
        for r in sorted(table[key].values(), key=lambda r: (r["linked"].agency, r["linked"].power.code or "", r["linked"].id)):
            days = sorted(r["days"])
            median = "" if not days else f"{(days[(len(days) - 1) // 2] + days[len(days) // 2]) / 2:g}"
            rate = "" if not r["timed"] else f"{r['on_time'] / r['timed'] * 100:.1f}%"
            title = r["linked"].power.title + ("（不予公开）" if r["linked"].withheld else "")
            rows.append([r["linked"].agency, r["linked"].power.code or "", title, str(r["received"]), str(r["decided"]),
                         str(r["on_time"]), rate, median, str(r["late"]), str(r["disclosed"]),
                         str(r["disclosure_late"]), str(r["findings"])])
        out[key] = rows
    return out


def summary(result: CasesResult) -> dict:
    report = result.report
    return {"files": len(result.files), "cases": len(result.outcomes),
            "events": sum(len(f.events) + f.streamed_events for f in result.files),
            "linked": sum(1 for o in result.outcomes if o.linked is not None),
            "decided": sum(1 for o in result.outcomes if o.decided is not None),
            "on_time": sum(1 for o in result.outcomes if o.on_time),
            "timed": sum(1 for o in result.outcomes if o.on_time is not None),
            "errors": report.count("error"), "warnings": report.count("warning"), "infos": report.count("info"),
            "by_code": report.by_code()}


# -- writing ----------------------------------------------------------------------------------

def _write_json(path: Path, data) -> None:
    _write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def _write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _write_csv(path: Path, fields, rows: list[dict]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _k, header, _w in fields])
    for row in rows:
        writer.writerow([csv_safe(str(row[k])) for k, _h, _w in fields])
    with atomic_path(path) as tmp:
        tmp.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def _save(book: Workbook, path: Path) -> None:
    book.properties.creator = "powercat"
    with atomic_path(path) as tmp:
        save_workbook(book, tmp)  # a failed save: exit 5, no ZipFile traceback at exit
