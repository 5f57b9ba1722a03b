"""A synthetic province: N agencies × M powers in the standard template, a third of them
with explicit 运行流程 steps, citing real laws (so `check` does real work).

    python benchmarks/make_province.py benchmarks/out/province --agencies 50 --powers 2000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "data"))

from make_samples import inspection, licensing_with_decision, penalty_with_hearing, steps_rows  # noqa: E402

from powercat.ingest.template import write_workbook  # noqa: E402

CATEGORIES = ["行政处罚"] * 6 + ["行政许可", "行政检查", "行政强制", "行政确认", "行政奖励", "其他行政权力"]
LAWS = [("【法律】《中华人民共和国安全生产法》", 119), ("【法律】《中华人民共和国食品安全法》", 154),
        ("【法律】《中华人民共和国广告法》", 74), ("【行政法规】《危险化学品安全管理条例》", 102),
        ("【法律】《中华人民共和国公路法》", 87), ("【法律】《中华人民共和国旅游法》", 112)]
LETTERS = {"行政许可": "XK", "行政处罚": "CF", "行政强制": "QZ", "行政检查": "JC", "行政确认": "QR", "行政奖励": "JL",
           "其他行政权力": "QT"}


def agency_rows(index: int, count: int, rng: random.Random):
    from powercat.law.numerals import to_chinese

    name = f"示范省第{index + 1:02d}厅"
    powers, patterns = [], []
    for n in range(count):
        category = rng.choice(CATEGORIES)
        law, articles = rng.choice(LAWS)
        article = rng.randint(1, articles)
        code = f"990000{index:03d}{LETTERS[category]}{n:05d}"
        powers.append({
            "code": code, "name": f"{category[2:]}事项{n + 1}（依{law.split('《')[1].rstrip('》')}第{to_chinese(article)}条）",
            "category": category, "basis": f"{law}\n第{to_chinese(article)}条", "agency": name,
            "office": f"第{rng.randint(1, 9)}处", "statutory_limit": "20个工作日" if category == "行政许可" else "90日",
            "promised_limit": "15个工作日" if category == "行政许可" else None, "disclosure": "主动公开",
            "rights": "陈述、申辩；依法申请复议、诉讼", "complaint": "监督电话 12345",
        })
        if n % 3 == 0:
            if category == "行政许可":
                patterns.append(licensing_with_decision(code, "窗口", "审核岗", "负责人"))
            elif category == "行政处罚":
                patterns.append(penalty_with_hearing(code, "办案人员", "法制审核岗", "负责人"))
            else:
                patterns.append(inspection(code, "执法人员", "处长"))
    info = {"name": name, "credit_code": f"1199000000{index:08d}", "region": "示范省", "version": "2026年版",
            "published": "2026-01-01", "phone": "0999-12345"}
    return info, powers, steps_rows(*patterns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--powers", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(2026)
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.agencies):
        info, powers, steps = agency_rows(i, args.powers, rng)
        write_workbook(args.out / f"{info['name']}.xlsx", info, powers, steps)
    print(f"{args.out}: {args.agencies} agencies × {args.powers} powers")


if __name__ == "__main__":
    main()
