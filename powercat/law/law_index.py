"""The registry's laws by title, each title's versions decoded when it is first cited.

What a chart needs of the registry (law.procedure_facts.cited_articles): which law a cited
title means (`find`, with the locality rule), whether a dated or numbered citation cites
its latest version (`Law.identify`) and the law's short title. A run's charts cite a few
hundred of 17,000 titles, and loading the whole registry (18,000 versions, ~400,000
objects) was a tenth of the chart path; this index loads in hundredths of a second and
makes a title's `Law` only when asked for it: the same `LawVersion`s, in the same order,
with the same 国务院令 numbers, as `Registry` makes.

registry-laws.gz is made from registry.json.gz (`python -m powercat.law.law_index`,
after scripts/build_registry.py) and used only while the digest it records is that file's;
else, and whenever the whole registry is loaded already or carries supplements (--laws),
the whole registry answers.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .registry import _SUPPLEMENTS, DATA, Law, LawVersion, Registry, _find, bundled_payload, default_registry, \
    load_registry

INDEX = Path(__file__).with_name("registry-laws.gz")


class _Laws(dict):
    """Title → Law, made from its versions' registry entries when first asked for."""

    def __init__(self, entries: dict[bytes, bytes], decrees: list[tuple[int, str]]):
        super().__init__()
        self._entries = entries
        self._decrees = decrees

    def __missing__(self, title: str) -> Law:
        versions = [LawVersion(**entry) for entry in json.loads(self._entries[title.encode("utf-8")])]
        law = self[title] = Law(title, versions, self._decrees)
        return law


class LawIndex:
    """`find` as Registry.find, over the laws of registry-laws.gz."""

    def __init__(self, names: dict[str, str], entries: dict[bytes, bytes], decrees: list[list]):
        self._names = names
        self.laws = _Laws(entries, [(number, date) for number, date in decrees])

    def find(self, title: str, where: str | None = None) -> Law | None:
        return _find(self._names, self.laws, title, where)


def _registry_digest() -> str:
    return hashlib.sha256(DATA.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _law_index() -> LawIndex | None:
    try:
        head, *lines = gzip.decompress(INDEX.read_bytes()).split(b"\n")
        header = json.loads(head)
        if header.get("registry") != _registry_digest():
            return None  # registry.json.gz was rebuilt since
        # one line per title, "title<TAB>its entries as JSON": split, not parsed, until the title is cited
        entries = dict(line.split(b"\t", 1) for line in lines)
        return LawIndex(header["names"], entries, header["decrees"])
    except (OSError, ValueError, EOFError, AttributeError, KeyError, TypeError):  # missing or broken: the whole registry answers
        return None


def citing_laws() -> Registry | LawIndex:
    """Where a cited title's law is looked up: the whole registry when it is loaded already
    or carries supplements (--laws), else this index while it is current."""
    if _SUPPLEMENTS or default_registry.cache_info().currsize:
        return default_registry()
    return _law_index() or default_registry()


def index_lines(registry: Registry, entries: list[dict], digest: str) -> list[str]:
    """A JSON header (the registry's digest, its name index and 国务院令 numbers), then per title
    a line "title<TAB>its versions' entries", in the order Registry keeps them (by version
    date, as the bundled file lists them within one date)."""
    decrees = next(iter(registry.laws.values())).decrees if registry.laws else []
    header = {"registry": digest, "names": dict(sorted(registry._names.items())),
              "decrees": [list(pair) for pair in decrees]}
    by_title: dict[str, list[dict]] = {}
    for entry in entries:
        by_title.setdefault(entry["title"], []).append(entry)
    lines = [_compact(header)]
    for title, versions in sorted(by_title.items()):
        assert "\t" not in title and "\n" not in title, title
        versions.sort(key=lambda entry: entry.get("version_date") or "")
        lines.append(f"{title}\t{_compact(versions)}")
    return lines


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # a JSON text never holds a raw line break


def write_index(target: Path = INDEX) -> None:
    """registry-laws.gz from the bundled registry.json.gz, byte for byte the same each time."""
    text = "\n".join(index_lines(load_registry(), bundled_payload()["laws"], _registry_digest()))
    target.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))


if __name__ == "__main__":  # after scripts/build_registry.py: python -m powercat.law.law_index
    write_index()
    print(f"wrote {INDEX}")
