"""Rules on the catalogue, each declared with its function (`@rule`, run by check with no
further wiring): what one power's own cells show (category, code, withheld items, fees),
and what only the whole catalogue shows (a code or an item listed twice)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Catalogue, Category, Power
from ..text_forms import position
from .context import Context, finding
from .findings import ERROR, WARNING, Finding, rule

_STANDARD = {c.value for c in Category}
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{2,63}$")
_LAWFUL_REASONS = re.compile(r"国家秘密|商业秘密|个人隐私|涉密|秘密")
_NO_FEE = re.compile(r"^(不收费|免费|无|否|不收取.*|无收费|免收.*|不涉及)$")
_FEE_BASIS = re.compile(r"《|依据|根据|按照|规定|标准|文件|〔|发改|财")
_OGI = "《中华人民共和国政府信息公开条例》第十四条、第十五条"


@rule("category-nonstandard", WARNING, "catalogue", title="非标准职权类别",
      template="职权类别“{category}”不是标准类别（行政许可、行政处罚、行政强制、行政征收、行政给付、行政检查、"
               "行政确认、行政奖励、行政裁决、其他行政权力）",
      description="The category is not one of the ten standard ones.")
def category_nonstandard(power: Power, _ctx: Context) -> Iterator[Finding]:
    if power.category not in _STANDARD:
        yield finding("category-nonstandard", power, "category", category=power.category)


@rule("code-format", WARNING, "catalogue", title="编码格式不规范", template="职权编码“{code}”格式不规范：应为字母、数字和连字符",
      description="A power code with characters other than letters, digits and hyphens.")
def code_format(power: Power, _ctx: Context) -> Iterator[Finding]:
    if power.code and not _CODE.match(power.code):
        yield finding("code-format", power, "code", code=power.code)


@rule("code-duplicate", ERROR, "catalogue", title="编码重复", template="职权编码“{code}”重复：与{other}相同",
      description="The same code on two different powers.", scope="catalogue")
def code_duplicate(catalogue: Catalogue, _ctx: Context) -> Iterator[Finding]:
    codes: dict[str, Power] = {}
    for power in catalogue.powers:
        if not power.code:
            continue
        first = codes.get(power.code)
        if first is None:
            codes[power.code] = power
        elif (first.name, first.sub_name) != (power.name, power.sub_name) or \
                (first.source.file, first.source.sheet) == (power.source.file, power.source.sheet):
            # the same power under one code on two sheets of a file is a two-level list
            # (one sheet per level: 地州级 / 区县级), not a clash
            yield finding("code-duplicate", power, "code", code=power.code, other=_where(first, power))


@rule("duplicate-item", WARNING, "catalogue", title="事项重复", template="与{other}重复：名称、类别和实施依据都相同",
      description="The same power listed twice in one agency.", scope="catalogue")
def duplicate_item(catalogue: Catalogue, _ctx: Context) -> Iterator[Finding]:
    items: dict[tuple, Power] = {}
    for power in catalogue.powers:
        # per sheet: a list with one sheet per level (地州级 / 区县级) repeats items by design
        key = (power.source.file, power.source.sheet, power.agency, power.category, power.name, power.sub_name,
               power.basis)
        first = items.get(key)
        if first is None:
            items[key] = power
        else:
            yield finding("duplicate-item", power, "name", other=_where(first, power))


def _withheld_as_listed(power: Power) -> bool:
    """Withheld by its own 公开方式, not forced closed by the reader (an unreadable value)."""
    forced_closed = any(p.code.startswith("disclosure-") or p.code == "cell-formula-uncached" for p in power.problems)
    return power.is_withheld and not forced_closed


@rule("withheld-no-reason", ERROR, "catalogue", title="不予公开未说明理由",
      template="标注为不予公开，但未写明理由（国家秘密、商业秘密或个人隐私及其依据）",
      description="A withheld power with no stated reason.", law=_OGI)
def withheld_no_reason(power: Power, _ctx: Context) -> Iterator[Finding]:
    if _withheld_as_listed(power) and not power.exemption:
        yield finding("withheld-no-reason", power, "disclosure")


@rule("withheld-reason-unlawful", WARNING, "catalogue", title="不予公开理由不合法定情形",
      template="不予公开的理由“{reason}”不是国家秘密、商业秘密或个人隐私",
      description="A withheld power whose reason is none of state secret, trade secret or privacy.", law=_OGI)
def withheld_reason_unlawful(power: Power, _ctx: Context) -> Iterator[Finding]:
    if _withheld_as_listed(power) and power.exemption and not _LAWFUL_REASONS.search(power.exemption):
        yield finding("withheld-reason-unlawful", power, "exemption", reason=power.exemption)


@rule("fee-no-basis", WARNING, "catalogue", title="收费无依据", template="收费“{fee}”未写明收费依据",
      description="A fee with no stated basis.")
def fee_no_basis(power: Power, _ctx: Context) -> Iterator[Finding]:
    if power.fee and not _NO_FEE.match(power.fee) and not _FEE_BASIS.search(power.fee):
        yield finding("fee-no-basis", power, "fee", fee=power.fee)


def _where(first, power) -> str:
    same_file = first.source.file == power.source.file
    sheet = None if not same_file or first.source.sheet == power.source.sheet else first.source.sheet
    return f"{position(None if same_file else first.source.file, sheet, first.source.row)}“{first.title}”"
