"""The public record of each power: the fields a citizen reads, in a fixed order, with a
stable id. Withheld powers are filtered here and nowhere else."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..fields import columns
from ..gate import withhold_by_identity
from ..ingest.agency import list_agency
from ..ingest.levels import level_tag, shown_levels
from ..model import Catalogue, Power
from ..names import safe_name

# the fields a citizen reads, in the order of the open data (csv, json, sqlite, xlsx); every
# field the site's power page shows is in the open data too
RECORD_FIELDS = ("agency", "code", "name", "sub_name", "category", "basis", "office", "level", "authority",
                 "statutory_limit", "promised_limit", "fee", "disclosure", "rights", "complaint",
                 "disclosure_scope", "conditions", "duty", "accountability")
# (key, Chinese header, width): labels from the field table; `id` is the record's own, `version`
# the list's (its 单位信息 or title)
FIELDS: list[tuple[str, str, int]] = [("id", "标识", 18), *columns(RECORD_FIELDS), ("version", "清单版本", 12)]


@dataclass(frozen=True)
class Record:
    power: Power
    agency: str
    id: str
    # the 监督电话 of the list's 单位信息 sheet: the guide's complaint channel when the row gives none
    agency_phone: str | None = None
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
            records.append(Record(power, agency, ident, agency_phone=source.agency.phone, version=version))
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


def list_runs(records: Sequence[Record]) -> list[list[Record]]:
    """The records in runs of one list each (consecutive: public_records goes list by list)."""
    runs: list[list[Record]] = []
    last = None
    for record in records:
        source = (record.power.source.file if record.power.source else None, record.agency)
        if not runs or source != last:
            runs.append([])
            last = source
        runs[-1].append(record)
    return runs
