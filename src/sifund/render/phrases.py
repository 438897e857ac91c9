"""Sentence builders: the genre's stereotyped clauses, filled from the dataset and the Evaluation.

One place for wording, shared by the DOCX, HTML and TXT writers. Fixed words come from
data/render/report.yaml; numbers come only from the dataset's input figures or the engine's
metrics, formatted by core.numbers, so the reviewer's extractor can read the text back.
"""

from __future__ import annotations

import math

from sifund.core.codes import FUND_ORDER, codebook
from sifund.core.numbers import format_number, format_percent, format_value, format_wan
from sifund.engine.evaluation import Evaluation, IndicatorResult, Metric
from sifund.engine.metrics import Facts as EngineFacts
from sifund.render.wording import phrase, report

COMMA, STOP = "，", "。"
UNIT_OF_KIND = {"people": "人", "count": "人次", "yuan": "元", "months": "个月"}


def fmt_value(value: float, unit: str) -> str:
    """A number with its unit the way finance documents print it."""
    return format_value(value, unit)


def fmt_metric(m: Metric) -> str:
    return "" if m.value is None else fmt_value(m.value, m.unit)


def decimals_of(precision: float | None) -> int:
    """1 → 0, 0.1 → 1, 0.01 → 2, 100 → 0; None (typed, exact) → 2."""
    if not precision:
        return 2
    return max(0, min(2, -math.floor(math.log10(precision) + 1e-9)))


def fmt_metric_or_none(m: Metric | None) -> str | None:
    return None if m is None or m.value is None else fmt_value(m.value, m.unit)


def fmt_item(item: str, value: float) -> str:
    """An item's figure with the unit of its kind (万元 for money, 人 for people …)."""
    kind = codebook().items[item].kind
    return fmt_value(value, UNIT_OF_KIND.get(kind, "万元"))


class Facts:
    """Read access to what may be printed: the dataset's figures and the engine's metrics.

    An input figure prints with no more decimals than it was stated with (a report's 98% stays
    98%, not 98.00%); typed figures (no precision) and computed ones print with two.
    """

    def __init__(self, ev: Evaluation) -> None:
        self.ev = ev
        self.ds = ev.dataset
        self._values = EngineFacts(self.ds)

    def funds(self) -> list[str]:
        """Funds with their own section (the ``all`` totals are reported in section 一)."""
        return [f for f in self.ds.funds() if f != "all"]

    def fig(self, fund: str, item: str, measure: str = "actual") -> float | None:
        """A stated figure; for ``all`` without a stated total, the engine's sum over the funds."""
        return self._values.get(fund, item, measure)

    def decimals(self, fund: str, item: str, measure: str = "actual") -> int:
        """Decimals to print a figure with: those it was stated with, at most two."""
        f = self.ds.get(fund, item, measure)
        if f is None and fund == "all":  # a sum is as coarse as its coarsest part
            parts = [self.decimals(x, item, measure) for x in self.funds() if self.ds.get(x, item, measure)]
            return min(parts, default=2)
        return decimals_of(None if f is None else f.precision)

    def metric_decimals(self, m: Metric, fund: str, item: str) -> int:
        """Two for a computed metric; a metric restating one stated figure of ``item`` prints like it."""
        if len(m.inputs) == 1 and (measure := next(iter(m.inputs))) in codebook().measures:
            return self.decimals(fund, item, measure)
        return 2

    def wan(self, fund: str, item: str, measure: str = "actual") -> str | None:
        """A money figure as printed: 1308万元 when stated so, 30813.69万元."""
        v = self.fig(fund, item, measure)
        return None if v is None else format_wan(v, self.decimals(fund, item, measure))

    def metric(self, fund: str, *codes: str) -> Metric | None:
        """The first of ``codes`` the engine computed a value for."""
        for code in codes:
            m = self.ev.metric(fund, code)
            if m is not None and m.value is not None:
                return m
        return None

    def value(self, fund: str, *codes: str) -> float | None:
        m = self.metric(fund, *codes)
        return None if m is None else m.value

    def has_any(self, fund: str) -> bool:
        return fund in self.ds.funds() or fund == "all"


def fund_name(fund: str) -> str:
    return codebook().funds[fund].name


def _dir(value: float, up: str, down: str) -> str:
    return down if value < 0 else up


def yoy_clause(f: Facts, fund: str, item: str, prefix: str) -> str:
    """较上年增加798.00万元，增长17.70% — from the engine's ``<prefix>_yoy_change``/``_rate``."""
    change = f.metric(fund, f"{prefix}_yoy_change")
    if change is None or change.value is None:
        return ""
    rate = f.metric(fund, f"{prefix}_yoy_rate")
    up, down = report()["phrases"]["yoy_up"], report()["phrases"]["yoy_down"]
    words = down if change.value < 0 else up
    text = f"较上年{words[0]}{format_wan(abs(change.value), f.metric_decimals(change, fund, item))}"
    if rate is not None and rate.value is not None:
        text += f"{COMMA}{words[1]}{format_percent(abs(rate.value), f.metric_decimals(rate, fund, item))}"
    return text


def completion_clauses(f: Facts, fund: str, item: str, prefix: str) -> list[str]:
    """完成年初预算…的…% / 完成调整后预算…的…%, each against the budget the metric used."""
    basis = report()["phrases"]["basis"]
    adjusted, initial = f.wan(fund, item, "budget_adjusted"), f.wan(fund, item, "budget")
    out: list[str] = []

    def add(basis_key: str, budget: str | None, *codes: str) -> None:
        r = f.value(fund, *codes)
        if budget is not None and r is not None:
            out.append(phrase("completion", basis=basis[basis_key], budget=budget, rate=format_percent(r)))

    if adjusted is not None:
        add("budget", initial, f"{prefix}_completion_initial")
        add("budget_adjusted", adjusted, f"{prefix}_completion")
    elif initial is not None:
        add("budget", initial, f"{prefix}_completion", f"{prefix}_completion_initial")
    elif (r := f.value(fund, f"{prefix}_completion")) is not None:  # stated rate, budget not given
        rate = format_percent(r, f.decimals(fund, item, "completion_rate"))
        out.append(phrase("completion_stated", rate=rate))
    return out


def _component(f: Facts, fund: str, item: str) -> str | None:
    """保险费收入27196.00万元, with its completion clause when the component has a budget."""
    value = f.wan(fund, item)
    if value is None:
        return None
    return COMMA.join([f"{codebook().items[item].name}{value}", *completion_clauses(f, fund, item, item)])


def _list(parts: list[str]) -> str:
    """Components joined by ，, or by ； when one carries its own clauses (so each reads alone)."""
    return ("；" if any(COMMA in p for p in parts) else COMMA).join(parts) + STOP


def _stated_parts(f: Facts, fund: str, parent: str) -> list[str]:
    """The stated components of a total: each stated child, or its own stated parts when it is
    not stated (基本养老金 under 基金支出 when 待遇支出 is not given)."""
    out: list[str] = []
    for c in codebook().children(parent):
        out += [c] if f.fig(fund, c) is not None else _stated_parts(f, fund, c)
    return out


def components_sentences(f: Facts, fund: str, total_item: str) -> list[str]:
    """其中：保险费收入…，财政补贴收入…。 then one sentence per sub-total with parts (待遇支出中，…)."""
    cb = codebook()
    level = _stated_parts(f, fund, total_item)
    if not level:
        return []
    out = [phrase("components") + _list([t for c in level if (t := _component(f, fund, c))])]
    for c in level:
        parts = [t for g in _stated_parts(f, fund, c) if (t := _component(f, fund, g))]
        if parts:
            out.append(phrase("sub_components", parent=cb.items[c].name) + _list(parts))
    return out


def flow_paragraph(f: Facts, fund: str, group: str, subject: str) -> str:
    """One income or expenditure paragraph: total, YoY, completion, then its components."""
    total_item = "income_total" if group == "income" else "expenditure_total"
    actual = f.wan(fund, total_item)
    if actual is None:
        return ""
    clauses = [f"{subject}{actual}"]
    if y := yoy_clause(f, fund, total_item, group):
        clauses.append(y)
    clauses += completion_clauses(f, fund, total_item, group)
    return COMMA.join(clauses) + STOP + "".join(components_sentences(f, fund, total_item))


def balance_sentence(f: Facts, fund: str) -> str:
    """当年收支结余…，年末滚存结余…，累计结余可支付…个月（按…计算）。"""
    clauses = []
    current = f.wan(fund, "balance_current") or fmt_metric_or_none(f.metric(fund, "balance_current"))
    if current is not None:
        clauses.append(phrase("balance_current", value=current))
    rolling = f.wan(fund, "balance_rolling") or fmt_metric_or_none(f.metric(fund, "balance_rolling"))
    if rolling is not None:
        clauses.append(phrase("balance_rolling", value=rolling))
    shown: set[str] = set()
    for code in ("payable_months", "payable_months_benefits"):
        m = f.metric(fund, code)
        if m is not None and rolling is not None and fmt_metric(m) not in shown:
            shown.add(fmt_metric(m))  # one basis suffices when both print the same
            clauses.append(phrase(code, value=fmt_metric(m)))
    return COMMA.join(clauses) + STOP if clauses else ""


def people_sentence(f: Facts, fund: str) -> str:
    """离退休人数5854人，较上年增加127人；… (people items of the fund, in code-list order)."""
    cb = codebook()
    clauses = []
    for code, item in cb.items.items():
        if item.group != "people" and item.kind != "yuan":
            continue
        actual = f.ds.value(fund, code)
        if actual is None:
            continue
        text = phrase("people", label=item.name, value=fmt_item(code, actual))
        change = f.value(fund, f"{code}_yoy_change")  # the engine's: actual − prior, or as stated
        if change is not None:
            word = _dir(change, phrase("people_up"), phrase("people_down"))
            text += COMMA + phrase("people_yoy", dir=word, change=fmt_item(code, abs(change)))
        clauses.append(text)
    return "；".join(clauses) + STOP if clauses else ""


def ratios_sentence(f: Facts, fund: str) -> str:
    """抚养比、财政补贴依赖度、收不抵支 and 人均待遇 from the engine's metrics."""
    clauses = []
    for code in ("dependency_ratio", "fiscal_dependence", "per_capita_benefit"):
        m = f.metric(fund, code)
        if m is not None:
            clauses.append(phrase(code, value=fmt_metric(m)))
    m = f.metric(fund, "contribution_deficit")  # contribution − expenditure; negative: 收不抵支
    if m is not None and m.value is not None and m.value < 0:
        clauses.append(phrase("contribution_deficit", value=format_wan(-m.value)))
    return COMMA.join(clauses) + STOP if clauses else ""


def drivers_sentence(f: Facts, fund: str) -> str:
    """Why benefits changed: headcount effect vs per-capita effect, with their shares.

    The engine attributes the change of one benefit item (its ``inputs``), and the two effects add
    up to that change exactly; shares are printed only when both effects go the same way.
    """
    head = f.metric(fund, "headcount_effect")
    per = f.metric(fund, "per_capita_effect")
    if head is None or per is None or head.value is None or per.value is None:
        return ""
    cb = codebook()
    item = next((k for k in head.inputs if k in cb.items and cb.items[k].group == "expenditure"), None)
    if item is None:
        return ""
    change = f.value(fund, f"{item}_yoy_change")  # the engine's effects add up to exactly this
    if change is None:
        return ""
    people = _headcount_change(f, fund, head.inputs)
    up, down = phrase("people_up"), phrase("people_down")
    parts = [
        phrase(
            "drivers_intro",
            item=cb.items[item].name,
            dir=_dir(change, up, down),
            change=format_wan(abs(change)),
        )
    ]
    same_way = (head.value >= 0) == (per.value >= 0)
    for key, m, share_code in (
        ("driver_headcount", head, "headcount_effect_share"),
        ("driver_per_capita", per, "per_capita_effect_share"),
    ):
        assert m.value is not None
        text = phrase(
            key,
            dir=_dir(people or 0, up, down),
            people=people_text(people),
            item=cb.items[item].name,
            effect_dir=_dir(m.value, up, down),
            effect=format_wan(abs(m.value)),
        )
        share = f.value(fund, share_code)
        if same_way and share is not None:
            text += phrase("driver_share", share=format_percent(share))
        parts.append(text)
    return parts[0] + "；".join(parts[1:]) + STOP


def _headcount_change(f: Facts, fund: str, head_inputs: dict[str, float]) -> float | None:
    """The change of the head count the engine attributed (an input of its headcount_effect)."""
    cb = codebook()
    item = next((k for k in head_inputs if k in cb.items and cb.items[k].kind == "people"), None)
    return None if item is None else f.value(fund, f"{item}_yoy_change")


def people_text(change: float | None) -> str:
    return "" if change is None else f"{format_number(abs(change), 0)}人"


def overview_paragraphs(f: Facts) -> list[str]:
    """Section 一(一): the funds covered, then the all-fund totals."""
    ds = f.ds
    funds = f.funds()
    out = []
    if funds:
        out.append(
            phrase(
                "overview_funds",
                year=ds.year,
                region=ds.region,
                funds="、".join(fund_name(x) for x in funds),
                n=len(funds),
            )
        )
    income = flow_paragraph(f, "all", "income", phrase("income_subject_all", year=ds.year, region=ds.region))
    expenditure = flow_paragraph(f, "all", "expenditure", phrase("expenditure_subject_all"))
    balance = balance_sentence(f, "all")
    body = income + expenditure + balance
    if body:
        out.append(body)
    return out


def fund_paragraphs(f: Facts, fund: str) -> list[str]:
    """Section 二, one fund: income, expenditure, balances, people, ratios, drivers."""
    ds = f.ds
    name = fund_name(fund)
    paras = [
        flow_paragraph(f, fund, "income", phrase("income_subject", year=ds.year, fund=name)),
        flow_paragraph(f, fund, "expenditure", phrase("expenditure_subject")),
        balance_sentence(f, fund) + ratios_sentence(f, fund),
        people_sentence(f, fund),
        drivers_sentence(f, fund),
    ]
    return [p for p in paras if p]


def indicator_actual(r: IndicatorResult, f: Facts) -> str:
    """The 实际完成值 as printed: the engine's value when bound to a metric, else the stated text."""
    if r.actual_from.startswith("metric:") and r.actual_value is not None:
        m = f.ev.metric(r.indicator.fund or "all", r.actual_from.split(":", 1)[1])
        return fmt_value(r.actual_value, m.unit if m is not None else "%")
    if r.indicator.actual:
        return r.indicator.actual
    return "" if r.actual_value is None else format_number(r.actual_value, 2)


def indicator_sentence(r: IndicatorResult, f: Facts) -> str:
    ind = r.indicator
    level = "/".join(x for x in (ind.level1, ind.level2) if x)
    status = report()["phrases"]["status"][r.status]
    text = phrase(
        "indicator",
        level=level,
        name=ind.name,
        target=ind.target or "—",
        actual=indicator_actual(r, f) or "—",
        status=status,
    )
    text += phrase("indicator_score", weight=format_number(r.weight, 2), score=format_number(r.score, 2))
    return text + STOP


def result_paragraphs(f: Facts) -> list[str]:
    """Section 三(二): execution score, each indicator's result, then the total and grade."""
    sc = f.ev.score
    out = []
    if sc.execution_rate is not None:
        out.append(
            phrase(
                "execution",
                rate=format_percent(sc.execution_rate),
                score=format_number(sc.execution_score, 2),
                weight=format_number(sc.execution_weight, 2),
            )
        )
    else:
        out.append(phrase("execution_none"))
    out += [indicator_sentence(r, f) for r in f.ev.indicators]
    missed = [r.indicator.name for r in f.ev.indicators if r.status in ("not_met", "partly_met")]
    if f.ev.indicators:
        out.append(
            phrase("results_not_met", n=len(missed), names="、".join(missed))
            if missed
            else phrase("results_all_met")
        )
    if sc.grade:
        out.append(phrase("score_total", total=format_number(sc.total, 2), grade=sc.grade))
    return out


def reason_paragraphs(f: Facts) -> list[str]:
    """Section 三(三): execution outside the band (超预算/未完成) and indicators that lost points."""
    lo, hi = report()["band"]
    reasons = f.ds.narrative.reasons.strip() or phrase("reason_missing")
    out = []
    for fund in [*f.funds(), "all"] if len(f.funds()) > 1 else f.funds():
        rate = f.value(fund, "expenditure_completion")
        if rate is None or lo <= round(rate, 2) <= hi:
            continue
        key = "out_of_band_over" if rate > hi else "out_of_band_under"
        name = fund_name(fund)
        out.append(phrase(key, fund=name, rate=format_percent(rate), lo=lo, hi=hi) + reasons)
    lost = getattr(f.ev.score, "lost", None)  # the engine's list of lost points with their reasons
    if isinstance(lost, list) and lost:
        for x in lost:
            reason = str(x.get("reason") or "") or phrase("reason_missing")
            out.append(phrase("indicator_reason", name=x.get("item", ""), reason=reason))
    else:
        for r in f.ev.indicators:
            if r.score < r.weight and r.status != "met":
                reason = r.lost_reason or r.indicator.reason or phrase("reason_missing")
                out.append(phrase("indicator_reason", name=r.indicator.name, reason=reason))
    if not out and f.ds.narrative.reasons.strip():
        out.append(f.ds.narrative.reasons.strip())
    return out or [phrase("none")]


def risk_paragraphs(f: Facts) -> list[str]:
    if not f.ev.risks:
        return [phrase("risks_none")]
    return [phrase("risk", level=r.level, message=r.message.rstrip("。") + STOP) for r in f.ev.risks]


def narrative(text: str) -> list[str]:
    """A narrative field as paragraphs (one per non-empty line); empty → 无."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines or [phrase("none")]


def target_paragraphs(f: Facts) -> list[str]:
    """Section 一(二): the agency's goals, the budget and the indicators set."""
    ds = f.ds
    out = [ln.strip() for ln in ds.narrative.goals.splitlines() if ln.strip()]
    income_b = f.wan("all", "income_total", "budget")
    exp_b = f.wan("all", "expenditure_total", "budget")
    clauses = []
    if income_b is not None:
        clauses.append(phrase("budget_income_all", year=ds.year, value=income_b))
    if exp_b is not None:
        clauses.append(phrase("budget_expenditure_all", value=exp_b))
    if clauses:
        out.append(COMMA.join(clauses) + STOP)
    if ds.indicators:
        counts: dict[str, int] = {}
        for ind in ds.indicators:
            counts[ind.level1 or "—"] = counts.get(ind.level1 or "—", 0) + 1
        detail = "、".join(phrase("indicator_count", level=k, n=v) for k, v in counts.items())
        out.append(phrase("indicators_set", n=len(ds.indicators), detail=detail))
    return out or [phrase("none")]


def ordered_funds(funds: list[str]) -> list[str]:
    return sorted(funds, key=FUND_ORDER.index)
