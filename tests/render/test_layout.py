"""Layout rules a 财政局 reviewer checks on paper, one test each, read from the files' XML.

DOCX: no table row splits across pages, the indicator header repeats, headings and captions stay
with what follows, the title breaks only between words, numbers never wrap, charts are sized
and numbered. XLSX: the print setup of both sheets. 自评表: a 基金 column, per-fund 项目资金 rows
and the 填报 block. Speed: the chart drawing (Pillow) is loaded only when a chart is drawn.
"""

from __future__ import annotations

import io
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from tests.render.conftest import EXAMPLES, evaluate_dataset

from sifund.core.codes import codebook
from sifund.ingest import load_dataset
from sifund.render import charts
from sifund.render.docx_report import TEXT_WIDTH_PT, title_lines
from sifund.render.report import write_outputs
from sifund.render.selftable import build_grid, has_fund_column
from sifund.render.wording import load

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def synthetic():  # type: ignore[no-untyped-def]
    ds = load_dataset(EXAMPLES / "synthetic-county-2023.yaml")
    return ds, evaluate_dataset(ds)


@pytest.fixture(scope="module")
def files(synthetic, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    ds, ev = synthetic
    paths = write_outputs(ds, ev, tmp_path_factory.mktemp("layout"), ["docx", "xlsx"])
    return {p.suffix[1:]: p for p in paths}


@pytest.fixture(scope="module")
def body(files: dict[str, Path]):  # type: ignore[no-untyped-def]
    from lxml import etree

    with zipfile.ZipFile(files["docx"]) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_no_table_row_splits_across_pages(body) -> None:  # type: ignore[no-untyped-def]
    rows = body.findall(f".//{W}tr")
    assert rows
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)


def test_indicator_header_row_repeats(body) -> None:  # type: ignore[no-untyped-def]
    tables = body.findall(f".//{W}tbl")
    heads = [t for t in tables if t.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None]
    assert len(heads) == 1
    first = heads[0].find(f"{W}tr")
    assert "三级指标" in "".join(first.itertext())


def test_headings_keep_with_next(files: dict[str, Path]) -> None:
    doc = Document(str(files["docx"]))
    for name in ("Heading 1", "Heading 2", "Title"):
        assert doc.styles[name].paragraph_format.keep_with_next, name
    heads = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads and all(p.paragraph_format.keep_with_next is not False for p in heads)


def test_title_breaks_after_the_year_never_inside_a_word(files: dict[str, Path], synthetic) -> None:  # type: ignore[no-untyped-def]
    ds, _ = synthetic
    doc = Document(str(files["docx"]))
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title.text == f"{ds.region}{ds.year}年\n社会保险基金支出预算绩效自评报告"
    assert title.paragraph_format.keep_with_next


def test_title_lines_fit_or_split_at_a_pause() -> None:
    assert title_lines("某县2023年绩效自评报告", 22) == ["某县2023年绩效自评报告"]
    long = "某某某某自治县2024年社会保险基金支出预算绩效自评报告"
    lines = title_lines(long, 22)
    assert lines == ["某某某某自治县2024年", "社会保险基金支出预算绩效自评报告"]
    assert all(len(x) * 22 <= TEXT_WIDTH_PT for x in lines)
    assert title_lines("某地社会保险基金支出预算绩效自评报告再加上很长的名称", 22)[1].startswith(
        "社会保险基金"
    )


def test_numbers_in_the_table_never_wrap(body) -> None:  # type: ignore[no-untyped-def]
    """The 项目资金 row's rate must not break before its "%" (w:noWrap on number cells)."""
    funds_table = body.findall(f".//{W}tbl")[0]  # basic information, 项目资金 and goals
    tcs = [tc for tc in funds_table.iter(f"{W}tc") if "".join(tc.itertext()).endswith("%")]
    rate = [tc for tc in tcs if "".join(tc.itertext())[:-1].replace(".", "").isdigit()]
    assert rate and all(tc.find(f"{W}tcPr/{W}noWrap") is not None for tc in rate)


def test_charts_sized_and_captioned(files: dict[str, Path], synthetic) -> None:  # type: ignore[no-untyped-def]
    _, ev = synthetic
    doc = Document(str(files["docx"]))
    captions = charts.chart_captions(ev)
    paras = doc.paragraphs
    pics = [i for i, p in enumerate(paras) if p._p.findall(f".//{W}drawing")]
    assert len(pics) == len(captions) == 3
    for i, (key, caption) in zip(pics, captions.items(), strict=True):
        assert paras[i].paragraph_format.keep_with_next, key  # picture stays with its caption
        assert paras[i + 1].text == caption
    for shape in doc.inline_shapes:
        assert abs(shape.width.cm - charts.WIDTH_CM) < 0.05
        assert shape.height.cm <= 9.05  # never a half page


def test_chart_numbers_follow_the_charts_that_exist(synthetic) -> None:  # type: ignore[no-untyped-def]
    _, ev = synthetic
    assert charts.chart_refs(ev) == {"income_expenditure": "图1", "completion": "图2", "balance": "图3"}
    assert all(c.startswith(("图1 ", "图2 ", "图3 ")) for c in charts.chart_captions(ev).values())


def test_chart3_is_bars_per_fund_without_lines(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _, ev = synthetic
    drawn: list[charts.Canvas] = []
    monkeypatch.setattr(charts, "_png", lambda canvas: drawn.append(canvas) or b"")
    charts.balance(charts.PrintFacts(ev))
    (canvas,) = drawn
    funds = charts.PrintFacts(ev).funds()
    bars = [i for i in canvas.items if i.kind == "bar"]
    assert {i.panel for i in bars} == {0, 1}  # 滚存结余 and 可支付月数, side by side
    for panel in (0, 1):
        rows = [i.row for i in bars if i.panel == panel]
        assert sorted(rows) == list(range(len(funds)))  # one bar per fund, no pooled 合计
    for line in (i for i in canvas.items if i.kind in ("grid", "axis", "tick")):
        x0, y0, x1, y1 = line.box
        assert x0 == x1 or y0 == y1  # axes and gridlines only: nothing joins two funds' bars
    names = [i.text for i in canvas.items if i.kind == "text" and i.row >= 0 and i.series < 0]
    assert names == [codebook().funds[x].short for x in funds]


def test_chart_libraries_only_when_charts_are_drawn(synthetic, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The XLSX and TXT never load the chart drawing (Pillow's ImageDraw/ImageFont), python-docx
    or Jinja2; drawing the charts never loads matplotlib (≈ 1 s of start-up)."""
    code = (
        "import sys\n"
        "from sifund.ingest import load_dataset\n"
        "from sifund.engine.config import load_config\n"
        "from sifund.engine.evaluation import evaluate\n"
        "from sifund.render import charts\n"
        "from sifund.render.report import write_outputs\n"
        f"ds = load_dataset({str(EXAMPLES / 'synthetic-county-2023.yaml')!r})\n"
        "ev = evaluate(ds, load_config(None))\n"
        "charts.chart_refs(ev)\n"
        f"write_outputs(ds, ev, {str(tmp_path / 'a')!r}, ['xlsx', 'txt'])\n"
        "print(sorted(m for m in ('PIL.ImageDraw', 'PIL.ImageFont', 'docx', 'jinja2') if m in sys.modules))\n"
        f"write_outputs(ds, ev, {str(tmp_path / 'b')!r}, ['html'])\n"
        "print('PIL.ImageDraw' in sys.modules, 'docx' in sys.modules, 'matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "True False False"]


def test_selftable_has_fund_column_fund_rows_and_signoff(synthetic) -> None:  # type: ignore[no-untyped-def]
    ds, ev = synthetic
    t = load("table")
    grid = build_grid(ev)
    assert has_fund_column(ev) and grid.ncols == 10
    texts = [c.value for c in grid.cells]
    assert t["fund_column"] in texts
    funds = [x for x in ds.funds() if x != "all"]
    for fund in funds:
        assert t["fund_row"].format(fund=codebook().funds[fund].short) in texts
    signoff = [c.value for c in grid.cells if c.kind == "signoff"]
    assert f"{t['signoff']['unit']}：{ds.signoff.unit}" in signoff or not ds.signoff.unit
    assert len(signoff) == 4 and grid.footer_row is not None


def test_signoff_blank_lines_when_empty(synthetic) -> None:  # type: ignore[no-untyped-def]
    ds, ev = synthetic
    blank = ev.model_copy(update={"dataset": ds.model_copy(update={"signoff": type(ds.signoff)()})})
    t = load("table")
    signoff = [c.value for c in build_grid(blank).cells if c.kind == "signoff"]
    assert signoff and all(str(v).endswith(t["signoff_blank"]) for v in signoff)


def test_signoff_under_the_docx_table(files: dict[str, Path]) -> None:
    doc = Document(str(files["docx"]))
    text = [p.text for p in doc.paragraphs]
    assert any(x.startswith("填报单位（盖章）：") and "填报日期：" in x for x in text)
    assert any(x.startswith("填报人：") and "联系电话：" in x for x in text)


def test_xlsx_print_setup(files: dict[str, Path], synthetic) -> None:  # type: ignore[no-untyped-def]
    _, ev = synthetic
    wb = load_workbook(io.BytesIO(files["xlsx"].read_bytes()))
    ws = wb["自评表"]
    grid = build_grid(ev)
    head = grid.repeat_row + 1
    assert ws.print_title_rows == f"${head}:${head}"
    assert "三级指标" in [c.value for c in ws[head]]
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    m = wb["计算指标"]
    assert m.page_setup.orientation == "landscape" and m.page_setup.fitToWidth == 1
    assert m.sheet_properties.pageSetUpPr.fitToPage
    header = [c.value for c in m[1]]
    assert header[:6] == ["基金", "指标", "数值", "单位", "计算公式", "说明"]
    assert m.print_area == f"'计算指标'!$A$1:$F${m.max_row}"  # the code column is not printed
    names = {r[1] for r in m.iter_rows(min_row=2, values_only=True)}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(n)) for n in names)


def test_files_are_0644(files: dict[str, Path]) -> None:
    for p in files.values():
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p
