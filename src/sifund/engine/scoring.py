"""The 自评表 score: 预算执行率 plus the indicator groups, with a reason for every lost point.

Weights, caps, judgement factors and grade bands come from ``data/engine/scoring.yaml``
(财预〔2020〕10号 practice: 10 + 产出 50 + 效益 30 + 满意度 10). Given indicator weights win over
the even split of a group; a group missing from the data has its weight redistributed over the
present groups in proportion (or dropped, per ``missing_groups``), and the card says so.
"""

from __future__ import annotations

from collections.abc import Callable

from sifund.core.codes import codebook
from sifund.core.numbers import format_percent
from sifund.engine.config import EngineConfig, Scoring
from sifund.engine.results import IndicatorResult, Metric, ScoreCard

MetricLookup = Callable[[str, str], Metric | None]


def _execution_rate(metrics: list[Metric], cfg: Scoring) -> tuple[float | None, str]:
    """The rate of the configured metric for the configured fund; for `all`, when the total has no
    budget, the sum over the funds that have one (said in the note). A fund whose budget is 0 still
    counts: its spending was not budgeted, and leaving it out would flatter the rate."""
    code, fund = cfg.execution.metric, cfg.execution.fund
    m = next((m for m in metrics if m.fund == fund and m.code == code), None)
    if m is not None and m.value is not None:
        return m.value, m.note
    if fund == "all":
        parts = [x for x in metrics if x.fund != "all" and x.code == code]
        parts = [x for x in parts if "actual" in x.inputs and len(x.inputs) == 2]
        if parts:
            actual = sum(x.inputs.get("actual", 0.0) for x in parts)
            budget = sum(v for x in parts for k, v in x.inputs.items() if k != "actual")
            if budget:
                names = "、".join(codebook().funds[x.fund].short for x in parts)
                return actual / budget * 100, f"按有预算数的基金合计（{names}）"
    return None, (m.note if m is not None and m.note else "缺少预算数，无法计算预算执行率")


def _group_of(level1: str, cfg: Scoring) -> str:
    name = level1.strip()
    return cfg.group_aliases.get(name, name)


def _group_weights(present: set[str], cfg: Scoring, notes: list[str]) -> dict[str, float]:
    weights = {g: w for g, w in cfg.groups.items()}
    missing = [g for g in weights if g not in present]
    if not missing or not present & set(weights):
        return weights
    if cfg.missing_groups == "drop":
        notes.append(f"数据中没有{'、'.join(missing)}，其权重不计入总分")
        return {g: w for g, w in weights.items() if g in present}
    kept = sum(w for g, w in weights.items() if g in present)
    total = sum(weights.values())
    out = {g: w * total / kept for g, w in weights.items() if g in present}
    notes.append(f"数据中没有{'、'.join(missing)}，其权重按比例分配给{'、'.join(out)}")
    return out


def _fraction(r: IndicatorResult, cfg: Scoring) -> float:
    if getattr(r, "by_judgement", False) and r.indicator.judgement:
        return cfg.judgement.get(r.indicator.judgement, 0.0)
    completion = getattr(r, "completion", None)
    if r.status == "met":
        return 1.0
    if r.status == "partly_met":
        return completion if completion is not None else cfg.judgement.get("partial", 0.5)
    if r.status == "not_met":  # never full points: a strict target missed at its bound (90% vs >90%)
        return min(completion or 0.0, cfg.unmet_max)
    return 0.0


def score_card(results: list[IndicatorResult], metrics: list[Metric], config: EngineConfig) -> ScoreCard:
    """Fill each result's weight, score and lost_reason, and return the card."""
    cfg = config.scoring
    nd = cfg.decimals
    card = ScoreCard(execution_weight=cfg.execution.weight)
    rate, card.execution_note = _execution_rate(metrics, cfg)
    card.execution_rate = None if rate is None else round(rate, 4)
    exe = 0.0 if rate is None else cfg.execution.weight * max(0.0, min(rate, cfg.execution.cap)) / 100
    card.execution_score = round(exe, nd)
    if card.execution_score < cfg.execution.weight:
        # the points follow the rate (weight × rate): the reason says so; only a rate that cannot be
        # computed asks the agency for one (a deviation beyond the band is asked for by the report)
        if rate is None:
            reason = f"{cfg.execution.name}无法计算{cfg.placeholder_reason}"
        else:
            w, got = f"{cfg.execution.weight:g}", f"{card.execution_score:.{nd}f}"
            reason = f"{cfg.execution.name}为{format_percent(rate)}，按{w}分×执行率计{got}分"
        card.lost.append({"item": cfg.execution.name, "kind": "execution",
                          "points": round(cfg.execution.weight - exe, nd), "reason": reason})  # fmt: skip

    groups: dict[str, list[IndicatorResult]] = {}
    for r in results:
        groups.setdefault(_group_of(r.indicator.level1, cfg), []).append(r)
    unknown_groups = [g for g in groups if g not in cfg.groups]
    if unknown_groups:
        card.notes.append(f"一级指标{'、'.join(unknown_groups)}不在评分配置中，不计分")
    weights = _group_weights(set(groups), cfg, card.notes)

    for g, gw in weights.items():
        members = groups.get(g, [])
        given = [r for r in members if r.indicator.weight is not None]
        rest = [r for r in members if r.indicator.weight is None]
        given_sum = sum(r.indicator.weight or 0.0 for r in given)
        if rest:
            share = max(0.0, gw - given_sum) / len(rest)
            if given_sum > gw + 1e-9:
                card.notes.append(f"{g}所填权重合计{given_sum:g}超过分组权重{gw:g}，其余指标权重为0")
        else:
            share = 0.0
            if members and abs(given_sum - gw) > 1e-9:
                card.notes.append(f"{g}按所填权重合计{given_sum:g}分计（配置为{gw:g}分）")
                gw = given_sum
        for r in members:
            r.weight = round(r.indicator.weight if r.indicator.weight is not None else share, 4)
            r.score = round(r.weight * _fraction(r, cfg), nd)
            if r.score < r.weight - 1e-9:
                r.lost_reason = r.indicator.reason.strip() or cfg.placeholder_reason
                card.lost.append({"item": r.indicator.name, "points": round(r.weight - r.score, nd),
                                  "reason": r.lost_reason})  # fmt: skip
        if not members:
            reason = f"未设置{g}{cfg.placeholder_reason}"
            card.lost.append({"item": g, "points": round(gw, nd), "reason": reason})
        card.group_weights[g] = round(gw, 4)
        card.group_scores[g] = round(sum(r.score for r in members), nd)

    card.max_total = round(cfg.execution.weight + sum(card.group_weights.values()), nd)
    card.total = round(card.execution_score + sum(card.group_scores.values()), nd)
    percent = card.total / card.max_total * 100 if card.max_total else 0.0
    card.grade = cfg.grade(percent)
    return card
