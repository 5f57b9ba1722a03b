"""User-supplied laws (`--laws PATH`, repeatable): a province adds its own 地方性法规 and
政府规章, or a newer version of a bundled law.

Formats (see data/laws/README.md):

- a `.jsonl` file, one law version per line, or a `.json` file with one law version;
- a `.txt` / `.md` file with one law: the title on the first line, then `键：值` lines
  (级别, 地区, 版本日期, 施行日期, 状态, 修订), then the articles, each starting with 第X条;
- a folder of such files (read recursively, in name order).

A law version: {"title", "level", "region", "version_date", "effective_date", "status",
"revisions": [{"date", "event"}], "articles": [{"label" | "num"+"sub", "kuan_count", "text"}]}.
An entry with the same title and version date as a bundled one replaces it; the newest
version of a title is its current one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .numerals import to_int

LEVELS = {"宪法", "法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件", "司法解释"}
STATUSES = {"in_force": "in_force", "amended": "amended", "repealed": "repealed", "unknown": "unknown",
            "现行有效": "in_force", "已修改": "amended",
            "已废止": "repealed", "有效": "in_force", "废止": "repealed"}
_ARTICLE = re.compile(r"^\s*(第[零〇一二三四五六七八九十百千0-9]+条(?:之[一二三四五六七八九十]+)?)\s*(.*)$")
_LABEL = re.compile(r"^第([零〇一二三四五六七八九十百千0-9]+)条(?:之([一二三四五六七八九十]+))?$")
_DATE = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})")
_META = {"级别": "level", "地区": "region", "省份": "region", "版本日期": "version_date", "公布日期": "version_date",
         "施行日期": "effective_date", "状态": "status", "修订": "revisions", "简称": "short_title"}


class SupplementError(ValueError):
    """A supplement file that cannot be read; the message is Chinese and names the place."""


def load_supplements(paths) -> tuple[list[dict], dict[tuple[str, int, int], str]]:
    entries: list[dict] = []
    texts: dict[tuple[str, int, int], str] = {}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".jsonl", ".json", ".txt", ".md")
                           and p.name.lower() != "readme.md")
        elif path.is_file():
            files = [path]
        else:
            raise SupplementError(f"补充法规 {path} 不存在")
        for file in files:
            for where, raw in _read(file):
                entry, article_texts = _entry(raw, where, file)
                entries.append(entry)
                texts.update(article_texts)
    return entries, texts


def _read(file: Path):
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SupplementError(f"无法读取补充法规 {file}：{exc}") from None
    if file.suffix.lower() == ".jsonl":
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield f"{file} 第 {n} 行", _json(line, f"{file} 第 {n} 行")
    elif file.suffix.lower() == ".json":
        data = _json(text, str(file))
        for i, item in enumerate(data if isinstance(data, list) else [data], start=1):
            yield f"{file} 第 {i} 项", item
    else:
        yield str(file), _from_text(text, file)


def _json(text: str, where: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SupplementError(f"补充法规 {where} 不是有效的 JSON：{exc.msg}") from None


def _iso(value, where: str) -> str | None:
    if value in (None, ""):
        return None
    match = _DATE.search(str(value))
    if not match:
        raise SupplementError(f"补充法规 {where} 的日期“{value}”应写作 YYYY-MM-DD 或 YYYY年M月D日")
    return "%04d-%02d-%02d" % tuple(int(g) for g in match.groups())


def _from_text(text: str, file: Path) -> dict:
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise SupplementError(f"补充法规 {file} 是空文件")
    law: dict = {"title": lines[0].strip().lstrip("#").strip().strip("《》"), "articles": []}
    current = None
    for line in lines[1:]:
        stripped = line.strip()
        article = _ARTICLE.match(stripped)
        if article:
            current = {"label": article.group(1), "lines": [article.group(2)] if article.group(2) else []}
            law["articles"].append(current)
        elif current is not None:
            if stripped:
                current["lines"].append(stripped)
        elif "：" in stripped or ":" in stripped:
            key, _sep, value = re.split(r"([：:])", stripped, maxsplit=1)
            field = _META.get(key.strip())
            if field == "revisions":
                law["revisions"] = [{"date": _iso(m.group(0), str(file)), "event": part.strip()}
                                    for part in re.split(r"[；;]", value) for m in [_DATE.search(part)] if m]
            elif field:
                law[field] = value.strip()
    for article in law["articles"]:
        body = [l for l in article.pop("lines")]
        article["text"] = "\n".join(body)
        # 款 are the paragraphs; items （一）（二） belong to the paragraph before them
        article["kuan_count"] = max(1, sum(1 for l in body if not re.match(r"^[（(][一二三四五六七八九十]+[)）]", l)))
    return law


def _entry(raw: dict, where: str, file: Path) -> tuple[dict, dict]:
    if not isinstance(raw, dict) or not str(raw.get("title") or "").strip():
        raise SupplementError(f"补充法规 {where} 缺少 title（法规名称）")
    title = re.sub(r"\s+", "", str(raw["title"])).strip("《》")
    level = raw.get("level") or "地方性法规"
    if level not in LEVELS:
        raise SupplementError(f"补充法规 {where} 的 level“{level}”不是{'、'.join(sorted(LEVELS))}之一")
    version_date = _iso(raw.get("version_date"), where)
    status = STATUSES.get(raw.get("status") or "in_force", raw.get("status"))
    if status not in ("in_force", "amended", "repealed", "unknown"):
        raise SupplementError(f"补充法规 {where} 的 status“{raw.get('status')}”无法识别")
    law_id = f"{title}@{version_date or ''}"
    articles, texts = [], {}
    for article in raw.get("articles") or []:
        num, sub = article.get("num"), article.get("sub") or 0
        if num is None:
            label = _LABEL.match(re.sub(r"\s+", "", str(article.get("label") or "")))
            if not label:
                raise SupplementError(f"补充法规 {where} 的条文编号“{article.get('label')}”应写作 第X条 或 第X条之X")
            num, sub = to_int(label.group(1)), to_int(label.group(2) or "") or 0
        kuan = int(article.get("kuan_count") or 1)
        articles.append([int(num), int(sub), kuan])
        if article.get("text"):
            texts[(law_id, int(num), int(sub))] = str(article["text"])
    revisions = [r for r in raw.get("revisions") or [] if isinstance(r, dict)]
    events = sorted({(_iso(r.get("date"), where), re.sub(r"\s+", "", str(r.get("event") or ""))[:60])
                     for r in revisions if r.get("date")})
    entry = {
        "id": law_id, "title": title, "short_title": raw.get("short_title"), "name": None, "level": level,
        "region": raw.get("region"), "version_date": version_date,
        "effective_date": _iso(raw.get("effective_date"), where), "status": status, "is_latest": True,
        "superseded_by": None, "repealed_by": None, "revisions": sorted({d for d, _e in events}),
        "articles": articles, "incomplete": False, "events": [list(e) for e in events],
        "level_inferred": False, "source": file.name,
    }
    return entry, texts


def merge(payload: dict, entries: list[dict]) -> dict:
    """The bundled payload with the supplement entries laid over it; `is_latest` and status
    recomputed for every title a supplement touches."""
    laws = {law["id"]: law for law in payload["laws"]}
    touched = set()
    for entry in entries:
        laws[entry["id"]] = entry
        touched.add(entry["title"])
    by_title: dict[str, list[dict]] = {}
    for law in laws.values():
        if law["title"] in touched:
            by_title.setdefault(law["title"], []).append(law)
    for versions in by_title.values():
        versions.sort(key=lambda v: v["version_date"] or "")
        for version in versions[:-1]:
            version = laws[version["id"]] = dict(version, is_latest=False)
            if version["status"] == "in_force":
                version["status"] = "amended"
        last = versions[-1]
        laws[last["id"]] = dict(last, is_latest=True)
    return {"source": payload.get("source", {}), "laws": list(laws.values())}
