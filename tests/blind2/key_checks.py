"""blind2's key checks: every derived figure of the answer keys, recomputed from printed figures.

Declarations only; tests/oracle.py decides them (interval arithmetic within printed precision) and
checks the keys against the reports' text. Each ``ok`` is a clean figure, each ``bad`` a planted error;
the built reports' checks read their tables from build.py, so table and key cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from oracle import (
    KeyRules,
    Keys,
    Recorder,
    at_least,
    derived,
    diff,
    growth,
    growth_from_change,
    iv,
    months,
    rate,
    ratio,
    total,
)
from reportscore import set_build

# The keys list table cells as clean that checks use as inputs: a clean figure may be quoted by a
# consistent check rather than stated by one.
KEYS = Keys(Path(__file__).resolve().parent, KeyRules(clean_backed="quoted"))


@KEYS.report("anji-2021")
def _anji(ok: Recorder, bad: Recorder) -> None:
    ok("机关养老收入完成率", "102.66", rate("52318.46", "50960"))
    ok("机关养老收入合计", "52318.46", total("31206.15", "20874.00", "238.31"))
    ok("机关养老支出完成率", "97.72", rate("50127.83", "51300"))
    ok("机关养老增加额", "3142.63", diff("50127.83", "46985.20"))
    ok("机关养老增幅", "6.69", growth("50127.83", "46985.20"))
    ok("机关养老支出合计", "50127.83", total("49312.40", "815.43"))
    ok("抚养比", "1.62", ratio(iv("10068"), iv("6215")))
    ok("机关养老当年结余", "2190.63", diff("52318.46", "50127.83"))
    ok("机关养老可支付月数", "3.3", months("13596.90", "50127.83"))
    ok("居民养老收入完成率", "105.63", rate("21653.72", "20500"))
    ok("居民养老缴费完成率", "105.31", rate("6845.30", "6500"))
    ok("居民养老收入合计", "21653.72", total("6845.30", "12906.55", "1101.87", "800.00"))
    ok("居民养老支出完成率", "102.40", rate("17408.16", "17000"))
    ok("居民养老增加额", "1445.83", diff("17408.16", "15962.33"))
    ok("居民养老增长率", "9.06", growth("17408.16", "15962.33"))
    ok("居民养老支出合计", "17408.16", total("13215.60", "3862.41", "330.15"))
    ok("居民养老当年结余", "4245.56", diff("21653.72", "17408.16"))
    ok("居民养老可支付月数", "47.2", months("68420.55", "17408.16"))
    ok("基础养老金增加", "20", diff("275", "255"))
    ok("合计收入", "73972.18", total("52318.46", "21653.72"))
    ok("合计支出", "67535.99", total("50127.83", "17408.16"))
    ok("合计当年结余", "6436.19", diff("73972.18", "67535.99"))
    ok("合计滚存结余", "82017.45", total("13596.90", "68420.55"))


@KEYS.report("liangshan-2022")
def _liangshan(ok: Recorder, bad: Recorder) -> None:
    funds = {  # income, expenditure, rolling balance
        "企业养老": ("486215", "512648", "318920"),
        "机关养老": ("268430", "262118", "35406"),
        "居民养老": ("158742", "121305", "402338"),
        "职工医保": ("112860", "98417", "156204"),
        "居民医保": ("312506", "318940", "126588"),
        "工伤": ("12845", "9318", "21630"),
        "失业": ("8962", "4862", "48215"),
    }
    ok("合计收入", "1360560", total(*(v[0] for v in funds.values())))
    ok("合计支出", "1327608", total(*(v[1] for v in funds.values())))
    ok("合计滚存", "1109301", total(*(v[2] for v in funds.values())))
    ok("合计结余", "32952", diff("1360560", "1327608"))
    ok("合计收入增长", "4.30", growth_from_change("56092", "1360560"))
    ok("企业养老完成率", "101.51", rate("512648", "505000"))
    ok("企业养老缺口", "26433", diff("512648", "486215"))
    ok("机关养老收入其中", "268430", total("142606", "125824"))
    ok("机关养老完成率", "97.08", rate("262118", "270000"))
    ok("机关养老增加额", "20591", diff("262118", "241527"))
    ok("机关养老增长", "8.53", growth("262118", "241527"))
    ok("机关养老结余", "6312", diff("268430", "262118"))
    ok("居民养老结余", "37437", diff("158742", "121305"))
    ok("居民养老可支付月数", "39.8", months("402338", "121305"))
    ok("职工医保结余", "14443", diff("112860", "98417"))
    ok("职工医保可支付月数", "19", months("156204", "98417"))
    ok("居民医保增加额", "17664", diff("318940", "301276"))
    ok("居民医保增长", "5.86", growth("318940", "301276"))
    ok("居民医保结余减少", "6434", diff("318940", "312506"))
    ok("工伤结余", "3527", diff("12845", "9318"))
    ok("失业结余", "4100", diff("8962", "4862"))
    bad("L1 失业完成率", "93.2", rate("4862", "5300"))
    bad("L2 工伤增长率（错基数）", "12.94", growth_from_change("1206", "9318"))
    ok("L2 12.94%即以本年为基数", "12.94", rate(iv("1206"), iv("9318")))


@KEYS.report("gongyi-2019")
def _gongyi(ok: Recorder, bad: Recorder) -> None:
    rows = {  # income budget, income actual, income rate, exp budget, exp actual, exp rate
        "机关养老": ("41530", "42186", "101.58", "41000", "40512", "98.81"),
        "居民养老": ("18260", "18904", "103.53", "15600", "15372", "98.54"),
        "职工医保": ("23400", "22975", "98.18", "22300", "21860", "98.03"),
        "生育": ("1850", "1792", "96.86", "1900", "1865", "98.16"),
        "失业": ("2100", "2265", "107.86", "1650", "1596", "96.73"),
    }
    for name, (ib, ia, ir, eb, ea, er) in rows.items():
        ok(f"{name}收入完成率", ir, rate(ia, ib))
        ok(f"{name}支出完成率", er, rate(ea, eb))
    for col, tot in ((0, "87140"), (1, "88122"), (3, "82450"), (4, "81205")):
        ok(f"合计列{col}", tot, total(*(r[col] for r in rows.values())))
    ok("合计收入完成率", "101.13", rate("88122", "87140"))
    ok("合计支出完成率", "98.49", rate("81205", "82450"))
    ok("合计结余", "6917", diff("88122", "81205"))
    ok("合计累计结余", "100506", total("9835", "56413", "18624", "426", "15208"))
    ok("机关养老收入合计", "42186", total("25604", "16420", "162"))
    ok("机关养老结余", "1674", diff("42186", "40512"))
    bad("G1 机关养老其中超总数", "40512", total("38960", "1210", "420"))
    ok("居民养老收入其中", "18904", total("4215", "13870", "819"))
    ok("居民养老增长", "9.91", growth("15372", "13986"))
    ok("居民养老支出其中", "15372", total("12108", "3018", "246"))
    ok("居民养老结余", "3532", diff("18904", "15372"))
    ok("职工医保结余", "1115", diff("22975", "21860"))
    ok("生育减幅", "-5.03", growth_from_change("-95", "1792"))
    bad("G2 生育当年结余", "-37", diff("1792", "1865"))
    ok("失业结余", "669", diff("2265", "1596"))


@KEYS.report("heyuan-2023")
def _heyuan(ok: Recorder, bad: Recorder) -> None:
    funds = {  # income, expenditure, rolling, expenditure budget (亿元)
        "机关养老": ("38.46", "37.12", "12.57", "37.80"),
        "居民养老": ("14.83", "11.68", "40.15", "11.50"),
        "职工医保": ("29.74", "27.05", "35.86", "27.40"),
        "居民医保": ("31.37", "32.14", "9.52", "32.60"),
    }
    for col, tot in enumerate(("114.40", "107.99", "98.10", "109.30")):
        ok(f"合计列{col}", tot, total(*(v[col] for v in funds.values())))
    ok("合计结余", "6.41", diff("114.40", "107.99"))
    ok("支出预算执行率", "98.80", rate("107.99", "109.30"))
    ok("执行率得分", "9.88", ratio(iv("98.80"), iv("10")))
    ok("自评总分", "99.88", total(iv("9.88"), *(iv("10") for _ in range(9))))
    ok("机关养老收入完成率", "101.48", rate("38.46", "37.90"))
    ok("机关养老收入其中", "38.46", total("21.35", "16.92", "0.19"))
    ok("机关养老支出完成率", "98.20", rate("37.12", "37.80"))
    ok("机关养老增长", "7.28", growth("37.12", "34.60"))
    ok("机关养老结余", "1.34", diff("38.46", "37.12"))
    ok("机关养老财政依赖", "44.0", rate("16.92", "38.46"))
    ok("居民养老收入其中", "14.83", total("10.26", "3.62", "0.95"))
    ok("居民养老完成率", "101.57", rate("11.68", "11.50"))
    ok("居民养老结余", "3.15", diff("14.83", "11.68"))
    ok("居民养老可支付月数", "41.3", months("40.15", "11.68"))
    ok("职工医保增长", "5.20", growth("29.74", "28.27"))
    ok("职工医保完成率", "98.72", rate("27.05", "27.40"))
    ok("职工医保结余", "2.69", diff("29.74", "27.05"))
    ok("居民医保完成率", "98.59", rate("32.14", "32.60"))
    ok("居民医保结余", "-0.77", diff("31.37", "32.14"))
    ok("居民医保可支付月数", "3.6", months("9.52", "32.14"))


@KEYS.report("etuoke-2020")
def _etuoke(ok: Recorder, bad: Recorder) -> None:
    ok("合计收入", "26974", total("21846", "5128"))
    ok("合计支出", "24899", total("20935", "3964"))
    ok("合计结余", "2075", diff("26974", "24899"))
    ok("合计滚存", "30110", total("5327", "24783"))
    ok("合计支出执行率", "97.45", rate("24899", derived("25550")))
    ok("合计支出预算", derived("25550"), total("21500", "4050"))
    ok("机关养老收入完成率", "97.96", rate("21846", "22300"))
    ok("机关养老收入其中", "21846", total("12580", "9190", "76"))
    ok("机关养老支出完成率", "97.37", rate("20935", "21500"))
    ok("机关养老增长", "7.62", growth_from_change("1482", "20935"))
    ok("机关养老结余", "911", diff("21846", "20935"))
    ok("抚养比", "1.63", ratio(iv("4012"), iv("2468")))
    ok("居民养老收入完成率", "104.65", rate("5128", "4900"))
    ok("居民养老收入其中", "5128", total("1286", "3452", "390"))
    ok("居民养老支出完成率", "97.88", rate("3964", "4050"))
    ok("居民养老增长", "6.85", growth("3964", "3710"))
    ok("居民养老支出其中", "3964", total("3305", "602", "57"))
    ok("居民养老结余", "1164", diff("5128", "3964"))
    ok("居民养老可支付月数", "75", months("24783", "3964"))
    # E1/E2/E3 are textual: a target stated twice, an unmet row, a wrong five-year plan
    bad("E1 目标前后写作2400与2450", "2400", iv("2450"))
    bad("E2 实际93.6未达目标95", "93.6", at_least("95"))


@KEYS.report("wenjiang-2024")
def _wenjiang(ok: Recorder, bad: Recorder) -> None:
    WENJIANG_TABLE = set_build("blind2").WENJIANG_TABLE
    rows = {r[0]: r[1:] for r in WENJIANG_TABLE[1:]}
    for item, (a, b, tot) in rows.items():
        if item == "一、基金收入":
            bad("W1 合计基金收入", tot, total(a, b))
            ok("W1 两项之和应为", derived("56079.65"), total(a, b))
        else:
            ok(f"合计{item}", tot, total(a, b))
    for col in (0, 1):
        inc, con, fis, inte, exp, ben, tra, bal, _ = (r[col] for r in rows.values())
        ok(f"列{col}收入其中", inc, total(con, fis, inte))
        ok(f"列{col}支出其中", exp, total(ben, tra))
        ok(f"列{col}当年结余", bal, diff(inc, exp))
    ok("机关养老收入完成率", "100.91", rate("46215.38", "45800"))
    ok("机关养老支出完成率", "98.40", rate("44872.51", "45600"))
    ok("机关养老增长", "5.12", growth("44872.51", "42686.30"))
    ok("机关养老财政补贴占比", "40.35", rate("18650.00", "46215.38"))
    ok("居民养老财政补贴占比", "70.08", rate("6912.60", "9864.27"))
    ok("居民养老完成率（按表中支出）", "103.29", rate("7436.85", "7200"))
    bad("W2b 按正文重述的支出", "103.29", rate("7463.85", "7200"))
    ok("居民养老可支付月数", "50.4", months("31205.66", "7436.85"))
    bad("W2 重述不同", "7463.85", iv("7436.85"))


@KEYS.report("lishui-2022")
def _lishui(ok: Recorder, bad: Recorder) -> None:
    LISHUI_TABLE = set_build("blind2").LISHUI_TABLE
    fund = ""
    by_fund: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in LISHUI_TABLE[1:]:
        if not row[1]:
            fund = row[0]
            by_fund[fund] = {}
            continue
        by_fund[fund][row[0]] = row[1:]
        prior, budget, actual, crate, yrate = row[1:]
        if crate != "—":
            ok(f"{fund}{row[0]}完成预算%", crate, rate(actual, budget))
            ok(f"{fund}{row[0]}同比增长%", yrate, growth(actual, prior))
    for fund, rows in by_fund.items():
        inc, exp, bal, roll = rows["基金收入"], rows["基金支出"], rows["当年收支结余"], rows["年末滚存结余"]
        for k in range(3):
            ok(f"{fund}结余列{k}", bal[k], diff(inc[k], exp[k]))
        ok(f"{fund}滚存预算", roll[1], total(iv(roll[0]), iv(bal[1])))
        ok(f"{fund}滚存决算", roll[2], total(iv(roll[0]), iv(bal[2])))
    tot = {
        k: [total(*(by_fund[f][k][c] for f in by_fund)) for c in range(3)] for k in ("基金收入", "基金支出")
    }
    ok("合计收入", "201432.12", tot["基金收入"][2])
    ok("合计收入完成率", "101.89", rate(tot["基金收入"][2], tot["基金收入"][1]))
    ok("合计收入增长", "5.81", rate(diff(tot["基金收入"][2], tot["基金收入"][0]), tot["基金收入"][0]))
    ok("合计支出", "181866.25", tot["基金支出"][2])
    ok("合计支出完成率", "98.68", rate(tot["基金支出"][2], tot["基金支出"][1]))
    ok("合计支出增长", "5.47", rate(diff(tot["基金支出"][2], tot["基金支出"][0]), tot["基金支出"][0]))
    ok("合计结余", "19565.87", diff("201432.12", "181866.25"))
    ok("合计滚存", "325864.26", total(*(by_fund[f]["年末滚存结余"][2] for f in by_fund)))
    ok("居民养老支出增加", "3055.31", diff("43918.06", "40862.75"))
    ok("工伤收入减少", "820.82", diff("18126.44", "17305.62"))
    ok("失业可支付月数", "58.4", months("98983.66", "20342.19"))
    ok("养老累计结余增加", "16145.41", total("3321.28", "12824.13"))


@KEYS.report("xuanhan-2018")
def _xuanhan(ok: Recorder, bad: Recorder) -> None:
    ok("合计收入", "59480", total("35862", "23618"))
    ok("合计支出", "55313", total("34927", "20386"))
    ok("合计结余", "4167", diff("59480", "55313"))
    ok("合计滚存", "30904", total("6254", "24650"))
    ok("机关养老收入完成率", "98.25", rate("35862", "36500"))
    ok("机关养老收入其中", "35862", total("20118", "15604", "140"))
    ok("机关养老增长", "9.67", growth("34927", "31846"))
    ok("机关养老支出完成率", "98.66", rate("34927", "35400"))
    ok("抚养比", "1.58", ratio(iv("11236"), iv("7120")))
    ok("机关养老结余", "935", diff("35862", "34927"))
    ok("机关养老可支付月数", "2.1", months("6254", "34927"))
    ok("居民养老收入其中", "23618", total("5426", "16935", "1257"))
    ok("居民养老缴费下降", "-3.8", growth("5426", "5640"))
    ok("居民养老支出其中", "20386", total("17512", "2497", "377"))
    ok("居民养老结余", "3232", diff("23618", "20386"))
    ok("居民养老可支付月数", "14.5", months("24650", "20386"))
