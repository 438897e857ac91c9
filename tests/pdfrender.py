"""One way for tests to turn a generated DOCX into a PDF: the project's own scripts/render-pdf.sh
(LibreOffice with the fontconfig aliases, one profile per process), so tests see what a user does."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render_pdf(docx: Path, outdir: Path, timeout: float = 240) -> Path:
    """The PDF of ``docx`` (its first page also as ``<name>-page1.png`` beside it)."""
    res = subprocess.run(
        ["bash", str(ROOT / "scripts" / "render-pdf.sh"), str(docx), str(outdir)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert res.returncode == 0, res.stderr
    return Path(res.stdout.strip())


def soffice_pdf(docx: Path, outdir: Path, timeout: float = 180) -> Path:
    """The PDF of ``docx`` by LibreOffice alone (no font aliases, no PNG): how the blind sets' build
    modules make their PDF reports. A throwaway profile per call, since two soffice sharing one fail
    silently."""
    import os
    import shutil
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) not found")
    prof = tempfile.mkdtemp(prefix="sifund-lo")
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
            check=True, capture_output=True, timeout=timeout, env={**os.environ, "HOME": prof},
        )
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    return Path(outdir) / (Path(docx).stem + ".pdf")
