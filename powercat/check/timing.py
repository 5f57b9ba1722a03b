"""Rules on time limits: readable, promised within statutory (on the working-day
calendar), and within the general statutory ceilings of the category's law."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..fields import labels
from ..law.numerals import to_chinese
from ..legal_days import day_rule
from ..model import Category, Power
from ..timing import DAY, TimeLimit, Variant, parse_limit, to_natural_days, to_workdays
from ..rules import ERROR, WARNING, declare
from .context import Context, finding, where_cited
from .findings import Finding

_FIELD_ZH = labels("statutory_limit", "promised_limit")

# ── the rules of this module, declared here with their codes (powercat/rules.py) ──
# time limits
declare("limit-unparseable", WARNING, "timing", "时限无法识别",
        "{field_zh}“{text}”无法识别：请写成“20个工作日”“60日”“即办”等形式",
        "A time limit that does not read as a number of working days, days, months or 即办.")
declare("limit-promised-exceeds-statutory", ERROR, "timing", "承诺时限超过法定时限",
        "承诺时限 {promised} 超过法定时限 {statutory}{detail}",
        "The promised limit is longer than the statutory one (compared on the working-day calendar).")
declare("limit-licensing-over-20", WARNING, "timing", "许可时限超过20个工作日",
        "行政许可法定时限 {statutory} 超过 20 个工作日（可延长 10 个工作日）；如所引法律、法规另有规定，请在实施依据中摘录含该时限的条文",
        "A 行政许可 statutory limit above 20 working days with no special provision cited.",
        "《中华人民共和国行政许可法》第四十二条")
declare("limit-penalty-over-90", WARNING, "timing", "处罚时限超过90日",
        "行政处罚办案时限 {statutory} 超过 90 日；如所引法律、法规、规章另有规定，请在实施依据中摘录含该时限的条文",
        "A 行政处罚 limit above 90 days with no special provision cited.",
        "《中华人民共和国行政处罚法》第六十条")
declare("limit-promised-exceeds-derived", WARNING, "timing", "承诺时限超过推定法定时限",
        "承诺时限 {promised} 超过法定时限 {derived}{detail}；清单未填写法定时限，该法定时限系依{source}推定，请核对",
        "The promised limit is longer than the statutory limit derived from the law (the list gives none).",
        "《中华人民共和国行政许可法》第四十二条、《中华人民共和国行政处罚法》第六十条")
declare("limit-statutory-missing", ERROR, "timing", "许可缺少法定时限",
        "行政许可未填写法定时限{derived}",
        "A 行政许可 with an empty 法定时限 column.",
        "《中华人民共和国行政许可法》第四十二条")


def check_power(power: Power, ctx: Context) -> Iterator[Finding]:
    limits: dict[str, TimeLimit | None] = {}
    for field in ("statutory_limit", "promised_limit"):
        text = getattr(power, field)
        limits[field] = parse_limit(text)
        if text and limits[field] is None:
            yield finding("limit-unparseable", power, field, field_zh=_FIELD_ZH[field], text=text.replace("\n", " "))
    statutory, promised = limits["statutory_limit"], limits["promised_limit"]
    licensing = power.category == Category.LICENSING.value
    if licensing and statutory is None and not power.statutory_limit and "statutory_limit" in power.columns:
        from ..law.limits import statutory_for

        derived = statutory_for(power, ctx.registry)  # what to fill in, when the law says it
        yield finding("limit-statutory-missing", power, "statutory_limit",
                      derived=f"；据所引法律，法定时限为 {derived.display}" if derived else "")
    if statutory and promised:
        yield from _promised_within_statutory(power, statutory, promised, ctx)
    if statutory is None:
        if promised and not power.statutory_limit:
            yield from _promised_within_derived(power, promised, ctx)
        return
    # which 日 are working days: legal_days.day_rule (行政许可法 Art. 82, 处罚法 Art. 85, 强制法 Art. 69)
    longest = statutory.longest
    if licensing:
        days = to_workdays(longest, ctx.as_of, power.category)
        if days > 20 and not _provided_for(power, longest, ctx):
            yield finding("limit-licensing-over-20", power, "statutory_limit", statutory=str(longest))
    elif power.category == Category.PENALTY.value:
        if to_natural_days(longest, ctx.as_of, power.category) > 90 and not _provided_for(power, longest, ctx):
            yield finding("limit-penalty-over-90", power, "statutory_limit", statutory=str(longest))


def _promised_within_statutory(power: Power, statutory: TimeLimit, promised: TimeLimit, ctx: Context):
    by_label = {v.label: v for v in statutory.variants}
    for variant in promised.variants:
        against = by_label.get(variant.label) or statutory.longest
        mine = to_workdays(variant, ctx.as_of, power.category)
        limit = to_workdays(against, ctx.as_of, power.category)
        if mine > limit + 1e-9:
            detail = ""
            if variant.unit != against.unit:
                rule = day_rule(against, power.category)  # why a plain 日 is or is not a working day
                detail = (f"（自 {ctx.as_of.isoformat()} 起按工作日折算：承诺 {mine:g} 个工作日，法定 {limit:g} 个工作日；"
                          f"法定时限按{rule.kind_zh}计，依据{rule.ground}）")
            yield finding("limit-promised-exceeds-statutory", power, "promised_limit",
                          promised=str(variant), statutory=str(against), detail=detail)
            return


def _promised_within_derived(power: Power, promised: TimeLimit, ctx: Context):
    """The list gives no 法定时限: the promise is held against the limit the law states
    (law/limits.py), and the message says the limit is derived and from which article."""
    from ..law.limits import statutory_for

    derived = statutory_for(power, ctx.registry)
    if derived is None:
        return
    against = parse_limit(derived.limit_text).longest
    limit = to_workdays(against, ctx.as_of, power.category, derived.law)
    for variant in promised.variants:
        mine = to_workdays(variant, ctx.as_of, power.category)
        if mine > limit + 1e-9:
            detail = ""
            if variant.unit != against.unit:
                rule = day_rule(against, power.category, derived.law)
                detail = (f"（自 {ctx.as_of.isoformat()} 起按工作日折算：承诺 {mine:g} 个工作日，法定 {limit:g} 个工作日；"
                          f"法定时限按{rule.kind_zh}计，依据{rule.ground}）")
            yield finding("limit-promised-exceeds-derived", power, "promised_limit", promised=str(variant),
                          derived=derived.limit_text, detail=detail, source=derived.source)
            return


def _provided_for(power: Power, limit: Variant, ctx: Context) -> bool:
    """Whether the cell's basis or remark, or (with --law-texts) the text of an article it
    cites, states this very period: a special provision."""
    amount = int(limit.amount)
    text = (power.basis or "") + (power.remark or "") + _cited_texts(power, ctx)
    spellings = {f"{amount}日", f"{amount}个工作日", f"{to_chinese(amount)}日", f"{to_chinese(amount)}个工作日"}
    if limit.unit != DAY:
        spellings |= {f"{amount}个月", f"{to_chinese(amount)}个月"}
    return any(s in re.sub(r"\s", "", text) for s in spellings)


def _cited_texts(power: Power, ctx: Context) -> str:
    if ctx.law_texts is None or not power.basis:
        return ""
    from .legal import citations_of

    texts = []
    for citation in citations_of(power.basis):
        law = ctx.registry.find(citation.title, where=where_cited(power)) if citation.title else None
        if law is None:
            continue
        for ref in citation.articles:
            texts.append(ctx.law_texts.text(law.latest, ref.num, ref.sub) or "")
    return "".join(texts)
