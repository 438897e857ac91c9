"""Guards for untrusted input files, shared by every reader (reports, datasets, XLSX, configs).

Why: a dataset path may be a directory, a FIFO, ``/dev/zero`` behind a symlink, or a file that
keeps growing; a reader that just calls ``read_bytes()`` then blocks or eats memory. Every reader
first calls :func:`check_input_file`, then reads through :func:`read_bounded`, so the bound holds
even for a file that changes under us. Limits come from :mod:`sifund.core.limits`.
"""

from __future__ import annotations

import io
import os
import re
import signal
import stat
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sifund.core.errors import Problem, SifundError
from sifund.core.limits import ZipLimits, limits, mb


def fail(path: str | Path, message: str, place: str = "") -> SifundError:
    return SifundError(Problem(str(path), place, message))


def check_input_file(path: str | Path, max_bytes: int) -> int:
    """Raise SifundError unless ``path`` is an existing, non-empty regular file of at most
    ``max_bytes`` bytes (symlinks are followed: a link to a device is refused). Returns the size."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise fail(p, "文件不存在 (file not found)") from None
    except OSError as e:
        raise fail(p, f"无法读取文件 (cannot read file: {e.strerror or type(e).__name__})") from None
    if stat.S_ISDIR(st.st_mode):
        raise fail(p, "是目录而不是文件 (a directory, not a file)")
    if not stat.S_ISREG(st.st_mode):
        raise fail(p, "不是普通文件（设备、管道或套接字） (not a regular file)")
    if st.st_size == 0:
        raise fail(p, "文件为空 (the file is empty)")
    if st.st_size > max_bytes:
        limit = mb(max_bytes)
        raise fail(p, f"文件过大（{mb(st.st_size)}，上限 {limit}） (file too large; limit {limit})")
    return st.st_size


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing to read more than ``max_bytes`` (the file may grow after stat)."""
    check_input_file(path, max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise fail(path, f"无法读取文件 (cannot read file: {e.strerror or type(e).__name__})") from None
    if len(data) > max_bytes:
        raise fail(path, f"文件过大（超过 {mb(max_bytes)}） (file too large; limit {mb(max_bytes)})")
    return data


# --------------------------------------------------------------------------- zip packages (DOCX/XLSX)

_CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_zip_checked(data: bytes, path: str | Path, unreadable: str = "无法读取文件") -> zipfile.ZipFile:
    """A ZipFile over ``data`` after every member was checked against ``limits().zip``.

    Why all of this before python-docx/openpyxl see the bytes: both inflate every part they need
    in one go and parse it into a DOM, so a 1 MB package whose ``document.xml`` inflates to 1 GB
    costs gigabytes before any of our code runs. Checked here, in this order (cheap first):
    member count; each member's declared size, the declared total and the compression ratio (a
    bomb is refused before a byte is inflated); then every member is inflated in 1 MB chunks,
    counting the bytes really produced (headers can lie) and an upper bound of XML nodes over the
    whole package (``<`` and ``=``: every element, text node and attribute needs one; lxml spends
    ~120–230 bytes per node, so this is what bounds DOM memory), stopping at the first
    limit crossed. A corrupt member (bad CRC, broken deflate data) is named here too. The caller
    then parses ``io.BytesIO(data)``, the very bytes that were checked. ``unreadable`` starts the
    message for a file that is not a zip at all ("无法读取 Word 文件").
    """
    lim = limits().zip
    if data.startswith(_OLE_MAGIC):
        raise fail(path, f"{unreadable}：这是旧版 Office 文件（.doc/.xls）或已加密的文件，请另存为 "
                         ".docx/.xlsx (an OLE file: legacy .doc/.xls or a password-protected document)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise fail(path, f"{unreadable}（文件损坏或不是 ZIP 包） (not a valid zip package: {_why(e)})"
                   ) from None
    if len(infos) > lim.max_members:
        raise fail(path, f"压缩包成员过多（{len(infos)} 个，上限 {lim.max_members}） "
                         f"(too many parts in the package; limit {lim.max_members})")
    declared = 0
    for info in infos:
        declared += info.file_size
        _check_part_size(path, info.filename, info.file_size, declared, lim)
        if info.file_size > _CHUNK and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise fail(path, f"压缩比异常（{ratio:.0f}:1，上限 {lim.max_ratio:.0f}:1），疑似压缩炸弹 "
                             "(suspicious compression ratio: a zip bomb?)", info.filename)
        if info.flag_bits & 0x1:
            raise fail(path, "压缩包内容已加密 (the part is encrypted)", info.filename)
    total = nodes = 0
    for info in infos:
        size = 0
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    nodes += chunk.count(b"<") + chunk.count(b"=")
                    _check_part_size(path, info.filename, size, total, lim)
                    if nodes > lim.max_xml_nodes:
                        raise fail(path, f"XML 节点过多（全包超过 {lim.max_xml_nodes} 个） "
                                         f"(too many XML nodes in the package; limit {lim.max_xml_nodes})",
                                   info.filename)
        except SifundError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError,
                ValueError) as e:
            raise fail(path, f"压缩数据损坏 (corrupt compressed data: {_why(e)})", info.filename) from None
        if size > info.file_size:  # zipfile truncates at the declared size; never trust that alone
            raise fail(path, "解压后大小与声明不符 (inflates to more than its header says)", info.filename)
    return zf


def _check_part_size(path: str | Path, part: str, size: int, total: int, lim: ZipLimits) -> None:
    if size > lim.max_part_bytes:
        raise fail(path, f"解压后过大（超过 {mb(lim.max_part_bytes)}） (part too large when decompressed; "
                         f"limit {mb(lim.max_part_bytes)})", part)
    if total > lim.max_total_bytes:
        raise fail(path, f"解压后总大小过大（超过 {mb(lim.max_total_bytes)}） (package too large when "
                         f"decompressed; limit {mb(lim.max_total_bytes)})", part)


def _why(e: BaseException) -> str:
    text = str(e).strip()
    return f"{type(e).__name__}: {text[:120]}" if text else type(e).__name__


# --------------------------------------------------------------------------- PDF streams


_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


def check_pdf_streams(data: bytes, path: str | Path) -> None:
    """Refuse a PDF whose Flate streams inflate past ``pdf.max_stream_bytes`` (one) or
    ``pdf.max_total_stream_bytes`` (all), without keeping a byte of the output.

    Why scan raw bytes instead of asking pdfminer: pdfminer inflates a stream with one
    ``zlib.decompress`` call and keeps the result, so a 1 MB file with a 1 GiB content stream costs
    gigabytes inside a C call that no time budget can interrupt. Here each ``stream`` keyword is
    followed by an incremental inflate with ``max_length`` (output counted and dropped); data that
    is not zlib (images, encrypted streams, a stray word "stream") fails the header check at once.
    Streams behind another filter first (e.g. ASCIIHex then Flate) are not seen; the time budget
    still bounds them.
    """
    lim = limits().pdf
    total = 0
    for m in _STREAM.finditer(data):
        d = zlib.decompressobj()
        pos = m.end()
        size = 0
        buf = data[pos : pos + _CHUNK]
        pos += _CHUNK
        try:
            while True:
                out = d.decompress(buf, _CHUNK)
                size += len(out)
                total += len(out)
                if size > lim.max_stream_bytes:
                    raise fail(path, f"PDF 数据流解压后过大（超过 {mb(lim.max_stream_bytes)}） (a stream "
                                     f"inflates past {mb(lim.max_stream_bytes)})", f"byte {m.start()}")
                if total > lim.max_total_stream_bytes:
                    raise fail(path, f"PDF 数据流解压后总大小过大（超过 {mb(lim.max_total_stream_bytes)}） "
                                     f"(streams inflate past {mb(lim.max_total_stream_bytes)} in all)",
                               f"byte {m.start()}")
                if d.eof:
                    break
                buf = d.unconsumed_tail
                if not buf:
                    if pos >= len(data):
                        break
                    buf = data[pos : pos + _CHUNK]
                    pos += _CHUNK
        except zlib.error:
            continue


# --------------------------------------------------------------------------- time budget


class _Timeout(BaseException):
    """Raised inside the guarded work when the budget is spent. A BaseException, so the broad
    ``except Exception`` blocks in pdfminer/pdfplumber cannot swallow it."""


class Budget:
    """State of one :func:`time_budget`: where the work is (for the message) and a cheap check."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.place = ""

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise _Timeout


@contextmanager
def time_budget(seconds: float, path: str | Path) -> Iterator[Budget]:
    """Run the block with a wall-clock budget; past it, SifundError naming ``budget.place``.

    Why two mechanisms: one PDF page can loop forever inside pdfminer, so checking between pages
    is not enough. In the main thread (the CLI) a SIGALRM interval timer raises ``_Timeout`` in the
    running Python code, repeating every 0.2 s in case a library's bare ``except:`` swallows it;
    the previous handler and timer are restored afterwards. Elsewhere (a web server's worker
    thread, where signals cannot be used) a per-thread ``sys.settrace`` hook checks the clock on
    every 256th Python call — slower, but it interrupts a loop as surely. C code is never
    interrupted; callers bound that work (zlib) by size beforehand.
    """
    budget = Budget(seconds)
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    try:
        if main:
            with _alarm(seconds):
                yield budget
        else:
            with _trace_deadline(budget):
                yield budget
    except _Timeout:
        where = budget.place or ""
        raise fail(path, f"处理超时（超过 {seconds:g} 秒），文件可能有意构造或已损坏 "
                         f"(took longer than {seconds:g} s: a hostile or broken file?)", where) from None


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: object) -> None:
        raise _Timeout

    def quiet(unraisable: Any) -> None:
        # the alarm can land in a finaliser or a gc callback, where Python prints "Exception
        # ignored … Traceback" to stderr; the timer fires again in 0.2 s, so drop it silently
        if not isinstance(unraisable.exc_value, _Timeout):
            old_hook(unraisable)

    old_hook = sys.unraisablehook
    sys.unraisablehook = quiet
    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        sys.unraisablehook = old_hook
        if old_delay:
            left = max(old_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, old_interval)


@contextmanager
def _trace_deadline(budget: Budget) -> Iterator[None]:
    calls = 0

    def tracer(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += 1
        if calls & 0xFF == 0:
            budget.check()

    old = sys.gettrace()
    sys.settrace(tracer)  # type: ignore[arg-type]
    try:
        yield
    finally:
        sys.settrace(old)


def find_bad_xml(zf: zipfile.ZipFile, path: str | Path) -> SifundError | None:
    """The first XML part of a package that does not parse, as a SifundError naming the part and the
    line; None when all parse. Called only after python-docx/openpyxl failed, to say where
    ("xl/styles.xml: XML 格式错误 … line 1") instead of a bare "XMLSyntaxError"."""
    from lxml import etree

    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as fh:
                for _event, el in etree.iterparse(fh, events=("end",), resolve_entities=False,
                                                  no_network=True):
                    el.clear()
        except etree.XMLSyntaxError as e:
            where = f"line {e.lineno}" if e.lineno else ""
            msg = (e.msg or "").split(", line")[0][:120]
            return fail(path, f"XML 格式错误，文件损坏或被截断{f'（{where}）' if where else ''} "
                              f"(malformed XML: {msg})", info.filename)
        except Exception:  # zip errors were ruled out by open_zip_checked; anything else: keep looking
            continue
    return None
