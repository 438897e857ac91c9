"""Whatever bytes arrive, read_document returns a Document or raises SifundError — never a traceback."""

from __future__ import annotations

import io
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifund.core.errors import SifundError
from sifund.review.document import Document
from sifund.review.normalize import view_char
from sifund.review.readers import read_document


@lru_cache(maxsize=1)
def valid_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("一、社会保险基金收支总体情况", level=1)
    d.add_paragraph("2020年社会保险基金预算总收入43937万元。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "三级指标"
    t.cell(1, 1).text = "≥99%"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@lru_cache(maxsize=1)
def valid_pdf() -> bytes:
    """A small PDF with a text layer, written by hand (no LibreOffice, no plotting library): one
    page, Helvetica, the text "Fund income 43937", a correct xref table."""
    content = b"BT /F1 12 Tf 20 100 Td (Fund income 43937) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 216 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _read(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"report{suffix}"
        f.write_bytes(data)
        try:
            doc = read_document(f)
        except SifundError as exc:
            assert str(f) in str(exc)
            return
        assert isinstance(doc, Document)
        assert len(doc.view_map) == len(doc.view) + 1
        assert all(view_char(doc.text, doc.view_map[i]) == ch for i, ch in enumerate(doc.view))


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".docx", ".pdf"]))
def test_random_bytes(data: bytes, suffix: str) -> None:
    _read(data, suffix)


@FUZZ
@given(st.data())
def test_truncated_docx(data: st.DataObject) -> None:
    raw = valid_docx()
    cut = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    _read(raw[:cut], ".docx")


@FUZZ
@given(st.data())
def test_truncated_or_corrupted_pdf(data: st.DataObject) -> None:
    raw = valid_pdf()
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    blob = bytearray(raw[:cut])
    if blob and data.draw(st.booleans()):
        pos = data.draw(st.integers(min_value=0, max_value=len(blob) - 1))
        blob[pos] = data.draw(st.integers(min_value=0, max_value=255))
    _read(bytes(blob), ".pdf")


def test_valid_fixtures_read() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "a.docx"
        d.write_bytes(valid_docx())
        assert "43937万元" in read_document(d).view
        p = Path(tmp) / "a.pdf"
        p.write_bytes(valid_pdf())
        assert "43937" in read_document(p).text


def test_pdf_without_text_layer_is_reported_as_scan() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (40, 40), 128).save(buf, "PDF")  # a page that is only a picture
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "scan.pdf"
        p.write_bytes(buf.getvalue())
        try:
            read_document(p)
        except SifundError as exc:
            assert "无文字层" in str(exc) and "OCR" in str(exc)
        else:
            raise AssertionError("a PDF with only an image must be rejected")
