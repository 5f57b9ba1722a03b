"""Estimates how many pages each sheet of an xlsx prints on, from its own print set-up
(paper, orientation, margins, fit-to-width, repeated title rows), column widths and row
heights — for when LibreOffice is not at hand to print it. Excel's rules as applied here:
a column of width w is about 7·w + 5 pixels (0.75 pt each); fit-to-width scales the page
content so that all columns fit; a row taller than a page still takes a page.

    python scripts/print_pages.py OUT/public/catalogue/行政权力事项目录.xlsx
"""

from __future__ import annotations

import sys

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

PAPER = {8: (842.0, 1191.0), 9: (595.0, 842.0)}  # A3, A4 portrait, in points (1/72 in)


def sheet_pages(sheet) -> int:
    setup = sheet.page_setup
    width, height = PAPER.get(int(setup.paperSize or 9), PAPER[9])
    if setup.orientation == "landscape":
        width, height = height, width
    margins = sheet.page_margins
    usable_w = width - 72 * ((margins.left or 0.7) + (margins.right or 0.7))
    usable_h = height - 72 * ((margins.top or 0.75) + (margins.bottom or 0.75))
    last = sheet.max_column
    content_w = 0.0
    for col in range(1, last + 1):
        letter = get_column_letter(col)
        dim = sheet.column_dimensions.get(letter)
        w = dim.width if dim is not None and dim.width else 8.43
        content_w += (7 * w + 5) * 0.75
    scale = 1.0
    if sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage \
            and (setup.fitToWidth or 0) >= 1:
        scale = min(1.0, usable_w / content_w)
    elif setup.scale:
        scale = setup.scale / 100
    titles = set()
    if sheet.print_title_rows:
        first, _, end = str(sheet.print_title_rows).replace("$", "").partition(":")
        titles = set(range(int(first), int(end or first) + 1))

    def height_of(r: int) -> float:
        dim = sheet.row_dimensions.get(r)
        return (dim.height if dim is not None and dim.height else 15.0) * scale

    title_h = sum(height_of(r) for r in titles)
    pages, used = 1, 0.0
    for r in range(1, sheet.max_row + 1):
        h = height_of(r)
        room = usable_h - (title_h if pages > 1 or r > max(titles, default=0) else 0)
        if used + h > room and used > 0:
            pages += 1
            used = title_h if r not in titles else 0.0
        used += h
    return pages


def workbook_pages(path: str) -> dict[str, int]:
    book = load_workbook(path)
    return {sheet.title: sheet_pages(sheet) for sheet in book.worksheets}


if __name__ == "__main__":
    for file in sys.argv[1:]:
        pages = workbook_pages(file)
        for name, n in pages.items():
            print(f"{n:6d}  {name}")
        print(f"{sum(pages.values()):6d}  合计 {file}")
