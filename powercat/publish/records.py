"""The public record of each power: the fields a citizen reads, in a fixed order, with a
stable id. Withheld powers are filtered here and nowhere else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..fields import columns
from ..gate import withhold_by_identity
from ..model import Catalogue, Power
from ..names import safe_name

# the fields a citizen reads, in the order of the open data (csv, json, sqlite, xlsx)
RECORD_FIELDS = ("agency", "code", "name", "sub_name", "category", "basis", "office", "level", "statutory_limit",
                 "promised_limit", "fee", "disclosure", "rights", "complaint")
# (key, Chinese header, width): labels from the field table; `id` is the record's own
FIELDS: list[tuple[str, str, int]] = [("id", "标识", 18), *columns(RECORD_FIELDS)]


@dataclass(frozen=True)
class Record:
    power: Power
    agency: str
    id: str
    # the 监督电话 of the list's 单位信息 sheet: the guide's complaint channel when the row gives none
    agency_phone: str | None = None

    def value(self, key: str) -> str:
        if key == "id":
            return self.id
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
        agency = source.agency.name or safe_name(source.path.replace("\\", "/").rsplit("/", 1)[-1])
        for power in source.powers:
            if power.is_withheld != withheld:
                continue
            base = power_id(power, agency)
            ident, n = base, 2
            while ident.casefold() in seen:  # a code used twice in a list (compared as a file system would)
                ident, n = f"{base}-{n}", n + 1
            seen.add(ident.casefold())
            records.append(Record(power, agency, ident, source.agency.phone))
    return records
