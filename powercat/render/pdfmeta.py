"""Deterministic PDFs: the same input gives the same bytes.

cairo (behind both `dot -Tpdf` and `rsvg-convert`) stamps each PDF with the time it was
made. Here that stamp becomes the time given by SOURCE_DATE_EPOCH (https://reproducible-
builds.org/specs/source-date-epoch/), or is removed when that is not set. The per-chart
PDFs are patched in place with a replacement of the same length, so the cross-reference
offsets stay valid; booklets are rewritten whole by pypdf (see booklet.py).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

_CAIRO_DATE = re.compile(rb"/CreationDate \((D:)?[0-9]{14}(Z|[+-][0-9]{2}'[0-9]{2}'?)?\)")


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        return int(value) if value else None
    except ValueError:
        return None


def pdf_date(epoch: int) -> str:
    """A PDF date string (D:YYYYMMDDHHmmSSZ) for a Unix time."""
    return datetime.fromtimestamp(epoch, UTC).strftime("D:%Y%m%d%H%M%SZ")


def fix_creation_date(path: str | os.PathLike, epoch: int | None = None) -> None:
    """Rewrites cairo's /CreationDate in place: SOURCE_DATE_EPOCH's date, or, when that is
    not set, a blank entry of the same length."""
    path = Path(path)
    data = path.read_bytes()
    epoch = source_date_epoch() if epoch is None else epoch

    def replace(match: re.Match) -> bytes:
        length = len(match.group(0))
        text = f"/CreationDate ({pdf_date(epoch)})" if epoch is not None else "/Creator (powercat)"
        return text.encode("ascii").ljust(length)[:length] if len(text) <= length else match.group(0)

    fixed = _CAIRO_DATE.sub(replace, data, count=1)
    if fixed != data:
        path.write_bytes(fixed)
