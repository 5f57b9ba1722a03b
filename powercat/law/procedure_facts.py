"""What the articles a power cites say about its procedure (facts only, no article texts).

The facts are derived from the law texts by scripts/build_procedure_facts.py and bundled in
procedure_facts.json.gz (each title's articles as a JSON text of their own, decoded when the
title is cited): per title (its latest version), per article, whether the article
provides a hearing, expert review, testing, an on-site check, a publicity period, which
penalties and fines it provides, whether it orders seizure or enforcement.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .citation import parse
from .numerals import article_label, to_int
from .law_index import citing_laws

_PATH = Path(__file__).with_name("procedure_facts.json.gz")
UNBOUNDED = -1  # a fine set as a multiple or a share: no upper bound in money


# penalty kinds an article provides, by the words that provide them (行政处罚法第九条 and Art. 63)
KINDS = {
    "警告": "w", "通报批评": "w",
    "罚款": "f",
    "没收违法所得": "c", "没收非法财物": "c",
    "暂扣许可证": "zk", "暂扣": "zk",
    "降低资质等级": "jd",
    "吊销": "dx",
    "责令停产停业": "tc", "责令停业": "tc", "停产停业": "tc",
    "责令关闭": "gb",
    "限制从业": "xz", "禁止从业": "xz", "不得从事": "xz",
    "拘留": "jl",
}
_PENALTY_WORDS = re.compile(r"罚款|处罚|吊销|警告|没收|责令停产停业|责令关闭|拘留")
_HEARING = re.compile(r"听证")
_EXPERT = re.compile(r"专家评审|专家论证|专家评议|组织专家|专家组|专家委员会")
_TEST = re.compile(r"检验|检测|检疫|鉴定")
_SITE = re.compile(r"现场核查|实地核查|现场检查|实地检查|现场勘验|现场勘查|实地勘察|实地踏勘|现场踏勘|实地查验|现场查验|现场审核")
_PUBLICITY = re.compile(r"公示")
_NUM = r"[0-9０-９零〇一二两三四五六七八九十百千]+"
_PUBLICITY_DAYS = re.compile(rf"公示(?:期|时间|期限)?[^。；\n]{{0,12}}?(?:不少于|不得少于|不少於|为|满)?\s*(?P<n>{_NUM})\s*(?P<unit>个工作日|日|天)")
_SEIZE = re.compile(r"查封|扣押")
_FREEZE = re.compile(r"冻结")
_ENFORCE = re.compile(r"强制执行|代履行|加处罚款|强制拆除|依法拆除")
# an amount of money: 二百元 5000元 1万元 一万元 五十万元 0.5万元
_AMOUNT = re.compile(rf"(?P<n>[0-9０-９.．]+|{_NUM})\s*(?P<wan>万)?\s*元")
_MULTIPLE = re.compile(rf"{_NUM}\s*倍|百分之{_NUM}")


def amount(match: re.Match) -> int | None:
    text = match.group("n").replace("．", ".")
    try:
        value = float(text) if re.fullmatch(r"[0-9０-９.]+", text) else to_int(text)
    except ValueError:
        return None
    if value is None:
        return None
    return int(round(value * (10000 if match.group("wan") else 1)))


def fine_bounds(text: str) -> tuple[int, int] | None:
    """The lowest and highest fine the article states: "五百元以下" alone starts at 0,
    "二千元以上二万元以下" at 2,000."""
    lows, highs = [], []
    previous_end, previous_above = -10, False
    for match in _AMOUNT.finditer(text):
        value = amount(match)
        if not value:
            continue
        after = text[match.end():match.end() + 2]
        if after == "以上":
            lows.append(value)
            previous_end, previous_above = match.end() + 2, True
            continue
        highs.append(value)
        if after == "以下" and not (previous_above and match.start() - previous_end <= 2):
            lows.append(0)
        elif after != "以下":
            lows.append(value)
        previous_above = False
    if not highs and not lows:
        return None
    return min(lows or highs), max(highs or lows)


def facts_from_text(text: str) -> dict:
    """The facts of one article's text, in the bundled file's short keys."""
    facts: dict = {}
    if _HEARING.search(text):
        # 2: a sentence says the hearing shall (应当) be held; 1: the article speaks of one
        shall = any("听证" in part and "应当" in part for part in re.split(r"[。；\n]", text))
        facts["h"] = 2 if shall else 1
    if _EXPERT.search(text):
        facts["x"] = 1
    if _TEST.search(text):
        facts["t"] = 1
    if _SITE.search(text):
        facts["s"] = 1
    if _PUBLICITY.search(text):
        days = _PUBLICITY_DAYS.search(text)
        facts["p"] = (to_int(days.group("n")) or 0) if days else 0
        if days and days.group("unit") == "个工作日":
            facts["pw"] = 1
    if _PENALTY_WORDS.search(text):
        kinds = sorted({code for word, code in KINDS.items() if word in text})
        if kinds:
            facts["k"] = "".join(f"{k}," for k in kinds).rstrip(",")
        if "f" in kinds:
            bounds = fine_bounds(text)
            if bounds:
                facts["lo"], facts["hi"] = bounds
            if _MULTIPLE.search(text):
                facts["hi"] = -1
    if _SEIZE.search(text):
        facts["m"] = 1
    if _FREEZE.search(text):
        facts["fz"] = 1
    if _ENFORCE.search(text):
        facts["e"] = 1
    return facts



@dataclass(frozen=True)
class ArticleFacts:
    hearing: int = 0  # 0 none; 1 the article speaks of a hearing; 2 it says one shall be held
    expert: bool = False
    testing: bool = False
    site: bool = False
    publicity: int | None = None  # the publicity period in days (0: the article states none)
    publicity_workdays: bool = False
    kinds: frozenset[str] = frozenset()  # penalty kinds (codes of scripts/build_procedure_facts.KINDS)
    fine_low: int | None = None
    fine_high: int | None = None  # UNBOUNDED for a multiple
    seize: bool = False
    freeze: bool = False
    enforce: bool = False


@dataclass(frozen=True)
class CitedArticle:
    """One article a power cites, with its facts: "《消防法》第六十条"."""

    law: str  # short title, as the chart names it
    num: int
    sub: int
    facts: ArticleFacts

    @property
    def label(self) -> str:
        return article_label(self.num, self.sub)

    @property
    def name(self) -> str:
        return f"《{self.law}》{self.label}"


@lru_cache(maxsize=1)
def _facts() -> dict[str, str]:
    """Title → its articles' facts as JSON text, decoded only for the laws a run cites (a
    run cites a few dozen of the 12,000 titles: decoding them all took most of the load)."""
    with gzip.open(_PATH, "rt", encoding="utf-8") as fh:
        return json.load(fh)["laws"]


@lru_cache(maxsize=None)
def _articles_of(title: str) -> dict[str, dict] | None:
    """"num.sub" → the facts of that article of the law, None for a law without any."""
    text = _facts().get(title)
    return json.loads(text) if text is not None else None


def _of(raw: dict) -> ArticleFacts:
    return ArticleFacts(
        hearing=raw.get("h", 0), expert=bool(raw.get("x")), testing=bool(raw.get("t")), site=bool(raw.get("s")),
        publicity=raw.get("p"), publicity_workdays=bool(raw.get("pw")),
        kinds=frozenset(raw["k"].split(",")) if raw.get("k") else frozenset(),
        fine_low=raw.get("lo"), fine_high=raw.get("hi"),
        seize=bool(raw.get("m")), freeze=bool(raw.get("fz")), enforce=bool(raw.get("e")))


# a quote shorter than this is a heading, not the article's words
_QUOTE_MIN = 12


@lru_cache(maxsize=1 << 12)
def cited_articles(basis: str | None, where: str | None = None) -> tuple[CitedArticle, ...]:
    """The articles a 实施依据 cell cites, each with its facts, in the cell's order.

    The article's words as the cell quotes them come first (the list's own text of the
    version it cites); else the bundled facts of the registry's latest version, when the
    cell cites that version or none (an older version may number its articles otherwise).
    A citation naming no article gives nothing: a whole law says too much to tell what this
    power requires."""
    if not basis:
        return ()
    registry = citing_laws()  # the laws cited, not the whole registry, unless it is loaded anyway
    out: list[CitedArticle] = []
    for citation in parse(basis):
        if not citation.title or not citation.articles:
            continue
        law = registry.find(citation.title, where)
        articles = (_articles_of(law.title) or {}) if law is not None and _cites_latest(law, citation) else None
        for ref in citation.articles:
            if ref.quote and len(ref.quote) >= _QUOTE_MIN:
                found = _of(facts_from_text(ref.quote))
            elif articles is not None:
                found = _of(articles.get(f"{ref.num}.{ref.sub}", {}))
            else:
                continue
            item = CitedArticle(_short(law, citation.title), ref.num, ref.sub, found)
            if item not in out:
                out.append(item)
    return tuple(out)


def _cites_latest(law, citation) -> bool:
    if not citation.dates and not citation.doc_numbers:
        return True
    return _names_latest(_Same(law), tuple(citation.dated), tuple(citation.doc_numbers), tuple(citation.ordinals),
                         citation.history or "", tuple(citation.meetings))


class _Same:
    """A law as a memo key: the same object (a run's laws are made once), not an equal one."""

    __slots__ = ("law",)

    def __init__(self, law):
        self.law = law

    def __hash__(self) -> int:
        return id(self.law)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Same) and other.law is self.law


# a province's lists cite the same law with the same version history again and again (the 771
# real-list charts ask 688 times, 229 distinct questions): each is answered once
@lru_cache(maxsize=1 << 12)
def _names_latest(same: _Same, dated: tuple, doc_numbers: tuple, ordinals: tuple, history: str,
                  meetings: tuple) -> bool:
    law = same.law
    known = law.identify(list(dated), list(doc_numbers), list(ordinals), history, list(meetings))
    return known.state in ("current", "undated") or (known.version is not None and known.version is law.latest)


def _short(law, cited: str) -> str:
    if law is None:
        return cited.removeprefix("中华人民共和国")
    return (law.latest.short_title or law.title).removeprefix("中华人民共和国")
