"""A line after a DOCX table that is no row of its grid ends the table (blind9 class 9).

pidu-2024's "（二）城乡居民基本养老保险基金" came right after 表1 and was taken as a fund-name row of
the table, so the section it opens was read as the section before ("该基金支出…" as the wrong fund). A
fund-name row merged across the grid ("一、工伤保险基金" over every column) is still the table's: what
decides is grid membership, not whether the line has cells.
"""

from __future__ import annotations

from pathlib import Path

from sifund.review.extract import extract_document
from sifund.review.readers import read_document


def _report(path: Path) -> Path:
    """A two-section report: section (一)'s table ends with a merged fund row's block, section (二)'s
    heading follows the table with no paragraph between."""
    import docx

    d = docx.Document()
    d.add_paragraph("示例县2021年度社会保险基金预算绩效自评报告")
    d.add_paragraph("（一）工伤保险基金")
    rows = [
        ["项目", "预算数", "执行数"],
        ["一、工伤保险基金", "", ""],
        ["基金收入", "800.00", "812.00"],
        ["基金支出", "700.00", "690.00"],
    ]
    t = d.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    t.cell(1, 0).merge(t.cell(1, 2))
    d.add_paragraph("（二）失业保险基金")
    d.add_paragraph("该基金支出600.00万元，比上年增长5.00%。")
    d.save(str(path))
    return path


def test_a_heading_after_a_docx_table_opens_its_own_section(tmp_path: Path) -> None:
    figures = extract_document(read_document(_report(tmp_path / "r.docx"))).dataset.figures
    keys = {(f.fund, f.item, f.measure, f.value) for f in figures}
    # the merged fund row inside the grid heads the rows below it
    assert ("work_injury", "income_total", "actual", 812.0) in keys
    assert ("work_injury", "expenditure_total", "budget", 700.0) in keys
    # the heading after the table is the parser's: "该基金" is the fund it names
    assert ("unemployment", "expenditure_total", "actual", 600.0) in keys
    assert not any(f.value == 600.0 and f.fund != "unemployment" for f in figures)
