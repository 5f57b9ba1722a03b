"""Ctrl-C ends a run at once, whenever it comes, with exit 130 and no traceback.

Three things used to keep an interrupted `build` alive: a legacy-.xls reader child blocked
writing its result to a parent that had stopped reading (fixed in ingest/workbook.py),
`dot` and `rsvg-convert` processes the pool's threads waited on, and the interpreter's own
exit joining worker threads whose start the signal had cut short. Here: the tools are killed
the moment the signal arrives, and the process ends without joining threads that will
never finish. Everything the run staged is removed by the context managers on the way out
(output.staged), before `exit_interrupted` is reached.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

from .errors import EXIT_INTERRUPTED

MESSAGE = "已中断；输入文件未被修改，原有输出保持不变。"


def _early(signum, frame) -> None:  # noqa: ARG001 – signal handler signature
    # nothing has been read or written yet: say so and end, without a traceback
    try:
        os.write(2, (MESSAGE + "\n").encode("utf-8"))
    finally:
        os._exit(EXIT_INTERRUPTED)


def guard_startup() -> None:
    """Installed before the heavy imports of the command line (typer, rich, the readers):
    a Ctrl-C in that first quarter second used to print an import traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _early)


# What to stop on Ctrl-C, registered by whoever starts outside work (render/system.py for
# dot and rsvg-convert). The handler imports nothing: a signal that lands in the middle of
# an import would otherwise meet a half-initialised module (an ImportError, exit 70).
_stoppers: list = []


def on_interrupt(stop) -> None:
    if stop not in _stoppers:
        _stoppers.append(stop)


_interrupted = False


def was_interrupted() -> bool:
    """Whether Ctrl-C came: typer turns the KeyboardInterrupt into a plain exit code 130,
    which must end the same way (message, no waiting on threads)."""
    return _interrupted


def _on_interrupt(signum, frame) -> None:  # noqa: ARG001
    global _interrupted
    _interrupted = True
    for stop in list(_stoppers):
        stop()  # the threads waiting on dot / rsvg-convert return now
    raise KeyboardInterrupt


def install() -> None:
    """The run's own handler: kill the rendering tools, then unwind as KeyboardInterrupt so
    every staging folder and lock is released by its context manager."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_interrupt)


def exit_interrupted(say, grace: float = 2.0) -> None:
    """Says the run was interrupted and ends the process with 130. Worker threads get
    `grace` seconds to finish their clean-up (their tools are dead by now); a thread that
    would never end (a pool worker whose start the signal interrupted waits for work for
    ever) no longer keeps the process alive."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C during clean-up changes nothing
    say(MESSAGE)
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 – a closed pipe: nothing more to say
            pass
    os._exit(EXIT_INTERRUPTED)
