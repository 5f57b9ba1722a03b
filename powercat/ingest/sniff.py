"""Decide a file's real format from its bytes, and refuse what is unsafe to open.

Agencies rename files freely (an OLE `.xls` named `.xlsx` is common), so the extension
only breaks ties for plain text. Zip containers are checked for bombs before any
library inflates them: neither zipfile nor calamine caps decompression.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from ..errors import EXIT_UNREADABLE, PowercatError
from ..rules import RULES
from . import file_errors  # noqa: F401 – declares the codes raised here

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# The directory entry name of an encrypted OOXML package inside its OLE wrapper (UTF-16LE).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
# Small parts legitimately compress very well (empty styles, repeated rows); the ratio
# check applies to parts that inflate beyond this.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000


class SniffError(PowercatError):
    """A file that is not a workbook we can safely read. `code` is stable kebab-case, one of
    the file errors of the catalogue (ingest/file_errors.py)."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    @classmethod
    def of(cls, code: str, variant: str | None = None, /, **values) -> SniffError:
        """The file error `code`, its message from the catalogue's template (or `variant`)."""
        return cls(code, RULES[code].message(variant, **values))


@dataclass(frozen=True)
class Sniffed:
    format: str  # xlsx / xls / ods / csv
    data: bytes


def sniff(data: bytes, name: str) -> Sniffed:
    """The real format of `data`; raises SniffError for what we must not or cannot read."""
    if len(data) == 0:
        raise SniffError.of("empty-file")
    if len(data) > MAX_FILE_BYTES:
        raise SniffError.of("file-too-large", size=len(data) // 2**20, limit=MAX_FILE_BYTES // 2**20)
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            raise SniffError.of("encrypted", "open-password")
        if not _OLE_WORKBOOK_STREAM.search(data):  # the reader would only say "Cannot detect file format"
            raise SniffError.of("not-a-workbook", "doc" if _OLE_WORD_STREAM in data else "ole")
        return Sniffed("xls", data)
    if data.startswith(ZIP_MAGICS):
        return Sniffed(_check_zip(data), data)
    if _looks_like_html(data):
        raise SniffError.of("html-disguised")
    if _looks_like_text(data):
        return Sniffed("csv", data)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in {"xlsx", "xlsm", "xls", "ods", "xlsb"}:
        raise SniffError.of("corrupt-workbook", "suffix", suffix=suffix)
    raise SniffError.of("unknown-format")


# the directory entry of an .xls's "Workbook" (BIFF8) or "Book" (BIFF5) stream: its UTF-16 name
# and the terminating NUL; a Word .doc holds "WordDocument" instead
_OLE_WORKBOOK_STREAM = re.compile(b"(?i)b\x00o\x00o\x00k\x00\x00\x00")
_OLE_WORD_STREAM = "WordDocument".encode("utf-16-le")


def _check_zip(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception as exc:  # noqa: BLE001 – zipfile raises BadZipFile, NotImplementedError, ValueError, …
        raise SniffError.of("corrupt-zip", error=type(exc).__name__) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SniffError.of("zip-bomb", "entries", count=len(entries))
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_INFLATED_BYTES:
            raise SniffError.of("zip-bomb", limit=MAX_INFLATED_BYTES // 2**20)
        if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise SniffError.of("zip-bomb", "ratio", part=entry.filename, ratio=ratio, limit=MAX_RATIO)
    names = {entry.filename for entry in entries}
    _refuse_entities(archive, entries)
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        _check_ods_expansion(archive)
        return "ods"
    if "word/document.xml" in names:
        raise SniffError.of("not-a-workbook")
    raise SniffError.of("zip-no-workbook")


def _refuse_entities(archive: zipfile.ZipFile, entries) -> None:
    """Spreadsheet XML never declares a DOCTYPE; one that does is an entity bomb (billion
    laughs) or an external-entity probe. Only the head of each part is inflated."""
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(entry) as part:
                head = part.read(4096)
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, EOFError, ValueError, NotImplementedError):
            continue  # left to the reader, which reports a corrupt workbook
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise SniffError.of("xml-entities", part=entry.filename)


# What an ODS sheet may expand to once repeated rows and columns are unrolled: Excel's
# grid, and 5 million cells (calamine holds ~120 bytes a cell: 600 MB; a real list of
# 100,000 rows × 30 columns is 3 million).
MAX_SHEET_ROWS, MAX_SHEET_COLS, MAX_SHEET_CELLS = 1_048_576, 16_384, 5_000_000
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _check_ods_expansion(archive: zipfile.ZipFile) -> None:
    """ODS compresses runs of rows and cells into `number-rows-repeated` and
    `number-columns-repeated`: a 1 KB file can ask a reader for a billion cells (calamine
    took 3.7 GB for 30 million). The unrolled extent of every sheet is computed here, from
    the attributes alone, before any reader expands it."""
    from xml.etree.ElementTree import XMLPullParser

    parser = XMLPullParser(events=("start", "end"))
    table = row_index = max_row = max_col = 0
    name = ""
    row_repeat, col, row_last_col = 1, 0, -1

    def repeat(element, attribute: str) -> int:
        try:
            return max(1, int(element.get(_TABLE + attribute, "1")))
        except ValueError:
            return 1

    def refuse(rows: int, cols: int) -> None:
        raise SniffError.of("sheet-too-large", "ods", sheet=name, rows=rows, cols=cols)

    try:
        with archive.open("content.xml") as stream:
            while chunk := stream.read(1 << 20):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    tag = element.tag
                    if event == "start":
                        if tag == _TABLE + "table":
                            table, row_index, max_row, max_col = table + 1, 0, -1, -1
                            name = element.get(_TABLE + "name", str(table))
                        elif tag == _TABLE + "table-row":
                            row_repeat, col, row_last_col = repeat(element, "number-rows-repeated"), 0, -1
                        continue
                    if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                        width = repeat(element, "number-columns-repeated")
                        if element.get(_OFFICE + "value-type") or len(element):
                            row_last_col = col + width - 1
                        col += width
                        element.clear()
                    elif tag == _TABLE + "table-row":
                        if row_last_col >= 0:
                            max_row, max_col = row_index + row_repeat - 1, max(max_col, row_last_col)
                            rows, cols = max_row + 1, max_col + 1
                            if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLS or rows * cols > MAX_SHEET_CELLS:
                                refuse(rows, cols)
                        row_index += row_repeat
                        element.clear()
    except SniffError:
        raise
    except Exception:  # noqa: BLE001 – malformed XML: the reader will report the corrupt file
        return


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) and b"<table" in data[:65536].lower()


def _looks_like_text(data: bytes) -> bool:
    """Text in UTF-8 or GB18030 (the GB family's superset), allowing a few stray NUL or
    undecodable bytes (a damaged export is still a CSV), but not binary data."""
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    nuls = sample.count(b"\x00")
    if nuls > max(4, len(sample) // 100):
        return False
    sample = sample.replace(b"\x00", b"")
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut at the sample's end
                return True
    # a stray byte in a GB18030 export is as common as in a UTF-8 one: judge by the encoding
    # that leaves fewer undecodable bytes
    decoded = min((sample.decode(encoding, errors="replace") for encoding in ("utf-8", "gb18030")),
                  key=lambda text: text.count("\ufffd"))
    return decoded.count("\ufffd") <= max(2, len(decoded) // 200) and not _BINARY.search(decoded)


_BINARY = re.compile("[\x01-\x08\x0e-\x1a]{4,}")
