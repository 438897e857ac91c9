"""Printed figures: stated ones keep the decimals they were stated with; components show their budgets."""

from __future__ import annotations

from sifund.core.model import Dataset
from sifund.engine.evaluation import evaluate
from sifund.render.report import render_text

F = "unemployment"


def _text(*figs: tuple[str, str, float, float | None]) -> str:
    ds = Dataset(region="示例县", year=2023, figures=[
        {"fund": F, "item": i, "measure": m, "value": v, "precision": p} for i, m, v, p in figs
    ])  # fmt: skip
    return render_text(evaluate(ds))


def test_stated_figures_keep_their_precision_computed_ones_get_two_decimals():
    text = _text(
        ("income_total", "actual", 1590, 1),
        ("income_total", "completion_rate", 98, 1),
        ("income_total", "yoy_change", -111.6, 0.1),
        ("expenditure_total", "actual", 1308, 1),
        ("expenditure_total", "budget", 1200, 1),
    )
    assert "收入1590万元" in text and "1590.00万元" not in text
    assert "完成预算的98%" in text  # a stated 98% is not 98.00%
    assert "较上年减少111.6万元" in text
    assert "完成年初预算1200万元的109.00%" in text  # computed: two decimals


def test_typed_figures_print_two_decimals():
    text = _text(("income_total", "actual", 1590, None), ("expenditure_total", "actual", 1308, None))
    assert "收入1590.00万元" in text and "1308.00万元" in text


def test_component_with_a_budget_gets_its_completion_clause():
    text = _text(
        ("income_total", "actual", 1590, None),
        ("contribution", "actual", 1000, None),
        ("contribution", "budget", 800, None),
        ("interest", "actual", 20, None),
    )
    assert "其中：保险费收入1000.00万元，完成年初预算800.00万元的125.00%；利息收入20.00万元。" in text
