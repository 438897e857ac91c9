"""Derived figures of a Dataset: completion, year-on-year, balances, payment capacity, attribution.

Each Metric carries its formula with the actual numbers, so a reader of the report (or an
auditor) can redo the arithmetic. Fund ``all`` uses the dataset's own ``all`` figures and, where
they are absent, the sum over funds (noted as 各基金合计). Names and units live in
``data/engine/metrics.yaml``.

Funds cannot pay each other's benefits (《社会保险法》第六十四条: 分别建账、分账核算), so figures that
judge a fund's solvency — 可支付月数 and the deficits — are not computed for ``all`` across several
funds, unless ``data/engine/financing.yaml`` puts all of them in one pool (and the note then says
which). 收不抵支 is judged on each fund's financing model (``financing_balance``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sifund.core.codes import codebook, unit_of_kind
from sifund.core.model import Dataset
from sifund.core.numbers import round_half_up
from sifund.engine.config import EngineConfig, default_config
from sifund.engine.financing import Financing, financing
from sifund.engine.results import Metric
from sifund.engine.risks import holds

STATED = "报告所述"
SUMMED = "各基金合计"
MAIN_ITEMS = ("income_total", "expenditure_total")
ZERO_PRIOR = "上年数为0，无法计算增减率"
NEGATIVE_PRIOR = "上年数为负，增减率没有意义"
NEGATIVE_ROLLING = "滚存结余为负（基金已穿底），无可支付月数"


def fmt(v: float | None) -> str:
    """A number for a formula: 38429, 97.3, 0.1234 (no float noise)."""
    if v is None:
        return "—"
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def dec(v: float) -> Decimal:
    return Decimal(repr(float(v)))


class Facts:
    """Value lookup with the `all` fallback for money: the sum over the funds with money figures,
    when every one of them states the figure (a partial sum would pass for a total).

    People are never summed across funds: a person insured by two funds would count twice.
    A fund stating only people (pooled higher up) does not block the money totals of the others.
    """

    def __init__(self, ds: Dataset) -> None:
        self.idx: dict[tuple[str, str, str], float] = {}
        for f in ds.figures:
            self.idx.setdefault(f.key, f.value)
        self.funds = [f for f in ds.funds() if f != "all"]
        cb = codebook()
        with_money = {f.fund for f in ds.figures if cb.is_money(f.item)}
        self.money_funds = [f for f in self.funds if f in with_money]
        self.summed: set[tuple[str, str, str]] = set()

    def get(self, fund: str, item: str, measure: str = "actual", sum_all: bool = True) -> float | None:
        v = self.idx.get((fund, item, measure))
        if v is not None or fund != "all" or not sum_all or not self.money_funds:
            return v
        if not codebook().is_money(item):
            return None
        vals = [self.idx.get((f, item, measure)) for f in self.money_funds]
        if any(x is None for x in vals):
            return None
        self.summed.add(("all", item, measure))
        return float(sum(dec(x) for x in vals if x is not None))

    def was_summed(self, fund: str, *keys: tuple[str, str]) -> bool:
        return any((fund, i, m) in self.summed for i, m in keys)


class _Builder:
    def __init__(self, ds: Dataset, cfg: EngineConfig, fin: Financing) -> None:
        self.facts = Facts(ds)
        self.cfg = cfg.metrics
        self.rules = cfg.risks
        self.fin = fin
        self.out: list[Metric] = []

    def value(self, fund: str, code: str) -> float | None:
        """A metric already computed for the fund (the last one of that code)."""
        return next((m.value for m in reversed(self.out) if m.fund == fund and m.code == code), None)

    def pooled(self, fund: str) -> tuple[bool, str]:
        """Whether a solvency figure may be computed for ``fund``, and the note saying what it pools.

        A real fund: always. ``all``: when the dataset has one fund with money figures (``all`` is
        that fund), or when every such fund lies in one pool of financing.yaml; never for a dataset
        stating only totals (it would pool funds it does not name).
        """
        if fund != "all":
            return True, ""
        funds = self.facts.money_funds
        if len(funds) == 1:
            return True, ""
        pool = self.fin.pool_of(funds)
        if pool is None:
            return False, ""
        names = "、".join(codebook().funds[f].short for f in funds)
        return True, f"合并计算{names}（{pool.why}）"

    def exempt_note(self, fund: str, code: str, value: float) -> str:
        """Why no risk is raised although ``value`` is past a rule's threshold: the fund's financing
        model switches that rule off (a 64% subsidy share of 城乡居民养老 is its design). Only rules
        reading ``code`` alone are considered; a value inside the threshold needs no excuse."""
        if fund == "all":
            return ""
        whys = []
        for rule in self.rules:
            use = self.fin.rule(fund, rule.id)
            if use is None or use.applies or rule.when.metrics() != {code}:
                continue
            if holds(rule.when, {code: value}):
                whys.append(use.why)
        return "；".join(whys)

    def add(
        self,
        fund: str,
        code: str,
        value: float | None,
        formula: str = "",
        inputs: dict[str, float] | None = None,
        note: str = "",
        item: str | None = None,
        kind: str | None = None,
    ) -> Metric:
        if item is not None and kind is not None:
            tmpl = self.cfg.item_metrics[kind]
            it = codebook().items[item]
            name = tmpl.name.format(item=it.name)
            unit = unit_of_kind(it.kind) if tmpl.unit == "item" else tmpl.unit
        else:
            d = self.cfg.metrics.get(code)
            name, unit = (d.name, d.unit) if d else (code, "")
        if value is not None:
            value = float(round_half_up(value, 6))
        m = Metric(fund=fund, code=code, name=name, value=value, unit=unit, formula=formula,
                   inputs=inputs or {}, note=note)  # fmt: skip
        self.out.append(m)
        return m

    def note_sum(self, fund: str, note: str, *keys: tuple[str, str]) -> str:
        if fund == "all" and self.facts.was_summed(fund, *keys):
            return "；".join(x for x in (note, SUMMED) if x)
        return note


def _prefix(cfg: EngineConfig, item: str) -> str:
    return cfg.metrics.item_prefixes.get(item, item)


def _ratio(num: float, den: float) -> float:
    return float(dec(num) / dec(den) * 100)


def _rate(b: _Builder, fund: str, code: str, item: str, actual: float, measure: str, budget: float,
          basis: str, kind: str) -> None:  # fmt: skip
    inputs = {"actual": actual, measure: budget}
    if budget == 0:
        b.add(fund, code, None, "", inputs, "预算数为0，无法计算完成率", item=item, kind=kind)
        return
    note = b.note_sum(fund, basis, (item, "actual"), (item, measure))
    b.add(fund, code, _ratio(actual, budget), f"{fmt(actual)} / {fmt(budget)} × 100", inputs, note,
          item=item, kind=kind)  # fmt: skip


def _completion(b: _Builder, fund: str, item: str, prefix: str) -> None:
    """Against the adjusted budget when there is one, and `_initial` against the initial budget."""
    g = b.facts.get
    actual, adj, init = g(fund, item), g(fund, item, "budget_adjusted"), g(fund, item, "budget")
    code = f"{prefix}_completion"
    if actual is not None and (adj is not None or init is not None):
        if adj is not None:
            _rate(b, fund, code, item, actual, "budget_adjusted", adj, "按调整后预算", "completion")
        else:
            _rate(b, fund, code, item, actual, "budget", init or 0.0, "按年初预算", "completion")
        if init is not None:
            kind = "completion_initial"
            _rate(b, fund, code + "_initial", item, actual, "budget", init, "按年初预算", kind)
        return
    stated = g(fund, item, "completion_rate", sum_all=False)
    kind = {"item": item, "kind": "completion"}
    if stated is not None:
        b.add(fund, code, stated, "", {"completion_rate": stated}, f"{STATED}（无预算数）", **kind)
    elif actual is not None and item in MAIN_ITEMS:
        b.add(fund, code, None, "", {"actual": actual}, "缺少预算数，无法计算完成率", **kind)


def _yoy(b: _Builder, fund: str, item: str, prefix: str) -> None:
    g = b.facts.get
    actual, prior = g(fund, item), g(fund, item, "prior")
    ck, rk = {"item": item, "kind": "yoy_change"}, {"item": item, "kind": "yoy_rate"}
    cc, rc = f"{prefix}_yoy_change", f"{prefix}_yoy_rate"
    if actual is not None and prior is not None:
        change = float(dec(actual) - dec(prior))
        note = b.note_sum(fund, "", (item, "actual"), (item, "prior"))
        inputs = {"actual": actual, "prior": prior}
        b.add(fund, cc, change, f"{fmt(actual)} − {fmt(prior)}", inputs, note, **ck)
        if prior <= 0:
            why = ZERO_PRIOR if prior == 0 else NEGATIVE_PRIOR
            b.add(fund, rc, None, "", {"actual": actual, "prior": prior}, why, **rk)
        else:
            b.add(fund, rc, _ratio(change, prior), f"({fmt(actual)} − {fmt(prior)}) / {fmt(prior)} × 100",
                  {"actual": actual, "prior": prior}, note, **rk)  # fmt: skip
        return
    change = g(fund, item, "yoy_change", sum_all=False)
    if actual is not None and change is not None:
        implied = float(dec(actual) - dec(change))
        b.add(fund, cc, change, "", {"yoy_change": change}, STATED, **ck)
        if implied <= 0:
            why = ZERO_PRIOR if implied == 0 else NEGATIVE_PRIOR
            b.add(fund, rc, None, "", {"actual": actual, "yoy_change": change}, why, **rk)
        else:
            b.add(fund, rc, _ratio(change, implied), f"{fmt(change)} / ({fmt(actual)} − {fmt(change)}) × 100",
                  {"actual": actual, "yoy_change": change}, "上年数按所述增减额推算", **rk)  # fmt: skip
        return
    rate = g(fund, item, "yoy_rate", sum_all=False)
    if rate is not None:
        b.add(fund, rc, rate, "", {"yoy_rate": rate}, STATED, **rk)
    elif actual is not None and item in MAIN_ITEMS:
        b.add(fund, cc, None, "", {"actual": actual}, "缺少上年数", **ck)
        b.add(fund, rc, None, "", {"actual": actual}, "缺少上年数", **rk)


def _balances(b: _Builder, fund: str) -> None:
    """A stated balance wins over its recomputation: it was computed from unrounded figures, while
    income − expenditure of rounded figures may be off by their rounding (the audit checks both)."""
    g = b.facts.get
    inc, exp = g(fund, "income_total"), g(fund, "expenditure_total")
    stated_cur = g(fund, "balance_current", sum_all=False)
    current: float | None = stated_cur
    if stated_cur is not None:
        again = "" if inc is None or exp is None else f"；按收入−支出为{fmt(float(dec(inc) - dec(exp)))}"
        b.add(fund, "balance_current", stated_cur, "", {"balance_current": stated_cur}, STATED + again)
    elif inc is not None and exp is not None:
        current = float(dec(inc) - dec(exp))
        note = b.note_sum(fund, "", ("income_total", "actual"), ("expenditure_total", "actual"))
        b.add(fund, "balance_current", current, f"{fmt(inc)} − {fmt(exp)}",
              {"income_total": inc, "expenditure_total": exp}, note)  # fmt: skip
    else:
        current = g(fund, "balance_current")
        if current is not None:
            b.add(fund, "balance_current", current, "", {"balance_current": current}, SUMMED)
    prior_roll = g(fund, "balance_rolling", "prior")
    stated_roll = g(fund, "balance_rolling", sum_all=False)
    if stated_roll is None and prior_roll is not None and current is not None:
        rolling = float(dec(prior_roll) + dec(current))
        b.add(fund, "balance_rolling", rolling, f"{fmt(prior_roll)} + {fmt(current)}",
              {"balance_rolling_prior": prior_roll, "balance_current": current},
              b.note_sum(fund, "上年滚存结余 + 当年收支结余", ("balance_rolling", "prior")))  # fmt: skip
    else:
        stated = stated_roll if stated_roll is not None else g(fund, "balance_rolling")
        if stated is not None:
            note = STATED if stated_roll is not None else SUMMED
            b.add(fund, "balance_rolling", stated, "", {"balance_rolling": stated}, note)


def _capacity(b: _Builder, fund: str) -> None:
    """Months the rolling balance pays at this year's spending, on total and on benefit spending.

    For ``all`` only where ``_Builder.pooled`` allows: a 合计 over funds that cannot pay each other's
    benefits would read as "about 10 months" while one fund has a third of a month."""
    g = b.facts.get
    rolling = b.value(fund, "balance_rolling")
    allowed, pool_note = b.pooled(fund)
    if rolling is None or not allowed:
        return
    exp = g(fund, "expenditure_total")
    if rolling < 0:
        b.add(fund, "payable_months", None, "", {"balance_rolling": rolling}, NEGATIVE_ROLLING)
        return
    if exp and exp > 0:
        months = float(dec(rolling) / (dec(exp) / 12))
        b.add(fund, "payable_months", months, f"{fmt(rolling)} / ({fmt(exp)} / 12)",
              {"balance_rolling": rolling, "expenditure_total": exp},
              _join("按全年基金支出", pool_note))  # fmt: skip
    for item in dict.fromkeys(["benefits", *b.cfg.benefit_items]):
        ben = g(fund, item)
        if ben and ben > 0:
            b.add(fund, "payable_months_benefits", float(dec(rolling) / (dec(ben) / 12)),
                  f"{fmt(rolling)} / ({fmt(ben)} / 12)", {"balance_rolling": rolling, item: ben},
                  _join(f"按{codebook().items[item].name}", pool_note))  # fmt: skip
            break


def _join(*notes: str) -> str:
    return "；".join(n for n in notes if n)


def _structure(b: _Builder, fund: str) -> None:
    """Subsidy share, 征缴收支 and 收不抵支 on the fund's financing model (financing.yaml).

    The deficits are not computed for ``all`` over several funds: one fund's surplus cannot cover
    another's deficit, so a pooled 收不抵支 is no finding about any fund."""
    g = b.facts.get
    inc, exp = g(fund, "income_total"), g(fund, "expenditure_total")
    contrib, subsidy = g(fund, "contribution"), g(fund, "fiscal_subsidy")
    if inc and subsidy is not None:
        share = _ratio(subsidy, inc)
        b.add(fund, "fiscal_dependence", share, f"{fmt(subsidy)} / {fmt(inc)} × 100",
              {"fiscal_subsidy": subsidy, "income_total": inc},
              b.exempt_note(fund, "fiscal_dependence", share))  # fmt: skip
    if fund == "all" and len(b.facts.money_funds) != 1:
        return
    if contrib is not None and exp is not None:
        v = float(dec(contrib) - dec(exp))
        b.add(fund, "contribution_deficit", v, f"{fmt(contrib)} − {fmt(exp)}",
              {"contribution": contrib, "expenditure_total": exp},
              "保险费收入低于基金支出" if v < 0 else "保险费收入不低于基金支出")  # fmt: skip
    if inc is not None and subsidy is not None and exp is not None:
        v = float(dec(inc) - dec(subsidy) - dec(exp))
        b.add(fund, "income_ex_subsidy_deficit", v, f"{fmt(inc)} − {fmt(subsidy)} − {fmt(exp)}",
              {"income_total": inc, "fiscal_subsidy": subsidy, "expenditure_total": exp})  # fmt: skip
    if fund != "all":
        _financing_balance(b, fund, exp)


def _financing_balance(b: _Builder, fund: str, exp: float | None) -> None:
    """Regular income − expenditure, regular income as the fund's financing model defines it:
    保险费收入 (缴费型), 保险费收入 + 财政补贴收入 (机关/企业养老: the government makes up a
    shortfall), all income (城乡居民养老/医保: subsidies are income by design). Negative: 收不抵支.
    Every regular-income item must be stated: an unstated 财政补贴 would pass for a deficit."""
    model = b.fin.model(fund)
    basis = f"{model.name}，按{model.basis}与基金支出比较"
    if model.regular_income == ["income_total"]:
        cur = next((m for m in reversed(b.out) if m.fund == fund and m.code == "balance_current"), None)
        if cur is not None and cur.value is not None:
            b.add(fund, "financing_balance", cur.value, cur.formula, dict(cur.inputs), _join(basis, cur.note))
        return
    cb = codebook()
    vals = {i: b.facts.get(fund, i) for i in model.regular_income}
    if exp is None or all(v is None for v in vals.values()):
        return
    missing = [cb.items[i].name for i, v in vals.items() if v is None]
    if missing:
        b.add(fund, "financing_balance", None, "", {k: v for k, v in vals.items() if v is not None},
              f"{model.name}，按{model.basis}判断收不抵支，缺少{'、'.join(missing)}")  # fmt: skip
        return
    total = sum((dec(v) for v in vals.values() if v is not None), Decimal(0))
    parts = " + ".join(fmt(v) for v in vals.values())
    formula = f"({parts}) − {fmt(exp)}" if len(vals) > 1 else f"{parts} − {fmt(exp)}"
    b.add(fund, "financing_balance", float(total - dec(exp)), formula,
          {**{k: v for k, v in vals.items() if v is not None}, "expenditure_total": exp}, basis)  # fmt: skip


def _first(b: _Builder, fund: str, items: list[str]) -> tuple[str, float] | None:
    for it in items:
        v = b.facts.get(fund, it, sum_all=False)
        if v is not None:
            return it, v
    return None


def _prior_of(b: _Builder, fund: str, item: str, actual: float) -> float | None:
    prior = b.facts.get(fund, item, "prior", sum_all=False)
    if prior is not None:
        return prior
    change = b.facts.get(fund, item, "yoy_change", sum_all=False)
    return None if change is None else float(dec(actual) - dec(change))


def _people(b: _Builder, fund: str) -> None:
    """Dependency ratio, per-capita benefit and the split of a benefit change into two effects."""
    g = b.facts.get
    head = _first(b, fund, b.cfg.headcount_items)
    contributors = g(fund, "contributors", sum_all=False)
    retirees = g(fund, "retirees", sum_all=False)
    if contributors is not None and retirees:
        b.add(fund, "dependency_ratio", contributors / retirees, f"{fmt(contributors)} / {fmt(retirees)}",
              {"contributors": contributors, "retirees": retirees})  # fmt: skip
    ben = _first(b, fund, b.cfg.benefit_items)
    if head is None or ben is None or not head[1]:
        return
    (h_item, people), (b_item, amount) = head, ben
    h_name, b_name = codebook().items[h_item].name, codebook().items[b_item].name
    per_year = float(dec(amount) * 10000 / dec(people))
    basis = f"{b_name} / {h_name}"
    b.add(fund, "per_capita_benefit", per_year, f"{fmt(amount)} × 10000 / {fmt(people)}",
          {b_item: amount, h_item: people}, basis)  # fmt: skip
    b.add(fund, "per_capita_benefit_monthly", per_year / 12, f"{fmt(amount)} × 10000 / {fmt(people)} / 12",
          {b_item: amount, h_item: people}, basis)  # fmt: skip
    b_prior, h_prior = _prior_of(b, fund, b_item, amount), _prior_of(b, fund, h_item, people)
    if b_prior is None or not h_prior:
        return
    change = dec(amount) - dec(b_prior)
    d_people = dec(people) - dec(h_prior)
    prior_pc = dec(b_prior) / dec(h_prior)
    head_eff = round_half_up(d_people * prior_pc, 2)
    pc_eff = change - head_eff  # the remainder, so the two effects add up exactly
    inputs = {f"{b_item}_prior": b_prior, b_item: amount, f"{h_item}_prior": h_prior, h_item: people}
    b.add(fund, "headcount_effect", float(head_eff),
          f"({fmt(people)} − {fmt(h_prior)}) × {fmt(b_prior)} / {fmt(h_prior)}", inputs,
          f"{h_name}变动 × 上年人均{b_name}")  # fmt: skip
    b.add(fund, "per_capita_effect", float(pc_eff), f"{fmt(float(change))} − {fmt(float(head_eff))}", inputs,
          "总变动 − 人数影响")  # fmt: skip
    if change == 0:
        note = "总变动为0，无法计算占比"
        b.add(fund, "headcount_effect_share", None, "", inputs, note)
        b.add(fund, "per_capita_effect_share", None, "", inputs, note)
        return
    share = round_half_up(head_eff / change * 100, 2)
    formula = f"{fmt(float(head_eff))} / {fmt(float(change))} × 100"
    b.add(fund, "headcount_effect_share", float(share), formula, inputs)
    b.add(fund, "per_capita_effect_share", float(100 - share), f"100 − {fmt(float(share))}", inputs)


def _items() -> Iterator[str]:
    """Items with per-item metrics: money flows (completion, YoY), head counts and per-capita
    standards (YoY)."""
    for code, it in codebook().items.items():
        if it.group in ("income", "expenditure") or it.kind in ("people", "count", "yuan"):
            yield code


def known_metrics(cfg: EngineConfig) -> set[str]:
    """Every metric code compute_metrics can produce (for checking an indicator's `metric:`)."""
    out = set(cfg.metrics.metrics)
    for code in _items():
        money = codebook().is_money(code)
        kinds = cfg.metrics.item_metrics if money else ("yoy_change", "yoy_rate")
        out.update(f"{_prefix(cfg, code)}_{k}" for k in kinds)
    return out


def compute_metrics(
    ds: Dataset, cfg: EngineConfig | None = None, fin: Financing | None = None
) -> list[Metric]:
    """Every metric whose inputs exist, for `all` and for each fund, in code-list order.

    ``fin``: the financing models (None: the packaged data/engine/financing.yaml)."""
    cfg = cfg or default_config()
    b = _Builder(ds, cfg, fin or financing())
    funds = ["all", *b.facts.funds] if ds.figures else []
    items = list(_items())
    stated = {(f.fund, f.item) for f in ds.figures}
    any_fund = {f.item for f in ds.figures}
    for fund in funds:
        for item in items:
            if (fund, item) not in stated and not (fund == "all" and item in any_fund):
                continue  # nothing stated for it: no metric can exist
            prefix = _prefix(cfg, item)
            if codebook().items[item].kind == "money":
                _completion(b, fund, item, prefix)
            _yoy(b, fund, item, prefix)
        _balances(b, fund)
        _capacity(b, fund)
        _structure(b, fund)
        _people(b, fund)
    return b.out
