"""Readers: a report file (.txt, .docx, .pdf) → ``Document`` with normalised text and matching view.

Every reader returns the text a reviewer would quote (Source offsets point into it) and lets
``normalize.build_view`` derive the view. Bad input of any kind — missing, empty, too big, not
decodable, corrupt DOCX/PDF, scanned PDF — becomes a SifundError naming the file, never a traceback.
"""

from __future__ import annotations

import io
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from sifund import guard
from sifund.core.errors import Problem, SifundError
from sifund.core.limits import limits
from sifund.core.numbers import find_quantities
from sifund.review.document import Document
from sifund.review.grid import CellDraft, Grid, GridBuilder, box_spans, finish_all, grid_rules
from sifund.review.normalize import COMPARATORS, INLINE_WS, build_view, is_cjk, normalize_rules

SUFFIXES = (".txt", ".docx", ".pdf")


def _fail(path: Path, message: str, place: str = "") -> SifundError:
    return SifundError(Problem(str(path), place, message))


def read_document(path: str | Path) -> Document:
    """Read a report; dispatch on the suffix. Raises SifundError for anything unreadable."""
    p = Path(path)
    suffix = p.suffix.lower()
    readers: dict[str, Callable[[Path, bytes | None], tuple[str, list[Grid]]]] = {
        ".txt": lambda p, data: (read_txt_text(p, data), []), ".docx": _read_docx, ".pdf": _read_pdf}
    if suffix not in readers:
        raise _fail(p, f"不支持的文件类型“{p.suffix or '（无扩展名）'}”，应为 .txt/.docx/.pdf "
                       "(unsupported file type; expected .txt/.docx/.pdf)")
    text, tables = readers[suffix](p, _read_bytes(p))
    if not text.strip():
        raise _fail(p, "文件中没有文字 (the file contains no text)")
    max_chars = limits().text.max_chars
    if len(text) > max_chars:
        raise _fail(p, f"文字过多（{len(text)} 字，上限 {max_chars}） "
                       f"(too much text; limit {max_chars} characters)")
    view, view_map = build_view(text)
    return Document(path=str(p), kind=suffix[1:], text=text, view=view, view_map=view_map, tables=tables)


def _max_report_bytes() -> int:
    """``limits().files.max_report_bytes``. A ``limits: max_bytes`` left in normalize.yaml (where the
    limit used to live) can only lower it, so an old override never loosens the bound."""
    limit = limits().files.max_report_bytes
    legacy = (normalize_rules().get("limits") or {}).get("max_bytes")
    return min(limit, int(legacy)) if legacy else limit


def _read_bytes(p: Path) -> bytes:
    """The report's bytes: a regular file (a symlink to a device is refused), at most the size limit."""
    return guard.read_bounded(p, _max_report_bytes())


# --------------------------------------------------------------------------- .txt


def decode_text(data: bytes) -> str:
    """Decode report bytes: BOM-marked UTF-8/UTF-16, else strict UTF-8, else strict GB18030.

    Raises UnicodeDecodeError (from the UTF-8 attempt) when none fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise first from None


def read_txt_text(p: Path, data: bytes | None = None) -> str:
    """The file's text with CRLF/CR turned into LF — the only change, so offsets are the file's own
    character offsets except that each CRLF counts as one character. ``data``: the file's bytes when
    already read (bounded) by the caller."""
    if data is None:
        data = _read_bytes(p)
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise _fail(p, "无法识别文本编码，应为 UTF-8、GB18030 或带 BOM 的 UTF-16 "
                       "(cannot decode: expected UTF-8, GB18030 or UTF-16 with BOM)",
                    f"byte {exc.start}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _reject_binary(p, text)
    return text


def _reject_binary(p: Path, text: str) -> None:
    """Random bytes can decode as GB18030; real text has (almost) no control characters."""
    bad = [i for i, ch in enumerate(text[:20000]) if ch < " " and ch not in "\n\t\f\v"]
    if text and len(bad) > max(2, len(text[:20000]) // 200):
        raise _fail(p, "不是文本文件（含大量控制字符） (not a text file: control characters)",
                    f"offset {bad[0]}")


# --------------------------------------------------------------------------- .docx


def read_docx_text(p: Path, data: bytes | None = None) -> str:
    """Paragraphs and tables in body order; a table row is one line of TAB-separated cells.

    The package is checked by :func:`guard.open_zip_checked` (member count, sizes, ratio, XML
    nodes) before python-docx parses the same bytes, so a zip bomb ends with a message naming the
    part instead of gigabytes of DOM."""
    return _read_docx(p, data)[0]


def _read_docx(p: Path, data: bytes | None = None) -> tuple[str, list[Grid]]:
    """:func:`read_docx_text` and the tables as grids."""
    if data is None:
        data = _read_bytes(p)
    zf = guard.open_zip_checked(data, p, "无法读取 Word 文件")
    try:
        import docx  # python-docx

        d = docx.Document(io.BytesIO(data))
        out = _DocxLines(d)
        out.blocks(d.element.body)
    except SifundError:
        raise
    except Exception as exc:  # zipfile/lxml/python-docx raise many kinds on a corrupt package
        bad = guard.find_bad_xml(zf, p)
        if bad is not None:
            raise bad from None
        raise _fail(p, "无法读取 Word 文件（文件损坏或不是 .docx） "
                       f"(cannot read DOCX: {type(exc).__name__})") from None
    return "\n".join(out.lines), finish_all(out.grids, out.lines)


@dataclass
class _PendingLine:
    """A line not yet in the output: a table row is built (with the rows of tables nested in its
    cells, which follow it) before its place among the lines is known."""

    text: str
    cells: list[tuple[CellDraft, int]] = field(default_factory=list)  # a cell and its offset in text
    row: tuple[GridBuilder, int] | None = None  # the grid row this line is


class _DocxLines:
    """Body order to lines: a paragraph is a line, a table row one TAB-joined line followed by the
    rows of the tables nested in it. Alongside, each table (nested ones too) becomes a grid from
    the XML: ``w:gridBefore`` and ``w:gridSpan`` give a cell's true columns, ``w:vMerge`` its row
    span — python-docx's ``row.cells`` repeats a merged cell once per column and per row it spans,
    which the TAB line collapses (the text stays as it always was)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.lines: list[str] = []
        self.grids: list[GridBuilder] = []
        self._drafts: dict[int, CellDraft] = {}  # id(w:tc) of a cell's first row -> its cell
        self._keep: list[Any] = []  # the elements keyed by id() above, kept alive so ids stay unique
        self._tables: set[int] = set()  # id(w:tbl) of every table given a grid

    def blocks(self, parent: Any) -> None:
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                self.lines.append(_clean_docx(Paragraph(child, self.doc).text))
            elif child.tag == qn("w:tbl"):
                for pending in self._table(child, None):
                    self._emit(pending)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.blocks(content)

    def _emit(self, pending: _PendingLine) -> None:
        index = len(self.lines)
        self.lines.append(pending.text)
        for cell, offset in pending.cells:
            cell.line, cell.offset = index, offset
        if pending.row is not None:
            pending.row[0].row_line[pending.row[1]] = index

    def _table(self, tbl: Any, parent: tuple[GridBuilder, int, int] | None) -> list[_PendingLine]:
        from docx.table import Table

        grid: GridBuilder | None = None
        if id(tbl) not in self._tables:  # a nested table repeated with its vertically merged cell: one grid
            self._tables.add(id(tbl))
            self._keep.append(tbl)
            grid = GridBuilder(parent)
            self.grids.append(grid)
        out: list[_PendingLine] = []
        for r, row in enumerate(Table(tbl, self.doc).rows):
            if grid is not None:
                self._grid_row(grid, row._tr, r)
            cells: list[str] = []
            placed: list[tuple[CellDraft, int]] = []
            nested: list[_PendingLine] = []
            prev_tc = None
            offset = 0
            for cell in row.cells:
                if cell._tc is prev_tc:  # a horizontally merged cell repeated by python-docx
                    continue
                prev_tc = cell._tc
                draft = self._drafts.get(id(cell._tc)) if grid is not None else None
                if draft is not None and draft.row != r:
                    draft = None  # a vertically merged cell repeated on a row below its first
                where = (grid, draft.row, draft.col) if grid is not None and draft is not None else None
                parts = [ln.strip() for ln in self._cell_lines(cell._tc, nested, where) if ln.strip()]
                text = " ".join(parts)
                if draft is not None:
                    draft.text = text
                    placed.append((draft, offset))
                cells.append(text)
                offset += len(text) + 1
            out.append(_PendingLine("\t".join(cells), placed, (grid, r) if grid is not None else None))
            out.extend(nested)
        return out

    def _grid_row(self, grid: GridBuilder, tr: Any, r: int) -> None:
        """Row ``r`` of the XML into the grid: a ``w:vMerge`` continuation grows the cell above."""
        grid.n_rows = max(grid.n_rows, r + 1)
        col = tr.grid_before
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            above = grid.covering(r - 1, col) if r > 0 else None
            if (tc.vMerge == "continue" and above is not None and above.col == col
                    and above.colspan == span and above.row + above.rowspan == r):
                grid.grow_down(above, r)
            else:
                draft = grid.add(r, col, "", colspan=span)
                self._drafts[id(tc)] = draft
                self._keep.append(tc)
            col += span

    def _cell_lines(self, tc: Any, nested: list[_PendingLine],
                    where: tuple[GridBuilder, int, int] | None) -> Iterator[str]:
        """Paragraph text of a cell; rows of tables nested in it go to ``nested`` (emitted after the
        row), their grids placed at ``where`` (the grid, row and column of this cell)."""
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        for child in tc.iterchildren():
            if child.tag == qn("w:p"):
                yield _clean_docx(Paragraph(child, self.doc).text)
            elif child.tag == qn("w:tbl"):
                nested.extend(self._table(child, where))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from self._cell_lines(content, nested, where)


def _clean_docx(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- .pdf


def read_pdf_text(p: Path, data: bytes | None = None) -> str:
    """The text layer page by page (pages joined by "\\n"), repaired for the usual PDF damage:
    fake-bold doubled characters, page-number headers/footers, spaced-out Chinese. Ruled tables
    come out as one TAB-separated line per row, in reading order with the text around them.

    Hostile files are bounded before and while pdfminer works (``limits().pdf``): Flate streams
    are measured by :func:`guard.check_pdf_streams` without keeping their output; the document is
    opened once by us to tell "encrypted" from "corrupt", to refuse reference loops (pdfminer's
    ``resolve1`` follows a chain of objects that are only references forever) and to count pages;
    all of it, and the extraction, runs under :func:`guard.time_budget`, which also interrupts a
    page that loops inside pdfminer.

    A table that a page break cuts stays one table: see :func:`_link_pages`."""
    return _read_pdf(p, data)[0]


def _read_pdf(p: Path, data: bytes | None = None) -> tuple[str, list[Grid]]:
    """:func:`read_pdf_text` and the ruled tables as grids."""
    if data is None:
        data = _read_bytes(p)
    lim = limits().pdf
    guard.check_pdf_streams(data, p)
    with guard.time_budget(lim.max_seconds, p) as budget:
        try:
            import pdfplumber

            budget.place = "document"
            _check_pdf_structure(p, data, budget)
            pages: list[_PdfPage] = []
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for k, page in enumerate(pdf.pages):
                    budget.place = f"page {k + 1}"
                    budget.check()
                    pages.append(_pdf_page(page, k + 1))
        except SifundError:
            raise
        except Exception as exc:  # pdfminer raises many kinds on corrupt or encrypted files
            raise _pdf_error(p, exc, budget.place) from None
    if not any(line.strip() for page in pages for line in page.lines):
        raise _fail(p, "PDF 无文字层（可能是扫描件），请先 OCR (the PDF has no text layer; OCR it first)")
    _link_pages(pages)
    return _pdf_text(pages)


def _pdf_text(pages: list[_PdfPage]) -> tuple[str, list[Grid]]:
    """Pages repaired and joined by "\\n" (as lines are), the table cells placed in the text."""
    lines: list[str] = []
    owners: dict[int, GridBuilder] = {}
    for k, page in enumerate(pages):
        kept = _repair_page(page.lines, k)
        if not kept:
            lines.append("")  # an empty page still takes its line between its neighbours
        for i, text in kept:
            tag = page.tags[i]
            if tag is not None:
                owners.setdefault(id(tag[0].owner), tag[0].owner)
                _place_row(tag[0], tag[1], text, len(lines))
            lines.append(text)
    return "\n".join(lines), finish_all(list(owners.values()), lines)


def _place_row(t: _PdfTable, r: int, text: str, index: int) -> None:
    """Row ``r`` of ``t`` is line ``index``, repaired as ``text``: its cells take their repaired
    text and place (when the repair kept the TABs; otherwise they stay unplaced)."""
    row = t.row_map[r]
    if row is None:
        return
    t.owner.row_line[row] = index
    parts = text.split("\t")
    if len(parts) != len(t.rows[r]):
        return
    offset = 0
    for d, part in zip(t.rows[r], parts, strict=True):
        if id(d) not in t.dropped:
            d.text, d.line, d.offset = part, index, offset
        offset += len(part) + 1


def _pdf_error(p: Path, exc: Exception, place: str) -> SifundError:
    """pdfplumber wraps pdfminer's exception in ``PdfminerException``: look through it, so an
    encrypted file is called encrypted and not corrupt."""
    inner: BaseException = exc
    while type(inner).__name__ == "PdfminerException" and inner.args and isinstance(inner.args[0], Exception):
        inner = inner.args[0]
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return _fail(p, "PDF 已加密，无法读取，请先解除密码保护 (the PDF is encrypted)")
    if isinstance(inner, RecursionError):
        return _fail(p, "PDF 对象嵌套过深或循环引用 (objects nested too deeply or referencing themselves)",
                     place if place != "document" else "")
    return _fail(p, f"无法读取 PDF 文件（文件损坏或不是 PDF） (cannot read PDF: {name})",
                 place if place.startswith("page") else "")


def _check_pdf_structure(p: Path, data: bytes, budget: guard.Budget) -> None:
    """Open the document with pdfminer (raising its own errors: encryption, syntax), refuse chains of
    objects that are only references to one another when they loop or run longer than
    ``pdf.max_object_depth``, and refuse more than ``pdf.max_pages`` pages."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef

    lim = limits().pdf
    doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    ok: set[int] = set()
    cap = len(data) // 4 + 16  # an object needs bytes in the file; more ids than that are bogus
    seen_ids = 0
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            seen_ids += 1
            if seen_ids > cap:
                break
            if seen_ids % 512 == 0:
                budget.check()
            chain = [objid]
            obj = _getobj(doc, objid)
            while isinstance(obj, PDFObjRef) and obj.objid not in ok:
                if obj.objid in chain:
                    loop = " → ".join(str(i) for i in [*chain[chain.index(obj.objid):], obj.objid])
                    raise _fail(p, f"PDF 对象引用循环（{loop}） (objects that only refer to each other "
                                   "in a loop)", f"object {objid}")
                chain.append(obj.objid)
                if len(chain) > lim.max_object_depth:
                    raise _fail(p, f"PDF 对象引用链过长（超过 {lim.max_object_depth} 层） "
                                   f"(reference chain longer than {lim.max_object_depth})", f"object {objid}")
                obj = _getobj(doc, obj.objid)
            ok.update(chain)
    for n, _page in enumerate(PDFPage.create_pages(doc), 1):
        if n > lim.max_pages:
            raise _fail(p, f"PDF 页数过多（超过 {lim.max_pages} 页） (too many pages; limit {lim.max_pages})")
        if n % 64 == 0:
            budget.check()


def _getobj(doc: Any, objid: int) -> object:
    """``doc.getobj`` with a missing or broken object as None (pdfminer decides later what that means)."""
    try:
        return doc.getobj(objid)
    except Exception:
        return None


def _pdf_table(page: Any, table: Any, number: int) -> _PdfTable:
    """One ruled table of a page: its TAB lines and its grid from the cell boxes, a box spanning
    several column/row boundaries being a merged cell (``extract()`` gives None where it spans).

    The cells are read as ``table.extract()`` reads them (the characters whose centre is in the
    row's, then the cell's box; ``pdfplumber.utils.extract_text``), keeping each cell's characters:
    their lines tell a number wrapped by a narrow cell ("8230" / "0.00": the line above fills the
    cell) from two values on two lines, and a row cut by a page break (:func:`_continues_row`)."""
    from pdfplumber.utils import extract_text

    tolerance = grid_rules().pdf.line_tolerance
    xs, _tops, spans = box_spans(table.cells)
    span_of = dict(zip(table.cells, spans, strict=True))
    grid = GridBuilder()
    grid.pages.add(number)
    t = _PdfTable(grid, xs, max(b[2] for b in table.cells), number)
    chars = page.chars
    mids = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    keys = [m for m, _ in mids]
    read: list[list[tuple[tuple[float, float, float, float], str, list[_TextLine] | None]]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        span = sorted(i for _, i in mids[bisect_left(keys, top) : bisect_left(keys, bottom)])
        row_chars = [chars[i] for i in span if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 < x1]
        cells: list[tuple[tuple[float, float, float, float], str, list[_TextLine] | None]] = []
        for box in row.cells:
            if box is None:
                continue
            bx0, btop, bx1, bbottom = box
            inside = [c for c in row_chars if bx0 <= (c["x0"] + c["x1"]) / 2 < bx1
                      and btop <= (c["top"] + c["bottom"]) / 2 < bbottom]
            text = extract_text(inside) if inside else ""
            for c in inside:
                t.pad = min(t.pad, c["x0"] - bx0, bx1 - c["x1"])
            cells.append((box, text, _text_lines(inside, text, tolerance)))
        read.append(cells)
        t.tops.append(top)
    for r, cells in enumerate(read):
        drafts: list[CellDraft] = []
        for box, text, lines in cells:
            rr, cc, rs, cs = span_of[box]
            room = box[2] - box[0] - 2 * max(t.pad, 0.0) if math.isfinite(t.pad) else 0.0
            texts = [x.strip() for x in text.split("\n")]
            wraps = [_fills(lines[k], lines[k + 1], room, _unbreakable(texts[k], texts[k + 1]))
                     for k in range(len(lines) - 1)] if lines else None
            d = grid.add(rr, cc, _join_cell(text, wraps), rs, cs)
            t.box[id(d)] = (box[0], box[2])
            if lines:
                t.lines[id(d)] = lines
            drafts.append(d)
        t.rows.append(drafts)
        t.row_map.append(r)
    grid.n_rows = max(grid.n_rows, len(t.rows))
    return t


@dataclass
class _TextLine:
    """One line of a cell's text: its width, its widest character, its characters' widths."""

    width: float
    widest: float
    widths: list[float]


def _text_lines(chars: list[dict[str, Any]], text: str, tolerance: float) -> list[_TextLine] | None:
    """The lines of a cell's characters (clustered by ``top`` as pdfplumber does), one per line of
    its ``text``; None when they do not pair up (then no line is taken for a wrap)."""
    if not chars:
        return None
    from pdfplumber.utils import cluster_objects

    clusters = cluster_objects(chars, itemgetter("top"), tolerance)
    if len(clusters) != len(text.split("\n")):
        return None
    out: list[_TextLine] = []
    for line in clusters:
        line = sorted(line, key=itemgetter("x0"))
        widths = [c["x1"] - c["x0"] for c in line]
        out.append(_TextLine(line[-1]["x1"] - line[0]["x0"], max(widths), widths))
    return out


def _fills(line: _TextLine, nxt: _TextLine, room: float, n: int = 1) -> bool:
    """``line`` fills ``room`` (the cell's width less its padding) but for less than the first
    ``n`` characters of the line after it: the line broke because they had no room."""
    need = sum(nxt.widths[:n]) if len(nxt.widths) >= n else line.widest * n
    return room - line.width < need * grid_rules().pdf.full_line_slack


@dataclass(eq=False)
class _PdfTable:
    """A table of one page while the document is read; tables going on over a page break are
    joined into the first one's grid (``owner``, with ``row_map`` from this page's rows to its
    rows; None for a repeated header row or a row that continues the previous page's last row)."""

    owner: GridBuilder
    xs: list[float]
    right: float
    page: int
    rows: list[list[CellDraft]] = field(default_factory=list)  # per row, its cells in TAB order
    tops: list[float] = field(default_factory=list)
    row_map: list[int | None] = field(default_factory=list)
    dropped: set[int] = field(default_factory=set)  # id() of cells of this page not in the grid
    pad: float = math.inf  # the cell padding: the least gap between any text and its cell's side
    box: dict[int, tuple[float, float]] = field(default_factory=dict)  # id(cell) -> its box's x0, x1
    lines: dict[int, list[_TextLine]] = field(default_factory=dict)  # id(cell) -> its text lines

    def line(self, r: int) -> str:
        return "\t".join(d.text for d in self.rows[r])


@dataclass
class _PdfPage:
    """One page's lines before repair; ``tags[i]``: (table, row) when line i is a table row."""

    lines: list[str]
    tags: list[tuple[_PdfTable, int] | None]
    first: _PdfTable | None = None  # a table whose first row opens the page
    last: _PdfTable | None = None  # a table whose last row ends the page


def _pdf_page(page: Any, number: int) -> _PdfPage:
    """Lines of one page; rows of ruled tables become TAB-joined cells placed by their position."""
    page = _dedupe_chars(page)  # fake bold drawn twice at (almost) the same place
    try:
        tables = page.find_tables()
    except Exception:  # a broken table grid should not lose the page's text
        tables = []
    if not tables:
        lines = (page.extract_text(layout=False) or "").split("\n")
        return _PdfPage(lines, [None] * len(lines))
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    items: list[tuple[float, str, tuple[_PdfTable, int] | None]] = [
        (ln["top"], ln["text"], None)
        for ln in page.filter(outside).extract_text_lines(layout=False, strip=True)]
    for table in tables:
        t = _pdf_table(page, table, number)
        items.extend((t.tops[r], t.line(r), (t, r)) for r in range(len(t.rows)))
    items.sort(key=lambda it: it[0])
    out = _PdfPage([text for _, text, _ in items], [tag for _, _, tag in items])
    out.first = _edge_table(out, number, first=True)
    out.last = _edge_table(out, number, first=False)
    return out


def _edge_table(page: _PdfPage, number: int, first: bool) -> _PdfTable | None:
    """The table whose first (last) row is the first (last) thing on the page, a page number aside."""
    order = range(len(page.lines)) if first else range(len(page.lines) - 1, -1, -1)
    for i in order:
        tag = page.tags[i]
        if tag is None:
            if not page.lines[i].strip() or is_page_number_line(page.lines[i], number):
                continue
            return None
        t, r = tag
        return t if r == (0 if first else len(t.rows) - 1) else None
    return None


def _dedupe_chars(page: Any) -> Any:
    """``page.dedupe_chars()`` (tolerance 1, same text, font and size) in n log n time.

    pdfplumber keeps exactly these characters but puts them back in page order with
    ``list.index`` per character — quadratic, half the reading time of a page of prose. The same
    clustering is done here and the page is filtered to the characters kept, so the order stays."""
    chars = page.chars
    groups: dict[tuple[Any, ...], list[tuple[int, dict[str, Any]]]] = {}
    for i, ch in enumerate(chars):
        groups.setdefault((ch["upright"], ch["text"], ch["fontname"], ch["size"]), []).append((i, ch))
    if all(len(g) == 1 for g in groups.values()):
        return page
    keep: set[int] = set()
    for members in groups.values():
        if len(members) == 1:
            keep.add(id(members[0][1]))
            continue
        for by_y in _clusters(members, "doctop"):
            for by_x in _clusters(by_y, "x0"):
                keep.add(id(min(by_x, key=lambda m: (m[1]["doctop"], m[1]["x0"], m[0]))[1]))
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep)


def _clusters(members: list[tuple[int, dict[str, Any]]], attr: str,
              tolerance: float = 1) -> list[list[tuple[int, dict[str, Any]]]]:
    """pdfplumber's ``cluster_objects``: distinct values in order, a value within ``tolerance`` of
    the one before joining its cluster (so clusters chain); members keep their order."""
    ids: dict[float, int] = {}
    last: float | None = None
    n = 0
    for v in sorted({m[1][attr] for m in members}):
        if last is not None and v > last + tolerance:
            n += 1
        ids[v] = n
        last = v
    out: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for m in members:
        out.setdefault(ids[m[1][attr]], []).append(m)
    return [out[k] for k in sorted(out)]


def _link_pages(pages: list[_PdfPage]) -> None:
    """A table that ends one page and opens the next with the same columns goes on there: its
    rows join the first one's grid; header rows repeated on the new page (Word's "repeat as header
    row") are left out, of the grid and of the text; a row cut by the page break is put back
    together — cell by cell, in the line of the previous page (the line at the top of the next
    page goes). Renderers break tables wherever their fonts and margins put the page end: without
    this the same document reads differently on another machine (a header line in the middle of a
    其中 list, a row label in two halves that name no fund)."""
    tol = grid_rules().pdf.same_boundary
    for k in range(len(pages) - 1):
        a, b = pages[k].last, pages[k + 1].first
        if a is None or b is None or a is b or len(a.xs) != len(b.xs):
            continue
        if abs(a.right - b.right) > tol or any(abs(x - y) > tol for x, y in zip(a.xs, b.xs, strict=True)):
            continue
        _join_tables(pages, k, a, b)


def _join_tables(pages: list[_PdfPage], k: int, a: _PdfTable, b: _PdfTable) -> None:
    grid = a.owner
    last_row = a.row_map[-1] if a.rows else None
    if last_row is None:
        return
    h = 0  # header rows repeated at the top of the page (Word's "repeat as header row")
    while h < min(len(a.rows), len(b.rows) - 1, 3) and b.line(h).strip() and b.line(h) == a.line(h):
        h += 1
    pairs = _continued_cells(a, b, h)
    nxt = grid.n_rows
    for r in range(len(b.rows)):
        if r < h or (r == h and pairs):
            b.row_map[r] = None if r < h else last_row
            b.dropped.update(id(d) for d in b.rows[r])
        else:
            b.row_map[r] = nxt
            nxt += 1
    if pairs:
        for r in _merge_rows(a, b, h, pairs):
            pages[k].lines[pages[k].tags.index((a, r))] = a.line(r)
    for r in range(h + (1 if pairs else 0)):  # the repeated header and the rest of the cut row go
        i = pages[k + 1].tags.index((b, r))
        del pages[k + 1].lines[i], pages[k + 1].tags[i]
    for r in range(h, len(b.rows)):
        for d in b.rows[r]:
            if id(d) in b.dropped:
                continue
            rows = [m for m in b.row_map[r : r + d.rowspan] if m is not None]
            above = _ends_above(grid, last_row, d)
            if r == h and not d.text and above is not None:
                grid.grow_down(above, rows[-1])  # a merged cell going on over the page break
                b.dropped.add(id(d))
                continue
            d.row, d.rowspan = rows[0], rows[-1] - rows[0] + 1
            grid.adopt(d)
    grid.n_rows = max(grid.n_rows, nxt)
    grid.pages |= b.owner.pages
    b.owner = grid


def _ends_above(grid: GridBuilder, last_row: int, d: CellDraft) -> CellDraft | None:
    """The cell of the previous page's last row at ``d``'s columns, when it ends there (so ``d``
    may be its continuation): same column and width, merged down from above or not."""
    above = grid.covering(last_row, d.col)
    if (above is not None and above.col == d.col and above.colspan == d.colspan
            and above.row + above.rowspan == last_row + 1):
        return above
    return None


def _continued_cells(a: _PdfTable, b: _PdfTable, h: int) -> list[tuple[CellDraft, CellDraft]]:
    """When row ``h`` on the new page is the rest of the last row of the previous page (LibreOffice
    and Word let a row break across pages), its cells paired with the cells above they go on;
    else []. The evidence: the same cells (a cell merged down from above may go on too), some left
    empty on the new page (their text fitted above), and every cell that goes on was cut — its last
    line above fills the cell (its box less the padding) but for what comes next: that had no
    room. A row that merely ends the page has cells whose text ends short of that (a value). When
    no cell was left empty, every cell going on must have broken inside a word, one in a number."""
    if h >= len(b.rows) or not a.rows:
        return []
    last_row = a.row_map[-1]
    assert last_row is not None
    own = {id(d) for d in a.rows[-1]}
    pairs = [(_ends_above(a.owner, last_row, d), d) for d in b.rows[h]]
    if any(up is None for up, _ in pairs) or own - {id(up) for up, _ in pairs}:
        return []
    pairs_ok = [(up, d) for up, d in pairs if up is not None]
    going = [(up, d) for up, d in pairs_ok if d.text]
    emptied = any(up.text and not d.text for up, d in pairs_ok if id(up) in own)
    pad = min(a.pad, b.pad)
    if not going or not math.isfinite(pad):
        return []
    breaks = []
    for up, d in going:
        above, below = a.lines.get(id(up)), b.lines.get(id(d))
        if not up.text or not above or not below or _two_values(up.text, d.text):
            return []
        left, right = a.box[id(up)]
        n = _unbreakable(up.text, d.text)
        if not _fills(above[-1], below[0], right - left - 2 * max(pad, 0.0), n):
            return []
        breaks.append(n)
    # Every cell with text going on is evidence too, when each broke at a character and one of them
    # inside a number ("78542.1" / "6"): a value does not fill a cell to the last digit by chance.
    inside = any(up.text[-1] in _NUMBER_END and d.text[0] in _NUMBER_GOES_ON for up, d in going)
    return pairs_ok if emptied or (inside and all(n == 1 for n in breaks)) else []


def _two_values(before: str, after: str) -> bool:
    """``before`` is a whole value with its unit ("≥420万人", "423.6万人") and ``after`` starts
    another ("≥8.2万人"): two cells of two rows, not one value cut in two — however narrow the
    cell, a value does not go on with a second number."""
    found = find_quantities(before)
    if not found or not found[-1].quantity.unit or found[-1].end != len(before.rstrip()):
        return False
    if before[: found[-1].start].strip(" " + "".join(COMPARATORS)):
        return False
    rest = after.lstrip(" " + "".join(COMPARATORS))
    return bool(rest) and (rest[0].isdigit() or (rest[0] in "-−+" and rest[1:2].isdigit()))


_NO_LINE_START = set("%％)）]］】」』”’，,。.．、；;：:！!？?…·")
_WORD = re.compile(r"[≤≥<>＜＞≦≧=＝±+＋\-−－~～]?\s?[0-9A-Za-z][0-9A-Za-z.,%％]*")


def _unbreakable(before: str, text: str) -> int:
    """How many characters at the start of ``text`` (the rest of a cell, ``before`` ending the line
    above) the line break could not part from the first: one, with the closing marks after it that
    may not start a line ("算%" goes down together, leaving "完成预" short); a whole word or number,
    with its sign or comparator, when it starts there ("较上年提高" / "0.6个百分点", "≥90%或" / "≤110%",
    "-" / "5330.65"); one again when the break is inside a word or number too long for the cell
    ("8230" / "0.00")."""
    m = _WORD.match(text)
    if m:
        inside = bool(before) and before[-1].isascii() and (before[-1].isalnum() or before[-1] in ".,")
        return 1 if inside else len(m.group().replace(" ", ""))
    n = 1
    while n < len(text) and text[n] in _NO_LINE_START:
        n += 1
    return n


def _merge_rows(a: _PdfTable, b: _PdfTable, h: int, pairs: list[tuple[CellDraft, CellDraft]]) -> set[int]:
    """Each cell of the cut row takes the rest of its text from the new page (joined as a wrapped
    line in a cell is: no space next to Chinese, none inside a number) and grows over the rows
    below that its part on the new page spans; returns the rows of ``a`` whose lines changed."""
    grid = a.owner
    changed: set[int] = set()
    for up, d in pairs:
        if d.text:
            up.text = _join_cell(up.text + "\n" + d.text, [True])  # every cell that goes on was cut
            changed.update(r for r, row in enumerate(a.rows) if any(c is up for c in row))
        rows = [m for m in b.row_map[h : h + d.rowspan] if m is not None]
        if rows:
            grid.grow_down(up, rows[-1])
    return changed


def _join_cell(cell: str, wraps: list[bool] | None = None) -> str:
    """A cell's lines joined: no space next to Chinese, nor inside a number the cell's width
    wrapped ("8230" / "0.00", "-" / "5330.65": ``wraps[k]`` says line k filled the cell); one space
    otherwise (two values on two lines stay two)."""
    parts = [(x.strip(), k) for k, x in enumerate(cell.split("\n")) if x.strip()]
    out = parts[0][0] if parts else ""
    for (nxt, _), (_, before) in zip(parts[1:], parts, strict=False):
        wrapped = wraps is not None and before < len(wraps) and wraps[before]
        number = wrapped and out[-1] in _NUMBER_END and nxt[0] in _NUMBER_GOES_ON
        out += ("" if number or is_cjk(out[-1]) or is_cjk(nxt[0]) else " ") + nxt
    return out


_NUMBER_END = set("0123456789.,-−")
_NUMBER_GOES_ON = set("0123456789.,%％")


def repair_pdf_lines(lines: list[str], page_index: int = 0) -> list[str]:
    """Drop page-number headers/footers, undo fake-bold doubling and spaced-out Chinese."""
    return [text for _, text in _repair_page(lines, page_index)]


def _repair_page(lines: list[str], page_index: int) -> list[tuple[int, str]]:
    """:func:`repair_pdf_lines` with the index of each kept line in ``lines``."""
    keep = list(range(len(lines)))
    for pos in (0, -1):  # first and last non-blank line of the page
        idx = [i for i in keep if lines[i].strip()]
        if idx and is_page_number_line(lines[idx[pos]], page_index + 1):
            keep.remove(idx[pos])
    return [(i, _unspace_cjk(undouble(lines[i]))) for i in keep]


@lru_cache(maxsize=1)
def _pdf_rules() -> tuple[tuple[re.Pattern[str], ...], int, float]:
    r = normalize_rules()["pdf"]
    return (tuple(re.compile(x) for x in r["page_number_lines"]), int(r["doubled_min_pairs"]),
            float(r["spaced_cjk_share"]))


def is_page_number_line(line: str, page_no: int = 1) -> bool:
    """"- 3 -", "第3页", "3/10", or a bare number close to the physical page number ``page_no``
    (printed numbers may start after a cover or a table of contents, so they can lag behind)."""
    s = line.strip()
    if not any(p.match(s) for p in _pdf_rules()[0]):
        return False
    return not s.isdigit() or page_no - 10 <= int(s) <= page_no + 2


def undouble(line: str) -> str:
    """Undo fake-bold doubling ("社社会会保保险险" → "社会保险") when a whole line, or a long run of
    Chinese, is doubled pair by pair; genuine "人人" or "88" stay as they are."""
    s = line.strip()
    if (len(s) >= 4 and len(s) % 2 == 0 and s[0::2] == s[1::2] and len(set(s)) >= 2
            and any(is_cjk(c) for c in s)):
        return line.replace(s, s[0::2], 1)
    min_pairs = _pdf_rules()[1]
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        k = 0
        while i + 2 * k + 1 < n and line[i + 2 * k] == line[i + 2 * k + 1] not in INLINE_WS:
            k += 1
        run = line[i : i + 2 * k : 2]
        if k >= min_pairs and len(set(run)) >= 3 and any(is_cjk(c) for c in run):
            out.append(run)
            i += 2 * k
        elif k:  # doubles that are not fake bold ("88", "……"): keep them and move past (linear time)
            out.append(line[i : i + 2 * k])
            i += 2 * k
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def _unspace_cjk(line: str) -> str:
    """"社 会 保 险 基 金" → "社会保险基金" when most neighbouring Chinese chars are split by one space."""
    spaced = len(_SPACED.findall(line))
    tight = len(_TIGHT.findall(line))
    if spaced < 3 or spaced < _pdf_rules()[2] * (spaced + tight):
        return line
    return _SPACED_SUB.sub("", line)


_CJK = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’]"
_SPACED = re.compile(rf"(?<={_CJK}) (?={_CJK})")
_SPACED_SUB = _SPACED
_TIGHT = re.compile(rf"(?<={_CJK})(?={_CJK})")


__all__ = ["SUFFIXES", "decode_text", "read_document", "read_docx_text", "read_pdf_text", "read_txt_text",
           "repair_pdf_lines", "undouble"]
