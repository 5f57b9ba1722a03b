"""The static catalogue site: an index with search and filters that works offline from
file:// (no CDN, no fetch: the search index is sharded into scripts, see search.py), a
page per agency with its booklet, a page per power with its flowchart (inline, full size,
SVG and PDF downloads) and its 办事指南. Every user text goes through Jinja's autoescape.

Links to files outside the site (catalogue downloads, booklets, charts) are given as file
paths and written as paths relative to the page, so the caller decides the layout."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..fields import FIELDS as FIELD_TABLE, labels
from ..filecache import FileCache, make_key
from ..model import Category
from ..names import distinct_names, safe_name
from . import search, site_pages
from .records import Record, agency_levels, level_tags

_ORDER = {c.value: i for i, c in enumerate(Category)}
_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.DOTALL)
ASSETS = Path(__file__).with_name("templates") / "assets"
PAGE_ROWS = 50  # rows the index shows before 显示更多

# what a power's page shows, in this order; labels from the field table (public fields only)
_LABELS = list(labels("code", "sub_name", "category", "agency", "office", "level", "authority", "basis", "statutory_limit",
                      "promised_limit", "fee", "disclosure", "disclosure_scope", "conditions", "rights", "complaint",
                      "duty", "accountability").items())

# What the index page offers for download, in order: (label, file kind)
DOWNLOAD_LABELS = {"xlsx": "Excel 工作簿（xlsx）", "csv": "CSV 表格（UTF-8）", "json": "JSON 数据",
                   "datapackage": "数据包描述（datapackage.json）", "sqlite": "SQLite 数据库"}


@dataclass
class Links:
    """Files outside the site that pages link to. Paths are files on disk; pages get
    relative hrefs, so the site and the files must keep their relative places.

    downloads: kind (xlsx, csv, json, datapackage, sqlite) → file, for the index page.
    booklets: agency → its flowchart booklet PDF.
    charts: record id → {"svg": file, "pdf": file}.
    copy_charts: copy the charts into the site (site/charts/) instead of linking out.
    """

    downloads: Mapping[str, str | os.PathLike] = field(default_factory=dict)
    booklets: Mapping[str, str | os.PathLike] = field(default_factory=dict)
    charts: Mapping[str, Mapping[str, str | os.PathLike | None]] = field(default_factory=dict)
    copy_charts: bool = False
    # with copy_charts: the chart files are the site's to take (a scratch folder's), so they
    # are moved into site/charts rather than copied (a province's SVGs and PDFs are GBs)
    move_charts: bool = False
    # public/cases of `powercat cases` (动态公开): per-power figures and masked recent decisions,
    # per-agency on-time charts. Written from public records only; the site just shows them.
    cases: str | os.PathLike | None = None


class CaseFigures:
    """What `powercat cases` published under public/cases, looked up by record id and agency.
    Missing files simply mean no figures."""

    def __init__(self, folder: str | os.PathLike | None):
        self.folder = Path(folder) if folder else None
        self.index: dict = {}
        if self.folder and (self.folder / "index.json").is_file():
            self.index = json.loads((self.folder / "index.json").read_text(encoding="utf-8"))

    def power(self, record_id: str) -> dict | None:
        if record_id not in self.index.get("powers", {}):
            return None
        path = self.folder / "powers" / f"{safe_name(record_id, 60)}.json"
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return {"totals": data.get("totals") or {}, "recent": data.get("recent") or [],
                "years": sorted((data.get("figures") or {}).get("year", {}).items())}

    def agency_chart(self, agency: str) -> Path | None:
        chart = self.index.get("agencies", {}).get(agency, {}).get("chart")
        return self.folder / chart if chart and (self.folder / chart).is_file() else None

    def agency_totals(self, agency: str) -> dict | None:
        return self.index.get("agencies", {}).get(agency, {}).get("totals")


def _env() -> Environment:
    env = Environment(loader=PackageLoader("powercat.publish", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals["labels"] = {f.name: f.label for f in FIELD_TABLE if f.public}  # column headings: fields.py
    return env


@functools.cache
def _page_templates():
    """The power page and guide templates, compiled once per process (a page task's worker
    writes many chunks)."""
    from .guide import guide_template

    return _env().get_template("power.html"), guide_template()


def inline_svg(path: str | os.PathLike | None) -> str | None:
    """An SVG file as markup to embed in HTML (prolog, doctype and comments removed).
    The SVG is dot's output from escaped labels, so it carries no user markup."""
    if not path or not Path(path).is_file():
        return None
    return _PROLOG.sub("", Path(path).read_text(encoding="utf-8"), count=1)


def _href(target: str | os.PathLike, page_dir: Path) -> str:
    folder, name = os.path.split(_real(target))
    return _folder_href(folder, os.path.abspath(page_dir)) + _quote(name)


@functools.lru_cache(maxsize=4096)
def _folder_href(folder: str, page_dir: str) -> str:
    """The quoted href from `page_dir` to a real `folder`, ending in / ("" for the same one):
    made once per folder, not per file (every power page links its chart, on every rebuild)."""
    rel = os.path.relpath(folder, _real_folder(page_dir))
    return "" if rel == os.curdir else "/".join(_quote(part) for part in rel.split(os.sep)) + "/"


def _real(path: str | os.PathLike) -> str:
    """`Path(path).resolve()`, resolving the folder once for all the files in it (the hrefs of
    every power page, on every rebuild: a full resolve stats each part of each path)."""
    path = os.path.abspath(path)
    if os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_folder(os.path.dirname(path)), os.path.basename(path))


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)  # emptied by each write_site: never a folder of an earlier run


def _quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part, safe="()（）-_.~")


def ordered(records: Sequence[Record]) -> list[Record]:
    """Site order: agency, then category (standard order), then as listed."""
    index = {id(r): i for i, r in enumerate(records)}
    return sorted(records, key=lambda r: (r.agency, _ORDER.get(r.power.category, 99), r.power.category, index[id(r)]))


def write_site(records: Sequence[Record], out_dir: str | os.PathLike, svgs: Mapping[str, str | None] | None = None,
               title: str = "行政权力事项目录", links: Links | None = None, guides: bool = True,
               guide_pdf: bool = False, executor: Executor | None = None, workers: int = 1,
               cache: FileCache | None = None, stamp: dict | None = None,
               keyed: Mapping[str, tuple[str, str]] | None = None) -> Path:
    """Writes the site into `out_dir` (which the caller makes fresh). `svgs` maps a
    record id to its SVG file (kept for callers that only have SVGs; `links.charts` is the
    fuller form). `guide_pdf` also prints each 办事指南 to PDF with headless Chromium. The
    power pages are written by tasks of a few hundred pages: on an executor (a Dask
    cluster's), else on `workers` processes (site_pages.py) while this one writes the index
    and agency pages. With a `cache` (a rebuild) a power page whose inputs did not change is
    copied from it (`stamp`: the code and templates, part of every key); not with
    `links.copy_charts`, whose chart copies the cache does not hold. `keyed`: record id →
    (its chart's cache key, its power's digest), as the chart stage computed them: a page
    is keyed by these rather than by hashing its SVG and pickling its power again."""
    out = Path(out_dir)
    _real_folder.cache_clear()
    _folder_href.cache_clear()
    links = links or Links()
    case_figures = CaseFigures(links.cases)
    env = _env()
    records = ordered(records)
    names = sorted({r.agency for r in records})
    slugs = distinct_names(names)
    agency_no = {name: n for n, name in enumerate(names)}
    categories = sorted({r.power.category for r in records}, key=lambda c: (_ORDER.get(c, 99), c))
    category_no = {c: n for n, c in enumerate(categories)}
    for sub in ("powers", "agencies", "assets"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    shutil.copytree(ASSETS, out / "assets", dirs_exist_ok=True)

    guide_files = {}
    if guides and guide_pdf:  # printed here, by Chromium; without PDFs each page task writes its guides
        from .guide import write_guides

        guide_files = write_guides(records, out / "guides", pdf=True, site_title=title)

    tags = level_tags(records)  # one agency's 地州级 and 县级 copies of a power look alike otherwise
    several = agency_levels(records)
    rows = [[r.id, r.power.title + tags.get(r.id, ""), r.power.code or "", r.power.statutory_limit or "", r.power.promised_limit or ""]
            for r in records]
    agency_of = [agency_no[r.agency] for r in records]
    category_of = [category_no[r.power.category] for r in records]
    agencies = [(name, slugs[name]) for name in names]
    index_cache = cache if not links.copy_charts else None
    manifest = _search_index(out, records, agencies, rows, agency_of, category_of, index_cache, stamp)
    manifest.update(agencies=[[name, slug] for name, slug in agencies], categories=categories)

    by_agency: dict[str, list[Record]] = {}
    for record in records:
        by_agency.setdefault(record.agency, []).append(record)

    # the power pages (and their 办事指南) first, to the workers (on a cluster, they write into
    # the staging folder as they do for the charts); this process writes the index and the
    # agency pages meanwhile. Each task gets only its own records' chart paths.
    guide_html = guides and not guide_files  # not yet written by write_guides (with PDFs)
    page_cache = cache if not links.copy_charts else None
    tasks, page_keys = [], {}
    for name, mine in by_agency.items():
        if page_cache is not None:
            mine, keys = _not_cached(mine, page_cache, stamp or {}, out, title, slugs[name], _subset(links, svgs or {}, mine),
                                     tags, guides, bool(guide_files), guide_html, case_figures, keyed or {})
            page_keys.update(keys)
        for part in site_pages.chunks(mine):
            tasks.append((part, out.absolute(), title, slugs[name], _subset(links, svgs or {}, part), guides,
                          bool(guide_files), guide_html, {r.id: tags[r.id] for r in part if r.id in tags}))
    with site_pages.page_pool(executor, workers, sum(len(task[0]) for task in tasks)) as pool:
        futures = [(task, pool.submit(write_power_pages, *task)) for task in tasks]

        downloads = [(DOWNLOAD_LABELS.get(kind, kind), _href(path, out), Path(path).name)
                     for kind, path in links.downloads.items() if path and Path(path).is_file()]
        first = [{"id": r.id, "title": r.power.title + tags.get(r.id, ""), "code": r.power.code or "",
                  "category": r.power.category, "agency": r.agency, "slug": slugs[r.agency],
                  "statutory": r.power.statutory_limit or "", "promised": r.power.promised_limit or ""}
                 for r in records[:PAGE_ROWS]]
        _render_page(env, "index.html", out / "index.html", page_cache, stamp, dict(
            title="总目录", site_title=title, root="", total=len(records), rows=first, categories=categories,
            agencies=agencies, downloads=downloads,
            manifest=Markup(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))))
        for name, mine in by_agency.items():
            _write_agency_page(name, mine, out, env, title, slugs[name], links, tags, several, guide_files, case_figures,
                               page_cache, stamp)

        for task, future in futures:
            try:
                future.result()
            except BrokenProcessPool:
                # a page worker died (killed, out of memory): its pages are written here instead
                write_power_pages(*task)
            for record in task[0] if page_cache is not None else ():
                page_cache.store(page_keys[record.id], _page_files(out, record, guide_html))
    return out / "index.html"


def _search_index(out: Path, records: Sequence[Record], agencies, rows, agency_of, category_of,
                  cache: FileCache | None, stamp: dict | None) -> dict:
    """search.write_index, on a rebuild from what the cache keeps: cutting every record into
    words (jieba) is most of the index's time. Each agency's tokens are an entry keyed by
    the fields they are cut from (`search.token_fields`), so a changed list is cut again and
    the others are read back; the index files are one entry keyed by those keys and the rows,
    fetched whole when nothing changed. Only this run's records are keyed or read: a record
    withheld now is in no key and no posting."""
    if cache is None:
        return search.write_index(out, records, agencies, rows, agency_of, category_of)
    stamp = stamp or {}
    spans = _agency_spans(agency_of)
    fields = [[search.token_fields(records[n], agencies[a][0]) for n in range(start, stop)]
              for a, (start, stop) in spans]
    token_keys = [make_key("search-tokens", stamp, mine) for mine in fields]
    key = make_key("search-index", stamp, token_keys, agencies, rows, agency_of, category_of)
    found = cache.fetch_named(key, out, accept=lambda meta: isinstance(meta.get("manifest"), dict))
    if found is not None:
        cache.keep(token_keys)  # not read now, but the next run's changed list needs the others
        return found["manifest"]

    def tokens():
        for token_key, mine in zip(token_keys, fields):
            yield from _agency_tokens(cache, token_key, mine)

    manifest = search.write_index(out, records, agencies, rows, agency_of, category_of, tokens=tokens())
    names = sorted(p.relative_to(out).as_posix() for p in (out / "search").rglob("*") if p.is_file())
    cache.store_named(key, out, names, {"manifest": manifest})
    return manifest


def _agency_spans(agency_of: Sequence[int]) -> list[tuple[int, tuple[int, int]]]:
    """(agency number, (first, end)) of each run of one agency's records (site order keeps
    them adjacent)."""
    spans: list[tuple[int, tuple[int, int]]] = []
    for n, a in enumerate(agency_of):
        if spans and spans[-1][0] == a:
            spans[-1] = (a, (spans[-1][1][0], n + 1))
        else:
            spans.append((a, (n, n + 1)))
    return spans


def _agency_tokens(cache: FileCache, key: str, fields: Sequence[tuple]) -> list[list[str]]:
    """One agency's records' tokens: from the cache (an entry of no files, the tokens in its
    meta), else cut now and filed."""
    meta = cache.fetch(key, [])
    kept = (meta or {}).get("tokens")
    if isinstance(kept, list) and len(kept) == len(fields) and all(isinstance(t, list) for t in kept):
        return kept
    made = [sorted(search.tokens_of(one)) for one in fields]
    cache.store(key, [], {"tokens": made})
    return made


def _write_agency_page(name: str, mine: Sequence[Record], out: Path, env: Environment, title: str, slug: str,
                       links: Links, tags: Mapping[str, str], several: Mapping, guide_files: Mapping,
                       case_figures: "CaseFigures", cache: FileCache | None = None, stamp: dict | None = None) -> None:
    groups: dict[str, list[Record]] = {}
    for record in mine:
        groups.setdefault(record.power.category, []).append(record)
    levels = [f"{level} {n} 项" for level, n in several.get(name, [])]
    booklet = links.booklets.get(name)
    booklet_href = _href(booklet, out / "agencies") if booklet and Path(booklet).is_file() else None
    guide_pdf_href = None
    combined = guide_files.get(("agency", name))
    if combined:
        guide_pdf_href = _href(combined, out / "agencies")
    case_chart = case_figures.agency_chart(name)
    _render_page(env, "agency.html", out / "agencies" / f"{slug}.html", cache, stamp, dict(
        case_chart=_href(case_chart, out / "agencies") if case_chart else None,
        case_totals=case_figures.agency_totals(name),
        title=name, site_title=title, root="../", agency=name, total=len(mine), booklet=booklet_href,
        levels=levels, guides_pdf=guide_pdf_href,
        groups=[(c, [{"id": r.id, "title": r.power.title, "level": tags.get(r.id, ""), "code": r.power.code or ""}
                     for r in items]) for c, items in groups.items()]))


def _render_page(env: Environment, template: str, target: Path, cache: FileCache | None, stamp: dict | None,
                 values: dict) -> None:
    """Renders `template` with `values` into `target`; on a rebuild, the page is an entry keyed
    by the template's name and those values (plain data: everything the page shows) and the
    code (`stamp`, which holds the templates), fetched when none of them changed."""
    key = make_key("site-template-page", stamp or {}, template, values) if cache is not None else ""
    if cache is not None and cache.fetch(key, [target]) is not None:
        return
    target.write_text(env.get_template(template).render(**values), encoding="utf-8")
    if cache is not None:
        cache.store(key, [target])


def _page_files(out: Path, record: Record, guide_html: bool) -> list[Path]:
    """The files one power page task writes for a record: its page, and its 办事指南 page."""
    return [out / "powers" / f"{record.id}.html", *([out / "guides" / f"{record.id}.html"] if guide_html else [])]


def _not_cached(records: Sequence[Record], cache: FileCache, stamp: dict, out: Path, title: str, slug: str,
                links: Links, tags: Mapping[str, str], guide_link: bool, guide_pdf: bool, guide_html: bool,
                case_figures: "CaseFigures", keyed: Mapping[str, tuple[str, str]]) -> tuple[list[Record], dict[str, str]]:
    """Copies from the cache the pages (and guides) of `records` whose inputs did not change;
    returns the others, still to write, and their keys (to file them once written)."""
    missing, keys = [], {}
    booklets = _BookletHrefs(links, out / "powers")
    for record in records:
        chart_key, power_digest = keyed.get(record.id, ("", None))
        context = _page_context(record, out, title, slug, links, tags, guide_link, guide_pdf, guide_html, case_figures,
                                booklets, chart_key)
        key = site_pages.page_key(stamp, record, context, power_digest)
        if cache.fetch(key, _page_files(out, record, guide_html)) is None:
            missing.append(record)
            keys[record.id] = key
    return missing, keys


def _page_context(record: Record, out: Path, title: str, slug: str, links: Links, tags: Mapping[str, str],
                  guide_link: bool, guide_pdf: bool, guide_html: bool, case_figures: "CaseFigures",
                  booklets: "_BookletHrefs", chart_key: str = "") -> dict:
    """What a power page shows besides its record, as write_power_pages takes it: the
    chart (by its cache key, which names its bytes, else by the SVG's sha256) and the hrefs,
    the booklet, guide links, case figures and the names around it."""
    svg, pdf = _chart_files(record, links)
    page_dir = out / "powers"
    return {"svg": (["chart", chart_key] if chart_key else _file_sha256(svg)) if svg else None,
            "svg_href": _href(svg, page_dir) if svg else None, "pdf_href": _href(pdf, page_dir) if svg and pdf else None,
            "booklet": booklets(record.agency), "guide": [guide_link, guide_pdf, guide_html],
            "cases": case_figures.power(record.id), "site_title": title, "slug": slug, "tag": tags.get(record.id, "")}


def _subset(links: Links, svgs: Mapping[str, str | None], records: Sequence[Record]) -> Links:
    """`links` with chart paths for these records only (what one agency's task needs)."""
    charts = {}
    for r in records:  # a path in links.charts wins over one in svgs, as in _chart
        given = {key: value for key, value in links.charts.get(r.id, {}).items() if value}
        if svgs.get(r.id) and "svg" not in given:
            given["svg"] = svgs[r.id]
        if given:
            charts[r.id] = given
    # the agency's booklet: the printable PDF of a power's chart (public/ has no per-power PDF)
    booklets = {r.agency: links.booklets[r.agency] for r in records if r.agency in links.booklets}
    return Links(downloads={}, booklets=booklets, charts=charts, copy_charts=links.copy_charts,
                 move_charts=links.move_charts, cases=links.cases)


def write_power_pages(records: Sequence[Record], out_dir: str | os.PathLike, title: str, slug: str, links: Links,
                      guide_link: bool, guide_pdf: bool, guide_html: bool, tags: Mapping[str, str] | None = None) -> int:
    """Power pages of one agency (all of them, or a chunk), `powers/<id>.html`, each with its
    chart read as the page is written (an inline SVG is ~20 KB: never all held at once); with
    `guide_html` also its 办事指南 page. A plain top-level function, so a worker process (or a
    Dask worker) can run it."""
    out = Path(out_dir)
    template, guide_page = _page_templates()
    case_figures = CaseFigures(links.cases)
    if guide_html:
        from .guide import write_guide_page

        (out / "guides").mkdir(parents=True, exist_ok=True)
    booklets = _BookletHrefs(links, out / "powers")
    for record in records:
        if guide_html:
            write_guide_page(record, out / "guides", guide_page, title)
        p = record.power
        fields = [(label, record.value(key) if key == "agency" else (getattr(p, key, None) or "")) for key, label in _LABELS]
        if p.agency and p.agency != record.agency:
            fields.insert(0, ("所属单位", record.agency))
        fields = [(label, value) for label, value in fields if value]
        chart = _chart(record, links, out)
        shown = p.title + (tags or {}).get(record.id, "")
        page = template.render(
            title=shown, site_title=title, root="../", r={"title": shown, "agency": record.agency, "slug": slug},
            fields=fields, svg=chart.get("inline"), svg_href=chart.get("svg"), pdf_href=chart.get("pdf"),
            booklet_href=booklets(record.agency),
            guide_href=f"../guides/{_quote(record.id)}.html" if guide_link else None,
            guide_pdf_href=f"../guides/{_quote(record.id)}.pdf" if guide_pdf else None,
            cases=case_figures.power(record.id))
        (out / "powers" / f"{record.id}.html").write_text(page, encoding="utf-8")
    return len(records)


class _BookletHrefs:
    """agency → the href from `page_dir` to its booklet (None without one), looked up once
    per agency rather than once per page."""

    def __init__(self, links: Links, page_dir: Path):
        self.links, self.page_dir, self.known = links, page_dir, {}

    def __call__(self, agency: str) -> str | None:
        if agency not in self.known:
            booklet = self.links.booklets.get(agency)
            self.known[agency] = _href(booklet, self.page_dir) if booklet and os.path.isfile(booklet) else None
        return self.known[agency]


def _file_sha256(path: str | os.PathLike) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _chart_files(record: Record, links: Links) -> tuple[str | None, str | None]:
    """A record's chart SVG and PDF files, each None when absent (no PDF without an SVG)."""
    given = dict(links.charts.get(record.id, {}))
    svg = given.get("svg")
    if not svg or not os.path.isfile(svg):
        return None, None
    pdf = given.get("pdf") or os.path.splitext(svg)[0] + ".pdf"
    return svg, pdf if os.path.isfile(pdf) else None


def _chart(record: Record, links: Links, out: Path) -> dict:
    """One record's inline SVG markup and hrefs (from powers/) to its SVG and PDF files;
    empty when it has no chart."""
    svg, pdf = _chart_files(record, links)
    if not svg:
        return {}
    entry = {"inline": inline_svg(svg)}
    if links.copy_charts:
        (out / "charts").mkdir(exist_ok=True)
        place = shutil.move if links.move_charts else shutil.copyfile
        place(svg, out / "charts" / f"{record.id}.svg")
        entry["svg"] = f"../charts/{_quote(record.id)}.svg"
        if pdf:
            place(pdf, out / "charts" / f"{record.id}.pdf")
            entry["pdf"] = f"../charts/{_quote(record.id)}.pdf"
    else:
        page_dir = out / "powers"
        entry["svg"] = _href(svg, page_dir)
        entry["pdf"] = _href(pdf, page_dir) if pdf else None
    return entry
