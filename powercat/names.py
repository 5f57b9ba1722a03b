"""Safe file and folder names from user text (agency and power names, codes, input files).

Two promises: a name never carries a path separator, a reserved, control, zero-width or bidi
character, and never exceeds what file systems take; and two different texts never share
one output name (`distinct_names`), so no page, booklet or copy overwrites another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import PurePath

_UNSAFE = re.compile(r'[\\/:*?"<>|]+')
# ext4 and most others allow 255 bytes per name; leave room for suffixes such as
# ".审查意见.xlsx" (19 bytes) and a collision hash.
MAX_NAME_BYTES = 180


def _invisible(ch: str) -> bool:
    # Cc controls, Cf format characters (zero-width, soft hyphen, bidi overrides), Cs/Co/Cn
    return unicodedata.category(ch)[0] == "C"


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def safe_name(text: str, limit: int = 80) -> str:
    """No path separators, reserved, control or bidi characters, no leading dots; never
    empty. Longer than `limit` characters (or MAX_NAME_BYTES bytes): cut, with a stable hash
    of the whole text appended so that two long names never end up the same."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if not _invisible(ch))
    cleaned = _UNSAFE.sub("_", re.sub(r"\s+", "", text)).strip("._ ")
    cleaned = cleaned or "未命名"
    if len(cleaned) <= limit and len(cleaned.encode("utf-8")) <= MAX_NAME_BYTES:
        return cleaned
    suffix = "-" + short_hash(text)
    keep = max(1, limit - len(suffix))
    head = cleaned[:keep]
    while len((head + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        head = head[:-1]
    return head + suffix


def distinct_names(texts: Iterable[str], limit: int = 80,
                   shown: Callable[[str], str] | None = None) -> dict[str, str]:
    """Maps each distinct text to a safe name, no two alike. Texts whose safe names collide
    (甲局/乙 and 甲局:乙) all get a hash of their own text appended: the result does not
    depend on the order they come in. Comparison ignores case, as some file systems do.
    `shown(text)` is what the name is made from (a file's stem), the text itself by default."""
    shown = shown or (lambda text: text)
    groups: dict[str, list[str]] = defaultdict(list)
    for text in dict.fromkeys(texts):
        groups[safe_name(shown(text), limit).casefold()].append(text)
    names: dict[str, str] = {}
    for members in groups.values():
        if len(members) == 1:
            names[members[0]] = safe_name(shown(members[0]), limit)
            continue
        for text in members:
            base = safe_name(shown(text), max(1, limit - 9))
            names[text] = f"{base}-{short_hash(text)}"
    return names


def distinct_stems(paths: Iterable[str]) -> dict[str, str]:
    """Each input path → a safe file stem; same-named files in different folders differ."""
    return distinct_names(paths, shown=lambda path: PurePath(path.replace("\\", "/")).stem)


# Excel refuses these in a sheet title (openpyxl raises ValueError: a traceback, exit 70)
_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
MAX_SHEET_TITLE = 31
_RESERVED_SHEET_TITLES = {"history"}  # Excel keeps "History" for change tracking


def sheet_title(text: str, used: set[str] | None = None) -> str:
    """The one way a sheet title is made from user text (a CSV file's name, an agency, a
    sheet name read from a crafted workbook): no character Excel forbids (\\ / ? * [ ] :,
    controls), no leading or trailing apostrophe, at most 31 characters, never empty, and,
    with `used` (case-folded titles already in the workbook, updated here), unique in it."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", text or "") if not _invisible(ch))
    base = _SHEET_FORBIDDEN.sub("_", text).strip().strip("'").strip()[:MAX_SHEET_TITLE].strip() or "Sheet"
    if base.casefold() in _RESERVED_SHEET_TITLES:
        base += "_"
    title, n = base, 2
    while used is not None and title.casefold() in used:
        suffix = f"({n})"
        title, n = base[:MAX_SHEET_TITLE - len(suffix)] + suffix, n + 1
    if used is not None:
        used.add(title.casefold())
    return title
