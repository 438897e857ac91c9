"""Checks a Dataset's schema cannot express: what a user may type but the data cannot mean.

Each check is one predicate returning a message or None, so every reader applies it where it
knows the user's place (a YAML/JSON line and field path, or a sheet!cell).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from sifund.core.codes import codebook
from sifund.core.model import Dataset, Figure
from sifund.engine.config import default_config
from sifund.engine.metrics import known_metrics

LEVEL_MEASURES = ("actual", "prior", "budget", "budget_adjusted", "target")  # not changes, which may be < 0
BUDGET_MEASURES = ("budget", "budget_adjusted")  # the denominators of every completion rate
RATIO_GROUPS = ("income", "expenditure")  # items whose budget divides (completion = actual / budget)


def negative_count(item: str, measure: str, value: float) -> str | None:
    """A head count below zero (a change in head count may be negative)."""
    it = codebook().items[item]
    if it.kind in ("people", "count") and measure in LEVEL_MEASURES and value < 0:
        return f"人数不能为负 negative count {value:g}（{it.name}）"
    return None


def non_positive_budget(item: str, measure: str, value: float) -> str | None:
    """A budget of an income or expenditure line that is not > 0: the completion rate divides by it
    (a budget of 0 leaves the rate undefined, a negative one makes it meaningless). A balance may
    be budgeted below zero (a planned deficit), and nothing divides by it."""
    if measure not in BUDGET_MEASURES or value > 0:
        return None
    it = codebook().items[item]
    if it.group not in RATIO_GROUPS:
        return None
    name = codebook().measures[measure].name
    return (f"{name}应大于0 budget must be > 0: {value:g}（{it.name}；完成率 = 实际数 / 预算数，"
            f"没有预算请删去此项 omit the figure when there is no budget）")  # fmt: skip


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
        if msg := non_positive_budget(f.item, f.measure, f.value):
            yield ("figures", i, "value"), msg
    for i, ind in enumerate(ds.indicators):
        if ind.metric and (msg := unknown_metric(ind.metric)):
            yield ("indicators", i, "metric"), msg


def _statement_key(f: Figure) -> tuple[str, str, str, str | None]:
    return (f.fund, f.item, f.measure, f.basis)


def repeated_figures(ds: Dataset) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], str]]:
    """(path of the repeat, path of the first, message) for a figure given twice.

    Why an error and not only the audit's ``duplicate_conflict``: the engine reads one value per
    (fund, item, measure), so a repeat in an authored dataset is silently dropped — whichever
    value the author meant. A report, though, may state a figure twice, and ``sifund extract``
    then writes it twice, each with its own ``source`` (interchange.md); those repeats are what
    ``sifund audit`` compares, so they pass when every one of them carries a source. One pass
    with a dict: linear in the number of figures.
    """
    first: dict[tuple[str, str, str, str | None], int] = {}
    for i, f in enumerate(ds.figures):
        key = _statement_key(f)
        j = first.setdefault(key, i)
        if j == i or (f.source is not None and ds.figures[j].source is not None):
            continue
        cb = codebook()
        what = f"{cb.funds[f.fund].short}{cb.items[f.item].name}{cb.measures[f.measure].name}"
        yield (
            ("figures", i),
            ("figures", j),
            (f"重复的数据 repeated figure {f.fund}/{f.item}/{f.measure}（{what}）：同一数字只能填一次"),
        )
