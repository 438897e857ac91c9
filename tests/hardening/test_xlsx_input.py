"""Broken or tricky XLSX templates: cut files, garbage styles, formulas, merges, odd digits."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook
from tests.hardening.harness import Case, assert_bounded, assert_no_outputs, assert_refused
from tests.hardening.makers import filled_xlsx, info_cell, money_cell, rewrite_zip, sheet_part


def _filled(case: Case):
    return filled_xlsx(case.inp / "src.xlsx", case.root)


class TestDamagedPackage:
    """A template whose 基金收支 sheet is cut in half, or whose styles.xml is garbage: one line
    naming the file (lxml errors are not a traceback), nothing written."""

    def test_sheet_cut_in_half(self, case: Case) -> None:
        src = _filled(case)
        part = sheet_part(src, "基金收支")
        with zipfile.ZipFile(src) as z:
            xml = z.read(part)
        f = rewrite_zip(src, case.inp / "cut.xlsx", {part: xml[: len(xml) // 2]})
        assert_refused(case.run("validate", f), f)
        r = case.run("report", f, "-o", case.out)
        assert_refused(r, f)
        assert_no_outputs(case, r)

    def test_garbage_styles(self, case: Case) -> None:
        src = _filled(case)
        f = rewrite_zip(src, case.inp / "styles.xlsx", {"xl/styles.xml": b"<styleSheet><<<\x00garbage"})
        assert_refused(case.run("validate", f), f)

    def test_file_cut_in_half(self, case: Case) -> None:
        src = _filled(case)
        f = case.inp / "half.xlsx"
        f.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
        assert_refused(case.run("evaluate", f), f)


def _warned_or_refused(case: Case, r, f, ref: str) -> None:
    """Not silently dropped: exit 1 naming the cell, or exit 0 with a warning naming it."""
    assert_bounded(r)
    assert r.lines, f"{ref} dropped without a word\n{r}"
    if r.rc == 1:
        assert_refused(r, f, place=rf"{ref}\b", lines=None)
    else:
        assert r.rc == 0, r
        assert str(f) in r.lines[0] and ref in r.lines[0], r


class TestSilentlyLostCells:
    """A formula without a cached value (what openpyxl or a script writes) and a data value merged
    over two cells: the reader must not drop them silently."""

    def test_formula_without_cached_value(self, case: Case) -> None:
        f = _filled(case)
        wb = load_workbook(f)
        ws = wb["基金收支"]
        ref = money_cell(ws, "work_injury", "income_total", "本年实际")
        ws[ref] = "=1050+3.2+1.8"
        wb.save(f)
        _warned_or_refused(case, case.run("validate", f), f, f"基金收支!{ref}")

    def test_merged_data_cells(self, case: Case) -> None:
        f = _filled(case)
        wb = load_workbook(f)
        ws = wb["基金收支"]
        ref = money_cell(ws, "work_injury", "income_total", "本年实际")
        col, row = ref.rstrip("0123456789"), int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        ws.merge_cells(f"{ref}:{col}{row + 1}")  # the next row's value is swallowed
        wb.save(f)
        _warned_or_refused(case, case.run("validate", f), f, ref)


class TestYearCell:
    """A year typed in superscript digits (``²⁰²³``, which ``str.isdigit`` accepts) is refused at
    its cell, ``基本信息!B…``, not at "基本信息!year" and not with a traceback."""

    def test_superscript_year(self, case: Case) -> None:
        f = _filled(case)
        wb = load_workbook(f)
        ws = wb["基本信息"]
        ref = info_cell(ws, "年度")
        ws[ref] = "²⁰²³"
        wb.save(f)
        for command in ("validate", "report"):
            r = case.run(command, f, *(["-o", case.out] if command == "report" else []))
            assert_refused(r, f, place=rf"基本信息!{ref}\b")
        assert_no_outputs(case, r)
