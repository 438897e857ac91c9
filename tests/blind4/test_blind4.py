"""Blind set 4: six reports written without looking at the extractor, scored as score.py scores them.

Extraction and audit must run on every report, and every report must score in full: every fact,
every 自评表 indicator, every planted finding and no false positive (SCORES.md has the numbers). A
report that cannot yet goes into ``pending`` with the precise reason (strict xfail: it fails the run
once it passes). The keys themselves are checked by tests/oracle.py from key_checks.py. The tests are
those of tests/blindsets.py, plus the keys' shape below; run with -s to see the score lines and,
score.py --verbose style, whatever is missing.
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

SET = BlindSet("blind4", Path(__file__).resolve().parent, count=6)
globals().update(set_tests(SET))


def test_keys_have_the_shape_of_the_corpus_keys() -> None:
    assert sorted(Path(r).stem for r in SET.reports) == sorted(
        ["zhengan-2021", "fuqing-2018", "xingtai-2022", "chengdong-2020", "yanbian-2023", "rongshui-2024"]
    )
    for report in SET.reports:
        g = SET.gold(report)
        assert g["region"] and 2018 <= g["year"] <= 2024
        assert g["facts"] and all({"fund", "item", "measure", "value"} <= set(f) for f in g["facts"])
        assert all({"id", "tokens", "why"} <= set(f) for f in g.get("findings", []))
