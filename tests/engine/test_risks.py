"""Every shipped risk rule fires on a value past its threshold and stays quiet just inside it."""

from __future__ import annotations

import pytest
from tests.engine.helpers import make

from sifund.core.errors import SifundError
from sifund.engine.config import load_config
from sifund.engine.financing import parse_financing
from sifund.engine.metrics import compute_metrics
from sifund.engine.results import Metric
from sifund.engine.risks import assess_risks

F = "institution_pension"


def fired(values: dict[str, float | None], fund: str = F, cfg=None) -> set[str]:
    ms = [Metric(fund=fund, code=c, name=c, value=v, unit="%") for c, v in values.items()]
    return {r.rule for r in assess_risks(ms, cfg or load_config())}


@pytest.mark.parametrize(
    ("rule", "fires", "quiet"),
    [
        ("payable_months_critical", {"payable_months": 5.9}, {"payable_months": 6.0}),
        ("payable_months_low", {"payable_months": 11.9}, {"payable_months": 12.0}),
        ("current_deficit", {"balance_current": -0.01}, {"balance_current": 0.0}),
        ("income_below_expenditure", {"financing_balance": -1}, {"financing_balance": 0}),
        ("dependency_ratio_low", {"dependency_ratio": 1.62}, {"dependency_ratio": 2.0}),
        (
            "expenditure_completion_deviation",
            {"expenditure_completion": 121.56},
            {"expenditure_completion": 110},
        ),
        (
            "expenditure_completion_deviation",
            {"expenditure_completion": 89.9},
            {"expenditure_completion": 90},
        ),
        ("expenditure_growth_high", {"expenditure_yoy_rate": 31.67}, {"expenditure_yoy_rate": 30}),
        ("fiscal_dependence_high", {"fiscal_dependence": 62.5}, {"fiscal_dependence": 50}),
        ("rolling_balance_negative", {"balance_rolling": -0.01}, {"balance_rolling": 0.0}),
    ],
)
def test_rule_fires_and_not(rule, fires, quiet):
    assert rule in fired(fires)
    assert rule not in fired(quiet)


def test_critical_and_low_do_not_both_fire():
    assert fired({"payable_months": 3}) == {"payable_months_critical"}


def test_missing_metric_does_not_fire():
    assert fired({"payable_months": None, "balance_current": None}) == set()


def test_message_and_values():
    ms = [Metric(fund="unemployment", code="expenditure_completion", name="x", value=121.5596, unit="%")]
    (r,) = assess_risks(ms, load_config())
    assert r.level == "低" and r.values == {"expenditure_completion": 121.5596}
    assert r.message.startswith("失业保险基金支出预算完成率为121.56%")


def test_fund_scope_excludes_all_for_fund_rules():
    assert "fiscal_dependence_high" not in fired({"fiscal_dependence": 80}, fund="all")


def test_user_config_disables_and_adds_rules(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text(
        "risks:\n  - {id: fiscal_dependence_high, enabled: false}\n"
        "  - id: deposit\n    level: 低\n    when: {any: [{metric: payable_months, op: '>', value: 60}]}\n"
        "    message: '{fund}结余过多：{payable_months}'\n",
        encoding="utf-8",
    )
    cfg = load_config(p)
    assert fired({"fiscal_dependence": 80, "payable_months": 77}, cfg=cfg) == {"deposit"}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("risks:\n  - {id: x, level: 高, when: {metric: a, op: '=~', value: 1}, message: m}\n", "risks"),
        (
            "risks:\n  - {id: x, level: 高, when: {metric: a, op: '<', value: 1},\n"
            "     message: '{a.__class__}'}\n",
            "line 3, risks.0.message",
        ),
        ("scoring:\n  groups: {产出指标: many}\n", "line 2"),
        ("scoring:\n  groups: {产出指标: -5}\n", "line 2"),
        (  # values arrive formatted as text, so a format spec would crash at run time
            "risks:\n  - {id: x, level: 高, when: {metric: a, op: '<', value: 1},\n"
            "     message: '{a:.2f}'}\n",
            "line 3, risks.0.message",
        ),
        ("bogus: 1\n", "line 1"),
        ("scoring: [\n", "line"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, text, where):
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SifundError) as e:
        load_config(p)
    assert str(p) in str(e.value) and where in str(e.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(SifundError, match="不存在"):
        load_config(tmp_path / "nope.yaml")


def test_error_in_an_added_rule_points_at_the_users_own_list(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text(
        "risks:\n  - id: mine\n    level: 高\n    when: {metric: payable_months, op: '<<', value: 3}\n"
        "    message: m\n",
        encoding="utf-8",
    )
    with pytest.raises(SifundError) as e:
        load_config(p)
    assert [x.place for x in e.value.problems] == ["line 4, risks.0.when"]


# ---- rules judged on the fund's financing model (data/engine/financing.yaml) ------------------


def risks_of(*figs, fund: str | None = None):
    """The risks the packaged rules raise on a dataset made of ``figs`` (one fund's figures)."""
    ds = make(*figs)
    out = assess_risks(compute_metrics(ds), load_config())
    return {r.rule: r for r in out if fund is None or r.fund == fund}


def test_subsidy_share_above_half_is_no_risk_for_resident_pension():
    """城乡居民养老 is financed by government subsidy by design (基础养老金 is paid by it)."""
    assert "fiscal_dependence_high" not in fired({"fiscal_dependence": 80}, fund="resident_pension")
    assert "fiscal_dependence_high" not in fired({"fiscal_dependence": 80}, fund="resident_medical")


def test_subsidy_share_above_half_is_a_risk_for_institution_pension_and_says_why():
    ms = [Metric(fund=F, code="fiscal_dependence", name="x", value=60, unit="%")]
    (r,) = assess_risks(ms, load_config())
    assert r.rule == "fiscal_dependence_high" and "兜底" in r.why and r.financing == "contribution_backed"


def test_institution_pension_with_contributions_plus_subsidy_covering_spending_is_not_in_deficit():
    """机关养老: 600 contributions + 450 subsidy ≥ 1000 spending — not 收不抵支, though 600 < 1000."""
    got = risks_of(
        (F, "income_total", "actual", 1060),
        (F, "contribution", "actual", 600),
        (F, "fiscal_subsidy", "actual", 450),
        (F, "expenditure_total", "actual", 1000),
    )
    assert "income_below_expenditure" not in got


def test_institution_pension_is_in_deficit_when_contributions_plus_subsidy_fall_short():
    """Interest and transfers do not count: 600 + 350 = 950 < 1000 although all income is 1010."""
    got = risks_of(
        (F, "income_total", "actual", 1010),
        (F, "contribution", "actual", 600),
        (F, "fiscal_subsidy", "actual", 350),
        (F, "interest", "actual", 60),
        (F, "expenditure_total", "actual", 1000),
    )
    r = got["income_below_expenditure"]
    assert r.values == {"financing_balance": -50}
    assert r.message == (
        "机关事业单位基本养老保险基金保险费收入与财政补贴收入之和低于基金支出50.00万元，收不抵支"
    )
    assert "第十三条" in r.why
    assert "current_deficit" not in got  # all income 1010 ≥ 1000


def test_institution_pension_without_a_stated_subsidy_gets_no_deficit_verdict():
    """An unstated 财政补贴 is unknown, not zero: 600 < 1000 must not read as 收不抵支."""
    got = risks_of(
        (F, "income_total", "actual", 1050),
        (F, "contribution", "actual", 600),
        (F, "expenditure_total", "actual", 1000),
    )
    assert "income_below_expenditure" not in got


def test_resident_pension_with_a_surplus_is_not_in_deficit_although_contributions_are_small():
    R = "resident_pension"
    got = risks_of(
        (R, "income_total", "actual", 1000),
        (R, "contribution", "actual", 300),
        (R, "fiscal_subsidy", "actual", 650),
        (R, "expenditure_total", "actual", 800),
    )
    assert got == {}  # no 收不抵支 (300 < 800 is the design), no 财政依赖 (65%)


def test_resident_medical_in_deficit_is_one_risk_with_the_reason():
    """Income incl. subsidies below spending: 收不抵支, once (not again as current_deficit)."""
    M = "resident_medical"
    got = risks_of(
        (M, "income_total", "actual", 900),
        (M, "contribution", "actual", 300),
        (M, "fiscal_subsidy", "actual", 600),
        (M, "expenditure_total", "actual", 950),
    )
    assert set(got) == {"income_below_expenditure"}  # nor fiscal_dependence_high at 600 / 900 = 67%
    r = got["income_below_expenditure"]
    assert r.values == {"financing_balance": -50}
    assert r.message.startswith("城乡居民基本医疗保险基金收入（含政府补贴）低于基金支出")
    assert "政府补贴相结合" in r.why


def test_contribution_financed_fund_is_in_deficit_when_contributions_fall_short():
    W = "work_injury"
    got = risks_of(
        (W, "income_total", "actual", 110),
        (W, "contribution", "actual", 90),
        (W, "interest", "actual", 20),
        (W, "expenditure_total", "actual", 100),
    )
    assert got["income_below_expenditure"].values == {"financing_balance": -10}
    assert got["income_below_expenditure"].message.startswith("工伤保险基金保险费收入低于基金支出")


def test_rules_the_models_do_not_mention_carry_no_why():
    ms = [Metric(fund=F, code="payable_months", name="x", value=3, unit="个月")]
    (r,) = assess_risks(ms, load_config())
    assert r.rule == "payable_months_critical" and r.why == ""


def test_a_custom_financing_file_switches_a_rule_off_for_its_model():
    fin = parse_financing(
        "default_model: m\nmodels:\n  m:\n    name: 试点型\n    regular_income: [contribution]\n"
        "    basis: 保险费收入\n    why: 试点\n    risks:\n"
        "      dependency_ratio_low: {applies: false, why: 试点地区不考核抚养比}\n"
    )
    ms = [Metric(fund=F, code="dependency_ratio", name="x", value=1.5, unit="")]
    assert [r.rule for r in assess_risks(ms, load_config())] == ["dependency_ratio_low"]
    assert assess_risks(ms, load_config(), fin) == []


def test_no_pooled_payable_months_risk_for_all():
    """机关养老 with a third of a month and 居民养老 with years: no 合计 "about 10 months" risk."""
    ds = make(
        (F, "expenditure_total", "actual", 1200),
        (F, "balance_rolling", "actual", 33),
        ("resident_pension", "expenditure_total", "actual", 120),
        ("resident_pension", "balance_rolling", "actual", 1000),
    )
    risks = assess_risks(compute_metrics(ds), load_config())
    assert {(r.rule, r.fund) for r in risks if r.rule.startswith("payable_months")} == {
        ("payable_months_critical", F)
    }
