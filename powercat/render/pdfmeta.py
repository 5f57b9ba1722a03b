"""Deterministic PDFs: the same input gives the same bytes.

cairo (behind both `dot -Tpdf` and `rsvg-convert`) stamps each PDF with the time it was
made. Here that stamp becomes the time given by SOURCE_DATE_EPOCH (https://reproducible-
builds.org/specs/source-date-epoch/), or is removed when that is not set. The per-chart
PDFs are patched in place with a replacement of the same length, so the cross-reference
offsets stay valid; booklets are rewritten whole by pypdf (see booklet.py), which also
drops the font subroutines cairo copies in but no glyph calls (`slim_fonts`).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

_CAIRO_DATE = re.compile(rb"/CreationDate \((D:)?[0-9]{14}(Z|[+-][0-9]{2}'[0-9]{2}'?)?\)")


# A PDF date has a four-digit year: 1970-01-01 up to 9999-12-31 23:59:59 UTC.
MAX_EPOCH = 253_402_300_799


def epoch_problem(value: str | None = None) -> str | None:
    """A Chinese sentence saying why SOURCE_DATE_EPOCH (or `value`) is unusable, None when it
    is unset or a whole number of seconds in range. Checked before any work (exit 2): a bad
    value used to surface as an OverflowError deep in the PDF writer."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "") if value is None else value
    text = value.strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]+", text):
        kind = "负数" if re.fullmatch(r"-[0-9]+", text) else "不是整数"
        return f"环境变量 SOURCE_DATE_EPOCH 应为 0 至 {MAX_EPOCH} 之间的整数秒数（{kind}），收到“{text[:40]}”"
    if len(text) > 20 or int(text) > MAX_EPOCH:
        return f"环境变量 SOURCE_DATE_EPOCH 超出范围（应为 0 至 {MAX_EPOCH}，即 1970 至 9999 年），收到“{text[:40]}”"
    return None


def source_date_epoch() -> int | None:
    """The SOURCE_DATE_EPOCH in force, None when unset or unusable (the CLI refuses an unusable
    one before any work, so None here only ever means "not set" for a user)."""
    if epoch_problem() is not None:
        return None
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value else None


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


# --- lighter fonts ----------------------------------------------------------------------------
# cairo subsets a CID-keyed CFF font (Noto Sans CJK) by glyph but copies subroutines whole:
# once a subset takes glyphs from three of the font's FDs (a booklet with both …XK… and …CF…
# codes and any ideograph does), the Ideographs FD's 28,516 local subroutines ride along,
# ~850 KB, however few glyphs use them. Dropping the subroutines no glyph calls gives the same
# outlines in a tenth of the bytes. fontTools does that; without it the PDF stays as cairo made it.

def _pruned_cff(data: bytes) -> bytes | None:
    """The CFF font program `data` without its unused subroutines; None when fontTools is not
    installed or cannot read it (the font is then kept as it is)."""
    import io

    try:
        from fontTools.cffLib import CFFFontSet
        import fontTools.subset.cff  # noqa: F401  (adds remove_unused_subroutines)
    except ImportError:
        return None
    try:
        font = CFFFontSet()
        font.decompile(io.BytesIO(data), None)
        font.remove_unused_subroutines()
        out = io.BytesIO()
        font.compile(out, _NoBoxes())
    except Exception:  # an unusual font: keep cairo's program rather than risk a broken one
        return None
    return out.getvalue()


class _NoBoxes:
    """What CFFFontSet.compile asks of its OpenType font: keep the glyphs' bounding boxes."""
    recalcBBoxes = False


# a program this large carries a whole FD's subroutines (~1 MB; an ordinary subset of a
# booklet's few hundred glyphs is 100-300 KB): pruning it saves ~0.9 MB for ~1 s of pure
# Python, pruning an ordinary one ~0.1 MB for as long, so ordinary ones are kept
SLIM_FROM = 400_000


def slim_fonts(writer, min_bytes: int = SLIM_FROM) -> int:
    """Replaces, in a pypdf PdfWriter, each embedded CFF font program (FontFile3) of at least
    `min_bytes` by one without unused subroutines, where that is smaller; returns the bytes
    saved (before compression). The glyphs, and so every page, stay as they were."""
    from pypdf.errors import PdfReadError

    saved, seen = 0, set()
    for obj in list(writer._objects):  # every object of the document, fonts included
        if not hasattr(obj, "get") or obj.get("/Type") != "/FontDescriptor" or "/FontFile3" not in obj:
            continue
        ref = obj.raw_get("/FontFile3")
        key = getattr(ref, "idnum", id(ref))
        if key in seen:
            continue
        seen.add(key)
        stream = obj["/FontFile3"].get_object()
        data = stream.get_data()
        if len(data) < min_bytes:
            continue
        pruned = _pruned_cff(data)
        if pruned is None or len(pruned) >= len(data):
            continue
        try:
            stream.set_data(pruned)  # compressed again with the stream's own filter (Flate)
        except PdfReadError:  # a filter pypdf cannot write: keep cairo's program
            continue
        saved += len(data) - len(pruned)
    return saved
