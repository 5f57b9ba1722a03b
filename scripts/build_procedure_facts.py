"""Regenerates powercat/law/procedure_facts.json.gz from ../shared/laws/articles.jsonl.gz.

What a power's procedure needs to know from the article it cites — whether the article
provides a hearing (听证), expert review (专家评审), testing (检验/检测/检疫/鉴定), an on-site
check (现场核查), a publicity period (公示), which penalties it provides and the range of its
fines, whether it orders seizure (查封/扣押/冻结) or enforcement (强制执行). Only these derived
facts ship; the article texts stay outside the project (see build_registry.py).

One entry per title (the registry's latest version of it): {title: '{"num.sub": facts}'},
the articles as a JSON text of their own (decoded only for a title a power cites), an
article without any of these features left out. Facts are short keys:

    h 听证 (2: 应当)  x 专家评审/论证  t 检验检测  s 现场核查  p 公示 (days, 0 when unsaid)
    k penalty kinds (see KINDS)  lo/hi fine bounds in 元 (hi -1: a multiple, unbounded)
    m 查封扣押  fz 冻结  e 强制执行/代履行

    python scripts/build_procedure_facts.py [../shared/laws]
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from powercat.law.procedure_facts import facts_from_text  # noqa: E402

OUT = ROOT / "powercat" / "law" / "procedure_facts.json.gz"

def main(laws_dir: Path) -> None:
    latest: dict[str, str] = {}  # title → its latest version's id
    with gzip.open(laws_dir / "registry.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            law = json.loads(line)
            if law.get("is_latest") or law["title"] not in latest:
                latest[law["title"]] = law["id"]
    wanted = set(latest.values())
    out: dict[str, dict[str, dict]] = {}
    with gzip.open(laws_dir / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)
            if article["law_id"] not in wanted:
                continue
            facts = facts_from_text(article.get("text") or "")
            if facts:
                out.setdefault(article["title"], {})[f"{article['num']}.{article['sub']}"] = facts
    payload = {"source": "shared/laws articles.jsonl.gz, latest version of each title",
               "laws": {title: _compact(articles) for title, articles in out.items()}}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(data)
    print(f"{len(out)} titles, {sum(len(v) for v in out.values())} articles → {OUT} ({OUT.stat().st_size} bytes)")


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "laws")
