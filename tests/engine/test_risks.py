"""Every shipped risk rule fires on a value past its threshold and stays quiet just inside it."""

from __future__ import annotations

import pytest

from sifund.core.errors import SifundError
from sifund.engine.config import load_config
from sifund.engine.evaluation import Metric
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
        ("contribution_below_expenditure", {"contribution_deficit": -1}, {"contribution_deficit": 0}),
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
