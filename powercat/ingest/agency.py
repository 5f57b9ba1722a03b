"""Which agency a workbook belongs to: its 单位信息 sheet, else its title rows, else its
file name (`附件：克拉玛依市商务局2024年权责清单 (1).xlsx` → 克拉玛依市商务局)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Agency
from .text import clean_name, squeeze
from .workbook import Grid

_ORG_END = re.compile(r"(局|厅|委|委员会|部|办|办公室|院|队|支队|大队|中心|站|所|馆|会|处|室|政府|署|）|\))$")
_PREFIX = re.compile(r"^(附件|附表)[0-9一二三四五六七八九十]*[：:、.\-_ ]*")
_DEPT_LABEL = re.compile(r"^(部门名称|单位名称|填报单位|实施主体)[：:]")
_TAIL = re.compile(
    r"(（?\(?[0-9]+\)?）?|[0-9]{4}年(度)?|[0-9]{4}|版|最新|调整后|公布|公示|"
    r"权责清单|权力清单|责任清单|清单|指导目录|目录|汇总表|一览表|表)$"
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


def agency_from_titles(titles: Iterable[str], file_stem: str) -> str | None:
    for title in titles:
        found = agency_from_text(title)
        if found:
            return found
    return agency_from_text(file_stem)


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
