"""With --json, stdout always carries one JSON document: a command that ends in an error
before writing its own (no input, no readable copy, a usage error) writes {"error": …} with
the exit code and what it said on stderr — it used to print nothing at all."""

import json
import subprocess
import sys

import pytest


def _run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "powercat", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.mark.parametrize("command", [["build", "--out", "o"], ["flowchart", "--out", "o"],
                                     ["review", "--out", "o"]])
def test_a_failed_json_run_writes_an_error_document(tmp_path, command):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "说明.txt").write_text("不是工作簿", encoding="utf-8")
    done = _run(command[0], "empty", *command[1:], "--json", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    error = json.loads(done.stdout)["error"]
    assert error["exit_code"] == 3
    assert error["message"] and error["message"].splitlines()[0] in done.stderr
    assert "构建：" not in error["message"]  # a progress bar is not a message
    assert not (tmp_path / "o").exists()


def test_a_usage_error_with_json_names_the_option(tmp_path):
    done = _run("list", "--json", "--no-such-option", cwd=tmp_path)
    assert done.returncode == 2
    assert json.loads(done.stdout) == {"error": {"exit_code": 2, "message": "No such option: --no-such-option"}}


def test_a_run_that_writes_its_json_writes_nothing_else(tmp_path):
    (tmp_path / "empty").mkdir()
    done = _run("check", "empty", "--json", cwd=tmp_path)  # check's own JSON, exit 3: no second document
    assert done.returncode == 3
    assert "error" not in json.loads(done.stdout)
