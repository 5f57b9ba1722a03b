"""From a sheet's cells to power items: one item per (事项名称, 子项名称) block.

The block rule, as published lists are laid out:
- a new item starts where the 事项名称 cell starts (the top-left of a merge, or an
  unmerged cell with a value);
- inside one 事项名称 merge, a new item starts where the 子项名称 cell starts with a
  different value; rows repeating the same 子项 are continuation rows;
- a row with an empty, unmerged 事项名称 right below an item, whose 子项名称 starts,
  is another 子项 of that item (the name is carried down);
- blank rows, repeated headers and rows spanning the table (titles, footnotes, section
  headings such as `二、行政处罚`) are not items; a section heading sets the category.
"""

from __future__ import annotations

from sys import intern

from ..disclosure import WITHHELD, classify, strictest, withholding_context
from ..model import UNCATEGORISED, CellProblem, Power, Source
from .categories import category_in, category_of
from .columns import POWER_ALIASES
from .header import Header
from .levels import level_in
from .text import cell_to_text, clean_block, clean_name, normalise_header, strip_invisible
from .unread_columns import check_unheaded, check_unknown, check_unread
from .workbook import Grid

# Fields read as names (whitespace squeezed) rather than as wrapped text blocks.
_NAME_FIELDS = ("code",)
# Fields whose continuation rows may add more text (a basis split over several rows).
_ACCUMULATING = frozenset({
    "basis", "duty", "procedure", "duty_basis", "accountability", "accountability_scope", "remark",
    "department_duty", "conditions", "rights", "complaint", "fee", "materials", "place", "hours", "enquiry_phone",
})
_SKIP_FIELDS = frozenset({"seq", "name", "sub_name", "category"})
_HEADER_WORDS = frozenset(normalise_header(a) for a in POWER_ALIASES["name"] + POWER_ALIASES["seq"])
_HEADER_WORD_MAX = max(map(len, _HEADER_WORDS))


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _Block:
    """The item being read and how far it reaches."""

    __slots__ = ("power", "name_anchor", "last_row", "parent", "withheld_context", "disclosures", "exemptions")

    def __init__(self, power: Power, name_anchor: tuple[int, int], last_row: int, parent: Power | None,
                 withheld_context: bool):
        self.power = power
        self.name_anchor = name_anchor
        self.last_row = last_row  # 0-based
        self.parent = parent  # the 事项 this 子项 belongs to
        self.withheld_context = withheld_context  # a 不予公开 sheet or section
        # every 公开方式 / 不予公开理由 text the block's rows state: (Excel row, raw text), and
        # the column letter for a text from a second such column (unread_columns.py)
        self.disclosures: list[tuple] = []
        self.exemptions: list[tuple] = []


# Fields whose raw text decides whether the power may be published.
_DISCLOSURE_FIELDS = ("disclosure", "exemption")
UNCACHED_NAME = "（公式未计算，名称未知）"


def read_items(grid: Grid, header: Header, file: str, default_agency: str | None = None,
               fields: frozenset[str] | None = None) -> list[Power]:
    """The sheet's items. `fields`: the value fields to read, beside the name, 子项 and category
    (None: every field the header maps); a command that shows a few (`list`) leaves the rest None."""
    cols = header.columns
    name_col = cols["name"]
    sub_col = cols.get("sub_name")
    cat_col = cols.get("category")
    sheet = grid.name
    sheet_category = category_in(sheet)
    section_category: str | None = None
    # a 地县两级 list: the level of the sheet or of the section heading (一、地（州、市）级)
    sheet_level = level_in(grid.name)
    section_level: str | None = None
    sheet_withheld = withholding_context(grid.name)
    section_withheld = False
    formulas, notes = grid.uncached_formulas, grid.cell_notes
    # shared by every item of the sheet (read-only): field → Excel column letter
    letters = {field: column_letter(col) for field, col in cols.items() if field not in ("seq",)}
    value_fields = [(f, c) for f, c in cols.items() if f not in _SKIP_FIELDS and (fields is None or f in fields)]
    # a row whose name cell is merged across most of the table is a title, footnote or heading
    banner_width = max(3, (max(cols.values()) + 1) * 3 // 5)

    items: list[Power] = []
    blocks: list[_Block] = []
    block: _Block | None = None

    # Where a cell's value shows from, without a call per cell: Grid.covering_anchor with each
    # column's one-column merges looked up once per sheet and the wide merges only on their
    # rows (the reader's hot path: a hundred thousand rows × a dozen columns).
    rows, column_anchors, wide, wide_rows = grid.rows, grid.column_anchors, grid.wide_covered, grid.wide_rows
    n_data = len(rows)

    def anchor_at(row: int, col: int, anchors: list[int] | None) -> tuple[int, int] | None:
        if anchors is not None:
            top = anchors[row]
            if top >= 0:
                return top, col
        return wide.get((row, col)) if row in wide_rows else None

    def text_at(row: int, col: int, anchors: list[int] | None) -> str:
        """Grid.text: what Excel shows in the cell."""
        anchor = anchor_at(row, col, anchors)
        if anchor is not None:
            row, col = anchor
        cells = rows[row] if row < n_data else ()
        value = cells[col] if col < len(cells) else ""
        return value if type(value) is str else cell_to_text(value)

    def note_formulas(power: Power, row: int, fields) -> None:
        """Uncached formulas and the grid's cell notes, on the item that holds the cell."""
        for field, col, anchors in fields:
            anchor = anchor_at(row, col, anchors) or (row, col)
            formula = formulas.get(anchor)
            if formula is not None:
                power.problems.append(CellProblem("cell-formula-uncached", anchor[0] + 1, column_letter(anchor[1]),
                                                  field, formula))
            note = notes.get(anchor)
            if note is not None:
                power.problems.append(CellProblem(note[0], anchor[0] + 1, column_letter(anchor[1]), field, note[1]))

    def note_disclosure(target: _Block, row: int, first: bool) -> None:
        for field, col, anchors in disclosure_cols:
            if not first and anchor_at(row, col, anchors) is not None:
                continue  # the same merged cell as the block's first row
            text = text_at(row, col, anchors)
            if text.strip():
                (target.disclosures if field == "disclosure" else target.exemptions).append((row + 1, text))

    disclosure_cols = [(f, cols[f], column_anchors.get(cols[f])) for f in _DISCLOSURE_FIELDS if f in cols]
    # a cell's cleaned text per distinct str value, one memo per cleaner for the sheet: the texts
    # lists repeat (agency, office, level, 依据, 责任事项 boilerplate) cost one dict look-up each
    memos: dict = {clean_name: {}, clean_block: {}}
    cleaners = [(field, col, clean, memos[clean], column_anchors.get(col))
                for field, col in value_fields
                for clean in [clean_name if field in _NAME_FIELDS else clean_block]]
    cat_anchors = column_anchors.get(cat_col) if cat_col is not None else None
    categories = _Categories()

    def start(row: int, name: str, sub: str | None, name_anchor: tuple[int, int], parent: Power | None = None) -> _Block:
        if cat_col is None:
            category_raw, stated = _NO_CATEGORY
        else:  # text_at inlined
            top = cat_anchors[row] if cat_anchors is not None else -1
            if top >= 0:
                at_row, at_col = top, cat_col
            elif row in wide_rows and (row, cat_col) in wide:
                at_row, at_col = wide[row, cat_col]
            else:
                at_row, at_col = row, cat_col
            cells = rows[at_row] if at_row < n_data else ()
            value = cells[at_col] if at_col < len(cells) else ""
            category_raw, stated = categories[value if type(value) is str else cell_to_text(value)]
        category = (
            stated
            or (parent.category if parent is not None else None)  # a 子项 row left blank
            or sheet_category
            or section_category
            or UNCATEGORISED
        )
        # the hottest loop of the reader: text_at inlined
        cells = rows[row] if row < n_data else ()
        wide_row = row in wide_rows
        values = {}
        for field, col, clean, memo, anchors in cleaners:
            top = anchors[row] if anchors is not None else -1
            if top >= 0:
                source, at = (rows[top] if top < n_data else ()), col
            elif wide_row and (row, col) in wide:
                top, at = wide[row, col]
                source = rows[top] if top < n_data else ()
            else:
                source, at = cells, col
            value = source[at] if at < len(source) else ""
            if type(value) is str:  # (only str keys: 1, 1.0 and True are equal keys but not equal texts)
                text = memo.get(value, _UNSEEN)
                if text is _UNSEEN:
                    text = memo[value] = _shared(clean(value))
            else:
                text = _shared(clean(cell_to_text(value)))
            values[field] = text
        if values.get("agency") is None:
            values["agency"] = default_agency
        if not values.get("level"):
            values["level"] = section_level or sheet_level
        power = Power(
            source=Source(file, sheet, row + 1), name=name, sub_name=sub, category=category,
            category_raw=category_raw, columns=letters, last_row=row + 1, **values,
        )
        items.append(power)
        new = _Block(power, name_anchor, row, parent, sheet_withheld or section_withheld)
        blocks.append(new)
        if formulas or notes:
            note_formulas(power, row, all_fields)
        if disclosure_cols:
            note_disclosure(new, row, first=True)
        return new

    accumulating = [(f, c, column_anchors.get(c)) for f, c in value_fields if f in _ACCUMULATING]
    all_fields = [(f, c, column_anchors.get(c)) for f, c in cols.items() if f != "seq"]

    def extend(row: int) -> None:
        block.last_row = row
        block.power.last_row = row + 1
        if disclosure_cols:
            note_disclosure(block, row, first=False)
        if formulas or notes:
            note_formulas(block.power, row, [(f, c, a) for f, c, a in all_fields if anchor_at(row, c, a) is None])
        for field, col, anchors in accumulating:
            if (anchors is not None and anchors[row] >= 0) or anchor_at(row, col, anchors) is not None:
                continue  # (the one-column merge tested inline: a continuation row is mostly merged cells)
            extra = clean_block(text_at(row, col, anchors))
            current = getattr(block.power, field)
            if extra and (current is None or extra not in current):
                setattr(block.power, field, extra if current is None else f"{current}\n{extra}")

    name_anchors = column_anchors.get(name_col)
    sub_anchors = column_anchors.get(sub_col) if sub_col is not None else None
    spans = grid.spans
    span_rows = frozenset(r for r, _c in spans)  # the top rows of wide merges
    for row in range(header.row + 1, grid.n_rows):
        # anchor_at and text_at inlined for the name and 子项 cells: once per row of the sheet
        top = name_anchors[row] if name_anchors is not None else -1
        if top >= 0:
            anchor = (top, name_col)
        else:
            anchor = wide.get((row, name_col)) if row in wide_rows else None
        name_covered = anchor is not None
        # a continuation row of the block held shows in its name cell the cell the block's first
        # row showed, which passed the title and repeated-header tests there (they read only that
        # cell): only whether a new 子项 starts is left to decide
        continuation = name_covered and block is not None and block.name_anchor == anchor
        if not continuation:
            top_row, top_col = (row, name_col) if anchor is None else anchor
            cells = rows[top_row] if top_row < n_data else ()
            value = cells[top_col] if top_col < len(cells) else ""
            name_text = value if type(value) is str else cell_to_text(value)
            name = clean_name(name_text)

            if name is None and (row, name_col) in formulas:
                name = UNCACHED_NAME  # keep the item: check reports the formula at its cell
            # Grid.span_width: how many columns the merge holding the name cell spans
            end = spans.get((top_row, top_col)) if top_row in span_rows else None
            if end is not None and end[1] - top_col + 1 >= banner_width:
                heading = category_in(name_text)
                level = level_in(name_text)
                if level:
                    section_level = level
                if heading:
                    section_category = heading
                    section_withheld = withholding_context(name_text)
                elif withholding_context(name_text):
                    section_withheld = True  # 三、不予公开事项
                block = None
                continue
            if name is not None and len(name) <= _HEADER_WORD_MAX and normalise_header(name_text) in _HEADER_WORDS:
                block = None  # a repeated header row
                continue

        if sub_col is not None:
            top = sub_anchors[row] if sub_anchors is not None else -1
            if top >= 0:
                sub_anchor = (top, sub_col)
            else:
                sub_anchor = wide.get((row, sub_col)) if row in wide_rows else None
            if sub_anchor is None:
                cells = rows[row] if row < n_data else ()
                value = cells[sub_col] if sub_col < len(cells) else ""
            else:
                cells = rows[sub_anchor[0]] if sub_anchor[0] < n_data else ()
                value = cells[sub_anchor[1]] if sub_anchor[1] < len(cells) else ""
            sub = clean_name(value if type(value) is str else cell_to_text(value))
            sub_starts = sub is not None and sub_anchor is None
        else:
            sub, sub_starts = None, False

        if name_covered:
            if continuation:
                if sub_starts and sub != block.power.sub_name:
                    block = start(row, block.power.name, sub, anchor, parent=block.power)
                else:
                    extend(row)
            elif name is not None:
                # the merge began above the block we hold (e.g. across a skipped row)
                block = start(row, name, sub, anchor)
            continue

        if name is not None:
            block = start(row, name, sub, (row, name_col))
            continue

        # empty, unmerged (or merged-empty) name cell
        if grid.row_is_blank(row):
            block = None
        elif block is not None and block.last_row == row - 1:
            if sub_starts and sub != block.power.sub_name:
                block = start(row, block.power.name, sub, (row, name_col), parent=block.power)
            else:
                extend(row)
    if header.unread:
        check_unread(grid, header, blocks, fields, column_letter)
    if fields is None:  # (`list` shows no findings)
        check_unheaded(grid, header, blocks, column_letter)
        check_unknown(grid, header, blocks, column_letter)
    _settle_disclosure(blocks, letters.get("disclosure"), letters.get("exemption"))
    return items


_UNSEEN = object()
_NO_CATEGORY = (None, None)


class _Categories(dict):
    """A 权力类型 cell's text → (the raw text, None when blank; the category it states, None when
    none), made once per distinct text of the sheet: a list states a handful, row after row."""

    def __missing__(self, text: str) -> tuple[str | None, str | None]:
        raw = strip_invisible(text)
        category_raw = raw if raw.strip() else None
        known = self[text] = (category_raw, category_of(raw) or (clean_name(raw) if category_raw else None))
        return known


def _shared(text: str | None) -> str | None:
    # one object per distinct text: lists repeat their fees, rights and 追责情形 boilerplate
    # row after row, and a province's powers are held in memory together
    return intern(text) if text else text


def _settle_disclosure(blocks: list[_Block], disclosure_col: str | None, exemption_col: str | None) -> None:
    """One status per item, failing closed: the strictest of what its rows say; a 子项 that
    says nothing takes its 事项's status; an uncomputed formula, an unrecognised value or a
    reason without a status withholds, with a problem at the cell for `check` to report."""
    blank = classify("", "")
    # what a block that states nothing and has no problem gets (most blocks of a list without
    # a 公开方式 column), decided once
    blank_status = strictest(blank.status) if blank.problem is None else None
    for block in blocks:
        power = block.power
        if blank_status is not None and not (block.disclosures or block.exemptions or power.problems
                                             or block.withheld_context):
            power.disclosure_status = blank_status
            continue
        statuses = []
        reason_text = "\n".join(entry[1] for entry in block.exemptions) if block.exemptions else ""
        for row, text, *column in block.disclosures or [(power.source.row, "")]:
            verdict = classify(text, reason_text)
            statuses.append(verdict.status)
            if verdict.problem:  # (a text from a second 公开方式 column carries its own column)
                power.problems.append(CellProblem(verdict.problem, row, column[0] if column else disclosure_col or exemption_col,
                                                  "disclosure" if disclosure_col else "exemption", text.strip()))
        if power.problems and any(p.code == "cell-formula-uncached" and p.field in ("disclosure", "exemption", "name",
                                                                                  "sub_name") for p in power.problems):
            statuses.append(WITHHELD)
        if block.withheld_context:
            statuses.append(WITHHELD)
        power.disclosure_status = strictest(*statuses)
    # a 子项 that states nothing of its own follows its 事项 and the 子项 beside it: a withheld
    # 事项 must not publish its name through blank 子项 rows
    # (only 事项 with 子项 form a family: a 子项's root is the 事项 its chain of parents ends at)
    families: dict[int, list[_Block]] = {}
    root_of: dict[int, Power] = {}
    block_of: dict[int, _Block] | None = None
    for block in blocks:
        parent = block.parent
        if parent is None:
            continue
        root = root_of.get(id(parent), parent)
        root_of[id(block.power)] = root
        family = families.get(id(root))
        if family is None:
            if block_of is None:
                block_of = {id(b.power): b for b in blocks}
            family = families[id(root)] = [block_of[id(root)]]
        family.append(block)
    for family in families.values():
        stated = [b.power.disclosure_status for b in family if b.disclosures or b.exemptions]
        for block in family:
            if not block.disclosures and not block.exemptions and stated:
                block.power.disclosure_status = strictest(block.power.disclosure_status, *stated)
