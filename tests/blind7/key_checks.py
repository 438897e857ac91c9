"""blind7's key checks: every derived figure of the keys, recomputed from printed figures.

Declarations only; tests/oracle.py decides them (a printed '45.01' stands for [45.005, 45.015], each
input likewise) and checks the keys against the reports' text. ``ok`` is a clean figure, ``bad`` a
planted error. The built reports' checks read their tables from build.py, so the key follows the
text. B4's reports declare theirs in b4_key_checks.py (``register(KEYS)``), loaded when it exists.
"""

from __future__ import annotations

from pathlib import Path

from oracle import (
    Keys,
    Recorder,
    decline,
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
from reportscore import load_module, set_build

HERE = Path(__file__).resolve().parent
KEYS = Keys(HERE)


@KEYS.report("youxian-2024")
def _youxian(ok: Recorder, bad: Recorder) -> None:
    build = set_build("blind7")
    rows = build.youxian_rows()[1:]
    for (name, bi, ai, bo, ao, _bal), row in zip(build.YX, rows, strict=False):
        (bad if (name, "in") in build.YX_PLANTED else ok)(f"{name}收入进度", row[3], rate(ai, bi))
        (bad if (name, "out") in build.YX_PLANTED else ok)(f"{name}支出进度", row[6], rate(ao, bo))
    tot = rows[-1]
    for j in (1, 2, 4, 5, 7):
        ok(f"合计列{j}", tot[j], total(*(r[j] for r in rows[:-1])))
    ok("合计收入进度", tot[3], rate(tot[2], tot[1]))
    ok("合计支出进度", tot[6], rate(tot[5], tot[4]))
    p = build.YX_PRIOR
    ok("机关收入同比", "5.44", growth("25,418.37", p["机关收入"]))
    ok("居民养老支出同比", "6.32", growth("13,912.68", p["居民养老支出"]))
    ok("职工医保收入同比", "4.71", growth("20,315.82", p["职工医保收入"]))
    ok("失业支出下降", "15.38", decline("1,302.17", p["失业支出"]))


@KEYS.report("meitan-2020")
def _meitan(ok: Recorder, bad: Recorder) -> None:
    build = set_build("blind7")
    for part, ((bi, ai, pi), inc, (bo, ao, po), exp, rp) in build.MT.items():
        f = build.mt_figures(part)
        name = part.split(" ", 1)[1]
        ci, co = build.wan(build.D(ai) - build.D(pi)), build.wan(build.D(ao) - build.D(po))
        ok(f"{name}收入合计", ai, total(*(v for _n, v in inc)))
        ok(f"{name}支出合计", ao, total(*(v for _n, v in exp)))
        in_check = bad if (part, "in_rate") in build.MT_PLANTED else ok
        in_check(f"{name}收入完成率", f["in_rate"], rate(ai, bi))
        ok(f"{name}支出完成率", f["out_rate"], rate(ao, bo))
        ok(f"{name}收入增减率", build.yoy(ai, pi), growth_from_change(ci, ai))
        ok(f"{name}支出增减率", build.yoy(ao, po), growth_from_change(co, ao))
        (bad if (part, "balance") in build.MT_PLANTED else ok)(f"{name}当年结余", f["balance"], diff(ai, ao))
        ok(f"{name}年末滚存", f["rolling"], total(rp, diff(ai, ao)))
        if part in build.MONTHS_PRINTED:
            ok(f"{name}可支付月数", f["months"], months(f["rolling"], ao))


@KEYS.report("dingxi-2022")
def _dingxi(ok: Recorder, bad: Recorder) -> None:
    ok("补助资金到位合计", "54,836.02", total("42,615.00", "5,327.40", "6,893.62"))
    ok("补助资金使用合计(按来源)", "54,595.29", total("42,615.00", "5,327.40", "6,652.89"))
    ok("补助资金使用合计(按用途)", "54,595.29", total("49,876.35", "3,412.20", "1,306.74"))
    ok("资金执行率", "99.56%", rate("54,595.29", "54,836.02"))
    ok("市县配套执行率", "96.51%", rate("6,652.89", "6,893.62"))
    ok("代缴金额(每人100元)", "1,306.74", iv("130,674") * exact("0.01"))
    ok("基金收入合计", "68,402.51", total("10,215.36", "54,836.02", "3,351.13"))
    ok("基金收入完成率", "103.80%", rate("68,402.51", "65,900"))
    ok("基金收入增长", "6.68%", growth("68,402.51", "64,118.27"))
    ok("基金支出合计", "56,870.44", total("49,876.35", "6,218.77", "775.32"))
    ok("基金支出预算执行率", "97.72%", rate("56,870.44", "58,200"))
    ok("基金支出增长", "8.72%", growth("56,870.44", "52,306.91"))
    ok("当年结余", "11,532.07", diff("68,402.51", "56,870.44"))
    ok("年末滚存", "203,418.66", total("191,886.59", "11,532.07"))
    ok("可支付月数", "42.92", months("203,418.66", "56,870.44"))
    ok("领取待遇人数(万人)", "34.85万人", iv("348,506"))
    ok("自评表分值合计", "100", total("10", "15", "10", "15", "10", "15", "10", "15"))
    bad("DX1 代缴人数未达≥13.2万人", "13.07", threshold("13.2"))


if (HERE / "b4_key_checks.py").exists():
    load_module("sifund_blind7_b4_key_checks", HERE / "b4_key_checks.py").register(KEYS)
