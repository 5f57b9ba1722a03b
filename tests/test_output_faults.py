"""Faults of the environment: each gives a Chinese message, a documented exit code, no
traceback, and leaves the previous exports exactly as they were (powercat/output.py)."""

import errno
import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, mount_tmpfs, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
ONE = DATA / "青川市应急管理局权力清单.xlsx"


def powercat(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "powercat", *map(str, args)], capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})}, **kwargs)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A good build to protect, and its exact bytes."""
    root = tmp_path_factory.mktemp("faults")
    out = root / "exports"
    assert run_cli("build", ONE, "--out", out, "--as-of", "2026-11-22", "--no-booklet").exit_code in (0, 1)
    return out, snapshot(out)


def assert_intact(previous_build):
    out, before = previous_build
    assert snapshot(out) == before


@needs_dot
@pytest.mark.parametrize("inputs", ["no/such/path", "EMPTY", "UNREADABLE"])
@pytest.mark.parametrize("command", ["build", "catalogue", "flowchart"])
def test_inputs_without_powers_never_replace_outputs(previous, tmp_path, inputs, command):
    if inputs == "EMPTY":
        inputs = tmp_path / "empty"
        inputs.mkdir()
    elif inputs == "UNREADABLE":
        inputs = tmp_path / "bad"
        inputs.mkdir()
        (inputs / "a.xlsx").write_bytes(b"PK\x03\x04 truncated")
        (inputs / "b.csv").write_bytes(b"")
    out, _ = previous
    result = powercat(command, inputs, "--out", out)
    assert result.returncode == 3, result.stderr
    assert "未生成任何输出" in result.stderr and "保持不变" in result.stderr and "Traceback" not in result.stderr
    assert_intact(previous)


@needs_dot
@pytest.mark.parametrize("command", ["build", "catalogue", "flowchart"])
def test_out_naming_a_file_is_refused_and_the_file_kept(tmp_path, command):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the user's own file")
    result = run_cli(command, ONE, "--out", target)
    assert result.exit_code == 2 and "已存在的文件" in result.stderr
    assert target.read_bytes() == b"the user's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


@needs_dot
def test_a_folder_of_other_things_is_never_replaced(tmp_path):
    desktop = tmp_path / "Desktop"
    desktop.mkdir()
    (desktop / "工作计划.docx").write_bytes(b"keep me")
    result = run_cli("build", ONE, "--out", desktop)
    assert result.exit_code == 2 and "不是 powercat 生成的内容" in result.stderr
    assert [p.name for p in desktop.iterdir()] == ["工作计划.docx"]


@needs_dot
def test_a_second_build_into_the_same_folder_stops(previous):
    out, _ = previous
    with open(out.parent / f".{out.name}.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a first build is running
        result = powercat("build", ONE, "--out", out)
    assert result.returncode == 5 and "另一个 powercat 正在写入" in result.stderr and "Traceback" not in result.stderr
    assert_intact(previous)


@needs_dot
def test_concurrent_builds_never_break_each_other(tmp_path):
    out = tmp_path / "exports"
    procs = [subprocess.Popen([sys.executable, "-m", "powercat", "build", str(ONE), "--out", str(out), "--no-booklet"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=600), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 5], [1, 1], [1, 5]), results  # serial, or the second refused
    assert all("Traceback" not in err for _, err in results)
    assert (out / "public" / "catalogue" / "catalogue.csv").is_file()
    assert not list(tmp_path.glob(".exports.building-*"))


@needs_dot
def test_disk_full_mid_build_keeps_previous(previous, monkeypatch):
    from powercat.publish import opendata

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "catalogue.csv")

    monkeypatch.setattr(opendata, "write_csv", full)
    out, _ = previous
    # --no-cache: else the catalogue files of the previous build come back from the rebuild
    # cache (filecache.py) and the CSV is never written again
    result = run_cli("build", ONE, "--out", out, "--no-booklet", "--no-cache")
    assert result.exit_code == 5 and "磁盘空间不足" in result.stderr
    assert_intact(previous)
    assert not list(out.parent.glob(f".{out.name}.building-*"))



@needs_dot
def test_real_disk_full_and_read_only_mounts(tmp_path):
    small = tmp_path / "small"
    if not mount_tmpfs(small, "size=600k"):
        pytest.skip("needs root and tmpfs mounts to fill a real disk")
    try:
        out = small / "exports"
        result = powercat("build", ONE, "--out", out, "--no-booklet")
        assert result.returncode == 5 and "磁盘空间不足" in result.stderr and "Traceback" not in result.stderr
        assert not out.exists() and not list(small.glob(".exports.building-*"))
    finally:
        subprocess.run(["umount", str(small)])
    ro = tmp_path / "ro"
    assert mount_tmpfs(ro, "size=64m")
    try:
        out = ro / "exports"
        assert powercat("build", ONE, "--out", out, "--no-booklet").returncode in (0, 1)
        before = snapshot(out)
        assert subprocess.run(["mount", "-o", "remount,ro", str(ro)]).returncode == 0
        result = powercat("build", ONE, "--out", out, "--no-booklet")
        assert result.returncode == 5 and "只读" in result.stderr and "Traceback" not in result.stderr
        assert snapshot(out) == before
        # a read-only current folder with a relative --out
        result = powercat("build", str(ONE), "--out", "exports", "--no-booklet", cwd=ro)
        assert result.returncode == 5 and "Traceback" not in result.stderr
    finally:
        subprocess.run(["umount", str(ro)])


@needs_dot
def test_a_failing_dot_keeps_previous(previous, tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dot").write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    (fake / "dot").chmod(0o755)
    out, _ = previous
    result = powercat("build", ONE, "--out", out, env={"PATH": f"{fake}:{os.environ['PATH']}"})
    assert result.returncode == 4 and "dot" in result.stderr and "保持不变" in result.stderr
    assert "Traceback" not in result.stderr
    assert_intact(previous)


def test_closed_stdout(tmp_path):
    result = subprocess.run(f"'{sys.executable}' -m powercat list '{ONE}' >&-", shell=True, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 5 and "标准输出已关闭" in result.stderr and "Traceback" not in result.stderr


def test_gbk_locale(tmp_path):
    """zh_CN.GBK: file names that are UTF-8 on disk and characters outside GBK (𠀀) read,
    list and build without a traceback; JSON stays UTF-8."""
    if shutil.which("localedef") is None:
        pytest.skip("localedef is not installed (Debian package locales)")
    locales = tmp_path / "locales"
    locales.mkdir()
    made = subprocess.run(["localedef", "-i", "zh_CN", "-f", "GBK", str(locales / "zh_CN.GBK")], capture_output=True)
    if not (locales / "zh_CN.GBK").exists():
        pytest.skip(f"could not build the zh_CN.GBK locale: {made.stderr[:200]!r}")
    env = {"LOCPATH": str(locales), "LC_ALL": "zh_CN.GBK", "LANG": "zh_CN.GBK", "PYTHONIOENCODING": "",
           "PYTHONUTF8": "", "COLUMNS": "120"}
    env = {k: v for k, v in {**os.environ, **env}.items() if v != ""}
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(ONE, inputs / "𠀀局·清单.xlsx")
    probe = subprocess.run([sys.executable, "-c", "import locale; print(locale.getpreferredencoding(False))"],
                           capture_output=True, text=True, env=env)
    assert probe.stdout.strip().upper() == "GBK"
    listed = subprocess.run([sys.executable, "-m", "powercat", "list", "--json", str(inputs)], capture_output=True,
                            env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout.decode("utf-8"))["files"][0]["path"].endswith("𠀀局·清单.xlsx")
    # a non-ASCII argument: UTF-8 bytes the GBK locale decodes into characters GBK cannot encode back
    direct = subprocess.run([sys.executable, "-m", "powercat", "list", "--json", str(inputs / "𠀀局·清单.xlsx")],
                            capture_output=True, env=env, timeout=120)
    assert direct.returncode == 0 and b"Traceback" not in direct.stderr, direct.stderr
    assert json.loads(direct.stdout.decode("utf-8"))["powers"]
    table = subprocess.run([sys.executable, "-m", "powercat", "list", "--files", str(inputs)], capture_output=True,
                           env=env, timeout=120)
    assert table.returncode == 0 and b"Traceback" not in table.stderr
    assert "清单".encode("gbk") in table.stdout  # the terminal gets its own encoding
    built = subprocess.run([sys.executable, "-m", "powercat", "build", str(inputs), "--out", str(tmp_path / "out"),
                            "--no-booklet"], capture_output=True, env=env, timeout=600)
    assert built.returncode in (0, 1) and b"Traceback" not in built.stderr
    assert any(p.name.startswith("𠀀局") for p in (tmp_path / "out" / "internal" / "review").iterdir())


@needs_dot
def test_outputs_inside_the_input_folder_are_not_read_back(tmp_path):
    """`build lists --out lists/exports` twice: the second run must not take the first one's
    catalogue, annotated copies or filing register for lists."""
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(ONE, lists)
    first = run_cli("build", lists, "--out", lists / "exports", "--no-booklet", "--json")
    second = run_cli("build", lists, "--out", lists / "exports", "--no-booklet", "--json")
    assert json.loads(first.stdout)["counts"] == json.loads(second.stdout)["counts"]
    assert json.loads(second.stdout)["unreadable"] == []
    listed = run_cli("list", "--json", lists)
    assert [Path(f["path"]).name for f in json.loads(listed.stdout)["files"]] == [ONE.name]


# --- the one output module: single files, kinds, inputs, exact leftovers (issue 20) ---------------

from powercat import output as output_module  # noqa: E402
from powercat.output import OutputError, clean_leftovers, output_file, output_folder  # noqa: E402

_SAVE_TO_DEV_FULL = """
import sys
from openpyxl import Workbook
book = Workbook()
for i in range(4000):
    book.active.append([f"第{i}行" * 30, i])
if sys.argv[1] == "openpyxl":
    try:
        book.save("/dev/full")
    except OSError:
        pass
else:
    from powercat.output import OutputError, save_workbook
    try:
        save_workbook(book, "/dev/full")
    except OutputError as exc:
        print(exc.exit_code, exc.message)
"""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_failed_workbook_save_never_prints_a_traceback():
    """openpyxl leaves its ZipFile open when the disk fills; ZipFile.__del__ then retries at
    exit and prints a traceback. save_workbook lets go of the archive and says why in Chinese."""
    def run(how):
        return subprocess.run([sys.executable, "-c", _SAVE_TO_DEV_FULL, how], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})

    plain = run("openpyxl")  # the fault this guards against, as openpyxl has it
    assert "Traceback" in plain.stderr and "ZipFile.__del__" in plain.stderr
    ours = run("powercat")
    assert ours.returncode == 0 and "Traceback" not in ours.stderr, ours.stderr
    assert ours.stdout.startswith("5 无法写入输出（磁盘空间不足）：/dev/full")


_LEFT_OPEN = """
import sys, zipfile
archive = zipfile.ZipFile("/dev/full", "w")  # a writer that calls openpyxl's book.save itself
try:
    archive.writestr("a.xml", "x" * 200_000)
except OSError:
    pass
if sys.argv[1] == "release":
    from powercat.output import release_open_archives
    print(release_open_archives())
"""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_archives_left_open_by_other_writers_are_let_go():
    def run(how):
        return subprocess.run([sys.executable, "-c", _LEFT_OPEN, how], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})

    assert "Traceback" in run("keep").stderr
    released = run("release")
    assert released.stdout.strip() == "1" and "Traceback" not in released.stderr, released.stderr


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "磁盘空间不足"), (errno.EDQUOT, "超出磁盘配额"),
                                          (errno.EROFS, "只读"), (errno.EACCES, "没有写入权限"),
                                          (errno.EPERM, "没有写入权限")])
def test_a_failed_single_file_write_keeps_the_earlier_file(tmp_path, code, reason):
    target = tmp_path / "统计.xlsx"
    target.write_bytes(b"last month's table")
    with pytest.raises(OutputError) as failed, output_file(target, force=True) as staged:
        staged.write_bytes(b"half a")
        raise OSError(code, os.strerror(code))
    assert failed.value.exit_code == 5 and reason in failed.value.message
    assert str(target) in failed.value.message and ".tmp" not in failed.value.message  # the user's name, not the temp
    assert target.read_bytes() == b"last month's table"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["统计.xlsx"]


def test_single_file_refusals(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    source = lists / "清单.xlsx"
    shutil.copy(ONE, source)
    (tmp_path / "link.xlsx").symlink_to(source)
    os.link(source, tmp_path / "hard.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    cases = {source: "覆盖输入", tmp_path / "link.xlsx": "覆盖输入", tmp_path / "hard.xlsx": "覆盖输入",
             lists / "统计.xlsx": "位于输入文件夹", tmp_path / "folder.xlsx": "是文件夹", tmp_path / "统计.csv": ".xlsx 结尾"}
    for target, phrase in cases.items():
        with pytest.raises(OutputError) as refused, output_file(target, inputs=[lists, source]):
            pytest.fail("a refused target must not be written")
        assert refused.value.exit_code == 2 and phrase in refused.value.message, (target, refused.value.message)
    assert source.read_bytes() == ONE.read_bytes() and not (lists / "统计.xlsx").exists()
    existing = tmp_path / "模板.xlsx"
    existing.write_bytes(b"mine")
    with pytest.raises(OutputError, match="--force"), output_file(existing, force=False):
        pass
    with output_file(existing, force=True) as staged:
        staged.write_bytes(b"new")
    assert existing.read_bytes() == b"new"


def _make_folder(out: Path, marker: str | None, *entries: str) -> dict:
    out.mkdir(parents=True)
    if marker is not None:
        (out / output_module.MARKER).write_text(marker, encoding="utf-8")
    for entry in entries:
        (out / entry).parent.mkdir(parents=True, exist_ok=True)
        (out / entry).write_text(entry, encoding="utf-8")
    return snapshot(out)


@pytest.mark.parametrize("marker", ["powercat output folder: replaced whole by the next run\n",  # before kinds
                                    "powercat output folder: replaced whole by the next run\nkind: build\n"])
def test_a_folder_of_another_kind_is_never_replaced(tmp_path, marker):
    out = tmp_path / "exports"
    before = _make_folder(out, marker, "public/catalogue/catalogue.csv", "public/site/index.html", "internal/x.xlsx")
    with pytest.raises(OutputError) as refused, output_folder(out, kind="cases"):
        pytest.fail("a build folder must not be replaced by cases")
    assert refused.value.exit_code == 2 and "powercat build --registers" in refused.value.message
    assert snapshot(out) == before
    with output_folder(out, kind="build") as staged:  # its own kind replaces it
        (staged / "public").mkdir()
    assert "kind: build" in (out / output_module.MARKER).read_text(encoding="utf-8")


def test_legacy_folders_are_recognised_by_what_they_hold(tmp_path):
    review = tmp_path / "review-out"
    _make_folder(review, None, "review.json", "备案登记表.xlsx", "确认清单/甲.确认清单.xlsx")
    annotate = tmp_path / "sent"
    _make_folder(annotate, None, "甲.审查意见.xlsx", "乙.审查意见.xlsx")
    with output_folder(review, kind="review"), output_folder(annotate, kind="annotate"):
        pass
    for folder, kind in ((review, "annotate"), (annotate, "review")):
        with pytest.raises(OutputError, match="不能替换"), output_folder(folder, kind=kind):
            pass


def test_folder_refusals_of_inputs(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(ONE, lists / "清单.xlsx")
    before = snapshot(tmp_path)
    for out, phrase in ((lists, "覆盖输入"), (lists / "out", "位于输入文件夹"), (tmp_path, "包含输入")):
        with pytest.raises(OutputError) as refused, output_folder(out, inputs=[lists / "清单.xlsx", lists]):
            pytest.fail("refused")
        assert refused.value.exit_code == 2 and phrase in refused.value.message, (out, refused.value.message)
    assert snapshot(tmp_path) == before
    # build reads past marked folders, so `build lists --out lists/exports` may stay (inside_ok)
    with output_folder(lists / "exports", inputs=[lists], inside_ok=True) as staged:
        (staged / "public").mkdir()
    with pytest.raises(OutputError, match="覆盖输入"), output_folder(lists, inputs=[lists], inside_ok=True):
        pass


@pytest.mark.parametrize("name", ["exp*", "[e]xports", "exp?rts", "ex"])
def test_leftovers_are_matched_exactly(tmp_path, name):
    """Another output's staging and moved-aside folders are never taken for this one's."""
    others = [tmp_path / ".exports.building-4242", tmp_path / ".exports.old-4243", tmp_path / f".{name}x.building-7",
              tmp_path / f".{name}.building-3.building-9"]  # the staging of an output called `NAME.building-3`
    for other in others:
        other.mkdir()
        (other / "keep").write_text("another output's", encoding="utf-8")
    mine = [tmp_path / f".{name}.building-12", tmp_path / f".{name}.old-13"]
    for leftover in mine:
        leftover.mkdir()
    (tmp_path / name).mkdir()
    removed = clean_leftovers(tmp_path / name)
    assert sorted(removed) == sorted(mine)
    assert all((other / "keep").is_file() for other in others)


_FILL_THEN_EXIT = """
import errno, sys, zipfile
from powercat.output import OutputError
from powercat.publish.{module} import {function}

real = zipfile.ZipFile.writestr
def full(self, *args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")
zipfile.ZipFile.writestr = full
try:
    {function}([], sys.argv[1])
except OutputError as exc:
    print("exit", exc.exit_code, exc.message)
"""


@pytest.mark.parametrize("module, function", [("internal", "write_register"), ("spreadsheet", "write_workbook")])
def test_internal_and_catalogue_workbooks_fail_cleanly_on_a_full_disk(tmp_path, module, function):
    """They save through save_workbook now: exit 5 with the target's name, no ZipFile.__del__
    traceback at interpreter exit, no temporary file left."""
    target = tmp_path / "表.xlsx"
    result = subprocess.run([sys.executable, "-c", _FILL_THEN_EXIT.format(module=module, function=function),
                             str(target)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert result.stdout.startswith("exit 5 ") and "磁盘空间不足" in result.stdout and str(target) in result.stdout
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_workbooks_are_stamped_with_their_kind(tmp_path):
    from powercat.ingest.template import write_workbook
    from powercat.output import workbook_kind

    write_workbook(tmp_path / "模板.xlsx")
    assert workbook_kind(tmp_path / "模板.xlsx") == "template"
    (tmp_path / "not-a-zip.xlsx").write_bytes(b"PK\x03\x04 truncated")
    assert workbook_kind(tmp_path / "not-a-zip.xlsx") is None
    assert workbook_kind(tmp_path / "missing.xlsx") is None


def test_the_lock_file_goes_with_the_run_and_a_stale_one_is_taken(tmp_path):
    """A run removes its `.NAME.lock` when it ends; a run that opened the lock file just before
    the previous run removed it locks a fresh one instead of a file no one else can see."""
    from powercat.output import locked

    out = tmp_path / "exports"
    lock = tmp_path / ".exports.lock"
    with locked(out):
        assert lock.is_file()
    assert not lock.exists()
    stale = open(lock, "a+b")  # noqa: SIM115 – opened, as a racing run would, then removed
    lock.unlink()
    try:
        with locked(out):
            assert lock.is_file()
            fcntl.flock(stale, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the removed file is not the lock
            with pytest.raises(BlockingIOError), open(lock, "a+b") as other:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the named one is
    finally:
        stale.close()


def test_flowchart_and_catalogue_never_replace_a_build(tmp_path):
    """`flowchart --out exports` over a build used to replace public/ and internal/ with a folder
    of charts (the three shared one kind). Now each replaces only its own kind — and a folder
    they wrote before they had a kind (marked `build`, holding no public/ or internal/)."""
    build = tmp_path / "exports"
    before = _make_folder(build, None, "public/catalogue/catalogue.csv", "internal/备案登记表.xlsx")
    for kind in ("flowchart", "catalogue"):
        with pytest.raises(OutputError) as refused, output_folder(build, kind=kind):
            pytest.fail(f"{kind} must not replace a build")
        assert refused.value.exit_code == 2 and "powercat build 的输出" in refused.value.message
    assert snapshot(build) == before
    old_charts = tmp_path / "charts"  # a flowchart folder of the version before, marked `build`
    _make_folder(old_charts, "powercat output folder: replaced whole by the next run\nkind: build\n",
                 "某局/甲许可.svg", "某局.pdf")
    with output_folder(old_charts, kind="flowchart") as staged:
        (staged / "乙许可.svg").write_text("<svg/>", encoding="utf-8")
    assert "kind: flowchart" in (old_charts / output_module.MARKER).read_text(encoding="utf-8")
    with pytest.raises(OutputError, match="powercat flowchart 的输出"), output_folder(old_charts, kind="catalogue"):
        pass
    with pytest.raises(OutputError, match="不能替换"), output_folder(old_charts, kind="build"):
        pass
