"""Every field the reader fills survives the places that carry a power onward: the snapshot
in an office's copy (a review without --list rebuilds the list from it), the confirmed list,
an office's 调整, and `diff`. 权限划分 (a field added after these were written) was dropped
or ignored by all four."""

import shutil

import openpyxl

from powercat.compare import diff
from powercat.fields import FIELDS
from powercat.ingest import load_file
from powercat.ingest.decisions import SNAPSHOT_FIELDS
from powercat.ingest.template import EXTRA_POWER_COLUMNS, POWER_COLUMNS, write_workbook
from powercat.model import Catalogue
from powercat.review.run import review

from .test_review import annotate, decide

BASIS = "【法律】《中华人民共和国统计法》第四十一条"
AUTHORITY = "负责本级统计违法案件的查处"
PROCEDURE = "1.立案阶段：… 2.调查阶段：… 3.决定阶段：… 4.送达阶段：…"


def name(i):
    return f"对第{i}类统计违法行为的处罚"


def make_list(path, authority=AUTHORITY):
    powers = [{"code": f"QC001CF{i:03d}", "name": name(i), "category": "行政处罚", "basis": BASIS,
               "level": "市级", "authority": authority, "procedure": PROCEDURE, "materials": "身份证明",
               "duty_basis": "《统计法》第三十七条", "disclosure": "主动公开"} for i in (1, 2, 3)]
    write_workbook(path, {"name": "青川市测试局"}, powers, power_columns=[*POWER_COLUMNS, *EXTRA_POWER_COLUMNS])
    return path


def test_every_field_the_reader_fills_has_a_column_and_a_place_in_the_snapshot():
    columns = {field for _h, field, _w, _n in [*POWER_COLUMNS, *EXTRA_POWER_COLUMNS]}
    read = {f.name for f in FIELDS} - {"seq"}
    assert read - columns == set(), "the confirmed list and a pre-filled copy would drop these"
    assert read - set(SNAPSHOT_FIELDS) == set(), "a review without --list would drop these"


def test_review_without_the_list_keeps_authority_and_applies_an_adjusted_one(tmp_path):
    listed = load_file(str(make_list(tmp_path / "list.xlsx")))
    assert [p.authority for p in listed.powers] == [AUTHORITY] * 3  # the reader takes the column
    sent = annotate(tmp_path / "list.xlsx", tmp_path / "sent")
    copy = tmp_path / "returned" / "list-法制.xlsx"
    copy.parent.mkdir()
    shutil.copy(sent, copy)
    book = openpyxl.load_workbook(copy)
    sheet = book["职权目录"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    row = next(r for r in range(2, 5) if sheet.cell(r, header["职权名称"]).value == name(2))
    sheet.cell(row, header["权限划分"], "负责全市统计违法案件的查处")
    book.save(copy)
    decide(copy, "法制办", {name(1): ("保留", None), name(2): ("调整", "权限按三定方案"), name(3): ("保留", None)})

    result = review([str(copy)], tmp_path / "out")  # no --list: the snapshot is the list as sent

    (confirmed_path,) = result.confirmed.values()
    confirmed = {p.name: p for p in load_file(str(tmp_path / "out" / confirmed_path)).powers}
    assert confirmed[name(1)].authority == AUTHORITY
    assert confirmed[name(2)].authority == "负责全市统计违法案件的查处"
    assert all(p.materials == "身份证明" and p.duty_basis == "《统计法》第三十七条" for p in confirmed.values())
    assert [p.procedure for p in confirmed.values()] == [p.procedure for p in listed.powers]
    assert listed.powers[0].procedure.startswith("1.立案阶段")


def test_diff_reports_a_changed_authority(tmp_path):
    old = load_file(str(make_list(tmp_path / "old.xlsx")))
    new = load_file(str(make_list(tmp_path / "new.xlsx", authority="负责全市统计违法案件的查处")))
    result = diff(Catalogue([old]), Catalogue([new]))
    changed = [(c.label, c.after) for pair in result.changed for c in pair.changes]
    assert changed == [("权限划分", "负责全市统计违法案件的查处")] * 3
