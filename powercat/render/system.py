"""What rendering needs from the system: Graphviz's `dot`, a Simplified-Chinese font and,
for booklets, librsvg's `rsvg-convert`.
Without the font `dot` still exits 0 and draws boxes instead of characters, so the font is
checked here, before any chart is drawn."""

from __future__ import annotations

import locale
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence

from ..errors import EXIT_MISSING_COMPONENT, PowercatError
from .dot import FONT


class MissingComponent(PowercatError, RuntimeError):
    exit_code = EXIT_MISSING_COMPONENT

    def __init__(self, message: str, install: str):
        super().__init__(message)
        self.install = install


def require_renderer(booklet: bool = True) -> None:
    """Raises MissingComponent naming what to install. Booklets also need `rsvg-convert`
    (librsvg2-bin), which sets all their pages in one pass."""
    if shutil.which("dot") is None:
        raise MissingComponent("找不到 Graphviz 的 dot 程序，无法绘制流程图", "sudo apt-get install graphviz")
    if shutil.which("fc-list") is None:
        raise MissingComponent("找不到 fontconfig（fc-list），无法确认中文字体", "sudo apt-get install fontconfig fonts-noto-cjk")
    try:
        families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        families = ""
    if FONT not in families:
        raise MissingComponent(f"没有安装中文字体“{FONT}”，流程图中的汉字会显示为方框", "sudo apt-get install fonts-noto-cjk")
    if booklet and shutil.which("rsvg-convert") is None:
        raise MissingComponent("找不到 rsvg-convert 程序，无法汇编流程图 PDF", "sudo apt-get install librsvg2-bin")


class RenderError(PowercatError, RuntimeError):
    """`dot` or `rsvg-convert` failed or was stopped; the message says why (exit 4)."""

    exit_code = EXIT_MISSING_COMPONENT


class ToolTimeout(RenderError):
    pass


# What a user may set for a very large batch or a slow machine: seconds one `dot` or
# `rsvg-convert` process may take, whatever its batch size.
TIMEOUT_VARIABLE = "POWERCAT_RENDER_TIMEOUT"

_running: dict[int, subprocess.Popen] = {}
_running_lock = threading.Lock()
_stopping = threading.Event()


def tool_timeout(base: float, per_item: float, items: int) -> float:
    """Generous by default (a stuck tool is rare; a slow machine is not): a base plus a share
    per chart or page. POWERCAT_RENDER_TIMEOUT (seconds) overrides it."""
    try:
        given = float(os.environ.get(TIMEOUT_VARIABLE, "") or "nan")
    except ValueError:
        given = float("nan")
    if given == given and given > 0:
        return given
    return base + per_item * max(0, items)


def run_tool(command: Sequence[str], timeout: float, env: dict[str, str] | None = None,
             cwd: str | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Runs a rendering tool in its own process group, never longer than `timeout` seconds.
    On timeout, or when this run is interrupted (Ctrl-C: `stop_tools`), the whole group is
    killed, so a stuck `dot` never hangs a build and nothing is left running. With `stdin`,
    those bytes are the tool's input and its stdout comes back as bytes (stderr as text)."""
    if stdin is None:
        return _run(command, timeout, env, cwd, stdout=subprocess.PIPE, text=True, errors="replace")
    # unnamed temporary files rather than pipes: through a pipe a megabyte of SVG comes 4 KB
    # at a time, each a wake-up of this process
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as taken:
        given.write(stdin)
        given.seek(0)
        proc = _run(command, timeout, env, cwd, stdin=given, stdout=taken)
        taken.seek(0)
        stderr = proc.stderr.decode(locale.getpreferredencoding(False), errors="replace")  # as text mode would
        return subprocess.CompletedProcess(proc.args, proc.returncode, taken.read(), stderr)


def _run(command: Sequence[str], timeout: float, env: dict[str, str] | None, cwd: str | None,
         **streams) -> subprocess.CompletedProcess:
    if _stopping.is_set():
        raise RenderError("已中断")
    proc = subprocess.Popen(list(command), stderr=subprocess.PIPE, env=env, cwd=cwd, process_group=0, **streams)
    with _running_lock:
        _running[proc.pid] = proc
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        name = os.path.basename(str(command[0]))
        raise ToolTimeout(f"{name} 运行超过 {timeout:.0f} 秒仍未结束，已终止（图形过于复杂或程序卡住；"
                          f"可用环境变量 {TIMEOUT_VARIABLE} 设置秒数）") from None
    except BaseException:
        _kill(proc)
        proc.wait()
        raise
    finally:
        with _running_lock:
            _running.pop(proc.pid, None)
    if _stopping.is_set():
        raise RenderError("已中断")
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    except OSError:
        proc.kill()


def stop_tools() -> None:
    """Kills every rendering tool still running and refuses new ones: called on Ctrl-C, so
    that the threads waiting on them return at once instead of keeping the run alive."""
    _stopping.set()
    kill_tools()


def kill_tools() -> None:
    """Kills every rendering tool still running (a batch failed: the others are moot)."""
    with _running_lock:
        procs = list(_running.values())
    for proc in procs:
        _kill(proc)


def _register_stop() -> None:
    from ..interrupt import on_interrupt

    on_interrupt(stop_tools)


_register_stop()


def allow_tools() -> None:
    """A new render may start tools again (after an interrupted one in the same process)."""
    _stopping.clear()
