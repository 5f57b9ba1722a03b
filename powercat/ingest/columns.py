"""Chinese column headers → canonical field names of model.py. The power list's aliases live in
the field table (powercat/fields.py); the 运行流程 sheet's are here.

Headers are compared after `text.normalise_header` (NFKC, no whitespace). A header that
equals an alias wins over one that merely contains it, so `是否有涉及中介服务项目`
never becomes the item name because it contains `项目`.
"""

from __future__ import annotations

from functools import lru_cache

from ..fields import aliases
from .text import normalise_header

# field → aliases, most specific first: the field table's (powercat/fields.py), the one place
# a header word of a power list is added
POWER_ALIASES: dict[str, tuple[str, ...]] = aliases()

STEP_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("职权编码", "权力编码", "事项编码"),
    # a step names its power where the list gives no 职权编码
    "power_name": ("职权名称", "事项名称", "权力名称"),
    "power_sub_name": ("子项名称", "子项"),
    "step_id": ("环节编号", "步骤编号", "环节序号"),
    "name": ("环节名称", "步骤名称", "环节"),
    "kind": ("环节类型", "步骤类型"),
    "post": ("承办岗位", "办理岗位", "责任岗位", "岗位"),
    "limit": ("办理时限", "环节时限", "时限"),
    "next": ("下一环节", "后续环节", "下一步"),
    "control": ("监督制约", "监督制约措施", "风险防控"),
    "disclosure": ("公开要求", "公开内容"),
}

# Containment is only tried with aliases of at least this many characters: 2-character
# aliases such as 事项 or 依据 sit inside too many unrelated headers.
_MIN_CONTAINED = 3


def _index(aliases: dict[str, tuple[str, ...]]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact = {}
    for field, names in aliases.items():
        for alias in names:
            exact.setdefault(_key(alias), field)
    contained = sorted(
        ((alias, field) for alias, field in exact.items() if len(alias) >= _MIN_CONTAINED),
        key=lambda pair: -len(pair[0]),
    )
    return exact, contained


@lru_cache(maxsize=4096)  # every sheet's first 30 rows are asked of four tables (powers, steps, cases, events)
def _key(header: str) -> str:
    # case-folded too, for the English headers process-mining exports use (case:concept:name)
    return normalise_header(header).lower()


class AliasTable:
    """Headers → canonical fields for one kind of table (powers, steps, case registers …)."""

    def __init__(self, aliases: dict[str, tuple[str, ...]]):
        self.exact, self.contained = _index(aliases)
        self._found: dict[str, tuple[str | None, bool]] = {}

    def field_for(self, header: str) -> tuple[str | None, bool]:
        """The canonical field a header names, and whether it matched exactly."""
        found = self._found.get(header)
        if found is None:
            found = self._found[header] = self._field_for(header)
            if len(self._found) > 1 << 14:  # header rows repeat; a sheet's top rows of data do not
                self._found.clear()
        return found

    def _field_for(self, header: str) -> tuple[str | None, bool]:
        key = _key(header)
        if not key:
            return None, False
        if key in self.exact:
            return self.exact[key], True
        for alias, field in self.contained:
            if alias in key:
                return field, False
        return None, False

    def map_columns(self, headers: list[str]) -> dict[str, int]:
        """field → 0-based column index. Exact matches are placed first, then containment;
        the leftmost column wins when two headers name the same field."""
        mapping: dict[str, int] = {}
        loose: list[tuple[int, str]] = []
        for col, header in enumerate(headers):
            field, exact = self.field_for(header)
            if field is None:
                continue
            if exact:
                mapping.setdefault(field, col)
            else:
                loose.append((col, field))
        taken = set(mapping.values())
        for col, field in loose:
            if field not in mapping and col not in taken:
                mapping[field] = col
                taken.add(col)
        return mapping


TABLES = {"power": AliasTable(POWER_ALIASES), "step": AliasTable(STEP_ALIASES)}


def field_for(header: str, table: str = "power") -> tuple[str | None, bool]:
    return TABLES[table].field_for(header)


def map_columns(headers: list[str], table: str = "power") -> dict[str, int]:
    return TABLES[table].map_columns(headers)
