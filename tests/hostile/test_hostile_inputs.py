"""Hostile inputs at the one way in (issue 20): case registers among the lists, powercat's own
outputs, bad --laws supplements, bad SOURCE_DATE_EPOCH, a stuck `dot`, file names that
would break a sheet title, Ctrl-C at start. Each case: exit code, a Chinese phrase in
stderr, and no traceback.

`build` needs Graphviz and a CJK font; the tests put stand-ins on PATH (a `dot` that writes
one small SVG/PDF per graph, an `fc-list` naming the font), so they run anywhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from ..conftest import ROOT, fake_tools, run_cli  # noqa: F401 – fake_tools: a fixture
from ..test_bad_input import REGISTER_HEADER, list_with_a_withheld_power, register_naming_the_withheld_code



def lists_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "清单"
    folder.mkdir()
    list_with_a_withheld_power(folder / "某局权力清单.xlsx")
    return folder


def assert_clean(result, code: int, phrase: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr[-2000:])
    assert phrase in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr


# --- SOURCE_DATE_EPOCH: a usage error before any work (was exit 70 from the PDF writer) ---

@pytest.mark.parametrize("value, phrase", [
    ("99999999999999999999999", "超出范围"),
    ("253402300800", "超出范围"),
    ("-1", "负数"),
    ("1.5e9", "不是整数"),
    ("昨天", "不是整数"),
])
def test_bad_source_date_epoch_is_a_usage_error(tmp_path, fake_tools, monkeypatch, value, phrase):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    out = tmp_path / "out"
    result = run_cli("build", lists_folder(tmp_path), "--out", out, "--no-booklet")
    assert_clean(result, 2, phrase)
    assert "SOURCE_DATE_EPOCH" in result.stderr
    assert not out.exists()


def test_a_good_source_date_epoch_still_builds(tmp_path, fake_tools, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = run_cli("build", lists_folder(tmp_path), "--out", tmp_path / "out", "--no-booklet")
    assert result.exit_code in (0, 1), result.stderr[-2000:]


# --- a case register among the lists ---

def test_build_reads_a_register_among_the_lists_as_a_register(tmp_path, fake_tools):
    folder = lists_folder(tmp_path)
    register_naming_the_withheld_code(folder / "某局办件登记.xlsx")
    out = tmp_path / "out"
    result = run_cli("build", folder, "--out", out, "--no-booklet", "--json")
    assert_clean(result, 1, "按办件登记读取")  # 1: the list's own check findings
    import json

    counts = json.loads(result.stdout)["counts"]
    assert counts["powers"] == 2 and counts["withheld"] == 1  # before: 5 powers, the cases among them
    assert counts["cases"] == 3
    public_text = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in (out / "public").rglob("*")
                          if p.is_file() and p.suffix in (".json", ".csv", ".html", ".svg"))
    assert "涉密事项核查" not in public_text


@pytest.mark.parametrize("command", ["list", "check"])
def test_list_and_check_skip_a_register_with_a_notice(tmp_path, command):
    folder = lists_folder(tmp_path)
    register_naming_the_withheld_code(folder / "某局办件登记.xlsx")
    result = run_cli(command, folder)
    # check: exit 1 for the list's own findings, none for the register's rows
    assert result.exit_code == (0 if command == "list" else 1), result.stderr
    assert "BJ-2025" not in result.stdout
    if command == "list":  # the file table says why the register was not read
        assert "办件登记表" in result.stdout and "未作为事项读取" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# --- --laws: validated against the schema, the first bad record named (exit 2) ---

def small_list(tmp_path: Path) -> Path:
    return list_with_a_withheld_power(tmp_path / "清单.xlsx")


LAW_CASES = [
    # (file name, content, phrases in stderr)
    ("number-title.jsonl", '{"title": 12}\n', ["第 1 行", "$.title", "应为文本", "数字 12"]),
    ("list-line.jsonl", '{"title": "某条例"}\n[1, 2]\n', ["第 2 行", "应为对象"]),
    ("object-articles.json", '{"title": "某条例", "articles": {"label": "第一条"}}', ["$.articles", "应为列表"]),
    ("text-numeral.jsonl", '{"title": "某条例", "articles": [{"num": "十二"}]}\n',
     ["$.articles[0].num", "应为整数", "中文数字请改写为阿拉伯数字"]),
    ("text-count.jsonl", '{"title": "某条例", "articles": [{"label": "第一条", "kuan_count": "2"}]}\n',
     ["$.articles[0].kuan_count", "应为整数"]),
    ("bool-count.jsonl", '{"title": "某条例", "articles": [{"label": "第一条", "kuan_count": true}]}\n', ["布尔值"]),
    ("mixed-label.jsonl", '{"title": "某条例", "articles": [{"label": "第1二条"}]}\n', ["$.articles[0].label", "第X条"]),
    ("bad-date.jsonl", '{"title": "某条例", "version_date": "2021-02-30"}\n', ["不是有效的日期"]),
    ("date-number.jsonl", '{"title": "某条例", "revisions": [{"date": 20210630}]}\n', ["$.revisions[0].date", "应为日期文本"]),
    ("deep.json", "[" * 10_000 + "]" * 10_000, ["嵌套层数过多"]),
    ("deep-inside.jsonl", '{"title": "某条例", "articles": ' + "[" * 10_000 + "]" * 10_000 + "}\n", ["第 1 行", "嵌套层数过多"]),
    ("huge-number.jsonl", '{"title": "某条例", "articles": [{"num": ' + "9" * 5000 + "}]}\n", ["无法读取的数值"]),
    ("negative.jsonl", '{"title": "某条例", "articles": [{"num": -3}]}\n', ["应在 1 至 100000 之间"]),
    ("level-number.jsonl", '{"title": "某条例", "level": 3}\n', ["$.level", "应为文本"]),
    ("lone-surrogate.jsonl", '{"title": "\\ud800某条例"}\n', ["$.title", "无效字符 U+D800"]),
    ("string-top.json", '"某条例"', ["应为对象"]),
    ("float-num.jsonl", '{"title": "某条例", "articles": [{"num": 1.5}]}\n', ["应为整数", "数字 1.5"]),
    ("nan-count.jsonl", '{"title": "某条例", "articles": [{"label": "第一条", "kuan_count": NaN}]}\n', ["应为整数"]),
]


@pytest.mark.parametrize("name, content, phrases", LAW_CASES, ids=[case[0] for case in LAW_CASES])
def test_a_bad_supplement_is_a_usage_error_at_its_first_bad_record(tmp_path, name, content, phrases):
    laws = tmp_path / "laws"
    laws.mkdir()
    (laws / name).write_text(content, encoding="utf-8")
    result = run_cli("check", "--laws", laws, small_list(tmp_path))
    assert_clean(result, 2, "补充法规")
    assert name in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)


def test_a_supplement_in_gbk_names_its_line(tmp_path):
    laws = tmp_path / "规章.jsonl"
    laws.write_bytes('{"title": "某条例"}\n{"title": "青川市某办法"}\n'.encode("gbk"))
    result = run_cli("check", "--laws", laws, small_list(tmp_path))
    assert_clean(result, 2, "不是 UTF-8 编码")
    assert "第 1 行" in result.stderr


def test_a_huge_supplement_is_refused_before_reading(tmp_path):
    laws = tmp_path / "huge.jsonl"
    with open(laws, "wb") as handle:
        handle.truncate(65 * 2**20)  # sparse: costs no disk
    result = run_cli("check", "--laws", laws, small_list(tmp_path))
    assert_clean(result, 2, "过大")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("where", ["in-folder", "given"])
def test_a_fifo_among_the_supplements_is_refused_not_waited_on(tmp_path, where):
    laws = tmp_path / "laws"
    laws.mkdir()
    (laws / "good.jsonl").write_text('{"title": "青川市某条例"}\n', encoding="utf-8")
    fifo = laws / "pipe.jsonl"
    os.mkfifo(fifo)
    target = laws if where == "in-folder" else fifo
    # waiting on the FIFO would never end: the timeout fails the test (no timed assertion,
    # which a loaded machine breaks)
    proc = subprocess.run([sys.executable, "-m", "powercat", "check", "--laws", str(target), str(small_list(tmp_path))],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2, proc.stderr
    assert "不是普通文件" in proc.stderr and "Traceback" not in proc.stderr


def test_a_device_as_a_supplement_is_refused(tmp_path):
    result = run_cli("check", "--laws", "/dev/zero", small_list(tmp_path))
    assert_clean(result, 2, "不是普通文件")


# --- a stuck `dot` or `rsvg-convert`: killed after the timeout, exit 4, earlier outputs intact ---

def _gone(pid: int) -> bool:
    """Dead (a zombie whose parent was killed too counts: nothing runs)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return state in ("Z", "X")


def test_a_dot_that_never_finishes_is_killed_and_ends_in_exit_4(tmp_path, fake_tools, monkeypatch):
    folder, out = lists_folder(tmp_path), tmp_path / "out"
    assert run_cli("build", folder, "--out", out, "--no-booklet").exit_code in (0, 1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    pids = tmp_path / "dot.pids"
    monkeypatch.setenv("FAKE_DOT_SLEEP", "600")
    monkeypatch.setenv("FAKE_DOT_PIDS", str(pids))
    monkeypatch.setenv("POWERCAT_RENDER_TIMEOUT", "1")
    started = time.monotonic()
    result = run_cli("build", folder, "--out", out, "--no-booklet", "--no-cache")  # else nothing is drawn again
    assert_clean(result, 4, "运行超过 1 秒仍未结束，已终止")
    assert time.monotonic() - started < 30  # before: waited for dot for ever
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert all(_gone(int(pid)) for pid in pids.read_text().split())
    assert not list(tmp_path.glob(".out.building-*"))


def test_a_stuck_rsvg_convert_is_killed_with_its_group(tmp_path, monkeypatch):
    from powercat.render.booklet import _run_renderer
    from powercat.render.system import RenderError

    renderer = tmp_path / "rsvg-convert"
    renderer.write_text('#!/bin/sh\nsleep 600 &\necho $! > child.pid\nwait\n', encoding="utf-8")
    renderer.chmod(0o755)
    monkeypatch.setenv("POWERCAT_RENDER_TIMEOUT", "1")
    with pytest.raises(RenderError, match="rsvg-convert 运行超过 1 秒"):
        _run_renderer(str(renderer), ["p0.svg"], tmp_path / "out.pdf", cwd=tmp_path)
    time.sleep(0.2)
    assert _gone(int((tmp_path / "child.pid").read_text()))  # the tool's own children too


# --- Ctrl-C in the first second of build: exit 130 at once, nothing left behind ---

def _lists_with_a_legacy_workbook(tmp_path: Path) -> Path:
    """The sample lists, and the real .xls lists when ../shared is beside the repo: reading an
    .xls forks a reader child, whose blocked send to an interrupted parent was the hang."""
    import shutil

    from ..conftest import DATA, REAL_LISTS

    folder = tmp_path / "lists"
    folder.mkdir()
    for path in DATA.glob("*.xlsx"):
        shutil.copy(path, folder)
    for path in sorted(REAL_LISTS.glob("*.xls"), key=lambda p: p.stat().st_size)[:2] if REAL_LISTS.is_dir() else []:
        shutil.copy(path, folder)
    return folder


@pytest.mark.slow
def test_ctrl_c_in_the_first_second_of_build_ends_it(tmp_path, fake_tools):
    folder, out = _lists_with_a_legacy_workbook(tmp_path), tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-m", "powercat", "build", str(folder), "--out", str(out), "--no-booklet"],
                           capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode in (0, 1), first.stderr[-2000:]
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    pids = tmp_path / "dot.pids"
    env.update(FAKE_DOT_SLEEP="30", FAKE_DOT_PIDS=str(pids))
    # The delay counts from the moment the interpreter is up (it says "R"), not from fork: on a
    # loaded machine Python's own start-up (importing `site`) can take longer than 0.1 s, and
    # a signal there never reaches any code of ours.
    launcher = ("import os, runpy, sys; os.write(1, b'R'); sys.argv[1:] = sys.argv[1:]; "
                "runpy.run_module('powercat', run_name='__main__', alter_sys=True)")
    for delay in (0.1, 0.3, 0.6, 1.0, 1.5):
        proc = subprocess.Popen([sys.executable, "-c", launcher, "build", str(folder), "--out", str(out), "--no-booklet", "--no-cache"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                start_new_session=True)
        assert proc.stdout.read(1) == "R"
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        try:
            _stdout, stderr = proc.communicate(timeout=20)  # before: sometimes never (a reader child held on)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"build still running 20 s after Ctrl-C at {delay} s")
        assert proc.returncode == 130, (delay, stderr[-2000:])
        assert "已中断" in stderr and "Traceback" not in stderr, (delay, stderr[-2000:])
        with pytest.raises(ProcessLookupError):  # no reader child left in the run's process group
            os.killpg(proc.pid, 0)
        assert not list(tmp_path.glob(".out.building-*")), delay
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before, delay
    if pids.exists():
        assert all(_gone(int(pid)) for pid in pids.read_text().split())


def test_build_skips_its_own_catalogue_and_a_supplement_among_the_lists_with_a_notice(tmp_path, fake_tools):
    folder = lists_folder(tmp_path)
    book = openpyxl.Workbook()
    book.active.title = "总目录"
    book.active.append(["行政权力事项目录"])
    book.active.append(["序号", "职权编码", "事项名称", "权力类型", "实施依据", "公开方式"])
    book.active.append([1, "QT-009", "涉密事项核查", "其他行政权力", "依据", "主动公开"])
    book.properties.creator = "powercat"
    book.save(folder / "行政权力事项目录.xlsx")
    (folder / "规章.csv").write_text('{"title": "青川市某条例", "level": "地方性法规"}\n', encoding="utf-8")
    result = run_cli("build", folder, "--out", tmp_path / "out", "--no-booklet", "--json")
    assert_clean(result, 1, "是 powercat 生成的输出文件")
    assert "是补充法规文件" in result.stderr
    import json

    assert json.loads(result.stdout)["counts"]["withheld"] == 1  # the catalogue's public copy of QT-009 was not read


REGISTER_SHAPES = [
    # (header, one row): registers written in other words than the sample's
    (["编号", "职权名称", "相对人", "办理结果"], ["1", "涉密事项核查", "张三", "准予"]),
    (["案件编号", "事项编码", "当事人名称", "立案日期", "处罚决定书文号"], ["A-1", "QT-009", "某公司", "2025-01-02", "青市监罚〔2025〕1号"]),
    (["case:concept:name", "concept:name", "time:timestamp", "org:resource"], ["c1", "受理", "2025-01-02 09:00", "窗口"]),
]


@pytest.mark.parametrize("header, row", REGISTER_SHAPES, ids=["generic-id", "penalty-words", "process-mining"])
def test_registers_in_other_words_are_never_read_as_powers(tmp_path, header, row):
    folder = lists_folder(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(header)
    for n in range(3):
        book.active.append([f"{value}{n}" if i == 0 else value for i, value in enumerate(row)])
    book.save(folder / "登记.xlsx")
    result = run_cli("list", "--json", folder)
    assert result.exit_code == 0, result.stderr
    import json

    assert len(json.loads(result.stdout)["powers"]) == 2
    assert "Traceback" not in result.stderr


def test_build_names_a_register_sheet_inside_a_list_workbook(tmp_path, fake_tools):
    folder = lists_folder(tmp_path)
    book = openpyxl.load_workbook(folder / "某局权力清单.xlsx")
    register = book.create_sheet("办件登记")
    register.append(REGISTER_HEADER)
    register.append(["BJ-1", "QT-009", "涉密事项核查", "某公司", "2025-03-01", "2025-03-10", "准予", "主动公开"])
    book.save(folder / "某局权力清单.xlsx")
    result = run_cli("build", folder, "--out", tmp_path / "out", "--no-booklet", "--json")
    assert_clean(result, 1, "中的工作表“办件登记”是办件登记表")
    import json

    assert json.loads(result.stdout)["counts"]["powers"] == 2
