"""The level a list's section or sheet is for: 指导目录 published for several levels at once
(地县两级) repeat each power under a heading such as `一、地（州、市）级` or on a sheet named
`县（市、区）级`; the power keeps that level when it has no 行使层级 column of its own."""

from __future__ import annotations

import re
from collections import Counter

from .text import squeeze

_NUMBERING = re.compile(r"^(第?[0-9一二三四五六七八九十]+[部分章节]?[、.．:：\s]+|[（(][0-9一二三四五六七八九十]+[)）][、.．]?)")
_LEVEL = re.compile(
    r"^(省|自治区|省（自治区）|地（州、市）|地（市、州）|地（州）|地州市|地州|州市|地市|设区的市|市（州）|市|"
    r"县（市、区）|县（市、区、旗）|县（市）|县市区|县区|县|区|乡（镇、街道）|乡（镇）|乡镇|街道)级"
)
_INNER = re.compile(r"[（(]([^（）()]*)[)）]")
_MAX = 24  # a heading, not a sentence that happens to start with 县级


def level_in(text: str | None) -> str | None:
    """`一、地（州、市）级` → 地（州、市）级; None when the text names no level."""
    if not text:
        return None
    key = _NUMBERING.sub("", squeeze(text).replace("(", "（").replace(")", "）"))
    if len(key) > _MAX:
        return None
    found = _LEVEL.match(key)
    return found.group(0) if found else None


_SHORT = 12  # 市级、县级 is a level; 负责本级办公用房管理工作 (a duty typed into 行使层级) is none


def level_tag(level: str | None) -> str:
    """The short form shown after a power's name (地（州、市）级 → 地州市级), the level
    a longer text starts with (地州市级；负责… → 地州市级), or "" when it names none."""
    if not level:
        return ""
    text = squeeze(level).replace("(", "（").replace(")", "）")
    if not (len(text) <= _SHORT and text.endswith("级")):
        found = _LEVEL.match(text)
        if not found:
            return ""
        text = found.group(0)
    return _INNER.sub(lambda m: m.group(1).replace("、", ""), text)


USUAL = 0.8  # a level this share of an agency's powers has is its usual one, not named on each


def shown_levels(tags: list[str]) -> list[str]:
    """For one agency's powers (their level_tag each): the level to name after each name.
    None for an agency of one level; for a list of two levels in equal parts (地县两级), each
    power's; where one level is the usual one (310 地州市级 beside 1 自治区级), only the others'."""
    counts = Counter(t for t in tags if t)
    if len(counts) < 2:
        return [""] * len(tags)
    common, n = counts.most_common(1)[0]
    usual = common if n >= USUAL * sum(counts.values()) else None
    return [t if t != usual else "" for t in tags]
