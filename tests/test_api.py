"""sifund.api: the one path the CLI and the web app share (load → check → evaluate → render)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sifund import api
from sifund.core.model import Dataset, Figure

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _ds(*figs: tuple[str, str, str, float]) -> Dataset:
    return Dataset(
        region="乙县", year=2023, figures=[Figure(fund=f, item=i, measure=m, value=v) for f, i, m, v in figs]
    )


def test_check_keeps_warnings_and_errors_not_infos() -> None:
    ds = _ds(
        ("unemployment", "expenditure_total", "actual", 980.0),
        ("unemployment", "expenditure_total", "budget", 1150.0),
        ("unemployment", "expenditure_total", "completion_rate", 85.2),  # 85.217…: within rounding
        ("unemployment", "income_total", "actual", 1652.5),
        ("unemployment", "income_total", "prior", 1560.0),
        ("unemployment", "income_total", "yoy_rate", 6.1),  # 5.93: an error-level mismatch
        ("unemployment", "benefits", "actual", 617.0),
        ("unemployment", "unemployment_benefit", "actual", 500.0),  # 其中 parts below the total: info
        ("unemployment", "unemployment_medical", "actual", 90.0),
    )
    from sifund.engine.audit import audit_dataset

    assert "info" in {f.severity for f in audit_dataset(ds)}
    (f,) = api.check(ds, file="x.yaml")
    assert (f.code, f.severity, f.stated, f.computed, f.corrected) == (
        "yoy_rate_mismatch",
        "error",
        6.1,
        5.93,
        True,
    )
    assert f.recomputation == "(1652.5−1560)/1560×100"
    assert (
        f.message
        == "失业保险基金收入同比增减率写作6.1%，按(1652.5−1560)/1560×100应为5.93%（报告中采用复核后的数字）"
    )
    assert f.place == "" and f.file == "x.yaml"  # built in memory: no place to name
    assert f.line().startswith("警告 warning: x.yaml: ")


def test_evaluate_prints_the_recomputation_and_keeps_the_stated_dataset() -> None:
    ds = _ds(
        ("work_injury", "income_total", "actual", 1055.0),
        ("work_injury", "expenditure_total", "actual", 1280.0),
        ("work_injury", "balance_current", "actual", -200.0),  # −225 by income − expenditure
    )
    found = api.check(ds)
    assert [(f.code, f.computed) for f in found] == [("balance_mismatch", -225.0)]
    ev = api.evaluate(ds, findings=found)
    assert ev.metric_value("work_injury", "balance_current") == -225.0
    assert ds.value("work_injury", "balance_current") == -200.0  # kept as stated
    assert [f.code for f in ev.findings] == ["balance_mismatch"]  # audit of the dataset as stated
    assert api.corrections(ev) == found


def test_uncorrectable_disagreement_is_a_warning_but_not_corrected() -> None:
    ds = _ds(
        ("unemployment", "benefits", "actual", 700.0),
        ("unemployment", "expenditure_total", "actual", 600.0),  # its part exceeds it
    )
    (f,) = api.check(ds)
    assert f.code == "sum_exceeds_total" and not f.corrected
    assert api.corrected_dataset(ds, [f]) is ds


def test_load_evaluate_render(tmp_path: Path) -> None:
    loaded = api.load(EXAMPLES / "seven-funds-2023.yaml")
    assert loaded.warnings == [] and loaded.file.endswith("seven-funds-2023.yaml")
    ev = api.evaluate(loaded.dataset, None, loaded.warnings)
    assert api.corrections(ev) == [] and ev.dataset is loaded.dataset
    (p,) = api.render(loaded.dataset, ev, tmp_path, ["txt"])
    assert p.exists() and "示例市" in p.name


@pytest.mark.parametrize(
    ("text", "value"),
    [("12000−11800", 200.0), ("1590/1308×100", 1590 / 1308 * 100), ("14388/(2244/12)", 14388 / (2244 / 12)),
     ("-5+3", -2.0), ("__import__('os')", None), ("1/0", None), ("2**99999", None)],
)  # fmt: skip
def test_arith_reads_only_arithmetic(text: str, value: float | None) -> None:
    got = api._arith(text)
    assert got == (pytest.approx(value) if value is not None else None)
