"""The audit of one dataset as an XLSX workbook (审核结果): the findings with their evidence, and
the stated figures the report replaces by their recomputation.

Input is the evaluation JSON (``sifund.api.evaluation_json`` plus the check ``warnings``), as a
submission stores it, so the web download and a script reading ``sifund evaluate --format json``
get the same rows. Every text cell goes through :func:`sifund.render.safe.set_text_cell` (never a
formula, always XML-legal); numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sifund.core.codes import codebook
from sifund.engine.findings import catalogue
from sifund.render.safe import set_text_cell
from sifund.render.xlsx_table import save_workbook

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


class _FindingNames(Mapping[str, str]):
    """Finding code → its Chinese name, read from the finding catalogue (data/engine/findings.yaml)
    when first used: one list of names for the workbook, the web and the catalogue's tests."""

    def __getitem__(self, code: str) -> str:
        return _finding_names()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(_finding_names())

    def __len__(self) -> int:
        return len(_finding_names())


@cache
def _finding_names() -> dict[str, str]:
    return {code: e.name for code, e in catalogue().items()}


FINDING_NAMES: Mapping[str, str] = _FindingNames()

FONT = Font(name="宋体", size=11)
HEAD_FONT = Font(name="宋体", size=11, bold=True)
TITLE_FONT = Font(name="宋体", size=14, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
SEVERITY_FILLS = {
    "error": PatternFill("solid", fgColor="FBE4E1"),
    "warning": PatternFill("solid", fgColor="FDF3DC"),
}
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER = "#,##0.00##"

FINDING_COLUMNS = [
    ("序号", 6),
    ("严重程度", 9),
    ("类别", 20),
    ("基金", 26),
    ("项目", 18),
    ("口径", 14),
    ("填报值", 13),
    ("复核区间", 22),
    ("复核算式", 28),
    ("说明", 60),
    ("依据位置", 22),
    ("依据原文", 40),
]
CORRECTION_COLUMNS = [
    ("序号", 6),
    ("位置", 16),
    ("严重程度", 9),
    ("类别", 20),
    ("项目", 36),
    ("填报值", 13),
    ("复核值", 13),
    ("复核算式", 28),
    ("报告采用复核值", 10),
    ("说明", 60),
]


def _name(table: str, code: Any) -> str:
    if not code:
        return ""
    cb = codebook()
    entry = {"fund": cb.funds, "item": cb.items, "measure": cb.measures}[table].get(str(code))
    return entry.name if entry is not None else str(code)


def _range(r: Any) -> str:
    if not isinstance(r, Sequence) or isinstance(r, str) or len(r) != 2:
        return ""
    lo, hi = (_plain(x) for x in r)
    return lo if lo == hi else f"{lo}~{hi}"


def _plain(v: Any) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        text = f"{float(v):.6f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return "" if v is None else str(v)


def _evidence(f: Mapping[str, Any]) -> tuple[str, str]:
    """(places, quoted texts) of a finding's evidence, one per line."""
    places, texts = [], []
    for e in f.get("evidence") or []:
        if not isinstance(e, Mapping):
            continue
        if e.get("place"):
            places.append(str(e["place"]))
        elif e.get("start") or e.get("end"):
            places.append(f"第{e.get('start')}~{e.get('end')}字")
        if e.get("text"):
            texts.append(f"“{e['text']}”")
    return "\n".join(places), "\n".join(texts)


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _title(ws: Worksheet, text: str, note: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    set_text_cell(ws.cell(1, 1), text).font = TITLE_FONT
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    set_text_cell(ws.cell(2, 1), note).font = FONT


def _table(
    ws: Worksheet, columns: list[tuple[str, int]], rows: list[list[Any]], severities: list[str], sev_col: int
) -> None:
    head = 4
    for c, (label, w) in enumerate(columns, 1):
        cell = set_text_cell(ws.cell(head, c), label)
        cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = w
    for r, (row, sev) in enumerate(zip(rows, severities, strict=True), head + 1):
        for c, v in enumerate(row, 1):
            cell = set_text_cell(ws.cell(r, c), v)
            cell.font, cell.border, cell.alignment = FONT, BOX, WRAP
            if isinstance(v, float):
                cell.number_format = NUMBER
            if c == sev_col and sev in SEVERITY_FILLS:
                cell.fill = SEVERITY_FILLS[sev]
    if not rows:
        ws.merge_cells(start_row=head + 1, start_column=1, end_row=head + 1, end_column=len(columns))
        set_text_cell(ws.cell(head + 1, 1), "（无）").font = FONT
    ws.freeze_panes = ws.cell(head + 1, 1)
    if rows:
        ws.auto_filter.ref = f"A{head}:{get_column_letter(len(columns))}{head + len(rows)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head}:{head}"


def _counts(items: Sequence[Mapping[str, Any]]) -> str:
    n = {k: sum(1 for f in items if f.get("severity") == k) for k in SEVERITY_NAMES}
    parts = [f"{SEVERITY_NAMES[k]}{n[k]}条" for k in ("error", "warning", "info") if n[k]]
    return f"共{len(items)}条" + (f"（{'，'.join(parts)}）" if parts else "")


def build_audit_workbook(evaluation: Mapping[str, Any], region: str = "", year: Any = None) -> Workbook:
    """Two sheets: 审核发现 (every audit finding, info included, with its evidence) and 数据更正
    (the check warnings: a stated figure, where it was typed, its recomputation, and whether the
    report prints the recomputed value)."""
    findings = [f for f in evaluation.get("findings") or [] if isinstance(f, Mapping)]
    corrections = evaluation.get("warnings")
    if corrections is None:
        corrections = evaluation.get("corrections") or []
    corrections = [c for c in corrections if isinstance(c, Mapping)]
    who = f"{region}{year}年" if region and year else (region or (f"{year}年" if year else ""))

    wb = Workbook()
    ws = wb.active
    ws.title = "审核发现"
    _title(ws, f"{who}社会保险基金数据审核结果", f"审核发现{_counts(findings)}。", len(FINDING_COLUMNS))
    rows, sevs = [], []
    for i, f in enumerate(findings, 1):
        places, texts = _evidence(f)
        rows.append(
            [
                i,
                SEVERITY_NAMES.get(str(f.get("severity")), str(f.get("severity") or "")),
                FINDING_NAMES.get(str(f.get("code")), str(f.get("code") or "")),
                _name("fund", f.get("fund")),
                _name("item", f.get("item")),
                _name("measure", f.get("measure")),
                _number(f.get("stated")),
                _range(f.get("expected_range")),
                str(f.get("recomputation") or ""),
                str(f.get("message") or ""),
                places,
                texts,
            ]
        )
        sevs.append(str(f.get("severity") or ""))
    _table(ws, FINDING_COLUMNS, rows, sevs, 2)

    ws2 = wb.create_sheet("数据更正")
    fixed = sum(1 for c in corrections if c.get("corrected"))
    _title(
        ws2,
        f"{who}报送数字与复核结果不一致情况",
        f"{_counts(corrections)}，其中报告采用复核值{fixed}条。",
        len(CORRECTION_COLUMNS),
    )
    rows, sevs = [], []
    for i, c in enumerate(corrections, 1):
        rows.append(
            [
                i,
                str(c.get("place") or ""),
                SEVERITY_NAMES.get(str(c.get("severity")), str(c.get("severity") or "")),
                FINDING_NAMES.get(str(c.get("code")), str(c.get("code") or "")),
                str(c.get("label") or ""),
                str(c.get("stated_text") or _plain(c.get("stated"))),
                str(c.get("computed_text") or _plain(c.get("computed"))),
                str(c.get("recomputation") or ""),
                "是" if c.get("corrected") else "否",
                str(c.get("message") or ""),
            ]
        )
        sevs.append(str(c.get("severity") or ""))
    _table(ws2, CORRECTION_COLUMNS, rows, sevs, 3)
    wb.active = 0
    return wb


def audit_xlsx_bytes(evaluation: Mapping[str, Any], region: str = "", year: Any = None) -> bytes:
    buf = io.BytesIO()
    save_workbook(build_audit_workbook(evaluation, region, year), buf)
    return buf.getvalue()
