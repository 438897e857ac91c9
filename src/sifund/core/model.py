"""The domain model: Figure, Indicator, Dataset — the interchange shape of interchange.md.

Money is in 万元, people in 人, rates in percent. A figure's ``precision`` is the unit of its
last printed digit (None: exact, as typed into a template), which the audit turns into an
interval. Internal code may add fields; the interchange fields are never renamed.
"""

from __future__ import annotations

import math
import re
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    field_validator,
    model_validator,
)

from sifund.core.codes import codebook
from sifund.core.limits import DatasetLimits, limits

SCHEMA = "sifund.dataset/1"

# Characters XML 1.0 can carry (DOCX/XLSX are XML): tab, newline, carriage return and the printable
# planes. NUL, other C0 controls, lone surrogates and U+FFFE/FFFF pass a YAML string but crash the
# writer of every report, so they are refused here, where the field is still known.
# Written as the characters refused, not as "anything but" the allowed planes: the same sets over all
# of U+0000–U+10FFFF, but compiling the negated form of the planes took 20 ms of every start-up.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_NAME = re.compile(r"[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


# The limits in force while one Dataset validates: looked up once per dataset, not once per field
# (``limits()`` reads the environment, ~10 µs; 50,000 figures have 150,000 checked fields).
_ACTIVE: ContextVar[DatasetLimits | None] = ContextVar("sifund_dataset_limits", default=None)


def _lim() -> DatasetLimits:
    return _ACTIVE.get() or limits().dataset


def _bad_char(m: re.Match[str]) -> str:
    return f"含有控制字符 U+{ord(m.group()):04X}（第 {m.start() + 1} 个字符） (control character not allowed)"


def _text(v: str) -> str:
    """Free text (narrative, indicator cells, sources): bounded, and writable into DOCX/XLSX."""
    cap = _lim().max_text_chars
    if len(v) > cap:
        raise ValueError(f"文本过长（{len(v):,} 个字符，上限 {cap:,}） (text too long; limit {cap:,})")
    if m := _NOT_XML.search(v):
        raise ValueError(_bad_char(m))
    return v


def _name(v: str) -> str:
    """A name (region, agency, department, project, unit): one line, short. It becomes part of a file
    name and of the DOCX core properties, which hold at most 255 characters."""
    cap = _lim().max_name_chars
    if len(v) > cap:
        raise ValueError(f"名称过长（{len(v)} 个字符，上限 {cap}） (name too long; limit {cap})")
    if m := _NOT_NAME.search(v):
        raise ValueError(_bad_char(m))
    return v


def _number(v: float) -> float:
    """A stated number: finite, at most max_abs_value in size, and 0 or at least min_abs_value.

    Why both bounds: 1e308 or a 5000-digit number is a typo or an attack, and every ratio of a
    huge by a tiny value must stay a finite float through the engine (1e12 / 1e-9 × 100 is fine;
    1e12 / 5e-324 is infinity)."""
    lim = _lim()
    if not math.isfinite(v):
        raise ValueError(f"不是有限数 not a finite number: {v!r}")
    if abs(v) > lim.max_abs_value:
        raise ValueError(f"数值超出范围 value out of range: {v:g}（绝对值上限 {lim.max_abs_value:g}）")
    if v and abs(v) < lim.min_abs_value:
        raise ValueError(f"数值过小 value too small: {v:g}（非零值的绝对值下限 {lim.min_abs_value:g}）")
    return v


def _precision(v: float) -> float:
    """The unit of the last printed digit: a positive number (0.01, 1, 100)."""
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"精度应为正数 precision must be > 0: {v!r}")
    return _number(v)


def _weight(v: float) -> float:
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"权重应为非负有限数 weight must be finite and ≥ 0: {v!r}")
    return _number(v)


Text = Annotated[str, AfterValidator(_text)]
Name = Annotated[str, AfterValidator(_name)]
Number = Annotated[float, AfterValidator(_number)]
Precision = Annotated[float, AfterValidator(_precision)]
Weight = Annotated[float, AfterValidator(_weight)]
_CONFIG = ConfigDict(extra="allow", allow_inf_nan=False)


class Source(BaseModel):
    """Where a figure came from: offsets into the extracted text, or a sheet!cell, or a line."""

    model_config = _CONFIG
    start: int = 0
    end: int = 0
    text: Text = ""
    file: Text | None = None
    place: Text | None = None  # "基金收支!E12", "line 14"


class Figure(BaseModel):
    model_config = _CONFIG
    fund: str
    item: str
    measure: str = "actual"
    value: Number
    precision: Precision | None = None
    unit: Name | None = None  # unit as printed (亿元, 元, 人); value is always canonical
    basis: Name | None = None  # e.g. budget basis for a completion rate: "budget" / "budget_adjusted"
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

    model_config = _CONFIG
    level1: Text = ""
    level2: Text = ""
    name: Text
    target: Text = ""
    actual: Text = ""
    fund: str | None = None
    weight: Weight | None = None
    metric: Name | None = None  # binds the indicator to a computed metric, e.g. "expenditure_completion"
    judgement: Literal["full", "partial", "zero"] | None = None  # for qualitative indicators
    reason: Text = ""  # 偏差原因分析及改进措施
    source: Source | None = None

    @field_validator("fund")
    @classmethod
    def _fund(cls, v: str | None) -> str | None:
        if v is not None and v not in codebook().funds:
            raise ValueError(f"未知基金代码 unknown fund code {v!r}")
        return v


class Narrative(BaseModel):
    """Free-text parts of the report, written by the agency (never generated numbers)."""

    model_config = _CONFIG
    goals: Text = ""  # 年度总体目标
    achievements: Text = ""  # 总体目标实际完成情况
    management: Text = ""  # 组织实施情况
    reasons: Text = ""  # 未完成原因分析
    problems: Text = ""  # 存在问题
    plans: Text = ""  # 下一步计划
    experience: Text = ""  # 主要经验及做法
    other: Text = ""
    opening: Text = ""  # 开篇段落（依据、范围），放在“一”之前
    overview: Text = ""  # 一（一）总体情况的文字部分，接在计算出的收支数字之后
    application: Text = ""  # 结果应用（整改、预算安排挂钩等）


class FundNarrative(BaseModel):
    """Text the agency writes about one fund, printed under that fund (二 and 三（二）), not in a
    shared cell far from it. ``standards`` holds benefit-standard facts in words (标准调整); any
    number in them that the engine should check belongs in ``figures`` instead."""

    model_config = _CONFIG
    reasons: Text = ""  # 收支变动原因
    practices: Text = ""  # 主要做法、成效
    standards: Text = ""  # 待遇标准、政策调整情况


class SignOff(BaseModel):
    """The 填报 block under the 自评表 and at the end of the report."""

    model_config = _CONFIG
    unit: Name = ""  # 填报单位（盖章）
    preparer: Name = ""  # 填报人
    phone: Name = ""  # 联系电话
    date: Name = ""  # 填报日期，按填写原样（如 2024年3月15日）


class PaymentAudit(BaseModel):
    """疑点核查 in 三（四）基金运行风险评估: the verification of the payment audit's hits (the web app
    fills it from the region's latest 疑点筛查 of the year; a YAML may state it). Counts of hits
    (疑点数据, one rule and person each), money in 万元."""

    model_config = _CONFIG
    hits: int | None = Field(None, ge=0)  # 筛查疑点数据（全部疑点）
    checked: int = Field(ge=0)  # 核查疑点数据（核查完毕：确认违规与已排除）
    confirmed: int = Field(ge=0)  # 确认问题
    recovered: Number = Field(0, ge=0)  # 追回资金，万元

    @model_validator(mode="after")
    def _counts(self) -> PaymentAudit:
        if self.confirmed > self.checked:
            raise ValueError(f"确认问题数（{self.confirmed}）不应大于核查疑点数（{self.checked}）")
        if self.hits is not None and self.checked > self.hits:
            raise ValueError(f"核查疑点数（{self.checked}）不应大于筛查疑点数（{self.hits}）")
        return self


class Dataset(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, allow_inf_nan=False)
    schema_: str = Field(SCHEMA, alias="schema")
    region: Name
    region_level: Literal["county", "city", "prefecture", "province", "other"] = "county"
    year: int = Field(ge=1990, le=2100)  # required: a missing year is reported at `year`
    unit: Literal["万元"] = "万元"
    agency: Name = ""  # 实施单位
    department: Name = ""  # 主管部门
    project: Name = ""  # 项目名称
    figures: list[Figure] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    narrative: Narrative = Field(default_factory=Narrative)
    fund_narratives: dict[str, FundNarrative] = Field(default_factory=dict)  # by fund code
    signoff: SignOff = Field(default_factory=SignOff)
    payment_audit: PaymentAudit | None = None  # 疑点核查 (docs/payments.md), absent when not done

    @model_validator(mode="wrap")
    @classmethod
    def _with_limits(cls, data: Any, handler: ModelWrapValidatorHandler[Dataset]) -> Dataset:
        token = _ACTIVE.set(limits().dataset)
        try:
            return handler(data)
        finally:
            _ACTIVE.reset(token)

    @field_validator("fund_narratives")
    @classmethod
    def _fund_keys(cls, v: dict[str, FundNarrative]) -> dict[str, FundNarrative]:
        bad = [k for k in v if k not in codebook().funds]
        if bad:
            raise ValueError(f"未知基金代码 unknown fund code {bad[0]!r}")
        return v

    @field_validator("schema_")
    @classmethod
    def _schema(cls, v: str) -> str:
        if v != SCHEMA:
            raise ValueError(f"schema 应为 {SCHEMA!r}，而不是 {v[:40]!r}")
        return v

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v: Any) -> Any:
        """A year is an integer or ASCII digits: ``True`` is not 1, and ``²⁰²³`` (superscripts, which
        str.isdigit() accepts but int() refuses) is not 2023."""
        if isinstance(v, bool) or (isinstance(v, str) and not (v.strip().isascii() and v.strip().isdigit())):
            raise ValueError(f"年度应为整数 year must be an integer: {v!r:.40}")
        return v

    @field_validator("figures", "indicators", mode="before")
    @classmethod
    def _count(cls, v: Any, info: Any) -> Any:
        """Refused before 100k objects are built only to be thrown away."""
        lim = _lim()
        cap = lim.max_figures if info.field_name == "figures" else lim.max_indicators
        if isinstance(v, list) and len(v) > cap:
            raise ValueError(
                f"{info.field_name} 过多（{len(v):,} 个，上限 {cap:,}） (too many; limit {cap:,})"
            )
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
