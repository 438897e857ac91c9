"""The dashboard's XLSX and CSV downloads never turn text into a spreadsheet formula: a region
named like a formula (names come from whoever runs ``sifund regions add``) stays text."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from sifund.web.dashboard import to_csv, to_xlsx

ROWS = [["地区", "年度", "得分"], ['=HYPERLINK("http://x","点我")', 2023, 95.5], ["@SUM(A1)", 2023, None]]


def test_xlsx_keeps_formula_like_text_as_text():
    ws = load_workbook(io.BytesIO(to_xlsx([("总览", ROWS)]))).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == ROWS[1][0]
    assert ws["A3"].data_type == "s" and ws["B2"].value == 2023 and ws["C2"].value == 95.5


def test_csv_prefixes_formula_like_text():
    rows = list(csv.reader(io.StringIO(to_csv(ROWS).decode("utf-8-sig"))))
    assert rows[1][0] == "'" + ROWS[1][0] and rows[2][0] == "'@SUM(A1)"
    assert rows[0] == ["地区", "年度", "得分"] and rows[1][1:] == ["2023", "95.5"]
