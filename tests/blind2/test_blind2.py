"""Second blind set: eight realistic reports nobody tuned sifund on, scored as score.py counts.

Extraction and audit must run on every report, and every report must score in full: every fact,
every 自评表 indicator, every planted finding and no false positive (SCORES.md has the numbers). A
report that cannot yet goes into ``pending`` with the precise reason (strict xfail: it fails the run
once it passes). The keys themselves are checked by tests/oracle.py from key_checks.py. The tests are
those of tests/blindsets.py, plus the brief's shape below; run with -s to see the score lines and,
score.py --verbose style, whatever is missing.
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

SET = BlindSet("blind2", Path(__file__).resolve().parent, count=8)
globals().update(set_tests(SET))


def test_set_has_eight_reports_in_three_formats() -> None:
    golds = [SET.gold(r) for r in SET.reports]
    assert len(golds) == 8
    assert {g["report"].rsplit(".", 1)[1] for g in golds} == {"txt", "docx", "pdf"}
