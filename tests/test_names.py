"""Output names: texts that sanitise alike never share a file, and no control or bidi
character or over-long name reaches the file system."""

import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powercat.names import MAX_NAME_BYTES, distinct_names, distinct_stems, safe_name

from .conftest import DATA, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_safe_names_are_safe(text):
    name = safe_name(text)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert not any(unicodedata.category(ch)[0] == "C" for ch in name)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="甲乙/:|*?<>. \u202e\u200bAa", max_size=6), max_size=8))
def test_distinct_texts_get_distinct_names(texts):
    names = distinct_names(texts)
    assert len({n.casefold() for n in names.values()}) == len(set(texts))
    assert distinct_names(reversed(texts)) == names  # independent of order


def test_same_named_files_in_different_folders():
    stems = distinct_stems(["a/清单.xlsx", "b/清单.xlsx", "c/其他.xls"])
    assert stems["c/其他.xls"] == "其他" and stems["a/清单.xlsx"] != stems["b/清单.xlsx"]
    assert all(s.startswith("清单-") for p, s in stems.items() if "清单" in p)


def _list(path: Path, agency_title: str, name: str) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([agency_title])
    ws.append(["序号", "职权编码", "事项名称", "权力类型", "实施依据", "公开方式"])
    ws.append([1, None, name, "行政检查", "【法律】《中华人民共和国行政许可法》第十二条", "主动公开"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


@needs_dot
def test_colliding_agencies_and_files_get_their_own_outputs(tmp_path):
    inputs = tmp_path / "in"
    for i, sep in enumerate("/:|"):
        _list(inputs / f"f{i}.xlsx", f"甲市{sep}乙测试局权责清单", f"名称事项{i}")
    _list(inputs / "一" / "清单.xlsx", "丁测试局权责清单", "丁事项")
    _list(inputs / "二" / "清单.xlsx", "戊测试局权责清单", "戊事项")
    _list(inputs / "long.xlsx", "很" * 200 + "局权责清单", "长名事项")
    out = tmp_path / "exports"
    result = run_cli("build", inputs, "--out", out, "--as-of", "2026-11-22")
    assert result.exit_code in (0, 1), result.stderr
    public = out / "public"
    booklets = sorted(p.name for p in (public / "flowcharts").glob("*.pdf"))
    assert len([b for b in booklets if b.startswith("甲市_乙测试局")]) == 3
    pages = sorted(p.name for p in (public / "site" / "agencies").glob("甲市*"))
    assert len(pages) == 3
    for i in range(3):  # each page holds its own agency's power
        assert sum(f"名称事项{i}" in (public / "site" / "agencies" / p).read_text(encoding="utf-8") for p in pages) == 1
    copies = sorted(p.name for p in (out / "internal" / "review").glob("清单*.审查意见.xlsx"))
    assert len(copies) == 2
    for path in out.rglob("*"):
        assert len(path.name.encode("utf-8")) <= 255
        assert not any(unicodedata.category(ch)[0] == "C" for ch in path.name), path
