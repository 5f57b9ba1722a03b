"""办事指南 / 明白卡: one page per public power for the service-hall counter and the web —
conditions, materials, place, hours and phone when the agency gave them (and plainly which
it has not), the basis in short, the steps as the chart draws them (decisions with their
branches), the time limits the chart shows, fees, office, the complaint channel — as HTML
with print CSS (A4, one page) and, optionally, as PDF.

PDFs are printed by headless Chromium, one run per agency over a combined page whose
guides each take one sheet; the result is split into one PDF per power with pypdf (and an
agency-wide 汇编 kept). A guide that would not fit one sheet makes its agency fall back to
one Chromium run per power, so every PDF holds exactly its own guide."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import EXIT_MISSING_COMPONENT, PowercatError
from ..law.citation import parse as parse_citations
from ..names import distinct_names
from ..process.graph import DECISION, build_graph
from .records import Record

LIMIT_CONDITIONS = 360  # characters of 行使条件 a one-page guide shows
MAX_STEPS = 14


class NoBrowser(PowercatError, RuntimeError):
    exit_code = EXIT_MISSING_COMPONENT

    def __init__(self, message: str = "未找到 Chromium，无法生成办事指南 PDF（sudo apt-get install chromium）"):
        super().__init__(message)


def chromium() -> str | None:
    for name in (os.environ.get("POWERCAT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def basis_short(basis: str | None, limit: int = 6) -> list[str]:
    """《公路法》第四十二条、第四十三条 — titles and articles, without quoted article text."""
    laws: dict[str, list[str]] = {}
    for citation in parse_citations(basis):
        title = citation.title.replace("〈", "《").replace("〉", "》")
        labels = laws.setdefault(title, [])
        labels.extend(a.label for a in citation.articles if a.label not in labels)
    out = [f"《{title}》{'、'.join(labels[:8])}{'等' if len(labels) > 8 else ''}" for title, labels in laws.items()]
    if not out and basis:
        flat = " ".join(basis.split())
        out.append(flat if len(flat) <= 120 else flat[:119] + "…")
    return out[:limit]


def steps_of(record: Record, process=None) -> list[dict]:
    """The steps as the chart draws them, in the drawing's order (its 运行流程 rows, stages or
    template nodes), numbered; a 判断 step keeps its branches: [(label, target number, target
    name)], so the guide reads them as branches and not as a flattened list."""
    graph = (process or build_graph(record.power)).graph
    shown = [node for node, data in graph.nodes(data=True) if not _drawn_end(data)]
    number = {node: n for n, node in enumerate(shown[:MAX_STEPS], start=1)}
    steps = []
    for node in shown[:MAX_STEPS]:
        data = graph.nodes[node]
        out = list(graph.out_edges(node, data=True))
        decision = data.get("kind") == DECISION
        # where the reader cannot simply go on to the next number: a decision's ways, a
        # labelled arrow (补正后 → back to 受理), parallel steps, a jump (不予受理 → 办结)
        last = number[node] == len(number)
        goes_on = len(out) == 1 and not out[0][2].get("label") and (
            number.get(out[0][1]) == number[node] + 1 or (last and _drawn_end(graph.nodes[out[0][1]])))
        branches = []
        if out and not goes_on:
            for _source, target, edge in out:
                end = _drawn_end(graph.nodes[target])
                branches.append({"label": edge.get("label") or "", "to": number.get(target),
                                 "name": "办结" if end else graph.nodes[target].get("name") or ""})
        steps.append({"no": number[node], "name": data.get("name") or "", "post": data.get("post") or "",
                      "limit": data.get("limit") or "", "decision": decision, "branches": branches})
    return steps


def _drawn_end(data: dict) -> bool:
    """The 开始 / 结束 boxes a chart draws around the steps: not steps a citizen goes through."""
    return (data.get("name") or "").strip() in ("开始", "结束", "办结", "")


def _short(text: str | None, limit: int) -> str:
    flat = (text or "").strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# Categories a citizen applies for: their guide needs what to bring, where, when. A penalty,
# coercion or inspection is the agency's own act; its guide needs a number to ask.
_APPLIED = {"行政许可", "行政给付", "行政确认", "行政裁决", "行政奖励", "行政征收", "其他行政权力", "公共服务"}
GUIDE_FIELDS = [("conditions", "申请条件"), ("materials", "申请材料"), ("place", "办理地点"), ("hours", "办理时间"),
                ("enquiry_phone", "咨询电话"), ("fee", "收费")]


def missing_fields(power) -> list[str]:
    """The guide items a citizen needs that the agency has not provided (in its list or template)."""
    wanted = GUIDE_FIELDS if power.category in _APPLIED else [("enquiry_phone", "咨询电话")]
    return [label for field, label in wanted if not (getattr(power, field) or "").strip()]


def _derived_limit(power) -> str | None:
    """The list gives no 法定时限: the law's, shown as derived ("20个工作日（依《行政许可法》第四十二条…）")."""
    from ..law.limits import statutory_for  # the registry's facts load only when a guide is written

    found = statutory_for(power)
    return found.display if found else None


def time_limits(power, steps: list[dict]) -> dict:
    """办理时限 as the chart says it: the list's 法定/承诺 limits (the chart's header), else the
    derived statutory limit, else the limits the chart's steps carry."""
    derived = None if power.statutory_limit else _derived_limit(power)
    step_limits = [f"{s['name']} {s['limit']}" for s in steps if s["limit"]]
    return {"statutory": power.statutory_limit or "", "promised": power.promised_limit or "",
            "derived": derived or "", "steps": "；".join(step_limits)}


def complaint_of(record: Record) -> str:
    """The list's 监督投诉方式, else the 单位信息 sheet's 监督电话 (as the chart's footer says);
    empty when the agency has given neither."""
    p = record.power
    if p.complaint:
        return p.complaint
    return f"监督电话：{record.agency_phone}" if record.agency_phone else ""


def guide_context(record: Record) -> dict:
    p = record.power
    process = build_graph(p)
    steps = steps_of(record, process)
    return {
        "id": record.id, "title": p.title, "agency": record.value("agency"), "category": p.category, "code": p.code or "",
        "conditions": _short(p.conditions, LIMIT_CONDITIONS), "basis": basis_short(p.basis),
        "materials": _short(p.materials, LIMIT_CONDITIONS), "place": p.place or "", "hours": p.hours or "",
        "enquiry_phone": p.enquiry_phone or "", "missing": missing_fields(p),
        "steps": steps, "source": process.source_zh, "limits": time_limits(p, steps),
        "statutory": p.statutory_limit or "", "promised": p.promised_limit or "",
        "fee": p.fee or "", "office": p.office or "", "level": p.level or "", "complaint": complaint_of(record),
        "rights": _short(p.rights, 200),
    }


def _env() -> Environment:
    return Environment(loader=PackageLoader("powercat.publish", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def guide_template():
    return _env().get_template("guide.html")


def write_guide_page(record: Record, out: Path, page, site_title: str) -> dict:
    """`out/<id>.html`, from `page` (guide_template()); returns the guide's context."""
    ctx = guide_context(record)
    (out / f"{record.id}.html").write_text(page.render(guides=[ctx], title=ctx["title"], site_title=site_title,
                                                       back="../"), encoding="utf-8")
    return ctx


def write_guides(records: Sequence[Record], out_dir: str | os.PathLike, pdf: bool = False,
                 site_title: str = "行政权力事项目录", workers: int = max(1, min(4, os.cpu_count() or 1))) -> dict:
    """Writes `<id>.html` per record (and `<id>.pdf` with `pdf`, plus `汇编-<agency>.pdf`).
    Returns {record id: {"html": path, "pdf": path or None}, ("agency", name): combined pdf}.
    Agencies print in parallel, `workers` Chromium processes at a time."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = guide_template()
    result: dict = {}
    contexts = {}
    for record in records:
        ctx = write_guide_page(record, out, page, site_title)
        if pdf:  # kept only to print: a province's contexts would take hundreds of MB
            contexts[record.id] = ctx
        result[record.id] = {"html": str(out / f"{record.id}.html"), "pdf": None}
    if pdf and records:
        browser = chromium()
        if browser is None:
            raise NoBrowser("未找到 Chromium，无法生成办事指南 PDF（sudo apt-get install chromium）")
        by_agency: dict[str, list[Record]] = {}
        for record in records:
            by_agency.setdefault(record.agency, []).append(record)
        slugs = distinct_names(by_agency)
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(by_agency)))) as pool:
            jobs = [pool.submit(_print_agency, browser, page, [contexts[r.id] for r in mine],
                                out / f"汇编-{slugs[agency]}.pdf", out, site_title) for agency, mine in by_agency.items()]
            for job in jobs:
                job.result()
        for agency, mine in by_agency.items():
            result[("agency", agency)] = str(out / f"汇编-{slugs[agency]}.pdf")
            for record in mine:
                result[record.id]["pdf"] = str(out / f"{record.id}.pdf")
    return result


def _print_agency(browser: str, page, contexts: list[dict], combined: Path, out: Path, site_title: str) -> None:
    from pypdf import PdfReader, PdfWriter

    with tempfile.TemporaryDirectory(prefix="powercat-guides-") as tmp:
        html = Path(tmp) / "all.html"
        html.write_text(page.render(guides=contexts, title="办事指南汇编", site_title=site_title, back=None),
                        encoding="utf-8")
        print_pdf(browser, html, combined)
        reader = PdfReader(combined)
        if len(reader.pages) == len(contexts):
            for ctx, sheet in zip(contexts, reader.pages):
                writer = PdfWriter()
                writer.add_page(sheet)
                writer.add_metadata({"/Title": f"{ctx['title']} 办事指南", "/Creator": "powercat"})
                with open(out / f"{ctx['id']}.pdf", "wb") as handle:
                    writer.write(handle)
            return
        for ctx in contexts:  # some guide took more than one sheet: print each on its own
            single = Path(tmp) / f"{ctx['id']}.html"
            single.write_text(page.render(guides=[ctx], title=ctx["title"], site_title=site_title, back=None),
                              encoding="utf-8")
            print_pdf(browser, single, out / f"{ctx['id']}.pdf")


def print_pdf(browser: str, html: Path, target: Path, timeout: int = 300) -> None:
    with tempfile.TemporaryDirectory(prefix="powercat-chromium-") as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
                        f"--print-to-pdf={target}", html.resolve().as_uri()],
                       check=True, capture_output=True, timeout=timeout)
    if not target.is_file():
        raise RuntimeError(f"Chromium 未生成 PDF：{target.name}")
