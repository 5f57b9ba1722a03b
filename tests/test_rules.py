"""The one catalogue (powercat/rules.py): rules and file errors declared once, the Finding
factory, the exception base and the exit codes."""

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from powercat import errors, rules
from powercat.check import check_powers, finding_codes
from powercat.check.catalogue import fee_no_basis
from powercat.check.context import Context
from powercat.check.docs import render
from powercat.check.findings import RULES, WARNING, Place, finding, rule
from powercat.ingest.loader import load_file
from powercat.ingest.sniff import SniffError
from powercat.law.registry import default_registry
from powercat.model import Catalogue, Power, Source

ROOT = Path(__file__).resolve().parent.parent


def _power(**cells) -> Power:
    return Power(Source("清单.xlsx", "权责清单", 7), cells.pop("name", "某项许可"), "行政许可",
                 columns={"fee": "K", "basis": "F", "name": "C"}, **cells)


@pytest.fixture
def scratch_rule():
    """A rule declared by a test, taken out of the catalogue again afterwards."""
    declared = []
    yield declared
    for code in declared:
        RULES.pop(code, None)


# -- a rule declared once ----------------------------------------------------------------------

def test_a_rule_declared_with_its_function_is_documented_and_run(scratch_rule):
    scratch_rule.append("fee-test-only")

    @rule("fee-test-only", WARNING, "catalogue", title="测试收费规则", template="收费“{fee}”用于测试",
          description="A rule only this test declares.")
    def fee_test_only(power, _ctx):
        if power.fee:
            yield finding("fee-test-only", power, "fee", fee=power.fee)

    assert RULES["fee-test-only"].check is fee_test_only and RULES["fee-test-only"].title == "测试收费规则"
    assert "| `fee-test-only` | 测试收费规则 | warning（警告） |  | A rule only this test declares. | 收费“{fee}”用于测试 |" \
        in render()
    assert "fee-test-only" in finding_codes()
    # one edit: the check runs it on every power without any wiring
    found = check_powers([_power(fee="每件10元")], dt.date(2026, 12, 1), registry=default_registry())
    mine = [f for f in found if f.code == "fee-test-only"]
    assert [(f.file, f.sheet, f.row, f.column, f.field, f.power, f.message) for f in mine] == \
        [("清单.xlsx", "权责清单", 7, "K", "fee", "某项许可", "收费“每件10元”用于测试")]


def test_existing_rule_functions_are_in_the_catalogue():
    assert RULES["fee-no-basis"].check is fee_no_basis
    ctx = Context(registry=default_registry(), as_of=dt.date(2026, 12, 1))
    assert [f.message for f in fee_no_basis(_power(fee="每件10元"), ctx)] == ["收费“每件10元”未写明收费依据"]
    assert list(fee_no_basis(_power(fee="每件10元（依据《某收费标准》）"), ctx)) == []


def test_duplicate_and_incomplete_declarations_are_refused(scratch_rule):
    with pytest.raises(ValueError, match="declared twice"):
        rules.declare("basis-missing", "error", "legal", "重复", "重复", "A second basis-missing.")
    with pytest.raises(ValueError, match="declared twice"):
        rule("zip-bomb", "error", "file", title="重复", template="重复", description="A second zip-bomb.")(lambda p, c: [])
    with pytest.raises(ValueError, match="kebab-case"):
        rules.declare("Fee_Test", "error", "catalogue", "名称", "模板", "Not kebab-case.")
    with pytest.raises(ValueError, match="unknown severity"):
        rules.declare("fee-test-fatal", "fatal", "catalogue", "名称", "模板", "No such severity.")
    with pytest.raises(ValueError, match="required"):
        rules.declare("fee-test-untitled", "error", "catalogue", "", "模板", "No title.")
    assert not any(code.startswith("fee-test") for code in RULES)
    assert RULES["basis-missing"].title == "缺少实施依据"  # the first declaration stands


def test_every_rule_is_complete_and_in_a_documented_family():
    documented = render()
    for code, r in RULES.items():
        assert r.family in rules.FAMILIES and r.title and r.template and r.description, code
        assert f"| `{code}` | {r.title} |" in documented, code


# -- the Finding factory --------------------------------------------------------------------------

def test_factory_positions_from_the_record():
    power = _power(basis="")
    on_power = finding("basis-missing", power, "basis")
    assert (on_power.file, on_power.sheet, on_power.row, on_power.column, on_power.field, on_power.power) == \
        ("清单.xlsx", "权责清单", 7, "F", "basis", "某项许可")
    assert on_power.severity == "error" and on_power.message == RULES["basis-missing"].template
    # a field the sheet has no column for: the row, no cell
    assert finding("limit-statutory-missing", power, "statutory_limit", derived="").column is None
    on_source = finding("case-id-missing", Source("办件.xlsx", "登记", 12))
    assert (on_source.file, on_source.sheet, on_source.row, on_source.column, on_source.power) == \
        ("办件.xlsx", "登记", 12, None, None)
    on_file = finding("file-duplicate", "甲.xlsx", other="乙.xlsx", how="字节完全相同")
    assert (on_file.file, on_file.sheet, on_file.row, on_file.message) == ("甲.xlsx", None, None, "与 乙.xlsx 字节完全相同，可能重复提交")
    on_step = finding("process-dead-end", Place.of(Source("清单.xlsx", "运行流程", 30), "E", power.title), "next",
                      step="3", name="审查")
    assert (on_step.sheet, on_step.row, on_step.column, on_step.field, on_step.power) == ("运行流程", 30, "E", "next", "某项许可")


def test_factory_template_fields_named_like_positions():
    # `field` and `sheet` are template fields of review rules: they fill the message, not the position
    edit = finding("review-edit-not-applied", Place.of(Source("副本.xlsx", "清单", 3)), "fee",
                   office="法制办", field="收费", before="无", after="10元")
    assert edit.field == "fee" and "修改了收费：“无”→“10元”" in edit.message
    columns = finding("review-no-decision-columns", Place("副本.xlsx", "附表", 2), sheet="附表")
    assert columns.sheet == "附表" and "“附表”没有审核结论列" in columns.message
    with pytest.raises(KeyError):
        finding("basis-law-repealed", _power(), "basis", title="某法")  # a template field left out is a bug


# -- file errors in the same catalogue ------------------------------------------------------------

_RAISED = re.compile(r"""(?:SniffError\.of|file_error)\((?:[^,"]+,\s*)?"([a-z-]+)"(?:,\s*"([a-z-]+)")?""")


def test_every_file_error_raised_is_declared_with_its_wording():
    raised = set()
    for path in [*ROOT.joinpath("powercat").rglob("*.py")]:
        for code, variant in _RAISED.findall(path.read_text(encoding="utf-8")):
            raised.add(code)
            assert RULES[code].family == "file", code
            assert not variant or variant in RULES[code].variants, (code, variant)
        # a file error is raised from the catalogue, never with a message written on the spot
        assert not re.search(r'SniffError\("[a-z-]+", ["f]', path.read_text(encoding="utf-8")), path
    assert len(raised) >= 18
    assert raised == {code for code, r in RULES.items() if r.family == "file"}
    assert not set(finding_codes()) & raised  # not findings: --select cannot name them


def test_file_error_messages_come_from_the_catalogue(tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    many = tmp_path / "部件过多.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"p{i}", "")
    fifo = tmp_path / "管道.xlsx"
    import os

    os.mkfifo(fifo)
    for path, code, variant, values in [(empty, "empty-file", None, {}),
                                        (many, "zip-bomb", "entries", {"count": 10_001}),
                                        (fifo, "not-a-regular-file", None, {}),
                                        (tmp_path, "file-unreadable", "folder", {}),
                                        (tmp_path / "无.xlsx", "file-not-found", None, {})]:
        error = load_file(str(path)).error
        assert (error.code, error.message) == (code, f"{path}：{RULES[code].message(variant, **values)}")


# -- one exception base, exit codes in one module --------------------------------------------------

def test_exceptions_share_one_base_with_their_exit_codes():
    from powercat.pipeline.commands import NoInput
    from powercat.engine import EngineError
    from powercat.law.supplement import SupplementError
    from powercat.output import OutputError, WriteFailed
    from powercat.publish.guide import NoBrowser
    from powercat.render.booklet import BookletError
    from powercat.render.system import MissingComponent, RenderError, ToolTimeout
    from powercat.review.run import ReviewError

    expected = {OutputError: errors.EXIT_OUTPUT, WriteFailed: errors.EXIT_OUTPUT,
                EngineError: errors.EXIT_MISSING_COMPONENT, ReviewError: errors.EXIT_USAGE,
                NoBrowser: errors.EXIT_MISSING_COMPONENT, MissingComponent: errors.EXIT_MISSING_COMPONENT,
                RenderError: errors.EXIT_MISSING_COMPONENT, ToolTimeout: errors.EXIT_MISSING_COMPONENT,
                BookletError: errors.EXIT_MISSING_COMPONENT, SupplementError: errors.EXIT_USAGE,
                SniffError: errors.EXIT_UNREADABLE}
    for cls, code in expected.items():
        assert issubclass(cls, errors.PowercatError) and cls.exit_code == code, cls
    assert NoInput(Catalogue(), Path("out")).exit_code == errors.EXIT_UNREADABLE
    assert ReviewError("没有副本", errors.EXIT_UNREADABLE).exit_code == 3 and ReviewError("x").exit_code == 2
    assert MissingComponent("找不到 dot", "apt-get install graphviz").message == "找不到 dot"
    assert SniffError.of("encrypted", "open-password").message == "工作簿已加密（设有打开密码），请去除密码后另存再提交"
    assert issubclass(SupplementError, ValueError) and issubclass(RenderError, RuntimeError)  # still caught as before


def test_exit_codes_are_defined_in_one_module():
    pattern = re.compile(r"^\s*EXIT_[A-Z_]+(?:\s*,\s*EXIT_[A-Z_]+)*\s*=", re.M)
    defining = [p.relative_to(ROOT).as_posix() for p in ROOT.joinpath("powercat").rglob("*.py")
                if pattern.search(p.read_text(encoding="utf-8"))]
    assert defining == ["powercat/errors.py"]


def test_cli_top_level_turns_the_base_into_message_and_exit_code(tmp_path):
    script = ("import powercat.cli as cli\n"
              "from powercat.review.run import ReviewError\n"
              "def app(**_):\n"
              "    raise ReviewError('没有找到审核副本，请检查路径', 3)\n"
              "cli.app = app\n"
              "cli.run()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                          cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "POWERCAT_NO_REEXEC": "1", "PYTHONUTF8": "1",
                                             "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 3
    assert "没有找到审核副本，请检查路径" in done.stderr and "Traceback" not in done.stderr
