"""The bundled registry of Chinese laws and regulations (facts only, no article texts).

Built by `scripts/build_registry.py` from ../shared/laws. Its limits matter to users: it is
current to about 2025-07 (a few laws to 2026-04), 地方性法规 of all 31 provinces come from a crawl
without status (most are "unknown") and without trusted 款 counts, 部门规章 are partial and
地方政府规章 / 规范性文件 are absent. A title it does not know is *unverifiable*, never wrong.
"""

from __future__ import annotations

import gc
import gzip
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("registry.json.gz")
_PREFIX = "中华人民共和国"


@dataclass
class LawVersion:
    id: str
    title: str
    short_title: str | None = None
    name: str | None = None
    level: str = "unknown"
    region: str | None = None  # province, for 地方性法规
    locality: str | None = None  # the city / prefecture / county that made a 地方性法规 below province level
    version_date: str | None = None
    effective_date: str | None = None
    status: str = "unknown"  # in_force / amended / repealed / unknown
    is_latest: bool = False
    superseded_by: str | None = None
    repealed_by: str | None = None
    revisions: list[str] = field(default_factory=list)
    # [num, sub, 款 count] (款 count 0: unknown), or the bundled registry's compact string (decode_articles)
    articles: list[list[int]] | str = field(default_factory=list)
    incomplete: bool = False  # the source text looked truncated or had gaps
    events: list[list[str]] = field(default_factory=list)  # [date, start of the event text]
    level_inferred: bool = False  # the source guessed the level
    source: str = "bundled"  # or the supplement file it came from

    @cached_property
    def article_rows(self) -> list[tuple[int, int, int]]:
        if isinstance(self.articles, str):
            return decode_articles(self.articles)
        return [tuple(a) for a in self.articles]

    @cached_property
    def article_index(self) -> dict[tuple[int, int], int]:
        """(num, sub) → 款 count; 0 when the count is not known (a crawl text, see build_registry)."""
        return {(num, sub): kuan for num, sub, kuan in self.article_rows}

    @property
    def article_count(self) -> int:
        return sum(1 for _num, sub, _k in self.article_rows if not sub)

    @property
    def max_article(self) -> int:
        return max((num for num, _s, _k in self.article_rows), default=0)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_ARTICLE_TOKEN = re.compile(r"(?:\((\d+)\.(\d+)\))?([0-9a-z])")


def decode_articles(text: str) -> list[tuple[int, int, int]]:
    """The articles of scripts/build_registry.py's encode_articles: one base-36 款 count per
    article, "(num.sub)" before an article that is not the next whole number."""
    rows = []
    previous = 0
    for num, sub, kuan in _ARTICLE_TOKEN.findall(text):
        number, part = (int(num), int(sub)) if num else (previous + 1, 0)
        rows.append((number, part, _DIGITS.index(kuan)))
        previous = number
    return rows


@dataclass
class Law:
    """All versions of one title, oldest first."""

    title: str
    versions: list[LawVersion] = field(default_factory=list)
    # (国务院令 number, date) over the whole registry, numbers rising with dates: places a 国务院令
    # number the law's own history does not name (set by Registry)
    decrees: list[tuple[int, str]] = field(default_factory=list, repr=False)

    @property
    def latest(self) -> LawVersion:
        flagged = [v for v in self.versions if v.is_latest]
        return flagged[-1] if flagged else self.versions[-1]

    @property
    def locality(self) -> str | None:
        """The city / prefecture / county whose regulation this is (None: national or provincial)."""
        return next((v.locality for v in reversed(self.versions) if v.locality), None)

    def named_in(self, text: str) -> bool:
        """Whether a text names this regulation's place: its locality (克拉玛依市, 克拉玛依;
        伊犁哈萨克自治州, 伊犁州, 伊犁) or the place its title starts with."""
        return any(name in text for name in place_names(self.locality or "", self.title))

    def version_for(self, cited: str | None) -> LawVersion | None:
        """The version a cited date (as precise as written) names, if the registry has it.
        Only version dates count: a version's revision history lists older dates too."""
        if not cited:
            return None
        for version in reversed(self.versions):
            if version.version_date and version.version_date.startswith(cited):
                return version
        return None

    def newer_than(self, cited: str) -> LawVersion | None:
        """The latest version if it is later than the cited date, compared at the cited
        precision (a bare year compares by year)."""
        latest = self.latest
        if latest.version_date and latest.version_date[: len(cited)] > cited:
            return latest
        return None

    def identify(self, dated: list[tuple[str, str]], doc_numbers: list[str] = (),
                 ordinals: list[str] = (), history: str = "", meetings: list[str] = ()) -> Identified:
        """Which version a cell's version history names.

        Every date of the history counts, read with what the cell says it is (通过 dates
        belong to the version promulgated next, 施行 dates to the one before), and so do
        the 文号 (国务院令第593号, 交通运输部令2017年第28号) and ordinals (第三次修正) the
        registry's revision events carry, and the meetings (第十三届全国人民代表大会常务委员会
        第十次会议) its events name. The latest date named decides."""
        return identify_version(self, list(dated), list(doc_numbers), list(ordinals), history, list(meetings))


@dataclass
class Identified:
    state: str  # "current" / "older" / "newer" (than the registry knows) / "unknown" / "undated"
    version: LawVersion | None = None  # the registry version the cell cites, when known
    cited: str | None = None  # the date that decided, as written (or from a 文号)


# 国务院令 numbers of the State Council's omnibus amendment decisions (国务院关于修改/废止部分
# 行政法规的决定), which cells give as the 文号 of a regulation's current version
OMNIBUS_DECREES = {
    588: "2011-01-08", 628: "2012-11-09", 638: "2013-07-18", 645: "2013-12-07", 653: "2014-07-29",
    666: "2016-02-06", 676: "2017-03-01", 687: "2017-10-07", 698: "2018-03-19", 703: "2018-09-18",
    709: "2019-03-02", 714: "2019-04-23", 726: "2020-03-27", 732: "2020-11-29", 752: "2022-03-29",
    764: "2023-07-20", 797: "2024-12-06",
}
_EVENT_KINDS = re.compile(r"(?P<adopt>通过|审议|批准)|(?P<effect>施行|生效)|(?P<version>公布|发布|颁布|修正|修订|修改|决定|令)")
_MEETING = re.compile(r"第[一二三四五六七八九十]+届全国人民代表大会(?:常务委员会)?第[一二三四五六七八九十百0-9]+次(?:全体)?会议"
                      r"|国务院第[一二三四五六七八九十百0-9]+次常务会议")
_DECREE = re.compile(r"(?P<issuer>[\u4e00-\u9fa5]{0,16}?)令\s*[（(]?\s*(?:(?P<year>\d{4})\s*年\s*)?第?\s*(?P<num>\d+)\s*号")


def _decree_key(text: str) -> list[tuple[str, str, int]]:
    """(issuer, year, number) of each 令 number in a text: 中华人民共和国国务院令第593号 →
    ("国务院", "", 593)."""
    keys = []
    for m in _DECREE.finditer(re.sub(r"\s+", "", text)):
        issuer = m.group("issuer").replace("中华人民共和国", "").replace("第", "")
        keys.append((issuer, m.group("year") or "", int(m.group("num"))))
    return keys


def _same_decree(a: tuple[str, str, int], b: tuple[str, str, int]) -> bool:
    if a[2] != b[2] or (a[1] and b[1] and a[1] != b[1]):
        return False
    return bool(a[0]) and bool(b[0]) and (a[0].endswith(b[0]) or b[0].endswith(a[0]))


def _days(a: str, b: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def _period(cited: str) -> tuple[str, str]:
    """First and last day of a date as precise as written."""
    import calendar

    parts = cited.split("-")
    if len(parts) == 3:
        return cited, cited
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        if not 1 <= month <= 12:
            return cited + "-01", cited + "-28"
        return f"{cited}-01", f"{cited}-{calendar.monthrange(year, month)[1]:02d}"
    return f"{cited}-01-01", f"{cited}-12-31"


def _valid(date: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(date)
        return True
    except ValueError:
        return False


_NOTED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^根；;]{0,60}?(?:修正|修订|修改)")


def _noted_dates(version: LawVersion) -> list[str]:
    """Amendment dates written inside a version's revision notes."""
    dates = []
    for _date, text in version.events:
        for y, m, d in _NOTED.findall(text):
            date = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
            if _valid(date):
                dates.append(date)
    return dates


@dataclass
class _Timeline:
    """A law's dated events as identify_version places a cell's dates on them: each date's
    kind (version, adopt, effect …), the decrees, ordinals (第二次修正) and meetings that
    name a date, and the version dates in order."""

    last: str  # the latest text's real date
    kinds: dict[str, str]
    decrees: list[tuple[tuple[str, str, int], str]]
    ordinal_dates: dict[str, str]
    meeting_dates: dict[str, str]
    versions: list[str]

    @classmethod
    def of(cls, law: Law, last: str) -> _Timeline:
        # the law's timeline: version dates (公布, 修正 …), 通过 and 施行 dates
        kinds: dict[str, str] = {}
        decrees: list[tuple[tuple[str, str, int], str]] = []
        ordinal_dates: dict[str, str] = {}
        meeting_dates: dict[str, str] = {}
        for version in law.versions:
            for date, text in version.events:
                if not _valid(date):
                    continue
                match = _EVENT_KINDS.search(text[:30])
                kind = match.lastgroup if match else "version"
                if kind == "version" and date > last:
                    kind = "effect"  # a later "version" event of the latest text is its 施行
                if kinds.get(date) != "version":
                    kinds[date] = kind
                decrees += [(key, date) for key in _decree_key(text[:40])]
                for ordinal in re.findall(r"第[一二三四五六七八九十]+次修[正订改]", text[:60]):
                    ordinal_dates.setdefault(ordinal, date)
                for meeting in _MEETING.findall(text[:60]):
                    meeting_dates.setdefault(meeting, date)
            if version.version_date and _valid(version.version_date):
                kinds[version.version_date] = "version"
            for date in _noted_dates(version):
                kinds[date] = "version"
            if version.effective_date and _valid(version.effective_date) and version.effective_date not in kinds:
                kinds[version.effective_date] = "effect"
        versions = sorted(d for d, k in kinds.items() if k == "version")
        return cls(last, kinds, decrees, ordinal_dates, meeting_dates, versions)

    def place(self, date: str, kind: str) -> str | None:
        """The version date a dated event of the cell belongs to; "after"/"before" when
        it lies beyond what the registry knows; None when it cannot be placed."""
        first, end = _period(date)
        if not (_valid(first) and _valid(end)):
            return None
        exact = [d for d in self.versions if d.startswith(date)]
        if exact:
            return exact[-1]
        known = [d for d in self.kinds if d.startswith(date)]
        if known and len(date) == 10:
            kind = self.kinds[known[0]]
        before = [d for d in self.versions if d <= end]
        after = [d for d in self.versions if d >= first]
        if kind == "effect":
            if before:
                return before[-1]
            return "before"
        if after and _days(end, after[0]) <= (180 if kind == "adopt" else 60):
            return after[0]  # an 通过 date, or a date just before the version's 公布
        if first > self.last:
            # a 公布 or 施行 date a few weeks after the version date is that version's
            return self.last if _days(self.last, first) <= 60 else "after"
        if not before:
            return "before:" + date
        return before[-1]


def identify_version(law: Law, dated: list[tuple[str, str]], doc_numbers: list[str],
                     ordinals: list[str], history: str = "", meetings: list[str] = ()) -> Identified:
    latest = law.latest
    # a version whose revision notes name later amendments (国土资源部第45号令公布 根据2016年1月5日…
    # 修正 根据2019年7月16日…修正) is the text of the last of them, whatever its version date says
    real = {v.id: max([v.version_date or ""] + _noted_dates(v)) for v in law.versions}
    if not latest.version_date:
        written = [d for d, _k in dated] + list(doc_numbers)
        return Identified("undated", None, max(written)) if written else Identified("current", latest, None)
    last = real[latest.id]
    line = _Timeline.of(law, last)
    versions = line.versions
    placed, unplaced = _placed(law, line, dated, doc_numbers, ordinals, meetings)
    amended = bool(re.search(r"修[正订改]", history))
    if not placed:
        return Identified("current", latest, None)
    if any(where == "after" for where, _ in placed):
        cited = max((w for where, w in placed if where == "after"), key=lambda d: d.ljust(10, "9"))
        return Identified("newer", None, cited)
    dated_versions = [(where, written) for where, written in placed if not where.startswith("before")]
    if not dated_versions:
        # every date is older than the registry's history of this law
        written = min(w for _, w in placed)
        marker = min(where for where, _ in placed)
        date = marker.partition(":")[2] or written
        first, _end = _period(date) if re.fullmatch(r"\d{4}(-\d{2}){0,2}", date) else (date, date)
        # the cell cites the text of the last amendment it names (发布 2014, 修正 2017: the 2017
        # text), not its 施行 date; a date reads better than a 文号
        effect = {d for d, kind in dated if kind == "effect"}
        named = [w for _, w in placed if w not in effect] or [w for _, w in placed]
        cited = max(named, key=lambda w: (w[:1].isdigit(), w))
        if versions and _valid(first) and _days(first, versions[0]) > 366:
            return Identified("older", None, cited)
        return Identified("unknown", None, cited)
    # the newest version named; among its names, a date reads better than a 文号 or ordinal
    where, written = max(dated_versions, key=lambda p: (p[0], p[1][:1].isdigit(), p[1]))
    if where >= last:
        if unplaced and amended and where == versions[0]:
            # （建设部令第89号发布，根据住房和城乡建设部令第43号、第47号修订）: amendments of a text
            # the registry has only as first published; the cell may cite a newer text, named
            # by the amending 令 (its date is the registry's own, so the date says nothing)
            return Identified("unknown", None, "、".join(unplaced) + "修改后")
        return Identified("current", latest, written)
    # articles are compared only with a registry text that is truly of that version
    version = next((v for v in law.versions if v.version_date == where and real[v.id] == where), None)
    return Identified("older", version, written)


def _placed(law: Law, line: _Timeline, dated: list[tuple[str, str]], doc_numbers: list[str], ordinals: list[str],
            meetings: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Each date, 文号, ordinal and meeting of the cell placed on the law's timeline:
    (version date or marker, as written), and the ministry 令 numbers it cannot place."""
    placed: list[tuple[str, str]] = []  # (version date or marker, as written)
    for date, kind in dated:
        where = line.place(date, kind)
        if where:
            placed.append((where, date))
    unplaced: list[str] = []  # ministry 令 numbers the registry's history does not name
    for number in doc_numbers:
        for key in _decree_key(number):
            for known, date in line.decrees:
                if _same_decree(key, known):
                    placed.append((line.place(date, "version") or date, number))
                    break
            else:
                if key[0].endswith("国务院") and key[2] in OMNIBUS_DECREES and not key[1]:
                    date = OMNIBUS_DECREES[key[2]]
                    placed.append((line.place(date, "version") or date, number))
                elif key[0].endswith("国务院") and not key[1] and law.decrees:
                    # 国务院令第682号: between the decrees before and after it in number, and the
                    # law has one version there
                    low = max((d for n, d in law.decrees if n < key[2]), default="")
                    high = min((d for n, d in law.decrees if n > key[2]), default="9999")
                    inside = [d for d in line.versions if low <= d <= high]
                    if len(inside) == 1:
                        placed.append((inside[0], number))
                    elif not inside and low > line.last:
                        placed.append(("after", number))
                elif not key[0].endswith(("国务院", "主席")) and key[0] and key[1]:
                    # 交通运输部令2022年第10号: the decree's year places the version it made
                    placed.append((line.place(key[1], "version") or key[1], number))
                elif not key[0].endswith(("国务院", "主席")) and key[0]:
                    unplaced.append(number)
    for ordinal in ordinals:
        for known, date in line.ordinal_dates.items():
            if known == ordinal or (known[:-1] == ordinal[:-1] and {known[-1], ordinal[-1]} <= {"正", "改"}):
                placed.append((line.place(date, "version") or date, ordinal))
                break
    for meeting in meetings:
        if meeting in line.meeting_dates:
            date = line.meeting_dates[meeting]
            placed.append((line.place(date, "version") or date, meeting))
    return placed, unplaced


def normalise_title(title: str) -> str:
    text = re.sub(r"\s+", "", title)
    text = text.replace("〈", "《").replace("〉", "》").replace("<", "《").replace(">", "》")
    text = text.replace("(", "（").replace(")", "）")
    return text.strip("《》")


class Registry:
    def __init__(self, payload: dict):
        self.source = payload.get("source", {})
        self.texts: dict[tuple[str, int, int], str] = {}  # article texts of supplements
        self.by_id: dict[str, LawVersion] = {}
        self.laws: dict[str, Law] = {}
        for entry in payload["laws"]:
            version = LawVersion(**entry)
            self.by_id[version.id] = version
            law = self.laws.get(version.title)
            if law is None:
                law = self.laws[version.title] = Law(version.title)
            law.versions.append(version)
        # only an event naming a 国务院令 can give one (a cheap test first: 18,000 versions load at every run)
        decrees = sorted({(key[2], date) for v in self.by_id.values() for date, text in v.events
                          if "国务院" in text[:40] and "令" in text[:40] and _valid(date)
                          for key in _decree_key(text[:40]) if key[0].endswith("国务院") and not key[1]}
                         | {(n, d) for n, d in OMNIBUS_DECREES.items()})
        for law in self.laws.values():
            law.decrees = decrees
        # the newest version date the registry knows: what "current" means in messages
        self.current_to = max((v.version_date or "" for v in self.by_id.values()), default="")
        self._names: dict[str, str] = {}
        for law in self.laws.values():
            law.versions.sort(key=lambda v: v.version_date or "")
            for version in law.versions:
                for alias in (version.title, version.short_title, version.name):
                    if alias:
                        self._names.setdefault(normalise_title(alias), law.title)

    @cached_property
    def decision_dates(self) -> set[str]:
        """Dates of revision events made by a decision (关于修改…的决定, 修改决定)."""
        return {date for v in self.by_id.values() for date, text in v.events if "决定" in text}

    @cached_property
    def coverage(self) -> Coverage:
        return Coverage.of(self)

    @cached_property
    def _bigrams(self) -> dict[str, set[str]]:
        """Character pairs → registered titles holding them, to find a title close to a cited one."""
        index: dict[str, set[str]] = {}
        for name in self._names:
            for i in range(len(name) - 1):
                index.setdefault(name[i:i + 2], set()).add(name)
        return index

    def suggest(self, title: str) -> str | None:
        """The registered title a cited title that is not in the registry most likely means:
        one or two characters apart (危险化学品重大危险源督管理暂行规定), never a title that differs
        in a number, a place or a year (another document, not a typo)."""
        return _suggest(self, normalise_title(title).removeprefix(_PREFIX))

    def find(self, title: str, where: str | None = None) -> Law | None:
        """The law a cited title names: full title, short title (《行政许可法》), or the
        title with or without 中华人民共和国.

        `where` says where the citation comes from (the list's agency, file name, region):
        given, a city's or prefecture's own regulation is found only when the citation or
        `where` names that place; another city's regulation never judges a citation."""
        return _find(self._names, self.laws, title, where)


def _find(names: dict[str, str], laws: dict, title: str, where: str | None):
    """Registry.find over an index of names (normalised alias → law title) and the laws by title
    (anything with `locality` and `named_in`: a Law, or a TitleIndex's entry)."""
    key = normalise_title(title)
    if not key:
        return None
    for candidate in (key, _PREFIX + key, key.removeprefix(_PREFIX)):
        found = names.get(candidate)
        if found:
            law = laws[found]
            if where is not None and law.locality and not law.named_in(key + "|" + where):
                return None
            return law
    return None


def _suggest(registry: Registry, key: str) -> str | None:
    cache = registry.__dict__.setdefault("_suggested", {})
    if key not in cache:
        cache[key] = _closest(registry, key)
    return cache[key]


_PLACE = re.compile(r"^[\u4e00-\u9fa5]{1,12}?(?:自治区|自治州|自治县|省|市|县|区|盟|州|旗)")


def _closest(registry: Registry, key: str) -> str | None:
    import difflib

    if len(key) < 6:
        return None
    # at most three changed characters break at most six of the key's character pairs: a title
    # within reach shares one of its seven rarest pairs (the common ones, 条例 or 管理, are in
    # thousands of titles of an 18,000-version registry)
    index = registry._bigrams
    pairs = sorted({key[i:i + 2] for i in range(len(key) - 1)}, key=lambda pair: (len(index.get(pair, ())), pair))
    names = sorted(set().union(*(index.get(pair, ()) for pair in pairs[:7])))
    best: tuple[float, str] | None = None
    for name in names:
        candidate = name.removeprefix(_PREFIX)
        if abs(len(candidate) - len(key)) > 2:
            continue
        matcher = difflib.SequenceMatcher(None, key, candidate, autojunk=False)
        if matcher.quick_ratio() < 0.8:
            continue
        changed = "".join(key[i1:i2] + candidate[j1:j2] for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")
        if not changed or len(changed) > 3 or re.search(r"[0-9０-９一二三四五六七八九十年省市区县州]", changed):
            continue
        if any(p in key and p not in candidate or p in candidate and p not in key for p in _PROVINCES):
            continue
        # 青川市… and 青岛市…: another place's regulation, not a typo
        place = max((len(m.group(0)) for m in (_PLACE.match(key), _PLACE.match(candidate)) if m), default=0)
        if any(op != "equal" and i1 < place for op, i1, _i2, _j1, _j2 in matcher.get_opcodes()):
            continue
        # a wrong character makes a pair of characters no title has (运翰); one that makes a word
        # many titles have (物业 for 盐业) names another document
        if any(len(registry._bigrams.get(key[p:p + 2], ())) >= 3 for op, i1, i2, _j1, _j2 in matcher.get_opcodes()
               if op == "replace" for p in range(max(i1 - 1, 0), i2)):
            continue
        ratio = matcher.ratio()
        # one character wrong, missing or extra; or up to three in a long title
        if ratio >= (0.8 if len(changed) <= 2 else 0.9) and (best is None or ratio > best[0]):
            best = (ratio, registry._names[name])
    return best[1] if best else None


_PLACE_SUFFIX = re.compile(r"(?:自治州|自治县|自治旗|地区|林区|新区|市|州|县|区|盟|旗)$")


def place_names(locality: str, title: str = "") -> set[str]:
    """The ways a citation or a list may name a place below the province: 克拉玛依市 → 克拉玛依市,
    克拉玛依; 伊犁哈萨克自治州 → …, 伊犁州, 伊犁 (an autonomous area by its first two characters,
    as lists write it); and the place a title starts with, past its province (云南省宁蒗彝族自治县…)."""
    names = set()
    for place in (locality, _title_place(title)):
        if not place:
            continue
        stem = _PLACE_SUFFIX.sub("", place)
        names |= {place, stem} if len(stem) >= 2 else {place}
        if "自治" in place or place.endswith(("地区", "盟")):
            names |= {place[:2], place[:2] + place[-1]}
    return {n for n in names if len(n) >= 2}


def _title_place(title: str) -> str | None:
    rest = re.sub(r"^(?:[\u4e00-\u9fa5]{2,3}?省|[\u4e00-\u9fa5]{2,8}?自治区)", "", title)
    match = _PLACE.match(rest)
    return match.group(0) if match else None


_PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
              "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南",
              "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆")
# cities whose lists powercat has met, by province (a title 克拉玛依市… is 新疆's)
_CITY_PROVINCE = {"克拉玛依": "新疆", "乌鲁木齐": "新疆", "伊犁": "新疆", "昌吉": "新疆", "吐鲁番": "新疆",
                  "哈密": "新疆", "喀什": "新疆", "阿克苏": "新疆", "和田": "新疆", "塔城": "新疆", "阿勒泰": "新疆"}
LEVELS = ("法律", "行政法规", "部门规章", "地方性法规")


@dataclass
class Coverage:
    """What the registry holds per level (and per province for 地方性法规): how many titles,
    how many of them with status unknown, and the newest version date. Said in the report and
    in every unverifiable message."""

    levels: dict[str, tuple[int, str]]  # level → (titles, newest version date)
    provinces: dict[str, tuple[int, str]]  # province → (titles, newest version date), 地方性法规
    supplements: list[str] = field(default_factory=list)
    unknown: dict[str, int] = field(default_factory=dict)  # level or province → titles with status unknown
    cities: dict[str, str] = field(default_factory=dict)  # a locality's names (克拉玛依) → its province

    @classmethod
    def of(cls, registry: Registry) -> Coverage:
        levels: dict[str, tuple[int, str]] = {}
        provinces: dict[str, tuple[int, str]] = {}
        unknown: dict[str, int] = {}
        cities: dict[str, str] = {}
        for law in registry.laws.values():
            latest = law.latest
            newest = max((v.version_date or "" for v in law.versions), default="")
            keys = [(levels, latest.level)]
            if latest.level == "地方性法规" and latest.region:
                keys.append((provinces, latest.region))
                if law.locality:
                    for name in place_names(law.locality):
                        cities.setdefault(name, latest.region)
            for table, key in keys:
                count, date = table.get(key, (0, ""))
                table[key] = (count + 1, max(date, newest))
                if latest.status == "unknown":
                    unknown[key] = unknown.get(key, 0) + 1
        supplements = sorted({v.source for v in registry.by_id.values() if v.source != "bundled"})
        return cls(levels, provinces, supplements, unknown, cities)

    def level_line(self, level: str) -> str:
        count, date = self.levels.get(level, (0, ""))
        if level == "地方性法规" and len(self.provinces) == len(_PROVINCES):
            share = self.unknown.get(level, 0) * 100 // max(count, 1)
            return (f"地方性法规 {count} 部（{len(self.provinces)} 个省份，最新收录至 {date[:7]}；"
                    f"{share}% 现行状态不详）")
        if level == "地方性法规":
            regions = "、".join(f"{p}（{n} 部，至 {d[:7]}）" for p, (n, d) in sorted(self.provinces.items()))
            return f"地方性法规仅收录 {regions or '（无）'}"
        if not count:
            return f"{level}未收录"
        partial = "（部分收录）" if level == "部门规章" else ""
        return f"{level} {count} 部{partial}，最新收录至 {date[:7]}"

    def lines(self) -> list[str]:
        lines = [self.level_line(level) for level in LEVELS]
        lines.append("地方政府规章、规范性文件未收录")
        if self.supplements:
            lines.append("补充法规：" + "、".join(self.supplements))
        return lines

    def of_level(self, level: str | None, region: str | None = None) -> str:
        """One sentence on the registry's coverage of a level (and province)."""
        if level == "地方性法规" and region:
            count, date = self.provinces.get(region, (0, ""))
            return f"法规库收录{region}地方性法规 {count} 部，最新至 {date[:7]}" if count else f"法规库未收录{region}的地方性法规"
        if level in LEVELS:
            return "法规库" + self.level_line(level)
        return "法规库" + "；".join(self.level_line(lv) for lv in LEVELS[:3])

    def of_title(self, title: str) -> str:
        """The coverage sentence for a title the registry does not know, by its look."""
        province = next((p for p in _PROVINCES if title.startswith(p)), None)
        province = province or next((p for c, p in {**self.cities, **_CITY_PROVINCE}.items() if title.startswith(c)), None)
        if province:
            count, _date = self.provinces.get(province, (0, ""))
            known = f"仅收录{province}地方性法规 {count} 部" if count else f"未收录{province}的地方性法规"
            return f"法规库{known}，未收录地方政府规章和规范性文件"
        if re.search(r"(通知|意见|批复|公告|函|目录|标准|规范|方案)(（[^（）]*）)?$", title):
            return "法规库未收录规范性文件、标准和政策文件"
        if re.search(r"法(（[^（）]*）)?$", title):
            return self.of_level("法律")
        if re.search(r"条例(（[^（）]*）)?$", title):
            return self.of_level("行政法规")
        return self.of_level("部门规章")


_SUPPLEMENTS: list[str] = []  # set by use_supplements (the --laws option)


@contextmanager
def no_gc():
    """The garbage collector paused while the registry's ~400,000 objects are made: none of
    them is garbage, and its passes over them would double the load time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def bundled_payload() -> dict:
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The bundled registry, with the supplements of `use_supplements` laid over it."""
    registry = load_registry(_SUPPLEMENTS)
    # it lives as long as the process: the collector's later passes need not walk its
    # ~400,000 objects again (~0.25 s of the chart path's passes right after loading)
    gc.freeze()
    return registry


def use_supplements(paths: list[str] | None) -> Registry:
    """Makes `default_registry()` the bundled registry plus these supplements (--laws), for
    every check run after it (check, build). Raises SupplementError on a bad file."""
    registry = load_registry(list(paths or []))  # fails before anything changes
    _SUPPLEMENTS[:] = list(paths or [])
    default_registry.cache_clear()
    return registry


def load_registry(supplements: list[str | Path] | None = None) -> Registry:
    """The bundled registry with user-supplied laws (see `powercat.law.supplement`): an entry
    for the same title and version date replaces the bundled one."""
    with no_gc():
        payload = bundled_payload()
        if not supplements:
            return Registry(payload)
    from .supplement import load_supplements, merge

    entries, texts = load_supplements(supplements)
    registry = Registry(merge(payload, entries))
    registry.texts = texts
    return registry


# --- the title index: the registry as law.limits.derive reads it --------------------------

TITLES = Path(__file__).with_name("registry-titles.json.gz")


@dataclass(frozen=True)
class LatestVersion:
    id: str
    title: str


@dataclass(frozen=True)
class IndexedLaw:
    """A law as the title index knows it: enough to find it by a cited title and to name its
    latest version (Law's `title`, `locality`, `latest.id`, `latest.title` and `named_in`)."""

    title: str
    locality: str | None
    latest: LatestVersion

    def named_in(self, text: str) -> bool:
        return any(name in text for name in place_names(self.locality or "", self.title))


class _IndexedLaws(dict):
    """Title → IndexedLaw, made when first asked for: a run cites a few hundred of 17,000 titles."""

    def __init__(self, rows: dict[str, list]):
        super().__init__()
        self._rows = rows

    def __missing__(self, title: str) -> IndexedLaw:
        locality, latest_id = self._rows[title]
        law = self[title] = IndexedLaw(title, locality, LatestVersion(latest_id, title))
        return law


class TitleIndex:
    """The registry's titles alone, for the derived statutory limit (`list --json`, guides): it
    finds a cited title exactly as Registry.find does. Loaded in hundredths of a second where
    the whole registry (18,000 versions, 400,000 objects) takes tenths. It is
    registry-titles.json.gz, made from registry.json.gz (`python -m powercat.law.registry`) and
    used only while the digest it records is that file's; else the whole registry answers."""

    def __init__(self, names: dict[str, str], laws: dict[str, list]):
        self._names = names
        self.laws = _IndexedLaws(laws)
        self.texts: dict[tuple[str, int, int], str] = {}  # no supplement is ever laid over it

    def find(self, title: str, where: str | None = None) -> IndexedLaw | None:
        return _find(self._names, self.laws, title, where)


def title_index_payload(registry: Registry, digest: str) -> dict:
    return {"registry": digest, "names": dict(sorted(registry._names.items())),
            "laws": {title: [law.locality, law.latest.id] for title, law in sorted(registry.laws.items())}}


def _registry_digest() -> str:
    import hashlib

    return hashlib.sha256(DATA.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _title_index() -> TitleIndex | None:
    try:
        payload = json.loads(gzip.decompress(TITLES.read_bytes()))
        current = payload.get("registry") == _registry_digest()
    except (OSError, ValueError, EOFError, AttributeError):  # missing or broken: the whole registry answers
        return None
    return TitleIndex(payload["names"], payload["laws"]) if current else None


def citing_registry() -> Registry | TitleIndex:
    """The registry as a cited title's law is looked up in: the whole one when it is loaded
    already or carries supplements (--laws), else its title index when that is current."""
    if _SUPPLEMENTS or default_registry.cache_info().currsize:
        return default_registry()
    return _title_index() or default_registry()


def write_title_index(target: Path = TITLES) -> None:
    """registry-titles.json.gz from the bundled registry.json.gz, byte for byte the same each time."""
    text = json.dumps(title_index_payload(load_registry(), _registry_digest()), ensure_ascii=False,
                      separators=(",", ":"))
    target.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))


@dataclass
class ArticleTexts:
    """Article texts from a file in the format of ../shared/laws/articles.jsonl.gz,
    loaded only when the user gives `--law-texts`."""

    texts: dict[tuple[str, int, int], str]

    @classmethod
    def load(cls, path: str | Path) -> ArticleTexts:
        opener = gzip.open if str(path).endswith(".gz") else open
        texts = {}
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                article = json.loads(line)
                texts[(article["law_id"], article["num"], article.get("sub") or 0)] = article["text"]
        return cls(texts)

    def text(self, version: LawVersion, num: int, sub: int = 0) -> str | None:
        return self.texts.get((version.id, num, sub))


if __name__ == "__main__":  # after scripts/build_registry.py: python -m powercat.law.registry
    write_title_index()
    print(f"wrote {TITLES}")
