"""Rules on the catalogue as a whole: categories, codes, duplicates, withheld items, fees."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Catalogue, Category
from ..text_forms import position
from .context import Context, finding
from .findings import Finding

_STANDARD = {c.value for c in Category}
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{2,63}$")
_LAWFUL_REASONS = re.compile(r"国家秘密|商业秘密|个人隐私|涉密|秘密")
_NO_FEE = re.compile(r"^(不收费|免费|无|否|不收取.*|无收费|免收.*|不涉及)$")
_FEE_BASIS = re.compile(r"《|依据|根据|按照|规定|标准|文件|〔|发改|财")


def check(catalogue: Catalogue, ctx: Context) -> Iterator[Finding]:
    codes: dict[str, object] = {}
    items: dict[tuple, object] = {}
    for power in catalogue.powers:
        if power.category not in _STANDARD:
            yield finding("category-nonstandard", power, "category", category=power.category)
        if power.code:
            if not _CODE.match(power.code):
                yield finding("code-format", power, "code", code=power.code)
            first = codes.get(power.code)
            if first is None:
                codes[power.code] = power
            elif (first.name, first.sub_name) != (power.name, power.sub_name) or \
                    (first.source.file, first.source.sheet) == (power.source.file, power.source.sheet):
                # the same power under one code on two sheets of a file is a two-level list
                # (one sheet per level: 地州级 / 区县级), not a clash
                yield finding("code-duplicate", power, "code", code=power.code, other=_where(first, power))
        # per sheet: a list with one sheet per level (地州级 / 区县级) repeats items by design
        key = (power.source.file, power.source.sheet, power.agency, power.category, power.name, power.sub_name,
               power.basis)
        first_item = items.get(key)
        if first_item is None:
            items[key] = power
        else:
            yield finding("duplicate-item", power, "name", other=_where(first_item, power))
        forced_closed = any(p.code.startswith("disclosure-") or p.code == "cell-formula-uncached" for p in power.problems)
        if power.is_withheld and not forced_closed:
            if not power.exemption:
                yield finding("withheld-no-reason", power, "disclosure")
            elif not _LAWFUL_REASONS.search(power.exemption):
                yield finding("withheld-reason-unlawful", power, "exemption", reason=power.exemption)
        if power.fee and not _NO_FEE.match(power.fee) and not _FEE_BASIS.search(power.fee):
            yield finding("fee-no-basis", power, "fee", fee=power.fee)


def _where(first, power) -> str:
    same_file = first.source.file == power.source.file
    sheet = None if not same_file or first.source.sheet == power.source.sheet else first.source.sheet
    return f"{position(None if same_file else first.source.file, sheet, first.source.row)}“{first.title}”"
