"""Recompute every derived figure of the blind5 keys by interval arithmetic (printed precision).

`ok(...)` asserts a clean figure is consistent; `bad(...)` asserts a planted finding is not.
A printed '97.38' stands for [97.375, 97.385); each input likewise. Run: python _check_gold.py
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal as D
from pathlib import Path

Iv = tuple[D, D]


def iv(s: str) -> Iv:
    s = s.replace(",", "")
    d = D(s)
    h = D(1).scaleb(d.as_tuple().exponent) / 2
    return d - h, d + h


def add(*xs: Iv) -> Iv:
    return sum((x[0] for x in xs), D(0)), sum((x[1] for x in xs), D(0))


def sub(a: Iv, b: Iv) -> Iv:
    return a[0] - b[1], a[1] - b[0]


def div(a: Iv, b: Iv, k: D = D(100)) -> Iv:
    c = [a[0] / b[0], a[0] / b[1], a[1] / b[0], a[1] / b[1]]
    return min(c) * k, max(c) * k


def meets(stated: str, calc: Iv) -> bool:
    s = iv(stated)
    return s[0] <= calc[1] and calc[0] <= s[1]


def rate(a: str, b: str) -> Iv:
    return div(iv(a), iv(b))


def yoy(cur: str, prior: str) -> Iv:
    return div(sub(iv(cur), iv(prior)), iv(prior))


def yoy_chg(chg: str, cur: str) -> Iv:
    return div(iv(chg), sub(iv(cur), iv(chg)))


def total(*xs: str) -> Iv:
    return add(*(iv(x) for x in xs))


def diff(a: str, b: str) -> Iv:
    return sub(iv(a), iv(b))


def months(bal: str, exp: str) -> Iv:
    return div(iv(bal), div(iv(exp), iv("12"), D(1)), D(1))


def _build():
    """build.py loaded by path (a bare `import build` could pick up the PyPA `build` package)."""
    spec = importlib.util.spec_from_file_location("blind5_build", Path(__file__).with_name("build.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ok(label: str, stated: str, calc: Iv) -> None:
    assert meets(stated, calc), f"{label}: {stated} not in {calc}"


def bad(label: str, stated: str, calc: Iv) -> None:
    assert not meets(stated, calc), f"{label}: {stated} unexpectedly consistent with {calc}"


def huoqiu() -> None:
    ok("居民养老收入完成率", "102.60", rate("57251.83", "55800"))
    ok("居民养老收入同比", "6.73", yoy("57251.83", "53640.19"))
    ok("居民养老支出完成率", "97.14", rate("49735.28", "51200"))
    ok("居民养老收入合计", "57251.83", total("9812.36", "45216.80", "2187.05", "35.62"))
    ok("居民养老支出合计", "49735.28", total("43602.15", "5418.77", "596.40", "117.96"))
    ok("居民养老结余", "7516.55", diff("57251.83", "49735.28"))
    ok("居民养老可支付月数", "31.1", months("128901.21", "49735.28"))
    ok("机关养老收入完成率", "103.15", rate("31462.08", "30500"))
    ok("机关养老支出完成率", "99.74", rate("30918.53", "31000"))
    ok("机关养老收入合计", "31462.08", total("17305.44", "14061.90", "94.74"))
    ok("机关养老支出合计", "30918.53", total("30512.27", "406.26"))
    ok("机关养老结余", "543.55", diff("31462.08", "30918.53"))
    ok("抚养比", "1.62", div(iv("9948"), iv("6127"), D(1)))
    ok("合计收入", "88713.91", total("57251.83", "31462.08"))
    ok("合计支出", "80653.81", total("49735.28", "30918.53"))
    ok("合计结余", "8060.10", total("7516.55", "543.55"))
    ok("合计滚存", "131708.14", total("128901.21", "2806.93"))


def xiangzhou() -> None:
    rows = {  # 收入 保险费 财政补贴 支出 待遇 结余 滚存
        "机关": ["42615.30", "24108.62", "18402.11", "41987.45", "41750.08", "627.85", "3904.17"],
        "居民": ["21430.66", "3517.20", "16842.35", "17368.90", "17102.44", "4061.76", "52318.09"],
        "职工医保": ["36872.14", "33905.77", "1210.00", "34116.58", "33420.91", "2755.56", "28640.32"],
        "工伤": ["1846.25", "1790.43", "0", "1602.77", "1571.30", "243.48", "2115.64"],
        "失业": ["2738.91", "2415.06", "0", "3127.35", "1204.88", "-388.44", "9873.20"],
    }
    tot = ["105503.26", "65737.08", "36454.46", "98203.05", "95049.61", "7300.21", "96851.42"]
    for j, t in enumerate(tot):
        ok(f"合计列{j}", t, total(*(r[j] for r in rows.values())))
    for k, r in rows.items():
        ok(f"{k}结余", r[5], diff(r[0], r[3]))
    ok("机关收入完成率", "101.95", rate("42615.30", "41800"))
    ok("机关支出同比", "7.80", yoy("41987.45", "38950.20"))
    ok("居民支出完成率", "96.49", rate("17368.90", "18000"))
    ok("职工医保收入同比", "7.81", yoy("36872.14", "34201.77"))
    ok("工伤支出增幅", "13.33", yoy_chg("188.52", "1602.77"))
    ok("失业支出其中", "3127.35", total("1204.88", "1695.62", "226.85"))
    bad("XZ1 职工医保支出重述", "34161.58", iv("34116.58"))
    bad("XZ2 失业支出完成率", "124.28", rate("3127.35", "2600"))


def jiexiu() -> None:
    f = {  # 收入 支出 结余 滚存
        "机关": ["23518.40", "22947.16", "571.24", "1836.59"],
        "居民": ["9846.27", "7205.91", "2640.36", "24377.15"],
        "职工医保": ["15602.88", "13918.46", "1684.42", "11205.73"],
        "生育": ["1108.52", "1187.95", "-79.43", "512.08"],
        "居民医保": ["28406.75", "27016.33", "1390.42", "9877.04"],
        "工伤": ["986.14", "820.57", "165.57", "1403.29"],
        "失业": ["1520.66", "973.82", "546.84", "6811.90"],
    }
    for j, t in enumerate(["80989.62", "74070.20", "6919.42", "56023.78"]):
        ok(f"七项合计列{j}", t, total(*(r[j] for r in f.values())))
    for k, r in f.items():
        ok(f"{k}结余", r[2], diff(r[0], r[1]))
    ok("机关收入完成率", "102.25", rate("23518.40", "23000.00"))
    ok("机关支出完成率", "97.65", rate("22947.16", "23500.00"))
    ok("机关收入合计", "23518.40", total("13206.75", "10250.12", "61.53"))
    ok("机关支出合计", "22947.16", total("22690.04", "257.12"))
    ok("居民收入合计", "9846.27", total("2315.80", "6902.44", "628.03"))
    ok("居民支出合计", "7205.91", total("6418.30", "702.57", "85.04"))
    ok("职工医保收入合计", "15602.88", total("14987.31", "215.57", "400.00"))
    ok("生育支出合计", "1187.95", total("402.61", "785.34"))
    ok("职工医保可支付月数", "9.66", months("11205.73", "13918.46"))


def tongxin() -> None:
    build = _build()

    table = build.tongxin_rows()[1:len(build.RP) + 1]
    for (name, prior, budget, actual), row in zip(build.RP, table, strict=True):
        if budget:
            ok(f"{name}完成率", row[4], rate(actual, budget))
        check = bad if name in build.PLANTED_YOY else ok
        check(f"{name}同比", row[5], yoy(actual, prior))
    ok("居民收入合计", "15362.08", total("2133.47", "12697.40", "531.21"))
    ok("居民支出合计", "12318.75", total("11046.12", "1108.33", "164.30"))
    ok("居民上年收入合计", "14210.36", total("1905.22", "11820.55", "484.59"))
    ok("居民上年支出合计", "11562.90", total("10402.35", "1008.70", "151.85"))
    ok("机关收入合计", "19876.40", total("10215.68", "9588.12", "72.60"))
    ok("机关支出合计", "19463.29", total("19230.85", "232.44"))
    ok("机关上年支出合计", "18016.44", total("17790.15", "226.29"))
    ok("居民结余", "3043.33", diff("15362.08", "12318.75"))
    ok("居民上年结余", "2647.46", diff("14210.36", "11562.90"))
    ok("居民预算结余", "2200.00", diff("14800", "12600"))
    ok("居民滚存", "43158.95", total("40115.62", "3043.33"))
    ok("机关结余", "413.11", diff("19876.40", "19463.29"))
    ok("机关上年结余", "386.33", diff("18402.77", "18016.44"))
    ok("机关预算结余", "-300.00", diff("19500", "19800"))
    ok("机关滚存", "1703.17", total("1290.06", "413.11"))
    ok("两项支出", "31782.04", total("12318.75", "19463.29"))
    ok("支出完成率", "98.09", rate("31782.04", "32400.00"))
    ok("可支付月数", "42.0", months("43158.95", "12318.75"))
    ok("总分权重", "100", total(*(k[3] for k in build.TX_KPI)))
    ok("总分得分", "99.6", total(*(k[6] for k in build.TX_KPI)))
    ok("数量指标按比例得分", "14.6", div(iv("3.12"), iv("3.2"), D(15)))
    bad("TX1 机关支出同比(正确基数)", "7.43", yoy("19463.29", "18016.44"))
    bad("TX2 正文目标与指标值", "4200", iv("4100"))
    assert iv("3.12")[1] < iv("3.2")[0], "TX3: 3.12万人 must fall short of ≥3.2万人 beyond printed precision"


def qiongzhong() -> None:
    build = _build()

    for name, _prior, budget, actual in build.QZ:
        if budget:
            ok(f"{name}完成率", build.pct(actual, budget), rate(actual, budget))
    ok("居民收入同比", "4.66", yoy("12486.52", "11930.40"))
    ok("居民支出同比", "5.97", yoy("9734.08", "9185.66"))
    ok("居民收入合计", "12486.52", total("2870.16", "9105.87", "498.35", "12.14"))
    ok("居民支出合计", "9734.08", total("8602.71", "1012.40", "118.97"))
    ok("居民结余", "2752.44", diff("12486.52", "9734.08"))
    ok("居民滚存", "35610.27", total("32857.83", "2752.44"))
    ok("机关收入合计", "26315.90", total("14930.22", "11310.48", "75.20"))
    ok("机关支出合计", "25884.61", total("25570.36", "314.25"))
    ok("机关结余", "431.29", diff("26315.90", "25884.61"))
    ok("机关滚存", "2217.83", total("1786.54", "431.29"))
    ok("抚养比", "1.69", div(iv("5436"), iv("3218"), D(1)))


def qianjiang() -> None:
    assert meets("9.86", div(total("36215.48", "58932.17", "3412.60"), iv("10000"), D(1)))
    assert meets("8.98", div(total("29640.75", "57208.39", "2975.14"), iv("10000"), D(1)))
    assert meets("9.62", div(total("35000", "57800", "3400"), iv("10000"), D(1)))
    assert meets("9.22", div(total("30500", "58600", "3100"), iv("10000"), D(1)))
    ok("收入完成率", "102.45", div(iv("9.86"), iv("9.62")))  # printed 亿元 figures
    income, budget = total("36215.48", "58932.17", "3412.60"), total("35000", "57800", "3400")
    ok("收入完成率(分项)", "102.45", div(income, budget))
    ok("支出执行率", "97.42", div(total("29640.75", "57208.39", "2975.14"), total("30500", "58600", "3100")))
    ok("支出执行率(亿元)", "97.42", div(iv("8.98"), iv("9.22")))
    ok("居民收入同比", "6.92", yoy("36215.48", "33870.21"))
    ok("居民收入合计", "36215.48", total("6804.30", "27903.62", "1507.56"))
    ok("居民支出合计", "29640.75", total("25118.44", "4102.96", "419.35"))
    ok("居民结余", "6574.73", diff("36215.48", "29640.75"))
    ok("居民可支付月数", "26.3", months("64880.12", "29640.75"))
    ok("居民收入完成率", "103.47", rate("36215.48", "35000"))
    ok("居民支出执行率", "97.18", rate("29640.75", "30500"))
    ok("机关收入合计", "58932.17", total("31406.85", "27420.08", "105.24"))
    ok("机关支出合计", "57208.39", total("56522.70", "685.69"))
    ok("机关收入完成率", "101.96", rate("58932.17", "57800"))
    ok("机关支出执行率", "97.63", rate("57208.39", "58600"))
    ok("失业收入合计", "3412.60", total("3281.05", "131.55"))
    ok("失业结余", "437.46", diff("3412.60", "2975.14"))
    ok("失业收入完成率", "100.37", rate("3412.60", "3400"))
    ok("失业支出执行率", "95.97", rate("2975.14", "3100"))
    ok("自评表分值合计", "100", total("10", "10", "10", "10", "10", "15", "15", "20"))
    bad("QJ1 机关结余", "1832.78", diff("58932.17", "57208.39"))
    parts = total("1482.36", "1206.77", "398.50", "231.05")
    assert parts[0] > iv("2975.14")[1], "QJ3 其中 parts should exceed the total"


ALL = [huoqiu, xiangzhou, jiexiu, tongxin, qiongzhong, qianjiang]

if __name__ == "__main__":
    for fn in ALL:
        fn()
        print("ok", fn.__name__)
