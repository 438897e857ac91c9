"""``evaluate()``: everything the engine derives from one Dataset, for renderers and the API.

The shapes it returns live in results.py; computing lives in metrics.py, targets.py, scoring.py,
risks.py and audit.py. ``evaluate()`` is the one entry point; it is pure (no I/O).
"""

from __future__ import annotations

from typing import Any

from sifund.core.model import Dataset
from sifund.engine.audit import audit_dataset
from sifund.engine.config import default_config
from sifund.engine.metrics import compute_metrics
from sifund.engine.results import Evaluation, Metric
from sifund.engine.risks import assess_risks
from sifund.engine.scoring import score_card
from sifund.engine.targets import evaluate_indicator


def evaluate(dataset: Dataset, config: Any = None) -> Evaluation:
    """Metrics → indicator results → score card → risks → audit findings, for one dataset (pure).

    ``config`` is an ``EngineConfig`` (``sifund.engine.config.load_config``); None: the packaged one.
    """
    cfg = config or default_config()
    metrics = compute_metrics(dataset, cfg)
    by_key = {(m.fund, m.code): m for m in metrics}

    def lookup(fund: str, code: str) -> Metric | None:
        return by_key.get((fund, code))

    results = [evaluate_indicator(i, lookup, cfg.metrics.bindings) for i in dataset.indicators]
    card = score_card(results, metrics, cfg)
    return Evaluation(
        dataset=dataset,
        metrics=metrics,
        indicators=results,
        score=card,
        risks=assess_risks(metrics, cfg),
        findings=audit_dataset(dataset),
    )
