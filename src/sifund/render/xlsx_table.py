"""The 自评表 workbook (openpyxl): the shared Grid with real merges, borders, number formats, print setup.

A second sheet lists every metric the engine computed, with its formula, so a reviewer can
trace each number in the report to its inputs.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sifund.core.codes import codebook
from sifund.engine.evaluation import Evaluation
from sifund.render.blocks import Block, Cell, Grid
from sifund.render.selftable import build_grid
from sifund.render.wording import load

SHEET = "自评表"
METRICS_SHEET = "计算指标"
WIDTHS = (10, 11, 13, 28, 14, 14, 8, 8, 26)
NUMBER_FORMATS = {"money": "#,##0.00", "percent": '0.00"%"', "score": "0.00"}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL = PatternFill("solid", fgColor="F2F2F2")


def _font(kind: str) -> Font:
    f = load("fonts")["xlsx"]
    if kind == "title":
        return Font(name=f["name"], size=f["title_size"], bold=True)
    return Font(name=f["name"], size=f["size"], bold=kind == "header")


def _value(c: Cell) -> str | float | None:
    if isinstance(c.value, float | int):
        return round(float(c.value), 2)
    return c.value or None


def write_grid(ws: Worksheet, grid: Grid) -> None:
    for c in grid.cells:
        row, col = c.row + 1, c.col + 1
        cell = ws.cell(row=row, column=col, value=_value(c))
        cell.font = _font(c.kind)
        horizontal = {"title": "center", "subtitle": "right", "header": "center", "label": "center"}.get(
            c.kind, "right" if c.kind in NUMBER_FORMATS else "left"
        )
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if c.kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[c.kind]
        boxed = c.kind not in ("title", "subtitle")
        for r in range(row, row + c.rowspan):
            for k in range(col, col + c.colspan):
                target = ws.cell(row=r, column=k)
                if boxed:
                    target.border = BOX
                if c.kind in ("header", "label"):
                    target.fill = FILL
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(
                start_row=row, start_column=col, end_row=row + c.rowspan - 1, end_column=col + c.colspan - 1
            )
    for i, w in enumerate(WIDTHS[: grid.ncols], 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.row_dimensions[1].height = 30
    for c in grid.cells:  # tall rows for long text (goals, reasons): wrap needs explicit heights
        if isinstance(c.value, str) and c.rowspan == 1:
            width = sum(WIDTHS[c.col : c.col + c.colspan])
            lines = max(1, -(-len(c.value) * 2 // max(width, 1)))
            current = ws.row_dimensions[c.row + 1].height or 15
            ws.row_dimensions[c.row + 1].height = max(current, min(400, 15 * lines))


def _print_setup(ws: Worksheet, grid: Grid) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_title_rows = "1:2"
    ws.print_area = f"A1:{get_column_letter(grid.ncols)}{grid.nrows}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _metrics_sheet(ws: Worksheet, ev: Evaluation) -> None:
    cb = codebook()
    ws.append(["基金", "指标代码", "指标", "数值", "单位", "计算公式", "说明"])
    for m in ev.metrics:
        fund = cb.funds[m.fund].name if m.fund in cb.funds else m.fund
        ws.append(
            [fund, m.code, m.name, None if m.value is None else round(m.value, 2), m.unit, m.formula, m.note]
        )
        ws.cell(row=ws.max_row, column=4).number_format = "#,##0.00"
    for cell in ws[1]:
        cell.font = _font("header")
        cell.fill = FILL
    for i, w in enumerate((26, 28, 26, 14, 8, 40, 30), 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def build_workbook(ev: Evaluation) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    grid = build_grid(ev)
    write_grid(ws, grid)
    _print_setup(ws, grid)
    _metrics_sheet(wb.create_sheet(METRICS_SHEET), ev)
    return wb


def xlsx_bytes(ev: Evaluation, blocks: list[Block]) -> bytes:
    buf = io.BytesIO()
    build_workbook(ev).save(buf)
    return buf.getvalue()
