"""The public record of each power: the fields a citizen reads, in a fixed order, with a
stable id. Withheld powers are filtered here and nowhere else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..gate import withhold_by_identity
from ..ingest.agency import list_agency
from ..ingest.levels import level_tag, shown_levels
from ..model import Catalogue, Power
from ..names import safe_name

# (key, Chinese header, width in the spreadsheet)
FIELDS: list[tuple[str, str, int]] = [
    ("id", "标识", 18),
    ("agency", "实施主体", 22),
    ("code", "职权编码", 18),
    ("name", "职权名称", 36),
    ("sub_name", "子项名称", 22),
    ("category", "职权类别", 12),
    ("basis", "实施依据", 60),
    ("office", "承办机构", 18),
    ("level", "行使层级", 10),
    ("statutory_limit", "法定时限", 12),
    ("promised_limit", "承诺时限", 12),
    ("fee", "收费依据及标准", 18),
    ("disclosure", "公开方式", 12),
    ("rights", "相对人权利", 30),
    ("complaint", "监督投诉方式", 24),
    # every field the site's power page shows is in the open data too
    ("disclosure_scope", "公开范围", 12),
    ("conditions", "行使条件", 30),
    ("duty", "责任事项", 40),
    ("accountability", "追责情形", 40),
    ("version", "清单版本", 12),  # the list's version or date, as its 单位信息 or title gives it
]


@dataclass(frozen=True)
class Record:
    power: Power
    agency: str
    id: str
    version: str = ""

    def value(self, key: str) -> str:
        if key == "id":
            return self.id
        if key == "version":
            return self.version
        if key == "agency":
            return self.power.agency or self.agency
        return getattr(self.power, key) or ""

    def as_dict(self) -> dict[str, str]:
        return {key: self.value(key) for key, _title, _width in FIELDS}


def power_id(power: Power, agency: str) -> str:
    """The code when there is one, else a short hash of where the power is listed: stable
    across runs, safe in file names and URLs."""
    if power.code:
        return safe_name(power.code, 40)
    digest = hashlib.sha1(f"{agency}|{power.source.sheet}|{power.source.row}|{power.title}".encode()).hexdigest()
    return f"p{digest[:12]}"


def public_records(catalogue: Catalogue) -> list[Record]:
    return _records(catalogue, withheld=False)


def withheld_records(catalogue: Catalogue) -> list[Record]:
    return _records(catalogue, withheld=True)


def _records(catalogue: Catalogue, withheld: bool) -> list[Record]:
    # settled again here: --agency may have merged lists into one agency since they were read
    withhold_by_identity(catalogue)
    records, seen = [], set()
    for source in catalogue.files:
        if source.error is not None:
            continue
        agency = list_agency(source)
        version = source.agency.version or source.agency.published or source.agency.edition or ""
        for power in source.powers:
            if power.is_withheld != withheld:
                continue
            base = power_id(power, agency)
            ident, n = base, 2
            while ident.casefold() in seen:  # a code used twice in a list (compared as a file system would)
                ident, n = f"{base}-{n}", n + 1
            seen.add(ident.casefold())
            records.append(Record(power, agency, ident, version))
    return records


def level_tags(records) -> dict[str, str]:
    """record id → "（地州市级）" where the level tells apart what would look alike: an
    agency's list for several levels (a 地县两级指导目录 lists one power once per level)
    names each power's level, or only the unusual ones where one level is the usual one;
    no entry for an agency of one level (ingest/levels.shown_levels)."""
    by_agency: dict[str, list] = {}
    for record in records:
        by_agency.setdefault(record.agency, []).append(record)
    tags = {}
    for mine in by_agency.values():
        for record, tag in zip(mine, shown_levels([level_tag(r.power.level) for r in mine])):
            if tag:
                tags[record.id] = f"（{tag}）"
    return tags


def agency_levels(records) -> dict[str, list[tuple[str, int]]]:
    """agency → its levels with their counts, in list order, for agencies of several levels."""
    counts: dict[str, dict[str, int]] = {}
    for record in records:
        tag = level_tag(record.power.level)
        if tag:
            mine = counts.setdefault(record.agency, {})
            mine[tag] = mine.get(tag, 0) + 1
    return {agency: list(levels.items()) for agency, levels in counts.items() if len(levels) > 1}
