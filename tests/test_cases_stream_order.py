"""A streamed event log gives the same cases and verdicts whatever its row order: sorted by
case (as exported), by time, or by step."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import pytest

from powercat.cases import run
from powercat.cases.run import check_registers
from powercat.ingest import load

from .conftest import DATA

REGISTERS = DATA / "办件登记"
LOG = "青川市应急管理局环节记录.csv"
AS_OF = dt.date(2026, 1, 15)


def _verdicts(result):
    findings = sorted((f.code, f.sheet or "", f.column or "", f.message) for f in result.report.findings
                      if not f.file.endswith(".csv"))  # rows of the log move: compare the cases' verdicts
    cases = sorted((o.case.case_id, o.fit, o.on_time, o.used, len(o.findings)) for o in result.outcomes)
    return findings, cases


def _reordered(tmp_path, key):
    folder = tmp_path / "登记"
    shutil.copytree(REGISTERS, folder)
    raw = (folder / LOG).read_bytes()
    text = raw.decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    body.sort(key=key)  # stable: a case's steps keep their relative order within one key
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    (folder / LOG).write_bytes(out.getvalue().encode("gb18030"))
    return folder


@pytest.mark.parametrize("streamed", [True, False])
@pytest.mark.parametrize("order", ["by time", "by step", "newest first"])
def test_a_log_in_any_order_gives_the_same_cases(tmp_path, monkeypatch, order, streamed):
    catalogue = load([str(DATA)])
    if streamed:
        monkeypatch.setattr(run, "STREAM_BYTES", 0)  # every CSV log streamed
    sorted_by_case = check_registers(catalogue, [str(REGISTERS)], as_of=AS_OF)
    keys = {"by time": lambda r: (r[3], r[4]), "by step": lambda r: r[2],
            "newest first": lambda r: tuple(-int(x.replace("-", "")[:8] or 0) for x in (r[4], r[3]))}
    folder = _reordered(tmp_path, keys[order])
    other = check_registers(catalogue, [str(folder)], as_of=AS_OF)
    assert len(other.outcomes) == len(sorted_by_case.outcomes)
    assert _differing_cases(sorted_by_case, other) == []
    assert _verdicts(other) == _verdicts(sorted_by_case)
    def events(result):
        log = next(f for f in result.files if f.path.endswith(".csv"))
        return log.streamed_events + len(log.events)

    assert events(other) == events(sorted_by_case) > 700


def _differing_cases(a, b):
    A = {o.case.case_id: (o.fit, o.on_time, o.used, sorted(f.code for f in o.findings)) for o in a.outcomes}
    B = {o.case.case_id: (o.fit, o.on_time, o.used, sorted(f.code for f in o.findings)) for o in b.outcomes}
    return [(k, A[k], B.get(k)) for k in A if A[k] != B.get(k)]


def test_a_long_case_in_an_unsorted_log_is_no_crash(tmp_path):
    """Thousands of one case's steps, interleaved with another case: bounded work, no recursion."""
    lines = ["办件编号,职权编码,环节,开始,完成,承办岗位"]
    for n in range(3000):
        for case_id in ("L-1", "L-2"):
            lines.append(f"{case_id},519901101XK00100,{'受理' if n % 2 else '审查'},2025-03-03,2025-03-03,窗口")
    (tmp_path / "log.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check_registers(load([str(DATA)]), [str(tmp_path / "log.csv")], as_of=AS_OF)
    assert sorted(o.case.case_id for o in result.outcomes) == ["L-1", "L-2"]
    assert all(len(o.case.events) == 3000 for o in result.outcomes)
