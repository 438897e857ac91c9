"""Genre test set: reports written for the genre (not the corpus), scored exactly as score.py counts.

Each report in tests/review/genre/ has an answer key in the corpus gold format. Extraction must find
every fact (all are found today) and every 自评表 indicator; the audit must report every finding and
none that rests on a figure the key lists as clean. The DOCX report is built by genre/build_docx.py
and converted to PDF with LibreOffice (skipped when soffice is absent), so hard wraps, page numbers and
tables split by page breaks are exercised on a real PDF. The tests are those of tests/blindsets.py
(the set has no key_checks.py, so no oracle tests), plus the one below.
"""

from __future__ import annotations

from blindsets import BlindSet, set_tests
from reportscore import GENRE, extraction
from sifund.core.codes import codebook

SET = BlindSet("genre", GENRE, count=7)
globals().update(set_tests(SET))


def test_per_capita_yuan_never_fund_money() -> None:
    """元/人·月 standards and 元 amounts per person are not fund money (lanxi-2021): a figure quoting
    one is a per-capita standard's own (an item of kind yuan, in 元), and lanxi has one such."""
    res = extraction(GENRE / "lanxi-2021.txt")
    per_capita = []
    for f in res.dataset.figures:
        assert f.source is not None
        t = f.source.text
        if "元/" in t or "每人" in t or (t.endswith("元") and not t.endswith("万元")):
            assert codebook().items[f.item].kind == "yuan" and f.unit == "元", t
            per_capita.append((f.item, f.value))
    assert per_capita == [("monthly_pension_per_capita", 186.0)]
