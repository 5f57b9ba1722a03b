"""Whether a stated period counts working days or calendar days: the one policy that
`check`, `process` and `cases` all ask, each answer with its legal ground.

| the period says | category | counted in | ground |
|---|---|---|---|
| 工作日 | any | working days | the text says so |
| 自然日 | any | calendar days | the text says so |
| 日/天 | 行政许可 | working days | 行政许可法 第八十二条（期限以工作日计算，不含法定节假日）|
| 二日、三日、五日、七日 | 行政处罚 | working days | 行政处罚法 第八十五条 |
| other 日 | 行政处罚 | calendar days | 行政处罚法 第八十五条 names only those four; 民法典 第二百条 |
| 十日以内 (10 included) | 行政强制 | working days | 行政强制法 第六十九条; 以内含本数：民法典 第一千二百五十九条 |
| more than 10 日 | 行政强制 | calendar days | 行政强制法 第六十九条 reaches only 十日以内; 民法典 第二百条 |
| 日 | anything else | calendar days | no law makes them working days: 民法典 第二百条 |

处罚法 Art. 85 and 强制法 Art. 69 speak of periods "本法中": a period read from another law's
article (`source_law`, e.g. 营业性演出管理条例 第十三条 "3日内作出决定", 直销管理条例 第二十五条
"7日内…办理换货和退货") is not one of them and counts calendar days unless it says 工作日.
许可法 Art. 82 is read for every period of a 行政许可 procedure, whatever law states it: the
许可法 is the general procedural law of licensing, and 办事指南 practice counts so.

Months, hours and 即办 are never working days. The working days themselves come from the
single calendar in workdays.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Category
from .limits import DAY, WORKDAY, Variant

_CALENDAR_GROUND = "《中华人民共和国民法典》第二百条（期间按照公历年、月、日、小时计算）"
PENALTY_WORKDAY_PERIODS = frozenset({2, 3, 5, 7})  # 行政处罚法 第八十五条：“二日”“三日”“五日”“七日”
COERCION_WORKDAY_CEILING = 10  # 行政强制法 第六十九条：十日以内（含本数）


@dataclass(frozen=True)
class DayRule:
    workdays: bool
    ground: str  # in Chinese, for messages and reports

    @property
    def kind_zh(self) -> str:
        return "工作日" if self.workdays else "自然日"


_OWN_LAW = {Category.PENALTY.value: "中华人民共和国行政处罚法", Category.COERCION.value: "中华人民共和国行政强制法"}


def day_rule(variant: Variant, category: str | None, source_law: str | None = None) -> DayRule:
    """How `variant`, a period of a power of `category`, is counted, and why. `source_law`: the
    title of the law whose article states the period, when it was read from one (None: the list's
    own 时限 column, or the category's own law)."""
    if variant.unit == WORKDAY:
        return DayRule(True, "时限写明“工作日”")
    if variant.unit != DAY:
        return DayRule(False, _CALENDAR_GROUND)
    if variant.natural:
        return DayRule(False, "时限写明“自然日”")
    amount = variant.amount
    own = _OWN_LAW.get(category)
    if own and source_law and source_law.removeprefix("中华人民共和国") != own.removeprefix("中华人民共和国"):
        article = "第八十五条" if category == Category.PENALTY.value else "第六十九条"
        return DayRule(False, f"《{own}》{article}只适用于本法中的期限，本期限出自《{source_law}》，按自然日计；"
                              + _CALENDAR_GROUND)
    if category == Category.LICENSING.value:
        return DayRule(True, "《中华人民共和国行政许可法》第八十二条（实施行政许可的期限以工作日计算，不含法定节假日）")
    if category == Category.PENALTY.value:
        if float(amount).is_integer() and int(amount) in PENALTY_WORKDAY_PERIODS:
            return DayRule(True, "《中华人民共和国行政处罚法》第八十五条（“二日”“三日”“五日”“七日”是指工作日，不含法定节假日）")
        return DayRule(False, "《中华人民共和国行政处罚法》第八十五条仅将二日、三日、五日、七日定为工作日，其余期间按自然日计；"
                              + _CALENDAR_GROUND)
    if category == Category.COERCION.value:
        if amount <= COERCION_WORKDAY_CEILING:
            return DayRule(True, "《中华人民共和国行政强制法》第六十九条（十日以内期限的规定是指工作日，不含法定节假日；"
                                 "“以内”含本数，《中华人民共和国民法典》第一千二百五十九条）")
        return DayRule(False, "《中华人民共和国行政强制法》第六十九条仅将十日以内的期限定为工作日，其余按自然日计；"
                              + _CALENDAR_GROUND)
    return DayRule(False, "法律未规定按工作日计算，按自然日计；" + _CALENDAR_GROUND)


def counts_workdays(variant: Variant, category: str | None, source_law: str | None = None) -> bool:
    return day_rule(variant, category, source_law).workdays
