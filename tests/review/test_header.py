"""The report head: region and year from the title, Chinese-numeral years, and no year at all.

These stay Python rather than phrase cases: they pin the header (or an error) rather than figures.
Moved here from test_extract_clauses.py and test_blind2_rules.py when their phrase tests became
tests/review/phrases/*.yaml.
"""

from __future__ import annotations

import pytest

from sifund.core.errors import SifundError
from sifund.review.extract import extract_text


def test_header_region_and_year() -> None:
    """The region comes from the title, the year from （2023年度）."""
    res = extract_text(
        "示例县社会保险基金支出预算绩效自评报告\n（2023年度）\n2023年示例县城乡居民养老保险基金收入1万元。"
    )
    assert res.dataset.region == "示例县"
    assert res.dataset.year == 2023


@pytest.mark.parametrize(("year", "expected"), [("二〇二二", 2022), ("二○一八", 2018), ("二O二三", 2023)])
def test_year_in_chinese_numerals(year: str, expected: int) -> None:
    """二〇二二, 二○一八 (a circle for zero) and 二O二三 (a letter O) are years."""
    r = extract_text(f"某县社会保险基金支出预算绩效自评报告\n（{year}年度）\n\n失业保险基金收入50万元。\n")
    assert r.header.year == expected


def test_text_without_year_is_a_clear_error() -> None:
    """A text with no year anywhere is refused with a message naming 年度, not read as some year."""
    with pytest.raises(SifundError, match="年度"):
        extract_text("没有年份的文字，基金总支出1万元。")


def test_no_year_at_all_is_a_clear_error() -> None:
    """A report title without a 年度 line and no year in the body is refused the same way."""
    with pytest.raises(SifundError, match="年度"):
        extract_text("某县社会保险基金支出预算绩效自评报告\n\n失业保险基金收入50万元。\n")
