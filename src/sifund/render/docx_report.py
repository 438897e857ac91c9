"""The DOCX report (python-docx): real Word styles, East-Asian fonts, the 自评表 with merges, page numbers.

Writes the shared blocks; no wording or numbers are decided here. Layout follows the usual
公文 page (A4, 37/35/28/26 mm margins, 仿宋 body, 黑体 headings).
"""

from __future__ import annotations

import copy
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.oxml.table import CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import _Cell

from sifund.engine.evaluation import Evaluation
from sifund.render import fonts
from sifund.render.blocks import Block, Chart, Cover, Grid, Heading, Para, Table
from sifund.render.safe import core_property, xml_text

COLUMN_CM = (1.1, 1.2, 1.3, 2.6, 2.0, 2.0, 1.6, 1.7, 2.1)  # 自评表, sums to the 15.6 cm text width
TABLE_PT = 8.5
CENTERED = {"header", "label", "money", "percent", "score"}
_W_T = qn("w:t")
_XML_SPACE = qn("xml:space")


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
    t = doc.add_paragraph(xml_text(b.title), style="Title")
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    s = doc.add_paragraph(xml_text(b.subtitle))
    s.alignment = WD_ALIGN_PARAGRAPH.CENTER
    s.paragraph_format.first_line_indent = Pt(0)
    for _ in range(4):
        doc.add_paragraph()
    for label, value in b.lines:
        p = doc.add_paragraph(xml_text(f"{label}：{value}"))
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
        run = p.add_run(xml_text(c.display()))
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


def _cell_text(cell: _Cell, kind: str, text: str, protos: dict[str, CT_P]) -> None:
    """Write ``text`` into an empty table cell, formatted for its ``kind``.

    The first cell of each kind is formatted through python-docx; later ones get a copy of that
    paragraph's XML. Why: the python-docx setters (fonts, size, bold, indent, spacing) cost about
    a millisecond per cell, the bulk of a 1000-indicator report; a deep copy is tens of µs and
    writes the same XML.
    """
    proto = protos.get(kind)
    if proto is None:
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if kind in CENTERED:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run()
        fonts.run_font(run, "table", size=TABLE_PT, bold=kind == "header")
        protos[kind] = copy.deepcopy(p._p)
        run.text = text
        return
    p_el = copy.deepcopy(proto)
    cell._tc.replace(cell._tc.p_lst[0], p_el)
    r_el = p_el.r_lst[0]
    if not text:
        return
    if any(ch in text for ch in "\t\r\n"):  # tabs and line breaks become w:tab / w:br
        r_el.text = text
        return
    t = r_el.makeelement(_W_T)
    t.text = text
    if text != text.strip():
        t.set(_XML_SPACE, "preserve")
    r_el.append(t)


def _table_part(doc, grid: Grid, start: int, stop: int):  # type: ignore[no-untyped-def]
    """Rows [start, stop) of the grid as one bordered table (cells are anchored inside it).

    Merges are written straight into the XML (w:gridSpan, w:vMerge) from a row × column map of
    the ``w:tc`` elements built once. Why not ``table.cell(r, c).merge(...)``: python-docx rebuilds
    the whole cell list on every ``table.cell`` call and grows a vertical merge by recursing one
    row at a time, which made a report quadratic in its indicators (500: minutes) and a
    1000-row merge a RecursionError.
    """
    nrows = stop - start
    table = doc.add_table(rows=nrows, cols=grid.ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, column in enumerate(table.columns):  # w:tblGrid, which LibreOffice follows
        column.width = Cm(COLUMN_CM[i])
    trs = table._tbl.tr_lst
    protos: dict[str, CT_P] = {}
    tcs: list[list[CT_Tc | None]] = [list(tr.tc_lst) for tr in trs]  # None: merged into its left
    for c in (c for c in grid.cells if start <= c.row < stop):
        r0, c0 = c.row - start, c.col
        span = min(c.colspan, grid.ncols - c0)
        last = min(r0 + c.rowspan, nrows)
        anchor = tcs[r0][c0]
        if anchor is None:  # a position already covered by another cell's span: nothing to draw
            continue
        for r in range(r0, last):
            tc = tcs[r][c0]
            if tc is None:
                continue
            if span > 1:
                tc.grid_span = span
                for k in range(c0 + 1, c0 + span):
                    if (gone := tcs[r][k]) is not None:
                        trs[r].remove(gone)
                        tcs[r][k] = None
            if last - r0 > 1:
                tc.vMerge = ST_Merge.RESTART if r == r0 else ST_Merge.CONTINUE
        cell = _Cell(anchor, table)
        _cell_text(cell, c.kind, xml_text(c.display()), protos)
        if c.kind in ("header", "label"):
            _shade(cell, "F2F2F2")
    for row in tcs:  # w:tcW of every cell, which Word follows (a merged cell spans its columns)
        for offset, tc in enumerate(row):
            if tc is not None:
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
    # core properties are limited to 255 characters and must be XML-legal: a long or odd region
    # must not stop the report from being written
    doc.core_properties.title = core_property(next((b.title for b in blocks if isinstance(b, Cover)), ""))
    doc.core_properties.author = core_property(ds.agency or ds.region)
    for b in blocks:
        if isinstance(b, Cover):
            _cover(doc, b)
        elif isinstance(b, Heading):
            doc.add_paragraph(xml_text(b.text), style="Title" if b.level == 0 else f"Heading {b.level}")
        elif isinstance(b, Para):
            doc.add_paragraph(xml_text(b.text))
        elif isinstance(b, Table):
            _table(doc, b.grid)
        elif isinstance(b, Chart):
            _chart(doc, b)
    return doc


def docx_bytes(ev: Evaluation, blocks: list[Block]) -> bytes:
    buf = io.BytesIO()
    build_docx(ev, blocks).save(buf)
    return buf.getvalue()
