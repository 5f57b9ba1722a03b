"""Reads the decision time limit an article's own text states: "行政机关应当自受理行政许可申请之日起
二十日内作出行政许可决定" → 20 日 from 受理, extendable by 10 日.

Conservative by design: a period that is not the agency's decision limit is never taken
(申请人应当在…内, 公示期, 整改期限, 有效期, 送达 after the decision, a court's or a reviewing
body's limit, a complaint's answer); an article is read per sentence and a sentence that is
unclear gives nothing. Used by scripts/build_limits.py to ship the facts (never the texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import NUMERAL, to_int

WORKDAY, DAY, MONTH = "工作日", "日", "个月"

_PERIOD = re.compile(rf"(?P<num>{NUMERAL})\s*(?P<unit>个工作日|工作日|日|天|个月)(?:内|以内|之内)")
_CAP = re.compile(rf"期限[^，。；]{{0,24}}?不得超过(?P<num>{NUMERAL})\s*(?P<unit>个工作日|工作日|日|天|个月)")
_ANCHOR = re.compile(r"(?:自|从|在)(?:其)?(?P<anchor>[^，。；自从在]{1,30}?)之日起")
# an anchor after the decision (颁发证件, 公布 …) starts another period
_LATE_ANCHOR = re.compile(r"核发|颁发|发证|决定|批准|审批|公布|发布|登记之日|送达")
# what the agency does within the period: decide, or finish its review
_DECIDES = re.compile(
    r"^[^。；]{0,8}?(?:，|,)?\s*(?:依法|依照[^，。；]{0,20}?)?(?:"
    r"(?:作出|做出)[^，。；]{0,20}?决定|审查完毕|审核完毕|审批完毕|完成审查|完成审核|办结|"
    r"决定是否|作出批准或者不予批准|作出准予|作出许可|作出审批|予以批准或者不予批准|"
    r"批准或者不予批准|准予或者不予|予以登记或者不予登记|作出登记|审查决定|审核决定)"
)
# a sentence about any of these is not the decision limit of the power itself
_NOT_DECISION = re.compile(
    r"申请人|当事人|被申请人|申请者|持有人|经营者|生产者|企业|单位应当|个人应当|权利人|义务人|"
    r"人民法院|法院|检察|复议|诉讼|仲裁|听证|公示|公告|整改|改正|有效期|届满|送达|告知|补正|缴纳|"
    r"报告|备案|移送|异议|举报|投诉|信访|答复|延续|变更|注销|撤销|补办|换发|收回|退还|赔偿|"
    r"评审|鉴定|检验|检测|检疫|招标|拍卖|挂牌|论证|公开|通报|抄送|上报|报送|转报|报请|报批|"
    r"事故|调查|应急|紧急|处置|抢险|救援|征求|意见|作出决定之日|决定之日起|批准之日|收到决定"
)
_EXTEND = re.compile(rf"延长(?:期限)?(?:不得超过|不超过|最长不超过)?(?P<num>{NUMERAL})\s*(?P<unit>个工作日|工作日|日|天|个月)")
_SENTENCE = re.compile(r"[。；;\n]")


@dataclass(frozen=True)
class LimitFact:
    """A decision time limit an article states: amount + unit, from what (受理/立案 …), and
    the extension the article allows (0: none stated; -1: extendable, amount not stated)."""

    amount: int
    unit: str  # 工作日 / 日 / 个月
    anchor: str  # 受理行政许可申请 · 立案 · "" (not said)
    extension: int = 0
    kuan: int = 1  # which 款 of the article (1-based)
    case: bool = False  # the sentence speaks of a case (案件, 违法, 处罚, 查处): a penalty's limit
    measure: bool = False  # the sentence speaks of a coercive measure (查封, 扣押, 冻结, 登记保存)
    # False: the agency has a period here for some act (颁发, 核查, 出具意见 …) that may or may not
    # be its decision limit; never used as a limit, only to know that the law may say one
    sure: bool = True

    def to_json(self) -> list:
        return [self.amount, self.unit, self.anchor, self.extension, self.kuan, int(self.case), int(self.measure),
                int(self.sure)]

    @classmethod
    def from_json(cls, row: list) -> LimitFact:
        flags = [bool(v) for v in row[5:8]] + [False, False, True][len(row[5:8]):]
        return cls(int(row[0]), row[1], row[2], int(row[3]), int(row[4]), *flags)


def _unit(text: str) -> str:
    return WORKDAY if "工作日" in text else MONTH if "月" in text else DAY


def facts_in(text: str) -> list[LimitFact]:
    """The decision limits an article's text states, in order (one per sentence at most)."""
    out: list[LimitFact] = []
    body = re.sub(r"^第[^\s　]{1,12}条[\s　]*", "", text or "")
    for kuan, paragraph in enumerate(body.split("\n"), start=1):
        sentences = [s for s in _SENTENCE.split(paragraph) if s.strip()]
        for i, sentence in enumerate(sentences):
            fact = _fact_of(sentence, kuan)
            if fact is None:
                continue
            if not fact.extension:
                # the extension is said in the same sentence or the next one of the 款
                following = sentence[sentence.find(str(fact.amount)):] + "".join(sentences[i + 1:i + 2])
                fact = LimitFact(fact.amount, fact.unit, fact.anchor, _extension(following), kuan, fact.case,
                                 fact.measure, fact.sure)
            out.append(fact)
    return out


def _fact_of(sentence: str, kuan: int) -> LimitFact | None:
    sentence = re.sub(r"\s+", "", sentence)
    return _sure_fact(sentence, kuan) or _unsure_fact(sentence, kuan)


# the agency does something within a period: maybe its decision (颁发, 核发, 出具意见, 进行核查 …)
_AGENCY_ACTS = re.compile(r"决定|批准|许可|颁发|核发|发给|发放|审查|审核|审批|办结|核准|登记|作出|做出|出具|意见|处理|核查|验收")
_APPLICANTS = re.compile(
    r"申请人|当事人|被申请人|申请者|持有人|经营者|生产者|企业应当|单位应当|个人应当|建设单位|托运人|权利人|义务人|"
    r"人民法院|法院|检察|复议|诉讼|仲裁|有效期|届满|缴纳|公示|公告|整改|改正|补正|告知|备案")
_NOT_ACT = re.compile(r"告知|补正|通知|送达|公告|公示|报送|上报|移送|备案|抄送|通报|公布|退还")


def _unsure_fact(sentence: str, kuan: int) -> LimitFact | None:
    """A period of the agency for an act that may be its decision: kept as not sure, so that no
    general rule is put in its place."""
    match = _PERIOD.search(sentence) or _CAP.search(sentence)
    if match is None or not _AGENCY_ACTS.search(sentence):
        return None
    before, after = sentence[:match.start()], sentence[match.end():]
    if _APPLICANTS.search(before) or _NOT_ACT.search(after[:15]):
        return None
    if re.match(r"(?:仍|还)?(?:不能|未能|无法|未)", after):
        return None  # the condition of an extension ("二十日内不能作出决定的")
    anchor = _anchor(before)
    if anchor is None:
        return None
    amount = to_int(match.group("num"))
    if not amount:
        return None
    case = bool(re.search(r"案|违法|处罚|查处", sentence))
    measure = bool(re.search(r"查封|扣押|冻结|强制措施|登记保存", sentence))
    return LimitFact(amount, _unit(match.group("unit")), anchor, 0, kuan, case, measure, sure=False)


def _anchor(before: str) -> str | None:
    """From what the period runs, the last 自…之日起 before it ('' when unsaid); None when it
    runs from an act after the decision (送达, 届满 …): not the decision's period."""
    found = None
    for found in _ANCHOR.finditer(before):
        pass
    anchor = found.group("anchor") if found else ""
    return None if _LATE_ANCHOR.search(anchor) else anchor


def _sure_fact(sentence: str, kuan: int) -> LimitFact | None:
    found = _PERIOD.search(sentence)
    capped = _CAP.search(sentence) if found is None else None
    match = found or capped
    if match is None:
        return None
    before, after = sentence[:match.start()], sentence[match.end():]
    if capped is not None and not re.search(r"办理|审查|审批|处理|办结", before):
        return None
    if _NOT_DECISION.search(before):
        return None
    if re.match(r"(?:仍|还)?(?:不能|未能|无法|未)", after):
        return None  # "二十日内不能作出决定的，…可以延长": the extension, not a second limit
    if found is not None and (not _DECIDES.search(after) or re.search(r"备案|报告|送达|告知", after[:12])):
        return None
    if re.search(r"是否受理|受理的决定|予以受理|不予受理|是否立案受理", after[:25]):
        return None  # whether to accept the application: not the decision on it
    # a second period in the sentence: which one is the decision's is not sure
    if len(_PERIOD.findall(sentence)) > 1 and "延长" not in sentence:
        return None
    anchor = _anchor(before)
    if anchor is None:
        return None
    if not anchor and not re.search(r"部门|机关|机构|政府|委员会|主管|海关|公安|局", before):
        return None  # no subject and no anchor: whose period this is cannot be told
    amount = to_int(match.group("num"))
    if not amount:
        return None
    extension = _extension(after) if "延长" in after else 0
    case = bool(re.search(r"案|违法|处罚|查处", sentence))
    measure = bool(re.search(r"查封|扣押|冻结|强制措施|登记保存", sentence))
    return LimitFact(amount, _unit(match.group("unit")), anchor, extension, kuan, case, measure)


def _extension(text: str) -> int:
    text = re.sub(r"\s+", "", text)
    if "延长" not in text:
        return 0
    found = _EXTEND.search(text)
    if found is None:
        return -1
    amount = to_int(found.group("num"))
    return amount or -1
