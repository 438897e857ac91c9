
"""Author A2's key checks for blind9: every derived figure of wannian-2023 and qinghai-2023, recomputed
from printed figures.

Declarations only; tests/oracle.py decides them. ``ok`` is a clean figure, ``bad`` a planted error. The
figures are read from a2_build.py and formatted as the reports print them, so the keys and the reports
cannot drift apart (wannian-2023.txt is what a2_build.py's ``wn_text()`` writes).
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from oracle import (
    Interval,
    Keys,
    Recorder,
    diff,
    exact,
    growth_from_change,
    iv,
    months,
    rate,
    ratio,
    threshold,
    total,
    yi,
)

HERE = Path(__file__).resolve().parent
D = Decimal


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sifund_blind9_a2_build_for_keys", HERE / "a2_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wannian(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    w, n = b.wan, b.wn_numbers()
    a, funds = n["all"], list(b.WN_FUNDS)
    # 一、基本情况: 两项基金合计
    for key, label in (("in", "收入"), ("out", "支出")):
        ok(f"合计{label}", w(a[key]), total(*(w(n[c][key]) for c in funds)))
        ok(f"合计{label}预算", w(a[f"{key}_budget"]), total(*(w(n[c][f"{key}_budget"]) for c in funds)))
        ok(f"合计{label}完成率", a[f"{key}_rate"] + "%", rate(w(a[key]), w(a[f"{key}_budget"])))
        ok(f"合计{label}增减额", w(a[f"{key}_change"]), total(*(w(n[c][f"{key}_change"]) for c in funds)))
        ok(f"合计{label}增长", a[f"{key}_yoy"] + "%", growth_from_change(w(a[f"{key}_change"]), w(a[key])))
    ok("合计当年结余", w(a["bal"]), diff(w(a["in"]), w(a["out"])))
    ok("合计当年结余 = 各基金结余", w(a["bal"]), total(*(w(n[c]["bal"]) for c in funds)))
    ok("合计年末滚存 = 各基金滚存", w(a["roll"]), total(*(w(n[c]["roll"]) for c in funds)))
    ok("合计可支付月数", a["months"] + "个月", months(w(a["roll"]), w(a["out"])))
    subsidies = [w(r[2]) for c in funds for r in b.WN_FUNDS[c]["income"] if r[1] == "fiscal_subsidy"]
    ok("财政补助收入合计", w(a["subsidy"]), total(*subsidies))
    ok("财政补助收入占比", a["subsidy_share"] + "%", rate(w(a["subsidy"]), w(a["in"])))
    # 二、各项基金
    for c in funds:
        f, m = b.WN_FUNDS[c], n[c]
        ok(f"{c} 收入 = 其中各项", w(m["in"]), total(*(w(r[2]) for r in f["income"])))
        ok(f"{c} 支出 = 其中各项", w(m["out"]), total(*(w(r[2]) for r in f["expend"])))
        for key in ("in", "out"):
            ok(f"{c} {key} 完成预算", m[f"{key}_rate"] + "%", rate(w(m[key]), w(m[f"{key}_budget"])))
        ok(f"{c} 收入增长", m["in_yoy"] + "%", growth_from_change(w(m["in_change"]), w(m["in"])))
        check = bad if m["out_yoy_printed"] != m["out_yoy"] else ok
        check(f"{c} 支出增长", m["out_yoy_printed"] + "%", growth_from_change(w(m["out_change"]), w(m["out"])))
        ok(f"{c} 当年结余", w(m["bal"]), diff(w(m["in"]), w(m["out"])))
        ok(f"{c} 可支付月数", m["months"] + "个月", months(w(m["roll"]), w(m["out"])))
    rp = n["resident_pension"]
    bad("WN2 居民养老年末滚存 ≠ 上年末 + 当年结余", w(rp["roll"]),
        total(w(b.WN_FUNDS["resident_pension"]["prior_rolling"]), w(rp["bal"])))
    ip = b.WN_FUNDS["institution_pension"]
    ok("抚养比", n["institution_pension"]["dependency"] + ":1", ratio(ip["contributors"], ip["retirees"]))
    # 三、绩效目标完成情况 and the 自评表
    gap = D(b.WN_KPI_TARGET_INSURED_RATE) - D(b.WN_INSURED_RATE)
    ok("参保率差距", str(gap), exact(b.WN_KPI_TARGET_INSURED_RATE) - iv(b.WN_INSURED_RATE + "%"))
    kpi = {r[2]: r for r in b.wn_kpi()}
    ok("参保率得分", kpi["城乡居民养老保险参保率"][6],
       rate(b.WN_INSURED_RATE + "%", exact(b.WN_KPI_TARGET_INSURED_RATE)) * exact("0.1"))
    ok("预算执行率得分", b.wn_exec_score(), iv(a["out_rate"] + "%") * exact("0.1"))
    ok("总分", b.wn_score(), total(b.wn_exec_score(), kpi["城乡居民养老保险参保率"][6]) + exact(80))
    ok("居民养老待遇领取人数达标", kpi["城乡居民养老保险待遇领取人数"][4], threshold("6.5万人"))
    ok("机关养老待遇领取人数达标", kpi["机关事业单位养老保险待遇领取人数"][4], threshold("5500人"))
    ok("支出预算执行率在区间内", kpi["基金支出预算执行率"][4], Interval(D(95), D(105)))
    ok("可支付月数达标", kpi["城乡居民养老保险基金累计结余可支付月数"][4], threshold("24个月"))
    ok("满意度达标", kpi["参保群众满意度"][4], threshold("90%"))


def _qinghai(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    n = b.qh_numbers()
    a, funds = n["all"], list(b.QH_FUNDS)
    # 一、总体情况 (and the 合计 row of the summary table)
    for key in ("inc", "out", "bal", "roll", "budget_in", "budget_out"):
        ok(f"合计 {key} = 各基金", yi(a[key]), total(*(yi(n[c][key]) for c in funds)))
    ok("合计当年结余 = 收入 − 支出", yi(a["bal"]), diff(yi(a["inc"]), yi(a["out"])))
    ok("总收入完成率", a["inc_rate"] + "%", rate(yi(a["inc"]), yi(a["budget_in"])))
    ok("总支出完成率", a["out_rate"] + "%", rate(yi(a["out"]), yi(a["budget_out"])))
    for key in ("inc", "out"):
        ok(f"总 {key} 增加额 = 各基金", yi(a[f"{key}_change"]), total(*(yi(n[c][f"{key}_change"]) for c in funds)))
        ok(f"总 {key} 增长", a[f"{key}_yoy"] + "%", growth_from_change(yi(a[f"{key}_change"]), yi(a[key])))
    ok("总可支付月数", a["months"] + "个月", months(yi(a["roll"]), yi(a["out"])))
    subsidies = [yi(n[c][r[0]]) for c in funds for r in b.QH_FUNDS[c]["income"] if r[1] == "fiscal_subsidy"]
    ok("财政补助收入合计", yi(a["subsidy"]), total(*subsidies))
    ok("财政补助占总收入", a["subsidy_share"] + "%", rate(yi(a["subsidy"]), yi(a["inc"])))
    pensions = ("enterprise_pension", "institution_pension", "resident_pension")
    ok("三项养老支出", yi(a["pension_out"]), total(*(yi(n[c]["out"]) for c in pensions)))
    ok("三项养老支出占比", a["pension_out_share"] + "%", rate(yi(a["pension_out"]), yi(a["out"])))
    # 二、各项基金
    for c in funds:
        f, m = b.QH_FUNDS[c], n[c]
        ok(f"{c} 收入 = 其中各项", yi(m["inc"]), total(*(yi(m[r[0]]) for r in f["income"])))
        ok(f"{c} 支出 = 其中各项", yi(m["out"]), total(*(yi(m[r[0]]) for r in f["expend"])))
        ok(f"{c} 当年结余", yi(m["bal"]), diff(yi(m["inc"]), yi(m["out"])))
        ok(f"{c} 滚存变动 = 当年结余", yi(m["roll_change"]), diff(yi(m["inc"]), yi(m["out"])))
        ok(f"{c} 收入完成率", m["inc_rate"] + "%", rate(yi(m["inc"]), yi(m["budget_in"])))
        ok(f"{c} 支出完成率", m["out_rate"] + "%", rate(yi(m["out"]), yi(m["budget_out"])))
        ok(f"{c} 收入增长", m["inc_yoy"] + "%", growth_from_change(yi(m["inc_change"]), yi(m["inc"])))
        ok(f"{c} 支出增长", m["out_yoy"] + "%", growth_from_change(yi(m["out_change"]), yi(m["out"])))
        ok(f"{c} 支出占比", m["out_share"] + "%", rate(yi(m["out"]), yi(a["out"])))
        share = bad if "inc_share_true" in m else ok
        share(f"{c} 收入占比", m["inc_share"] + "%", rate(yi(m["inc"]), yi(a["inc"])))
        mon = bad if "months_true" in m else ok
        mon(f"{c} 可支付月数", m["months"] + "个月", months(yi(m["roll"]), yi(m["out"])))


def register(keys: Keys) -> None:
    keys.report("wannian-2023")(_wannian)
    keys.report("qinghai-2023")(_qinghai)
