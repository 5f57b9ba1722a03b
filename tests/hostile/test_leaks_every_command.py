"""The leak build over every command: withheld powers (LK markers, tests/hostile/make_leaks.py)
and natural persons' data planted through every route — lists, a register among the lists,
the 办件登记 folder, review copies, the old and new sides of a diff — and searched for in
everything each command writes for the public: file names, every xlsx part, CSV/JSON/SVG/HTML,
SQLite pages, PDF text, bookmarks and metadata."""

from __future__ import annotations

import re
import shutil
import sqlite3
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from powercat.ingest.template import write_workbook

from ..conftest import run_cli
from .make_leaks import build as build_leaks

needs_tools = pytest.mark.skipif(shutil.which("dot") is None or shutil.which("rsvg-convert") is None,
                                 reason="Graphviz dot and rsvg-convert are needed for the build")

# personal data of natural persons, in the forms a register holds them (all fictional: region 519901)
ID_18, ID_15 = "519901198503124517", "519901850312451"
PHONE, LANDLINE, CARD = "138-1234-5678", "(0839)5551234", "6222 0212 3456 7890 123"
EMAIL, VILLAGE = "lkp.owner@example.com", "住在青川县石桥镇柳林村十组"
PEOPLE = ("欧阳璟骁", "司马霁月", "上官芷汀")  # given names no masking keeps: 璟骁 霁月 芷汀
PERSONAL = (ID_18, ID_15, PHONE, LANDLINE, CARD, EMAIL, "柳林村十组", "璟骁", "霁月", "芷汀")


def _digits(text: str) -> str:
    """NFKC, and separators between digits dropped: 138-1234-5678 and １３８ 1234 5678 alike."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=\d)[\s\-.·/()（）]+(?=\d)", "", text)


def _texts_of(path: Path) -> str:
    out = [path.name]
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as archive:
            out += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    elif data[:5] == b"%PDF-":
        reader = PdfReader(path)
        out += [page.extract_text() or "" for page in reader.pages]
        out += [str(v) for v in (reader.metadata or {}).values()]
        stack = list(reader.outline)
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            else:
                out.append(str(item.title))
        out.append(data.decode("latin-1"))
    elif data[:16] == b"SQLite format 3\x00":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            for (table,) in db.execute("select name from sqlite_master where type='table'"):
                out += [repr(row) for row in db.execute(f'select * from "{table}"')]
        out.append(data.decode("utf-8", "replace"))
    else:
        out.append(data.decode("utf-8", "replace"))
    return _digits(re.sub(r"\s+", "", "\n".join(out)))


def _leaks(files: list[Path], secrets) -> dict[str, list[str]]:
    texts = {p: _texts_of(p) for p in files}
    found = {}
    for secret in secrets:
        needle = _digits(re.sub(r"\s+", "", secret))
        where = [str(p) for p, t in texts.items() if needle in t or needle in _digits(str(p))]
        if where:
            found[secret] = where
    return found


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _register_rows(codes: dict[str, str]) -> list[dict]:
    """Cases of a withheld power (LK01) and of a public one (PUB01), parties natural persons."""
    return [
        {"case_id": "LKC-1", "power_code": codes["LK01"], "party": PEOPLE[0], "party_type": "自然人", "party_id": ID_18,
         "accepted": "2025-03-03", "decided": "2025-03-20", "served": "2025-03-21", "disclosed": "2025-03-24",
         "doc_no": "拼测罚〔2025〕LKDOC1号", "result": "责令整改", "disclosure_way": "主动公开"},
        {"case_id": "PUBC-1", "power_code": codes["PUB01"], "party": PEOPLE[1], "party_type": "居民",
         "party_id": ID_15, "accepted": "2025-04-01", "decided": "2025-04-08", "served": "2025-04-09",
         "disclosed": "2025-04-10", "doc_no": f"对照查〔2025〕1号（{PEOPLE[1]}）",
         "result": f"责令整改；联系电话{PHONE}，座机{LANDLINE}，邮箱{EMAIL}", "remark": f"{VILLAGE}，退款账号{CARD}",
         "disclosure_way": "主动公开"},
        {"case_id": "PUBC-2", "power_code": codes["PUB01"], "party": f"{PEOPLE[2]}与某某", "party_type": "",
         "accepted": "2025-04-01", "decided": "2025-04-08", "served": "2025-04-09", "disclosed": "2025-04-10",
         "doc_no": "对照查〔2025〕2号", "result": "未发现问题", "disclosure_way": "主动公开"},
        {"case_id": "PUBC-3", "power_code": codes["PUB01"], "party": "LKCASE涉密测试有限公司", "party_type": "法人",
         "accepted": "2025-04-01", "decided": "2025-04-08", "doc_no": "LKCASE号", "result": "未发现问题",
         "disclosure_way": "涉密"},
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("every-command")
    lists = root / "in"
    markers = build_leaks(lists)
    # the fields the open data gained (责任事项, 追责情形, 行使条件): a withheld
    # power's marker in them must stay internal, a public power's must be published
    write_workbook(lists / "责任事项测试局2024年权责清单.xlsx", {"name": "责任事项测试局"}, [
        {"code": "C-LK36", "name": "责任事项测试事项", "category": "行政检查", "basis": "依据",
         "disclosure": "不予公开", "exemption": "国家秘密", "duty": "1.检查责任：LK36责任标记",
         "accountability": "LK36追责标记", "conditions": "LK36条件标记"},
        {"code": "C-PUB36", "name": "责任事项对照事项", "category": "行政检查", "basis": "依据",
         "disclosure": "主动公开", "duty": "1.检查责任：PUB36责任标记", "accountability": "PUB36追责标记"}])
    markers = {"withheld": [*markers["withheld"], "LK36"], "public": [*markers["public"], "PUB36责任标记", "PUB36追责标记"]}
    codes = {"LK01": "C-LK01", "PUB01": "C-PUB01"}
    registers = lists / "办件登记"
    registers.mkdir()
    write_workbook(registers / "对照测试局办件登记.xlsx", records=_register_rows(codes))
    # the same register dropped among the lists, where only its header says what it is
    write_workbook(lists / "混入清单文件夹的办件登记.xlsx", records=_register_rows(codes))
    return root, lists, markers


def _assert_clean(files: list[Path], markers: dict, *, cases: bool = False) -> None:
    assert files, "nothing was written"
    secrets = [*markers["withheld"], "LKCASE", "LKDOC"] + (list(PERSONAL) if cases else [])
    assert _leaks(files, secrets) == {}


@needs_tools
def test_build(corpus):
    root, lists, markers = corpus
    out = root / "build"
    result = run_cli("build", lists, "--out", out, "--as-of", "2025-12-31")
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    public = _files(out / "public")
    assert any(p.parts[-2:-1] == ("cases",) or "cases" in p.parts for p in public)
    _assert_clean(public, markers, cases=True)
    # the controls are there: a search that finds nothing would prove nothing
    text = "".join(_texts_of(p) for p in public)
    assert [m for m in markers["public"] if m not in text] == []
    # nothing lost: every withheld power is in the internal register
    internal = "".join(_texts_of(p) for p in _files(out / "internal") if p.suffix in (".xlsx", ".json"))
    assert [m for m in markers["withheld"] if m not in internal] == []


@needs_tools
def test_catalogue_and_flowchart(corpus):
    root, lists, markers = corpus
    result = run_cli("catalogue", lists, "--out", root / "catalogue")
    assert result.exit_code in (0, 3), result.stderr
    _assert_clean(_files(root / "catalogue"), markers)
    result = run_cli("flowchart", lists, "--out", root / "charts")
    assert result.exit_code in (0, 3), result.stderr
    _assert_clean(_files(root / "charts"), markers)


def test_cases(corpus):
    root, lists, markers = corpus
    out = root / "cases"
    result = run_cli("cases", lists / "办件登记", "--catalogue", lists, "--out", out, "--as-of", "2025-12-31")
    assert result.exit_code in (0, 1), result.stderr
    _assert_clean(_files(out / "public"), markers, cases=True)
    internal = "".join(_texts_of(p) for p in _files(out / "internal"))
    assert ID_18 in internal and "LKCASE" in internal  # kept for the office, nothing lost


def test_diff(corpus):
    root, lists, markers = corpus
    new = root / "diff-new"
    shutil.copytree(lists, new)
    (new / "spelling-LK01.xlsx").unlink()  # a withheld power cancelled
    book = openpyxl.load_workbook(new / "controls.xlsx")  # a public one changed
    book.active["F3"] = "【法律】《中华人民共和国行政许可法》第十三条"
    book.save(new / "controls.xlsx")
    table = root / "调整对照表.xlsx"
    result = run_cli("diff", lists, new, "--out", table, "--internal-out", root / "内部对照表.xlsx")
    assert result.exit_code == 0, result.stderr
    _assert_clean([table], markers)


def test_review_round_trip(corpus):
    root, lists, markers = corpus
    copies = root / "copies"
    assert run_cli("check", lists, "--annotate", copies).exit_code in (0, 1, 3)
    out = root / "review"
    result = run_cli("review", copies, "--out", out, "--list", lists)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    _assert_clean([p for p in _files(out) if p.name.startswith("调整对照表")], markers)
    # the confirmed lists, built again, publish nothing withheld
    confirmed = out / "确认清单"
    if shutil.which("dot") and shutil.which("rsvg-convert"):
        rebuilt = root / "rebuilt"
        assert run_cli("build", confirmed, "--out", rebuilt, "--as-of", "2025-12-31").exit_code in (0, 1)
        _assert_clean(_files(rebuilt / "public"), markers)


def test_template_from_keeps_withheld_inside(corpus):
    """`template --from` is the officers' working copy: every withheld power is in it (nothing
    lost), written out as 不予公开 however the list withheld it (a sheet, a section, a parent
    事项); the copies built again — with the 办事指南 PDFs — publish none of them."""
    root, lists, markers = corpus
    out = root / "templates"
    result = run_cli("template", "--from", lists, "--out", out)
    assert result.exit_code in (0, 3), result.stderr
    assert "Traceback" not in result.stderr and "请勿公开" in result.stderr
    copies = sorted(out.glob("*-标准模板.xlsx"))
    held = "".join(_texts_of(p) for p in copies)
    # LK19 is only a sheet's name, and a copy has one 职权目录: its power is counted below
    assert [m for m in markers["withheld"] if m not in held and m != "LK19"] == []
    from powercat.ingest import load

    def withheld(paths):
        return sorted((p.name, p.sub_name) for p in load(paths).powers if p.is_withheld)

    assert withheld([str(p) for p in copies]) == withheld([str(lists)])
    if not (shutil.which("dot") and shutil.which("rsvg-convert")):
        return
    rebuilt = root / "from-templates"
    pdf = ["--guide-pdf"] if shutil.which("chromium") else []
    result = run_cli("build", *copies, "--out", rebuilt, "--as-of", "2025-12-31", "--no-booklet", *pdf)
    assert result.exit_code in (0, 1), result.stderr
    public = _files(rebuilt / "public")
    _assert_clean(public, markers)
    text = "".join(_texts_of(p) for p in public)
    assert [m for m in markers["public"] if m not in text] == []
    if pdf:
        assert any(p.name.startswith("汇编-") and p.suffix == ".pdf" for p in public)
