"""Tables as grids (review/grid.py): the DOCX and PDF readers give each table's true columns and
merged-cell spans, every cell placed in the document's text, while the TAB lines stay as they were.

The PDF cases are built from python-docx documents by LibreOffice (skipped without it), and one of
them is rendered with several page margins so that the page break cuts the table at different rows:
the reader must give the same grid and the same figures from every layout (issue #12: a blind-set
PDF lost a budget on another machine where the page break fell inside a table row).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from sifund.core.errors import SifundError
from sifund.review.grid import Grid, GridRules, box_spans, caption
from sifund.review.readers import read_document

# --------------------------------------------------------------------------- documents

HEAD = [
    ["项目", "基金收入", None, "基金支出", None, "备注"],
    [None, "预算数", "决算数", "预算数", "决算数", None],
]  # None: covered by a merged cell
BODY = [
    ["养老保险基金", "100.00", "101.50", "90.00", "88.25", "正常"],
    ["医疗保险基金", "200.00", "198.75", "180.00", "181.10", "正常"],
    ["合计", "300.00", "300.25", "270.00", "269.35", ""],
]
# (row, col, rowspan, colspan, text) of every cell of that table, as Word's XML has them
MERGED = [
    (0, 0, 2, 1, "项目"),
    (0, 1, 1, 2, "基金收入"),
    (0, 3, 1, 2, "基金支出"),
    (0, 5, 2, 1, "备注"),
    (1, 1, 1, 1, "预算数"),
    (1, 2, 1, 1, "决算数"),
    (1, 3, 1, 1, "预算数"),
    (1, 4, 1, 1, "决算数"),
] + [(r + 2, c, 1, 1, v) for r, row in enumerate(BODY) for c, v in enumerate(row)]
# The TAB lines exactly as the DOCX reader always wrote them: a horizontal merge once, a vertical
# merge repeated on the rows it covers (python-docx's row.cells).
TAB_LINES = [
    "项目\t基金收入\t基金支出\t备注",
    "项目\t预算数\t决算数\t预算数\t决算数\t备注",
    *("\t".join(row) for row in BODY),
]


def _fonts(doc: Any, size: float | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in ("Normal", "Heading 1"):
        style = doc.styles[name]
        rf = style.element.get_or_add_rPr().get_or_add_rFonts()
        rf.set(qn("w:eastAsia"), "Noto Serif CJK SC")
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rf.attrib.pop(qn(a), None)
        if size:
            style.font.size = Pt(size)


def merged_docx(path: Path) -> Path:
    """A titled table whose header merges cells both ways, then a table with one nested in a cell."""
    import docx

    d = docx.Document()
    _fonts(d)
    d.add_paragraph("2022年各项基金收支情况见下表。")
    d.add_paragraph("表1  2022年社会保险基金收支情况表")
    d.add_paragraph("单位：万元")
    rows = HEAD + BODY
    t = d.add_table(rows=len(rows), cols=6)
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v:
                t.cell(i, j).text = v
    for a, b in (((0, 0), (1, 0)), ((0, 1), (0, 2)), ((0, 3), (0, 4)), ((0, 5), (1, 5))):
        m = t.cell(*a).merge(t.cell(*b))
        for p in m.paragraphs[1:]:  # merge() keeps the (empty) paragraphs of the other cells
            p._element.getparent().remove(p._element)
    d.add_paragraph("附：指标明细")
    outer = d.add_table(rows=1, cols=2)
    outer.style = "Table Grid"
    outer.cell(0, 0).text = "参保人数"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for (i, j), v in {(0, 0): "上年", (0, 1): "本年", (1, 0): "9,203人", (1, 1): "9,512人"}.items():
        inner.cell(i, j).text = v
    d.add_paragraph("以上数据均来自业务系统。")
    d.save(str(path))
    return path


LABELS = [
    "基金收入合计",
    "其中：机关事业单位基本养老保险",
    "城乡居民基本养老保险",
    "基金支出合计",
    "其中：机关事业单位基本养老保险",
    "城乡居民基本养老保险",
    "当年收支结余",
    "年末滚存结余",
]
VALUES = [
    ("82300.00", "84236.41", "102.35"),
    ("68500.00", "69874.36", "102.01"),
    ("13800.00", "14362.05", "104.07"),
    ("79800.00", "78776.33", "98.72"),
    ("70200.00", "69318.52", "98.74"),
    ("9600.00", "9457.81", "98.52"),
    ("2500.00", "5460.08", "—"),
    ("—", "37498.27", "—"),
]


def layout_docx(path: Path, top_cm: float, repeat_header: bool = False) -> Path:
    """xifeng-2021's execution table (blind3) after a page of prose: narrow cells that wrap the
    numbers and labels, rows allowed to break across pages (Word's default). ``top_cm`` moves the
    page break through the table."""
    import docx
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    d = docx.Document()
    _fonts(d, 12)
    d.sections[0].top_margin = Cm(top_cm)
    d.add_paragraph("庆阳市西峰区2021年度社会保险基金支出预算绩效自评报告")
    d.add_heading("二、基金预算执行情况", level=1)
    for k in range(6):
        d.add_paragraph(
            f"（{k + 1}）全区社会保险经办机构认真执行基金预算，严格按照批复的预算组织收入、"
            "安排支出，各项待遇按时足额发放，未发生挤占挪用基金的情况，基金运行总体平稳，下一步"
            "将继续加强预算执行监控和绩效运行分析，确保基金安全。"
        )
    d.add_paragraph("两项基金收支情况见下表。")
    rows = [
        ["项目", "年初预算数（万元）", "决算数（万元）", "完成预算（%）"],
        *([label, *vals] for label, vals in zip(LABELS, VALUES, strict=True)),
    ]
    t = d.add_table(rows=len(rows), cols=4)
    t.style = "Table Grid"
    t.autofit = False
    widths = [3.2, 1.45, 1.45, 1.9]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            cell = t.cell(i, j)
            cell.width = Cm(widths[j])
            cell.paragraphs[0].add_run(v).font.size = Pt(10.5)
    for j, w in enumerate(widths):
        t.columns[j].width = Cm(w)  # the grid LibreOffice lays out by
    if repeat_header:
        t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    d.add_paragraph("表中数据经财政部门审核确认。")
    d.save(str(path))
    return path


# --------------------------------------------------------------------------- DOCX


def _cells(g: Grid) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in g.cells]


def _placed(doc: Any, g: Grid) -> None:
    """Every cell with a place quotes the document's text exactly, inside its row's TAB line."""
    for c in g.cells:
        assert c.start >= 0, c
        assert doc.text[c.start : c.end] == c.text, c
        line_start, line_end = g.row_lines[c.row]
        assert line_start <= c.start <= c.end <= line_end, c


def test_docx_merges_give_spans_and_true_columns(tmp_path: Path) -> None:
    """gridSpan and vMerge become colspan and rowspan; every cell keeps its true column, whereas
    the TAB line after a merged cell has shifted (and repeats a vertical merge) as it always did."""
    doc = read_document(merged_docx(tmp_path / "merged.docx"))
    lines = doc.text.split("\n")
    first = lines.index(TAB_LINES[0])
    assert lines[first : first + len(TAB_LINES)] == TAB_LINES
    assert len(doc.tables) == 3
    g = doc.tables[0]
    assert g.shape == (5, 6)
    assert _cells(g) == sorted(MERGED)
    assert g.at(1, 0) is g.at(0, 0) and g.at(1, 0).text == "项目"  # type: ignore[union-attr]
    assert g.at(0, 2).text == "基金收入" and g.at(1, 2).text == "决算数"  # type: ignore[union-attr]
    assert g.texts()[1] == ["项目", "预算数", "决算数", "预算数", "决算数", "备注"]
    assert (g.title, g.unit) == ("表1  2022年社会保险基金收支情况表", "万元")
    assert g.start == doc.text.index(TAB_LINES[0]) and doc.text[g.start : g.end].split("\n") == TAB_LINES
    _placed(doc, g)


def test_docx_nested_table_has_its_own_grid(tmp_path: Path) -> None:
    """A table in a cell keeps today's text (its rows right after the row it sits in) and is a grid
    of its own, pointing at the cell it sits in."""
    doc = read_document(merged_docx(tmp_path / "merged.docx"))
    lines = doc.text.split("\n")
    i = lines.index("参保人数\t")  # the nested table's text is not in its cell ...
    assert lines[i + 1 : i + 3] == ["上年\t本年", "9,203人\t9,512人"]  # ... its rows follow the row
    outer, inner = doc.tables[1], doc.tables[2]
    assert _cells(outer) == [(0, 0, 1, 1, "参保人数"), (0, 1, 1, 1, "")]
    assert outer.title == "附：指标明细" and outer.parent is None
    assert inner.parent == (1, 0, 1) and inner.title is None
    assert _cells(inner) == [
        (0, 0, 1, 1, "上年"),
        (0, 1, 1, 1, "本年"),
        (1, 0, 1, 1, "9,203人"),
        (1, 1, 1, 1, "9,512人"),
    ]
    _placed(doc, inner)


def test_docx_row_starting_later_keeps_its_columns(tmp_path: Path) -> None:
    """A row with w:gridBefore (its first grid columns empty) puts its cells where they stand."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for j, v in enumerate(["项目", "预算数", "决算数"]):
        t.cell(0, j).text = v
    t.cell(1, 1).text, t.cell(1, 2).text = "100", "98"
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])  # the row's first grid column has no cell ...
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr.get_or_add_trPr().append(before)  # ... as w:gridBefore says
    d.save(str(tmp_path / "before.docx"))
    doc = read_document(tmp_path / "before.docx")
    assert doc.text.split("\n")[1] == "100\t98"  # the text as always: the cells present
    assert _cells(doc.tables[0])[3:] == [(1, 1, 1, 1, "100"), (1, 2, 1, 1, "98")]


def test_txt_has_no_tables(tmp_path: Path) -> None:
    """A TXT report's tables are only TAB/space lines: no grid (a later step builds them)."""
    f = tmp_path / "r.txt"
    f.write_text("项目\t预算数\t决算数\n基金收入\t100\t98\n", encoding="utf-8")
    assert read_document(f).tables == []


# --------------------------------------------------------------------------- rules and pieces


def test_caption_reads_title_and_unit_above() -> None:
    """The unit from a 单位： line or caption (also inside prose just above); the title only from a
    short line that does not end like prose; never across another table's row."""
    assert caption(["表1 收支情况表", "单位：万元", "项目\t预算"], 2) == ("表1 收支情况表", "万元")
    assert caption(["收支情况表（单位：元）", "项目\t预算"], 1) == ("收支情况表（单位：元）", "元")
    assert caption(["具体情况见下表（金额单位：万元）。", "项目\t预算"], 1) == (None, "万元")
    assert caption(["各项基金收支情况如下：", "项目\t预算"], 1) == (None, None)
    assert caption(["甲\t乙", "项目\t预算"], 1, {0}) == (None, None)


def test_box_spans_follow_pdfplumber_boundaries() -> None:
    """Column/row boundaries are the distinct x0/top of the boxes; a box covering several is merged."""
    boxes = [
        (0, 0, 10, 20),
        (10, 0, 30, 10),
        (10, 10, 20, 20),
        (20, 10, 30, 20),
        (0, 20, 10, 30),
        (10, 20, 30, 30),
    ]
    xs, tops, spans = box_spans(boxes)
    assert xs == [0, 10, 20] and tops == [0, 10, 20]
    assert spans == [(0, 0, 2, 1), (0, 1, 1, 2), (1, 1, 1, 1), (1, 2, 1, 1), (2, 0, 1, 1), (2, 1, 1, 2)]


def test_grid_rules_are_validated_with_their_line() -> None:
    """A typo in grid.yaml is an error naming the file, the line and the key, not a KeyError later."""
    from sifund.core.packaged import data_text, parse_validated

    good = data_text("review", "grid.yaml")
    parse_validated(GridRules, good, "grid.yaml")
    bad = good.replace("title_max_chars: 60", "title_max_chars: many")
    with pytest.raises(SifundError) as e:
        parse_validated(GridRules, bad, "grid.yaml")
    assert "grid.yaml" in str(e.value) and "title_max_chars" in str(e.value) and "line" in str(e.value)
    with pytest.raises(SifundError, match="正则"):
        parse_validated(GridRules, good.replace('title_not_end: "', 'title_not_end: "(', 1), "grid.yaml")


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal valid PDF from its numbered objects (1-based), xref offsets computed."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def fake_bold_pdf() -> bytes:
    """Text drawn twice 0.4 pt apart (fake bold), a third copy chained 0.8 pt further, and a line
    drawn once: what dedupe_chars is for."""
    content = (
        b"BT /F1 14 Tf 72 720 Td (Fund income 43937) Tj ET "
        b"BT /F1 14 Tf 72.4 720 Td (Fund income 43937) Tj ET "
        b"BT /F1 14 Tf 73.2 720.3 Td (Fund income 43937) Tj ET "
        b"BT /F1 12 Tf 72 690 Td (Spending 40673, 97%) Tj ET"
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_linear_dedupe_keeps_exactly_pdfplumbers_characters(tmp_path: Path) -> None:
    """The n log n replacement of page.dedupe_chars() keeps the same characters in the same order
    (pdfplumber's own sorts them back with list.index, quadratic in the characters of a page)."""
    import pdfplumber

    from sifund.review.readers import _dedupe_chars

    with pdfplumber.open(io.BytesIO(fake_bold_pdf())) as pdf:
        page = pdf.pages[0]
        assert len(page.chars) > 2 * len("Fund income 43937")
        ours, theirs = _dedupe_chars(page).chars, page.dedupe_chars().chars
        assert [(c["text"], c["x0"], c["top"]) for c in ours] == [
            (c["text"], c["x0"], c["top"]) for c in theirs
        ]
        assert "".join(c["text"] for c in ours) == "Fund income 43937Spending 40673, 97%"
    f = tmp_path / "bold.pdf"
    f.write_bytes(fake_bold_pdf())
    assert read_document(f).text == "Fund income 43937\nSpending 40673, 97%"


# --------------------------------------------------------------------------- PDF (LibreOffice)


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.skip("LibreOffice (soffice) not available")
    return exe


def _to_pdf(docs: list[Path], outdir: Path) -> list[Path]:
    profile = tempfile.mkdtemp(prefix="lo-grids-")
    try:
        subprocess.run(
            [
                _soffice(),
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, docs),
            ],
            check=False,
            capture_output=True,
            timeout=300,
            env={**os.environ, "HOME": profile},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [outdir / (d.stem + ".pdf") for d in docs]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        pytest.skip(f"LibreOffice wrote no {missing}")
    return pdfs


@pytest.fixture(scope="module")
def merged_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("merged")
    docx = merged_docx(out / "merged.docx")
    return docx, _to_pdf([docx], out)[0]


def test_pdf_grid_has_the_docx_grids_shape(merged_pdf: tuple[Path, Path]) -> None:
    """From the cell boxes, the PDF gives the same grid as the DOCX XML: the same spans and texts.
    Documented difference: a table nested in a cell is not a grid of its own in a PDF (pdfplumber
    sees its lines as part of the outer table); its text stays in the outer cell."""
    docx, pdf = merged_pdf
    want, got = read_document(docx), read_document(pdf)
    g = got.tables[0]
    assert _cells(g) == _cells(want.tables[0])
    assert (g.title, g.unit, g.pages) == ("表1 2022年社会保险基金收支情况表", "万元", (1,))
    _placed(got, g)
    # the text as always: merged-away cells are not repeated in a PDF's TAB lines
    lines = got.text.split("\n")
    assert "项目\t基金收入\t基金支出\t备注" in lines and "预算数\t决算数\t预算数\t决算数" in lines
    assert all(t.parent is None for t in got.tables)


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The execution table with the page break moved through it (top margins 1–9.5 cm), with and
    without a header row repeated on the next page, as DOCX and as LibreOffice PDFs."""
    out = tmp_path_factory.mktemp("layouts")
    docs = [layout_docx(out / f"m{top}.docx", top) for top in (1.0, 2.5, 3.5, 5.0, 6.5, 8.0, 9.5)]
    docs += [layout_docx(out / f"h{top}.docx", top, repeat_header=True) for top in (3.5, 6.5)]
    return {p.name: p for p in [*docs, *_to_pdf(docs, out)]}


def _table_rows_on_pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as f:
        return sum(len(t.rows) for page in f.pages for t in page.find_tables())


def test_same_grid_and_figures_whatever_the_page_break(layouts: dict[str, Path]) -> None:
    """Every layout reads as the DOCX does: one table, the same cells (a row cut by the page break put
    back together, a repeated header row left out of the grid and the text, numbers wrapped inside a
    narrow cell joined), and the same figures by key and value."""
    from sifund.review.extract import extract_document

    def figures(path: Path) -> set[tuple[str, str, str, float]]:
        res = extract_document(read_document(path))
        return {(f.fund, f.item, f.measure, float(f.value)) for f in res.dataset.figures}

    want_doc = read_document(next(p for p in layouts.values() if p.suffix == ".docx"))
    want = _cells(want_doc.tables[0])
    want_figures = figures(next(p for p in layouts.values() if p.suffix == ".docx"))
    printed = {float(v) for vals in VALUES for v in vals if v != "—"}
    table_figures = {f for f in want_figures if f[3] in printed}
    assert len(table_figures) >= 15
    pdfs = sorted(p for p in layouts.values() if p.suffix == ".pdf")
    cut = [p.stem for p in pdfs if _table_rows_on_pages(p) > len(LABELS) + 1 + p.stem.startswith("h")]
    assert cut, "no layout cut a row: the test would not test the repair"
    for pdf in pdfs:
        doc = read_document(pdf)
        assert len(doc.tables) == 1, pdf.stem
        assert _cells(doc.tables[0]) == want, pdf.stem
        _placed(doc, doc.tables[0])
        assert doc.text.count("项目\t年初预算数（万元）\t决算数（万元）\t完成预算（%）") == 1, pdf.stem
        assert table_figures <= figures(pdf), (pdf.stem, sorted(table_figures - figures(pdf)))


def test_pdf_text_of_a_table_on_one_page(layouts: dict[str, Path]) -> None:
    """Regression: where the table sits on one page, its TAB lines are the cells' texts as pdfplumber
    extracts them, wrapped lines joined as always — except that a number wrapped by its narrow cell
    is one number again ("8230" / "0.00" used to read "8230 0.00")."""
    assert _table_rows_on_pages(layouts["m8.0.pdf"]) == len(LABELS) + 1
    doc = read_document(layouts["m8.0.pdf"])
    lines = doc.text.split("\n")
    start = lines.index("项目\t年初预算数（万元）\t决算数（万元）\t完成预算（%）")
    want = ["\t".join([label, *vals]) for label, vals in zip(LABELS, VALUES, strict=True)]
    assert lines[start + 1 : start + 1 + len(want)] == want
