"""The data behind the dashboard (pages, downloads and the API alike): one row per region-year over a
user's area, per-region trends across years, and a region against its sibling regions.

Which submission stands for a region-year: the newest one (highest id) — a later upload is a new
version of that year's report. Rows come from the columns stored on each submission (score, grade,
completion, months, risk counts), so the grid of a province × 10 years is one indexed query (plus
one for the regions); the large ``dataset``/``evaluation`` JSON is not read for it.

Colours follow the engine's own rules, read from ``data/engine/risks.yaml`` (never typed here):
the expenditure-completion band is the ``outside [lo, hi]`` condition of the rule on
``expenditure_completion``; the months-of-payment thresholds are the ``<`` conditions of the 高 and
中 rules on ``payable_months``. A change of those rules recolours the dashboard.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from statistics import median
from typing import Any

from django.db.models import Max
from django.http import Http404

from sifund.core.codes import codebook
from sifund.engine.config import default_config
from sifund.web import scope
from sifund.web.models import LEVEL_NAMES, STATUS_NAMES, STATUSES, Region, Submission

HEAVY = ("dataset", "evaluation")  # the JSON columns the grid never reads


def _latest_ids(a: scope.Actor, years: Iterable[int] | None = None, regions: Any = None):  # -> subquery
    """The ids of the newest submission of every region-year ``a`` sees (of ``years``, of
    ``regions``: a Region, or a queryset/list of them), as a subquery."""
    qs = scope.submissions(a)
    if years is not None:
        qs = qs.filter(year__in=list(years))
    if isinstance(regions, Region):
        qs = qs.filter(region=regions)
    elif regions is not None:
        qs = qs.filter(region__in=regions)
    return qs.order_by().values("region_id", "year").annotate(last=Max("id")).values("last")


def latest(a: scope.Actor, year: int | None = None, regions: Any = None):  # -> QuerySet[Submission]
    """The newest submission of every region-year ``a`` sees (optionally of one year, of some
    regions)."""
    ids = _latest_ids(a, None if year is None else [year], regions)
    return Submission.objects.filter(id__in=ids).select_related("region")


def area_stamp(a: scope.Actor) -> str:
    """What the data behind the caller's area looks like now, cheaply: the newest audit-trail event
    (id and time; every create, save and transition of a submission writes one in the same
    transaction, see :mod:`sifund.web.services`) and the regions' count and newest id. A cached
    grid is reused only while the stamp is unchanged.

    Why global rather than the area's own submissions: an aggregate over the area (count, newest id,
    last change through the region join) cost ~10 ms on 3,000 submissions, a third of a dashboard
    request; the newest event id is one index lookup. A change elsewhere rebuilds this area's grid
    once, which is cheap next to reading a stale one. (A region renamed in the admin pages writes no
    event; its new name shows when the entry expires, after :data:`CACHE_SECONDS`.)"""
    from django.db.models import Count

    from sifund.web.models import Event

    # id and time: an id alone may come back after a rolled-back transaction (SQLite's sequence
    # rolls back with it), its time does not
    e = Event.objects.order_by("-id").values_list("id", "at").first()
    r = Region.objects.aggregate(n=Count("id"), top=Max("id"))
    area = "all" if a.is_admin else f"{a.role}:{a.region.path if a.region else '-'}"
    return f"{area}|{e}|{r['n']}|{r['top']}"


CACHE_SECONDS = 300
CACHE_ENTRIES = 64
_memo: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_memo_lock = threading.Lock()


def cached(kind: str, a: scope.Actor, params: Any, build: Any) -> Any:
    """``build()`` for this area and ``params``, from a per-process memo while the area is unchanged
    (a province grid of 1,500 cells costs ~100 ms to build, the stamp well under 1 ms).

    Why not Django's cache: its local-memory backend pickles every value, and unpickling a
    province's grid (12,600 model objects) took ~20 ms a request — most of what caching saved. The
    memo keeps the objects themselves, so callers treat them as read-only. Bounded: the newest
    :data:`CACHE_ENTRIES` entries, each for at most :data:`CACHE_SECONDS`."""
    key = f"{kind}|{area_stamp(a)}|{params!r}"
    now = time.monotonic()
    with _memo_lock:
        hit = _memo.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            _memo.move_to_end(key)
            return hit[1]
    value = build()  # outside the lock: two threads may build the same grid once each, never wait
    with _memo_lock:
        _memo[key] = (now, value)
        _memo.move_to_end(key)
        while len(_memo) > CACHE_ENTRIES:
            _memo.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every memoised grid (tests; a process that changed regions outside the web app)."""
    with _memo_lock:
        _memo.clear()


def grid_rows(a: scope.Actor, year: int | None = None) -> list[dict[str, Any]]:
    """web.md's dashboard rows (cached per area while nothing in it changes; see :func:`cached`)."""
    return cached("rows", a, year, lambda: _grid_rows(a, year))


def _grid_rows(a: scope.Actor, year: int | None = None) -> list[dict[str, Any]]:
    """web.md's dashboard rows: region, year, status, score, grade, expenditure_completion,
    payable_months, risks {high, medium, low} (plus id and level)."""
    out = []
    for s in latest(a, year).defer(*HEAVY).order_by("region__path", "year"):
        out.append(
            {
                "id": s.pk,
                "region": s.region.name,
                "level": s.region.level,
                "year": s.year,
                "status": s.status,
                "score": s.score,
                "grade": s.grade,
                "expenditure_completion": s.expenditure_completion,
                "payable_months": s.payable_months,
                "risks": {"high": s.risk_high, "medium": s.risk_medium, "low": s.risk_low},
            }
        )
    return out


# ---- the engine's thresholds -------------------------------------------------------------------


@dataclass(frozen=True)
class Bands:
    """Where the dashboard's colours change, as the engine's risk rules say."""

    completion: tuple[float, float]  # lo ≤ completion ≤ hi: within the band
    months_high: float  # payable months below this: 高 risk
    months_medium: float  # below this (and not 高): 中 risk
    rules: tuple[str, ...] = ()  # the rule ids they come from (for the legend's tooltip)

    @property
    def centre(self) -> float:
        return (self.completion[0] + self.completion[1]) / 2


def _conditions(cond: Any) -> Iterator[dict[str, Any]]:
    """The leaf conditions of a rule's ``when`` (through ``all``/``any``)."""
    if not isinstance(cond, dict):
        return
    for key in ("all", "any"):
        for c in cond.get(key) or []:
            yield from _conditions(c)
    if "metric" in cond:
        yield cond


def bands_from(rules: list[dict[str, Any]]) -> Bands:
    """The band and thresholds from a list of risk rules (risks.yaml's ``risks``); ValueError naming
    what is missing or inconsistent, so a changed rule file fails at load, not on a page."""
    band: tuple[float, float] | None = None
    below: dict[str, float] = {}
    ids: list[str] = []
    for rule in rules:
        if not isinstance(rule, dict) or rule.get("enabled") is False:
            continue
        for c in _conditions(rule.get("when")):
            v = c.get("value")
            if c["metric"] == "expenditure_completion" and c.get("op") == "outside":
                if not (isinstance(v, list) and len(v) == 2 and all(isinstance(x, int | float) for x in v)):
                    raise ValueError(f"risks.yaml: {rule.get('id')}: outside needs [lo, hi], not {v!r}")
                band = (float(v[0]), float(v[1]))
                ids.append(str(rule.get("id")))
            elif c["metric"] == "payable_months" and c.get("op") == "<" and isinstance(v, int | float):
                level = rule.get("level")
                if level in ("高", "中") and level not in below:
                    below[level] = float(v)
                    ids.append(str(rule.get("id")))
    if band is None:
        raise ValueError("risks.yaml: no rule on expenditure_completion with op outside [lo, hi] (the band)")
    if band[0] >= band[1]:
        raise ValueError(f"risks.yaml: the expenditure-completion band {band} is empty")
    for level in ("高", "中"):
        if level not in below:
            raise ValueError(f"risks.yaml: no {level} rule on payable_months with op '<'")
    if below["高"] >= below["中"]:
        raise ValueError(
            f"risks.yaml: payable_months thresholds 高 <{below['高']} and 中 <{below['中']} overlap"
        )
    return Bands(band, below["高"], below["中"], tuple(ids))


@cache
def bands() -> Bands:
    """The packaged engine's band and thresholds (read once), from the engine's own validated rules,
    so the colours follow exactly the rules ``evaluate()`` applies."""
    rules = [r.model_dump(by_alias=True, exclude_none=True) for r in default_config().risks]
    return bands_from(rules)


def completion_class(v: float | None, b: Bands | None = None) -> str:
    """``good`` within the band, ``fair`` outside it (the engine's 低 risk), "" when unknown.

    Judged on the value as printed (two decimals), as the report judges its 偏差原因: a cell that
    reads 90.00% is within the band even when the unrounded rate is 89.996."""
    if v is None:
        return ""
    lo, hi = (b or bands()).completion
    return "good" if lo <= round(v, 2) <= hi else "fair"


def months_class(v: float | None, b: Bands | None = None) -> str:
    """``poor`` below the 高 threshold, ``fair`` below the 中 one, ``good`` above, "" when unknown
    (judged on the value as printed, two decimals)."""
    if v is None:
        return ""
    b = b or bands()
    v = round(v, 2)
    return "poor" if v < b.months_high else "fair" if v < b.months_medium else "good"


def legend(b: Bands | None = None) -> dict[str, str]:
    """The colour legend in words, from the thresholds."""
    b = b or bands()
    lo, hi = (plain(x) for x in b.completion)
    h, m = plain(b.months_high), plain(b.months_medium)
    return {
        "completion": f"支出预算完成率：绿色在{lo}%~{hi}%区间内，黄色在区间外",
        "months": f"可支付月数：红色不足{h}个月（高风险），黄色{h}~{m}个月（中风险），绿色{m}个月及以上",
    }


# ---- numbers the Chinese finance way -----------------------------------------------------------


def num(v: float | None, places: int = 2) -> str:
    """``2802`` → ``2802.00`` (``places`` decimals, no ``-0.00``); None → ``—``."""
    if v is None:
        return "—"
    s = f"{v:.{places}f}"
    return s.lstrip("-") if float(s) == 0 else s


def plain(v: float) -> str:
    """A threshold as rules state it: 90, 6, 92.5 (no trailing zeros)."""
    return num(v).rstrip("0").rstrip(".")


def wan(v: float | None) -> str:
    """An amount in 万元 with two decimals and thousands separators (the unit is in the header)."""
    if v is None:
        return "—"
    s = f"{v:,.2f}"
    return s.lstrip("-") if round(v, 2) == 0 else s


def pct(v: float | None) -> str:
    return "—" if v is None else f"{num(v)}%"


def rank_text(n: int | None, m: int) -> str:
    """``第3位/共12个``; ``—`` when the region has no value."""
    return "—" if n is None or m == 0 else f"第{n}位/共{m}个"


# ---- the grid ----------------------------------------------------------------------------------


def years_of(a: scope.Actor) -> list[int]:
    """Every year with a submission in ``a``'s area, ascending."""
    return sorted(set(scope.submissions(a).order_by().values_list("year", flat=True).distinct()))


CELL_COLUMNS = (
    "id",
    "status",
    "score",
    "grade",
    "expenditure_completion",
    "payable_months",
    "risk_high",
    "risk_medium",
    "risk_low",
    "region_id",
    "year",
)


def _cell(row: tuple, b: Bands) -> dict[str, Any]:
    """A grid cell from a ``CELL_COLUMNS`` tuple (values_list: no model instance per cell)."""
    pk, status, score, grade, completion, months, high, medium, low = row[:9]
    return {
        "id": pk,
        "status": status,
        "status_name": STATUS_NAMES.get(status, status),
        "score": score,
        "score_text": num(score),
        "grade": grade,
        "completion": completion,
        "completion_text": pct(completion),
        "completion_class": completion_class(completion, b),
        "months": months,
        "months_text": num(months),
        "months_class": months_class(months, b),
        "high": high,
        "medium": medium,
        "low": low,
    }


@dataclass
class Grid:
    years: list[int]  # the columns shown
    all_years: list[int]  # every year with data (the selector)
    focus: int | None  # the year of the KPI cards
    rows: list[dict[str, Any]]  # {region, depth, level_name, reports, cells: [cell | None per year]}
    kpi: dict[str, Any] = field(default_factory=dict)

    def table(self) -> list[list[Any]]:
        """The grid as a long table (one row per region-year with a submission), header first —
        what the CSV/XLSX downloads hold."""
        out: list[list[Any]] = [list(GRID_HEADER)]
        for r in self.rows:
            for y, c in zip(self.years, r["cells"], strict=True):
                if c is None:
                    continue
                out.append(
                    [
                        r["region"].name,
                        r["level_name"],
                        y,
                        c["status_name"],
                        round2(c["score"]),
                        c["grade"],
                        round2(c["completion"]),
                        round2(c["months"]),
                        c["high"],
                        c["medium"],
                        c["low"],
                        c["id"],
                    ]
                )
        return out


GRID_HEADER = (
    "地区",
    "级别",
    "年度",
    "状态",
    "得分",
    "等级",
    "支出预算完成率（%）",
    "累计结余可支付月数",
    "高风险",
    "中风险",
    "低风险",
    "提交编号",
)


def round2(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def grid(a: scope.Actor, focus: int | None = None, span: int | None = None) -> Grid:
    """The region × year grid over ``a``'s area: rows are the regions ``a`` sees in tree order
    (depth below the top of the area for indentation), columns the ``span`` latest years up to
    ``focus`` (default: the latest year; ``span`` None: every year). Three queries whatever the size:
    the years, the regions, the newest submissions (stored columns only)."""
    b = bands()
    all_years = years_of(a)
    if focus not in all_years:
        focus = all_years[-1] if all_years else None
    years = [y for y in all_years if focus is None or y <= focus]
    if span:
        years = years[-span:]
    regions = list(scope.regions(a).only("id", "name", "level", "path", "parent_id").order_by("path"))
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    if years:
        subs = Submission.objects.filter(id__in=_latest_ids(a, years)).order_by()
        cells = {(row[-2], row[-1]): _cell(row, b) for row in subs.values_list(*CELL_COLUMNS)}
    top = min((r.path.count("/") for r in regions), default=0)
    rows = [
        {
            "region": r,
            "depth": min(r.path.count("/") - top, 3),
            "level_name": LEVEL_NAMES.get(r.level, r.level),
            "cells": [cells.get((r.pk, y)) for y in years],
        }
        for r in regions
    ]
    for row in rows:
        row["reports"] = any(row["cells"])  # a missing year of a reporting region is 未填报
    g = Grid(years, all_years, focus, rows)
    g.kpi = _kpi(g, b)
    return g


def _kpi(g: Grid, b: Bands) -> dict[str, Any]:
    """The cards for the focus year: submissions by status, regions that reported in another shown
    year but not this one, the average score, regions with 高 risks, months below the 高 threshold,
    completion outside the band."""
    if g.focus is None or g.focus not in g.years:
        return {}
    i = g.years.index(g.focus)
    these = [(r["region"], r["cells"][i]) for r in g.rows if r["cells"][i] is not None]
    missing = [r["region"] for r in g.rows if r["cells"][i] is None and any(r["cells"])]
    by_status = {s: 0 for s, _ in STATUSES}
    for _, c in these:
        by_status[c["status"]] = by_status.get(c["status"], 0) + 1
    scores = [c["score"] for _, c in these if c["score"] is not None]
    high = [reg.name for reg, c in these if c["high"]]
    short = [reg.name for reg, c in these if c["months"] is not None and c["months"] < b.months_high]
    off = [reg.name for reg, c in these if c["completion_class"] == "fair"]
    return {
        "year": g.focus,
        "count": len(these),
        "by_status": [(s, STATUS_NAMES[s], by_status[s]) for s, _ in STATUSES],
        "missing": [r.name for r in missing],
        "average": num(sum(scores) / len(scores)) if scores else "—",
        "scored": len(scores),
        "high": high,
        "short": short,
        "off": off,
        "months_high": plain(b.months_high),
        "band": f"{plain(b.completion[0])}%~{plain(b.completion[1])}%",
    }


# ---- one region: trends across years and its siblings -----------------------------------------


def region_for(a: scope.Actor, pk: Any) -> Region:
    """The region ``pk`` if ``a`` sees it, else Http404 (whether or not it exists)."""
    try:
        return scope.regions(a).get(pk=int(pk))
    except (Region.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该地区") from None


def history(a: scope.Actor, region: Region) -> list[Submission]:
    """The newest submission of each year of ``region`` (with its evaluation), by year."""
    return list(latest(a, regions=region).order_by("year"))


TREND_SERIES = (  # key, label, unit
    ("income", "基金收入", "万元"),
    ("expenditure", "基金支出", "万元"),
    ("balance_current", "当年收支结余", "万元"),
    ("balance_rolling", "年末滚存结余", "万元"),
    ("expenditure_completion", "支出预算完成率", "%"),
    ("payable_months", "累计结余可支付月数", "个月"),
    ("score", "绩效得分", "分"),
)
_AMOUNT_INPUTS = {  # where a fund's actual income/expenditure sits in the metrics' inputs
    "income_total": (
        ("income_completion", "actual"),
        ("income_yoy_change", "actual"),
        ("balance_current", "income_total"),
    ),
    "expenditure_total": (
        ("expenditure_completion", "actual"),
        ("expenditure_yoy_change", "actual"),
        ("balance_current", "expenditure_total"),
        ("payable_months", "expenditure_total"),
    ),
}


def _metrics(s: Submission) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m.get("fund"), m.get("code")): m for m in (s.evaluation or {}).get("metrics", [])}


def _amount(ms: dict, s: Submission, fund: str, item: str) -> float | None:
    for code, key in _AMOUNT_INPUTS[item]:
        v = ((ms.get((fund, code)) or {}).get("inputs") or {}).get(key)
        if isinstance(v, int | float):
            return float(v)
    for f in (s.dataset or {}).get("figures", []):
        if (f.get("fund"), f.get("item"), f.get("measure", "actual")) == (fund, item, "actual"):
            return f.get("value")
    return None


def _value(ms: dict, s: Submission, fund: str, key: str) -> float | None:
    if key == "score":
        return s.score
    if key in ("income", "expenditure"):
        return _amount(ms, s, fund, f"{key}_total")
    m = ms.get((fund, key))
    return None if m is None else m.get("value")


def funds_of(subs: list[Submission]) -> list[tuple[str, str]]:
    """(code, name) of 合计 and every fund with metrics in any of ``subs``, in code-list order."""
    seen = {m.get("fund") for s in subs for m in (s.evaluation or {}).get("metrics", [])}
    book = codebook().funds
    out = [("all", book["all"].short)]
    out += [(c, f.name) for c, f in book.items() if c != "all" and c in seen]
    return out


def trend(subs: list[Submission], fund: str = "all") -> dict[str, Any]:
    """Each year's figures of one fund, from the stored evaluation metrics of that year's
    submission: income and expenditure are the actuals the metrics were computed from (the
    ``inputs`` of the completion / change / balance metrics; the dataset's figure when no metric
    has it), the balances and rates are metric values.

    ``all`` (合计): the ``all`` metric when the engine computed it; else the sum over the funds for
    amounts (income, expenditure, balances); the expenditure completion and the months of payment
    are the submission's stored columns — the same figures as the grid (``api.summary``: the
    ``all`` value, else the first fund's completion and the *lowest* fund's months, the binding one,
    since a 合计 of months across funds that may not pay each other's benefits means nothing)."""
    series: dict[str, list[float | None]] = {k: [] for k, _, _ in TREND_SERIES}
    for s in subs:
        ms = _metrics(s)
        funds = sorted({f for f, _ in ms if f != "all"})
        for key, _, _ in TREND_SERIES:
            v = _value(ms, s, fund, key)
            if v is None and fund == "all":
                if key == "expenditure_completion":
                    v = s.expenditure_completion
                elif key == "payable_months":
                    v = s.payable_months
                elif key in ("income", "expenditure", "balance_current", "balance_rolling"):
                    parts = [_value(ms, s, f, key) for f in funds]
                    parts = [p for p in parts if p is not None]
                    v = sum(parts) if parts else None
            series[key].append(v)
    b = bands()
    return {
        "years": [s.year for s in subs],
        "ids": [s.pk for s in subs],
        "fund": fund,
        "series": series,
        "labels": {k: label for k, label, _ in TREND_SERIES},
        "units": {k: unit for k, _, unit in TREND_SERIES},
        "band": list(b.completion),
        "months": [b.months_high, b.months_medium],
    }


def trend_table(t: dict[str, Any]) -> list[list[Any]]:
    head = ["年度"] + [f"{label}（{unit}）" if unit != "分" else label for _, label, unit in TREND_SERIES]
    out: list[list[Any]] = [head]
    for i, y in enumerate(t["years"]):
        out.append([y] + [round2(t["series"][k][i]) for k, _, _ in TREND_SERIES])
    return out


PEER_METRICS = (  # stored column, label, unit, how it ranks
    ("score", "绩效得分", "分", "high"),
    ("expenditure_completion", "支出预算完成率", "%", "centre"),
    ("payable_months", "累计结余可支付月数", "个月", "high"),
    ("risk_high", "高风险数", "项", "low"),
)


def _badness(v: float, how: str, b: Bands) -> float:
    return -v if how == "high" else abs(v - b.centre) if how == "centre" else v


def rank(
    value: float | None, values: list[float | None], how: str, b: Bands | None = None
) -> tuple[int | None, int]:
    """(N, M): ``value``'s place among ``values`` (itself included) and how many have a value.
    Ties share a place (95, 90, 90, 80 → 1, 2, 2, 4). ``how``: ``high`` (more is better: score,
    months), ``low`` (fewer risks), ``centre`` (completion: nearer the band's centre is better)."""
    b = b or bands()
    vals = [v for v in values if v is not None]
    if value is None:
        return None, len(vals)
    mine = _badness(value, how, b)
    return 1 + sum(1 for v in vals if _badness(v, how, b) < mine - 1e-9), len(vals)


def peers(a: scope.Actor, region: Region, year: int | None) -> dict[str, Any]:
    """``region`` against its sibling regions (same parent) that ``a`` sees, in ``year``: per
    metric, the region's value, the median of the *other* siblings with a submission that year,
    and the region's place among all of them ("第3位/共12个"). Siblings outside ``a``'s area are
    left out (their figures are not ``a``'s to see, not even as a median)."""
    b = bands()
    empty = {"year": year, "metrics": [], "chart": None, "count": 0, "rows": []}
    if year is None:
        return empty
    sib = (
        scope.regions(a).filter(parent_id=region.parent_id)
        if region.parent_id
        else scope.regions(a).filter(parent__isnull=True)
    )
    subs = list(latest(a, year, sib).defer(*HEAVY).order_by("region__path"))
    own = next((s for s in subs if s.region_id == region.pk), None)
    others = [s for s in subs if s.region_id != region.pk]
    metrics = []
    for col, label, unit, how in PEER_METRICS:
        mine = getattr(own, col) if own else None
        theirs = [getattr(s, col) for s in others if getattr(s, col) is not None]
        n, m = rank(mine, [getattr(s, col) for s in subs], how, b)
        med = median(theirs) if theirs else None
        places = 0 if col == "risk_high" else 2  # a count of risks is whole; its median may be x.5
        metrics.append(
            {
                "key": col,
                "label": label,
                "unit": unit,
                "value": mine,
                "value_text": num(mine, places),
                "median": med,
                "median_text": num(med, places or 1),
                "rank": (n, m),
                "rank_text": rank_text(n, m),
            }
        )
    ordered = sorted(subs, key=lambda s: (s.score is None, -(s.score or 0), s.region.path))
    scores = [s.score for s in others if s.score is not None]
    chart = {
        "names": [s.region.name for s in ordered],
        "scores": [s.score for s in ordered],
        "highlight": next((i for i, s in enumerate(ordered) if s.region_id == region.pk), None),
        "median": median(scores) if scores else None,
    }
    rows = [
        {
            "region": s.region,
            "own": s.region_id == region.pk,
            "score": s.score,
            "score_text": num(s.score),
            "grade": s.grade,
            "completion_text": pct(s.expenditure_completion),
            "completion_class": completion_class(s.expenditure_completion, b),
            "months_text": num(s.payable_months),
            "months_class": months_class(s.payable_months, b),
            "high": s.risk_high,
            "rank_text": rank_text(*rank(s.score, [x.score for x in subs], "high", b)),
            "submission": s,
        }
        for s in ordered
    ]
    return {"year": year, "metrics": metrics, "chart": chart, "count": len(subs), "rows": rows, "own": own}


def peer_table(p: dict[str, Any]) -> list[list[Any]]:
    out: list[list[Any]] = [
        ["地区", "年度", "得分", "等级", "支出预算完成率（%）", "累计结余可支付月数", "高风险", "得分排名"]
    ]
    for r in p["rows"]:
        s = r["submission"]
        out.append(
            [
                r["region"].name,
                p["year"],
                round2(s.score),
                s.grade,
                round2(s.expenditure_completion),
                round2(s.payable_months),
                s.risk_high,
                r["rank_text"],
            ]
        )
    return out


def compare_table(p: dict[str, Any], region: Region) -> list[list[Any]]:
    """The region against its siblings' median, metric by metric, with its place."""
    out: list[list[Any]] = [["指标", "单位", region.name, "同级中位数（不含本地区）", "排名"]]
    for m in p["metrics"]:
        out.append([m["label"], m["unit"], round2(m["value"]), round2(m["median"]), m["rank_text"]])
    return out


# ---- downloads ---------------------------------------------------------------------------------


def to_csv(rows: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM (so Excel opens the Chinese right), CRLF line ends, empty for None."""
    from sifund.render.safe import is_formula_like

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows:  # text a spreadsheet would run as a formula (=, +, -, @) gets Excel's ' prefix
        w.writerow(
            ["" if v is None else f"'{v}" if isinstance(v, str) and is_formula_like(v) else v for v in r]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    """One sheet per (title, rows): header bold and frozen, numbers as numbers (two decimals)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from sifund.render.safe import set_text_cell

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title[:31])
        for i, r in enumerate(rows, start=1):
            for j, v in enumerate(r, start=1):
                set_text_cell(ws.cell(row=i, column=j), v)  # text stays text, never a formula
        fill = PatternFill("solid", fgColor="EEF2F7")
        for c in ws[1]:
            c.font = Font(bold=True)
            c.fill = fill
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.freeze_panes = "B2"
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, float):
                    c.number_format = "0.00"
        for i, head in enumerate(rows[0] if rows else [], start=1):
            width = max([len(str(head))] + [len(str(r[i - 1])) for r in rows[1:200] if r[i - 1] is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(40, max(8, width * 1.6 + 2))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
