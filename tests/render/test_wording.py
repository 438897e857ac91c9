"""Wording adapts to the data: decreases, out-of-band execution, missing inputs."""

from __future__ import annotations

import pytest
from tests.render.conftest import evaluate_dataset

from sifund.core.model import Dataset, Figure
from sifund.render.report import render_text


def _ds(figures: list[tuple[str, str, str, float]]) -> Dataset:
    return Dataset(
        region="测试县",
        year=2024,
        figures=[Figure(fund=f, item=i, measure=m, value=v) for f, i, m, v in figures],
    )


@pytest.fixture(scope="module")
def text() -> str:
    ds = _ds(
        [
            ("resident_pension", "income_total", "actual", 900),
            ("resident_pension", "income_total", "prior", 1000),
            ("resident_pension", "income_total", "budget", 1000),
            ("resident_pension", "expenditure_total", "actual", 1200),
            ("resident_pension", "expenditure_total", "prior", 1100),
            ("resident_pension", "expenditure_total", "budget", 1000),
            ("resident_pension", "beneficiaries", "actual", 950),
            ("resident_pension", "beneficiaries", "prior", 1000),
            ("resident_pension", "balance_rolling", "actual", 5000),
        ]
    )
    return render_text(evaluate_dataset(ds))


def test_decrease_uses_absolute_values(text: str) -> None:
    assert "收入900.00万元，较上年减少100.00万元，下降10.00%，完成年初预算1000.00万元的90.00%" in text
    assert "基金支出1200.00万元，较上年增加100.00万元，增长9.09%，完成年初预算1000.00万元的120.00%" in text
    assert "领取待遇人数950人，较上年减少50人" in text
    assert not any(
        w + "-" in text for w in ("增加", "减少", "增长", "下降")
    )  # direction words, absolute values


def test_out_of_band_execution_asks_for_reason(text: str) -> None:
    assert "支出预算执行率120.00%，超出110%，超预算原因：（请填写原因）" in text


def test_balance_from_engine_when_not_stated(text: str) -> None:
    assert "当年收支结余-300.00万元" in text
    assert "年末滚存结余5000.00万元" in text
    assert "按当年基金支出水平，累计结余可支付50.00个月" in text


def test_missing_inputs_print_no_clause() -> None:
    ds = _ds([("unemployment", "income_total", "actual", 10.5)])
    out = render_text(evaluate_dataset(ds))
    assert "2024年失业保险基金收入10.50万元。" in out
    assert "较上年" not in out and "完成年初预算" not in out
