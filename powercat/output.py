"""The one way out: every file and folder powercat writes goes through here.

Folders (`build`, `catalogue`, `flowchart`, `cases --out`, `review --out`, `check --annotate`,
`template --from`)
go through `output_folder`, single files (`diff --out`, `stats --out`, `template`) through
`output_file`, and every workbook is saved with `save_workbook`:

- the target is checked first: an existing *file* where a folder is wanted is refused and left
  where it is; an existing folder that holds something other than powercat's outputs is
  refused, so that `--out ~/Desktop` can never replace a desktop; a folder another *kind* of
  command wrote is refused, so that `cases --out exports` never replaces a build;
- a target that is one of the command's inputs, lies inside an input folder or contains an
  input is refused: writing it would overwrite the input, delete it, or read the output back
  as an input next time;
- one writer at a time: a lock beside the folder (`.NAME.lock`); a second run stops with a
  message instead of racing the first;
- everything is built in a hidden sibling (folder or file) and swapped in at the end, so an
  interrupted or failed run (disk full, read-only target, a failing `dot`) leaves the
  previous outputs exactly as they were; the next run clears what an interrupted one left,
  matching its own leftovers exactly (never another output's).

Failures become `OutputError`s carrying a Chinese message and the exit code to use
(2: the target is refused, nothing written; 5: the write failed, nothing replaced).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import EXIT_OUTPUT, EXIT_USAGE, PowercatError

MARKER = ".powercat-output"
# What an output folder of any powercat version may hold besides the marker.
KNOWN_ENTRIES = frozenset({
    MARKER, "public", "internal", "review", "flowcharts", "catalogue", "site", "标准模板.xlsx",
    "行政权力事项目录.xlsx", "catalogue.csv", "catalogue.json", "datapackage.json", "catalogue.sqlite",
    "catalogue-data.csv", "catalogue.db", "metadata.json",
})
# The kinds of output folder, and the command a user would recognise each by. Each replaces
# only a folder of its own kind: `flowchart --out exports` never replaces a build.
KINDS = {
    "build": "powercat build",
    "flowchart": "powercat flowchart",
    "catalogue": "powercat catalogue",
    "cases": "powercat cases --out",
    "review": "powercat review --out",
    "annotate": "powercat check --annotate",
    "templates": "powercat template --from",
}
# Folders written before the marker named its kind, recognised by what they hold.
_REVIEW_ENTRIES = frozenset({MARKER, "确认清单", "备案登记表.xlsx", "调整对照表.xlsx", "清理统计.xlsx", "review.json"})
_ANNOTATED_SUFFIX = ".审查意见.xlsx"
_CHART_SUFFIXES = frozenset({".svg", ".pdf", ".png"})
# Why a write failed, in the words a user reads.
_ERRNO_REASONS = {
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "目标位于只读文件系统",
    errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENAMETOOLONG: "文件名过长",
    errno.EMFILE: "打开的文件过多", errno.EIO: "磁盘读写错误", errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "已有同名的文件", errno.EISDIR: "这是一个文件夹，请给出文件名", errno.ENOENT: "路径不存在",
}


class OutputError(PowercatError):
    """An output that may not or could not be written: 2 for where it was asked to go (an
    input, a foreign folder), 5 for what the system refused (disk full, read-only)."""

    exit_code = EXIT_OUTPUT


class WriteFailed(OutputError):
    """A write the system refused (exit 5), naming the file the user asked for: never the
    hidden temporary file it was being written as."""

    def __init__(self, error: OSError | WriteFailed, where: str | os.PathLike):
        self.errno, self.strerror = error.errno, error.strerror
        super().__init__(f"无法写入输出（{_reason(error)}）：{where}")

    def __reduce__(self):  # crosses process boundaries (Dask workers) as a plain OutputError
        return OutputError, (self.message, self.exit_code)


def _reason(exc: OSError | WriteFailed) -> str:
    return _ERRNO_REASONS.get(exc.errno, exc.strerror or type(exc).__name__)


def os_error_message(exc: OSError, target: str | os.PathLike) -> str:
    """A Chinese sentence for a failed write, naming the place."""
    where = getattr(exc, "filename2", None) or exc.filename or target
    return f"无法写入输出（{_reason(exc)}）：{where}"


# -- refusals ---------------------------------------------------------------------------------

def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare as written
        return Path(os.path.abspath(path))


def _same(a: Path, b: Path) -> bool:
    """The same file or folder: the same resolved path, or the same inode (a hard link, a bind mount)."""
    if _resolved(a) == _resolved(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def same_place(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two targets name one file: the same path, through a symlink, or a hard link."""
    return _same(Path(a), Path(b))


def refuse_inputs(target: str | os.PathLike, inputs: Iterable[str | os.PathLike], *, folder: bool,
                  inside_ok: bool = False) -> None:
    """Refuses (exit 2) a target that is one of the inputs, lies inside an input folder, or
    (for a folder, which is replaced whole) contains an input. `inside_ok` lets a marked
    output folder lie inside an input folder, for commands whose reader skips marked folders
    (`build data --out data/exports`)."""
    target = Path(target)
    where = _resolved(target)
    given = [Path(path) for path in dict.fromkeys(inputs) if Path(path).exists()]
    for path in given:  # the plainest reason first
        if _same(target, path):
            raise OutputError(f"输出 {target} 就是输入 {path}：写出会覆盖输入。输入未作任何改动；请另指定输出位置", EXIT_USAGE)
    for path in given:
        resolved = _resolved(path)
        if path.is_dir() and where.is_relative_to(resolved) and target.is_file():
            raise OutputError(f"输出 {target} 是输入文件夹 {path} 中已有的文件：写出会覆盖输入。输入未作任何改动；"
                              "请另指定输出位置", EXIT_USAGE)
        if path.is_dir() and where.is_relative_to(resolved) and not inside_ok:
            raise OutputError(f"输出 {target} 位于输入文件夹 {path} 之内：下次运行会把输出当作输入读入。"
                              "未写出任何内容；请把输出放在输入文件夹之外", EXIT_USAGE)
        if folder and resolved.is_relative_to(where):
            raise OutputError(f"输出文件夹 {target} 包含输入 {path}：替换输出文件夹会删除输入。"
                              "未写出任何内容；请另指定一个输出文件夹", EXIT_USAGE)


_MARKER_LIMIT = 1 << 20  # a marker lists a folder's top-level entries; never read a planted giant


def marker_text(marker: Path) -> str | None:
    """The text of a marker, or None when it is not a plain file (a directory, a symlink, a
    FIFO that would block a reader forever, a device): such a marker was not written by
    powercat, and the folder is not trusted as an output."""
    try:
        fd = os.open(marker, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(_MARKER_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return None
    finally:
        os.close(fd)


def read_marker(marker: Path) -> str:
    """The kind a marker names. A marker without a kind was written before kinds existed, when
    only build, catalogue and flowchart (and the first cases) wrote folders: it is taken as a
    build, so that the safe answer (refuse) is given to every other kind of command."""
    found = re.search(r"^kind:\s*(\S+)\s*$", marker_text(marker) or "", re.MULTILINE)
    return found.group(1) if found else "build"


def _listed_entries(text: str) -> set[str] | None:
    """The top-level entries a marker says its run wrote; None for markers older than the list."""
    if not re.search(r"^entries:\s*$", text, re.MULTILINE):
        return None
    return set(re.findall(r"^entry: (.+)$", text, re.MULTILINE))


def _legacy_strange(kind: str, out: Path, names: set[str]) -> set[str]:
    """For a marker that lists no entries: what does not look like that kind's output."""
    def chart_folder(name: str) -> bool:  # flowchart's `<agency>/`: charts only, never a folder of lists
        folder = out / name
        if not folder.is_dir() or folder.is_symlink():
            return False
        return all(p.suffix.lower() in _CHART_SUFFIXES for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())

    if kind == "build":  # build, catalogue, and flowchart's `<agency>/` folders and `<agency>.pdf` booklets
        return {n for n in names if n not in KNOWN_ENTRIES and not chart_folder(n) and not n.endswith(".pdf")}
    if kind == "cases":
        return names - {"public", "internal"}
    if kind == "review":
        return names - _REVIEW_ENTRIES
    if kind == "annotate":
        return {n for n in names if not n.endswith(_ANNOTATED_SUFFIX)}
    return names or {MARKER}


def strange_entries(out: Path, entries: set[str]) -> set[str]:
    """What a marked folder holds that its run did not write: anything there, when the marker
    is not a plain file. A marker is only a claim; the folder is replaced whole only when
    everything in it is what powercat wrote there (a planted or edited marker never makes a
    thesis deletable)."""
    text = marker_text(out / MARKER)
    if text is None:
        return {MARKER}
    names = entries - {MARKER}
    listed = _listed_entries(text)
    if listed is not None:
        return names - listed
    return _legacy_strange(read_marker(out / MARKER), out, names)


def folder_kind(out: Path, entries: set[str]) -> str | None:
    """Which command wrote this folder; None when it holds things powercat did not write."""
    if MARKER in entries:
        return None if strange_entries(out, entries) else read_marker(out / MARKER)
    if entries <= KNOWN_ENTRIES:
        return "build"
    if "review.json" in entries and entries <= _REVIEW_ENTRIES:
        return "review"
    if all(name.endswith(_ANNOTATED_SUFFIX) for name in entries):
        return "annotate"
    return None


def check_target(out: Path, kind: str = "build") -> None:
    """Refuses a target that is a file, a folder holding things powercat did not write, or a
    folder another kind of command wrote."""
    if out.is_symlink() and not out.exists():
        raise OutputError(f"输出文件夹 {out} 是一个失效的符号链接；请另指定一个文件夹", EXIT_USAGE)
    if out.exists() and not out.is_dir():
        raise OutputError(f"输出位置 {out} 是已存在的文件而不是文件夹。该文件未作任何改动；请另指定一个文件夹", EXIT_USAGE)
    if not out.is_dir():
        return
    try:
        entries = {entry.name for entry in out.iterdir()}
    except OSError as exc:
        raise OutputError(os_error_message(exc, out)) from None
    if not entries:
        return
    found = folder_kind(out, entries)
    if found is None:
        odd = strange_entries(out, entries) if MARKER in entries else entries - KNOWN_ENTRIES
        strange = "、".join(sorted(odd)[:3])
        raise OutputError(f"输出文件夹 {out} 中已有不是 powercat 生成的内容（{strange} …）。为免覆盖，"
                          "请指定一个新的或空的文件夹", EXIT_USAGE)
    if not _replaceable(found, kind, entries):
        hint = "；如需在构建成果中加入动态公开，请用 powercat build --registers" if kind == "cases" else ""
        raise OutputError(f"输出文件夹 {out} 是 {KINDS.get(found, found)} 的输出，{KINDS.get(kind, kind)} 不能替换它"
                          f"（替换会删除其中原有的成果）。未写出任何内容；请另指定一个文件夹{hint}", EXIT_USAGE)


def _replaceable(found: str, kind: str, entries: set[str]) -> bool:
    """Whether a command of `kind` may replace a folder of kind `found`. Before flowchart and
    catalogue had kinds of their own their folders were marked `build`: such a folder is
    theirs to replace, unless it holds a build's public/ or internal/."""
    if found == kind:
        return True
    return found == "build" and kind in ("flowchart", "catalogue") and not entries & {"public", "internal"}


def check_folder_target(out: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), kind: str = "build",
                        inside_ok: bool = False) -> None:
    """All refusals of `output_folder`, without writing anything: for commands that want to
    stop before reading their inputs."""
    raw = os.fspath(out)
    if not raw.strip():  # Path("") is the working folder: never meant as an output folder
        raise OutputError("输出文件夹名为空；请给出一个文件夹", EXIT_USAGE)
    if _CONTROL.search(raw):
        raise OutputError(f"输出文件夹名中含有换行或控制字符：{raw!r}；请给出普通的文件夹名", EXIT_USAGE)
    refuse_inputs(out, inputs, folder=True, inside_ok=inside_ok)
    check_target(Path(out), kind)


def refuse_inside_outputs(out: str | os.PathLike, what: str) -> None:
    """Refuses (exit 2) a target inside another powercat output folder (a build's public/, a
    review folder …): internal working copies never sit where a folder is uploaded whole."""
    here = _resolved(Path(out)).parent
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            raise OutputError(f"输出 {out} 位于 powercat 的输出文件夹 {folder} 之内：{what}不能放在那里"
                              "（构建成果的 public/ 会整体上传，下次构建也会替换它）。未写出任何内容；请另指定输出位置",
                              EXIT_USAGE)


# -- folders ----------------------------------------------------------------------------------

def _sibling(out: Path, what: str) -> Path:
    return out.parent / f".{out.name}.{what}-{os.getpid()}"


def _leftover_pattern(out: Path) -> re.Pattern:
    # exact: an output called `exp*` or `a` never matches `.exports.building-1` or `.a.b.old-2`
    return re.compile(r"\." + re.escape(out.name) + r"\.(building|old)-\d+")


def clean_leftovers(out: Path) -> list[Path]:
    """Removes temporary folders of interrupted runs; if the previous outputs were moved
    aside and never replaced, puts them back. Only called under the lock."""
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    pattern = _leftover_pattern(out)
    # only plain folders, as a run makes them: a planted symlink (to an input, to /) is never
    # restored as the output nor emptied
    matches = [(entry, found.group(1)) for entry in out.parent.iterdir()
               if (found := pattern.fullmatch(entry.name)) and _ours(entry)]
    olds = sorted((p for p, what in matches if what == "old"), key=lambda p: p.lstat().st_mtime)
    building = [p for p, what in matches if what == "building"]
    if olds and not out.exists() and not out.is_symlink():
        olds[-1].rename(out)
        olds = olds[:-1]
    for leftover in [*building, *olds]:
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed


def _ours(folder: Path) -> bool:
    try:
        return stat.S_ISDIR(folder.lstat().st_mode)
    except OSError:
        return False


def _swap(tmp: Path, out: Path) -> None:
    old = _sibling(out, "old")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One writer per output folder. The lock is an flock on `.NAME.lock` beside it: the
    kernel drops it when the process dies, so a killed run never leaves it held. The file is
    removed when the run ends (a killed run leaves it, harmless: it is only ever flocked)."""
    path = out.parent / f".{out.name}.lock"
    for _attempt in range(20):
        handle = _open_lock(out, path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise OutputError(f"另一个 powercat 正在写入 {out}，请等它结束后再运行（两次构建不能同时写同一个输出文件夹）") from None
        if _still_named(path, handle):
            break
        handle.close()  # the run before removed it after we opened it: lock the file there now
    else:
        raise OutputError(f"无法取得输出文件夹 {out} 的锁（锁文件 {path} 不断被替换），未写出任何内容；请稍后再运行")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if _still_named(path, handle):
                path.unlink()  # under the lock: a run waiting on this file finds it gone and retries
        handle.close()


def _open_lock(out: Path, path: Path):
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # never through a symlink (it would create or open a file elsewhere), never a FIFO or device
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise OutputError(f"锁文件 {path} 不是普通文件（符号链接、文件夹或管道），"
                              f"未写出任何内容；请删除它后再运行", EXIT_USAGE) from None
        raise WriteFailed(exc, out) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError(f"锁文件 {path} 不是普通文件（符号链接、文件夹或管道），"
                          f"未写出任何内容；请删除它后再运行", EXIT_USAGE)
    return os.fdopen(fd, "a+b")  # noqa: SIM115 – held for the block


def _still_named(path: Path, handle) -> bool:
    """Whether `path` is still the file `handle` holds (not removed or replaced meanwhile)."""
    try:
        named, held = os.stat(path, follow_symlinks=False), os.fstat(handle.fileno())
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


@contextlib.contextmanager
def _termination_interrupts() -> Iterator[None]:
    """SIGTERM (`kill`, a service stop, a CI timeout) ends Python without unwinding, so a
    half-written staging folder or temporary file would stay behind. While an output is being
    written it is raised as KeyboardInterrupt instead: the staging copy is removed, the
    earlier output stays, and the command ends as an interrupted one (exit 130)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _shown(message: str, staging: Path, out: Path) -> str:
    """Messages name the place the user asked for, not the hidden staging copy."""
    return message.replace(str(staging), str(out))


@contextlib.contextmanager
def staged(out: Path, kind: str = "build") -> Iterator[Path]:
    """Yields an empty hidden sibling folder to build in; on success it replaces `out`
    whole. On any failure it is removed and `out` is untouched. Call under `locked`."""
    try:
        clean_leftovers(out)
        tmp = _sibling(out, "building")
        tmp.mkdir()
        (tmp / MARKER).write_text(f"powercat output folder: replaced whole by the next run\nkind: {kind}\n",
                                  encoding="utf-8")
    except OSError as exc:
        raise WriteFailed(exc, out) from None
    try:
        yield tmp
        _list_entries(tmp, kind)
        _swap(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        # a WriteFailed keeps the errno (the CLI names the rebuild cache on a full disk)
        where = getattr(exc, "filename2", None) or exc.filename or out
        raise WriteFailed(exc, _shown(str(where), tmp, out)) from None
    except OutputError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        exc.message = _shown(exc.message, tmp, out)  # the same error (callers may catch a subclass)
        exc.args = (exc.message,)
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _list_entries(tmp: Path, kind: str) -> None:
    """The marker names what this run wrote at the top level: the next run replaces the folder
    only if nothing else has been put there (see `strange_entries`)."""
    names = sorted(entry.name for entry in tmp.iterdir() if entry.name != MARKER)
    (tmp / MARKER).write_text(f"powercat output folder: replaced whole by the next run\nkind: {kind}\nentries:\n"
                              + "".join(f"entry: {name}\n" for name in names), encoding="utf-8")


@contextlib.contextmanager
def output_folder(out: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                  kind: str = "build", inside_ok: bool = False) -> Iterator[Path]:
    """check_target + refuse_inputs + locked + staged: the one way a command writes a folder.
    `inputs` are the paths the command read (as given, and the files found in them); `kind`
    names the command (see KINDS) and is written into the folder's marker."""
    check_folder_target(out, inputs=inputs, kind=kind, inside_ok=inside_ok)  # as given: "" is not "."
    out = Path(out)
    with _termination_interrupts(), locked(out), staged(out, kind) as tmp:
        yield tmp


# -- single files -----------------------------------------------------------------------------

# What each kind of single-file output is called, for messages. A workbook powercat writes is
# stamped with its kind (`powercat:KIND` in its document properties, kept when Excel re-saves it).
FILE_KINDS = {"stats": "统计表", "adjustments": "调整对照表", "template": "空白模板"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def workbook_kind(path: Path) -> str | None:
    """The kind powercat stamped into a workbook it wrote; None for anything else (another
    program's workbook, a power list, a file that is not a workbook at all)."""
    import zipfile

    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 1 << 16:  # core properties are a few hundred bytes
                return None
            text = archive.read(info).decode("utf-8", errors="replace")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError, EOFError):
        return None
    found = re.search(r"<dc:identifier>powercat:(\w+)</dc:identifier>", text)
    return found.group(1) if found else None


def _refuse_odd_name(raw: str, target: Path, suffix: str | None) -> None:
    """Names no one means: empty, with a line break or control character, or ending in a
    slash (a folder was meant, the last part would be dropped silently)."""
    if not raw.strip():
        raise OutputError(f"输出文件名为空；请给出 {suffix or ''} 文件名", EXIT_USAGE)
    if _CONTROL.search(raw):
        raise OutputError(f"输出文件名中含有换行或控制字符：{raw!r}；请给出普通的文件名", EXIT_USAGE)
    if raw.endswith(("/", os.sep)):
        raise OutputError(f"输出 {raw} 以“/”结尾，是文件夹路径；请给出 {suffix or ''} 文件名", EXIT_USAGE)
    if target.is_symlink() and not target.exists():
        raise OutputError(f"输出 {raw} 是一个失效或循环的符号链接；未写出任何内容，请另指定文件名", EXIT_USAGE)


def _refuse_existing(target: Path, kind: str | None, force: bool, blank: Callable[[Path], bool] | None) -> None:
    """An existing file is replaced only when it is powercat's own output of the same kind
    (last run's table), or with --force; a template only over an untouched blank template."""
    if kind == "template":
        if not force:
            raise OutputError(f"{target} 已存在；如需覆盖请加 --force", EXIT_USAGE)
        if workbook_kind(target) != "template" or blank is None or not blank(target):
            raise OutputError(f"{target} 已存在，且不是 powercat 生成、尚未填写的空白模板（可能是已填写的清单）："
                              "--force 也不会覆盖它。该文件未作任何改动；请另指定文件名", EXIT_USAGE)
        return
    if kind is None or force or workbook_kind(target) == kind:
        if kind is None and not force:
            raise OutputError(f"{target} 已存在；如需覆盖请加 --force", EXIT_USAGE)
        return
    raise OutputError(f"{target} 已存在，且不是 powercat 写出的{FILE_KINDS.get(kind, kind)}：为免覆盖其他文件，"
                      "未写出任何内容。请另指定文件名；确需覆盖请加 --force", EXIT_USAGE)


def check_file_target(target: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), force: bool = False,
                      suffix: str | None = ".xlsx", kind: str | None = None,
                      blank: Callable[[Path], bool] | None = None) -> None:
    """All refusals of `output_file`, without writing anything. With a `kind` (see FILE_KINDS)
    an existing target is replaced only when powercat wrote it as that kind, or with `force`;
    a template only when `blank` says it is still the untouched blank one (the writer knows
    what blank means, so this module imports no writer)."""
    raw = os.fspath(target)
    target = Path(target)
    _refuse_odd_name(raw, target, suffix)
    if suffix and not target.name.lower().endswith(suffix):
        raise OutputError(f"输出文件须以 {suffix} 结尾，收到 {target}", EXIT_USAGE)
    if target.is_dir():
        raise OutputError(f"{target} 是文件夹；请给出 {suffix or ''} 文件名", EXIT_USAGE)
    if target.exists():
        try:
            regular = stat.S_ISREG(target.stat().st_mode)
        except OSError:
            regular = False
        if not regular:
            raise OutputError(f"{target} 不是普通文件（设备、管道或套接字），不能写出到这里", EXIT_USAGE)
    refuse_inputs(target, inputs, folder=False)  # before --force: an input is never overwritten
    if target.exists():
        _refuse_existing(target, kind, force, blank)


@contextlib.contextmanager
def output_file(target: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (), force: bool = False,
                suffix: str | None = ".xlsx", kind: str | None = None,
                blank: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Yields a hidden temporary path beside `target`; on success it replaces the target in
    one rename, on any failure it is removed and the target is untouched. See
    `check_file_target` for what an existing target must be."""
    target = Path(target)
    check_file_target(target, inputs=inputs, force=force, suffix=suffix, kind=kind, blank=blank)
    with _termination_interrupts(), replaced(target) as tmp:
        yield tmp


@contextlib.contextmanager
def replaced(target: str | os.PathLike) -> Iterator[Path]:
    """Write beside, then rename: yields a hidden temporary path in the target's folder; on
    success it replaces the target, on any failure it is removed. A failed write raises
    WriteFailed naming the target (exit 5). No refusals: see `output_file`."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise WriteFailed(exc, target) from None
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp creates 0600; give the output the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except (OSError, WriteFailed) as exc:
        _unlink(tmp)
        raise WriteFailed(exc, target) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# -- workbooks --------------------------------------------------------------------------------

def save_workbook(book, path, kind: str | None = None) -> None:
    """`book.save(path)` (openpyxl) that never ends in a traceback: when the disk fills or
    turns read-only mid-save, openpyxl leaves its ZipFile open, and the ZipFile's __del__
    tries again at exit and prints a Python traceback. Here the archive is closed (or, when
    it cannot be, let go of) on any failure, and an OSError becomes an OutputError (exit 5).
    `kind` stamps the workbook as powercat's output of that kind (see `workbook_kind`)."""
    import datetime as dt
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    if book.read_only:
        raise TypeError("Workbook is read-only")
    if book.write_only and not book.worksheets:
        book.create_sheet()
    archive = None
    try:
        archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
        book.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
        if kind:
            book.properties.identifier = f"powercat:{kind}"
        ExcelWriter(book, archive).save()
    except BaseException as exc:
        if archive is not None:
            _let_go(archive)
        if isinstance(exc, OSError):
            raise WriteFailed(exc, path) from None
        raise


def _let_go(archive) -> None:
    """Closes a ZipFile whose writing failed so that nothing is left for __del__ to retry."""
    archive._writing = False  # a member left open would make close() refuse
    with contextlib.suppress(Exception):
        archive.close()  # writes the central directory; fails again on a full disk …
    fp, archive.fp = archive.fp, None  # … but by then close() has let go; make sure of it
    if fp is not None:
        with contextlib.suppress(Exception):
            fp.close()


def release_open_archives() -> int:
    """The safety net for writers that still call openpyxl's `book.save` themselves: when a
    command ends on a failed write, every ZipFile still open for writing is abandoned work
    (its staging copy is gone); let go of each before its __del__ retries and prints a
    traceback. Returns how many there were. Only on the error path: it walks the heap."""
    import gc
    import zipfile

    found = [obj for obj in gc.get_objects() if isinstance(obj, zipfile.ZipFile)
             and obj.mode in ("w", "x", "a") and getattr(obj, "fp", None) is not None]
    for archive in found:
        _let_go(archive)
    return len(found)
