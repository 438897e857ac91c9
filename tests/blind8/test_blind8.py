"""Blind set 8: six reports in six styles, written by three authors who never read the extractor.

Being measured (before any tuning): ``enforced=False`` until SCORES.md records the measurement.
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

SET = BlindSet("blind8", Path(__file__).resolve().parent, count=6, enforced=False)
globals().update(set_tests(SET))
