"""Reading the procedures lists write in words (责任事项, 办理流程/运行流程): every form agencies
use, the duty lists that are not procedures, and which source a chart is drawn from."""

from __future__ import annotations

import time

import pytest
from openpyxl import Workbook

from powercat.ingest import load
from powercat.model import Power, Source, Step
from powercat.process import build_graph
from powercat.process.stages import (DUTIES, EMPTY, FREE_TEXT, PROCEDURE, classify_procedure_text, read_procedure,
                                     written_procedure)
from powercat.render.dot import to_dot


# the 消防 list's form: numbered "阶段" stages, then a catch-all duty that is no stage
FIRE = ("1.受理阶段：通过日常监督检查和投诉举报，发现违法行为，进行审查核实，进行受理。\n"
        "2.调查取证阶段：执法人员不得少于两人，调查时应出示执法证件。\n"
        "3.审查阶段：法制部门对调查结果进行审核。\n"
        "4.告知阶段：作出行政处罚决定前，告知违法事实及其享有的陈述、申辩等权利。\n"
        "5.决定阶段：制作行政处罚决定书。\n"
        "6.送达阶段：行政处罚决定书按法律规定送达当事人。\n"
        "7.执行阶段：依照生效的行政处罚决定，自觉履行或强制执行。\n"
        "8.其他法律法规规章文件规定应履行的责任。")
# the Xinjiang form: duties of direct implementation and of guidance, numbered like stages
XINJIANG_DUTIES = ("直接实施责任：\n1.规范完善审批标准、程序等具体规定；主动公示依据、条件、数量。\n"
                   "2.依法依规实施行政许可，作出的准予行政许可决定应当予以公开。\n"
                   "3.监督责任。建立健全监督制度，对被许可人从事行政许可事项的活动进行监督检查。\n"
                   "指导监督责任：\n1.指导下级行政机关完善审批标准、程序等具体规定。\n"
                   "2.对下级行政机关实施行政许可进行监督检查，及时纠正行政许可实施中的违法行为。")


def names(text: str) -> list[str]:
    return [stage.name for stage in read_procedure(text).stages]


# (form name, cell text, stage names)
FORMS = [
    ("numbered 阶段", FIRE, ["受理", "调查取证", "审查", "告知", "决定", "送达", "执行"]),
    ("numbered 责任 inside 直接实施责任",
     "直接实施责任：\n1、受理责任：公示材料。\n2、审查责任：审查申请材料。\n3、决定责任：作出决定。\n4、送达责任：送达。\n"
     "5.监管责任：开展定期和不定期检查。\n6、其他法律法规规章文件规定应履行的责任。",
     ["受理", "审查", "决定", "送达"]),
    ("（一）环节 without colon", "（一）受理环节 申请人提交材料\n（二）审查环节：审查材料\n（三）决定环节", ["受理", "审查", "决定"]),
    ("X阶段责任 unnumbered", "受理阶段责任：一次性告知补正。审查阶段责任：审查材料。决定阶段责任：作出决定。", ["受理", "审查", "决定"]),
    ("X责任 unnumbered", "受理责任：公示材料。\n审查责任：审查。\n决定责任：决定。\n送达责任：送达。", ["受理", "审查", "决定", "送达"]),
    ("X环节 unnumbered", "受理环节：收件。审核环节：审核。审批环节：签批。", ["受理", "审核", "审批"]),
    ("arrows", "受理→审查→决定→送达", ["受理", "审查", "决定", "送达"]),
    ("arrows after a label", "办理流程：申请 -> 受理 -> 审查 -> 决定。", ["申请", "受理", "审查", "决定"]),
    ("dashes", "受理-审查-决定", ["受理", "审查", "决定"]),
    ("Chinese dashes", "立案——调查——处罚决定——执行", ["立案", "调查", "处罚决定", "执行"]),
    ("full-width digits", "１．受理阶段：收件\n２．审查阶段：审查\n３．决定阶段：决定", ["受理", "审查", "决定"]),
    ("mixed numbering", "1.受理阶段：收件\n（二）审查阶段：审查\n三、决定阶段：决定\n④送达阶段：送达", ["受理", "审查", "决定", "送达"]),
    ("第N步", "第一步：受理。第二步：审查。第三步：决定。", ["受理", "审查", "决定"]),
    ("circled numbers", "①立案 ②调查取证 ③处罚决定", ["立案", "调查取证", "处罚决定"]),
    ("bare names ending a sentence", "1.受理及许可:审查材料。\n2.现场核查.消防救援机构进行核查。", ["受理及许可", "现场核查"]),
    ("stages with no text", "1.受理阶段：\n2.审查阶段：\n3.决定阶段：", ["受理", "审查", "决定"]),
    # the reader joins a line that does not start like an item: full-width and circled marks run on
    ("full-width marks run together", "１．受理阶段：收件２．审查阶段：审查３．决定阶段：决定", ["受理", "审查", "决定"]),
    ("circled marks run together", "①立案②调查取证③决定", ["立案", "调查取证", "决定"]),
    ("parenthesised numbers", "⑴受理：收件。⑵审查：审查。⑶决定：决定。", ["受理", "审查", "决定"]),
    ("numbers with a full stop", "⒈受理阶段：收件\n⒉审查阶段：审查\n⒊决定阶段：决定", ["受理", "审查", "决定"]),
    ("事后监管 ends a licensing procedure", "1.受理责任：收件。\n2.审查责任：审查。\n3.决定责任：决定。\n4.送达责任：送达。\n"
     "5.事后监管责任：开展监督检查。", ["受理", "审查", "决定", "送达", "事后监管"]),
]


@pytest.mark.parametrize("form,text,expected", FORMS, ids=[f[0] for f in FORMS])
def test_every_written_form_reads_as_its_stages(form, text, expected):
    reading = read_procedure(text)
    assert reading.form == PROCEDURE, form
    assert [stage.name for stage in reading.stages] == expected


def test_a_stage_keeps_its_own_text_and_no_one_elses():
    stages = read_procedure(FIRE).stages
    assert stages[0].text == "通过日常监督检查和投诉举报，发现违法行为，进行审查核实，进行受理"
    # the catch-all "8.其他…责任" ends 执行 and is no part of it
    assert stages[-1].text == "依照生效的行政处罚决定，自觉履行或强制执行"
    assert all(stage.text == "" for stage in read_procedure("1.受理阶段：\n2.审查阶段：").stages)


@pytest.mark.parametrize("text,post,limit", [
    ("1.受理（窗口受理岗，1个工作日）；2.审查（承办科室，3个工作日）；3.决定（分管领导，2个工作日）", "窗口受理岗", "1个工作日"),
    ("受理（综合窗口，即时）→审查（审批科）→决定", "综合窗口", "即时"),
    ("1.受理：窗口工作人员接收材料（承办科室，3个工作日）。\n2.审查：审查材料（审核岗，5个工作日）", "承办科室", "3个工作日"),
    ("1.受理阶段：窗口收件。承办岗位：窗口受理岗；办理时限：1个工作日。\n2.审查阶段：审查。", "窗口受理岗", "1个工作日"),
])
def test_posts_and_limits_are_taken_when_the_text_states_them(text, post, limit):
    first = read_procedure(text).stages[0]
    assert (first.post, first.limit) == (post, limit)


def test_a_closing_bracket_read_as_post_and_limit_leaves_the_text():
    first = read_procedure("1.受理：接收材料（窗口受理岗，1个工作日）。\n2.审查：审查材料（依法）").stages
    assert (first[0].text, first[0].post, first[0].limit) == ("接收材料", "窗口受理岗", "1个工作日")
    assert (first[1].text, first[1].post) == ("审查材料（依法）", None)


def test_posts_and_limits_are_not_made_up():
    stages = read_procedure(FIRE).stages
    assert all(stage.post is None and stage.limit is None for stage in stages)
    # a bracket saying something else is neither a post nor a limit
    assert read_procedure("1.受理（依法）：收件\n2.审查：审查").stages[0].post is None


@pytest.mark.parametrize("text,form", [
    (XINJIANG_DUTIES, DUTIES),
    ("直接实施责任：1.依法依规实施本级行政强制事项\n指导监督责任：2.对下级行政机关在执法实践中进行指导监督。", DUTIES),
    # a duty list that looks like stages: numbered, named, with colons — but every name is a duty
    ("1.监管责任：建立监督检查制度。\n2.指导监督责任：指导下级。\n3.追责：依法追究责任。", DUTIES),
    ("1.监督责任。对被许可人进行监督检查。\n2.其他法律法规规章文件规定应履行的责任。", DUTIES),
    # an accountability list (追责情形) written in 责任事项
    ("1.没有法定的行政处罚依据的；\n2.擅自改变行政处罚的种类、幅度的；\n3.违反法定的行政处罚程序的。", DUTIES),
    ("因不履行或不正确履行行政职责，有下列情形的，依法追究责任", DUTIES),
    # one stage is a sentence, not a procedure
    ("1.受理阶段：收件。", FREE_TEXT),
    ("依法实施行政许可", FREE_TEXT),
    ("", EMPTY),
    (None, EMPTY),
    ("   \n ", EMPTY),
])
def test_classification(text, form):
    assert classify_procedure_text(text) == form
    if form != PROCEDURE:
        assert read_procedure(text).stages == ()


def test_duties_are_never_drawn_as_steps():
    text = ("直接实施责任：\n1.受理责任：公示材料。\n2.审查责任：审查。\n3.监督责任：建立健全监督制度。\n"
            "指导监督责任：\n1.指导下级。")
    reading = read_procedure(text)
    assert [s.name for s in reading.stages] == ["受理", "审查"]
    assert {"直接实施", "监督", "指导监督"} <= set(reading.duties)
    assert all("监督" not in s.name for s in reading.stages)


def test_a_catch_all_duty_run_on_to_the_last_stage_is_cut_off():
    stages = read_procedure("1.受理阶段：收件\n2.执行阶段：执行６．其他法律法规规章文件规定应履行的责任。").stages
    assert [(s.name, s.text) for s in stages] == [("受理", "收件"), ("执行", "执行")]


def test_numbers_inside_a_stage_are_not_stages():
    text = "1.受理阶段：自受理之日起3.5个工作日内审查，依据第5.2条。\n2.审查阶段：审查。"
    assert names(text) == ["受理", "审查"]


def test_dashes_in_ordinary_text_are_no_chain():
    assert classify_procedure_text("办理时间：2024-01-01至2024-12-31") != PROCEDURE
    assert classify_procedure_text("GB-T-39046") != PROCEDURE


# --- hostile cells -------------------------------------------------------------------------

def test_a_hundred_stages_read_in_order():
    text = "\n".join(f"{i}.第{i}号审查阶段：审查第{i}项材料。" for i in range(1, 101))
    stages = read_procedure(text).stages
    assert len(stages) == 100 and stages[0].name == "第1号审查" and stages[-1].name == "第100号审查"
    process = build_graph(power(duty=text))
    assert process.source == "duty" and process.source_zh == "清单所列责任事项（100 个阶段）"
    chain = [process.graph.nodes[n]["name"] for n in __import__("networkx").topological_sort(process.graph)]
    assert chain[1:3] == ["第1号审查", "第2号审查"] and chain[-2] == "第100号审查"


def test_a_huge_cell_is_read_in_linear_time():
    text = ("1.受理阶段：" + "审查材料，" * 20000 + "\n2.审查阶段：" + "（" * 5000 + "审查" + "→" * 5000) * 3
    started = time.perf_counter()
    read_procedure(text)
    read_procedure("、" * 100_000 + "-" * 100_000)
    assert time.perf_counter() - started < 5


def test_control_characters_and_odd_spaces_do_not_break_reading():
    text = "1.\u3000受理阶段：\x00收件\u200b\r\n2.审查阶段\t：审查"
    assert names(text) == ["受理", "审查"]


# --- the graph: which source, in which order, where each step stands --------------------------

def power(**fields) -> Power:
    base = dict(source=Source("清单.xlsx", "Sheet1", 7), name="对过失引起火灾的处罚", category="行政处罚",
                code="650200207CF48600", columns={"duty": "R"})
    base.update(fields)
    return Power(**base)


def test_source_order_own_steps_then_written_stages_then_template():
    own = Step(source=Source("清单.xlsx", "运行流程", 3), code="650200207CF48600", step_id="1", name="立案",
               kind="开始", next="2")
    end = Step(source=Source("清单.xlsx", "运行流程", 4), code="650200207CF48600", step_id="2", name="结案", kind="结束")
    assert build_graph(power(duty=FIRE, steps=[own, end])).source_zh == "单位填报的运行流程"
    assert build_graph(power(duty=FIRE)).source_zh == "清单所列责任事项（7 个阶段）"
    assert build_graph(power(duty=XINJIANG_DUTIES)).source_zh == "法定程序通用流程"
    assert build_graph(power(duty=None)).source == "template"


def test_a_procedure_column_comes_before_the_duty_column():
    item = Power(source=Source("清单.xlsx", "Sheet1", 7), name="x", category="行政许可", duty=FIRE,
                 columns={"duty": "R", "procedure": "S"}, procedure="受理（窗口，1个工作日）→审查→决定")
    process = build_graph(item)
    assert process.source_zh == "清单所列办理流程（3 个阶段）"
    written = written_procedure(item)
    assert written.field == "procedure" and written.steps[0].columns["name"] == "S"
    item.procedure = "按规定办理"  # not a procedure: the 责任事项 stages are next
    assert build_graph(item).source_zh == "清单所列责任事项（7 个阶段）"


def test_each_stage_is_a_step_placed_at_its_cell():
    written = written_procedure(power(duty=FIRE))
    assert [s.step_id for s in written.steps] == [str(i) for i in range(1, 8)]
    first = written.steps[0]
    assert (first.source.file, first.source.sheet, first.source.row, first.columns["name"]) == ("清单.xlsx", "Sheet1", 7, "R")
    assert first.code == "650200207CF48600" and first.kind == "办理" and first.next == "2"
    assert written.steps[-1].next is None
    assert first.control.startswith("通过日常监督检查")


def test_the_chart_draws_stages_with_their_duties_and_says_where_they_come_from():
    process = build_graph(power(duty=FIRE, office="各区消防救援大队"))
    graph = process.graph
    stages = [n for n, d in graph.nodes(data=True) if d["kind"] == "task"]
    assert [graph.nodes[n]["name"] for n in sorted(stages)] == ["受理", "调查取证", "审查", "告知", "决定", "送达", "执行"]
    # a post is drawn only when the text states one (the header already gives the 承办机构)
    assert all(graph.nodes[n]["post"] is None for n in stages)
    dot = to_dot(process, "克拉玛依市消防救援支队")
    assert "流程来源：清单所列责任事项（7 个阶段）" in dot
    assert "<B>责任</B>" in dot and "其他法律法规" not in dot


def test_a_long_stage_text_is_shortened_on_the_chart_only():
    long = "1.受理阶段：" + "审查核实材料。" * 30 + "\n2.审查阶段：审查。"
    process = build_graph(power(duty=long))
    note = process.graph.nodes["d1"]["duty"]
    assert note.endswith("…") and len(note) <= 62
    assert process.graph.nodes["d1"]["step"].control.count("审查核实材料") == 30


# --- real workbook, through the reader ------------------------------------------------------

HEADERS = ["序号", "事项名称", "权力类型", "职权编码", "实施依据", "行使主体", "承办机构", "公开方式", "责任事项内容"]


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "权责清单"
    sheet.append(["某县消防救援大队权责清单"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_stages_read_from_a_workbook_keep_their_cell(tmp_path):
    path = _workbook(tmp_path / "消防.xlsx", [
        [1, "对过失引起火灾的处罚", "行政处罚", "650200207CF48600", "《中华人民共和国消防法》第六十四条", "某县消防救援大队", "防火监督科",
         "主动公开", FIRE],
        [2, "公众聚集场所投入使用营业前消防安全检查", "行政许可", "650200207XK01600", "《中华人民共和国消防法》第十五条",
         "某县消防救援大队", "防火监督科", "主动公开", XINJIANG_DUTIES],
    ])
    catalogue = load([str(path)])
    penalty, licence = catalogue.powers
    process = build_graph(penalty)
    assert process.source == "duty"
    step = process.graph.nodes["d1"]["step"]
    assert (step.source.sheet, step.source.row, step.columns["name"]) == ("权责清单", 3, "I")
    assert build_graph(licence).source == "template"


def test_the_fire_list_reads_as_74_seven_stage_procedures(real_lists):
    catalogue = load([str(real_lists / "克拉玛依市2025年消防监督执法权责清单.xlsx")])
    processes = [build_graph(p) for p in catalogue.powers]
    seven = [p for p in processes if p.source_zh == "清单所列责任事项（7 个阶段）"]
    assert len(seven) == 74
    first = seven[0].graph
    assert [first.nodes[f"d{i}"]["name"] for i in range(1, 8)] == ["受理", "调查取证", "审查", "告知", "决定", "送达", "执行"]
    assert not [p for p in processes if p.source == "template"]


def test_the_shared_lists_draw_79_charts_from_their_written_stages(real_lists):
    """Measured on the 15 shared lists (2,172 powers): before, 3 drew from 责任事项 (two of them
    with 监管/监督 drawn as steps) and 2,169 from the template; now 79 from their stages."""
    catalogue = load(sorted(str(p) for p in real_lists.iterdir() if p.suffix in (".xls", ".xlsx")))
    processes = [build_graph(p) for p in catalogue.powers]
    staged = [p for p in processes if p.source == "duty"]
    assert len(processes) == 2172 and len(staged) == 79
    assert not [p for p in processes if p.source == "steps"]
    drawn = {p.graph.nodes[n]["name"] for p in staged for n in p.graph.nodes}
    assert not {"监管", "监督", "指导监督", "直接实施"} & drawn


# --- a 办理流程/运行流程 column beside 事项名称 ------------------------------------------------

PROCEDURE_CELL = "１．受理（窗口受理岗，1个工作日）：收取申请材料\n２．审查（审批科，5个工作日）：审查材料\n３．决定：作出决定"


@pytest.mark.parametrize("header", ["办理流程", "办理程序", "工作流程", "运行流程", "流程"])
def test_a_procedure_column_in_a_power_sheet_is_read_and_drawn(tmp_path, header):
    book = Workbook()
    sheet = book.active
    sheet.title = "行政许可（含运行流程）"  # the sheet's name and a 运行流程 header keep it a power list
    sheet.append(["某县住房和城乡建设局权责清单"])
    sheet.append(["序号", "事项名称", "权力类型", "职权编码", "实施依据", header, "责任事项"])
    sheet.append([1, "建筑工程施工许可", "行政许可", "650200001XK00100", "《中华人民共和国建筑法》第七条", PROCEDURE_CELL,
                  FIRE])
    steps = book.create_sheet("运行流程")  # the unit's own steps sheet is still read as steps
    steps.append(["职权编码", "环节编号", "环节名称", "环节类型", "下一环节"])
    steps.append(["650200001XK00200", "1", "受理", "开始", "2"])
    steps.append(["650200001XK00200", "2", "办结", "结束", ""])
    book.save(tmp_path / "清单.xlsx")
    source = load([str(tmp_path / "清单.xlsx")]).files[0]
    assert [(s.name, s.kind, s.items) for s in source.sheets] == [("行政许可（含运行流程）", "powers", 1), ("运行流程", "steps", 2)]
    (item,) = source.powers
    assert item.procedure == PROCEDURE_CELL and item.columns["procedure"] == "F"
    process = build_graph(item)
    assert process.source_zh == "清单所列办理流程（3 个阶段）"  # before 责任事项's seven stages
    graph = process.graph
    first = graph.nodes["d1"]
    assert (first["name"], first["post"], first["limit"]) == ("受理", "窗口受理岗", "1个工作日")
    assert (first["step"].source.row, first["step"].columns["name"]) == (3, "F")
    assert "流程来源：清单所列办理流程（3 个阶段）" in to_dot(process, "某县住房和城乡建设局")


def test_a_procedure_continued_on_the_next_row_is_kept(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "事项名称", "权力类型", "办理流程"])
    sheet.append([1, "建筑工程施工许可", "行政许可", "１．受理：收取申请材料"])
    sheet.append([None, None, None, "２．审查：审查材料"])
    book.save(tmp_path / "清单.xlsx")
    (item,) = load([str(tmp_path / "清单.xlsx")]).powers
    assert item.procedure == "１．受理：收取申请材料\n２．审查：审查材料"
    assert build_graph(item).source_zh == "清单所列办理流程（2 个阶段）"


@pytest.mark.parametrize("header", [["序号", "事项名称", "办理流程"], ["事项名称", "运行流程"], ["职权编码", "事项名称", "子项名称", "流程"]])
def test_a_sheet_of_procedures_alone_is_not_read_as_more_powers(tmp_path, header):
    book = Workbook()
    sheet = book.active
    sheet.title = "职权目录"
    sheet.append(["序号", "事项名称", "权力类型", "职权编码", "实施依据"])
    sheet.append([1, "建筑工程施工许可", "行政许可", "650200001XK00100", "《中华人民共和国建筑法》第七条"])
    companion = book.create_sheet("办理流程")
    companion.append(header)
    companion.append([{"序号": 1, "职权编码": "650200001XK00100", "子项名称": None}.get(h, "建筑工程施工许可")
                      if "流程" not in h else "1.受理：收件\n2.审查：审查" for h in header])
    book.save(tmp_path / "清单.xlsx")
    source = load([str(tmp_path / "清单.xlsx")]).files[0]
    assert [p.category for p in source.powers] == ["行政许可"]  # not a second, uncategorised copy
    (skipped,) = [s for s in source.sheets if s.name == "办理流程"]
    assert (skipped.name, skipped.kind, skipped.items) == ("办理流程", "none", 0)
    assert "办理流程表而不是权力清单" in skipped.reason
