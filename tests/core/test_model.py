"""The Dataset model: validation, look-ups, and the interchange round trip through YAML and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from sifund.core.model import SCHEMA, Dataset, Figure, Indicator
from sifund.ingest.datafile import dump_dataset, load_datafile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _dataset() -> Dataset:
    return Dataset.model_validate(
        {
            "schema": SCHEMA,
            "region": "测试县",
            "year": 2023,
            "figures": [
                {"fund": "unemployment", "item": "expenditure_total", "value": 1590, "precision": 1},
                {"fund": "institution_pension", "item": "income_total", "value": 25448},
                {"fund": "unemployment", "item": "expenditure_total", "measure": "budget", "value": 1308},
                {"fund": "unemployment", "item": "expenditure_total", "value": 1591},  # stated twice
                {
                    "fund": "unemployment",
                    "item": "expenditure_total",
                    "measure": "completion_rate",
                    "value": 121.4,
                    "precision": 0.1,
                    "note": "extra fields survive",
                    "source": {"start": 10, "end": 30, "text": "完成全年预算1308万元的121.4%"},
                },
            ],
            "indicators": [
                {
                    "level1": "产出指标",
                    "level2": "数量指标",
                    "name": "基金支出预算完成率",
                    "target": "≥95%",
                    "actual": "121.4%",
                    "fund": "unemployment",
                    "metric": "expenditure_completion",
                    "weight": 10,
                },
            ],
            "narrative": {"goals": "按时足额发放待遇"},
        }
    )


def test_get_and_value() -> None:
    ds = _dataset()
    assert ds.value("unemployment", "expenditure_total") == 1590  # the first statement
    assert ds.value("unemployment", "expenditure_total", "budget") == 1308
    assert ds.get("unemployment", "expenditure_total", "completion_rate").precision == 0.1
    assert ds.get("unemployment", "income_total") is None
    assert ds.value("work_injury", "expenditure_total") is None
    assert ds.figures[0].key == ("unemployment", "expenditure_total", "actual")


def test_funds_in_code_list_order() -> None:
    assert _dataset().funds() == ["institution_pension", "unemployment"]


def test_defaults() -> None:
    ds = Dataset(region="x", year=2024)
    assert (ds.unit, ds.region_level, ds.figures, ds.narrative.goals) == ("万元", "county", [], "")
    assert Figure(fund="all", item="income_total", value=1).measure == "actual"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("fund", "pension", "unknown fund code"),
        ("item", "income", "unknown item code"),
        ("measure", "estimate", "unknown measure code"),
    ],
)
def test_figure_rejects_unknown_codes(field: str, value: str, words: str) -> None:
    data = {"fund": "all", "item": "income_total", "measure": "actual", "value": 1, field: value}
    with pytest.raises(ValidationError, match=words):
        Figure.model_validate(data)


@pytest.mark.parametrize(
    "bad",
    [
        {"region": "x"},  # no year
        {"region": "x", "year": 1899},
        {"region": "x", "year": 2023, "schema": "sifund.dataset/2"},
        {"region": "x", "year": 2023, "unit": "元"},
        {"region": "x", "year": 2023, "region_level": "village"},
        {"year": 2023},
    ],
)
def test_dataset_rejects(bad: dict) -> None:
    with pytest.raises(ValidationError):
        Dataset.model_validate(bad)


def test_missing_year_is_reported_at_year() -> None:
    with pytest.raises(ValidationError) as e:
        Dataset.model_validate({"region": "x"})
    assert [err["loc"] for err in e.value.errors()] == [("year",)]


def test_indicator_rejects_unknown_fund_and_judgement() -> None:
    with pytest.raises(ValidationError, match="unknown fund code"):
        Indicator(name="n", fund="nope")
    with pytest.raises(ValidationError):
        Indicator.model_validate({"name": "n", "judgement": "great"})


def test_to_interchange_shape() -> None:
    out = _dataset().to_interchange()
    assert next(iter(out)) == "schema" and out["schema"] == SCHEMA
    assert out["unit"] == "万元"
    fig = out["figures"][0]
    assert fig == {
        "fund": "unemployment",
        "item": "expenditure_total",
        "measure": "actual",
        "value": 1590,
        "precision": 1,
    }
    assert "source" not in fig  # no None fields
    assert out["figures"][4]["source"]["text"] == "完成全年预算1308万元的121.4%"
    assert out["figures"][4]["note"] == "extra fields survive"
    json.dumps(out, ensure_ascii=False)  # plain JSON types only


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip_through_files(tmp_path: Path, suffix: str) -> None:
    ds = _dataset()
    path = tmp_path / f"ds{suffix}"
    dump_dataset(ds, path)
    text = path.read_text(encoding="utf-8")
    assert "测试县" in text  # written as readable Chinese, not \u escapes
    parsed = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    assert parsed == ds.to_interchange()
    back = load_datafile(path)
    assert back == ds
    assert back.to_interchange() == ds.to_interchange()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind


@pytest.mark.parametrize("name", ["korla-2020.yaml", "qitai-2019.yaml", "synthetic-county-2023.yaml"])
def test_examples_round_trip_as_json(tmp_path: Path, name: str) -> None:
    ds = load_datafile(EXAMPLES / name)
    dump_dataset(ds, tmp_path / "x.json")
    assert load_datafile(tmp_path / "x.json").to_interchange() == ds.to_interchange()
