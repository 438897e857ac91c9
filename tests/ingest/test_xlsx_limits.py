"""Hostile or damaged XLSX templates end with one SifundError naming the file and the cell (or the
part), within time and memory bounds enforced here (issue 16). Every file is built at test time
from a filled template; memory bombs run in a child under ``RLIMIT_AS`` = 3 GiB with a timeout."""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from tests.ingest.fill import fill_template

from sifund.core.errors import SifundError
from sifund.ingest import load_dataset
from sifund.ingest.xlsx_template import Reader, _place, _sheet_parts, load_workbook_dataset
from sifund.render.template import write_template

SYNTHETIC = Path(__file__).resolve().parents[2] / "examples" / "synthetic-county-2023.yaml"
GIB = 1 << 30
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHILD_SECONDS = 20  # wall clock of a child, imports included (before: killed at 90 s)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    d = tmp_path_factory.mktemp("xlsx")
    blank = write_template(d / "blank.xlsx", None)
    return fill_template(blank, load_dataset(SYNTHETIC), d / "filled.xlsx").read_bytes()


def part_of(data: bytes, title: str) -> str:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return dict(_sheet_parts(zf, Path("x.xlsx")))[title]


def patched(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with member ``name`` replaced by ``change(old bytes)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            content = src.read(info.filename)
            zf.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def add_to_sheet(data: bytes, title: str, rows: bytes = b"", after: bytes = b"") -> bytes:
    """Append ``rows`` to the sheet's <sheetData> and put ``after`` (mergeCells, hyperlinks) behind it."""
    return patched(data, part_of(data, title),
                   lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>" + after, 1))


def write(tmp_path: Path, data: bytes, name: str = "t.xlsx") -> Path:
    f = tmp_path / name
    f.write_bytes(data)
    return f


def bounded(path: Path, env: dict[str, str] | None = None, seconds: float = 60) -> tuple[str, float]:
    """load_dataset(path) in a child limited to 3 GiB; (SifundError text or "OK", elapsed)."""
    code = (
        "import json, sys\n"
        "from sifund.core.errors import SifundError\n"
        "from sifund.ingest import load_dataset\n"
        "try:\n"
        "    load_dataset(sys.argv[1]); print(json.dumps('OK'))\n"
        "except SifundError as e:\n"
        "    print(json.dumps(str(e)))\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * GIB, 3 * GIB))

    child_env = {k: v for k, v in os.environ.items() if k != "SIFUND_LIMITS"} | (env or {})
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          timeout=seconds, preexec_fn=limit, env=child_env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), time.monotonic() - started


def fails_in(seconds: float, path: Path) -> str:
    started = time.monotonic()
    with pytest.raises(SifundError) as exc:
        load_workbook_dataset(path)
    assert time.monotonic() - started < seconds
    return str(exc.value)


def cell_of(data: bytes, title: str, predicate: Callable[[object], bool], min_col: int = 1) -> str:
    ws = load_workbook(io.BytesIO(data))[title]
    for row in ws.iter_rows(min_row=2, min_col=min_col):
        for c in row:
            if predicate(c.value):
                return c.coordinate
    raise AssertionError(f"no such cell in {title}")


def limits_env(tmp_path: Path, **sections: dict[str, object]) -> str:
    f = tmp_path / f"limits-{len(list(tmp_path.glob('limits-*.yaml')))}.yaml"
    f.write_text(yaml.safe_dump(sections), encoding="utf-8")
    return str(f)


# --------------------------------------------------------------------------- far cells, bombs


def test_value_at_xfd1048576_is_refused_at_the_cell(tmp_path: Path, filled: bytes) -> None:
    """Before: killed at 90 s (950 MB and growing; the issue saw 60 s and 4 GB)."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    f = write(tmp_path, add_to_sheet(filled, "基金收支", far))
    msg, elapsed = bounded(f)
    assert msg.startswith(f"{f}: 基金收支!XFD1048576: 单元格位置异常"), msg
    assert elapsed < CHILD_SECONDS


def test_empty_far_cells_are_ignored(tmp_path: Path, filled: bytes) -> None:
    """A styled empty cell at XFD1048576 (and a value at A1048576, outside the data columns) read
    like the file without them, quickly: rows are read from cells holding values only."""
    far = (b'<row r="1048575"><c r="XFD1048575" s="1"/></row>'
           b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    f = write(tmp_path, add_to_sheet(filled, "基金收支", far))
    msg, elapsed = bounded(f)
    assert msg == "OK"
    assert elapsed < CHILD_SECONDS
    plain = write(tmp_path, filled, "plain.xlsx")

    def numbers(p: Path) -> list[tuple[str, str, str, float]]:
        return [(x.fund, x.item, x.measure, x.value) for x in load_workbook_dataset(p).figures]

    assert numbers(f) == numbers(plain)


def test_sheet_bomb_of_styled_empty_cells(tmp_path: Path, filled: bytes) -> None:
    """450k styled empty cells (each an openpyxl object): refused at the cell count, naming the sheet."""
    cols = [bytes([c]) for c in b"IJKLMNOPQ"]
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (c, r) for c in cols) + b"</row>"
                    for r in range(200, 50_200))
    f = write(tmp_path, add_to_sheet(filled, "基金收支", rows))
    msg, elapsed = bounded(f)
    assert msg.startswith(f"{f}: 基金收支: 单元格过多（工作簿超过 400000 个"), msg
    assert elapsed < CHILD_SECONDS


@pytest.mark.parametrize("after", [
    b'<mergeCells count="1"><mergeCell ref="A300:XFD1048576"/></mergeCells>',
    b'<hyperlinks><hyperlink ref="A300:XFD1048576" display="x" location="A1"/></hyperlinks>',
])
def test_range_bombs(tmp_path: Path, filled: bytes, after: bytes) -> None:
    """openpyxl creates a cell object for every cell of a merged or hyperlinked range."""
    f = write(tmp_path, add_to_sheet(filled, "基金收支", after=after))
    msg, elapsed = bounded(f)
    assert msg.startswith(f"{f}: 基金收支!A300:XFD1048576: 单元格过多"), msg
    assert elapsed < CHILD_SECONDS


def test_too_many_rows_with_values(tmp_path: Path, filled: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIFUND_LIMITS", limits_env(tmp_path, xlsx={"max_rows": 5}))
    msg = fails_in(5, write(tmp_path, filled))
    assert "有值的行过多（超过 5 行）" in msg and "!" in msg.split(": ")[1]


# --------------------------------------------------------------------------- damaged parts


def test_sheet_cut_in_half_names_the_part(tmp_path: Path, filled: bytes) -> None:
    part = part_of(filled, "基金收支")
    f = write(tmp_path, patched(filled, part, lambda xml: xml[: len(xml) // 2]))
    msg = fails_in(5, f)
    assert msg.startswith(f"{f}: {part}: 工作表“基金收支”的 XML 格式错误"), msg


def test_garbage_styles_names_the_part(tmp_path: Path, filled: bytes) -> None:
    f = write(tmp_path, patched(filled, "xl/styles.xml", lambda _: bytes(range(256)) * 8))
    msg = fails_in(5, f)
    assert msg.startswith(f"{f}: xl/styles.xml: XML 格式错误"), msg


def test_well_formed_but_wrong_styles_names_the_part(tmp_path: Path, filled: bytes) -> None:
    bad = f'<styleSheet xmlns="{NS}"><cellXfs count="1"><xf numFmtId="abc"/></cellXfs></styleSheet>'.encode()
    f = write(tmp_path, patched(filled, "xl/styles.xml", lambda _: bad))
    msg = fails_in(5, f)
    assert msg.startswith(f"{f}: xl/styles.xml: 无法读取工作簿"), msg


@pytest.mark.parametrize(("value", "needle"), [
    (b"1e999", "不是有效数字 '1e999'"),
    (b"inf", "不是有效数字 'inf'"),
    (b"9" * 5000, "不是有效数字"),
])
def test_numbers_openpyxl_cannot_cast(tmp_path: Path, filled: bytes, value: bytes, needle: str) -> None:
    row = b'<row r="900"><c r="E900"><v>' + value + b"</v></c></row>"
    f = write(tmp_path, add_to_sheet(filled, "基金收支", row))
    msg = fails_in(5, f)
    assert msg.startswith(f"{f}: 基金收支!E900: {needle}"), msg


def test_bad_shared_string_index(tmp_path: Path, filled: bytes) -> None:
    row = b'<row r="900"><c r="E900" t="s"><v>999999</v></c></row>'
    f = write(tmp_path, add_to_sheet(filled, "基金收支", row))
    assert fails_in(5, f).startswith(f"{f}: 基金收支!E900: 共享字符串编号无效")


# --------------------------------------------------------------------------- data that would be lost


def test_formula_without_cached_value_is_an_error_at_the_cell(tmp_path: Path, filled: bytes) -> None:
    wb = load_workbook(io.BytesIO(filled))
    ref = cell_of(filled, "基金收支", lambda v: isinstance(v, int | float), min_col=5)
    wb["基金收支"][ref] = "=1+2"  # openpyxl writes the formula without a cached value
    f = tmp_path / "formula.xlsx"
    wb.save(f)
    msg = fails_in(5, f)
    assert f"{f}: 基金收支!{ref}: 公式没有缓存值，请在 Excel 中打开并保存" in msg, msg


def test_merged_cells_hiding_a_value(tmp_path: Path, filled: bytes) -> None:
    ws = load_workbook(io.BytesIO(filled))["基金收支"]
    row = next(r for r in ws.iter_rows(min_row=2) if sum(isinstance(c.value, int | float) for c in r) >= 2)
    a, b = [c.coordinate for c in row if isinstance(c.value, int | float)][:2]
    merge = f'<mergeCells count="1"><mergeCell ref="{a}:{b}"/></mergeCells>'.encode()
    f = write(tmp_path, add_to_sheet(filled, "基金收支", after=merge))
    msg = fails_in(5, f)
    assert f"{f}: 基金收支!{a}:{b}: 合并单元格遮住了 " in msg, msg


def test_merged_data_cells_are_refused(tmp_path: Path, filled: bytes) -> None:
    ws = load_workbook(io.BytesIO(filled))["基金收支"]
    cell = next(c for r in ws.iter_rows(min_row=2, min_col=5) for c in r
                if isinstance(c.value, int | float) and ws.cell(c.row, c.column + 1).value is None
                and c.column + 1 <= 8)
    ref = f"{cell.coordinate}:{ws.cell(cell.row, cell.column + 1).coordinate}"
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
    f = write(tmp_path, add_to_sheet(filled, "基金收支", after=merge))
    msg = fails_in(5, f)
    assert f"{f}: 基金收支!{ref}: 数据单元格不能合并" in msg, msg


# --------------------------------------------------------------------------- cells, not field names


def test_superscript_year_is_an_error_at_the_cell(tmp_path: Path, filled: bytes) -> None:
    wb = load_workbook(io.BytesIO(filled))
    ws = wb["基本信息"]
    row = next(r for r in ws.iter_rows(min_row=2, max_col=2) if r[0].value == "年度")
    row[1].value = "²⁰²³"
    f = tmp_path / "year.xlsx"
    wb.save(f)
    msg = fails_in(5, f)
    assert msg == f'{f}: 基本信息!B{row[1].row}: 年度应为四位整数 "²⁰²³" (year must be four digits)'


def test_model_errors_point_at_cells_never_at_field_names() -> None:
    r = Reader(Path("x.xlsx"))
    r.places[("year",)] = "基本信息!B4"
    r.places[("figures", 3)] = "基金收支!E12"
    assert _place(r, ("year",)) == "基本信息!B4"
    assert _place(r, ("figures", 3, "value")) == "基金收支!E12"
    assert _place(r, ("region",)) == "基本信息"  # a sheet, never "基本信息!region"
    assert _place(r, ("indicators", 7, "weight")) == "绩效指标"
