"""The DOCX report (python-docx): real Word styles, East-Asian fonts, the 自评表 with merges, page numbers.

Writes the shared blocks; no wording or numbers are decided here. Layout follows the usual
公文 page (A4, 37/35/28/26 mm margins, 仿宋 body, 黑体 headings).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from sifund.engine.evaluation import Evaluation
from sifund.render import fonts
from sifund.render.blocks import Block, Chart, Cover, Grid, Heading, Para, Table

COLUMN_CM = (1.1, 1.2, 1.3, 2.6, 2.0, 2.0, 1.6, 1.7, 2.1)  # 自评表, sums to the 15.6 cm text width
TABLE_PT = 8.5
CENTERED = {"header", "label", "money", "percent", "score"}


def _setup(doc) -> None:  # type: ignore[no-untyped-def]
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    styles = doc.styles
    normal = styles["Normal"]
    fonts.style_font(normal, "body")
    pf = normal.paragraph_format
    pf.first_line_indent = Pt(fonts.spec("body")["size"] * 2)
    pf.line_spacing = Pt(28)
    pf.space_after = Pt(0)
    for name, role, level in (
        ("Heading 1", "heading1", 1),
        ("Heading 2", "heading2", 2),
        ("Title", "title", 0),
    ):
        st = styles[name]
        fonts.style_font(st, role, bold=level != 2)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.font.italic = False
        st.paragraph_format.first_line_indent = Pt(0) if level == 0 else Pt(fonts.spec("body")["size"] * 2)
        st.paragraph_format.space_before = Pt(6)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.line_spacing = Pt(28) if level else Pt(36)
    # Title has a bottom border in the default template; keep it plain like a 公文 title
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    _page_numbers(sec)


def _field(paragraph, instr: str) -> None:  # type: ignore[no-untyped-def]
    """Insert a Word field (PAGE, NUMPAGES) as complex-field runs, updated by Word/LibreOffice."""
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)
        elif text == instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
            run._element.append(el)
        else:
            run.text = text or ""


def _page_numbers(sec) -> None:  # type: ignore[no-untyped-def]
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.add_run("— ")
    _field(p, "PAGE")
    p.add_run(" —")
    for run in p.runs:
        fonts.run_font(run, "table", size=12)


def _cover(doc, b: Cover) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        doc.add_paragraph()
    t = doc.add_paragraph(b.title, style="Title")
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    s = doc.add_paragraph(b.subtitle)
    s.alignment = WD_ALIGN_PARAGRAPH.CENTER
    s.paragraph_format.first_line_indent = Pt(0)
    for _ in range(4):
        doc.add_paragraph()
    for label, value in b.lines:
        p = doc.add_paragraph(f"{label}：{value}")
        p.paragraph_format.left_indent = Cm(2.5)
        p.paragraph_format.first_line_indent = Pt(0)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(doc, grid: Grid) -> None:  # type: ignore[no-untyped-def]
    """The 自评表: title rows as centred paragraphs, the rest as bordered tables with merges.

    The indicator part is a table of its own whose header row Word and LibreOffice repeat on every
    page (w:tblHeader), since only a table's leading rows can repeat.
    """
    heads = [c for c in grid.cells if c.kind in ("title", "subtitle")]
    first = max((c.row + 1 for c in heads), default=0)
    for c in sorted(heads, key=lambda c: (c.row, c.col)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if c.col == 0 else WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        run = p.add_run(c.display())
        fonts.run_font(
            run,
            "heading1" if c.kind == "title" else "table",
            size=14 if c.kind == "title" else TABLE_PT,
            bold=c.kind == "title",
        )
    split = grid.repeat_row if grid.repeat_row is not None and grid.repeat_row > first else None
    if split is None:
        _table_part(doc, grid, first, grid.nrows)
        return
    _table_part(doc, grid, first, split)
    gap = doc.add_paragraph()  # Word would join two adjacent tables into one
    gap.paragraph_format.first_line_indent = Pt(0)
    gap.paragraph_format.line_spacing = Pt(1)
    fonts.run_font(gap.add_run(""), "table", size=1)
    table = _table_part(doc, grid, split, grid.nrows)
    header = table.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        header.append(OxmlElement(tag))


def _table_part(doc, grid: Grid, start: int, stop: int):  # type: ignore[no-untyped-def]
    """Rows [start, stop) of the grid as one bordered table (cells are anchored inside it)."""
    body = [c for c in grid.cells if start <= c.row < stop]
    table = doc.add_table(rows=stop - start, cols=grid.ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, column in enumerate(table.columns):  # w:tblGrid, which LibreOffice follows
        column.width = Cm(COLUMN_CM[i])
    for c in body:
        r0, c0 = c.row - start, c.col
        cell = table.cell(r0, c0)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(min(r0 + c.rowspan, stop - start) - 1, c0 + c.colspan - 1))
        cell.text = ""
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if c.kind in CENTERED:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(c.display())
        fonts.run_font(run, "table", size=TABLE_PT, bold=c.kind == "header")
        if c.kind in ("header", "label"):
            _shade(cell, "F2F2F2")
    for row in table.rows:  # w:tcW of every cell, which Word follows (a merged cell spans its columns)
        for tc in row._tr.tc_lst:
            offset = tc.grid_offset
            tc.width = Cm(sum(COLUMN_CM[offset : offset + tc.grid_span]))
    return table


def _chart(doc, b: Chart) -> None:  # type: ignore[no-untyped-def]
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    p.add_run().add_picture(io.BytesIO(b.png), width=Cm(15))


def build_docx(ev: Evaluation, blocks: list[Block]):  # type: ignore[no-untyped-def]
    doc = Document()
    _setup(doc)
    ds = ev.dataset
    doc.core_properties.title = next((b.title for b in blocks if isinstance(b, Cover)), "")
    doc.core_properties.author = ds.agency or ds.region
    for b in blocks:
        if isinstance(b, Cover):
            _cover(doc, b)
        elif isinstance(b, Heading):
            doc.add_paragraph(b.text, style="Title" if b.level == 0 else f"Heading {b.level}")
        elif isinstance(b, Para):
            doc.add_paragraph(b.text)
        elif isinstance(b, Table):
            _table(doc, b.grid)
        elif isinstance(b, Chart):
            _chart(doc, b)
    return doc


def docx_bytes(ev: Evaluation, blocks: list[Block]) -> bytes:
    buf = io.BytesIO()
    build_docx(ev, blocks).save(buf)
    return buf.getvalue()
