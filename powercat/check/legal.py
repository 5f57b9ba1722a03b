"""Rules on the legal basis: does the cited law exist, is it in force and cited in its
current version, do the cited articles and paragraphs exist, does the level tag agree,
and may that level set this kind of power at all (设定权)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import lru_cache

from ..law.citation import Citation, parse
from ..law.numerals import article_label, to_chinese
from ..law.registry import Law, LawVersion
from ..model import Category, Power
from .context import Context, finding, shorten
from .findings import Finding

# which registry levels a tag as written may stand for
_TAG_LEVELS = {
    "法律": {"法律", "宪法"}, "行政法规": {"行政法规"}, "法规": {"行政法规", "地方性法规"},
    "地方性法规": {"地方性法规"}, "规章": {"部门规章", "地方政府规章"}, "部门规章": {"部门规章"},
    "地方政府规章": {"地方政府规章"}, "规范性文件": {"规范性文件"}, "司法解释": {"司法解释"}, "宪法": {"宪法"},
    "党内法规": {"党内法规"},
}
# rank for 设定权: what may set a power
_RANK = {"宪法": 5, "法律": 4, "行政法规": 3, "国务院决定": 3, "法规": 2, "地方性法规": 2,
         "部门规章": 1, "地方政府规章": 1, "规章": 1, "规范性文件": 0}
_RULE_ONLY_KINDS = re.compile(r"吊销|责令停产停业|责令关闭|拘留|限制从业|限制开展生产经营|降低资质")
_PUNCT = re.compile(r"[\s，。；：、,.;:“”\"'‘’（）()《》【】\[\]—…-]")


@lru_cache(maxsize=1 << 14)
def citations_of(basis: str) -> tuple[Citation, ...]:
    return tuple(parse(basis))


def check_power(power: Power, ctx: Context) -> Iterator[Finding]:
    if not power.basis:
        yield finding("basis-missing", power, "basis")
    else:
        levels: list[tuple[str, str]] = []
        yield from _check_text(power, "basis", ctx, levels)
        yield from _check_setting(power, levels)
    # 责任事项依据 cites laws too (行政许可法, 行政处罚法 …): same checks, its own column
    if power.duty_basis:
        yield from _check_text(power, "duty_basis", ctx, [])


def _check_text(power: Power, field: str, ctx: Context, levels: list[tuple[str, str]]) -> Iterator[Finding]:
    """The citation rules over one cell; collects each cited law's level into `levels`."""
    text = getattr(power, field)
    parsed = citations_of(text)
    citations = [c for c in parsed if c.title]
    for untitled in (c for c in parsed if not c.title):
        yield finding("basis-no-citation", power, field, text=shorten(text[untitled.start:], 40))
    if not parsed and field == "basis":
        yield finding("basis-no-citation", power, field, text=shorten(text, 40))
    seen_unknown: set[str] = set()
    for citation in citations:
        law = ctx.registry.find(citation.title)
        if law is None:
            if citation.title not in seen_unknown:
                seen_unknown.add(citation.title)
                yield finding("basis-law-unknown", power, field, title=citation.title,
                              as_of=ctx.registry.current_to[:7])
            if citation.level:
                levels.append((citation.level, citation.title))
            continue
        yield from _check_citation(power, field, citation, law, ctx)
        levels.append((law.latest.level, law.title))


def _check_citation(power: Power, field: str, citation: Citation, law: Law, ctx: Context) -> Iterator[Finding]:
    latest = law.latest
    if latest.status == "repealed":
        replacement = ctx.registry.by_id.get(latest.repealed_by or "")
        date = (replacement.effective_date or replacement.version_date) if replacement else None
        name = f"《{replacement.title}》" if replacement else "新法"
        if date and date > ctx.as_of.isoformat():
            yield finding("basis-law-repealing", power, field, title=law.title, date=date, replacement=name)
        else:
            yield finding("basis-law-repealed", power, field, title=law.title, date=date or "（日期不详）",
                          replacement=name)
            return
    cited = citation.cited_date
    version = law.version_for(cited) if cited else None
    outdated = bool(cited) and law.newer_than(cited) is not None and version is not latest
    if outdated:
        yield finding("basis-outdated-version", power, field, title=law.title, cited=cited,
                      current=latest.version_date)
    # Article numbers refer to the cited version; when the registry lacks that version,
    # the outdated-version warning says enough.
    target = version or (None if outdated else latest)
    if target is not None and target.articles and not target.incomplete:
        yield from _check_articles(power, field, citation, law, target)
        if ctx.law_texts is not None:
            yield from _check_quotes(power, field, citation, law, target, ctx)
    if citation.level and latest.level in _RANK and citation.level in _TAG_LEVELS \
            and latest.level not in _TAG_LEVELS[citation.level]:
        yield finding("basis-level-mismatch", power, field, title=law.title, tag=citation.tag, level=latest.level)


def _check_articles(power: Power, field: str, citation: Citation, law: Law, version: LawVersion) -> Iterator[Finding]:
    index = version.article_index
    reported: set[tuple[int, int]] = set()
    for ref in citation.articles:
        key = (ref.num, ref.sub)
        if key in reported:
            continue
        kuan_count = index.get(key)
        if kuan_count is None:
            reported.add(key)
            yield finding("basis-article-missing", power, field, title=law.title,
                          version=version.version_date or "现行", label=article_label(ref.num, ref.sub),
                          last=article_label(version.max_article))
        elif ref.kuan and ref.kuan > kuan_count:
            reported.add(key)
            yield finding("basis-kuan-missing", power, field, title=law.title,
                          article=article_label(ref.num, ref.sub), count=kuan_count, kuan=to_chinese(ref.kuan))


def _check_quotes(power: Power, field: str, citation: Citation, law: Law, version: LawVersion, ctx: Context) -> Iterator[Finding]:
    for ref in citation.articles:
        if not ref.quote or len(ref.quote) < 12:
            continue
        current = ctx.law_texts.text(version, ref.num, ref.sub)
        if not current:
            continue
        body = re.sub(r"^第[^条]{1,8}条(之[一二三四五六七八九十]+)?\s*", "", current)
        # The opening of the quote decides: cells often run a quote on into the next
        # article or a remark, but a renumbered or rewritten article differs from its start.
        quoted, reference = _PUNCT.sub("", ref.quote)[:80], _PUNCT.sub("", body)
        if not quoted or quoted in reference:
            continue
        matcher = difflib.SequenceMatcher(None, quoted, reference, autojunk=False)
        matched = sum(block.size for block in matcher.get_matching_blocks())
        ratio = matched / len(quoted)
        if ratio < 0.6:  # renumbered or rewritten articles score 5–30 %; added commentary ~75 %
            yield finding("basis-quote-differs", power, field, title=law.title, label=ref.label,
                          ratio=f"{ratio:.0%}", quoted=shorten(ref.quote, 80), current=shorten(body, 80))


def _check_setting(power: Power, levels: list[tuple[str, str]]) -> Iterator[Finding]:
    ranked = [(_RANK[level], level) for level, _title in levels if level in _RANK]
    if not ranked:
        return
    rank, level = max(ranked)
    category = power.category
    if category == Category.LICENSING.value:
        if rank == 0 or (rank == 1 and level == "部门规章"):
            article = "部门规章不得设定行政许可（第十六条）" if rank else "其他规范性文件一律不得设定行政许可（第十七条）"
            yield finding("setting-licensing", power, "basis", level=level, article=article)
        elif rank == 1:
            yield finding("setting-licensing-temporary", power, "basis", level=level)
    elif category == Category.PENALTY.value:
        if rank == 0:
            yield finding("setting-penalty", power, "basis", level=level)
        elif rank == 1 and _RULE_ONLY_KINDS.search(power.title):
            yield finding("setting-penalty-rule", power, "basis", level=level)
    elif category == Category.COERCION.value and rank <= 1:
        yield finding("setting-coercion", power, "basis", level=level)
