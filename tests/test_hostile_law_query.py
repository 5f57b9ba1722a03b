"""`powercat law` on queries a user can type by mistake (issue 24, third pass, QA): an empty
or blank query and one pasted across lines were an internal error (exit 70); they get a
Chinese message instead, and a query across lines is read as one."""

from __future__ import annotations

import pytest

from .conftest import run_cli


@pytest.mark.parametrize("query", ["", "   ", "\n", "\t\u3000"])
def test_a_blank_query_is_told_not_crashed(query):
    result = run_cli("law", query)
    assert result.exit_code == 1, result.output
    assert "没有识别出法规名称" in result.stdout
    assert "Traceback" not in result.output


def test_a_query_pasted_across_lines_is_read_whole():
    result = run_cli("law", "行政许可法\n第四十二条")
    assert result.exit_code == 0, result.output
    assert "《中华人民共和国行政许可法》" in result.stdout and "第四十二条" in result.stdout
