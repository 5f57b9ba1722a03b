"""The shared text forms: a record's position and a shortened text, as every room prints them."""

from powercat.gate import withhold_by_identity
from powercat.ingest import load_file
from powercat.model import Catalogue
from powercat.publish.internal import write_register
from powercat.publish.records import withheld_records
from powercat.text_forms import cell_position, file_name, position, shorten

from .conftest import DATA


def test_position_leaves_out_what_the_reader_knows():
    assert position("data\\青川市应急管理局权力清单.xlsx", "职权目录", 12) == "青川市应急管理局权力清单.xlsx“职权目录”第 12 行"
    assert position("a/b.xlsx", "职权目录", 12, "C") == "b.xlsx“职权目录”第 12 行 C 列"
    assert position(None, "运行流程", 3) == "工作表“运行流程”第 3 行"
    assert position("a/b.csv", None, 7) == "b.csv 第 7 行"
    assert position(row=4) == "第 4 行"
    assert cell_position("x/y/清单.xlsx", "Sheet1", 9) == "清单.xlsx / Sheet1 / 第9行"
    assert file_name("C:\\lists\\清单.xls") == "清单.xls"


def test_shorten_flattens_and_cuts_with_an_ellipsis():
    assert shorten("  第一条\n  第二款  ", 60) == "第一条 第二款"
    assert shorten("一二三四五六", 4) == "一二三…" and len(shorten("一二三四五六", 4)) == 4
    assert shorten("一二三四", 4) == "一二三四"
    assert shorten(None) == ""


def test_register_positions_point_at_the_real_row(tmp_path):
    """The filing register's 来源 cell names the file, sheet and row the withheld power was
    read from: opening that row of the list shows that power."""
    import openpyxl

    files = [load_file(str(p)) for p in sorted(DATA.glob("*.xlsx"))]
    catalogue = Catalogue(files=files)
    withhold_by_identity(catalogue)
    records = withheld_records(catalogue)
    assert records, "the sample lists withhold some powers"
    target = tmp_path / "备案登记表.xlsx"
    write_register(records, target)
    sheet = openpyxl.load_workbook(target).active
    by_name = {p.name: p for p in sorted(DATA.glob("*.xlsx"))}
    for (source,) in sheet.iter_rows(min_row=3, min_col=8, max_col=8, values_only=True):
        name, sheet_name, row = source.split(" / ")
        number = int(row.removeprefix("第").removesuffix("行"))
        listed = openpyxl.load_workbook(by_name[name], read_only=True)[sheet_name]
        texts = [str(v) for v in next(listed.iter_rows(min_row=number, max_row=number, values_only=True)) if v]
        assert any(r.power.name in texts for r in records if r.power.source.row == number), (source, texts)
