"""Fund-operation risk warnings: rules from ``data/engine/risks.yaml`` applied to the metrics.

A rule is data (id, level, funds, condition, message); the condition language is a handful of
comparisons combined with all/any, so nothing from a config file is ever executed as code.
A rule whose metrics are missing does not fire.

Whether a rule applies to a fund follows the fund's financing model (``data/engine/financing.yaml``):
a subsidy share above one half is a risk for a contribution-financed fund and the design of
城乡居民养老. A fired risk carries the model's reason (``why``) so the report can say why it matters.
"""

from __future__ import annotations

import string

from sifund.core.codes import codebook
from sifund.core.numbers import format_value
from sifund.engine.config import Condition, EngineConfig, RiskRule
from sifund.engine.financing import Financing, financing
from sifund.engine.results import Metric, Risk

LEVEL_ORDER = {"高": 0, "中": 1, "低": 2}
Values = dict[str, float | None]


def show(value: float | None, unit: str) -> str:
    """A metric value as a report prints it (see core.numbers.format_value)."""
    return format_value(value, unit)


def holds(cond: Condition, values: Values) -> bool | None:
    """Truth of a condition; None when a metric it needs is missing."""
    if cond.all_ is not None or cond.any_ is not None:
        parts = [holds(c, values) for c in (cond.all_ or cond.any_ or [])]
        if any(p is None for p in parts):
            return None
        return all(parts) if cond.all_ is not None else any(parts)
    v = values.get(cond.metric or "")
    if v is None:
        return None
    x = cond.value
    if isinstance(x, list):
        inside = x[0] <= v <= x[1]
        return inside if cond.op == "within" else not inside
    assert x is not None
    return {"<": v < x, "<=": v <= x, ">": v > x, ">=": v >= x, "==": v == x, "!=": v != x}[cond.op or ""]


def _scope(rule: RiskRule, funds: list[str]) -> list[str]:
    real = [f for f in funds if f != "all"]
    if isinstance(rule.funds, list):
        return [f for f in funds if f in rule.funds]
    if rule.funds == "all":
        return ["all"] if "all" in funds else []
    if rule.funds == "funds":
        return real
    # each: `all` too, unless it is just the one fund again
    return funds if len(real) != 1 else real


def _message(rule: RiskRule, fund: str, by_code: dict[str, Metric], fin: Financing) -> str:
    fields: dict[str, str] = {"fund": codebook().funds[fund].name}
    if fund != "all":
        fields["basis"] = fin.model(fund).basis
    for _, name, _, _ in string.Formatter().parse(rule.message):
        if name and name not in fields:
            # "{x_abs}": the size of metric x, for wording that carries the sign itself (低于…230万元)
            code, size = (name[:-4], True) if name.endswith("_abs") else (name, False)
            m = by_code.get(code)
            ok = m is not None and m.value is not None
            fields[name] = show(abs(m.value) if size else m.value, m.unit) if ok else "—"
    return rule.message.format_map(fields)


def assess_risks(metrics: list[Metric], config: EngineConfig, fin: Financing | None = None) -> list[Risk]:
    """Every enabled rule, for every fund in its scope and whose financing model it applies to, that
    fires on the metrics; ``fin`` None: the packaged financing models."""
    fin = fin or financing()
    per_fund: dict[str, dict[str, Metric]] = {}
    for m in metrics:
        per_fund.setdefault(m.fund, {})[m.code] = m
    funds = list(per_fund)
    out: list[Risk] = []
    for rule in config.risks:
        if not rule.enabled:
            continue
        needed = rule.when.metrics()
        for fund in _scope(rule, funds):
            use = None if fund == "all" else fin.rule(fund, rule.id)
            if use is not None and not use.applies:
                continue
            by_code = per_fund.get(fund, {})
            values: Values = {c: (by_code[c].value if c in by_code else None) for c in needed}
            if holds(rule.when, values):
                msg = _message(rule, fund, by_code, fin)
                extra = {} if fund == "all" else {"financing": fin.model_code(fund)}
                out.append(Risk(rule=rule.id, level=rule.level, fund=fund, message=msg, values=values,
                                why=use.why if use else "", **extra))  # fmt: skip
    order = {f: i for i, f in enumerate(funds)}
    return sorted(out, key=lambda r: (LEVEL_ORDER[r.level], order.get(r.fund, 99)))
