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
