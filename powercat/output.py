"""Output folders that never lose what was there.

Every command that writes a folder (`build`, `catalogue`, `flowchart`) goes through here:

- the target is checked first: an existing *file* is refused and left where it is; an
  existing folder that holds something other than powercat's outputs is refused, so that
  `--out ~/Desktop` can never replace a desktop;
- one writer at a time: a lock beside the folder (`.NAME.lock`); a second run stops with a
  message instead of racing the first;
- everything is built in a hidden sibling folder and swapped in at the end, so an
  interrupted or failed run (disk full, read-only target, a failing `dot`) leaves the
  previous outputs exactly as they were; the next run clears what an interrupted one left.

Failures become `OutputError`s carrying a Chinese message and the exit code to use.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

EXIT_USAGE, EXIT_OUTPUT = 2, 5
MARKER = ".powercat-output"
# What an output folder of any powercat version may hold besides the marker.
KNOWN_ENTRIES = frozenset({
    MARKER, "public", "internal", "review", "flowcharts", "catalogue", "site", "标准模板.xlsx",
    "行政权力事项目录.xlsx", "catalogue.csv", "catalogue.json", "datapackage.json", "catalogue.sqlite",
    "catalogue-data.csv", "catalogue.db", "metadata.json",
})


class OutputError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_OUTPUT):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def os_error_message(exc: OSError, target: str | os.PathLike) -> str:
    """A Chinese sentence for a failed write, naming the place."""
    reasons = {
        errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "目标位于只读文件系统",
        errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENAMETOOLONG: "文件名过长",
        errno.EMFILE: "打开的文件过多", errno.EIO: "磁盘读写错误", errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EEXIST: "已有同名的文件", errno.EISDIR: "这是一个文件夹，请给出文件名", errno.ENOENT: "路径不存在",
    }
    reason = reasons.get(exc.errno, exc.strerror or type(exc).__name__)
    where = getattr(exc, "filename2", None) or exc.filename or target
    return f"无法写入输出（{reason}）：{where}"


def check_target(out: Path) -> None:
    """Refuses a target that is a file, or a folder holding things powercat did not write."""
    if out.is_symlink() and not out.exists():
        raise OutputError(f"--out 指向一个失效的符号链接：{out}", EXIT_USAGE)
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out 指向已存在的文件而不是文件夹：{out}。该文件未作任何改动；请另指定一个文件夹", EXIT_USAGE)
    if out.is_dir():
        try:
            entries = {entry.name for entry in out.iterdir()}
        except OSError as exc:
            raise OutputError(os_error_message(exc, out)) from None
        if entries and MARKER not in entries and not entries <= KNOWN_ENTRIES:
            strange = "、".join(sorted(entries - KNOWN_ENTRIES)[:3])
            raise OutputError(f"输出文件夹 {out} 中已有不是 powercat 生成的内容（{strange} …）。为免覆盖，"
                              "请指定一个新的或空的文件夹", EXIT_USAGE)


def _sibling(out: Path, kind: str) -> Path:
    return out.parent / f".{out.name}.{kind}-{os.getpid()}"


def clean_leftovers(out: Path) -> list[Path]:
    """Removes temporary folders of interrupted runs; if the previous outputs were moved
    aside and never replaced, puts them back. Only called under the lock."""
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if olds and not out.exists():
        olds[-1].rename(out)
        olds = olds[:-1]
    for leftover in [*out.parent.glob(f".{out.name}.building-*"), *olds]:
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed


def _swap(tmp: Path, out: Path) -> None:
    old = _sibling(out, "old")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One writer per output folder. The lock is an flock on `.NAME.lock` beside it: the
    kernel drops it when the process dies, so a killed run never leaves it held."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = open(out.parent / f".{out.name}.lock", "a+b")  # noqa: SIM115 – held for the block
    except OSError as exc:
        raise OutputError(os_error_message(exc, out.parent)) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"另一个 powercat 正在写入 {out}，请等它结束后再运行（两次构建不能同时写同一个输出文件夹）") from None
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yields an empty hidden sibling folder to build in; on success it replaces `out`
    whole. On any failure it is removed and `out` is untouched. Call under `locked`."""
    try:
        clean_leftovers(out)
        tmp = _sibling(out, "building")
        tmp.mkdir()
        (tmp / MARKER).write_text("powercat output folder: replaced whole by the next run\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(os_error_message(exc, out)) from None
    try:
        yield tmp
        _swap(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(os_error_message(exc, out)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def output_folder(out: str | os.PathLike) -> Iterator[Path]:
    """check_target + locked + staged: the one way a command writes a folder."""
    out = Path(out)
    check_target(out)
    with locked(out), staged(out) as tmp:
        yield tmp
