"""Whether a power may be published: 公开方式 (and its aliases 是否公开, 是否公示, 公开类型 …)
read into a closed vocabulary, failing closed.

A power is public only when its 公开方式 reads as one of the recognised public spellings,
or when the list gives no 公开方式 at all and no reason to withhold (published lists are
public documents: 《政府信息公开条例》第五条, 公开为常态、不公开为例外). Everything else is
withheld: a withholding spelling, a value we do not recognise, a formula Excel never
computed, a blank 公开方式 beside a filled 不予公开理由, or a 不予公开 sheet or section.
The vocabulary is documented in docs/disclosure.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ACTIVE, ON_REQUEST, WITHHELD = "主动公开", "依申请公开", "不予公开"
PUBLIC_STATUSES = frozenset({ACTIVE, ON_REQUEST})

# Any of these anywhere in the value withholds the power, whatever else it says.
WITHHOLDING_MARKS = (
    "不予公开", "不予以公开", "不公开", "不宜公开", "不得公开", "不能公开", "不应公开", "暂不公开", "免予公开",
    "免于公开", "非公开", "未公开", "无需公开", "不需公开", "不对外", "不公示", "不予公示",
    "涉密", "秘密", "机密", "绝密", "保密", "密级", "隐私", "内部", "限制公开", "部分公开",
)
# A whole value that answers a 是否公开 question.
_YES = frozenset({"是", "公开", "Y", "YES", "TRUE", "√", "✓", "✔", "○", "1"})
_NO = frozenset({"否", "N", "NO", "FALSE", "×", "✗", "✘", "0", "不"})

# Words that state active disclosure, and the channels agencies name for it (a value made
# only of channels, such as 政府门户网站、政务公开栏, is active disclosure).
_ACTIVE_WORDS = (
    "主动公开", "予以公开", "应当公开", "依法公开", "全部公开", "全文公开", "向社会公开", "社会公开", "对外公开",
    "网上公开", "公开公示", "主动公示", "公示", "公开", "主动",
)
_REQUEST_WORDS = ("依申请公开", "依申请提供", "申请公开", "依申请")
_CHANNELS = (
    "政府门户网站", "门户网站", "政府网站", "部门网站", "官方网站", "官网", "网站", "政务服务网", "政务服务平台",
    "一体化平台", "政务公开栏", "信息公开栏", "公开栏", "公示栏", "公告栏", "宣传栏", "电子显示屏", "显示屏",
    "触摸屏", "政务服务大厅", "服务大厅", "办事大厅", "窗口", "政务新媒体", "微信公众号", "公众号", "微博",
    "报刊", "报纸", "广播电视", "广播", "电视", "新闻发布会", "信息公开专栏", "专栏", "政府公报", "公报",
    "信用中国", "国家企业信用信息公示系统", "信息公示系统", "平台", "媒体", "线上", "线下",
)
# What may sit between the words: separators, brackets, 等, 及, 和, 或 …
_GLUE = re.compile(r"[\s、，,；;/／|｜\\()（）\[\]【】〔〕<>《》:：.。\-—_+＋&及和与或等在通过经由以]+")
# Words that say "nothing here" in a 不予公开理由 cell: not a reason.
_NO_REASON = frozenset({"无", "暂无", "没有", "不涉及", "不适用", "空", "否", "NA", "N/A", "—", "-", "——", "/", "／", "\\", "0"})
# Invisible characters that could hide a withholding word from a naive match
_INVISIBLE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


@dataclass(frozen=True)
class Disclosure:
    status: str  # ACTIVE / ON_REQUEST / WITHHELD
    problem: str | None = None  # a rule code when the status was forced closed

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


# Pure functions of a cell's text: a list repeats the same few 公开方式 values over thousands of
# rows, so each distinct value is normalised and classified once (results are immutable).
@lru_cache(maxsize=4096)
def normalise(text: str | None) -> str:
    """NFKC, no zero-width, soft-hyphen, bidi or control characters, no whitespace."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    return re.sub(r"\s+", "", text)


def has_reason(exemption: str | None) -> bool:
    value = normalise(exemption)
    return bool(value) and value.upper() not in _NO_REASON


def read_value(value: str | None) -> str | None:
    """The status a non-blank 公开方式 value states, or None when it is not recognised."""
    text = normalise(value)
    if not text:
        return None
    if any(mark in text for mark in WITHHOLDING_MARKS):
        return WITHHELD
    upper = text.upper()
    if upper in _NO:
        return WITHHELD
    if upper in _YES:
        return ACTIVE
    # request words first (依申请公开 holds 公开), then channels (政务公开栏 holds 公开), then the rest
    rest, seen = text, {"request": False, "channel": False, "active": False}
    for kind, words in (("request", _REQUEST_WORDS), ("channel", _CHANNELS), ("active", _ACTIVE_WORDS)):
        for word in words:
            if word in rest:
                seen[kind] = True
                rest = rest.replace(word, " ")
    saw_request, saw_channel, saw_active = seen["request"], seen["channel"], seen["active"]
    if _GLUE.sub("", rest):
        return None  # something we do not understand is left: fail closed
    if saw_active or (saw_channel and not saw_request):
        return ACTIVE
    if saw_request:
        return ON_REQUEST
    return None


@lru_cache(maxsize=4096)
def classify(value: str | None, exemption: str | None = None) -> Disclosure:
    """The status of one power from its 公开方式 and 不予公开理由 cells."""
    reason = has_reason(exemption)
    if not normalise(value):
        if reason:
            return Disclosure(WITHHELD, "disclosure-blank-with-reason")
        return Disclosure(ACTIVE)
    status = read_value(value)
    if status is None:
        return Disclosure(WITHHELD, "disclosure-unrecognised")
    if status in PUBLIC_STATUSES and reason:
        return Disclosure(WITHHELD, "disclosure-contradictory")
    return Disclosure(status)


def withholding_context(text: str | None) -> bool:
    """A sheet name or section heading that says its items are withheld (不予公开事项, 涉密事项)."""
    value = normalise(text)
    return bool(value) and any(mark in value for mark in WITHHOLDING_MARKS)


def strictest(*statuses: str) -> str:
    """Of several statements about one power, the most restrictive wins."""
    if WITHHELD in statuses:
        return WITHHELD
    if ON_REQUEST in statuses:
        return ON_REQUEST
    return ACTIVE


# --- the gate: one decision per power, whatever record, sheet or file states it -------------

WITHHELD_ELSEWHERE = "disclosure-withheld-elsewhere"


def identity_keys(agencies: tuple[str | None, ...], code: str | None, name: str | None,
                  sub_name: str | None) -> set[tuple[str, ...]]:
    """The names one power goes by: (agency, code) and (agency, name, 子项) for each name its
    agency is known under (the list's own, the row's 实施主体). Two records sharing any of these
    keys are the same power, so what withholds one withholds the other."""
    keys: set[tuple[str, ...]] = set()
    code_key = normalise(code).upper()
    name_key = (normalise(name), normalise(sub_name))
    for agency in {normalise(a) for a in agencies}:
        if code_key:
            keys.add((agency, "code", code_key))
        if name_key[0]:
            keys.add((agency, "name", *name_key))
    return keys
