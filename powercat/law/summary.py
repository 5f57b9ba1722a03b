"""The legal basis in short, as a flowchart's header prints it: 《short title》第X条, …

Made here, from the citation parser and the registry, so that the renderer is given the
text and never reads law itself.
"""

from __future__ import annotations

import re

from .citation import parse
from .registry import default_registry


def basis_summary(basis: str | None, limit: int = 90) -> str:
    """《short title》第X条、第Y条等；… for each law cited, at most `limit` characters."""
    if not basis:
        return "（未填写）"
    registry = default_registry()
    parts = []
    for citation in parse(basis):
        if not citation.title:
            continue
        law = registry.find(citation.title)
        title = (law.latest.short_title or law.title) if law else citation.title
        labels = "、".join(dict.fromkeys(a.label for a in citation.articles[:4]))
        more = "等" if len(citation.articles) > 4 else ""
        parts.append(f"《{title}》{labels}{more}")
    text = "；".join(dict.fromkeys(parts)) or re.sub(r"\s+", " ", basis)
    return text if len(text) <= limit else text[: limit - 1] + "…"
