"""Chinese numerals as written in article references: 第一百二十三条之一 ↔ (123, 1)."""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
NUMERAL = r"[零〇○一二两三四五六七八九十百千万0-9０-９]+"
_NUMERAL_RE = re.compile(NUMERAL)


@lru_cache(maxsize=4096)  # citations repeat the same few hundred article numbers
def to_int(text: str) -> int | None:
    """'一百二十三' → 123, '十二' → 12, '二〇二〇' → 2020, '12' → 12; None if not a numeral."""
    text = text.strip().translate(_FULLWIDTH)
    if not text or not _NUMERAL_RE.fullmatch(text):
        return None
    if text.isdigit():
        return int(text)
    if any(ch.isdigit() for ch in text):
        return None
    if not any(ch in _UNITS for ch in text):
        # digit by digit, as in years: 二〇二〇
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
    return total + section + (digit or 0)


def to_chinese(number: int) -> str:
    """123 → '一百二十三', 10 → '十', 105 → '一百零五' (as article labels are written)."""
    if number < 0:
        raise ValueError(number)
    if number == 0:
        return "零"
    digits = "零一二三四五六七八九"
    if number >= 10000:
        high, low = divmod(number, 10000)
        rest = to_chinese(low) if low else ""
        return to_chinese(high) + "万" + ("零" + rest if 0 < low < 1000 else rest)
    parts = []
    zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit_value)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            parts.append(digits[digit] + unit)
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def article_label(num: int, sub: int = 0) -> str:
    """(123, 1) → '第一百二十三条之一'."""
    return f"第{to_chinese(num)}条" + (f"之{to_chinese(sub)}" if sub else "")
