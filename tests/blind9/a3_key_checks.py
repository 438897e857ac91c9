
"""Author A3's key checks for blind9: every derived figure of hebi-2023 and pidu-2024, recomputed from
printed figures.

Declarations only; tests/oracle.py decides them. ``ok`` is a clean figure, ``bad`` a planted error.
hebi-2023 is a committed TXT: its figures are copied here as printed (the 表一 rows verbatim). pidu-2024
is built by a3_build.py, whose data these checks read (formatted as the document prints them), so the
key and the document cannot drift apart. blind9's key_checks.py calls ``register(keys)``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from oracle import (
    Keys,
    Recorder,
    diff,
    exact,
    growth,
    growth_from_change,
    iv,
    months,
    rate,
    ratio,
    threshold,
    total,
    yuan,
)

HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------ hebi-2023 (TXT, 表一 in 元)
# 表一 as printed: 项目|行次|职工医保|其中：统筹基金|其中：个人账户|居民医保|合计
HEBI_TABLE = """\
一、基金收入|1|1,531,178,725.33|1,056,661,086.96|474,517,638.37|1,232,758,888.84|2,763,937,614.17
（一）保险费收入|2|1,489,758,476.05|1,021,456,318.45|468,302,157.60|451,862,340.00|1,941,620,816.05
（二）财政补贴收入|3|12,850,000.00|12,850,000.00|0.00|768,935,600.00|781,785,600.00
（三）利息收入|4|25,152,183.08|18,936,702.31|6,215,480.77|9,854,213.66|35,006,396.74
（四）其他收入|5|3,418,066.20|3,418,066.20|0.00|2,106,735.18|5,524,801.38
二、基金支出|6|1,362,593,650.13|959,977,776.84|402,615,873.29|1,236,855,719.65|2,594,949,369.78
（一）基本医疗保险待遇支出|7|1,361,357,110.13|958,741,236.84|402,615,873.29|1,172,580,419.53|2,533,937,529.66
（二）大病保险支出|8|0.00|0.00|0.00|63,410,000.00|63,410,000.00
（三）其他支出|9|1,236,540.00|1,236,540.00|0.00|865,300.12|2,101,840.12
三、本年收支结余|10|168,585,075.20|96,683,310.12|71,901,765.08|-4,096,830.81|164,488,244.39
四、上年末滚存结余|11|2,615,821,521.97|1,512,368,904.17|1,103,452,617.80|689,714,320.45|3,305,535,842.42
五、年末滚存结余|12|2,784,406,597.17|1,609,052,214.29|1,175,354,382.88|685,617,489.64|3,470,024,086.81
"""
HEBI_ROWS = ("inc", "con", "sub", "int", "oth", "exp", "ben", "big", "oexp", "bal", "prior_roll", "roll")
HEBI_COLS = ("E", "P", "A", "R", "T")


def _hebi_table() -> dict[str, dict[str, str]]:
    """{column: {row: printed 元 figure}} from the verbatim rows."""
    out: dict[str, dict[str, str]] = {c: {} for c in HEBI_COLS}
    for key, line in zip(HEBI_ROWS, HEBI_TABLE.splitlines(), strict=True):
        cells = line.split("|")[2:]
        for c, cell in zip(HEBI_COLS, cells, strict=True):
            out[c][key] = cell
    return out


def _hebi(ok: Recorder, bad: Recorder) -> None:
    t = _hebi_table()
    y = {c: {k: yuan(v) for k, v in col.items()} for c, col in t.items()}
    # 表一: every column adds up, and rolls forward
    for c in ("E", "P", "A", "R"):
        col = y[c]
        ok(f"表一{c}收入=各项", col["inc"], total(col["con"], col["sub"], col["int"], col["oth"]))
        ok(f"表一{c}支出=各项", col["exp"], total(col["ben"], col["big"], col["oexp"]))
        ok(f"表一{c}结余=收入−支出", col["bal"], diff(col["inc"], col["exp"]))
        ok(f"表一{c}滚存=上年末+结余", col["roll"], total(col["prior_roll"], col["bal"]))
    for k in HEBI_ROWS:
        ok(f"表一职工医保{k}=统筹+个人账户", y["E"][k], total(y["P"][k], y["A"][k]))
        if k == "exp":
            bad("H1 表一合计列基金支出≠职工+居民", y["T"]["exp"], total(y["E"]["exp"], y["R"]["exp"]))
        else:
            ok(f"表一合计{k}=职工+居民", y["T"][k], total(y["E"][k], y["R"][k]))
    ok("表一合计收入=各项", y["T"]["inc"], total(y["T"]["con"], y["T"]["sub"], y["T"]["int"], y["T"]["oth"]))
    ok("表一合计滚存=上年末+结余", y["T"]["roll"], total(y["T"]["prior_roll"], y["T"]["bal"]))
    # prose in 万元 restates 表一
    restated = {
        "276,393.76": ("T", "inc"), "347,002.41": ("T", "roll"),
        "153,117.87": ("E", "inc"), "148,975.85": ("E", "con"), "1,285.00": ("E", "sub"),
        "2,515.22": ("E", "int"), "341.81": ("E", "oth"), "105,666.11": ("P", "inc"),
        "47,451.76": ("A", "inc"), "136,259.37": ("E", "exp"), "136,135.71": ("E", "ben"),
        "123.65": ("E", "oexp"), "95,997.78": ("P", "exp"), "40,261.59": ("A", "exp"),
        "16,858.51": ("E", "bal"), "278,440.66": ("E", "roll"), "160,905.22": ("P", "roll"),
        "117,535.44": ("A", "roll"),
        "123,275.89": ("R", "inc"), "45,186.23": ("R", "con"), "76,893.56": ("R", "sub"),
        "985.42": ("R", "int"), "210.67": ("R", "oth"), "123,685.57": ("R", "exp"),
        "117,258.04": ("R", "ben"), "6,341.00": ("R", "big"), "86.53": ("R", "oexp"),
        "-409.68": ("R", "bal"), "68,561.75": ("R", "roll"), "68,971.43": ("R", "prior_roll"),
    }
    for printed_wan, (c, k) in restated.items():
        ok(f"正文{printed_wan}万元=表一{c}{k}", printed_wan, y[c][k])
    ok("居民医保收不抵支额", "409.68", diff(y["R"]["exp"], y["R"]["inc"]))
    # rates the prose states
    ok("职工医保收入完成预算", "101.40%", rate("153,117.87", "151,000.00"))
    bad("H2 职工医保支出完成预算", "97.96%", rate(y["E"]["exp"], "142,000.00"))
    ok("居民医保收入执行进度", "98.94%", rate("123,275.89", "124,600.00"))
    ok("居民医保支出完成预算", "100.72%", rate("123,685.57", "122,800.00"))
    for label, change, current, stated in (
        ("职工医保收入", "9,459.67", "153,117.87", "6.58%"),
        ("职工医保保险费", "9,058.40", "148,975.85", "6.47%"),
        ("职工医保支出", "7,322.83", "136,259.37", "5.68%"),
        ("职工医保待遇支出", "8,033.00", "136,135.71", "6.27%"),
        ("居民医保收入", "5,001.83", "123,275.89", "4.23%"),
        ("居民医保个人缴费", "1,574.73", "45,186.23", "3.61%"),
        ("居民医保财政补贴", "3,927.21", "76,893.56", "5.38%"),
        ("居民医保支出", "6,881.65", "123,685.57", "5.89%"),
        ("居民医保待遇支出", "6,845.37", "117,258.04", "6.20%"),
    ):
        ok(f"{label}同比", stated, growth_from_change(change, current))
    ok("统筹基金收入占比", "69.01%", rate(y["P"]["inc"], y["E"]["inc"]))
    ok("个人账户收入占比", "30.99%", rate(y["A"]["inc"], y["E"]["inc"]))
    ok("职工医保待遇支出占比", "99.91%", rate("136,135.71", "136,259.37"))
    ok("居民个人缴费占比", "36.65%", rate(y["R"]["con"], y["R"]["inc"]))
    ok("居民财政补贴占比", "62.38%", rate(y["R"]["sub"], y["R"]["inc"]))
    ok("大病保险占比", "5.13%", rate("6,341.00", "123,685.57"))
    ok("统筹基金可支付月数", "20.1个月", months(y["P"]["roll"], y["P"]["exp"]))
    ok("居民医保可支付月数", "6.7个月", months(y["R"]["roll"], y["R"]["exp"]))
    ok("职工医保参保=在职+退休", "362,845", total("268,413", "94,432"))
    ok("在职退休比", "2.84:1", ratio("268,413", "94,432"))


# ------------------------------------------------------------------ pidu-2024 (DOCX, built by a3_build.py)


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sifund_blind9_a3_build_for_keys", HERE / "a3_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pidu(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    w = b.wan
    years = b.YEARS
    for fund in (b.IP, b.RP):
        f, n, s = b.FUNDS[fund], b.numbers(fund), b.FUNDS[fund]["short"]
        for yr in years:
            ok(f"{s}{yr}收入=各项", w(n[yr]["inc"]), total(*(w(v[yr]) for _, v in f["income"])))
            ok(f"{s}{yr}支出=各项", w(n[yr]["out"]), total(*(w(v[yr]) for _, v in f["expend"])))
            ok(f"{s}{yr}结余", w(n[yr]["bal"]), diff(w(n[yr]["inc"]), w(n[yr]["out"])))
        ok(f"{s}2023滚存=2022滚存+结余", w(n["2023"]["roll"]), total(w(n["2022"]["roll"]), w(n["2023"]["bal"])))
        roll_2024 = (w(n["2024"]["roll"]), total(w(n["2023"]["roll"]), w(n["2024"]["bal"])))
        if fund == b.IP:
            bad("P1 机关养老2024年末滚存≠上年末+当年结余", *roll_2024)
        else:
            ok(f"{s}2024滚存=上年末+结余", *roll_2024)
        ok(f"{s}预算收入=各项", w(n["budget"]["inc"]), total(*(w(x) for x in f["budget_income"])))
        ok(f"{s}预算支出=各项", w(n["budget"]["out"]), total(*(w(x) for x in f["budget_expend"])))
        ok(f"{s}预算结余", w(n["budget"]["bal"]), diff(w(n["budget"]["inc"]), w(n["budget"]["out"])))
        ok(f"{s}预算滚存", w(n["budget"]["roll"]), total(w(n["2023"]["roll"]), w(n["budget"]["bal"])))
        for r in b.fund_rows(fund):  # 项目, 2022, 2023, 预算, 执行, 执行进度, 增减额, 增减%
            label, _y2, prior, budget, actual, progress, change, change_pct = r
            if progress != "—":
                ok(f"{s}{label}执行进度", progress + "%", rate(actual, budget))
            ok(f"{s}{label}增减额", change, diff(actual, prior))
            ok(f"{s}{label}增减%", change_pct + "%", growth(actual, prior))
        ok(f"{s}可支付月数", b.mon(n["2024"]["roll"], n["2024"]["out"]) + "个月",
           months(w(n["2024"]["roll"]), w(n["2024"]["out"])))
    # the two funds together
    t, a, r = b.totals(), b.numbers(b.IP), b.numbers(b.RP)
    ok("两项收入合计", w(t["inc"]), total(w(a["2024"]["inc"]), w(r["2024"]["inc"])))
    ok("两项收入预算合计", w(t["inc_budget"]), total(w(a["budget"]["inc"]), w(r["budget"]["inc"])))
    ok("两项支出合计", w(t["out"]), total(w(a["2024"]["out"]), w(r["2024"]["out"])))
    ok("两项支出预算合计", w(t["out_budget"]), total(w(a["budget"]["out"]), w(r["budget"]["out"])))
    ok("两项收入完成率", t["inc_rate"] + "%", rate(w(t["inc"]), w(t["inc_budget"])))
    ok("两项支出完成率", t["out_rate"] + "%", rate(w(t["out"]), w(t["out_budget"])))
    ok("两项收入增加额", w(t["inc_change"]), diff(w(t["inc"]), total(w(a["2023"]["inc"]), w(r["2023"]["inc"]))))
    ok("两项支出多支额", w(t["out_change"]), diff(w(t["out"]), total(w(a["2023"]["out"]), w(r["2023"]["out"]))))
    ok("两项收入增长", t["inc_yoy"] + "%", growth_from_change(w(t["inc_change"]), w(t["inc"])))
    ok("两项支出增幅", t["out_yoy"] + "%", growth_from_change(w(t["out_change"]), w(t["out"])))
    ok("两项当年结余", w(t["bal"]), diff(w(t["inc"]), w(t["out"])))
    ok("两项当年结余=各基金", w(t["bal"]), total(w(a["2024"]["bal"]), w(r["2024"]["bal"])))
    ok("两项滚存=各基金", w(t["roll"]), total(w(a["2024"]["roll"]), w(r["2024"]["roll"])))
    ok("两项滚存亿元", t["roll_yi"] + "亿元", iv(w(t["roll"])))
    # shares, coverage, dependency ratios (prose and 存在的问题)
    d = b.derived()
    ia, ib = dict(b.FUNDS[b.IP]["income"]), dict(b.FUNDS[b.RP]["income"])
    ea, eb = dict(b.FUNDS[b.IP]["expend"]), dict(b.FUNDS[b.RP]["expend"])
    ok("机关缴费占收入", d["ip_con_share"] + "%", rate(w(ia["养老保险费收入"]["2024"]), w(a["2024"]["inc"])))
    ok("机关财政补助占收入", d["ip_sub_share"] + "%", rate(w(ia["财政补助收入"]["2024"]), w(a["2024"]["inc"])))
    ok("机关缴费覆盖支出", d["ip_cover"] + "%", rate(w(ia["养老保险费收入"]["2024"]), w(a["2024"]["out"])))
    ok("机关养老金占支出", d["ip_pension_share"] + "%", rate(w(ea["基本养老金支出"]["2024"]), w(a["2024"]["out"])))
    ok("居民财政补贴占收入", d["rp_sub_share"] + "%", rate(w(ib["财政补贴收入"]["2024"]), w(r["2024"]["inc"])))
    ok("居民基础养老金占支出", d["rp_base_share"] + "%", rate(w(eb["基础养老金支出"]["2024"]), w(r["2024"]["out"])))
    ok("居民收入增长", d["rp_inc_yoy"] + "%", growth(w(r["2024"]["inc"]), w(r["2023"]["inc"])))
    ok("居民支出增长", d["rp_out_yoy"] + "%", growth(w(r["2024"]["out"]), w(r["2023"]["out"])))
    p = b.PEOPLE
    ok("抚养比", d["ip_dep"] + ":1", ratio(f"{p['ip_contributors']['2024']:,}", f"{p['ip_retirees']['2024']:,}"))
    ok("上年抚养比", d["ip_dep_prior"] + ":1",
       ratio(f"{p['ip_contributors']['2023']:,}", f"{p['ip_retirees']['2023']:,}"))
    for key in p:
        cur, pri = f"{p[key]['2024']:,}", f"{p[key]['2023']:,}"
        ok(f"{key}较上年增减", f"{p[key]['2024'] - p[key]['2023']:,}", diff(cur, pri))
    # 自评表: targets, and the scores
    ok("机关退休待遇人数达标", f"{p['ip_retirees']['2024']:,}人", threshold("7,200人"))
    bad("P2 居民养老待遇享受人数声称完成", f"{p['rp_beneficiaries']['2024']:,}人",
        threshold(f"{b.RP_BENEFICIARY_TARGET:,}人"))
    ok("居民参保人数达标", f"{p['rp_insured']['2024']:,}人", threshold("28万人"))
    ok("支出完成率在区间内(下限)", t["out_rate"] + "%", threshold("95%"))
    ok("可支付月数达标", b.mon(r["2024"]["roll"], r["2024"]["out"]) + "个月", threshold("24个月"))
    ok("满意度达标", b.SATISFACTION + "%", threshold("90%"))
    ok("预算执行率得分", t["exec_score"], iv(t["out_rate"] + "%") * exact("0.1"))
    ok("总分", b.score(), total(t["exec_score"], exact(sum(int(x[6]) for x in b.kpi()))))


def register(keys: Keys) -> None:
    """Declare A3's two reports' checks on the set's Keys (blind9's key_checks.py calls this)."""
    keys.report("hebi-2023")(_hebi)
    keys.report("pidu-2024")(_pidu)
