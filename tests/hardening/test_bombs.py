"""Decompression bombs, reference loops and absurd sheet dimensions: bounded time and memory."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font
from tests.hardening import makers
from tests.hardening.harness import Case, assert_bounded, assert_no_outputs, assert_refused


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory):
    """Bombs are built once per worker (1–2 s each) and copied by hard link into each case."""
    root = tmp_path_factory.mktemp("bombs")

    @cache
    def get(name: str) -> Path:
        p = root / name
        if name == "docx":
            return makers.docx_bomb(p.with_suffix(".docx"))
        if name == "pdf":
            return makers.pdf_stream_bomb(p.with_suffix(".pdf"))
        filled = makers.filled_xlsx(root / "filled.xlsx", root)
        return makers.xlsx_sheet_bomb(p.with_suffix(".xlsx"), filled, lie=name == "xlsx-lie")

    return get


def _place(case: Case, src: Path, name: str) -> Path:
    dst = case.inp / name
    dst.hardlink_to(src)
    return dst


class TestPdfReferenceLoop:
    """A 250-byte PDF whose page /Contents is ``4 0 R`` → ``5 0 R`` → ``4 0 R``. ``extract`` and
    ``audit`` must detect the loop (object-depth guard) and refuse within seconds — today they
    spin at 100% CPU for good."""

    @pytest.mark.parametrize("command", ["extract", "audit"])
    def test_refused(self, case: Case, command: str) -> None:
        f = makers.pdf_loop(case.inp / "loop.pdf")
        assert f.stat().st_size < 300
        assert_refused(case.run(command, f), f)


class TestDecompressionBombs:
    """A 3.7 MB DOCX whose document.xml inflates to 1 GB, a ~3 MB PDF whose content stream inflates
    to 1 GiB, a ~3 MB XLSX whose 基金收支 sheet inflates to 1 GiB (honest and lying zip headers):
    refused by the size limits while streaming, within seconds and 3 GB, one line naming the file."""

    @pytest.mark.parametrize("kind,command", [("docx", "extract"), ("docx", "audit"),
                                              ("pdf", "extract"), ("pdf", "audit")])
    def test_report_bomb(self, case: Case, bombs, kind: str, command: str) -> None:
        f = _place(case, bombs(kind), f"bomb.{kind}")
        assert f.stat().st_size < 5 << 20
        assert_refused(case.run(command, f), f)

    @pytest.mark.parametrize("kind,command", [("xlsx", "validate"), ("xlsx", "report"),
                                              ("xlsx-lie", "validate")])
    def test_sheet_bomb(self, case: Case, bombs, kind: str, command: str) -> None:
        f = _place(case, bombs(kind), "bomb.xlsx")
        assert f.stat().st_size < 5 << 20
        r = case.run(command, f, *(["-o", case.out] if command == "report" else []))
        assert_refused(r, f)
        assert_no_outputs(case, r)


class TestFarCells:
    """One stray cell at the last row (A1048576) or the last cell (XFD1048576) of 基金收支.
    An empty (styled) far cell is ignored: exit 0, quickly. A far cell holding a value is either
    ignored or refused with its place — never 60 s and 4 GB."""

    @pytest.mark.parametrize("ref", ["A1048576", "XFD1048576"])
    @pytest.mark.parametrize("filled", [False, True], ids=["styled-empty", "with-value"])
    def test_far_cell(self, case: Case, ref: str, filled: bool) -> None:
        f = makers.filled_xlsx(case.inp / "far.xlsx", case.root)
        wb = load_workbook(f)
        ws = wb["基金收支"]
        ws[ref].font = Font(bold=True)
        if filled:
            ws[ref].value = "x"
        wb.save(f)
        assert f.stat().st_size < 100_000
        r = case.run("validate", f)
        assert_bounded(r, seconds=15)
        assert r.rc in ((0, 1) if filled else (0,)), r
        if r.rc == 1:
            assert_refused(r, f, place=rf"基金收支!{ref}\b", seconds=15)
        assert r.maxrss_mb < 1024, f"a 20 KB workbook took {r.maxrss_mb:.0f} MB\n{r}"


class TestEncryptedPdf:
    """A PDF encrypted with a password we do not have is called encrypted, not corrupt."""

    def test_refused(self, case: Case) -> None:
        f = makers.pdf_encrypted(case.inp / "secret.pdf")
        r = case.run("extract", f)
        assert_refused(r, f)
        assert "加密" in r.lines[0] or "encrypt" in r.lines[0].lower(), r
