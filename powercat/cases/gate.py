"""The one gate for a case: may it be public at all (its power, its own 公开方式).

A case is public only when its power is a public power of the catalogue — no record, block
or heading withholds the same power identity (agency + code, else agency + title) — and its
own 公开方式 (or 是否公开) cell, read with `powercat.disclosure`'s closed vocabulary, says
主动公开 or 依申请公开. 涉密, 不宜公开, 免予公开, 否, a value not recognised and a formula
without a cached value withhold it; a blank cell follows disclosure.py's rule for blanks.
依申请公开 cases count in the public figures but are not listed one by one.
"""

from __future__ import annotations

from ..disclosure import ACTIVE, WITHHELD, Disclosure, classify
from ..ingest.text import squeeze
from .link import Linked, PowerIndex
from .model import Case


def case_disclosure(case: Case) -> Disclosure:
    """The case's own disclosure status (WITHHELD with a problem code when forced closed)."""
    if case.disclosure_formula:
        return Disclosure(WITHHELD, "disclosure-unrecognised")
    return classify(case.disclosure_way)


class WithheldPowers:
    """The power identities of the catalogue that any record withholds."""

    def __init__(self, index: PowerIndex):
        self.codes: set[tuple[str, str]] = set()
        self.titles: set[tuple[str, str]] = set()
        for linked in index.all:
            if linked.withheld or linked.power.is_withheld:
                self.codes.add((linked.agency, _key(linked.power.code)))
                self.titles.add((linked.agency, _key(linked.power.title)))

    def __contains__(self, linked: Linked) -> bool:
        if linked.withheld or linked.power.is_withheld:
            return True
        code = _key(linked.power.code)
        return (code and (linked.agency, code) in self.codes) or (linked.agency, _key(linked.power.title)) in self.titles


def _key(text: str | None) -> str:
    return squeeze(text or "").upper()


def is_listed(status: str) -> bool:
    """Whether a public case's decision is listed one by one (主动公开 only)."""
    return status == ACTIVE
