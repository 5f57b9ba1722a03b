"""registry-laws.gz: the registry's laws by title, as the charts look up what a power cites
without loading the whole registry (law/law_index.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from powercat.law import law_index, procedure_facts, registry

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_lookups():
    """No memo of another test's registry or index survives into this one, nor out of it."""
    def clear():
        law_index._law_index.cache_clear()
        procedure_facts.cited_articles.cache_clear()
        # a registry another test loaded would answer instead of the index (as designed)
        registry.default_registry.cache_clear()
    clear()
    yield
    clear()


def test_the_shipped_index_is_current_and_holds_every_law_as_the_registry_makes_it(tmp_path):
    """Made from registry.json.gz (python -m powercat.law.law_index): regenerated, it is
    byte-identical, and every title's Law has the registry's versions, in its order, and its
    国务院令 numbers."""
    fresh = tmp_path / "laws.gz"
    law_index.write_index(fresh)
    assert fresh.read_bytes() == law_index.INDEX.read_bytes(), "run: python -m powercat.law.law_index"
    index, whole = law_index._law_index(), registry.load_registry()
    assert index is not None and index._names == whole._names
    for title, law in whole.laws.items():
        indexed = index.laws[title]
        assert (indexed.title, indexed.versions, indexed.decrees) == (law.title, law.versions, law.decrees), title


def test_a_title_is_found_alike_with_and_without_a_place():
    index, whole = law_index._law_index(), registry.load_registry()
    cited = [*list(whole.laws)[::211], "《行政许可法》", "中华人民共和国食品安全法", "克拉玛依市市容环境卫生管理条例",
             "《乌鲁木齐市城市市容和环境卫生管理条例》", "不存在的条例", ""]
    for title in cited:
        for where in (None, "克拉玛依市城市管理局|a.xlsx", "乌鲁木齐市|b.xlsx"):
            law, indexed = whole.find(title, where=where), index.find(title, where=where)
            assert (law is None) == (indexed is None), (title, where)
            if law is not None:
                assert (indexed.title, indexed.latest) == (law.title, law.latest), (title, where)


# dated, numbered and undated citations: whether each cites the latest version is decided by
# Law.identify on the index's laws as on the registry's
BASES = [
    "《中华人民共和国行政许可法》第三十四条、第四十五条",
    "《中华人民共和国食品安全法》（2021年4月29日修正）第一百二十二条",
    "《中华人民共和国安全生产法》（2014年8月31日修正）第九十条",
    "《危险化学品安全管理条例》（国务院令第591号，2013年12月7日修订）第七十八条",
    "《中华人民共和国消防法》第六十条：“单位违反本法规定，有下列行为之一的，责令改正，处五千元以上五万元以下罚款”",
    "《克拉玛依市市容环境卫生管理条例》第十条",
    "《中华人民共和国行政处罚法》（1996年）第四十二条",
    "《不存在的条例》第三条",
]


def test_cited_articles_are_the_same_from_the_index_and_the_whole_registry(fresh_lookups, monkeypatch):
    through_index = [procedure_facts.cited_articles(basis, "克拉玛依市市场监督管理局") for basis in BASES]
    assert registry.default_registry.cache_info().currsize == 0, "the index answered without the registry"
    assert any(through_index)
    procedure_facts.cited_articles.cache_clear()
    monkeypatch.setattr(law_index, "_registry_digest", lambda: "0" * 64)  # a stale index: the registry answers
    law_index._law_index.cache_clear()
    assert [procedure_facts.cited_articles(basis, "克拉玛依市市场监督管理局") for basis in BASES] == through_index


def test_a_stale_or_broken_index_is_not_used(fresh_lookups, monkeypatch, tmp_path):
    stale = tmp_path / "laws.gz"
    law_index.write_index(stale)
    monkeypatch.setattr(law_index, "INDEX", stale)
    monkeypatch.setattr(law_index, "_registry_digest", lambda: "0" * 64)  # registry.json.gz rebuilt since
    assert law_index._law_index() is None
    law_index._law_index.cache_clear()
    stale.write_bytes(b"not gzip")
    assert law_index._law_index() is None


def test_the_whole_registry_answers_once_loaded_or_with_supplements(fresh_lookups):
    """--laws: a supplement's law is cited on the charts too (the index knows only the bundled
    registry); and a registry loaded already answers, rather than a second copy of its laws."""
    basis = "《青川市市容和环境卫生管理条例》第五条"
    assert procedure_facts.cited_articles(basis) == ()
    try:
        registry.use_supplements([ROOT / "data" / "laws"])
        procedure_facts.cited_articles.cache_clear()
        assert law_index.citing_laws() is registry.default_registry()
        assert [a.name for a in procedure_facts.cited_articles(basis)] == ["《青川市市容和环境卫生管理条例》第五条"]
    finally:
        registry.use_supplements([])  # the rest of the suite checks against the bundled registry
    whole = registry.default_registry()  # the bundled one, loaded (as check and build load it)
    assert law_index.citing_laws() is whole
