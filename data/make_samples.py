"""Builds the demo's sample workbooks: three fictional agencies of the fictional 青川市 in
the standard template, and one in the published 权责清单 style (title row, merged cells,
one sheet per category). Run `make samples` after editing; the outputs are committed.

The agencies are invented; the laws and article numbers they cite are real (checked
against ../shared/laws). The defects planted on purpose are listed in data/README.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from powercat.atomic import atomic_path  # noqa: E402
from powercat.ingest.template import write_workbook  # noqa: E402

REGION = "519901"  # fictional 行政区划 code of 青川市
CATEGORY_LETTERS = {"行政许可": "XK", "行政处罚": "CF", "行政强制": "QZ", "行政征收": "ZS", "行政给付": "JF",
                    "行政检查": "JC", "行政确认": "QR", "行政奖励": "JL", "行政裁决": "CJ", "其他行政权力": "QT"}

FOOD = "【法律】《中华人民共和国食品安全法》（2021年4月29日第二次修正）"
SPECIAL = "【法律】《中华人民共和国特种设备安全法》"
AD = "【法律】《中华人民共和国广告法》（2021年4月29日修正）"
METROLOGY = "【法律】《中华人民共和国计量法》（2018年10月26日修正）"
PRICE = "【法律】《中华人民共和国价格法》"
QUALITY = "【法律】《中华人民共和国产品质量法》（2018年12月29日修正）"
PENALTY_LAW = "【法律】《中华人民共和国行政处罚法》（2021年1月22日修订）"
LICENSING_LAW = "【法律】《中华人民共和国行政许可法》"
HIGHWAY = "【法律】《中华人民共和国公路法》（2017年11月4日修正）"
ROAD = "【行政法规】《中华人民共和国道路运输条例》（2023年7月20日第五次修订）"
SAFETY = "【法律】《中华人民共和国安全生产法》（2021年6月10日修正）"
HAZCHEM = "【行政法规】《危险化学品安全管理条例》（国务院令第645号）"
FIREWORKS = "【行政法规】《烟花爆竹安全管理条例》"
TOURISM = "【法律】《中华人民共和国旅游法》（2018年10月26日修正）"
RELICS = "【法律】《中华人民共和国文物保护法》（2024年11月8日修订）"
SHOWS = "【行政法规】《营业性演出管理条例》"
VENUES = "【行政法规】《娱乐场所管理条例》"

RIGHTS_LICENSING = "陈述、申辩；依法申请听证；对决定不服的，可自知道之日起60日内申请行政复议或6个月内提起行政诉讼"
RIGHTS_PENALTY = "陈述、申辩；符合条件的可要求听证；可自知道之日起60日内申请行政复议或6个月内提起行政诉讼"
DUTY_LICENSING = ("1.受理责任：公示申请条件和材料，一次性告知补正内容。\n2.审查责任：审查申请材料，组织现场核查。\n"
                  "3.决定责任：作出准予或者不予许可的决定，不予许可的说明理由。\n4.送达责任：制发并送达许可证件。\n"
                  "5.事后监管责任：开展监督检查，依法处理违法行为。")
DUTY_PENALTY = ("1.立案责任：对发现的违法行为予以审查，决定是否立案。\n2.调查责任：两名以上执法人员调查取证，出示执法证件。\n"
                "3.审查责任：审查案件事实、证据和处罚建议，重大案件法制审核。\n4.告知责任：告知拟处罚的事实、理由、依据及陈述申辩、听证权利。\n"
                "5.决定责任：作出处罚决定，制作处罚决定书。\n6.送达责任：7日内送达处罚决定书。\n7.执行责任：监督当事人履行处罚决定。")


def power(category, name, basis, *, sub=None, office, statutory=None, promised=None, fee="不收费",
          disclosure="主动公开", exemption=None, remark=None, duty=None, conditions=None):
    return {
        "category": category, "name": name, "sub_name": sub, "basis": basis, "office": office,
        "statutory_limit": statutory, "promised_limit": promised, "fee": fee, "disclosure": disclosure,
        "exemption": exemption, "remark": remark, "duty": duty, "conditions": conditions,
    }


def numbered(agency_code: str, powers: list[dict], defaults: dict) -> list[dict]:
    """Gives each power its 16-character 职权编码 and the agency-wide defaults."""
    counters: dict[str, int] = {}
    out = []
    for item in powers:
        letters = CATEGORY_LETTERS[item["category"]]
        counters[letters] = counters.get(letters, 0) + 1
        row = {**defaults, **{k: v for k, v in item.items() if v is not None}}
        row["code"] = f"{REGION}{agency_code}{letters}{counters[letters]:03d}00"
        if row["category"] == "行政许可":
            row.setdefault("rights", RIGHTS_LICENSING)
            row.setdefault("duty", DUTY_LICENSING)
            row.setdefault("disclosure_time", "作出决定之日起7个工作日内")
        elif row["category"] == "行政处罚":
            row.setdefault("rights", RIGHTS_PENALTY)
            row.setdefault("duty", DUTY_PENALTY)
            row.setdefault("disclosure_time", "作出决定之日起7个工作日内")
        out.append(row)
    return out


# --- step patterns ---------------------------------------------------------------------

def licensing_with_decision(code, window, reviewer, leader, review_days="4个工作日", decide_days="3个工作日",
                            issue_days="2个工作日"):
    """受理 decides: 齐全 → 审查; 需补正 → 补正 (loops back); 不予受理 → 告知. 决定 decides too."""
    return [
        (code, "1", "申请", "开始", "申请人", None, "2", None, "公开申请条件、材料清单和办理时限"),
        (code, "2", "受理", "判断", window, "1个工作日", "材料齐全:3；需补正:7；不予受理:8", "一次性告知补正内容", None),
        (code, "3", "审查", "办理", reviewer, review_days, "4", "审查人与决定人分离", None),
        (code, "4", "决定", "判断", leader, decide_days, "准予许可:5；不予许可:8", "集体讨论（重大事项）", None),
        (code, "5", "制证送达", "办理", window, issue_days, "6", None, "作出决定之日起7个工作日内公开许可结果"),
        (code, "6", "办结", "结束", None, None, None, None, None),
        (code, "7", "补正材料", "办理", "申请人", "5日", "2", None, None),
        (code, "8", "书面告知理由及救济途径", "办理", window, "1个工作日", "6", None, None),
    ]


def licensing_parallel(code, window, inspector, expert, leader, check_days="5个工作日"):
    """受理 → 现场核查 ∥ 技术审查 → 决定 (判断) → 送达 / 告知."""
    return [
        (code, "1", "申请", "开始", "申请人", None, "2", None, None),
        (code, "2", "受理", "办理", window, "1个工作日", "3,4", "一次性告知补正内容", None),
        (code, "3", "现场核查", "办理", inspector, check_days, "5", "两人以上核查并记录", None),
        (code, "4", "技术审查", "办理", expert, check_days, "5", "专家回避制度", None),
        (code, "5", "决定", "判断", leader, "2个工作日", "准予:6；不予许可:7", "法制审核", None),
        (code, "6", "制证送达", "办理", window, "1个工作日", "8", None, "作出决定之日起7个工作日内公开"),
        (code, "7", "书面告知理由及救济途径", "办理", window, "1个工作日", "8", None, None),
        (code, "8", "办结", "结束", None, None, None, None, None),
    ]


def licensing_sequential_reviews(code, window, first, second, leader):
    """Two reviews by different offices one after the other: a 并联审批 opportunity."""
    return [
        (code, "1", "申请", "开始", "申请人", None, "2", None, None),
        (code, "2", "受理", "办理", window, "1个工作日", "3", "一次性告知补正内容", None),
        (code, "3", "车辆技术条件核查", "办理", first, "1个工作日", "4", None, None),
        (code, "4", "安全生产条件审查", "办理", second, "1个工作日", "5", None, None),
        (code, "5", "决定", "判断", leader, "1个工作日", "准予:6；不予许可:7", "法制审核", None),
        (code, "6", "发证", "办理", window, "1个工作日", "8", None, "作出决定之日起7个工作日内公开"),
        (code, "7", "书面告知理由及救济途径", "办理", window, "1个工作日", "8", None, None),
        (code, "8", "办结", "结束", None, None, None, None, None),
    ]


def penalty_with_hearing(code, officer, legal, leader):
    return [
        (code, "1", "立案", "开始", officer, "3日", "2", "立案审批", None),
        (code, "2", "调查取证", "办理", officer, "20日", "3", "两名以上执法人员，出示执法证件", None),
        (code, "3", "法制审核", "办理", legal, "5个工作日", "4", "重大执法决定法制审核", None),
        (code, "4", "告知", "判断", officer, "3日", "要求听证:5；陈述申辩:6；放弃:6", "告知陈述、申辩、听证权利", None),
        (code, "5", "听证", "办理", legal, "10日", "6", "听证主持人回避", "听证7日前通知当事人"),
        (code, "6", "决定", "办理", leader, "5个工作日", "7", "集体讨论（情节复杂或重大违法）", None),
        (code, "7", "送达", "办理", officer, "7日", "8", None, "作出决定之日起7个工作日内公开行政处罚决定"),
        (code, "8", "执行", "办理", officer, "15日", "9", "罚缴分离", None),
        (code, "9", "结案归档", "结束", officer, None, None, None, None),
    ]


def inspection(code, inspector, leader):
    return [
        (code, "1", "制定检查计划", "开始", leader, None, "2", "双随机抽取检查对象", "公开抽查计划"),
        (code, "2", "实施检查", "办理", inspector, "5个工作日", "3", "两名以上执法人员", None),
        (code, "3", "是否发现问题", "判断", inspector, "1个工作日", "是:4；否:5", None, None),
        (code, "4", "责令整改或立案查处", "办理", inspector, "10个工作日", "5", None, None),
        (code, "5", "归档并公开结果", "结束", inspector, "20个工作日", None, None, "检查结果20个工作日内公示"),
    ]


STEP_FIELDS = ("code", "step_id", "name", "kind", "post", "limit", "next", "control", "disclosure")


def steps_rows(*patterns):
    return [dict(zip(STEP_FIELDS, step)) for pattern in patterns for step in pattern]


# --- agency 1: 市场监督管理局 ----------------------------------------------------------------

def market() -> tuple[dict, list[dict], list[dict]]:
    info = {"name": "青川市市场监督管理局", "credit_code": "11519901MB0000101X", "region": "青川市",
            "version": "2025年版", "published": "2025-03-01", "phone": "0888-12315"}
    p = [
        power("行政许可", "食品经营许可", f"{FOOD}\n第三十五条第一款", sub="食品经营许可证核发",
              office="食品经营安全监督管理科", statutory="20个工作日", promised="10个工作日"),
        power("行政许可", "食品经营许可", f"{FOOD}\n第三十五条第一款", sub="食品经营许可证变更",
              office="食品经营安全监督管理科", statutory="20个工作日", promised="5个工作日"),
        power("行政许可", "特种设备使用登记", f"{SPECIAL}\n第三十三条", office="特种设备安全监察科",
              statutory="15个工作日", promised="5个工作日",
              remark="法定时限依据《特种设备使用管理规则》"),
        power("行政许可", "特种设备安全管理和作业人员资格认定", f"{SPECIAL}\n第十四条", office="特种设备安全监察科",
              statutory="20个工作日", promised="15个工作日"),
        power("行政许可", "计量标准器具核准", f"{METROLOGY}\n第九条第一款", office="计量科",
              statutory="20个工作日", promised="25个工作日"),  # defect: promised above statutory
        power("行政处罚", "对未取得食品生产经营许可从事食品生产经营活动的处罚", f"{FOOD}\n第一百二十二条第一款",
              office="执法稽查科", statutory="90日", promised="60日"),
        power("行政处罚", "对生产经营腐败变质、超过保质期等不符合食品安全标准食品的处罚",
              f"{FOOD}\n第一百二十四条第一款第（四）项", office="执法稽查科", statutory="90日"),
        power("行政处罚", "对食品生产经营者未按规定建立并遵守进货查验记录制度的处罚",
              f"{FOOD}\n第一百二十六条第一款第（三）项", office="执法稽查科", statutory="90日"),
        power("行政处罚", "对发布虚假广告的处罚", f"{AD}\n第五十五条第一款", office="广告监督管理科", statutory="90日"),
        power("行政处罚", "对特种设备使用单位未按规定办理使用登记的处罚", f"{SPECIAL}\n第八十三条第（一）项",
              office="特种设备安全监察科", statutory="90日"),
        power("行政处罚", "对使用未经检验或者检验不合格的特种设备的处罚", f"{SPECIAL}\n第一百零五条",
              office="特种设备安全监察科", statutory="90日"),  # defect: the law has 101 articles
        power("行政处罚", "对销售未取得许可生产的特种设备的处罚", f"{SPECIAL}\n第八十二条第一款第（一）项",
              office="特种设备安全监察科", statutory="90日"),
        power("行政处罚", "对经营者不执行政府指导价、政府定价的处罚", f"{PRICE}\n第三十九条", office="价格监督检查科",
              statutory="90日"),
        power("行政处罚", "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的处罚",
              f"{QUALITY}\n第四十九条", office="执法稽查科", statutory="90日"),
        power("行政处罚", "对在产品中掺杂、掺假，以假充真，以次充好的处罚", f"{QUALITY}\n第五十条", office="执法稽查科",
              statutory="120日"),  # defect: above 处罚法 Art. 60's 90 days with no special rule cited
        power("行政强制", "查封、扣押不符合食品安全标准的食品", f"{FOOD}\n第一百一十条第（四）项",
              office="执法稽查科", statutory="30日"),
        power("行政强制", "查封、扣押不符合安全技术规范要求的特种设备", f"{SPECIAL}\n第六十一条第（三）项",
              office="特种设备安全监察科", statutory="30日"),
        power("行政检查", "食品生产经营监督检查", f"{FOOD}\n第一百一十条", office="食品经营安全监督管理科"),
        power("行政检查", "特种设备安全监督检查", f"{SPECIAL}\n第五十七条第一款", office="特种设备安全监察科"),
        power("行政检查", "产品质量监督抽查", f"{QUALITY}\n第十五条第一款", office="质量发展科"),
        power("行政奖励", "食品安全违法行为举报奖励", f"{FOOD}\n第一百一十五条第一款", office="投诉举报中心",
              statutory="60日"),
        power("其他行政权力", "对食品生产经营者进行责任约谈", f"{FOOD}\n第一百一十四条", office="食品经营安全监督管理科"),
        power("行政处罚", "对广告主、广告经营者发布违反禁止性规定广告的处罚", f"{AD}\n第五十八条第一款",
              office="广告监督管理科", statutory="90日"),
        power("行政确认", "计量器具型式批准确认", f"{METROLOGY}\n第十四条", office="计量科", statutory="20个工作日",
              promised="20个工作日"),
    ]
    powers = numbered("101", p, {"agency": info["name"], "level": "市级", "disclosure_scope": "社会公众",
                                  "complaint": "监督电话 0888-12315；青川市政务服务便民热线 12345"})
    code = {row["name"] + (row.get("sub_name") or ""): row["code"] for row in powers}
    steps = steps_rows(
        licensing_with_decision(code["食品经营许可食品经营许可证核发"], "政务服务窗口受理岗", "食品经营科审核岗", "分管副局长"),
        licensing_parallel(code["特种设备使用登记"], "政务服务窗口受理岗", "特种设备监察员", "检验技术岗", "科长",
                           "1个工作日"),
        licensing_with_decision(code["计量标准器具核准"], "政务服务窗口受理岗", "计量科审核岗", "分管副局长", "14个工作日"),
        penalty_with_hearing(code["对未取得食品生产经营许可从事食品生产经营活动的处罚"], "执法稽查科办案人员", "法规科审核岗", "局长"),
        penalty_with_hearing(code["对发布虚假广告的处罚"], "广告监督管理科办案人员", "法规科审核岗", "局长"),
        inspection(code["食品生产经营监督检查"], "食品经营科执法人员", "科长"),
        inspection(code["特种设备安全监督检查"], "特种设备监察员", "科长"),
        penalty_with_hearing(code["对使用未经检验或者检验不合格的特种设备的处罚"], "特种设备监察员", "法规科审核岗", "局长"),
    )
    return info, powers, steps


# --- agency 2: 交通运输局 ---------------------------------------------------------------------

def transport() -> tuple[dict, list[dict], list[dict]]:
    info = {"name": "青川市交通运输局", "credit_code": "11519901MB0000202Y", "region": "青川市",
            "version": "2025年版", "published": "2025-03-01", "phone": "0888-12328"}
    p = [
        power("行政许可", "道路旅客运输经营许可", f"{ROAD}\n第八条\n第十条", office="运输管理科",
              statutory="20日", promised="10个工作日"),
        power("行政许可", "道路旅客运输站（场）经营许可", f"{ROAD}\n第三十九条", office="运输管理科",
              statutory="15日", promised="10个工作日"),
        power("行政许可", "道路货物运输经营许可", f"{ROAD}\n第二十四条", office="运输管理科",
              statutory="20日", promised="5个工作日"),
        power("行政许可", "占用、挖掘公路或者使公路改线审批", f"{HIGHWAY}\n第四十四条第二款", office="公路管理科",
              statutory="20个工作日", promised="15个工作日"),
        power("行政许可", "跨越、穿越公路修建桥梁、渡槽或者架设、埋设管线等设施审批", f"{HIGHWAY}\n第四十五条",
              office="公路管理科", statutory="30个工作日", promised="20个工作日"),  # defect: 30 > 20 with no special law
        power("行政处罚", "对未取得道路运输经营许可擅自从事道路运输经营的处罚", f"{ROAD}\n第六十三条", office="交通运输综合行政执法支队",
              statutory="90日"),
        power("行政处罚", "对不符合条件的人员驾驶道路运输经营车辆的处罚", f"{ROAD}\n第六十四条", office="交通运输综合行政执法支队",
              statutory="90日"),
        power("行政处罚", "对客运经营者、货运经营者不按规定维护和检测运输车辆的处罚", f"{ROAD}\n第六十六条",
              office="交通运输综合行政执法支队", statutory="90日"),
        power("行政处罚", "对道路旅客运输站（场）经营者允许无证经营车辆进站从事经营活动的处罚", f"{ROAD}\n第七十条第一款",
              office="交通运输综合行政执法支队", statutory="90日"),
        power("行政处罚", "对擅自占用、挖掘公路的处罚", f"{HIGHWAY}\n第七十六条第（一）项", office="交通运输综合行政执法支队",
              statutory="90日"),
        power("行政处罚", "对造成公路路面损坏、污染或者影响公路畅通的处罚", f"{HIGHWAY}\n第七十七条",
              office="交通运输综合行政执法支队", statutory="90日"),
        power("行政处罚", "对在公路建筑控制区内修建建筑物、地面构筑物的处罚", f"{HIGHWAY}\n第八十一条",
              office="交通运输综合行政执法支队", statutory="90日"),
        power("行政处罚", "对交通建设项目防治污染设施未与主体工程同时投产使用的处罚",
              "【法律】《中华人民共和国环境保护法》\n第四十一条", office="建设管理科", statutory="90日"),  # defect: repealed law
        power("行政处罚", "对生产经营单位未采取措施消除事故隐患的处罚", f"{SAFETY}\n第一百零二条",
              office="安全监督科", statutory="90日"),
        power("行政强制", "对阻碍公路建设或者抢修的强制拆除", f"{HIGHWAY}\n第八十三条", office="交通运输综合行政执法支队"),
        power("行政强制", "扣押无道路运输证件车辆", f"{ROAD}\n第六十三条", office="交通运输综合行政执法支队", statutory="30日",
              remark="扣押期限按《中华人民共和国行政强制法》第二十五条"),
        power("行政检查", "道路运输经营活动监督检查", f"{ROAD}\n第六十三条", office="运输管理科"),
        power("行政检查", "公路保护监督检查", f"{HIGHWAY}\n第七十六条", office="公路管理科"),
        power("行政检查", "交通运输行业安全生产监督检查", f"{SAFETY}\n第六十五条第一款", office="安全监督科"),
        power("行政检查", "国防交通战备设施安全检查", f"{SAFETY}\n第六十五条第一款", office="安全监督科",
              disclosure="不予公开",
              exemption="国家秘密：涉及国防交通战备设施布局，依据《中华人民共和国保守国家秘密法》第十三条"),
        power("行政征收", "车辆通行费征收", f"{HIGHWAY}\n第五十八条", office="公路管理科",
              fee="按省人民政府批准的收费标准"),
        power("其他行政权力", "重大事故隐患挂牌督办", f"{SAFETY}\n第七十条第一款", office="安全监督科"),
    ]
    powers = numbered("202", p, {"agency": info["name"], "level": "市级", "disclosure_scope": "社会公众",
                                  "complaint": "监督电话 0888-12328；12345 政务服务便民热线"})
    code = {row["name"]: row["code"] for row in powers}
    steps = steps_rows(
        licensing_with_decision(code["道路旅客运输经营许可"], "政务服务窗口", "运输管理科审核岗", "分管副局长"),
        licensing_sequential_reviews(code["道路货物运输经营许可"], "政务服务窗口", "运输管理科核查岗", "安全监督科审核岗",
                                     "分管副局长"),
        licensing_parallel(code["占用、挖掘公路或者使公路改线审批"], "政务服务窗口", "路政巡查员", "公路技术岗", "分管副局长"),
        licensing_parallel(code["跨越、穿越公路修建桥梁、渡槽或者架设、埋设管线等设施审批"], "政务服务窗口", "路政巡查员",
                           "公路技术岗", "分管副局长"),
        penalty_with_hearing(code["对未取得道路运输经营许可擅自从事道路运输经营的处罚"], "执法支队办案人员", "法制科审核岗", "局长"),
        penalty_with_hearing(code["对擅自占用、挖掘公路的处罚"], "执法支队办案人员", "法制科审核岗", "局长"),
        inspection(code["道路运输经营活动监督检查"], "运输管理科执法人员", "科长"),
        inspection(code["交通运输行业安全生产监督检查"], "安全监督科执法人员", "科长"),
        inspection(code["国防交通战备设施安全检查"], "安全监督科执法人员", "科长"),
    )
    return info, powers, steps


# --- agency 3: 应急管理局 ---------------------------------------------------------------------

def emergency() -> tuple[dict, list[dict], list[dict]]:
    info = {"name": "青川市应急管理局", "credit_code": "11519901MB0000303Z", "region": "青川市",
            "version": "2025年版", "published": "2025-03-01", "phone": "0888-12350"}
    p = [
        power("行政许可", "危险化学品经营许可", f"{HAZCHEM}\n第三十三条第一款\n第三十五条", office="危险化学品安全监督管理科",
              statutory="30日", promised="15个工作日"),
        power("行政许可", "烟花爆竹经营许可", f"{FIREWORKS}\n第十九条", sub="烟花爆竹经营（批发）许可",
              office="危险化学品安全监督管理科", statutory="30日", promised="20个工作日"),
        power("行政许可", "烟花爆竹经营许可", f"{FIREWORKS}\n第十九条", sub="烟花爆竹经营（零售）许可",
              office="危险化学品安全监督管理科", statutory="20日", promised="10个工作日"),
        power("行政处罚", "对生产经营单位未按规定对从业人员进行安全生产教育和培训的处罚", f"{SAFETY}\n第九十七条第（三）项",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对建设项目安全设施未经验收合格投入使用的处罚", f"{SAFETY}\n第九十八条第（四）项",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对安全设备的安装、使用、检测、维修、改造和报废不符合标准的处罚", f"{SAFETY}\n第九十九条第（二）项",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对未建立事故隐患排查治理制度的处罚", f"{SAFETY}\n第一百零一条第（五）项",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对生产经营单位未采取措施消除事故隐患的处罚", f"{SAFETY}\n第一百零二条",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对主要负责人在事故调查处理期间擅离职守的处罚", f"{SAFETY}\n第一百一十条第一款",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对未取得危险化学品经营许可证从事经营的处罚", f"{HAZCHEM}\n第七十七条第三款",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对危险化学品单位未按规定设置安全设施设备的处罚", f"{HAZCHEM}\n第七十八条第一款第（二）项",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对生产、储存、使用危险化学品的单位未按规定储存的处罚", f"{HAZCHEM}\n第八十条第一款",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对未经许可经营烟花爆竹制品的处罚", f"{FIREWORKS}\n第三十六条第一款",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对烟花爆竹批发企业向零售经营者供应非法产品的处罚", f"{FIREWORKS}\n第三十八条第一款",
              office="综合行政执法队", statutory="90日"),
        power("行政处罚", "对生产经营单位拒绝、阻碍监督检查的处罚",
              "【法律】《中华人民共和国安全生产法》（2014年8月31日修正）\n第一百零五条",  # defect: old version, article since renumbered
              office="综合行政执法队", statutory="90日"),
        power("行政强制", "查封、扣押不符合标准的设施设备器材", f"{SAFETY}\n第六十五条第一款第（四）项",
              office="综合行政执法队", statutory="30日"),
        power("行政强制", "对存在重大事故隐患的单位停止供电", f"{SAFETY}\n第七十条第一款", office="综合行政执法队"),
        power("行政检查", "安全生产监督检查", f"{SAFETY}\n第六十五条第一款", office="安全生产基础科"),
        power("行政检查", "危险化学品安全监督检查", f"{HAZCHEM}\n第三十三条", office="危险化学品安全监督管理科"),
        power("行政检查", "应急救灾物资储备库安全检查", f"{SAFETY}\n第六十五条第一款", office="救灾和物资保障科",
              disclosure="不予公开"),  # defect: withheld with no reason
        power("行政给付", "受灾人员倒损住房恢复重建补助", "【行政法规】《自然灾害救助条例》（2019年3月2日修订）\n第十九条",
              office="救灾和物资保障科", statutory="10个工作日", promised="5个工作日"),
        power("行政奖励", "安全生产违法行为举报奖励", f"{SAFETY}\n第七十六条", office="综合行政执法队"),
        power("其他行政权力", "生产安全事故调查处理", f"{SAFETY}\n第八十六条第一款", office="调查评估和统计科",
              statutory="60日"),
    ]
    powers = numbered("303", p, {"agency": info["name"], "level": "市级", "disclosure_scope": "社会公众",
                                  "complaint": "监督电话 0888-12350"})
    code = {row["name"] + (row.get("sub_name") or ""): row["code"] for row in powers}
    steps = steps_rows(
        licensing_parallel(code["危险化学品经营许可"], "政务服务窗口", "危化科核查员", "安全评价专家", "分管副局长"),
        licensing_with_decision(code["烟花爆竹经营许可烟花爆竹经营（批发）许可"], "政务服务窗口", "危化科审核岗", "分管副局长",
                                "20个工作日"),  # step limits summing above the promised 20 working days
        penalty_with_hearing(code["对未建立事故隐患排查治理制度的处罚"], "执法队办案人员", "政策法规科审核岗", "局长"),
        penalty_with_hearing(code["对未经许可经营烟花爆竹制品的处罚"], "执法队办案人员", "政策法规科审核岗", "局长"),
        inspection(code["安全生产监督检查"], "安全生产基础科执法人员", "科长"),
        inspection(code["危险化学品安全监督检查"], "危化科执法人员", "科长"),
        inspection(code["应急救灾物资储备库安全检查"], "救灾和物资保障科工作人员", "科长"),
        licensing_with_decision(code["受灾人员倒损住房恢复重建补助"], "乡镇（街道）民政干部", "救灾科审核岗", "分管副局长",
                                "1个工作日", "1个工作日", "1个工作日"),
    )
    return info, powers, steps


# --- agency 4: 文化和旅游局, published 权责清单 style ------------------------------------------

PUBLISHED_HEADER = ["序号", "事项\n名称", "子项\n名称", "权力类型", "实施依据", "行使主体", "承办机构", "实施层级及权限", "",
                    "责任事项内容", "追责情形", "备注"]
CULTURE = "青川市文化广电和旅游局"


def culture_rows() -> dict[str, list[list]]:
    """category sheet → rows of (name, sub, basis, office, level, scope, duty); merged below."""
    lic = [
        ("旅行社设立许可", None, f"{TOURISM}\n第二十八条", "市场管理科", "市级", "负责本市旅行社设立许可"),
        ("营业性演出审批", "1.文艺表演团体从事营业性演出活动审批", f"{SHOWS}（2020年11月29日修订）\n第六条", "艺术科", "市级", "负责本级审批"),
        ("营业性演出审批", "2.演出经纪机构从事营业性演出经营活动审批", f"{SHOWS}（2020年11月29日修订）\n第六条", "艺术科", "市级", "负责本级审批"),
        ("娱乐场所从事娱乐场所经营活动审批", None, f"{VENUES}（2020年11月29日修订）\n第九条第一款", "市场管理科", "县级", "县级实施"),
        ("文物保护单位原址保护措施审批", None, f"{RELICS}\n第三十一条第二款", "文物科", "市级", "负责市级文物保护单位"),
    ]
    pen = [
        ("对未经许可经营旅行社业务的处罚", None, f"{TOURISM}\n第九十五条第一款", "文化市场综合执法队", "市级", "负责本级执法"),
        ("对旅行社未按规定投保旅行社责任保险的处罚", None, f"{TOURISM}\n第九十七条", "文化市场综合执法队", "市级", "负责本级执法"),
        ("对旅行社违反旅游合同约定的处罚", None, f"{TOURISM}\n第一百条", "文化市场综合执法队", "市级", "负责本级执法"),
        ("对擅自从事娱乐场所经营活动的处罚", None, f"{VENUES}（2020年11月29日修订）\n第四十一条", "文化市场综合执法队",
         "市级", "负责本级执法"),
        ("对未经批准举办营业性演出的处罚", None, f"{SHOWS}（2020年11月29日修订）\n第四十三条第一款", "文化市场综合执法队",
         "市级", "负责本级执法"),
        ("对在文物保护单位保护范围内进行建设工程的处罚", None, f"{RELICS}\n第八十三条", "文物科", "市级", "负责本级执法"),
        ("对旅游经营者违反本法规定的信用惩戒", None, f"{TOURISM}\n第一百零八条", "市场管理科", "市级", "负责本级执法"),
    ]
    forced = [
        ("对非法出版物、非法演出器材的先行登记保存", None,
         f"{PENALTY_LAW}\n第五十六条", "文化市场综合执法队", "市级", "负责本级执法"),
    ]
    check = [
        ("旅行社经营活动监督检查", None, f"{TOURISM}\n第八十三条第一款", "市场管理科", "市级", "负责本级监督检查"),
        ("营业性演出活动监督检查", None, f"{SHOWS}（2020年11月29日修订）\n第三十四条", "文化市场综合执法队", "市级", "负责本级监督检查"),
        ("文物保护单位安全检查", None, f"{RELICS}\n第九十七条", "文物科", "市级", "负责本级监督检查"),
    ]
    other = [
        ("导游证核发", None, f"{TOURISM}\n第三十七条", "市场管理科", "市级", "受省级文化和旅游主管部门委托"),
        ("旅游投诉受理", None, f"{TOURISM}\n第九十一条", "市场管理科", "市级", "负责本市旅游投诉受理"),
        ("文物保护单位保护范围内其他建设工程或者爆破、钻探、挖掘作业审核", None, f"{RELICS}\n第二十八条第一款", "文物科", "市级", "负责审核并报批"),
    ]
    return {"行政许可（5项）": lic, "行政处罚（7项）": pen, "行政强制（1项）": forced, "行政检查（3项）": check,
            "其他行政权力（3项）": other}


def write_published(path: Path) -> None:
    """Title row, header with line breaks and a merge over two columns, each 事项 merged
    over three rows (the district template line stored underneath is hidden), and a
    footnote merged across the table."""
    book = Workbook()
    book.remove(book.active)
    duty = "直接实施责任：\n1.规范完善程序\n2.依法实施\n指导监督责任：\n加强对县区的指导"
    blame = "因不履行或不正确履行行政职责，有下列情形的，行政机关及其工作人员应当承担相应责任：\n1.对符合法定条件的申请不予受理的；"
    for sheet_name, rows in culture_rows().items():
        sheet = book.create_sheet(sheet_name)
        sheet.merge_cells("A1:L1")
        sheet["A1"] = f"{CULTURE}2025年权责清单"
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A1"].alignment = Alignment(horizontal="center")
        for col, text in enumerate(PUBLISHED_HEADER, start=1):
            sheet.cell(row=2, column=col, value=text or None).alignment = Alignment(wrap_text=True)
        sheet.merge_cells("H2:I2")
        row = 3
        seq = 0
        previous = None
        for name, sub, basis, office, level, scope in rows:
            height = 3
            continues = name == previous
            if not continues:
                seq += 1
            values = [seq, name, sub or "", sheet_name[:4] if not sheet_name.startswith("其他") else "其他行政权力",
                      basis, CULTURE, office, level, scope, duty, blame, ""]
            for col, value in enumerate(values, start=1):
                if continues and col in (1, 2):
                    continue
                sheet.cell(row=row, column=col, value=value).alignment = Alignment(wrap_text=True, vertical="top")
            # a hidden district line stored under the merge, as real lists do
            sheet.cell(row=row + 1, column=8, value="县级")
            for col in range(3, 13):
                letter = chr(64 + col)
                sheet.merge_cells(f"{letter}{row}:{letter}{row + height - 1}")
            if not continues:
                block_rows = height * sum(1 for r in rows if r[0] == name)
                sheet.merge_cells(f"A{row}:A{row + block_rows - 1}")
                sheet.merge_cells(f"B{row}:B{row + block_rows - 1}")
            previous = name
            row += height
        sheet.merge_cells(f"A{row}:L{row}")
        sheet[f"A{row}"] = "注：本清单根据法律法规立改废释情况动态调整。"
        for letter, width in zip("ABCDEFGHIJKL", (6, 28, 24, 10, 50, 18, 16, 10, 16, 30, 30, 8)):
            sheet.column_dimensions[letter].width = width
    with atomic_path(path) as tmp:
        book.save(tmp)


def main() -> None:
    for maker, file_name in ((market, "青川市市场监督管理局权力清单.xlsx"), (transport, "青川市交通运输局权力清单.xlsx"),
                             (emergency, "青川市应急管理局权力清单.xlsx")):
        info, powers, steps = maker()
        write_workbook(HERE / file_name, info, powers, steps)
        print(f"{file_name}: {len(powers)} 项，{len({s['code'] for s in steps})} 项有运行流程")
    write_published(HERE / f"{CULTURE}2025年权责清单.xlsx")
    print(f"{CULTURE}2025年权责清单.xlsx: published style")


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1735689600")
    main()
