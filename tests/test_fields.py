"""The field table (powercat/fields.py): the one place labels, aliases and widths live.
Readers, writers, the site and docs/fields.md must agree with it."""

import openpyxl

from powercat import fields
from powercat.compare import COMPARED
from powercat.ingest import load_file
from powercat.ingest.columns import field_for, map_columns
from powercat.model import Catalogue
from powercat.publish.internal import COLUMNS as INTERNAL_REGISTER
from powercat.publish.records import FIELDS as RECORD_FIELDS, public_records
from powercat.publish.site import _LABELS as SITE_LABELS
from powercat.publish.spreadsheet import write_workbook
from powercat.review.register import COLUMNS as REVIEW_REGISTER

from .conftest import DATA


def test_docs_are_generated_from_the_table():
    # regenerate with `python -m powercat.fields`
    assert fields.TARGET.read_text(encoding="utf-8") == fields.render_docs()


def test_every_label_and_alias_reads_back_as_its_own_field():
    """What a writer prints, a reader takes for the same field: the catalogue powercat writes
    can be read like any list, and no alias is claimed by two fields."""
    claimed: dict[str, str] = {}
    for f in fields.FIELDS:
        assert field_for(f.label) == (f.name, True), f.label
        for alias in f.aliases:
            assert claimed.setdefault(alias, f.name) == f.name, f"{alias} claimed by {claimed[alias]} and {f.name}"
            assert field_for(alias) == (f.name, True), alias


def test_outputs_take_their_labels_from_the_table():
    table = {f.name: f.label for f in fields.FIELDS}
    own = {"id", "version"}  # the record's own identifier and its list's version, not a power's fields
    assert {k: h for k, h, _w in RECORD_FIELDS if k not in own} == {k: table[k] for k, _h, _w in RECORD_FIELDS
                                                                     if k not in own}
    assert dict(COMPARED)["fee"] == table["fee"] == "收费依据及标准"  # was 收费 in the diff only
    assert all(heading == table[key] for key, heading in SITE_LABELS)
    for key, heading, width in [*INTERNAL_REGISTER, *REVIEW_REGISTER]:
        if key in fields.BY_NAME:
            assert (heading, width) == (fields.label(key, "register"), fields.width(key, "register"))
    # both filing registers: the heading the 备案 form prescribes, wider than the template's
    assert dict((k, h) for k, h, _w in INTERNAL_REGISTER)["exemption"] == "不予公开理由及依据"
    assert dict((k, h) for k, h, _w in REVIEW_REGISTER)["exemption"] == "不予公开理由及依据"


def test_only_public_fields_reach_public_outputs():
    assert not {k for k, _h, _w in RECORD_FIELDS if k not in {"id", "version"}} - set(fields.PUBLIC)
    assert not {k for k, _h in SITE_LABELS} - set(fields.PUBLIC)
    assert "exemption" not in fields.PUBLIC


def test_catalogue_written_from_a_real_list_reads_back_field_for_field(tmp_path):
    """The catalogue workbook's header row is the table's labels, at its print widths, and
    reading that row maps each column back to the field it came from."""
    source = load_file(str(DATA / "青川市文化广电和旅游局2025年权责清单.xlsx"))
    records = public_records(Catalogue(files=[source]))
    assert records
    target = tmp_path / "目录.xlsx"
    write_workbook(records, target)
    sheet = openpyxl.load_workbook(target)["总目录"]
    headers = [c.value for c in sheet[2]]
    assert headers[0] == "序号"
    by_label = {f.label: f for f in fields.FIELDS}
    assert headers[-1] == "清单版本"  # the list's own version, not a power's field
    headers = headers[:-1]
    for col, header in enumerate(headers[1:], start=2):
        f = by_label[header]
        letter = openpyxl.utils.get_column_letter(col)
        assert sheet.column_dimensions[letter].width == f.print_width
    mapped = map_columns(headers)
    assert {by_label[h].name for h in headers} == set(mapped)


def test_every_field_is_an_attribute_of_power():
    from powercat.model import Power

    assert {f.name for f in fields.FIELDS} - {"seq"} <= set(Power.__dataclass_fields__)
