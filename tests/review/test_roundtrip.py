"""Round trip: a plain-text report rendered from an example dataset gives its figures back."""

from __future__ import annotations

import pytest
from tests.conftest import EXAMPLES

from sifund.core.model import Dataset
from sifund.review.extract import extract_text


def _render(ds: Dataset) -> str:
    from sifund.engine.config import load_config
    from sifund.engine.evaluation import evaluate
    from sifund.render.report import render_text

    return render_text(evaluate(ds, load_config(None)))


@pytest.fixture(scope="module")
def roundtrip() -> tuple[Dataset, Dataset]:
    from sifund.ingest import load_dataset

    ds = load_dataset(EXAMPLES / "synthetic-county-2023.yaml")
    return ds, extract_text(_render(ds)).dataset


def test_header_comes_back(roundtrip: tuple[Dataset, Dataset]) -> None:
    ds, got = roundtrip
    assert (got.region, got.year) == (ds.region, ds.year)


def test_every_stated_actual_comes_back_exactly(roundtrip: tuple[Dataset, Dataset]) -> None:
    ds, got = roundtrip
    back: dict[tuple[str, str, str], list[float]] = {}
    for f in got.figures:
        back.setdefault(f.key, []).append(f.value)
    missing = [f.key for f in ds.figures if f.measure == "actual" and f.key not in back]
    assert not missing
    wrong = [(f.key, f.value, back[f.key]) for f in ds.figures
             if f.key in back and not any(abs(v - f.value) < 1e-6 for v in back[f.key])]
    assert not wrong


def test_text_built_from_figures_round_trips() -> None:
    """Independent of the renderer: sentences of the genre built from a Dataset in the test."""
    ds = Dataset(region="示例县", year=2022, figures=[
        {"fund": "work_injury", "item": "income_total", "value": 1186.5},
        {"fund": "work_injury", "item": "contribution", "value": 1050.25},
        {"fund": "work_injury", "item": "expenditure_total", "value": 1049},
        {"fund": "work_injury", "item": "expenditure_total", "measure": "budget", "value": 1654},
        {"fund": "unemployment", "item": "income_total", "value": 1601},
        {"fund": "unemployment", "item": "balance_rolling", "value": 105.7},
    ])
    names = {"work_injury": "工伤保险基金", "unemployment": "失业保险基金"}
    labels = {"income_total": "总收入", "contribution": "保险费收入", "expenditure_total": "总支出",
              "balance_rolling": "累计结余"}
    lines = [f"{ds.region}社会保险基金支出预算绩效自评报告（{ds.year}年度）"]
    for fund, name in names.items():
        parts = [f"{'预算' if f.measure == 'budget' else ''}{labels[f.item]}{f.value:g}万元"
                 for f in ds.figures if f.fund == fund]
        lines.append(f"{ds.year}年{name}" + "，".join(parts) + "。")
    got = extract_text("\n".join(lines) + "\n").dataset
    assert sorted((f.key, f.value) for f in got.figures) == sorted((f.key, f.value) for f in ds.figures)
