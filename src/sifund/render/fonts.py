"""Fonts: East-Asian font names in DOCX styles/runs, fontconfig aliases for LibreOffice, and the
font file the charts are drawn with.

The DOCX keeps the names government documents use (仿宋_GB2312, 黑体 …) so Word on Windows
renders them natively; on Linux, ``fontconfig_file`` maps those names to Noto CJK SC so a PDF
made by LibreOffice shows Chinese glyphs (SC forms) instead of tofu or JP forms.

The charts (Pillow) need a font *file* and, for a collection (.ttc), the index of the face:
``NotoSansCJK-Regular.ttc`` holds JP, KR, SC, TC, HK … and only the SC face draws the simplified
forms a 财政局 expects. :func:`find_face` looks for each configured family (fonts.yaml ``chart``)
at the paths distributions install it to, then asks fontconfig (``fc-list``), then walks the
usual font directories; a face is taken only when its own name table says it is that family.
python-docx is imported inside the DOCX helpers, so finding the chart font for an HTML-only
report does not load it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sifund.render.wording import load

THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def spec(role: str) -> dict[str, Any]:
    """Font of a DOCX role (body, heading1, heading2, title, table) from fonts.yaml."""
    return load("fonts")["docx"][role]


def set_fonts(element_rpr_owner: Any, ascii_font: str, east_asia: str) -> None:
    """Set ascii/hAnsi and eastAsia on a style's or run's rPr; drop theme fonts that would win."""
    from docx.oxml.ns import qn

    rfonts = element_rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), ascii_font)
    rfonts.set(qn("w:hAnsi"), ascii_font)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)


def style_font(style: Any, role: str, bold: bool | None = None) -> None:
    from docx.shared import Pt

    s = spec(role)
    set_fonts(style.element, s["ascii"], s["east_asia"])
    style.font.size = Pt(s["size"])
    if bold is not None:
        style.font.bold = bold


def run_font(run: Any, role: str, size: float | None = None, bold: bool | None = None) -> None:
    from docx.shared import Pt

    s = spec(role)
    set_fonts(run._element, s["ascii"], s["east_asia"])
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def escape(text: str) -> str:
    """XML character data (what ``xml.sax.saxutils.escape`` does, without importing urllib)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fontconfig_xml() -> str:
    """A fonts.conf that includes the system config and aliases Windows CJK names to Noto CJK."""
    parts = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ]
    for target, names in load("fonts")["aliases"].items():
        for name in names:
            parts.append(
                f'  <alias binding="same"><family>{escape(name)}</family>'
                f"<prefer><family>{escape(target)}</family></prefer></alias>"
            )
    parts.append("</fontconfig>")
    return "\n".join(parts) + "\n"


def fontconfig_file(directory: Path) -> Path:
    """Write the alias fonts.conf into ``directory``; point FONTCONFIG_FILE at it for soffice."""
    path = Path(directory) / "fonts.conf"
    path.write_text(fontconfig_xml(), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Face:
    """One face of a font file: ``ImageFont.FreeTypeFont(path, size, index=index)`` draws with it."""

    path: str
    index: int
    family: str


# where distributions install the families of fonts.yaml ``chart`` (regular, bold): checked first,
# since a stat is cheaper than starting fc-list
KNOWN_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Noto Sans CJK SC": (
        (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu
            "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
            "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
        ),
        (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
            "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Bold.otf",
        ),
    ),
    "Source Han Sans SC": (
        ("/usr/share/fonts/adobe-source-han-sans/SourceHanSans-Regular.ttc",),
        ("/usr/share/fonts/adobe-source-han-sans/SourceHanSans-Bold.ttc",),
    ),
    "SimHei": (("C:/Windows/Fonts/simhei.ttf",), ()),
    "Microsoft YaHei": (("C:/Windows/Fonts/msyh.ttc",), ("C:/Windows/Fonts/msyhbd.ttc",)),
    "WenQuanYi Zen Hei": (("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",), ()),
}
# file names to look for when walking the font directories (the last resort)
FILE_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Noto Sans CJK SC": (
        ("notosanscjk-regular.ttc", "notosanscjksc-regular.otf", "notosanscjk-regular.otc"),
        ("notosanscjk-bold.ttc", "notosanscjksc-bold.otf", "notosanscjk-bold.otc"),
    ),
    "Source Han Sans SC": (
        ("sourcehansans-regular.ttc", "sourcehanssc-regular.otf", "sourcehansanssc-regular.otf"),
        ("sourcehansans-bold.ttc", "sourcehanssc-bold.otf", "sourcehansanssc-bold.otf"),
    ),
    "SimHei": (("simhei.ttf",), ()),
    "Microsoft YaHei": (("msyh.ttc", "msyh.ttf"), ("msyhbd.ttc", "msyhbd.ttf")),
    "WenQuanYi Zen Hei": (("wqy-zenhei.ttc",), ()),
}
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
    "~/AppData/Local/Microsoft/Windows/Fonts",
)
MAX_FACES = 32  # faces tried in one collection file
FC_TIMEOUT = 10  # seconds; fc-list rebuilds its cache on a first run


def face_index(path: str, family: str, bold: bool = False) -> int | None:
    """The index of ``family``'s face in the font file (0 for a single font), or None.

    Read from the face's own name table, so a .ttc whose faces come in another order (font
    packages have reordered them) still yields the SC face and never the JP one. FreeTypeFont,
    not ``ImageFont.truetype``: on a file it cannot read, truetype quietly opens a font of the same
    file name from the system's folders instead."""
    from PIL import ImageFont

    want = family.casefold()
    for index in range(MAX_FACES):
        try:
            name, style = ImageFont.FreeTypeFont(path, 12, index=index).getname()
        except OSError:  # past the last face, or not a font file
            return None
        if (name or "").casefold() == want and ("bold" in (style or "").casefold()) == bold:
            return index
    return None


def _fc_list(family: str, bold: bool) -> Iterator[tuple[str, int]]:
    """(file, index) of ``family`` according to fontconfig; nothing when fc-list is missing."""
    exe = shutil.which("fc-list")
    if exe is None:
        return
    escaped = re.sub(r"([\\\-:,])", r"\\\1", family)  # fontconfig's pattern syntax
    pattern = f"{escaped}:style={'Bold' if bold else 'Regular'}"
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}\t%{index}\n", pattern],
            capture_output=True,
            text=True,
            timeout=FC_TIMEOUT,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return
    for line in sorted(out.splitlines()):  # fc-list's order is arbitrary: make it stable
        path, _, index = line.partition("\t")
        if path and index.isdigit():
            yield path, int(index)


def _walk(names: Sequence[str]) -> Iterator[str]:
    """Font files called one of ``names`` (lower case) under the usual font directories."""
    wanted = set(names)
    if not wanted:
        return
    for directory in FONT_DIRS:
        root = Path(os.path.expanduser(directory))
        if not root.is_dir():
            continue
        for dirpath, _, files in os.walk(root):
            for file in sorted(files):
                if file.casefold() in wanted:
                    yield os.path.join(dirpath, file)


def find_face(families: Sequence[str], bold: bool = False) -> Face | None:
    """The first of ``families`` installed on this machine, as a face of a font file, or None."""
    k = 1 if bold else 0
    for family in families:
        for path in KNOWN_FILES.get(family, ((), ()))[k]:
            if os.path.isfile(path) and (index := face_index(path, family, bold)) is not None:
                return Face(path, index, family)
        for path, index in _fc_list(family, bold):
            if os.path.isfile(path):
                return Face(path, index, family)
        for path in _walk(FILE_NAMES.get(family, ((), ()))[k]):
            if (index := face_index(path, family, bold)) is not None:
                return Face(path, index, family)
    return None
