"""Readers: a report file (.txt, .docx, .pdf) → ``Document`` with normalised text and matching view.

Every reader returns the text a reviewer would quote (Source offsets point into it) and lets
``normalize.build_view`` derive the view. Bad input of any kind — missing, empty, too big, not
decodable, corrupt DOCX/PDF, scanned PDF — becomes a SifundError naming the file, never a traceback.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from sifund import guard
from sifund.core.errors import Problem, SifundError
from sifund.core.limits import limits
from sifund.review.document import Document
from sifund.review.normalize import INLINE_WS, build_view, is_cjk, normalize_rules

SUFFIXES = (".txt", ".docx", ".pdf")


def _fail(path: Path, message: str, place: str = "") -> SifundError:
    return SifundError(Problem(str(path), place, message))


def read_document(path: str | Path) -> Document:
    """Read a report; dispatch on the suffix. Raises SifundError for anything unreadable."""
    p = Path(path)
    suffix = p.suffix.lower()
    readers: dict[str, Callable[[Path, bytes | None], str]] = {
        ".txt": read_txt_text, ".docx": read_docx_text, ".pdf": read_pdf_text}
    if suffix not in readers:
        raise _fail(p, f"不支持的文件类型“{p.suffix or '（无扩展名）'}”，应为 .txt/.docx/.pdf "
                       "(unsupported file type; expected .txt/.docx/.pdf)")
    text = readers[suffix](p, _read_bytes(p))
    if not text.strip():
        raise _fail(p, "文件中没有文字 (the file contains no text)")
    max_chars = limits().text.max_chars
    if len(text) > max_chars:
        raise _fail(p, f"文字过多（{len(text)} 字，上限 {max_chars}） "
                       f"(too much text; limit {max_chars} characters)")
    view, view_map = build_view(text)
    return Document(path=str(p), kind=suffix[1:], text=text, view=view, view_map=view_map)


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
    if data is None:
        data = _read_bytes(p)
    zf = guard.open_zip_checked(data, p, "无法读取 Word 文件")
    try:
        import docx  # python-docx

        d = docx.Document(io.BytesIO(data))
        lines = list(_docx_block_lines(d.element.body, d))
    except SifundError:
        raise
    except Exception as exc:  # zipfile/lxml/python-docx raise many kinds on a corrupt package
        bad = guard.find_bad_xml(zf, p)
        if bad is not None:
            raise bad from None
        raise _fail(p, "无法读取 Word 文件（文件损坏或不是 .docx） "
                       f"(cannot read DOCX: {type(exc).__name__})") from None
    return "\n".join(lines)


def _docx_block_lines(parent: Any, doc: Any) -> Iterator[str]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield _clean_docx(Paragraph(child, doc).text)
        elif child.tag == qn("w:tbl"):
            yield from _docx_table_lines(Table(child, doc), doc)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_block_lines(content, doc)


def _docx_table_lines(table: Any, doc: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        nested: list[str] = []
        prev_tc = None
        for cell in row.cells:
            if cell._tc is prev_tc:  # a horizontally merged cell repeated by python-docx
                continue
            prev_tc = cell._tc
            parts: list[str] = []
            for line in _docx_block_lines_cell(cell._tc, doc, nested):
                if line.strip():
                    parts.append(line.strip())
            cells.append(" ".join(parts))
        yield "\t".join(cells)
        yield from nested


def _docx_block_lines_cell(tc: Any, doc: Any, nested: list[str]) -> Iterator[str]:
    """Paragraph text of a cell; rows of tables nested in it go to ``nested`` (emitted after the row)."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in tc.iterchildren():
        if child.tag == qn("w:p"):
            yield _clean_docx(Paragraph(child, doc).text)
        elif child.tag == qn("w:tbl"):
            nested.extend(_docx_table_lines(Table(child, doc), doc))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_block_lines_cell(content, doc, nested)


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
    page that loops inside pdfminer."""
    if data is None:
        data = _read_bytes(p)
    lim = limits().pdf
    guard.check_pdf_streams(data, p)
    with guard.time_budget(lim.max_seconds, p) as budget:
        try:
            import pdfplumber

            budget.place = "document"
            _check_pdf_structure(p, data, budget)
            pages: list[list[str]] = []
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for k, page in enumerate(pdf.pages):
                    budget.place = f"page {k + 1}"
                    budget.check()
                    pages.append(_pdf_page_lines(page))
        except SifundError:
            raise
        except Exception as exc:  # pdfminer raises many kinds on corrupt or encrypted files
            raise _pdf_error(p, exc, budget.place) from None
    if not any(line.strip() for lines in pages for line in lines):
        raise _fail(p, "PDF 无文字层（可能是扫描件），请先 OCR (the PDF has no text layer; OCR it first)")
    return "\n".join("\n".join(repair_pdf_lines(lines, k)) for k, lines in enumerate(pages))


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


def _pdf_page_lines(page: Any) -> list[str]:
    """Lines of one page; rows of ruled tables become TAB-joined cells placed by their position."""
    page = page.dedupe_chars()  # fake bold drawn twice at (almost) the same place
    try:
        tables = page.find_tables()
    except Exception:  # a broken table grid should not lose the page's text
        tables = []
    if not tables:
        return (page.extract_text(layout=False) or "").split("\n")
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    items: list[tuple[float, str]] = [(ln["top"], ln["text"]) for ln in
                                      page.filter(outside).extract_text_lines(layout=False, strip=True)]
    for table in tables:
        for row, cells in zip(table.rows, table.extract(), strict=False):
            texts = [_join_cell(c) for c in cells if c is not None]
            items.append((row.bbox[1], "\t".join(texts)))
    items.sort(key=lambda it: it[0])
    return [text for _, text in items]


def _join_cell(cell: str) -> str:
    """A cell's wrapped lines joined: no space between Chinese, one space otherwise."""
    parts = [x.strip() for x in cell.split("\n") if x.strip()]
    out = parts[0] if parts else ""
    for nxt in parts[1:]:
        out += ("" if is_cjk(out[-1]) or is_cjk(nxt[0]) else " ") + nxt
    return out


def repair_pdf_lines(lines: list[str], page_index: int = 0) -> list[str]:
    """Drop page-number headers/footers, undo fake-bold doubling and spaced-out Chinese."""
    lines = list(lines)
    for pos in (0, -1):  # first and last non-blank line of the page
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        if idx and is_page_number_line(lines[idx[pos]], page_index + 1):
            del lines[idx[pos]]
    return [_unspace_cjk(undouble(ln)) for ln in lines]


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
