"""`powercat list`: the catalogue as JSON (stdout) or as rich tables."""

from __future__ import annotations

from functools import cache
from json.encoder import encode_basestring
from operator import attrgetter

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..fields import labels
from ..model import Catalogue, Power, WorkbookFile
from ..text_forms import shorten

if TYPE_CHECKING:  # rich is imported by the tables alone: `list --json` never needs it
    from rich.console import Console


def file_json(f: WorkbookFile) -> dict:
    return {
        "path": f.path,
        "format": f.format,
        "agency": f.agency.name,
        "sheets": [
            {"name": s.name, "header_row": s.header_row, "items": s.items, "kind": s.kind, "skipped": s.reason}
            for s in f.sheets
        ],
        "items": len(f.powers),
        "steps": len(f.steps),
        "error": None if f.error is None else {"code": f.error.code, "message": f.error.message},
    }


# A power's fields as `list --json` gives them, in this order, read in one C call per group:
# a 100,000-row list makes as many dicts, and building each key by key was a second's work.
_BEFORE_DERIVED = ("last_row", "code", "name", "sub_name", "category", "category_raw", "agency", "office", "level", "authority",
                   "basis", "statutory_limit", "promised_limit")
_AFTER_DERIVED = ("fee", "disclosure")
_before_derived, _after_derived = attrgetter(*_BEFORE_DERIVED), attrgetter(*_AFTER_DERIVED)


# The value fields `list` shows (and the gate and the derived limit read), beside the name, 子项
# and category: the reader leaves the others (责任事项, 追责情形 …) unread for it.
READ_FIELDS = frozenset({*_BEFORE_DERIVED, *_AFTER_DERIVED, "exemption"}) - {"last_row"}


def power_json(p: Power) -> dict:
    source = p.source
    data = {"file": source.file, "sheet": source.sheet, "row": source.row}
    data.update(zip(_BEFORE_DERIVED, _before_derived(p)))
    # the law's limit where the list gives none: a field of its own, never mixed with the list's
    data["derived_statutory_limit"] = _derived(p)
    data.update(zip(_AFTER_DERIVED, _after_derived(p)))
    data["steps"] = len(p.steps)
    return data


def _derived(power) -> dict | None:
    limit = _statutory_for()(power)
    return limit.to_json() if limit else None


@cache
def _statutory_for():
    """law.limits, imported on first use (the text listing never needs it) and once: an import
    statement run per power is a trip through the import machinery, 57,000 times."""
    from ..law.limits import statutory_for

    return statutory_for


def catalogue_json(catalogue: Catalogue) -> dict:
    return {
        "files": [file_json(f) for f in catalogue.files],
        "powers": [power_json(p) for p in catalogue.powers],
    }


def catalogue_json_text(catalogue: Catalogue) -> str:
    """`json.dumps(catalogue_json(catalogue), ensure_ascii=False)`, byte for byte, without the
    57,000 dicts of a 100,000-row list: each power is one %-template filled with the JSON text of
    its values, and a value's text is made once per distinct value (lists repeat their agency,
    office, level and 依据 on every row; json.dumps would escape them again each time)."""
    from json import dumps

    powers, encoded = catalogue.powers, _Encoded()
    names = [encode_basestring(n) if type(n) is str else encoded[n] for n in map(_name, powers)]
    powers = _powers_json(powers, names, _POWER_TEMPLATE, encoded, _DerivedText())
    files = dumps([file_json(f) for f in catalogue.files], ensure_ascii=False)
    return f'{{"files": {files}, "powers": [{", ".join(powers)}]}}'


def catalogue_json_parts(catalogue: Catalogue) -> Iterator[bytes]:
    """catalogue_json_text(catalogue) + "\n" as `list --json` writes it (UTF-8, surrogateescape), in
    parts to write one after the other. Made as bytes from the start: each distinct value is
    encoded once, and the 56 MB of a 100,000-row list are neither encoded as a whole nor joined
    into one object (a second 56 MB, page-faulted in: 0.06 s of system time). Every value is
    encoded before the first part is given, so what cannot be written fails before any write."""
    from json import dumps

    powers, encoded = catalogue.powers, _EncodedBytes()
    try:
        names = [encode_basestring(n).encode("utf-8", "surrogateescape") if type(n) is str else encoded[n]
                 for n in map(_name, powers)]
        powers = _powers_json(powers, names, _POWER_TEMPLATE_BYTES, encoded, _DerivedBytes())
    except UnicodeEncodeError:  # a value UTF-8 cannot carry: the error the whole text's encoding raises
        return iter([(catalogue_json_text(catalogue) + "\n").encode("utf-8", "surrogateescape")])
    files = dumps([file_json(f) for f in catalogue.files], ensure_ascii=False).encode("utf-8", "surrogateescape")
    return _joined(b'{"files": %s, "powers": [' % files, powers, b"]}\n")


_POWERS_PER_PART = 2048  # ≈ 2 MB of JSON: written straight through, and reused by the allocator


def _joined(head: bytes, powers: list[bytes], tail: bytes) -> Iterator[bytes]:
    yield head
    for start in range(0, len(powers), _POWERS_PER_PART):
        if start:
            yield b", "
        yield b", ".join(powers[start:start + _POWERS_PER_PART])
    yield tail


def _powers_json(powers: list[Power], names: list, template, encoded: dict, derived_text) -> list:
    """Each power's JSON (template % its values' JSON texts), str or bytes as the template is.
    `names`: each power's name as JSON, made without the memo (a list's names are nearly all
    distinct: a memo would only add a miss and a store per power)."""
    statutory_for = _statutory_for()
    # the registry and the limit facts resolved once for the pass, not per power (when some power
    # needs them: a list whose every power states its 法定时限 never loads the law)
    law = _law() if any(not (p.statutory_limit or "").strip() for p in powers) else (None, None)
    texts = encoded.__getitem__
    return [
        template % (texts(p.source.file), texts(p.source.sheet), p.source.row, p.last_row, texts(p.code), name,
                    *map(texts, _after_name(p)), derived_text(statutory_for(p, *law)), *map(texts, _after_derived(p)),
                    len(p.steps))
        for p, name in zip(powers, names)
    ]


def _law():
    from ..law.limits import default_facts
    from ..law.registry import citing_registry

    return citing_registry(), default_facts()


# power_json's keys in its order, each followed by its value's JSON text (json.dumps's default
# separators: ", " and ": "); the rows and the step count are ints, written by %d as json does
_POWER_TEMPLATE = ('{"file": %s, "sheet": %s, "row": %d, "last_row": %d, '
                   + "".join(f'"{key}": %s, ' for key in _BEFORE_DERIVED[1:])
                   + '"derived_statutory_limit": %s, '
                   + "".join(f'"{key}": %s, ' for key in _AFTER_DERIVED) + '"steps": %d}')
_POWER_TEMPLATE_BYTES = _POWER_TEMPLATE.encode("ascii")
assert _BEFORE_DERIVED[1:3] == ("code", "name")  # the order _powers_json writes them in
_name, _after_name = attrgetter("name"), attrgetter(*_BEFORE_DERIVED[3:])


class _Encoded(dict):
    """A value → its JSON text as json.dumps(ensure_ascii=False) writes it, made on first sight.
    Only str and None are kept: an int key would answer for an equal bool (1 == True), whose
    JSON text differs."""

    def __missing__(self, value) -> str:
        if type(value) is str:  # what json.dumps(ensure_ascii=False) itself calls for a str
            text = self[value] = encode_basestring(value)
            return text
        from json import dumps

        text = dumps(value, ensure_ascii=False)
        if value is None:
            self[value] = text
        return text


class _EncodedBytes(_Encoded):
    """_Encoded's text in UTF-8 (surrogateescape, as the text path encodes the whole)."""

    def __missing__(self, value) -> bytes:
        if type(value) is str:
            data = self[value] = encode_basestring(value).encode("utf-8", "surrogateescape")
            return data
        data = super().__missing__(value).encode("utf-8", "surrogateescape")
        if value is None:
            self[value] = data
        return data


class _DerivedText(dict):
    """A derived limit → its JSON text, once per shared limit object. Keyed by identity (hashing a
    frozen dataclass hashes all its fields); the limit is held so that its id is never reused."""

    null = "null"

    def __call__(self, limit):
        if limit is None:
            return self.null
        held = self.get(id(limit))
        if held is None:
            held = self[id(limit)] = (limit, self.encode(limit))
        return held[1]

    @staticmethod
    def encode(limit):
        from json import dumps

        return dumps(limit.to_json(), ensure_ascii=False)


class _DerivedBytes(_DerivedText):
    null = b"null"

    @staticmethod
    def encode(limit):
        return _DerivedText.encode(limit).encode("utf-8", "surrogateescape")


def _short(text: str | None, width: int = 40) -> str:
    from rich.markup import escape

    return escape(shorten(text, width))


def render(console: Console, catalogue: Catalogue, show_powers: bool = True) -> None:
    from rich.markup import escape
    from rich.table import Table

    if show_powers and catalogue.powers:
        powers = Table(title="事项", header_style="bold")
        for column in ("文件", "工作表", "行", *labels("code", "name", "sub_name", "category", "office", "statutory_limit",
                                                    "promised_limit").values()):
            powers.add_column(column, overflow="fold")
        for p in catalogue.powers:
            powers.add_row(
                _short(_base(p.source.file), 24), escape(p.source.sheet), str(p.source.row),
                escape(p.code or ""), _short(p.name), _short(p.sub_name, 24), escape(p.category),
                _short(p.office, 16), _short(p.statutory_limit, 12), _short(p.promised_limit, 12),
            )
        console.print(powers)
    files = Table(title="读取的文件", header_style="bold")
    for column in ("文件", "格式", "单位", "工作表", "表头行", "事项", "状态"):
        files.add_column(column, overflow="fold")
    for f in catalogue.files:
        status = f"[red]{escape(f.error.message)}[/red]" if f.error else "[green]正常[/green]"
        sheets = [s for s in f.sheets if s.kind != "agency"] or [None]
        for index, s in enumerate(sheets):
            first = index == 0
            files.add_row(
                escape(_base(f.path)) if first else "", (f.format or "?") if first else "",
                escape(f.agency.name or "") if first else "",
                escape(s.name) if s else "", (str(s.header_row) if s.header_row else "无表头") if s else "",
                (f"{s.items}" + ("（环节）" if s.kind == "steps" else "")) if s else "",
                " ".join(filter(None, [status if first else "",
                                       f"[yellow]未读取：{escape(s.reason)}[/yellow]" if s and s.reason else ""])),
            )
    console.print(files)
    summary = f"共 {len(catalogue.files)} 个文件，{len(catalogue.powers)} 个事项"
    if catalogue.unreadable:
        summary += f"，[red]{len(catalogue.unreadable)} 个文件无法读取[/red]"
    console.print(summary)


def _base(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
