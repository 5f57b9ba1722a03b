"""Recognising a power's category in a cell, a sheet name or a section heading."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..model import Category
from .text import squeeze

_STANDARD = [c.value for c in Category]
_SHORT = {
    "许可": Category.LICENSING, "处罚": Category.PENALTY, "强制": Category.COERCION,
    "征收": Category.LEVY, "给付": Category.BENEFIT, "检查": Category.INSPECTION,
    "确认": Category.CONFIRMATION, "奖励": Category.REWARD, "裁决": Category.ADJUDICATION,
    "其他": Category.OTHER, "其他职权": Category.OTHER, "其他权力": Category.OTHER,
    "其它行政权力": Category.OTHER, "其他行政职权": Category.OTHER, "其他类": Category.OTHER,
    "公共服务事项": Category.PUBLIC_SERVICE, "行政强制措施": Category.COERCION,
    "行政强制执行": Category.COERCION,
}


@lru_cache(maxsize=1024)  # a list states its categories in a handful of spellings, row after row
def category_of(text: str | None) -> str | None:
    """The standard category a cell states, e.g. '\\n行政处罚' → 行政处罚, '许可' → 行政许可;
    None when the text names no single category."""
    if not text:
        return None
    key = unicodedata.normalize("NFKC", squeeze(text))
    if key in _STANDARD:
        return key
    if key in _SHORT:
        return _SHORT[key].value
    return None


def category_in(text: str | None) -> str | None:
    """The one standard category mentioned inside a longer text such as a sheet name
    ('行政许可（11项）') or a section heading ('二、行政处罚'); None if none or several."""
    if not text:
        return None
    key = unicodedata.normalize("NFKC", squeeze(text))
    found = {c for c in _STANDARD if c in key}
    if len(found) == 1:
        return found.pop()
    return None
