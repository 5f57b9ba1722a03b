"""Findings, and the catalogue of the rules of check, review and cases they come from.

Every rule is declared once (powercat/rules.py: code, severity, family, Chinese title and
message template, English description, the law behind it); a finding is made by `finding`,
which takes the message from the rule's template and the position from the record. A rule
that stands alone is declared with its function by `@rule` where it lives (see
check/catalogue.py); the rules of a module whose functions emit several codes are declared
at its top (check/legal.py, timing.py, process.py). Here stay the rules of disclosure,
review and cases. `docs/rules.md` is generated from the catalogue
(`python -m powercat.check.docs`); a test fails when the two drift.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..rules import ERROR, FAMILIES, INFO, RULES, SEVERITY_ORDER, SEVERITY_ZH, WARNING, Rule, declare, rule

__all__ = ["ERROR", "FAMILIES", "INFO", "RULES", "SEVERITY_ORDER", "SEVERITY_ZH", "WARNING", "Finding", "Place",
           "Report", "Rule", "declare", "finding", "rule"]


@dataclass(slots=True)
class Finding:
    code: str
    severity: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    power: str | None
    message: str

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def sort_key(self):
        return (self.file, self.sheet or "", self.row or 0, SEVERITY_ORDER[self.severity], self.code, self.message)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.code] = counts.get(f.code, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True, slots=True)
class Place:
    """Where a finding points when the record alone does not say it: a cell of another sheet
    (a 运行流程 step of a power), a column told apart from the record's, or a whole file."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    power: str | None = None  # the title of the power the finding is about

    @classmethod
    def of(cls, source, column: str | None = None, power: str | None = None, sheet: str | None = None) -> Place:
        """At a record's Source (file, sheet, row); `sheet` overrides the source's."""
        return cls(source.file, sheet or source.sheet, source.row, column, power)


def finding(code: str, at, field: str | None = None, /, **values) -> Finding:
    """A finding of rule `code`, its message from the rule's template filled with `values`.

    `at` says where: a Power (its row; the cell of `field` when the sheet has that column;
    the power's title), a record's Source (file, sheet, row), a Place, or a file's path."""
    rule_ = RULES[code]
    if isinstance(at, str):
        at = Place(at)
    elif hasattr(at, "title") and hasattr(at, "source"):  # a Power
        at = Place.of(at.source, at.columns.get(field) if field else None, at.title)
    elif not isinstance(at, Place):  # a Source
        at = Place.of(at)
    return Finding(code, rule_.severity, at.file, at.sheet, at.row, at.column, field, at.power, rule_.message(**values))


# legal and setting rules: declared in check/legal.py, timing in check/timing.py, process in check/process.py,
# the catalogue's with their functions in check/catalogue.py and check/overlaps.py
# disclosure and reading (powercat/disclosure.py: a power is public only when proven public)
declare("disclosure-unrecognised", ERROR, "disclosure", "公开方式无法识别",
        "公开方式“{value}”无法识别，已按不予公开处理：请填写主动公开、依申请公开或不予公开（见 docs/disclosure.md）",
        "A 公开方式 value outside the closed vocabulary: withheld until it is corrected.",
        "《中华人民共和国政府信息公开条例》第十九条、第二十七条")
declare("disclosure-blank-with-reason", ERROR, "disclosure", "公开方式空而有不公开理由",
        "公开方式为空，但填写了不予公开理由，已按不予公开处理：请明确填写公开方式",
        "A blank 公开方式 beside a filled 不予公开理由: withheld.",
        "《中华人民共和国政府信息公开条例》第十四条、第十五条")
declare("disclosure-contradictory", ERROR, "disclosure", "公开方式与不公开理由矛盾",
        "公开方式为“{value}”，但同时填写了不予公开理由，已按不予公开处理：请核实后只保留一种",
        "A public 公开方式 beside a filled 不予公开理由: withheld until resolved.",
        "《中华人民共和国政府信息公开条例》第十四条、第十五条")
declare("disclosure-withheld-elsewhere", WARNING, "disclosure", "他处不予公开",
        "同一事项（同一单位的同一职权编码，或同一名称及子项）在{value}标为不予公开：此处一并按不予公开处理，不会出现在任何公开成果中。如该事项应当公开，请先更正那一处",
        "Another record of the same power (agency + code, or agency + name + 子项) withholds it: withheld here too.",
        "《中华人民共和国政府信息公开条例》第十四条、第十五条")
declare("cell-formula-uncached", ERROR, "disclosure", "公式无计算结果",
        "{field_zh}单元格是公式（{value}），但文件中没有计算结果，无法读取；请在 Excel 中重新计算并保存。涉及名称或公开方式的事项已按不予公开处理",
        "A formula cell with no cached value in a column that is read: the item is kept and, where the cell decides what may be published, withheld.")
declare("csv-quote-unclosed", ERROR, "disclosure", "引号未闭合",
        "{field_zh}单元格以英文双引号开始，但直到文件末尾都没有闭合的引号：Excel 会把其后 {value} 行全部并入这一格。"
        "本次已把这个引号当作普通字符，其后各行照常读取；请在原文件中补上或删去引号",
        "A CSV cell whose opening quote is never closed (Excel reads the rest of the file into it): the "
        "rows after it are read with that quote taken literally, and the cell is reported.")
declare("csv-undecodable-bytes", WARNING, "disclosure", "无法识别的字节",
        "{field_zh}单元格中有无法按 UTF-8 或 GB18030 识别的字节（显示为 �）：“{value}”。"
        "文件可能混用了编码或已损坏：请核对原文，改正后另存为 UTF-8",
        "A CSV cell holding bytes neither UTF-8 nor GB18030 can read (shown as U+FFFD): the rest of the file "
        "is read, and the cell is reported so a changed name or 依据 is never taken silently.")
declare("disclosure-columns-disagree", ERROR, "disclosure", "两列公开方式不一致",
        "{field_zh}有两列（表头同义），两列结论不同：{value}。已按较严者处理（依申请公开严于主动公开，不予公开最严）；"
        "请只保留一列，或使两列一致",
        "A second 公开方式 column (是否公示 beside 公开类型) states another status than the column read: "
        "the stricter one is applied, and the cell is reported.",
        "《中华人民共和国政府信息公开条例》第十四条、第十五条")
declare("column-duplicate-unread", WARNING, "disclosure", "重名列内容未读入",
        "{field_zh}有两列（表头相同），只读取了左边一列；此列内容与之不同，未读入（{value}）：请合并为一列或改正表头",
        "A second column headed like a column that is read (a repeated 责任事项依据): only the leftmost is "
        "read, so a cell of the other that says something else is reported, once per item and column.")
declare("column-unknown-unread", INFO, "disclosure", "未识别的列未读入",
        "以下各列的表头不是可识别的清单字段，其内容未读入：{value}；如其中有应审查或公开的内容（如时限、依据），请改用标准表头",
        "Columns under a header that names no field of the list (所属行政区划, 实施对象, 录入人 …) whose cells "
        "in the items' rows carry text: none of it is read or published; reported once per sheet, at the first "
        "such header cell, naming each column and how many rows carry text.")
declare("column-unheaded-unread", WARNING, "disclosure", "无表头列内容未读入",
        "此列表头为空，但事项行中填有内容，未读入（{value}）：请补上表头或把内容移入相应的列",
        "A column with a blank header cell (not the second half of a compound header) whose cells in the "
        "items' rows carry text: nothing of it is read, so it is reported once per sheet and column, at its "
        "first such cell, with how many rows carry text there.")
# 动态公开: the register of cases (powercat cases)
declare("case-id-missing", ERROR, "cases", "办件编号为空",
        "办件编号为空：每条登记都必须有办件（案件）编号",
        "A register row with no case id.")
declare("case-id-duplicate", ERROR, "cases", "办件编号重复",
        "办件编号“{case}”重复：与{other}相同",
        "Two case rows share one case id.")
declare("case-step-blank", ERROR, "cases", "环节名称为空",
        "办件“{case}”的运行记录缺少环节名称",
        "An event row with no step name.")
declare("case-date-invalid", ERROR, "cases", "日期无效",
        "{field_zh}“{text}”不是有效日期：请写成 2025-03-04 等形式",
        "A date cell that does not read as a date.")
declare("case-number-invalid", ERROR, "cases", "数字无效",
        "{field_zh}“{text}”不是数字",
        "A number cell that does not read as a number.")
declare("case-date-order", ERROR, "cases", "日期先后颠倒",
        "{later_zh}（{later}）早于{earlier_zh}（{earlier}）",
        "Dates out of order (decision before acceptance, service before decision …).")
declare("case-power-unknown", ERROR, "cases", "职权不在清单中",
        "办件“{case}”对应的职权“{power}”不在权责清单中：请核对职权编码或名称{detail}",
        "A case linked to no power of the catalogue.")
declare("case-power-withheld", WARNING, "cases", "不予公开事项的办件",
        "办件“{case}”对应的职权“{power}”为不予公开事项：本办件只在内部登记、备案，不对外公开",
        "A case of a withheld power: kept internal.")
declare("case-step-unknown", ERROR, "cases", "环节不在流程中",
        "环节“{step}”不在该职权的运行流程中（流程环节：{steps}）",
        "A case step that is not in the power's process graph.")
declare("case-step-order", ERROR, "cases", "环节顺序不符",
        "环节“{step}”不符合运行流程的顺序：此前已办{done}，按流程此时应办理{expected}",
        "A case step out of the order of the power's process graph.")
declare("case-step-missing", ERROR, "cases", "缺少环节",
        "办件已{state}，但运行记录缺少环节：{expected}",
        "A closed case whose steps stop before the process ends.")
declare("case-notice-missing", ERROR, "cases", "处罚前未告知",
        "作出行政处罚决定前没有“告知”环节（拟处罚的事实、理由、依据及陈述、申辩、听证权利）",
        "A 处罚 decision with no 告知 step before it.",
        "《中华人民共和国行政处罚法》第四十四条、第六十二条")
declare("case-legal-review-missing", ERROR, "cases", "未经法制审核",
        "运行流程要求“法制审核”，但作出决定前没有法制审核环节",
        "A decision with no 法制审核 before it, where the process has one.",
        "《中华人民共和国行政处罚法》第五十八条；国办发〔2018〕118号")
declare("case-hearing-missing", ERROR, "cases", "申请听证未听证",
        "当事人申请了听证，但运行记录没有“听证”环节",
        "A hearing was requested and none took place.",
        "《中华人民共和国行政处罚法》第六十三条、第六十四条；《中华人民共和国行政许可法》第四十七条")
declare("case-step-over-limit", WARNING, "cases", "环节超时",
        "环节“{step}”用时 {used} 个工作日（{start} 至 {end}），超过环节时限 {limit}",
        "A step that took longer than its limit in the process.")
declare("case-over-promised", WARNING, "cases", "超过承诺时限",
        "办件用时 {used} 个工作日，超过承诺时限 {limit}（应于 {due} 前办结，实际 {decided}）{detail}",
        "A case decided after its promised limit (working days, 调休 aware).")
declare("case-over-statutory", ERROR, "cases", "超过法定时限",
        "办件超过法定时限 {limit}：应于 {due} 前作出决定，实际 {decided}{detail}",
        "A case decided after its statutory limit (working days, 调休 aware, excluded periods left out).",
        "《中华人民共和国行政许可法》第四十二条、第四十五条；《中华人民共和国行政处罚法》第六十条")
declare("case-suspension-not-excluded", WARNING, "cases", "中止不属法定情形",
        "中止原因“{reason}”不是法定不计入期限的情形（听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审等），{days} 个工作日仍计入办理时限",
        "A suspension whose reason the law does not exclude from the count.",
        "《中华人民共和国行政许可法》第四十五条")
declare("case-extension-unapproved", ERROR, "cases", "延期未经批准",
        "延期 {days:g} 天没有记录批准人：未经批准的延期不延长办理时限",
        "An extension with no recorded approval.",
        "《中华人民共和国行政许可法》第四十二条")
declare("case-extension-over-cap", ERROR, "cases", "延期超过上限",
        "延期 {days:g} 个工作日超过法定可延长的 {cap} 个工作日",
        "An approved extension longer than the law allows.",
        "《中华人民共和国行政许可法》第四十二条")
declare("case-service-late", ERROR, "cases", "送达超期",
        "决定书送达晚于法定期限：决定 {decided}，应于 {due} 前送达（{limit} 个工作日），{detail}",
        "Decision → 送达 late (许可 10 working days, 处罚 7).",
        "《中华人民共和国行政许可法》第四十四条；《中华人民共和国行政处罚法》第六十一条、第八十五条")
declare("case-disclosure-late", ERROR, "cases", "公开超期",
        "{kind}决定应在作出之日起 {limit} 个工作日内（{due} 前）公开，{detail}",
        "Decision → public disclosure late (许可/处罚 7 working days, other decisions 20).",
        "国办发〔2018〕118号（行政执法公示制度）")
declare("case-open-overdue", ERROR, "cases", "在办件已超期",
        "办件尚未办结，已超过{which} {limit}（应于 {due} 前办结，截至 {as_of}）",
        "An open case past its limit as of the check date.")
declare("case-due-soon", INFO, "cases", "在办件即将到期",
        "办件尚未办结，距{which}届满还有 {left} 个工作日（{due}）",
        "An open case due within N working days (early warning).")
declare("case-personal-data", WARNING, "cases", "含个人信息",
        "{field_zh}中含有{kinds}：公开时已删除；个人信息请勿填入可公开的栏目",
        "Personal data (ID-card, phone, bank account) in a free-text cell.")
declare("case-date-out-of-range", ERROR, "cases", "日期超出范围",
        "{field_zh}“{text}”超出可核算的日期范围（{range}）：该日期不参与时限计算，请核对是否填错",
        "A register date outside the working-day calendar (2041-01-05, 9999-12-31, 0001-01-01): kept as a finding, not counted.")
declare("case-number-out-of-range", ERROR, "cases", "数字超出范围",
        "{field_zh}“{text}”超出合理范围（{range}）：不参与时限计算，请核对是否填错",
        "A number cell out of any sensible range (延期天数 1e9, inf, negative): a finding, not counted.")
declare("case-date-future", WARNING, "cases", "日期晚于基准日",
        "{field_zh}（{date}）晚于基准日 {as_of}：请核对是否填错",
        "A register date after the check date.")
declare("case-disclosure-withheld", INFO, "cases", "办件不予公开",
        "办件“{case}”的公开方式为“{value}”：本办件不对外公开，只在内部登记、备案",
        "A case whose own 公开方式 withholds it: kept out of every public output.")
declare("case-disclosure-unrecognised", WARNING, "cases", "办件公开方式无法识别",
        "办件“{case}”的公开方式“{value}”无法识别：按不予公开处理（可填 主动公开、依申请公开、不予公开）",
        "A case's 公开方式 that cannot be read (or an uncached formula): withheld (fail closed).")

# ── 清理审核 (`powercat review`, issue 15): the reviewing offices' decisions, one group ──
declare("review-conflict", ERROR, "review", "审核结论冲突",
        "各审核单位结论不一致：{detail}；已暂按{outcome}处理，请牵头单位协调后重新确认",
        "Offices' decisions on one power contradict each other (keep vs remove, or two ways of removing).")
declare("review-undecided", ERROR, "review", "未作审核结论",
        "没有任何审核单位填写审核结论（已送审 {offices}）；确认清单中暂按原样保留",
        "No office decided this power.")
declare("review-conclusion-unknown", ERROR, "review", "审核结论无法识别",
        "审核结论“{value}”无法识别（应为保留、取消、合并、调整、下放、转备案（不予公开）之一），已暂按不予公开处理并列入备案登记表，请该单位重新填写",
        "A 审核结论 that is none of the six choices: the power is withheld until it is settled.")
declare("review-withhold-no-reason", ERROR, "review", "转备案未说明理由",
        "{office}决定转备案（不予公开），但未写明理由（国家秘密、商业秘密或个人隐私及其依据）",
        "A decision to withhold with no stated reason.",
        "《中华人民共和国政府信息公开条例》第十四条、第十五条")
declare("review-withhold-reason-unlawful", ERROR, "review", "转备案理由不合法定情形",
        "{office}决定转备案（不予公开）的理由“{reason}”不是国家秘密、商业秘密或个人隐私",
        "A decision to withhold whose reason is none of state secret, trade secret or privacy.",
        "《中华人民共和国政府信息公开条例》第十四条、第十五条")
declare("review-withhold-no-basis", ERROR, "review", "转备案理由无依据",
        "{office}决定转备案（不予公开）的理由“{reason}”未写明依据（如《中华人民共和国保守国家秘密法》第十三条或定密文件）",
        "A decision to withhold naming a lawful reason but no basis for it.",
        "《中华人民共和国政府信息公开条例》第十四条、第十五条")
declare("review-row-unmatched", WARNING, "review", "副本行无对应事项",
        "{office}的副本中此行（{title}）与送审清单中的任何事项都对不上，其审核结论未采用；新增事项请按程序另行申报",
        "A row of a returned copy that matches no power of the list under review.")
declare("review-power-missing", WARNING, "review", "副本缺少事项",
        "{office}的副本（{copy}）中没有此事项，视为该单位未作审核",
        "A power of the list under review that a returned copy no longer contains.")
declare("review-no-decision-columns", ERROR, "review", "副本无审核结论列",
        "副本的工作表“{sheet}”没有审核结论列，无法读取审核意见（请用 powercat check --annotate 生成的审查意见副本填写）",
        "A returned copy whose power sheet has no decision columns.")
declare("review-no-list", ERROR, "review", "副本无对应清单",
        "找不到与此副本对应的送审清单（单位“{agency}”），其审核结论未采用",
        "A returned copy for an agency none of the lists given with --list belongs to.")
# issue 20: the round trip keeps what the list said and never loses a power
declare("review-snapshot-missing", WARNING, "review", "副本缺少送审底稿",
        "副本中没有送审底稿（隐藏工作表已被删除），已按{how}归入“{agency}”的送审清单（{list}）",
        "A returned copy whose hidden snapshot sheet was deleted, matched to its list by agency or content.")
declare("review-copy-no-original", ERROR, "review", "副本无法对应原清单",
        "副本中没有送审底稿，也找不到对应的送审清单（单位“{agency}”，{count} 项），其内容和审核结论均未采用、不予公开；请用 --list 给出原清单",
        "A returned copy with no snapshot that matches no list: nothing of it is used.")
declare("review-snapshot-damaged", ERROR, "review", "送审底稿损坏",
        "送审底稿第 {rows} 行无法读取（被截断或缺少单元格）；此事项按{office}副本中的内容列入确认清单，暂按不予公开处理，请与原清单核对",
        "A power missing from a damaged snapshot, kept (withheld) from the copy that holds it.")
declare("review-power-lost", ERROR, "review", "事项去向不明",
        "此事项没有进入确认清单、备案登记表或取消事项（{detail}），请核对",
        "A power of the list under review found in none of the review's outputs.")
declare("review-edit-not-applied", WARNING, "review", "保留下的修改未采用",
        "{office}的审核结论为“保留”，但修改了{field}：“{before}”→“{after}”；保留即按原样，此修改未采用（如需修改请选“调整”）",
        "A cell an office changed while concluding 保留: not applied, reported with before and after.")
declare("review-opinion-withholds", WARNING, "review", "审核意见提到不予公开",
        "{office}的审核结论为“{conclusion}”，但审核意见“{opinion}”提到保密或不予公开，已按不予公开处理（列入备案登记表，不进入调整对照表）；如应公开，请改写审核意见",
        "An opinion that speaks of secrecy or withholding under another conclusion: the power is withheld.")
declare("review-unwithhold-refused", WARNING, "review", "调整公开未采用",
        "{office}将公开方式调整为“{after}”，但此事项不予公开（原清单、其结构或其他审核单位如此标注）；审核调整不能使其公开，仍按不予公开处理，确应公开的请经保密审查后修改原清单",
        "An office adjusting a withheld power's 公开方式 to public: not applied, the power stays withheld.")
declare("review-office-unnamed", WARNING, "review", "副本未填审核单位",
        "副本未填写审核单位，按副本文件识别为审核单位“{office}”",
        "A copy with no 审核单位: the office is told by the copy's path.")
# issue 20, second pass
declare("review-snapshot-deleted", ERROR, "review", "送审底稿缺行",
        "送审底稿中有 {count} 行被删除；此事项按{office}副本中的内容列入确认清单，暂按不予公开处理，请与原清单核对（或用 --list 给出原清单）",
        "Rows deleted from a copy's snapshot: the powers only the copy holds are kept, withheld.")
declare("review-snapshot-differs", ERROR, "review", "送审底稿不一致",
        "各副本所附送审底稿不一致（{office}的副本可能来自上一轮送审或另一份同名清单）：{detail}；已暂按不予公开处理，请用 --list 给出本轮原清单",
        "Copies of one list carrying different snapshots: a power not in all of them, or withheld in one, is withheld.")
declare("review-note-withholds", WARNING, "review", "副本标注不予公开",
        "{office}的副本在此事项中标注了不予公开（{note}），已按不予公开处理（列入备案登记表，不进入调整对照表）",
        "A cell comment or an added 是否公开 / 不予公开理由 column in a copy that withholds the power.")
declare("review-row-duplicate", WARNING, "review", "副本事项重复",
        "{office}的副本中此行（{title}）与“{sheet}”第 {row} 行是同一事项（职权编码或名称相同），两行的审核结论一并采用",
        "A power's row an office duplicated in its copy: the decisions of both rows are taken.")
declare("review-list-differs", WARNING, "review", "原清单与送审底稿不一致",
        "{office}的副本所附送审底稿中此事项为不予公开，而 --list 给出的清单中为公开，已按不予公开处理；请确认 --list 是否为本轮送审的清单",
        "A power the copy's snapshot withholds but the list given with --list does not: withheld.")
declare("review-snapshot-old", WARNING, "review", "旧版送审底稿",
        "{office}的副本由旧版 powercat 生成，送审底稿未记录各事项的公开属性：原清单以分节标题、同一事项的其他行标注的不予公开，只能从副本本身看出（副本中删去了就无从核对）；请用 --list 给出原清单重新审核",
        "A copy whose snapshot predates the settled status: without --list, the list's structure is known only from the copy.")
declare("review-snapshot-foreign", ERROR, "review", "送审底稿与副本不符",
        "副本所附送审底稿（{sent}）不是这份副本的：副本 {total} 行中有 {count} 行在底稿中找不到（可能从其他副本复制了隐藏工作表）；已按没有底稿处理",
        "A copy whose snapshot holds few of its rows: another list's snapshot, not used.")
