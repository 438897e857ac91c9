"""Fixtures for the renderers: example datasets and their Evaluation from the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from sifund.core.model import Dataset
from sifund.engine.results import Evaluation
from sifund.ingest import load_dataset

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def evaluate_dataset(ds: Dataset) -> Evaluation:
    """The engine's Evaluation, as ``sifund report`` computes it."""
    from sifund.engine.config import load_config
    from sifund.engine.evaluation import evaluate

    return evaluate(ds, load_config(None))


@pytest.fixture(scope="module", params=example_paths(), ids=lambda p: p.stem)
def example(request: pytest.FixtureRequest) -> tuple[Dataset, Evaluation]:
    ds = load_dataset(request.param)
    return ds, evaluate_dataset(ds)
