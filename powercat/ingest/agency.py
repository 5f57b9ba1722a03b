"""Which agency a workbook belongs to: its 单位信息 sheet, else its title rows, else its
file name (`附件：克拉玛依市商务局2024年权责清单 (1).xlsx` → 克拉玛依市商务局)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pathlib import PurePath

from ..model import Agency
from ..names import safe_name
from .text import clean_name, squeeze
from .workbook import Grid

_ORG_END = re.compile(r"(局|厅|委|委员会|部|办|办公室|院|队|支队|大队|中心|站|所|馆|会|处|室|政府|署|）|\))$")
_PREFIX = re.compile(r"^(附件|附表)[0-9一二三四五六七八九十]*[：:、.\-_ ]*")
_DEPT_LABEL = re.compile(r"^(部门名称|单位名称|填报单位|实施主体)[：:]")
_TAIL = re.compile(
    r"(（?\(?[0-9]+\)?）?|[（(][0-9]{4}年?(度)?(修订)?版?[)）]|[0-9]{4}年(度)?|[0-9]{4}|版|最新|调整后|公布|公示|"
    r"权责清单|权力清单|责任清单|清单|指导目录|目录|汇总表|一览表|表|"
    # the levels a 指导目录 serves: 商务厅地（州、市）县（市、区）两级 → 商务厅
    r"[省地州市县区乡镇（）()、，,及和]*[两二三四五]级(通用|行政)?)$"
)
_YEAR = re.compile(r"[0-9]{4}年(度)?")

INFO_FIELDS = {
    "单位名称": "name", "统一社会信用代码": "credit_code", "行政区划": "region",
    "清单版本": "version", "发布日期": "published", "监督电话": "phone",
}


def agency_from_text(text: str) -> str | None:
    """An agency name inside a title or file name, or None if the text names none."""
    name = _DEPT_LABEL.sub("", _PREFIX.sub("", squeeze(text)))
    for _ in range(8):
        stripped = _TAIL.sub("", name).strip("-_—·.（(")
        if stripped == name:
            break
        name = stripped
    name = _YEAR.sub("", name)
    if len(name) >= 3 and _ORG_END.search(name):
        return name
    return None


_VERSION = re.compile(r"[（(]?([0-9]{4}年(度)?(修订)?版?)[)）]?")


def version_from_titles(titles: Iterable[str], file_stem: str) -> str | None:
    """The list's version as its title (or file name) gives it: 2024年, 2023年版."""
    for text in [*titles, file_stem]:
        found = _VERSION.search(squeeze(text))
        if found:
            return found.group(1)
    return None


def agency_from_titles(titles: Iterable[str], file_stem: str) -> str | None:
    for title in titles:
        found = agency_from_text(title)
        if found:
            return found
    return agency_from_text(file_stem)


def list_agency(file) -> str:
    """The agency name every output shows for a list: the settled name, else one found in
    the file name, else the file name without its extension (never "…目录.xls")."""
    if file.agency.name:
        return file.agency.name
    stem = PurePath(str(file.path).replace("\\", "/")).stem
    return agency_from_text(stem) or safe_name(stem)


def read_agency_info(grid: Grid) -> Agency | None:
    """A 单位信息 sheet: keys as a header row with values below, or keys in column A
    with values in column B."""
    values: dict[str, str] = {}
    for row in range(min(grid.n_rows, 40)):
        for col in range(grid.n_cols):
            key = squeeze(grid.text(row, col)).strip("*：:")
            if key not in INFO_FIELDS:
                continue
            right = clean_name(grid.text(row, col + 1)) if col + 1 < grid.n_cols else None
            below = clean_name(grid.text(row + 1, col)) if row + 1 < grid.n_rows else None
            if right and squeeze(right).strip("*：:") not in INFO_FIELDS:
                values.setdefault(INFO_FIELDS[key], right)
            elif below and squeeze(below).strip("*：:") not in INFO_FIELDS:
                values.setdefault(INFO_FIELDS[key], below)
    if not values.get("name"):
        return None
    return Agency(**{field: values.get(field) for field in INFO_FIELDS.values()})


# Column values that name a level or a kind of agency, not an agency: 地州市商务主管部门
_GENERIC = re.compile(r"^(地州市级?|地市级?|设区的市|县级|县（市、区）|省级|自治区级|各级|市级|县市区)")
_REGION = re.compile(r"^(.{2,12}?[省市县区州盟旗])")


def _complete(column: str, other: str | None) -> str:
    """市人力资源和社会保障局 beside 克拉玛依市人力资源和社会保障局 → the full name: the
    column written with the region its list's other name starts with."""
    if not other or column[0] not in "市县区州":
        return column
    region = _REGION.match(other)
    if region and region.group(1).endswith(column[0]) and region.group(1)[:-1] not in column:
        return region.group(1)[:-1] + column
    return column


def resolve_agency(file) -> str | None:
    """The one name of a list's agency: its 实施主体/行使主体 column when every row names
    the same, real agency there; else its 单位信息 sheet; else its title row (or file name),
    which is what the loader already put in `file.agency.name`."""
    values = {squeeze(p.agency) for p in file.powers if "agency" in p.columns and p.agency}
    current = file.agency.name
    if len(values) == 1:
        column = values.pop()
        if len(column) >= 3 and not _GENERIC.match(column):
            return _complete(column, current)
    return current


def settle_agencies(catalogue, override: str | None = None) -> dict[str, tuple[str | None, str]]:
    """Gives each list one agency name, used by every output (records, charts, booklets,
    site): `resolve_agency`, or `override` (the `--agency` option) for every list.
    Rows that name the list's agency — blank (filled in from the list's name), the same
    name, its short form (市应急管理局) or a generic one (地州市商务主管部门) — get the
    settled name; rows naming another agency keep theirs. Returns the lists whose name
    changed: path → (old, new)."""
    changes: dict[str, tuple[str | None, str]] = {}
    for file in catalogue.files:
        if file.error is not None:
            continue
        old = file.agency.name
        new = (clean_name(override) if override else None) or resolve_agency(file)
        if not new:
            continue
        for power in file.powers:
            named = squeeze(power.agency) if power.agency else None
            if override or not named or named in (old, new) or _GENERIC.match(named) or \
                    _complete(named, new) == new or (old and _complete(named, old) == old):
                power.agency = new
        if new != old:
            file.agency.name = new
            changes[file.path] = (old, new)
    return changes
