"""Every metric of engine/metrics.py on small hand-computed datasets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.engine.helpers import make

from sifund.engine.financing import parse_financing
from sifund.engine.metrics import compute_metrics

F = "institution_pension"


def metric(ds, code, fund=F, fin=None):
    return next((m for m in compute_metrics(ds, fin=fin) if m.fund == fund and m.code == code), None)


def test_completion_prefers_adjusted_budget_and_keeps_initial():
    ds = make(
        (F, "expenditure_total", "actual", 38429),
        (F, "expenditure_total", "budget", 39617),
        (F, "expenditure_total", "budget_adjusted", 39000),
    )
    main, initial = metric(ds, "expenditure_completion"), metric(ds, "expenditure_completion_initial")
    assert main.value == pytest.approx(38429 / 39000 * 100, abs=1e-6)
    assert "调整后" in main.note and main.formula == "38429 / 39000 × 100"
    assert initial.value == pytest.approx(38429 / 39617 * 100, abs=1e-6)
    assert main.inputs == {"actual": 38429, "budget_adjusted": 39000}


def test_completion_initial_only_and_per_item():
    ds = make(
        (F, "income_total", "actual", 38631),
        (F, "income_total", "budget", 39420),
        (F, "contribution", "actual", 27196),
        (F, "contribution", "budget", 26663),
    )
    assert metric(ds, "income_completion").value == pytest.approx(98.0, abs=0.01)
    assert metric(ds, "income_completion").note == "按年初预算"
    assert metric(ds, "income_completion_initial").value == metric(ds, "income_completion").value
    assert metric(ds, "contribution_completion").value == pytest.approx(27196 / 26663 * 100, abs=1e-6)


def test_completion_falls_back_to_stated_rate_and_says_so():
    ds = make((F, "expenditure_total", "actual", 38429), (F, "expenditure_total", "completion_rate", 97, 1))
    m = metric(ds, "expenditure_completion")
    assert m.value == 97 and "报告所述" in m.note


def test_completion_without_budget_is_none_with_note():
    m = metric(make((F, "income_total", "actual", 100)), "income_completion")
    assert m.value is None and "预算" in m.note


def test_completion_zero_budget_is_none():
    m = metric(
        make((F, "income_total", "actual", 100), (F, "income_total", "budget", 0)), "income_completion"
    )
    assert m.value is None and "为0" in m.note


def test_yoy_from_prior():
    ds = make(
        (F, "income_total", "actual", 5306),
        (F, "income_total", "prior", 4508),
        (F, "expenditure_total", "actual", 2244),
        (F, "expenditure_total", "prior", 2092),
    )
    assert metric(ds, "income_yoy_change").value == 798
    assert metric(ds, "income_yoy_rate").value == pytest.approx(798 / 4508 * 100, abs=1e-6)
    assert metric(ds, "expenditure_yoy_change").value == 152
    assert metric(ds, "expenditure_yoy_rate").value == pytest.approx(152 / 2092 * 100, abs=1e-6)


def test_yoy_zero_prior_is_none_not_division_error():
    ds = make((F, "income_total", "actual", 10), (F, "income_total", "prior", 0))
    assert metric(ds, "income_yoy_change").value == 10
    m = metric(ds, "income_yoy_rate")
    assert m.value is None and "0" in m.note


def test_yoy_absent_prior_is_none_with_note():
    m = metric(make((F, "expenditure_total", "actual", 10)), "expenditure_yoy_rate")
    assert m.value is None and "上年" in m.note


def test_yoy_per_item_and_from_stated_change():
    ds = make((F, "benefits", "actual", 38273), (F, "benefits", "yoy_change", 2410))
    assert metric(ds, "benefits_yoy_change").value == 2410
    assert metric(ds, "benefits_yoy_rate").value == pytest.approx(2410 / 35863 * 100, abs=1e-6)


def test_balances_current_and_rolling():
    ds = make(
        (F, "income_total", "actual", 38631),
        (F, "expenditure_total", "actual", 38429),
        (F, "balance_rolling", "prior", 1000),
    )
    assert metric(ds, "balance_current").value == 202
    roll = metric(ds, "balance_rolling")
    assert roll.value == 1202 and roll.formula == "1000 + 202"


def test_rolling_falls_back_to_stated():
    ds = make(
        (F, "income_total", "actual", 10),
        (F, "expenditure_total", "actual", 8),
        (F, "balance_rolling", "actual", 77),
    )
    m = metric(ds, "balance_rolling")
    assert m.value == 77 and "报告所述" in m.note


def test_stated_balances_win_over_recomputing_rounded_figures():
    """1980 − 1983 = −3, but the report computed −2.8 from unrounded figures: print that."""
    ds = make(
        (F, "income_total", "actual", 1980),
        (F, "expenditure_total", "actual", 1983),
        (F, "balance_current", "actual", -2.8),
        (F, "balance_rolling", "prior", 6.26),
        (F, "balance_rolling", "actual", 3.46),
    )
    cur, roll = metric(ds, "balance_current"), metric(ds, "balance_rolling")
    assert cur.value == -2.8 and "报告所述" in cur.note and "-3" in cur.note
    assert roll.value == 3.46 and "报告所述" in roll.note


def test_payable_months_total_and_benefits():
    ds = make(
        (F, "expenditure_total", "actual", 2400),
        (F, "benefits", "actual", 1200),
        (F, "balance_rolling", "actual", 1800),
        (F, "income_total", "actual", 2400),
    )
    # rolling stated 1800 is overridden by nothing (no prior rolling), so 1800 / (2400 / 12) = 9
    assert metric(ds, "payable_months").value == pytest.approx(9.0)
    assert metric(ds, "payable_months_benefits").value == pytest.approx(18.0)


def test_dependency_fiscal_dependence_and_deficits():
    ds = make(
        (F, "contributors", "actual", 5359),
        (F, "retirees", "actual", 3312),
        (F, "income_total", "actual", 1000),
        (F, "fiscal_subsidy", "actual", 600),
        (F, "contribution", "actual", 350),
        (F, "expenditure_total", "actual", 900),
    )
    assert metric(ds, "dependency_ratio").value == pytest.approx(1.62, abs=0.005)
    assert metric(ds, "fiscal_dependence").value == pytest.approx(60.0)
    assert metric(ds, "contribution_deficit").value == -550
    assert metric(ds, "income_ex_subsidy_deficit").value == -500


def test_per_capita_and_attribution_add_up_exactly():
    # 38273 万元 for 5854 retirees; last year 35863 万元 for 5727
    ds = make(
        (F, "benefits", "actual", 38273),
        (F, "benefits", "prior", 35863),
        (F, "retirees", "actual", 5854),
        (F, "retirees", "prior", 5727),
    )
    assert metric(ds, "per_capita_benefit").value == pytest.approx(38273e4 / 5854, abs=1e-4)
    assert metric(ds, "per_capita_benefit_monthly").value == pytest.approx(38273e4 / 5854 / 12, abs=1e-4)
    head, per = metric(ds, "headcount_effect").value, metric(ds, "per_capita_effect").value
    assert head == pytest.approx(127 * 35863 / 5727, abs=0.005)
    assert Decimal(repr(head)) + Decimal(repr(per)) == Decimal(2410)
    hs, ps = metric(ds, "headcount_effect_share").value, metric(ds, "per_capita_effect_share").value
    assert Decimal(repr(hs)) + Decimal(repr(ps)) == 100


def test_attribution_prefers_basic_pension_and_uses_yoy_change():
    ds = make(
        (F, "basic_pension", "actual", 100.1),
        (F, "basic_pension", "yoy_change", 10.05),
        (F, "retirees", "actual", 110),
        (F, "retirees", "yoy_change", 10),
    )
    head, per = metric(ds, "headcount_effect"), metric(ds, "per_capita_effect")
    assert "basic_pension" in head.inputs
    # prior per capita 90.05 / 100; 10 more retirees -> 9.005 -> 9.01 (half up); remainder 1.04
    assert head.value == 9.01 and per.value == 1.04


def test_attribution_zero_change_has_no_share():
    ds = make(
        (F, "benefits", "actual", 100),
        (F, "benefits", "prior", 100),
        (F, "retirees", "actual", 10),
        (F, "retirees", "prior", 10),
    )
    assert metric(ds, "headcount_effect_share").value is None


def test_all_sums_funds_when_no_explicit_all():
    ds = make(
        ("institution_pension", "income_total", "actual", 38631),
        ("resident_pension", "income_total", "actual", 5306),
        ("institution_pension", "expenditure_total", "actual", 38429),
        ("resident_pension", "expenditure_total", "actual", 2244),
    )
    m = metric(ds, "balance_current", "all")
    assert m.value == 3264 and "各基金合计" in m.note


def test_all_uses_explicit_all_figures():
    ds = make(
        ("all", "income_total", "actual", 50000),
        ("all", "expenditure_total", "actual", 40000),
        ("institution_pension", "income_total", "actual", 1),
        ("institution_pension", "expenditure_total", "actual", 1),
    )
    m = metric(ds, "balance_current", "all")
    assert m.value == 10000 and "各基金合计" not in m.note


def test_all_not_summed_when_a_fund_lacks_the_figure():
    ds = make(
        ("institution_pension", "income_total", "actual", 1),
        ("resident_pension", "expenditure_total", "actual", 1),
    )
    assert metric(ds, "balance_current", "all") is None


def test_people_only_fund_does_not_block_money_totals():
    ds = make(
        ("institution_pension", "income_total", "actual", 100),
        ("institution_pension", "expenditure_total", "actual", 120),
        ("resident_pension", "income_total", "actual", 50),
        ("resident_pension", "expenditure_total", "actual", 40),
        ("resident_medical", "insured", "actual", 1000),  # pooled higher up: people only
    )
    assert metric(ds, "balance_current", "all").value == -10


def test_people_are_never_summed_across_funds():
    ds = make(
        ("institution_pension", "insured", "actual", 500),
        ("institution_pension", "insured", "prior", 400),
        ("resident_pension", "insured", "actual", 1000),
        ("resident_pension", "insured", "prior", 900),
    )
    assert metric(ds, "insured_yoy_change", F).value == 100
    assert metric(ds, "insured_yoy_change", "all") is None


def test_negative_prior_gives_no_growth_rate():
    ds = make((F, "income_total", "actual", 100), (F, "income_total", "prior", -10))
    assert metric(ds, "income_yoy_change").value == 110
    rate = metric(ds, "income_yoy_rate")
    assert rate.value is None and "为负" in rate.note


def test_negative_rolling_balance_has_no_payable_months():
    ds = make(
        (F, "income_total", "actual", 100),
        (F, "expenditure_total", "actual", 120),
        (F, "balance_rolling", "prior", -50),
    )
    assert metric(ds, "balance_rolling").value == -70
    months = metric(ds, "payable_months")
    assert months.value is None and "穿底" in months.note


# ---- financing models (data/engine/financing.yaml) ---------------------------------------------

R, W = "resident_pension", "work_injury"


def test_financing_balance_of_institution_pension_is_contributions_plus_subsidy_minus_spending():
    ds = make(
        (F, "income_total", "actual", 1010),
        (F, "contribution", "actual", 600),
        (F, "fiscal_subsidy", "actual", 450),
        (F, "interest", "actual", 10),
        (F, "expenditure_total", "actual", 1000),
    )
    m = metric(ds, "financing_balance")
    assert m.value == 50 and m.formula == "(600 + 450) − 1000"
    assert "保险费收入与财政补贴收入之和" in m.note
    assert metric(ds, "contribution_deficit").value == -400  # 征缴收支 is still shown, as a fact


def test_financing_balance_of_resident_pension_counts_subsidies_as_income():
    ds = make(
        (R, "income_total", "actual", 1000),
        (R, "contribution", "actual", 300),
        (R, "fiscal_subsidy", "actual", 650),
        (R, "expenditure_total", "actual", 800),
    )
    m = metric(ds, "financing_balance", R)
    assert m.value == 200 and m.formula == "1000 − 800" and "含政府补贴" in m.note


def test_financing_balance_of_resident_pension_follows_a_stated_balance():
    ds = make(
        (R, "income_total", "actual", 1980),
        (R, "expenditure_total", "actual", 1983),
        (R, "balance_current", "actual", -2.8),
    )
    assert metric(ds, "financing_balance", R).value == -2.8


def test_financing_balance_of_a_contribution_financed_fund_is_contributions_minus_spending():
    ds = make((W, "contribution", "actual", 90), (W, "expenditure_total", "actual", 100))
    assert metric(ds, "financing_balance", W).value == -10


def test_financing_balance_without_the_subsidy_is_unknown_not_a_deficit():
    ds = make((F, "contribution", "actual", 600), (F, "expenditure_total", "actual", 1000))
    m = metric(ds, "financing_balance")
    assert m.value is None and "缺少财政补贴收入" in m.note


def test_subsidy_share_of_resident_pension_says_why_it_is_no_risk_only_past_the_threshold():
    def share_note(subsidy: float) -> str:
        ds = make((R, "income_total", "actual", 100), (R, "fiscal_subsidy", "actual", subsidy))
        return metric(ds, "fiscal_dependence", R).note

    assert "不构成风险" in share_note(65)
    assert share_note(40) == ""  # nothing to excuse
    ds = make((F, "income_total", "actual", 100), (F, "fiscal_subsidy", "actual", 65))
    assert metric(ds, "fiscal_dependence").note == ""  # for 机关养老 it is a risk: no excuse


def _two_funds():
    return make(
        (F, "expenditure_total", "actual", 1200),
        (F, "balance_rolling", "actual", 33),
        (F, "contribution", "actual", 700),
        (R, "expenditure_total", "actual", 120),
        (R, "balance_rolling", "actual", 1000),
        (R, "contribution", "actual", 30),
    )


def test_each_fund_gets_its_own_payable_months_and_all_gets_none():
    """33 / (1200 / 12) = 0.33 months and 1000 / (120 / 12) = 100 months; pooled they would read
    1033 / (1320 / 12) = 9.39 months, hiding that 机关养老 is nearly empty."""
    ds = _two_funds()
    assert metric(ds, "payable_months").value == pytest.approx(0.33)
    assert metric(ds, "payable_months", R).value == pytest.approx(100)
    assert metric(ds, "payable_months", "all") is None
    assert metric(ds, "balance_rolling", "all").value == 1033  # the balance itself is still summed


def test_deficits_are_not_pooled_across_funds():
    ds = _two_funds()
    assert metric(ds, "contribution_deficit", "all") is None
    assert metric(ds, "financing_balance", "all") is None


def test_a_configured_pool_gives_a_total_that_names_its_funds():
    fin = parse_financing(
        FIN + "payable_months_pools:\n  - {funds: [institution_pension, resident_pension], why: 试点合并}\n"
    )
    m = next(
        m for m in compute_metrics(_two_funds(), fin=fin) if m.fund == "all" and m.code == "payable_months"
    )
    assert m.value == pytest.approx(1033 / (1320 / 12))
    assert "合并计算机关养老、居民养老（试点合并）" in m.note


def test_a_pool_not_covering_every_fund_gives_no_total():
    fin = parse_financing(
        FIN + "payable_months_pools:\n  - {funds: [institution_pension, maternity], why: x}\n"
    )
    assert not any(
        m.fund == "all" and m.code == "payable_months" for m in compute_metrics(_two_funds(), fin=fin)
    )


def test_a_single_fund_dataset_keeps_its_total_which_is_that_fund():
    ds = make((W, "expenditure_total", "actual", 120), (W, "balance_rolling", "actual", 60))
    assert metric(ds, "payable_months", "all").value == pytest.approx(6)


FIN = """\
default_model: plain
models:
  plain: {name: 缴费型, regular_income: [contribution], basis: 保险费收入, why: 缴费筹资}
"""
