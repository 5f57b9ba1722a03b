"""A content-addressed cache of made files, so that a rebuild redoes only what changed.

An entry is the set of files one piece of work made (a chart's SVG and PDF, a booklet),
filed under a key: the sha256 of everything the files are made from (see pipeline.keys).
A later run that computes the same key copies the files instead of making them again; a
changed input changes the key, and the work is done again. Nothing here knows what the
files are: any format whose inputs go into its key can be cached.

The cache lives beside the output folder, `.OUT.powercat-cache` (see `beside`): not inside
it, because OUT is built in a staging folder and swapped in whole, and a failed run drops
its staging folder (the cache must outlive both); not under public/, so it is never
uploaded. It is used under OUT's lock. Entries are written into `.incoming/` and renamed
into place complete, so an interrupted run never leaves half an entry; a run that fails
deletes nothing. After a successful run `prune` drops the entries it did not use, so the
cache holds one build's worth of files. Every failure to read or write the cache is a miss,
never an error: the work is simply done again. Each file's sha256 is kept in its entry's meta
and checked as it is copied out, so a truncated or damaged entry is a miss too.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

from .output import MARKER

SUFFIX = "powercat-cache"
_META = "meta.json"
_FORMAT = 2  # entries of format 1 had no sha256 of their files: a miss, made again
# Free space an entry must leave on the cache's disk: the outputs share it, and a build that
# fills the disk with its cache fails on its own outputs (an entry not stored is only a miss
# next time).
RESERVE_BYTES = 512 * 2**20


def beside(out: str | os.PathLike) -> Path:
    """Where OUT's cache lives: a hidden sibling, on OUT's file system and under its lock."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.{SUFFIX}"


def make_key(*parts: object) -> str:
    """The sha256 of the parts (JSON-able: strings, numbers, lists, dicts), in order."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(value: object) -> str:
    """The sha256 of a value's pickle (a record, a catalogue's files): all of its fields, ~10×
    cheaper than its canonical JSON form. The pickler's memo is off (`fast`): with it, an
    object met twice is written once and then referred to, so equal records read apart (a
    warm Dask worker's memoised cell text shared, a cold one's not) would pickle differently
    and never hit. Equal pickles are equal records; what cannot be pickled so (a cycle, an
    unpicklable part) gets a key no entry has: a miss, never a wrong hit."""
    sink = hashlib.sha256()
    pickler = pickle.Pickler(_Feed(sink), protocol=5)
    pickler.fast = True
    try:
        pickler.dump(value)
    except (RecursionError, pickle.PicklingError, TypeError, AttributeError, ValueError):
        return "uncacheable-" + os.urandom(16).hex()
    return sink.hexdigest()


class _Feed:
    """A file that only feeds what is written to it into a digest (no pickle held in memory)."""

    def __init__(self, sink):
        self.write = sink.update


def record(value: object) -> str:
    """A record (a power with its steps, any dataclass) as a key part: its digest."""
    return digest(value)


def _relative(name: object) -> bool:
    """A plain relative path (as `store_named` files them): never absolute, never `..`."""
    if not isinstance(name, str) or not name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _suffix(path: str) -> str:
    """`Path(path).suffix` without building a Path (what an entry's files are named by)."""
    name = os.path.basename(path.rstrip("/"))
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _place(source: str, data: bytes, target: str) -> None:
    """Puts an entry's file at `target`: a hard link to it (no bytes written, and the previous
    tree's unlink at the swap frees nothing), a copy where the file system refuses links
    (another device, too many links, no link support). Safe because nothing powercat writes
    is ever opened in place: every output is a fresh file in the staging folder, made by
    write + rename (output.replaced) or written once where nothing stood, so no write ever
    reaches the inode the entry (and the previous tree) share. An output edited in place by
    hand changes the entry too; its sha256, checked on every fetch, then makes it a miss.
    The link is tried first and only a failure is looked into (a file in the way, a missing
    folder, no links here): the usual case is one system call."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        os.unlink(target)  # never written through: it may be another entry's link
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    except OSError:
        pass  # no link here: copied below
    try:
        os.link(source, target)
    except FileExistsError:
        raise  # put there meanwhile: a miss
    except OSError:
        if os.path.lexists(target):
            os.unlink(target)  # written fresh, never through a file another entry may share
        with open(target, "wb") as handle:
            handle.write(data)


def _followed(*folders: Path) -> bool:
    """Whether any of these folders inside the cache is a symlink (planted: powercat makes
    none), which writing or reading through would follow out of the cache."""
    return any(folder.is_symlink() for folder in folders)


class FileCache:
    """`fetch(key, targets)` puts an entry's files at `targets` and returns its meta, or None
    when it has none; `store(key, files, meta)` files them. `hits` and `misses` count the
    lookups."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._root = os.fspath(self.root.absolute())  # fetch joins strings (see fetch)
        # a symlink planted in its place (to an input, to /) is never followed: no cache then
        self.usable = not self.root.is_symlink()
        self.used: set[str] = set()
        self.kept: set[str] = set()  # not fetched this run, but not to be pruned either (see keep)
        self.hits = self.misses = 0
        self.not_stored = 0  # entries left out for want of disk space (see RESERVE_BYTES)
        self.started = time.time()

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    @staticmethod
    def _names(targets: Sequence[str | os.PathLike]) -> list[str]:
        return [f"{i}{_suffix(os.fspath(target))}" for i, target in enumerate(targets)]

    def peek(self, key: str) -> dict | None:
        """The meta an entry was stored with, without its files (None: no entry). For work
        whose file names are only known once made (the catalogue files): they go in its meta."""
        try:
            if not self.usable:
                return None
            stored = json.loads((self._entry(key) / _META).read_text(encoding="utf-8"))
            return stored.get("meta") or {} if stored.get("format") == _FORMAT else None
        except (OSError, ValueError, AttributeError):
            return None

    def fetch(self, key: str, targets: Sequence[str | os.PathLike]) -> dict | None:
        """Copies the entry's files to `targets` (in the order they were stored) and returns
        its meta (a dict); None when there is no complete, intact entry (a miss). Each file is
        checked against the size and sha256 it was stored with, so a truncated or damaged
        entry is a miss (and what it had copied is removed), never a wrong output. Written
        with os calls on strings, not pathlib: a rebuild fetches one entry per power page and
        chart, and pathlib's parsing cost more than the link itself (i24e-rebuild.md)."""
        entry = os.path.join(self._root, key[:2], key)
        written: list[str] = []
        try:
            if not self.usable or os.path.islink(os.path.dirname(entry)) or os.path.islink(entry):
                raise FileNotFoundError(entry)
            with open(os.path.join(entry, _META), "rb") as handle:
                stored = json.loads(handle.read())
            sums = stored.get("sha256") or []
            if stored.get("format") != _FORMAT or stored.get("files") != len(targets) or len(sums) != len(targets):
                raise FileNotFoundError(entry)
            for i, (target, expected) in enumerate(zip(targets, sums)):
                target = os.fspath(target)
                source = os.path.join(entry, f"{i}{_suffix(target)}")
                # not through a link: a link would be placed as the link, not as the file checked
                descriptor = os.open(source, os.O_RDONLY | _NOFOLLOW)
                with open(descriptor, "rb") as handle:
                    data = handle.read()
                if hashlib.sha256(data).hexdigest() != expected:
                    raise ValueError(f"{source}: damaged")
                written.append(target)
                _place(source, data, target)
        except (OSError, ValueError, AttributeError, TypeError):
            for target in written:  # half an entry is no entry: the work is done again
                try:
                    os.unlink(target)
                except OSError:
                    pass
            self.misses += 1
            return None
        self.used.add(key)
        self.hits += 1
        return stored.get("meta") or {}

    def store(self, key: str, files: Sequence[str | os.PathLike], meta: dict | None = None) -> None:
        """Files copies of `files` under `key`, complete or not at all."""
        entry = self._entry(key)
        # filed or fetched already in this run (two charts of the same power); an entry that
        # was there but missed (damaged, of an older format) is replaced
        if not self.usable or key in self.used:
            return
        if not self._room_for(files):
            self.not_stored += 1
            return
        self.used.add(key)
        incoming = self.root / ".incoming" / f"{key}-{os.getpid()}"
        if _followed(incoming.parent, entry.parent):
            return  # a planted symlink would have the entry written wherever it points
        try:
            self._mark()
            shutil.rmtree(incoming, ignore_errors=True)
            incoming.mkdir(parents=True)
            sums = []
            for name, source in zip(self._names(files), files):
                data = Path(source).read_bytes()
                sums.append(hashlib.sha256(data).hexdigest())
                (incoming / name).write_bytes(data)
            # the meta last: an entry is complete once it has one
            (incoming / _META).write_text(json.dumps({"format": _FORMAT, "files": len(files), "sha256": sums,
                                                      "meta": meta or {}}, ensure_ascii=False), encoding="utf-8")
            entry.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(entry, ignore_errors=True)  # an incomplete one an older run left
            incoming.rename(entry)
        except OSError:
            shutil.rmtree(incoming, ignore_errors=True)

    def _room_for(self, files: Sequence[str | os.PathLike]) -> bool:
        """Whether filing these files leaves RESERVE_BYTES free on the cache's disk (unknown:
        yes, and a failed write is a miss as any other)."""
        try:
            size = sum(os.stat(f).st_size for f in files)
            disk = os.statvfs(self.root if self.root.is_dir() else self.root.parent)
        except OSError:
            return True
        return disk.f_bavail * disk.f_frsize - size >= RESERVE_BYTES

    def fetch_named(self, key: str, folder: str | os.PathLike,
                    accept: Callable[[dict], bool] = lambda _meta: True) -> dict | None:
        """`fetch` for an entry filed by `store_named`: its files are put back under `folder`
        by the names they were filed with. An entry whose meta `accept` refuses is a miss
        before any file is placed: the work that then writes these names afresh never
        writes into a linked entry's file."""
        meta = self.peek(key) or {}
        names = meta.get("names")
        if not isinstance(names, list) or not all(_relative(name) for name in names) or not accept(meta):
            self.misses += 1  # no entry, a name that would lead out of the folder, a meta not understood
            return None
        return self.fetch(key, [Path(folder) / name for name in names])

    def store_named(self, key: str, folder: str | os.PathLike, names: Sequence[str], meta: dict | None = None) -> None:
        """Files `names` (paths relative to `folder`) under `key`, their names with them: for
        work whose files are only known once it is done."""
        self.store(key, [Path(folder) / name for name in names], {**(meta or {}), "names": list(names)})

    def keep(self, keys: Sequence[str]) -> None:
        """Keeps these entries through `prune` without fetching them: parts of work this run
        took whole from another entry (each file's findings, under the whole catalogue's),
        which the next run may need one by one."""
        self.kept.update(keys)

    def _mark(self) -> None:
        """The output marker: a cache beside an --out inside the lists' folder holds
        annotated copies (.xlsx), and the reader skips marked folders, so they are never
        read back as lists."""
        marker = self.root / MARKER
        if marker.is_symlink():
            marker.unlink()  # planted: writing the marker would follow it out of the cache
        if not marker.is_file():
            self.root.mkdir(parents=True, exist_ok=True)
            marker.write_text("powercat rebuild cache: made files by content hash, never published, never read as lists\n"
                              "kind: cache\n", encoding="utf-8")

    def prune(self) -> int:
        """After a successful run: drops the entries this run did not use (and the leftovers
        of interrupted stores). Entries made after this run began are kept (another run's)."""
        dropped = 0
        if not self.usable or not self.root.is_dir():
            return dropped
        shutil.rmtree(self.root / ".incoming", ignore_errors=True)
        for shard in self.root.iterdir():
            if shard.name == ".incoming" or not shard.is_dir() or shard.is_symlink():
                continue
            for entry in shard.iterdir():
                try:
                    if entry.name in self.used or entry.name in self.kept or entry.stat().st_mtime >= self.started:
                        continue
                except OSError:
                    continue
                shutil.rmtree(entry, ignore_errors=True)
                dropped += 1
            try:
                shard.rmdir()  # only when empty
            except OSError:
                pass
        return dropped

    def __len__(self) -> int:
        if not self.root.is_dir():
            return 0
        return sum(1 for shard in self.root.iterdir() if shard.name != ".incoming" and shard.is_dir()
                   for _entry in shard.iterdir())
