"""Blind set 7: six reports written after the review redesign by two authors who never read the extractor.

Styles: a mid-year execution table (PDF), a 补助资金 self-evaluation copied out of a PDF (TXT), a
self-evaluation whose funds are named only in chapter headings (DOCX), and B4's three (a 医保 决算
explanatory note, a 工伤/失业 self-evaluation with Word tables, a prefecture's summary in 亿元 and 万元).
Measured before any tuning (``enforced=False``: test_score skips with the score lines, so
``pytest tests/blind7 -rs`` is the measurement, recorded in SCORES.md). The keys are checked by
tests/oracle.py from key_checks.py (B4's from b4_key_checks.py).
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

SET = BlindSet("blind7", Path(__file__).resolve().parent, count=6, enforced=False)
globals().update(set_tests(SET))
