"""CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or the GB family (read as
GB18030, the superset: chardet's "GB2312" guesses are usually GBK or GB18030)."""

from __future__ import annotations

import csv
import io

from .sniff import SniffError
from .workbook import Grid, build_grid


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise SniffError("bad-encoding", f"无法识别文本编码（第 {exc.start} 字节起既非 UTF-8 也非 GB18030/GBK）") from None


def read_csv(data: bytes, sheet_name: str) -> Grid:
    text, _ = decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise SniffError("corrupt-csv", f"CSV 格式错误：{exc}") from None
    return build_grid(sheet_name, rows, [])
