"""The one gate for a case: may it be public at all (its power, its own 公开方式).

A case is public only when its power is a public power of the catalogue — no record, block
or heading withholds the same power identity (agency + code, else agency + title) — and its
own 公开方式 (or 是否公开) cell, read with `powercat.disclosure`'s closed vocabulary, says
主动公开 or 依申请公开. 涉密, 不宜公开, 免予公开, 否, a value not recognised and a formula
without a cached value withhold it; a blank cell follows disclosure.py's rule for blanks.
依申请公开 cases count in the public figures but are not listed one by one.
"""

from __future__ import annotations

from ..disclosure import ACTIVE, WITHHELD, WITHHOLDING_MARKS, Disclosure, classify, normalise, strictest
from ..ingest.text import squeeze
from .link import Linked, PowerIndex
from .model import Case


# in a 备注, the words that withhold a case (涉及国家秘密，不予公开); 内部, 隐私, 部分公开 and
# 未公开 describe other things there (内部审批, 个人隐私已隐去, 尚未公开)
REMARK_MARKS = tuple(m for m in WITHHOLDING_MARKS if m not in ("内部", "隐私", "部分公开", "未公开"))


def case_disclosure(case: Case) -> Disclosure:
    """The case's own disclosure status (WITHHELD with a problem code when forced closed)."""
    return case_disclosure_detail(case)[0]


def case_disclosure_detail(case: Case) -> tuple[Disclosure, tuple[str, str | None, str] | None]:
    """The case's disclosure status and, when a column other than 公开方式 made it stricter,
    that column (header, letter, text). The strictest statement wins: a second 是否公开 or
    公开属性 column, a 公开范围 that withholds (不公开, 仅限内部), a 备注 that says 涉密 or 不予公开.
    A 公开范围 such as 社会公众 says nothing about whether (it is not read as a status)."""
    if not (case.disclosure_formula or case.disclosure_way or case.disclosure_also or case.remark):
        return _BLANK  # a case of an event log: nothing says anything (disclosure.py's rule for blanks)
    if case.disclosure_formula:
        return Disclosure(WITHHELD, "disclosure-unrecognised"), None
    status = classify(case.disclosure_way)
    if status.problem is not None:
        return status, None
    stricter = None
    for header, letter, text in case.disclosure_also:
        other = classify(text)
        if other.problem is None and strictest(status.status, other.status) != status.status:
            status, stricter = Disclosure(other.status), (header, letter, text)
    remark = normalise(case.remark or "")
    if status.status != WITHHELD and remark and any(mark in remark for mark in REMARK_MARKS):
        status, stricter = Disclosure(WITHHELD), ("备注", case.columns.get("remark"), case.remark or "")
    return status, stricter


_BLANK = (classify(None), None)


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
