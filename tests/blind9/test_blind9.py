"""Blind set 9: six reports in six styles, written by three authors who never read the extractor.

Being measured (enforced=False): ``pytest tests/blind9 -rs`` prints the scores; SCORES.md records them.
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

SET = BlindSet("blind9", Path(__file__).resolve().parent, count=6, enforced=False)
globals().update(set_tests(SET))
