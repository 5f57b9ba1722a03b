"""`powercat law`: what the bundled registry knows about a law and an article."""

from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..law.citation import parse
from ..law.numerals import article_label
from ..law.registry import ArticleTexts, default_registry

_STATUS = {"in_force": "现行有效", "amended": "已被修订（旧版本）", "repealed": "已废止", "unknown": "不详"}


def render_law(console: Console, query: str, texts: ArticleTexts | None) -> bool:
    registry = default_registry()
    # a title has no spaces: a query pasted across lines (行政许可法⏎第四十二条) is read whole
    text = "".join(query.split())
    if not text:
        console.print("[red]没有识别出法规名称：请给出法律法规名称及条款，如 “行政许可法第四十二条”[/red]")
        return False
    if "《" not in text:
        # 行政许可法第四十二条 → 《行政许可法》第四十二条
        head = re.match(r"^(.+?)(第[零〇一二两三四五六七八九十百千0-9]+[条章].*)?$", text)
        text = f"《{head.group(1)}》{head.group(2) or ''}"
    citations = [c for c in parse(text) if c.title]
    if not citations:
        console.print(f"[red]没有识别出法规名称：{escape(query)}[/red]")
        return False
    citation = citations[0]
    law = registry.find(citation.title)
    if law is None:
        console.print(f"[yellow]《{escape(citation.title)}》不在法规库中[/yellow]：法规库收录法律、行政法规、部分部门规章和 "
                      "7 省（山东、河南、浙江、上海、北京、重庆、广东）地方性法规，未收录地方政府规章和规范性文件。")
        return False
    latest = law.latest
    console.print(f"[bold]《{escape(law.title)}》[/bold]  {latest.level}  {_STATUS.get(latest.status, latest.status)}")
    if latest.repealed_by:
        console.print(f"  废止：由《{escape(latest.repealed_by.split('@')[0])}》取代")
    versions = Table(header_style="bold", title="版本", title_justify="left")
    for column in ("版本日期", "施行日期", "状态", "条数"):
        versions.add_column(column)
    for version in law.versions:
        versions.add_row(version.version_date or "", version.effective_date or "", _STATUS.get(version.status, version.status),
                         str(version.article_count) + ("（条文不全）" if version.incomplete else ""))
    console.print(versions)
    for ref in citation.articles:
        kuan = latest.article_index.get((ref.num, ref.sub))
        label = article_label(ref.num, ref.sub)
        if kuan is None:
            console.print(f"[red]{label}：现行版本中没有此条（最大条号 {article_label(latest.max_article)}）[/red]")
            continue
        count = f"共 {kuan} 款" if kuan else "款数未知（法规库文本未分款）"  # 0: a crawl text's count is not trusted
        console.print(f"[bold]{label}[/bold]：{count}" + (f"；引用第 {ref.kuan} 款" if ref.kuan else ""))
        if ref.kuan and kuan and ref.kuan > kuan:
            console.print(f"[red]  没有第 {ref.kuan} 款[/red]")
        if texts is not None:
            body = texts.text(latest, ref.num, ref.sub)
            console.print(escape(body) if body else "[yellow]条文文件中没有此条[/yellow]")
    return True
