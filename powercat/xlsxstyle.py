"""Small helpers for the workbooks powercat writes (templates, review copies)."""

from __future__ import annotations


def wrapped_lines(text: str | None, width: int) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (CJK count double).
    Spreadsheet programs do not grow rows for wrapped text written by openpyxl, so rows
    get an explicit height from this."""
    if not text:
        return 1
    total = 0
    for part in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in part)
        total += max(1, -(-units // max(width, 1)))
    return total


def row_height(lines: int, cap: int = 20) -> float:
    return 15.0 * min(max(lines, 1), cap) + 3
