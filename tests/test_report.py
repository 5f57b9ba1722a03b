"""The report room (powercat/report/): what users read — the list as JSON, the check report
as JSON, and the annotated copies that carry each finding into its cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from powercat.check import run as run_checks
from powercat.check.findings import ERROR, INFO, RULES, SEVERITY_ZH, WARNING
from powercat.ingest import load
from powercat.report import annotate, findings_view, listing

DATA = Path(__file__).resolve().parent.parent / "data"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def checked():
    catalogue = load([str(DATA)])
    return catalogue, run_checks(catalogue, as_of=AS_OF)


def test_list_json_holds_every_power_at_its_row(checked):
    catalogue, _report = checked
    data = listing.catalogue_json(catalogue)
    assert len(data["powers"]) == len(catalogue.powers) == sum(f["items"] for f in data["files"])
    for entry, power in zip(data["powers"], catalogue.powers):
        assert (entry["file"], entry["sheet"], entry["row"], entry["name"]) == \
            (power.source.file, power.source.sheet, power.source.row, power.name)
    assert all(f["error"] is None and f["agency"] for f in data["files"])


def test_list_json_text_is_json_dumps_of_the_same_objects(checked):
    """`list --json` writes each power from its values' JSON texts: byte for byte what json.dumps
    makes of catalogue_json, also for values json must escape (quotes, controls, a lone surrogate)."""
    import dataclasses
    import json

    from powercat.model import Catalogue

    catalogue, _report = checked
    odd = dataclasses.replace(catalogue.powers[0], name='引号"反斜杠\\与\x01控制\ud800', office="\u2028", code="", fee=None)
    first = catalogue.files[0]
    for case in (catalogue, Catalogue(files=[dataclasses.replace(first, powers=[*first.powers, odd, odd])]),
                 Catalogue(files=[])):
        assert listing.catalogue_json_text(case) == json.dumps(listing.catalogue_json(case), ensure_ascii=False)


def test_list_json_bytes_are_the_text_as_written(checked, monkeypatch):
    """`list --json` writes bytes made value by value: the text's UTF-8 (surrogateescape: a file
    name's undecodable byte comes back), and the very error the text's encoding raises for a value
    UTF-8 cannot carry."""
    import dataclasses
    import json

    from powercat.model import Catalogue, Source

    catalogue, _report = checked
    first = catalogue.files[0]
    power = first.powers[0]
    odd = dataclasses.replace(power, source=Source("清单\udcff.xlsx", power.source.sheet, 7), name='引号"\x01',
                              office="\u2028", fee=None, agency="某局")
    monkeypatch.setattr(listing, "_POWERS_PER_PART", 3)  # several parts, as a long list is written
    unnamed = dataclasses.replace(power, name=None)  # never read so, but written as json.dumps would
    for case in (catalogue, Catalogue(files=[dataclasses.replace(first, powers=[*first.powers, odd, unnamed])]),
                 Catalogue(files=[])):
        text = listing.catalogue_json_text(case) + "\n"
        assert text == json.dumps(listing.catalogue_json(case), ensure_ascii=False) + "\n"
        assert b"".join(listing.catalogue_json_parts(case)) == text.encode("utf-8", "surrogateescape")
    lone = Catalogue(files=[dataclasses.replace(first, powers=[dataclasses.replace(power, name="孤\ud800")])])
    with pytest.raises(UnicodeEncodeError) as raised:
        (listing.catalogue_json_text(lone) + "\n").encode("utf-8", "surrogateescape")
    with pytest.raises(UnicodeEncodeError) as raised_too:
        listing.catalogue_json_parts(lone)  # before any part is given
    assert str(raised_too.value) == str(raised.value)


def test_check_json_counts_and_orders_the_findings(checked):
    catalogue, report = checked
    data = findings_view.report_json(catalogue, report, AS_OF.isoformat())
    summary = data["summary"]
    assert (summary["errors"], summary["warnings"], summary["infos"]) == \
        (report.count(ERROR), report.count(WARNING), report.count(INFO))
    assert summary["powers"] == len(catalogue.powers) and summary["as_of"] == "2026-12-01"
    assert sum(summary["by_code"].values()) == len(report.findings) == len(data["findings"])
    # errors first, then warnings, then notes: what needs fixing is read first
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    severities = [order[f["severity"]] for f in data["findings"]]
    assert severities == sorted(severities) and severities[0] == 0


def test_annotated_copy_puts_each_finding_in_its_cell(checked, tmp_path):
    catalogue, report = checked
    source = next(f for f in catalogue.files
                  if any(x.file == f.path and x.column and x.row for x in report.findings))
    mine = [f for f in report.findings if f.file == source.path]
    before = Path(source.path).read_bytes()
    target = annotate.write_annotated(source, mine, tmp_path)
    assert target.name == Path(source.path).stem + ".审查意见.xlsx"
    book = load_workbook(target)
    placed = [f for f in mine if f.sheet in book.sheetnames and f.row and f.column]
    assert placed
    for f in placed:
        comment = book[f.sheet][f"{f.column}{f.row}"].comment
        assert comment is not None and f"【{RULES[f.code].title}·{SEVERITY_ZH[f.severity]}】{f.message}" in comment.text
    assert Path(source.path).read_bytes() == before  # the input itself is left as it was


def test_a_finding_about_a_whole_file_names_the_file_not_row_0():
    from powercat.check.findings import finding

    whole = finding("file-duplicate", "/lists/副本.xlsx", other="清单.xlsx", how="字节完全相同")
    assert whole.row is None
    assert findings_view.where([whole], files=2) == "副本"
    assert findings_view.where([whole], files=1) == "整个文件"
    at_row = finding("file-duplicate", "/lists/清单.xlsx", other="x", how="y")
    at_row.row = 7
    assert findings_view.where([whole, at_row], files=2) == "副本；清单 行7"
