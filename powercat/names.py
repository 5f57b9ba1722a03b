"""Safe file and folder names from user text (agency and power names, codes)."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(text: str, limit: int = 80) -> str:
    """No path separators, reserved or control characters, no leading dots; never empty."""
    cleaned = _UNSAFE.sub("_", re.sub(r"\s+", "", text)).strip("._ ")
    return (cleaned or "未命名")[:limit]
