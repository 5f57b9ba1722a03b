"""Regenerates powercat/law/procedure_facts.json.gz from ../shared/laws/articles.jsonl.gz.

What a power's procedure needs to know from the article it cites — whether the article
provides a hearing (听证), expert review (专家评审), testing (检验/检测/检疫/鉴定), an on-site
check (现场核查), a publicity period (公示), which penalties it provides and the range of its
fines, whether it orders seizure (查封/扣押/冻结) or enforcement (强制执行). Only these derived
facts ship; the article texts stay outside the project (see build_registry.py).

One entry per title (the registry's latest version of it): {title: {"num.sub": facts}},
an article without any of these features left out. Facts are short keys:

    h 听证  x 专家评审/论证  t 检验检测  s 现场核查  p 公示 (days, 0 when unsaid)
    k penalty kinds (see KINDS)  lo/hi fine bounds in 元 (hi -1: a multiple, unbounded)
    m 查封扣押  fz 冻结  e 强制执行/代履行

    python scripts/build_procedure_facts.py [../shared/laws]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from powercat.law.numerals import to_int  # noqa: E402

OUT = ROOT / "powercat" / "law" / "procedure_facts.json.gz"

# penalty kinds an article provides, by the words that provide them (行政处罚法第九条 and Art. 63)
KINDS = {
    "警告": "w", "通报批评": "w",
    "罚款": "f",
    "没收违法所得": "c", "没收非法财物": "c",
    "暂扣许可证": "zk", "暂扣": "zk",
    "降低资质等级": "jd",
    "吊销": "dx",
    "责令停产停业": "tc", "责令停业": "tc", "停产停业": "tc",
    "责令关闭": "gb",
    "限制从业": "xz", "禁止从业": "xz", "不得从事": "xz",
    "拘留": "jl",
}
_PENALTY_WORDS = re.compile(r"罚款|处罚|吊销|警告|没收|责令停产停业|责令关闭|拘留")
_HEARING = re.compile(r"听证")
_EXPERT = re.compile(r"专家评审|专家论证|专家评议|组织专家|专家组|专家委员会")
_TEST = re.compile(r"检验|检测|检疫|鉴定")
_SITE = re.compile(r"现场核查|实地核查|现场检查|实地检查|现场勘验|现场勘查|实地勘察|实地踏勘|现场踏勘|实地查验|现场查验|现场审核")
_PUBLICITY = re.compile(r"公示")
_NUM = r"[0-9０-９零〇一二两三四五六七八九十百千]+"
_PUBLICITY_DAYS = re.compile(rf"公示(?:期|时间|期限)?[^。；\n]{{0,12}}?(?:不少于|不得少于|不少於|为|满)?\s*(?P<n>{_NUM})\s*(?P<unit>个工作日|日|天)")
_SEIZE = re.compile(r"查封|扣押")
_FREEZE = re.compile(r"冻结")
_ENFORCE = re.compile(r"强制执行|代履行|加处罚款|强制拆除|依法拆除")
# an amount of money: 二百元 5000元 1万元 一万元 五十万元 0.5万元
_AMOUNT = re.compile(rf"(?P<n>[0-9０-９.．]+|{_NUM})\s*(?P<wan>万)?\s*元")
_MULTIPLE = re.compile(rf"{_NUM}\s*倍|百分之{_NUM}")


def amount(match: re.Match) -> int | None:
    text = match.group("n").replace("．", ".")
    try:
        value = float(text) if re.fullmatch(r"[0-9０-９.]+", text) else to_int(text)
    except ValueError:
        return None
    if value is None:
        return None
    return int(round(value * (10000 if match.group("wan") else 1)))


def fine_bounds(text: str) -> tuple[int, int] | None:
    """The lowest and highest fine the article states: "五百元以下" alone starts at 0,
    "二千元以上二万元以下" at 2,000."""
    lows, highs = [], []
    previous_end, previous_above = -10, False
    for match in _AMOUNT.finditer(text):
        value = amount(match)
        if not value:
            continue
        after = text[match.end():match.end() + 2]
        if after == "以上":
            lows.append(value)
            previous_end, previous_above = match.end() + 2, True
            continue
        highs.append(value)
        if after == "以下" and not (previous_above and match.start() - previous_end <= 2):
            lows.append(0)
        elif after != "以下":
            lows.append(value)
        previous_above = False
    if not highs and not lows:
        return None
    return min(lows or highs), max(highs or lows)


def facts_of(text: str) -> dict:
    facts: dict = {}
    if _HEARING.search(text):
        facts["h"] = 1
    if _EXPERT.search(text):
        facts["x"] = 1
    if _TEST.search(text):
        facts["t"] = 1
    if _SITE.search(text):
        facts["s"] = 1
    if _PUBLICITY.search(text):
        days = _PUBLICITY_DAYS.search(text)
        facts["p"] = (to_int(days.group("n")) or 0) if days else 0
        if days and days.group("unit") == "个工作日":
            facts["pw"] = 1
    if _PENALTY_WORDS.search(text):
        kinds = sorted({code for word, code in KINDS.items() if word in text})
        if kinds:
            facts["k"] = "".join(f"{k}," for k in kinds).rstrip(",")
        if "f" in kinds:
            bounds = fine_bounds(text)
            if bounds:
                facts["lo"], facts["hi"] = bounds
            if _MULTIPLE.search(text):
                facts["hi"] = -1
    if _SEIZE.search(text):
        facts["m"] = 1
    if _FREEZE.search(text):
        facts["fz"] = 1
    if _ENFORCE.search(text):
        facts["e"] = 1
    return facts


def main(laws_dir: Path) -> None:
    latest: dict[str, str] = {}  # title → its latest version's id
    with gzip.open(laws_dir / "registry.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            law = json.loads(line)
            if law.get("is_latest") or law["title"] not in latest:
                latest[law["title"]] = law["id"]
    wanted = set(latest.values())
    out: dict[str, dict[str, dict]] = {}
    with gzip.open(laws_dir / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)
            if article["law_id"] not in wanted:
                continue
            facts = facts_of(article.get("text") or "")
            if facts:
                out.setdefault(article["title"], {})[f"{article['num']}.{article['sub']}"] = facts
    payload = {"source": "shared/laws articles.jsonl.gz, latest version of each title", "laws": out}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(data)
    print(f"{len(out)} titles, {sum(len(v) for v in out.values())} articles → {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "laws")
