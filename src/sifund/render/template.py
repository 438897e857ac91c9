"""The XLSX input template (``sifund template``): sheets, drop-down lists, formats, frozen headers.

The layout (sheets, columns, rows per fund) is data in data/render/template.yaml, shared with
ingest/xlsx_template.py, which reads a filled copy back into a Dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sifund.core.codes import FUND_ORDER, codebook
from sifund.core.errors import SifundError
from sifund.render.safe import set_text_cell
from sifund.render.wording import load
from sifund.render.xlsx_table import save_workbook
from sifund.util import OutputSet

HEAD_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
KEY_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER = "#,##0.00"
PEOPLE = "#,##0"
PERCENT = "0.00"  # a rate is typed as a percent number (98.5 means 98.5 %), never as Excel's 0.985
TEXT = "@"
MAX_ROWS = 500  # validations reach this far, so rows appended by the user are checked too


def layout() -> dict[str, Any]:
    return load("template")


def money_rows(funds: list[str]) -> list[tuple[str, str]]:
    """(fund, item) rows of 基金收支: common items then the fund's own, in code-list order."""
    t, order = layout(), list(codebook().items)
    rows = []
    for fund in funds:
        items = set(t["money_items"]) | set(t["fund_money_items"].get(fund, []))
        rows += [(fund, i) for i in sorted(items, key=order.index)]
    return rows


def people_rows(funds: list[str]) -> list[tuple[str, str]]:
    t, order = layout(), list(codebook().items)
    rows = []
    for fund in funds:
        if fund == "all":
            continue
        items = set(t["people_items"]) | set(t["fund_people_items"].get(fund, []))
        rows += [(fund, i) for i in sorted(items, key=order.index)]
    return rows


def _append(ws: Worksheet, values: list[Any]) -> None:
    """``ws.append`` for text that must stay text: through :func:`set_text_cell`, so a label or
    code list entry starting with ``=``/``-``/``+``/``@`` is never stored as a formula."""
    row = ws._current_row + 1  # the row ws.append would fill
    for col, v in enumerate(values, 1):
        set_text_cell(ws.cell(row=row, column=col), v)


def _header(ws: Worksheet, headers: list[str], widths: list[float]) -> None:
    _append(ws, headers)
    for i, cell in enumerate(ws[1], 1):
        cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1] if i <= len(widths) else 14
    ws.row_dimensions[1].height = 22


def _list_validation(ws: Worksheet, ref: str, column: str, first: int = 2, prompt: str = "") -> None:
    dv = DataValidation(
        type="list",
        formula1=ref,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="无效代码",
        error="请从下拉列表中选择",
        promptTitle="选择",
        prompt=prompt,
    )
    dv.add(f"{column}{first}:{column}{MAX_ROWS}")
    ws.add_data_validation(dv)


def _number_validation(ws: Worksheet, cells: str) -> None:
    dv = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="-1000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="不是数字",
        error="请填写数字（万元/人）",
    )
    dv.add(cells)
    ws.add_data_validation(dv)


def _lists_sheet(wb: Workbook, t: dict[str, Any]) -> dict[str, str]:
    """The hidden 代码表: one column per drop-down list; returns list name -> absolute range."""
    cb = codebook()
    ws = wb.create_sheet(t["sheets"]["lists"])
    people = [c for c, it in cb.items.items() if it.group == "people" or it.kind == "yuan"]
    money = [c for c, it in cb.items.items() if c not in people and it.kind == "money"]
    columns = {
        "fund": ("基金代码", list(FUND_ORDER)),
        "fund_name": ("基金", [cb.funds[c].name for c in FUND_ORDER]),
        "money_item": ("项目代码（金额）", money),
        "people_item": ("项目代码（人数）", people),
        "metric": ("绑定指标", t["metrics"]),
        "judgement": ("评判", t["judgements"]),
        "region_level": ("地区级别", list(t["region_levels"])),
        "level1": ("一级指标", t["level1"]),
        "level2": ("二级指标", t["level2"]),
    }
    refs = {}
    for col, (key, (head, values)) in enumerate(columns.items(), 1):
        letter = get_column_letter(col)
        set_text_cell(ws.cell(row=1, column=col), head).font = HEAD_FONT
        for r, v in enumerate(values, 2):
            set_text_cell(ws.cell(row=r, column=col), v)
        refs[key] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = 26
    ws.sheet_state = "hidden"
    return refs


def _readme(wb: Workbook, t: dict[str, Any]) -> None:
    ws = wb.active
    ws.title = t["sheets"]["readme"]
    ws.column_dimensions["A"].width = 110
    for i, line in enumerate(t["readme"].strip().splitlines(), 1):
        cell = set_text_cell(ws.cell(row=i, column=1), line)
        cell.font = Font(name="宋体", size=14 if i == 1 else 11, bold=i == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _info(wb: Workbook, t: dict[str, Any], refs: dict[str, str]) -> None:
    ws = wb.create_sheet(t["sheets"]["info"])
    _header(ws, ["项目", "内容"], [16, 50])
    for label, _field in t["info"]:
        _append(ws, [label, None])
        ws.cell(row=ws.max_row, column=1).font = HEAD_FONT
    for row in ws.iter_rows(min_row=2, max_col=2):
        for cell in row:
            cell.border = BOX
    fields = [f for _, f in t["info"]]
    level_row = fields.index("region_level") + 2
    dv = DataValidation(type="list", formula1=refs["region_level"], allow_blank=True)
    dv.add(f"B{level_row}")
    ws.add_data_validation(dv)
    year_row = fields.index("year") + 2
    yv = DataValidation(
        type="whole",
        operator="between",
        formula1="1990",
        formula2="2100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="年度",
        error="请填写四位年度，如 2023",
    )
    yv.add(f"B{year_row}")
    ws.add_data_validation(yv)
    for name in ("signoff.date", "signoff.phone"):  # as typed: Excel would turn a date into a serial
        if name in fields:
            ws.cell(row=fields.index(name) + 2, column=2).number_format = TEXT
    ws.freeze_panes = "A2"


def _figure_sheet(
    wb: Workbook,
    name: str,
    columns: list[list[Any]],
    rows: list[tuple[str, str]],
    refs: dict[str, str],
    item_list: str,
) -> None:
    cb = codebook()
    rates = set(layout().get("rate_measures", ()))
    ws = wb.create_sheet(name)
    _header(ws, [h for h, _ in columns], [26, 20, 22, 26] + [13] * (len(columns) - 4))
    for fund, item in rows:
        _append(ws, [cb.funds[fund].name, fund, cb.items[item].name, item] + [None] * (len(columns) - 4))
        r = ws.max_row
        for c in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BOX
            cell.font = BODY_FONT
            if c <= 4:
                cell.fill = KEY_FILL
            elif columns[c - 1][1] in rates:
                cell.number_format = PERCENT
            else:
                cell.number_format = PEOPLE if cb.items[item].kind in ("people", "count") else NUMBER
    ws.freeze_panes = "E2"
    _list_validation(ws, refs["fund"], "B", prompt="基金代码")
    _list_validation(ws, refs[item_list], "D", prompt="项目代码")
    last = get_column_letter(len(columns))
    _number_validation(ws, f"E2:{last}{MAX_ROWS}")
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 2)}"


def _indicators(wb: Workbook, t: dict[str, Any], refs: dict[str, str]) -> None:
    ws = wb.create_sheet(t["sheets"]["indicators"])
    headers = [h for h, _ in t["indicator_columns"]]
    _header(ws, headers, [12, 16, 36, 22, 16, 16, 8, 26, 10, 36])
    letters = {f: get_column_letter(i) for i, (_, f) in enumerate(t["indicator_columns"], 1)}
    _list_validation(ws, refs["level1"], letters["level1"])
    _list_validation(ws, refs["level2"], letters["level2"])
    _list_validation(ws, refs["fund"], letters["fund"], prompt="基金代码（可空）")
    _list_validation(ws, refs["metric"], letters["metric"], prompt="由程序计算实际值的指标（可空）")
    _list_validation(ws, refs["judgement"], letters["judgement"], prompt="定性指标：full/partial/zero")
    _number_validation(ws, f"{letters['weight']}2:{letters['weight']}{MAX_ROWS}")
    for r in range(2, 42):
        for c in range(1, len(headers) + 1):
            ws.cell(row=r, column=c).border = BOX
        ws.cell(row=r, column=headers.index("分值") + 1).number_format = "0.00"
    ws.freeze_panes = "D2"


def _narrative(wb: Workbook, t: dict[str, Any]) -> None:
    ws = wb.create_sheet(t["sheets"]["narrative"])
    _header(ws, ["项目", "代码", "内容"], [22, 14, 100])
    for label, field in t["narrative"]:
        _append(ws, [label, field, None])
        r = ws.max_row
        ws.row_dimensions[r].height = 90
        for c in range(1, 4):
            cell = ws.cell(row=r, column=c)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=r, column=1).font = HEAD_FONT
    ws.freeze_panes = "C2"


def _fund_narrative(wb: Workbook, t: dict[str, Any], funds: list[str], refs: dict[str, str]) -> None:
    """One row per fund (not ``all``): the text printed under that fund in 二 and 三（二）, so reasons
    for one fund's change never end up in a shared cell far from it."""
    cb = codebook()
    ws = wb.create_sheet(t["sheets"]["fund_narrative"])
    columns = t["fund_narrative_columns"]
    _header(ws, [h for h, _ in columns], [26, 20] + [60] * (len(columns) - 2))
    for fund in funds:
        if fund == "all":
            continue
        _append(ws, [cb.funds[fund].name, fund] + [None] * (len(columns) - 2))
        r = ws.max_row
        ws.row_dimensions[r].height = 90
        for c in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c <= 2:
                cell.fill = KEY_FILL
    _list_validation(ws, refs["fund"], "B", prompt="基金代码")
    ws.freeze_panes = "C2"


def check_funds(funds: list[str] | None) -> list[str]:
    """The template's funds: the given codes (checked), else the default list, in code-list order."""
    t = layout()
    if not funds:
        return list(t["default_funds"])
    names = {f.name: c for c, f in codebook().funds.items()}
    out, bad = [], []
    for f in funds:
        for part in str(f).replace("，", ",").split(","):
            code = part.strip()
            code = names.get(code, code)
            if code in FUND_ORDER:
                out.append(code)
            elif code:
                bad.append(code)
    if bad:
        raise SifundError(f"未知基金代码 unknown fund code: {', '.join(bad)}（可选 {', '.join(FUND_ORDER)}）")
    return sorted(dict.fromkeys(out), key=FUND_ORDER.index)


def build_template(funds: list[str] | None = None) -> Workbook:
    t = layout()
    chosen = check_funds(funds)
    wb = Workbook()
    _readme(wb, t)
    refs = _lists_sheet(wb, t)
    _info(wb, t, refs)
    _figure_sheet(wb, t["sheets"]["money"], t["money_columns"], money_rows(chosen), refs, "money_item")
    people = people_rows(chosen)
    _figure_sheet(wb, t["sheets"]["people"], t["people_columns"], people, refs, "people_item")
    _indicators(wb, t, refs)
    _narrative(wb, t)
    _fund_narrative(wb, t, chosen, refs)
    lists = wb[t["sheets"]["lists"]]  # keep the hidden list sheet last
    wb.move_sheet(lists, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists.title))
    wb.active = 0
    return wb


def write_template(path: Path, funds: list[str] | None = None) -> Path:
    """Write a blank input template to ``path`` (atomically) and return the path.

    Through :class:`sifund.util.OutputSet`, as ``report`` does: an existing ``path`` that is not
    a regular file (``/dev/full``, a directory, a FIFO) is refused before anything is created,
    and any error names ``path``.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SifundError(
            f"模板文件应为 .xlsx template must be .xlsx, not {path.suffix or '(none)'}", file=str(path)
        )
    OutputSet(path.parent, [path.name])  # refuse a bad target before building the workbook
    wb = build_template(funds)
    with OutputSet(path.parent, [path.name]) as out:
        out.write(path.name, lambda p: save_workbook(wb, p))
    return path
