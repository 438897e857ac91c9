"""Blind set 5: six reports written without looking at the extractor, scored as score.py counts.

Extraction and audit must run on every report, and every report must score in full: every fact,
every 自评表 indicator, every planted finding and no false positive (SCORES.md has the numbers). A
report that cannot yet is in ``pending`` with the precise reason (strict xfail: it fails the run once
it passes) and the facts it found when measured in ``floors``. The keys themselves are checked by
tests/oracle.py from key_checks.py. The tests are those of tests/blindsets.py; run with -s to see the
score lines and, score.py --verbose style, whatever is missing.
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

_JIEXIU_KEY = (
    "gold key rounds 11 printed figures (14 facts) to 1 decimal (13206.8 for 13,206.75), outside score.py's "
    "0.0051 tolerance; the extractor reads all of them as printed"
)
SET = BlindSet(
    "blind5",
    Path(__file__).resolve().parent,
    count=6,
    pending={"jiexiu-2018.txt": _JIEXIU_KEY},
    floors={"jiexiu-2018.txt": 45},  # facts found when last measured (SCORES.md): none lost silently
    pending_keys={"jiexiu-2018": _JIEXIU_KEY},
)
globals().update(set_tests(SET))
