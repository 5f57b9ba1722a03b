"""The catalogue files stage alone (pipeline.stages.CatalogueFiles with a rebuild cache), in
CPU seconds of this process: an empty cache, nothing changed, the first power's name changed
(one list), then the first list's second power gone (one list lost a power: the later lists'
rows of 总目录 start one row up). Run it once per tree, on the same lists, back to back:

    SOURCE_DATE_EPOCH=1700000000 PYTHONPATH=TREE python benchmarks/bench_catalogue_stage.py LISTS
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from powercat import filecache
from powercat.ingest import load
from powercat.ingest.agency import settle_agencies
from powercat.pipeline import Pipeline, Run, keys, stages
from powercat.publish.records import public_records


def main() -> None:
    catalogue = load(sorted(str(p) for p in Path(sys.argv[1]).glob("*.xlsx")))
    settle_agencies(catalogue, None)
    records = public_records(catalogue)
    keys.code()  # hashed once per run, by the stages before this one in a build
    tmp = Path(tempfile.mkdtemp(prefix="bench-catalogue-stage-"))

    def stage(name: str) -> dict:
        folder = tmp / name
        folder.mkdir()
        cache = filecache.FileCache(tmp / "cache")
        cpu, wall = time.process_time(), time.perf_counter()
        with Pipeline() as pipeline:
            pipeline.run([stages.CatalogueFiles(folder, cache=cache)], Run([], {"records": records}))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        cache.prune()
        return {"cpu": round(cpu, 2), "wall": round(wall, 2), "hits": cache.hits, "misses": cache.misses}

    try:
        found = {"records": len(records), "load": round(os.getloadavg()[0], 1), "empty cache": stage("cold"),
                 "nothing changed": stage("same")}
        records[0].power.name += "（调整）"
        found["one list changed"] = stage("one")
        del records[1]
        found["one list lost a power"] = stage("fewer")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main()
