"""`powercat list --json` on the 15 published lists finds exactly the items in expected.json."""

import pytest

from .conftest import list_json

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def listing():
    from .conftest import REAL_LISTS

    if not (REAL_LISTS / "expected.json").is_file():
        pytest.skip("../shared/real-lists is absent")
    code, data = list_json(REAL_LISTS)
    return code, data


def _items_by_file(data):
    by_file = {}
    for power in data["powers"]:
        by_file.setdefault(power["file"].rsplit("/", 1)[-1], []).append(power)
    return by_file


def test_every_file_read_with_real_format(listing, expected):
    code, data = listing
    assert code == 0
    files = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
    assert set(files) == set(expected["files"])
    for name, want in expected["files"].items():
        got = files[name]
        assert got["error"] is None, name
        assert got["format"] == want["format"], name
        sheets = {s["name"]: s for s in got["sheets"] if s["header_row"] is not None}
        assert {n: (s["header_row"], s["items"]) for n, s in sheets.items()} == {
            n: (s["header_row_excel"], s["items"]) for n, s in want["sheets"].items()
        }, name


@pytest.mark.parametrize("field_set", [("sheet", "row", "name", "sub_name", "category")])
def test_items_match_expected_exactly(listing, expected, field_set):
    _, data = listing
    by_file = _items_by_file(data)
    assert sum(len(v) for v in by_file.values()) == expected["total_items"]
    for name, want in expected["files"].items():
        got = [tuple(p[k] for k in field_set) for p in by_file.get(name, [])]
        exp = [tuple(i[k] for k in field_set) for i in want["items"]]
        assert len(got) == want["item_count"], name
        assert got == exp, name


def test_category_raw_and_codes_as_stored(listing, expected):
    _, data = listing
    by_file = _items_by_file(data)
    for name, want in expected["files"].items():
        for got, exp in zip(by_file[name], want["items"]):
            assert got["category_raw"] == exp["category_raw"], (name, exp["row"])
            assert got["code"] == exp["code"], (name, exp["row"])


def test_limits_keep_text_and_drop_slash(listing, expected):
    """Limits keep their text (line break included); '/' means none."""
    _, data = listing
    fire = "克拉玛依市2025年消防监督执法权责清单.xlsx"
    got = _items_by_file(data)[fire]
    for power, exp in zip(got, expected["files"][fire]["items"]):
        for key in ("statutory_limit", "promised_limit"):
            want = None if exp[key] in (None, "/") else exp[key]
            assert power[key] == want, (exp["row"], key)


def test_agency_named_from_title_or_file_name(listing):
    _, data = listing
    agencies = {f["path"].rsplit("/", 1)[-1]: f["agency"] for f in data["files"]}
    assert agencies["克拉玛依市2025年消防监督执法权责清单.xlsx"] == "克拉玛依市消防救援支队"
    assert agencies["附件：克拉玛依市市场监督管理局2024年权责清单.xls"] == "克拉玛依市市场监督管理局"
    assert agencies["克拉玛依市住房和城乡建设局2024年权责清单.xls"] == "克拉玛依市住房和城乡建设局"


def test_basis_is_filled_from_merges_and_unwrapped(listing):
    _, data = listing
    powers = [p for p in data["powers"] if "应急管理局" in p["file"]]
    assert all(p["basis"] for p in powers)
    first = powers[0]
    assert first["basis"].startswith("【法规】《危险化学品安全管理条例》")
    # a merged 实施依据 shows its top-left value on every row of the item, not a blank
    assert first["office"] == "危化科"
