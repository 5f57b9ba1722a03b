"""What a chart or booklet is made from, as the parts of its cache key (see filecache.py).

A chart is made from its power's record (every field, its steps and problems), the agency,
phone, legal basis in short and derived limit the chart is given, the formats, and then by
code and tools: powercat's own code and bundled data (the process graph, the DOT text, the
law facts it consults), the law supplements of --laws, Graphviz, rsvg-convert and the CJK
font they draw with, and SOURCE_DATE_EPOCH (the date stamped into PDFs). Hashing the power
rather than its DOT text keeps the lookup cheap: making a graph and its DOT text costs about
10 ms a chart, which is the work the cache exists to skip. The code is hashed whole (any
change to powercat invalidates every entry): coarse, but it can never reuse a stale file.

The versions are computed once per run (`versions()`, by the stages; tests replace it) and
given to the renderer, which reads no law itself. The libraries powercat reads and writes
with (openpyxl, python-calamine, sqlite, chinese-calendar's holidays …) count as code too.

Work made from a whole catalogue (the findings, the catalogue files) is keyed by the pickle
of what it is made from (`content_digest`): every field of every record, cheaply (~0.1 s for
2,000 powers). Equal pickles are equal records; records equal but pickled apart (objects
shared differently) only make a miss.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from .. import filecache
from ..law import registry as law_registry
from ..render.dot import FONT

_PACKAGE = Path(__file__).resolve().parent.parent  # powercat/
# the runtime dependencies (pyproject.toml): a new version may read or write differently
_LIBRARIES = ("python-calamine", "openpyxl", "et_xmlfile", "defusedxml", "chinese-calendar", "networkx", "pypdf",
              "jinja2", "rapidfuzz", "olefile", "xlrd", "jieba", "sqlite-utils", "fonttools")


@functools.cache
def _code_digest() -> str:
    """Every file of the powercat package (code, law facts, templates), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(_PACKAGE)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _supplements_digest() -> str:
    digest = hashlib.sha256()
    for path in law_registry._SUPPLEMENTS:  # the --laws files this run lays over the registry
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(f"unreadable:{path}".encode())
    return digest.hexdigest()


def _tool(command: list[str]) -> str:
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return f"{command[0]}: missing"
    return (proc.stdout + proc.stderr).strip()


@functools.cache
def _tool_versions() -> dict[str, str]:
    return {
        "graphviz": _tool(["dot", "-V"]),
        "rsvg": _tool(["rsvg-convert", "--version"]),
        "font": _tool(["fc-match", "--format=%{family}|%{style}|%{file}|%{fontversion}", FONT]),
    }


@functools.cache
def _library_versions() -> dict[str, str]:
    found = {"python": sys.version, "sqlite": sqlite3.sqlite_version}
    for name in _LIBRARIES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def code() -> dict[str, str]:
    """What every made file depends on: powercat's code and data, the libraries it runs on,
    the --laws supplements, and the PDF date (a workbook needs no more)."""
    return {"code": _code_digest(), **_library_versions(), "laws": _supplements_digest(),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}


def content_digest(value: object) -> str:
    """The sha256 of a value's pickle (records, a catalogue's files): see filecache.digest."""
    return filecache.digest(value)


@functools.cache
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_digest(path: str | os.PathLike) -> str:
    """The sha256 of an input file's bytes (once per run per file)."""
    info = os.stat(path)
    return _file_digest(os.fspath(path), info.st_size, info.st_mtime_ns)


def versions() -> dict[str, str]:
    """The code, data, tools and font the files are made with, and the PDF date."""
    return {**code(), **_tool_versions()}
