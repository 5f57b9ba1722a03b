"""Cleaning cell text as agencies type it: hard-wrapped lines, stray spaces,
full-width forms, and the many ways of writing "nothing"."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

# \s covers U+3000, U+2002, NBSP …; zero-width characters Word and WPS leave behind
# are dropped outright (they never separate words).
_WS_RUN = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\xad\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")
_NULL_MARKERS = frozenset({"", "/", "无", "-", "—", "——", "\\", "空", "null", "none", "n/a"})


def cell_to_text(value: object) -> str:
    """A calamine cell value as the text Excel would show for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # 序号 stored as 1.0 is shown as 1
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    return str(value)


def squeeze(text: str) -> str:
    """Remove every whitespace character, keeping one space between two ASCII
    letters or digits ("连续 2 次" → "连续2次", "ISO 9001" stays)."""
    if not text:
        return ""
    parts = _WS_RUN.split(_ZERO_WIDTH.sub("", text).strip())
    if len(parts) == 1:
        return parts[0]
    out = [parts[0]]
    for part in parts[1:]:
        if not part:
            continue
        prev = out[-1]
        if prev and _ASCII_ALNUM.match(prev[-1]) and _ASCII_ALNUM.match(part[0]):
            out.append(" ")
        out.append(part)
    return "".join(out)


_LONGEST_MARKER = max(map(len, _NULL_MARKERS))
# C0/C1 controls (but tab and line breaks), lone surrogates and non-characters: they break
# XML, JSON output and terminals, and no agency means them.
# Bidi embeddings, overrides and isolates and the soft hyphen too: never meant in a list, and
# a bidi override would let a name display as something else (Trojan Source).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                        "\ud800-\udfff\ufffe\uffff]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


# Any character the cleaners below would remove or act on (whitespace, zero-width, invisible): a
# text without one, longer than every null marker, is its own clean form. Most names and 依据
# are such texts, and one search decides it instead of two substitutions, a split and a strip.
_NEEDS_CLEANING = re.compile("[\\s" + _ZERO_WIDTH.pattern[1:-1] + _INVISIBLE.pattern[1:-1] + "]")


def is_null(text: str) -> bool:
    """Whether a cell means "nothing": empty, `/`, `无` and their full-width forms."""
    if len(text) > _LONGEST_MARKER and not text[0].isspace() and not text[-1].isspace():
        return False  # the common case, decided without normalising
    return unicodedata.normalize("NFKC", squeeze(text)).lower() in _NULL_MARKERS


# Lists repeat the same agency, office, level and duty text on thousands of rows:
# cleaning each distinct cell text once is most of the reader's speed.
@lru_cache(maxsize=1 << 16)
def clean_name(text: str) -> str | None:
    """A name cell (事项名称, 子项名称, 职权编码 …): whitespace squeezed, null markers → None."""
    if len(text) > _LONGEST_MARKER and _NEEDS_CLEANING.search(text) is None:
        return text
    squeezed = squeeze(strip_invisible(text))
    return None if is_null(squeezed) else squeezed


# A line break is kept where the next line starts a new unit of meaning: a level tag,
# a law title, an article, a numbered item, or where the line before ended a sentence.
# Numbers may be full-width ("１．") or circled ("①", "⑴", "⒈", "㈠"), and a procedure
# numbers its steps and stages ("第一步", "第2阶段", "第三环节") as process/stages.py reads them.
_BREAK_BEFORE = re.compile(
    r"^(【|《|第[一二三四五六七八九十百千零〇两0-9０-９]+(?:[条章节款项步]|阶段|环节)|[0-9０-９]+[.、．)）]"
    r"|[(（][一二三四五六七八九十0-9０-９]+[)）]|[①-⒛㈠-㈩]"
    r"|[一二三四五六七八九十]+[、.．]|告知承诺|非告知承诺|[A-Za-z]+[:：])"
)
_BREAK_AFTER = re.compile(r"[。；;：:！？!?）)]$")


@lru_cache(maxsize=1 << 16)
def clean_block(text: str) -> str | None:
    """A long-text cell (实施依据, 责任事项 …): hard wraps inside a sentence are
    joined, meaningful line breaks kept, spaces inside Chinese text removed."""
    if len(text) > _LONGEST_MARKER and _NEEDS_CLEANING.search(text) is None:
        return text
    text = strip_invisible(text)
    lines = [squeeze(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return None
    out = [lines[0]]
    for line in lines[1:]:
        if _BREAK_AFTER.search(out[-1]) or _BREAK_BEFORE.match(line):
            out.append(line)
        else:
            out[-1] = squeeze(out[-1] + " " + line)
    joined = "\n".join(out)
    return None if is_null(joined) else joined


def normalise_header(text: str) -> str:
    """A header cell reduced for matching: NFKC, no whitespace, no trailing `*`/`：`."""
    folded = unicodedata.normalize("NFKC", text)
    return _WS_RUN.sub("", folded).strip("*:：").replace("(", "（").replace(")", "）")
