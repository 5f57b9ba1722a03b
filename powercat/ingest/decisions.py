"""The decision columns a reviewing office fills in: 审核结论 (from a drop-down), 审核意见,
审核单位, 审核人, 日期. They are added to every power sheet of the annotated copy (right of
the table, on the header row) and to the standard template's 职权目录.

Here, under ingest, because three rooms take them: the standard template (ingest), the
annotated copy (report) and the reading back of returned copies (review).
"""

from __future__ import annotations

import re
import unicodedata

from ..fields import FIELDS as POWER_FIELDS

KEEP, CANCEL, MERGE, ADJUST, DEVOLVE, FILE = "保留", "取消", "合并", "调整", "下放", "转备案（不予公开）"
CONCLUSIONS = [KEEP, CANCEL, MERGE, ADJUST, DEVOLVE, FILE]
# what leaves this level's list
REMOVING = (CANCEL, MERGE, DEVOLVE)

# (header, field, width, note): the same shape as ingest.template.POWER_COLUMNS
TEMPLATE_COLUMNS: list[tuple[str, str, int, str]] = [
    ("审核结论", "review_conclusion", 14,
     "审核单位填写，从下拉列表选择：保留 / 取消 / 合并 / 调整 / 下放 / 转备案（不予公开）"),
    ("审核意见", "review_opinion", 30,
     "取消、合并、下放写明理由；调整写明调整内容；转备案写明不予公开的理由（国家秘密 / 商业秘密 / 个人隐私）及其依据"),
    ("审核单位", "review_office", 14, "如 法制办、编办、保密办"),
    ("审核人", "review_reviewer", 10, ""),
    ("日期", "review_date", 12, "YYYY-MM-DD"),
]
HEADERS = [header for header, _field, _width, _note in TEMPLATE_COLUMNS]
FIELDS = [field for _header, field, _width, _note in TEMPLATE_COLUMNS]
# headers accepted when reading back (an office may retype a header: 审核结论（必填）, 审核意见*, 结论)
HEADER_ALIASES = {
    "审核结论": "review_conclusion", "结论": "review_conclusion", "审核结果": "review_conclusion",
    "审核决定": "review_conclusion", "审查结论": "review_conclusion", "审核结论意见": "review_conclusion",
    "审核意见": "review_opinion", "意见": "review_opinion", "审查意见": "review_opinion", "理由": "review_opinion",
    "审核单位": "review_office", "审查单位": "review_office", "审核部门": "review_office",
    "审核人": "review_reviewer", "审核人员": "review_reviewer", "审查人": "review_reviewer",
    "日期": "review_date", "审核日期": "review_date", "审核时间": "review_date", "审查日期": "review_date",
}
VALIDATION_ROWS = 5000

# a bracketed note (（必填）, (选填), 【下拉选择】) and marks (* ＊ ※ :) an office may add to a header
_HEADER_NOTE = re.compile(r"[(\[【〔<《][^)\]】〕>》]*[)\]】〕>》]|[*※:：★☆]")
# brackets kept apart from their words when reading a conclusion: 转备案(涉密) → 转备案涉密
_BRACKETS = re.compile(r"[()\[\]【】〔〕<>《》「」『』\"'“”‘’]")
_TRAILING = "。.，,；;！!、"
# words around a conclusion that do not change it: 建议保留, 拟取消, 同意下放, 予以保留, 保留事项
_PREFIXES = ("建议", "拟", "同意", "予以", "应予", "应当", "依法", "可以", "应")
_SUFFIXES = ("事项", "处理", "该事项", "此项", "本项")


def _flat(text: str) -> str:
    from ..disclosure import normalise  # NFKC, no invisible characters, no whitespace

    return normalise(text)


def header_field(text: object) -> str | None:
    """The decision field a header cell names, or None."""
    if not isinstance(text, str):
        return None
    flat = _flat(text)
    return HEADER_ALIASES.get(flat) or HEADER_ALIASES.get(_HEADER_NOTE.sub("", flat))


# the same in English and pinyin, as an office may write them (secret, confidential, baomi):
# matched in lower case, without spaces, hyphens or underscores
_FOREIGN_MARKS = ("secret", "confidential", "classified", "withh", "notpublic", "nonpublic", "notdisclos",
                  "nondisclos", "undisclos", "restricted", "private", "privacy", "internalonly", "forofficialuse",
                  "baomi", "shemi", "mimi", "jimi", "juemi", "bugongkai", "buyugongkai", "beian", "yinsi")


def mentions_withholding(text: str | None) -> bool:
    """A decision that says anything of withholding or 备案 files the power (fail closed)."""
    from ..disclosure import WITHHOLDING_MARKS

    flat = _flat(text or "")
    latin = re.sub(r"[-_'.]", "", flat.lower())
    return "备案" in flat or any(mark in flat for mark in WITHHOLDING_MARKS) or any(m in latin for m in _FOREIGN_MARKS)


def normalise_conclusion(text: str | None) -> str | None:
    """A conclusion as typed (or picked) → one of CONCLUSIONS; None when empty; the
    cleaned text itself when it is none of them (the caller reports it and withholds the
    power). The vocabulary is closed: a cell that mentions withholding or 备案 in any
    spelling (建议转备案, 不予公开（转备案）, 拟转备案（涉密）) is 转备案, whatever else it says."""
    if text is None:
        return None
    flat = _flat(text).strip(_TRAILING)
    if not flat:
        return None
    if mentions_withholding(flat):
        return FILE
    bare = _BRACKETS.sub("", flat).strip(_TRAILING)
    for _ in range(3):  # 建议予以保留该事项
        before = bare
        bare = next((bare[len(p):] for p in _PREFIXES if bare.startswith(p) and len(bare) > len(p)), bare)
        bare = next((bare[:-len(s)] for s in _SUFFIXES if bare.endswith(s) and len(bare) > len(s)), bare)
        if bare == before:
            break
    for choice in (KEEP, CANCEL, MERGE, ADJUST, DEVOLVE):
        if bare == choice:
            return choice
    return flat


def dropdown_formula() -> str:
    return '"' + ",".join(CONCLUSIONS) + '"'


def add_decision_columns(book, source) -> None:
    """Adds the decision columns to every power sheet of an annotated copy (an openpyxl
    workbook of `source`, a WorkbookFile): on the header row, right of the table, one
    cell (merged over the item's rows) per power, a drop-down on 审核结论. A sheet that
    already has them (a confirmed list, a copy reviewed before) keeps its own."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    add_snapshot(book, source)
    header_fill = PatternFill("solid", start_color="FFFCE4D6", end_color="FFFCE4D6")
    input_fill = PatternFill("solid", start_color="FFFFF9E6", end_color="FFFFF9E6")
    thin = Side(style="thin", color="FFBF9000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    blocks: dict[str, list[tuple[int, int]]] = {}
    for power in source.powers:
        blocks.setdefault(power.source.sheet, []).append((power.source.row, max(power.last_row, power.source.row)))
    for report in source.sheets:
        title = report.name[:31]
        if report.kind != "powers" or not report.header_row or title not in book.sheetnames:
            continue
        rows = blocks.get(report.name)
        if not rows:
            continue
        sheet = book[title]
        header = report.header_row
        found = {header_field(c.value): c.column for c in sheet[header] if header_field(c.value)}
        if all(field in found for field in FIELDS):
            columns = [found[field] for field in FIELDS]
        else:
            last = max((c.column for c in sheet[header] if c.value not in (None, "")), default=0)
            columns = list(range(last + 1, last + 1 + len(FIELDS)))
            # column-width groups of the original (<col min= max=>) that reach into the new
            # columns would override their widths: end them before
            for dim in list(sheet.column_dimensions.values()):
                if dim.min and dim.max and dim.min <= columns[-1] and dim.max >= columns[0] and dim.max > dim.min:
                    dim.max = max(dim.min, columns[0] - 1)
            for col, (text, _field, width, note) in zip(columns, TEMPLATE_COLUMNS):
                cell = sheet.cell(row=header, column=col, value=text)
                cell.font, cell.fill, cell.border = Font(bold=True), header_fill, border
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                if note:
                    cell.comment = Comment(note, "powercat 清理审核", height=90, width=240)
                sheet.column_dimensions[get_column_letter(col)].width = width
        first_col = min(columns)
        taken = [r for r in sheet.merged_cells.ranges if r.max_col >= first_col]
        for top, bottom in rows:
            for col in columns:
                cell = sheet.cell(row=top, column=col)
                if cell.value in (None, ""):
                    cell.fill = input_fill
                cell.border = border
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if bottom > top and not any(r.min_row <= bottom and r.max_row >= top and r.min_col <= col <= r.max_col
                                            for r in taken):
                    sheet.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
        letter = get_column_letter(columns[0])
        validation = DataValidation(type="list", formula1=dropdown_formula(), allow_blank=True)
        validation.error, validation.errorTitle, validation.showErrorMessage = "请从下拉列表中选择审核结论", "审核结论不在列表中", True
        validation.prompt, validation.promptTitle, validation.showInputMessage = "保留 / 取消 / 合并 / 调整 / 下放 / 转备案（不予公开）", "审核结论", True
        sheet.add_data_validation(validation)
        end = max(max(b for _t, b in rows), header + VALIDATION_ROWS)
        validation.add(f"{letter}{header + 1}:{letter}{end}")


# The list as sent, kept inside the annotated copy (a very hidden sheet), so that the
# review compares each office's copy with what was sent even when every copy was edited,
# re-ordered or had rows deleted, and without the original at hand. One power per row,
# as base64 of its JSON: no cell reads as a header or a power to any list reader.
SNAPSHOT_SHEET = "powercat送审底稿"
SNAPSHOT_MARK = "powercat-snapshot-1"
# every field the reader fills (the list as sent must come back whole, even 权限划分 and the
# 办事指南 facts a review run without --list rebuilds the confirmed list from), plus the raw category
SNAPSHOT_FIELDS = (*(f.name for f in POWER_FIELDS if f.name != "seq"), "category_raw")
_CHUNK = 32000  # Excel holds at most 32,767 characters in a cell


def add_snapshot(book, source) -> None:
    import base64
    import json

    if SNAPSHOT_SHEET in book.sheetnames:
        return  # annotating a copy again: the list as first sent stays the reference
    sheet = book.create_sheet(SNAPSHOT_SHEET)
    sheet.sheet_state = "veryHidden"
    sheet.append([SNAPSHOT_MARK])
    name = source.path.replace("\\", "/").rsplit("/", 1)[-1]
    total = len(source.powers)
    for seq, power in enumerate(source.powers):
        # "status": the disclosure the list's structure settled (a 不予公开 sheet, section, block
        # row or parent 事项), which the power's own cells may not say
        # "seq" of "of": a row deleted from the snapshot is told by the numbers missing
        record = {"file": name, "sheet": power.source.sheet, "row": power.source.row, "last_row": power.last_row,
                  "status": power.status, "seq": seq, "of": total, **{key: getattr(power, key) for key in SNAPSHOT_FIELDS}}
        text = base64.b64encode(json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")).decode("ascii")
        sheet.append([text[i:i + _CHUNK] for i in range(0, len(text), _CHUNK)])


def read_snapshot_row(cells: list[str]) -> dict | None:
    import base64
    import binascii
    import json

    try:
        record = json.loads(base64.b64decode("".join(cells), validate=True).decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) else None
