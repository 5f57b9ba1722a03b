"""Where the site's power pages are written, and which of them need writing at all.

A power page (with its 办事指南) is Python work: a template, the guide's process graph,
the chart's SVG read and inlined. On one machine the pages go to a pool of worker
processes (`workers`, as the charts use), so both cores write pages while this process
writes the index, the search shards and the agency pages; a cluster's executor gets the
same tasks. A small site is written here: starting the workers would cost more than it
saves.

With a FileCache (a rebuild, see filecache.py) a page is looked up by everything it is
made from (`page_key`) and copied from the cache when found; only the others are written,
then filed. The lookups and filings happen in this process, so the cache knows every key
the run used (and `prune` keeps them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

from ..engine import Inline
from ..filecache import FileCache, make_key, record as record_part

POOLED_FROM = 400  # pages: below this, starting worker processes costs more than it saves
CHUNK = 250  # pages per task: small enough that two workers end together
_START = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _ignore_sigint() -> None:
    # Ctrl-C is the parent's to handle (exit 130, no traceback); a worker just stops with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def page_pool(executor: Executor | None, workers: int, pages: int) -> Iterator[Executor]:
    """The cluster's executor; else `workers` processes; else here. The workers are forked:
    they start with the code and the law registry loaded, and never re-run the caller's main
    script (a spawned worker would, unguarded). They only render and write files, so the
    parent's other threads (the progress display) hold nothing they need."""
    if executor is not None:
        yield executor
        return
    if workers < 2 or pages < POOLED_FROM:
        yield Inline()
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(_START),
                               initializer=_ignore_sigint)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def chunks(items: Sequence) -> list[Sequence]:
    """`items` in tasks of CHUNK."""
    return [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]


def page_key(stamp: dict, record, context: dict, power_digest: str | None = None) -> str:
    """A power page is made from its public record (every field, the agency, the id), the
    gate's verdict (always public here: only public records reach the site, and a withheld
    power's key could never match a public one's), what the page links to and shows beside
    the record (`context`: chart digest and hrefs, booklet, guide links, case figures, the
    site title, the agency's slug and level tag), and the code and templates (`stamp`).
    `power_digest`: filecache.record(record.power), when the chart stage made it already;
    the record's other fields are then pickled without the power (a few bytes)."""
    if power_digest is None:
        made_from = record_part(record)
    else:
        made_from = ["power", power_digest, record_part(dataclasses.replace(record, power=None))]
    return make_key("site-page", stamp, made_from, {"withheld": record.power.is_withheld}, context)


def cached(cache: FileCache, keyed: Sequence[tuple], targets: Callable[[object], list]) -> list:
    """Fetches each (record, key) entry from the cache into its targets; returns the
    (record, key) pairs that were not found (still to write)."""
    return [(rec, key) for rec, key in keyed if cache.fetch(key, targets(rec)) is None]
