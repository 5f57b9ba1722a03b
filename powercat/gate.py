"""The disclosure gate over a whole catalogue: one decision per power, whatever record,
sheet or file states it. Any record that withholds a power withholds it everywhere: every
record sharing an identity key (disclosure.identity_keys: agency + code, else agency + name +
子项) with a withheld one is marked withheld too, with a finding at its cell naming the record
that withholds. Run after reading (ingest.load) and again before anything is published
(publish.records), since --agency may merge lists into one agency in between."""

from __future__ import annotations

from .disclosure import PUBLIC_STATUSES, WITHHELD, WITHHELD_ELSEWHERE, identity_keys
from .model import Catalogue, CellProblem, Power, WorkbookFile
from .text_forms import position


def withhold_by_identity(catalogue: Catalogue) -> int:
    """Closes every record of a withheld power; idempotent. Returns how many it closed."""
    withheld: dict[tuple[str, ...], Power] = {}
    readable = [f for f in catalogue.files if f.error is None]
    for file in readable:
        for power in file.powers:
            if power.status not in PUBLIC_STATUSES:
                for key in _keys(file, power):
                    withheld.setdefault(key, power)
    if not withheld:
        return 0
    closed = 0
    for file in readable:
        for power in file.powers:
            if power.status not in PUBLIC_STATUSES:
                continue
            by = next((withheld[key] for key in _keys(file, power) if key in withheld), None)
            if by is None:
                continue
            power.disclosure_status = WITHHELD
            power.problems.append(_withheld_elsewhere(power, by))
            closed += 1
    return closed


def _keys(file: WorkbookFile, power: Power) -> set[tuple[str, ...]]:
    return identity_keys((file.agency.name, power.agency), power.code, power.name, power.sub_name)


def _withheld_elsewhere(power: Power, by: Power) -> CellProblem:
    detail = f"{position(by.source.file, by.source.sheet, by.source.row)}“{by.title}”"
    column = power.columns.get("disclosure") if power.columns else None
    return CellProblem(WITHHELD_ELSEWHERE, power.source.row, column, "disclosure", detail)
