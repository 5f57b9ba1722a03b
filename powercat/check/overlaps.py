"""Across agencies and files: the same power claimed by two agencies (职责交叉), and input
files that are copies of each other. Each rule is declared with its function (`@rule`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from ..compare import normalise
from ..model import Catalogue, Power
from .context import Context, finding, where_cited
from .findings import WARNING, Finding, rule
from .legal import citations_of

NEAR_IDENTICAL = 0.95


def _articles(power: Power, ctx: Context) -> set[tuple[str, int]]:
    out = set()
    for citation in citations_of(power.basis or ""):
        if not citation.title:
            continue
        law = ctx.registry.find(citation.title, where=where_cited(power))
        title = law.title if law else normalise(citation.title)
        out.update((title, ref.num) for ref in citation.articles)
    return out


@rule("power-overlap", WARNING, "catalogue", title="职责交叉",
      template="与{others}的同名事项依据相同条款（{articles}），可能职责交叉，请核实由哪个部门行使",
      description="The same power (name and cited articles) claimed by more than one agency.", scope="catalogue")
def power_overlap(catalogue: Catalogue, ctx: Context) -> Iterator[Finding]:
    groups: dict[str, list[tuple[str, Power]]] = {}
    for f in catalogue.files:
        agency = normalise(f.agency.name or f.path)
        for power in f.powers:
            groups.setdefault(normalise(power.title), []).append((agency, power))
    for members in groups.values():
        if len({agency for agency, _p in members}) < 2:
            continue
        articles = {id(p): _articles(p, ctx) for _a, p in members}
        for agency, power in members:
            shared, others = set(), []
            for other_agency, other in members:
                if other_agency == agency:
                    continue
                common = articles[id(power)] & articles[id(other)]
                if common:
                    shared |= common
                    others.append(other.agency or other_agency)
            if shared:
                from ..law.numerals import article_label

                listed = "、".join(f"《{t}》{article_label(n)}" for t, n in sorted(shared)[:3])
                yield finding("power-overlap", power, "name", others="、".join(dict.fromkeys(others)), articles=listed)


@rule("file-duplicate", WARNING, "catalogue", title="文件重复", template="与 {other} {how}，可能重复提交",
      description="A byte-identical or near-identical input file.", scope="catalogue")
def file_duplicate(catalogue: Catalogue, _ctx: Context) -> Iterator[Finding]:
    seen_hash: dict[str, str] = {}
    seen_items: list[tuple[str, set]] = []
    for f in catalogue.files:
        if f.error is not None:
            continue
        try:
            digest = hashlib.sha256(Path(f.path).read_bytes()).hexdigest()
        except OSError:
            continue
        items = {(p.name, p.sub_name, p.category) for p in f.powers}
        how = None
        if digest in seen_hash:
            other, how = seen_hash[digest], "字节完全相同"
        else:
            other = None
            for earlier, earlier_items in seen_items:
                union = items | earlier_items
                if len(items) >= 5 and union and len(items & earlier_items) / len(union) >= NEAR_IDENTICAL:
                    other, how = earlier, f"所列事项 {len(items & earlier_items) * 100 // len(union)}% 相同"
                    break
        seen_hash.setdefault(digest, f.path)
        seen_items.append((f.path, items))
        if other:
            name = other.replace("\\", "/").rsplit("/", 1)[-1]
            yield finding("file-duplicate", f.path, other=name, how=how)
