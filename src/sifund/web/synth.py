"""Seeded synthetic data for the demo and the web benchmark: a province's region tree and one
dataset per region-year, made from the bundled examples.

Why a generator and not fixtures: the demo needs a few dozen region-years that look like an
agency's real submissions, and the benchmark needs 3,000 (all ~300 counties of a province × 10
years). Both must be the same from run to run (a seed), valid datasets (``sifund.api.parse``
accepts them without a single disagreement between stated figures), and different enough from
each other that scores, grades and risks spread.

How a dataset is made from a template (``examples/synthetic-county-2023.yaml`` for most counties,
``examples/seven-funds-2023.yaml`` for prefectures and some large counties):

- every money figure is scaled by the region's size and a growth per year, with a per-fund
  execution factor on spending and on income (so completion rates and balances differ), and a
  little noise per figure; amounts are integer fen (0.01 万元) all the way, so totals are exact;
- every identity the template holds is kept: a total is the sum of its new 其中 parts plus the
  template's unlisted remainder (scaled), ``balance_current`` = income − expenditure,
  ``balance_rolling`` = prior rolling + current, ``all`` = the sum over the funds; stated changes,
  rates and completion rates are recomputed;
- the prior-year figures of year Y are the actual figures of year Y−1 (so trends across years
  join up); people counts scale with the region's population, per-capita standards with policy;
- indicators follow the figures (a completion-rate indicator states the computed rate, a people
  indicator the new count) and some miss their target (with a reason), so the 自评表 scores vary.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_SEED = 20240101
YEARS = tuple(range(2014, 2024))  # the benchmark's ten years
COUNTY_TEMPLATE = "synthetic-county-2023.yaml"
SEVEN_TEMPLATE = "seven-funds-2023.yaml"
BASE_YEAR = 2023  # the templates' year
STANDARD_GROWTH = 1.04  # per-capita standards (元/人·月) rise by policy, ~4 % a year

# Characters of place names: a first and a second syllable (分 "青" + "川" → 青川). Common in real
# Chinese place names, none of them rare; the combinations are checked for uniqueness.
FIRST = (
    "安宝昌成崇丹德定东丰福阜广海和河鹤华怀淮黄会吉嘉建江金晋靖景静开康兰乐丽临灵龙隆鲁罗洛满茂梅"
    "蒙米明南宁平普启清庆泉仁荣瑞沙山善尚绍胜石寿双顺泰汤天通同潼万威文武西祥新信兴秀宣阳永余玉元"
    "云泽长昭镇正中舟"
)
SECOND = "安阳川江河山城平宁丰兴源泉州水林台乡陵化德昌定远溪口原海和谷池西东南北乐康门亭"
PROVINCE_NAME = "合成省"
RESERVED = frozenset(
    {"示例省", "示例市", "示例县", "邻市", "邻县", "新疆维吾尔自治区", "巴音郭楞蒙古自治州", "库尔勒市"}
    | {"昌吉回族自治州", "奇台县"}
)


@dataclass(frozen=True)
class Place:
    """One region of a generated tree (``parent`` is a name, None for the province)."""

    name: str
    level: str  # province | prefecture | county
    parent: str | None


def names(rng: random.Random, n: int, suffixes: Iterable[tuple[str, float]], taken: set[str]) -> list[str]:
    """``n`` new place names (two syllables + a suffix drawn by weight), none in ``taken``."""
    sfx, weights = zip(*suffixes, strict=True)
    out: list[str] = []
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 200 * (n + 10):
            raise ValueError(f"cannot make {n} unique place names")
        a, b = rng.choice(FIRST), rng.choice(SECOND)
        if a == b:
            continue
        stem = a + b
        name = stem + rng.choices(sfx, weights)[0]
        if name in taken or any(stem + s in taken for s in sfx):  # 青川县 and 青川市 would confuse
            continue
        taken.add(name)
        out.append(name)
    return out


def tree(
    seed: int = DEFAULT_SEED,
    prefectures: int = 14,
    counties: int = 300,
    province: str = PROVINCE_NAME,
    reserved: Iterable[str] = RESERVED,
) -> list[Place]:
    """A province with ``prefectures`` 地级市 and ``counties`` 县/县级市/区 spread over them,
    parents before children. Names are unique across the tree and avoid ``reserved``."""
    rng = random.Random(f"tree|{seed}")
    taken = set(reserved) | {province}
    out = [Place(province, "province", None)]
    prefs = names(rng, prefectures, [("市", 1.0)], taken)
    # uneven sizes like a real province: a few big prefectures, some small ones
    weights = [rng.uniform(0.5, 2.0) for _ in prefs]
    share = [max(1, round(counties * w / sum(weights))) for w in weights]
    while sum(share) > counties:
        share[share.index(max(share))] -= 1
    while sum(share) < counties:
        share[share.index(min(share))] += 1
    for pref, k in zip(prefs, share, strict=True):
        out.append(Place(pref, "prefecture", province))
        # the prefecture seat has a district or two (区), then counties and county-level cities
        n_district = min(k, rng.randint(1, 3))
        for name in names(rng, n_district, [("区", 1.0)], taken):
            out.append(Place(name, "county", pref))
        for name in names(rng, k - n_district, [("县", 0.8), ("市", 0.2)], taken):
            out.append(Place(name, "county", pref))
    return out


# ---- datasets -----------------------------------------------------------------------------------


def examples_dir() -> Path:
    from sifund.web.demo import examples_dir as ex

    return ex()


@cache
def _template_text(name: str) -> str:
    return (examples_dir() / name).read_text(encoding="utf-8")


@cache
def _template(name: str) -> dict[str, Any]:
    from sifund.core.packaged import load_yaml  # the examples ship with sifund: libyaml's parser

    return load_yaml(_template_text(name))


@cache
def _items() -> dict[str, tuple[str, str | None, str, int]]:
    """item code → (kind, parent, group, depth) from the code list (once per process)."""
    from sifund.core.codes import codebook

    cb = codebook()
    return {c: (it.kind, it.parent, it.group, len(cb.ancestors(c))) for c, it in cb.items.items()}


def _kind(item: str) -> str:
    it = _items().get(item)
    return it[0] if it else "money"


def _parent(item: str) -> str | None:
    it = _items().get(item)
    return it[1] if it else None


def _group(item: str) -> str:
    it = _items().get(item)
    return it[2] if it else "other"


def _depth(item: str) -> int:
    it = _items().get(item)
    return it[3] if it else 0


BASE_MEASURES = ("actual", "budget", "budget_adjusted", "prior", "target")
DERIVED_MEASURES = ("yoy_change", "yoy_rate", "completion_rate")
Key = tuple[str, str, str]  # fund, item, measure


def _cents(v: float) -> int:
    return round(v * 100)


def _near(a: int, b: int, slack: int = 1) -> bool:
    return abs(a - b) <= slack


class Generator:
    """Datasets of one region across years (cached per year: year Y's prior is year Y−1)."""

    def __init__(self, region: str, level: str, seed: int = DEFAULT_SEED, template: str | None = None):
        self.region, self.level, self.seed = region, level, seed
        r = random.Random(f"region|{seed}|{region}")
        if template is None:
            template = SEVEN_TEMPLATE if level != "county" or r.random() < 0.15 else COUNTY_TEMPLATE
        self.template_name = template
        t = _template(template)
        self.t = t
        big = template == SEVEN_TEMPLATE and level != "county"
        # size: log-normal around the template's region; prefectures are several districts large
        self.size = math.exp(r.gauss(math.log(3.0) if big else 0.0, 0.45))
        self.people = self.size ** rng_pow(r)
        self.growth = r.uniform(1.02, 1.09)
        self.people_growth = r.uniform(0.995, 1.02)
        # 0 poor … 1 excellent: how often and how far targets are missed
        self.quality = r.betavariate(2.0, 1.3)
        self.values: dict[Key, int] = {}
        for f in self.t["figures"]:
            k = (f["fund"], f["item"], f["measure"])
            self.values[k] = _cents(float(f["value"]))
        self.funds = sorted({k[0] for k in self.values if k[0] != "all"})
        # reserves differ most between regions: from a few months of spending to a few years
        level = math.exp(r.uniform(math.log(3.0), math.log(24.0)))  # the thinnest fund's months
        self.months = {f: level * r.uniform(1.0, 3.0) for f in self.funds}
        self.months_drift = {f: r.uniform(0.95, 1.05) for f in self.funds}
        self._cache: dict[tuple[str, int], dict[tuple[str, str], int]] = {}
        self._tmpl: dict[str, dict[tuple[str, str], int]] = {}
        self._plans: dict[str, list[tuple[str, str, list[tuple[str, str]]]]] = {}

    # -- factors --------------------------------------------------------------------------------

    def _rng(self, *parts: Any) -> random.Random:
        return random.Random("|".join(str(p) for p in (self.seed, self.region, *parts)))

    def scale(self, year: int) -> float:
        return self.size * self.growth ** (year - BASE_YEAR)

    def execution(self, fund: str, group: str, year: int) -> float:
        """How spending (or income) came out against the plan for one fund and year."""
        r = self._rng("exec", fund, group, year)
        sd = (0.03 if group == "expenditure" else 0.02) + 0.07 * (1 - self.quality)
        return min(1.18, max(0.82, r.gauss(1.0, sd)))

    def noise(self, fund: str, item: str, year: int) -> float:
        return self._rng("noise", fund, item, year).uniform(0.97, 1.03)

    def leaf(self, key: Key, year: int) -> int:
        """A figure with no 其中 parts in the template, for ``year`` (not a prior: see prior())."""
        fund, item, measure = key
        base = self.values[key]
        kind = _kind(item)
        if kind in ("people", "count"):
            f = (
                self.people
                * self.people_growth ** (year - BASE_YEAR)
                * self._rng("p", fund, item, year).uniform(0.99, 1.01)
            )
            v = round(base / 100 * f)
            if measure == "target":
                v = int(v * self._rng("t", fund, item, year).uniform(0.97, 1.02)) // 10 * 10
            return v * 100
        if kind == "yuan":  # per-capita standards follow policy, not the region's size
            return round(base / 100 * STANDARD_GROWTH ** (year - BASE_YEAR)) * 100
        if kind == "months":
            return base
        f = self.scale(year)
        group = _group(item)
        if measure in ("budget", "budget_adjusted"):
            # the plan misses what happens: spending and income follow their trend, the budget
            # is off by the fund's execution that year (so completion rates spread)
            if group in ("income", "expenditure"):
                f /= self.execution(fund, group, year)
            v = base * f * self._rng("b", fund, item, measure, year).uniform(0.985, 1.015)
            return round(v / 1000) * 1000  # budgets are planned in round 10 万元
        if group == "balance":
            return round(base * f)
        return round(base * f * self.noise(fund, item, year))

    # -- tables ---------------------------------------------------------------------------------

    def _money(self, measure: str, year: int) -> dict[tuple[str, str], int]:
        """Every (fund, item) of ``measure`` but balances and ``all``: leaves from :meth:`leaf`,
        a total as the sum of its new parts plus the template's unlisted remainder, scaled."""
        ck = (measure, year)
        if ck in self._cache:
            return self._cache[ck]
        tmpl = self._by_measure(measure)
        out: dict[tuple[str, str], int] = {}
        for fund, item, parts in self._plan(measure):  # parts before their totals
            key = (fund, item, measure)
            if parts:
                t_val = tmpl[(fund, item)]
                rest = t_val - sum(tmpl[p] for p in parts)
                ratio = self.leaf(key, year) / t_val if t_val else 0.0
                out[(fund, item)] = sum(out[p] for p in parts) + round(rest * ratio)
            else:
                out[(fund, item)] = self.leaf(key, year)
        self._cache[ck] = out
        return out

    def _by_measure(self, measure: str) -> dict[tuple[str, str], int]:
        if measure not in self._tmpl:
            self._tmpl[measure] = {(f, i): v for (f, i, m), v in self.values.items() if m == measure}
        return self._tmpl[measure]

    def _plan(self, measure: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
        if measure not in self._plans:
            self._plans[measure] = self._make_plan(measure)
        return self._plans[measure]

    def _make_plan(self, measure: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(fund, item, its money parts in the template) of ``measure``, deepest first; balances
        and ``all`` are left to :meth:`full`."""
        tmpl = self._by_measure(measure)
        out = []
        for fund, item in sorted(tmpl, key=lambda k: -_depth(k[1])):
            if fund == "all" or _group(item) == "balance":
                continue
            parts = [(f, c) for (f, c) in tmpl if f == fund and _parent(c) == item]
            out.append((fund, item, parts if _kind(item) == "money" else []))
        return out

    def full(self, measure: str, year: int) -> dict[tuple[str, str], int]:
        """:meth:`_money` plus the balances and the ``all`` sums, by the template's identities."""
        ck = ("full:" + measure, year)
        if ck in self._cache:
            return self._cache[ck]
        tmpl = self._by_measure(measure)
        out = dict(self._money(measure, year))
        for fund in self.funds:
            inc, exp = (fund, "income_total"), (fund, "expenditure_total")
            cur, roll = (fund, "balance_current"), (fund, "balance_rolling")
            if cur in tmpl:
                if inc in tmpl and exp in tmpl and _near(tmpl[cur], tmpl[inc] - tmpl[exp]):
                    out[cur] = out[inc] - out[exp]
                else:
                    out[cur] = self.leaf((*cur, measure), year)
            if roll in tmpl:
                prior_t = self.values.get((fund, "balance_rolling", "prior"))
                cur_t = tmpl.get(cur)
                if (
                    measure == "actual"
                    and prior_t is not None
                    and cur_t is not None
                    and _near(tmpl[roll], prior_t + cur_t)
                ):
                    out[roll] = self.prior_rolling(fund, year) + out[cur]
                else:
                    out[roll] = self.leaf((*roll, measure), year)
        for fund, item in tmpl:
            if fund == "all":
                t_parts = sum(tmpl[(f, item)] for f in self.funds if (f, item) in tmpl)
                rest = tmpl[("all", item)] - t_parts
                parts = sum(out[(f, item)] for f in self.funds if (f, item) in out)
                out[("all", item)] = parts + round(rest * self.scale(year))
        self._cache[ck] = out
        return out

    def prior_rolling(self, fund: str, year: int) -> int:
        """The rolling balance at the start of ``year``: what leaves the region's reserve for the
        fund (its months of spending, drifting slowly) at the end of the year."""
        money = self._money("actual", year)
        exp, inc = money.get((fund, "expenditure_total")), money.get((fund, "income_total"))
        if exp is None:
            return self.leaf((fund, "balance_rolling", "prior"), year)
        months = self.months[fund] * self.months_drift[fund] ** (year - BASE_YEAR)
        current = inc - exp if inc is not None else 0
        return max(round(months * exp / 12) - current, exp // 24)

    def table(self, year: int) -> dict[Key, int]:
        """Every figure of ``year`` in integer fen (people and standards: the count × 100)."""
        new: dict[Key, int] = {}
        for measure in ("actual", "budget", "budget_adjusted", "target"):
            for (f, i), v in self.full(measure, year).items():
                new[(f, i, measure)] = v
        # prior = last year's actual; the prior rolling balance is what this year's rolling rests on
        before = self.full("actual", year - 1)
        for f, i, m in self.values:
            if m != "prior":
                continue
            if i == "balance_rolling" and f != "all":
                new[(f, i, m)] = self.prior_rolling(f, year)
            elif (f, i) in before:
                new[(f, i, m)] = before[(f, i)]
            else:
                new[(f, i, m)] = self.leaf((f, i, m), year)
        if ("all", "balance_rolling", "prior") in self.values:
            new[("all", "balance_rolling", "prior")] = sum(
                new[(f, "balance_rolling", "prior")]
                for f in self.funds
                if (f, "balance_rolling", "prior") in new
            )
        return new

    # -- the dataset ----------------------------------------------------------------------------

    def dataset(self, year: int) -> dict[str, Any]:
        """The interchange dataset of ``year`` (``schema: sifund.dataset/1``)."""
        t = {k: v for k, v in self.t.items() if k != "figures"}  # _retext below copies the rest
        vals = self.table(year)
        rng = self._rng("ds", year)
        figures = []
        for f in self.t["figures"]:
            k = (f["fund"], f["item"], f["measure"])
            if k[2] in DERIVED_MEASURES:
                v = self.derived(vals, k)
            else:
                v = vals[k] / 100
                if _kind(k[1]) != "money":
                    v = round(v)
            figures.append({"fund": k[0], "item": k[1], "measure": k[2], "value": v})
        t["indicators"] = [self.indicator(ind, vals, rng, year) for ind in t.get("indicators", [])]
        old = t["region"]
        t = _retext(t, old, self.region, year)
        t["region"], t["year"], t["region_level"] = self.region, year, self.level
        t["figures"] = figures
        return t

    def derived(self, vals: dict[Key, int], key: Key) -> float:
        fund, item, measure = key
        a, p = vals.get((fund, item, "actual")), vals.get((fund, item, "prior"))
        if measure == "yoy_change":
            return ((a or 0) - (p or 0)) / 100
        if measure == "yoy_rate":
            return float(_pct((a or 0) - (p or 0), p)) if p else 0.0
        b = vals.get((fund, item, "budget_adjusted")) or vals.get((fund, item, "budget"))
        return float(_pct(a or 0, b)) if b else 0.0

    def completion(self, vals: dict[Key, int], fund: str, item: str) -> Decimal | None:
        a = vals.get((fund, item, "actual"))
        b = vals.get((fund, item, "budget_adjusted")) or vals.get((fund, item, "budget"))
        return _pct(a, b, "0.000001") if a is not None and b else None

    def indicator(self, ind: dict[str, Any], vals: dict[Key, int], rng: random.Random, year: int) -> dict:
        ind = dict(ind)
        fund = ind.get("fund")
        metric = ind.get("metric")
        miss = rng.random() < 0.05 + 0.8 * (1 - self.quality) ** 1.5  # this indicator misses its target
        if metric in ("expenditure_completion", "income_completion"):
            item = "expenditure_total" if metric == "expenditure_completion" else "income_total"
            c = self.completion(vals, fund, item)
            if c is not None:
                # as the engine shows a metric: 6 places half-up, then Python's round to 2
                ind["actual"] = f"{round(float(c), 2):.2f}%"
                if 95 <= c <= 105:  # within every completion target the templates set
                    ind.pop("reason", None)
                elif not ind.get("reason"):
                    ind["reason"] = (
                        "待遇支出低于年初测算，部分项目资金未按计划支出；下年将按上年实际执行情况测算预算。"
                        if c < 95
                        else "待遇标准上调、领取人数增加，支出超出年初预算；已按程序调整预算。"
                    )
            return ind
        name = ind.get("name", "")
        if "可支付月数" in name and fund:
            roll = vals.get((fund, "balance_rolling", "actual"))
            exp = vals.get((fund, "expenditure_total", "actual"))
            if roll is not None and exp:
                months = roll / (exp / 12)
                ind["actual"] = f"{months:.1f}个月"
                m = re.search(r"(\d+(?:\.\d+)?)", str(ind.get("target", "")))
                if m and months >= float(m.group(1)):
                    ind.pop("reason", None)
                elif not ind.get("reason"):
                    ind["reason"] = (
                        "基金支出增长快于收入，累计结余可支付月数下降；下年将加大征缴力度并申请上级调剂。"
                    )
            return ind
        target, actual = str(ind.get("target", "")), str(ind.get("actual", ""))
        # people and standards: the numbers the template's figures state, in their new values
        t_new, a_new = (
            self._renumber(target, fund, "target", vals, year),
            self._renumber(actual, fund, "actual", vals, year),
        )
        if (t_new, a_new) != (target, actual):
            ind["target"], ind["actual"] = t_new, a_new
            return ind
        pm = re.fullmatch(r"(\d+(?:\.\d+)?)%", actual.strip())
        tm = re.fullmatch(r"([≥>≤<])(\d+(?:\.\d+)?)%", target.strip())
        poor = 1 - self.quality
        if pm and tm:
            op, goal, was = tm.group(1), float(tm.group(2)), float(pm.group(1))
            high_good = op in "≥>"
            if miss:
                if high_good:
                    v = goal * (1 - rng.uniform(0.02, 0.05 + 0.35 * poor))
                else:
                    v = goal * rng.uniform(1.3, 1.5 + 4 * poor)
                ind["reason"] = MISS_REASON
            elif high_good:
                v = min(100.0, max(goal + (0.5 if op == ">" else 0.0), was + rng.uniform(-2, 2)))
            else:
                v = max(0.0, min(goal, was * rng.uniform(0.5, 1.5)))
            ind["actual"] = f"{v:.1f}%".replace(".0%", "%")
        elif not re.search(r"\d", target) and actual.strip() == target.strip() and miss:
            # a qualitative indicator done only in part (季报 late once, 拨付 past the deadline)
            ind["judgement"] = "zero" if rng.random() < 0.3 * poor else "partial"
            ind["actual"] = "部分完成，个别事项未按要求办结"
            ind["reason"] = MISS_REASON
        return ind

    def _renumber(self, text: str, fund: str | None, which: str, vals: dict[Key, int], year: int) -> str:
        """Numbers in an indicator text that are a figure of the template (27350人 = 领取待遇人数),
        replaced by that figure's new value; targets that are no figure scale with the population
        (人) or with the standards (元: the policy's growth)."""
        unit = re.search(r"(人|元/人·月|元/人·年|元)$", text.strip())
        if not unit:
            return text

        def one(m: re.Match) -> str:
            n = float(m.group(0))
            for (f, i, meas), v in self.values.items():
                same = (fund is None or f == fund) and _kind(i) != "money" and v == round(n * 100)
                if same and (which == "target") == (meas == "target") and meas in ("actual", "target"):
                    return str(round(vals[(f, i, meas)] / 100))
            if unit.group(1) == "人":
                step = 100 if n >= 1000 else 10
                return str(int(n * self.people) // step * step or step)
            return str(int(n * STANDARD_GROWTH ** (year - BASE_YEAR)) // 10 * 10)

        return re.sub(r"\d+(?:\.\d+)?", one, text)


def rng_pow(r: random.Random) -> float:
    """People grow a little slower than money with a region's size (richer regions pay more)."""
    return r.uniform(0.8, 1.0)


MISS_REASON = "部分经办环节衔接不够顺畅，未完全达到目标；下年将完善内控流程并加强督导。"


def _pct(num: int, den: int, places: str = "0.01") -> Decimal:
    """num / den × 100 rounded half-up (to 0.01: as a report prints it and the audit reads it)."""
    return (Decimal(num) / Decimal(den) * 100).quantize(Decimal(places), rounding=ROUND_HALF_UP)


_YEAR_RE = re.compile(r"(20\d\d)年")


def _retext(obj: Any, old_region: str, region: str, year: int) -> Any:
    """Every text of the template in the new region and year: 示例县 → 青川县, 2023年 → 2019年
    (and the next year's 2024年 → 2020年: a report is signed the year after)."""
    if isinstance(obj, dict):
        return {k: _retext(v, old_region, region, year) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_retext(v, old_region, region, year) for v in obj]
    if isinstance(obj, str):
        s = obj.replace(old_region, region)
        return _YEAR_RE.sub(lambda m: f"{int(m.group(1)) - BASE_YEAR + year}年", s)
    return obj


@cache
def _generator(region: str, level: str, seed: int, template: str | None) -> Generator:
    return Generator(region, level, seed, template)


def dataset(
    region: str, year: int, seed: int = DEFAULT_SEED, level: str = "county", template: str | None = None
) -> dict[str, Any]:
    """The synthetic interchange dataset of ``region`` in ``year`` (deterministic for a seed)."""
    return _generator(region, level, seed, template).dataset(year)


def region_years(
    places: Iterable[Place],
    years: Iterable[int] = YEARS,
    seed: int = DEFAULT_SEED,
    levels: tuple[str, ...] = ("county",),
) -> Iterator[tuple[Place, int, dict[str, Any]]]:
    """(place, year, dataset) for every place of ``levels`` and every year."""
    ys = list(years)
    for p in places:
        if p.level in levels:
            g = Generator(p.name, p.level, seed)
            for y in ys:
                yield p, y, g.dataset(y)


def write_files(
    out: str | Path,
    places: Iterable[Place],
    years: Iterable[int] = YEARS,
    seed: int = DEFAULT_SEED,
    fmt: str = "json",
    levels: tuple[str, ...] = ("county",),
) -> list[Path]:
    """One dataset file per region-year under ``out/<prefecture>/<region>-<year>.<fmt>``."""
    out = Path(out)
    parent_of = {}
    written = []
    for p, y, ds in region_years(list(places), years, seed, levels):
        parent_of.setdefault(p.name, p.parent or "")
        d = out / (p.parent or "root")
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"{p.name}-{y}.{fmt}"
        if fmt == "json":
            path.write_text(json.dumps(ds, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            import yaml

            path.write_text(yaml.safe_dump(ds, allow_unicode=True, sort_keys=False), encoding="utf-8")
        written.append(path)
    return written
