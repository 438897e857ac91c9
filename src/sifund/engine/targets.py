"""Target expressions of the 自评表 (指标值) and their actuals, parsed and judged.

Forms seen in real tables: ``≥99%``, ``>90%``, ``≤0``, ``100%`` (equality), ``99%以上``,
``不低于95%``, bands (``90%-110%``, ``≥95%或≤105%`` — literally vacuous with 或, read as a band),
time limits (``30日内完成审核拨付``, ``每季度结束后的5日内``, ``每月25日前``, ``20个工作日内``) and
qualitative texts. Actuals use the same forms; an actual written as a bound (``>90%``) meets a
target only when the bound implies it.

Two readings follow how 自评表 are written rather than the letter: a bare count in a 数量指标
(``1200人``, ``5个``) is a floor — serving more people than planned meets the target — so it reads
as ``≥``; and a target without a unit (``≥95``) is flagged, because ``95`` might be 95% or 95人 and
the comparison then rests on a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Literal

from sifund.core.codes import codebook
from sifund.core.model import Indicator
from sifund.core.numbers import UNITS, WIDE_COMPARATORS, find_quantities, normalize_digits
from sifund.engine.config import Binding, target_words
from sifund.engine.results import IndicatorResult, Metric, Status

Kind = Literal["compare", "band", "deadline", "qualitative", "empty"]
LOWER, UPPER = ("≥", ">"), ("≤", "<")
# full-width singles first, so "＞＝" becomes ">=" and then "≥"
_SYMBOLS = {**WIDE_COMPARATORS, "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤", ">=": "≥", "<=": "≤"}
_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = r"(%|‰|人次|万人|人|万元|亿元|元|个月|户|名|件|次|个)?"
_RANGE = re.compile(rf"^{_NUM}\s*{_UNIT}\s*(?:-|~|～|—|－|–|至|到)+\s*{_NUM}\s*{_UNIT}(?:之间)?$")
_CONJ = r"(或|且|并且|和|、|,|，|/)?"
_TWO = re.compile(rf"^([≥>≤<])\s*{_NUM}\s*{_UNIT}\s*{_CONJ}\s*([≥>≤<])\s*{_NUM}\s*{_UNIT}$")
# 90%以上110%以下
_ABOVE_BELOW = re.compile(rf"^{_NUM}{_UNIT}及?以上(?:、|,|，|且|并且|和)?{_NUM}{_UNIT}及?以下$")
_BETWEEN = re.compile(rf"^{_NUM}{_UNIT}[≤<][^\d≤<≥>]{{0,8}}[≤<]{_NUM}{_UNIT}$")  # 90%≤x≤110%
_WITHIN = re.compile(rf"{_NUM}\s*(个)?(工作日|日|天|个月|月|小时)\s*(?:内|以内|之内)")
_BY_DAY = re.compile(r"(\d+)\s*日\s*(?:前|之前|以前)")
_MONTH_DAY = re.compile(r"每月(\d+)日")  # an actual "每月8日发放": paid on day 8
_RATIO = re.compile(rf"{_NUM}[:：]1(?![\d.])")  # 抚养比 1.62:1
QUALITATIVE_UNKNOWN = "定性指标，无法自动判断；请在数据中填写评价结论 judgement（full/partial/zero）"
# 二级指标 whose bare counts are floors; units that count (people, visits, and count words)
AT_LEAST_LEVEL2 = ("数量",)
COUNT_KINDS = ("people", "count")
_PUNCT = re.compile(r"[\s，,。；;、：:（）()“”\"']")


@dataclass(frozen=True)
class Target:
    """A parsed 指标值 or 实际完成值."""

    kind: Kind
    text: str
    op: str | None = None  # ≥ > ≤ < = (compare)
    value: float | None = None
    unit: str = ""
    precision: float | None = None
    lo: float | None = None  # band, inclusive
    hi: float | None = None
    literal_vacuous: bool = False
    note: str = ""
    days: float | None = None  # deadline: within N units, or by day N of the period
    day_unit: str = ""  # 日 / 工作日 / 个月 / 小时; "by_day" for 每月25日前
    anchor: str = ""  # 每季度结束后, 每月 …
    rest: str = ""  # words after the number (完成审核拨付)
    warning: str = ""  # the text needs fixing (no unit); the judgement still uses the number

    def show(self, v: float | None = None) -> str:
        """The value as printed in the table: 9203人, 95%, 0."""
        v = self.value if v is None else v
        return f"{_num(v, self.precision)}{self.unit}"

    @property
    def is_quantitative(self) -> bool:
        return self.kind in ("compare", "band", "deadline")


def _num(v: float | None, precision: float | None = None) -> str:
    if v is None:
        return "—"
    if precision:
        places = max(0, -Decimal(repr(precision)).normalize().as_tuple().exponent)  # type: ignore[operator]
        return f"{v:.{places}f}"
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


@dataclass(frozen=True)
class _Vocab:
    ops: tuple[tuple[str, str], ...]  # (word, op), longest word first
    suffix_ops: tuple[tuple[str, str], ...]
    filler: re.Pattern[str]
    filler_tail: re.Pattern[str]
    extra_unit: re.Pattern[str]  # count and duration words numbers.py does not know
    durations: dict[str, str]
    zero: frozenset[str]


@cache
def _vocab() -> _Vocab:
    w = target_words()
    ops = sorted(((x, op) for op, xs in w.word_ops.items() for x in xs), key=lambda p: -len(p[0]))
    sops = sorted(((x, op) for op, xs in w.suffix_ops.items() for x in xs), key=lambda p: -len(p[0]))
    alt = lambda xs: "|".join(re.escape(x) for x in sorted(xs, key=len, reverse=True))  # noqa: E731
    return _Vocab(
        tuple(ops), tuple(sops),
        re.compile(rf"^({alt(w.filler_before)})*$"),
        re.compile(rf"^({alt(w.filler_after)})?[。；;，,]?$"),
        re.compile(rf"^({alt([*w.duration_units, *w.count_units])})"),
        dict(w.duration_units), frozenset(w.zero_words),
    )  # fmt: skip


def _clean(text: str) -> str:
    t = normalize_digits(text or "").strip()
    for a, b in _SYMBOLS.items():
        t = t.replace(a, b)
    t = re.sub(r"[（(]含[）)]", "", t)  # 98.5%（含）以上
    t = _RATIO.sub(r"\1", t)
    return re.sub(r"\s+", "", t)


def _precision(digits: str) -> float:
    return 10.0 ** -len(digits.split(".", 1)[1]) if "." in digits else 1.0


def _band(text: str, lo: float, hi: float, unit: str, prec: float, vacuous: bool = False) -> Target:
    lo, hi = min(lo, hi), max(lo, hi)
    note = ""
    if vacuous:
        note = f"字面“或”连接的两个条件任何数值都满足，按区间{_num(lo)}{unit}~{_num(hi)}{unit}理解"
    return Target("band", text, lo=lo, hi=hi, unit=unit, precision=prec, literal_vacuous=vacuous, note=note)


def _anchor(prefix: str) -> str:
    return re.sub(r"[的在于]+$", "", prefix)


def _deadline(text: str, t: str) -> Target | None:
    m = _BY_DAY.search(t) or _MONTH_DAY.search(t)
    if m:
        anchor = _anchor(t[: m.start()]) or "每月"
        return Target("deadline", text, days=float(m.group(1)), day_unit="by_day", anchor=anchor,
                      rest=t[m.end():], unit="日")  # fmt: skip
    m = _WITHIN.search(t)
    if m:
        unit = m.group(3)
        unit = {"天": "日", "月": "个月"}.get(unit, unit)
        return Target("deadline", text, days=float(m.group(1)), day_unit=unit, anchor=_anchor(t[: m.start()]),
                      rest=t[m.end():], unit=unit)  # fmt: skip
    return None


def _word_op(prefix: str, suffix: str) -> str | None:
    """The comparison the words around a number express; None when they are not just that."""
    v = _vocab()
    op = None
    w = next(((w, o) for w, o in v.ops if prefix.endswith(w)), None)
    if w:
        prefix, op = prefix[: -len(w[0])], w[1]
    if prefix.endswith(tuple(LOWER + UPPER + ("=",))):
        op, prefix = prefix[-1], prefix[:-1]
    w = next(((w, o) for w, o in v.suffix_ops if suffix.startswith(w)), None)
    if w:
        suffix = suffix[len(w[0]) :]
        op = op or w[1]
    if not v.filler.match(prefix) or not v.filler_tail.match(suffix):
        return None
    return op or "="


def _bands(text: str, t: str) -> Target | None:
    """Two bounds: ≥95%或≤105%, 90%-110%, 90%以上110%以下, 90%≤x≤110%."""
    m = _TWO.match(t)
    if m:
        op1, v1, u1, conj, op2, v2, u2 = m.groups()
        if (op1 in LOWER) != (op2 in LOWER):
            lo, hi = (float(v1), float(v2)) if op1 in LOWER else (float(v2), float(v1))
            prec = min(_precision(v1), _precision(v2))
            return _band(text, lo, hi, u1 or u2 or "", prec, vacuous=conj == "或" and lo <= hi)
    m = _RANGE.match(t) or _ABOVE_BELOW.match(t) or _BETWEEN.match(t)
    if m:
        v1, u1, v2, u2 = m.groups()
        return _band(text, float(v1), float(v2), u1 or u2 or "", min(_precision(v1), _precision(v2)))
    return None


def parse_target(text: str, level2: str = "") -> Target:
    """Parse a 指标值 or an actual; anything not understood is qualitative (kept verbatim).

    ``level2``: the indicator's 二级指标; in a 数量指标 a bare count (``1200人``) means at least."""
    t = _clean(text)
    if not t:
        return Target("empty", text)
    if t in _vocab().zero:
        return Target("compare", text, op="=", value=0.0, precision=1.0)
    found = _bands(text, t) or _deadline(text, t)
    if found is not None:
        return _unit_warning(found, text)
    qs = find_quantities(t)
    if len(qs) == 1:
        q = qs[0]
        unit = q.quantity.unit
        suffix = t[q.end :]
        if not unit:  # units numbers.py does not know (件, 起, 个工作日) stay in the suffix
            mu = _vocab().extra_unit.match(suffix)
            if mu:
                unit, suffix = mu.group(1), suffix[mu.end() :]
        op = _word_op(t[: q.start], suffix)
        value = float(q.quantity.value)
        duration = _vocab().durations.get(unit)
        if op in ("≤", "<", "=") and duration:  # ≤5个工作日, 3天: a time limit
            return Target("deadline", text, days=value, day_unit=duration, unit=duration)
        if op is not None:
            found = Target("compare", text, op=op, value=value, unit=unit,
                           precision=float(q.quantity.precision))  # fmt: skip
            if op == "=" and "=" not in t[: q.start]:
                found = _count_floor(found, level2)
            return _unit_warning(found, text)
    return Target("qualitative", text)


def _is_count(unit: str) -> bool:
    return (unit in UNITS and UNITS[unit][0] in COUNT_KINDS) or unit in target_words().count_units


def _count_floor(t: Target, level2: str) -> Target:
    """``1200人`` in a 数量指标 → ``≥1200人``: a planned number of people or items is a floor.
    A zero (``0件``) stays a ceiling-like equality: nobody plans "at least none"."""
    if not any(w in level2 for w in AT_LEAST_LEVEL2) or not _is_count(t.unit) or not t.value:
        return t
    note = f"数量指标“{t.text.strip()}”未写比较符，按不少于{t.show()}理解"
    return replace(t, op="≥", note=note)


def _unit_warning(t: Target, text: str) -> Target:
    """A number without a unit (``≥95``) in a compare or band target: ask for the unit. Zero
    (``≤0``: 违规使用基金) and ratios (``2:1``, cleaned to ``2``) need none."""
    if t.kind not in ("compare", "band") or t.unit:
        return t
    values = [v for v in (t.value, t.lo, t.hi) if v is not None]
    if not any(values) or _RATIO.search(normalize_digits(text or "")):
        return t
    shown = "~".join(_num(v) for v in values)
    why = f"指标值“{text.strip()}”未写单位（如%、人、个月），暂按数值{shown}比较，请补写单位"
    return replace(t, warning=why)


# ---- judging ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    status: Status
    why: str
    actual_value: float | None = None
    completion: float | None = None  # 0..1, for the proportional score of an unmet target
    by_judgement: bool = False  # decided by the data's `judgement`, scored by its factor


def _factor(unit: str) -> tuple[str, Decimal] | None:
    if unit in UNITS:
        return UNITS[unit]
    return (unit, Decimal(1))


def _convert(value: float, unit: str, to: str) -> float | None:
    """Value in ``unit`` expressed in ``to`` (万人 → 人); None when the kinds differ."""
    if unit == to or not unit or not to:
        return value
    a, b = _factor(unit), _factor(to)
    if a is None or b is None or a[0] != b[0]:
        return None
    return float(Decimal(repr(value)) * a[1] / b[1])


def _holds(op: str, v: float, x: float, eps: float = 1e-9) -> bool:
    tol = eps * max(1.0, abs(v), abs(x))
    return {
        "≥": v >= x - tol,
        ">": v > x + tol,
        "≤": v <= x + tol,
        "<": v < x - tol,
        "=": abs(v - x) <= tol,
    }[op]


def _ratio(part: float, whole: float) -> float:
    if whole <= 0 or part <= 0:
        return 0.0
    return max(0.0, min(1.0, part / whole))


def _judge_number(t: Target, v: float, shown: str) -> Judgement:
    goal = t.text.strip()
    if t.kind == "band":
        assert t.lo is not None and t.hi is not None
        if t.lo - 1e-9 <= v <= t.hi + 1e-9:
            return Judgement("met", f"实际{shown}在目标区间{t.show(t.lo)}~{t.show(t.hi)}内", v, 1.0)
        side = "低于" if v < t.lo else "高于"
        comp = _ratio(v, t.lo) if v < t.lo else _ratio(t.hi, v)
        return Judgement("not_met", f"实际{shown}{side}目标区间{t.show(t.lo)}~{t.show(t.hi)}", v, comp)
    assert t.op is not None and t.value is not None
    x = t.value
    if _holds(t.op, v, x):
        return Judgement("met", f"实际{shown}达到目标{goal}", v, 1.0)
    at_bound = _holds("=", v, x)  # only a strict target can be missed at its bound
    if t.op in LOWER:
        why = f"实际{shown}未超过目标{goal}" if at_bound else f"实际{shown}低于目标{t.show()}"
        return Judgement("not_met", why, v, _ratio(v, x))
    if t.op in UPPER:
        why = f"实际{shown}未低于目标{goal}" if at_bound else f"实际{shown}高于目标{goal}"
        return Judgement("not_met", why, v, _ratio(x, v) if v > 0 else 0.0)
    comp = min(_ratio(v, x), _ratio(x, v))
    return Judgement("not_met", f"实际{shown}不等于目标{t.show()}", v, comp)


def _judge_bound(t: Target, a: Target, av: float) -> Judgement:
    """An actual written as a bound (>90%): met only when the bound implies the target."""
    shown, goal = a.text.strip(), t.text.strip()
    aop = a.op or "="
    if t.kind == "compare" and t.op in LOWER + UPPER and t.value is not None:
        x = t.value
        same_side = (aop in LOWER) == (t.op in LOWER)
        if same_side:
            strict_ok = t.op in ("≥", "≤") or aop in (">", "<") or av != x
            implied = (av >= x if t.op in LOWER else av <= x) and (strict_ok or av != x)
            if implied:
                return Judgement("met", f"实际表述为{shown}，可推出达到目标{goal}", av, 1.0)
        else:
            excluded = (av < x or (av == x and (aop == "<" or t.op == ">"))) if t.op in LOWER else (
                av > x or (av == x and (aop == ">" or t.op == "<")))  # fmt: skip
            if excluded:
                return Judgement("not_met", f"实际表述为{shown}，未达到目标{goal}", av, 0.0)
    bands = t.kind == "band" and a.kind == "band"
    if bands and None not in (t.lo, t.hi, a.lo, a.hi) and t.lo <= a.lo and a.hi <= t.hi:  # type: ignore[operator]
        return Judgement("met", f"实际区间{shown}在目标区间{goal}内", None, 1.0)
    return Judgement("unknown", f"实际仅表述为{shown}，不能确定是否达到目标{goal}", av)


def _norm_anchor(s: str) -> str:
    return re.sub(r"(结束后|结束|之后|后|的)", "", s)


def _judge_deadline(t: Target, a: Target) -> Judgement:
    goal, shown = t.text.strip(), a.text.strip()
    assert t.days is not None and a.days is not None
    if t.day_unit != a.day_unit:
        return Judgement("unknown", f"实际时限{shown}与目标{goal}口径不同（{a.day_unit}/{t.day_unit}）")
    if a.anchor and t.anchor and _norm_anchor(a.anchor) != _norm_anchor(t.anchor):
        return Judgement("unknown", f"实际时限{shown}与目标{goal}的起算点不同")
    if a.days <= t.days + 1e-9:
        return Judgement("met", f"实际时限“{shown}”未超过目标时限“{goal}”", a.days, 1.0)
    return Judgement("not_met", f"实际时限“{shown}”超过目标时限“{goal}”", a.days, _ratio(t.days, a.days))


def _bare_text(s: str) -> str:
    """A qualitative text without spaces and punctuation, digits half-width: what compares as equal."""
    return _PUNCT.sub("", normalize_digits(s or ""))


def _by_judgement(judgement: str | None, why_unknown: str) -> Judgement:
    if judgement == "full":
        return Judgement("met", "按评价结论（judgement: full）认定完成", None, 1.0, True)
    if judgement == "partial":
        return Judgement("partly_met", "按评价结论（judgement: partial）认定部分完成", None, None, True)
    if judgement == "zero":
        return Judgement("not_met", "按评价结论（judgement: zero）认定未完成", None, 0.0, True)
    return Judgement("unknown", why_unknown)


def judge(target: Target, actual: Target, judgement: str | None = None) -> Judgement:
    """Compare a parsed actual with a parsed target; ``judgement`` decides what text cannot."""
    goal = target.text.strip()
    if target.kind == "empty":
        return _by_judgement(judgement, "指标值为空，无法判断")
    if actual.kind == "empty":
        return _by_judgement(judgement, "实际完成值为空，无法判断")
    if target.kind in ("compare", "band") and actual.kind == "compare" and actual.value is not None:
        v = _convert(actual.value, actual.unit, target.unit)
        if v is None:
            return _by_judgement(judgement, f"实际{actual.text.strip()}与目标{goal}单位不同，无法比较")
        if actual.op in (None, "="):
            return _judge_number(target, v, actual.show())
        out = _judge_bound(target, Target("compare", actual.text, op=actual.op, value=v), v)
        return out if out.status != "unknown" else _by_judgement(judgement, out.why)
    if target.kind == "band" and actual.kind == "band":
        out = _judge_bound(target, actual, actual.lo or 0.0)
        return out if out.status != "unknown" else _by_judgement(judgement, out.why)
    if target.kind == "deadline" and actual.kind == "deadline":
        return _judge_deadline(target, actual)
    a, g = _bare_text(actual.text), _bare_text(target.text)
    if a and g and (a == g or g in a):
        return Judgement("met", f"实际“{actual.text.strip()}”与目标“{goal}”一致", None, 1.0)
    if target.kind == "qualitative":
        return _by_judgement(judgement, QUALITATIVE_UNKNOWN)
    return _by_judgement(judgement, f"实际“{actual.text.strip()}”无法与目标“{goal}”比较")


# ---- indicators -------------------------------------------------------------------------

MetricLookup = Callable[[str, str], Metric | None]


def bound_metric(ind: Indicator, bindings: list[Binding]) -> str | None:
    """The metric an indicator takes its actual from: its own `metric:`, else a name binding
    when no actual is stated (a stated actual is never silently replaced)."""
    if ind.metric:
        return ind.metric
    if ind.actual.strip():
        return None
    return next((b.metric for b in bindings if re.search(b.pattern, ind.name)), None)


def evaluate_indicator(
    ind: Indicator, lookup: MetricLookup, bindings: list[Binding] | None = None
) -> IndicatorResult:
    """Judge one 三级指标: the actual comes from a bound metric when there is one, else the text."""
    target = parse_target(ind.target, ind.level2)
    code = bound_metric(ind, bindings or [])
    notes: list[str] = [target.note] if target.note else []
    warning = target.warning
    actual, actual_from = parse_target(ind.actual), "stated"
    if code:
        fund = ind.fund or "all"
        m = lookup(fund, code)
        fund_name = codebook().funds[fund].short
        if m is not None and not m.unit:
            warning = ""  # a unit-less metric (抚养比): a unit-less target is right
        if m is not None and m.value is not None:
            v = round(m.value, 2)
            shown = f"{_num(v, 0.01)}{m.unit}"
            actual = Target("compare", shown, op="=", value=v, unit=m.unit, precision=0.01)
            actual_from = f"metric:{code}"
            notes.append(f"实际值取自计算指标“{m.name}”（{fund_name}）{actual.show()}")
            stated = parse_target(ind.actual)
            if stated.kind == "compare" and stated.op == "=" and stated.value is not None:
                half = (stated.precision or 0) / 2 + 1e-9
                if abs(stated.value - v) > half:
                    notes.append(f"与所填实际值{ind.actual.strip()}不一致")
        else:
            why = m.note if m is not None and m.note else "数据不足"
            notes.append(f"计算指标{code}（{fund_name}）不可得：{why}；改用所填实际值")
    j = judge(target, actual, ind.judgement)
    extra: dict[str, object] = {"target_kind": target.kind}
    if j.by_judgement:
        extra["by_judgement"] = True
    if target.literal_vacuous:
        extra["literal_vacuous"] = True
    if warning:
        extra["warning"] = warning
        notes.append(warning)
    if notes:
        extra["note"] = "；".join(notes)
    return IndicatorResult(indicator=ind, status=j.status, why=j.why, actual_value=j.actual_value,
                           actual_from=actual_from, completion=j.completion, **extra)  # fmt: skip
