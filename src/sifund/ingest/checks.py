"""Checks a Dataset's schema cannot express: what a user may type but the data cannot mean.

Each check is one predicate returning a message or None, so every reader applies it where it
knows the user's place (a YAML/JSON line and field path, or a sheet!cell).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from sifund.core.codes import codebook
from sifund.core.model import Dataset
from sifund.engine.config import default_config
from sifund.engine.metrics import known_metrics

LEVEL_MEASURES = ("actual", "prior", "budget", "budget_adjusted", "target")  # not changes, which may be < 0


def negative_count(item: str, measure: str, value: float) -> str | None:
    """A head count below zero (a change in head count may be negative)."""
    it = codebook().items[item]
    if it.kind in ("people", "count") and measure in LEVEL_MEASURES and value < 0:
        return f"人数不能为负 negative count {value:g}（{it.name}）"
    return None


@cache
def _metrics() -> frozenset[str]:
    return frozenset(known_metrics(default_config()))


def unknown_metric(code: str) -> str | None:
    """An indicator bound to a metric the engine never computes (a typo would silently unbind it)."""
    metrics = _metrics()
    if code in metrics:
        return None
    near = sorted(m for m in metrics if m.split("_")[0] == code.split("_")[0])[:4]
    hint = f"（相近的有 {'、'.join(near)}）" if near else "（可用代码见 evaluate --format json 的 metrics）"
    return f"未知计算指标 unknown metric {code!r}{hint}"


def dataset_problems(ds: Dataset) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(field path, message) for every problem, for readers that locate a path (YAML/JSON)."""
    for i, f in enumerate(ds.figures):
        if msg := negative_count(f.item, f.measure, f.value):
            yield ("figures", i, "value"), msg
    for i, ind in enumerate(ds.indicators):
        if ind.metric and (msg := unknown_metric(ind.metric)):
            yield ("indicators", i, "metric"), msg
