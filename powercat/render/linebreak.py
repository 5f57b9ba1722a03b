"""Chinese line breaking (避头尾) for chart labels, notes, the contents list and the cover.

A label is wrapped at a width in display units (a CJK character counts two, a Latin letter
or digit one). Breaks follow the rules of GB/T 15834 and the W3C *Requirements for Chinese
Text Layout*:

- no line begins with closing or pausing punctuation (、。，；：？！）》」』 …, 行首禁则);
- no line ends with opening punctuation (（《「『 …, 行尾禁则);
- runs of Latin letters and digits (`20`, `GB/T`, `519901101XK00100`) are not cut, unless
  a run alone is wider than a line, nor parted from the measure word after them (`5日`);
- a closing mark that would start a line hangs at the end of the previous one (悬挂) when
  pulling a character down would leave the line much shorter;
- no single character stands alone on a last line when a narrower width avoids it.

Existing line breaks in the text are kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# characters that must not begin a line
NO_START = frozenset(
    "、。，．,.；;：:？?！!）)］]｝}〕〉》」』】〗〙〛”’\"'…‥—～~％%‰℃·・々〻ゝゞー"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
# characters that must not end a line
NO_END = frozenset("（(［[｛{〔〈《「『【〖〘〚“‘")
# measure words and units that stay with the number before them (5日, 20个工作日, 3倍)
UNITS = frozenset("日天年月周时分秒个件项条款次号倍元人名家份类种批处台辆吨米层级期")
# characters that stay glued to their neighbours inside a Latin run
_RUN = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-./#&+@")


def char_width(ch: str) -> int:
    """Display units: 2 for wide (CJK, full-width) characters, 1 otherwise."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 2 if ord(ch) >= 0x2E80 else 1


# Pure functions of the text, called per unit (a character or a Latin run) many times per
# label: a province's charts repeat the same few thousand characters and step names
@lru_cache(maxsize=1 << 16)
def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _units(paragraph: str) -> list[str]:
    """Unbreakable pieces: one CJK character, or a run of Latin letters and digits."""
    return _UNIT.findall(paragraph)


# a run of _RUN characters, else any one character (a unit, as _units cuts the text)
_UNIT = re.compile("[" + re.escape("".join(sorted(_RUN))) + "]+|.", re.S)


def _split_long(units: list[str], width: int) -> list[str]:
    if not any(len(unit) > width for unit in units):  # a run is as wide as it is long (ASCII)
        return units
    out: list[str] = []
    for unit in units:
        if len(unit) > 1 and text_width(unit) > width:
            out.extend(unit)
        else:
            out.append(unit)
    return out


def _may_break(units: list[str], i: int) -> bool:
    """A break is allowed between units[i-1] and units[i]."""
    before, after = units[i - 1], units[i]
    if after[0] in UNITS and before[-1].isdigit():
        return False
    return after[0] not in NO_START and before[-1] not in NO_END


def _greedy(units: list[str], widths: list[int], width: int) -> list[str]:
    lines: list[str] = []
    start, n = 0, len(units)
    while start < n:
        used, end = 0, start
        while end < n and (end == start or used + widths[end] <= width):
            used += widths[end]
            end += 1
        if end >= n:
            lines.append("".join(units[start:]))
            break
        if _may_break(units, end):
            cut = end
        elif units[end][0] in NO_START and units[end - 1][-1] not in NO_END and (
                end + 1 >= n or _may_break(units, end + 1)):
            cut = end + 1  # one closing mark hangs at the line's end (悬挂)
        else:
            cut = end - 1  # pull characters down to the furthest allowed break
            while cut > start and not _may_break(units, cut):
                cut -= 1
            if cut == start:
                cut = end  # no allowed break at all: break at the width
        lines.append("".join(units[start:cut]).rstrip(" "))
        while cut < n and units[cut] == " ":  # a space at a break is dropped
            cut += 1
        start = cut
    return lines


def wrap_lines(text: object, width: int) -> list[str]:
    """The text's lines, wrapped at `width` display units by the rules above."""
    return list(_wrapped(str(text if text is not None else ""), max(2, int(width))))


@lru_cache(maxsize=1 << 14)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        units = _split_long(_units(paragraph), width)
        widths = [text_width(unit) for unit in units]
        lines = _greedy(units, widths, width)
        if len(lines) > 1 and len(lines[-1]) == 1:
            # a lone last character: a slightly narrower width usually shares the lines better
            for narrower in range(width - 1, max(2, width * 2 // 3) - 1, -1):
                candidate = _greedy(units, widths, narrower)
                if len(candidate) == len(lines) and len(candidate[-1]) > 1:
                    lines = candidate
                    break
        out.extend(lines or [""])
    return tuple(out)


def wrap(text: object, width: int) -> str:
    """The text wrapped at `width` display units, lines joined with newlines."""
    return "\n".join(wrap_lines(text, width))
