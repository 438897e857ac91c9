"""Dataset audit: every stated figure checked against the others within printed precision.

Each figure stands for the interval its printed digits allow (Interval.printed). A derived figure
(completion rate, YoY change and rate, balances, payment months) is consistent when its interval
meets the one computed from its inputs' intervals; totals are compared with their "其中" parts
and with the sum over funds; a key stated twice with values that cannot be the same is flagged.

Report extraction may tag figures with ``group`` (one clause): a derived figure takes its inputs
from its own clause first, then from the whole dataset. When a key has several figures, each is
tried and a finding is raised only when none is consistent. Checks are small functions
``check_xxx(ds, idx)`` registered in CHECKS; thresholds live in ``data/engine/audit.yaml``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from sifund.core.codes import codebook
from sifund.core.model import Dataset, Figure, Source
from sifund.core.numbers import UNITS, format_plain
from sifund.engine.config import audit_rules
from sifund.engine.findings import Finding
from sifund.engine.intervals import Interval, sum_intervals

Key = tuple[str, str, str]
RATE_MEASURES = ("completion_rate", "yoy_rate")
MAX_CANDIDATES = 6  # per input key; keeps the combinations of a much-restated figure small
_KIND_UNIT = {"money": "万元", "people": "人", "count": "人次", "yuan": "元", "months": "个月"}


def group_of(f: Figure) -> str | None:
    g = (f.model_extra or {}).get("group")
    return None if g is None else str(g)


class Index:
    """Figures by key, with the clause-first candidate rule of report audits."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.by_key: dict[Key, list[Figure]] = {}
        for f in ds.figures:
            self.by_key.setdefault(f.key, []).append(f)
        self.funds = [f for f in ds.funds() if f != "all"]

    def all(self, key: Key) -> list[Figure]:
        return self.by_key.get(key, [])

    def candidates(self, key: Key, group: str | None) -> list[Figure]:
        figs = self.by_key.get(key, [])
        if group is not None:
            same = [f for f in figs if group_of(f) == group]
            if same:
                figs = same
        out: dict[tuple[float, float | None], Figure] = {}
        for f in figs:
            out.setdefault((f.value, f.precision), f)
        return list(out.values())[:MAX_CANDIDATES]

    def with_measure(self, measure: str) -> Iterable[Figure]:
        return (f for f in self.ds.figures if f.measure == measure)


# ---- intervals and printing -------------------------------------------------------------


def digits_precision(value: float) -> float:
    """The last printed digit of a typed value (96.12 -> 0.01, 96 -> 1): a stated derived figure
    without a precision was still rounded by whoever typed it."""
    exp = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return 1.0 if not isinstance(exp, int) or exp >= 0 else 10.0**exp


def iv(f: Figure) -> Interval:
    """An input figure's interval (precision None: exact)."""
    return Interval.printed(f.value, f.precision)


def stated_iv(f: Figure) -> Interval:
    """A stated derived figure's interval (precision None: inferred from its digits)."""
    return Interval.printed(f.value, f.precision if f.precision else digits_precision(f.value))


def _unit(f: Figure) -> str:
    if f.measure in RATE_MEASURES:
        return "%"
    return _KIND_UNIT.get(codebook().items[f.item].kind, "")


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0


def printed(f: Figure) -> str:
    """A figure as the report printed it: 121.4%, 1308万元, 50.27亿元, 9175人."""
    unit = _unit(f)
    money_unit = bool(f.unit) and f.unit in UNITS and UNITS[f.unit or ""][0] == "money"
    shown_unit = f.unit or unit if money_unit and unit == "万元" else unit
    factor = float(UNITS[shown_unit][1]) if shown_unit in UNITS else 1.0
    prec = (f.precision if f.precision else digits_precision(f.value)) / factor
    return f"{f.value / factor:.{_decimals(prec)}f}{shown_unit}"


def bare(f: Figure) -> str:
    """A figure's number as printed, without its unit (for recomputations: 1590/1308)."""
    p = f.precision if f.precision else digits_precision(f.value)
    return f"{f.value:.{_decimals(p)}f}"


def _range_decimals(f: Figure) -> int:
    p = f.precision if f.precision else digits_precision(f.value)
    return min(4, max(2, _decimals(p) + 1))


def _outward(i: Interval, nd: int) -> tuple[float, float]:
    q = 10**nd
    return math.floor(i.lo * q + 1e-9) / q, math.ceil(i.hi * q - 1e-9) / q


def label(fund: str, item: str, measure: str = "actual") -> str:
    """失业保险基金支出完成预算率 — fund, item and measure as a report would name them."""
    cb = codebook()
    fname = "各项社会保险基金" if fund == "all" else cb.funds[fund].name
    iname = cb.items[item].name
    if fname.endswith("基金") and iname.startswith("基金"):
        iname = iname[2:]
    return f"{fname}{iname}{audit_rules().measure_labels.get(measure, measure)}"


def _sources(figs: Iterable[Figure]) -> list[Source]:
    out: list[Source] = []
    for f in figs:
        if f.source is not None and f.source not in out:
            out.append(f.source)
    return out


def _severity(code: str, gap: float, stated: Figure) -> str:
    rules = audit_rules()
    p = stated.precision if stated.precision else digits_precision(stated.value)
    if gap <= rules.rounding_slack * p + 1e-9:
        return "info"
    return rules.severity.get(code, "warning")


# ---- derived figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One way to recompute a derived figure: input keys, interval function, recomputation text."""

    keys: tuple[Key, ...]
    compute: Callable[[Sequence[Interval]], Interval]
    show: Callable[[Sequence[Figure]], str]


def corners(fn: Callable[..., float], ivs: Sequence[Interval]) -> Interval:
    """Range of ``fn`` over a box, from its corners: exact for functions monotone in each input
    (ratios, c/(a−c) while the denominator keeps its sign)."""
    vals = [fn(*c) for c in itertools.product(*((i.lo, i.hi) for i in ivs))]
    return Interval(min(vals), max(vals))


def _nonzero(i: Interval) -> Interval:
    if i.lo <= 0 <= i.hi:
        raise ZeroDivisionError
    return i


def months(ivs: Sequence[Interval]) -> Interval:
    return corners(lambda r, e: r / e * 12, (ivs[0], _nonzero(ivs[1])))


def ratio_pct(ivs: Sequence[Interval]) -> Interval:
    return corners(lambda a, b: a / b * 100, (ivs[0], _nonzero(ivs[1])))


def rate_from_change(ivs: Sequence[Interval]) -> Interval:
    c, a = ivs
    _nonzero(a - c)
    _nonzero(a)
    return corners(lambda c, a: c / (a - c) * 100, (c, a))


def rate_from_prior(ivs: Sequence[Interval]) -> Interval:
    a, p = ivs
    return corners(lambda a, p: (a - p) / p * 100, (a, _nonzero(p)))


@dataclass
class _Best:
    gap: float
    computed: Interval
    inputs: Sequence[Figure]
    option: Option


def _best(stated: Figure, options: list[Option], idx: Index) -> _Best | None:
    """The closest recomputation over every option and candidate; None when one is consistent
    or none can be computed."""
    s = stated_iv(stated)
    g = group_of(stated)
    best: _Best | None = None
    for opt in options:
        cands = [idx.candidates(k, g) for k in opt.keys]
        if any(not c for c in cands):
            continue
        for combo in itertools.product(*cands):
            try:
                c = opt.compute([iv(f) for f in combo])
            except ZeroDivisionError:
                continue
            if s.meets(c):
                return None
            gap = s.gap(c)
            if best is None or gap < best.gap:
                best = _Best(gap, c, combo, opt)
    return best


def _derived_finding(code: str, stated: Figure, best: _Best) -> Finding:
    nd = _range_decimals(stated)
    lo, hi = _outward(best.computed, nd)
    unit = _unit(stated)
    recomp = best.option.show(best.inputs)
    ranged = f"{lo:.{nd}f}{unit}~{hi:.{nd}f}{unit}"
    msg = f"{label(*stated.key)}写作{printed(stated)}，按{recomp}在印刷精度内应为{ranged}"
    return Finding(
        code=code,
        severity=_severity(code, best.gap, stated),  # type: ignore[arg-type]
        fund=stated.fund,
        item=stated.item,
        measure=stated.measure,
        stated=stated.value,
        expected_range=[lo, hi],
        message=msg,
        evidence=_sources([stated, *best.inputs]),
        recomputation=recomp,
    )


Options = Callable[[Figure], list[Option]]


def _check(code: str, figs: Iterable[Figure], options: Options, idx: Index) -> list[Finding]:
    out = []
    for f in figs:
        best = _best(f, options(f), idx)
        if best is not None:
            out.append(_derived_finding(code, f, best))
    return out


def check_completion_rates(ds: Dataset, idx: Index) -> list[Finding]:
    """completion_rate = actual / budget × 100; either budget basis will do unless `basis` is set."""

    def options(f: Figure) -> list[Option]:
        bases = [f.basis] if f.basis in ("budget", "budget_adjusted") else ["budget_adjusted", "budget"]
        show = lambda x: f"{bare(x[0])}/{bare(x[1])}×100"  # noqa: E731
        return [Option(((f.fund, f.item, "actual"), (f.fund, f.item, b)), ratio_pct, show) for b in bases]

    return _check("rate_mismatch", idx.with_measure("completion_rate"), options, idx)


def check_yoy(ds: Dataset, idx: Index) -> list[Finding]:
    """yoy_rate = change / (actual − change) × 100 (or from prior); yoy_change = actual − prior."""

    def rate_options(f: Figure) -> list[Option]:
        k = (f.fund, f.item)
        return [
            Option(((*k, "yoy_change"), (*k, "actual")), rate_from_change,
                   lambda x: f"{bare(x[0])}/({bare(x[1])}−{bare(x[0])})×100"),
            Option(((*k, "actual"), (*k, "prior")), rate_from_prior,
                   lambda x: f"({bare(x[0])}−{bare(x[1])})/{bare(x[1])}×100"),
            Option(((*k, "yoy_change"), (*k, "prior")), ratio_pct,
                   lambda x: f"{bare(x[0])}/{bare(x[1])}×100"),
        ]  # fmt: skip

    def change_options(f: Figure) -> list[Option]:
        k = (f.fund, f.item)
        return [Option(((*k, "actual"), (*k, "prior")), lambda i: i[0] - i[1],
                       lambda x: f"{bare(x[0])}−{bare(x[1])}")]  # fmt: skip

    return _check("yoy_rate_mismatch", idx.with_measure("yoy_rate"), rate_options, idx) + _check(
        "yoy_change_mismatch", idx.with_measure("yoy_change"), change_options, idx
    )


def check_balances(ds: Dataset, idx: Index) -> list[Finding]:
    """balance_current = income − expenditure; balance_rolling = prior rolling + current balance."""

    def current(f: Figure) -> list[Option]:
        return [Option(((f.fund, "income_total", "actual"), (f.fund, "expenditure_total", "actual")),
                       lambda i: i[0] - i[1], lambda x: f"{bare(x[0])}−{bare(x[1])}")]  # fmt: skip

    def rolling(f: Figure) -> list[Option]:
        prior = (f.fund, "balance_rolling", "prior")
        return [
            Option((prior, (f.fund, "balance_current", "actual")), lambda i: i[0] + i[1],
                   lambda x: f"{bare(x[0])}+{bare(x[1])}"),
            Option((prior, (f.fund, "income_total", "actual"), (f.fund, "expenditure_total", "actual")),
                   lambda i: i[0] + i[1] - i[2], lambda x: f"{bare(x[0])}+{bare(x[1])}−{bare(x[2])}"),
        ]  # fmt: skip

    cur = [f for f in idx.with_measure("actual") if f.item == "balance_current"]
    roll = [f for f in idx.with_measure("actual") if f.item == "balance_rolling"]
    return _check("balance_mismatch", cur, current, idx) + _check("rolling_mismatch", roll, rolling, idx)


def check_payable_months(ds: Dataset, idx: Index) -> list[Finding]:
    """payable_months = rolling balance / (expenditure / 12), on total or benefit expenditure."""

    def options(f: Figure) -> list[Option]:
        roll = (f.fund, "balance_rolling", "actual")
        show = lambda x: f"{bare(x[0])}/({bare(x[1])}/12)"  # noqa: E731
        bases = ("expenditure_total", "benefits")
        return [Option((roll, (f.fund, b, "actual")), months, show) for b in bases]

    figs = [f for f in idx.with_measure("actual") if f.item == "payable_months"]
    return _check("months_mismatch", figs, options, idx)


# ---- totals -----------------------------------------------------------------------------


@cache
def _children(parent: str) -> tuple[str, ...]:
    return tuple(codebook().children(parent))


def _parts(fund: str, parent: str, measure: str, idx: Index) -> list[str]:
    """The stated components of a total: each direct child, or its own parts when not stated;
    never a part together with the stated whole it belongs to (audit.yaml ``nested_parts``)."""
    out: list[str] = []
    for child in _children(parent):
        if idx.all((fund, child, measure)):
            out.append(child)
        else:
            out.extend(_parts(fund, child, measure, idx))
    nested = audit_rules().nested_parts
    inside = {p for whole in out for p in nested.get(whole, ())}
    return [p for p in out if p not in inside]


def _span(keys: list[Key], group: str | None, idx: Index) -> tuple[Interval, list[Figure]]:
    """The widest sum over every candidate of each key, and the figures it rests on."""
    ivs, figs = [], []
    for k in keys:
        cands = idx.candidates(k, group)
        ivs.append(Interval(min(iv(f).lo for f in cands), max(iv(f).hi for f in cands)))
        figs.extend(cands)
    return sum_intervals(ivs), figs


def _sum_text(figs: list[Figure]) -> str:
    return "+".join(bare(f) for f in figs)


def _total_finding(code: str, total: Figure, figs: list[Figure], msg: str, lo: float, hi: float) -> Finding:
    return Finding(
        code=code,
        severity=audit_rules().severity.get(code, "warning"),  # type: ignore[arg-type]
        fund=total.fund,
        item=total.item,
        measure=total.measure,
        stated=total.value,
        expected_range=[lo, hi],
        message=msg,
        evidence=_sources([total, *figs]),
        recomputation=_sum_text(figs),
    )


@cache
def _parents() -> frozenset[str]:
    return frozenset(it.parent for it in codebook().items.values() if it.parent)


def check_components(ds: Dataset, idx: Index) -> list[Finding]:
    """其中 parts need not be exhaustive: a sum above the total is an error, below it an info."""
    rules = audit_rules()
    out: list[Finding] = []
    parents = _parents()
    for (fund, item, measure), totals in list(idx.by_key.items()):
        if item not in parents or measure not in rules.component_measures:
            continue
        parts = _parts(fund, item, measure, idx)
        if not parts:
            continue
        keys = [(fund, p, measure) for p in parts]
        spans = [(t, *_span(keys, group_of(t), idx)) for t in totals]
        if any(iv(t).meets(s) for t, s, _ in spans):
            continue
        t, s, figs = min(spans, key=lambda x: iv(x[0]).gap(x[1]))
        names = "、".join(codebook().items[p].name for p in parts)
        nd = 2
        lo, hi = _outward(s, nd)
        if s.lo > iv(t).hi:
            code, rel = "sum_exceeds_total", "超过"
        elif len(parts) >= rules.min_components_for_remainder:
            code, rel = "sum_below_total", "小于"
        else:
            continue
        rest = "，另有未列明部分" if rel == "小于" else ""
        msg = (f"{label(fund, item, measure)}{printed(t)}，其中所列{names}合计{_sum_text(figs)}"
               f"（{format_plain(lo)}~{format_plain(hi)}）{rel}总数{rest}")  # fmt: skip
        out.append(_total_finding(code, t, figs, msg, lo, hi))
    return out


def check_fund_totals(ds: Dataset, idx: Index) -> list[Finding]:
    """Fund `all` against the sum over funds, when every fund present states the figure."""
    rules = audit_rules()
    out: list[Finding] = []
    if len(idx.funds) < 2:
        return out
    for item in rules.fund_total_items:
        for measure in rules.component_measures:
            totals = idx.all(("all", item, measure))
            keys = [(f, item, measure) for f in idx.funds]
            if not totals or any(not idx.all(k) for k in keys):
                continue
            s, figs = _span(keys, None, idx)
            if any(iv(t).meets(s) for t in totals):
                continue
            t = min(totals, key=lambda x: iv(x).gap(s))
            lo, hi = _outward(s, 2)
            msg = (f"{label('all', item, measure)}写作{printed(t)}，与各基金之和{_sum_text(figs)}"
                   f"（{format_plain(lo)}~{format_plain(hi)}）不符")  # fmt: skip
            out.append(_total_finding("fund_total_mismatch", t, figs, msg, lo, hi))
    return out


def check_duplicates(ds: Dataset, idx: Index) -> list[Finding]:
    """The same key stated twice with values whose intervals do not meet."""
    out: list[Finding] = []
    seen: dict[tuple[Key, str | None], list[Figure]] = {}
    for f in ds.figures:
        seen.setdefault((f.key, f.basis), []).append(f)
    for ((fund, item, measure), _), figs in seen.items():
        if len(figs) < 2:
            continue
        ivs = [stated_iv(f) if measure in RATE_MEASURES else iv(f) for f in figs]
        clash = [f for i, f in enumerate(figs) if any(not ivs[i].meets(o) for o in ivs)]
        if not clash:
            continue
        values = list(dict.fromkeys(printed(f) for f in clash))
        msg = f"{label(fund, item, measure)}前后写作{'与'.join(values)}，同一数字前后不一致"
        out.append(Finding(code="duplicate_conflict", severity=audit_rules().severity["duplicate_conflict"],
                           fund=fund, item=item, measure=measure, stated=clash[0].value, message=msg,
                           evidence=_sources(clash)))  # fmt: skip
    return out


Check = Callable[[Dataset, Index], Iterable[Finding]]
CHECKS: list[Check] = [
    check_completion_rates,
    check_yoy,
    check_balances,
    check_payable_months,
    check_components,
    check_fund_totals,
    check_duplicates,
]


def audit_dataset(ds: Dataset) -> list[Finding]:
    """Run every registered check; findings in dataset order of their first evidence."""
    idx = Index(ds)
    out: list[Finding] = []
    for check in CHECKS:
        out.extend(check(ds, idx))
    return out
