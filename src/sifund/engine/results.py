"""The engine's result shapes: what ``evaluate()`` returns, for renderers and the API.

Shapes only, in a module of their own, so that the modules that compute them (metrics.py,
targets.py, scoring.py, risks.py) and the renderers can import them without importing
``evaluation.py``, which imports those modules in turn.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sifund.core.model import Dataset, Indicator
from sifund.engine.findings import Finding

Status = Literal["met", "not_met", "partly_met", "unknown"]


class Metric(BaseModel):
    """One computed figure, with the formula and inputs that show how it was computed."""

    model_config = ConfigDict(extra="allow")
    fund: str
    code: str  # e.g. "expenditure_completion", "income_yoy_rate", "payable_months"
    name: str  # 中文名: 基金支出预算完成率
    value: float | None
    unit: str  # "%", "万元", "个月", "人", "元", ""
    formula: str = ""  # "38429 / 39617 × 100"
    inputs: dict[str, float] = Field(default_factory=dict)
    note: str = ""  # why it is None, which basis was used …


class IndicatorResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    indicator: Indicator
    status: Status
    why: str = ""  # how the judgement was reached, or why it cannot be judged
    actual_value: float | None = None  # numeric actual used (from a metric or the stated actual)
    actual_from: str = ""  # "metric:expenditure_completion" | "stated"
    weight: float = 0.0
    score: float = 0.0
    lost_reason: str = ""  # 偏差原因 (from the data, or a placeholder for the user to fill)


class ScoreCard(BaseModel):
    model_config = ConfigDict(extra="allow")
    execution_rate: float | None = None  # percent
    execution_weight: float = 10.0
    execution_score: float = 0.0
    group_weights: dict[str, float] = Field(default_factory=dict)
    group_scores: dict[str, float] = Field(default_factory=dict)
    total: float = 0.0
    grade: str = ""  # 优 / 良 / 中 / 差
    max_total: float = 100.0  # below 100 only when groups are dropped or given weights do not add up
    execution_note: str = ""  # which budget basis / funds, or why the rate is missing
    lost: list[dict[str, Any]] = Field(default_factory=list)  # {item, points, reason} per lost point
    notes: list[str] = Field(default_factory=list)  # redistribution of weights and the like


class Risk(BaseModel):
    model_config = ConfigDict(extra="allow")
    rule: str  # rule id from risks.yaml
    level: Literal["高", "中", "低"]
    fund: str
    message: str  # rendered with values
    values: dict[str, float | None] = Field(default_factory=dict)


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="allow")
    dataset: Dataset
    metrics: list[Metric] = Field(default_factory=list)
    indicators: list[IndicatorResult] = Field(default_factory=list)
    score: ScoreCard = Field(default_factory=ScoreCard)
    risks: list[Risk] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    def metric(self, fund: str, code: str) -> Metric | None:
        return next((m for m in self.metrics if m.fund == fund and m.code == code), None)

    def metric_value(self, fund: str, code: str) -> float | None:
        m = self.metric(fund, code)
        return None if m is None else m.value

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "sifund.evaluation/1",
            "region": self.dataset.region,
            "year": self.dataset.year,
            "metrics": [m.model_dump(mode="json") for m in self.metrics],
            "indicators": [r.model_dump(mode="json", exclude_none=True) for r in self.indicators],
            "score": self.score.model_dump(mode="json"),
            "risks": [r.model_dump(mode="json") for r in self.risks],
            "findings": [f.model_dump(mode="json", exclude_none=True) for f in self.findings],
        }
