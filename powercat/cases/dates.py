"""Dates as registers write them: Excel dates, `2025-03-04`, `2025/3/4`, `2025.3.4`,
`2025年3月4日`, `20250304`, with or without a time of day."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\d{4,6})?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class BadDate(ValueError):
    pass


def to_date(value: object) -> dt.date | None:
    """None for an empty cell; BadDate for text that is not a date."""
    if value.__class__ is str and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return _iso_day(value[:10])  # `2025-03-04 09:30:00`, the common case, by its date part
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial number shown as a number
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadDate(str(value))
    return _parse_text(str(value))


@lru_cache(maxsize=1 << 16)
def _iso_day(text: str) -> dt.date:
    try:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return _parse_text(text)


@lru_cache(maxsize=1 << 16)
def _parse_text(text: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or text in {"/", "无", "-", "—"}:
        return None
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            pass
    found = _DATE.match(text) or _COMPACT.match(text)
    if not found:
        raise BadDate(text)
    try:
        return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        raise BadDate(text) from None
