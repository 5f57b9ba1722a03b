"""Builds the demo's sample registers (《重要行政权力动态运行情况登记表》) for three agencies of
the fictional 青川市, over 2025, in both shapes: case rows (运行记录 sheet) and event logs
(环节记录 sheet, and one GB18030 CSV export). Run `make cases` (or this script) after
editing; the outputs are committed under data/办件登记/, a folder the list reader skips.

The cases follow each power's process (its 运行流程 steps, else its category's statutory
procedure) with step times inside their limits; then the defects listed in data/README.md
are planted on cases whose id ends in -P01 … . Every party is invented, and the ID-card and
phone numbers are fictional (they exist to test masking).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from powercat.atomic import atomic_path  # noqa: E402
from powercat.workdays import default_calendar  # noqa: E402
from powercat.cases.conformance import random_run, role  # noqa: E402
from powercat.cases.link import PowerIndex  # noqa: E402
from powercat.cases.mask import is_uscc, org_code_check_char, uscc_check_char  # noqa: E402
from powercat.ingest import load  # noqa: E402
from powercat.ingest.template import RECORD_COLUMNS  # noqa: E402
from powercat.timing import parse_limit  # noqa: E402

OUT = HERE / "办件登记"
CAL = default_calendar()
AS_OF = dt.date(2025, 12, 31)

AGENCIES = {
    "青川市市场监督管理局": ("101", "青市监"),
    "青川市交通运输局": ("202", "青交运"),
    "青川市应急管理局": ("303", "青应急"),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红云飞海波宁晨浩然梓涵雨欣子轩思远嘉怡"
FIRMS = ["餐饮管理有限公司", "食品商行", "物流有限公司", "汽车运输有限公司", "建设工程有限公司", "化工贸易有限公司",
         "烟花爆竹经营部", "超市有限公司", "机电设备有限公司", "客运有限公司"]
PLACES = ["清河", "青山", "石桥", "南湖", "北关", "柳林", "双溪", "东坪", "云台", "白鹭"]
HEADERS = [header for header, _field, _w, _n in RECORD_COLUMNS]
FIELDS = [field for _header, field, _w, _n in RECORD_COLUMNS]
EVENT_HEADERS = ["办件编号", "职权编码", "环节", "开始", "完成", "承办岗位"]


def fake_id(rng: random.Random) -> str:
    """A well-formed fictional 18-digit ID-card number (region 519901 does not exist)."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 16000))
    body = f"519901{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


def fake_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(0, 10)}{rng.randrange(10000000, 99999999)}"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def firm(rng: random.Random) -> tuple[str, str]:
    """A fictional firm and its unified social credit code: 9 (registered by 市场监管) 1 (企业),
    region 519901, an organisation code with its GB 11714 check character, and the GB 32100
    check character, so the code reads as valid (an invalid one is not published)."""
    name = "青川市" + rng.choice(PLACES) + rng.choice(FIRMS)
    drawn = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    rng.choice("0123456789")  # drawn as before, so the other random choices of the sample stay the same
    for first in (drawn[0], "M"):  # an all-digit code that reads as an ID card is not taken for a code: a letter then
        body = "91519901" + first + drawn[1:8] + org_code_check_char(first + drawn[1:8])
        code = body + uscc_check_char(body)
        if is_uscc(code):
            break
    return name, code


def workday_on_or_after(day: dt.date) -> dt.date:
    while not CAL.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def step_days(net, label: str, category: str, rng: random.Random) -> int:
    data = net.graph.nodes[net.labels[label]]
    limit = parse_limit(data.get("limit")) if data.get("limit") else None
    cap = 2
    if limit is not None and limit.longest.unit in ("工作日", "日"):
        cap = min(cap, int(limit.longest.amount))
    return rng.randint(0, max(cap, 0))


class Case:
    def __init__(self, row: dict, events: list[list]):
        self.row, self.events = row, events


def make_case(linked, case_id: str, accepted: dt.date, rng: random.Random) -> Case | None:
    net = linked.net
    labels = random_run(net, rng)
    if labels is None:
        return None
    category = linked.category
    day = accepted
    events, dates = [], {}
    for label in labels:
        days = step_days(net, label, category, rng)
        if role(label) == "service":
            days = min(days, 2)
        end = CAL.add(day, days) if days else day
        post = net.graph.nodes[net.labels[label]].get("post") or "承办科室"
        events.append([case_id, linked.power.code, label, day, end, post])
        r = role(label)
        if r and r not in dates:
            dates[r] = end
        day = end
    # without a 决定 step the case ends with its written refusal, else at its last step
    decided = dates.get("decision") or dates.get("service") or day
    row = {"case_id": case_id, "power_code": linked.power.code, "accepted": dates.get("accept", accepted),
           "decided": decided, "served": dates.get("service"), "handler": person(rng)}
    if decided is not None:
        row["disclosed"] = CAL.add(decided, rng.randint(1, 5))
        row["disclosure_way"] = "主动公开"
        row["disclosure_scope"] = "社会公众"
    return Case(row, events)


def parties(row: dict, category: str, rng: random.Random, natural_share: float) -> None:
    if rng.random() < natural_share:
        row.update(party=person(rng), party_type="自然人", party_id=fake_id(rng))
    else:
        name, code = firm(rng)
        row.update(party=name, party_type="法人", party_id=code)
    if category == "行政许可":
        row["result"] = "准予许可"
    elif category == "行政处罚":
        row["result"] = f"警告，罚款{rng.choice((500, 1000, 2000, 5000, 10000))}元"
    elif row.get("decided"):
        row["result"] = rng.choice(("未发现问题", "责令限期整改")) if category == "行政检查" else "办结"


def build_agency(index: PowerIndex, agency: str, rng: random.Random, count: int):
    code3, doc_prefix = AGENCIES[agency]
    powers = [p for p in index.all if p.agency == agency and p.power.code]
    # cases of powers with their own steps are most common; withheld powers have a few
    weights = [0 if p.withheld else 4 if p.power.steps else 1 for p in powers]
    cases: list[Case] = []
    serial = 0
    while len(cases) < count:
        linked = rng.choices(powers, weights)[0]
        serial += 1
        accepted = workday_on_or_after(dt.date(2025, 1, 2) + dt.timedelta(days=rng.randrange(0, 320)))
        case_id = f"QC{code3}-2025-{serial:04d}"
        case = make_case(linked, case_id, accepted, rng)
        if case is None:
            continue
        parties(case.row, linked.category, rng, 0.7 if linked.category == "行政处罚" else 0.4)
        if case.row.get("decided"):
            letter = {"行政许可": "许", "行政处罚": "罚"}.get(linked.category, "决")
            case.row["doc_no"] = f"{doc_prefix}{letter}〔2025〕{serial}号"
        cases.append(case)
    return cases


def find(cases: list[Case], code_prefix: str, *, has: str | None = None, lacks: str | None = None,
         start: int = 0) -> Case:
    """The first clean case of a power whose code starts with code_prefix (and whose steps
    include `has` / lack `lacks`): a defect is planted on it."""
    for case in cases[start:]:
        labels = [e[2] for e in case.events]
        if case.row["power_code"].startswith(code_prefix) and "-P" not in case.row["case_id"] \
                and (has is None or has in labels) and (lacks is None or lacks not in labels) and case.row.get("decided"):
            return case
    raise LookupError(code_prefix)


def shift_from(case: Case, index: int, days: int) -> None:
    """Moves steps `index`… (and the decision, service and disclosure dates) `days` working
    days later: a wait between steps, which no step limit counts."""
    for event in case.events[index:]:
        event[3], event[4] = CAL.add(event[3], days), CAL.add(event[4], days)
    for key in ("decided", "served", "disclosed"):
        if case.row.get(key):
            case.row[key] = CAL.add(case.row[key], days)


def plant(by_agency: dict[str, list[Case]], index: PowerIndex, rng: random.Random) -> list[tuple[str, str, str]]:
    """The defects, each on its own case (renamed …-Pnn). Returns (case id, rule, what)."""
    planted = []
    market, transport, emergency = (by_agency[a] for a in AGENCIES)

    def mark(case: Case, n: int, code: str, what: str) -> None:
        old = case.row["case_id"]
        new = old.rsplit("-", 1)[0] + f"-P{n:02d}"
        case.row["case_id"] = new
        for event in case.events:
            event[0] = new
        planted.append((new, code, what))

    # 1. a late step: 审查 (4个工作日) takes 9
    case = find(market, "519901101XK001", has="审查")
    i = next(k for k, e in enumerate(case.events) if e[2] == "审查")
    delta = 9 - CAL.between(case.events[i][3], case.events[i][4])
    case.events[i][4] = CAL.add(case.events[i][3], 9)
    shift_from(case, i + 1, delta)
    mark(case, 1, "case-step-over-limit", "审查 took 9 working days against its limit of 4, which put the case past its promised 10")
    # 2. a missing 告知 before a penalty decision
    case = find(market, "519901101CF001", has="告知", lacks="听证")
    case.events = [e for e in case.events if e[2] != "告知"]
    mark(case, 2, "case-notice-missing", "the 告知 step removed before the 决定 of a penalty")
    # 3. disclosure after 9 working days
    case = find(transport, "519901202XK001")
    case.row["disclosed"] = CAL.add(case.row["decided"], 9)
    mark(case, 3, "case-disclosure-late", "a 许可 decision disclosed on the 9th working day (limit 7)")
    # 4. late only when the 调休 make-up Saturday counts: decided Wed 2025-02-05, disclosed Fri 02-14:
    #    8 working days with Saturday 02-08 (a 春节 make-up day), 7 counting Monday–Friday only
    case = find(transport, "519901202XK003", start=1)
    _move_decision(case, dt.date(2025, 2, 5))
    case.row["disclosed"] = dt.date(2025, 2, 14)
    mark(case, 4, "case-disclosure-late", "decided 2025-02-05, disclosed 2025-02-14: late only because Saturday 02-08 is a working day")
    # 5. the same at 国庆: a penalty decided Thu 2025-10-09, served Mon 10-20 — 8 working days with
    #    Saturday 10-11, 7 without
    case = find(emergency, "519901303CF004", has="送达")
    _move_decision(case, dt.date(2025, 10, 9))
    i = next(k for k, e in enumerate(case.events) if e[2] == "送达")
    case.events[i][3], case.events[i][4] = dt.date(2025, 10, 9), dt.date(2025, 10, 20)
    later = case.events[i + 1:]
    day = dt.date(2025, 10, 20)
    for e in later:
        e[3], e[4] = day, CAL.add(day, 1)
        day = e[4]
    case.row["served"] = dt.date(2025, 10, 20)
    case.row["disclosed"] = dt.date(2025, 10, 15)
    mark(case, 5, "case-service-late", "decided 2025-10-09, served 2025-10-20: late only because Saturday 10-11 is a working day")
    # 6. an ID-card number (and a phone number) in a free-text cell
    case = find(emergency, "519901303XK001")
    case.row["remark"] = f"申请人{case.row['party'] if case.row.get('party_type') == '自然人' else person(rng)}" \
                         f"（身份证号{fake_id(rng)}，电话{fake_phone(rng)}）补交了材料"
    mark(case, 6, "case-personal-data", "an ID-card number and a phone number typed into 备注")
    # 7. steps out of order: 决定 before 审查
    case = find(market, "519901101XK001", has="审查", start=5)
    labels = [e[2] for e in case.events]
    a, b = labels.index("审查"), labels.index("决定")
    case.events[a][2], case.events[b][2] = "决定", "审查"
    mark(case, 7, "case-step-order", "审查 and 决定 swapped")
    # 8. a hearing requested and not held
    case = find(market, "519901101CF001", has="告知", lacks="听证", start=3)
    case.row["hearing_requested"] = "是"
    mark(case, 8, "case-hearing-missing", "是否申请听证 = 是, no 听证 step")
    # 9. no 法制审核 before the decision
    case = find(emergency, "519901303CF004", has="法制审核", start=0)
    case.events = [e for e in case.events if e[2] != "法制审核"]
    mark(case, 9, "case-legal-review-missing", "the 法制审核 step removed")
    # 10. an extension with no approval, past the statutory limit
    case = find(transport, "519901202XK004", start=0)
    case.row["extension_days"] = "10"
    case.row["extension_reason"] = "情况复杂"
    d = case.row["decided"]
    shift = CAL.between(case.row["accepted"], d)
    _delay_decision(case, 21 - shift)
    mark(case, 10, "case-extension-unapproved", "延期 10 days without 延期批准人; decided on the 21st working day (statutory 20)")
    # 11. a suspension for a reason the law does not exclude
    case = find(market, "519901101XK005", start=0)
    start = CAL.add(case.row["accepted"], 1)
    case.row.update(suspend_start=start, suspend_end=CAL.add(start, 3), suspend_reason="等待领导批示", suspend_approval="局长")
    mark(case, 11, "case-suspension-not-excluded", "中止 for 等待领导批示 (not a 许可法 Art. 45 reason)")
    # 12. a case linked to no power
    case = find(transport, "519901202CF001", start=0)
    case.row["power_code"] = "519901202CF09900"
    for e in case.events:
        e[1] = "519901202CF09900"
    mark(case, 12, "case-power-unknown", "职权编码 519901202CF09900 is in no list")
    # 13. an open case past its limit, and 14. one due within 5 working days (as of 2025-12-31)
    for n, accepted, code in ((13, dt.date(2025, 11, 3), "case-open-overdue"), (14, _back(AS_OF, 9), "case-due-soon")):
        case = find(market, "519901101XK001", has="审查", lacks="补正材料", start=10 + n)
        _move(case, accepted)
        case.events = case.events[:3]
        for key in ("decided", "served", "disclosed", "doc_no", "result", "disclosure_way", "disclosure_scope"):
            case.row.pop(key, None)
        mark(case, n, code, f"accepted {accepted}, still open on {AS_OF}")
    # 15. an excluded period that keeps a case on time (clean, not a defect): 检测 for 5 working days
    case = find(transport, "519901202XK004", start=3)
    d = case.row["decided"]
    case.row.update(suspend_start=CAL.add(case.row["accepted"], 1), suspend_end=CAL.add(case.row["accepted"], 5),
                    suspend_reason="技术检测", suspend_approval="分管副局长")
    _delay_decision(case, 17 - CAL.between(case.row["accepted"], d))
    planted.append((case.row["case_id"], "—", "clean: decided on the 17th working day, 5 of them 技术检测 (excluded): 12 counted, within the promised 15"))
    # 16. cases of a withheld power (国防交通战备设施安全检查) stay internal
    linked = next(p for p in index.all if p.power.code == "519901202JC00400")
    case = None
    while case is None:
        case = make_case(linked, "QC202-2025-9999", dt.date(2025, 6, 10), rng)
    parties(case.row, linked.category, rng, 0.0)
    transport.append(case)
    mark(case, 16, "case-power-withheld", "a case of the withheld 国防交通战备设施安全检查: internal only")
    return planted


def _back(day: dt.date, n: int) -> dt.date:
    while n:
        day -= dt.timedelta(days=1)
        n -= CAL.is_workday(day)
    return day


def _move(case: Case, accepted: dt.date) -> None:
    """Moves the whole case so that its first step starts on `accepted`."""
    first = case.events[0][3]
    for event in case.events:
        event[3] = CAL.add(accepted, CAL.between(first, event[3]))
        event[4] = CAL.add(accepted, CAL.between(first, event[4]))
    for key in ("accepted", "decided", "served", "disclosed"):
        if case.row.get(key):
            case.row[key] = CAL.add(accepted, CAL.between(first, case.row[key]))


def _move_decision(case: Case, day: dt.date) -> None:
    """Moves the whole case so that its decision falls on `day` (a working day)."""
    _move(case, _back(day, CAL.between(case.events[0][3], case.row["decided"])))
    assert case.row["decided"] == day, (case.row["decided"], day)


def _delay_decision(case: Case, days: int) -> None:
    if days > 0:
        shift_from(case, next(k for k, e in enumerate(case.events) if role(e[2]) == "decision"), days)


def cell(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def write_xlsx(path: Path, cases: list[Case], with_events: bool) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "运行记录"
    sheet.append(["青川市重要行政权力动态运行情况登记表（2025年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    for case in cases:
        sheet.append([cell(case.row.get(f)) for f in FIELDS])
        for c in sheet[sheet.max_row]:
            c.data_type = "s"
    if with_events:
        log = book.create_sheet("环节记录")
        log.append(EVENT_HEADERS)
        for case in cases:
            for event in case.events:
                log.append([cell(v) for v in event])
    with atomic_path(path) as tmp:
        book.save(tmp)


def write_csv(path: Path, cases: list[Case]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EVENT_HEADERS)
    for case in cases:
        for event in case.events:
            writer.writerow([cell(v) for v in event])
    with atomic_path(path) as tmp:
        tmp.write_bytes(buffer.getvalue().encode("gb18030"))


def main() -> list[tuple[str, str, str]]:
    rng = random.Random(20250101)
    index = PowerIndex(load([str(HERE)]))
    by_agency = {agency: build_agency(index, agency, rng, count) for agency, count in
                 (("青川市市场监督管理局", 140), ("青川市交通运输局", 110), ("青川市应急管理局", 110))}
    planted = plant(by_agency, index, rng)
    OUT.mkdir(exist_ok=True)
    write_xlsx(OUT / "青川市市场监督管理局办件登记.xlsx", by_agency["青川市市场监督管理局"], with_events=True)
    write_xlsx(OUT / "青川市交通运输局办件登记.xlsx", by_agency["青川市交通运输局"], with_events=True)
    write_xlsx(OUT / "青川市应急管理局办件登记.xlsx", by_agency["青川市应急管理局"], with_events=False)
    write_csv(OUT / "青川市应急管理局环节记录.csv", by_agency["青川市应急管理局"])
    for case_id, code, what in planted:
        print(f"| {case_id} | `{code}` | {what} |")
    return planted


if __name__ == "__main__":
    main()
