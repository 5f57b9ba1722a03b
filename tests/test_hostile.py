"""The hostile corpus (tests/hostile/make_corpus.py), property tests on arbitrary and
mutated input, kill -9 during a build, and determinism of the outputs."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powercat.ingest import load_file

from .conftest import DATA, ROOT, run_cli

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from make_corpus import build as build_corpus  # noqa: E402

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build_corpus(folder)


def test_corpus_covers_the_cases(corpus):
    _folder, expected = corpus
    assert len(expected) >= 20
    assert {"billion-laughs.xlsx", "zip-bomb.xlsx", "too-many-rows.xlsx", "too-many-columns.xlsx", "macros.xlsm",
            "external-link.xlsx", "formulas.xlsx", "long-cell.xlsx", "control-chars.xlsx", "lone-surrogate.csv",
            "mixed-encoding.csv", "nul.csv", "empty.csv", "dangling-link.xlsx"} <= set(expected)


def test_each_hostile_file(corpus):
    folder, expected = corpus
    for name, (code, phrase) in expected.items():
        started = time.perf_counter()
        result = run_cli("list", "--json", folder / name)
        assert result.exit_code == code, (name, result.stderr)
        assert phrase in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        json.loads(result.stdout)  # always valid JSON, even with control characters in cells
        assert time.perf_counter() - started < 20, name


def test_the_whole_corpus_at_once_lists_the_good_files(corpus):
    folder, expected = corpus
    result = run_cli("list", "--json", folder)
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    readable = {Path(f["path"]).name for f in data["files"] if f["error"] is None}
    assert readable == {n for n, (code, _p) in expected.items() if code == 0}


def test_formulas_read_as_their_cached_values_and_never_run(corpus):
    folder, _ = corpus
    powers = load_file(str(folder / "formulas.xlsx")).powers
    assert [(p.name, p.category) for p in powers] == [("某项许可", "行政许可"), ("某项处罚", "行政处罚")]


def test_control_characters_are_removed(corpus):
    folder, _ = corpus
    [power] = load_file(str(folder / "control-chars.xlsx")).powers
    assert power.name == "含控制字符事项"


def test_defusedxml_refuses_the_entity_bomb_in_openpyxl(corpus, tmp_path):
    folder, _ = corpus
    import defusedxml
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    with pytest.raises(ValueError) as refused:  # openpyxl wraps defusedxml's refusal
        openpyxl.load_workbook(folder / "billion-laughs.xlsx")
    chain, error = [], refused.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, defusedxml.DefusedXmlException) for e in chain)
    result = run_cli("check", "--annotate", tmp_path, folder / "billion-laughs.xlsx")
    assert result.exit_code == 3 and "XML 实体" in result.stderr and not list(tmp_path.iterdir())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".xls", ".csv", ".xlsm"]))
def test_arbitrary_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    result = load_file(str(path))
    assert result.error is None or result.error.message.startswith(str(path))
    json.dumps([p.name for p in result.powers], ensure_ascii=False).encode("utf-8")


SMALL_REAL = "克拉玛依市委宣传部（新闻出版局）2024年权责清单 (1).xlsx"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40), cut=st.booleans())
def test_mutated_real_workbooks_never_raise(tmp_path, real_lists, seed, flips, cut):
    data = bytearray((real_lists / SMALL_REAL).read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if cut:
        data = data[: rng.randrange(1, len(data))]
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(bytes(data))
    result = load_file(str(path))
    assert result.error is None or result.error.code in {
        "corrupt-zip", "corrupt-workbook", "zip-no-workbook", "no-power-table", "zip-bomb", "sheet-too-large",
        "unknown-format", "encrypted"}


def test_cli_on_arbitrary_bytes_exits_cleanly(tmp_path):
    rng = random.Random(42)
    for i in range(10):
        (tmp_path / f"f{i}.xlsx").write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))))
    proc = subprocess.run([sys.executable, "-m", "powercat", "check", "--json", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1, 3) and "Traceback" not in proc.stderr
    json.loads(proc.stdout)


@needs_dot
@pytest.mark.slow
def test_kill_9_during_build_keeps_previous_exports(tmp_path):
    out = tmp_path / "exports"
    first = subprocess.run([sys.executable, "-m", "powercat", "build", str(DATA), "--out", str(out),
                            "--as-of", "2026-11-22"], capture_output=True, text=True, timeout=300)
    assert first.returncode == 1, first.stderr
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.csv")}
    (out / "public" / "marker.txt").write_text("previous build")  # inside: a file added at the top is refused
    rng = random.Random(7)
    killed = 0
    for attempt in range(8):
        # every other build without the cache: a rebuild from the cache is over in ~2 s
        uncached = attempt % 2 == 1
        proc = subprocess.Popen([sys.executable, "-m", "powercat", "build", str(DATA), "--out", str(out),
                                 "--as-of", "2026-11-22", *(["--no-cache"] if uncached else [])],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 3.0) if uncached else rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.returncode != -signal.SIGKILL:  # it had finished: a complete build replaced the outputs
            assert proc.returncode == 1 and not (out / "public" / "marker.txt").exists(), attempt
            (out / "public" / "marker.txt").write_text("previous build")
            before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.csv")}
            continue
        killed += 1
        assert (out / "public" / "marker.txt").read_text() == "previous build", attempt
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*.csv")} == before
    assert killed >= 4
    last = subprocess.run([sys.executable, "-m", "powercat", "build", str(DATA), "--out", str(out),
                           "--as-of", "2026-11-22"], capture_output=True, text=True, timeout=300)
    assert last.returncode == 1
    assert not (out / "public" / "marker.txt").exists()  # replaced by the fresh build
    # leftovers cleaned; the rebuild cache beside the output stays (filecache.py), never half an entry
    # (the lock file too: a finished run removes it; the killed ones left theirs, and the last run took it)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".exports.powercat-cache", "exports"]
    assert not (tmp_path / ".exports.powercat-cache" / ".incoming").exists()


def _xlsx_cells(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in book.worksheets]


@needs_dot
@pytest.mark.slow
def test_two_builds_are_identical(tmp_path):
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run_cli("build", DATA, "--out", out, "--as-of", "2026-11-22")
        assert result.exit_code == 1
        outs.append(out)
    a, b = outs
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    compared = 0
    for rel in files:
        if rel.suffix in (".csv", ".json", ".svg", ".html", ".css", ".js"):
            assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
            compared += 1
        elif rel.suffix == ".xlsx":
            assert _xlsx_cells(a / rel) == _xlsx_cells(b / rel), rel
            compared += 1
    assert compared > 150


def test_corpus_script_runs_standalone(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "hostile" / "make_corpus.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "zip-bomb.xlsx\t3" in proc.stdout
    with zipfile.ZipFile(tmp_path / "zip-bomb.xlsx") as archive:
        assert sum(i.file_size for i in archive.infolist()) > 50 * 2**20
    assert os.path.getsize(tmp_path / "zip-bomb.xlsx") < 200_000


def test_an_xls_that_kills_its_reader_is_one_bad_file(monkeypatch, tmp_path, real_lists):
    """Corrupt .xls files can make calamine allocate 16 GB and abort (found by
    benchmarks/fuzz_ingest.py); .xls is read in a child process, so only that file fails."""
    from powercat.ingest import workbook

    monkeypatch.setattr(workbook, "read_sheets", lambda data: os.abort())
    shutil.copy(real_lists / "克拉玛依市医疗保障局2024年权责清单.xls", tmp_path)
    shutil.copy(DATA / "青川市市场监督管理局权力清单.xlsx", tmp_path)
    result = run_cli("list", "--json", tmp_path)
    assert result.exit_code == 3
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["克拉玛依市医疗保障局2024年权责清单.xls"]["error"]["code"] == "corrupt-workbook"
    assert files["青川市市场监督管理局权力清单.xlsx"]["items"] == 24


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 200))
def test_mutated_real_xls_never_raise(tmp_path, real_lists, seed, flips):
    data = bytearray((real_lists / "克拉玛依市医疗保障局2024年权责清单.xls").read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path = tmp_path / "mutated.xls"
    path.write_bytes(bytes(data))
    result = load_file(str(path))
    assert result.error is None or result.error.message.startswith(str(path))


sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from make_more import build as build_more  # noqa: E402


@pytest.fixture(scope="module")
def more_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-more")
    return folder, build_more(folder)


def test_second_corpus_covers_the_classes(more_corpus):
    _folder, cases = more_corpus
    assert len(cases) >= 20
    assert {"pipe.xlsx", "ods-rows.ods", "ods-gap.ods", "csv-wide.csv", "csv-long.csv", "formula-uncached.xlsx",
            "named-like-steps.xlsx", "steps-dense-cycles.xlsx", "bidi-agency.xlsx"} <= set(cases)


def test_each_case_of_the_second_corpus(more_corpus):
    folder, cases = more_corpus
    for name, (command, code, phrase) in cases.items():
        started = time.perf_counter()
        result = run_cli(*command, folder / name)
        output = result.stdout + result.stderr
        assert result.exit_code == code, (name, output[-800:])
        assert phrase in output, (name, output[-800:])
        assert "Traceback" not in output and "\u202e" not in output, name
        assert time.perf_counter() - started < 30, name
