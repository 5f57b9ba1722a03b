"""Reading the procedure a list writes in words: its 责任事项 or 办理流程/运行流程 cell.

Agencies write a procedure in a few ways:

- numbered stages: "1.受理阶段：…" "2、审查责任：…" "（一）受理环节…" "一、决定：…" "第三步：送达" "①立案"
  "2.现场核查." — with 半角, 全角 or Chinese numerals, mixed within one cell;
- unnumbered stages: "受理阶段责任：…" "审查责任：…" "决定环节：…";
- a chain of arrows or dashes: "受理→审查→决定" "受理-审查-决定";
- any of these with the post and limit in brackets: "受理（窗口受理岗，1个工作日）".

Many lists instead fill 责任事项 with duties — "直接实施责任：1.规范完善审批标准… 指导监督责任：…",
监管责任, 追责情形 — which are not a procedure. `read_procedure` says which form a cell has and
gives the procedural stages only; a duty (监管, 监督, 指导监督, 其他…责任) is never a stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Power, Source, Step
from ..timing import parse_limit

PROCEDURE, DUTIES, FREE_TEXT, EMPTY = "procedure", "duties", "text", "empty"
FORM_ZH = {PROCEDURE: "分阶段的办理程序", DUTIES: "列举职责（非办理程序）", FREE_TEXT: "未分阶段的文字", EMPTY: "未填写"}

# a procedure needs at least two stages: one named stage is a sentence, not a process
MIN_STAGES = 2

_CN = "零〇一二两三四五六七八九十百"
_NUM = rf"(?:[0-9０-９]{{1,3}}|[{_CN}]{{1,4}})"
# a numbered item's mark: 1. 1、 １． 1) （一） (1) 一、 第一步 第1阶段 ① ⑴ ⒈ (①–⒛ is one Unicode run)
_MARK = (rf"(?:[0-9０-９]{{1,3}}\s*[.、．)）](?![0-9０-９])|[（(]\s*{_NUM}\s*[)）]|[{_CN}]{{1,4}}\s*[、.．]"
         rf"|第\s*{_NUM}\s*(?:步骤|步|阶段|环节)\s*[：:、.．]?|[①-⒛㈠-㈩])")
# where an item may begin: the cell's start, a line, or after the end of a sentence or clause
_AT = r"(?:^|(?<=[\s。；;，,…）)\]】!！?？:：]))"
_NAME = r"[^\s：:。；;，,、（()\[【\n.．→①-⒛㈠-㈩]"
_SUFFIX = r"阶段责任|环节责任|阶段|环节|步骤|责任"
_PAREN = r"[（(][^（()）\n]{1,40}[)）]"
_TAIL = rf"\s*(?P<suffix>{_SUFFIX})?\s*(?P<paren>{_PAREN})?(?:\s*(?P<colon>[：:])|(?=[\s。.．；;，,、①-⒛㈠-㈩]|$))"

_AT_CHAR = re.compile(r"[\s。；;，,…）)\]】!！?？:：]")
# every position, overlapping ones too (a wrong guess must not swallow the real mark after it);
# the reader joins a line that does not start like an item ("收件２．审查阶段：" when the mark is
# full-width), so a mark named as a stage with a colon counts wherever it stands
_NUMBERED = re.compile(rf"(?=(?P<all>(?P<mark>{_MARK})\s*(?P<name>{_NAME}{{1,14}}?){_TAIL}))", re.M)
_UNNUMBERED = re.compile(rf"{_AT}(?P<name>{_NAME}{{1,10}}?)\s*(?P<suffix>{_SUFFIX})\s*(?P<colon>[：:])", re.M)
# a numbered duty item ends the stage before it: "8.其他法律法规规章文件规定应履行的责任。" "5.监管责任：…"
_DUTY_ITEM = re.compile(rf"{_AT}(?P<mark>{_MARK})\s*(?=其他|监管|监督|指导|追责|问责|事中事后|日常监管)"
                        rf"|(?P<other>{_MARK})\s*(?=其他[^。\n]{{0,30}}?(?:责任|职责|义务))", re.M)

# names of duties, not steps (after the 阶段/责任 suffix is taken off). 事后监管 is not among them:
# it names the phase after the decision that ends a licensing procedure (DOMAIN-NOTES §5,
# "送达 → 事后监管/公开") and case registers record it as a step; a bare 监管/监督 is a standing duty
_DUTY_NAME = re.compile(r"^(?:直接实施|指导监督|指导|监督管理|事中事后监管|日常监管|监管|监督检查|监督|追责|问责|责任追究"
                        r"|其他.*|综合管理|属地管理|行业管理|管理|配合|协助|牵头|保密|廉政.*|主体|领导)$")
# words that open a duty list, or an accountability list, anywhere in a cell
_DUTY_WORDS = re.compile(r"直接实施责任|指导监督责任|监管责任|监督责任|追责情形|问责情形|责任追究|追究.{0,6}责任")
# what a stage is called: a name holding one of these (or ending in one, for a bare "2.现场核查.")
_PROCEDURAL = ("受理", "申请", "申报", "登记", "立案", "案件来源", "来源", "调查", "取证", "核查", "核实", "勘验", "勘察", "踏勘",
               "检查", "检验", "检测", "检疫", "鉴定", "评审", "评估", "论证", "审查", "审核", "审批", "审定", "初审", "复审",
               "复核", "复查", "告知", "听证", "陈述", "申辩", "催告", "决定", "批准", "许可", "核准", "认定", "确认", "裁决",
               "调解", "答辩", "处罚", "处理", "处置", "执行", "强制", "查封", "扣押", "解除", "没收", "征收", "核定", "缴纳",
               "给付", "发放", "奖励", "表彰", "推荐", "公示", "公告", "公开", "送达", "制证", "发证", "颁证", "签发", "办结",
               "结案", "归档", "备案", "验收", "移送", "整改", "抽查", "抽取", "报告", "报批", "呈批", "拟定", "研究", "讨论",
               "审议", "集体", "法制", "签批", "实施")
_FIELD_LABELS = re.compile(r"^(?:依据|法律依据|实施依据|时限|办理时限|期限|岗位|承办|承办人|备注|说明|注|条件|材料|要求|标准|内容)$")
_WEAK_NAME_MAX = 8

_ARROW = re.compile(r"\s*(?:→|⟶|➔|➝|⇒|->|=>|＞|>)\s*")
_DASH = re.compile(r"\s*(?:——|—|－|–|-)\s*")
_CHAIN_PART_MAX = 20
_CHAIN_MAX = 4000  # a longer "sentence" is prose, not a chain of short names
_LIMIT_TEXT_MAX = 20
_POST_ENDINGS = re.compile(r"(?:科|室|岗|窗口|股|处|局|队|中心|所|站|组|人员|负责人|领导|主任|局长|科长|队长|承办人|经办人|审核人|"
                           r"委员会|小组|部门|机构|机关|单位|申请人|当事人|人)$")
_POST_LABEL = re.compile(r"(?:承办|责任|办理|经办)?(?:岗位|科室|处室|人员|承办人)\s*[：:]\s*(?P<post>[^，,。；;\n（(]{1,20})")
_LIMIT_LABEL = re.compile(r"(?:办理|环节|承诺|法定)?(?:时限|期限)\s*[：:为]?\s*(?P<limit>[^，,。；;\n（(]{1,20})")
_SPLIT_PAREN = re.compile(r"[，,、；;/／\s]+")


@dataclass(frozen=True)
class Stage:
    """One stage as the cell writes it: its name, its own text, and the post and limit
    when the text states them."""

    name: str
    text: str
    post: str | None = None
    limit: str | None = None


@dataclass(frozen=True)
class Reading:
    """What a procedure cell says: its form and, for a procedure, its stages in order."""

    form: str  # PROCEDURE / DUTIES / FREE_TEXT / EMPTY
    stages: tuple[Stage, ...] = ()
    # stage-like items that are duties, as named in the cell ("监管", "指导监督", "其他…")
    duties: tuple[str, ...] = ()

    @property
    def form_zh(self) -> str:
        return FORM_ZH[self.form]


def classify_procedure_text(text: str | None) -> str:
    """PROCEDURE when the cell writes a procedure of two or more stages; DUTIES when it lists
    duties (直接实施责任/指导监督责任, 监管责任, 追责情形 …) rather than stages; FREE_TEXT
    for other text; EMPTY for a blank cell."""
    return read_procedure(text).form


# lists repeat one 责任事项 text on hundreds of rows: each distinct text is read once
@lru_cache(maxsize=1 << 12)
def read_procedure(text: str | None) -> Reading:
    if not text or not text.strip():
        return Reading(EMPTY)
    stages, duties = _numbered_or_labelled(text)
    if len(stages) >= MIN_STAGES:
        return Reading(PROCEDURE, tuple(stages), tuple(duties))
    chain = _chain(text)
    if len(chain) >= MIN_STAGES:
        return Reading(PROCEDURE, tuple(chain), tuple(duties))
    if duties or _DUTY_WORDS.search(text) or len(_items(text)) >= 2:
        return Reading(DUTIES, (), tuple(duties))
    return Reading(FREE_TEXT)


# --- numbered and labelled stages ------------------------------------------------------

@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    name: str | None  # None: an item that is a duty (it ends the stage before it)
    paren: str | None = None


def _numbered_or_labelled(text: str) -> tuple[list[Stage], list[str]]:
    marks: list[_Mark] = []
    duties: list[str] = []
    for match in _NUMBERED.finditer(text):
        at_item = match.start() == 0 or bool(_AT_CHAR.match(text[match.start() - 1]))
        name = _stage_name(match, numbered=True, mid_line=not at_item)
        if name is not None:
            marks.append(_Mark(match.start(), match.start() + len(match.group("all")), name, match.group("paren")))
    for match in _UNNUMBERED.finditer(text):
        name = _stage_name(match, numbered=False)
        if name is not None:
            marks.append(_Mark(match.start(), match.end(), name))
    for match in _DUTY_ITEM.finditer(text):
        marks.append(_Mark(match.start(), match.end(), None))
    # the earliest mark wins where two overlap ("（一）受理环节：" is one mark, not two)
    kept: list[_Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if kept and mark.start < kept[-1].end:
            continue
        kept.append(mark)
    stages = []
    for i, mark in enumerate(kept):
        end = kept[i + 1].start if i + 1 < len(kept) else len(text)
        body = text[mark.end:end]
        if mark.name is None or _is_duty_name(mark.name):
            duties.append(mark.name or _first_words(body))
            continue
        stages.append(_stage(mark.name, body, mark.paren))
    return stages, duties


def _stage_name(match: re.Match, numbered: bool, mid_line: bool = False) -> str | None:
    """The stage's name when the match is a stage mark, a duty's name (kept, to be set
    aside), or None when it is an ordinary numbered sentence. In mid-line only a mark named
    with a colon counts ("…收件２．审查阶段：…")."""
    name = re.sub(r"\s+", "", match.group("name"))
    suffix, colon = match.group("suffix"), match.group("colon")
    paren = match.groupdict().get("paren")
    first = (match.groupdict().get("mark") or " ")[0]
    circled = "①" <= first <= "⑳" or "㈠" <= first <= "㈩"
    if mid_line and not circled and not (colon and (suffix or _is_duty_name(name) or any(w in name for w in _PROCEDURAL))):
        return None
    if _is_duty_name(name):
        return name if (suffix or colon) else None
    if _FIELD_LABELS.match(name):
        return None
    procedural = any(word in name for word in _PROCEDURAL)
    if suffix:  # 受理阶段 / 审查环节 / 决定责任: named as a stage
        return name if (numbered or procedural) else None
    if not numbered:
        return None
    if colon:
        return name if procedural and len(name) <= 12 else None
    if paren and _post_and_limit(paren) != (None, None):
        return name if len(name) <= 12 else None
    # a bare "2.现场核查." is a stage only when short and named by a procedural word
    return name if len(name) <= _WEAK_NAME_MAX and name.endswith(_PROCEDURAL) else None


def _is_duty_name(name: str) -> bool:
    return bool(_DUTY_NAME.match(name))


def _first_words(body: str) -> str:
    words = re.split(r"[：:。；;，,\n]", body.strip(), maxsplit=1)[0].strip()
    return words[:16] or "（未命名）"


_CLOSING_PAREN = re.compile(rf"(?P<paren>{_PAREN})$")


def _stage(name: str, body: str, paren: str | None) -> Stage:
    text = body.strip(" \t\r\n。.．；;，,、：:")
    post, limit = _post_and_limit(paren) if paren else (None, None)
    closing = _CLOSING_PAREN.search(text)  # "…接收材料（窗口受理岗，1个工作日）"
    if closing and (post is None or limit is None):
        found_post, found_limit = _post_and_limit(closing.group("paren"))
        if found_post or found_limit:  # shown as the step's 承办 and 时限: not again in its note
            post, limit = post or found_post, limit or found_limit
            text = text[:closing.start()].rstrip(" ，,；;。")
    if post is None:
        labelled = _POST_LABEL.search(text)
        post = labelled.group("post").strip() if labelled else None
    if limit is None:
        labelled = _LIMIT_LABEL.search(text)
        if labelled and parse_limit(labelled.group("limit")):
            limit = labelled.group("limit").strip()
    return Stage(name, text, post, limit)


def _post_and_limit(paren: str) -> tuple[str | None, str | None]:
    """'（承办科室，3个工作日）' → ('承办科室', '3个工作日'); parts that are neither are ignored."""
    post = limit = None
    for part in _SPLIT_PAREN.split(paren.strip("（()）")):
        part = part.strip()
        if not part:
            continue
        if limit is None and len(part) <= _LIMIT_TEXT_MAX and parse_limit(part):
            limit = part
        elif post is None and len(part) <= 20 and _POST_ENDINGS.search(part):
            post = part
    return post, limit


def _items(text: str) -> list[re.Match]:
    return list(re.finditer(rf"{_AT}{_MARK}", text, re.M))


# --- arrows and dashes -------------------------------------------------------------------

def _chain(text: str) -> list[Stage]:
    """The first sentence that is a chain "受理→审查→决定" (or "受理-审查-决定", three or more
    parts, nothing else in the sentence)."""
    for sentence in re.split(r"[\n。；;]", text):
        sentence = sentence.strip()
        if len(sentence) > _CHAIN_MAX or not (_ARROW.search(sentence) or _DASH.search(sentence)):
            continue
        if ":" in sentence or "：" in sentence:  # "办理流程：受理→审查→决定"
            sentence = re.split(r"[：:]", sentence, maxsplit=1)[1].strip()
        for splitter, least in ((_ARROW, 2), (_DASH, 3)):
            parts = _split_outside_brackets(sentence, splitter)
            if len(parts) >= least and all(_chain_part(p) for p in parts):
                return [_chain_stage(p) for p in parts]
    return []


def _split_outside_brackets(sentence: str, splitter: re.Pattern) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(sentence):
        char = sentence[i]
        if char in "（(【[":
            depth += 1
        elif char in "）)】]":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = splitter.match(sentence, i)
            if match and match.end() > i:
                parts.append(sentence[start:i])
                start = i = match.end()
                continue
        i += 1
    parts.append(sentence[start:])
    return [p.strip() for p in parts]


def _chain_part(part: str) -> bool:
    name = re.sub(_PAREN, "", part).strip()
    return 0 < len(name) <= _CHAIN_PART_MAX and not re.search(r"[0-9０-９，,。]", name)


def _chain_stage(part: str) -> Stage:
    paren = re.search(_PAREN, part)
    name = re.sub(_PAREN, "", part).strip()
    post, limit = _post_and_limit(paren.group(0)) if paren else (None, None)
    return Stage(name, "", post, limit)


# --- a power's stages as steps -----------------------------------------------------------

# where a power's written procedure may stand, most specific first: a 办理流程/运行流程
# column (when the reader provides one as `procedure`), then 责任事项
PROCEDURE_FIELDS = ("procedure", "duty")
FIELD_ZH = {"procedure": "办理流程", "duty": "责任事项"}


@dataclass(frozen=True)
class WrittenProcedure:
    field: str  # the power's field the stages were read from
    steps: tuple[Step, ...]
    duties: tuple[str, ...]


def written_procedure(power: Power) -> WrittenProcedure | None:
    """The stages of the first procedure cell of `power` that writes a procedure, as Steps
    placed at that cell (file, sheet, row, column); None when no cell does."""
    for field in PROCEDURE_FIELDS:
        reading = read_procedure(getattr(power, field, None))
        if reading.form != PROCEDURE:
            continue
        column = power.columns.get(field)
        columns = {key: column for key in ("name", "post", "limit", "control")} if column else {}
        source = Source(power.source.file, power.source.sheet, power.source.row)
        steps = tuple(
            Step(source=source, code=power.code, step_id=str(index), name=stage.name, kind="办理", post=stage.post,
                 limit=stage.limit, next=str(index + 1) if index < len(reading.stages) else None,
                 control=stage.text or None, columns=dict(columns))
            for index, stage in enumerate(reading.stages, start=1))
        return WrittenProcedure(field, steps, reading.duties)
    return None
