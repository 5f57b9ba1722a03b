"""The statutory decision time limit of a power whose list gives none, derived from the law and
always shown as derived ("20个工作日（依《行政许可法》第四十二条…）"), never mixed with a limit
the agency wrote.

1. The cited article's own text, when it states the decision limit (facts shipped in
   limits.json.gz by scripts/build_limits.py; texts stay outside).
2. Else the general law of the power's category, only where that law states a decision limit:
   | category | limit | article |
   |---|---|---|
   | 行政许可 | 20 working days from 受理, +10 with approval | 行政许可法 第四十二条, 第八十二条 |
   | 行政许可, 下级初审 | 20 working days from 受理 | 行政许可法 第四十三条 |
   | 行政处罚 | 90 days from 立案 | 行政处罚法 第六十条 |
   | 行政强制 查封、扣押 | 处理决定 within 30 days, +30 with approval | 行政强制法 第二十五条, 第二十七条 |
   | 行政强制 冻结 | 处理决定 within 30 days, +30 with approval | 行政强制法 第三十二条 |
   Each of these yields to another law's own rule ("法律、法规另有规定的，依照其规定"): when a
   cited law states a decision limit in an article the cell does not cite, which one applies
   cannot be told, and the limit is unknown.
3. Otherwise unknown (行政确认、给付、裁决、征收、其他: only what a law states). Never invented.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .citation import parse
from .limit_text import DAY, MONTH, WORKDAY, LimitFact
from .numerals import article_label
from .registry import Registry, TitleIndex, no_gc, citing_registry

DATA = Path(__file__).with_name("limits.json.gz")
_PREFIX = "中华人民共和国"
LICENSING_LAW = "中华人民共和国行政许可法"
PENALTY_LAW = "中华人民共和国行政处罚法"
COERCION_LAW = "中华人民共和国行政强制法"


@dataclass(frozen=True)
class DerivedLimit:
    """A statutory limit read from the law, not from the list."""

    amount: int
    unit: str  # 工作日 / 日 / 个月
    law: str  # full title of the law that states it
    article: str  # 第四十二条 (or 第二十五条、第二十七条)
    rule: str  # "article" (the cited article states it) / "general" (the category's general law)
    anchor: str = ""  # from what the period runs: 受理 / 立案 …
    extension: int = 0  # days of the same unit an approval may add (-1: extendable, amount unsaid)
    derived: bool = True

    @property
    def limit_text(self) -> str:
        """As a 时限 cell would say it: "20个工作日", "90日", "3个月" (timing.parse_limit reads it)."""
        return f"{self.amount}{'个' if self.unit == WORKDAY else ''}{self.unit}"

    @property
    def source(self) -> str:
        return f"《{self.law.removeprefix(_PREFIX)}》{self.article}"

    @cached_property  # derived limits are shared by every power citing the same articles
    def display(self) -> str:
        """20个工作日（依《行政许可法》第四十二条，自受理之日起；经批准可延长10个工作日；据法律推定）"""
        parts = [f"依{self.source}"]
        if self.anchor:
            parts[0] += f"，自{self.anchor}之日起"
        if self.extension > 0:
            parts.append(f"经批准可延长{self.extension}{'个' if self.unit == WORKDAY else ''}{self.unit}")
        elif self.extension < 0:
            parts.append("经批准可延长")
        parts.append("据法律推定，非清单填写")
        return f"{self.limit_text}（{'；'.join(parts)}）"

    def to_json(self) -> dict:
        return dict(self._json)  # a copy: the caller may add to it

    @cached_property  # made once per shared limit: `list --json` asks it of every power citing it
    def _json(self) -> dict:
        return {"limit": self.limit_text, "amount": self.amount, "unit": self.unit, "law": self.law,
                "article": self.article, "rule": self.rule, "anchor": self.anchor, "extension": self.extension,
                "derived": True, "display": self.display}


@dataclass(frozen=True)
class Derivation:
    """What the law gives for one power: a limit, or why none (`reason`, in Chinese)."""

    limit: DerivedLimit | None
    reason: str = ""


class LimitFacts:
    """Decision-limit facts per article: (law version id, num, sub) → [LimitFact]."""

    def __init__(self, payload: dict):
        self.source = payload.get("source", {})
        # rows stay as read until an article is asked for: a run cites a few hundred of the
        # ten thousand articles, and every `list` loads the table
        self._rows: dict[tuple[str, int, int], list] = {}
        self.by_article: dict[tuple[str, int, int], list[LimitFact]] = {}
        self.laws_with_facts: dict[str, set[tuple[int, int]]] = {}
        for law_id, articles in payload.get("facts", {}).items():
            for key, rows in articles.items():
                num, _, sub = key.partition(".")
                where = (int(num), int(sub or 0))
                self._rows[(law_id, *where)] = rows
                self.laws_with_facts.setdefault(law_id, set()).add(where)

    def of(self, law_id: str, num: int, sub: int = 0) -> list[LimitFact]:
        key = (law_id, num, sub)
        facts = self.by_article.get(key)
        if facts is None:
            rows = self._rows.get(key)
            if rows is None:
                return []
            facts = self.by_article[key] = [LimitFact.from_json(r) for r in rows]
        return facts


@lru_cache(maxsize=1)
def default_facts() -> LimitFacts:
    if not DATA.exists():
        return LimitFacts({})
    with no_gc():  # nothing here is garbage: the collector's passes would rescan the whole heap
        return LimitFacts(json.loads(gzip.decompress(DATA.read_bytes())))


# the general law per category: (amount, unit, law, article, anchor, extension)
_LICENSING = (20, WORKDAY, LICENSING_LAW, "第四十二条", "受理行政许可申请", 10)
_LICENSING_FIRST_REVIEW = (20, WORKDAY, LICENSING_LAW, "第四十三条", "受理行政许可申请", 0)
_PENALTY = (90, DAY, PENALTY_LAW, "第六十条", "行政处罚案件立案", 0)
_SEIZURE = (30, DAY, COERCION_LAW, "第二十五条、第二十七条", "查封、扣押", 30)
_FREEZE = (30, DAY, COERCION_LAW, "第三十二条", "冻结存款、汇款", 30)


_APPLICATION = ("受理", "收到", "接到", "申请", "材料", "提交", "报送")
_MEASURE = ("查封", "扣押", "冻结", "强制", "采取", "登记保存")


def fits(fact: LimitFact, category: str) -> bool:
    """Whether a limit an article states is the decision limit of a power of this category:
    a penalty's runs from 立案 (or speaks of the case); a coercive measure's from the measure;
    a licence's and other decisions' from the application; an inspection decides nothing."""
    if category == "行政处罚":
        return fact.case or "立案" in fact.anchor
    if category == "行政强制":
        return fact.measure or any(word in fact.anchor for word in _MEASURE)
    if category == "行政检查" or fact.case or "立案" in fact.anchor:
        return False
    return not fact.anchor or any(word in fact.anchor for word in _APPLICATION)


# 行政处罚法 第六十条 yields to a 规章's own rule: the procedural rules of a sector. Where the
# registry holds the rule and it says 90 days from 立案 as well, the sector's rule is cited (with
# its extension); where a sector's rule says otherwise, or the registry lacks it or may hold an
# outdated version, the limit is unknown. (agency words, rule title, article, extension, or the
# reason it is unknown)
_SECTOR_PENALTY = (
    (("市场监督管理", "市场监管"), "市场监督管理行政处罚程序规定", "第六十四条", 30, None),
    (("农业农村", "农业局", "农牧"), "农业行政处罚程序规定", "第五十八条", 30, None),
    (("交通运输",), "交通运输行政执法程序规定", "第七十八条", 30, None),
    (("自然资源",), "自然资源行政处罚办法", "第三十二条", 0, "登记册所收2020年版规定60日，现行版本可能已修订"),
    (("卫生健康", "卫生局", "卫健"), "卫生行政处罚程序", "第二十九条", 0, "规定3个月"),
    (("广播电视", "广电"), "广播电视行政处罚程序规定", "第三十九条", 0, "规定6个月"),
    (("旅游",), "旅游行政处罚办法", "第五十二条", 0, "规定3个月"),
    (("新闻出版", "出版局", "版权"), "出版管理行政处罚实施办法", "第五十条", 0, "规定两个月"),
    (("应急管理", "安全生产监督"), "安全生产违法行为行政处罚办法", "", 0, "登记册未收录"),
    (("消防",), "消防救援机构办理行政案件程序规定", "", 0, "登记册未收录"),
    (("公安",), "公安机关办理行政案件程序规定", "第一百六十五条", 0, "治安案件30日"),
    (("税务",), "税务稽查案件办理程序规定", "第四十七条", 0, "只适用于稽查案件"),
)


def _sector_penalty(agency_text: str):
    for words, title, article, extension, unknown in _SECTOR_PENALTY:
        if any(word in agency_text for word in words):
            return title, article, extension, unknown
    return None


def _general(category: str, name: str) -> tuple | None:
    if category == "行政许可":
        return _LICENSING_FIRST_REVIEW if "初审" in name else _LICENSING
    if category == "行政处罚":
        return _PENALTY
    if category == "行政强制":
        seize = "查封" in name or "扣押" in name
        freeze = "冻结" in name
        if seize and not freeze:
            return _SEIZURE
        if freeze and not seize:
            return _FREEZE
    return None


def statutory_for(power, registry: Registry | TitleIndex | None = None,
                  facts: LimitFacts | None = None) -> DerivedLimit | None:
    """The derived statutory limit of `power` when its list gives none (None: the list gives
    one, or the law gives none that is sure). The hook for check, cases, charts and guides."""
    if (power.statutory_limit or "").strip():
        return None
    return derive(power, registry, facts).limit


def _facts_of(facts: LimitFacts, registry: Registry, law_id: str, num: int, sub: int) -> list[LimitFact]:
    """The shipped facts, or those of a supplement's own article text (--laws)."""
    text = registry.texts.get((law_id, num, sub))
    if text is not None:
        from .limit_text import facts_in

        return facts_in(text)
    return facts.of(law_id, num, sub)


def note_for(power, registry: Registry | None = None) -> str | None:
    """The line a chart's note or a guide shows when the list gives no 法定时限 (the hook for
    process/ and render/, which draw what they are given): "法定时限：20个工作日（依《行政许可法》
    第四十二条，…；据法律推定，非清单填写）"."""
    limit = statutory_for(power, registry)
    return f"法定时限：{limit.display}" if limit else None


def derive(power, registry: Registry | TitleIndex | None = None, facts: LimitFacts | None = None) -> Derivation:
    """The derived limit of a power from its 实施依据 and category, whatever its list says."""
    # the title index is enough here: `list --json` need not load 18,000 law versions
    registry = registry or citing_registry()
    facts = facts or default_facts()
    general = _general(power.category, power.name + (power.sub_name or ""))
    sector = _sector_of(power.agency or "", power.source.file) if general is _PENALTY else None
    # a list repeats the same 依据 cell over thousands of powers: parsing the citation and reading
    # the law's facts is done once per distinct (basis, category, place) and shared (frozen results)
    return _derive(power.basis or "", power.category, f"{power.agency or ''}|{power.source.file}", general, sector,
                   registry, facts)


@lru_cache(maxsize=8192)
def _derive(basis: str, category: str, where: str, general: tuple | None, sector: tuple | None,
            registry: Registry, facts: LimitFacts) -> Derivation:
    cited = _Cited(basis, category, where, registry, facts)
    if len(cited.stated) > 1:
        said = "、".join(f"{a}{u}" for a, u in sorted(cited.stated))
        return Derivation(None, f"所引条文规定了不同的期限（{said}），无法确定适用哪一个")
    if cited.unsure:
        return Derivation(None, f"所引{cited.unsure[0]}规定了期限，无法确定是否为作出决定的期限")
    if cited.stated:
        fact, title, label = next(iter(cited.stated.values()))
        return Derivation(DerivedLimit(fact.amount, fact.unit, title, label, "article", fact.anchor, fact.extension))
    return _general_limit(category, general, sector, cited, facts)


@lru_cache(maxsize=4096)
def _sector_of(agency: str, file: str):
    return _sector_penalty(f"{agency}|{Path(file).name}")


@lru_cache(maxsize=4096)
def _citations(basis: str) -> tuple:
    """The citations of a 依据 cell, parsed once per distinct text: a list derives the same cell
    under several categories and agencies (read here, never changed)."""
    return tuple(parse(basis))


class _Cited:
    """What the articles a power cites say: the decision limits they state for sure (by amount
    and unit), those that may be one (`unsure`), the cited articles per law version, and the
    titles the registry lacks."""

    def __init__(self, basis: str, category: str, where: str, registry: Registry, facts: LimitFacts):
        self.stated: dict[tuple[int, str], tuple[LimitFact, str, str]] = {}
        self.unsure: list[str] = []
        self.articles: dict[str, set[tuple[int, int]]] = {}
        self.unregistered: list[str] = []
        for citation in _citations(basis):
            law = registry.find(citation.title, where=where) if citation.title else None
            if law is None:
                if citation.title:
                    self.unregistered.append(citation.title)
                continue
            version = law.latest
            cited = self.articles.setdefault(version.id, set())  # a law cited whole: all its articles "elsewhere"
            for ref in citation.articles:
                cited.add((ref.num, ref.sub))
                self._read(category, _facts_of(facts, registry, version.id, ref.num, ref.sub), version.title, ref)

    def _read(self, category: str, article_facts: list[LimitFact], title: str, ref) -> None:
        label = article_label(ref.num, ref.sub)
        sure = {(f.amount, f.unit) for f in article_facts if f.sure}
        for fact in article_facts:
            if not fits(fact, category):
                continue
            if not fact.sure and (fact.amount, fact.unit) in sure:
                continue  # the same period, read for sure in another sentence
            # a limit in another 款 than the one cited may still be this power's (第七条第一款
            # sets up the licence, its 第二款 gives the limit): not sure, but no general rule either
            if not fact.sure or (ref.kuan and fact.kuan != ref.kuan):
                self.unsure.append(f"《{title.removeprefix(_PREFIX)}》{label}")
                continue
            self.stated.setdefault((fact.amount, fact.unit), (fact, title, label))


def _general_limit(category: str, general: tuple | None, sector: tuple | None, cited: _Cited,
                   facts: LimitFacts) -> Derivation:
    """The category's general law, unless another rule may decide: a sector's penalty procedure
    rule, a cited law that states a limit in an article the cell does not cite, or (for a
    licence or a measure) a cited law the registry lacks."""
    if general is None:
        return Derivation(None, "所引条文未规定办理期限，该类职权的一般法律亦未规定作出决定的期限")
    amount, unit, law, article, anchor, extension = general
    if cited.unregistered and general is not _PENALTY:
        # a licence's or a measure's own limit is written in the law that sets it up: one the
        # registry lacks may state one (a penalty's 办案期限 lives in the procedural rules instead)
        return Derivation(None, f"所引《{cited.unregistered[0]}》不在法规库中，无法确认其是否另有期限规定")
    for law_id, articles in cited.articles.items():
        if law_id.split("@")[0] == general[2]:
            continue  # the general law's own other articles (许可法 第四十二条 …) are not another rule
        elsewhere = [where for where in facts.laws_with_facts.get(law_id, set()) - articles
                     if any(fits(fact, category) for fact in facts.of(law_id, *where))]
        if elsewhere:
            title = law_id.split("@")[0].removeprefix(_PREFIX)
            return Derivation(None, f"《{title}》另有条文规定办理期限，一般规定可能不适用，无法确定")
    if general is _PENALTY:
        if sector is not None:
            title, sector_article, sector_extension, unknown = sector
            if unknown:
                return Derivation(None, f"本部门的行政处罚程序规章《{title}》{sector_article}另有规定（{unknown}），"
                                        "《行政处罚法》第六十条的九十日可能不适用，无法确定")
            law, article, anchor, extension = title, sector_article, "立案", sector_extension
    return Derivation(DerivedLimit(amount, unit, law, article, "general", anchor, extension))


__all__ = ["DAY", "MONTH", "WORKDAY", "DerivedLimit", "Derivation", "LimitFacts", "default_facts", "derive",
           "note_for", "statutory_for"]
