"""实施依据 text → citations.

Handles the way agencies write a legal basis:

    【法律】《中华人民共和国畜牧法》（2005年12月29日通过，2022年10月30日修订）
    第二十二条第一款：从事种畜禽生产经营……（quoted article text）
    【 法规】《植物检疫条例》（国务院令第98号）第七条、第八条
    《固定资产投资项目节能审查办法》（国家发展改革委令2016年第44号）《浙江省……》（浙政办发〔2020〕48号）

One citation per law title at the start of a line or right after a level tag or another
title; titles inside quoted article text are not citations. Article references: 第X条(之X)
(第X款)(第(X)项), lists (、 和 及), ranges (至), Chinese or Arabic numerals, chapters (第X章).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numerals import NUMERAL, to_int

_TAG = re.compile(r"【\s*([^【】\d]{1,15}?)\s*】")
# "1.《X法》" numbering before a title; not "（一）", which starts items inside quoted text
_ENUM = re.compile(r"\s*(?:[0-9]+[.、．])?\s*")
_N = NUMERAL
_ATOM = re.compile(
    rf"第?\s*(?P<num>{_N})\s*条(?:\s*之\s*(?P<sub>{_N}))?"
    rf"(?:\s*第\s*(?P<kuan>{_N})\s*款)?"
    rf"(?:\s*第?\s*[（(]?\s*(?P<xiang>{_N})\s*[)）]?\s*项)?"
)
_KUAN_ONLY = re.compile(rf"第\s*(?P<kuan>{_N})\s*款(?:\s*第?\s*[（(]?\s*(?P<xiang>{_N})\s*[)）]?\s*项)?")
_XIANG_ONLY = re.compile(rf"第?\s*[（(]\s*(?P<xiang>{_N})\s*[)）]\s*项|第\s*(?P<xiang2>{_N})\s*项")
_CHAPTER = re.compile(rf"第\s*(?P<num>{_N})\s*(?P<kind>[编章节])")
_REF_START = re.compile(rf"第\s*{_N}\s*[条章编节]")
_SEPARATOR = re.compile(r"\s*(?:、|，|,|；|;|和|及|以及|或者|或|与)\s*")
_RANGE = re.compile(r"\s*(?:至|到|－|-|—|～|~)\s*")
# a year of more than four digits (20016年) is read whole, so a finding quotes the typo as written
_DATE = re.compile(r"(?<!\d)(\d{4,})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?")
# the issuer never starts with the 日/年/月 of a date written just before it
_ISSUER = r"(?:(?![日年月号])[\u4e00-\u9fa5A-Za-z][\u4e00-\u9fa5A-Za-z]{0,23}?)?"
_DOC_NUMBER = re.compile(
    _ISSUER + r"\s*[〔\[【（(]\s*\d{4}\s*[〕\]】）)]\s*(?:第\s*)?\d+\s*号"
    r"|" + _ISSUER + r"令\s*(?:\d{4}\s*年\s*)?第\s*[0-9一二三四五六七八九十百零〇]+\s*号"
)
_COLON = re.compile(r"[：:]")
_DOC_SERIES = re.compile(r"([\u4e00-\u9fa5]{0,16}?令)\s*第\s*\d+\s*号((?:\s*[、和及，,]\s*第?\s*\d+\s*号)+)")
_AMENDED_BY = re.compile(r"[^《》\n]{0,12}?(?:修正|修订|修改)")
_ORDINAL = re.compile(r"第[一二三四五六七八九十]+次修[正订改]")
# the meeting that adopted a version: 第十三届全国人民代表大会常务委员会第十次会议, 国务院第144次常务会议
MEETING = re.compile(r"第[一二三四五六七八九十]+届全国人民代表大会(?:常务委员会)?第[一二三四五六七八九十百0-9]+次(?:全体)?会议"
                     r"|国务院第[一二三四五六七八九十百0-9]+次常务会议")
# a law named without 《》 just before an article number: 依照内河交通安全管理条例第七十七条
_BARE_LAW_BEFORE = re.compile(r"([\u4e00-\u9fa5]{2,30}(?:法|条例|规定|办法|细则|规则))[》〉”\"]?\s*$")
# a bracketed note right after an article number, with words in it (not an item such as （一）)
_REF_NOTE = re.compile(r"[ \u3000]*[（(](?=[^（）()\n]*[\u4e00-\u9fa5])(?![一二三四五六七八九十]+[)）])[^（）()\n]{1,40}[)）]")
# a title closed too early: 《报废机动车回收管理办法》实施细则》
_TITLE_SPILL = re.compile(r"((?:实施)?(?:细则|办法|条例|规定|规则))》")
# words that are never a law's title alone: 《目录》, 《办法》
_GENERIC_TITLES = {"目录", "清单", "名录", "名单", "办法", "规定", "条例", "细则", "决定", "通知", "意见", "规则", "标准"}
_KINDS = re.compile(r"(?P<adopt>通过|审议|批准)|(?P<effect>施行|生效)|(?P<version>公布|发布|颁布|修正|修订|修改|决定|令)")
# item references between an article and its colon: 第六十二条第（一）（二）项： / 第三项、第五项：
_ITEM_TAIL = re.compile(r"[第（）()0-9一二三四五六七八九十、，,和及至项款之]{1,30}?[：:]")
# a title written without outer 《》: 新疆维吾尔自治区实施《中华人民共和国野生动物保护法》办法
_IMPLEMENT_HEAD = re.compile(r"([\u4e00-\u9fa5]{2,30}?实施)$")
_IMPLEMENT_TAIL = re.compile(r"(若干规定|办法|条例|细则|规定)")


def date_kind(after: str) -> str:
    """What the words after a date in a version history say it is (the first keyword wins)."""
    match = _KINDS.search(after[:40])
    return match.lastgroup if match else ""
# What a cited title ends with: laws, regulations, rules and documents, with an optional
# bracket such as （试行） or （2020年版）. 《营业执照》 or 《……许可证》 in quoted text are not.
_LEGAL_TITLE = re.compile(
    r"(法|法典|条例|规定|办法|细则|决定|通知|意见|规则|目录|批复|标准|解释|规程|方案|纲要|章程|令|清单|制度|公告|"
    r"准则|规范|措施|指引|答复|函|守则|要求|须知|导则|名录|程序)(（[^（）]{1,20}）|\([^()]{1,20}\))*$"
)

LEVEL_TAGS = {
    "法律": "法律", "法": "法律", "行政法规": "行政法规", "法规": "法规", "地方性法规": "地方性法规",
    "地方法规": "地方性法规", "自治条例": "地方性法规", "单行条例": "地方性法规", "规章": "规章",
    "部门规章": "部门规章", "部令": "部门规章", "政府规章": "地方政府规章", "地方政府规章": "地方政府规章",
    "地方规章": "地方政府规章", "规范性文件": "规范性文件", "国务院决定": "国务院决定", "国务院令": "行政法规",
    "党内法规": "党内法规", "标准": "标准", "司法解释": "司法解释", "宪法": "宪法",
}


@dataclass
class ArticleRef:
    num: int
    sub: int = 0  # 之一 → 1
    kuan: int | None = None
    xiang: int | None = None
    quote: str | None = None  # the article text quoted after "："

    @property
    def label(self) -> str:
        from .numerals import article_label

        text = article_label(self.num, self.sub)
        if self.kuan:
            text += f"第{_cn(self.kuan)}款"
        if self.xiang:
            text += f"第（{_cn(self.xiang)}）项"
        return text


def _cn(number: int) -> str:
    from .numerals import to_chinese

    return to_chinese(number)


@dataclass
class Citation:
    title: str  # as written, whitespace removed, inner 《》 as 〈〉
    tag: str | None = None  # the level tag as written, e.g. 法规
    tag_inherited: bool = False  # the tag stands before an earlier title of the same part of the cell
    history: str | None = None  # the bracket after the title (版本、文号)
    dates: list[str] = field(default_factory=list)  # dates in the history, ISO, as precise as written
    doc_numbers: list[str] = field(default_factory=list)
    # (date, kind) for each date of the history: kind is what the words after it say the
    # date is: "adopt" (通过/审议/批准), "effect" (施行), "version" (公布/修正/修订 …) or "" (unsaid)
    dated: list[tuple[str, str]] = field(default_factory=list)
    ordinals: list[str] = field(default_factory=list)  # 第二次修正 / 第五次修订 as written
    meetings: list[str] = field(default_factory=list)  # 第十三届全国人民代表大会常务委员会第十次会议 as written
    garbled: list[str] = field(default_factory=list)  # dates of the history that are no dates (2019年4月36日)
    articles: list[ArticleRef] = field(default_factory=list)
    chapters: list[int] = field(default_factory=list)
    start: int = 0  # offset in the text, for messages

    @property
    def level(self) -> str | None:
        """The level the tag states, normalised (法规 stays ambiguous: 行政 or 地方性)."""
        if self.tag is None:
            return None
        return LEVEL_TAGS.get(re.sub(r"\s", "", self.tag))

    @property
    def cited_date(self) -> str | None:
        """The latest date in the version history: the version the cell cites."""
        return max(self.dates, key=lambda d: d.ljust(10, "9")) if self.dates else None


# a title marked with doubled angle brackets for want of 《》: <<市场监督管理严重违法失信名单管理办法>>
_ANGLE_TITLE = re.compile(r"(?:<<|＜＜)([^<>＜＞《》\n]{2,60}?)(?:>>|＞＞)")


def parse(text: str | None) -> list[Citation]:
    """Every citation in a 实施依据 cell, in order."""
    if not text:
        return []
    # read as 《…》; the same length, so offsets into the cell stay right
    text = _ANGLE_TITLE.sub(lambda m: f"《 {m.group(1)} 》", text)
    citations: list[Citation] = []
    for tag, start, segment in _segments(text):
        citations.extend(_parse_segment(segment, start, tag))
    return citations


def _segments(text: str):
    """(tag, offset, text) for each part of the cell that starts with a level tag."""
    marks = list(_TAG.finditer(text))
    if not marks:
        yield None, 0, text
        return
    if text[: marks[0].start()].strip():
        yield None, 0, text[: marks[0].start()]
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        yield mark.group(1).strip(), mark.end(), text[mark.end():end]


def _balanced(text: str, pos: int, open_ch: str, close_ch: str) -> int:
    """Index just past the bracket that closes the one at `pos` (or len(text))."""
    depth = 0
    for i in range(pos, len(text)):
        ch = text[i]
        if ch in open_ch:
            depth += 1
        elif ch in close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _clean_title(raw: str) -> str:
    inner = re.sub(r"\s+", "", raw)
    return inner.replace("《", "〈").replace("》", "〉").replace("<", "〈").replace(">", "〉")


def _parse_segment(segment: str, offset: int, tag: str | None) -> list[Citation]:
    citations: list[Citation] = []
    current: Citation | None = None
    in_quote = False
    quote_refs: list[ArticleRef] = []
    quote_start = 0
    pos = 0
    line_start = True
    n = len(segment)

    def close_quote(end: int) -> None:
        nonlocal in_quote, quote_refs
        if in_quote and quote_refs:
            quote = segment[quote_start:end].strip()
            if quote:
                for ref in quote_refs:
                    ref.quote = quote
        in_quote = False
        quote_refs = []

    while pos < n:
        ch = segment[pos]
        if ch == "\n":
            line_start = True
            pos += 1
            continue
        if line_start:
            enum = _ENUM.match(segment, pos)
            if enum and enum.end() > pos and segment[enum.end():enum.end() + 1] in ("《", "第"):
                pos = enum.end()
                ch = segment[pos]
        if ch == "《" and (not in_quote or (line_start and _opens_citation(segment, pos))):
            title, title_start, end = _title_at(segment, pos, in_quote)
            if title.endswith("决定") and _AMENDED_BY.match(segment, end):
                # 根据…《国务院关于修改…的决定》第二次修正的《X》: a version history, not a basis
                pos = end
                line_start = False
                continue
            if _LEGAL_TITLE.search(title) and title not in _GENERIC_TITLES:
                close_quote(title_start)
                if current is not None and current.title == title and not current.articles:
                    pass  # the same title written twice in a row: one citation
                else:
                    current = Citation(title=title, tag=tag, start=offset + title_start,
                                       tag_inherited=bool(citations))
                    citations.append(current)
                pos = _after_title(segment, end, current)
                line_start = False
                continue
            pos = end
            line_start = False
            continue
        if ch == "第" and (not in_quote or line_start):
            ref = _REF_START.match(segment, pos)
            if ref and _names_other_law(segment, pos, current):
                # 依照内河交通安全管理条例第七十七条: another law's article, not the cited one's
                pos, _refs = _parse_refs(segment, pos, Citation(title=""))
                line_start = False
                continue
            if ref:
                close_quote(pos)
                if current is None:
                    # articles with no title before them (a 《 missing): kept, to be reported
                    current = Citation(title="", tag=tag, start=offset)
                    citations.append(current)
                pos, refs = _parse_refs(segment, pos, current)
                pos, start = _quote_after(segment, pos) if refs else (pos, None)
                if start is not None:
                    in_quote, quote_refs, quote_start = True, refs, start
                line_start = False
                continue
        line_start = False
        pos += 1
    close_quote(n)
    return citations


def _title_at(segment: str, pos: int, in_quote: bool) -> tuple[str, int, int]:
    """The title of the 《 at `pos`, where it starts and where it ends (past a spilled 》
    or the 实施…办法 around it)."""
    end = _balanced(segment, pos, "《", "》")
    title = _clean_title(segment[pos + 1:end - 1])
    title_start = pos
    head = None if in_quote else _implement_head(segment, pos)
    tail = _IMPLEMENT_TAIL.match(segment, end) if head else None
    spill = _TITLE_SPILL.match(segment, end)
    if spill and not in_quote:
        # 《报废机动车回收管理办法》实施细则》: the title runs on past a stray 》
        title, end = title + spill.group(1), spill.end()
    if head and tail:
        # 新疆维吾尔自治区实施《中华人民共和国野生动物保护法》办法 is that regulation
        title = head + "〈" + title + "〉" + tail.group(1)
        title_start, end = pos - len(head), tail.end()
    return title, title_start, end


def _quote_after(segment: str, pos: int) -> tuple[int, int | None]:
    """After an article reference at `pos`: where reading goes on, and where the quoted
    article text starts (None when no quote follows)."""
    note = _REF_NOTE.match(segment, pos)
    if note:
        # 第二十条（2016修改版，原1998版第二十二条）： the bracket is a note on the number
        pos = note.end()
    colon = _COLON.match(segment, pos)
    if colon is None:
        # "第五条规定：" / "第五条之规定：" – the colon comes after a few words
        near = re.match(r"[^\n：:《]{0,8}?(?:之)?规定[，,]?\s*[：:]", segment[pos:])
        if near:
            colon = _COLON.search(segment, pos + near.start(), pos + near.end())
    if colon is None:
        # 第六十二条第（一）（二）项： – items the reference parser does not take
        items = _ITEM_TAIL.match(segment, pos)
        if items:
            colon = _COLON.search(segment, items.end() - 1, items.end())
    if colon is not None:
        return colon.end(), colon.end()
    if re.match(r"[ \u3000]*[\u4e00-\u9fa5]", segment[pos:pos + 3]) \
            and not re.match(r"[ \u3000]*(?:和|及|或|与|至|的|规定|之规定|中|所|等)", segment[pos:pos + 5]):
        # 第十九条企业开发经营活动中… – the article text follows with no colon
        return pos, pos
    return pos, None


def _names_other_law(segment: str, pos: int, current: Citation | None) -> bool:
    """Whether the article number at `pos` follows another law's name written without 《》."""
    if current is None:
        return False
    line = segment[max(0, segment.rfind("\n", 0, pos) + 1, pos - 40):pos]
    match = _BARE_LAW_BEFORE.search(line)
    if not match or line.endswith(("》", "〉")) and "《" + match.group(1) not in line:
        return False
    name = match.group(1)
    own = current.title.replace("〈", "").replace("〉", "")
    # 本法第五条 / 该办法第五条 / 有关规定第五条 speak of the cited law itself, or of no law in particular
    if re.search(r"(?:本|该|此|上述|前述|有关|相关|以下|下列|的)(?:法|条例|规定|办法|细则|规则)$", name) or len(name) < 4:
        return False
    return not (name.endswith(own) or own.endswith(name))


def _opens_citation(segment: str, pos: int) -> bool:
    """Inside quoted article text, a line that starts with a title is a new citation only
    when a version history, an article reference, a 文号 or the line's end follows the
    title; 《X法》规定的… is the quoted text going on."""
    end = _balanced(segment, pos, "《", "》")
    rest = segment[end:end + 40].lstrip(" \u3000\t")
    return not rest or rest[0] in "（(\n第【" or bool(_DOC_NUMBER.match(rest))


def _implement_head(segment: str, pos: int) -> str | None:
    """The words before 《 when they end in 实施 (a region's 实施〈…〉办法), else None."""
    start = pos
    while start > 0 and "\u4e00" <= segment[start - 1] <= "\u9fa5" and pos - start < 30:
        start -= 1
    head = re.sub(r"^(?:依据|根据|按照|依照)", "", segment[start:pos])
    return head if len(head) >= 4 and head.endswith("实施") else None


def _after_title(segment: str, pos: int, citation: Citation) -> int:
    """Reads the version history bracket and 文号 after a title."""
    while pos < len(segment) and segment[pos] in " \u3000\t":
        pos += 1
    histories = []
    # one bracket or several in a row: （…第二次修正）（1998年…通过根据…《…的决定》修正…）
    while pos < len(segment) and segment[pos] in "（(":
        end = _balanced(segment, pos, "（(", "）)")
        line_end = segment.find("\n", pos)
        if 0 <= line_end < end and (end > len(segment) - 1 or segment[end - 1] not in "）)"):
            end = line_end  # a bracket never closed: the history ends with its line
        histories.append(re.sub(r"\s+", "", segment[pos + 1:end].rstrip("）)")))
        pos = end
        while pos < len(segment) and segment[pos] in " \u3000\t":
            pos += 1
    if histories:
        citation.history = "；".join(histories)
    history = citation.history or ""
    citation.doc_numbers = [re.sub(r"\s+", "", m.group(0)) for m in _DOC_NUMBER.finditer(history)]
    # 国务院令第588号、第698号、第710号: the later numbers are the same issuer's
    for m in _DOC_SERIES.finditer(history):
        issuer = m.group(1)
        citation.doc_numbers += [f"{issuer}第{n}号" for n in re.findall(r"第?\s*(\d+)\s*号", m.group(2))]
    citation.doc_numbers = [re.sub(r"^(?:根据|依据|依照|经|由)", "", n) for n in citation.doc_numbers]
    # a 文号 such as 国家发展改革委令2016年第44号 carries a year that is not a version date
    plain = _DOC_NUMBER.sub("", history)
    matches = list(_DATE.finditer(plain))
    for i, match in enumerate(matches):
        year, month, day = match.groups()
        if not 1900 <= int(year) <= 2100:
            citation.garbled.append(re.sub(r"\s+", "", match.group(0)))
            continue  # 0016年11月12日: no year to read the version by
        if not _real_date(int(year), int(month or 1), int(day or 1)):
            # 2019年4月36日: kept as a finding; the version is read at the precision that holds
            citation.garbled.append(re.sub(r"\s+", "", match.group(0)))
            day = None
            if not _real_date(int(year), int(month or 1), 1):
                month = None
        # as precise as written: 2018年修正 → "2018", 2018年10月26日 → "2018-10-26"
        date = f"{int(year):04d}" + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if month and day else "")
        citation.dates.append(date)
        after = plain[match.end(): matches[i + 1].start() if i + 1 < len(matches) else len(plain)]
        citation.dated.append((date, date_kind(after)))
    citation.ordinals = _ORDINAL.findall(history)
    citation.meetings = MEETING.findall(history)
    tail = _DOC_NUMBER.match(segment, pos)
    if tail and tail.group(0).strip():
        citation.doc_numbers.append(re.sub(r"\s+", "", tail.group(0)))
        pos = tail.end()
    return pos


def _real_date(year: int, month: int, day: int) -> bool:
    import datetime as dt

    try:
        dt.date(year, month, day)
        return 1900 <= year <= 2100
    except ValueError:
        return False


def _parse_refs(segment: str, pos: int, citation: Citation) -> tuple[int, list[ArticleRef]]:
    """Article and chapter references from `pos`; returns the end and the new refs."""
    refs: list[ArticleRef] = []
    last: ArticleRef | None = None
    pending_range = False
    while True:
        chapter = _CHAPTER.match(segment, pos)
        atom = _ATOM.match(segment, pos)
        if chapter and (atom is None or chapter.end() <= atom.start() or not atom.group("num")):
            number = to_int(chapter.group("num"))
            if number is not None and chapter.group("kind") == "章":
                citation.chapters.append(number)
            pos = chapter.end()
        elif atom and atom.group("num") and (segment[pos] == "第" or last is not None):
            num = to_int(atom.group("num"))
            if num is None:
                break
            ref = ArticleRef(num=num, sub=to_int(atom.group("sub") or "") or 0,
                             kuan=to_int(atom.group("kuan") or ""), xiang=to_int(atom.group("xiang") or ""))
            if pending_range and last is not None and not last.sub and not ref.sub and last.num < ref.num <= last.num + 200:
                refs.extend(ArticleRef(num=k) for k in range(last.num + 1, ref.num))
            refs.append(ref)
            last = ref
            pos = atom.end()
        elif last is not None and (kuan := _KUAN_ONLY.match(segment, pos)):
            refs.append(ArticleRef(num=last.num, sub=last.sub, kuan=to_int(kuan.group("kuan")),
                                   xiang=to_int(kuan.group("xiang") or "")))
            last = refs[-1]
            pos = kuan.end()
        elif last is not None and (last.kuan or last.xiang) and (xiang := _XIANG_ONLY.match(segment, pos)):
            number = to_int(xiang.group("xiang") or xiang.group("xiang2"))
            if pending_range and last.xiang and number and last.xiang < number <= last.xiang + 50:
                refs.extend(ArticleRef(num=last.num, sub=last.sub, kuan=last.kuan, xiang=k)
                            for k in range(last.xiang + 1, number))
            refs.append(ArticleRef(num=last.num, sub=last.sub, kuan=last.kuan, xiang=number))
            last = refs[-1]
            pos = xiang.end()
        else:
            break
        pending_range = False
        rng = _RANGE.match(segment, pos)
        if rng and rng.end() > pos:
            pending_range = True
            pos = rng.end()
            continue
        sep = _SEPARATOR.match(segment, pos)
        if sep and sep.end() > pos:
            after = sep.end()
            if _ATOM.match(segment, after) or _KUAN_ONLY.match(segment, after) or _CHAPTER.match(segment, after) \
                    or _XIANG_ONLY.match(segment, after):
                pos = after
                continue
        break
    citation.articles.extend(refs)
    return pos, refs
