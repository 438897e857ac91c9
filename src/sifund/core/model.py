"""The domain model: Figure, Indicator, Dataset — the interchange shape of interchange.md.

Money is in 万元, people in 人, rates in percent. A figure's ``precision`` is the unit of its
last printed digit (None: exact, as typed into a template), which the audit turns into an
interval. Internal code may add fields; the interchange fields are never renamed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sifund.core.codes import codebook

SCHEMA = "sifund.dataset/1"


class Source(BaseModel):
    """Where a figure came from: offsets into the extracted text, or a sheet!cell, or a line."""

    model_config = ConfigDict(extra="allow")
    start: int = 0
    end: int = 0
    text: str = ""
    file: str | None = None
    place: str | None = None  # "基金收支!E12", "line 14"


class Figure(BaseModel):
    model_config = ConfigDict(extra="allow")
    fund: str
    item: str
    measure: str = "actual"
    value: float
    precision: float | None = None
    unit: str | None = None  # unit as printed (亿元, 元, 人); value is always canonical
    basis: str | None = None  # e.g. budget basis for a completion rate: "budget" / "budget_adjusted"
    source: Source | None = None

    @field_validator("fund")
    @classmethod
    def _fund(cls, v: str) -> str:
        if v not in codebook().funds:
            raise ValueError(f"未知基金代码 unknown fund code {v!r}")
        return v

    @field_validator("item")
    @classmethod
    def _item(cls, v: str) -> str:
        if v not in codebook().items:
            raise ValueError(f"未知项目代码 unknown item code {v!r}")
        return v

    @field_validator("measure")
    @classmethod
    def _measure(cls, v: str) -> str:
        if v not in codebook().measures:
            raise ValueError(f"未知口径代码 unknown measure code {v!r}")
        return v

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.fund, self.item, self.measure)


class Indicator(BaseModel):
    """One 三级指标 row of the 自评表."""

    model_config = ConfigDict(extra="allow")
    level1: str = ""
    level2: str = ""
    name: str
    target: str = ""
    actual: str = ""
    fund: str | None = None
    weight: float | None = None
    metric: str | None = None  # binds the indicator to a computed metric, e.g. "expenditure_completion"
    judgement: Literal["full", "partial", "zero"] | None = None  # for qualitative indicators
    reason: str = ""  # 偏差原因分析及改进措施
    source: Source | None = None

    @field_validator("fund")
    @classmethod
    def _fund(cls, v: str | None) -> str | None:
        if v is not None and v not in codebook().funds:
            raise ValueError(f"未知基金代码 unknown fund code {v!r}")
        return v


class Narrative(BaseModel):
    """Free-text parts of the report, written by the agency (never generated numbers)."""

    model_config = ConfigDict(extra="allow")
    goals: str = ""  # 年度总体目标
    achievements: str = ""  # 总体目标实际完成情况
    management: str = ""  # 组织实施情况
    reasons: str = ""  # 未完成原因分析
    problems: str = ""  # 存在问题
    plans: str = ""  # 下一步计划
    experience: str = ""  # 主要经验及做法
    other: str = ""


class Dataset(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    schema_: str = Field(SCHEMA, alias="schema")
    region: str
    region_level: Literal["county", "city", "prefecture", "province", "other"] = "county"
    year: int = Field(ge=1990, le=2100)  # required: a missing year is reported at `year`
    unit: Literal["万元"] = "万元"
    agency: str = ""  # 实施单位
    department: str = ""  # 主管部门
    project: str = ""  # 项目名称
    figures: list[Figure] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    narrative: Narrative = Field(default_factory=Narrative)

    @field_validator("schema_")
    @classmethod
    def _schema(cls, v: str) -> str:
        if v != SCHEMA:
            raise ValueError(f"schema 应为 {SCHEMA!r}，而不是 {v!r}")
        return v

    def funds(self) -> list[str]:
        """Funds present, in the code list's order."""
        from sifund.core.codes import FUND_ORDER

        present = {f.fund for f in self.figures}
        return [c for c in FUND_ORDER if c in present]

    def get(self, fund: str, item: str, measure: str = "actual") -> Figure | None:
        """The first figure with this key (a report may state one twice; see the audit)."""
        for f in self.figures:
            if f.fund == fund and f.item == item and f.measure == measure:
                return f
        return None

    def value(self, fund: str, item: str, measure: str = "actual") -> float | None:
        f = self.get(fund, item, measure)
        return None if f is None else f.value

    def to_interchange(self) -> dict[str, Any]:
        """The JSON shape of interchange.md (schema first, no None fields)."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")
