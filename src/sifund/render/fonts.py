"""Fonts: East-Asian font names in DOCX styles/runs, and fontconfig aliases for LibreOffice.

The DOCX keeps the names government documents use (仿宋_GB2312, 黑体 …) so Word on Windows
renders them natively; on Linux, ``fontconfig_file`` maps those names to Noto CJK SC so a PDF
made by LibreOffice shows Chinese glyphs (SC forms) instead of tofu or JP forms.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml.ns import qn
from docx.shared import Pt

from sifund.render.wording import load

THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def spec(role: str) -> dict[str, Any]:
    """Font of a DOCX role (body, heading1, heading2, title, table) from fonts.yaml."""
    return load("fonts")["docx"][role]


def set_fonts(element_rpr_owner: Any, ascii_font: str, east_asia: str) -> None:
    """Set ascii/hAnsi and eastAsia on a style's or run's rPr; drop theme fonts that would win."""
    rfonts = element_rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), ascii_font)
    rfonts.set(qn("w:hAnsi"), ascii_font)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)


def style_font(style: Any, role: str, bold: bool | None = None) -> None:
    s = spec(role)
    set_fonts(style.element, s["ascii"], s["east_asia"])
    style.font.size = Pt(s["size"])
    if bold is not None:
        style.font.bold = bold


def run_font(run: Any, role: str, size: float | None = None, bold: bool | None = None) -> None:
    s = spec(role)
    set_fonts(run._element, s["ascii"], s["east_asia"])
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


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


def chart_family(families: list[str]) -> str | None:
    """The first of ``families`` that matplotlib can draw with, or None.

    Why the second pass: matplotlib caches its font list (``~/.cache/matplotlib`` or
    ``$MPLCONFIGDIR``) the first time it runs. On a machine where that happened before
    fonts-noto-cjk was installed, the cache never learns of the new fonts and every chart would
    fail until someone deletes the cache by hand. So when no configured family is found, the
    system's font files (fontconfig's list) that the cache does not know yet are added, and the
    search is repeated; nothing is deleted.
    """
    from matplotlib import font_manager

    def first() -> str | None:
        for family in families:
            try:
                font_manager.findfont(font_manager.FontProperties(family=[family]), fallback_to_default=False)
                return family
            except ValueError:
                continue
        return None

    found = first()
    if found is not None:
        return found
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
                added = True
            except (OSError, RuntimeError, ValueError):  # an unreadable or odd font file: skip it
                continue
    return first() if added else None  # addfont() clears matplotlib's memo of earlier misses
