"""The few text forms every room prints: where a record stands (file, sheet, row, column) and
a long text shortened for a message or a cell. No I/O, no imports from the project: any
room may use them.

Two position forms, for two places:
- `position`, in a sentence: 青川市交通运输局权力清单.xlsx“职权目录”第 12 行 C 列 (parts the
  reader already knows are left out: 工作表“职权目录”第 12 行, 第 12 行);
- `cell_position`, alone in a table cell: 青川市交通运输局权力清单.xlsx / 职权目录 / 第12行.
"""

from __future__ import annotations


def file_name(path: str) -> str:
    """The file's own name, from a path written with / or \\ (a Windows path read elsewhere)."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def position(file: str | None = None, sheet: str | None = None, row: int | None = None,
             column: str | None = None) -> str:
    """A record's place in a sentence; `file` is a path or a name, None when it goes without saying."""
    head = file_name(file) if file else ""
    if sheet is not None:
        head += f"“{sheet}”" if head else f"工作表“{sheet}”"
    parts = [head] if head else []
    if row is not None:
        parts.append(f"第 {row} 行")
    if column:
        parts.append(f"{column} 列")
    # 文件“工作表”第 N 行: the closing quote already separates; a bare file name needs a space
    out = ""
    for part in parts:
        out += part if not out or out.endswith("”") else " " + part
    return out


def cell_position(file: str, sheet: str, row: int) -> str:
    """A record's place alone in a table cell (registers, 调整对照表)."""
    return f"{file_name(file)} / {sheet} / 第{row}行"


def shorten(text: str | None, width: int = 60) -> str:
    """`text` on one line (runs of white space made one space), cut to `width` characters
    with an ellipsis when longer."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
