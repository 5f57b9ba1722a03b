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

import datetime as dt
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_USAGE, PowercatError
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


class SupplementError(PowercatError, ValueError):
    """A supplement file that cannot be read; the message is Chinese and names the place (exit 2)."""

    exit_code = EXIT_USAGE


# --- the schema, written once (data/laws/README.md shows the same table) ---------------------

TEXT, DATE, COUNT, LIST = "text", "date", "count", "list"
_EXPECTED = {TEXT: "文本", DATE: "日期文本（YYYY-MM-DD）", COUNT: "整数（阿拉伯数字，如 12）", LIST: "列表 [ … ]"}


@dataclass(frozen=True)
class Field:
    kind: str
    label: str  # what the field means, in Chinese, for the message
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    items: dict[str, Field] | None = None  # a LIST's objects


REVISION = {"date": Field(DATE, "事件日期", required=True), "event": Field(TEXT, "事件")}
ARTICLE = {"label": Field(TEXT, "条文编号"), "num": Field(COUNT, "条序号", minimum=1, maximum=100_000),
           "sub": Field(COUNT, "之X序号", minimum=0, maximum=1_000),
           "kuan_count": Field(COUNT, "款数", minimum=1, maximum=1_000), "text": Field(TEXT, "条文内容")}
LAW = {"title": Field(TEXT, "法规名称", required=True), "level": Field(TEXT, "位阶"), "region": Field(TEXT, "地区"),
       "version_date": Field(DATE, "版本日期"), "effective_date": Field(DATE, "施行日期"), "status": Field(TEXT, "效力状态"),
       "short_title": Field(TEXT, "简称"), "revisions": Field(LIST, "修订记录", items=REVISION),
       "articles": Field(LIST, "条文", items=ARTICLE)}

# controls other than tab and line breaks, and lone surrogates (JSON's "\ud800"): text no
# writer downstream can encode
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# One supplement file: far beyond any real collection of local laws, short of what would
# take the command's memory (a national collection of article texts is ~60 MB).
MAX_SUPPLEMENT_BYTES = 64 * 2**20
SUFFIXES = (".jsonl", ".json", ".txt", ".md")


def _shown(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value!r}"[:60]
    if isinstance(value, str):
        return f"文本“{value[:40]}”"
    return "列表" if isinstance(value, list) else "对象 { … }"


def validate(value, fields: dict[str, Field], where: str, path: str = "$") -> None:
    """Raises SupplementError at the first value that does not fit the schema, naming the
    file, the line or item (`where`) and the JSON path of the value."""
    if not isinstance(value, dict):
        raise SupplementError(f"补充法规 {where} {path}：应为对象 {{ … }}，收到{_shown(value)}")
    for name, field in fields.items():
        item = value.get(name)
        at = f"{path}.{name}"
        if item is None:
            if field.required:
                raise SupplementError(f"补充法规 {where} {at}：缺少 {name}（{field.label}）")
            continue
        if field.kind in (TEXT, DATE) and not isinstance(item, str):
            raise SupplementError(f"补充法规 {where} {at}（{field.label}）：应为{_EXPECTED[field.kind]}，收到{_shown(item)}")
        if field.kind in (TEXT, DATE) and _BAD_CHARACTER.search(item):
            bad = _BAD_CHARACTER.search(item).group(0)
            raise SupplementError(f"补充法规 {where} {at}（{field.label}）：含有无效字符 U+{ord(bad):04X}"
                                  "（控制字符或残缺的 Unicode 代理），请检查文件是否损坏")
        if field.kind == DATE:
            _iso(item, f"{where} {at}")
        elif field.kind == COUNT:
            if isinstance(item, bool) or not isinstance(item, int):
                hint = "；中文数字请改写为阿拉伯数字" if isinstance(item, str) and to_int(item) is not None else ""
                raise SupplementError(f"补充法规 {where} {at}（{field.label}）：应为{_EXPECTED[COUNT]}，收到{_shown(item)}{hint}")
            low, high = field.minimum, field.maximum
            if (low is not None and item < low) or (high is not None and item > high):
                raise SupplementError(f"补充法规 {where} {at}（{field.label}）：应在 {low} 至 {high} 之间，收到 {item}")
        elif field.kind == LIST:
            if not isinstance(item, list):
                raise SupplementError(f"补充法规 {where} {at}（{field.label}）：应为{_EXPECTED[LIST]}，收到{_shown(item)}")
            for index, element in enumerate(item):
                validate(element, field.items or {}, where, f"{at}[{index}]")


def load_supplements(paths) -> tuple[list[dict], dict[tuple[str, int, int], str]]:
    entries: list[dict] = []
    texts: dict[tuple[str, int, int], str] = {}
    for path in paths:
        for file in _files(Path(path)):
            for where, raw in _read(file):
                entry, article_texts = _entry(raw, where, file)
                entries.append(entry)
                texts.update(article_texts)
    return entries, texts


def _files(path: Path) -> list[Path]:
    """The supplement files a --laws argument names. Only stat is used here: nothing that is
    not a regular file (a FIFO would block forever, a device never ends) is ever opened."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SupplementError(f"补充法规 {path} 不存在") from None
    except OSError as exc:
        raise SupplementError(f"无法读取补充法规 {path}：{exc.strerror or exc}") from None
    if stat.S_ISREG(info.st_mode):
        return [path]
    if not stat.S_ISDIR(info.st_mode):
        raise SupplementError(f"补充法规 {path} 不是普通文件（管道、设备或套接字），拒绝读取")
    try:
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.name.lower() != "readme.md"
                      and not p.is_dir())
    except OSError as exc:
        raise SupplementError(f"无法读取补充法规文件夹 {path}：{exc.strerror or exc}") from None


def _read_bytes(file: Path) -> bytes:
    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            raise SupplementError(f"补充法规 {file} 不是普通文件（管道、设备或套接字），拒绝读取")
        if info.st_size > MAX_SUPPLEMENT_BYTES:
            raise SupplementError(f"补充法规 {file} 过大（{info.st_size // 2**20} MB，上限 {MAX_SUPPLEMENT_BYTES // 2**20} MB），未读取")
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
                raise SupplementError(f"补充法规 {file} 不是普通文件（管道、设备或套接字），拒绝读取")
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read(MAX_SUPPLEMENT_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise SupplementError(f"无法读取补充法规 {file}：{exc.strerror or exc}") from None
    if len(data) > MAX_SUPPLEMENT_BYTES:
        raise SupplementError(f"补充法规 {file} 过大（上限 {MAX_SUPPLEMENT_BYTES // 2**20} MB），未读取")
    return data


def _decode(data: bytes, file: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SupplementError(f"补充法规 {file} 第 {line} 行第 {column} 字节不是 UTF-8 编码（可能是 GBK），"
                              "请用 UTF-8 编码另存后再试") from None


def _read(file: Path):
    text = _decode(_read_bytes(file), file)
    if file.suffix.lower() == ".jsonl":
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                where = f"{file} 第 {n} 行"
                raw = _json(line, where)
                validate(raw, LAW, where)
                yield where, raw
    elif file.suffix.lower() == ".json":
        data = _json(text, str(file))
        items = data if isinstance(data, list) else [data]
        for i, item in enumerate(items, start=1):
            where = f"{file} 第 {i} 项"
            validate(item, LAW, where, f"$[{i - 1}]" if isinstance(data, list) else "$")
            yield where, item
    else:
        law = _from_text(text, file)
        validate(law, LAW, str(file))
        yield str(file), law


def _json(text: str, where: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        place = f"（第 {exc.lineno} 行第 {exc.colno} 列）" if "\n" in text.strip() else f"（第 {exc.colno} 列）"
        raise SupplementError(f"补充法规 {where} 不是有效的 JSON{place}：{exc.msg}") from None
    except RecursionError:
        raise SupplementError(f"补充法规 {where} 的 JSON 嵌套层数过多，不是法规记录，拒绝读取") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise SupplementError(f"补充法规 {where} 含有无法读取的数值：{str(exc)[:100]}") from None


def _iso(value, where: str) -> str | None:
    if value in (None, ""):
        return None
    match = _DATE.search(str(value))
    if not match:
        raise SupplementError(f"补充法规 {where} 的日期“{str(value)[:40]}”应写作 YYYY-MM-DD 或 YYYY年M月D日")
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise SupplementError(f"补充法规 {where} 的日期“{str(value)[:40]}”不是有效的日期") from None


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
    for index, article in enumerate(raw.get("articles") or []):
        num, sub = article.get("num"), article.get("sub") or 0
        if num is None:
            label = _LABEL.match(re.sub(r"\s+", "", str(article.get("label") or "")))
            num = to_int(label.group(1)) if label else None
            sub = (to_int(label.group(2) or "") or 0) if label else 0
            if num is None or not 1 <= num <= 100_000 or sub is None or sub > 1_000:
                raise SupplementError(f"补充法规 {where} $.articles[{index}].label：条文编号“{str(article.get('label'))[:40]}”"
                                      "应写作 第X条 或 第X条之X（或给出 num 与 sub）")
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
