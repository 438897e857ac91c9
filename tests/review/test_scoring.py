"""tests/scoring.py counts as ../shared/tools/score.py counts: its rules, and the same results on edge cases.

The rules are pinned without ../shared (so they hold on any machine); where ../shared exists, every
case is also scored by score.py and the two results, summary lines and --verbose output included,
must be identical. Each blind set runs the same comparison on its real reports
(test_scorer_matches_score_py).
"""

from __future__ import annotations

from typing import Any

import pytest

from reportscore import pending, score, score_tool, shared_score_tool

scoring = score_tool()


def _fig(fund: str, item: str, measure: str, value: Any) -> dict[str, Any]:
    return {"fund": fund, "item": item, "measure": measure, "value": value}


GOLD: dict[str, Any] = {
    "report": "case.txt",
    "facts": [
        {"fund": "all", "item": "income_total", "measure": "actual", "value": 1234.56},
        {
            "fund": "all",
            "item": "expenditure_total",
            "alt_items": ["benefits"],
            "measure": "budget",
            "alt_measures": ["budget_adjusted"],
            "value": 900,
        },
        {"fund": "work_injury", "item": "income_total", "measure": "actual", "value": "12.5"},
        {"fund": "all", "item": "balance_rolling", "measure": "actual", "value": 20_000_000},
    ],
    "indicators": [
        {"name": "参保 人数", "target": "≥ 5000人", "actual": "5100人"},
        {"name": "发放率", "target": 100, "actual": "100%"},
        {"name": "零值", "target": 0, "actual": ""},
    ],
    "findings": [
        {"id": "F1", "tokens": ["1485", "不符"], "why": "…"},
        {"id": "F2", "tokens": ["98.6%"], "why": "…"},
        {"id": "F3", "tokens": ["十三五"], "why": "…"},
    ],
    "clean": ["4271", "96.15%"],
}

CASES: dict[str, dict[str, Any]] = {
    "empty": {"figures": [], "indicators": [], "findings": []},
    "all found": {
        "figures": [
            _fig("all", "income_total", "actual", 1234.5649),
            _fig("all", "benefits", "budget_adjusted", 900),
            _fig("work_injury", "income_total", "actual", 12.5),
            _fig("all", "balance_rolling", "actual", 20_000_019.9),  # within 1e-6·|v|
        ],
        "indicators": [
            {"name": "一、参保人数（人）", "target": "≥5000人", "actual": "5100 人"},
            {"name": "发放率", "target": "100", "actual": "100%"},
            {"name": "零值", "target": None, "actual": None},
        ],
        "findings": [
            {"severity": "warning", "message": "当年收支结余1485万元不符", "evidence": []},
            {"severity": "error", "message": "", "evidence": [{"text": "准确率98.6%"}, "十三五"]},
            {"severity": "info", "message": "4271", "evidence": [{"text": "4271"}]},
        ],
    },
    "near misses": {
        "figures": [
            _fig("all", "income_total", "actual", 1234.5652),  # 0.0052 off
            _fig("all", "expenditure_total", "actual", 900),  # measure not allowed
            _fig("work_injury", "income_total", "actual", "12.5"),  # a string is no value
            _fig("work_injury", "income_total", "actual", None),
            _fig("all", "balance_rolling", "actual", 20_000_021),
            {"fund": "all", "item": "income_total", "measure": "actual"},  # no value at all
        ],
        "indicators": [
            {"name": "参保", "target": "≥5000人", "actual": "5100人"},
            {"name": "发放率", "target": "100%", "actual": "100%"},
        ],
        "findings": [
            {"severity": "warning", "message": "21485 不符", "evidence": None},
            {"severity": "warning", "message": "1485.5 不符"},
            {"severity": "warning", "message": "98.60%", "evidence": [{"text": "98.6"}]},
            {"severity": "warning", "message": "x", "evidence": [{"text": "结余4271万元"}]},
            {"severity": "error", "message": "y", "evidence": [{"text": "96.15%"}, {"start": 1}]},
            {"severity": "warning", "message": "42710", "evidence": [{"text": "14271.5"}]},
        ],
    },
    "bools count as numbers": {"figures": [_fig("work_injury", "income_total", "actual", True)]},
}


@pytest.mark.parametrize("case", list(CASES))
def test_same_results_as_score_py(case: str) -> None:
    out = CASES[case]
    ours, theirs = score(GOLD, out, out), score(GOLD, out, out, shared_score_tool())
    assert ours == theirs, f"{ours.text}\n---\n{theirs.text}"


def test_what_counts_as_found() -> None:
    all_found = score(GOLD, CASES["all found"], CASES["all found"])
    assert (all_found.hit, all_found.ind_hit, all_found.found, all_found.fps) == (4, 3, 3, 0)
    near = score(GOLD, CASES["near misses"], CASES["near misses"])
    assert (near.hit, near.total, near.ind_hit, near.found, near.n) == (0, 4, 0, 0, 3)
    assert near.fps == 2  # 4271 and 96.15% quoted by warning/error evidence; 14271.5 is another number


@pytest.mark.parametrize(
    ("token", "hay", "found"),
    [
        ("1485", "结余1485万元", True),
        ("1485", "21485", False),
        ("1485", "1485.5", False),
        ("1485", "1485,0", False),
        ("1485", "1485。", True),
        ("1485", "1485,", True),
        ("1485", ".1485", False),
        ("98.6%", "98.6%", True),
        ("十三五", "“十三五”规划", True),
        ("1485", "21485 与 1485", True),
    ],
)
def test_number_tokens_are_whole_numbers(token: str, hay: str, found: bool) -> None:
    assert scoring.num_token_in(token, hay) is found


def test_summary_lines_as_score_py_prints_them() -> None:
    s = score(GOLD, CASES["empty"], CASES["empty"])
    assert s.text.splitlines()[:2] == [
        "extract case.txt: facts 0/4, indicators 0/3",
        "audit case.txt: found 0/3, false positives 0, reported 0 warning/error",
    ]


def test_pending_reports_are_strict_xfails_and_stale_entries_refused() -> None:
    """The one PENDING convention of the blind sets: strict xfail with its reason; a stale name fails."""
    params = pending(["a.txt", "b.txt"], {"b.txt": "why"})
    assert [p.id for p in params] == ["a.txt", "b.txt"]
    assert params[0].marks == ()
    (mark,) = params[1].marks
    assert mark.name == "xfail" and mark.kwargs == {"strict": True, "reason": "why"}
    with pytest.raises(ValueError, match=r"c\.txt"):
        pending(["a.txt"], {"c.txt": "renamed away"})
