"""Charts without tofu (warnings are errors: a missing glyph warns), and a real PDF rendering
(LibreOffice) that shows Chinese text."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from tests.render.conftest import EXAMPLES, evaluate_dataset

from pdfrender import render_pdf
from sifund.render.charts import build_charts, cjk_family
from sifund.render.fonts import fontconfig_xml
from sifund.render.report import write_outputs
from sifund.render.wording import title

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic():  # type: ignore[no-untyped-def]
    from sifund.ingest import load_dataset

    ds = load_dataset(EXAMPLES / "synthetic-county-2023.yaml")
    return ds, evaluate_dataset(ds)


def test_charts_render_with_cjk_font_and_no_warnings(synthetic) -> None:  # type: ignore[no-untyped-def]
    _, ev = synthetic
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        charts = build_charts(ev)
    assert [k for k, _, _ in charts] == ["income_expenditure", "completion", "balance"]
    for _, name, png in charts:
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000, name
    assert "CJK" in cjk_family()


def test_fontconfig_aliases_cover_docx_fonts() -> None:
    xml = fontconfig_xml()
    for name in ("仿宋_GB2312", "黑体", "宋体", "方正小标宋简体"):
        assert f"<family>{name}</family>" in xml
    assert "<include" in xml


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="LibreOffice/poppler not installed",
)
def test_pdf_rendering_shows_chinese(synthetic, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ds, ev = synthetic
    (docx,) = write_outputs(ds, ev, tmp_path, ["docx"])
    pdf = render_pdf(docx, tmp_path / "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squashed = re.sub(r"\s+", "", text)
    assert title(ds.region, ds.year) in squashed
    assert "五、附表（自评表）" in squashed
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    png = pdf.with_name(pdf.stem + "-page1.png")
    assert png.read_bytes().startswith(b"\x89PNG")
