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

Its layout: a line with the length of the compressed header, the header (zlib: the registry's
digest, its name index and 国务院令 numbers, each block's first title, offset and length, the
body's CRC), then the body: the lines "title<TAB>its versions' entries as JSON", in title
order, compressed in blocks of BLOCK titles. A run decompresses the header and the blocks of
the titles it cites, not the 14 MB of every title (that took most of the index's load).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from .registry import _SUPPLEMENTS, DATA, Law, LawVersion, Registry, _find, bundled_payload, default_registry, \
    load_registry

INDEX = Path(__file__).with_name("registry-laws.gz")


# titles per compressed block: a block of 64 decompresses in a tenth of a millisecond, and
# compresses about as well as the whole body at once
BLOCK = 64


class _Entries:
    """Title → its versions' entries as JSON bytes, from the compressed block that holds it."""

    def __init__(self, body: bytes, blocks: list[list]):
        self._body = body
        self._firsts = [first for first, _offset, _length in blocks]
        self._spans = [(offset, length) for _first, offset, length in blocks]
        self._decoded: dict[int, dict[str, bytes]] = {}

    def __getitem__(self, title: str) -> bytes:
        block = bisect_right(self._firsts, title) - 1
        if block < 0:
            raise KeyError(title)
        if block not in self._decoded:
            offset, length = self._spans[block]
            lines = zlib.decompress(self._body[offset:offset + length]).split(b"\n")
            self._decoded[block] = {key.decode("utf-8"): value for key, value in (line.split(b"\t", 1) for line in lines)}
        return self._decoded[block][title]


class _Laws(dict):
    """Title → Law, made from its versions' registry entries when first asked for."""

    def __init__(self, entries: _Entries, decrees: list[tuple[int, str]]):
        super().__init__()
        self._entries = entries
        self._decrees = decrees

    def __missing__(self, title: str) -> Law:
        versions = [LawVersion(**entry) for entry in json.loads(self._entries[title])]
        law = self[title] = Law(title, versions, self._decrees)
        return law


class LawIndex:
    """`find` as Registry.find, over the laws of registry-laws.gz."""

    def __init__(self, names: dict[str, str], entries: _Entries, decrees: list[list]):
        self._names = names
        self.laws = _Laws(entries, [(number, date) for number, date in decrees])

    def find(self, title: str, where: str | None = None) -> Law | None:
        return _find(self._names, self.laws, title, where)


def _registry_digest() -> str:
    return hashlib.sha256(DATA.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _law_index() -> LawIndex | None:
    try:
        size, _, rest = INDEX.read_bytes().partition(b"\n")
        header = json.loads(zlib.decompress(rest[:int(size)]))
        if header.get("registry") != _registry_digest():
            return None  # registry.json.gz was rebuilt since
        body = rest[int(size):]
        if zlib.crc32(body) != header["crc"]:
            return None  # damaged: found now, not when a block is first read
        return LawIndex(header["names"], _Entries(body, header["blocks"]), header["decrees"])
    except (OSError, ValueError, EOFError, AttributeError, KeyError, TypeError, zlib.error):
        return None  # missing or broken: the whole registry answers


def citing_laws() -> Registry | LawIndex:
    """Where a cited title's law is looked up: the whole registry when it is loaded already
    or carries supplements (--laws), else this index while it is current."""
    if _SUPPLEMENTS or default_registry.cache_info().currsize:
        return default_registry()
    return _law_index() or default_registry()


def index_bytes(registry: Registry, entries: list[dict], digest: str) -> bytes:
    """The header (the registry's digest, its name index and 国务院令 numbers, the blocks), then
    per title a line "title<TAB>its versions' entries", in the order Registry keeps them (by
    version date, as the bundled file lists them within one date), in compressed blocks."""
    decrees = next(iter(registry.laws.values())).decrees if registry.laws else []
    by_title: dict[str, list[dict]] = {}
    for entry in entries:
        by_title.setdefault(entry["title"], []).append(entry)
    lines = []
    for title, versions in sorted(by_title.items()):
        assert "\t" not in title and "\n" not in title, title
        versions.sort(key=lambda entry: entry.get("version_date") or "")
        lines.append((title, f"{title}\t{_compact(versions)}"))
    body, blocks = bytearray(), []
    for start in range(0, len(lines), BLOCK):
        chunk = zlib.compress("\n".join(line for _title, line in lines[start:start + BLOCK]).encode("utf-8"), 9)
        blocks.append([lines[start][0], len(body), len(chunk)])
        body += chunk
    header = {"registry": digest, "names": dict(sorted(registry._names.items())),
              "decrees": [list(pair) for pair in decrees], "blocks": blocks, "crc": zlib.crc32(body)}
    packed = zlib.compress(_compact(header).encode("utf-8"), 9)
    return b"%d\n" % len(packed) + packed + bytes(body)


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # a JSON text never holds a raw line break


def write_index(target: Path = INDEX) -> None:
    """registry-laws.gz from the bundled registry.json.gz, byte for byte the same each time."""
    target.write_bytes(index_bytes(load_registry(), bundled_payload()["laws"], _registry_digest()))


if __name__ == "__main__":  # after scripts/build_registry.py: python -m powercat.law.law_index
    write_index()
    print(f"wrote {INDEX}")
