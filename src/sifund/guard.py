"""Guards for untrusted input files, shared by every reader (reports, datasets, XLSX, configs).

Why: a dataset path may be a directory, a FIFO, ``/dev/zero`` behind a symlink, or a file that
keeps growing; a reader that just calls ``read_bytes()`` then blocks or eats memory. Every reader
first calls :func:`check_input_file`, then reads through :func:`read_bounded`, so the bound holds
even for a file that changes under us. Limits come from :mod:`sifund.core.limits`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sifund.core.errors import Problem, SifundError
from sifund.core.limits import mb


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
