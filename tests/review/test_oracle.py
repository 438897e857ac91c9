"""tests/oracle.py, the judge of the blind answer keys: it must pass a right key and fail a wrong one.

A tiny report and key are written into a temporary folder; the right key has no problem, and each way
of breaking it (a wrong clean figure, a planted error that is no error, a fact the report never
prints, an unprinted token, an unbacked clean figure, a wrong five-year plan named unplanted, …) is
reported by name.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import oracle
from oracle import KeyRules, Keys, Recorder, at_least, growth_from_change, iv, printed, rate, total

REPORT = """示例县2021年度社会保险基金支出预算绩效自评报告
2021年是“十四五”规划开局之年。基金收入1,234.56万元，完成预算1200万元的102.88%。
其中：保险费收入800.00万元，财政补贴收入434.56万元。基金支出1000万元，比上年增加50万元，增长5.26%。
目标：参保人数不少于5000人，实际4890人。
产出指标\t参保人数\t≥5000人\t4890人
"""


def _gold(**changes: Any) -> dict[str, Any]:
    gold: dict[str, Any] = {
        "report": "shili-2021.txt",
        "region": "示例县",
        "year": 2021,
        "facts": [
            {"fund": "all", "item": "income_total", "measure": "actual", "value": 1234.56},
            {"fund": "all", "item": "income_total", "measure": "completion_rate", "value": 102.88},
            {"fund": "all", "item": "expenditure_total", "measure": "yoy_rate", "value": 5.26},
        ],
        "indicators": [{"name": "参保人数", "target": "≥5000人", "actual": "4890人"}],
        "findings": [{"id": "S1", "tokens": ["4890"], "why": "参保人数未达目标"}],
        "clean": ["102.88%", "1,234.56"],
    }
    gold.update(changes)
    return gold


def _declare(ok: Recorder, bad: Recorder) -> None:
    ok("收入完成率", "102.88%", rate("1,234.56", "1200"))
    ok("收入合计", "1,234.56", total("800.00", "434.56"))
    ok("支出增长率", "5.26%", growth_from_change("50", "1000"))
    bad("S1 参保人数未达目标", "4890", at_least("5000"))


def _problems(
    tmp_path: Path,
    gold: dict[str, Any],
    declare: Any = _declare,
    text: str = REPORT,
    rules: KeyRules | None = None,
) -> list[str]:
    (tmp_path / "shili-2021.txt").write_text(text, encoding="utf-8")
    (tmp_path / "shili-2021.gold.yaml").write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    keys = Keys(tmp_path, rules or KeyRules())
    keys.report("shili-2021")(declare)
    return oracle.problems(keys, oracle.set_texts(tmp_path, "shili"))


def test_a_right_key_has_no_problem(tmp_path: Path) -> None:
    assert _problems(tmp_path, _gold()) == []


def test_a_wrong_clean_figure_is_reported(tmp_path: Path) -> None:
    def declare(ok: Recorder, bad: Recorder) -> None:
        _declare(ok, bad)
        ok("收入完成率（错）", "102.88%", rate("1,234.56", "1250"))  # 98.76%: the key calls it clean

    assert any(
        "收入完成率（错）" in p and "should be consistent" in p for p in _problems(tmp_path, _gold(), declare)
    )


def test_a_planted_error_that_is_no_error_is_reported(tmp_path: Path) -> None:
    def declare(ok: Recorder, bad: Recorder) -> None:
        _declare(ok, bad)
        bad("S2 支出增长率（其实无误）", "5.26%", growth_from_change("50", "1000"))

    found = _problems(tmp_path, _gold(), declare)
    assert any("S2" in p and "should be inconsistent (planted)" in p for p in found)


def test_a_fact_the_report_never_prints_is_reported(tmp_path: Path) -> None:
    facts = [*_gold()["facts"], {"fund": "all", "item": "income_total", "measure": "budget", "value": 1250}]
    assert any("has no printed number" in p for p in _problems(tmp_path, _gold(facts=facts)))


def test_a_fact_rounded_by_the_key_is_reported(tmp_path: Path) -> None:
    """The jiexiu defect: 1234.6 for a printed 1,234.56 is not the printed figure."""
    facts = [{"fund": "all", "item": "income_total", "measure": "actual", "value": 1234.6}]
    assert any("has no printed number" in p for p in _problems(tmp_path, _gold(facts=facts)))


def test_unprinted_tokens_and_indicators_are_reported(tmp_path: Path) -> None:
    gold = _gold(
        clean=["102.88%", "1,234.56", "99.99%"],
        findings=[{"id": "S1", "tokens": ["4890", "4900"], "why": "…"}],
        indicators=[{"name": "参保人数", "target": "≥6000人", "actual": "4890人"}],
    )
    found = _problems(tmp_path, gold)
    assert any("clean '99.99%' is not printed" in p for p in found)
    assert any("token '4900' is not printed" in p for p in found)
    assert any("indicator target '≥6000人'" in p for p in found)


def test_a_token_inside_a_longer_number_is_not_printed(tmp_path: Path) -> None:
    """ "234.56" occurs only inside 1,234.56: score.py would not find it there either."""
    assert any("clean '234.56' is not printed" in p for p in _problems(tmp_path, _gold(clean=["234.56"])))


def test_clean_figures_need_a_consistent_check_and_no_planted_one(tmp_path: Path) -> None:
    found = _problems(tmp_path, _gold(clean=["102.88%", "1,234.56", "800.00", "4890"]))
    assert any("clean '800.00' is backed by no consistent check" in p for p in found)
    assert any("clean '4890' is a figure of a planted" in p for p in found)
    quoted = _problems(tmp_path, _gold(clean=["102.88%", "800.00"]), rules=KeyRules(clean_backed="quoted"))
    assert quoted == []  # 800.00 is an input of the consistent 收入合计 check


def test_a_finding_needs_a_planted_check(tmp_path: Path) -> None:
    def declare(ok: Recorder, bad: Recorder) -> None:
        ok("收入完成率", "102.88%", rate("1,234.56", "1200"))

    found = _problems(tmp_path, _gold(clean=["102.88%"]), declare)
    assert any("finding S1 rests on no planted" in p for p in found)


def test_a_wrong_five_year_plan_must_be_planted(tmp_path: Path) -> None:
    wrong = REPORT.replace("“十四五”规划开局之年", "“十三五”规划收官之年")
    assert any("十三五 in a 2021 report" in p for p in _problems(tmp_path, _gold(), text=wrong))
    planted = _gold(findings=[*_gold()["findings"], {"id": "S3", "tokens": ["十三五"], "why": "规划期写错"}])
    assert _problems(tmp_path, planted, text=wrong) == []  # a planted wrong plan needs no numeric check


def test_a_figure_a_check_quotes_must_be_printed(tmp_path: Path) -> None:
    def declare(ok: Recorder, bad: Recorder) -> None:
        _declare(ok, bad)
        ok("收入合计（错抄）", "1,234.56", total("800.00", "434.55", "0.01"))

    found = _problems(tmp_path, _gold(), declare)
    assert any("'434.55' is not printed" in p for p in found) and any(
        "'0.01' is not printed" in p for p in found
    )


def test_a_key_without_checks_or_checks_without_a_key_is_reported(tmp_path: Path) -> None:
    _problems(tmp_path, _gold())
    keys = Keys(tmp_path)
    keys.report("other-2020")(_declare)
    assert oracle.coverage_problems(keys) == ["keys ['shili-2021'] and checked reports ['other-2020'] differ"]


def test_printed_figures_stand_for_half_a_unit_either_side() -> None:
    assert printed("97.38%") == oracle.Interval(Decimal("97.375"), Decimal("97.385"))
    assert printed("1,234") == oracle.Interval(Decimal("1233.5"), Decimal("1234.5"))
    assert printed("１２．５％") == printed("12.5%")
    assert printed("1.2亿元") == oracle.Interval(Decimal("11500"), Decimal("12500"))
    assert printed("3,856,215.40元").lo == Decimal("385.6215395")  # 元 in 万元
    assert printed("百分之九十八点五") == printed("98.5%")
    assert printed(11936) == oracle.Interval(Decimal(11936), Decimal(11936))  # a count is exact
    with pytest.raises(ValueError):
        printed("约一千")


def test_formulas_give_the_exact_range_of_their_inputs() -> None:
    """change / (current − change): the range over the inputs' box, narrower than interval arithmetic."""
    exact_range = growth_from_change("50", "1000")
    naive = iv("50") / (iv("1000") - iv("50")) * oracle.exact(100)
    assert naive.lo < exact_range.lo and exact_range.hi < naive.hi
    assert exact_range.lo == Decimal("49.5") / (Decimal("1000.5") - Decimal("49.5")) * 100
    with pytest.raises(ZeroDivisionError):
        rate("5", "0")
