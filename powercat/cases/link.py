"""Linking a case to its power: by 职权编码, else by name (within the agency when the
name is listed by several). Withheld powers are known, so their cases stay internal."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from ..ingest.text import squeeze
from ..law.limits import DerivedLimit, statutory_for
from ..model import Catalogue, Power
from ..publish.records import public_records, withheld_records
from ..timing import TimeLimit, parse_limit
from .conformance import Net, net_for


@dataclass
class Linked:
    power: Power
    id: str  # the public record id (the site's page name)
    agency: str
    withheld: bool
    statutory: TimeLimit | None = None
    promised: TimeLimit | None = None
    _net: Net | None = field(default=None, repr=False)

    @property
    def category(self) -> str:
        return self.power.category

    def __post_init__(self):
        self.promised_variant = self.promised.longest if self.promised else None

    @cached_property
    def derived(self) -> DerivedLimit | None:
        """The list gives no 法定时限: the one the law states (law/limits.py), kept apart and
        said as derived. Looked up only for a power a case links to."""
        return statutory_for(self.power) if self.statutory is None else None

    @cached_property
    def statutory_variant(self):
        limit = self.statutory or (parse_limit(self.derived.limit_text) if self.derived else None)
        return limit.longest if limit else None

    @property
    def net(self) -> Net:
        if self._net is None:
            self._net = net_for(self.power)
        return self._net

    @property
    def has_service_step(self) -> bool:
        return "service" in self.net.roles.values()

    @property
    def has_legal_review(self) -> bool:
        return "review" in self.net.roles.values()


class PowerIndex:
    def __init__(self, catalogue: Catalogue):
        self.by_code: dict[str, list[Linked]] = {}
        self.by_name: dict[str, list[Linked]] = {}
        self.all: list[Linked] = []
        self._found: dict = {}
        for withheld, records in ((False, public_records(catalogue)), (True, withheld_records(catalogue))):
            for record in records:
                power = record.power
                linked = Linked(power, record.id, record.agency, withheld,
                                parse_limit(power.statutory_limit), parse_limit(power.promised_limit))
                self.all.append(linked)
                if power.code:
                    self.by_code.setdefault(squeeze(power.code).upper(), []).append(linked)
                for name in {squeeze(power.name), squeeze(power.title)}:
                    self.by_name.setdefault(name, []).append(linked)

    def find(self, code: str | None, name: str | None, agency: str | None) -> tuple[Linked | None, str]:
        """(power, '') or (None, why not)."""
        key = (code, name, agency)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(code, name, agency)
        return found

    def _find(self, code: str | None, name: str | None, agency: str | None) -> tuple[Linked | None, str]:
        candidates: list[Linked] = []
        code = unicodedata.normalize("NFKC", code) if code else code  # full-width ５１９９… is the same code
        if code:
            candidates = self.by_code.get(squeeze(code).upper(), [])
        if candidates and name:
            # the code names one power, the name a withheld other: fail closed, the case is the withheld one's
            named = [c for c in self.by_name.get(squeeze(name), []) if c not in candidates
                     and (c.withheld or c.power.is_withheld)]
            candidates = named or candidates
        if not candidates and name:
            candidates = self.by_name.get(squeeze(name), [])
        if len(candidates) > 1 and agency:
            narrowed = [c for c in candidates if agency in c.agency or c.agency in agency]
            candidates = narrowed or candidates
        if len(candidates) > 1 and name:
            narrowed = [c for c in candidates if squeeze(name) in (squeeze(c.power.name), squeeze(c.power.title))]
            candidates = narrowed or candidates
        if len(candidates) == 1:
            return candidates[0], ""
        if not candidates:
            return None, ""
        return None, f"（清单中有 {len(candidates)} 项同名职权，请填写职权编码）"
