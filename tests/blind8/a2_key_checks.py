"""Author A2's key checks for blind8: every derived figure of wugong-2023 and banan-2022, recomputed
from printed figures.

Declarations only; tests/oracle.py decides them. ``ok`` is a clean figure, ``bad`` a planted error. The
figures are read from a2_build.py (and formatted as the documents print them) so that the keys and the
documents cannot drift apart.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from oracle import (
    Keys,
    Recorder,
    decline_from_change,
    diff,
    exact,
    growth,
    growth_from_change,
    iv,
    months,
    rate,
    threshold,
    total,
)

HERE = Path(__file__).resolve().parent
D = Decimal


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sifund_blind8_a2_build_for_keys", HERE / "a2_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wugong(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    w, n = b.wan, b.wg_numbers()
    levels = b.WG_LEVELS
    # 资金到位
    ok("补助资金全年预算合计", w(n["sub_budget"]), total(*(w(x[1]) for x in levels)))
    ok("补助资金到位合计", w(n["sub_actual"]), total(*(w(x[2]) for x in levels)))
    ok("补助资金到位率", n["sub_rate"] + "%", rate(w(n["sub_actual"]), w(n["sub_budget"])))
    ok("补助资金=参保人数×640元", w(n["sub_budget"]), iv(f"{b.WG_INSURED:,}") * exact("0.064"))
    for nm, bud, act in levels[:3]:
        ok(f"{nm}到位率", "100.00%", rate(w(act), w(bud)))
    ok("县级未到位数", w(n["county_gap"]), diff(w(levels[3][1]), w(levels[3][2])))
    ok("未到位合计", w(n["county_gap"]), diff(w(n["sub_budget"]), w(n["sub_actual"])))
    bad("WG1 县级配套到位率", b.PLANTED_COUNTY_RATE + "%", rate(w(levels[3][2]), w(levels[3][1])))
    # 基金收支
    ok("收入合计", w(n["in_actual"]), total(*(w(r[2] or n["sub_actual"]) for r in b.WG_INCOME)))
    ok("收入预算合计", w(n["in_budget"]), total(*(w(r[1]) for r in b.WG_INCOME)))
    ok("上年收入合计", w(n["in_prior"]), total(*(w(r[3]) for r in b.WG_INCOME)))
    ok("支出合计", w(n["out_actual"]), total(*(w(r[2]) for r in b.WG_EXPEND)))
    ok("支出预算合计", w(n["out_budget"]), total(*(w(r[1]) for r in b.WG_EXPEND)))
    ok("上年支出合计", w(n["out_prior"]), total(*(w(r[3]) for r in b.WG_EXPEND)))
    ok("收入完成率", n["in_rate"] + "%", rate(w(n["in_actual"]), w(n["in_budget"])))
    ok("支出完成率", n["out_rate"] + "%", rate(w(n["out_actual"]), w(n["out_budget"])))
    ok("增收额", w(n["in_change"]), diff(w(n["in_actual"]), w(n["in_prior"])))
    ok("多支额", w(n["out_change"]), diff(w(n["out_actual"]), w(n["out_prior"])))
    ok("收入增长", n["in_yoy"] + "%", growth(w(n["in_actual"]), w(n["in_prior"])))
    ok("支出增幅", n["out_yoy"] + "%", growth(w(n["out_actual"]), w(n["out_prior"])))
    for nm, _bud, act, pri in b.WG_INCOME + b.WG_EXPEND:
        act = act or n["sub_actual"]
        ok(f"{nm}同比", b.growth(act, pri), growth(w(act), w(pri)))
    ok("当年结余", w(n["bal"]), diff(w(n["in_actual"]), w(n["out_actual"])))
    ok("上年结余", w(n["bal_prior"]), diff(w(n["in_prior"]), w(n["out_prior"])))
    ok("结余预算", w(n["bal_budget"]), diff(w(n["in_budget"]), w(n["out_budget"])))
    ok("结余减少额", w(-D(n["bal_change"])), diff(w(n["bal_prior"]), w(n["bal"])))
    ok("年末滚存", w(n["roll"]), total(w(b.WG_PRIOR_ROLLING), w(n["bal"])))
    ok("滚存预算", w(n["roll_budget"]), total(w(b.WG_PRIOR_ROLLING), w(n["bal_budget"])))
    ok("可支付月数", n["months"] + "个月", months(w(n["roll"]), w(n["out_actual"])))
    ok("财政补助占收入", n["sub_share"] + "%", rate(w(n["sub_actual"]), w(n["in_actual"])))
    # 自评表
    ok("预算执行率得分", n["exec_score"], iv(n["sub_rate"] + "%") * exact("0.1"))
    kpi = b.wg_kpi()
    ok("总分", b.wg_score(), total(n["exec_score"], *(r[6] for r in kpi)))
    ok("分值合计", "100", total("10", *(r[5] for r in kpi)))
    bad("WG2 住院费用基金支付比例声称达到目标", b.WG_INPATIENT_RATIO + "%", threshold("70%"))


def _banan(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    w, n = b.wan, b.bn_numbers()
    a = n["all"]
    F = b.BN_FUNDS
    fmt = {k: (b.plain if k == "居民养老" else b.wan) for k in F}
    # overview (亿元)
    Y = lambda k: a[k] + "亿元"  # noqa: E731
    ok("总收入合计", Y("inc_yi"), total(*(fmt[k](n[k]["inc"]) for k in F)))
    ok("总支出合计", Y("out_yi"), total(*(fmt[k](n[k]["out"]) for k in F)))
    ok("收入预算合计", Y("budget_in_yi"), total(*(fmt[k](F[k]["budget_in"]) for k in F)))
    ok("支出预算合计", Y("budget_out_yi"), total(*(fmt[k](F[k]["budget_out"]) for k in F)))
    ok("保险费收入合计", Y("contribution_yi"),
       total(*(fmt[k](v) for k in F for nm, v in F[k]["income"].items() if nm in ("保险费收入", "个人缴费收入"))))
    ok("财政补贴收入合计", Y("subsidy_yi"),
       total(*(fmt[k](v) for k in F for nm, v in F[k]["income"].items() if nm == "财政补贴收入")))
    ok("利息收入合计", Y("interest_yi"),
       total(*(fmt[k](v) for k in F for nm, v in F[k]["income"].items() if nm == "利息收入")))
    ok("总当年结余", Y("bal_yi"), diff(Y("inc_yi"), Y("out_yi")))
    ok("总结余=各基金结余", Y("bal_yi"), total(*(fmt[k](n[k]["bal"]) for k in F)))
    ok("总滚存", Y("roll_yi"), total(Y("prior_rolling_yi"), Y("bal_yi")))
    ok("总滚存=各基金滚存", Y("roll_yi"), total(*(fmt[k](n[k]["roll_printed"]) for k in F)))
    ok("总收入完成率", a["inc_rate"] + "%", rate(Y("inc_yi"), Y("budget_in_yi")))
    ok("总支出完成率", a["out_rate"] + "%", rate(Y("out_yi"), Y("budget_out_yi")))
    ok("总收入增长", a["inc_yoy"] + "%", growth_from_change(Y("inc_change_yi"), Y("inc_yi")))
    ok("总支出增幅", a["out_yoy"] + "%", growth_from_change(Y("out_change_yi"), Y("out_yi")))
    ok("上年结余", Y("bal_prior_yi"), diff(diff(Y("inc_yi"), Y("inc_change_yi")), diff(Y("out_yi"), Y("out_change_yi"))))
    ok("保险费收入占比", a["contribution_share"] + "%", rate(Y("contribution_yi"), Y("inc_yi")))
    ok("财政补贴占比", a["subsidy_share"] + "%", rate(Y("subsidy_yi"), Y("inc_yi")))
    ok("总可支付月数", a["months"], months(Y("roll_yi"), Y("out_yi")))
    # per fund (万元)
    for k, f in F.items():
        x, p = n[k], fmt[k]
        ok(f"{k}收入合计", p(x["inc"]), total(*(p(v) for v in f["income"].values())))
        ok(f"{k}支出合计", p(x["out"]), total(*(p(v) for v in f["expend"].values())))
        ok(f"{k}收入完成率", x["inc_rate"] + "%", rate(p(x["inc"]), p(f["budget_in"])))
        ok(f"{k}支出完成率", x["out_rate"] + "%", rate(p(x["out"]), p(f["budget_out"])))
        inc_ch, out_ch = D(x["inc_change"]), D(x["out_change"])
        if inc_ch >= 0:
            ok(f"{k}收入增长", x["inc_yoy"] + "%", growth_from_change(p(inc_ch), p(x["inc"])))
        else:
            ok(f"{k}收入降幅", w(-D(x["inc_yoy"])) + "%", decline_from_change(p(-inc_ch), p(x["inc"])))
        if out_ch >= 0:
            ok(f"{k}支出增长", x["out_yoy"] + "%", growth_from_change(p(out_ch), p(x["out"])))
        else:
            ok(f"{k}支出降幅", w(-D(x["out_yoy"])) + "%", decline_from_change(p(-out_ch), p(x["out"])))
        ok(f"{k}当年结余", p(x["bal"]), diff(p(x["inc"]), p(x["out"])))
        ok(f"{k}可支付月数", x["months"], months(p(x["roll_printed"]), p(x["out"])))
        if k == "居民医保":
            bad("BN1 居民医保收入占总收入比重", x["inc_share"] + "%", rate(p(x["inc"]), Y("inc_yi")))
        elif k not in ("工伤", "失业"):  # their shares are not printed
            ok(f"{k}收入占比", x["inc_share"] + "%", rate(p(x["inc"]), Y("inc_yi")))
    ok("失业滚存", w(n["失业"]["roll"]), total(w(F["失业"]["prior_rolling"]), w(n["失业"]["bal"])))
    ok("机关在职+退休", f"{F['机关养老']['insured']:,}",
       total(f"{F['机关养老']['contributors']:,}", f"{F['机关养老']['retirees']:,}"))
    ip = n["机关养老"]
    ok("机关缴费覆盖支出", b.pct(F["机关养老"]["income"]["保险费收入"], ip["out"]) + "%",
       rate(w(F["机关养老"]["income"]["保险费收入"]), w(ip["out"])))
    bad("BN2 工伤年末滚存", w(b.PLANTED_WI_ROLLING), total(w(F["工伤"]["prior_rolling"]), w(n["工伤"]["bal"])))


def register(keys: Keys) -> None:
    """Declare A2's two reports' checks on the set's Keys (blind8's key_checks.py calls this)."""
    keys.report("wugong-2023")(_wugong)
    keys.report("banan-2022")(_banan)
