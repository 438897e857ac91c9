"""Scoring edge cases: missing budget, over-execution cap, weights, unknown indicators, grades."""

from __future__ import annotations

import pytest
from tests.engine.helpers import make

from sifund.engine.config import load_config
from sifund.engine.evaluation import evaluate

F = "institution_pension"


def _ind(level1, name, target, actual, **kw):
    return {"level1": level1, "name": name, "target": target, "actual": actual, **kw}


FULL = [
    _ind("产出指标", "a", "≥99%", "100%"),
    _ind("产出指标", "b", "≥100人", "80人", reason="人数减少"),
    _ind("效益指标", "c", "效果明显", "较好"),
    _ind("满意度指标", "d", ">90%", "95%"),
]


def test_execution_capped_at_full_points():
    ds = make(
        (F, "expenditure_total", "actual", 120), (F, "expenditure_total", "budget", 100), indicators=FULL
    )
    sc = evaluate(ds).score
    assert sc.execution_rate == pytest.approx(120) and sc.execution_score == 10


def test_execution_proportional_and_lost_reason():
    ds = make(
        (F, "expenditure_total", "actual", 90), (F, "expenditure_total", "budget", 100), indicators=FULL
    )
    sc = evaluate(ds).score
    assert sc.execution_score == 9
    (lost,) = [x for x in sc.lost if x["item"] == "预算执行率"]
    assert lost["points"] == 1
    assert lost["reason"] == "预算执行率为90.00%，按10分×执行率计9.00分"  # no （请填写…） placeholder


def test_missing_budget_scores_zero_with_reason():
    sc = evaluate(make((F, "expenditure_total", "actual", 90), indicators=FULL)).score
    assert sc.execution_rate is None and sc.execution_score == 0
    assert "预算" in sc.execution_note
    assert any(x["item"] == "预算执行率" and x["points"] == 10 and "请填写" in x["reason"] for x in sc.lost)


def test_all_summed_over_funds_with_budget_only():
    ds = make(
        ("institution_pension", "expenditure_total", "actual", 95),
        ("institution_pension", "expenditure_total", "budget", 100),
        ("resident_pension", "expenditure_total", "actual", 50),
    )
    sc = evaluate(ds).score
    assert sc.execution_rate == pytest.approx(95) and "有预算数" in sc.execution_note


def test_zero_budget_fund_counts_in_the_summed_execution_rate():
    ds = make(
        ("institution_pension", "expenditure_total", "actual", 120),
        ("institution_pension", "expenditure_total", "budget", 0),
        ("resident_pension", "expenditure_total", "actual", 40),
        ("resident_pension", "expenditure_total", "budget", 45),
        ("resident_medical", "insured", "actual", 1000),
    )
    sc = evaluate(ds).score
    assert sc.execution_rate == pytest.approx(160 / 45 * 100, abs=1e-3)


def test_even_split_proportional_unmet_and_unknown():
    ds = make(
        (F, "expenditure_total", "actual", 100), (F, "expenditure_total", "budget", 100), indicators=FULL
    )
    ev = evaluate(ds)
    by = {r.indicator.name: r for r in ev.indicators}
    assert by["a"].weight == 25 and by["a"].score == 25
    assert by["b"].score == pytest.approx(20) and by["b"].lost_reason == "人数减少"
    assert by["c"].status == "unknown" and by["c"].score == 0 and by["c"].lost_reason == "（请填写偏差原因）"
    assert by["d"].weight == 10 and by["d"].score == 10
    assert ev.score.total == pytest.approx(10 + 25 + 20 + 0 + 10)
    assert ev.score.grade == "中"  # 65


@pytest.mark.parametrize(("judgement", "points"), [("full", 30), ("partial", 15), ("zero", 0)])
def test_qualitative_by_judgement(judgement, points):
    inds = [*FULL[:2], _ind("效益指标", "c", "效果明显", "较好", judgement=judgement), FULL[3]]
    ev = evaluate(make(indicators=inds))
    assert next(r for r in ev.indicators if r.indicator.name == "c").score == points


def test_given_weights_win_and_rest_is_split():
    inds = [
        _ind("产出指标", "a", "≥1", "1", weight=30),
        _ind("产出指标", "b", "≥1", "1"),
        _ind("产出指标", "c", "≥1", "1"),
        _ind("效益指标", "d", "≥1", "1"),
        _ind("满意度指标", "e", "≥1", "1"),
    ]
    by = {r.indicator.name: r.weight for r in evaluate(make(indicators=inds)).indicators}
    assert by == {"a": 30, "b": 10, "c": 10, "d": 30, "e": 10}


def test_missing_group_weight_is_redistributed_and_noted():
    inds = [_ind("产出指标", "a", "≥1", "1"), _ind("满意度指标", "e", "≥1", "1")]
    sc = evaluate(
        make((F, "expenditure_total", "actual", 1), (F, "expenditure_total", "budget", 1), indicators=inds)
    ).score
    assert sc.group_weights == {"产出指标": 75, "满意度指标": 15}
    assert sc.total == 100 and sc.grade == "优" and "效益指标" in sc.notes[0]


def test_missing_group_dropped_by_config(tmp_path):
    p = tmp_path / "prov.yaml"
    p.write_text("scoring:\n  missing_groups: drop\n", encoding="utf-8")
    inds = [_ind("产出指标", "a", "≥1", "1"), _ind("满意度指标", "e", "≥1", "1")]
    sc = evaluate(
        make((F, "expenditure_total", "actual", 1), (F, "expenditure_total", "budget", 1), indicators=inds),
        load_config(p),
    ).score
    assert sc.max_total == 70 and sc.total == 70 and sc.grade == "优"


def test_group_alias_and_no_indicators():
    ev = evaluate(make(indicators=[_ind("项目完成指标", "a", "≥1", "1")]))
    assert ev.indicators[0].weight == 90  # 项目完成指标 is 产出指标, which takes all 90 indicator points
    empty = evaluate(make()).score
    assert empty.total == 0 and empty.grade == "差" and len(empty.lost) == 4


@pytest.mark.parametrize(
    ("rate", "grade"), [(100, "优"), (90, "优"), (89.9, "良"), (80, "良"), (60, "中"), (59.9, "差")]
)
def test_grade_bands(rate, grade):
    # only the execution rate can score: a 100-point execution weight shows the band edges
    cfg = load_config(None).model_copy(deep=True)
    cfg.scoring.execution.weight = 100
    cfg.scoring.groups = {}
    ds = make((F, "expenditure_total", "actual", rate), (F, "expenditure_total", "budget", 100))
    assert evaluate(ds, cfg).score.grade == grade


def test_user_config_overrides_weights(tmp_path):
    p = tmp_path / "prov.yaml"
    p.write_text("scoring:\n  execution: {weight: 20}\n  groups: {产出指标: 40}\n", encoding="utf-8")
    cfg = load_config(p)
    assert cfg.scoring.execution.weight == 20 and cfg.scoring.groups["产出指标"] == 40
    assert cfg.scoring.groups["效益指标"] == 30  # merged, not replaced
