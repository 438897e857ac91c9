"""`sifund evaluate` / `sifund audit` on every bundled example, and hand-checked numbers for the
synthetic county (constants derived in comments from examples/synthetic-county-2023.yaml)."""

from __future__ import annotations

import json

import pytest
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from sifund.cli import app
from sifund.engine.evaluation import evaluate
from sifund.ingest import load_dataset

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
SYNTHETIC = EXAMPLES / "synthetic-county-2023.yaml"
runner = CliRunner()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_evaluate_cli_runs(path):
    res = runner.invoke(app, ["evaluate", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["schema"] == "sifund.evaluation/1" and data["metrics"]
    assert data["score"]["grade"] in ("优", "良", "中", "差")
    table = runner.invoke(app, ["evaluate", str(path)])
    assert table.exit_code == 0 and "总分" in table.stdout and "风险预警" in table.stdout


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_audit_cli_json(path):
    res = runner.invoke(app, ["audit", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["schema"] == "sifund.audit/1"


def test_evaluate_cli_bad_config_is_a_clear_error(tmp_path):
    if not EXAMPLE_FILES:
        pytest.skip("no examples yet")
    bad = tmp_path / "c.yaml"
    bad.write_text("scoring:\n  grades: 3\n", encoding="utf-8")
    res = runner.invoke(app, ["evaluate", str(EXAMPLE_FILES[0]), "--config", str(bad)])
    assert res.exit_code == 1 and "c.yaml" in res.output and "Traceback" not in res.output


@pytest.fixture(scope="module")
def synthetic():
    if not SYNTHETIC.exists():
        pytest.skip("synthetic example not written yet")
    return evaluate(load_dataset(SYNTHETIC))


def test_synthetic_metrics_by_hand(synthetic):
    v = synthetic.metric_value
    # 机关养老: expenditure 30363.50 / budget 30500 × 100 = 99.5525 %
    assert v("institution_pension", "expenditure_completion") == pytest.approx(99.5525, abs=1e-4)
    # 居民养老 income: adjusted budget 10000 wins: 10023 / 10000 = 100.23 %; initial 10023 / 9800 = 102.2755 %
    assert v("resident_pension", "income_completion") == pytest.approx(100.23, abs=1e-6)
    assert v("resident_pension", "income_completion_initial") == pytest.approx(102.2755, abs=1e-4)
    # 工伤: balance 1055 − 1280 = −225; rolling 560 − 225 = 335; months 335 / (1280 / 12) = 3.140625
    assert v("work_injury", "balance_current") == -225
    assert v("work_injury", "balance_rolling") == 335
    assert v("work_injury", "payable_months") == pytest.approx(3.140625, abs=1e-6)
    # 机关养老: dependency 8120 / 4740 = 1.7131; fiscal dependence 9820 / 31410 = 31.2639 %
    assert v("institution_pension", "dependency_ratio") == pytest.approx(1.7131, abs=1e-4)
    assert v("institution_pension", "fiscal_dependence") == pytest.approx(31.2639, abs=1e-4)
    # 机关养老 basic pension per retiree: 29540.60 万元 × 10000 / 4740 = 62321.94 元/人·年
    assert v("institution_pension", "per_capita_benefit") == pytest.approx(62321.9409, abs=1e-3)
    # all: expenditure 41338.5 vs prior 39051.9: +2286.6, 5.8553 %
    assert v("all", "expenditure_yoy_change") == pytest.approx(2286.6)
    assert v("all", "expenditure_yoy_rate") == pytest.approx(5.8553, abs=1e-4)


def test_synthetic_score_and_risks_by_hand(synthetic):
    sc = synthetic.score
    # execution: 41338.5 / 41700 = 99.1331 % -> 10 × 0.991331 = 9.91
    assert sc.execution_rate == pytest.approx(99.1331, abs=1e-4) and sc.execution_score == 9.91
    # 失业: 980 / 1150 = 85.2174 % against 90%-110% -> 6 × 85.2174 / 90 = 5.68
    unemp = next(r for r in synthetic.indicators if r.indicator.name.startswith("失业"))
    assert unemp.status == "not_met" and unemp.score == pytest.approx(5.68)
    # 工伤 months 3.1 against ≥6 -> 10 × 3.1 / 6 = 5.17
    months = next(r for r in synthetic.indicators if "可支付月数" in r.indicator.name)
    assert months.score == pytest.approx(5.17)
    # 产出 50 − 0.32 = 49.68; 效益 30 − 4.83 = 25.17; 满意度 10; total 9.91 + 84.85 = 94.76 -> 优
    assert sc.group_scores == {"产出指标": 49.68, "效益指标": 25.17, "满意度指标": 10.0}
    assert sc.total == pytest.approx(94.76) and sc.grade == "优"
    rules = {(r.rule, r.fund) for r in synthetic.risks}
    assert ("payable_months_critical", "work_injury") in rules  # 3.14 months
    assert ("current_deficit", "work_injury") in rules  # −225
    assert ("expenditure_completion_deviation", "unemployment") in rules  # 85.22 %
    assert not any(r.rule == "current_deficit" and r.fund != "work_injury" for r in synthetic.risks)
    # 工伤 is contribution-financed: 1050 − 1280 = −230 is 收不抵支
    assert ("income_below_expenditure", "work_injury") in rules


def test_synthetic_financing_models(synthetic):
    v = synthetic.metric_value
    # 机关养老: (21356.4 + 9820) − 30363.5 = 812.9 — contributions alone fall short, with the subsidy not
    assert v("institution_pension", "financing_balance") == pytest.approx(812.9)
    # 居民养老: subsidies are income by design; stated balance 1308
    assert v("resident_pension", "financing_balance") == pytest.approx(1308)
    rules = {(r.rule, r.fund) for r in synthetic.risks}
    assert ("income_below_expenditure", "institution_pension") not in rules
    assert ("income_below_expenditure", "resident_pension") not in rules
    assert ("fiscal_dependence_high", "resident_pension") not in rules  # 64.65 % is the design
    # no 合计 payable months across funds that cannot pay each other's benefits
    assert synthetic.metric("all", "payable_months") is None
    assert not any(r.fund == "all" and r.rule.startswith("payable_months") for r in synthetic.risks)


def test_synthetic_is_internally_consistent(synthetic):
    assert [f.message for f in synthetic.findings if f.severity != "info"] == []
