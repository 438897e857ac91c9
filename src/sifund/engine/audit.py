"""Audit: every stated figure checked against the others within printed precision, by one registry.

Each figure stands for the interval its printed digits allow (Interval.printed). A derived figure
(completion rate, YoY change and rate, balances, payment months) is consistent when its interval
meets the one computed from its inputs' intervals; totals are compared with their "其中" parts
and with the sum over funds; a key stated twice with values that cannot be the same is flagged.

Every check, here and in ``review.audit``, has one signature, ``check(ctx: AuditContext) ->
Iterable[Finding]``, and is registered with ``@check(codes=(...))`` naming the codes it may emit
(the finding catalogue, data/engine/findings.yaml, lists each one; severities are audit.yaml's).
``audit_dataset`` runs the registry on a dataset; ``review.audit.audit_report`` runs it on a
report, where the context also holds the extraction (the text, the clauses); checks that need the
extraction say so (``needs_report=True``) and are skipped for a dataset.

Checks read what the context has, never who called: figures from a report carry clause groups
(``group``, ``of_which``, ``role``), so a 其中 total is compared with the parts listed after it and a
restated rate only with a restatement on the same amount; a dataset without groups is compared
through the code list. A derived figure takes its inputs from its own clause first, then from the
whole dataset; when a key has several figures each is tried and a finding is raised only when
none is consistent.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sifund.core.codes import KIND_UNITS, RATE_MEASURES, codebook, unit_of_kind
from sifund.core.model import Dataset, Figure, Source
from sifund.core.numbers import UNITS, format_plain
from sifund.core.packaged import data_text, parse_validated, valid_regex
from sifund.engine.findings import Finding, Severity
from sifund.engine.intervals import Interval, sum_intervals

if TYPE_CHECKING:
    from sifund.review.extract import ExtractResult

Key = tuple[str, str, str]
T = TypeVar("T")
MAX_CANDIDATES = 6  # per input key; keeps the combinations of a much-restated figure small
# Measures whose figures rest on a subject amount of their own clause: a restated one is only
# compared with a restatement on the same amount.
DERIVED = ("yoy_change", "yoy_rate", "completion_rate")
# A restatement finding quotes at most this many statements (every value among them): a key
# stated thousands of times is a list the parser could not structure, not one number restated.
MAX_RESTATED = 64
AUDIT_RULES = "sifund/data/engine/audit.yaml"


# ---- rules (data/engine/audit.yaml) -------------------------------------------------------


class ProseTargets(BaseModel):
    """How a target stated in prose names its measure and its funds (audit.yaml ``prose_targets``)."""

    model_config = ConfigDict(extra="forbid")
    label_tail: str
    all_funds: list[str] = Field(min_length=1)
    numerals: dict[str, int]
    actual_kinds: list[str]
    met_claim: str = Field(min_length=1)

    @field_validator("label_tail", "met_claim")
    @classmethod
    def _regex(cls, v: str) -> str:
        return valid_regex(v)

    @field_validator("actual_kinds")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k not in KIND_UNITS]
        if bad:
            raise ValueError(f"未知数值类别 unknown kind: {', '.join(bad)}")
        return v


class AuditRules(BaseModel):
    """The audit's thresholds and severities, validated at load (a typo names its line)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    rounding_slack: float = Field(ge=0)
    severity: dict[str, Severity]
    min_components_for_remainder: int = Field(ge=1)
    nested_parts: dict[str, list[str]]
    component_measures: list[str]
    fund_total_items: list[str]
    fund_total_measures: list[str]
    measure_labels: dict[str, str]
    reason_given: str = Field(min_length=1)
    prose_targets: ProseTargets

    @field_validator("component_measures", "fund_total_measures")
    @classmethod
    def _measures(cls, v: list[str]) -> list[str]:
        bad = [m for m in v if m not in codebook().measures]
        if bad:
            raise ValueError(f"未知口径代码 unknown measure: {', '.join(bad)}")
        return v

    @field_validator("fund_total_items")
    @classmethod
    def _items(cls, v: list[str]) -> list[str]:
        bad = [i for i in v if i not in codebook().items]
        if bad:
            raise ValueError(f"未知项目代码 unknown item: {', '.join(bad)}")
        return v

    @field_validator("reason_given")
    @classmethod
    def _regex(cls, v: str) -> str:
        return valid_regex(v)

    @model_validator(mode="after")
    def _nested(self) -> AuditRules:
        items = codebook().items
        bad = [i for k, v in self.nested_parts.items() for i in (k, *v) if i not in items]
        if bad:
            raise ValueError(f"nested_parts 含未知项目代码 unknown item: {', '.join(bad)}")
        return self


@cache
def audit_rules() -> AuditRules:
    """The packaged audit rules (data/engine/audit.yaml); the audit has no user config."""
    return parse_validated(AuditRules, data_text("engine", "audit.yaml"), AUDIT_RULES)[0]


def severity_of(code: str) -> Severity:
    """A code's severity for a clear case (audit.yaml); a check may lower it (rounding, no claim)."""
    return audit_rules().severity[code]


# ---- figures by key -----------------------------------------------------------------------


def group_of(f: Figure) -> str | None:
    g = (f.__pydantic_extra__ or {}).get("group")
    return None if g is None else str(g)


def _extra(f: Figure, key: str) -> Any:
    """An extra field of a figure (role, group, of_which …). Read from ``__pydantic_extra__``, the
    dict ``model_extra`` returns through a property: the checks ask ~200 times a report."""
    return (f.__pydantic_extra__ or {}).get(key)


def qualifier_of(f: Figure) -> str | None:
    """The source or level a table row names before its item ("县级" of "县级财政补助资金", see
    ``tables.qualifier`` in data/review/extract.yaml): such a figure is a part of its key's figure,
    not a statement of it, so it is compared only within its own row (clause group)."""
    q = _extra(f, "qualifier")
    return None if q is None else str(q)


def finest(figs: list[Figure]) -> list[Figure]:
    """The candidates without a rounded restatement of a finer one: "18.80亿元" (±50万元) around a
    table's 188037.64万元 is the same figure, printed coarser. Kept as a candidate, its wider interval
    is the closest recomputation whenever the exact figures disagree, and the finding would quote the
    restatement (which is right as printed) instead of the figures that disagree; a coarse figure
    that holds no finer one is kept (it may be another statement)."""
    ivs = [iv(f) for f in figs]
    out = []
    for a, f in zip(ivs, figs, strict=True):
        if not any(b.hi - b.lo < a.hi - a.lo and a.lo <= b.lo and b.hi <= a.hi for b in ivs):
            out.append(f)
    return out


class Index:
    """Figures by key, with the clause-first candidate rule of report audits (the reference form
    of ``GroupIndex``). ``by_key`` holds the key's own figures; a part by source or level
    (``qualifier_of``) is a candidate only within its own clause group."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.by_key: dict[Key, list[Figure]] = {}
        self.every: dict[Key, list[Figure]] = {}  # parts too, in the dataset's order
        for f in ds.figures:
            self.every.setdefault(f.key, []).append(f)
            if qualifier_of(f) is None:
                self.by_key.setdefault(f.key, []).append(f)
        self.funds = [f for f in ds.funds() if f != "all"]

    def all(self, key: Key) -> list[Figure]:
        return self.by_key.get(key, [])

    def candidates(self, key: Key, group: str | None) -> list[Figure]:
        figs = self.by_key.get(key, [])
        if group is not None:
            same = [f for f in self.every.get(key, []) if group_of(f) == group]
            if same:
                figs = same
        out: dict[tuple[float, float | None], Figure] = {}
        for f in figs:
            out.setdefault((f.value, f.precision), f)
        return finest(list(out.values())[:MAX_CANDIDATES])

    def with_measure(self, measure: str) -> Iterable[Figure]:
        return (f for f in self.ds.figures if f.measure == measure)


class GroupIndex(Index):
    """``Index`` with the figures of each (key, group) filed once: its ``candidates`` scanned every
    figure of the key for every derived figure, which made a report with thousands of rates of one
    item quadratic. Same answers, in the same order."""

    def __init__(self, ds: Dataset) -> None:
        # Index.__init__'s filing and the groups' in one pass, each figure's extras read once: an
        # index is built for every audit, and the two passes through ``qualifier_of``/``group_of``
        # cost more than the derived checks that use it on a short report.
        self.ds = ds
        self.by_key = {}
        self.every = {}
        self._by_group: dict[tuple[Key, str], list[Figure]] = {}
        self._dedup: dict[tuple[Key, str | None], list[Figure]] = {}
        self._asked: dict[tuple[Key, str | None], list[Figure]] = {}  # (key, group asked) → answer
        for f in ds.figures:
            key = (f.fund, f.item, f.measure)
            extra = f.__pydantic_extra__ or {}
            self.every.setdefault(key, []).append(f)
            if extra.get("qualifier") is None:
                self.by_key.setdefault(key, []).append(f)
            g = extra.get("group")
            if g is not None:
                self._by_group.setdefault((key, str(g)), []).append(f)
        self.funds = [f for f in ds.funds() if f != "all"]

    def candidates(self, key: Key, group: str | None) -> list[Figure]:
        # the answer is filed under the (key, group) asked, so a repeated question (every derived
        # figure asks for its inputs, ~100 a report) is one lookup; a copy, as Index returns
        asked = self._asked.get((key, group))
        if asked is not None:
            return list(asked)
        same = self._by_group.get((key, group)) if group is not None else None
        cache_key = (key, group if same else None)
        hit = self._dedup.get(cache_key)
        if hit is None:
            out: dict[tuple[float, float | None], Figure] = {}
            for f in same or self.by_key.get(key, []):
                out.setdefault((f.value, f.precision), f)
            hit = self._dedup[cache_key] = finest(list(out.values())[:MAX_CANDIDATES])
        self._asked[(key, group)] = hit
        return list(hit)


# ---- the context and the registry ----------------------------------------------------------


@dataclass
class AuditContext:
    """What every check reads: the dataset, its index and, for a report audit, the extraction
    (text, clauses, shares, targets, header, document); ``report`` is None for a dataset audit."""

    dataset: Dataset
    index: Index
    report: ExtractResult | None = None
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def once(self, name: str, make: Callable[[], T]) -> T:
        """``make()``, computed once per context under ``name``: what several checks of one audit
        read alike (review.audit's claims, reason lines, 自评表 names, parsed 指标值) is worked out
        once, and lives no longer than the audit (no cache outlives the context)."""
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]  # type: ignore[no-any-return]

    @classmethod
    def of(cls, dataset: Dataset, report: ExtractResult | None = None) -> AuditContext:
        return cls(dataset, GroupIndex(dataset), report)

    @cached_property
    def clauses(self) -> bool:
        """The figures carry clause groups (a report extraction): 其中 parts are the ones listed
        after their total, and restated figures are compared clause-aware (see check_restatements)."""
        return any(_extra(f, "group") is not None for f in self.dataset.figures)

    @cached_property
    def sentence_ends(self) -> list[int] | None:
        """Offsets of the report text's sentence-final marks (None without a text)."""
        return None if self.report is None else sentence_ends(self.report.text)

    @cached_property
    def subjects(self) -> dict[Any, Figure]:
        """The subject amount of each clause group."""
        out: dict[Any, Figure] = {}
        for x in self.dataset.figures:
            if _extra(x, "role") == "subject":
                out.setdefault(_extra(x, "group"), x)
        return out


CheckFn = Callable[[AuditContext], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A registered check: the function, the codes it may emit, whether it needs the extraction."""

    run: CheckFn
    codes: tuple[str, ...]
    needs_report: bool = False

    @property
    def name(self) -> str:
        return f"{self.run.__module__}.{self.run.__qualname__}"


REGISTRY: list[Check] = []


def check(*, codes: tuple[str, ...], needs_report: bool = False) -> Callable[[CheckFn], CheckFn]:
    """Register a check with the codes it may emit (in registration order, which is the order in
    which ``audit_dataset`` lists findings). Registering a function again replaces it (a reload)."""

    def register(fn: CheckFn) -> CheckFn:
        entry = Check(fn, tuple(codes), needs_report)
        for i, c in enumerate(REGISTRY):
            if c.name == entry.name:
                REGISTRY[i] = entry
                break
        else:
            REGISTRY.append(entry)
        return fn

    return register


def run_checks(ctx: AuditContext) -> Iterator[tuple[Check, Finding]]:
    """Every applicable registered check's findings, each with the check that made it."""
    for c in REGISTRY:
        if c.needs_report and ctx.report is None:
            continue
        for f in c.run(ctx):
            yield c, f


def audit_dataset(ds: Dataset) -> list[Finding]:
    """Run every registered dataset check; findings in registration order of their checks."""
    return [f for _c, f in run_checks(AuditContext.of(ds))]


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
    return unit_of_kind(codebook().items[f.item].kind)


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
    """The figures' distinct sources (equal as models), in order. A source whose span and text no
    earlier one has is new without comparing it with every kept one (pydantic ``==`` per pair)."""
    out: list[Source] = []
    spans: set[tuple[int, int, str]] = set()
    for f in figs:
        s = f.source
        if s is None:
            continue
        span = (s.start, s.end, s.text)
        if span not in spans or s not in out:
            spans.add(span)
            out.append(s)
    return out


def _severity(code: str, gap: float, stated: Figure) -> Severity:
    rules = audit_rules()
    p = stated.precision if stated.precision else digits_precision(stated.value)
    if gap <= rules.rounding_slack * p + 1e-9:
        return "info"
    return severity_of(code)


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
    own_row = qualifier_of(stated) is not None  # a part's rate: from its own row's amounts only
    best: _Best | None = None
    for opt in options:
        cands = [idx.candidates(k, g) for k in opt.keys]
        if own_row:
            cands = [[f for f in c if group_of(f) == g] for c in cands]
        else:
            # a figure of the fund's own is never recomputed from a part of it or from a figure on
            # another date (a 1-9月 table's 上年同期 balance is no opening balance), even in its row
            cands = [[f for f in c if qualifier_of(f) is None] for c in cands]
        if any(not c for c in cands):
            continue
        # each candidate's interval once, not once per combination it takes part in
        pairs = [[(f, iv(f)) for f in c] for c in cands]
        for combo in itertools.product(*pairs):
            try:
                c = opt.compute([x for _f, x in combo])
            except ZeroDivisionError:
                continue
            if s.meets(c):
                return None
            gap = s.gap(c)
            # when every recomputation misses, the shortest one is the report's own arithmetic
            # (上年末 + 当年收支结余 rather than 上年末 + 收入 − 支出, whose wider interval would win on
            # the gap alone); the gap decides between recomputations of the same length
            if best is None or (len(opt.keys), gap) < (len(best.option.keys), best.gap):
                best = _Best(gap, c, tuple(f for f, _x in combo), opt)
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
        severity=_severity(code, best.gap, stated),
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


def _derived(code: str, figs: Iterable[Figure], options: Options, idx: Index) -> list[Finding]:
    out = []
    for f in figs:
        best = _best(f, options(f), idx)
        if best is not None:
            out.append(_derived_finding(code, f, best))
    return out


@check(codes=("rate_mismatch",))
def check_completion_rates(ctx: AuditContext) -> list[Finding]:
    """completion_rate = actual / budget × 100; either budget basis will do unless `basis` is set."""

    def options(f: Figure) -> list[Option]:
        bases = [f.basis] if f.basis in ("budget", "budget_adjusted") else ["budget_adjusted", "budget"]
        show = lambda x: f"{bare(x[0])}/{bare(x[1])}×100"  # noqa: E731
        return [Option(((f.fund, f.item, "actual"), (f.fund, f.item, b)), ratio_pct, show) for b in bases]

    idx = ctx.index
    return _derived("rate_mismatch", idx.with_measure("completion_rate"), options, idx)


@check(codes=("yoy_rate_mismatch", "yoy_change_mismatch"))
def check_yoy(ctx: AuditContext) -> list[Finding]:
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

    idx = ctx.index
    return _derived("yoy_rate_mismatch", idx.with_measure("yoy_rate"), rate_options, idx) + _derived(
        "yoy_change_mismatch", idx.with_measure("yoy_change"), change_options, idx
    )


@check(codes=("balance_mismatch", "rolling_mismatch"))
def check_balances(ctx: AuditContext) -> list[Finding]:
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

    idx = ctx.index
    cur = [f for f in idx.with_measure("actual") if f.item == "balance_current"]
    roll = [f for f in idx.with_measure("actual") if f.item == "balance_rolling"]
    return _derived("balance_mismatch", cur, current, idx) + _derived("rolling_mismatch", roll, rolling, idx)


@check(codes=("months_mismatch",))
def check_payable_months(ctx: AuditContext) -> list[Finding]:
    """payable_months = rolling balance / (expenditure / 12), on total or benefit expenditure."""

    def options(f: Figure) -> list[Option]:
        roll = (f.fund, "balance_rolling", "actual")
        show = lambda x: f"{bare(x[0])}/({bare(x[1])}/12)"  # noqa: E731
        bases = ("expenditure_total", "benefits")
        return [Option((roll, (f.fund, b, "actual")), months, show) for b in bases]

    idx = ctx.index
    figs = [f for f in idx.with_measure("actual") if f.item == "payable_months"]
    return _derived("months_mismatch", figs, options, idx)


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


def _total_finding(code: str, total: Figure, figs: list[Figure], msg: str, lo: float, hi: float,
                   recomputation: str | None = None) -> Finding:  # fmt: skip
    return Finding(
        code=code,
        severity=severity_of(code),
        fund=total.fund,
        item=total.item,
        measure=total.measure,
        stated=total.value,
        expected_range=[lo, hi],
        message=msg,
        evidence=_sources([total, *figs]),
        recomputation=_sum_text(figs) if recomputation is None else recomputation,
    )


@cache
def _parents() -> frozenset[str]:
    return frozenset(it.parent for it in codebook().items.values() if it.parent)


def _part_code(total: Interval, parts: Interval, n_parts: int) -> str | None:
    """Parts that do not meet their total: above it is an error; below it only an info about an
    unlisted remainder, and only when enough parts are listed (其中 need not be exhaustive)."""
    if parts.lo > total.hi:
        return "sum_exceeds_total"
    if n_parts >= audit_rules().min_components_for_remainder:
        return "sum_below_total"
    return None


@check(codes=("sum_exceeds_total", "sum_below_total"))
def check_components(ctx: AuditContext) -> Iterator[Finding]:
    """其中 parts against their total. With clause groups (a report) the parts are the figures listed
    after the total (``of_which``); without them (a dataset) the code list's stated components."""
    yield from (_listed_components(ctx) if ctx.clauses else _coded_components(ctx))


def _listed_components(ctx: AuditContext) -> Iterator[Finding]:
    """A total with its 其中 list: the parts are the figures that name its clause as ``of_which``;
    a part whose ancestor is listed too is counted through that ancestor."""
    figs = ctx.dataset.figures
    cb = codebook()
    by_parent: dict[Any, list[Figure]] = {}
    totals: list[tuple[Figure, Any]] = []  # subjects with their group, in order (one pass)
    for f in figs:
        extra = f.__pydantic_extra__ or {}
        of_which = extra.get("of_which")
        if of_which is not None:
            by_parent.setdefault(of_which, []).append(f)
        g = extra.get("group")
        if g is not None and extra.get("role") == "subject":
            totals.append((f, g))
    for total, g in totals:
        parts = by_parent.get(g, [])
        listed = {p.item for p in parts}
        parts = [p for p in parts if not any(a in listed for a in cb.ancestors(p.item))]
        if not parts:
            continue
        s, t = sum_intervals([iv(p) for p in parts]), iv(total)
        if s.meets(t):
            continue
        code = _part_code(t, s, len(parts))
        if code is None:
            continue
        shown = "+".join(bare(p) for p in parts)
        head = f"{label(total.fund, total.item, total.measure)}写作{printed(total)}，其中所列{shown}合计"
        if code == "sum_exceeds_total":
            msg = f"{head}{s.lo:.2f}~{s.hi:.2f}，超过总数"
        else:
            msg = f"{head}{format_plain(s.mid)}，余{format_plain(t.mid - s.mid)}未列明（“其中”不必列全）"
        yield _total_finding(code, total, parts, msg, s.lo, s.hi, shown)


def _coded_components(ctx: AuditContext) -> Iterator[Finding]:
    """Each total of a parent item against the sum of its stated components (code list)."""
    rules, idx = audit_rules(), ctx.index
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
        code = _part_code(iv(t), s, len(parts))
        if code is None:
            continue
        names = "、".join(codebook().items[p].name for p in parts)
        lo, hi = _outward(s, 2)
        rel = "超过" if code == "sum_exceeds_total" else "小于"
        rest = "，另有未列明部分" if code == "sum_below_total" else ""
        msg = (f"{label(fund, item, measure)}{printed(t)}，其中所列{names}合计{_sum_text(figs)}"
               f"（{format_plain(lo)}~{format_plain(hi)}）{rel}总数{rest}")  # fmt: skip
        yield _total_finding(code, t, figs, msg, lo, hi)


def _fund_changes(item: str, idx: Index) -> tuple[Interval, list[Figure], str] | None:
    """The sum over funds of each fund's change of ``item`` over the year: its stated yoy_change,
    its actual − prior, or, with both, the widest of the two (a wrong stated change is its own
    yoy_change_mismatch, not also the total's); None when a fund has neither."""
    ivs: list[Interval] = []
    figs: list[Figure] = []
    shown: list[str] = []
    for fund in idx.funds:
        ways: list[Interval] = []
        texts: list[str] = []
        if idx.all((fund, item, "yoy_change")):
            s, used = _span([(fund, item, "yoy_change")], None, idx)
            ways.append(s)
            figs.extend(used)
            texts.append(_sum_text(used))
        if idx.all((fund, item, "actual")) and idx.all((fund, item, "prior")):
            a, used_a = _span([(fund, item, "actual")], None, idx)
            p, used_p = _span([(fund, item, "prior")], None, idx)
            ways.append(a - p)
            figs.extend(used_a + used_p)
            texts.append(f"({bare(used_a[0])}−{bare(used_p[0])})")
        if not ways:
            return None
        ivs.append(Interval(min(w.lo for w in ways), max(w.hi for w in ways)))
        shown.append(texts[0])
    return sum_intervals(ivs), figs, "+".join(shown).replace("+-", "−")


@check(codes=("fund_total_mismatch",))
def check_fund_totals(ctx: AuditContext) -> list[Finding]:
    """Fund `all` against the sum over funds, when every fund present states the figure; an
    all-funds YoY change against the funds' changes (each stated, or its actual − prior)."""
    rules, idx = audit_rules(), ctx.index
    out: list[Finding] = []
    if len(idx.funds) < 2:
        return out
    for item in rules.fund_total_items:
        for measure in rules.fund_total_measures:
            totals = idx.all(("all", item, measure))
            if not totals:
                continue
            if measure == "yoy_change":
                found = _fund_changes(item, idx)
                if found is None:
                    continue
                s, figs, shown = found
            else:
                keys = [(f, item, measure) for f in idx.funds]
                if any(not idx.all(k) for k in keys):
                    continue
                s, figs = _span(keys, None, idx)
                shown = _sum_text(figs)
            if any(iv(t).meets(s) for t in totals):
                continue
            t = min(totals, key=lambda x: iv(x).gap(s))
            lo, hi = _outward(s, 2)
            msg = (f"{label('all', item, measure)}写作{printed(t)}，与各基金之和{shown}"
                   f"（{format_plain(lo)}~{format_plain(hi)}）不符")  # fmt: skip
            out.append(_total_finding("fund_total_mismatch", t, figs, msg, lo, hi, shown))
    return out


# ---- restatements -------------------------------------------------------------------------


def sentence_ends(text: str) -> list[int]:
    """Offsets of the sentence-final marks of ``text``, ascending."""
    return [m.start() for m in re.finditer(r"[。！？!?]", text)]


def same_sentence(ends: list[int], a: Figure, b: Figure) -> bool:
    """Two values of one key in one sentence are two bases ("按基金支出计算…按待遇支出计算"),
    not a restatement: no sentence end lies between them (``ends`` is ``sentence_ends(text)``).
    The pairwise reference of the sentence numbers ``check_restatements`` compares."""
    if a.source is None or b.source is None:
        return False
    lo, hi = sorted((a.source.end, b.source.start))
    i = bisect.bisect_left(ends, lo)
    return not (i < len(ends) and ends[i] < hi)


_LABEL_NOISE = re.compile(r"[\s\d.,%，、：:]|万元|人次|[人名年度末]")


def label_of(f: Figure) -> str:
    """The words of a figure's quote without its number and unit: the population a count is of
    (the pattern compiled once, not looked up in ``re``'s cache for every restated count)."""
    text = f.source.text if f.source else ""
    return _LABEL_NOISE.sub("", text)


def _clusters(ivs: list[Interval | None]) -> list[int | None]:
    """A cluster number per interval: intervals that meet, directly or through others, share one
    (a sort and a sweep); None stays None."""
    order = sorted((i for i, x in enumerate(ivs) if x is not None), key=lambda i: ivs[i].lo)  # type: ignore[union-attr]
    out: list[int | None] = [None] * len(ivs)
    run: Interval | None = None
    n = -1
    for i in order:
        x = ivs[i]
        assert x is not None
        if run is None or not run.meets(x):
            n, run = n + 1, x
        else:
            run = Interval(run.lo, max(run.hi, x.hi))
        out[i] = n
    return out


def _extremes(rows: list[tuple[int, Interval, int]]) -> list[int]:
    """The rows (position, interval, sentence) whose interval misses that of a row in another
    sentence, in linear time: a set of intervals pairwise meets iff max(lo) ≤ min(hi), so each
    row need only be compared with the lowest ``hi`` and the highest ``lo`` of the other sentences
    (the best two sentences of each kept, in case the best is the row's own)."""
    low: dict[int, tuple[float, int]] = {}  # sentence → (min hi, row)
    high: dict[int, tuple[float, int]] = {}  # sentence → (max lo, row)
    for r, (_, x, sid) in enumerate(rows):
        if sid not in low or x.hi < low[sid][0]:
            low[sid] = (x.hi, r)
        if sid not in high or x.lo > high[sid][0]:
            high[sid] = (x.lo, r)
    lows = sorted(low.items(), key=lambda kv: kv[1][0])[:2]
    highs = sorted(high.items(), key=lambda kv: -kv[1][0])[:2]
    out = []
    for pos, x, sid in rows:
        lo_row = next((r for s, (_, r) in lows if s != sid), None)
        hi_row = next((r for s, (_, r) in highs if s != sid), None)
        if any(r is not None and not x.meets(rows[r][1]) for r in (lo_row, hi_row)):
            out.append(pos)
    return out


def _quoted(involved: list[int], figs: list[Figure]) -> list[int]:
    """At most MAX_RESTATED statements to quote, every value among them first, in list order."""
    if len(involved) <= MAX_RESTATED:
        return involved
    first: dict[tuple[float, float | None], int] = {}
    for i in involved:
        first.setdefault((figs[i].value, figs[i].precision), i)
    keep = set(list(first.values())[:MAX_RESTATED])
    for i in involved:
        if len(keep) >= MAX_RESTATED:
            break
        keep.add(i)
    return sorted(keep)


@check(codes=("restatement_conflict", "duplicate_conflict"))
def check_restatements(ctx: AuditContext) -> Iterator[Finding]:
    """The same (fund, item, measure, basis) stated twice with values whose intervals do not meet.

    In a report (a text) it is a restatement: two values in one sentence are two bases, not a
    restatement. With clause groups, a restated rate or change is compared only with one on the
    same amount (its clause's subject; amounts that meet, directly or through others, are one),
    and counts only when their labels agree (counts of two populations under one code). A figure's
    sentence is that of its start. One pass over the figures of a key (``_extremes``; derived
    figures first sort their subject amounts), not a comparison of every pair: no statement of a
    key, however often it is restated, goes unchecked."""
    figs = ctx.dataset.figures
    cb = codebook()
    code = "restatement_conflict" if ctx.report is not None else "duplicate_conflict"
    ends = ctx.sentence_ends
    by_key: dict[tuple[Key, str | None, str | None], list[int]] = {}
    for i, f in enumerate(figs):  # a part by source or level is a key of its own (``qualifier_of``)
        by_key.setdefault((f.key, f.basis, qualifier_of(f)), []).append(i)
    for ((fund, item, measure), _basis, _qualifier), members in by_key.items():
        if len(members) < 2:
            continue
        ivs = {i: stated_iv(figs[i]) if measure in RATE_MEASURES else iv(figs[i]) for i in members}
        subject = [None] * len(members)
        if ctx.clauses and measure in DERIVED:
            subj = [ctx.subjects.get(_extra(figs[i], "group")) for i in members]
            subject = _clusters([iv(x) if x is not None else None for x in subj])
        labels = [None] * len(members)
        if ctx.clauses and cb.items[item].kind != "money":
            labels = [label_of(figs[i]) for i in members]
        buckets: dict[tuple[Any, Any], list[tuple[int, Interval, int]]] = {}
        for n, i in enumerate(members):
            if ctx.clauses and measure in DERIVED and subject[n] is None:
                continue  # no amount of its own to tell which restatement it is
            src = figs[i].source
            sid = bisect.bisect_left(ends, src.start) if ends is not None and src is not None else -1 - i
            buckets.setdefault((subject[n], labels[n]), []).append((i, ivs[i], sid))
        involved = sorted(i for rows in buckets.values() if len(rows) > 1 for i in _extremes(rows))
        if not involved:
            continue
        quoted = _quoted(involved, figs)
        values = "与".join(dict.fromkeys(printed(figs[i]) for i in quoted))
        yield Finding(
            code=code, severity=severity_of(code), fund=fund, item=item, measure=measure,
            stated=figs[involved[0]].value,
            message=f"{label(fund, item, measure)}前后写作{values}，同一数字前后不一致",
            evidence=_sources(figs[i] for i in quoted))  # fmt: skip
