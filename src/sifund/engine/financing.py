"""The funds' financing models (data/engine/financing.yaml), validated at load.

Whether a fund is 收不抵支, whether a large subsidy share is a risk, and whether its payable months
may be added to another fund's follow from how the law finances the fund — which is policy, so it
is data. ``metrics.py`` reads the model to compute ``financing_balance`` and to keep
``payable_months`` per fund; ``risks.py`` reads it to decide which rules apply to a fund and to
attach the reason (``why``) to each risk.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.core.packaged import data_text, load_with_marks, marked_problems

PACKAGED = "sifund/data/engine/financing.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _fund_code(code: str) -> str:
    if code == "all" or code not in codebook().funds:
        raise ValueError(f"未知基金代码 unknown fund code {code!r}")
    return code


class RuleUse(_Strict):
    """Whether a risk rule applies to funds of a model, and the reason a report can print."""

    applies: bool = True
    why: str = Field(min_length=1)


class Model(_Strict):
    name: str = Field(min_length=1)
    regular_income: list[str] = Field(min_length=1)
    basis: str = Field(min_length=1)
    why: str = Field(min_length=1)
    risks: dict[str, RuleUse] = Field(default_factory=dict)

    @field_validator("regular_income")
    @classmethod
    def _income_items(cls, v: list[str]) -> list[str]:
        items = codebook().items
        bad = [i for i in v if i not in items or items[i].group != "income"]
        if bad:
            raise ValueError(f"不是收入项目代码 not an income item: {', '.join(bad)}")
        if "income_total" in v and len(v) > 1:
            raise ValueError("income_total 已含全部收入，不能再与其组成项相加 income_total stands alone")
        return v


class Pool(_Strict):
    """Funds whose balances may pay each other's benefits (so a pooled 可支付月数 means something)."""

    funds: list[str] = Field(min_length=2)
    why: str = Field(min_length=1)

    @field_validator("funds")
    @classmethod
    def _codes(cls, v: list[str]) -> list[str]:
        return [_fund_code(f) for f in v]


class Financing(_Strict):
    default_model: str
    funds: dict[str, str] = Field(default_factory=dict)
    models: dict[str, Model]
    payable_months_pools: list[Pool] = Field(default_factory=list)

    @field_validator("funds")
    @classmethod
    def _fund_keys(cls, v: dict[str, str]) -> dict[str, str]:
        for f in v:
            _fund_code(f)
        return v

    @model_validator(mode="after")
    def _references(self) -> Financing:
        if self.default_model not in self.models:
            raise ValueError(f"default_model {self.default_model!r} 不在 models 中 unknown model")
        bad = {f: m for f, m in self.funds.items() if m not in self.models}
        if bad:
            pairs = ", ".join(f"{f}: {m}" for f, m in bad.items())
            raise ValueError(f"funds 引用了未定义的筹资模式 unknown model: {pairs}")
        seen: dict[str, int] = {}
        for i, pool in enumerate(self.payable_months_pools):
            for f in pool.funds:
                if f in seen:
                    raise ValueError(f"基金 {f} 同时列在第{seen[f] + 1}组和第{i + 1}组 payable_months_pools")
                seen[f] = i
        return self

    def model_code(self, fund: str) -> str:
        return self.funds.get(fund, self.default_model)

    def model(self, fund: str) -> Model:
        """The financing model of a fund (``default_model`` when the fund is not listed)."""
        return self.models[self.model_code(fund)]

    def rule(self, fund: str, rule_id: str) -> RuleUse | None:
        """How a risk rule applies to a fund; None: not mentioned (it applies, without a why)."""
        return self.model(fund).risks.get(rule_id)

    def pool_of(self, funds: list[str]) -> Pool | None:
        """The pool holding every one of ``funds`` (≥2 of them), if any: only then is a 合计 payable
        months figure over them meaningful."""
        if len(funds) < 2:
            return None
        return next((p for p in self.payable_months_pools if set(funds) <= set(p.funds)), None)


def parse_financing(text: str, file: str = "") -> Financing:
    """Validate a financing YAML text; errors name the key (and its line)."""
    data, root = load_with_marks(text, file)
    raw: Any = data or {}
    if not isinstance(raw, dict):
        raise SifundError("顶层应为映射（default_model / funds / models / payable_months_pools）", file=file)
    try:
        return Financing.model_validate(raw)
    except ValidationError as e:
        raise marked_problems(e, file, root) from None


@cache
def financing() -> Financing:
    """The packaged financing models (parsed once)."""
    return parse_financing(data_text("engine", "financing.yaml"), PACKAGED)


def load_financing(path: str | Path | None = None) -> Financing:
    """The packaged models, or the ones in the YAML at ``path`` (a whole file: it replaces them)."""
    if path is None:
        return financing()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SifundError("筹资模式文件不存在 financing file not found", file=str(p)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SifundError(f"无法读取筹资模式文件 cannot read: {e}", file=str(p)) from None
    return parse_financing(text, str(p))
