"""Regenerates powercat/law/registry.json.gz from ../shared/laws.

Ships facts only (titles, short titles, level, region, dates, status, the version chain and
article numbering with 款 counts); article texts stay outside the project and are loaded
at run time with `--law-texts`.

    python scripts/build_registry.py [../shared/laws]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "powercat" / "law" / "registry.json.gz"
KEEP = ("id", "title", "short_title", "name", "level", "region", "version_date", "effective_date",
        "status", "is_latest", "superseded_by", "repealed_by")
# the words of a revision event that identify a version: 通过/公布/修正/施行, 文号, 第N次修正
EVENT_CHARS = 200


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "laws"
    kuan: dict[tuple[str, int, int], int] = {}
    with gzip.open(source / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            kuan[(article["law_id"], article["num"], article["sub"])] = article.get("kuan_count") or 1
    laws = []
    with gzip.open(source / "registry.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            law = json.loads(line)
            entry = {key: law.get(key) for key in KEEP}
            # the article list of a text flagged as truncated or gapped cannot prove an
            # article missing
            entry["incomplete"] = any(str(w).startswith(("possibly_truncated", "gap"))
                                      for w in law.get("parse_warnings") or [])
            entry["revisions"] = sorted({r["date"] for r in law.get("revisions") or [] if r.get("date")})
            # each dated event with the start of its text: a cell citing 国务院令第593号, 第二次修正
            # or the 通过 date of a version is matched against these
            entry["events"] = sorted({(r["date"], re.sub(r"\s+", "", r.get("event") or "")[:EVENT_CHARS])
                                      for r in law.get("revisions") or [] if r.get("date")})
            entry["level_inferred"] = bool(law.get("level_inferred"))
            entry["articles"] = [[a["num"], a["sub"], kuan.get((law["id"], a["num"], a["sub"]), 1)]
                                 for a in law.get("articles") or []]
            laws.append(entry)
    laws.sort(key=lambda law: law["id"])
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    payload = {"source": {"sources": manifest.get("sources"), "laws": len(laws),
                          "status_as_of": manifest.get("build_date_for_status")},
               "laws": laws}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0: the same registry gives the same bytes
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{OUT.relative_to(ROOT)}: {len(laws)} law versions, {sum(len(l['articles']) for l in laws)} articles, "
          f"{OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
