"""`powercat review`, the must-show round trip on a copy of a real list: annotate →
decisions filled as the 法制, 编制 and 保密 offices would (one conflict, one power nobody
decided, one office re-ordering its rows) → review → build of the confirmed list: the
counts, conflicts and filing exactly as planted, and no withheld power under public/."""

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from powercat.ingest import load_file
from powercat.review.returned import ISSUES_SHEET

from .conftest import run_cli

FIRE = "克拉玛依市2025年消防监督执法权责清单.xlsx"  # an OLE .xls named .xlsx; 75 powers, 47 with codes
DECISION_HEADERS = ["审核结论", "审核意见", "审核单位", "审核人", "日期"]


def decision_columns(sheet, header_row: int) -> dict[str, int]:
    return {c.value: c.column for c in sheet[header_row] if c.value in DECISION_HEADERS}


def fill(path: Path, office: str, reviewer: str, decisions: dict[int, tuple[str, str | None]],
         edits: dict[tuple[int, str], str] | None = None) -> None:
    """Fills one office's copy: `decisions` maps a power's row in the copy to (结论, 意见);
    `edits` sets a cell of the power's own columns (row, field) as an office adjusting it."""
    read = load_file(str(path))
    powers = {p.source.row: p for p in read.powers if p.source.sheet != ISSUES_SHEET}
    book = openpyxl.load_workbook(path)
    header_row = next(s.header_row for s in read.sheets if s.name == "Sheet1")
    sheet = book["Sheet1"]
    cols = decision_columns(sheet, header_row)
    assert len(cols) == 5, cols
    for row, (conclusion, opinion) in decisions.items():
        assert row in powers, row
        sheet.cell(row=row, column=cols["审核结论"], value=conclusion)
        if opinion:
            sheet.cell(row=row, column=cols["审核意见"], value=opinion)
        sheet.cell(row=row, column=cols["审核单位"], value=office)
        sheet.cell(row=row, column=cols["审核人"], value=reviewer)
        sheet.cell(row=row, column=cols["日期"], value="2025-06-30")
    for (row, field), value in (edits or {}).items():
        sheet[f"{powers[row].columns[field]}{row}"] = value
    book.save(path)


def reverse_blocks(path: Path) -> dict[int, int]:
    """Re-orders the copy as an office sorting its sheet would: the item blocks in reverse
    order, merges moved with them. Returns old row → new row of each item."""
    read = load_file(str(path))
    blocks = [(p.source.row, max(p.last_row, p.source.row)) for p in read.powers if p.source.sheet == "Sheet1"]
    book = openpyxl.load_workbook(path)
    old = book["Sheet1"]
    first = blocks[0][0]
    # rows after the first item that belong to no item (blank rows, footnotes) stay at the end
    moved: dict[int, int] = {}
    target = first
    for top, bottom in reversed(blocks):
        for r in range(top, bottom + 1):
            moved[r] = target + (r - top)
        target += bottom - top + 1
    merges = [m for m in old.merged_cells.ranges]
    for m in merges:
        old.unmerge_cells(str(m))
    values = {(r, c): old.cell(row=r, column=c).value for r in moved for c in range(1, old.max_column + 1)}
    for (r, c), value in values.items():
        old.cell(row=moved[r], column=c).value = value
    for m in merges:
        if m.min_row in moved:
            shift = moved[m.min_row] - m.min_row
            old.merge_cells(start_row=m.min_row + shift, start_column=m.min_col,
                            end_row=m.max_row + shift, end_column=m.max_col)
        else:
            old.merge_cells(str(m))
    book.save(path)
    return {top: moved[top] for top, _bottom in blocks}


def public_files(out: Path) -> list[Path]:
    """The build's public side: OUT/public when the build has one, else every folder but
    internal/ and review/."""
    if (out / "public").is_dir():
        roots = [out / "public"]
    else:
        roots = [p for p in out.iterdir() if p.name not in ("internal", "review")]
    files = []
    for root in roots:
        files.extend([root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()])
    return sorted(files)


def texts_of(path: Path) -> list[str]:
    """Every text a person or a program could read in a file: xlsx/zip members' XML, PDF
    text (pdftotext, else pypdf), everything else as UTF-8."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as archive:
            return [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    if data[:5] == b"%PDF-":
        if shutil.which("pdftotext"):
            return [subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
                    .stdout.decode("utf-8", "replace")]
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(path).pages]
    return [data.decode("utf-8", "replace")]


def unique_powers(powers):
    """Powers whose name appears in no other power's text: searching for them cannot hit
    another, public, power."""
    fields = ("name", "sub_name", "basis", "duty", "duty_basis", "remark", "conditions", "department_duty")
    texts = [" ".join(getattr(p, f) or "" for f in fields) for p in powers]
    return [p for i, p in enumerate(powers)
            if len(p.name) >= 8 and not any(p.name in t for j, t in enumerate(texts) if j != i)]


@pytest.mark.slow
def test_review_round_trip_on_a_real_list(tmp_path, real_lists):
    original = tmp_path / "lists" / FIRE
    original.parent.mkdir()
    shutil.copy(real_lists / FIRE, original)
    source = load_file(str(original))
    powers = source.powers
    assert len(powers) == 75

    # annotate: the copy the three offices get back carries the decision columns
    result = run_cli("check", str(original), "--annotate", str(tmp_path / "sent"))
    assert result.exit_code in (0, 1), result.stderr
    sent = next((tmp_path / "sent").glob("*.审查意见.xlsx"))
    copies = {}
    for office in ("法制", "编制", "保密"):
        copies[office] = tmp_path / "returned" / f"{sent.stem}（{office}）.xlsx"
        copies[office].parent.mkdir(exist_ok=True)
        shutil.copy(sent, copies[office])

    rows = [p.source.row for p in powers]
    coded = [p for p in powers if p.code]
    uncoded = [p for p in powers if not p.code]
    secret, private = unique_powers(uncoded)[:2]  # withheld; no code, so only name matching finds them
    others = [p for p in powers if p not in (secret, private)]
    cancelled, devolved, adjusted, conflict, merged, undecided = (
        coded[1], uncoded[3], coded[5], uncoded[8], coded[9], uncoded[12])
    assert len({id(p) for p in (cancelled, devolved, adjusted, conflict, merged, undecided, secret, private)}) == 8

    # 法制办: every power but the undecided one; 取消, 下放, 调整 (with the edit), the conflict's 取消
    legal = {r: ("保留", None) for r in rows if r != undecided.source.row}
    legal[cancelled.source.row] = ("取消", "依据已废止")
    legal[devolved.source.row] = ("下放", "下放至区级消防救援大队")
    legal[adjusted.source.row] = ("调整", "承诺时限调整为15日")
    legal[conflict.source.row] = ("取消", "与上位法不符")
    del legal[merged.source.row]  # left to 编办
    fill(copies["法制"], "市委编办法制组", "张三", legal, edits={(adjusted.source.row, "promised_limit"): "15日"})

    # 编办: re-orders its rows first, then decides: the conflict's 保留, one 合并, agrees on 取消
    new_row = reverse_blocks(copies["编制"])
    staffing = {new_row[r]: ("保留", None) for r in rows if r != undecided.source.row}
    staffing[new_row[cancelled.source.row]] = ("取消", None)
    staffing[new_row[devolved.source.row]] = ("下放", None)
    staffing[new_row[merged.source.row]] = ("合并", "并入相近事项")
    staffing[new_row[conflict.source.row]] = ("保留", "属法定职责")
    fill(copies["编制"], "市委编办", "李四", staffing)
    moved = load_file(str(copies["编制"]))
    assert [p.name for p in moved.powers if p.source.sheet == "Sheet1"] == [p.name for p in reversed(powers)]

    # 保密办: only the two it files; one reason lawful with its basis, one not lawful
    secrecy = {secret.source.row: ("转备案（不予公开）", "涉及国家秘密，依据《中华人民共和国保守国家秘密法》第十三条"),
               private.source.row: ("转备案", "内部工作安排，不宜公开")}
    fill(copies["保密"], "市保密办", "王五", secrecy)

    out = tmp_path / "review"
    result = run_cli("review", *[str(p) for p in copies.values()], "--out", str(out), "--json")
    assert result.exit_code == 1, result.stderr  # the conflict, the undecided power and the unlawful reason
    report = json.loads(result.stdout)

    # counts, exactly as planted
    total = report["counts"]["total"]
    assert {k: total[k] for k in ("found", "confirmed", "cancelled", "merged", "devolved", "filed", "adjusted",
                                  "pending", "conflicts", "undecided")} == {
        "found": 75, "confirmed": 70, "cancelled": 1, "merged": 1, "devolved": 1, "filed": 2, "adjusted": 1,
        "pending": 2, "conflicts": 1, "undecided": 1}
    assert total["found"] == total["confirmed"] + total["cancelled"] + total["merged"] + total["devolved"] + total["pending"]
    assert report["counts"]["sentence"].startswith("清理出 75 项，确认 70 项，取消 1 项，合并 1 项，下放 1 项，备案 2 项")
    assert report["groups"][0]["moved_rows"]["市委编办"] >= 70  # nearly every row moved, all matched
    assert report["groups"][0]["moved_rows"]["市委编办法制组"] == 0

    # the conflict and the undecided power, with their positions
    (c,) = report["conflicts"]
    assert (c["power"], c["sheet"], c["row"]) == (conflict.title, "Sheet1", conflict.source.row)
    assert sorted((d["office"], d["conclusion"], d["row"]) for d in c["decisions"]) == sorted([
        ("市委编办法制组", "取消", conflict.source.row), ("市委编办", "保留", new_row[conflict.source.row])])
    (u,) = report["undecided"]
    assert (u["power"], u["row"]) == (undecided.title, undecided.source.row)
    codes = {(f["code"], f["row"]) for f in report["findings"] if f["severity"] == "error"}
    assert codes == {("review-conflict", conflict.source.row), ("review-undecided", undecided.source.row),
                     ("review-withhold-reason-unlawful", private.source.row)}
    unlawful = next(f for f in report["findings"] if f["code"] == "review-withhold-reason-unlawful")
    assert Path(unlawful["file"]).name == copies["保密"].name and unlawful["column"]
    assert not [f for f in report["findings"] if f["code"] in ("review-row-unmatched", "review-power-missing")]

    # the filing, exactly the two planted
    assert sorted(f["power"] for f in report["filed"]) == sorted([secret.title, private.title])
    register = openpyxl.load_workbook(out / "备案登记表.xlsx").active
    filed_rows = [[c.value for c in row] for row in register.iter_rows(min_row=3)]
    assert sorted(r[3] for r in filed_rows) == sorted([secret.title, private.title])
    assert any("保守国家秘密法" in (r[5] or "") and r[7] == "市保密办" for r in filed_rows)

    # the confirmed list reads back with `powercat list` …
    confirmed = out / "确认清单"
    listed = run_cli("list", "--json", str(confirmed))
    assert listed.exit_code == 0, listed.stderr
    back = json.loads(listed.stdout)["powers"]
    assert len(back) == 72  # 70 confirmed + the 2 pending, kept as they were
    titles = [p["name"] + (f"（{p['sub_name']}）" if p["sub_name"] else "") for p in back]
    assert cancelled.title not in titles and devolved.title not in titles and merged.title not in titles
    assert conflict.title in titles and undecided.title in titles
    by_title = {t: p for t, p in zip(titles, back)}
    assert by_title[adjusted.title]["promised_limit"] == "15日"
    assert {t for t, p in by_title.items() if p["disclosure"] == "不予公开"} == {secret.title, private.title}
    assert "保守国家秘密法" in next(p for p in load_file(str(next(confirmed.glob("*.xlsx")))).powers
                              if p.title == secret.title).exemption

    # the 调整对照表 names the removals and the adjustment, never the withheld powers
    table = " ".join(str(c.value) for row in openpyxl.load_workbook(out / "调整对照表.xlsx").active.iter_rows()
                     for c in row if c.value)
    assert cancelled.name in table and devolved.name in table and "下放" in table and "15日" in table
    assert secret.name not in table and private.name not in table

    # … and builds: nothing of the filed powers on the public side
    built = tmp_path / "exports"
    result = run_cli("build", str(confirmed), "--out", str(built), "--as-of", "2025-07-01")
    assert result.exit_code in (0, 1), result.stderr
    summary = built / "catalogue" if (built / "catalogue").is_dir() else built / "public" / "catalogue"
    catalogue = json.loads((summary / "catalogue.json").read_text(encoding="utf-8"))
    records = catalogue if isinstance(catalogue, list) else catalogue.get("records", catalogue.get("powers", []))
    assert len(records) == 70  # 72 in the confirmed list, 2 withheld
    files = public_files(built)
    kinds = {p.suffix for p in files}
    assert {".xlsx", ".pdf", ".html", ".json", ".csv", ".svg"} <= kinds, kinds
    public_name = next(p.name for p in unique_powers(others) if p.title in titles)
    found_public = {".xlsx": False, ".pdf": False, ".html": False}
    for path in files:
        for text in texts_of(path):
            assert secret.name not in text and private.name not in text, path
            if public_name in text and path.suffix in found_public:
                found_public[path.suffix] = True
    assert all(found_public.values()), found_public  # the search does see power names in each kind of file


@pytest.mark.slow
def test_confirmed_list_keeps_every_field_of_a_real_list(tmp_path, real_lists):
    """Nothing decided: the confirmed list reads back as the list itself, field by field,
    including fields the standard template has no column for (责任事项依据, 部门职责)."""
    original = tmp_path / "list.xlsx"
    shutil.copy(real_lists / "克拉玛依市商务局2024年权责清单.xlsx", original)
    assert run_cli("check", str(original), "--annotate", str(tmp_path / "sent")).exit_code in (0, 1)
    result = run_cli("review", str(tmp_path / "sent"), "--out", str(tmp_path / "out"), "--json")
    assert result.exit_code == 1  # every power undecided
    confirmed = next((tmp_path / "out" / "确认清单").glob("*.xlsx"))
    before, after = load_file(str(original)).powers, load_file(str(confirmed)).powers
    assert len(before) == len(after) == 21
    fields = ("code", "name", "sub_name", "category", "basis", "agency", "office", "level", "statutory_limit",
              "promised_limit", "fee", "disclosure", "exemption", "duty", "duty_basis", "accountability",
              "accountability_scope", "department_duty", "remark")
    for a, b in zip(before, after):
        assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}, a.title
    # a second round: the pending powers read back as undecided, not as unknown conclusions
    assert run_cli("check", str(confirmed), "--annotate", str(tmp_path / "sent2")).exit_code in (0, 1)
    again = json.loads(run_cli("review", str(tmp_path / "sent2"), "--out", str(tmp_path / "out2"), "--json").stdout)
    assert again["summary"]["by_code"] == {"review-undecided": 21}
