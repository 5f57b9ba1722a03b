"""What an input file or sheet is, decided from its header (and the sheets a workbook holds):
a power list, a 运行流程 sheet, a case register or event log, a returned review copy, a law
supplement, powercat's own output, or unknown. A file is read only as what it is: a case
register placed among the lists never becomes a list of "powers" (each case a power, and a
withheld power published because a case row with its code looks public).

Cost: one look at each sheet's first rows (the header search the reader does anyway), never
a pass over the cells.
"""

from __future__ import annotations

import json
import re

from .text import normalise_header
from .workbook import Grid

POWERS, STEPS, AGENCY, REGISTER, REVIEW_COPY, OUTPUT, SUPPLEMENT, UNKNOWN = (
    "powers", "steps", "agency", "register", "review-copy", "output", "supplement", "unknown")

# Sheets powercat adds to an annotated copy (report/annotate.py, ingest/decisions.py): a
# workbook holding them is a review copy. Its list sheets are still the agency's list.
REVIEW_SHEETS = frozenset({"问题清单", "无法核验的法规", "powercat送审底稿"})

# Fields of a case register that no power list has: a header naming a case id and one of
# these (or two of these) is a register, whatever power columns (职权编码, 职权名称, 公开方式 …)
# it also carries.
_REGISTER_ONLY = frozenset({"party", "party_type", "party_id", "accepted", "decided", "result", "doc_no", "served",
                            "disclosed", "suspend_start", "suspend_end", "suspend_reason", "suspend_approval",
                            "extension_days", "extension_reason", "extension_approval", "hearing_requested"})
# "编号" alone is a list's sequence column as often as a case number
_GENERIC_IDS = frozenset({"编号", "序号"})

REGISTER_REASON = "这是办件登记表（动态公开运行记录），不是权力清单，未作为事项读取"
EVENTS_REASON = "这是办件环节记录（运行记录），不是权力清单，未作为事项读取"


def register_table(grid: Grid) -> str | None:
    """"case" or "event" when the sheet's header is a case register's or an event log's, else
    None. Uses the register reader's own alias tables (ingest/register_columns.py), so what is a
    register here is exactly what `powercat cases` reads as one."""
    from .register_columns import find_header as register_header

    found = register_header(grid)
    if found is None:
        return None
    table, row, columns = found
    case_id_label = normalise_header(grid.text(row, columns["case_id"]))
    specific_id = case_id_label not in _GENERIC_IDS
    if table == "event":
        # a 运行流程 sheet names 环节 too, but never a start or end time of a case
        return "event" if specific_id and ({"start", "end"} & columns.keys()) else None
    marks = len(_REGISTER_ONLY & columns.keys())
    return "case" if marks >= 2 or (marks >= 1 and specific_id) else None


# A sheet keyed by 事项名称 that gives nothing but each item's 办理流程 is a companion of the list
# (its procedures), not the list: read as powers it would repeat every power, uncategorised.
_IDENTITY_FIELDS = frozenset({"seq", "code", "name", "sub_name"})
PROCEDURE_ONLY_REASON = "只有事项名称和办理流程列，是办理流程表而不是权力清单，未作为事项读取（办理流程请填在清单的“办理流程”列或“运行流程”表）"


def procedure_only(columns: dict[str, int]) -> bool:
    """Whether a power header names only the items and their 办理流程 (no category, basis, agency …)."""
    return "procedure" in columns and columns.keys() - {"procedure"} <= _IDENTITY_FIELDS


def names_only(columns: dict[str, int], labels: list[str] | None = None) -> bool:
    """Whether a power header names the items and nothing of their content (a 目录 sheet's
    序号 | 事项名称 | 权力类型 | 页码): read as items only when they are listed nowhere else.
    With the header's `labels`, a column headed with anything else (审核结论 on an office's
    summary sheet, 实施对象) makes it more than a contents sheet."""
    if not columns.keys() <= _IDENTITY_FIELDS | {"category"}:
        return False
    if labels is None:
        return True
    read = set(columns.values())
    return all(c in read or not normalise_header(label) or normalise_header(label) in _CONTENTS_LABELS
               for c, label in enumerate(labels))


_CONTENTS_LABELS = frozenset({"页码", "页次", "所在页", "所在页码", "工作表", "所在工作表"})


CONTENTS_REASON = "目录：所列 {count} 个事项均见于本文件其他工作表，未重复读取"


def is_review_copy(sheet_names: list[str]) -> bool:
    return bool(REVIEW_SHEETS & set(sheet_names))


# powercat's own outputs that carry no document mark: (first sheet's name, how its title row begins)
_OUTPUT_TITLES = (
    ("备案登记表", "不予公开行政权力事项备案登记表"),  # build's internal/备案登记表.xlsx, review's
    ("调整对照表", "行政权力事项调整对照表"),  # diff --out / --internal-out, review
    ("清理统计", None),  # review
)
_CREATOR = re.compile(rb"<dc:creator>\s*powercat\s*</dc:creator>")


def own_output(grids: list[Grid], core_xml: bytes | None) -> bool:
    """Whether a workbook is one powercat wrote (catalogue, case outputs, filing register,
    adjustment table, statistics). powercat's own writers stamp the document's creator
    "powercat" (the catalogue and the case outputs); the others are known by their first
    sheet and its title row. Its template and confirmed lists are not outputs in this sense:
    they are meant to be filled in and read back as lists."""
    if core_xml and _CREATOR.search(core_xml):
        return True
    if not grids:
        return False
    first = grids[0]
    title = first.text(0, 0) if first.n_rows else ""
    for name, prefix in _OUTPUT_TITLES:
        if first.name == name and (prefix is None or title.startswith(prefix)):
            return True
    if first.name == "分类统计" and first.n_rows:  # powercat stats --out
        header = {first.text(0, col) for col in range(first.n_cols)}
        return {"单位", "合计", "不予公开"} <= header
    return False


def looks_like_supplement(data: bytes, path: str) -> bool:
    """A law supplement (--laws: JSON lines or JSON) given where lists are read."""
    if path.lower().endswith((".json", ".jsonl")):
        return True
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith((b"{", b"[")):
        return False
    first_line = head.split(b"\n", 1)[0]
    try:
        value = json.loads(first_line)
    except ValueError:
        return head.startswith(b"{\"") or head.startswith(b"[{")
    return isinstance(value, (dict, list))


def is_register_file(source) -> bool:
    """A loaded WorkbookFile that holds a case register (or event log) and no power: `build`
    reads it as a register; `list`, `check`, `catalogue` and `flowchart` skip it."""
    return not source.powers and any(sheet.kind == REGISTER for sheet in source.sheets)


_FILE_NOTICES = {
    OUTPUT: "是 powercat 生成的输出文件（目录、备案登记表、对照表或统计），未作为清单读取",
    SUPPLEMENT: "是补充法规文件，未作为清单读取（补充法规请用 --laws 给出）",
    REGISTER: "是办件登记表（或环节记录），不是权力清单，未作为事项读取",
}


def file_kind(source) -> str:
    """What a loaded WorkbookFile is, from the kinds of its sheets: POWERS (a list, possibly
    with 运行流程 sheets), REVIEW_COPY (a list powercat annotated and an office may have sent
    back: still read as the list it is), REGISTER, OUTPUT, SUPPLEMENT, or UNKNOWN (no header
    of any kind: an error of its own when it is not readable)."""
    kinds = {sheet.kind for sheet in source.sheets}
    if source.powers:
        return REVIEW_COPY if is_review_copy([sheet.name for sheet in source.sheets]) else POWERS
    for kind in (OUTPUT, SUPPLEMENT, REGISTER):
        if kind in kinds:
            return kind
    return UNKNOWN


def skip_notice(source) -> str | None:
    """The sentence telling the user why a file gave no power, when it is not an error."""
    sentence = _FILE_NOTICES.get(file_kind(source))
    return f"{source.path} {sentence}" if sentence and source.error is None else None
