"""Keeping user text inert in spreadsheets (OWASP CSV injection): a cell that starts with
= + - @ (or their full-width forms), a tab or a carriage return would run as a formula."""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")


def is_risky(text: str) -> bool:
    return bool(text) and text.startswith(_TRIGGERS)


def csv_safe(text: str) -> str:
    """For CSV: a leading apostrophe, which spreadsheet programs show as text."""
    return "'" + text if is_risky(text) else text


def xlsx_cell(cell, text: str) -> None:
    """For xlsx: always a string cell; risky text also gets Excel's quote prefix, which
    keeps it literal without changing the visible value."""
    cell.value = text
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True
