"""Every chart is referred to in the text before it appears, with the number of its caption.

A chart nobody refers to reads as decoration; a "见图3" whose caption says 图2 (a dataset without
budgets has no completion chart) sends the reviewer to the wrong picture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sifund.engine.evaluation import evaluate
from sifund.ingest import load_dataset
from sifund.render.blocks import Chart, Para
from sifund.render.report import build_blocks

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", ["synthetic-county-2023.yaml", "seven-funds-2023.yaml"])
def test_each_chart_follows_a_sentence_that_names_its_number(name: str) -> None:
    blocks = build_blocks(evaluate(load_dataset(EXAMPLES / name)))
    charts = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Chart)]
    assert charts
    for i, chart in charts:
        number = re.match(r"图\d+", chart.title)
        assert number, chart.title
        before = [b.text for b in blocks[:i] if isinstance(b, Para)]
        assert any(f"见{number.group()}" in t for t in before[-1:]), (chart.title, before[-1:])


def test_without_budgets_the_charts_are_numbered_by_what_exists() -> None:
    ds = load_dataset(EXAMPLES / "synthetic-county-2023.yaml")
    kept = [f for f in ds.figures if f.measure not in ("budget", "budget_adjusted")]
    ds = ds.model_copy(update={"figures": kept})
    blocks = build_blocks(evaluate(ds))
    titles = [b.title for b in blocks if isinstance(b, Chart)]
    text = "".join(b.text for b in blocks if isinstance(b, Para))
    assert [t[:2] for t in titles] == [f"图{n}" for n in range(1, len(titles) + 1)]
    assert f"见图{len(titles) + 1}" not in text
