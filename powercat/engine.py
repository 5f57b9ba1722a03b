"""Where the work runs: this machine, or an existing Dask distributed cluster.

`--executor local` (the default) reads files one after another and renders charts on a
thread pool of `dot` processes. `--executor dask://HOST:PORT` connects to a running Dask
scheduler and sends it, as plain `concurrent.futures` work:

- reading: one task per input file; the workbook's bytes are read by the worker, which
  returns the parsed file (powers and positions) to the client;
- checking: one task per file for the per-power rules, then one per file for its annotated
  copy; the rules that need the whole catalogue (duplicate codes, overlaps between
  agencies) run on the client;
- rendering: one task per batch of 40 charts, which makes their process graphs and DOT text
  and runs `dot`, then one task per agency booklet (`rsvg-convert`); the worker writes
  straight into the build's staging folder, so
  **the output folder and the inputs must be on a file system every worker sees** (the
  same machine, NFS …), and every worker needs Graphviz, librsvg2-bin and fonts-noto-cjk.
  Set `DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH=20` on the scheduler and workers too.

Dask is optional (`pip install 'powercat[dask]'`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor

from .errors import EXIT_MISSING_COMPONENT, EXIT_USAGE, PowercatError


class EngineError(PowercatError):
    exit_code = EXIT_MISSING_COMPONENT  # 2: a bad option; 4: Dask missing or unreachable


def parse(spec: str | None) -> str | None:
    """None for local work, else the scheduler address (tcp://HOST:PORT)."""
    if not spec or spec == "local":
        return None
    if spec.startswith("dask://"):
        address = spec.removeprefix("dask://")
        if ":" not in address:
            raise EngineError(f"--executor 应为 local 或 dask://主机:端口，收到 {spec}", EXIT_USAGE)
        return f"tcp://{address}"
    raise EngineError(f"--executor 应为 local 或 dask://主机:端口，收到 {spec}", EXIT_USAGE)


@contextlib.contextmanager
def executor(spec: str | None) -> Iterator[Executor | None]:
    """Yields None for local work, or a Dask client's Executor for the run's duration."""
    address = parse(spec)
    if address is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise EngineError("使用 Dask 集群需要安装可选依赖：pip install 'powercat[dask]'") from None
    import dask

    try:
        # distributed keeps each connection's last 1,000 messages for debugging, and each one
        # carries a batch's DOT text: up to a GB on the client. 20 is plenty to debug with.
        with dask.config.set({"distributed.admin.low-level-log-length": 20}):
            client = Client(address, timeout=20)
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"无法连接 Dask 调度器 {address}（{exc}）") from None
    try:
        # pure=False: tasks are keyed by a fresh id, not by hashing their arguments. Dask's
        # tokenize walks every field of every power (a 100,000-power check took 103 s and 3 GB
        # on the client, against 16 s locally), and our tasks write files: none may be merged
        yield client.get_executor(pure=False)
    finally:
        client.close()


class Inline(Executor):
    """Runs each task here, as it is submitted: local work that gains nothing from a thread
    (reading, checking, writing files is Python, held by the GIL). An error is raised at
    once, as a plain loop would raise it."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def tasks(executor: Executor | None) -> Executor:
    """Where per-file work goes: the cluster's executor, else here."""
    return executor if executor is not None else Inline()


@contextlib.contextmanager
def threads(executor: Executor | None, workers: int) -> Iterator[Executor]:
    """Where work that waits on subprocesses (`dot`, `rsvg-convert`) goes: the cluster's
    executor, else a pool of `workers` threads for as long as the block runs."""
    if executor is not None:
        yield executor
        return
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
