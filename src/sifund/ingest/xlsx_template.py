"""Read a filled XLSX input template (``sifund template``) into a Dataset.

Every problem is reported at once with its sheet!cell (``基金收支!E12: 不是数字 "12,3a"``);
empty cells mean "no figure". The layout is data/render/template.yaml, shared with the writer.

The workbook is untrusted: before openpyxl sees it, the package passes
:func:`sifund.guard.open_zip_checked` and every worksheet is scanned by :func:`scan_workbook`
(cells, rows, merged and hyperlink ranges openpyxl would create, cells holding values, formulas
without cached values, numbers openpyxl cannot cast). Rows are then read from the cells that
actually hold values, never from ``ws.dimensions``/``max_row``: one stray cell at XFD1048576
would otherwise make openpyxl build 17 billion empty cells.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from sifund import guard
from sifund.core.codes import codebook
from sifund.core.errors import Problem, SifundError
from sifund.core.limits import limits
from sifund.core.model import Dataset, Figure, FundNarrative, Indicator, Narrative, SignOff, Source
from sifund.core.numbers import NumberError, parse_quantity
from sifund.core.packaged import data_yaml
from sifund.ingest.checks import negative_count, unknown_metric

KIND_OK = {
    "money": {"money", "number"},
    "people": {"people", "number"},
    "count": {"count", "people", "number"},
    "yuan": {"money", "yuan", "number"},
    "rate": {"rate", "number"},
}
# Columns added after the first templates: read when present, so a copy filled in an older
# template still loads (a missing required column is an error naming the header).
OPTIONAL_MEASURES = ("yoy_change", "yoy_rate", "completion_rate")
JUDGEMENT_ALIASES = {
    "完全达成": "full",
    "部分达成": "partial",
    "未达成": "zero",
    "全部": "full",
    "部分": "partial",
}


@cache
def layout() -> dict[str, Any]:
    return data_yaml("render", "template.yaml")


# --------------------------------------------------------------------------- pre-scan of the package

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")
_MAX_PROBLEMS = 50
_CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s/>]")
EXCEL_MAX_ROW, EXCEL_MAX_COL = 1048576, 16384


@dataclass
class SheetScan:
    """What the raw XML of one worksheet holds, found without building any cell objects."""

    title: str
    part: str
    valued: set[tuple[int, int]] = field(default_factory=set)  # (row, col) of cells holding a value
    formulas: list[str] = field(default_factory=list)  # refs of formulas without a cached value
    merged: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # ref, r1, c1, r2, c2


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _parse_ref(ref: str) -> tuple[int, int] | None:
    m = _REF.fullmatch(ref.strip())
    if not m:
        return None
    return int(m.group(2)), column_index_from_string(m.group(1).upper())


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    a, _, b = ref.partition(":")
    start, end = _parse_ref(a), _parse_ref(b or a)
    if start is None or end is None:
        return None
    return min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1])


def _sheet_parts(zf: zipfile.ZipFile, path: Path) -> list[tuple[str, str]]:
    """(sheet title, part name) from xl/workbook.xml and its relationships."""
    from lxml import etree

    try:
        wb_xml = etree.fromstring(zf.read("xl/workbook.xml"), _xml_parser())
        rels_xml = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), _xml_parser())
    except KeyError as e:
        raise SifundError(
            Problem(
                str(path),
                "",
                f"无法读取工作簿：缺少部件 {e} (cannot read workbook: missing part; not an XLSX file?)",
            )
        ) from None
    except etree.XMLSyntaxError:
        bad = guard.find_bad_xml(zf, path)
        msg = "XML 格式错误 (malformed XML)"
        raise bad or SifundError(Problem(str(path), "xl/workbook.xml", msg)) from None
    targets = {el.get("Id"): el.get("Target", "") for el in rels_xml if _local(el.tag) == "Relationship"}
    out = []
    for el in wb_xml.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(el.get(f"{{{_REL_NS}}}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out.append((el.get("name", part), part))
    return out


def _xml_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _Budget:
    """Cells openpyxl will create in the whole workbook (cells, rows, merged and hyperlink ranges)."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.left = limits().xlsx.max_cells

    def ensure(self, n: int, place: str) -> None:
        """Refuse now if ``n`` more cells would not fit (nothing is spent)."""
        if n > self.left:
            self.spend(n, place)

    def spend(self, n: int, place: str) -> None:
        self.left -= n
        if self.left < 0:
            cap = limits().xlsx.max_cells
            msg = (
                f"单元格过多（工作簿超过 {cap} 个，含空白格式单元格和合并区域） "
                f"(too many cells in the workbook; limit {cap})"
            )
            raise SifundError(Problem(self.path, place, msg))


def scan_workbook(zf: zipfile.ZipFile, path: Path) -> dict[str, SheetScan]:
    """Scan every worksheet's XML (streaming, bounded) before openpyxl loads it.

    Refuses, naming the sheet and cell: more cells than ``xlsx.max_cells`` in all (styled empty
    cells, ``<row>`` elements and merged/hyperlink ranges count: openpyxl creates an object for
    each); a value in a column past ``xlsx.max_cols`` (a template uses ~10; a value at XFD1048576 is
    an attack or an accident, never data); more than ``xlsx.max_rows`` rows holding values in one
    sheet; a number openpyxl would crash on or turn into inf/NaN. Empty far cells are only
    counted. Returns, per sheet title, the positions holding values, formulas without a cached
    value and merged ranges, for the reader's data-loss checks."""
    budget = _Budget(path)
    n_strings = _count_shared_strings(zf, path)
    out: dict[str, SheetScan] = {}
    for title, part in _sheet_parts(zf, path):
        if part not in zf.namelist():
            raise SifundError(Problem(str(path), title, f"缺少工作表部件 {part} (missing worksheet part)"))
        out[title] = _SheetScanner(path, title, part, budget, n_strings).run(zf)
    return out


class _SheetScanner:
    """One worksheet's scan (see :func:`scan_workbook`). lxml filters the elements in C (only
    ``c``, ``row``, ``mergeCell``, ``hyperlink`` reach Python) and an empty cell costs one counter
    increment, so a bomb of empty styled cells is refused in about a second."""

    def __init__(self, path: Path, title: str, part: str, budget: _Budget, n_strings: int) -> None:
        self.path, self.title, self.part = str(path), title, part
        self.budget, self.n_strings = budget, n_strings
        self.lim = limits().xlsx
        self.scan = SheetScan(title, part)
        self.problems: list[Problem] = []
        self.rows_with_values: set[int] = set()

    def problem(self, ref: str, msg: str) -> None:
        self.problems.append(Problem(self.path, f"{self.title}!{ref}", msg))
        if len(self.problems) >= _MAX_PROBLEMS:
            raise SifundError(self.problems)

    def run(self, zf: zipfile.ZipFile) -> SheetScan:
        from lxml import etree

        last_row = 0  # number of the last <row> seen (a <row> without r follows it)
        col = 0  # column of the last cell in this row (a <c> without r follows it)
        pending = ""  # r of the last empty cell, parsed only if a cell without r follows
        tags = ("{*}c", "{*}row", "{*}mergeCell", "{*}hyperlink")
        data = zf.read(self.part)  # bounded by open_zip_checked
        # counting tags in C first refuses a bomb of empty cells without parsing it
        self.budget.ensure(sum(1 for _ in _CELL_OR_ROW.finditer(data)), self.title)
        try:
            with io.BytesIO(data) as fh:
                for _event, el in etree.iterparse(
                    fh, events=("end",), tag=tags, resolve_entities=False, no_network=True, huge_tree=False
                ):
                    tag = el.tag.rpartition("}")[2] if el.tag[0] == "{" else el.tag
                    if tag == "c":
                        self.budget.spend(1, self.title)
                        r = el.get("r")
                        if len(el) == 0 and r:  # an empty (styled) cell: only counted
                            pending = r
                            el.clear()
                            continue
                        if r:
                            pos = _parse_ref(r)
                            if pos is None:
                                self.problem(r, "单元格坐标无效 (invalid cell reference)")
                                el.clear()
                                continue
                            row, col = pos
                        else:
                            if pending:
                                col = (_parse_ref(pending) or (0, col))[1]
                            parent_r = el.getparent().get("r") if el.getparent() is not None else None
                            row = int(parent_r) if parent_r and parent_r.isdecimal() else last_row + 1
                            col += 1
                        pending = ""
                        self.cell(el, row, col)
                        el.clear()
                    elif tag == "row":
                        self.budget.spend(1, self.title)
                        r = el.get("r")
                        last_row = int(r) if r and r.isdecimal() else last_row + 1
                        col, pending = 0, ""
                        el.clear()
                        while el.getprevious() is not None:
                            del el.getparent()[0]
                    else:
                        self.range(tag, el.get("ref") or "")
        except SifundError:
            raise
        except etree.XMLSyntaxError as e:
            msg = (e.msg or "").split(", line")[0][:120]
            msg = (
                f"工作表“{self.title}”的 XML 格式错误，文件损坏或被截断（line {e.lineno}） "
                f"(malformed worksheet XML: {msg})"
            )
            raise SifundError(Problem(self.path, self.part, msg)) from None
        if self.problems:
            raise SifundError(self.problems)
        return self.scan

    def cell(self, el: Any, row: int, col: int) -> None:
        ref = f"{get_column_letter(min(max(col, 1), EXCEL_MAX_COL))}{row}"
        if not (1 <= row <= EXCEL_MAX_ROW and 1 <= col <= EXCEL_MAX_COL):
            self.problem(el.get("r") or ref, "单元格坐标超出 Excel 范围 (cell outside the Excel grid)")
            return
        if not _cell_scan(el, ref, self.n_strings, self.problem, self.scan):
            return
        if col > self.lim.max_cols:
            self.problem(
                ref,
                f"单元格位置异常：第 {col} 列有值，模板只用前 {self.lim.max_cols} 列 "
                f"(a value far outside the template, column > {self.lim.max_cols})",
            )
            return
        self.scan.valued.add((row, col))
        self.rows_with_values.add(row)
        if len(self.rows_with_values) > self.lim.max_rows:
            raise SifundError(
                Problem(
                    self.path,
                    f"{self.title}!{ref}",
                    f"有值的行过多（超过 {self.lim.max_rows} 行） "
                    f"(too many rows with values; limit {self.lim.max_rows})",
                )
            )

    def range(self, tag: str, ref: str) -> None:
        box = _parse_range(ref)
        if box is None:
            self.problem(ref or "?", "区域引用无效 (invalid range reference)")
            return
        r1, c1, r2, c2 = box
        self.budget.spend((r2 - r1 + 1) * (c2 - c1 + 1), f"{self.title}!{ref}")
        if tag == "mergeCell":
            self.scan.merged.append((ref, r1, c1, r2, c2))


def _count_shared_strings(zf: zipfile.ZipFile, path: Path) -> int:
    """Number of ``<si>`` in the shared-string table (openpyxl raises IndexError past it)."""
    from lxml import etree

    name = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return 0
    n = 0
    try:
        with zf.open(name) as fh:
            for _event, el in etree.iterparse(fh, events=("end",), resolve_entities=False, no_network=True):
                if _local(el.tag) == "si":
                    n += 1
                    el.clear()
    except etree.XMLSyntaxError as e:
        msg = (e.msg or "").split(", line")[0][:120]
        raise SifundError(
            Problem(
                str(path), name, f"XML 格式错误，文件损坏或被截断（line {e.lineno}） (malformed XML: {msg})"
            )
        ) from None
    return n


def _cell_scan(el: Any, ref: str, n_strings: int, problem: Any, scan: SheetScan) -> bool:
    """True when the ``<c>`` element holds a value (as openpyxl with ``data_only`` reads it).
    A formula without a cached value is recorded; a value openpyxl would crash on (or read as
    inf/NaN) is a problem at the cell."""
    kind = el.get("t", "n")
    v = f = inline = None
    for child in el:
        tag = _local(child.tag)
        if tag == "v":
            v = child.text
        elif tag == "f":
            f = child
        elif tag == "is":
            inline = child
    if kind == "inlineStr":
        return inline is not None and "".join(inline.itertext()) != ""
    if not v:
        if f is not None:
            scan.formulas.append(ref)
        return False
    if kind == "n":
        if len(v) > 64 or not _NUMBER.fullmatch(v) or not math.isfinite(float(v)):
            problem(ref, f"不是有效数字 {v[:40]!r} (not a finite number)")
            return False
    elif kind == "s":
        if not (v.strip().isdigit() and v.strip().isascii() and int(v) < n_strings):
            problem(ref, f"共享字符串编号无效 {v[:40]!r} (invalid shared-string index)")
            return False
    elif kind == "b":
        if v.strip() not in ("0", "1"):
            problem(ref, f"逻辑值无效 {v[:40]!r} (invalid boolean)")
            return False
    elif kind == "d":
        from openpyxl.utils.datetime import from_ISO8601

        try:
            from_ISO8601(v)
        except (ValueError, TypeError, OverflowError):
            problem(ref, f"日期无效 {v[:40]!r} (invalid date)")
            return False
    return True


class Reader:
    """Collects problems while reading, so the user sees all of them in one run."""

    def __init__(self, path: Path, scans: dict[str, SheetScan] | None = None) -> None:
        self.file = str(path)
        self.problems: list[Problem] = []
        self.scans = scans or {}
        self.places: dict[tuple[Any, ...], str] = {}  # model location -> "Sheet!B3", for validation errors

    def rows(self, ws: Worksheet, min_row: int = 1) -> list[tuple[int, dict[int, Any]]]:
        """(row number, {column: value}) of the rows holding values, in order.

        Why not ``ws.iter_rows``: it walks the rectangle up to ``max_row``/``max_column`` and creates
        every cell in it, so one styled empty cell at XFD1048576 costs minutes and gigabytes. Here
        only the cells openpyxl actually read are visited (``ws._cells``, bounded by the scan)."""
        grid: dict[int, dict[int, Any]] = {}
        for (row, col), cell in ws._cells.items():
            if row >= min_row and cell.value is not None:
                grid.setdefault(row, {})[col] = cell.value
        return sorted(grid.items())

    def check_sheet(self, ws: Worksheet, data_cols: set[int] | None = None) -> None:
        """Data-loss checks on a template sheet, each naming the cell or range: a formula without a
        cached value (openpyxl reads it as empty); a merged range hiding a value; in a figures
        sheet (``data_cols``), a merge spanning several figure cells (only the first one is read)."""
        scan = self.scans.get(ws.title)
        if scan is None:
            return
        for ref in scan.formulas:
            self.problem(
                ws,
                ref,
                "公式没有缓存值，请在 Excel 中打开并保存 "
                "(formula without a cached value: open and save the file in Excel)",
            )
        for ref, r1, c1, r2, c2 in scan.merged:
            hidden = sorted(
                (row, col)
                for row, col in scan.valued
                if r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1)
            )
            if hidden:
                cells = "、".join(f"{get_column_letter(c)}{r}" for r, c in hidden[:5])
                self.problem(
                    ws,
                    ref,
                    f"合并单元格遮住了 {cells} 的值，请取消合并 (merged cells hide a value: unmerge them)",
                )
            elif (
                data_cols
                and (r1, c1) in scan.valued
                and r2 >= 2
                and len(data_cols & set(range(c1, c2 + 1))) * (r2 - max(r1, 2) + 1) > 1
            ):
                self.problem(
                    ws,
                    ref,
                    f"数据单元格不能合并：只读取左上角 {get_column_letter(c1)}{r1} "
                    "(merged data cells: only the top-left one is read; unmerge them)",
                )

    def problem(self, ws: Worksheet | str, ref: str, message: str) -> None:
        title = ws if isinstance(ws, str) else ws.title
        self.problems.append(Problem(self.file, f"{title}!{ref}" if ref else title, message))

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def number(self, ws: Worksheet, ref: str, value: Any, item_kind: str = "money") -> float | None:
        """A cell as a canonical number (万元, 人); None when empty; a problem when unreadable."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.problem(ws, ref, f"不是数字 {str(value)!r}")
            return None
        if isinstance(value, int | float | Decimal):
            return float(value)
        try:
            q = parse_quantity(value.replace("，", ","))  # full-width comma typed with a CJK IME
        except NumberError:
            self.problem(ws, ref, f'不是数字 "{value.strip()}"')
            return None
        if q.kind not in KIND_OK.get(item_kind, {"number"}):
            self.problem(
                ws,
                ref,
                f'单位不符 wrong unit "{value.strip()}"（应为{"万元" if item_kind == "money" else "人"}）',
            )
            return None
        return float(q.canonical)

    def fund(self, ws: Worksheet, ref: str, code: Any, name: Any = None) -> str | None:
        cb = codebook()
        code_s, name_s = self.text(code), self.text(name)
        if code_s:
            if code_s in cb.funds:
                return code_s
            matched = cb.match_fund(code_s)
            if matched and cb.funds[matched].name == code_s:
                return matched
            self.problem(ws, ref, f'未知基金代码 "{code_s}"')
            return None
        if name_s:
            matched = next((c for c, f in cb.funds.items() if name_s in (f.name, f.short)), None)
            if matched is None:
                self.problem(ws, ref, f'未知基金 "{name_s}"（请填写基金代码）')
            return matched
        return None


def _sheet(wb: Any, r: Reader, key: str) -> Worksheet | None:
    name = layout()["sheets"][key]
    if name not in wb.sheetnames:
        r.problem(name, "", f"缺少工作表 missing sheet {name!r}（请使用 sifund template 生成的模板）")
        return None
    return wb[name]


def _columns(
    ws: Worksheet, r: Reader, expected: list[str], optional: tuple[str, ...] = ()
) -> dict[str, int] | None:
    """Header name -> column index (1-based), located by name so reordered columns still read;
    an ``optional`` header that is absent is left out of the result."""
    header = dict(r.rows(ws))
    found = {r.text(v): col for col, v in header.get(1, {}).items()}
    missing = [h for h in expected if h not in found and h not in optional]
    if missing:
        r.problem(ws, "1", f"缺少列 missing columns: {'、'.join(missing)}")
        return None
    return {h: found[h] for h in expected if h in found}


def _info(wb: Any, r: Reader) -> dict[str, Any]:
    ws = _sheet(wb, r, "info")
    out: dict[str, Any] = {}
    if ws is None:
        return out
    fields = dict(layout()["info"])
    levels = layout()["region_levels"]
    seen: set[str] = set()
    r.check_sheet(ws)
    for rownum, cells in r.rows(ws, min_row=2):
        label, raw = r.text(cells.get(1)), cells.get(2)
        field = fields.get(label)
        if field is None:
            continue
        seen.add(field)
        ref = f"B{rownum}"
        r.places[(field,)] = f"{ws.title}!{ref}"
        value = r.text(raw)
        if field == "year":
            year = _year(raw, value)
            if year is not None:
                out["year"] = year
            else:
                r.problem(
                    ws,
                    ref,
                    f'年度应为四位整数 "{value}" (year must be four digits)'
                    if value
                    else "缺少年度 missing year",
                )
        elif field == "region_level":
            if value:
                code = levels.get(value, value)
                if code not in levels.values():
                    r.problem(ws, ref, f'未知地区级别 "{value}"（可选 {"/".join(levels)}）')
                else:
                    out[field] = code
        elif field == "region" and not value:
            r.problem(ws, ref, "缺少地区 missing region")
        elif field.startswith("signoff."):
            text = _date_text(raw) if field == "signoff.date" else value
            if text:
                out.setdefault("signoff", {})[field.removeprefix("signoff.")] = text
                r.places[("signoff", field.removeprefix("signoff."))] = f"{ws.title}!{ref}"
        elif value:
            out[field] = value
    for label, field in layout()["info"]:
        if field in ("region", "year") and field not in seen:
            r.problem(ws, "A", f"缺少“{label}”行 missing row {label!r}")
    return out


def _figures(wb: Any, r: Reader, key: str, columns_key: str, path: Path) -> list[Figure]:
    ws = _sheet(wb, r, key)
    if ws is None:
        return []
    spec = layout()[columns_key]
    optional = tuple(h for h, m in spec if m in OPTIONAL_MEASURES)
    cols = _columns(ws, r, [h for h, _ in spec], optional)
    if cols is None:
        return []
    cb = codebook()
    rates = set(layout().get("rate_measures", ()))
    measures = [(cols[h], m) for h, m in spec if m and h in cols]
    keys = {h: cols[h] for h, m in spec if not m}
    fund_h, code_h, item_h, item_code_h = (h for h, m in spec if not m)
    r.check_sheet(ws, {c for c, _ in measures})
    out: list[Figure] = []
    seen: dict[tuple[str, str, str], str] = {}
    for rownum, cells in r.rows(ws, min_row=2):
        values = [cells.get(c) for c, _ in measures]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        fund_ref = f"{get_column_letter(keys[code_h])}{rownum}"
        item_ref = f"{get_column_letter(keys[item_code_h])}{rownum}"
        fund = r.fund(ws, fund_ref, cells.get(keys[code_h]), cells.get(keys[fund_h]))
        item_code, item_name = r.text(cells.get(keys[item_code_h])), r.text(cells.get(keys[item_h]))
        if not item_code and item_name:
            exact = next((c for c, it in cb.items.items() if it.name == item_name), None)
            item_code = exact or cb.match_item_suffix(item_name) or ""
        if item_code not in cb.items:
            r.problem(
                ws,
                item_ref,
                f'未知项目代码 "{item_code or item_name}"'
                if item_code or item_name
                else "缺少项目代码 missing item code",
            )
            continue
        if fund is None:
            if not r.text(cells.get(keys[code_h])) and not r.text(cells.get(keys[fund_h])):
                r.problem(ws, fund_ref, "缺少基金代码 missing fund code")
            continue
        kind = cb.items[item_code].kind
        for (col, measure), value in zip(measures, values, strict=True):
            ref = f"{get_column_letter(col)}{rownum}"
            v = r.number(ws, ref, value, "rate" if measure in rates else kind)
            if v is None:
                continue
            if measure in rates and not isinstance(value, str) and "%" in _number_format(ws, rownum, col):
                v = float(Decimal(repr(v)) * 100)  # typed "98.5%": Excel stores 0.985 in a % cell
            if msg := negative_count(item_code, measure, v):
                r.problem(ws, ref, msg)
                continue
            k = (fund, item_code, measure)
            if k in seen:
                r.problem(ws, ref, f"重复填报 duplicate: 与 {seen[k]} 相同的基金、项目和口径")
                continue
            seen[k] = f"{ws.title}!{ref}"
            try:
                figure = Figure(
                    fund=fund,
                    item=item_code,
                    measure=measure,
                    value=v,
                    source=Source(file=str(path), place=f"{ws.title}!{ref}"),
                )
            except ValidationError as e:
                r.problem(ws, ref, _first_error(e))
                continue
            out.append(figure)
    return out


def _indicators(wb: Any, r: Reader, path: Path) -> list[Indicator]:
    ws = _sheet(wb, r, "indicators")
    if ws is None:
        return []
    spec = layout()["indicator_columns"]
    cols = _columns(ws, r, [h for h, _ in spec])
    if cols is None:
        return []
    by_field = {f: cols[h] for h, f in spec}
    judgements = set(layout()["judgements"])
    r.check_sheet(ws)
    out = []
    for rownum, cells in r.rows(ws, min_row=2):

        def get(field: str, cells: dict[int, Any] = cells) -> Any:
            return cells.get(by_field[field])

        texts = {f: r.text(get(f)) for _, f in spec}
        if not any(texts.values()):
            continue

        def ref(field: str, rownum: int = rownum) -> str:
            return f"{get_column_letter(by_field[field])}{rownum}"

        if not texts["name"]:
            r.problem(ws, ref("name"), "缺少三级指标名称 missing indicator name")
            continue
        data: dict[str, Any] = {
            f: texts[f] for f in ("level1", "level2", "name", "target", "actual", "reason")
        }
        if texts["fund"]:
            data["fund"] = r.fund(ws, ref("fund"), texts["fund"])
        if texts["weight"]:
            data["weight"] = r.number(ws, ref("weight"), get("weight"), "number")
        if texts["metric"]:
            data["metric"] = texts["metric"]
            if msg := unknown_metric(texts["metric"]):
                r.problem(ws, ref("metric"), msg)
        if texts["judgement"]:
            j = JUDGEMENT_ALIASES.get(texts["judgement"], texts["judgement"].lower())
            if j not in judgements:
                r.problem(ws, ref("judgement"), f'评判应为 full/partial/zero，而不是 "{texts["judgement"]}"')
            else:
                data["judgement"] = j
        data["source"] = Source(file=str(path), place=f"{ws.title}!A{rownum}")
        for _, f in spec:
            r.places[("indicators", len(out), f)] = f"{ws.title}!{ref(f)}"
        r.places[("indicators", len(out))] = f"{ws.title}!A{rownum}"
        try:
            indicator = Indicator(**{k: v for k, v in data.items() if v is not None})
        except ValidationError as e:
            err = e.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else ""
            r.problem(ws, ref(field) if field in by_field else f"A{rownum}", _first_error(e))
            continue
        out.append(indicator)
    return out


def _narrative(wb: Any, r: Reader) -> Narrative:
    ws = _sheet(wb, r, "narrative")
    if ws is None:
        return Narrative()
    labels = dict(layout()["narrative"])
    fields = set(labels.values())
    r.check_sheet(ws)
    data = {}
    for rownum, cells in r.rows(ws, min_row=2):
        label, code, text = (r.text(cells.get(c)) for c in (1, 2, 3))
        field = code if code in fields else labels.get(label)
        if field and text:
            data[field] = str(cells[3]).strip()
            r.places[("narrative", field)] = f"{ws.title}!C{rownum}"
    try:
        return Narrative(**data)
    except ValidationError as e:
        for err in e.errors():
            loc = ("narrative", *err["loc"][:1])
            r.problems.append(Problem(r.file, r.places.get(loc, ws.title), err["msg"]))
        return Narrative()


def _fund_narratives(wb: Any, r: Reader) -> dict[str, FundNarrative]:
    """分基金说明: one row per fund. The sheet is optional (templates before it had none)."""
    name = layout()["sheets"]["fund_narrative"]
    if name not in wb.sheetnames:
        return {}
    ws = wb[name]
    spec = layout()["fund_narrative_columns"]
    cols = _columns(ws, r, [h for h, _ in spec])
    if cols is None:
        return {}
    fund_h, code_h = (h for h, f in spec if not f)
    fields = [(cols[h], f) for h, f in spec if f]
    r.check_sheet(ws)
    out: dict[str, FundNarrative] = {}
    first: dict[str, str] = {}
    for rownum, cells in r.rows(ws, min_row=2):
        texts = {f: r.text(cells.get(c)) for c, f in fields}
        if not any(texts.values()):
            continue
        ref = f"{get_column_letter(cols[code_h])}{rownum}"
        fund = r.fund(ws, ref, cells.get(cols[code_h]), cells.get(cols[fund_h]))
        if fund is None:
            if not r.text(cells.get(cols[code_h])) and not r.text(cells.get(cols[fund_h])):
                r.problem(ws, ref, "缺少基金代码 missing fund code")
            continue
        if fund in first:
            r.problem(ws, ref, f"重复填报 duplicate: 基金 {fund} 已在 {first[fund]} 填写")
            continue
        first[fund] = f"{ws.title}!{ref}"
        for c, f in fields:
            r.places[("fund_narratives", fund, f)] = f"{ws.title}!{get_column_letter(c)}{rownum}"
        try:
            out[fund] = FundNarrative(**{f: str(cells[c]).strip() for c, f in fields if texts[f]})
        except ValidationError as e:
            err = e.errors()[0]
            loc = ("fund_narratives", fund, *err["loc"][:1])
            r.problems.append(Problem(r.file, r.places.get(loc, f"{ws.title}!A{rownum}"), err["msg"]))
    return out


def _date_text(raw: Any) -> str:
    """A 填报日期 as written; a cell Excel turned into a date reads 2024年3月15日, not 2024-03-15 00:00:00."""
    import datetime as dt

    if isinstance(raw, dt.datetime | dt.date):
        return f"{raw.year}年{raw.month}月{raw.day}日"
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _number_format(ws: Worksheet, row: int, col: int) -> str:
    cell = ws._cells.get((row, col))
    return str(getattr(cell, "number_format", "") or "")


def load_workbook_dataset(path: str | Path) -> Dataset:
    """A filled template as a Dataset; SifundError listing every bad cell (sheet!cell) otherwise.

    The loader has no warnings channel, so data that would be lost silently (a formula without a
    cached value, a merged range hiding a value) is an error at the cell as well."""
    p = Path(path)
    data = guard.read_bounded(p, limits().files.max_dataset_bytes)
    zf = guard.open_zip_checked(data, p, "无法读取工作簿")
    scans = scan_workbook(zf, p)
    r = Reader(p, scans)
    wb = _open_workbook(p, data, zf)
    info = _info(wb, r)
    figures = _figures(wb, r, "money", "money_columns", p) + _figures(wb, r, "people", "people_columns", p)
    for i, f in enumerate(figures):
        r.places[("figures", i)] = f.source.place if f.source else ""
    indicators = _indicators(wb, r, p)
    narrative = _narrative(wb, r)
    fund_narratives = _fund_narratives(wb, r)
    if "signoff" in info:
        try:
            info["signoff"] = SignOff(**info["signoff"])
        except ValidationError as e:
            for err in e.errors():
                loc = ("signoff", *err["loc"][:1])
                r.problems.append(Problem(r.file, r.places.get(loc, layout()["sheets"]["info"]), err["msg"]))
            info.pop("signoff")
    if r.problems:
        raise SifundError(r.problems)
    try:
        return Dataset(**info, figures=figures, indicators=indicators, narrative=narrative,
                       fund_narratives=fund_narratives)  # fmt: skip
    except ValidationError as e:
        raise SifundError(
            [Problem(str(p), _place(r, tuple(err["loc"])), err["msg"]) for err in e.errors()]
        ) from None


def _place(r: Reader, loc: tuple[Any, ...]) -> str:
    """The cell behind a model location: ("year",) -> 基本信息!B3, ("figures", 3, "value") -> 基金收支!E12;
    never a field name dressed as a cell ("基本信息!year")."""
    for n in range(len(loc), 0, -1):
        if loc[:n] in r.places:
            return r.places[loc[:n]]
    if loc and loc[0] in ("figures",):
        return layout()["sheets"]["money"]
    if loc and loc[0] in ("indicators", "narrative"):
        return layout()["sheets"][str(loc[0])]
    if loc and loc[0] == "fund_narratives":
        return layout()["sheets"]["fund_narrative"]
    return layout()["sheets"]["info"]


def _year(raw: Any, text: str) -> int | None:
    """A four-digit year from a number cell or a text cell of decimal digits; None otherwise
    (``"²⁰²³".isdigit()`` is true but ``int()`` refuses it: only decimal digits count)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float) and math.isfinite(raw) and float(raw).is_integer():
        year = int(raw)
    elif text.isdecimal():
        year = int(text)
    else:
        return None
    return year if 1000 <= year <= 9999 else None


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    return str(err["msg"])


_PHASES = {  # openpyxl function -> the part it reads, to name it when it fails
    "read_manifest": "[Content_Types].xml",
    "read_strings": "xl/sharedStrings.xml",
    "read_workbook": "xl/workbook.xml",
    "read_properties": "docProps/core.xml",
    "read_custom": "docProps/custom.xml",
    "read_theme": "xl/theme/theme1.xml",
    "apply_stylesheet": "xl/styles.xml",
    "read_worksheets": "xl/worksheets",
}


def _open_workbook(p: Path, data: bytes, zf: zipfile.ZipFile) -> Any:
    """openpyxl on the checked bytes; a failure names the part (malformed XML: the part and line;
    otherwise the openpyxl step that failed, found in the traceback)."""
    try:
        return load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as e:  # openpyxl/lxml raise many kinds on a damaged package
        bad = guard.find_bad_xml(zf, p)
        if bad is not None:
            raise bad from None
        part = ""
        tb = e.__traceback__
        while tb is not None:
            part = _PHASES.get(tb.tb_frame.f_code.co_name, part)
            tb = tb.tb_next
        inner = e.__cause__ or e
        raise SifundError(
            Problem(
                str(p),
                part,
                f"无法读取工作簿 cannot read workbook: {type(inner).__name__}: {str(inner)[:160]}",
            )
        ) from None
