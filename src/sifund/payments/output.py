"""The 疑点清单 outputs of a payment audit: a text table for the terminal and the workbook.

Both read only an :class:`~sifund.payments.model.AuditResult` (never an engine), so the DuckDB and
the Spark backend print and write the same thing, and the tests build results by hand. Every word
a user reads (headers, sheet names, the 核查状态 list) is in ``data/payments/output.yaml``.

Why the workbook is shaped as it is: the 经办机构 that verify 疑点 work one rule at a time (a 死亡冒领
is checked against 民政 records, a 重复领取 against the payment batch), so each rule with hits gets
its own sheet, with empty columns for the verification (核查状态 as a drop-down, 核查说明, 追回金额)
that the web app's 疑点 workflow reads back. ID numbers are written as text: an 18-digit number in
a numeric cell loses its last three digits to floating point and shows as 3.20102E+17.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sifund.core.packaged import data_yaml
from sifund.payments.model import RISKS, AuditResult, Hit, RowRef, RuleSummary

SHEET_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header row
SHEET_NAME_CHARS = 31  # Excel's limit on a sheet name
CELL_CHARS = 32_767  # Excel's limit on a text cell
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_PERIOD = re.compile(r"(\d{4})-(\d{2})")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")  # ESC[…, line breaks: not for the terminal
TABLE_ORDER = ("payments", "contributions", "deaths", "people")  # docs/payments.md: rows' order


@dataclass(frozen=True)
class Check:
    """Where the verification of one hit stands, to pre-fill its row's 核查状态, 核查说明 and
    追回金额（元） (the web app's workbook; the CLI's has none: 待核查 and empty). ``status`` is
    one of output.yaml's ``xlsx.statuses`` words; ``recovered`` None leaves the cell empty."""

    status: str
    note: str = ""
    recovered: float | None = None


@cache
def wording() -> dict[str, Any]:
    """``data/payments/output.yaml``: headers, sheet names, the verification list, fonts."""
    return data_yaml("payments", "output.yaml")


# --------------------------------------------------------------------------- shared pieces


def text_width(s: str) -> int:
    """Columns ``s`` takes in a terminal: East Asian wide and full-width chars (汉字, ，（）) count
    2, combining marks 0, everything else 1 — what ``wcwidth`` does for these scripts, without it."""
    width = 0
    for ch in s:
        if ch.isascii():
            width += 1
        elif unicodedata.combining(ch):
            continue
        else:
            width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def money(amount: float) -> str:
    """元 with two decimals and thousands separators, as a Chinese finance table prints them."""
    return f"{amount:,.2f}"


def risk_name(risk: str) -> str:
    return str(wording()["risk_names"].get(risk, risk))


def ordered_rules(result: AuditResult) -> list[tuple[str, RuleSummary]]:
    """``summary.by_rule`` by risk (high, medium, low), then the catalogue's order (the dict's)."""
    rank = {r: i for i, r in enumerate(RISKS)}
    return sorted(result.summary.by_rule.items(), key=lambda kv: rank.get(kv[1].risk, len(RISKS)))


def rule_name(result: AuditResult, code: str) -> str:
    s = result.summary.by_rule.get(code)
    return s.name if s is not None and s.name else code


def _month(period: str) -> int | None:
    m = _PERIOD.fullmatch(period)
    return int(m[1]) * 12 + int(m[2]) - 1 if m else None


def period_text(periods: Iterable[str]) -> str:
    """The periods with runs of consecutive months joined: ``2024-03至2024-06、2024-09``.

    Exact (every period involved can be read back) and short: a person paid for a whole year after
    death is one range, not twelve months."""
    w = wording()["periods"]
    runs: list[list[Any]] = []  # [first, last, month index of last]
    for p in periods:
        m = _month(p)
        if runs and m is not None and runs[-1][2] is not None and m == runs[-1][2] + 1:
            runs[-1][1], runs[-1][2] = p, m
        else:
            runs.append([p, p, m])
    return w["joiner"].join(a if a == b else w["range"].format(first=a, last=b) for a, b, _ in runs)


def rows_text(rows: Iterable[RowRef], limit: int = CELL_CHARS) -> str:
    """The evidence rows by table: ``payments 第12、13条；deaths 第3条``; cut at a separator (with
    the count of all rows) so the text stays within ``limit`` characters, a workbook cell's maximum."""
    w = wording()["rows"]
    by_table: dict[str, list[int]] = {}
    for r in rows:
        by_table.setdefault(r.table, []).append(r.row)
    order = [t for t in TABLE_ORDER if t in by_table] + sorted(t for t in by_table if t not in TABLE_ORDER)
    text = w["table_joiner"].join(
        w["table"].format(table=t, rows=w["row_joiner"].join(map(str, sorted(by_table[t])))) for t in order
    )
    if len(text) <= limit:
        return text
    tail = w["cut"].format(count=f"{sum(map(len, by_table.values())):,}")
    keep = text[: max(0, limit - len(tail))]
    cut = max(keep.rfind(w["row_joiner"]), keep.rfind(w["table_joiner"]))
    return keep[: max(cut, 0)] + tail


def _reason(hit: Hit) -> str:
    """The hit's reason, with the other IDs when the reason does not already name them."""
    if hit.other_ids and not all(i in hit.reason for i in hit.other_ids):
        return hit.reason + wording()["table"]["other_ids"].format(ids="、".join(hit.other_ids))
    return hit.reason


# --------------------------------------------------------------------------- the terminal table


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - text_width(s))
    return gap + s if right else s + gap


def _grid(header: list[str], rows: list[list[str]], right: set[int]) -> Iterator[str]:
    """Rows aligned by display width (two spaces between columns); the last column is not padded,
    so a long 疑点说明 does not push every line to its width. Control characters from the data (a
    line break, an ANSI escape) print as spaces."""
    rows = [[_CONTROLS.sub(" ", v) for v in r] for r in rows]
    widths = [text_width(h) for h in header]
    for r in rows:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], text_width(v))
    last = len(header) - 1

    def line(cells: list[str]) -> str:
        return "  ".join(
            c if i == last and i not in right else _pad(c, widths[i], i in right) for i, c in enumerate(cells)
        ).rstrip()

    yield line(header)
    yield "  ".join("-" * w for w in widths)
    for r in rows:
        yield line(r)


def iter_table(result: AuditResult, max_hits: int | None = None) -> Iterator[str]:
    """The lines of :func:`format_table`; ``max_hits`` bounds the hits listed (None: all)."""
    w = wording()["table"]
    s = result.summary
    by_risk = {r: 0 for r in RISKS}
    for h in result.hits:
        by_risk[h.risk] = by_risk.get(h.risk, 0) + 1
    first, last = (s.periods[0], s.periods[-1]) if s.periods else ("", "")
    yield w["headline"].format(
        payments=f"{s.payments:,}", people=f"{s.people:,}", first=first, last=last,
        hits=f"{len(result.hits):,}", **{k: f"{v:,}" for k, v in by_risk.items() if k in RISKS},
    )  # fmt: skip
    yield ""
    yield w["summary_title"]
    rows = []
    people = count = 0
    amount = 0.0
    for code, r in ordered_rules(result):
        note = w["skipped"].format(reason=r.skipped) if r.skipped else ""
        rows.append([code, r.name, risk_name(r.risk), f"{r.people:,}", f"{r.rows:,}", money(r.amount), note])
        people, count, amount = people + r.people, count + r.rows, amount + r.amount
    rows.append([w["total"], "", "", f"{people:,}", f"{count:,}", money(amount), ""])
    yield from _grid(list(w["summary_header"]), rows, right={3, 4, 5})
    yield ""
    yield w["hits_title"]
    if not result.hits:
        yield w["no_hits"]
        return
    shown = result.hits if max_hits is None else result.hits[:max_hits]
    rows = [
        [risk_name(h.risk), rule_name(result, h.rule), h.person_id, h.name, period_text(h.periods),
         money(h.amount), _reason(h)]
        for h in shown
    ]  # fmt: skip
    yield from _grid(list(w["hits_header"]), rows, right={5})
    if len(shown) < len(result.hits):
        yield w["more_hits"].format(count=f"{len(result.hits) - len(shown):,}")


def format_table(result: AuditResult, max_hits: int | None = None) -> str:
    """A readable Chinese text table for the terminal (``--format table``): the headline, the
    summary by rule and risk, then the hits, aligned for CJK (汉字 two columns wide)."""
    return "\n".join(iter_table(result, max_hits)) + "\n"


# --------------------------------------------------------------------------- the workbook


def sheet_title(name: str, n: int, used: set[str]) -> str:
    """A legal, unused sheet name from a rule's 名称: no ``[]:*?/\\``, not quoted, at most 31 chars;
    the ``n``-th sheet of one rule is ``名称（n）``. Excel compares sheet names case-insensitively."""
    cont = wording()["xlsx"]["continued"]
    base = _SHEET_FORBIDDEN.sub("", name).strip().strip("'") or "sheet"
    k = n
    while True:
        suffix = cont.format(name="", n=k) if k > 1 else ""
        title = base[: SHEET_NAME_CHARS - len(suffix)].rstrip().strip("'") + suffix
        if title.casefold() not in used:
            used.add(title.casefold())
            return title
        k += 1


class _Styles:
    """The few cell styles of the workbook, each made once as openpyxl's style array.

    Why: assigning ``cell.font``/``number_format`` hashes the style objects to find their index on
    every cell, and a styled write-only cell costs about three plain ones (20,000 hits with every
    cell styled: 14–18 s, against 4 s for plain values). So only the cells that need a format (ID
    numbers as text, amounts) are cells, given a copy of a ready array; everything else is a plain
    value in the workbook's default font, which is made 宋体 (:func:`_default_font`)."""

    def __init__(self, ws: Any) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        w = wording()
        f = w["fonts"]
        thin = Side(style="thin", color="A0A0A0")
        body = Font(name=f["body"], size=f["size"])
        head = Font(name=f["header"], size=f["size"], bold=True)
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)

        def make(font: Any, fmt: str | None = None, alignment: Any = None, header: bool = False) -> Any:
            c = WriteOnlyCell(ws)
            c.font = font
            if fmt:
                c.number_format = fmt
            if alignment is not None:
                c.alignment = alignment
            if header:
                c.fill = PatternFill("solid", fgColor=w["xlsx"]["header_fill"])
                c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            return c._style

        self.header = make(head, alignment=center, header=True)
        self.id = make(body, "@")  # ID numbers: text, never 1.10105E+17
        self.count = make(body, "#,##0")
        self.amount = make(body, w["number_format"])
        self.center = make(body, alignment=center)
        self.total = make(head)
        self.total_count = make(head, "#,##0")
        self.total_amount = make(head, w["number_format"])


def _default_font(wb: Any) -> None:
    """Make 宋体 the workbook's default font (font 0 and the Normal style), so that plain values,
    and the empty cells a verifier types into, show in it without a style of their own.

    openpyxl has no public setter for this: it starts every workbook with Calibri as font 0. The
    two private lists are replaced before any cell exists; tests/payments/test_output.py reads the
    font of a plain cell back, so an openpyxl that changes them fails there, not silently."""
    from openpyxl.styles import Font, NamedStyle
    from openpyxl.styles.named_styles import NamedStyleList
    from openpyxl.utils.indexed_list import IndexedList

    f = wording()["fonts"]
    font = Font(name=f["body"], size=f["size"])
    wb._fonts = IndexedList([font])
    wb._named_styles = NamedStyleList()
    wb.add_named_style(NamedStyle(name="Normal", font=copy(font), builtinId=0))


def _cell(ws: Any, value: Any, style: Any = None) -> Any:
    """What a write-only row holds for ``value``: the value itself when it needs no style and is
    safe as it is, else a cell (with a copy of one of :class:`_Styles`' arrays). Text is made
    XML-legal and never a formula (``render.safe`` quotes it)."""
    from sifund.render.safe import XLSX_CELL_CHARS, is_formula_like, set_text_cell, xml_text

    if style is None:
        if value is None or isinstance(value, int | float):
            return value
        if isinstance(value, str):
            value = xml_text(value)
            if len(value) <= XLSX_CELL_CHARS and not is_formula_like(value):
                return value
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws)
    if style is not None:
        c._style = copy(style)
    return set_text_cell(c, value)


def _page(ws: Any) -> None:
    """Header row frozen on screen and repeated on every printed page; landscape A4."""
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # all columns on one page width, rows run on
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _header_row(ws: Any, header: list[str], st: _Styles) -> list[Any]:
    return [_cell(ws, h, st.header) for h in header]


def _summary_sheet(ws: Any, result: AuditResult, st: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    w = wording()["xlsx"]
    for i, width in enumerate(w["summary_widths"], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _page(ws)
    ws.append(_header_row(ws, list(w["summary_header"]), st))
    people = count = 0
    amount = 0.0
    for code, r in ordered_rules(result):
        note = w["skipped"].format(reason=r.skipped) if r.skipped else None
        ws.append([  # the code, 名称, 类别, 风险等级, then the counts and the money
            _cell(ws, code), _cell(ws, r.name), _cell(ws, r.category),
            _cell(ws, risk_name(r.risk), st.center), _cell(ws, r.people, st.count),
            _cell(ws, r.rows, st.count), _cell(ws, round(r.amount, 2), st.amount), _cell(ws, note),
        ])  # fmt: skip
        people, count, amount = people + r.people, count + r.rows, amount + r.amount
    ws.append([
        _cell(ws, w["total"], st.total), None, None, None, _cell(ws, people, st.total_count),
        _cell(ws, count, st.total_count), _cell(ws, round(amount, 2), st.total_amount),
    ])  # fmt: skip
    ws.append([_cell(ws, w["total_note"])])


def _rule_sheet(
    wb: Any,
    title: str,
    hits: list[Hit],
    first: int,
    st: _Styles,
    checks: Sequence[Check | None] | None = None,
) -> None:
    """One sheet of one rule's hits (``first`` is the 序号 of the first, so a continued sheet goes
    on counting): the facts, then the verification columns with 核查状态 a drop-down list,
    pre-filled from ``checks`` (one per hit, in order) when given."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    w = wording()["xlsx"]
    linked = any(h.other_ids for h in hits)
    header = list(w["header"]) + ([w["other_ids_header"]] if linked else []) + list(w["check_header"])
    ws = wb.create_sheet(title)
    for i, h in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w["widths"].get(h, 14)
    _page(ws)
    ws.append(_header_row(ws, header, st))
    pending = w["statuses"][0]
    for k, h in enumerate(hits):
        row = [
            first + k, _cell(ws, h.person_id, st.id), _cell(ws, h.name), _cell(ws, period_text(h.periods)),
            _cell(ws, round(h.amount, 2), st.amount), _cell(ws, h.reason), _cell(ws, rows_text(h.rows)),
        ]  # fmt: skip
        if linked:
            row.append(_cell(ws, "、".join(h.other_ids or []) or None, st.id))
        ck = checks[k] if checks is not None else None
        if ck is None:
            row += [pending, None, _cell(ws, None, st.amount)]
        else:
            recovered = None if ck.recovered is None else round(float(ck.recovered), 2)
            row += [_cell(ws, ck.status), _cell(ws, ck.note or None), _cell(ws, recovered, st.amount)]
        ws.append(row)
    last = len(hits) + 1
    status_col = get_column_letter(len(header) - 2)
    recovered_col = get_column_letter(len(header))
    dv = DataValidation(
        type="list", formula1='"' + ",".join(w["statuses"]) + '"', allow_blank=True, showErrorMessage=True,
        errorTitle=w["status_error_title"], error=w["status_error"],
    )  # fmt: skip
    dv.add(f"{status_col}2:{status_col}{last}")
    ws.data_validations.append(dv)
    money_dv = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
        errorTitle=w["recovered_error_title"], error=w["recovered_error"],
    )  # fmt: skip
    money_dv.add(f"{recovered_col}2:{recovered_col}{last}")
    ws.data_validations.append(money_dv)


def _hits_by_rule(result: AuditResult) -> list[tuple[str, list[int]]]:
    """The indices of the hits grouped by rule in the summary's order; a hit of a rule the summary
    lacks still gets its sheet (after the others), so the workbook never drops a finding."""
    groups: dict[str, list[int]] = {}
    for i, h in enumerate(result.hits):
        groups.setdefault(h.rule, []).append(i)
    order = [code for code, _ in ordered_rules(result) if code in groups]
    return [(c, groups[c]) for c in order + [c for c in groups if c not in order]]


def _save(result: AuditResult, target: Path, sheet_rows: int, checks: Sequence[Check | None] | None) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)  # streams rows to disk: 1 M hits do not become 10 M cell objects
    _default_font(wb)
    summary = wb.create_sheet(wording()["xlsx"]["summary_sheet"])
    st = _Styles(summary)  # the style arrays index this workbook's style lists
    _summary_sheet(summary, result, st)
    used = {wording()["xlsx"]["summary_sheet"].casefold()}
    for code, idx in _hits_by_rule(result):
        for n, start in enumerate(range(0, len(idx), sheet_rows), start=1):
            title = sheet_title(rule_name(result, code), n, used)
            part = idx[start : start + sheet_rows]
            hits = [result.hits[i] for i in part]
            cks = [checks[i] for i in part] if checks is not None else None
            _rule_sheet(wb, title, hits, start + 1, st, cks)
    wb.save(str(target))


def write_xlsx(
    result: AuditResult,
    path: Path | str,
    *,
    sheet_rows: int = SHEET_ROWS,
    checks: Sequence[Check | None] | None = None,
) -> Path:
    """Write the 疑点清单 workbook to ``path`` (a temporary file renamed into place, so a failure
    leaves no half-written workbook). ``sheet_rows`` is the data rows per sheet: a rule with more
    hits goes on in ``名称（2）``, … (Excel's limit by default; tests pass a small one).

    ``checks``: one :class:`Check` (or None: 待核查, empty) per hit of ``result.hits``, in that
    order, for a workbook that carries the verification so far (the web app's); without it every
    row is 待核查 with empty 核查说明 and 追回金额, as ``sifund payments audit --format xlsx`` writes."""
    from sifund.util import atomic_write

    if sheet_rows < 1:
        raise ValueError("sheet_rows must be at least 1")
    if checks is not None:
        if len(checks) != len(result.hits):
            raise ValueError(f"checks has {len(checks)} entries for {len(result.hits)} hits")
        allowed = set(wording()["xlsx"]["statuses"])
        for i, ck in enumerate(checks):
            if ck is not None and ck.status not in allowed:
                raise ValueError(f"checks[{i}].status {ck.status!r} is not one of {sorted(allowed)}")
    target = Path(path)
    atomic_write(target, lambda tmp: _save(result, tmp, sheet_rows, checks))
    return target
