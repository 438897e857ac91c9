"""Text from a dataset made safe for the files we write: XML-legal, never a spreadsheet formula,
and a single harmless path component when it becomes part of a file name.

Why one module: every renderer (DOCX, XLSX, HTML, the input template) takes strings straight from
an untrusted dataset. lxml refuses NUL and most C0 controls ("All strings must be XML
compatible"), openpyxl raises IllegalCharacterError for them, a region such as ``../../etc`` would
otherwise pick the folder a report lands in, and an indicator named ``=HYPERLINK(…)`` would become
a live formula in the 自评表. Each rule lives here once, so every writer applies the same one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF); the
# same set openpyxl's ILLEGAL_CHARACTERS_RE and lxml reject.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A cell whose text begins with one of these is read as a formula by Excel/LibreOffice (or, for
# tab/CR, shifts columns when pasted or exported to CSV): OWASP "CSV injection".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Excel refuses (offers to "repair") a workbook with a longer text cell.
XLSX_CELL_CHARS = 32767

# DOCX core properties (title, subject, author …) are limited to 255 characters by python-docx.
CORE_PROPERTY_CHARS = 255

# File names: the region part is cut to this many characters, the whole name to this many bytes
# (ext4/xfs/btrfs allow 255 bytes per component; the rest leaves room for the temp folder).
NAME_PART_CHARS = 80
NAME_BYTES = 200
FALLBACK_NAME = "sifund-output"
_RESERVED = re.compile(r'[<>:"|?*/\\]')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold, so lxml/openpyxl never refuse to write it."""
    return _XML_ILLEGAL.sub("", text) if text else text


def is_formula_like(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_START)


def set_text_cell(cell: Any, value: Any) -> Any:
    """Assign ``value`` to an openpyxl cell; text is always stored as text, never as a formula.

    openpyxl turns a str starting with "=" into a formula (``<f>``); we force the string type
    after assignment and add the quote prefix (Excel's leading apostrophe, invisible) so editing
    the cell in Excel does not turn it into a formula either. Text is XML-legal and cut to
    Excel's 32767 characters. Numbers and None pass unchanged.
    """
    if isinstance(value, str):
        value = xml_text(value)
        if len(value) > XLSX_CELL_CHARS:
            value = value[: XLSX_CELL_CHARS - 1] + "…"
        cell.value = value
        if is_formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def core_property(text: str) -> str:
    """A DOCX core property value: XML-legal, one line, at most 255 characters."""
    flat = " ".join(xml_text(text or "").split())
    return flat[:CORE_PROPERTY_CHARS]


def _clip_bytes(text: str, limit: int) -> str:
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore")  # never cut a character in half


def name_part(text: str, limit: int = NAME_PART_CHARS) -> str:
    """One piece of data (a region) made fit for a file name: no separators, controls, reserved
    characters or leading dots, whitespace collapsed, at most ``limit`` characters."""
    s = unicodedata.normalize("NFC", str(text))
    s = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in s)  # controls, spaces
    s = _RESERVED.sub("_", s)
    s = " ".join(s.split())
    s = re.sub(r"\.{2,}", ".", s)  # no ".." anywhere, so the name can never mean "parent"
    s = s.lstrip(". ")
    return s[:limit].rstrip(". ")


def safe_filename(stem: str, suffix: str = "") -> str:
    """A file name that is exactly one path component: ``stem`` cleaned (see :func:`name_part`),
    cut so the whole name is at most NAME_BYTES bytes in UTF-8, ``FALLBACK_NAME`` when nothing
    is left. ``suffix`` is ours (".docx") and kept."""
    s = name_part(stem, limit=NAME_BYTES)
    if not s or s.split(".")[0].upper() in _WINDOWS_DEVICES:
        s = f"{FALLBACK_NAME}-{s}" if s else FALLBACK_NAME
    s = _clip_bytes(s, NAME_BYTES - len(suffix.encode("utf-8"))).rstrip(". ")
    return f"{s or FALLBACK_NAME}{suffix}"
