"""Sentence builders: the genre's stereotyped clauses, filled from the dataset and the Evaluation.

One place for wording, shared by the DOCX, HTML and TXT writers. Fixed words come from
data/render/report.yaml; numbers come only from the dataset's input figures or the engine's
metrics, formatted by core.numbers, so the reviewer's extractor can read the text back.
"""

from __future__ import annotations

import math
import re

from sifund.core.codes import FUND_ORDER, codebook, unit_of_kind
from sifund.core.model import Indicator, PaymentAudit
from sifund.core.numbers import format_number, format_percent, format_value, format_wan
from sifund.engine.financing import financing
from sifund.engine.metrics import Facts
from sifund.engine.results import Evaluation, IndicatorResult, Metric, Risk
from sifund.render.wording import phrase, phrases, report

COMMA, STOP = "，", "。"
CN_DIGITS = "零一二三四五六七八九"
# one figure of a target (90, 95%, 95.5％): the number and its percent sign, each captured
_TARGET_FIGURE = r"([\d.]+)\s*([%％]?)"
_TARGET_TO = r"\s*[-~～—至]\s*"
# a target that is a comparison or a bare figure (≥95%, 90%-110%, 6个月): it reads straight after
# the indicator's name; any other target is words (30日内完成审核拨付) and is quoted or bracketed
FIGURE_TARGET = re.compile(
    rf"^\s*(?:[≥≤<>＞＜=＝]|{_TARGET_FIGURE}(?:{_TARGET_TO}{_TARGET_FIGURE})?"
    r"(?:人次|人|个月|万元|元|户|项|天|日)?\s*$)"
)


def cn_number(n: int) -> str:
    """0 → 零, 7 → 七, 10 → 十, 14 → 十四, 20 → 二十, 99 → 九十九; from 100 on, Arabic digits.

    Government prose writes small counts in Chinese numerals (四项基金, 十四项指标); a count of a
    hundred or more reads better in digits, as the genre does for people and amounts.
    """
    if n < 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])


def cn_count(n: int, unit: str = "项") -> str:
    """A count with its measure word: 2 → 两项 (never 二项 or 共2项), 12 → 十二项, 120 → 120项."""
    return ("两" if n == 2 else cn_number(n)) + unit


def fmt_score(value: float) -> str:
    """A score the way a 自评 sentence says it: 得7分, 得5.68分 (no 7.00 in running text)."""
    return format_number(value, 0) if abs(value - round(value)) < 0.005 else format_number(value, 2)


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
    return fmt_value(value, unit_of_kind(codebook().items[item].kind))


class PrintFacts:
    """Read access to what may be printed: the dataset's figures and the engine's metrics.

    An input figure prints with no more decimals than it was stated with (a report's 98% stays
    98%, not 98.00%); typed figures (no precision) and computed ones print with two.
    """

    def __init__(self, ev: Evaluation) -> None:
        self.ev = ev
        self.ds = ev.dataset
        self._values = Facts(self.ds)

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


def yoy_clause(f: PrintFacts, fund: str, item: str, prefix: str) -> str:
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


def completion_clauses(f: PrintFacts, fund: str, item: str, prefix: str) -> list[str]:
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


def _component(f: PrintFacts, fund: str, item: str) -> str | None:
    """保险费收入27196.00万元, with its completion clause when the component has a budget."""
    value = f.wan(fund, item)
    if value is None:
        return None
    return COMMA.join([f"{codebook().items[item].name}{value}", *completion_clauses(f, fund, item, item)])


def _list(parts: list[str]) -> str:
    """Components joined by ，, or by ； when one carries its own clauses (so each reads alone)."""
    return ("；" if any(COMMA in p for p in parts) else COMMA).join(parts) + STOP


def _stated_parts(f: PrintFacts, fund: str, parent: str) -> list[str]:
    """The stated components of a total: each stated child, or its own stated parts when it is
    not stated (基本养老金 under 基金支出 when 待遇支出 is not given)."""
    out: list[str] = []
    for c in codebook().children(parent):
        out += [c] if f.fig(fund, c) is not None else _stated_parts(f, fund, c)
    return out


def components_sentences(f: PrintFacts, fund: str, total_item: str) -> list[str]:
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


def flow_paragraph(f: PrintFacts, fund: str, group: str, subject: str) -> str:
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


def balance_sentence(f: PrintFacts, fund: str) -> str:
    """当年收支结余…，年末滚存结余…，累计结余可支付…个月。

    可支付月数 is stated once, on one basis (基金支出, else 待遇支出): two bases side by side read as
    the same figure stated twice. It is never printed for a negative balance (the engine leaves the
    metric empty) and, for the all-fund totals, only when the engine pooled the funds — funds kept in
    separate accounts cannot pay each other's benefits — and then the clause says what it pools.
    """
    clauses = []
    current = f.wan(fund, "balance_current") or fmt_metric_or_none(f.metric(fund, "balance_current"))
    if current is not None:
        clauses.append(phrase("balance_current", value=current))
    rolling = f.wan(fund, "balance_rolling") or fmt_metric_or_none(f.metric(fund, "balance_rolling"))
    if rolling is not None:
        clauses.append(phrase("balance_rolling", value=rolling))
    months = f.metric(fund, "payable_months", "payable_months_benefits")
    rolling_value = f.value(fund, "balance_rolling")
    if months is not None and months.value is not None and rolling is not None and (rolling_value or 0) >= 0:
        pool = next((n for n in months.note.split("；") if n.startswith("合并计算")), "")
        key = months.code + ("_pooled" if pool else "")
        clauses.append(phrase(key, value=fmt_metric(months), pool=pool))
    return COMMA.join(clauses) + STOP if clauses else ""


def people_sentence(f: PrintFacts, fund: str) -> str:
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


def per_capita_text(m: Metric) -> str:
    """人均待遇 in plain 元 (the period goes into the words, never a 元/人·年 unit)."""
    assert m.value is not None
    return f"{format_number(m.value, 2)}元"


def financing_clause(f: PrintFacts, fund: str) -> str:
    """收不抵支 judged on the fund's financing model (engine's ``financing_balance``).

    A contribution-financed fund compares 保险费收入 with spending, 机关/企业养老 adds the subsidy
    that by law makes up a shortfall; a subsidy-financed fund (城乡居民养老/医保) compares all its
    income, which is the 当年收支结余 already printed, so the clause then carries no second figure.
    """
    m = f.metric(fund, "financing_balance")
    if fund == "all" or m is None or m.value is None or m.value >= 0:
        return ""
    model = financing().model(fund)
    if model.regular_income == ["income_total"]:
        return phrase("financing_deficit_current")
    return phrase("financing_deficit", basis=model.basis, value=format_wan(-m.value))


def ratios_sentence(f: PrintFacts, fund: str) -> str:
    """抚养比、财政补贴收入占比、人均待遇 and 收不抵支 from the engine's metrics."""
    clauses = []
    for code in ("dependency_ratio", "fiscal_dependence"):
        m = f.metric(fund, code)
        if m is not None:
            clauses.append(phrase(code, value=fmt_metric(m)))
    m = f.metric(fund, "per_capita_benefit")
    if m is not None:
        clauses.append(phrase("per_capita_benefit", value=per_capita_text(m)))
    if deficit := financing_clause(f, fund):
        clauses.append(deficit)
    return COMMA.join(clauses) + STOP if clauses else ""


def drivers_sentence(f: PrintFacts, fund: str) -> str:
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


def _headcount_change(f: PrintFacts, fund: str, head_inputs: dict[str, float]) -> float | None:
    """The change of the head count the engine attributed (an input of its headcount_effect)."""
    cb = codebook()
    item = next((k for k in head_inputs if k in cb.items and cb.items[k].kind == "people"), None)
    return None if item is None else f.value(fund, f"{item}_yoy_change")


def people_text(change: float | None) -> str:
    return "" if change is None else f"{format_number(abs(change), 0)}人"


def overview_paragraphs(f: PrintFacts) -> list[str]:
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
                n=cn_count(len(funds)),
            )
        )
    income = flow_paragraph(f, "all", "income", phrase("income_subject_all", year=ds.year, region=ds.region))
    expenditure = flow_paragraph(f, "all", "expenditure", phrase("expenditure_subject_all"))
    balance = balance_sentence(f, "all")
    body = income + expenditure + balance
    if body:
        out.append(body)
    return out + lines(ds.narrative.overview)


def opening_paragraphs(f: PrintFacts) -> list[str]:
    """The agency's opening paragraph(s) (依据、范围), printed before 一 as real reports do."""
    return lines(f.ds.narrative.opening)


def lines(text: str) -> list[str]:
    """A narrative field as paragraphs, one per non-empty line; empty → none at all."""
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def fund_story(f: PrintFacts, fund: str) -> tuple[str, str, str]:
    """The agency's words for one fund: (变动原因, 主要做法, 待遇标准调整), each possibly empty."""
    n = f.ds.fund_narratives.get(fund)
    return ("", "", "") if n is None else (n.reasons.strip(), n.practices.strip(), n.standards.strip())


def fund_paragraphs(f: PrintFacts, fund: str) -> list[str]:
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
    reasons, _, standards = fund_story(f, fund)
    paras += [phrase("fund_reasons", text=x) for x in lines(reasons)]
    paras += lines(standards)
    return [p for p in paras if p]


def indicator_actual(r: IndicatorResult, f: PrintFacts) -> str:
    """The 实际完成值 as printed: the engine's value when bound to a metric, else the stated text."""
    if r.actual_from.startswith("metric:") and r.actual_value is not None:
        m = f.ev.metric(r.indicator.fund or "all", r.actual_from.split(":", 1)[1])
        return fmt_value(r.actual_value, m.unit if m is not None else "%")
    if r.indicator.actual:
        return r.indicator.actual
    return "" if r.actual_value is None else format_number(r.actual_value, 2)


# a bare range (90%-110%): the range form of FIGURE_TARGET, its four parts captured
RANGE_TARGET = re.compile(rf"^\s*{_TARGET_FIGURE}{_TARGET_TO}{_TARGET_FIGURE}\s*$")


def target_words(target: str) -> str:
    """A range target in words: 90%-110% → 不低于90%、不超过110%; any other target as written.

    A bare range reads, right after a 完成率's name, as if its lower end had been achieved
    ("支出预算完成率90%"), to a reader and to the reviewer's extractor alike; 不低于/不超过 say it
    is a promise. Comparisons (≥95%) are kept as the 自评表 writes them.
    """
    m = RANGE_TARGET.match(target)
    if m is None:
        return target
    lo, lo_unit, hi, hi_unit = m.groups()
    return phrase("target_range", lo=lo + (lo_unit or hi_unit), hi=hi + hi_unit)


def _is_comparison(target: str) -> bool:
    """≥95%, 90%-110%, 30日内 …: a target that reads straight after the indicator's name."""
    return bool(FIGURE_TARGET.match(target))


def indicator_clause(r: IndicatorResult, f: PrintFacts, shape: int) -> str:
    """One indicator as a clause: its target, what was achieved and the score, in one breath.

    Consecutive indicators take the sentence shapes of report.yaml in turn, so a fund with six
    indicators does not read as six copies of one template; a qualitative indicator whose result
    is its target ("按标准审核后足额发放") says it met the requirement instead of repeating it.
    """
    ind = r.indicator
    actual = indicator_actual(r, f)
    verdict = phrases("verdict")[r.status]
    score = phrase("indicator_score", score=fmt_score(r.score))
    if r.score < r.weight - 1e-9:
        score += phrase("indicator_weight", weight=fmt_score(r.weight))
    if actual and actual == ind.target and not _is_comparison(ind.target):
        return phrase("indicator_as_required", name=ind.name, target=ind.target, score=score)
    if not ind.target or not actual:
        return phrase("indicator_no_target", name=ind.name, verdict=verdict or phrases("verdict")["met"],
                      score=score, what=ind.target or actual or "—")  # fmt: skip
    shapes = phrases("indicator_shapes")
    return str(shapes[shape % len(shapes)]).format(
        name=ind.name, target=target_words(ind.target), actual=actual, verdict=verdict, score=score
    )


def indicator_groups(f: PrintFacts) -> list[tuple[str | None, list[IndicatorResult]]]:
    """Indicator results by fund, in the report's fund order; those of no one fund come last."""
    order = f.funds()
    groups: dict[str | None, list[IndicatorResult]] = {}
    for r in f.ev.indicators:
        fund = r.indicator.fund if r.indicator.fund in order else None
        groups.setdefault(fund, []).append(r)
    keys = [x for x in order if x in groups] + ([None] if None in groups else [])
    return [(k, groups[k]) for k in keys]


def indicators_paragraph(f: PrintFacts, results: list[IndicatorResult]) -> str:
    clauses = [indicator_clause(r, f, i) for i, r in enumerate(results)]
    return "；".join(clauses) + STOP if clauses else ""


def result_paragraphs(f: PrintFacts) -> list[str]:
    """Section 三(二): what was achieved first (the agency's words), then the execution rate, then
    per fund — its practices and its indicators, each with target, actual and score — and last the
    total and grade, the way real reports walk through the funds."""
    sc = f.ev.score
    out = lines(f.ds.narrative.achievements)
    if sc.execution_rate is not None:
        out.append(
            phrase(
                "execution",
                rate=format_percent(sc.execution_rate),
                score=fmt_score(sc.execution_score),
                weight=fmt_score(sc.execution_weight),
            )
        )
    else:
        out.append(phrase("execution_none"))
    groups = dict(indicator_groups(f))
    n = 0
    for fund in f.funds():  # each fund: its practices, then its indicators (a fund may have either)
        practices = lines(fund_story(f, fund)[1])
        if fund not in groups and not practices:
            continue
        n += 1
        out += [phrase("result_fund", n=n, fund=fund_name(fund)), *practices]
        if fund in groups:
            out.append(phrase("result_fund_indicators") + indicators_paragraph(f, groups[fund]))
    if None in groups:
        lead = "result_common" if n else "result_all"
        out.append(phrase(lead) + indicators_paragraph(f, groups[None]))
    missed = [r.indicator.name for r in f.ev.indicators if r.status in ("not_met", "partly_met")]
    if f.ev.indicators:
        out.append(
            phrase("results_not_met", n=cn_count(len(missed)), names="、".join(missed))
            if missed
            else phrase("results_all_met")
        )
    if sc.grade:
        out.append(phrase("score_total", total=format_number(sc.total, 2), grade=sc.grade))
    return out


def reason_paragraphs(f: PrintFacts) -> list[str]:
    """Section 三(三): execution outside the band (超预算/未完成) and indicators that lost points."""
    lo, hi = report()["band"]
    shared = f.ds.narrative.reasons.strip()
    out = []
    for fund in [*f.funds(), "all"] if len(f.funds()) > 1 else f.funds():
        rate = f.value(fund, "expenditure_completion")
        if rate is None or lo <= round(rate, 2) <= hi:
            continue
        key = "out_of_band_over" if rate > hi else "out_of_band_under"
        name = fund_name(fund)
        own = " ".join(lines(fund_story(f, fund)[0])) if fund != "all" else ""
        reasons = own or shared or phrase("reason_missing")
        out.append(phrase(key, fund=name, rate=format_percent(rate), lo=lo, hi=hi) + reasons)
    lost = getattr(f.ev.score, "lost", None)  # the engine's list of lost points with their reasons
    card = f.ev.score
    if isinstance(lost, list) and lost:
        for x in lost:
            rate = card.execution_rate
            if x.get("kind") == "execution" and rate is not None and lo <= round(rate, 2) <= hi:
                continue  # within the band the points follow the rate: no deviation to explain
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


def risk_paragraphs(f: PrintFacts) -> list[str]:
    """Section 三(四): one paragraph per fund — each risk with its figure and level, then why it is
    a risk for this fund (the financing model's reason the engine attached), never alert lines."""
    audit = payment_audit_paragraphs(f)
    if not f.ev.risks:
        return [phrase("risks_none"), *audit]
    by_fund: dict[str, list[Risk]] = {}
    for r in f.ev.risks:
        by_fund.setdefault(r.fund, []).append(r)
    order = [*f.funds(), "all"]
    out = [phrase("risks_intro", n=cn_count(len(by_fund), "项基金"))] if len(by_fund) > 1 else []
    for fund in sorted(by_fund, key=lambda x: order.index(x) if x in order else len(order)):
        out.append(risk_paragraph(fund, by_fund[fund]))
    return out + audit


def payment_audit_paragraphs(f: PrintFacts) -> list[str]:
    """疑点核查 (dataset ``payment_audit``) after the fund risks; [] when the dataset states none."""
    pa = f.ds.payment_audit
    return [] if pa is None else [payment_audit_sentence(pa)]


def payment_audit_sentence(pa: PaymentAudit) -> str:
    """开展…疑点数据筛查，核查疑点数据N条，确认问题M条，追回资金X万元。 Counts as the genre writes them
    (两条, 十二条), all in digits when one of them is 100 or more (1234条 … 56条, not 五十六条 beside
    1234条); money in 万元. Nothing found, or nothing checked yet, is said so (not 核查疑点数据零条)."""
    unit = str(phrases("payment_audit_unit"))
    digits = max(pa.hits or 0, pa.checked) >= 100

    def count(n: int) -> str:
        return f"{n}{unit}" if digits else cn_count(n, unit)

    parts = [phrase("payment_audit_intro")]
    if pa.hits == 0:
        parts.append(phrase("payment_audit_none"))
    elif pa.checked == 0:
        if pa.hits:
            parts.append(phrase("payment_audit_screened", hits=count(pa.hits)))
        parts.append(phrase("payment_audit_in_progress"))
    else:
        if pa.hits is not None and pa.hits > pa.checked:
            parts.append(phrase("payment_audit_screened", hits=count(pa.hits)))
        parts.append(phrase("payment_audit_checked", checked=count(pa.checked)))
        if pa.confirmed:
            parts.append(phrase("payment_audit_confirmed", confirmed=count(pa.confirmed)))
        else:
            parts.append(phrase("payment_audit_no_problem"))
        if pa.recovered:
            parts.append(phrase("payment_audit_recovered", recovered=format_wan(pa.recovered, 2)))
    return COMMA.join(parts) + STOP


def risk_paragraph(fund: str, risks: list[Risk]) -> str:
    name = fund_name(fund)
    bodies = []
    for r in risks:
        msg = r.message.strip().rstrip("。")
        body = msg[len(name) :] if msg.startswith(name) else msg
        level = phrases("risk_level")[r.level]  # unless the message already says how grave it is
        bodies.append(body if "风险" in body else phrase("risk_item", body=body, level=level))
    if len(bodies) == 1:
        text = phrase("risk_one", fund=name, body=bodies[0])
    else:
        items = [phrase("risk_nth", nth=cn_number(i), body=b) for i, b in enumerate(bodies, 1)]
        text = phrase("risk_many", fund=name, n=cn_count(len(bodies), "方面")) + "；".join(items) + STOP
    whys = dict.fromkeys(w for r in risks if (w := str(getattr(r, "why", "") or "").strip().rstrip("。")))
    return text + "".join(phrase("risk_why", why=w) for w in whys)


def narrative(text: str) -> list[str]:
    """A narrative field as paragraphs (one per non-empty line); empty → 无."""
    return lines(text) or [phrase("none")]


def target_item(ind: Indicator) -> str:
    """An indicator as a goal: 支出预算完成率≥95%, or 按时报送季报（每季度结束后的5日内）."""
    name, target = ind.name, ind.target
    if not target:
        return name
    if _is_comparison(target):
        return f"{name}{target_words(target)}"
    return phrase("target_text", name=name, target=target)


def target_paragraphs(f: PrintFacts) -> list[str]:
    """Section 一(二): the agency's goals, the budgets, then each fund's 绩效目标 with its 指标值
    (the targets real reports list per fund), the shared ones, and how many were set."""
    ds = f.ds
    out = lines(ds.narrative.goals)
    income_b = f.wan("all", "income_total", "budget")
    exp_b = f.wan("all", "expenditure_total", "budget")
    clauses = []
    if income_b is not None:
        clauses.append(phrase("budget_income_all", year=ds.year, value=income_b))
    if exp_b is not None:
        clauses.append(phrase("budget_expenditure_all", value=exp_b))
    if clauses:
        out.append(COMMA.join(clauses) + STOP)
    for fund, results in indicator_groups(f):
        items = _list_items([target_item(r.indicator) for r in results])
        if fund is None:
            out.append(phrase("targets_common", items=items))
            continue
        budget = f.wan(fund, "expenditure_total", "budget")
        head = phrase("targets_fund_budget", year=ds.year, fund=fund_name(fund), budget=budget) if budget \
            else phrase("targets_fund", year=ds.year, fund=fund_name(fund))  # fmt: skip
        out.append(head + items)
    if ds.indicators:
        counts: dict[str, int] = {}
        for ind in ds.indicators:
            counts[ind.level1 or "—"] = counts.get(ind.level1 or "—", 0) + 1
        detail = "、".join(phrase("indicator_count", level=k, n=cn_count(v)) for k, v in counts.items())
        out.append(phrase("indicators_set", n=cn_count(len(ds.indicators)), detail=detail))
    return out or [phrase("none")]


def _list_items(items: list[str]) -> str:
    """Goals joined by ， — or by ； when one holds a comma of its own — ending with 。."""
    return ("；" if any(COMMA in x for x in items) else COMMA).join(items) + STOP


def application_paragraphs(f: PrintFacts) -> list[str]:
    """结果应用 in the agency's words (整改、与预算安排挂钩); nothing to compute."""
    return lines(f.ds.narrative.application)


def signoff_lines(f: PrintFacts) -> list[str]:
    """填报单位（盖章）/填报人/联系电话/填报日期 as stated, only the ones given; [] when none is."""
    s = f.ds.signoff
    out = []
    if s.unit:
        out.append(phrase("signoff_unit", unit=s.unit))
    who = [phrase(k, value=v) for k, v in (("signoff_preparer", s.preparer), ("signoff_phone", s.phone)) if v]
    if who:
        out.append(phrase("signoff_sep").join(who))
    if s.date:
        out.append(phrase("signoff_date", date=s.date))
    return out


def audit_paragraphs(f: PrintFacts) -> list[str]:
    """The 数据审核 appendix: each stated figure that disagreed with the recomputation (audit
    findings of severity warning or error), one sentence each; [] when there is none.

    The report body prints the computed value, so without this list a reader could not tell that
    the agency's own figure was corrected; with a clean dataset the appendix does not appear.
    """
    found = [x for x in f.ev.findings if x.severity in ("warning", "error")]
    if not found:
        return []
    out = [phrase("audit_intro", n=cn_count(len(found), "处"))]
    for i, x in enumerate(found, 1):
        text = x.message.strip().rstrip("。")
        if x.recomputation and x.recomputation not in text:
            text += phrase("audit_recomputation", recomputation=x.recomputation)
        out.append(phrase("audit_item", n=i, text=text))
    return out


def ordered_funds(funds: list[str]) -> list[str]:
    return sorted(funds, key=FUND_ORDER.index)
