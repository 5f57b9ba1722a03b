"""What makes a whole file unreadable or unsafe to open, in the one catalogue (powercat/rules.py).

A file error is not a finding on a row: the file is left out, the others still go through,
and the command ends with exit 3. Each code is stable; its message comes from the template
here (a code said in more than one way names the wording it uses, see Rule.message).
"""

from __future__ import annotations

from ..model import FileError
from ..rules import ERROR, RULES, declare

declare("file-not-found", ERROR, "file", "文件不存在", "文件不存在", "The path names no file.")
declare("file-unreadable", ERROR, "file", "文件无法读取", "无法读取文件（{reason}）",
        "The system refused to read the file (permissions, I/O error), or the path is a folder.",
        variants={"folder": "这是文件夹而不是文件"})
declare("not-a-regular-file", ERROR, "file", "不是普通文件", "不是普通文件（管道、设备或套接字），拒绝读取",
        "A FIFO, device or socket: refused before any read (it could block or never end).")
declare("empty-file", ERROR, "file", "空文件", "文件为空（0 字节）", "A file of 0 bytes.")
declare("file-too-large", ERROR, "file", "文件过大", "文件过大（{size} MB，上限 {limit} MB）",
        "A file above the size limit: refused before it is read whole.",
        variants={"unread": "文件过大（{size} MB，上限 {limit} MB），未读取", "grew": "文件过大（上限 {limit} MB），未读取"})
declare("encrypted", ERROR, "file", "工作簿已加密", "工作簿已加密（设有密码保护），请去除密码后另存再提交",
        "A password-protected workbook (OOXML in an OLE wrapper, or a legacy .xls with FILEPASS).",
        variants={"open-password": "工作簿已加密（设有打开密码），请去除密码后另存再提交"})
declare("html-disguised", ERROR, "file", "网页冒充工作簿", "这是网页（HTML）文件而非 Excel 工作簿，请在 Excel 中打开后另存为 .xlsx",
        "An HTML page saved under a spreadsheet name (a common export of web systems).")
declare("unknown-format", ERROR, "file", "格式无法识别", "无法识别的文件格式：既不是 Excel 工作簿（.xlsx/.xls），也不是 CSV 文本",
        "Bytes that are neither a workbook nor text.")
declare("corrupt-workbook", ERROR, "file", "工作簿已损坏", "工作簿已损坏，无法读取（{detail}）",
        "A workbook the reader cannot open, or whose reading crashed or ran out of memory.",
        variants={"suffix": "文件扩展名为 .{suffix}，但内容不是 Excel 工作簿（文件已损坏或并非表格文件）",
                  "crashed": "工作簿已损坏：读取时程序异常终止（可能是伪造的内部长度导致超出内存上限）",
                  "memory": "工作簿已损坏：读取所需内存超出上限"})
declare("corrupt-zip", ERROR, "file", "压缩结构已损坏", "压缩结构已损坏，无法打开（{error}），文件可能未完整下载",
        "A zip container (xlsx, ods) whose directory cannot be read.")
declare("zip-bomb", ERROR, "file", "疑似压缩炸弹", "解压后体积超过上限（> {limit} MB），疑似压缩炸弹，拒绝读取",
        "A zip container that would inflate beyond the limits (total size, entries, ratio): refused before inflating.",
        variants={"entries": "压缩包内部件过多（{count} 个），拒绝读取",
                  "ratio": "部件 {part} 压缩比 {ratio}:1 超过上限 {limit}:1，疑似压缩炸弹，拒绝读取"})
declare("xml-entities", ERROR, "file", "含有 XML 实体声明",
        "部件 {part} 含有 XML 实体声明（DOCTYPE/ENTITY），疑似 XML 炸弹或外部实体攻击，拒绝读取",
        "A spreadsheet part declaring a DOCTYPE or ENTITY (billion laughs, external entities).")
declare("not-a-workbook", ERROR, "file", "不是工作簿", "这是 Word 文档（.docx），不是 Excel 工作簿",
        "A Word document under a spreadsheet name, or an Office compound file (a .doc, or a WPS or other "
        "program's file) holding no Excel workbook stream.",
        variants={"doc": "这是 Word 文档（.doc），不是 Excel 工作簿",
                  "ole": "这是 Office 复合文档，但其中没有 Excel 工作簿（可能是其他程序的文件改了扩展名）："
                         "请在原程序中打开后另存为 .xlsx"})
declare("zip-no-workbook", ERROR, "file", "压缩包中没有工作簿", "这是一个压缩包，但其中没有 Excel 工作簿（缺少 xl/workbook.xml）",
        "A zip archive holding no workbook.")
declare("sheet-too-large", ERROR, "file", "工作表过大",
        "工作表“{sheet}”过大（{rows} 行 × {cols} 列），超过可读取的上限 {limit:,} 个单元格",
        "A sheet (or a CSV, or an ODS sheet once its repeats unroll) beyond the cells a reader may hold.",
        variants={"excel": "工作表“{sheet}”的范围（{rows} 行 × {cols} 列）超出 Excel 上限（{max_rows} 行 × {max_cols} 列），"
                           "文件已损坏或被篡改",
                  "ods": "工作表“{sheet}”展开后的范围（{rows:,} 行 × {cols:,} 列）超过可读取的上限，文件已损坏或被篡改",
                  "csv": "CSV 第 {row:,} 行超出可读取的上限（{max_rows:,} 行、每行 {max_cols:,} 列、共 {max_cells:,} 个单元格），"
                         "文件已损坏或并非权力清单"})
declare("corrupt-csv", ERROR, "file", "CSV 格式错误", "CSV 格式错误：{error}", "A text file the CSV reader rejects.")
declare("no-power-table", ERROR, "file", "没有权力清单表头",
        "未找到权力清单表头（前 30 行中没有“事项名称/职权名称”等列名，其下至第 200 行也没有），未读取到任何事项",
        "A workbook none of whose sheets has a power-list header.")
declare("no-register-table", ERROR, "file", "没有办件登记表头",
        "未找到办件登记表或运行记录的表头（前 30 行中没有“办件编号/案件编号”及“受理日期”“环节”等列名）",
        "A case register or event log with no recognisable header.",
        variants={"events": "未找到运行记录的表头（编号、环节、开始、完成）"})


def file_error(path: str, code: str, variant: str | None = None, /, **values) -> FileError:
    """The file-level error `code` on `path`, its message from the catalogue."""
    return _on(path, code, RULES[code].message(variant, **values))


def file_error_from(path: str, exc) -> FileError:
    """The file-level error of a SniffError raised while opening `path`."""
    return _on(path, exc.code, exc.message)


def _on(path: str, code: str, message: str) -> FileError:
    return FileError(code, f"{path}：{message}")  # the message names the file first
