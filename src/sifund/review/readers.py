"""Readers: a report file (.txt, .docx, .pdf) → ``Document`` with normalised text and matching view.

Every reader returns the text a reviewer would quote (Source offsets point into it) and lets
``normalize.build_view`` derive the view. Bad input of any kind — missing, empty, too big, not
decodable, corrupt DOCX/PDF, scanned PDF — becomes a SifundError naming the file, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sifund.core.errors import Problem, SifundError
from sifund.review.document import Document
from sifund.review.normalize import INLINE_WS, build_view, is_cjk, rules

SUFFIXES = (".txt", ".docx", ".pdf")


def _fail(path: Path, message: str, place: str = "") -> SifundError:
    return SifundError(Problem(str(path), place, message))


def read_document(path: str | Path) -> Document:
    """Read a report; dispatch on the suffix. Raises SifundError for anything unreadable."""
    p = Path(path)
    suffix = p.suffix.lower()
    readers: dict[str, Callable[[Path], str]] = {".txt": read_txt_text, ".docx": read_docx_text,
                                                 ".pdf": read_pdf_text}
    if suffix not in readers:
        raise _fail(p, f"不支持的文件类型“{p.suffix or '（无扩展名）'}”，应为 .txt/.docx/.pdf "
                       "(unsupported file type; expected .txt/.docx/.pdf)")
    _check_file(p)
    text = readers[suffix](p)
    if not text.strip():
        raise _fail(p, "文件中没有文字 (the file contains no text)")
    view, view_map = build_view(text)
    return Document(path=str(p), kind=suffix[1:], text=text, view=view, view_map=view_map)


def _check_file(p: Path) -> None:
    if not p.exists():
        raise _fail(p, "文件不存在 (file not found)")
    if not p.is_file():
        raise _fail(p, "不是文件 (not a regular file)")
    size = p.stat().st_size
    if size == 0:
        raise _fail(p, "文件为空 (the file is empty)")
    limit = int(rules()["limits"]["max_bytes"])
    if size > limit:
        raise _fail(p, f"文件过大（{size / 2**20:.1f} MB，上限 {limit / 2**20:.0f} MB）"
                       f" (file too large; limit {limit // 2**20} MB)")


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


def read_txt_text(p: Path) -> str:
    """The file's text with CRLF/CR turned into LF — the only change, so offsets are the file's own
    character offsets except that each CRLF counts as one character."""
    data = p.read_bytes()
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


def read_docx_text(p: Path) -> str:
    """Paragraphs and tables in body order; a table row is one line of TAB-separated cells."""
    try:
        import docx  # python-docx

        d = docx.Document(str(p))
        lines = list(_docx_block_lines(d.element.body, d))
    except SifundError:
        raise
    except Exception as exc:  # zipfile/lxml/python-docx raise many kinds on a corrupt package
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


def read_pdf_text(p: Path) -> str:  # filled in below
    raise _fail(p, "PDF 读取尚未实现 (PDF reading not implemented yet)")


__all__ = ["SUFFIXES", "decode_text", "read_document", "read_docx_text", "read_pdf_text", "read_txt_text"]

_ = (re, INLINE_WS, is_cjk)
