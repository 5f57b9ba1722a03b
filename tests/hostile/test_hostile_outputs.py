"""Hostile targets at the one way out (issue 20): `diff`, `stats`, `template`, `check --annotate`
and `cases --out` pointed at their own inputs, at each other's outputs, at missing or empty
inputs, and at full or read-only disks. Each case: its exit code, a Chinese phrase in stderr,
no traceback, and the whole working tree (inputs and earlier outputs) byte for byte as it was."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ..conftest import DATA, ROOT, mount_tmpfs, run_cli

LIST = DATA / "青川市应急管理局权力清单.xlsx"
REGISTERS = [DATA / "办件登记" / "青川市应急管理局办件登记.xlsx", DATA / "办件登记" / "青川市应急管理局环节记录.csv"]
AS_OF = "2025-12-31"


def tree(root: Path) -> dict:
    """Every file under root and its bytes; lock files beside output folders are not outputs."""
    return {str(p.relative_to(root)): (p.read_bytes() if not p.is_symlink() else os.readlink(p))
            for p in sorted(root.rglob("*")) if (p.is_file() or p.is_symlink()) and not p.name.endswith(".lock")}


@pytest.fixture
def world(tmp_path, monkeypatch) -> Path:
    """Inputs (a list folder, two versions, registers, an empty and an unreadable folder) and
    earlier outputs of every kind, all in one tree whose bytes the tests compare."""
    monkeypatch.chdir(tmp_path)
    for folder in ("lists", "old", "new", "registers", "empty", "bad"):
        (tmp_path / folder).mkdir()
    for folder in ("lists", "old", "new"):
        shutil.copy(LIST, tmp_path / folder / "应急.xlsx")
    for register in REGISTERS:
        shutil.copy(register, tmp_path / "registers")
    (tmp_path / "bad" / "a.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "bad" / "b.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    shutil.copytree(tmp_path / "old", tmp_path / "partly")  # one list read, one not: its powers would read 取消
    (tmp_path / "partly" / "交通.xlsx").write_bytes(b"PK\x03\x04 truncated")
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    _stamped(earlier / "stats.xlsx", "stats")  # last month's table, as powercat wrote it
    from powercat.ingest.template import write_workbook

    write_workbook(earlier / "模板.xlsx")  # a blank template, untouched
    (earlier / "folder.xlsx").mkdir()
    sent = tmp_path / "sent"  # copies written by an older check --annotate (no marker)
    sent.mkdir()
    (sent / "应急.审查意见.xlsx").write_bytes(b"copy sent last week")
    exports = tmp_path / "exports"  # a build, marked before markers named their kind
    for entry in ("public/catalogue/catalogue.csv", "public/site/index.html", "public/flowcharts/a.svg",
                  "internal/备案登记表.xlsx"):
        (exports / entry).parent.mkdir(parents=True, exist_ok=True)
        (exports / entry).write_text(entry, encoding="utf-8")
    (exports / ".powercat-output").write_text("powercat output folder: replaced whole by the next run\n",
                                              encoding="utf-8")
    cases_out = tmp_path / "cases-out"  # an earlier `cases --out`
    (cases_out / "public" / "cases").mkdir(parents=True)
    (cases_out / "public" / "cases" / "index.json").write_text("{}", encoding="utf-8")
    (cases_out / ".powercat-output").write_text("powercat output folder\nkind: cases\n", encoding="utf-8")
    reviewed = tmp_path / "reviewed"  # an older `review --out` (no marker)
    (reviewed / "确认清单").mkdir(parents=True)
    (reviewed / "review.json").write_text("{}", encoding="utf-8")
    (reviewed / "备案登记表.xlsx").write_bytes(b"filed powers")
    os.link(earlier / "stats.xlsx", earlier / "hard-link.xlsx")
    (tmp_path / "link-to-input.xlsx").symlink_to(tmp_path / "old" / "应急.xlsx")
    (tmp_path / "link-to-t.xlsx").symlink_to(tmp_path / "t.xlsx")
    return tmp_path


CASES = "cases registers --catalogue lists --as-of " + AS_OF + " --out"
# (id, command line, exit code, phrase in stderr)
REFUSED = [
    ("diff-out-is-input", "diff old new --out old/应急.xlsx", 2, "覆盖输入"),
    ("diff-out-in-input-folder", "diff old new --out new/调整对照表.xlsx", 2, "位于输入文件夹"),
    ("diff-out-symlink-to-input", "diff old new --out link-to-input.xlsx", 2, "覆盖输入"),
    ("diff-internal-out-is-input", "diff old new --out t.xlsx --internal-out old/应急.xlsx", 2, "覆盖输入"),
    ("diff-same-out-and-internal", "diff old new --out t.xlsx --internal-out ./t.xlsx", 2, "同一个文件"),
    ("diff-internal-out-symlink-to-out", "diff old new --out t.xlsx --internal-out link-to-t.xlsx", 2, "同一个文件"),
    ("diff-internal-out-hard-link-of-out", "diff old new --out earlier/stats.xlsx --internal-out earlier/hard-link.xlsx",
     2, "同一个文件"),
    ("diff-out-is-a-folder", "diff old new --out earlier/folder.xlsx", 2, "是文件夹"),
    ("diff-out-not-xlsx", "diff old new --out earlier", 2, ".xlsx 结尾"),
    ("diff-old-missing", "diff no-such-folder new --out t.xlsx", 3, "未作比较"),
    ("diff-new-empty", "diff old empty --out t.xlsx", 3, "未作比较"),
    ("diff-old-unreadable", "diff bad new --out t.xlsx --json", 3, "全部无法读取"),
    ("diff-partly-unreadable", "diff partly new --out t.xlsx", 3, "未写出调整对照表"),
    ("stats-out-is-input", "stats lists --out lists/应急.xlsx", 2, "覆盖输入"),
    ("stats-out-in-input-folder", "stats lists --out lists/统计.xlsx", 2, "位于输入文件夹"),
    ("stats-empty-keeps-earlier", "stats empty --out earlier/stats.xlsx", 3, "未写出统计表"),
    ("stats-unreadable-keeps-earlier", "stats bad --out earlier/stats.xlsx", 3, "未写出统计表"),
    ("template-exists", "template earlier/stats.xlsx", 2, "--force"),
    ("template-folder", "template earlier/folder.xlsx --force", 2, "是文件夹"),
    ("template-not-xlsx", "template earlier/模板.xls", 2, ".xlsx 结尾"),
    ("annotate-into-input-folder", "check lists --annotate lists", 2, "覆盖输入"),
    ("annotate-inside-input-folder", "check lists --annotate lists/审查意见", 2, "位于输入文件夹"),
    ("annotate-over-everything", "check lists --annotate .", 2, "包含输入"),
    ("annotate-over-a-build", "check lists --annotate exports", 2, "不能替换"),
    ("annotate-over-cases", "check lists --annotate cases-out", 2, "不能替换"),
    ("annotate-into-a-file", "check lists --annotate earlier/stats.xlsx", 2, "已存在的文件"),
    ("cases-over-a-build", f"{CASES} exports", 2, "powercat build --registers"),
    ("cases-over-annotated-copies", f"{CASES} sent", 2, "不能替换"),
    ("cases-over-a-review", f"{CASES} reviewed", 2, "powercat review --out"),
    ("cases-into-catalogue-folder", f"{CASES} lists", 2, "覆盖输入"),
    ("cases-inside-registers", f"{CASES} registers/out", 2, "位于输入文件夹"),
    ("cases-over-everything", f"{CASES} .", 2, "包含输入"),
]


@pytest.mark.parametrize("command, code, phrase", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_refused_targets_write_nothing(world, command, code, phrase):
    before = tree(world)
    result = run_cli(*command.split())
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert phrase in result.stderr.replace("\n", "") and "Traceback" not in result.stderr + result.stdout
    assert tree(world) == before  # inputs and earlier outputs untouched, nothing new written


def _disk_fills_after(monkeypatch, calls: int) -> None:
    """The disk fills while a workbook is being saved: the n-th member written raises ENOSPC."""
    real = zipfile.ZipFile.writestr
    count = [0]

    def writestr(self, *args, **kwargs):
        count[0] += 1
        if count[0] >= calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)


def _read_only(monkeypatch) -> None:
    """The target's file system is read-only: no temporary file or folder can be made."""
    import tempfile

    def refuse(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if ".building-" in self.name:
            refuse()
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)


FAULTS = [
    ("stats-full", "stats lists --out earlier/stats.xlsx", "full", "磁盘空间不足"),
    ("stats-read-only", "stats lists --out earlier/stats.xlsx", "ro", "只读"),
    ("diff-full", "diff old new --out t.xlsx --internal-out u.xlsx", "full", "磁盘空间不足"),
    ("diff-read-only", "diff old new --out t.xlsx", "ro", "只读"),
    ("template-full", "template earlier/模板.xlsx --force", "full", "磁盘空间不足"),
    ("template-read-only", "template 模板.xlsx", "ro", "只读"),
    ("annotate-full", "check lists --annotate sent", "full", "磁盘空间不足"),
    ("annotate-read-only", "check lists --annotate sent", "ro", "只读"),
    ("cases-full", f"{CASES} cases-out", "full", "磁盘空间不足"),
    ("cases-read-only", f"{CASES} cases-out", "ro", "只读"),
]


@pytest.mark.parametrize("command, fault, phrase", [case[1:] for case in FAULTS], ids=[case[0] for case in FAULTS])
def test_full_or_read_only_disks_keep_earlier_outputs(world, monkeypatch, command, fault, phrase):
    before = tree(world)
    if fault == "full":
        _disk_fills_after(monkeypatch, 3)
    else:
        _read_only(monkeypatch)
    result = run_cli(*command.split())
    monkeypatch.undo()
    assert result.exit_code == 5, (result.exit_code, result.stderr)
    assert phrase in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert ".tmp" not in result.stderr and ".building-" not in result.stderr  # the user's names, not temps
    assert tree(world) == before
    assert not [p for p in world.rglob(".*") if p.name != ".powercat-output" and not p.name.endswith(".lock")]


# --- on a real full and read-only disk, in a subprocess: ZipFile.__del__ never prints ---------------


REAL = [
    ("stats", "stats {lists} --out {disk}/统计.xlsx"),
    ("diff", "diff {old} {new} --out {disk}/调整对照表.xlsx"),
    ("template", "template {disk}/模板.xlsx"),
    ("annotate", "check {lists} --annotate {disk}/审查意见"),
]


@pytest.mark.parametrize("fault", ["size=4k", "ro"])
@pytest.mark.parametrize("command", [case[1] for case in REAL], ids=[case[0] for case in REAL])
def test_real_full_and_read_only_disks(world, command, fault):
    disk = world / "disk"
    if not mount_tmpfs(disk, fault if fault != "ro" else "size=1m,ro"):
        pytest.skip("needs root and tmpfs mounts for a real full or read-only disk")
    try:
        args = command.format(disk=disk, lists=world / "lists", old=world / "old", new=world / "new").split()
        result = subprocess.run([sys.executable, "-m", "powercat", *args], capture_output=True, text=True, timeout=300,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert result.returncode == 5, result.stderr
        assert ("磁盘空间不足" if fault != "ro" else "只读") in result.stderr
        assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
        assert [p.name for p in disk.iterdir() if not p.name.endswith(".lock")] == []
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


# --- what still works, and what the publishable table leaves out -----------------------------------

def test_each_command_replaces_its_own_earlier_output(world):
    assert run_cli("check", "lists", "--annotate", "sent").exit_code in (0, 1)
    assert [p.name for p in (world / "sent").iterdir()] == [".powercat-output", "应急.审查意见.xlsx"]
    assert (world / "sent" / "应急.审查意见.xlsx").read_bytes() != b"copy sent last week"
    assert run_cli("check", "lists", "--annotate", "sent").exit_code in (0, 1)  # its own kind now
    assert run_cli(*f"{CASES} cases-out".split()).exit_code in (0, 1)
    assert (world / "cases-out" / "internal" / "cases").is_dir()
    assert run_cli("stats", "lists", "--out", "earlier/stats.xlsx").exit_code == 0
    assert openpyxl.load_workbook(world / "earlier" / "stats.xlsx").active.title == "分类统计"
    assert run_cli("diff", "old", "new", "--out", "t.xlsx", "--internal-out", "u.xlsx").exit_code == 0
    assert run_cli("template", "模板.xlsx").exit_code == 0 and (world / "模板.xlsx").stat().st_size > 5000


def _texts(path: Path) -> str:
    return "\n".join(str(v) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)
                     for v in row if v is not None)


HEADER = ["序号", "职权编码", "职权名称", "职权类别", "实施依据", "公开方式", "不予公开理由"]
BASIS = "【法律】《中华人民共和国行政许可法》第十二条"


def _list(path: Path, rows: list[list]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["对照测试局权责清单"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_a_power_withheld_by_any_record_on_either_side_stays_out_of_the_public_table(tmp_path):
    """Disclosure is per power, not per record: a second, public-looking record of a withheld
    power (or of one withheld only on the other side) must not reach the 调整对照表."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    _list(old / "清单.xlsx", [
        [1, "W-1", "公开检查事项", "行政检查", BASIS, "主动公开", ""],
        [2, "W-2", "旧侧涉密检查", "行政检查", BASIS, "不予公开", "国家秘密"],
        [3, "W-2", "旧侧涉密检查", "行政检查", BASIS, "主动公开", ""],  # a stray public record of it
    ])
    _list(new / "清单.xlsx", [
        [1, "W-1", "公开检查事项", "行政检查", "【法律】《中华人民共和国行政许可法》第十三条", "主动公开", ""],
        [2, "W-3", "新侧涉密许可", "行政许可", BASIS, "涉密", "国家秘密"],
        [3, "W-3", "新侧涉密许可", "行政许可", BASIS, "主动公开", ""],  # a stray public record of it
    ])
    public, internal = tmp_path / "调整对照表.xlsx", tmp_path / "内部对照表.xlsx"
    result = run_cli("diff", old, new, "--out", public, "--internal-out", internal)
    assert result.exit_code == 0, result.stderr
    text = _texts(public)
    assert "公开检查事项" in text
    assert "涉密" not in text and "W-2" not in text and "W-3" not in text
    assert "新侧涉密许可" in _texts(internal) and "旧侧涉密检查" in _texts(internal)


# --- second pass: targets no one means, planted markers and locks, other people's files ------------

def _stamped(path: Path, kind: str) -> None:
    """A workbook as powercat writes it for `kind` (stats, adjustments): its own earlier output."""
    book = openpyxl.Workbook()
    book.active.append([f"earlier {kind}"])
    book.properties.identifier = f"powercat:{kind}"
    book.save(path)


def _filled_template(path: Path) -> None:
    from powercat.ingest.template import write_workbook

    write_workbook(path, powers=[{"code": "T-1", "name": "某项行政检查", "category": "行政检查", "basis": BASIS}])


def _marker(folder: str, text: str | None = "powercat output folder\nkind: annotate\n") -> None:
    Path(folder).mkdir(exist_ok=True)
    if text is not None:
        Path(folder, ".powercat-output").write_text(text, encoding="utf-8")


SETUPS = {
    "dangling": lambda: Path("dang.xlsx").symlink_to("/nonexistent/统计.xlsx"),
    "loop": lambda: Path("loop.xlsx").symlink_to("loop.xlsx"),
    "unrelated": lambda: shutil.copy(LIST, "清单副本.xlsx"),
    "stats-table": lambda: _stamped(Path("统计.xlsx"), "stats"),
    "diff-table": lambda: _stamped(Path("对照.xlsx"), "adjustments"),
    "old-link": lambda: Path("old2").symlink_to("old"),
    "filled-template": lambda: _filled_template(Path("填好的模板.xlsx")),
    "list-link": lambda: Path("模板.xlsx").symlink_to(Path("lists", "应急.xlsx").resolve()),
    "planted-thesis": lambda: (_marker("ann"), Path("ann", "论文.docx").write_text("three years of work")),
    "planted-build-thesis": lambda: (_marker("cx", "kind: build\n"), Path("cx", "论文.docx").write_text("mine")),
    "marker-fifo": lambda: (_marker("ann", None), os.mkfifo("ann/.powercat-output"),
                            Path("ann", "a.审查意见.xlsx").write_text("x")),
    "marker-symlink": lambda: (_marker("ann", None), Path("ann", ".powercat-output").symlink_to("/etc/hostname"),
                               Path("ann", "a.审查意见.xlsx").write_text("x")),
    "marker-dir": lambda: (_marker("ann", None), Path("ann", ".powercat-output").mkdir(),
                           Path("ann", "a.审查意见.xlsx").write_text("x")),
    "marker-huge": lambda: (_marker("cx", "kind: build\n" + "k" * 3_000_000), Path("cx", "论文.docx").write_text("mine")),
    "listed-and-added": lambda: (_marker("ann", "kind: annotate\nentries:\nentry: 应急.审查意见.xlsx\n"),
                                 Path("ann", "应急.审查意见.xlsx").write_text("x"),
                                 Path("ann", "另一份.审查意见.xlsx").write_text("someone else's copy")),
    "lock-fifo": lambda: os.mkfifo(".ann.lock"),
    "lock-symlink": lambda: Path(".ann.lock").symlink_to("/nonexistent/planted"),
    "lock-dir": lambda: Path(".ann.lock").mkdir(),
    "build-holds-input": lambda: shutil.copytree("lists", "exports/mine"),
    "build-plus-notes": lambda: Path("exports", "我的笔记.txt").write_text("notes"),
    "cases-plus-thesis": lambda: Path("cases-out", "论文.docx").write_text("mine"),
}
# (id, setup, command line (a list where an argument holds spaces or is empty), exit code, phrase in stderr)
REFUSED_MORE = [
    ("stats-out-empty", None, ["stats", "lists", "--out", ""], 2, "文件名为空"),
    ("stats-out-trailing-slash", None, "stats lists --out t.xlsx/", 2, "以“/”结尾"),
    ("stats-out-newline", None, ["stats", "lists", "--out", "a\nb.xlsx"], 2, "控制字符"),
    ("stats-out-dangling-symlink", "dangling", "stats lists --out dang.xlsx", 2, "失效或循环的符号链接"),
    ("stats-out-symlink-loop", "loop", "stats lists --out loop.xlsx", 2, "失效或循环的符号链接"),
    ("stats-over-unrelated-workbook", "unrelated", "stats lists --out 清单副本.xlsx", 2, "不是 powercat 写出的统计表"),
    ("stats-over-a-diff-table", "diff-table", "stats lists --out 对照.xlsx", 2, "不是 powercat 写出的统计表"),
    ("stats-force-still-spares-input", "unrelated", "stats lists 清单副本.xlsx --out 清单副本.xlsx --force", 2, "覆盖输入"),
    ("diff-old-is-new", None, "diff old old --out t.xlsx", 2, "同一份清单"),
    ("diff-old-is-new-via-symlink", "old-link", "diff old old2 --out t.xlsx", 2, "同一份清单"),
    ("diff-out-empty", None, ["diff", "old", "new", "--out", ""], 2, "文件名为空"),
    ("diff-internal-over-unrelated", "unrelated", "diff old new --out t.xlsx --internal-out 清单副本.xlsx", 2,
     "不是 powercat 写出的调整对照表"),
    ("diff-out-over-stats-table", "stats-table", "diff old new --out 统计.xlsx", 2, "不是 powercat 写出的调整对照表"),
    ("template-force-over-input-list", None, "template lists/应急.xlsx --force", 2, "--force 也不会覆盖"),
    ("template-force-over-a-list", "unrelated", "template 清单副本.xlsx --force", 2, "--force 也不会覆盖"),
    ("template-force-over-filled-template", "filled-template", "template 填好的模板.xlsx --force", 2, "可能是已填写的清单"),
    ("template-force-over-stats-table", "stats-table", "template 统计.xlsx --force", 2, "--force 也不会覆盖"),
    ("template-force-symlink-to-list", "list-link", "template 模板.xlsx --force", 2, "--force 也不会覆盖"),
    ("template-dangling-symlink", "dangling", "template dang.xlsx --force", 2, "失效或循环的符号链接"),
    ("annotate-empty-name", None, ["check", "lists", "--annotate", ""], 2, "文件夹名为空"),
    ("annotate-planted-marker-over-thesis", "planted-thesis", "check lists --annotate ann", 2, "论文.docx"),
    ("annotate-marker-is-fifo", "marker-fifo", "check lists --annotate ann", 2, "不是 powercat 生成"),
    ("annotate-marker-is-symlink", "marker-symlink", "check lists --annotate ann", 2, "不是 powercat 生成"),
    ("annotate-marker-is-folder", "marker-dir", "check lists --annotate ann", 2, "不是 powercat 生成"),
    ("annotate-copy-added-after-run", "listed-and-added", "check lists --annotate ann", 2, "另一份.审查意见.xlsx"),
    ("annotate-lock-is-fifo", "lock-fifo", "check lists --annotate ann", 2, "锁文件"),
    ("annotate-lock-is-symlink", "lock-symlink", "check lists --annotate ann", 2, "锁文件"),
    ("annotate-lock-is-folder", "lock-dir", "check lists --annotate ann", 2, "锁文件"),
    ("catalogue-planted-marker-over-thesis", "planted-build-thesis", "catalogue lists --out cx --format csv", 2,
     "论文.docx"),
    ("catalogue-huge-marker", "marker-huge", "catalogue lists --out cx --format csv", 2, "论文.docx"),
    ("catalogue-out-holds-its-input", "build-holds-input", "catalogue exports/mine --out exports --format csv", 2,
     "包含输入"),
    ("catalogue-over-build-with-notes", "build-plus-notes", "catalogue lists --out exports --format csv", 2,
     "我的笔记.txt"),
    ("flowchart-out-holds-its-input", "build-holds-input",
     "flowchart exports/mine --out exports --format svg --no-booklet", 2, "包含输入"),
    ("build-planted-marker-over-thesis", "planted-build-thesis", "build lists --out cx --no-booklet", 2, "论文.docx"),
    ("cases-over-its-folder-plus-thesis", "cases-plus-thesis", f"{CASES} cases-out", 2, "论文.docx"),
    ("build-out-holds-its-input", "build-holds-input", "build exports/mine --out exports --no-booklet", 2, "mine"),
    ("annotate-newline-name", None, ["check", "lists", "--annotate", "a\nb"], 2, "控制字符"),
    ("catalogue-out-empty", None, ["catalogue", "lists", "--out", "", "--format", "csv"], 2, "文件夹名为空"),
    ("cases-out-newline-name", None, [*CASES.split(), "x\ny"], 2, "控制字符"),
    ("stats-name-too-long", None, ["stats", "lists", "--out", "统" * 100 + ".xlsx"], 5, "文件名过长"),
    ("template-name-too-long", None, ["template", "模" * 100 + ".xlsx"], 5, "文件名过长"),
    ("annotate-name-too-long", None, ["check", "lists", "--annotate", "审" * 100], 5, "文件名过长"),
]


@pytest.mark.parametrize("setup, command, code, phrase", [case[1:] for case in REFUSED_MORE],
                         ids=[case[0] for case in REFUSED_MORE])
def test_more_refused_targets_write_nothing(world, setup, command, code, phrase):
    if setup:
        SETUPS[setup]()
    before = tree_safe(world)
    result = run_cli(*(command.split() if isinstance(command, str) else command))
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert phrase in result.stderr.replace("\n", "") and "Traceback" not in result.stderr + result.stdout
    assert tree_safe(world) == before  # inputs, earlier outputs and other people's files untouched
    assert not [p.name for p in world.iterdir() if ".building-" in p.name or ".old-" in p.name or p.suffix == ".tmp"]


def tree_safe(root: Path) -> dict:
    """`tree`, without opening FIFOs or following symlinks out of the world."""
    found = {}
    for p in sorted(root.rglob("*")):
        if p.name.endswith(".lock") and not p.is_symlink() and p.is_file():
            continue
        if p.is_symlink():
            found[str(p.relative_to(root))] = os.readlink(p)
        elif p.is_fifo():
            found[str(p.relative_to(root))] = "fifo"
        elif p.is_file():
            found[str(p.relative_to(root))] = p.read_bytes()
    return found


# --- what still works after the second pass -------------------------------------------------------

def test_own_outputs_are_replaced_and_force_replaces_other_files(world):
    assert run_cli("stats", "lists", "--out", "earlier/stats.xlsx").exit_code == 0  # last run's table
    assert openpyxl.load_workbook(world / "earlier" / "stats.xlsx").active.title == "分类统计"
    shutil.copy(LIST, world / "清单副本.xlsx")
    assert run_cli("stats", "lists", "--out", "清单副本.xlsx", "--force").exit_code == 0
    assert run_cli("stats", "lists", "--out", "清单副本.xlsx").exit_code == 0  # now powercat's own table
    assert run_cli("template", "earlier/模板.xlsx", "--force").exit_code == 0  # an untouched blank template
    assert run_cli("template", "earlier/模板.xlsx", "--force").exit_code == 0
    assert run_cli("diff", "old", "new", "--out", "t.xlsx", "--internal-out", "u.xlsx").exit_code == 0
    assert run_cli("diff", "old", "new", "--out", "u.xlsx", "--internal-out", "t.xlsx").exit_code == 0


def test_a_folder_rerun_after_its_own_run_and_a_planted_leftover_symlink(world):
    (world / ".ann.old-99").symlink_to(world / "lists")  # named like a moved-aside output, pointing at an input
    (world / ".ann.building-98").symlink_to(world / "lists")
    before = tree_safe(world / "lists")
    for _ in range(2):  # the marker lists what the run wrote, so the rerun replaces it
        result = run_cli("check", "lists", "--annotate", "ann")
        assert result.exit_code in (0, 1), result.stderr
    assert sorted(p.name for p in (world / "ann").iterdir()) == [".powercat-output", "应急.审查意见.xlsx"]
    assert "entry: 应急.审查意见.xlsx" in (world / "ann" / ".powercat-output").read_text(encoding="utf-8")
    assert (world / ".ann.old-99").is_symlink() and (world / ".ann.building-98").is_symlink()
    assert tree_safe(world / "lists") == before
    assert not [p for p in world.iterdir() if p.name.startswith(".ann.old-") and not p.is_symlink()]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_outputs_follow_the_umask(world, umask, mode):
    old = os.umask(umask)
    try:
        assert run_cli("stats", "lists", "--out", "统计.xlsx").exit_code == 0
    finally:
        os.umask(old)
    assert (world / "统计.xlsx").stat().st_mode & 0o777 == mode


_WRITE_THEN_TERM = """
import os, signal, sys, time
from powercat.output import output_file, output_folder
which, target = sys.argv[1], sys.argv[2]
writer = output_file(target, force=True) if which == "file" else output_folder(target, kind="annotate")
with writer as tmp:
    if which == "file":
        tmp.write_bytes(b"half a workbook")
    else:
        (tmp / "a.审查意见.xlsx").write_bytes(b"half a copy")
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)
    print("not interrupted")
"""


@pytest.mark.parametrize("which", ["file", "folder"])
def test_sigterm_mid_write_leaves_the_earlier_output_and_no_staging(world, which):
    target = world / ("earlier/stats.xlsx" if which == "file" else "sent")
    before = tree(world)
    result = subprocess.run([sys.executable, "-c", _WRITE_THEN_TERM, which, str(target)], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode != 0 and "not interrupted" not in result.stdout
    assert tree(world) == before
    assert not [p for p in world.rglob(".*") if p.suffix == ".tmp" or ".building-" in p.name or ".old-" in p.name]


@pytest.mark.slow
def test_sigterm_during_a_real_stats_run(world):
    """kill after 0.5 s, whatever the command was doing: the earlier table is intact or replaced
    whole, and no temporary file is left."""
    before = (world / "earlier" / "stats.xlsx").read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "powercat", "stats", str(DATA), "--check", "--out",
                             str(world / "earlier" / "stats.xlsx")], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
    import time

    time.sleep(0.5)
    proc.terminate()
    _out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    after = (world / "earlier" / "stats.xlsx").read_bytes()
    assert after == before or openpyxl.load_workbook(world / "earlier" / "stats.xlsx").active.title == "分类统计"
    assert not [p for p in (world / "earlier").iterdir() if p.suffix == ".tmp"]


def test_two_runs_racing_on_one_table_leave_one_whole_table(world):
    procs = [subprocess.Popen([sys.executable, "-m", "powercat", "stats", "lists", "--out", "统计.xlsx"],
                              cwd=world, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(2)]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "Traceback" not in err, err
    assert openpyxl.load_workbook(world / "统计.xlsx").active.title == "分类统计"
    assert not [p for p in world.iterdir() if p.suffix == ".tmp"]


def test_outputs_on_another_file_system_never_rename_across_devices(world):
    """Staging is a sibling of the target, on the target's file system: no EXDEV."""
    disk = world / "disk"
    if not mount_tmpfs(disk, "size=20m"):
        pytest.skip("needs root and tmpfs mounts")
    try:
        assert run_cli("stats", "lists", "--out", f"{disk}/统计.xlsx").exit_code == 0
        assert run_cli("check", "lists", "--annotate", f"{disk}/审查意见").exit_code in (0, 1)
        assert run_cli("check", "lists", "--annotate", f"{disk}/审查意见").exit_code in (0, 1)
        assert sorted(p.name for p in disk.iterdir() if not p.name.endswith(".lock")) == ["审查意见", "统计.xlsx"]
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
