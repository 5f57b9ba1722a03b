"""The standard workbook (标准模板) officers fill in: 职权目录, 运行流程, 单位信息, 运行记录.

`write_workbook` also writes filled copies (the sample data is made with it), so what
the template promises and what the reader accepts are the same columns.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from ..atomic import atomic_path
from ..model import Category
from ..output import save_workbook
from ..xlsxstyle import row_height, wrapped_lines
from .items import column_letter
from . import decisions as _review_decisions  # issue 15

CATEGORIES = [c.value for c in Category]
DISCLOSURE_CHOICES = ["主动公开", "依申请公开", "不予公开"]
STEP_KINDS = ["开始", "办理", "判断", "结束"]

# The forms of a procedure process/stages.py reads from 责任事项 (and a 办理流程 column): a
# cell written so is drawn as the power's own stages instead of its category's generic procedure.
DUTY_NOTE = ("写办理程序的，请分阶段编号，流程图按阶段绘制：1.受理阶段：… 2.审查阶段：… 3.决定阶段：… 4.送达阶段：…"
             "（编号也可写作 １． （一） ① 第一步；“受理责任：…”“审查环节：…”亦可），或写成“受理→审查→决定→送达”；"
             "岗位和时限写在阶段名后的括号里，如 1.受理阶段（窗口受理岗，1个工作日）：…。"
             "只列职责（直接实施责任、指导监督责任、监管责任）的不会当作流程绘制；"
             "逐环节的流程请填“运行流程”表")

# (header, field, width, note)
POWER_COLUMNS: list[tuple[str, str, int, str]] = [
    ("职权编码", "code", 20, "本目录内唯一，如 6 位区划 + 3 位单位 + 2 位类型 + 3 位序号 + 2 位子项"),
    ("职权名称", "name", 30, "必填。使用法定名称"),
    ("子项名称", "sub_name", 20, "无子项的留空"),
    ("职权类别", "category", 12, "必填，从下拉列表选择"),
    ("实施依据", "basis", 50, "必填。每条依据一行：【法律】《全称》第X条第X款"),
    ("实施主体", "agency", 20, "留空则为本单位"),
    ("承办机构", "office", 16, "承办处室/科室"),
    ("行使层级", "level", 10, "省级 / 市级 / 县级"),
    ("法定时限", "statutory_limit", 12, "如 20个工作日、即办；法律设定时限的必填"),
    ("承诺时限", "promised_limit", 12, "不得超过法定时限"),
    ("收费依据及标准", "fee", 20, "不收费，或写明依据及标准"),
    ("公开方式", "disclosure", 12, "主动公开 / 依申请公开 / 不予公开"),
    ("公开范围", "disclosure_scope", 12, "如 社会公众"),
    ("公开时限", "disclosure_time", 16, "如 作出决定之日起7个工作日内"),
    ("不予公开理由", "exemption", 20, "不予公开时必填：国家秘密 / 商业秘密 / 个人隐私 及其依据"),
    ("行使条件", "conditions", 24, "受理/行使条件，即办事指南的申请条件"),
    # 办事指南 columns: what a citizen needs to act; a guide says plainly which are not yet given
    ("申请材料", "materials", 30, "办事指南：需提交的材料，每项一行，注明原件/复印件及份数"),
    ("办理地点", "place", 20, "办事指南：受理窗口的地址"),
    ("办理时间", "hours", 16, "办事指南：如 工作日 9:30-13:30、15:30-19:30（法定节假日除外）"),
    ("咨询电话", "enquiry_phone", 14, "办事指南：咨询电话"),
    ("相对人权利", "rights", 20, "陈述、申辩、听证、复议、诉讼等"),
    ("监督投诉方式", "complaint", 20, "监督电话、投诉举报途径（办事指南的投诉渠道；留空则用单位信息的监督电话）"),
    ("责任事项", "duty", 40, DUTY_NOTE),
    ("追责情形", "accountability", 30, ""),
    ("备注", "remark", 16, ""),
]
# issue 15: the reviewing offices' decision columns (审核结论 … 日期), read back by `powercat review`
POWER_COLUMNS += _review_decisions.TEMPLATE_COLUMNS

STEP_COLUMNS: list[tuple[str, str, int, str]] = [
    ("职权编码", "code", 20, "对应职权目录中的职权编码"),
    ("职权名称", "power_name", 24, "无职权编码的职权，填职权目录中的职权名称（及子项名称）对应"),
    ("子项名称", "power_sub_name", 16, "无子项的留空"),
    ("环节编号", "step_id", 10, "同一职权内唯一"),
    ("环节名称", "name", 16, "申请、受理、审查、决定、送达……"),
    ("环节类型", "kind", 10, "开始 / 办理 / 判断 / 结束"),
    ("承办岗位", "post", 16, "窗口受理岗、科室审核岗、分管领导……"),
    ("办理时限", "limit", 12, "本环节时限"),
    ("下一环节", "next", 16, "3 ；并行：3,4 ；判断：是:4；否:9"),
    ("监督制约", "control", 20, "法制审核、集体讨论……"),
    ("公开要求", "disclosure", 24, "公开内容、对象、时限"),
]

# Fields published lists carry that the template has no column for: a pre-filled copy
# (`template --from`) adds the ones its powers use, under headers the reader maps back.
EXTRA_POWER_COLUMNS: list[tuple[str, str, int, str]] = [
    ("权限划分", "authority", 30, ""),
    ("办理流程", "procedure", 40, "清单原有的办理流程文字；逐环节的流程以“运行流程”表为准"),
    ("责任事项依据", "duty_basis", 40, ""),
    ("追责对象范围", "accountability_scope", 20, ""),
    ("部门职责", "department_duty", 30, ""),
]

# 运行记录 (《重要行政权力动态运行情况登记表》): one row per case, read by `powercat cases`
# (powercat/ingest/register_columns.py). No 职权名称 column: the list reader must not take it for powers.
PARTY_TYPES = ["自然人", "法人", "其他组织"]
RECORD_DISCLOSURE = ["主动公开", "依申请公开", "不予公开"]
YES_NO = ["是", "否"]
RECORD_COLUMNS: list[tuple[str, str, int, str]] = [
    ("办件编号", "case_id", 18, "必填，本单位内唯一（案件编号、受理编号）"),
    ("职权编码", "power_code", 20, "必填，对应职权目录中的职权编码"),
    ("相对人名称", "party", 20, "自然人公开时姓名部分隐去"),
    ("相对人类型", "party_type", 10, "自然人 / 法人 / 其他组织"),
    ("证件号码", "party_id", 22, "法人填统一社会信用代码；自然人身份证号不公开"),
    ("受理日期", "accepted", 12, "受理或立案日期，YYYY-MM-DD"),
    ("决定日期", "decided", 12, "作出决定的日期；未办结的留空"),
    ("办理结果", "result", 24, "准予许可、不予许可、罚款2000元……"),
    ("决定文书号", "doc_no", 22, ""),
    ("送达日期", "served", 12, "许可决定10个工作日内、处罚决定7个工作日内送达"),
    ("公开日期", "disclosed", 12, "许可、处罚决定7个工作日内，其他决定20个工作日内公开"),
    ("公开方式", "disclosure_way", 12, "主动公开 / 依申请公开 / 不予公开"),
    ("公开范围", "disclosure_scope", 12, "如 社会公众"),
    ("中止开始日期", "suspend_start", 12, "听证、检验、检测、鉴定、专家评审等不计入期限的期间"),
    ("中止结束日期", "suspend_end", 12, ""),
    ("中止原因", "suspend_reason", 16, "听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审"),
    ("中止批准人", "suspend_approval", 12, ""),
    ("延期天数", "extension_days", 10, "工作日；许可最多延长10个工作日"),
    ("延期原因", "extension_reason", 16, ""),
    ("延期批准人", "extension_approval", 12, "未经批准的延期不延长时限"),
    ("是否申请听证", "hearing_requested", 10, "是 / 否"),
    ("承办人", "handler", 12, ""),
    ("备注", "remark", 20, "可公开的说明；请勿填写身份证号、电话等个人信息"),
]

INFO_COLUMNS: list[tuple[str, str, int, str]] = [
    ("单位名称", "name", 28, "必填，全称"),
    ("统一社会信用代码", "credit_code", 22, "18 位"),
    ("行政区划", "region", 14, "如 青川市"),
    ("清单版本", "version", 12, "如 2025年版"),
    ("发布日期", "published", 12, "YYYY-MM-DD"),
    ("监督电话", "phone", 16, ""),
]

_HEADER_FILL = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
_THIN = Side(style="thin", color="FF9BB7D4")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_ROWS_VALIDATED = 5000


def _sheet(book: Workbook, title: str, columns, rows: Sequence[Mapping[str, str | None]]):
    sheet = book.create_sheet(title)
    for index, (header, _field, width, note) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if note:
            # a long note (责任事项's) gets a taller box: Excel does not grow a comment to fit
            cell.comment = Comment(note, "powercat", height=max(80, 18 * (len(note) // 14 + 1)), width=220)
        sheet.column_dimensions[column_letter(index - 1)].width = width
    for r, values in enumerate(rows, start=2):
        lines = 1
        for c, (_header, field, width, _note) in enumerate(columns, start=1):
            value = values.get(field)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=r, column=c, value=str(value))
            cell.data_type = "s"  # user text is never a formula
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            lines = max(lines, wrapped_lines(str(value), width))
        sheet.row_dimensions[r].height = row_height(lines, cap=8)
    sheet.freeze_panes = "A2"
    return sheet


def _dropdown(sheet, columns, field: str, choices: list[str]) -> None:
    index = next(i for i, (_h, f, _w, _n) in enumerate(columns) if f == field)
    letter = column_letter(index)
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    validation.error = "请从下拉列表中选择"
    validation.errorTitle = "取值不在列表中"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{_ROWS_VALIDATED}")


def write_workbook(
    path: str | os.PathLike,
    info: Mapping[str, str | None] | None = None,
    powers: Sequence[Mapping[str, str | None]] = (),
    steps: Sequence[Mapping[str, str | None]] = (),
    records: Sequence[Mapping[str, str | None]] = (),
    power_columns: Sequence[tuple[str, str, int, str]] | None = None,
) -> None:
    """The standard workbook, blank or filled, written atomically. `power_columns` replaces
    the 职权目录 columns (POWER_COLUMNS and some of EXTRA_POWER_COLUMNS for a pre-filled copy)."""
    book = _workbook(info, powers, steps, records, power_columns or POWER_COLUMNS)
    with atomic_path(path) as tmp:
        save_workbook(book, tmp, kind="template")


def write_workbook_to(handle) -> None:
    """The blank template into an open binary file: what an untouched template holds, to
    tell it from one someone has filled in (see output.check_file_target)."""
    save_workbook(_workbook(None, (), (), (), POWER_COLUMNS), handle, kind="template")


def _workbook(info, powers, steps, records, power_columns) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    catalogue = _sheet(book, "职权目录", power_columns, powers)
    _dropdown(catalogue, power_columns, "category", CATEGORIES)
    _dropdown(catalogue, power_columns, "disclosure", DISCLOSURE_CHOICES)
    _dropdown(catalogue, power_columns, "review_conclusion", _review_decisions.CONCLUSIONS)  # issue 15
    process = _sheet(book, "运行流程", STEP_COLUMNS, steps)
    _dropdown(process, STEP_COLUMNS, "kind", STEP_KINDS)
    _sheet(book, "单位信息", INFO_COLUMNS, [info] if info else [])
    record = _sheet(book, "运行记录", RECORD_COLUMNS, records)
    _dropdown(record, RECORD_COLUMNS, "party_type", PARTY_TYPES)
    _dropdown(record, RECORD_COLUMNS, "disclosure_way", RECORD_DISCLOSURE)
    _dropdown(record, RECORD_COLUMNS, "hearing_requested", YES_NO)
    return book


def is_untouched_template(path: str | os.PathLike) -> bool:
    """A blank template exactly as powercat writes it: nothing typed into it yet. A filled
    template is a power list, and no --force may replace a list (see output.output_file)."""
    import io
    import zipfile

    fresh = io.BytesIO()
    write_workbook_to(fresh)
    try:
        with zipfile.ZipFile(path) as have, zipfile.ZipFile(fresh) as want:
            names = [n for n in want.namelist() if n != "docProps/core.xml"]
            if sorted(n for n in have.namelist() if n != "docProps/core.xml") != sorted(names):
                return False
            return all(have.getinfo(n).file_size == want.getinfo(n).file_size and have.read(n) == want.read(n)
                       for n in names)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError, EOFError):
        return False
