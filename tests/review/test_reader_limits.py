"""Hostile report files (DOCX/PDF/TXT) end with one SifundError naming the file and the place,
within time and memory bounds enforced here (issue 16). Every bomb is built at test time.

Memory bombs run in a child process under ``RLIMIT_AS`` = 3 GiB with a timeout, so a regression
fails the test instead of taking the machine down; the rest run in-process with a clock.
"""

from __future__ import annotations

import hashlib
import io
import json
import resource
import signal
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from sifund.core.errors import SifundError
from sifund.review.readers import read_document

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
GIB = 1 << 30
MIB = 1 << 20
CHILD_SECONDS = 20  # wall clock of a child, imports included (before: killed at 90 s)


# --------------------------------------------------------------------------- helpers


def bounded(path: Path, env: dict[str, str] | None = None, seconds: float = 60) -> tuple[str, float]:
    """read_document(path) in a child limited to 3 GiB of address space; (message, elapsed).
    The message is the SifundError text, "OK" for a Document, or the crash (then the test fails)."""
    code = (
        "import json, sys\n"
        "from sifund.core.errors import SifundError\n"
        "from sifund.review.readers import read_document\n"
        "try:\n"
        "    read_document(sys.argv[1]); print(json.dumps('OK'))\n"
        "except SifundError as e:\n"
        "    print(json.dumps(str(e)))\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * GIB, 3 * GIB))

    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          timeout=seconds, preexec_fn=limit, env=_env(env))
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), elapsed


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("SIFUND_LIMITS", None)
    env.update(extra or {})
    return env


def limits_file(tmp_path: Path, **sections: dict[str, object]) -> str:
    """A SIFUND_LIMITS override; a new name each time (limits are cached per file name)."""
    f = tmp_path / f"limits-{len(list(tmp_path.glob('limits-*.yaml')))}.yaml"
    f.write_text(yaml.safe_dump(sections), encoding="utf-8")
    return str(f)


def raises_in(seconds: float, fn: Callable[[], object]) -> str:
    started = time.monotonic()
    with pytest.raises(SifundError) as exc:
        fn()
    assert time.monotonic() - started < seconds
    return str(exc.value)


def small_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("2020年社会保险基金预算总收入43937万元。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def with_member(package: bytes, name: str, write: Callable[[io.BufferedIOBase], None]) -> bytes:
    """``package`` with member ``name`` replaced by what ``write`` streams (deflated, never held whole)."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != name:
                zf.writestr(info, src.read(info.filename))
        zi = zipfile.ZipInfo(name)
        zi.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(zi, "w", force_zip64=True) as fh:
            write(fh)
    return out.getvalue()


def repeat(head: bytes, chunk: bytes, total: int, tail: bytes) -> Callable[[io.BufferedIOBase], None]:
    def write(fh: io.BufferedIOBase) -> None:
        fh.write(head)
        block = chunk * max(1, MIB // len(chunk))
        for _ in range(total // len(block)):
            fh.write(block)
        fh.write(tail)

    return write


def pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF with a correct xref table from object bodies (object 1 is the catalog)."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)
    return out


def page_pdf(content: bytes, filter_: bytes = b"") -> bytes:
    return pdf(page_objs(content, filter_))


def page_objs(content: bytes, filter_: bytes = b"") -> list[bytes]:
    """Catalog, pages, one page with Helvetica, its content stream (object 4)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(content), filter_) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def deflate_repeated(head: bytes, chunk: bytes, total: int, tail: bytes = b"", raw: bool = False,
                     check: bool = True) -> bytes:
    """Deflate data of ``head + chunk * n + tail`` (about ``total`` bytes) in a fraction of a second:
    after a full flush the compressor starts afresh, so one compressed 1 MiB block can be repeated.
    ``raw``: no zlib header/trailer (zip members). ``check``: compute the trailer's Adler-32 over
    all the data (slow for a GiB; a bomb refused early never reaches it)."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    block = chunk * (MIB // len(chunk))
    n = total // len(block)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    body = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    last = co.compress(tail) + co.flush()
    if raw:
        return first + body * n + last
    adler = zlib.adler32(head)
    if check:
        for _ in range(n):
            adler = zlib.adler32(block, adler)
    adler = zlib.adler32(tail, adler)
    return first + body * n + last[:-4] + struct.pack(">I", adler)


def inflated_size(head: bytes, chunk: bytes, total: int, tail: bytes = b"") -> int:
    """What :func:`deflate_repeated` inflates to."""
    block = len(chunk) * (MIB // len(chunk))
    return len(head) + total // block * block + len(tail)


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from (name, raw deflate data, CRC-32, uncompressed size), written by hand so that a
    1 GiB member costs no compression time (sizes < 4 GiB: no zip64)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        n = name.encode()
        offset = len(out)
        out += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(n), 0)
        out += n + data
        central += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(n), 0, 0, 0, 0, 0, offset) + n
    start = len(out)
    out += central + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central),
                                 start, 0)
    return bytes(out)


def docx_with_document(data: bytes, crc: int, size: int) -> bytes:
    """small_docx() with word/document.xml replaced by raw deflate ``data``."""
    src = zipfile.ZipFile(io.BytesIO(small_docx()))
    members = []
    for name in src.namelist():
        if name == "word/document.xml":
            members.append((name, data, crc, size))
        else:
            content = src.read(name)
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append((name, co.compress(content) + co.flush(), zlib.crc32(content), len(content)))
    return raw_zip(members)


# --------------------------------------------------------------------------- DOCX / zip


def test_docx_part_inflating_to_1_gib_is_refused_fast_and_small(tmp_path: Path) -> None:
    """Before: 22 s and 2.1 GB (lxml gave up on the text node); the 190 MB <w:p/> variant: killed at
    90 s and 4.3 GB. Now refused from the zip headers (size, ratio) before a byte is inflated."""
    head, tail = f"<w:document {W_NS}><w:body>".encode(), b"</w:body></w:document>"
    body = deflate_repeated(head, b"<w:p/>", GIB, tail, raw=True)
    size = inflated_size(head, b"<w:p/>", GIB, tail)
    f = tmp_path / "bomb.docx"
    f.write_bytes(docx_with_document(body, 0, size))  # CRC left 0: refused before a byte is inflated
    assert f.stat().st_size < 2 * MIB
    assert zipfile.ZipFile(f).getinfo("word/document.xml").file_size > GIB - MIB
    msg, elapsed = bounded(f)
    assert msg.startswith(f"{f}: word/document.xml: 解压后过大（超过 200 MB） (part too large"), msg
    assert elapsed < CHILD_SECONDS
    small = deflate_repeated(head, b"<w:p/>", 50 * MIB, tail, raw=True)  # under 200 MB, ratio ~1000:1
    f.write_bytes(docx_with_document(small, 0, inflated_size(head, b"<w:p/>", 50 * MIB, tail)))
    msg, elapsed = bounded(f)
    assert msg.startswith(f"{f}: word/document.xml: 压缩比异常（"), msg
    assert elapsed < CHILD_SECONDS


def test_docx_part_size_total_members_and_nodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = small_docx()
    head, tail = f"<w:document {W_NS}><w:body>".encode(), b"</w:body></w:document>"
    big = with_member(base, "word/document.xml", repeat(head, b"<w:p/>", 4 * MIB, tail))
    f = tmp_path / "x.docx"
    f.write_bytes(big)
    cases = [
        ({"max_part_bytes": 2 * MIB, "max_ratio": 1e9}, "解压后过大（超过 2 MB） (part too large"),
        ({"max_total_bytes": 2 * MIB, "max_ratio": 1e9}, "解压后总大小过大"),
        ({"max_members": 3}, "压缩包成员过多"),
        ({"max_xml_nodes": 100_000, "max_ratio": 1e9}, "XML 节点过多"),
    ]
    for zip_limits, needle in cases:
        monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, zip=zip_limits))
        msg = raises_in(5, lambda: read_document(f))
        assert needle in msg, msg
        assert msg.startswith(f"{f}: "), msg
        if "成员" not in needle:
            assert f"{f}: word/document.xml: " in msg


def test_docx_with_lying_size_header_names_the_part(tmp_path: Path) -> None:
    """The central directory says 100 bytes; the deflate data holds 50 MB. zipfile stops at the
    declared size, the CRC no longer matches: a clear error naming the part, not 50 MB."""
    raw = b"<w:document/>" + b" " * (50 * MIB)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", raw)
    data = bytearray(buf.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)
    f = tmp_path / "liar.docx"
    f.write_bytes(bytes(data))
    msg = raises_in(5, lambda: read_document(f))
    assert f"{f}: word/document.xml: 压缩数据损坏" in msg, msg


def test_docx_legacy_or_encrypted_ole_file(tmp_path: Path) -> None:
    f = tmp_path / "old.docx"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    msg = raises_in(5, lambda: read_document(f))
    assert "无法读取 Word 文件" in msg and "旧版 Office 文件" in msg and str(f) in msg


def test_docx_malformed_xml_names_the_part(tmp_path: Path) -> None:
    base = small_docx()
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml")
    f = tmp_path / "cut.docx"
    f.write_bytes(with_member(base, "word/document.xml", lambda fh: fh.write(xml[: len(xml) // 2])))
    msg = raises_in(5, lambda: read_document(f))
    assert f"{f}: word/document.xml: XML 格式错误" in msg, msg


def test_device_and_directory_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert "不是普通文件" in raises_in(2, lambda: read_document(link))
    d = tmp_path / "dir.docx"
    d.mkdir()
    assert "是目录" in raises_in(2, lambda: read_document(d))


def test_report_size_limit_comes_from_core_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "r.txt"
    f.write_text("社会保险" * 1000, encoding="utf-8")
    monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, files={"max_report_bytes": 1024}))
    msg = raises_in(2, lambda: read_document(f))
    assert f"{f}: 文件过大" in msg


def test_text_length_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "r.txt"
    f.write_text("社会保险基金" * 100, encoding="utf-8")
    monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, text={"max_chars": 100}))
    assert "文字过多" in raises_in(2, lambda: read_document(f))


# --------------------------------------------------------------------------- PDF


def test_pdf_contents_referring_to_itself_through_two_objects(tmp_path: Path) -> None:
    """Before: 100% CPU for good (killed at 90 s). pdfminer's resolve1 follows 4 → 5 → 4 forever."""
    f = tmp_path / "loop.pdf"
    f.write_bytes(pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"5 0 R",
        b"4 0 R",
    ]))
    assert f.stat().st_size < 500
    msg = raises_in(5, lambda: read_document(f))
    assert f"{f}: object 4: PDF 对象引用循环（4 → 5 → 4）" in msg, msg


def test_pdf_long_reference_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chain = [b"%d 0 R" % (i + 1) for i in range(5, 40)] + [b"<< /Length 0 >>\nstream\n\nendstream"]
    f = tmp_path / "chain.pdf"
    f.write_bytes(pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>",
        b"null",
        *chain,
    ]))
    monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, pdf={"max_object_depth": 10}))
    msg = raises_in(5, lambda: read_document(f))
    assert "引用链过长" in msg and f"{f}: object 5:" in msg, msg


def test_pdf_content_stream_inflating_to_1_gib(tmp_path: Path) -> None:
    """Before: 36 s and 2.1 GB, then "ok". Now the raw scan stops at the limit (100 MB). (The
    Adler-32 is not computed over the GiB: the scan never gets that far.)"""
    f = tmp_path / "bomb.pdf"
    f.write_bytes(page_pdf(deflate_repeated(b"BT /F1 12 Tf 72 712 Td (Hi) Tj ET\n", b" ", GIB, check=False),
                           b"/Filter /FlateDecode "))
    assert f.stat().st_size < 8 * MIB
    msg, elapsed = bounded(f)
    assert msg.startswith(f"{f}: byte ") and "PDF 数据流解压后过大（超过 100 MB）" in msg, msg
    assert elapsed < CHILD_SECONDS


def test_pdf_total_stream_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "two.pdf"
    stream = deflate_repeated(b"BT ET\n", b" ", 3 * MIB)
    f.write_bytes(pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [4 0 R 5 0 R] >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]))
    monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, pdf={"max_stream_bytes": 4 * MIB,
                                                                    "max_total_stream_bytes": 5 * MIB}))
    msg = raises_in(5, lambda: read_document(f))
    assert "解压后总大小过大" in msg and str(f) in msg, msg


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user: bytes, owner: bytes = b"owner") -> bytes:
    """A genuinely encrypted PDF: standard security handler V1/R2 (40-bit RC4, PDF 1.4 §3.5)."""

    def pad(pw: bytes) -> bytes:
        return (pw + PAD)[:32]

    o = rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
    file_id = b"0123456789abcdef"
    key = hashlib.md5(pad(user) + o + struct.pack("<i", -44) + file_id).digest()[:5]
    u = rc4(key, PAD)
    content = rc4(hashlib.md5(key + (4).to_bytes(3, "little") + b"\0\0").digest()[:10],
                  b"BT /F1 24 Tf 72 700 Td (Hello encrypted) Tj ET")
    enc = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (o.hex().encode(), u.hex().encode())
    objs = [*page_objs(content), enc]  # the Encrypt dictionary is object 6
    ident = b"<" + file_id.hex().encode() + b">"
    return pdf(objs, b"/Encrypt 6 0 R /ID [" + ident + b" " + ident + b"] ")


def test_encrypted_pdf_is_called_encrypted_not_corrupt(tmp_path: Path) -> None:
    from pdfminer.high_level import extract_text

    data = encrypted_pdf(b"secret")
    assert "Hello encrypted" in extract_text(io.BytesIO(data), password="secret")  # really encrypted
    f = tmp_path / "locked.pdf"
    f.write_bytes(data)
    msg = raises_in(5, lambda: read_document(f))
    assert msg == f"{f}: PDF 已加密，无法读取，请先解除密码保护 (the PDF is encrypted)"


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path: Path) -> None:
    """Owner-password-only PDFs (printing/copy restrictions) are common and readable: not refused."""
    f = tmp_path / "restricted.pdf"
    f.write_bytes(encrypted_pdf(b""))
    assert "Hello encrypted" in read_document(f).text


def test_pdf_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(5))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * 5
    f = tmp_path / "pages.pdf"
    f.write_bytes(pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                       b"<< /Type /Pages /Kids [%s] /Count 5 >>" % kids, *pages]))
    monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, pdf={"max_pages": 3}))
    msg = raises_in(5, lambda: read_document(f))
    assert msg == f"{f}: PDF 页数过多（超过 3 页） (too many pages; limit 3)"


def slow_pdf(tmp_path: Path) -> Path:
    """One page with 300k text-showing operators: several seconds of pdfminer layout work."""
    ops = b"BT /F1 1 Tf " + b"1 0 0 1 10 10 Tm (x) Tj " * 300_000 + b"ET"
    f = tmp_path / "slow.pdf"
    f.write_bytes(page_pdf(zlib.compress(ops), b"/Filter /FlateDecode "))
    return f


def test_pdf_time_budget_interrupts_one_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = slow_pdf(tmp_path)
    monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, pdf={"max_seconds": 0.5}))
    before = signal.getsignal(signal.SIGALRM)
    msg = raises_in(3, lambda: read_document(f))
    assert msg.startswith(f"{f}: page 1: 处理超时（超过 0.5 秒）"), msg
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_pdf_time_budget_outside_the_main_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A web server reads in worker threads, where SIGALRM cannot be used: the trace fallback."""
    f = slow_pdf(tmp_path)
    monkeypatch.setenv("SIFUND_LIMITS", limits_file(tmp_path, pdf={"max_seconds": 0.5}))
    result: list[str] = []

    def work() -> None:
        tracer = sys.gettrace()
        try:
            read_document(f)
            result.append("OK")
        except SifundError as e:
            result.append(str(e))
        result.append("trace restored" if sys.gettrace() is tracer else "trace lost")

    started = time.monotonic()
    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert not t.is_alive()
    assert time.monotonic() - started < 4
    assert result[0].startswith(f"{f}: page 1: 处理超时"), result
    assert result[1] == "trace restored"


def test_budget_keeps_an_outer_timer(tmp_path: Path) -> None:
    from sifund import guard

    fired: list[int] = []
    old = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        with guard.time_budget(1, tmp_path / "x.pdf"):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 3 < left <= 5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert not fired


def test_a_time_budget_that_lands_in_a_gc_callback_prints_no_traceback(tmp_path: Path) -> None:
    """The alarm may fire inside a gc callback or a finaliser, where Python prints "Exception
    ignored … Traceback" on stderr; it must stay silent there and still end the work with one
    SifundError (the timer fires again). Two thirds of the time here is spent in the callback."""
    code = (
        "import gc, time\n"
        "from sifund.guard import time_budget\n"
        "from sifund.core.errors import SifundError\n"
        "def spin(seconds):\n"
        "    t = time.monotonic()\n"
        "    while time.monotonic() - t < seconds: pass\n"
        "gc.callbacks.append(lambda phase, info: spin(0.06))\n"
        "try:\n"
        "    with time_budget(0.3, 'x.pdf'):\n"
        "        while True:\n"
        "            gc.collect()\n"
        "            spin(0.03)\n"
        "except SifundError as e:\n"
        "    print('stopped', e)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "stopped x.pdf" in r.stdout, r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr, r.stderr
