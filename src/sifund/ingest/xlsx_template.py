"""Read a filled XLSX input template (``sifund template``) into a Dataset.

Every problem is reported at once with its sheet!cell (``基金收支!E12: 不是数字 "12,3a"``);
empty cells mean "no figure". The layout is data/render/template.yaml, shared with the writer.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from sifund.core.codes import codebook
from sifund.core.errors import Problem, SifundError
from sifund.core.model import Dataset, Figure, Indicator, Narrative, Source
from sifund.core.numbers import NumberError, parse_quantity
from sifund.ingest.checks import negative_count, unknown_metric

KIND_OK = {
    "money": {"money", "number"},
    "people": {"people", "number"},
    "count": {"count", "people", "number"},
    "yuan": {"money", "number"},
}
JUDGEMENT_ALIASES = {
    "完全达成": "full",
    "部分达成": "partial",
    "未达成": "zero",
    "全部": "full",
    "部分": "partial",
}


@cache
def layout() -> dict[str, Any]:
    text = resources.files("sifund.data").joinpath("render", "template.yaml").read_text("utf-8")
    return yaml.safe_load(text)


class Reader:
    """Collects problems while reading, so the user sees all of them in one run."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.problems: list[Problem] = []

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


def _columns(ws: Worksheet, r: Reader, expected: list[str]) -> dict[str, int] | None:
    """Header name -> column index (1-based), located by name so reordered columns still read."""
    found = {r.text(c.value): c.column for c in ws[1] if c.value is not None}
    missing = [h for h in expected if h not in found]
    if missing:
        r.problem(ws, "1", f"缺少列 missing columns: {'、'.join(missing)}")
        return None
    return {h: found[h] for h in expected}


def _info(wb: Any, r: Reader) -> dict[str, Any]:
    ws = _sheet(wb, r, "info")
    out: dict[str, Any] = {}
    if ws is None:
        return out
    fields = dict(layout()["info"])
    levels = layout()["region_levels"]
    seen: set[str] = set()
    for row in ws.iter_rows(min_row=2, max_col=2):
        label, cell = r.text(row[0].value), row[1]
        field = fields.get(label)
        if field is None:
            continue
        seen.add(field)
        ref = cell.coordinate
        value = r.text(cell.value)
        if field == "year":
            if isinstance(cell.value, int | float) and float(cell.value).is_integer():
                out["year"] = int(cell.value)
            elif value.isdigit():
                out["year"] = int(value)
            else:
                r.problem(ws, ref, f'年度应为四位整数 "{value}"' if value else "缺少年度 missing year")
        elif field == "region_level":
            if value:
                code = levels.get(value, value)
                if code not in levels.values():
                    r.problem(ws, ref, f'未知地区级别 "{value}"（可选 {"/".join(levels)}）')
                else:
                    out[field] = code
        elif field == "region" and not value:
            r.problem(ws, ref, "缺少地区 missing region")
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
    cols = _columns(ws, r, [h for h, _ in spec])
    if cols is None:
        return []
    cb = codebook()
    measures = [(cols[h], m) for h, m in spec if m]
    keys = {h: cols[h] for h, m in spec if not m}
    fund_h, code_h, item_h, item_code_h = (h for h, m in spec if not m)
    out: list[Figure] = []
    seen: dict[tuple[str, str, str], str] = {}
    for row in ws.iter_rows(min_row=2):
        cells = {c.column: c.value for c in row}
        values = [cells.get(c) for c, _ in measures]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rownum = row[0].row
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
            v = r.number(ws, ref, value, kind)
            if v is None:
                continue
            if msg := negative_count(item_code, measure, v):
                r.problem(ws, ref, msg)
                continue
            k = (fund, item_code, measure)
            if k in seen:
                r.problem(ws, ref, f"重复填报 duplicate: 与 {seen[k]} 相同的基金、项目和口径")
                continue
            seen[k] = f"{ws.title}!{ref}"
            out.append(
                Figure(
                    fund=fund,
                    item=item_code,
                    measure=measure,
                    value=v,
                    source=Source(file=str(path), place=f"{ws.title}!{ref}"),
                )
            )
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
    out = []
    for row in ws.iter_rows(min_row=2):
        cells = {c.column: c for c in row}

        def get(field: str, cells: dict = cells) -> Any:
            c = cells.get(by_field[field])
            return None if c is None else c.value

        texts = {f: r.text(get(f)) for _, f in spec}
        if not any(texts.values()):
            continue
        rownum = row[0].row

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
        out.append(Indicator(**{k: v for k, v in data.items() if v is not None}))
    return out


def _narrative(wb: Any, r: Reader) -> Narrative:
    ws = _sheet(wb, r, "narrative")
    if ws is None:
        return Narrative()
    labels = dict(layout()["narrative"])
    fields = set(labels.values())
    data = {}
    for row in ws.iter_rows(min_row=2, max_col=3):
        label, code, text = (r.text(c.value) for c in row)
        field = code if code in fields else labels.get(label)
        if field and text:
            data[field] = str(row[2].value).strip()
    return Narrative(**data)


def load_workbook_dataset(path: str | Path) -> Dataset:
    """A filled template as a Dataset; SifundError listing every bad cell (sheet!cell) otherwise."""
    p = Path(path)
    r = Reader(p)
    try:
        wb = load_workbook(p, data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise SifundError(f"无法读取工作簿 cannot read workbook: {e}", file=str(p)) from None
    info = _info(wb, r)
    figures = _figures(wb, r, "money", "money_columns", p) + _figures(wb, r, "people", "people_columns", p)
    indicators = _indicators(wb, r, p)
    narrative = _narrative(wb, r)
    if r.problems:
        raise SifundError(r.problems)
    try:
        return Dataset(**info, figures=figures, indicators=indicators, narrative=narrative)
    except ValidationError as e:
        sheet = layout()["sheets"]["info"]
        raise SifundError(
            [Problem(str(p), f"{sheet}!{'.'.join(map(str, err['loc']))}", err["msg"]) for err in e.errors()]
        ) from None
