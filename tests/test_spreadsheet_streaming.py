"""The catalogue workbook is written as a stream: what it holds in memory while writing does
not grow with the number of records, and a streamed sheet keeps the layout of a regular one."""

import tracemalloc

import openpyxl
import pytest
from openpyxl import Workbook

from powercat.model import Power, Source
from powercat.publish import spreadsheet
from powercat.publish.records import Record

LONG = "【法律】《中华人民共和国安全生产法》第六十二条：" + "生产经营单位应当建立健全安全生产责任制。" * 60


def _records(count: int) -> list[Record]:
    records = []
    for i in range(count):
        agency = f"示范省第{i % 3 + 1:02d}厅"
        power = Power(Source(f"{agency}.xlsx", "权力清单", i + 2), name=f"处罚事项{i + 1}", category="行政处罚",
                      code=f"CF{i:06d}", agency=agency, office=f"第{i % 9 + 1}处",
                      basis=LONG if i % 100 == 7 else f"《中华人民共和国安全生产法》第{i % 119 + 1}条",
                      statutory_limit="90日", disclosure="主动公开", rights="陈述、申辩", complaint="12345")
        records.append(Record(power, agency, power.code))
    return records


def _peak_while_writing(records, target) -> int:
    tracemalloc.start()
    try:
        spreadsheet.write_workbook(records, target)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_while_writing_does_not_grow_with_the_records(tmp_path):
    small, large = _records(100), _records(1000)
    small_peak = _peak_while_writing(small, tmp_path / "small.xlsx")
    large_peak = _peak_while_writing(large, tmp_path / "large.xlsx")
    # a regular (in-memory) workbook holds every cell: ten times the rows, ~ten times the memory
    assert large_peak < 2 * small_peak, (small_peak, large_peak)
    book = openpyxl.load_workbook(tmp_path / "large.xlsx")
    assert book.sheetnames == ["总目录", "示范省第01厅", "示范省第02厅", "示范省第03厅", "依据全文"]
    summary = book["总目录"]
    assert summary.max_row == 2 + 1000 and summary.auto_filter.ref.endswith("1002")
    assert summary.cell(row=2 + 8, column=1).value == "8"
    linked = [c for row in summary.iter_rows(min_row=3) for c in row if c.hyperlink]
    assert len(linked) == 10 and all(c.hyperlink.location.startswith("'依据全文'!A") for c in linked)


def test_a_streamed_sheet_matches_a_regular_one(tmp_path):
    columns = [("seq", "序号", 5), ("name", "名称", 20), ("text", "内容", 30)]
    rows = [["1", "甲", "短"], ["2", "=HYPERLINK(\"x\")", "很长的内容" * 40]]
    described = []
    for write_only in (False, True):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("表") if write_only else book.active
        if not write_only:
            sheet.title = "表"
        spreadsheet.fill_sheet(sheet, "标题", columns, iter(rows), paper="A3")
        path = tmp_path / f"{write_only}.xlsx"
        book.save(path)
        ws = openpyxl.load_workbook(path)["表"]
        described.append((
            [(c.coordinate, c.value, c.data_type, c.quotePrefix, repr(c.font), repr(c.alignment), repr(c.border),
              repr(c.fill)) for row in ws.iter_rows() for c in row if c.value is not None],
            {r: d.height for r, d in ws.row_dimensions.items() if d.height},
            {k: d.width for k, d in ws.column_dimensions.items()},
            str(ws.merged_cells), ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows, ws.page_setup.paperSize,
            ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.oddFooter.center.text))
    regular, streamed = described
    assert streamed == regular
    assert regular[3] == "A1:C1" and regular[1][4] <= 409 and regular[0][-1][3] is False
    assert any(cell[1].startswith("=HYPERLINK") and cell[2] == "s" and cell[3] for cell in regular[0])


def _parts(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_rows_written_as_text_are_the_bytes_openpyxl_writes(tmp_path, monkeypatch):
    """A streamed sheet's body rows are written as XML text (xlsxstyle._RowText); openpyxl's
    own cells give the same bytes, for text that needs escaping, keeps its spaces, is empty,
    starts a formula, carries a link or is longer than a cell holds."""
    records = _records(300)
    tricky = {3: "=1+2 <a&b> \"q\" ", 4: " 前有空格", 5: "", 6: "-负数", 8: "甲\n乙\r\n丙", 9: "长" * 40_000}
    for i, name in tricky.items():
        records[i].power.name = name
    records[10].power.rights = "+规则 & <条件>"
    written = {}
    for cells in (False, True):
        # openpyxl's lxml writer takes no text: the cell path, which is the reference
        monkeypatch.setattr(openpyxl, "LXML", cells)
        spreadsheet.write_workbook(records, tmp_path / f"{cells}.xlsx")
        written[cells] = _parts(tmp_path / f"{cells}.xlsx")
    assert written[False].keys() == written[True].keys()
    for name in written[True]:
        assert written[False][name] == written[True][name], name
    sheet = written[False]["xl/worksheets/sheet1.xml"].decode("utf-8")
    assert "&lt;a&amp;b&gt;" in sheet and 'xml:space="preserve"' in sheet and "<hyperlink " in sheet


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # openpyxl's abandoned sheet stream
def test_a_character_no_sheet_can_hold_is_refused_as_openpyxl_refuses_it(tmp_path):
    from openpyxl.utils.exceptions import IllegalCharacterError

    records = _records(5)
    records[2].power.name = "控制\x01字符"
    with pytest.raises(IllegalCharacterError):
        spreadsheet.write_workbook(records, tmp_path / "x.xlsx")
    import gc

    gc.collect()  # the abandoned stream complains now, under this test's filter


class _Store:
    """spreadsheet.SheetStore in memory: agency sheets and 总目录 rows by key."""

    def __init__(self, folder):
        self.folder, self.sheets, self.rows, self.fetched = folder, {}, {}, 0

    def fetch(self, key):
        found = self.sheets.get(repr(key))
        if found is None:
            return None
        path = self.folder / f"sheet-{len(list(self.folder.iterdir()))}.xml"
        path.write_bytes(found[0])
        return path, found[1]

    def store(self, key, path, meta):
        self.sheets[repr(key)] = (path.read_bytes(), meta)

    def fetch_rows(self, key):
        found = self.rows.get(repr(key))
        self.fetched += found is not None
        return found

    def store_rows(self, key, text, meta):
        self.rows[repr(key)] = (text, meta)

    def digest(self, items):
        from powercat.filecache import digest
        return digest(list(items))


def test_rows_of_the_summary_kept_and_moved_equal_rows_made(tmp_path):
    """总目录's rows kept list by list (a SheetStore) and written again where they now start
    (a record before them gone: row numbers, 序号 and links moved up) are the rows a clean
    write makes, long texts linked to 依据全文 included."""
    records = sorted(_records(300), key=lambda record: record.agency)  # list by list
    (tmp_path / "kept").mkdir()
    store = _Store(tmp_path / "kept")
    spreadsheet.write_workbook(records, tmp_path / "first.xlsx", sheets=store)
    # the first list's rows are not kept: they add the body style and open 依据全文 (what
    # they did outside themselves, in order with their rows, is not replayed)
    assert len(store.rows) == 2 and store.fetched == 0
    del records[3]  # the first list's: the later lists' rows start one row up
    spreadsheet.write_workbook(records, tmp_path / "kept.xlsx", sheets=store)
    spreadsheet.write_workbook(records, tmp_path / "clean.xlsx")
    assert store.fetched == 2
    assert _parts(tmp_path / "kept.xlsx") == _parts(tmp_path / "clean.xlsx")
    linked = [c for row in openpyxl.load_workbook(tmp_path / "kept.xlsx")["总目录"].iter_rows(min_row=3)
              for c in row if c.hyperlink]
    assert len(linked) == 3  # records 7, 107 and 207 carry a text too long for their row
