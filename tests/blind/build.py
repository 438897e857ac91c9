"""Build the blind set's .docx/.pdf reports from the Python data in the sibling ``_r*.py`` modules.

Binary reports are not committed: they are rebuilt from data, so the answer keys and the text that
the keys were checked against (``text_of``) can never drift apart. The PDF goes DOCX → LibreOffice,
the way agencies actually produce them (with its own -env:UserInstallation, see shared stack notes).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import ModuleType

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent

# report name -> (delivered format, data module, body font, heading font)
REPORTS: dict[str, tuple[str, str, str, str]] = {
    "yili-2022": ("docx", "_r3_yili", "仿宋_GB2312", "黑体"),
    "zhangye-2024": ("docx", "_r6_zhangye", "宋体", "黑体"),
    "etuoke-2019": ("pdf", "_r4_etuoke", "Noto Serif CJK SC", "Noto Sans CJK SC"),
}


def _module(name: str) -> ModuleType:
    """Load a sibling data module by path, so this works under pytest and as a script alike."""
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def blocks(name: str) -> list[tuple[str, object]]:
    return _module(REPORTS[name][1]).BLOCKS


def text_of(name: str) -> str:
    """The report's text as written (paragraphs, table rows with cells tab-separated)."""
    out: list[str] = []
    for kind, payload in blocks(name):
        if kind == "table":
            out.extend("\t".join(row) for row in payload)  # type: ignore[union-attr]
        else:
            out.append(str(payload))
    return "\n".join(out) + "\n"


def _fonts(style, ascii_font: str, ea_font: str, size: float | None = None) -> None:
    style.font.name = ascii_font
    rf = style.element.get_or_add_rPr().get_or_add_rFonts()
    rf.set(qn("w:eastAsia"), ea_font)
    for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rf.attrib.pop(qn(a), None)
    if size:
        style.font.size = Pt(size)


def build_docx(name: str, path: Path) -> Path:
    _, _, body, head = REPORTS[name]
    doc = Document()
    _fonts(doc.styles["Normal"], "Times New Roman", body, 14 if body != "Noto Serif CJK SC" else 11)
    for s in ("Title", "Heading 1", "Heading 2"):
        _fonts(doc.styles[s], "Arial", head)
    for kind, payload in blocks(name):
        if kind == "title":
            doc.add_heading(str(payload), level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h1":
            doc.add_heading(str(payload), level=1)
        elif kind == "h2":
            doc.add_heading(str(payload), level=2)
        elif kind == "caption":
            doc.add_paragraph(str(payload)).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            rows = list(payload)  # type: ignore[call-overload]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = value
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
        else:
            doc.add_paragraph(str(payload))
    doc.core_properties.author = "社会保险经办机构"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def docx_to_pdf(docx: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="blind-lo-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
            check=True, capture_output=True, timeout=180,
        )
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


def docx_sources(outdir: Path) -> dict[str, Path]:
    """Every built report as the .docx it is written as (a PDF report's source too), by report stem.

    tests/oracle.py reads the report's words from these (no LibreOffice needed).
    """
    return {name: build_docx(name, Path(outdir) / f"{name}.docx") for name in REPORTS}


def build_reports(outdir: Path, with_pdf: bool = True) -> list[Path]:
    """Write the binary reports as delivered into outdir (the .pdf ones only when with_pdf); their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, (fmt, *_rest) in REPORTS.items():
        if fmt == "docx":
            paths.append(build_docx(name, outdir / f"{name}.docx"))
        elif with_pdf:
            with tempfile.TemporaryDirectory(prefix="blind-docx-") as tmp:
                docx = build_docx(name, Path(tmp) / f"{name}.docx")
                paths.append(docx_to_pdf(docx, outdir))
    return paths


def build_all(outdir: Path) -> list[Path]:
    """Write every binary blind report into outdir; returns their paths."""
    return build_reports(outdir)


if __name__ == "__main__":
    import sys

    for p in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "blind-out")):
        print(p)
