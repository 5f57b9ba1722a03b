"""Rules on the legal basis: does the cited law exist, is it in force and cited in its
current version, do the cited articles and paragraphs exist, does the level tag agree,
and may that level set this kind of power at all (设定权)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import lru_cache

from ..law.citation import Citation, parse
from ..law.numerals import article_label, to_chinese, to_int
from ..law.registry import Law, LawVersion
from ..model import Category, Power
from ..rules import ERROR, INFO, WARNING, declare
from .context import Context, finding, shorten, where_cited
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
# words of a power's name that describe the offence, not the sanction: a measure the party suffered
# before (因违规被扣留或吊销船员证书而谎报遗失 …), or one the item leaves out (（不包括吊销许可证）)
_NOT_THE_SANCTION = re.compile(
    r"[（(](?:不包括|不含|除)[^（）()]*[)）]"
    r"|被(?:[\u4e00-\u9fa5]{0,4}?(?:吊销|暂扣|扣留|责令停产停业|责令关闭|拘留|限制从业|降低资质)[或和、及]?)+"
)
_PUNCT = re.compile(r"[\s，。；：、,.;:“”\"'‘’（）()《》【】\[\]—…-]")

# ── the rules of this module, declared here with their codes (powercat/rules.py) ──
# legal basis
declare("basis-missing", ERROR, "legal", "缺少实施依据",
        "实施依据为空：每项职权都必须写明法定依据",
        "The power states no legal basis.",
        "《关于推行地方各级政府工作部门权力清单制度的指导意见》（中办发〔2015〕21号）")
declare("basis-no-citation", WARNING, "legal", "依据未标明法规名称",
        "实施依据中没有用书名号标明的法律法规名称，无法核验：{text}",
        "The basis names no law in 《》, so it cannot be verified.")
declare("basis-law-unknown", INFO, "legal", "法规库中无此法规",
        "《{title}》不在法规库中，无法核验（{coverage}），请人工核对；本文件引用它的行：{rows}",
        "The cited title is not in the registry: unverifiable, not wrong; reported once per file with its rows.")
declare("basis-law-repealed", ERROR, "legal", "依据已废止",
        "《{title}》已于 {date} 废止（由{replacement}取代，据{registry}），不能再作为依据",
        "The cited law is repealed; the message names what replaced it.")
declare("basis-law-repealing", WARNING, "legal", "依据即将废止",
        "《{title}》将于 {date} 废止（由{replacement}取代），请及时调整依据",
        "The cited law is repealed by a law not yet in force at the check date.")
declare("basis-outdated-version", WARNING, "legal", "引用旧版本",
        "引用的是《{title}》{cited} 的版本，现行版本为 {current} 修订/修正的版本（对照{registry}），条文序号和内容可能已变化",
        "The version history in the cell predates the law's latest revision.")
declare("basis-article-missing", ERROR, "legal", "条文不存在",
        "《{title}》（{version} 版本）没有{label}：该版本最大条号为{last}",
        "The cited article (or its 之X) does not exist in the cited or current version.")
declare("basis-kuan-missing", ERROR, "legal", "款不存在",
        "《{title}》{article}只有 {count} 款（{registry}），引用了第{kuan}款（如指该条所列的项，请写作“第（{kuan}）项”）",
        "The cited paragraph (款) is beyond the article's paragraphs.")
declare("basis-level-mismatch", WARNING, "legal", "位阶标注有误",
        "《{title}》标注为【{tag}】，但它是{level}（{registry}）",
        "The level tag in the cell contradicts the registry's level.")
declare("basis-quote-differs", WARNING, "legal", "引用条文与现行不符",
        "《{title}》{label}引用的条文与{registry}条文不一致（相似度 {ratio}）：\n引用：{quoted}\n现行：{current}",
        "With --law-texts: the quoted article text differs materially from the current text.")
# legal basis, issue 11: what cannot be verified, said once and plainly
declare("basis-version-unverifiable", INFO, "legal", "所引版本无法核验",
        "法规库未收录所引版本，无法核验：《{title}》引用 {cited} 的版本，对照的是{registry}（{coverage}），请人工核对条文",
        "The cell cites a version the registry lacks (newer than its latest, or its text undated): nothing compared.")
declare("basis-level-debatable", INFO, "legal", "位阶归类不一",
        "《{title}》标注为【{tag}】，法规库记为{level}（{registry}）；{why}，各方归类不一，请核对",
        "A level tag that differs from a registry level which is itself debatable (guessed, or a rule issued with State Council approval).")
declare("basis-quote-changed", WARNING, "legal", "引用条文可能为旧文",
        "《{title}》{label}引用的条文与{registry}条文只部分一致（相似度 {ratio}），可能是修改前的旧条文：\n引用：{quoted}\n现行：{current}",
        "With --law-texts: the quote matches the compared article only in part (60-90 %): usually the old text under a new number.")
declare("basis-decision-undated", INFO, "legal", "修改决定未写日期",
        "《{title}》是修改或废止法规的决定，未写明日期，无法确定是哪一次修改；请写明日期或改引被修改的法规",
        "A generic amendment decision cited without its date.")
# legal basis, issue 22: what a reviewer can fix in the cell itself
declare("basis-date-invalid", WARNING, "legal", "版本日期无效",
        "《{title}》版本说明中的日期“{text}”不是有效日期，请更正（{read}）",
        "A date in the version history that is no date (2019年4月36日); the version is read from the other words.")
declare("basis-law-misnamed", WARNING, "legal", "法规名称有误",
        "《{title}》不在法规库中，应为《{suggested}》（{registry}；名称有误或为旧称），请更正名称；本文件引用它的行：{rows}",
        "A cited title one or two characters away from a registered title: a typo or an older name.")


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
    for citation in citations:
        # a city's own regulation judges only citations from that city or naming it
        law = ctx.registry.find(citation.title, where=where_cited(power))
        if law is None:
            for garbled in citation.garbled:
                yield finding("basis-date-invalid", power, field, title=citation.title, text=garbled,
                              read="法规库未收录该法规，未识别版本")
        if law is None and _DECISION.search(citation.title):
            # an amendment decision cited as a basis: the revision events it made
            known = _decision_known(citation, ctx)
            if known is None:
                yield finding("basis-decision-undated", power, field, title=citation.title)
            elif not known:
                # dated, but no revision event of that date: unverifiable, said once per file
                ctx.unknown.setdefault((power.source.file, citation.title), []).append((power, field))
            continue
        if law is None and _CATALOGUE.search(citation.title):
            continue  # 《产业结构调整指导目录》《…清单》: a list the law refers to, not a law
        if law is None:
            # reported once per file with its rows (unknown_findings), not once per cell
            ctx.unknown.setdefault((power.source.file, citation.title), []).append((power, field))
            if _STATE_COUNCIL_DECISION.match(citation.title):
                # 国务院对确需保留的行政审批项目设定行政许可的决定 (国务院令第412号) is a 国务院决定,
                # whatever the cell's tag says: it may set a 行政许可 (行政许可法第十四条)
                levels.append(("国务院决定", citation.title))
            elif citation.level:
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
                          replacement=name, registry=_version_name(latest))
            return
    found = law.identify(citation.dated, citation.doc_numbers, citation.ordinals, citation.history or "",
                         citation.meetings)
    compared = _version_name(latest)
    for garbled in citation.garbled:
        read = f"已按其余文字识别为{_version_name(found.version)}" if found.version else f"其余文字未能识别版本，对照{compared}"
        yield finding("basis-date-invalid", power, field, title=law.title, text=garbled, read=read)
    if found.state == "older" and _articles_fit_latest_only(citation, law, found):
        # （2021年4月29日修订）第二百五十七条 of a law never revised that day, whose article exists
        # only in the current text: the date is wrong, the citation is of the current version
        found = type(found)("current", latest, found.cited)
    if found.state == "older":
        yield finding("basis-outdated-version", power, field, title=law.title, cited=found.cited,
                      current=latest.version_date, registry=compared)
    elif found.state in ("newer", "undated", "unknown"):
        yield finding("basis-version-unverifiable", power, field, title=law.title, cited=found.cited or "所引",
                      registry=compared, coverage=ctx.coverage.of_level(latest.level, latest.region))
    # Article numbers and quotes are read against the version the cell cites; when the
    # registry lacks it, nothing is compared (never a text older than the one cited).
    target = found.version
    if target is not None and target.articles and not target.incomplete:
        yield from _check_articles(power, field, citation, law, target)
        if ctx.law_texts is not None:
            yield from _check_quotes(power, field, citation, law, target, ctx)
    # a tag speaks for the first title after it; later titles of the same part may be of any level
    if citation.level and not citation.tag_inherited and latest.level in _RANK and citation.level in _TAG_LEVELS \
            and latest.level not in _TAG_LEVELS[citation.level]:
        why = _debatable(latest, citation.level)
        if why:
            yield finding("basis-level-debatable", power, field, title=law.title, tag=citation.tag,
                          level=latest.level, registry=compared, why=why)
        else:
            yield finding("basis-level-mismatch", power, field, title=law.title, tag=citation.tag, level=latest.level,
                          registry=compared)


def _articles_fit_latest_only(citation: Citation, law: Law, found) -> bool:
    """Whether a cell read as citing an older version by a date the law's history does not know
    cites articles that exist only in the current version."""
    older, latest = found.version, law.latest
    if older is None or not citation.articles or not latest.articles or latest.incomplete or older.incomplete:
        return False
    known = {v.version_date for v in law.versions} | {d for v in law.versions for d, _t in v.events}
    if found.cited in known or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.cited or ""):
        return False
    keys = {(a.num, a.sub) for a in citation.articles}
    return all(k in latest.article_index for k in keys) and any(k not in older.article_index for k in keys)


_CATALOGUE = re.compile(r"(目录|清单|名录|名单)(（[^（）]*）|\([^()]*\))*$")
_STATE_COUNCIL_DECISION = re.compile(r"^国务院.{2,60}决定$")
_DECISION = re.compile(r"关于(修改|废止|修订|修改和废止|废止和修改).{0,40}的决定$")


def _decision_known(citation: Citation, ctx: Context) -> bool | None:
    """Whether the registry's revision events confirm an amendment decision cited as a basis:
    a decision on one named law (关于修改〈X〉的决定) by X's events (and the date, if given);
    a generic one (国务院关于修改部分行政法规的决定) only with its date. None: generic and
    undated, so which decision is meant cannot be told."""
    from ..law.registry import OMNIBUS_DECREES

    dates = [d for d, _k in citation.dated if len(d) == 10]
    dates += [OMNIBUS_DECREES[int(n)] for n in re.findall(r"国务院令第(\d+)号", "".join(citation.doc_numbers))
              if int(n) in OMNIBUS_DECREES]
    inner = re.search(r"〈([^〈〉]+?)〉", citation.title)
    target = ctx.registry.find(inner.group(1)) if inner and "等" not in citation.title else None
    if target is not None:
        events = {date for v in target.versions for date, text in v.events if re.search("决定|修[正订改]", text)}
        events |= {v.version_date for v in target.versions[1:] if v.version_date}
        return bool(events) and (not dates or any(d in events for d in dates))
    if not dates:
        return None
    return any(d in ctx.registry.decision_dates or d in OMNIBUS_DECREES.values() for d in dates)


def _debatable(version: LawVersion, tagged: str | None = None) -> str | None:
    """Why a registry level is open to argument, if it is. A ministry's 规定/办法 tagged a 法规
    is not: a 规章 is never named 条例 and never a 法规 (规章制定程序条例第七条), whoever guessed its level."""
    if version.level == "部门规章" and tagged in ("法规", "行政法规", "地方性法规") \
            and not version.title.endswith("条例") and not any("国务院批准" in t for _d, t in version.events):
        return None
    if version.level_inferred:
        return "法规库的位阶系推断"
    if any("国务院批准" in text for _d, text in version.events):
        return "该文件经国务院批准、由部门发布"
    return None


def unknown_findings(ctx: Context) -> Iterator[Finding]:
    """One finding per file and unverifiable title, at its first row, listing every row."""
    for (_file, title), uses in ctx.unknown.items():
        power, field = uses[0]
        rows = sorted({p.source.row for p, _f in uses if p.source.row})
        listed = "、".join(str(r) for r in rows[:30]) + (f" 等 {len(rows)} 行" if len(rows) > 30 else "")
        suggested = ctx.registry.suggest(title)
        if suggested:
            # a typo or an older name of a registered law: the reviewer can fix the title
            yield finding("basis-law-misnamed", power, field, title=title, suggested=suggested, rows=listed,
                          registry=_version_name(ctx.registry.find(suggested).latest))
            continue
        yield finding("basis-law-unknown", power, field, title=title, rows=listed,
                      coverage=ctx.coverage.of_title(title))
    ctx.unknown.clear()


def _version_name(version: LawVersion) -> str:
    """How messages name the registry version compared with."""
    return f"法规库{version.version_date or '（未注明日期）'}版本" + ("（补充法规）" if version.source != "bundled" else "")


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
        elif ref.kuan and kuan_count and ref.kuan > kuan_count:  # 款 count 0: not known (crawl text)
            reported.add(key)
            yield finding("basis-kuan-missing", power, field, title=law.title, registry=_version_name(version),
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
        # a quote that runs on into the next article (…审核制度。第三十二条县级以上…) ends there
        quote = _NEXT_ARTICLE.split(ref.quote)[0]
        quoted, reference = normal_text(quote)[:80], normal_text(body)
        if not quoted or quoted in reference:
            continue
        ratio = _coverage(quoted, reference)
        values = dict(title=law.title, label=ref.label, registry=_version_name(version), ratio=f"{ratio:.0%}",
                      quoted=shorten(ref.quote, 80), current=shorten(body, 80))
        if ratio < 0.6:  # renumbered or rewritten articles score 5–30 %; added commentary ~75 %
            yield finding("basis-quote-differs", power, field, **values)
        elif ratio < 0.9:
            # against the cited 款 or 项 alone (a quote of item （五） skips items （一）–（四）)
            scoped = normal_text(_scope(body, ref.kuan, ref.xiang))
            if scoped and scoped != reference:
                if quoted in scoped or _coverage(quoted, scoped) >= 0.9:
                    continue
            if _changed(quoted, scoped or reference):
                # "old text" only when the quote is no other text: not another law's article
                # (违反本法 quoted under a 条例) nor another article of this version
                other = _other_kind(ref.quote, law.title) or _quoted_elsewhere(quoted, version, ref, ctx)
                yield finding("basis-quote-differs" if other else "basis-quote-changed", power, field, **values)


_NEXT_ARTICLE = re.compile(r"(?<=[。；;])\s*第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?")
_NOTE = re.compile(r"[（(][^（）()]{0,120}[）)]")
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")


def normal_text(text: str) -> str:
    """Article text as compared: bracketed notes (（注：修订后为第六十二条）, (主席令第十三号)) and
    punctuation dropped, numbers written one way (百分之二十五 = 25%, 三千元 = 3000元)."""
    previous = None
    while previous != text:
        previous, text = text, _NOTE.sub("", text)
    text = re.sub(r"百分之([零〇一二两三四五六七八九十百千0-9.]+)", r"\1%", text)
    text = _CN_NUMBER.sub(lambda m: str(to_int(m.group(0)) if to_int(m.group(0)) is not None else m.group(0)), text)
    return _PUNCT.sub("", text)


def _coverage(quoted: str, reference: str) -> float:
    matcher = difflib.SequenceMatcher(None, quoted, reference, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(1, len(quoted))


def _scope(body: str, kuan: int | None, xiang: int | None) -> str:
    """The cited 款 (paragraph) and 项 (item) of an article text: 款 are its lines, items
    （一）（二） belong to the 款 before them."""
    paragraphs: list[list[str]] = []
    for line in (l.strip() for l in body.split("\n")):
        if not line:
            continue
        if re.match(r"^[（(][一二三四五六七八九十]+[)）]", line) and paragraphs:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    if not paragraphs:
        return ""
    if kuan:
        if kuan > len(paragraphs):
            return ""
        chosen = paragraphs[kuan - 1]
    elif xiang:
        chosen = next((p for p in paragraphs if len(p) > xiang), paragraphs[0])
    else:
        return ""
    if xiang:
        return chosen[0] + (chosen[xiang] if xiang < len(chosen) else "")
    return "".join(chosen)


_SELF_NAME = re.compile(r"(?:违反|依照|按照|根据|依据|适用)本(法|条例|规定|办法|细则|规则)")
_TITLE_KIND = re.compile(r"(法|法典|条例|规定|办法|细则|规则)(?:（[^（）]*）|\([^()]*\))*$")


def _other_kind(quote: str, title: str) -> bool:
    """Whether a quote names itself as another kind of instrument than the cited title:
    违反本法规定 quoted under a 条例 is the law's article, never the regulation's old text."""
    said, kind = _SELF_NAME.search(quote), _TITLE_KIND.search(title)
    if not said or not kind:
        return False
    return said.group(1) != kind.group(1).replace("法典", "法")


def _quoted_elsewhere(quoted: str, version: LawVersion, ref, ctx: Context) -> bool:
    """Whether the quote is another article of the same version (a wrong number, not old text)."""
    for num, sub in version.article_index:
        if (num, sub) == (ref.num, ref.sub):
            continue
        text = ctx.law_texts.text(version, num, sub)
        if text and _coverage(quoted, normal_text(re.sub(r"^第[^条]{1,8}条(之[一二三四五六七八九十]+)?\s*", "", text))) >= 0.9:
            return True
    return False


def _changed(quoted: str, reference: str) -> bool:
    """A quote that matches in part is old text when the current article's opening is not
    in it either: words were replaced, not added (cells add remarks, never remove words)."""
    opening = reference[: len(quoted)]
    matcher = difflib.SequenceMatcher(None, opening, quoted, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks()) / max(1, len(opening))
    return kept < 0.9 and len(quoted) >= 20


# 设定权
declare("setting-licensing", ERROR, "setting", "无权设定行政许可",
        "行政许可只能由法律、行政法规、地方性法规（及省级政府规章临时性）设定；本项依据最高为{level}。{article}",
        "The highest cited level may not set a 行政许可.",
        "《中华人民共和国行政许可法》第十四条至第十七条")
declare("setting-licensing-temporary", WARNING, "setting", "规章设定的临时性许可",
        "本项许可的依据最高为{level}：部门规章不得设定行政许可（行政许可法第十六条），省级政府规章只能设定临时性行政许可、实施满一年需提请制定地方性法规（第十五条）；请补充设定该许可的法律、法规",
        "A 行政许可 resting on a (provincial government) rule alone: at most temporary.",
        "《中华人民共和国行政许可法》第十五条、第十六条")
declare("setting-penalty", ERROR, "setting", "规范性文件设定处罚",
        "规范性文件不得设定行政处罚；本项依据最高为{level}（行政处罚法第十六条）",
        "A 行政处罚 resting on normative documents only.",
        "《中华人民共和国行政处罚法》第十六条")
declare("setting-penalty-rule", WARNING, "setting", "规章设定的处罚种类",
        "本项处罚依据最高为{level}：规章只能设定警告、通报批评或者一定数额罚款（行政处罚法第十三条、第十四条），请核对处罚种类",
        "A 行政处罚 resting on rules alone, whose name suggests a kind rules may not set.",
        "《中华人民共和国行政处罚法》第十三条、第十四条")
declare("setting-coercion", ERROR, "setting", "无权设定行政强制",
        "行政强制措施只能由法律、行政法规、地方性法规设定；本项依据最高为{level}（行政强制法第十条）",
        "A 行政强制 resting on rules or normative documents only.",
        "《中华人民共和国行政强制法》第十条、第十一条")


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
        elif rank == 1 and _RULE_ONLY_KINDS.search(_NOT_THE_SANCTION.sub("", power.title)):
            yield finding("setting-penalty-rule", power, "basis", level=level)
    elif category == Category.COERCION.value and rank <= 1:
        yield finding("setting-coercion", power, "basis", level=level)
