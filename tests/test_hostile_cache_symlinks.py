"""A symlink planted inside the rebuild cache (a shard folder, `.incoming`, an entry's file,
the marker) is never followed: nothing is written outside the cache, and what it points at
is never placed among the outputs (found by the hostile-input pass: a shard linked to /etc
had site pages filed under /etc)."""

import os

from powercat.filecache import MARKER, FileCache


def _outputs(tmp_path, *texts):
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / "made" / f"{i}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_a_shard_or_incoming_linked_out_of_the_cache_is_never_written_through(tmp_path):
    outside, root = tmp_path / "outside", tmp_path / "cache"
    outside.mkdir()
    cache = FileCache(root)
    key = "ab" + "0" * 62
    cache._mark()
    (root / key[:2]).symlink_to(outside, target_is_directory=True)
    (root / ".incoming").symlink_to(outside, target_is_directory=True)
    cache.store(key, _outputs(tmp_path, "<p>page</p>"))
    assert _tree(outside) == []
    assert FileCache(root).fetch(key, [tmp_path / "out" / "0.html"]) is None
    assert not (tmp_path / "out" / "0.html").exists()


def test_an_entry_under_a_linked_shard_or_made_of_links_is_a_miss(tmp_path):
    root = tmp_path / "cache"
    cache = FileCache(root)
    key = "cd" + "1" * 62
    cache.store(key, _outputs(tmp_path, "<p>page</p>"))
    assert FileCache(root).fetch(key, [tmp_path / "a.html"]) == {}
    # the entry's file replaced by a link to a file of the same bytes elsewhere: still refused
    secret = tmp_path / "secret.html"
    secret.write_text("<p>page</p>", encoding="utf-8")
    entry_file = root / key[:2] / key / "0.html"
    entry_file.unlink()
    entry_file.symlink_to(secret)
    target = tmp_path / "b.html"
    assert FileCache(root).fetch(key, [target]) is None
    assert not target.exists() and not target.is_symlink()
    # the whole shard moved elsewhere and linked back
    moved = tmp_path / "moved"
    os.rename(root / key[:2], moved)
    (root / key[:2]).symlink_to(moved, target_is_directory=True)
    assert FileCache(root).fetch(key, [tmp_path / "c.html"]) is None


def test_a_dangling_marker_link_is_not_followed(tmp_path):
    root, victim = tmp_path / "cache", tmp_path / "victim.txt"
    root.mkdir()
    (root / MARKER).symlink_to(victim)
    FileCache(root).store("ef" + "2" * 62, _outputs(tmp_path, "x"))
    assert not victim.exists()
    assert (root / MARKER).is_file() and not (root / MARKER).is_symlink()
