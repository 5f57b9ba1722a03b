"""`template --from`: per agency, the standard workbook pre-filled from its lists, for the
officer to complete what the list lacks and return.

- 职权目录: every power as read (withheld ones too: the workbook is the unit's internal
  working copy, never a public output), with the 办事指南 columns where the list has them;
- 运行流程: each power's steps as its chart draws them today (its own steps, its 责任事项
  stages, or its category's statutory procedure), numbered, for the officer to correct;
- 单位信息: what the list says of the agency.

Read back, the 运行流程 rows are the unit's own steps (流程来源：单位填报的运行流程) and the
guide columns fill its 办事指南.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .disclosure import classify
from .ingest.template import EXTRA_POWER_COLUMNS, POWER_COLUMNS, STEP_COLUMNS, write_workbook
from .model import UNCATEGORISED, Catalogue, Power
from .names import distinct_names, safe_name
from .process.graph import build_graph
from .process.rows import step_rows

SUFFIX = "-标准模板.xlsx"
_POWER_FIELDS = [f for _h, f, _w, _n in POWER_COLUMNS if not f.startswith("review_")]
_EXTRA_FIELDS = [f for _h, f, _w, _n in EXTRA_POWER_COLUMNS]
_STEP_FIELDS = [f for _h, f, _w, _n in STEP_COLUMNS]


@dataclass
class Prefilled:
    agency: str
    path: Path
    powers: int
    steps: int
    duplicates: int  # powers listed twice alike (two copies of one list), written once
    withheld: int
    sources: dict[str, int]  # the chart source each power's rows were taken from


def power_row(power: Power) -> dict[str, str | None]:
    row = {f: getattr(power, f) for f in _POWER_FIELDS + _EXTRA_FIELDS}
    row["category"] = power.category if power.category != UNCATEGORISED else power.category_raw
    # the reader settles disclosure from the list's structure too (a 不予公开 sheet or section,
    # the parent 事项): the workbook has no such structure, so the status is written out, and a
    # withheld power stays withheld when the copy is read back
    if classify(row["disclosure"], row["exemption"]).status != power.status:
        row["disclosure"] = power.status
    return row


def _rows_of_steps(power: Power, link: dict[str, str | None]) -> tuple[list[dict], str]:
    """The unit's own steps as written (ids, branches and mistakes kept for check to report),
    else the rows of the chart drawn today."""
    if power.steps:
        rows = [{f: getattr(step, f) for f in _STEP_FIELDS} for step in power.steps]
        source = "steps"
    else:
        process = build_graph(power)
        rows, source = step_rows(process), process.source
    for row in rows:
        row.update(link)
    return rows, source


def prefill(catalogue: Catalogue, out: Path) -> list[Prefilled]:
    """Writes `<agency>-标准模板.xlsx` per agency into `out` (a staged output folder)."""
    by_agency: dict[str, list] = {}
    for file in catalogue.files:
        if file.error is None and file.powers:
            name = file.agency.name or safe_name(Path(file.path).stem)
            by_agency.setdefault(name, []).append(file)
    slugs = distinct_names(by_agency)
    made = []
    for agency, files in by_agency.items():
        made.append(_write_agency(agency, files, out / f"{slugs[agency]}{SUFFIX}"))
    return made


def _write_agency(agency: str, files: list, target: Path) -> Prefilled:
    powers, seen, duplicates = [], set(), 0
    for file in files:
        for power in file.powers:
            key = (tuple(power_row(power).items()), tuple((s.step_id, s.name, s.next) for s in power.steps))
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            powers.append(power)
    codes: dict[str, int] = {}
    for power in powers:
        if power.code:
            codes[power.code] = codes.get(power.code, 0) + 1
    rows, steps, sources = [], [], {}
    for power in powers:
        rows.append(power_row(power))
        # a code two powers share cannot tell their steps apart: those link by name
        code = power.code if power.code and codes[power.code] == 1 else None
        mine, source = _rows_of_steps(power, {"code": code, "power_name": power.name,
                                              "power_sub_name": power.sub_name})
        steps.extend(mine)
        sources[source] = sources.get(source, 0) + 1
    first = files[0].agency
    info = {"name": first.name or agency, "credit_code": first.credit_code, "region": first.region,
            "version": first.version, "published": first.published, "phone": first.phone}
    extra = [column for column in EXTRA_POWER_COLUMNS if any(getattr(p, column[1]) for p in powers)]
    write_workbook(target, info, rows, steps, power_columns=[*POWER_COLUMNS, *extra])
    return Prefilled(agency, target, len(powers), len(steps), duplicates,
                     sum(p.is_withheld for p in powers), sources)

