"""Regenerates powercat/law/registry.json.gz from ../shared/laws.

Ships facts only (titles, short titles, level, region, locality, dates, status, the version
chain and article numbering with 款 counts); article texts stay outside the project and are
loaded at run time with `--law-texts`.

Kept small and quick to load: a key whose value is empty or the loader's default is left out,
a short title or name equal to the title is left out, and a version's articles are one string
(see `encode_articles`).

    python scripts/build_registry.py [../shared/laws]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "powercat" / "law" / "registry.json.gz"
KEEP = ("id", "title", "short_title", "name", "level", "region", "locality", "version_date", "effective_date",
        "status", "is_latest", "superseded_by", "repealed_by")
# the words of a revision event that identify a version: 通过/公布/修正/施行, 文号, 第N次修正
EVENT_CHARS = 200
# 款 counts are trusted only from the sources of the original registry, whose texts keep one
# 款 per line. The flk crawl (sonqyau/Bibliotheca) sometimes runs a whole article into one line
# (新疆实施〈动物防疫法〉办法 第十四条: one 款 in the crawl, two in law), so its counts are
# written as unknown (0) and never prove a 款 missing: no finding rather than a false one.
KUAN_TRUSTED = {"LawRefBook/Laws", "qisehong/china-law-db", "waystowork/waystowork.github.io"}
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


# words of almost every title: they say nothing about whether a text is the titled law's
_COMMON_PAIRS = {"管理", "保护", "监督", "实施", "促进", "条例", "办法", "规定", "工作", "安全", "服务", "发展", "建设"}
_TITLE_PLACE = re.compile(r"^.{0,11}?(?:自治区|自治州|自治县|省|市|县|区|盟|州|旗)")


def text_matches_title(title: str, opening: str) -> bool:
    """Whether the opening articles of a crawl text speak of what its title names. The crawl
    sometimes files a text under another law's title (its 新疆农业机械安全监督管理条例 of
    2024-11-28 is the text of 农村集体经济组织资产管理条例): such a text cannot prove an article
    missing. At least a fifth of the title's character pairs (past its place and its kind) must
    appear in the first five articles."""
    core = re.sub(r"[《》〈〉<>“”]", "", title).removeprefix("中华人民共和国")
    core = _TITLE_PLACE.sub("", core, count=1)
    core = re.sub(r"(?:实施|暂行|试行)?(?:条例|办法|规定|规则|细则|决定|法)(?:（.*）)?$", "", core)
    pairs = {core[i:i + 2] for i in range(len(core) - 1)} - _COMMON_PAIRS
    if len(core) < 4 or not pairs:
        return True
    return sum(pair in opening for pair in pairs) >= 0.2 * len(pairs)


def encode_articles(articles: list[tuple[int, int, int]]) -> str:
    """One character per article, its 款 count in base 36 (0 = unknown); an article that is not
    the next whole number after the one before (第十条之一, a gap, a restart) is preceded by
    "(num.sub)". [(1,0,1), (2,0,3), (2,1,1), (5,0,2)] → "13(2.1)1(5.0)2"."""
    parts = []
    previous = 0
    for num, sub, kuan in articles:
        if sub or num != previous + 1:
            parts.append(f"({num}.{sub})")
        parts.append(DIGITS[min(max(kuan, 0), len(DIGITS) - 1)])
        previous = num
    return "".join(parts)


def entry_of(law: dict, kuan: dict[tuple[str, int, int], int], openings: dict[str, str] | None = None) -> dict:
    entry = {key: law.get(key) for key in KEEP}
    for alias in ("short_title", "name"):
        if entry[alias] == entry["title"]:
            entry[alias] = None
    # the article list of a text flagged as truncated or gapped, or of a crawl text that is not
    # the titled law's, cannot prove an article missing
    entry["incomplete"] = any(str(w).startswith(("possibly_truncated", "gap")) for w in law.get("parse_warnings") or [])
    if law["id"] in (openings or {}) and not text_matches_title(law["title"], openings[law["id"]]):
        entry["incomplete"] = True
    entry["revisions"] = sorted({r["date"] for r in law.get("revisions") or [] if r.get("date")})
    # each dated event with the start of its text: a cell citing 国务院令第593号, 第二次修正 or the
    # 通过 date of a version is matched against these
    entry["events"] = sorted({(r["date"], re.sub(r"\s+", "", r.get("event") or "")[:EVENT_CHARS])
                              for r in law.get("revisions") or [] if r.get("date")})
    entry["level_inferred"] = bool(law.get("level_inferred"))
    trusted = law.get("source_repo") in KUAN_TRUSTED
    entry["articles"] = encode_articles([(a["num"], a["sub"], kuan.get((law["id"], a["num"], a["sub"]), 1) if trusted else 0)
                                         for a in law.get("articles") or []])
    # the loader's defaults (registry.LawVersion) need not travel
    return {k: v for k, v in entry.items() if v not in (None, False, [], "") or k in ("id", "title")}


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "laws"
    with gzip.open(source / "registry.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    crawled = {law["id"] for law in records if law.get("source_repo") not in KUAN_TRUSTED}
    kuan: dict[tuple[str, int, int], int] = {}
    openings: dict[str, str] = {}  # the first five articles of each crawl text
    with gzip.open(source / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            kuan[(article["law_id"], article["num"], article["sub"])] = article.get("kuan_count") or 1
            if article["law_id"] in crawled and article["num"] <= 5:
                openings[article["law_id"]] = openings.get(article["law_id"], "") + article.get("text", "")
    laws = [entry_of(law, kuan, openings) for law in records]
    laws.sort(key=lambda law: law["id"])
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    payload = {"source": {"sources": manifest.get("sources"), "laws": len(laws),
                          "status_as_of": manifest.get("build_date_for_status")},
               "laws": laws}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0: the same registry gives the same bytes
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    articles = sum(len(re.sub(r"\([^)]*\)", "", law.get("articles", ""))) for law in laws)
    print(f"{OUT.relative_to(ROOT)}: {len(laws)} law versions, {articles} articles, {OUT.stat().st_size // 1024} KiB")
    print(coverage_table(payload))


def coverage_table(payload: dict) -> str:
    """How current the registry is per level and, for 地方性法规, per province (README's table):
    titles, titles below province level, share with status unknown, newest version date."""
    sys.path.insert(0, str(ROOT))
    from powercat.law.registry import _PROVINCES, Registry

    rows: dict[tuple[int, str], list] = {}
    for law in Registry(payload).laws.values():
        latest = law.latest
        local = latest.level == "地方性法规"
        key = (1, latest.region or "（未注明）") if local else (0, latest.level)
        row = rows.setdefault(key, [0, 0, 0, ""])
        row[0] += 1
        row[1] += bool(law.locality)
        row[2] += latest.status == "unknown"
        row[3] = max(row[3], *(v.version_date or "" for v in law.versions))
    order = {p: i for i, p in enumerate(("宪法", "法律", "行政法规", "监察法规", "司法解释", "部门规章") + _PROVINCES)}
    lines = ["| 位阶 / 省份 | 件数 | 其中设区的市、自治州、县 | 状态不详 | 最新版本日期 |", "|---|---:|---:|---:|---|"]
    for (local, name), (count, city, unknown, newest) in sorted(rows.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99), -kv[1][0])):
        label = f"地方性法规·{name}" if local else name
        lines.append(f"| {label} | {count} | {city if local else '—'} | {unknown * 100 // count}% | {newest or '—'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
