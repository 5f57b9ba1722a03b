"""The bundled registry of Chinese laws and regulations (facts only, no article texts).

Built by `scripts/build_registry.py` from ../shared/laws. Its limits matter to users: it is
current to about 2026-03, 地方性法规 cover 7 provinces only, 部门规章 are partial and
地方政府规章 / 规范性文件 are absent. A title it does not know is *unverifiable*, never wrong.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("registry.json.gz")
_PREFIX = "中华人民共和国"


@dataclass
class LawVersion:
    id: str
    title: str
    short_title: str | None
    name: str | None
    level: str
    region: str | None
    version_date: str | None
    effective_date: str | None
    status: str  # in_force / amended / repealed / unknown
    is_latest: bool
    superseded_by: str | None
    repealed_by: str | None
    revisions: list[str]
    articles: list[list[int]]  # [num, sub, 款 count]
    incomplete: bool = False  # the source text looked truncated or had gaps

    @cached_property
    def article_index(self) -> dict[tuple[int, int], int]:
        return {(num, sub): kuan for num, sub, kuan in self.articles}

    @property
    def article_count(self) -> int:
        return sum(1 for _num, sub, _k in self.articles if not sub)

    @property
    def max_article(self) -> int:
        return max((num for num, _s, _k in self.articles), default=0)


@dataclass
class Law:
    """All versions of one title, oldest first."""

    title: str
    versions: list[LawVersion] = field(default_factory=list)

    @property
    def latest(self) -> LawVersion:
        flagged = [v for v in self.versions if v.is_latest]
        return flagged[-1] if flagged else self.versions[-1]

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


def normalise_title(title: str) -> str:
    text = re.sub(r"\s+", "", title)
    text = text.replace("〈", "《").replace("〉", "》").replace("<", "《").replace(">", "》")
    text = text.replace("(", "（").replace(")", "）")
    return text.strip("《》")


class Registry:
    def __init__(self, payload: dict):
        self.source = payload.get("source", {})
        self.by_id: dict[str, LawVersion] = {}
        self.laws: dict[str, Law] = {}
        for entry in payload["laws"]:
            version = LawVersion(**entry)
            self.by_id[version.id] = version
            self.laws.setdefault(version.title, Law(version.title)).versions.append(version)
        # the newest version date the registry knows: what "current" means in messages
        self.current_to = max((v.version_date or "" for v in self.by_id.values()), default="")
        self._names: dict[str, str] = {}
        for law in self.laws.values():
            law.versions.sort(key=lambda v: v.version_date or "")
            for version in law.versions:
                for alias in (version.title, version.short_title, version.name):
                    if alias:
                        self._names.setdefault(normalise_title(alias), law.title)

    def find(self, title: str) -> Law | None:
        """The law a cited title names: full title, short title (《行政许可法》), or the
        title with or without 中华人民共和国."""
        key = normalise_title(title)
        if not key:
            return None
        for candidate in (key, _PREFIX + key, key.removeprefix(_PREFIX)):
            found = self._names.get(candidate)
            if found:
                return self.laws[found]
        return None


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        return Registry(json.load(handle))


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
