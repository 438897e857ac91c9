"""Helper B2's blind6 key checks: every derived figure of its three keys, recomputed from printed figures.

Declarations only (blind6's key_checks.py calls ``register``); tests/oracle.py decides them: a printed
'97.38' stands for [97.375, 97.385], each input likewise. ``ok`` is a clean figure, ``bad`` a planted
error. jiangxi-2022's table is read from b2_build.py, so the checks follow the data the report is built from.
"""

from __future__ import annotations

from pathlib import Path

from oracle import (
    Keys,
    Recorder,
    at_least,
    decline_from_change,
    diff,
    exact,
    growth,
    growth_from_change,
    months,
    rate,
    ratio,
    total,
    yi,
)
from reportscore import load_module

HERE = Path(__file__).resolve().parent


ROLLING_UNCHECKED = {
    "jiangxi-2022": ("94.03", "123.18"),
    "mianyang-2023": ("326,149.93",),
    "xingtai-2019": ("14,944.07", "227,646.10", "69,964.10"),
}


def _build():
    return load_module("sifund_blind6_b2_build", HERE / "b2_build.py")


def register(keys: Keys) -> None:
    """Declare the checks of jiangxi-2022, mianyang-2023 and xingtai-2019 on blind6's keys.

    A fund's year-end rolling balance is clean but backed by no formula: the prior year-end balance is
    not printed (it only feeds the 可支付月数 checks and the all-funds total).
    """
    why = "上年末累计结余未印出，本基金年末累计结余无算式可核（仅作可支付月数与合计的输入）"
    for name, tokens in ROLLING_UNCHECKED.items():
        for token in tokens:
            keys.clean_without_check(name, token, why)
    keys.report("jiangxi-2022")(_jiangxi)
    keys.report("mianyang-2023")(_mianyang)
    keys.report("xingtai-2019")(_xingtai)


def _jiangxi(ok: Recorder, bad: Recorder) -> None:
    """Figures in 亿元; the table's cells are printed without a unit (yi), the prose's with 亿元."""
    rows = _build().jx_rows()[1:]
    funds, tot = rows[:-1], rows[-1]
    for j in (1, 2, 3, 4):
        ok(f"合计行列{j}", yi(tot[j]), total(*(yi(r[j]) for r in funds)))
    for r in rows:
        ok(f"{r[0]}结余", yi(r[3]), yi(r[1]) - yi(r[2]))
        ok(f"{r[0]}可支付月数", r[5], months(yi(r[4]), yi(r[2])))
    exp_change = total("94.28亿元", "27.66亿元", "13.82亿元", "1.83亿元") - total("8.21亿元")
    ok("总支出增加额", "129.38亿元", exp_change)
    ok("总支出增长", "6.30", growth_from_change("129.38亿元", "2,181.90亿元"))
    ok("总支出完成率", "98.64", rate("2,181.90亿元", "2,212.00亿元"))
    budgets = {"2,212.00": ("1,430.00", "465.00", "232.00", "30.00", "55.00"),
               "2,284.30": ("1,450.00", "460.00", "305.00", "31.50", "37.80")}
    for stated, parts in budgets.items():
        ok(f"预算合计{stated}", f"{stated}亿元", total(*(f"{p}亿元" for p in parts)))
    ok("总收入完成率", "102.36", rate("2,338.14亿元", "2,284.30亿元"))
    ok("总结余", "156.24亿元", diff("2,338.14亿元", "2,181.90亿元"))
    per_fund = [  # 收入, 收入预算, 完成率, 增加额, 增长率, 支出, 支出预算, 完成率, 增加额, 增长率
        ("企业", "1,486.52", "1,450.00", "102.52", "84.15", "6.00",
         "1,412.68", "1,430.00", "98.79", "94.28", "7.15"),
        ("机关", "468.35", "460.00", "101.82", "27.15", "6.15", "459.72", "465.00", "98.86", "27.66", "6.40"),
        ("居民", "312.64", "305.00", "102.50", "17.46", "5.92", "228.37", "232.00", "98.44", "13.82", "6.44"),
        ("工伤", "32.18", "31.50", "102.16", "2.44", "8.20", "28.96", "30.00", "96.53", "1.83", "6.75"),
    ]
    for name, inc, ib, icr, ich, ig, exp, eb, ecr, ech, eg in per_fund:
        ok(f"{name}收入完成率", icr, rate(f"{inc}亿元", f"{ib}亿元"))
        ok(f"{name}收入增长", ig, growth_from_change(f"{ich}亿元", f"{inc}亿元"))
        ok(f"{name}支出完成率", ecr, rate(f"{exp}亿元", f"{eb}亿元"))
        ok(f"{name}支出增长", eg, growth_from_change(f"{ech}亿元", f"{exp}亿元"))
    ok("失业收入完成率", "101.72", rate("38.45亿元", "37.80亿元"))
    ok("失业收入下降", "6.27", decline_from_change("2.57亿元", "38.45亿元"))
    ok("失业支出完成率", "94.85", rate("52.17亿元", "55.00亿元"))
    ok("失业支出下降", "13.60", decline_from_change("8.21亿元", "52.17亿元"))
    ok("失业缺口", "13.72亿元", diff("52.17亿元", "38.45亿元"))
    ok("企业收入其中", "1,486.52亿元", at_least(total("1,108.46亿元", "246.83亿元", "21.37亿元")))
    ok("居民支出其中", "228.37亿元", at_least(total("196.38亿元", "27.15亿元")))
    ok("失业支出其中", "52.17亿元", at_least(total("14.26亿元", "21.38亿元", "3.12亿元")))
    bad(
        "JX1 总收入增加额≠各险种增加额之和",
        "118.63亿元",
        total("84.15亿元", "27.15亿元", "17.46亿元", "2.44亿元") - total("2.57亿元"),
    )


def _mianyang(ok: Recorder, bad: Recorder) -> None:
    emp = ("386,452.17", "378,600.00", "362,108.45", "358,917.64", "365,000.00", "339,240.18")
    res = ("312,478.56", "305,000.00", "298,934.17", "296,804.25", "302,000.00", "281,507.63")
    ok("合计收入", "698,930.73", total(emp[0], res[0]))
    ok("合计收入预算", "683,600.00", total(emp[1], res[1]))
    ok("合计支出", "655,721.89", total(emp[3], res[3]))
    ok("合计支出预算", "667,000.00", total(emp[4], res[4]))
    ok("预计结余", "16,600.00", diff("683,600.00", "667,000.00"))
    ok("合计收入完成率", "102.24", rate("698,930.73", "683,600.00"))
    ok("合计收入增长", "5.73", growth("698,930.73", total(emp[2], res[2])))
    ok("合计支出执行率", "98.31", rate("655,721.89", "667,000.00"))
    ok("合计支出增长", "5.63", growth("655,721.89", total(emp[5], res[5])))
    ok("合计结余", "43,208.84", diff("698,930.73", "655,721.89"))
    ok("合计结余(分基金)", "43,208.84", total("27,534.53", "15,674.31"))
    ok("合计累计结余", "484,130.82", total("326,149.93", "157,980.89"))
    ok("参保合计", "460.81万人", total("98.64万人", "362.17万人"))
    ok("职工参保", "98.64万人", total("71.25万人", "27.39万人"))
    ok("职工收入完成率", "102.07", rate(emp[0], emp[1]))
    ok("职工收入增长", "6.72", growth(emp[0], emp[2]))
    ok("职工收入合计", emp[0], total("371,806.42", "3,215.60", "6,418.75", "5,011.40"))
    ok("职工支出执行率", "98.33", rate(emp[3], emp[4]))
    ok("职工支出增加", "19,677.46", diff(emp[3], emp[5]))
    ok("职工支出增长", "5.80", growth(emp[3], emp[5]))
    ok("职工支出合计", emp[3], total("341,206.35", "5,318.26", "9,872.44", "2,520.59"))
    ok("职工结余", "27,534.53", diff(emp[0], emp[3]))
    ok("职工可支付月数", "10.90", months("326,149.93", emp[3]))
    ok("居民收入完成率", "102.45", rate(res[0], res[1]))
    ok("居民收入增长", "4.53", growth(res[0], res[2]))
    ok("居民收入合计", res[0], total("98,356.20", "208,715.34", "2,318.66", "3,088.36"))
    ok("居民支出执行率", "98.28", rate(res[3], res[4]))
    ok("居民支出增长", "5.43", growth(res[3], res[5]))
    ok("居民支出合计", res[3], total("289,413.87", "7,390.38"))
    ok("居民结余", "15,674.31", diff(res[0], res[3]))
    ok("执行率得分", "9.83", rate("655,721.89", "667,000.00") / exact(10))
    build = _build()
    ok("分值合计", "100", total(build.MY_EXECUTION[1], *(k[5] for k in build.MY_KPI)))
    ok("总得分", "99.83", total(build.MY_EXECUTION[2], *(k[6] for k in build.MY_KPI)))
    bad("MY1 职工支出执行率重述", "98.53", rate(emp[3], emp[4]))
    bad("MY2 居民可支付月数", "7.39", months("157,980.89", res[3]))


def _xingtai(ok: Recorder, bad: Recorder) -> None:
    f = {  # 收入, 收入预算, 支出, 支出预算, 当年结余, 滚存结余
        "机关": ("186,452.38", "182,000.00", "183,917.06", "185,500.00", "2,535.32", "14,944.07"),
        "居民": ("98,613.45", "95,800.00", "76,284.19", "78,000.00", "22,329.26", "227,646.10"),
        "工伤": ("9,865.20", "9,600.00", "8,236.45", "7,900.00", "1,628.75", "15,847.35"),
        "失业": ("12,406.38", "13,000.00", "10,982.55", "12,500.00", "1,423.83", "69,964.10"),
    }
    totals = ("307,337.41", "300,400.00", "279,420.25", "283,900.00", "27,917.16", "328,401.62")
    for j, t in enumerate(totals):
        ok(f"四项合计列{j}", t, total(*(r[j] for r in f.values())))
    for name, r in f.items():
        ok(f"{name}结余", r[4], diff(r[0], r[2]))
    ok("合计结余", "27,917.16", diff("307,337.41", "279,420.25"))
    ok("合计收入完成率", "102.31", rate("307,337.41", "300,400.00"))
    income_change = (
        total(diff("186,452.38", "171,265.40"), "5,405.83", diff("9,865.20", "9,102.35")) - total("1,468.83")
    )
    ok("合计收入增加", "19,886.83", income_change)
    ok("合计收入增长", "6.92", growth_from_change("19,886.83", "307,337.41"))
    ok("合计支出执行率", "98.42", rate("279,420.25", "283,900.00"))
    ok("合计支出增加", "23,426.34", total("15,514.89", diff("76,284.19", "70,915.36"), "724.37", "1,818.25"))
    ok("合计支出增长", "9.15", growth_from_change("23,426.34", "279,420.25"))
    ok("机关收入完成率", "102.45", rate("186,452.38", "182,000.00"))
    ok("机关收入增长", "8.87", growth("186,452.38", "171,265.40"))
    ok("机关收入合计", "186,452.38", total("98,615.27", "86,904.55", "932.56"))
    ok("机关支出执行率", "99.15", rate("183,917.06", "185,500.00"))
    ok("机关支出增长", "9.21", growth_from_change("15,514.89", "183,917.06"))
    ok("机关支出合计", "183,917.06", total("181,236.48", "2,680.58"))
    ok("机关可支付月数", "0.98", months("14,944.07", "183,917.06"))
    ok("机关抚养比", "2.03", ratio("84,126", "41,538"))
    ok("居民收入完成率", "102.94", rate("98,613.45", "95,800.00"))
    ok("居民收入增长", "5.80", growth_from_change("5,405.83", "98,613.45"))
    ok("居民收入合计", "98,613.45", total("21,408.33", "74,892.10", "1,985.62", "327.40"))
    ok("居民支出完成率", "97.80", rate("76,284.19", "78,000.00"))
    ok("居民支出增长", "7.57", growth("76,284.19", "70,915.36"))
    ok("居民支出合计", "76,284.19", total("68,905.27", "6,572.40", "806.52"))
    ok("居民可支付月数", "35.8", months("227,646.10", "76,284.19"))
    ok("工伤收入完成率", "102.76", rate("9,865.20", "9,600.00"))
    ok("工伤收入增长", "8.38", growth("9,865.20", "9,102.35"))
    ok("工伤支出增长", "9.64", growth_from_change("724.37", "8,236.45"))
    ok("失业收入完成率", "95.43", rate("12,406.38", "13,000.00"))
    ok("失业收入下降", "10.59", decline_from_change("1,468.83", "12,406.38"))
    ok("失业支出执行率", "87.86", rate("10,982.55", "12,500.00"))
    ok("失业支出增长", "19.84", growth_from_change("1,818.25", "10,982.55"))
    ok("失业支出其中", "10,982.55", at_least(total("4,215.36", "612.80", "4,862.70", "906.45")))
    ok("执行率得分", "9.84", rate("279,420.25", "283,900.00") / exact(10))
    ok("分值合计", "100", total(*(exact(w) for w in (10, 15, 15, 10, 10, 10, 10, 10, 10))))
    ok("机关待遇人数达标", "41538人", at_least("4.1万人"))
    ok("稳岗达标", "3412", at_least("3000"))
    bad("XT1 工伤支出完成率", "104.62", rate("8,236.45", "7,900.00"))
    bad("XT2 41.28万人未达≥41.5万人", "41.28万人", at_least("41.5万人"))
