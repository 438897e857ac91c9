"""Fixtures for the renderers: example datasets and their Evaluation from the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from sifund.core.model import Dataset
from sifund.engine.evaluation import Evaluation
from sifund.ingest import load_dataset

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def evaluate_dataset(ds: Dataset) -> Evaluation:
    """The engine's Evaluation (``evaluate(ds, load_config(None))``); metrics only until it lands."""
    from sifund.engine import evaluation
    from sifund.engine.config import load_config

    if hasattr(evaluation, "evaluate"):
        return evaluation.evaluate(ds, load_config(None))
    from sifund.engine.metrics import compute_metrics  # pragma: no cover - transitional

    return Evaluation(dataset=ds, metrics=compute_metrics(ds))


@pytest.fixture(params=example_paths(), ids=lambda p: p.stem)
def example(request: pytest.FixtureRequest) -> tuple[Dataset, Evaluation]:
    ds = load_dataset(request.param)
    return ds, evaluate_dataset(ds)
