"""The case register's alias tables: Chinese (and process-mining) headers → case and event fields.
Here, under ingest, because the loader classifies a file by them as well as `cases.read`
reads by them.

Matching follows `ingest/columns.py`: headers are normalised with `text.normalise_header`,
an exact alias beats one merely contained (aliases of 3+ characters), the leftmost column
wins. The header row is found as for lists: the row among the first 30 naming the most
fields with every required one.
"""

from __future__ import annotations

from ..ingest.columns import AliasTable
from ..ingest.header import SEARCH_ROWS
from ..ingest.workbook import Grid

CASE_ALIASES: dict[str, tuple[str, ...]] = {
    "case_id": ("办件编号", "案件编号", "办件号", "案件号", "案号", "受理编号", "业务流水号", "流水号", "申报号", "编号"),
    "power_code": ("职权编码", "事项编码", "权力编码", "实施编码", "权责事项编码"),
    "power_name": ("职权名称", "事项名称", "权力名称", "权力事项名称", "权责事项名称"),
    "agency": ("实施主体", "实施机关", "执法主体", "行使主体", "办理单位"),
    "party": ("相对人名称", "相对人", "行政相对人名称", "行政相对人", "当事人名称", "当事人", "申请人", "被处罚人"),
    "party_type": ("相对人类型", "相对人类别", "当事人类型", "行政相对人类别", "主体类型"),
    "party_id": ("相对人证件号码", "相对人代码", "证件号码", "身份证号码", "身份证号", "统一社会信用代码", "证件号"),
    "accepted": ("受理日期", "立案日期", "受理（立案）日期", "受理/立案日期", "受理时间", "立案时间"),
    "decided": ("决定日期", "作出决定日期", "处罚决定日期", "许可决定日期", "决定时间"),
    "result": ("办理结果", "决定内容", "处理结果", "处罚结果", "许可内容", "处罚内容"),
    "doc_no": ("决定文书号", "决定书文号", "决定文号", "文书号", "许可决定书文号", "处罚决定书文号"),
    "served": ("送达日期", "送达时间"),
    "disclosed": ("公开日期", "公示日期", "公开时间", "公示时间"),
    "disclosure_way": ("公开方式", "公示方式", "是否公开", "是否公示", "公开属性", "公开类型"),
    "disclosure_scope": ("公开范围", "公示范围"),
    "suspend_start": ("中止开始日期", "中止起始日期", "中止开始", "中止起始"),
    "suspend_end": ("中止结束日期", "中止截止日期", "中止结束", "中止截止"),
    "suspend_reason": ("中止原因", "中止事由", "不计入期限事由"),
    "suspend_approval": ("中止批准人", "中止审批人", "中止批准"),
    "extension_days": ("延期天数", "延长天数", "延期工作日", "延长期限"),
    "extension_reason": ("延期原因", "延期理由", "延长理由"),
    "extension_approval": ("延期批准人", "延期审批人", "延长批准人", "延期批准"),
    "hearing_requested": ("是否申请听证", "是否要求听证", "听证申请", "申请听证"),
    "handler": ("承办人", "经办人", "执法人员"),
    "remark": ("备注", "说明"),
}

EVENT_ALIASES: dict[str, tuple[str, ...]] = {
    "case_id": ("办件编号", "案件编号", "办件号", "案号", "流水号", "编号", "case:concept:name", "case_id", "caseid"),
    "step": ("环节", "环节名称", "办理环节", "活动", "步骤", "concept:name", "activity"),
    "start": ("开始", "开始时间", "开始日期", "接收时间", "time:start_timestamp", "start_timestamp"),
    "end": ("完成", "完成时间", "完成日期", "办结时间", "结束时间", "time:timestamp", "timestamp"),
    "post": ("承办岗位", "办理岗位", "岗位", "org:resource", "resource"),
    "power_code": ("职权编码", "事项编码", "权力编码", "实施编码"),
    "power_name": ("职权名称", "事项名称", "权力名称"),
}



_TABLES = {"case": AliasTable(CASE_ALIASES), "event": AliasTable(EVENT_ALIASES)}
REQUIRED = {"case": ("case_id",), "event": ("case_id", "step")}


def map_columns(headers: list[str], table: str) -> dict[str, int]:
    return _TABLES[table].map_columns(headers)


def disclosure_columns(headers: list[str], columns: dict[str, int]) -> list[int]:
    """Every column but the one read as 公开方式 whose header names the case's disclosure
    (a second 是否公开 or 公开属性 column, a 公开范围 column): a register with 公开方式 主动公开 and
    是否公开 否 says 否 too, and what any of them withholds is withheld."""
    table = _TABLES["case"]
    return [col for col, header in enumerate(headers) if col != columns.get("disclosure_way")
            and table.field_for(header)[0] in ("disclosure_way", "disclosure_scope")]


def find_header(grid: Grid) -> tuple[str, int, dict[str, int]] | None:
    """(table, 0-based header row, field → column) for a register sheet: an event log when
    the best row names a step column and a start or end time, else case rows. None when no
    row of the first 30 names a case id and at least one more field."""
    best = None
    for row in range(min(SEARCH_ROWS, grid.n_rows)):
        labels = [grid.text(row, col) for col in range(grid.n_cols)]
        for table in ("event", "case"):
            columns = map_columns(labels, table)
            if any(f not in columns for f in REQUIRED[table]) or len(columns) < 2:
                continue
            if table == "event" and not ({"start", "end"} & columns.keys()):
                continue
            if table == "case" and len(columns) < 3:
                continue
            score = len(columns) + (1 if table == "event" else 0)
            if best is None or score > best[0]:
                best = (score, table, row, columns)
    return None if best is None else best[1:]
