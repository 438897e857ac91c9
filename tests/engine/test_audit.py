"""Dataset audit: each check on hand-made cases, clause-first candidates, and the property that
consistently rounded data is clean while a figure pushed beyond its precision is always caught."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.helpers import make

from sifund.engine.audit import audit_dataset, digits_precision, printed
from sifund.engine.intervals import Interval

U = "unemployment"


def src(text: str, start: int = 0) -> dict:
    return {"source": {"start": start, "end": start + len(text), "text": text}}


def codes(ds, severities=("warning", "error")) -> list[str]:
    return [f.code for f in audit_dataset(ds) if f.severity in severities]


def test_rate_mismatch_message_range_and_evidence():
    ds = make(
        (U, "expenditure_total", "actual", 1590, 1, src("基金支出1590万元", 10)),
        (U, "expenditure_total", "budget", 1308, 1, src("全年预算1308万元", 30)),
        (U, "expenditure_total", "completion_rate", 121.4, 0.1, src("完成全年预算1308万元的121.4%", 30)),
    )
    (f,) = audit_dataset(ds)
    assert (f.code, f.severity, f.stated) == ("rate_mismatch", "error", 121.4)
    assert f.expected_range == [121.47, 121.65]
    assert f.message.startswith(
        "失业保险基金支出完成预算率写作121.4%，按1590/1308×100在印刷精度内应为121.47%"
    )
    assert [e.start for e in f.evidence] == [30, 10, 30][: len(f.evidence)] and len(f.evidence) == 3


def test_rate_consistent_within_precision_and_on_either_basis():
    base = [(U, "expenditure_total", "actual", 1590, 1), (U, "expenditure_total", "budget", 1308, 1)]
    assert audit_dataset(make(*base, (U, "expenditure_total", "completion_rate", 121.6, 0.1))) == []
    adj = (U, "expenditure_total", "budget_adjusted", 1590, 1)
    assert audit_dataset(make(*base, adj, (U, "expenditure_total", "completion_rate", 100, 1))) == []
    pinned = (U, "expenditure_total", "completion_rate", 100, 1, {"basis": "budget"})
    assert codes(make(*base, adj, pinned)) == ["rate_mismatch"]


def test_rounding_only_gap_is_info():
    # 96.245 exactly: rounded twice (96.25 -> 96.3) the stated 96.3 misses by 0.005 (< 0.1 unit)
    ds = make(
        (U, "income_total", "actual", 96.245),
        (U, "income_total", "budget", 100),
        (U, "income_total", "completion_rate", 96.3, 0.1),
    )
    (f,) = audit_dataset(ds)
    assert f.severity == "info"


def test_yoy_rate_from_change_korla_k3():
    ds = make(
        ("institution_pension", "benefits", "actual", 38273, 1),
        ("institution_pension", "benefits", "yoy_change", 2410, 1),
        ("institution_pension", "benefits", "yoy_rate", 6.69, 0.01),
    )
    (f,) = audit_dataset(ds)
    assert f.code == "yoy_rate_mismatch" and f.severity == "error"
    assert "6.69%" in f.message and "2410/(38273−2410)" in f.message
    lo, hi = f.expected_range
    assert lo <= 2410 / 35863 * 100 <= hi


def test_yoy_rate_and_change_consistent_and_mismatched():
    ok = make(
        (U, "income_total", "actual", 5306, 1),
        (U, "income_total", "yoy_change", 798, 1),
        (U, "income_total", "yoy_rate", 17.7, 0.1),
    )
    assert codes(ok) == []
    bad = make(
        (U, "income_total", "actual", 5306, 1),
        (U, "income_total", "prior", 4508, 1),
        (U, "income_total", "yoy_change", 700, 1),
    )
    assert codes(bad) == ["yoy_change_mismatch"]
    decrease = make(
        (U, "expenditure_total", "actual", 473, 1),
        (U, "expenditure_total", "yoy_change", -257, 1),
        (U, "expenditure_total", "yoy_rate", -35, 1),
    )
    assert codes(decrease) == []


def test_balances():
    base = [(U, "income_total", "actual", 1601, 1), (U, "expenditure_total", "actual", 1590, 1)]
    assert codes(make(*base, (U, "balance_current", "actual", 11, 1))) == []
    assert codes(make(*base, (U, "balance_current", "actual", 15, 1))) == ["balance_mismatch"]
    roll = [(U, "balance_rolling", "prior", 94, 1), (U, "balance_rolling", "actual", 105, 1)]
    assert codes(make(*base, *roll)) == []
    roll_bad = [(U, "balance_rolling", "prior", 94, 1), (U, "balance_rolling", "actual", 125, 1)]
    assert codes(make(*base, *roll_bad)) == ["rolling_mismatch"]


def test_payable_months_on_either_basis():
    base = [("resident_pension", "balance_rolling", "actual", 14388, 1)]
    exp = [("resident_pension", "expenditure_total", "actual", 2244, 1)]
    stated = ("resident_pension", "payable_months", "actual", 64, 1)
    assert codes(make(*base, *exp, stated)) == ["months_mismatch"]
    exp3000 = ("resident_pension", "expenditure_total", "actual", 3000, 1)  # 57.55 months on the total
    ben = ("resident_pension", "benefits", "actual", 2697.75, 0.01)  # 14388 / (2697.75 / 12) = 64.0
    assert codes(make(*base, exp3000, ben, stated)) == []


def test_components_above_and_below_total():
    total = ("enterprise_pension", "expenditure_total", "actual", 47318, 1)
    parts = [
        ("enterprise_pension", "basic_pension", "actual", 25161, 1),  # benefits not stated: its parts count
        ("enterprise_pension", "funeral_survivor", "actual", 1263, 1),
        ("enterprise_pension", "transfer_out", "actual", 325, 1),
        ("enterprise_pension", "remit_up", "actual", 20569, 1),
    ]
    assert audit_dataset(make(total, *parts)) == []
    over = make(("enterprise_pension", "expenditure_total", "actual", 47000, 1), *parts)
    assert [f.code for f in audit_dataset(over)] == ["sum_exceeds_total"]
    (below,) = audit_dataset(make(("enterprise_pension", "expenditure_total", "actual", 50000, 1), *parts))
    assert below.code == "sum_below_total" and below.severity == "info" and "未列明" in below.message
    single = make(("all", "expenditure_total", "budget", 40673, 1), ("all", "benefits", "budget", 40511, 1))
    assert audit_dataset(single) == []


def test_fund_total_against_sum_over_funds():
    funds = [
        ("institution_pension", "income_total", "actual", 38631, 1),
        ("resident_pension", "income_total", "actual", 5306, 1),
    ]
    assert audit_dataset(make(("all", "income_total", "actual", 43937, 1), *funds)) == []
    (f,) = audit_dataset(make(("all", "income_total", "actual", 43900, 1), *funds))
    assert f.code == "fund_total_mismatch" and f.severity == "warning" and "各基金之和" in f.message


def test_duplicates_quote_both_sources():
    ds = make(
        ("enterprise_pension", "basic_pension", "yoy_change", 3204, 1, src("增加3204万元", 5)),
        ("enterprise_pension", "basic_pension", "yoy_change", 5521, 1, src("增加5521万元", 900)),
    )
    (f,) = audit_dataset(ds)
    assert f.code == "duplicate_conflict" and f.severity == "warning"
    assert "3204万元与5521万元" in f.message and [e.start for e in f.evidence] == [5, 900]
    same = make((U, "income_total", "actual", 50.27e4, 100), (U, "income_total", "actual", 502712, 1))
    assert audit_dataset(same) == []


def test_clause_group_inputs_come_first():
    # clause g1: 支出100，完成预算100的58%? inconsistent within its clause even though another clause
    # states an actual of 58 that would fit
    g1, g2 = {"group": "g1"}, {"group": "g2"}
    figs = [
        (U, "expenditure_total", "actual", 100, 1, g1),
        (U, "expenditure_total", "actual", 58, 1, g2),
        (U, "expenditure_total", "budget", 100, 1),
        (U, "expenditure_total", "completion_rate", 58, 1, g1),
    ]
    assert "rate_mismatch" in codes(make(*figs))
    ungrouped = [f if len(f) < 6 or f[5] is g2 else f[:5] for f in figs]
    assert "rate_mismatch" not in codes(make(*ungrouped))


def test_several_candidates_flag_only_when_none_fits():
    figs = [
        (U, "expenditure_total", "actual", 1590, 1),
        (U, "expenditure_total", "actual", 1270, 1),
        (U, "expenditure_total", "budget", 1308, 1),
    ]
    assert "rate_mismatch" not in codes(make(*figs, (U, "expenditure_total", "completion_rate", 97.1, 0.1)))
    assert "rate_mismatch" in codes(make(*figs, (U, "expenditure_total", "completion_rate", 110, 1)))


def test_printing_helpers():
    assert digits_precision(96.12) == 0.01 and digits_precision(96.0) == 1 and digits_precision(100.0) == 1
    assert (
        printed(make(("all", "income_total", "actual", 502700, 100, {"unit": "亿元"})).figures[0])
        == "50.27亿元"
    )


# ---- property: consistent rounding is clean, a figure pushed beyond precision is caught -----

FUNDS = ("institution_pension", "resident_pension")


def rnd(x: float, p: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(repr(p)), rounding=ROUND_HALF_UP))


@st.composite
def datasets(draw):
    mp = draw(st.sampled_from([1.0, 0.1, 0.01]))  # money printed to
    rp = draw(st.sampled_from([1.0, 0.1, 0.01]))  # rates printed to
    money = st.floats(50, 1e5, allow_nan=False)
    figs, totals = [], {"income_total": 0.0, "expenditure_total": 0.0}
    for fund in FUNDS:
        contribution, subsidy, interest = draw(money), draw(money), draw(st.floats(0, 500))
        benefits, transfer = draw(money), draw(st.floats(0, 500))
        income, expenditure = contribution + subsidy + interest, benefits + transfer
        budget = expenditure * draw(st.floats(0.6, 1.4))
        prior = expenditure * draw(st.floats(0.6, 1.4))
        prior_roll = draw(st.floats(0, 1e5))
        change = expenditure - prior
        totals["income_total"] += income
        totals["expenditure_total"] += expenditure
        for item, v in (("contribution", contribution), ("fiscal_subsidy", subsidy), ("interest", interest),
                        ("income_total", income), ("benefits", benefits), ("transfer_out", transfer),
                        ("expenditure_total", expenditure)):  # fmt: skip
            figs.append((fund, item, "actual", rnd(v, mp), mp))
        figs += [
            (fund, "expenditure_total", "budget", rnd(budget, mp), mp),
            (fund, "expenditure_total", "prior", rnd(prior, mp), mp),
            (fund, "balance_rolling", "prior", rnd(prior_roll, mp), mp),
            (fund, "expenditure_total", "completion_rate", rnd(expenditure / budget * 100, rp), rp),
            (fund, "expenditure_total", "yoy_change", rnd(change, mp), mp),
            (fund, "expenditure_total", "yoy_rate", rnd(change / prior * 100, rp), rp),
            (fund, "balance_current", "actual", rnd(income - expenditure, mp), mp),
            (fund, "balance_rolling", "actual", rnd(prior_roll + income - expenditure, mp), mp),
        ]
    figs += [("all", item, "actual", rnd(v, mp), mp) for item, v in totals.items()]
    return figs


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_consistent_rounding_never_warns(figs):
    bad = [f for f in audit_dataset(make(*figs)) if f.severity != "info"]
    assert bad == [], bad[0].message if bad else ""


def _iv(figs, fund, item, measure) -> Interval:
    f = next(x for x in figs if x[:3] == (fund, item, measure))
    return Interval.printed(f[3], f[4])


def _width(figs, fund, item, measure) -> float:
    """Widest recomputation of a derived figure from its inputs (plain interval arithmetic,
    never narrower than the audit's own)."""
    g = lambda i, m: _iv(figs, fund, i, m)  # noqa: E731
    e, p = "expenditure_total", "prior"
    if measure == "completion_rate":
        outs = [g(e, "actual") / g(e, "budget") * 100]
    elif measure == "yoy_rate":
        a, c, pr = g(e, "actual"), g(e, "yoy_change"), g(e, p)
        outs = [c / (a - c) * 100, (a - pr) / pr * 100, c / pr * 100]
    elif measure == "yoy_change":
        outs = [g(e, "actual") - g(e, p)]
    elif item == "balance_current":
        outs = [g("income_total", "actual") - g(e, "actual")]
    else:
        outs = [
            g("balance_rolling", p) + g("balance_current", "actual"),
            g("balance_rolling", p) + g("income_total", "actual") - g(e, "actual"),
        ]
    return max(o.hi - o.lo for o in outs)


DERIVED = [
    ("expenditure_total", "completion_rate"),
    ("expenditure_total", "yoy_rate"),
    ("expenditure_total", "yoy_change"),
    ("balance_current", "actual"),
    ("balance_rolling", "actual"),
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.sampled_from(FUNDS), st.sampled_from(DERIVED), st.sampled_from([-1, 1]))
def test_perturbed_figure_is_always_caught(figs, fund, derived, sign):
    item, measure = derived
    i = next(k for k, x in enumerate(figs) if x[:3] == (fund, item, measure))
    precision = figs[i][4]
    delta = sign * (1.5 * precision + _width(figs, fund, item, measure))
    moved = (*figs[i][:3], figs[i][3] + delta, precision)
    findings = audit_dataset(make(*figs[:i], moved, *figs[i + 1 :]))
    hits = [f for f in findings if f.severity != "info" and f.stated == moved[3] and f.fund == fund]
    assert hits, [f.message for f in findings]


def test_pension_parts_are_not_added_to_the_pension_they_make_up():
    """基础养老金 + 个人账户养老金 = 基本养老金: listing all three under 待遇支出 is consistent."""
    from sifund.core.model import Dataset
    from sifund.engine.audit import audit_dataset

    r = "resident_pension"
    figs = [
        {"fund": r, "item": "benefits", "value": 2200, "precision": 1},
        {"fund": r, "item": "basic_pension", "value": 2100, "precision": 1},
        {"fund": r, "item": "basic_pension_base", "value": 1800, "precision": 1},
        {"fund": r, "item": "individual_account_pension", "value": 300, "precision": 1},
        {"fund": r, "item": "funeral_survivor", "value": 100, "precision": 1},
    ]
    assert audit_dataset(Dataset(region="x", year=2023, figures=figs)) == []
    figs[1]["value"] = 2150  # now the listed parts really exceed the total
    codes = [f.code for f in audit_dataset(Dataset(region="x", year=2023, figures=figs))]
    assert codes == ["sum_exceeds_total"]


# ---- the registry ---------------------------------------------------------------------------


def test_audit_dataset_runs_the_registry_and_skips_report_checks(monkeypatch):
    """One registry: a check registered with its codes runs on every dataset, in registration
    order; one that needs the extraction (a report) is skipped for a dataset."""
    from sifund.engine import audit as engine
    from sifund.engine.findings import Finding

    monkeypatch.setattr(engine, "REGISTRY", list(engine.REGISTRY))

    @engine.check(codes=("plan_period",))
    def always(ctx):
        yield Finding(code="plan_period", severity="warning", message=f"{len(ctx.dataset.figures)}")

    @engine.check(codes=("report_year",), needs_report=True)
    def text_only(ctx):
        raise AssertionError("a report check ran on a dataset")

    ds = make((U, "income_total", "actual", 900, 1))
    assert [(f.code, f.message) for f in audit_dataset(ds)] == [("plan_period", "1")]
    assert [(c.name.rsplit(".", 1)[-1], c.codes, c.needs_report) for c in engine.REGISTRY[-2:]] == [
        ("always", ("plan_period",), False),
        ("text_only", ("report_year",), True),
    ]


# ---- all-funds YoY change against the funds' changes --------------------------------------


def test_all_funds_yoy_change_is_the_sum_of_the_funds_changes():
    """各项基金较上年增减额 must equal the sum of the funds' changes, each stated or its actual −
    prior; a fund with neither leaves the total unchecked."""
    funds = [
        ("unemployment", "expenditure_total", "yoy_change", 100, 1),
        ("work_injury", "expenditure_total", "actual", 2000, 1),
        ("work_injury", "expenditure_total", "prior", 1850, 1),
    ]
    assert codes(make(("all", "expenditure_total", "yoy_change", 250, 1), *funds)) == []
    (f,) = audit_dataset(make(("all", "expenditure_total", "yoy_change", 300, 1), *funds))
    assert (f.code, f.severity, f.measure) == ("fund_total_mismatch", "warning", "yoy_change")
    assert f.expected_range == [248.5, 251.5]  # 150±1 + 100±0.5
    assert "较上年增减额写作300万元" in f.message and f.recomputation == "(2000−1850)+100"
    unknown = make(("all", "expenditure_total", "yoy_change", 300, 1), *funds[:2])  # 工伤 prior missing
    assert codes(unknown) == []
    # a fund's wrong stated change is its own finding; the total may rest on its actual − prior
    wrong = ("work_injury", "expenditure_total", "yoy_change", 90, 1)
    assert codes(make(("all", "expenditure_total", "yoy_change", 250, 1), *funds, wrong)) == [
        "yoy_change_mismatch"
    ]


# ---- restatements, linear --------------------------------------------------------------------


def test_restatements_are_linear_and_find_a_conflict_anywhere():
    """5,000 statements of one key, the 4,000th another value: one finding quoting both values
    (the former check compared only the first 64 statements); and 4× the statements cost well under
    16× the CPU time (what comparing every pair would) — a ratio, not a clock limit, so a loaded
    machine does not fail it. The garbage collector is off while timing: in a long-lived test worker
    its full collections walk every object earlier tests left, and cost more the more the larger
    run allocates (the heap, not the check, grew superlinearly: 8.9× once in a -n 2 run)."""
    import gc
    import time

    key = ("work_injury", "expenditure_total", "actual")

    def dataset(n: int):
        odd = n * 4 // 5 - 1  # the 4,000th of 5,000
        return make(*[(*key, 500 if i == odd else 473, 1, src("支出473万元", 20 * i)) for i in range(n)])

    def cpu(ds) -> float:
        best = float("inf")
        for _ in range(2):
            gc.collect()
            gc.disable()
            try:
                t0 = time.process_time()
                audit_dataset(ds)
                best = min(best, time.process_time() - t0)
            finally:
                gc.enable()
        return best

    small, large = dataset(1250), dataset(5000)
    (f,) = audit_dataset(large)
    assert f.code == "duplicate_conflict" and "473万元与500万元" in f.message
    assert 20 * 3999 in [e.start for e in f.evidence] and len(f.evidence) == 64
    assert cpu(large) < 8 * cpu(small)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from([0.0, 1.0, 4.0]), st.integers(0, 3)),
                min_size=1, max_size=12))  # fmt: skip
def test_extremes_match_the_pairwise_definition(rows):
    """``_extremes`` (one pass over a key's statements) gives the rows whose interval misses that of
    a row in another sentence, exactly as comparing every pair does."""
    from sifund.engine.audit import _extremes

    table = [(i, Interval.printed(v, p), s) for i, (v, p, s) in enumerate(rows)]
    pairwise = [i for i, x, s in table if any(t != s and not x.meets(y) for _j, y, t in table)]
    assert _extremes(table) == pairwise


def test_clause_links_decide_the_parts_of_a_total():
    """Figures with clause groups (a report) are summed as listed after their total (of_which);
    the code list's components are not: 其中 lists need not name every part."""
    g = lambda n, **kw: {"group": n, **kw}  # noqa: E731
    linked = make(
        ("work_injury", "income_total", "actual", 1000, 1, g("g1", role="subject")),
        ("work_injury", "contribution", "actual", 800, 1, g("g2", of_which="g1")),
        ("work_injury", "interest", "actual", 300, 1, g("g3", of_which="g1")),
        ("work_injury", "fiscal_subsidy", "actual", 900, 1, g("g4")),  # stated elsewhere, not listed
    )
    (f,) = audit_dataset(linked)
    assert f.code == "sum_exceeds_total" and f.recomputation == "800+300"
    assert "其中所列800+300合计1099.00~1101.00，超过总数" in f.message
    w = "work_injury"
    plain = make(
        (w, "income_total", "actual", 1000, 1),
        (w, "contribution", "actual", 800, 1),
        (w, "interest", "actual", 100, 1),
        (w, "fiscal_subsidy", "actual", 900, 1),
    )
    assert [f.code for f in audit_dataset(plain)] == ["sum_exceeds_total"]  # 800+100+900 by the code list
