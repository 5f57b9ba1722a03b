"""The static catalogue site: an index with search and filters that works offline from
file:// (no CDN, no fetch), a page per agency and a page per power with its flowchart SVG
inline. Every user text goes through Jinja's autoescape."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Category
from ..names import distinct_names
from .records import Record

_ORDER = {c.value: i for i, c in enumerate(Category)}
_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.DOTALL)
ASSETS = Path(__file__).with_name("templates") / "assets"

_LABELS = [("code", "职权编码"), ("sub_name", "子项名称"), ("category", "职权类别"), ("agency", "实施主体"),
           ("office", "承办机构"), ("level", "行使层级"), ("basis", "实施依据"), ("statutory_limit", "法定时限"),
           ("promised_limit", "承诺时限"), ("fee", "收费依据及标准"), ("disclosure", "公开方式"),
           ("disclosure_scope", "公开范围"), ("conditions", "行使条件"), ("rights", "相对人权利"),
           ("complaint", "监督投诉方式"), ("duty", "责任事项"), ("accountability", "追责情形")]


def _env() -> Environment:
    return Environment(loader=PackageLoader("powercat.publish", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def inline_svg(path: str | os.PathLike | None) -> str | None:
    """An SVG file as markup to embed in HTML (prolog, doctype and comments removed).
    The SVG is dot's output from escaped labels, so it carries no user markup."""
    if not path or not Path(path).is_file():
        return None
    return _PROLOG.sub("", Path(path).read_text(encoding="utf-8"), count=1)


def _row(record: Record, slugs: dict[str, str]) -> dict:
    p = record.power
    agency = record.value("agency")
    return {
        "id": record.id, "title": p.title, "code": p.code or "", "category": p.category, "agency": record.agency,
        "agency_slug": slugs[record.agency], "statutory_limit": p.statutory_limit or "",
        "promised_limit": p.promised_limit or "",
        "search": re.sub(r"\s+", "", f"{p.title} {p.code or ''} {agency} {p.category} {p.basis or ''}").lower()[:600],
    }


def write_site(records: Sequence[Record], out_dir: str | os.PathLike, svgs: dict[str, str] | None = None,
               title: str = "行政权力事项目录") -> Path:
    """Writes the site into `out_dir` (which the caller makes fresh). `svgs` maps a
    record id to its SVG file."""
    out = Path(out_dir)
    env = _env()
    slugs = distinct_names(r.agency for r in records)  # agencies that sanitise alike get their own pages
    rows = [_row(r, slugs) for r in records]
    agencies = sorted({r.agency for r in records})
    categories = sorted({r.power.category for r in records}, key=lambda c: (_ORDER.get(c, 99), c))
    (out / "powers").mkdir(parents=True, exist_ok=True)
    (out / "agencies").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ASSETS, out / "assets", dirs_exist_ok=True)
    index = env.get_template("index.html").render(
        title="总目录", site_title=title, root="", records=rows, categories=categories,
        agencies=[{"name": a} for a in agencies])
    (out / "index.html").write_text(index, encoding="utf-8")
    for agency in agencies:
        mine = [row for row in rows if row["agency"] == agency]
        groups = []
        for category in categories:
            items = [row for row in mine if row["category"] == category]
            if items:
                groups.append((category, items))
        page = env.get_template("agency.html").render(title=agency, site_title=title, root="../", agency=agency,
                                                      groups=groups)
        (out / "agencies" / f"{slugs[agency]}.html").write_text(page, encoding="utf-8")
    for record, row in zip(records, rows):
        p = record.power
        fields = [(label, record.value(key) if key in ("agency",) else (getattr(p, key) or "")) for key, label in _LABELS]
        fields = [(label, value) for label, value in fields if value]
        svg = inline_svg((svgs or {}).get(record.id))
        page = env.get_template("power.html").render(title=p.title, site_title=title, root="../", r=row,
                                                     fields=fields, svg=svg)
        (out / "powers" / f"{record.id}.html").write_text(page, encoding="utf-8")
    return out / "index.html"
