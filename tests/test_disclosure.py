"""Withheld powers never reach public/: the closed 公开方式 vocabulary, the reader's block and
context rules, the leak corpus through `build`, the one way into public outputs, and diff."""

import re
import shutil
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from powercat import disclosure
from powercat.disclosure import ACTIVE, ON_REQUEST, WITHHELD, classify
from powercat.check import run as run_checks
from powercat.ingest import load

from .conftest import DATA, run_cli

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from make_leaks import build as build_leaks  # noqa: E402

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")


@pytest.mark.parametrize("value, reason, status", [
    ("主动公开", "", ACTIVE), ("公开", "", ACTIVE), ("是", "", ACTIVE), ("主动公开（政府网站、政务公开栏）", "", ACTIVE),
    ("政府门户网站", "", ACTIVE), ("依申请公开", "", ON_REQUEST), ("", "", ACTIVE), (None, "不涉及", ACTIVE),
    ("不予公开", "国家秘密", WITHHELD), ("不公开", "", WITHHELD), ("不予以公开", "", WITHHELD), ("涉密", "", WITHHELD),
    ("内部", "", WITHHELD), ("否", "", WITHHELD), ("ＮＯ", "", WITHHELD), ("不\u200b予公开", "", WITHHELD),
    ("\u202e不予公开", "", WITHHELD), ("不\u00ad公开", "", WITHHELD), ("", "商业秘密", WITHHELD),
    ("主动公开", "个人隐私", WITHHELD), ("待定", "", WITHHELD), ("/", "", WITHHELD), ("网上", "", WITHHELD),
    ("部分公开", "", WITHHELD), ("依申请公开；涉及国家秘密的不公开", "", WITHHELD),
])
def test_vocabulary(value, reason, status):
    assert classify(value, reason).status == status


def test_forced_closed_values_name_their_problem():
    assert classify("待定").problem == "disclosure-unrecognised"
    assert classify("", "商业秘密").problem == "disclosure-blank-with-reason"
    assert classify("主动公开", "个人隐私").problem == "disclosure-contradictory"
    assert classify("不予公开", "国家秘密").problem is None


_PUBLIC_WORDS = ("公开", "公示", "主动", "依申请", "网", "栏", "平台", "媒体", "报", "广播", "电视", "大厅", "窗口",
                 "屏", "号", "微博", "发布会", "信用中国", "线上", "线下")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=24))
def test_random_values_are_public_only_when_they_say_so(value):
    verdict = classify(value)
    if not verdict.is_public:
        return
    plain = disclosure.normalise(value)
    upper = plain.upper()
    # public only when the value is blank, a yes-answer, or names a public word or channel,
    # and never when it carries any withholding mark
    assert plain == "" or upper in {"是", "公开", "Y", "YES", "TRUE", "√", "✓", "✔", "○", "1"} or any(
        word in plain for word in _PUBLIC_WORDS), value
    assert not any(mark in plain for mark in disclosure.WITHHOLDING_MARKS)


_HIDING = st.sampled_from(["", "\u200b", "\u200d", "\u00ad", "\u202e", "\u2066", "\ufeff", " ", "\u3000", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["主动公开", "政府网站", "依申请公开", "是", ""]), st.sampled_from(disclosure.WITHHOLDING_MARKS),
       st.lists(_HIDING, min_size=8, max_size=8), st.booleans())
def test_a_hidden_withholding_mark_always_withholds(public, mark, hiding, fullwidth):
    """A withholding word anywhere, split by zero-width, bidi, soft-hyphen or space characters,
    or written full-width, withholds whatever public words surround it."""
    hidden = "".join(ch + hiding[i % len(hiding)] for i, ch in enumerate(mark))
    if fullwidth:
        hidden = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in hidden)
    assert classify(f"{public}{hidden}").status == WITHHELD
    assert classify(f"{hidden}{public}").status == WITHHELD


@pytest.fixture(scope="module")
def leak_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leaks")
    markers = build_leaks(folder / "in")
    return folder, markers


def _texts_of(path: Path) -> str:
    """Everything a reader could see in a file: its name, text, every part of an xlsx, PDF
    text; whitespace removed so that a wrapped label still matches."""
    out = [str(path)]
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            out += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    elif path.suffix == ".pdf":
        out += [page.extract_text() or "" for page in PdfReader(path).pages]
        out.append(path.read_bytes().decode("latin-1"))  # metadata, bookmarks, names
    else:
        out.append(path.read_bytes().decode("utf-8", "replace"))
    return re.sub(r"\s+", "", "\n".join(out))


def _public_texts(out: Path) -> dict[Path, str]:
    files = [p for p in (out / "public").rglob("*") if p.is_file()]
    assert len(files) > 20
    return {p: _texts_of(p) for p in files}


@needs_dot
def test_no_withheld_marker_under_public(leak_corpus):
    folder, markers = leak_corpus
    out = folder / "exports"
    result = run_cli("build", folder / "in", "--out", out, "--as-of", "2026-11-22")
    assert result.exit_code == 1, result.stderr  # the forced-closed values are errors
    texts = _public_texts(out)
    leaks = {m: [str(p.relative_to(out)) for p, t in texts.items() if m in t] for m in markers["withheld"]}
    assert {m: where for m, where in leaks.items() if where} == {}
    # the controls are published: the search would have found a leak
    assert [m for m in markers["public"] if not any(m in t for t in texts.values())] == []
    # nothing lost: every withheld power is in the register or, where its name is a formula
    # never computed, in the review report at its cell
    internal = "".join(_texts_of(p) for p in (out / "internal").rglob("*") if p.suffix in (".xlsx", ".json"))
    assert [m for m in markers["withheld"] if m not in internal] == []


def test_reader_settles_block_and_context(leak_corpus):
    folder, _markers = leak_corpus
    powers = {p.title: p for p in load([str(folder / "in")]).powers}
    for title in ("LK13事项（LK13甲）", "LK13事项（LK13乙）", "LK13事项（LK13丙）", "LK16事项", "LK14事项", "LK15事项"):
        assert powers[title].is_withheld, title
    assert not powers["PUB06事项"].is_withheld and not powers["PUB07事项"].is_withheld
    formula = [p for p in powers.values() if p.source.file.endswith("formulas.xlsx")]
    assert len(formula) == 2 and all(p.is_withheld for p in formula)  # both kept, both closed
    assert {(pr.code, pr.column, pr.row) for p in formula for pr in p.problems} >= {
        ("cell-formula-uncached", "G", 3), ("cell-formula-uncached", "C", 4)}


def test_findings_point_at_the_cells(leak_corpus):
    folder, _ = leak_corpus
    import json

    result = run_cli("check", folder / "in", "--json", "--select", "disclosure-,cell-")
    report = json.loads(result.stdout)
    where = {(Path(f["file"]).name, f["code"], f["row"], f["column"]) for f in report["findings"]}
    assert ("spelling-LK07.xlsx", "disclosure-unrecognised", 3, "G") in where
    assert ("spelling-LK06.xlsx", "disclosure-blank-with-reason", 3, "G") in where
    assert ("spelling-LK10.xlsx", "disclosure-contradictory", 3, "G") in where
    assert ("formulas.xlsx", "cell-formula-uncached", 4, "C") in where
    # a second 公开方式 column is read too, and its own cell is named
    assert ("two-columns.xlsx", "disclosure-columns-disagree", 3, "I") in where
    assert ("two-columns.xlsx", "disclosure-unrecognised", 4, "I") in where
    assert not any(name == "two-columns.xlsx" and row == 5 for name, _code, row, _col in where)  # 主动公开 + 是
    assert all("不予公开" in f["message"] or "公式" in f["message"] for f in report["findings"])


@needs_dot
def test_every_public_writer_uses_public_records(tmp_path, monkeypatch):
    """Takes one ordinary public power out of what `public_records` returns, everywhere it is
    imported: if any writer of a public file read the catalogue instead, the power would
    still appear under public/."""
    from powercat.publish import records

    original = records.public_records
    victim = "519901202XK00500"  # the code of a public power of the sample data (跨越、穿越公路…审批)

    def without_victim(catalogue):
        return [r for r in original(catalogue) if r.power.code != victim]

    patched = 0
    for module in list(sys.modules.values()):
        if getattr(module, "public_records", None) is original:
            monkeypatch.setattr(module, "public_records", without_victim)
            patched += 1
    assert patched >= 2
    assert any(p.code == victim and not p.is_withheld for p in load([str(DATA)]).powers)
    out = tmp_path / "exports"
    assert run_cli("build", DATA, "--out", out, "--as-of", "2026-11-22").exit_code in (0, 1)
    texts = _public_texts(out)
    assert [str(p) for p, t in texts.items() if victim in t or "跨越、穿越" in t] == []


def test_diff_table_leaves_withheld_powers_out(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    header = ["序号", "职权编码", "事项名称", "权力类型", "实施依据", "公开方式", "不予公开理由"]
    for folder, basis in ((old, "依据甲"), (new, "依据乙")):
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(["差异测试局权责清单"])
        ws.append(header)
        ws.append([1, "D-1", "LKD1涉密检查", "行政检查", basis, "不予公开", "国家秘密：LKD1理由"])
        ws.append([2, "D-2", "公开检查事项", "行政检查", basis, "主动公开", ""])
        if folder is new:
            ws.append([3, "D-3", "LKD3新增涉密", "行政检查", basis, "涉密", "国家秘密"])
        book.save(folder / "清单.xlsx")
    public_table, internal_table = tmp_path / "调整对照表.xlsx", tmp_path / "内部对照表.xlsx"
    result = run_cli("diff", old, new, "--out", public_table, "--internal-out", internal_table)
    assert result.exit_code == 0, result.stderr
    public_text = _texts_of(public_table)
    assert "公开检查事项" in public_text and "LKD" not in public_text and "D-1" not in public_text
    assert "2项涉及依法不予公开的事项" in public_text
    internal_text = _texts_of(internal_table)
    assert "LKD1" in internal_text and "LKD3" in internal_text and "不得公开" in internal_text


def test_vocabulary_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "disclosure.md").read_text(encoding="utf-8")
    for mark in disclosure.WITHHOLDING_MARKS:
        assert mark in doc, mark
    assert unicodedata.normalize("NFKC", "ＮＯ") == "NO"


def test_a_power_withheld_by_one_record_is_withheld_by_all(leak_corpus):
    """The gate decides per power (agency + code, else agency + name + 子项), and says so at
    the cell of each record it closed, naming the record that withholds."""
    folder, _markers = leak_corpus
    catalogue = load([str(folder / "in" / "identity-a.xlsx"), str(folder / "in" / "identity-b.xlsx")])
    by_title = {}
    for power in catalogue.powers:
        by_title.setdefault(power.title, []).append(power)
    assert all(p.is_withheld for t in ("LK34事项", "LK35事项（LK35子项）") for p in by_title[t])
    assert not by_title["PUB10事项"][0].is_withheld
    report = run_checks(catalogue)
    notes = [f for f in report.findings if f.code == "disclosure-withheld-elsewhere"]
    assert sorted((f.file.rsplit("/", 1)[-1], f.row, f.column) for f in notes) == [
        ("identity-b.xlsx", 3, "G"), ("identity-b.xlsx", 4, "G")]
    assert all("identity-a.xlsx" in f.message and "不予公开" in f.message for f in notes)
    # and no "withheld without a reason" on the records the gate closed
    assert not [f for f in report.findings if f.code == "withheld-no-reason" and f.file.endswith("identity-b.xlsx")]


def test_another_agency_with_the_same_code_is_another_power(tmp_path):
    from make_leaks import SECRET, book, row

    book(tmp_path / "a.xlsx", [row("C-1", "某事项", "不予公开", SECRET)], title="甲县应急管理局权责清单")
    book(tmp_path / "b.xlsx", [row("C-1", "某事项", "主动公开")], title="乙县应急管理局权责清单")
    catalogue = load([str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx")])
    assert [p.is_withheld for p in catalogue.powers] == [True, False]
