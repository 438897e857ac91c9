"""The engine on hostile input: a --config with NaN, infinities, wrong types or too many bytes is
one clear error naming the line; and any dataset that passed validation evaluates and audits
without raising, to finite numbers only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.engine.audit import audit_dataset
from sifund.engine.config import load_config
from sifund.engine.evaluation import evaluate
from sifund.ingest.datafile import parse_dataset

RULE = "risks:\n  - {id: %s, level: 高, when: {metric: payable_months, op: '<', value: %s}, message: m}\n"


@pytest.mark.parametrize(
    ("text", "place", "word"),
    [
        (RULE % ("[a, b]", "3"), "line 2, risks.0.id", "string"),
        (RULE % ("x", ".nan"), "line 2", "finite"),
        (RULE % ("x", ".inf"), "line 2", "finite"),
        ("scoring:\n  execution:\n    weight: .inf\n", "line 3", "finite"),
        ("scoring:\n  groups: {产出指标: -.inf}\n", "line 2", "finite"),
        ("scoring:\n  decimals: 100000000000000000000000000000000000000\n", "line 2", "integer too long"),
        ("scoring:\n  decimals: 2\n  decimals: 3\n", "line 3", "duplicate key"),
        ("scoring:\n" + "  " * 0 + "a: " + "[" * 100 + "]" * 100 + "\n", "line 2", "nesting"),
    ],
)
def test_bad_number_or_shape_in_a_config_names_the_line(tmp_path: Path, text: str, place: str, word: str):
    p = tmp_path / "c.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SifundError) as e:
        load_config(p)
    (problem,) = e.value.problems
    assert problem.file == str(p) and problem.place.startswith(place), problem
    assert word in problem.message, problem


def test_a_config_larger_than_the_limit_is_refused_before_reading(tmp_path: Path):
    p = tmp_path / "big.yaml"
    p.write_text("# " + "x" * (2 * 2**20) + "\n", encoding="utf-8")
    with pytest.raises(SifundError, match="文件过大"):
        load_config(p)


def test_a_config_that_is_a_directory_is_one_clear_line(tmp_path: Path):
    d = tmp_path / "c.yaml"
    d.mkdir()
    with pytest.raises(SifundError, match="目录"):
        load_config(d)


# ---- any valid dataset: evaluate + audit never raise, and every number is finite ---------------

FUNDS = ["all", "enterprise_pension", "unemployment", "work_injury"]
ITEMS = ["income_total", "contribution", "fiscal_subsidy", "expenditure_total", "benefits", "basic_pension",
         "balance_current", "balance_rolling", "payable_months", "retirees", "contributors",
         "insured"]  # fmt: skip
MEASURES = ["actual", "prior", "budget", "budget_adjusted", "yoy_change", "yoy_rate", "completion_rate"]
EXTREME = [0.0, 1e-9, -1e-9, 1e-6, 0.01, 1.0, 3.0, 99.99, 100.0, 1e6, 1e12, -1e12, 123456.789]
values = st.one_of(
    st.sampled_from(EXTREME),
    st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False).filter(lambda v: v == 0 or abs(v) >= 1e-9),
)
precisions = st.one_of(st.none(), st.sampled_from([1e-9, 0.01, 0.1, 1.0, 100.0, 1e12]))


def _valid(fig: dict) -> dict:
    """Bend a drawn figure into what validation allows: budgets > 0, head counts ≥ 0."""
    it = codebook().items[fig["item"]]
    if fig["measure"] in ("budget", "budget_adjusted") and it.group in ("income", "expenditure"):
        fig["value"] = abs(fig["value"]) or 1e-9
    if it.kind == "people" and fig["measure"] in ("actual", "prior", "budget", "budget_adjusted"):
        fig["value"] = abs(fig["value"])
    return fig


@st.composite
def datasets(draw: st.DrawFn) -> dict:
    figures = []
    for n in range(draw(st.integers(0, 40))):
        fig = {"fund": draw(st.sampled_from(FUNDS)), "item": draw(st.sampled_from(ITEMS)),
               "measure": draw(st.sampled_from(MEASURES)), "value": draw(values)}  # fmt: skip
        if (p := draw(precisions)) is not None:
            fig["precision"] = p
        if draw(st.booleans()):
            fig["basis"] = draw(st.sampled_from(["budget", "budget_adjusted"]))
        # an extracted statement carries its source, and then a key may repeat (the audit compares)
        fig["source"] = {"start": n, "end": n + 1, "text": "x"}
        figures.append(_valid(fig))
    indicators = [
        {"level1": draw(st.sampled_from(["产出指标", "效益指标", "满意度指标", "其他"])), "name": f"i{i}",
         "target": draw(st.sampled_from(["≥95%", "≤1%", "100%", ">0", "按时足额"])),
         "actual": draw(st.sampled_from(["97%", "0", "1e12", "", "按时足额"])),
         "weight": draw(st.one_of(st.none(), st.sampled_from([0.0, 1e-9, 5.0, 1e12]))),
         "metric": draw(st.one_of(st.none(), st.sampled_from(["expenditure_completion", "payable_months"])))}
        for i in range(draw(st.integers(0, 6)))
    ]  # fmt: skip
    return {"region": "测试县", "year": 2023, "figures": figures, "indicators": indicators}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_engine_never_raises_on_a_validated_dataset(data: dict):
    ds = parse_dataset(data, "h.yaml", allow_repeats=False)  # drawn valid: this must not raise
    ev = evaluate(ds)
    json.dumps(ev.to_json(), allow_nan=False)  # ValueError on any NaN or infinity
    json.dumps([f.model_dump(mode="json") for f in audit_dataset(ds)], allow_nan=False)


def test_extreme_but_allowed_values_evaluate_to_finite_numbers():
    """The corners the hypothesis search may miss: the largest value over the smallest one."""
    cb = codebook()
    assert "unemployment" in cb.funds
    figs = [
        {"fund": "unemployment", "item": "expenditure_total", "value": 1e12, "precision": 1e-9},
        {"fund": "unemployment", "item": "expenditure_total", "measure": "budget", "value": 1e-9},
        {"fund": "unemployment", "item": "expenditure_total", "measure": "prior", "value": 1e-9},
        {"fund": "unemployment", "item": "expenditure_total", "measure": "completion_rate", "value": 1e12},
        {"fund": "unemployment", "item": "balance_rolling", "value": 1e12},
        {"fund": "unemployment", "item": "benefits", "value": 1e-9},
        {"fund": "unemployment", "item": "benefits", "measure": "prior", "value": 1e12},
        {"fund": "unemployment", "item": "retirees", "value": 1e-9},
        {"fund": "unemployment", "item": "retirees", "measure": "prior", "value": 1e-9},
        {"fund": "unemployment", "item": "contributors", "value": 1e12},
        {"fund": "unemployment", "item": "payable_months", "value": 1e-9},
    ]
    ds = parse_dataset({"region": "x", "year": 2023, "figures": figs}, "x.yaml", allow_repeats=False)
    out = json.dumps(evaluate(ds).to_json(), allow_nan=False)
    assert "Infinity" not in out and "NaN" not in out
