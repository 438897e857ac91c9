"""Small dataset builders for the engine tests (no corpus text, no sample files)."""

from __future__ import annotations

from typing import Any

from sifund.core.model import Dataset

Fig = tuple  # (fund, item, measure, value[, precision[, extra dict]])


def make(*figs: Fig, indicators: list[dict[str, Any]] | None = None) -> Dataset:
    out = []
    for f in figs:
        fund, item, measure, value, *rest = f
        d: dict[str, Any] = {"fund": fund, "item": item, "measure": measure, "value": value}
        if rest:
            d["precision"] = rest[0]
        if len(rest) > 1:
            d.update(rest[1])
        out.append(d)
    return Dataset(region="测试县", year=2023, figures=out, indicators=indicators or [])
