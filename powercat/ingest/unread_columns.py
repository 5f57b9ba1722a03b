"""Columns the reader does not take: a second column headed like one it reads (a repeated
责任事项依据 block, a 是否公示 beside 公开类型). Only the leftmost is read, so nothing in the
others may vanish unnoticed: where such a column says something other than the one read, the
item gets a problem at that cell; and a second 公开方式 column takes part in the item's
disclosure, the stricter of the two winning (fail closed). A column with no header at all
but text in the items' rows is reported too, once per sheet and column (check_unheaded), and
columns under headers that name no field, once per sheet (check_unknown)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from bisect import bisect_right
from itertools import islice
from operator import itemgetter
from os.path import commonprefix

from ..disclosure import classify
from ..model import CellProblem
from .header import Header
from .text import clean_block, normalise_header
from .workbook import Grid

_DISCLOSURE_FIELDS = ("disclosure", "exemption")
_EMPTY = ("", None)


def check_unread(grid: Grid, header: Header, blocks: Sequence, fields: frozenset[str] | None,
                 letter_of) -> None:
    """Problems on the items (and disclosure texts on their blocks, with the cell's column
    letter) for every unread column; `blocks` are items.py's blocks, in sheet order."""
    for col, field in sorted(header.unread.items()):
        if fields is not None and field not in fields and field not in _DISCLOSURE_FIELDS:
            continue  # `list` shows neither the field nor findings
        kept, letter = header.columns[field], letter_of(col)
        for block in blocks:
            if field in _DISCLOSURE_FIELDS:
                _take_disclosure(grid, block, field, col, kept, letter)
            else:
                _compare(grid, block, field, col, kept, letter)


def _rows(grid: Grid, block, col: int):
    """The block's rows whose cell in `col` shows its own text (a merged cell counts once)."""
    first = block.power.source.row - 1
    for row in range(first, block.last_row + 1):
        if row == first or grid.covering_anchor(row, col) is None:
            yield row


def _compare(grid: Grid, block, field: str, col: int, kept: int, letter: str) -> None:
    for row in _rows(grid, block, col):
        unread, read = clean_block(grid.text(row, col)), clean_block(grid.text(row, kept))
        if unread and _words(unread) != _words(read or ""):  # punctuation and spacing aside
            block.power.problems.append(CellProblem("column-duplicate-unread", row + 1, letter, field,
                                                    _difference(unread, read)))
            if field != "name":
                return  # once per item and column: the cell shown is the first that differs
            # a second 事项名称 column is a second table beside the first (or pasted into it):
            # each name it holds is an item of its own, reported at its row, never folded away


def _difference(unread: str, read: str | None, width: int = 24) -> str:
    """Where the two texts part, in a reviewer's words: long 依据 texts often share their
    first hundred characters."""
    if not read:
        return f"左边一列为空，此列为“{_cut(unread, width)}”"
    same = len(commonprefix([_words(unread), _words(read)]))  # in words: a comma is no difference
    here, there = _position(unread, same), _position(read, same)
    at = f"自第 {here + 1} 字起，" if here else ""
    return f"{at}此列为“{_from(unread, here, width)}”，左边一列为“{_from(read, there, width)}”"


def _from(text: str, start: int, width: int, before: int = 6) -> str:
    """`text` from a few characters before `start`, where the two columns part."""
    begin = max(0, start - before)
    return ("…" if begin else "") + (_cut(text[begin:], width) if text[begin:] else "（空）")


def _is_word(char: str) -> bool:
    return unicodedata.category(char)[0] not in "PZC"


def _words(text: str) -> str:
    return "".join(char for char in text if _is_word(char))


def _position(text: str, words: int) -> int:
    """Where `text`'s word character number `words` begins, with the punctuation before it
    (【 of 【法规】); its length when it has fewer."""
    after_word = 0
    for index, char in enumerate(text):
        if _is_word(char):
            if not words:
                return after_word
            words -= 1
            after_word = index + 1
    return len(text)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width] + "…"


def _take_disclosure(grid: Grid, block, field: str, col: int, kept: int, letter: str) -> None:
    for row in _rows(grid, block, col):
        text = grid.text(row, col)
        if not text.strip():
            continue
        (block.disclosures if field == "disclosure" else block.exemptions).append((row + 1, text, letter))
        if field == "disclosure":
            read, here = classify(grid.text(row, kept), ""), classify(text, "")
            if read.problem is None and here.problem is None and read.status != here.status:
                block.power.problems.append(CellProblem("disclosure-columns-disagree", row + 1, letter, field,
                                                        f"此列“{text.strip()}”，所读一列“{grid.text(row, kept).strip()}”"))


def check_unheaded(grid: Grid, header: Header, blocks: Sequence, letter_of) -> None:
    """A column whose header cell is blank is read as nothing: where the items' rows carry text
    in it, the first such item gets one problem at that cell, saying how many rows do and
    quoting the first (the second half of a compound header is read, so never lands here)."""
    if not blocks:
        return
    read = set(header.columns.values()) | set(header.unread)
    starts = [block.power.source.row - 1 for block in blocks]
    for col in range(grid.n_cols):
        if col in read or normalise_header(header.labels[col] if col < len(header.labels) else ""):
            continue
        cells = _texts_in_items(grid, col, header.row, blocks, starts, read)
        if cells:
            (block, row, text), count = cells[0], len(cells)
            block.power.problems.append(CellProblem("column-unheaded-unread", row + 1, letter_of(col), None,
                                                    f"共 {count} 行有内容，首行为“{_cut(text, 14)}”"))


def check_unknown(grid: Grid, header: Header, blocks: Sequence, letter_of) -> None:
    """Columns under a header that names no field (所属行政区划, 实施对象, 录入人 …) are not read:
    where the items' rows carry text in them, the sheet's first item gets one problem at the
    first such header cell, naming each column and how many rows carry text (one line per
    sheet, not per column: a list exported from a system has many). Review columns (审核结论 …)
    are read by `review`, not here."""
    if not blocks:
        return
    from .decisions import HEADER_ALIASES

    read = set(header.columns.values()) | set(header.unread)
    starts = [block.power.source.row - 1 for block in blocks]
    found = []
    for col, label in enumerate(header.labels):
        name = normalise_header(label)
        if col in read or not name or name in HEADER_ALIASES:
            continue
        cells = _texts_in_items(grid, col, header.row, blocks, starts, read)
        if cells:
            found.append((col, name, len(cells)))
    if found:
        listed = "、".join(f"{letter_of(col)}列“{name}”（{count} 行）" for col, name, count in found)
        blocks[0].power.problems.append(CellProblem("column-unknown-unread", header.row + 1, letter_of(found[0][0]),
                                                    None, listed))


def _filled_rows(rows: list, col: int, start: int) -> list[int]:
    """The rows from `start` whose cell in `col` holds anything: a column taken in C and counted
    in C first, since nearly every blank-headed column is empty (a list has 100,000 rows)."""
    try:
        column = list(map(itemgetter(col), islice(rows, start, None)))
    except IndexError:  # rows of uneven length (a CSV)
        column = [cells[col] if col < len(cells) else "" for cells in islice(rows, start, None)]
    if column.count("") + column.count(None) == len(column):
        return []
    return [start + at for at, value in enumerate(column) if value not in _EMPTY]


def _texts_in_items(grid: Grid, col: int, header_row: int, blocks: Sequence, starts: list[int],
                    read: set[int]) -> list[tuple]:
    """(block, row, text) of every cell of `col` below the header that shows its own text inside
    an item's rows; a merge counts once, at its top-left cell, and a merge reaching into a column
    that is read is that column's text, not this one's."""
    found = []
    rows = grid.rows
    for row in _filled_rows(rows, col, header_row + 1):
        value = rows[row][col]
        if grid.covering_anchor(row, col) is not None:
            continue
        text = clean_block(value if type(value) is str else grid.text(row, col))
        if not text:
            continue
        end = grid.spans.get((row, col))
        if end is not None and any(col < other <= end[1] for other in read):
            continue
        at = bisect_right(starts, row) - 1
        if at >= 0 and row <= blocks[at].last_row:
            found.append((blocks[at], row, text))
    return found
