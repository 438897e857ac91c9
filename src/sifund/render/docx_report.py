"""The DOCX report (python-docx): real Word styles, East-Asian fonts, the 自评表 with merges, page numbers.

Writes the shared blocks; no wording or numbers are decided here. Layout follows the usual
公文 page (A4, 37/35/28/26 mm margins, 仿宋 body, 黑体 headings).
"""

from __future__ import annotations

import copy
import io
import re

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
from docx.text.paragraph import Paragraph

from sifund.engine.results import Evaluation
from sifund.render import fonts
from sifund.render.blocks import Block, Chart, Cover, Grid, Heading, Para, Table
from sifund.render.charts import WIDTH_CM
from sifund.render.safe import core_property, xml_text

# 自评表 column widths (the text width is 15.6 cm). With a 基金 column the 项目资金
# values fall in the last six columns, so 执行率 (col 8) is wide enough for "100.00%" on one line.
COLUMN_CM = {
    9: (1.1, 1.2, 1.3, 2.6, 2.0, 2.0, 1.6, 1.7, 2.1),
    # 16.4 cm: 0.4 cm into each margin, so 指标值 "90%-110%" and "≥11000人" stay on one line
    10: (0.9, 1.3, 1.4, 1.4, 2.6, 2.0, 2.0, 1.3, 1.5, 2.0),
}
TABLE_PT = 8.5
CELL_MARGIN_TWIPS = 57  # 0.1 cm left/right instead of Word's 0.19 cm: narrow columns keep their numbers whole
CENTERED = {"header", "label", "money", "percent", "score"}
NO_WRAP = {"money", "percent", "score"}  # "99.13%" must never break before its "%"
TEXT_WIDTH_PT = 15.6 / 2.54 * 72
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
        st.paragraph_format.keep_with_next = True  # a heading never ends a page alone
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


def _em_width(text: str) -> float:
    """Width in ems: a CJK character is one, a Latin letter or digit about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text)


def title_lines(text: str, size_pt: float, width_pt: float = TEXT_WIDTH_PT) -> list[str]:
    """The title split where a reader would break it, so the typesetter never breaks inside a word.

    A title that fits stays one line. Otherwise it breaks after the region and year
    ("示例县2023年" / "社会保险基金支出预算绩效自评报告") — the natural pause of a 公文 title; without a
    year, before "社会保险基金" or at the middle. Word and LibreOffice may break CJK text between
    any two characters, which split "报告" across lines.
    """
    if _em_width(text) * size_pt <= width_pt * 0.97:
        return [text]
    for rx in (r"^(.*?\d{4}年(度)?)(.+)$", r"^(.+?)(社会保险基金.+)$"):
        m = re.match(rx, text)
        if m and m.group(1) and m.groups()[-1]:
            return [m.group(1), m.groups()[-1]]
    half = len(text) // 2
    return [text[:half], text[half:]]


def _title_paragraph(doc, text: str, style: str | None, size_pt: float):  # type: ignore[no-untyped-def]
    """A centred title whose lines break only where :func:`title_lines` says (w:br between)."""
    p = _styled(doc, "", style)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.keep_with_next = True
    for i, line in enumerate(title_lines(text, size_pt)):
        run = p.add_run(xml_text(line))
        if i:
            run._element.addprevious(_br())
    return p


def _styled(doc, text: str, style: str | None):  # type: ignore[no-untyped-def]
    """``doc.add_paragraph(text, style=style)`` with the style id written directly.

    Why: python-docx resolves a style name by scanning every style of the document (and its
    default) on each call — a fifth of the DOCX time for the ~20 headings of a report.
    """
    p = doc.add_paragraph(text)
    if style:
        p._p.style = _style_id(doc, style)
    return p


def _style_id(doc, name: str) -> str:  # type: ignore[no-untyped-def]
    ids = doc.__dict__.setdefault("_sifund_style_ids", {})
    if name not in ids:
        ids[name] = doc.styles[name].style_id
    return ids[name]


def _br():  # type: ignore[no-untyped-def]
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:br"))
    return r


def _cover(doc, b: Cover) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        doc.add_paragraph()
    _title_paragraph(doc, b.title, "Title", fonts.spec("title")["size"])
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
    page (w:tblHeader), since only a table's leading rows can repeat. No row splits across pages
    (w:cantSplit on every row): a split 项目资金 row left its "%" alone on the next page. The 填报
    block (``grid.footer_row`` on) is written as plain lines under the table, kept with its total.
    """
    heads = [c for c in grid.cells if c.kind in ("title", "subtitle")]
    first = max((c.row + 1 for c in heads), default=0)
    stop = grid.footer_row if grid.footer_row is not None else grid.nrows
    for c in sorted(heads, key=lambda c: (c.row, c.col)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if c.col == 0 else WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.keep_with_next = True  # the table's title stays on the table's page
        run = p.add_run(xml_text(c.display()))
        fonts.run_font(
            run,
            "heading1" if c.kind == "title" else "table",
            size=14 if c.kind == "title" else TABLE_PT,
            bold=c.kind == "title",
        )
    split = grid.repeat_row if grid.repeat_row is not None and first < grid.repeat_row < stop else None
    if split is None:
        last = _table_part(doc, grid, first, stop)
    else:
        _table_part(doc, grid, first, split)
        gap = doc.add_paragraph()  # Word would join two adjacent tables into one
        gap.paragraph_format.first_line_indent = Pt(0)
        gap.paragraph_format.line_spacing = Pt(1)
        fonts.run_font(gap.add_run(""), "table", size=1)
        # the 基金/一级/二级 runs are drawn without w:vMerge (one cell per row, no rule between the
        # rows of a run): LibreOffice drops every row after the page break of a table whose rows
        # cannot split (w:cantSplit) when a vertically merged cell crosses the break
        last = _table_part(doc, grid, split, stop, open_rows=True)
        last.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    if stop < grid.nrows:
        for p_el in last.rows[-1]._tr.iter(qn("w:p")):  # the total row stays with the 填报 lines
            Paragraph(p_el, last).paragraph_format.keep_with_next = True
        _signoff(doc, grid, stop)


def _signoff(doc, grid: Grid, start: int) -> None:  # type: ignore[no-untyped-def]
    """The 填报单位（盖章）/填报日期, 填报人/联系电话 lines: one paragraph per grid row, the two
    fields of a row apart at a tab stop (a borderless layout every word processor keeps)."""
    rows = [r for r in grid.rows()[start:] if r]
    for i, row in enumerate(rows):
        p = doc.add_paragraph()
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing = 1.3
        pf.space_before = Pt(8) if i == 0 else Pt(2)
        pf.keep_with_next = i < len(rows) - 1
        pf.tab_stops.add_tab_stop(Cm(9.0))
        run = p.add_run(xml_text("\t".join(c.display() for c in row)))
        fonts.run_font(run, "table", size=10.5)


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


def _open_edges(tc, top: bool, bottom: bool) -> None:  # type: ignore[no-untyped-def]
    """Remove the top and/or bottom rule of a cell (w:tcBorders, before w:shd in schema order)."""
    borders = OxmlElement("w:tcBorders")
    for side, off in (("top", top), ("bottom", bottom)):
        if off:
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
    tc_pr = tc.get_or_add_tcPr()
    later = next((x for x in tc_pr if x.tag in (qn("w:shd"), qn("w:noWrap"), qn("w:vAlign"))), None)
    if later is not None:
        later.addprevious(borders)
    else:
        tc_pr.append(borders)


def _table_part(doc, grid: Grid, start: int, stop: int, open_rows: bool = False):  # type: ignore[no-untyped-def]
    """Rows [start, stop) of the grid as one bordered table (cells are anchored inside it).

    Merges are written straight into the XML (w:gridSpan, w:vMerge) from a row × column map of
    the ``w:tc`` elements built once. Why not ``table.cell(r, c).merge(...)``: python-docx rebuilds
    the whole cell list on every ``table.cell`` call and grows a vertical merge by recursing one
    row at a time, which made a report quadratic in its indicators (500: minutes) and a
    1000-row merge a RecursionError.
    """
    nrows = stop - start
    widths = COLUMN_CM.get(grid.ncols) or tuple([15.6 / grid.ncols] * grid.ncols)
    table = doc.add_table(rows=nrows, cols=grid.ncols)
    table._tbl.tblStyle_val = _style_id(doc, "Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    for i, column in enumerate(table.columns):  # w:tblGrid, which LibreOffice follows
        column.width = Cm(widths[i])
    trs = table._tbl.tr_lst
    for tr in trs:  # no row splits across a page break
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
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
            if last - r0 > 1 and not open_rows:
                tc.vMerge = ST_Merge.RESTART if r == r0 else ST_Merge.CONTINUE
            elif last - r0 > 1:  # drawn as one cell: no rule between its rows, no vMerge
                _open_edges(tc, top=r > r0, bottom=r < last - 1)
                if r > r0:
                    _shade(_Cell(tc, table), "F2F2F2")
        cell = _Cell(anchor, table)
        _cell_text(cell, c.kind, xml_text(c.display()), protos)
        if c.kind in ("header", "label"):
            _shade(cell, "F2F2F2")
        if c.kind in NO_WRAP:
            anchor.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
        # every cell centred vertically: merged 基金/一级/二级 labels on their run of rows, and a
        # one-line score beside a three-line name
        v_align = OxmlElement("w:vAlign")
        v_align.set(qn("w:val"), "center")
        anchor.get_or_add_tcPr().append(v_align)
    for row in tcs:  # w:tcW of every cell, which Word follows (a merged cell spans its columns)
        for offset, tc in enumerate(row):
            if tc is not None:
                tc.width = Cm(sum(widths[offset : offset + tc.grid_span]))
    return table


def _cell_margins(table) -> None:  # type: ignore[no-untyped-def]
    """Narrow left/right cell margins (w:tblCellMar) for the many narrow 自评表 columns."""
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    look = tbl_pr.find(qn("w:tblLook"))  # schema order: tblCellMar comes before tblLook
    if look is not None:
        look.addprevious(mar)
    else:
        tbl_pr.append(mar)


def _chart(doc, b: Chart) -> None:  # type: ignore[no-untyped-def]
    """The picture at its drawn size (15 cm wide, 5–9 cm high: no half-empty page for a chart
    that did not fit) and its caption "图1 …" under it, the two kept on one page."""
    p = _centred(doc)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(b.png), width=Cm(WIDTH_CM))
    cap = _centred(doc)
    cap.paragraph_format.space_after = Pt(10)
    fonts.run_font(cap.add_run(xml_text(b.title)), "table", size=10.5, bold=True)


def _centred(doc):  # type: ignore[no-untyped-def]
    """A centred, unindented, single-spaced paragraph (a picture or its caption)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    return p


def build_docx(ev: Evaluation, blocks: list[Block]):  # type: ignore[no-untyped-def]
    doc = Document()
    _setup(doc)
    ds = ev.dataset
    # core properties are limited to 255 characters and must be XML-legal: a long or odd region
    # must not stop the report from being written
    doc.core_properties.title = core_property(next((b.title for b in blocks if isinstance(b, Cover)), ""))
    doc.core_properties.author = core_property(ds.agency or ds.region)
    for i, b in enumerate(blocks):
        if isinstance(b, Heading) and b.level and i + 1 < len(blocks) and isinstance(blocks[i + 1], Table):
            # the 附表 starts a page, as in the reports filed: and LibreOffice 7.4 loses every row
            # after the break of a table with a repeated header whose first page holds one row
            _styled(doc, xml_text(b.text), f"Heading {b.level}").paragraph_format.page_break_before = True
        elif isinstance(b, Cover):
            _cover(doc, b)
        elif isinstance(b, Heading) and b.level == 0:
            _title_paragraph(doc, b.text, "Title", fonts.spec("title")["size"])
        elif isinstance(b, Heading):
            _styled(doc, xml_text(b.text), f"Heading {b.level}")
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
