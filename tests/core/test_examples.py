"""The bundled example datasets: they load, carry the reports' facts, and the synthetic one adds up."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sifund.core.codes import codebook
from sifund.core.model import Dataset
from sifund.core.numbers import format_percent
from sifund.ingest import load_dataset

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ["korla-2020.yaml", "qitai-2019.yaml", "synthetic-county-2023.yaml"]


def _load(name: str) -> Dataset:
    return load_dataset(EXAMPLES / name)


def _d(x: float) -> Decimal:
    return Decimal(str(x))


@pytest.mark.parametrize("name", NAMES)
def test_example_loads_without_duplicate_keys(name: str) -> None:
    ds = _load(name)
    keys = [f.key for f in ds.figures]
    assert len(keys) == len(set(keys)), "one statement per (fund, item, measure)"
    assert ds.indicators and ds.narrative.goals


@pytest.mark.parametrize(
    ("name", "gold"), [("korla-2020.yaml", "korla-2020"), ("qitai-2019.yaml", "qitai-2019")]
)
def test_corpus_examples_carry_every_gold_fact(corpus: Path, name: str, gold: str) -> None:
    key = yaml.safe_load((corpus / f"{gold}.gold.yaml").read_text(encoding="utf-8"))
    ds = _load(name)
    assert (ds.region, ds.year) == (key["region"], key["year"])
    missing = []
    for fact in key["facts"]:
        items = [fact["item"], *fact.get("alt_items", [])]
        if not any(ds.value(fact["fund"], i, fact["measure"]) == fact["value"] for i in items):
            missing.append(fact)
    assert missing == []
    assert all(f.precision is not None for f in ds.figures), "printed figures keep their precision"


def test_korla_carries_the_self_evaluation_table(corpus: Path) -> None:
    key = yaml.safe_load((corpus / "korla-2020.gold.yaml").read_text(encoding="utf-8"))
    rows = _load("korla-2020.yaml").indicators
    for want in key["indicators"]:
        assert any(
            want["name"] in r.name and (r.target, r.actual) == (want["target"], want["actual"]) for r in rows
        )
    assert len(rows) == 14
    assert {r.level1 for r in rows} == {"项目完成指标", "项目效益指标", "满意度指标"}


# ---- the synthetic county adds up exactly -----------------------------------------------


@pytest.fixture(scope="module")
def county() -> Dataset:
    return _load("synthetic-county-2023.yaml")


def _by(ds: Dataset) -> dict[tuple[str, str], dict[str, Decimal]]:
    out: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for f in ds.figures:
        out[(f.fund, f.measure)][f.item] = _d(f.value)
    return out


def test_county_funds(county: Dataset) -> None:
    assert set(county.funds()) >= {
        "all",
        "institution_pension",
        "resident_pension",
        "work_injury",
        "unemployment",
    }


@pytest.mark.parametrize("total", ["income_total", "expenditure_total", "benefits"])
def test_county_components_sum_to_totals(county: Dataset, total: str) -> None:
    cb = codebook()
    for (fund, measure), vals in _by(county).items():
        if total not in vals or fund == "all":
            continue
        parts = [vals[c] for c in cb.children(total) if c in vals]
        if measure == "actual":  # actual accounts list every part
            assert sum(parts) == vals[total], (fund, total)
        else:  # budgets and prior years list some parts ("其中")
            assert sum(parts, Decimal(0)) <= vals[total], (fund, measure, total)


def test_county_balances(county: Dataset) -> None:
    by = _by(county)
    for fund in county.funds():
        for measure in ("actual", "prior"):
            v = by[(fund, measure)]
            assert v["balance_current"] == v["income_total"] - v["expenditure_total"], (fund, measure)
        assert by[(fund, "actual")]["balance_rolling"] == (
            by[(fund, "prior")]["balance_rolling"] + by[(fund, "actual")]["balance_current"]
        ), fund


def test_county_all_is_the_sum_of_funds(county: Dataset) -> None:
    by = _by(county)
    funds = [f for f in county.funds() if f != "all"]
    for measure in ("actual", "budget", "prior"):
        for item, value in by[("all", measure)].items():
            assert value == sum(by[(f, measure)].get(item, Decimal(0)) for f in funds), (item, measure)


def test_county_people_and_yoy_inputs(county: Dataset) -> None:
    for fund in ("institution_pension", "resident_pension", "work_injury", "unemployment"):
        for item in ("income_total", "expenditure_total", "insured"):
            assert county.value(fund, item, "prior") is not None, (fund, item)
    assert county.value("institution_pension", "retirees", "prior") is not None
    assert county.value("institution_pension", "contributors") is not None
    assert any(f.measure == "budget_adjusted" for f in county.figures)


def test_county_has_a_fund_at_risk(county: Dataset) -> None:
    wi = "work_injury"
    expenditure = _d(county.value(wi, "expenditure_total"))
    assert _d(county.value(wi, "contribution")) < expenditure
    assert _d(county.value(wi, "balance_rolling")) / (expenditure / 12) < 6  # months of payment capacity


def test_county_indicators(county: Dataset) -> None:
    rows = county.indicators
    assert 10 <= len(rows) <= 14
    assert {r.level1 for r in rows} == {"产出指标", "效益指标", "满意度指标"}
    assert sum(r.weight or 0 for r in rows) == 90  # + 10 for 预算执行率 = 100
    assert any(r.reason for r in rows)
    targets = {r.target for r in rows}
    for t in ("≥99%", "≥95%或≤105%", "90%-110%", "≤1%", "≥5000人", "每季度结束后的5日内", ">90%"):
        assert t in targets


def test_county_metric_bound_actuals_match_the_data(county: Dataset) -> None:
    """A completion-rate indicator's stated actual is what its metric computes from the figures."""
    item = {"expenditure_completion": "expenditure_total", "income_completion": "income_total"}
    bound = [r for r in county.indicators if r.metric]
    assert {r.metric for r in bound} == set(item)
    for r in bound:
        actual = _d(county.value(r.fund, item[r.metric]))
        budget = _d(county.value(r.fund, item[r.metric], "budget"))
        assert r.actual == format_percent(actual / budget * 100), r.name
