"""A synthetic province's event log for `bench_cases.py`: 500 powers (许可 and 处罚 on their
statutory procedures with 补正 loops and hearing branches, 许可 with parallel reviews, 检查,
强制, 给付, 确认 …) and about 150,000 cases making 1,000,000 events, one row per case step
(办件编号, 职权编码, 环节, 开始, 完成, 承办岗位), grouped by case as approval systems export.

About 5% of cases carry a deviation (two steps swapped, a step dropped, an unknown step
inserted), so that both tools have unfitting cases to agree on.

    python benchmarks/make_case_log.py OUT.csv [--events 1000000] [--powers 500] [--seed 12]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from powercat.cases.conformance import random_run  # noqa: E402
from powercat.cases.link import PowerIndex  # noqa: E402
from powercat.model import Agency, Catalogue, Power, Source, Step, WorkbookFile  # noqa: E402

KINDS = [  # (category, share, statutory, promised, explicit steps)
    ("行政许可", 0.34, "20个工作日", "10个工作日", None),
    ("行政许可", 0.10, "20个工作日", "15个工作日", "parallel"),
    ("行政处罚", 0.30, "90日", None, None),
    ("行政检查", 0.10, None, None, None),
    ("行政强制", 0.06, "30日", None, None),
    ("行政给付", 0.05, "20个工作日", "10个工作日", None),
    ("行政确认", 0.05, "20个工作日", "10个工作日", None),
]
_PARALLEL = [("1", "申请", "开始", "2"), ("2", "受理", "办理", "3,4"), ("3", "现场核查", "办理", "5"),
             ("4", "技术审查", "办理", "5"), ("5", "决定", "判断", "准予:6；不予:7"), ("6", "制证送达", "办理", "8"),
             ("7", "书面告知理由", "办理", "8"), ("8", "办结", "结束", "")]


def bench_catalogue(n_powers: int = 500, seed: int = 12) -> Catalogue:
    rng = random.Random(seed)
    powers = []
    for i in range(n_powers):
        category, _share, statutory, promised, steps = rng.choices(KINDS, [k[1] for k in KINDS])[0]
        code = f"BM{i:05d}"
        source = Source("bench.xlsx", "职权目录", i + 2)
        power = Power(source, f"{category}事项{i:03d}", category, code=code, agency=f"某省第{i % 40:02d}厅",
                      statutory_limit=statutory, promised_limit=promised, disclosure="主动公开")
        if steps == "parallel":
            power.steps = [Step(Source("bench.xlsx", "运行流程", 2 + i * 10 + k), code, sid, name, kind,
                                post="承办科室", limit="3个工作日" if kind != "开始" else None, next=nxt or None)
                           for k, (sid, name, kind, nxt) in enumerate(_PARALLEL)]
        powers.append(power)
    return Catalogue([WorkbookFile("bench.xlsx", "xlsx", Agency("某省"), powers=powers)])


def write_log(path: str | Path, events: int = 1_000_000, powers: int = 500, seed: int = 12,
              deviation_rate: float = 0.05) -> dict:
    rng = random.Random(seed)
    index = PowerIndex(bench_catalogue(powers, seed))
    linked = index.all
    weights = [rng.uniform(0.2, 3.0) for _ in linked]
    written = cases = deviated = 0
    base = dt.datetime(2025, 1, 2, 9, 0)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["办件编号", "职权编码", "环节", "开始", "完成", "承办岗位"])
        while written < events:
            power = rng.choices(linked, weights)[0]
            labels = random_run(power.net, rng)
            if not labels:
                continue
            cases += 1
            if rng.random() < deviation_rate and len(labels) > 3:
                deviated += 1
                kind = rng.randrange(3)
                k = rng.randrange(1, len(labels) - 1)
                if kind == 0:
                    labels[k], labels[k + 1] = labels[k + 1], labels[k]
                elif kind == 1:
                    del labels[k]
                else:
                    labels.insert(k, "补充调查")
            t = base + dt.timedelta(days=rng.randrange(0, 330), minutes=rng.randrange(0, 480))
            case_id = f"C{cases:07d}"
            for label in labels:
                end = t + dt.timedelta(hours=rng.randint(1, 30))
                writer.writerow([case_id, power.power.code, label, t.strftime("%Y-%m-%d %H:%M:%S"),
                                 end.strftime("%Y-%m-%d %H:%M:%S"), "承办岗位"])
                t = end + dt.timedelta(minutes=rng.randint(5, 600))
            written += len(labels)
    return {"events": written, "cases": cases, "deviated": deviated, "powers": powers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--powers", type=int, default=500)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    print(write_log(args.out, args.events, args.powers, args.seed))


if __name__ == "__main__":
    main()
