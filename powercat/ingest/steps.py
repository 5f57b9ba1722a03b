"""The 运行流程 sheet of the standard template: one row per step of a power's procedure."""

from __future__ import annotations

from ..model import Source, Step
from .header import Header
from .items import column_letter
from .text import clean_block, clean_name
from .workbook import Grid

_NAME_FIELDS = ("code", "step_id", "kind", "next", "power_name", "power_sub_name")


def read_steps(grid: Grid, header: Header, file: str) -> list[Step]:
    steps = []
    cols = header.columns
    letters = {field: column_letter(col) for field, col in cols.items()}
    last_code: str | None = None
    last_power: tuple[str | None, str | None] = (None, None)
    first = header.row + 1
    # cleaned a column at a time (map over the memoised cleaners), then read a row at a time
    fields = list(cols)
    columns = [list(map(clean_name if field in _NAME_FIELDS else clean_block, grid.column_texts(col)[first:]))
               for field, col in cols.items()]
    for row, cells in enumerate(zip(*columns), first):
        values = dict(zip(fields, cells))
        if not values.get("step_id") and not values.get("name"):
            continue
        # a code merged or left blank under the first step of a power applies to the rest
        # (a row naming its power without a code starts a power listed without one)
        code = values.get("code") or (None if values.get("power_name") else last_code)
        last_code = code
        # so does a 职权名称 (with its 子项名称) merged over the steps of one power
        if values.get("power_name"):
            last_power = (values["power_name"], values.get("power_sub_name"))
        power_name, power_sub_name = last_power
        steps.append(Step(
            source=Source(file, grid.name, row + 1),
            code=code,
            step_id=values.get("step_id") or str(row + 1),
            name=values.get("name") or "",
            kind=values.get("kind"),
            post=values.get("post"),
            limit=values.get("limit"),
            next=values.get("next"),
            control=values.get("control"),
            disclosure=values.get("disclosure"),
            power_name=power_name,
            power_sub_name=power_sub_name,
            columns=letters,
        ))
    return steps
