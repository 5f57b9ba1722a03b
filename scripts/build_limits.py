"""Regenerates powercat/law/limits.json.gz from ../shared/laws/articles.jsonl.gz: per article,
the decision time limits its text states (amount, unit, anchor, extension, 款), read by
powercat/law/limit_text.py. Facts only: the article texts stay outside the project.

    python scripts/build_limits.py [../shared/laws]
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "powercat" / "law" / "limits.json.gz"


def main() -> None:
    from powercat.law.limit_text import facts_in

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "laws"
    facts: dict[str, dict[str, list]] = {}
    with gzip.open(source / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            text = article.get("text") or ""
            if "内" not in text and "不得超过" not in text:
                continue  # no period of the two shapes limit_text reads: skip the costly part
            found = facts_in(text)
            if found:
                key = f"{article['num']}.{article.get('sub') or 0}"
                facts.setdefault(article["law_id"], {})[key] = [f.to_json() for f in found]
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    payload = {"source": {"sources": manifest.get("sources"), "articles": sum(len(a) for a in facts.values())},
               "facts": facts}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))  # mtime=0: same input, same bytes
    print(f"{OUT.relative_to(ROOT)}: {payload['source']['articles']} articles of {len(facts)} law versions, "
          f"{OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
