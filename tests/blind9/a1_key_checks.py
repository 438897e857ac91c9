"""Author A1's key checks for blind9: every derived figure of its two keys, recomputed from printed figures.

Declarations only; tests/oracle.py decides them. ``ok`` is a clean figure, ``bad`` a planted error. Both
reports are built by a1_build.py, so the checks read their printed strings from it and the key and the
documents cannot drift apart.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from oracle import (
    INF,
    Interval,
    Keys,
    Recorder,
    diff,
    exact,
    growth,
    growth_from_change,
    iv,
    months,
    rate,
    threshold,
    total,
    yuan,
)

HERE = Path(__file__).resolve().parent


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sifund_blind9_a1_build_for_keys", HERE / "a1_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _not_negative(_x: Interval) -> Interval:
    """[0, ∞): what a remainder (total − its listed parts) must meet."""
    return Interval(exact(0).lo, INF)


def _chuzhou(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    n = b.cz_numbers()
    funds = list(b.CZ_FUNDS)

    def row(fund: str, code: str) -> dict:
        return next(r for r in n[fund] if r["code"] == code)

    for fund, rows in n.items():
        p = {r["code"]: r["printed"] for r in rows}
        for c in b.CZ_COLS:
            ok(
                f"{fund} 本期收支结余 {c} = 收入 − 支出",
                p["balance_current"][c],
                diff(p["income_total"][c], p["expenditure_total"][c]),
            )
            if fund == "all":
                continue
            for total_code, kind in (("income_total", "in"), ("expenditure_total", "out")):
                idx = [r["code"] for r in rows].index(total_code)
                parts = []
                for r in rows[idx + 1 :]:
                    if r["kind"] != "part":
                        break
                    parts.append(r["printed"][c])
                # the 其中 rows list only the main items: their sum stays within the total
                ok(
                    f"{fund} {kind} {c} 其中各项不超过合计",
                    diff(p[total_code][c], total(*parts)),
                    _not_negative(diff(p[total_code][c], total(*parts))),
                )
        for r in rows:
            if r["rate"] is not None:
                (bad if "true_rate" in r else ok)(
                    f"{fund} {r['label']} 执行进度",
                    r["rate"],
                    rate(r["printed"]["actual"], r["printed"]["budget"]),
                )
                ok(
                    f"{fund} {r['label']} 同比增减",
                    r["yoy"],
                    growth(r["printed"]["actual"], r["printed"]["prior"]),
                )
    # 五项基金合计 = the five funds' rows
    for code, label in (
        ("income_total", "基金收入"),
        ("expenditure_total", "基金支出"),
        ("balance_current", "结余"),
    ):
        for c in b.CZ_COLS:
            stated = row("all", code)["printed"][c]
            computed = total(*(row(f, code)["printed"][c] for f in funds))
            planted = c == "actual" and code in ("income_total", "balance_current")
            (bad if planted else ok)(
                f"CZ1 五项合计 {label} {c} = 各基金之和" if planted else f"五项合计 {label} {c} = 各基金之和",
                stated,
                computed,
            )
    # 分析说明: restated figures and the changes and shares only the prose gives
    a_in, a_out = row("all", "income_total")["printed"], row("all", "expenditure_total")["printed"]
    ok("合计增收", b.wan(b.d(a_in["actual"]) - b.d(a_in["prior"])), diff(a_in["actual"], a_in["prior"]))
    ok("合计支出亿元", f"{b.q(b.d(a_out['actual']) / 10000)}亿元", iv(a_out["actual"]))
    ok("合计多支", b.wan(b.d(a_out["actual"]) - b.d(a_out["prior"])), diff(a_out["actual"], a_out["prior"]))
    ip = {r["code"]: r["printed"] for r in n["institution_pension"]}
    ok(
        "机关保险费占收入",
        b.pct(b.d(ip["contribution"]["actual"]), b.d(ip["income_total"]["actual"])),
        rate(ip["contribution"]["actual"], ip["income_total"]["actual"]),
    )
    ok(
        "机关财政补贴多拨",
        b.wan(b.d(ip["fiscal_subsidy"]["actual"]) - b.d(ip["fiscal_subsidy"]["prior"])),
        diff(ip["fiscal_subsidy"]["actual"], ip["fiscal_subsidy"]["prior"]),
    )
    rp = row("resident_pension", "expenditure_total")["printed"]
    ok("居民养老支出多支", b.wan(b.d(rp["actual"]) - b.d(rp["prior"])), diff(rp["actual"], rp["prior"]))
    em = {r["code"]: r["printed"] for r in n["employee_medical"]}
    ok(
        "职工医保保险费占收入",
        b.pct(b.d(em["contribution"]["actual"]), b.d(em["income_total"]["actual"])),
        rate(em["contribution"]["actual"], em["income_total"]["actual"]),
    )
    ok(
        "职工医保待遇增加",
        b.wan(b.d(em["benefits"]["actual"]) - b.d(em["benefits"]["prior"])),
        diff(em["benefits"]["actual"], em["benefits"]["prior"]),
    )
    rm = row("resident_medical", "contribution")["printed"]
    ok("居民医保个人缴费减少", b.wan(b.d(rm["prior"]) - b.d(rm["actual"])), diff(rm["prior"], rm["actual"]))


def _anhua(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    n = b.ah_numbers()
    p = b.AH_PEOPLE
    # 资金到位 by level (表1 and the prose)
    levels, tot = n["levels"], n["level_total"]
    for r in [*levels, tot]:
        ok(f"{r['label']} 到位率", r["rate"], rate(r["arrived"], r["budget"]))
        ok(f"{r['label']} 未到位数", r["missing"], diff(r["budget"], r["arrived"]))
    for col in ("budget", "arrived", "missing"):
        ok(f"到位合计 {col}", tot[col], total(*(r[col] for r in levels)))
    # 自评表 项目资金 block
    for key in ("total", "central_prov", "local"):
        _b, a, e, r = n["funds"][key]
        ok(f"项目资金 {key} 执行率", r, rate(e, a))
    for i in range(3):
        ok(
            f"项目资金 合计 col{i}",
            n["funds"]["total"][i],
            total(n["funds"]["central_prov"][i], n["funds"]["local"][i]),
        )
    ok("中央和省级 全年预算", n["funds"]["central_prov"][1], total(levels[0]["budget"], levels[1]["budget"]))
    ok("中央和省级 执行", n["funds"]["central_prov"][2], total(levels[0]["arrived"], levels[1]["arrived"]))
    ok("市县级 全年预算", n["funds"]["local"][1], total(levels[2]["budget"], levels[3]["budget"]))
    ok("市县级 执行", n["funds"]["local"][2], total(levels[2]["arrived"], levels[3]["arrived"]))
    ok("预算执行率得分 = 10 × 执行率", n["exec_score"], iv(n["funds"]["total"][3]) * exact("0.1"))
    # 基金收入 and 支出
    inc, sp = n["income"], n["spending"]
    ok("基金收入 = 各项之和", inc[-1]["cur"], total(*(r["cur"] for r in inc[:-1])))
    ok("财政补助收入 = 到位合计", inc[1]["cur"], iv(tot["arrived"]))
    ok("基金收入 增长", inc[-1]["yoy"], growth_from_change(inc[-1]["change"], inc[-1]["cur"]))
    ok(
        "财政补助收入占基金收入",
        b.pct(b.d(inc[1]["cur"]), b.d(inc[-1]["cur"])),
        rate(inc[1]["cur"], inc[-1]["cur"]),
    )
    for r in sp:
        ok(f"{r['label']} 增减额", r["change"], diff(r["cur"], r["prior"]))
        ok(f"{r['label']} 增减%", r["yoy"], growth(r["cur"], r["prior"]))
    for col in ("cur", "prior", "change"):
        ok(f"基金支出 {col} = 各项之和", sp[-1][col], total(*(r[col] for r in sp[:-1])))
    ok("丧葬补助金 = 人数 × 1,000元", sp[2]["cur"], iv(p["deaths"]) * yuan(b.AH_FUNERAL))
    ok("基础养老金占支出", n["base_share"], rate(sp[0]["cur"], sp[-1]["cur"]))
    ok("当年收支结余", n["balance"], diff(inc[-1]["cur"], sp[-1]["cur"]))
    bad("AH2 年末滚存结余 = 上年末 + 当年结余", n["rolling"], total(n["rolling_prior"], n["balance"]))
    ok("可支付月数（按写出的滚存结余）", n["months"], months(n["rolling"], sp[-1]["cur"]))
    # people and standards
    std, std_prior, c_std, p_std, x_std = b.AH_STANDARD
    ok("基础养老金标准 = 中央 + 省 + 县", std, total(c_std, p_std, x_std))
    ok("基础养老金标准提高", str(int(std) - int(std_prior)), diff(std, std_prior))
    ok(
        "缴费 + 领取 不超过参保",
        diff(p["insured"], total(p["contributors"], p["beneficiaries"])),
        _not_negative(diff(p["insured"], total(p["contributors"], p["beneficiaries"]))),
    )
    ok("参保率", n["insured_rate"], rate(p["insured"], p["eligible"]))
    # 绩效目标 and 自评表
    ok("参保人数达标", f"{p['insured']}人", threshold("57万人"))
    ok("领取待遇人数达标", f"{p['beneficiaries']}人", threshold("18.5万人"))
    bad("AH1 参保率≥96% 称已完成", f"{n['insured_rate']}%", threshold("96%"))
    ok("基础养老金标准达标", f"{std}元", threshold("153元"))
    ok("可支付月数达标", f"{n['months']}个月", threshold("12个月"))
    ok("满意度达标", "94.2%", threshold("90%"))
    kpis = b.ah_kpis()
    ok("自评表分值合计", "100", total("10", *(k[5] for k in kpis)))
    ok("自评表总得分", b.ah_total_score(), total(n["exec_score"], *(k[6] for k in kpis)))


def register(keys: Keys) -> None:
    keys.report("chuzhou-2024q3")(_chuzhou)
    keys.report("anhua-2023")(_anhua)
