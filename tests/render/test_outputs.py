"""DOCX, XLSX, HTML and TXT from every example: reopened, their figures equal the engine's."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sifund.core.errors import SifundError
from sifund.core.model import Dataset
from sifund.core.numbers import format_number, format_percent, format_wan
from sifund.engine.results import Evaluation
from sifund.render import report as report_mod
from sifund.render.blocks import Para
from sifund.render.phrases import PrintFacts, decimals_of, fund_name, indicator_actual
from sifund.render.report import build_blocks, output_names, render_text, write_outputs
from sifund.render.selftable import build_grid, fund_label, has_fund_column

Example = tuple[Dataset, Evaluation]


@pytest.fixture(scope="module")
def written(example: Example, tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Evaluation, dict]:
    ds, ev = example
    paths = write_outputs(ds, ev, tmp_path_factory.mktemp("out"), ["docx", "xlsx", "html", "txt"])
    return ds, ev, {p.suffix[1:]: p for p in paths}


def expected_figures(ds: Dataset, ev: Evaluation) -> list[str]:
    """Figures every report must print: stated ones with the decimals they were stated with (at
    most two), computed ones with two."""
    f = PrintFacts(ev)
    out = []
    for fund in f.funds():
        for item in ("income_total", "expenditure_total"):
            if (fig := ds.get(fund, item)) is not None:
                out.append(format_wan(fig.value, decimals_of(fig.precision)))
        for code in (
            "income_completion",
            "expenditure_completion",
            "income_yoy_rate",
            "expenditure_yoy_rate",
            "expenditure_yoy_change",
        ):
            m = ev.metric(fund, code)
            if m is None or m.value is None:
                continue
            nd = 2  # computed; a metric restating one stated figure prints like that figure
            if len(m.inputs) == 1:
                stated = ds.get(fund, f"{code.split('_')[0]}_total", next(iter(m.inputs)))
                nd = decimals_of(stated.precision if stated else None)
            show = format_wan if code.endswith("change") else format_percent
            out.append(show(abs(m.value), nd))
    out.append(f"{format_number(ev.score.total, 2)}分")
    return out


def docx_text(path: Path) -> tuple[str, list]:
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs), doc.tables


def test_file_names(written: tuple) -> None:
    ds, _, paths = written
    assert paths["docx"].name == f"{ds.region}{ds.year}年社会保险基金支出预算绩效自评报告.docx"
    assert paths["xlsx"].name == f"{ds.region}{ds.year}年社会保险基金支出绩效自评表.xlsx"
    assert set(output_names(ds)) == {"docx", "xlsx", "html", "txt"}


def test_docx_has_the_report_sentences_and_figures(written: tuple) -> None:
    ds, ev, paths = written
    text, _ = docx_text(paths["docx"])
    # the title breaks after the year (a line break inside the title paragraph, never inside a word)
    assert f"{ds.region}{ds.year}年社会保险基金支出预算绩效自评报告" in text.replace(
        f"{ds.year}年\n", f"{ds.year}年"
    )
    for heading in (
        "一、社会保险基金收支余总体情况",
        "二、各项社会保险基金预算完成及运行情况",
        "三、组织实施情况和绩效目标完成情况",
        "四、存在问题和下一步计划",
        "五、附表（自评表）",
    ):
        assert heading in text
    for fund in PrintFacts(ev).funds():
        assert f"{fund_name(fund)}预算完成及运行情况" in text
    for fig in expected_figures(ds, ev):
        assert fig in text, fig
    paras = [b.text for b in build_blocks(ev, charts=False) if isinstance(b, Para)]
    docx_paras = set(text.splitlines())
    assert [p for p in paras if p not in docx_paras] == []  # same sentences as the TXT


def test_docx_table_rows_equal_engine(written: tuple) -> None:
    _, ev, paths = written
    _, tables = docx_text(paths["docx"])
    assert len(tables) == 2  # basic information, then the indicators with a repeating header row
    head = tables[1].rows[0]
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "三级指标" in [c.text for c in head.cells]
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in tables[1].rows[1:])
    rows = [[c.text for c in row.cells] for t in tables for row in t.rows]
    f = PrintFacts(ev)
    for r in ev.indicators:
        row = next(x for x in rows if r.indicator.name in x)
        assert r.indicator.target in row
        assert indicator_actual(r, f) in row
        assert format_number(r.weight, 2) in row and format_number(r.score, 2) in row
    total = next(x for x in rows if "总分" in x)
    assert format_number(ev.score.total, 2) in total
    assert any(ev.score.grade in c for c in total)
    if ev.score.execution_rate is not None:
        assert any(format_percent(ev.score.execution_rate) in x for x in rows)


def test_docx_styles_fonts_and_page_numbers(written: tuple) -> None:
    _, _, paths = written
    doc = Document(str(paths["docx"]))
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Heading 1", "Heading 2", "Normal"} <= styles
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert (
        normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    )
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert "PAGE" in sec.footer._element.xml
    assert doc.tables[0].style.name == "Table Grid"
    assert len(doc.inline_shapes) >= 2  # charts


def test_xlsx_self_evaluation_table(written: tuple) -> None:
    ds, ev, paths = written
    wb = load_workbook(paths["xlsx"])
    ws = wb["自评表"]
    grid = build_grid(ev)
    last = get_column_letter(grid.ncols)
    assert ws["A1"].value == f"{ds.year}年{ds.region}社会保险基金支出绩效自评表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A1:{last}1" in merged
    head = next(r for r in ws.iter_rows() if any(c.value == "三级指标" for c in r))
    col = {c.value: c.column - 1 for c in head if c.value}
    name, target, actual = col["三级指标"], col["年度指标值"], col["实际完成值"]
    weight, score = col["分值"], col["得分"]
    by_fund = has_fund_column(ev)
    assert ("基金" in col) == by_fund
    rows = {
        (r[name].value, r[col["基金"]].value if by_fund else None): r
        for r in ws.iter_rows(min_row=head[0].row + 1)
    }
    f = PrintFacts(ev)
    for r in ev.indicators:
        fund = None
        if by_fund:  # the 基金 cell is merged over its run: the anchor above holds the label
            fund = fund_label(r.indicator.fund)
            row = next(
                x
                for (n, _), x in rows.items()
                if n == r.indicator.name and _fund_of(ws, x, col["基金"]) == fund
            )
        else:
            row = rows[(r.indicator.name, None)]
        assert row[target].value == (r.indicator.target or None)
        assert row[actual].value == (indicator_actual(r, f) or None)
        assert row[weight].value == pytest.approx(round(r.weight, 2))
        assert row[score].value == pytest.approx(round(r.score, 2))
        assert row[score].number_format == "0.00"
    total = next(r for r in ws.iter_rows() if r[0].value == "总分")
    assert total[score].value == pytest.approx(round(ev.score.total, 2))
    assert ev.score.grade in total[score + 1].value
    execution = next(r for r in ws.iter_rows() if r[1].value == "年度资金总额")
    values = [c for c in execution if c.column > 2 and c.value is not None]
    if ev.score.execution_rate is not None:
        assert values[4].value == pytest.approx(round(ev.score.execution_rate, 2))
    assert values[2].value == pytest.approx(PrintFacts(ev).fig("all", "expenditure_total"))
    assert values[2].number_format == "#,##0.00"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${head[0].row}:${head[0].row}"  # the indicator header repeats
    assert head[name].border.left.style == "thin"
    metrics = wb["计算指标"]
    assert metrics.max_row == len(ev.metrics) + 1


def _fund_of(ws, row, k: int) -> str | None:  # type: ignore[no-untyped-def]
    """The 基金 label of a row: the anchor of the merged range covering its cell."""
    cell = row[k]
    for rng in ws.merged_cells.ranges:
        if cell.coordinate in rng:
            return ws.cell(rng.min_row, rng.min_col).value
    return cell.value


def test_html_self_contained_same_text(written: tuple) -> None:
    _, ev, paths = written
    page = paths["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched
    blocks = build_blocks(ev, charts=False)
    for b in blocks:
        if isinstance(b, Para):
            assert (
                f"<p>{html.escape(b.text, quote=True)}</p>" in page or f"<p>{html.escape(b.text)}</p>" in page
            )
    assert len(re.findall(r'src="data:image/png;base64,', page)) >= 2
    for r in ev.indicators:
        assert html.escape(r.indicator.name) in page
    assert f">{format_number(ev.score.total, 2)}<" in page


def test_txt_is_render_text(written: tuple) -> None:
    ds, ev, paths = written
    text = paths["txt"].read_text(encoding="utf-8")
    assert text == render_text(ev)
    for fig in expected_figures(ds, ev):
        assert fig in text


def test_unknown_format_writes_nothing(example: Example, tmp_path: Path) -> None:
    ds, ev = example
    with pytest.raises(SifundError, match="pdf"):
        write_outputs(ds, ev, tmp_path / "o", ["docx", "pdf"])
    assert not (tmp_path / "o").exists()


def test_failure_in_one_format_leaves_no_file(example: Example, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ds, ev = example

    def broken(ev: Evaluation, blocks: list) -> bytes:
        raise RuntimeError("boom")

    real = report_mod._renderers

    def renderers() -> dict:
        r = real()
        r["html"] = broken
        return r

    monkeypatch.setattr(report_mod, "_renderers", renderers)
    with pytest.raises(RuntimeError):
        write_outputs(ds, ev, tmp_path, ["docx", "xlsx", "html"])
    assert list(tmp_path.iterdir()) == []
