"""Hostile inputs, built at test time in tmp folders (nothing binary is committed).

Bombs are cheap to build: a deflate stream of N identical 1 MiB chunks is one compressed chunk
repeated N times when each chunk ends with a full flush, so a 1 GiB part costs one 1 MiB
compression plus a CRC pass.
"""

from __future__ import annotations

import copy
import json
import os
import re
import struct
import zipfile
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "synthetic-county-2023.yaml"
GIB = 1 << 30
MIB = 1 << 20


# --------------------------------------------------------------------------- YAML/JSON datasets


@cache
def _example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text("utf-8"))


def dataset() -> dict[str, Any]:
    """A fresh copy of the valid example dataset, to mutate."""
    return copy.deepcopy(_example())


def figure_index(data: dict[str, Any], fund: str, item: str, measure: str) -> int:
    return next(i for i, f in enumerate(data["figures"])
                if (f["fund"], f["item"], f["measure"]) == (fund, item, measure))


RAW = "@@RAW@@"  # a placeholder string replaced by raw YAML/JSON text after dumping


def dump_yaml(data: dict[str, Any], path: Path, raw: str | None = None) -> Path:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    if raw is not None:
        assert f"'{RAW}'" in text
        text = text.replace(f"'{RAW}'", raw)
    path.write_text(text, encoding="utf-8")
    return path


def dump_json(data: dict[str, Any], path: Path, raw: str | None = None) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if raw is not None:
        assert f'"{RAW}"' in text
        text = text.replace(f'"{RAW}"', raw)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in a text file."""
    text = path.read_text("utf-8")
    return text[: text.index(needle)].count("\n") + 1


# --------------------------------------------------------------------------- XLSX templates


@cache
def _blank(dirname: str) -> Path:
    from sifund.render.template import write_template

    return write_template(Path(dirname) / "blank.xlsx")


def filled_xlsx(path: Path, tmp_root: Path, **updates: Any) -> Path:
    """The example dataset typed into a blank ``sifund template`` (as tests/ingest/fill.py does),
    with ``updates`` applied to the dataset first."""
    from tests.ingest.fill import fill_template

    from sifund.ingest import load_dataset

    ds = load_dataset(EXAMPLE).model_copy(update=updates)
    blank_dir = tmp_root / "blank"
    blank_dir.mkdir(exist_ok=True)
    return fill_template(_blank(str(blank_dir)), ds, path)


def money_cell(ws: Any, fund: str, item: str, header: str) -> str:
    """The coordinate of one figure cell in 基金收支 (located by codes, as a user would)."""
    col = next(c.column_letter for c in ws[1] if c.value == header)
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[1].value == fund and r[3].value == item)
    return f"{col}{row}"


def info_cell(ws: Any, label: str) -> str:
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == label)
    return f"B{row}"


def sheet_part(xlsx: Path, sheet: str) -> str:
    """The zip member holding a sheet, by its name."""
    with zipfile.ZipFile(xlsx) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    t = (target.group(1) or target.group(2)).lstrip("/")
    return t if t.startswith("xl/") else f"xl/{t}"


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return dst


# --------------------------------------------------------------------------- bombs


def deflated_part(head: bytes, chunk: bytes, n: int, foot: bytes) -> tuple[bytes, int, int]:
    """(raw deflate, CRC-32, size) of ``head + chunk * n + foot``, without building it: after a
    full flush the compressor forgets its history, so every chunk compresses to the same bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_z = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    chunk_z = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    foot_z = c.compress(foot) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    return head_z + chunk_z * n + foot_z, zlib.crc32(foot, crc), len(head) + len(chunk) * n + len(foot)


def zlib_stream(head: bytes, chunk: bytes, n: int, foot: bytes) -> bytes:
    """The same as a zlib stream (header and Adler-32), for a PDF /FlateDecode stream."""
    raw, _, _ = deflated_part(head, chunk, n, foot)
    adler = zlib.adler32(head)
    for _ in range(n):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + raw + struct.pack(">I", zlib.adler32(foot, adler))


def write_zip(path: Path, members: list[tuple[str, bytes] | tuple[str, bytes, int, int]],
              declared: dict[str, int] | None = None) -> Path:
    """A zip from (name, data) members (deflated here) and (name, raw_deflate, crc, size) members
    (already compressed: the bomb). ``declared`` lies about a member's uncompressed size."""
    declared = declared or {}
    local, central, offset = [], [], 0
    for m in members:
        if len(m) == 2:
            name, data = m
            raw, crc, size = zlib.compress(data, 9)[2:-4], zlib.crc32(data), len(data)
        else:
            name, raw, crc, size = m
        size = declared.get(name, size)
        fn = name.encode()
        hdr = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(fn), 0)
        local.append(hdr + fn + raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                   len(raw), size, len(fn), 0, 0, 0, 0, 0, offset) + fn)
        offset += len(hdr) + len(fn) + len(raw)
    cd = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd), offset, 0)
    path.write_bytes(b"".join(local) + cd + end)
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
    b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_bomb(path: Path, total: int = GIB) -> Path:
    """A few-MB DOCX whose document.xml inflates to ``total`` bytes of tiny paragraphs."""
    para = "<w:p><w:r><w:t>2023年基金收入43937万元。</w:t></w:r></w:p>".encode()
    chunk = para * (MIB // len(para))
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode()
    raw, crc, size = deflated_part(head, chunk, total // len(chunk), b"</w:body></w:document>")
    return write_zip(path, [("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", DOCX_RELS),
                            ("word/document.xml", raw, crc, size)])


def xlsx_sheet_bomb(path: Path, filled: Path, sheet: str = "基金收支", total: int = GIB,
                    lie: bool = False) -> Path:
    """A filled template whose ``sheet`` part inflates to ``total`` bytes of rows.
    ``lie``: the zip declares the part as 1000 bytes."""
    part = sheet_part(filled, sheet)
    row = b'<row><c t="inlineStr"><is><t>all</t></is></c><c><v>1</v></c></row>'
    chunk = row * (MIB // len(row))
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
            b'.org/spreadsheetml/2006/main"><sheetData>')
    raw, crc, size = deflated_part(head, chunk, total // len(chunk), b"</sheetData></worksheet>")
    members: list = []
    with zipfile.ZipFile(filled) as z:
        for info in z.infolist():
            members.append((info.filename, raw, crc, size) if info.filename == part
                           else (info.filename, z.read(info.filename)))
    return write_zip(path, members, {part: 1000} if lie else None)


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out)


PAGES = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_loop(path: Path) -> Path:
    """~250 bytes of raw PDF: the page's /Contents is 4 0 R, which is 5 0 R, which is 4 0 R."""
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 99 99]/Contents 4 0 R>>endobj\n"
        b"4 0 obj 5 0 R endobj\n5 0 obj 4 0 R endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def pdf_stream_bomb(path: Path, total: int = GIB) -> Path:
    """A ~1-3 MB PDF whose one content stream inflates to ``total`` bytes."""
    chunk = b"BT /F1 9 Tf 9 9 Td (43937) Tj ET\n" * (MIB // 33)
    data = zlib_stream(b"q\n", chunk, total // len(chunk), b"Q\n")
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 99 99] /Contents 4 0 R " \
           b"/Resources << /Font << /F1 5 0 R >> >> >>"
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    path.write_bytes(_pdf([*PAGES, page, stream, FONT]))
    return path


def pdf_encrypted(path: Path) -> Path:
    """A PDF under the standard security handler whose user password is not empty."""
    content = b"BT /F1 12 Tf 10 50 Td (2023 fund income 43937) Tj ET"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R " \
           b"/Resources << /Font << /F1 5 0 R >> >> >>"
    stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    o, u = os.urandom(32).hex().encode(), os.urandom(32).hex().encode()
    enc = b"<< /Filter /Standard /V 1 /R 2 /O <" + o + b"> /U <" + u + b"> /P -4 >>"
    ident = os.urandom(16).hex().encode()
    path.write_bytes(_pdf([*PAGES, page, stream, FONT, enc],
                          b"/Encrypt 6 0 R /ID [<" + ident + b"> <" + ident + b">] "))
    return path


def long_amount_line(n: int = 50_000) -> str:
    """A report whose second line is ``n`` amounts in one sentence (~12 bytes each)."""
    amounts = "、".join(f"{1000 + i % 9000}万元" for i in range(n))
    return f"示例县2023年度社会保险基金绩效自评报告\n2023年社会保险基金收入分别为{amounts}。\n"
