"""A longer fuzzing run of the reader, by hand (not in CI): random bytes, and real and
sample workbooks with random byte flips, truncations, and zip members swapped or dropped.
Every input must give a result or a file error with a code, never an exception.

    python benchmarks/fuzz_ingest.py [--minutes 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import random
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from powercat.ingest import load_file  # noqa: E402


def seeds() -> list[bytes]:
    paths = sorted((ROOT / "data").glob("*.xlsx"))
    real = ROOT.parent / "shared" / "real-lists"
    if real.is_dir():
        paths += sorted(real.glob("*.xls*"))
    return [p.read_bytes() for p in paths]


def mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.choice(["flip", "truncate", "zip-drop", "zip-swap", "zip-garble", "random"])
    if kind == "random":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 8192)))
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 64)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == "truncate":
        return data[: rng.randrange(len(data))]
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        names = source.namelist()
    except zipfile.BadZipFile:
        return data[::-1]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        victim = rng.choice(names)
        for name in names:
            content = source.read(name)
            if name == victim and kind == "zip-drop":
                continue
            if name == victim and kind == "zip-swap":
                content = source.read(rng.choice(names))
            if name == victim and kind == "zip-garble":
                content = content[: len(content) // 2] + bytes(rng.randrange(256) for _ in range(64))
            target.writestr(name, content)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = seeds()
    outcomes: collections.Counter = collections.Counter()
    crashes = []
    deadline = time.time() + args.minutes * 60
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        while time.time() < deadline:
            data = mutate(rng.choice(corpus), rng)
            path = Path(tmp) / f"case{rng.choice(['.xlsx', '.xls', '.csv'])}"
            path.write_bytes(data)
            (Path.cwd() / "fuzz-last.bin").write_bytes(data)  # survives a crash that kills the process
            try:
                result = load_file(str(path))
                json.dumps([p.name for p in result.powers], ensure_ascii=False).encode("utf-8")
                outcomes[result.error.code if result.error else f"read ({'items' if result.powers else 'empty'})"] += 1
            except Exception:  # noqa: BLE001 – the point of fuzzing
                crashes.append(traceback.format_exc(limit=3))
                (Path.cwd() / f"fuzz-crash-{len(crashes)}.bin").write_bytes(data)
            runs += 1
    print(f"{runs} inputs in {args.minutes} min, {len(crashes)} crashes")
    for outcome, count in outcomes.most_common():
        print(f"  {outcome:24} {count}")
    for crash in crashes[:5]:
        print(crash)
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
