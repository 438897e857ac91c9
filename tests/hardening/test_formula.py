"""Text that looks like a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) stays text."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from tests.hardening.harness import (
    METRICS_SHEET,
    REPORT_BOUND,
    Case,
    assert_no_formulas,
    assert_ok,
    assert_refused,
)
from tests.hardening.makers import dataset, dump_yaml, filled_xlsx

PAYLOADS = {
    "equals": '=HYPERLINK("http://x","y")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "dde": "=cmd|' /C calc'!A0",
}


def _text_cells(xlsx) -> list[str]:
    wb = load_workbook(xlsx)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if ws.title != METRICS_SHEET:
                    assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    out.append(c.value)
    return out


CONTROL = ("tab", "cr")  # a control character may also be refused by validation, at its place


def _check(case: Case, r, payload: str, f=None, kind: str = "") -> None:
    if kind in CONTROL and r.rc == 1:
        assert_refused(r, f, place=r"line \d+, \w+", seconds=REPORT_BOUND)
        assert not case.outputs(), r
        return
    assert_ok(r, REPORT_BOUND)
    xlsx = [p for p in case.outputs() if p.suffix == ".xlsx"]
    assert len(xlsx) == 1, r
    assert_no_formulas(xlsx[0], payload.strip())
    core = payload.strip()[1:]  # the text after the trigger character must survive, as text
    assert any(core in v for v in _text_cells(xlsx[0])), f"{payload!r} not written as text\n{r}"


class TestFormulaInjection:
    """A hostile user starts an indicator name, its reason and the narrative with a formula
    trigger. The 自评表 (``report -f xlsx``) must hold them as text cells: no ``<f>`` element
    outside the project's own metrics sheet, and the text itself still there. ``= + - @`` are
    printable text a real name may start with, so they must be written, not refused; a leading
    tab or CR may instead be refused as a control character, with its line and field."""

    @pytest.mark.parametrize("kind", list(PAYLOADS))
    def test_yaml_dataset(self, case: Case, kind: str) -> None:
        s = PAYLOADS[kind]
        data = dataset()
        data["indicators"][0]["name"] = s
        data["indicators"][2]["reason"] = s
        data["indicators"][7]["target"] = data["indicators"][7]["actual"] = s
        data["agency"] = s
        for k in ("goals", "achievements", "problems"):
            data["narrative"][k] = s
        f = dump_yaml(data, case.inp / "x.yaml")
        r = case.run("report", f, "-o", case.out, "-f", "xlsx")
        _check(case, r, s, f, kind)

    def test_xlsx_template_input(self, case: Case) -> None:
        """The same text typed into a template (stored as a text cell, as Excel does with a
        leading apostrophe) must come out as text too."""
        s = PAYLOADS["equals"]
        f = filled_xlsx(case.inp / "x.xlsx", case.root, agency="x")
        wb = load_workbook(f)
        ws = wb["绩效指标"]
        name_col = next(c.column for c in ws[1] if c.value == "三级指标")
        cell = ws.cell(row=2, column=name_col)
        cell.value = s
        cell.data_type = "s"  # text, not a formula
        wb.save(f)
        r = case.run("report", f, "-o", case.out, "-f", "xlsx")
        _check(case, r, s)


class TestMarkupInHtml:
    """What held up and must stay: markup in an indicator name is escaped in the HTML report."""

    def test_script_is_escaped(self, case: Case) -> None:
        data = dataset()
        data["indicators"][0]["name"] = "<script>alert(1)</script>"
        data["narrative"]["goals"] = "<img src=x onerror=alert(2)>"
        f = dump_yaml(data, case.inp / "x.yaml")
        r = case.run("report", f, "-o", case.out, "-f", "html")
        assert_ok(r, REPORT_BOUND)
        html = next(p for p in case.outputs() if p.suffix == ".html").read_text("utf-8")
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)" in html
