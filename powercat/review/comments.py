"""The cell comments (批注) an office wrote in its copy, read straight from the .xlsx parts:
loading the whole workbook with openpyxl for them took seconds per copy of a real list.
Legacy comments (xl/commentsN.xml) and threaded ones (xl/threadedComments/…) both count."""

from __future__ import annotations

import posixpath
import re
import zipfile

from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

MAX_PART_BYTES = 64 * 1024 * 1024
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")


def _attr(attrs: bytes, name: str) -> str | None:
    found = re.search(rb'\b' + name.encode() + rb'="([^"]*)"', attrs)
    return found.group(1).decode("utf-8", "replace") if found else None


def _rels(archive: zipfile.ZipFile, names: set[str], part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of a part's relationships."""
    folder, file = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    if rels not in names:
        return []
    found = []
    for attrs in _REL.findall(archive.read(rels)):
        target = _attr(attrs, "Target") or ""
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((_attr(attrs, "Id") or "", _attr(attrs, "Type") or "", resolved))
    return found


def _texts(xml: bytes) -> list[tuple[str, str, str]]:
    """(cell reference, author, text) of each comment of a comments part."""
    from defusedxml.ElementTree import fromstring

    root = fromstring(xml)
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    authors = [a.text or "" for el in root.iter() if local(el) == "authors" for a in el]
    found = []
    for el in root.iter():
        if local(el) not in ("comment", "threadedComment"):
            continue
        ref = el.get("ref") or ""
        # a threaded comment names its author by a person id: never powercat's, so it counts
        author_id = el.get("authorId") or ""
        author = authors[int(author_id)] if author_id.isdigit() and int(author_id) < len(authors) else ""
        text = "".join(t.text or "" for t in el.iter() if local(t) in ("t", "text"))
        found.append((ref, author, text))
    return found


def read_comments(path: str) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → (row, col), 0-based → comment text, leaving out powercat's own notes (author
    "powercat …"). Never raises: a part it cannot read adds nothing."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not any("comments" in n.lower() for n in names) or "xl/workbook.xml" not in names:
                return {}
            sheets = {rid: target for rid, _type, target in _rels(archive, names, "xl/workbook.xml")}
            for attrs in re.findall(rb"<(?:\w+:)?sheet\b([^>]*)/?>", archive.read("xl/workbook.xml")):
                name = _attr(attrs, "name")
                rid = _attr(attrs, "r:id")
                part = sheets.get(rid or "")
                if not name or not part or part not in names:
                    continue
                for _id, kind, target in _rels(archive, names, part):
                    if not kind.lower().endswith(("/comments", "/threadedcomment")) or target not in names:
                        continue
                    with archive.open(target) as stream:
                        xml = stream.read(MAX_PART_BYTES)
                    for ref, author, text in _texts(xml):
                        if not ref or not text.strip() or author.startswith("powercat"):
                            continue
                        letters, row = coordinate_from_string(ref.split(":")[0])
                        found.setdefault(_unescape(name), {})[(row - 1, column_index_from_string(letters) - 1)] = text
    except Exception:  # noqa: BLE001 – a damaged or hostile part: no comment claimed from it
        return found
    return found


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
