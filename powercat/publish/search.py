"""The site's search index: sharded JavaScript files loaded with <script> tags, so search
works from file:// (no fetch, no server) and a page never loads more than it needs.

Tokens come from the name, code, agency, category and office (Chinese words by jieba's
search mode, words of one character dropped), and from the legal basis: each cited law's
short title (《中华人民共和国公路法》 → 公路法) and each cited article (公路法§42). The
browser segments a query against the index itself (longest token first), so 许可公路, 许可
公路 and 公路法第四十二条 all find what they should.

Layout under `search/`:
    t/<prefix>.js   tokens starting with <prefix> → postings (record numbers as runs)
    r/<n>.js        rows n*CHUNK … (n+1)*CHUNK-1 for the result table
The manifest (agencies with their ranges, categories, split prefixes) is inlined in the
index page. Records are numbered in site order (agency, category, list order), so a
token from an agency or category name is one run and costs a few bytes.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..ingest.levels import level_tag
from ..law.citation import parse as parse_citations

CHUNK = 100  # rows per row file
SHARD_BYTES = 24_000  # a shard above this is split by the next character
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RUNS = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")
_LAW_PREFIX = re.compile(r"^(中华人民共和国|中國|中华人民共和国国务院)")


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def law_key(title: str) -> str:
    """The short form a citizen types: no 《》, no 中华人民共和国, no bracketed version."""
    text = normalise(title).replace("〈", "").replace("〉", "")
    text = _BRACKETS.sub("", re.sub(r"\s+", "", text))
    return _LAW_PREFIX.sub("", text) or text


def words(text: str | None) -> set[str]:
    """Index words of a text: jieba's search-mode words of two characters or more, and
    runs of letters and digits (codes)."""
    out: set[str] = set()
    text = normalise(text or "")
    if not text:
        return out
    jieba = _jieba()
    for run in _RUNS.findall(text):
        if _CJK.match(run):
            out.update(w for w in jieba.cut_for_search(run, HMM=False) if len(w) >= 2)
            if 2 <= len(run) <= 12:
                out.add(run)
        elif len(run) >= 2:
            out.add(run)
    return out


def basis_tokens(basis: str | None) -> set[str]:
    """Law short titles, their words, and law§article for every cited article."""
    out: set[str] = set()
    for citation in parse_citations(basis):
        key = law_key(citation.title)
        if len(key) < 2:
            continue
        out.add(key)
        out |= words(key)
        for article in citation.articles:
            out.add(f"{key}§{article.num}")
    return out


# Names a citizen types for the same thing: abbreviations and old names of agencies and
# fields. A record whose name, agency or office holds one form is also found by the others.
# 人民防空 offices were merged into 国防动员办公室 (国动办) in the 2023 reform, and people
# still say 人防; 国土 and 安监 are the names before the 2018 reform.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("人民防空", "人防", "国防动员", "国动办"),
    ("市场监督管理", "市场监管", "市监", "工商"),
    ("住房和城乡建设", "住建"),
    ("人力资源和社会保障", "人社", "人力社保"),
    ("自然资源", "国土资源", "国土"),
    ("生态环境", "环境保护", "环保"),
    ("应急管理", "安全生产监督管理", "安监"),
    ("医疗保障", "医保"),
    ("卫生健康", "卫健", "卫生计生"),
    ("发展和改革", "发改"),
    ("文化体育广播电视和旅游", "文化广电和旅游", "文化和旅游", "文旅", "文体广旅"),
    ("消防救援", "消防"),
    ("机关事务管理", "机关事务", "机管局"),
)


def synonym_tokens(text: str) -> set[str]:
    """Every form of each synonym group one of whose forms `text` holds."""
    text = normalise(text)
    return {form for group in SYNONYMS if any(form in text for form in group) for form in group}


def code_tokens(code: str) -> set[str]:
    """A code whole, its runs, and its tails (650200207QZ01600 → 01600, QZ01600 …): people
    copy the distinctive end of a long code."""
    code = normalise(code)
    tokens = {re.sub(r"\s+", "", code)} | {run for run in _RUNS.findall(code) if len(run) >= 2}
    compact = "".join(_RUNS.findall(code))
    tokens |= {compact[-n:] for n in range(3, min(12, len(compact) - 1) + 1)}
    return tokens


def token_fields(record, agency: str) -> tuple:
    """Everything a record's search tokens are made from (and nothing else): a rebuild keys
    the tokens it keeps by these (see site._search_index)."""
    p = record.power
    return (p.title, agency, p.category, p.office, p.level, p.code, p.basis)


def tokens_of(fields: Sequence) -> set[str]:
    """A record's search tokens from its `token_fields`."""
    title, agency, category, office, level, code, basis = fields
    tokens = set()
    for text in (title, agency, category, office, level_tag(level)):
        tokens |= words(text)
    tokens |= synonym_tokens(" ".join(t for t in (title, agency, office) if t))
    whole = re.sub(r"\s+", "", normalise(agency))
    if len(whole) >= 2:
        tokens.add(whole)
    if code:
        tokens |= code_tokens(code)
    tokens |= basis_tokens(basis)
    return tokens


def record_tokens(record, agency: str) -> set[str]:
    return tokens_of(token_fields(record, agency))


def encode(ids: Sequence[int]) -> str:
    """Sorted record numbers as runs: `gap[.extra]` in base 36, comma separated, where a
    run starts `gap` after the end of the previous one and has `extra`+1 members."""
    parts, prev, i = [], -1, 0
    while i < len(ids):
        start, j = ids[i], i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
            j += 1
        gap, extra = start - prev - 1, j - i
        parts.append(_b36(gap) + (f".{_b36(extra)}" if extra else ""))
        prev, i = ids[j], j + 1
    return ",".join(parts)


def decode(text: str) -> list[int]:
    out, prev = [], -1
    for part in text.split(","):
        gap, _, extra = part.partition(".")
        start = prev + 1 + int(gap, 36)
        n = int(extra, 36) + 1 if extra else 1
        out.extend(range(start, start + n))
        prev = start + n - 1
    return out


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if not n:
            return s


def shard_name(prefix: str) -> str:
    return "_".join(f"{ord(c):x}" for c in prefix)


def split_shards(postings: dict[str, str]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Groups tokens by prefix: one character first, longer where a shard would exceed
    SHARD_BYTES. A split prefix keeps only the token equal to itself."""
    shards: dict[str, dict[str, str]] = {}
    split: list[str] = []

    def cost(token: str) -> int:
        return len(token.encode()) + len(postings[token]) + 6

    def place(prefix: str, tokens: list[str]) -> None:
        longer = [t for t in tokens if len(t) > len(prefix)]
        if not longer or sum(cost(t) for t in tokens) <= SHARD_BYTES:
            shards[prefix] = {t: postings[t] for t in sorted(tokens)}
            return
        split.append(prefix)
        shards[prefix] = {t: postings[t] for t in tokens if len(t) == len(prefix)}
        groups: dict[str, list[str]] = defaultdict(list)
        for t in longer:
            groups[t[: len(prefix) + 1]].append(t)
        for sub in sorted(groups):
            place(sub, groups[sub])

    first: dict[str, list[str]] = defaultdict(list)
    for token in postings:
        first[token[0]].append(token)
    for prefix in sorted(first):
        place(prefix, first[prefix])
    return shards, sorted(split)


def write_index(out: Path, ordered: Sequence, agencies: Sequence[tuple[str, str]], rows: Sequence[list[str]],
                agency_of: Sequence[int], category_of: Sequence[int],
                tokens: Iterable[Iterable[str]] | None = None) -> dict:
    """Writes search/t and search/r under `out`; returns the manifest for the page.
    `ordered` are the records in site order, `rows` their table cells, `agency_of` and
    `category_of` their agency and category numbers (records of an agency are adjacent).
    `tokens`: each record's tokens in that order, when the caller keeps them (a rebuild);
    taken one record at a time, never all held at once."""
    folder = out / "search"
    (folder / "t").mkdir(parents=True, exist_ok=True)
    (folder / "r").mkdir(parents=True, exist_ok=True)
    # record numbers as 4-byte arrays, not lists of int objects (36 bytes each): at 100,000
    # powers the postings are some 3 million numbers
    inverted: dict[str, array] = defaultdict(lambda: array("I"))
    if tokens is None:
        tokens = (record_tokens(record, agencies[agency_of[n]][0]) for n, record in enumerate(ordered))
    for n, mine in enumerate(tokens):
        for token in mine:
            inverted[token].append(n)
    postings = {token: encode(inverted.pop(token)) for token in list(inverted)}
    shards, split = split_shards(postings)
    for prefix, tokens in shards.items():
        name = shard_name(prefix)
        body = json.dumps(tokens, ensure_ascii=False, separators=(",", ":"))
        (folder / "t" / f"{name}.js").write_text(f"PC.shard({json.dumps(name)},{body});\n", encoding="utf-8")
    for k in range(0, max(1, -(-len(rows) // CHUNK))):
        body = json.dumps(list(rows[k * CHUNK:(k + 1) * CHUNK]), ensure_ascii=False, separators=(",", ":"))
        (folder / "r" / f"{k}.js").write_text(f"PC.rows({k},{body});\n", encoding="utf-8")
    # agency ranges with their category runs: [start, count, [cat, count, cat, count …]]
    ranges: list[list] = []
    for n, a in enumerate(agency_of):
        if not ranges or len(ranges) <= a:
            ranges.append([n, 0, []])
        entry = ranges[a]
        entry[1] += 1
        cats = entry[2]
        if cats and cats[-2] == category_of[n]:
            cats[-1] += 1
        else:
            cats += [category_of[n], 1]
    return {"n": len(rows), "chunk": CHUNK, "split": split, "ranges": ranges,
            "tokens": len(postings), "shards": len(shards)}
