"""The 自评表 workbook (openpyxl): the shared Grid with real merges, borders, number formats, print setup.

A second sheet lists every metric the engine computed, with its formula, so a reviewer can
trace each number in the report to its inputs.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
import tempfile
from copy import copy
from functools import cache
from typing import Any

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from sifund.core.codes import codebook
from sifund.engine.results import Evaluation
from sifund.render.blocks import Block, Cell, Grid
from sifund.render.safe import set_text_cell
from sifund.render.selftable import build_grid
from sifund.render.wording import load

SHEET = "自评表"
METRICS_SHEET = "计算指标"
WIDTHS = {  # character widths per column; with a 基金 column the 项目资金 values sit in E:J
    9: (10, 11, 13, 28, 14, 14, 8, 8, 26),
    10: (8, 10, 10, 12, 26, 14, 14, 8, 10, 24),
}
METRICS_HEADER = ("基金", "指标", "数值", "单位", "计算公式", "说明", "指标代码")
METRICS_WIDTHS = (24, 30, 12, 8, 36, 34, 26)
NUMBER_FORMATS = {"money": "#,##0.00", "percent": '0.00"%"', "score": "0.00"}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL = PatternFill("solid", fgColor="F2F2F2")


@cache
def _font(kind: str) -> Font:
    f = load("fonts")["xlsx"]
    if kind == "title":
        return Font(name=f["name"], size=f["title_size"], bold=True)
    return Font(name=f["name"], size=f["size"], bold=kind == "header")


def _value(c: Cell) -> str | float | None:
    if isinstance(c.value, float | int):
        return round(float(c.value), 2)
    return c.value or None


def _style_cell(cell: Any, kind: str) -> None:
    """Font, alignment, number format, border and fill of a grid cell of ``kind``."""
    cell.font = _font(kind)
    horizontal = {"title": "center", "subtitle": "right", "header": "center", "label": "center"}.get(
        kind, "right" if kind in NUMBER_FORMATS else "left"
    )
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    if kind == "signoff":
        cell.alignment = Alignment(horizontal="left", vertical="bottom")
    if kind not in ("title", "subtitle", "signoff"):
        cell.border = BOX
    if kind in ("header", "label"):
        cell.fill = FILL


def _merge(ws: Worksheet, row: int, col: int, rowspan: int, colspan: int, style: Any) -> None:
    """Merge the range anchored at (row, col); every covered cell gets the anchor's box and fill.

    Why not ``ws.merge_cells``: it re-assigns border and protection cell by cell through
    openpyxl's style descriptors (each a hash of the style objects), which for the tall 一级/二级
    merges of a 1000-indicator 自评表 took most of 10 s. Copying a finished style array is what
    openpyxl itself does when it loads a file; the drawn result is the same (Excel draws a merged
    area from its edge cells, all of which carry the full box here).
    """
    last_row, last_col = row + rowspan - 1, col + colspan - 1
    coord = f"{get_column_letter(col)}{row}:{get_column_letter(last_col)}{last_row}"
    ws.merged_cells.add(MergedCellRange(ws, coord))
    for r in range(row, last_row + 1):
        for k in range(col, last_col + 1):
            if (r, k) != (row, col):
                merged = MergedCell(ws, row=r, column=k)
                merged._style = copy(style)
                ws._cells[(r, k)] = merged


def write_grid(ws: Worksheet, grid: Grid) -> None:
    """The grid as cells with real merges; text from the dataset is stored as text, never a formula.

    Each kind of cell is styled once through openpyxl and the others copy its style array, so
    the sheet is linear in the number of indicators with a small constant.
    """
    styles: dict[str, Any] = {}
    for c in grid.cells:
        row, col = c.row + 1, c.col + 1
        cell = ws.cell(row=row, column=col)
        if c.kind in styles:
            cell._style = copy(styles[c.kind])
        else:
            _style_cell(cell, c.kind)
            styles[c.kind] = copy(cell._style)
        if c.rowspan > 1 or c.colspan > 1:
            _merge(ws, row, col, c.rowspan, c.colspan, styles[c.kind])
        set_text_cell(cell, _value(c))  # last: it may add the quote prefix to this cell's style
    widths = _widths(grid)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.row_dimensions[1].height = 30
    for c in grid.cells:  # tall rows for long text (goals, reasons): wrap needs explicit heights
        if isinstance(c.value, str) and c.rowspan == 1 and c.kind != "signoff":
            width = sum(widths[c.col : c.col + c.colspan])
            lines = max(1, -(-len(c.value) * 2 // max(width, 1)))
            current = ws.row_dimensions[c.row + 1].height or 15
            ws.row_dimensions[c.row + 1].height = max(current, min(400, 15 * lines))


def _widths(grid: Grid) -> tuple[int, ...]:
    return WIDTHS.get(grid.ncols) or tuple([12] * grid.ncols)


def _print_setup(ws: Worksheet, grid: Grid) -> None:
    """A4 portrait, one page wide; the indicator header row repeats atop every printed page.

    Portrait like the DOCX table and the forms a 财政局 files; the rows then take as many pages as
    their text needs (two or three for a seven-fund table), each page headed by 一级指标 … 得分.
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    head = (grid.repeat_row if grid.repeat_row is not None else 1) + 1
    ws.print_title_rows = f"{head}:{head}"
    ws.print_area = f"A1:{get_column_letter(grid.ncols)}{grid.nrows}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _metrics_sheet(ws: Worksheet, ev: Evaluation) -> None:
    """Every computed metric with its formula, in Chinese; the code (for the programs that read the
    evaluation JSON) last and outside the print area, landscape, one page wide."""
    cb = codebook()
    for col, head in enumerate(METRICS_HEADER, 1):
        ws.cell(row=1, column=col, value=head)
    for r, m in enumerate(ev.metrics, 2):
        fund = cb.funds[m.fund].name if m.fund in cb.funds else m.fund
        value = None if m.value is None else round(m.value, 2)
        # the 计算公式 column is a formula as text ("38429 / 39617 × 100"), shown, never evaluated
        for col, v in enumerate([fund, m.name, value, m.unit, m.formula, m.note, m.code], 1):
            set_text_cell(ws.cell(row=r, column=col), v)
        ws.cell(row=r, column=3).number_format = "#,##0.00"
    for cell in ws[1]:
        cell.font = _font("header")
        cell.fill = FILL
    for i, w in enumerate(METRICS_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(len(METRICS_HEADER) - 1)}{max(1, len(ev.metrics) + 1)}"
    ws.oddFooter.center.text = "计算指标 第 &P 页，共 &N 页"


def build_workbook(ev: Evaluation) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    grid = build_grid(ev)
    write_grid(ws, grid)
    _print_setup(ws, grid)
    _metrics_sheet(wb.create_sheet(METRICS_SHEET), ev)
    return wb


def _quiet_writer_noise(u: Any) -> None:
    """Drop the "Exception ignored in WorksheetWriter.get_stream" echo of a failed save."""
    if not isinstance(u.exc_value, etree.SerialisationError | OSError):
        sys.__unraisablehook__(u)


def save_workbook(wb: Workbook, dest: Any) -> None:
    """``wb.save(dest)``; a write failure is one OSError, with nothing printed on stderr.

    Why: openpyxl streams every sheet through a temporary file in TMPDIR even when saving to
    memory. When that disk is full, lxml raises SerialisationError("IO_ENOSPC") rather than an
    OSError, and the abandoned writer generator then prints "Exception ignored … Traceback" on
    stderr when it is collected. Here it becomes OSError(ENOSPC, …) and the echo is silenced.
    """
    failure: OSError | None = None
    previous = sys.unraisablehook
    sys.unraisablehook = _quiet_writer_noise
    try:
        try:
            wb.save(dest)
        except etree.SerialisationError as e:
            code = getattr(errno, str(e).removeprefix("IO_"), errno.EIO)
            where = tempfile.gettempdir()
            failure = OSError(code, f"{os.strerror(code)}（临时目录 temporary folder {where}）")
        except OSError as e:
            failure = OSError(e.errno, e.strerror or str(e))
        if failure is not None:  # only a failed save leaves a writer behind (a full gc costs ~50 ms)
            gc.collect()  # finalise the abandoned writer while its echo is silenced
    finally:
        sys.unraisablehook = previous
    if failure is not None:
        raise failure


def xlsx_bytes(ev: Evaluation, blocks: list[Block]) -> bytes:
    buf = io.BytesIO()
    save_workbook(build_workbook(ev), buf)
    return buf.getvalue()
