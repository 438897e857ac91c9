"""Recompute the blind3 answer keys within printed precision (run: python tests/blind3/_check_gold.py).

Every clean figure must be consistent and every planted finding inconsistent, by interval
arithmetic: a figure printed 97.38 stands for [97.375, 97.385], each input likewise; a derived
figure is consistent when its interval meets the range its inputs' intervals allow. Counts of
people are exact. Also checks that every clean/finding token occurs in its report's text.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import yaml

HERE = Path(__file__).resolve().parent
Iv = tuple[Decimal, Decimal]


def load_build() -> ModuleType:
    """build.py under a name of its own (other blind sets have a build.py too)."""
    if "sifund_blind3_build" not in sys.modules:
        spec = importlib.util.spec_from_file_location("sifund_blind3_build", HERE / "build.py")
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
    return sys.modules["sifund_blind3_build"]


def iv(s: str | int, scale: int = 1) -> Iv:
    """Interval of a printed number ('41286.52', '1,234.5', '103.02%'); `scale` converts units (亿→万)."""
    if isinstance(s, int):  # exact count
        return Decimal(s), Decimal(s)
    digits = s.replace(",", "").rstrip("%")
    v = Decimal(digits)
    unit = Decimal(1).scaleb(-len(digits.split(".")[1])) if "." in digits else Decimal(1)
    return (v - unit / 2) * scale, (v + unit / 2) * scale


def yi(s: str) -> Iv:
    """亿元 figure in 万元."""
    return iv(s, 10000)


def yuan(s: str) -> Iv:
    """元 figure in 万元."""
    lo, hi = iv(s)
    return lo / 10000, hi / 10000


def exact(s: str) -> Iv:
    v = Decimal(s.replace(",", ""))
    return v, v


def span(f: Callable[..., Decimal], *args: Iv) -> Iv:
    """Range of f over the box of its inputs (f monotone in each input on the box)."""
    vals = [f(*c) for c in itertools.product(*args)]
    return min(vals), max(vals)


def consistent(stated: Iv, f: Callable[..., Decimal], *args: Iv) -> bool:
    lo, hi = span(f, *args)
    return stated[0] <= hi and lo <= stated[1]


def rate(a: Decimal, b: Decimal) -> Decimal:
    return a / b * 100


def yoy(cur: Decimal, chg: Decimal) -> Decimal:
    return chg / (cur - chg) * 100


def growth(cur: Decimal, prior: Decimal) -> Decimal:
    return (cur - prior) / prior * 100


def diff(a: Decimal, b: Decimal) -> Decimal:
    return a - b


def total(*xs: Decimal) -> Decimal:
    return sum(xs, Decimal(0))


def months(bal: Decimal, exp: Decimal) -> Decimal:
    return bal / (exp / 12)


def ratio(a: Decimal, b: Decimal) -> Decimal:
    return a / b


# One entry per check: (label, stated interval, function, input intervals).
Check = tuple[str, Iv, Callable[..., Decimal], tuple[Iv, ...]]


def c(label: str, stated: Iv, f: Callable[..., Decimal], *args: Iv) -> Check:
    return label, stated, f, args


# ---------------------------------------------------------------- youxian-2019 (攸县)
YOUXIAN_CLEAN = [
    c("总收入完成率 103.02%", iv("103.02"), rate, iv("54928.52"), iv("53320")),
    c("总支出完成率 97.70%", iv("97.70"), rate, iv("51342.86"), iv("52550")),
    c("总收入=两基金", iv("54928.52"), total, iv("41286.52"), iv("13642")),
    c("总支出=两基金", iv("51342.86"), total, iv("40517.86"), iv("10825")),
    c("预算收入=两基金", iv("53320"), total, iv("40520"), iv("12800")),
    c("预算支出=两基金", iv("52550"), total, iv("41350"), iv("11200")),
    c("当年结余 3585.66", iv("3585.66"), diff, iv("54928.52"), iv("51342.86")),
    c("滚存 31317.06", iv("31317.06"), total, iv("1904.06"), iv("29413")),
    c("机关收入完成 101.89%", iv("101.89"), rate, iv("41286.52"), iv("40520")),
    c("机关收入其中合计", iv("41286.52"), total, iv("24871.30"), iv("15932.00"), iv("83.22"), iv("400.00")),
    c("机关支出完成 97.99%", iv("97.99"), rate, iv("40517.86"), iv("41350")),
    c("机关支出增加额", iv("2557.72"), diff, iv("40517.86"), iv("37960.14")),
    c("机关支出增长 6.74%", iv("6.74"), growth, iv("40517.86"), iv("37960.14")),
    c("机关支出其中合计", iv("40517.86"), total, iv("39862.41"), iv("421.95"), iv("233.50")),
    c("机关结余 768.66", iv("768.66"), diff, iv("41286.52"), iv("40517.86")),
    c("抚养比 1.92", iv("1.92"), ratio, iv(11936), iv(6218)),
    c("居民收入增长 9.08%", iv("9.08"), yoy, iv("13642"), iv("1136")),
    c("居民收入完成 106.58%", iv("106.58"), rate, iv("13642"), iv("12800")),
    c("居民收入其中合计", iv("13642"), total, iv("3518"), iv("9486"), iv("638")),
    c("居民支出完成 96.65%", iv("96.65"), rate, iv("10825"), iv("11200")),
    c("居民支出其中合计", iv("10825"), total, iv("9612"), iv("1048"), iv("165")),
    c("居民结余 2817", iv("2817"), diff, iv("13642"), iv("10825")),
    c("可支付 32.6个月", iv("32.6"), months, iv("29413"), iv("10825")),
    c("待遇领取 9.84万人", iv("9.84"), ratio, iv(98362), iv(10000)),
]
YOUXIAN_WRONG = [
    # Y1: 30.24万 < 30.5万 (unmet row) — a comparison, not a formula
    c("Y1 参保缴费人数达标", iv("30.24"), lambda t: t, (Decimal("30.5"), Decimal("1e9"))),
    c("Y2 正文目标=自评表指标值", iv(6250), lambda t: t, iv(6200)),
]

# ---------------------------------------------------------------- zhanggong-2019 (章贡区)
_ZG_INC = ("68421.37", "52316.40", "9874", "31562.08", "42187", "1864.23", "2306.55")
_ZG_EXP = ("71036.82", "50987.15", "7652", "28904.77", "40935", "1517.06", "1458.92")
_ZG_ROLL = ("18642.10", "4411.87", "15307", "21876.54", "9683", "2033.49", "11027.40")
ZHANGGONG_CLEAN = [
    c("支出合计=七基金", iv("202491.72"), total, *map(iv, _ZG_EXP)),
    c("滚存合计=七基金", iv("82981.40"), total, *map(iv, _ZG_ROLL)),
    c("合计结余=各基金收入之和−支出合计", iv("6039.91"), lambda *x: sum(x[:7]) - sum(x[7:]),
      *map(iv, _ZG_INC), *map(iv, _ZG_EXP)),
    c("企业收入增加额", iv("2825.57"), diff, iv("68421.37"), iv("65595.80")),
    c("企业收入增长 4.31%", iv("4.31"), growth, iv("68421.37"), iv("65595.80")),
    c("企业收入其中合计", iv("68421.37"), total, iv("39817.65"), iv("3120.00"), iv("24880.00"), iv("603.72")),
    c("企业征缴完成 103.15%", iv("103.15"), rate, iv("39817.65"), iv("38600")),
    c("企业支出完成 100.76%", iv("100.76"), rate, iv("71036.82"), iv("70500")),
    c("企业支出增长 7.78%", iv("7.78"), yoy, iv("71036.82"), iv("5127.66")),
    c("企业支出其中合计", iv("71036.82"), total, iv("66209.48"), iv("1893.54"), iv("2933.80")),
    c("企业收不抵支 2615.45", iv("2615.45"), diff, iv("71036.82"), iv("68421.37")),
    c("企业滚存 18642.10", iv("18642.10"), diff, iv("21257.55"), iv("2615.45")),
    c("机关收入完成 101.00%", iv("101.00"), rate, iv("52316.40"), iv("51800")),
    c("机关收入其中合计", iv("52316.40"), total, iv("30102.60"), iv("22213.80")),
    c("机关支出完成 98.05%", iv("98.05"), rate, iv("50987.15"), iv("52000")),
    c("机关抚养比 1.77", iv("1.77"), ratio, iv(14907), iv(8412)),
    c("居民养老收入完成 106.17%", iv("106.17"), rate, iv("9874"), iv("9300")),
    c("居民养老收入其中合计", iv("9874"), total, iv("2140"), iv("7208"), iv("526")),
    c("居民养老支出完成 102.03%（按7652）", iv("102.03"), rate, iv("7652"), iv("7500")),
    c("居民养老结余 2222（按7652）", iv("2222"), diff, iv("9874"), iv("7652")),
    c("职工医保支出完成 97.00%", iv("97.00"), rate, iv("28904.77"), iv("29800")),
    c("职工医保增加额", iv("2173.37"), diff, iv("28904.77"), iv("26731.40")),
    c("职工医保增幅 8.13%", iv("8.13"), growth, iv("28904.77"), iv("26731.40")),
    c("职工医保结余", iv("2657.31"), diff, iv("31562.08"), iv("28904.77")),
    c("居民医保收入其中合计", iv("42187"), total, iv("12527"), iv("29660")),
    c("居民医保支出完成 98.40%", iv("98.40"), rate, iv("40935"), iv("41600")),
    c("居民医保结余", iv("1252"), diff, iv("42187"), iv("40935")),
    c("工伤减幅 5.98%", iv("5.98"), lambda cur, chg: chg / (cur + chg) * 100, iv("1517.06"), iv("96.41")),
    c("工伤结余", iv("347.17"), diff, iv("1864.23"), iv("1517.06")),
    c("失业结余", iv("847.63"), diff, iv("2306.55"), iv("1458.92")),
    c("失业可支付 90.7个月", iv("90.7"), months, iv("11027.40"), iv("1458.92")),
]
ZHANGGONG_WRONG = [
    c("Z1 收入合计=七基金", iv("209531.63"), total, *map(iv, _ZG_INC)),
    c("Z2 机关结余", iv("1392.25"), diff, iv("52316.40"), iv("50987.15")),
    c("Z3 居民养老支出前后一致", iv("7625"), lambda x: x, iv("7652")),
    c("Z1b 合计结余=写明的收入合计−支出合计", iv("6039.91"), diff, iv("209531.63"), iv("202491.72")),
    c("Z2b 合计结余=各基金所写结余之和", iv("6039.91"), total,
      *map(iv, ("-2615.45", "1392.25", "2222", "2657.31", "1252", "347.17", "847.63"))),
]

# ---------------------------------------------------------------- arong-2018 (阿荣旗)
# fund: (income budget, income actual, income rate, expenditure budget, actual, rate, rolling balance)
_AR = {
    "企业养老": ("31200", "32418.56", "103.91", "34800", "35127.90", "100.94", "42446.12"),
    "机关养老": ("28600", "28152.33", "98.43", "29400", "28870.41", "98.20", "3187.52"),
    "居民养老": ("6850", "7036.20", "102.72", "5200", "5341.75", "102.73", "21874.36"),
    "职工医保": ("13900", "14283.62", "102.76", "12600", "12175.08", "96.63", "16305.77"),
    "居民医保": ("19800", "19652.40", "99.25", "17500", "15628.00", "89.30", "12418.90"),
    "生育": ("860", "901.34", "104.81", "800", "812.00", "101.50", "426.18"),
    "工伤": ("1150", "1216.85", "105.81", "950", "873.22", "91.92", "1963.04"),
    "失业": ("1420", "1487.69", "104.77", "980", "802.47", "81.88", "5530.61"),
}
_AR_BAL = {"企业养老": "-2709.34", "机关养老": "-718.08", "居民养老": "1694.45", "职工医保": "2108.54",
           "居民医保": "4024.40", "生育": "89.34", "工伤": "343.63", "失业": "685.22"}
ARONG_CLEAN = [
    *(c(f"{k}收入完成 {v[2]}%", iv(v[2]), rate, iv(v[1]), iv(v[0])) for k, v in _AR.items()),
    *(c(f"{k}支出完成 {v[5]}%", iv(v[5]), rate, iv(v[4]), iv(v[3])) for k, v in _AR.items()),
    *(c(f"{k}当年结余 {_AR_BAL[k]}", iv(_AR_BAL[k]), diff, iv(v[1]), iv(v[4])) for k, v in _AR.items()),
    c("合计收入预算", iv("103780"), total, *(iv(v[0]) for v in _AR.values())),
    c("合计收入", iv("105148.99"), total, *(iv(v[1]) for v in _AR.values())),
    c("合计支出预算", iv("102230"), total, *(iv(v[3]) for v in _AR.values())),
    c("合计支出", iv("99630.83"), total, *(iv(v[4]) for v in _AR.values())),
    c("累计结余合计", iv("104152.50"), total, *(iv(v[6]) for v in _AR.values())),
    c("合计完成 101.32%", iv("101.32"), rate, iv("105148.99"), iv("103780")),
    c("合计完成 97.46%", iv("97.46"), rate, iv("99630.83"), iv("102230")),
    c("总收入增长 8.35%", iv("8.35"), yoy, iv("105148.99"), iv("8103.30")),
    c("总支出增长 8.05%", iv("8.05"), yoy, iv("99630.83"), iv("7420.56")),
    c("当年结余 5518.16", iv("5518.16"), diff, iv("105148.99"), iv("99630.83")),
    c("企业收入其中合计", iv("32418.56"), total, iv("14862.30"), iv("16950.00"), iv("606.26")),
    c("企业支出其中合计", iv("35127.90"), total, iv("33416.52"), iv("1198.66"), iv("512.72")),
    c("企业可支付 14.5个月", iv("14.5"), months, iv("42446.12"), iv("35127.90")),
    c("企业抚养比 1.62", iv("1.62"), ratio, iv(18742), iv(11569)),
    c("机关收入其中合计", iv("28152.33"), total, iv("16804.15"), iv("11348.18")),
    c("居民养老收入其中合计", iv("7036.20"), total, iv("1512.40"), iv("5128.30"), iv("395.50")),
    c("居民养老支出其中合计", iv("5341.75"), total, iv("4687.20"), iv("538.15"), iv("116.40")),
    c("居民医保调整后完成 96.47%", iv("96.47"), rate, iv("15628.00"), iv("16200")),
    c("失业下降 11.6%", iv("11.6"), lambda cur, pri: (pri - cur) / pri * 100, iv("802.47"), iv("907.85")),
]
ARONG_WRONG = [
    c("A1 生育其中合计≤总额", iv("812.00"), total, iv("503.00"), iv("347.00")),
    c("A2 居民医保增长 13.67%", iv("13.67"), yoy, iv("15628.00"), iv("2136.00")),
]

# ---------------------------------------------------------------- linyi-2020 (临沂市, .docx)
def _linyi() -> list[Check]:
    build = load_build()
    out: list[Check] = []
    for group, rows in (("收入", build._LY_INC), ("支出", build._LY_EXP)):
        for name, prior, budget, actual, done, growth_ in rows:
            out.append(c(f"{name}{group}完成 {done}", iv(done), rate, iv(actual), iv(budget)))
            out.append(c(f"{name}{group}同比 {growth_}", iv(growth_), growth, iv(actual), iv(prior)))
        for k, col in ((1, "上年"), (2, "预算"), (3, "执行")):
            tot = {"收入": ("2168632.80", "2239000.00", "2209866.99"),
                   "支出": ("1970964.97", "2146500.00", "2120536.83")}[group][k - 1]
            out.append(c(f"{group}合计{col}", iv(tot), total, *(iv(r[k]) for r in rows)))
    inc = {r[0]: r[3] for r in build._LY_INC}
    exp = {r[0]: r[3] for r in build._LY_EXP}
    for name, bal in (
        ("机关事业单位基本养老保险基金", "17715.71"),
        ("职工基本医疗保险基金（含生育）", "28238.57"),
        ("城乡居民基本医疗保险基金", "20385.14"),
    ):
        out.append(c(f"{name}结余", iv(bal), diff, iv(inc[name]), iv(exp[name])))
    out += [
        c("合计收入完成 98.70", iv("98.70"), rate, iv("2209866.99"), iv("2239000.00")),
        c("合计收入同比 1.90", iv("1.90"), growth, iv("2209866.99"), iv("2168632.80")),
        c("合计支出完成 98.79", iv("98.79"), rate, iv("2120536.83"), iv("2146500.00")),
        c("合计支出同比 7.59", iv("7.59"), growth, iv("2120536.83"), iv("1970964.97")),
        c("当年结余 89330.16", iv("89330.16"), diff, iv("2209866.99"), iv("2120536.83")),
        c("上年结余 197667.83", iv("197667.83"), diff, iv("2168632.80"), iv("1970964.97")),
        c("预算结余 92500", iv("92500.00"), diff, iv("2239000.00"), iv("2146500.00")),
        c("滚存合计", iv("1337108.06"), total, *map(iv, ("71235.86", "612587.33", "298413.57", "186245.62",
                                                      "41873.20", "126752.48"))),
        c("220.99亿元", yi("220.99"), lambda x: x, iv("2209866.99")),
        c("212.05亿元", yi("212.05"), lambda x: x, iv("2120536.83")),
        c("8.93亿元", yi("8.93"), lambda x: x, iv("89330.16")),
        c("133.71亿元", yi("133.71"), lambda x: x, iv("1337108.06")),
        c("机关收入其中合计", iv("607842.15"), total, iv("382615.40"), iv("225226.75")),
        c("机关抚养比 2.57", iv("2.57"), ratio, iv("21.37"), iv("8.31")),
        c("居民养老收入 34.13亿元", yi("34.13"), lambda x: x, iv("341265.80")),
        c("居民养老支出增加额", iv("14063.35"), diff, iv("268933.47"), iv("254870.12")),
        c("居民养老结余 7.23亿元", yi("7.23"), diff, iv("341265.80"), iv("268933.47")),
        c("居民养老可支付 27.3个月", iv("27.3"), months, iv("612587.33"), iv("268933.47")),
        c("职工医保支出 36.13亿元", yi("36.13"), lambda x: x, iv("361274.09")),
        c("居民医保收入 80.69亿元", yi("80.69"), lambda x: x, iv("806915.32")),
        c("居民医保收入其中合计", iv("806915.32"), total, iv("241360.00"), iv("565555.32")),
        c("工伤减少 1.12亿元", yi("1.12"), diff, iv("38612.47"), iv("27436.81")),
        c("工伤收不抵支", iv("4672.12"), diff, iv("32108.93"), iv("27436.81")),
        c("失业支出 8.16亿元", yi("8.16"), lambda x: x, iv("81563.72")),
        c("失业收不抵支", iv("44669.47"), diff, iv("81563.72"), iv("36894.25")),
        c("自评表 执行率 98.79%", iv("98.79"), rate, iv("2120536.83"), iv("2146500.00")),
    ]
    return out


# ---------------------------------------------------------------- dali-2022 (大理州, .docx)
# fund: income budget, actual, rate; expenditure budget, actual, rate; current balance; rolling
_DL = {
    "机关养老": ("428600", "431275.62", "100.62", "445300", "440182.37", "98.85", "-8906.75", "36512.08"),
    "居民养老": ("98500", "101436.25", "102.98", "76200", "75318.90", "98.84", "26117.35", "248761.33"),
    "职工医保": ("186400", "192318.47", "103.18", "168900", "163574.21", "96.85", "28744.26", "214385.66"),
    "居民医保": ("352700", "349612.88", "99.12", "341500", "325617.40", None, "23995.48", "118427.95"),
    "工伤": ("21800", "22945.36", "105.25", "19600", "18203.77", "92.88", "4741.59", "27819.54"),
    "失业": ("17500", "18127.93", "103.59", "26800", "24986.15", "93.23", "-6858.22", "67533.10"),
}
DALI_CLEAN = [
    *(c(f"{k}收入完成 {v[2]}", iv(v[2]), rate, iv(v[1]), iv(v[0])) for k, v in _DL.items()),
    *(c(f"{k}支出完成 {v[5]}", iv(v[5]), rate, iv(v[4]), iv(v[3])) for k, v in _DL.items() if v[5]),
    *(c(f"{k}当年结余 {v[6]}", iv(v[6]), diff, iv(v[1]), iv(v[4])) for k, v in _DL.items()),
    *(c(f"合计列 {i}", iv(tot), total, *(iv(v[i]) for v in _DL.values()))
      for i, tot in ((0, "1105500"), (1, "1115716.51"), (3, "1078300"), (4, "1047882.80"), (6, "67833.71"),
                     (7, "713439.66"))),
    c("合计收入完成 100.92%", iv("100.92"), rate, iv("1115716.51"), iv("1105500")),
    c("合计支出完成 97.18%", iv("97.18"), rate, iv("1047882.80"), iv("1078300")),
    c("合计结余", iv("67833.71"), diff, iv("1115716.51"), iv("1047882.80")),
    c("机关支出增长 5.12%", iv("5.12"), yoy, iv("440182.37"), iv("21446.32")),
    c("居民养老支出增长 7.22%", iv("7.22"), yoy, iv("75318.90"), iv("5073.29")),
    c("居民养老可支付 39.6个月", iv("39.6"), months, iv("248761.33"), iv("75318.90")),
]
DALI_WRONG = [
    c("D2 居民医保支出完成 97.2%", iv("97.2"), rate, iv("325617.40"), iv("341500")),
    # D1 (十三五 for 2022) is a wording check: 2021–2025 is 十四五
]

# ---------------------------------------------------------------- xifeng-2021 (西峰区, .pdf)
XIFENG_CLEAN = [
    c("合计收入", iv("84236.41"), total, iv("69874.36"), iv("14362.05")),
    c("合计支出", iv("78776.33"), total, iv("69318.52"), iv("9457.81")),
    c("合计预算收入", iv("82300"), total, iv("68500"), iv("13800")),
    c("合计预算支出", iv("79800"), total, iv("70200"), iv("9600")),
    c("合计收入完成 102.35%", iv("102.35"), rate, iv("84236.41"), iv("82300")),
    c("合计支出完成 98.72%", iv("98.72"), rate, iv("78776.33"), iv("79800")),
    c("合计结余", iv("5460.08"), diff, iv("84236.41"), iv("78776.33")),
    c("预算结余", iv("2500.00"), diff, iv("82300"), iv("79800")),
    c("滚存合计", iv("37498.27"), total, iv("2381.47"), iv("35116.80")),
    c("机关收入完成 102.01%", iv("102.01"), rate, iv("69874.36"), iv("68500")),
    c("机关收入其中合计", iv("69874.36"), total, iv("38215.47"), iv("31658.89")),
    c("机关支出完成 98.74%", iv("98.74"), rate, iv("69318.52"), iv("70200")),
    c("机关支出增长 5.90%", iv("5.90"), yoy, iv("69318.52"), iv("3862.15")),
    c("机关结余", iv("555.84"), diff, iv("69874.36"), iv("69318.52")),
    c("机关抚养比 1.80", iv("1.80"), ratio, iv(16388), iv(9126)),
    c("居民收入完成 104.07%", iv("104.07"), rate, iv("14362.05"), iv("13800")),
    c("居民收入其中合计", iv("14362.05"), total, iv("3108.60"), iv("10516.33"), iv("737.12")),
    c("居民支出完成 98.52%", iv("98.52"), rate, iv("9457.81"), iv("9600")),
    c("居民支出其中合计", iv("9457.81"), total, iv("8612.44"), iv("706.95"), iv("138.42")),
    c("居民结余", iv("4904.24"), diff, iv("14362.05"), iv("9457.81")),
    c("居民可支付 44.6个月", iv("44.6"), months, iv("35116.80"), iv("9457.81")),
]

# ---------------------------------------------------------------- nehe-2024 (讷河市)
NEHE_CLEAN = [
    c("合计收入", iv("70398.72"), total, iv("53416.27"), iv("16982.45")),
    c("合计支出", iv("65324.52"), total, iv("53177.94"), iv("12146.58")),
    c("合计收入预算", iv("69300"), total, iv("52800"), iv("16500")),
    c("合计支出预算", iv("65900"), total, iv("53600"), iv("12300")),
    c("合计收入完成 101.59%", iv("101.59"), rate, iv("70398.72"), iv("69300")),
    c("合计支出完成 99.13%", iv("99.13"), rate, iv("65324.52"), iv("65900")),
    c("合计结余", iv("5074.20"), diff, iv("70398.72"), iv("65324.52")),
    c("滚存合计", iv("47944.33"), total, iv("1725.60"), iv("46218.73")),
    c("机关收入完成 101.17%", iv("101.17"), rate, iv("53416.27"), iv("52800")),
    c("机关收入其中合计", iv("53416.27"), total, iv("29873.50"), iv("23542.77")),
    c("机关支出完成 99.21%", iv("99.21"), rate, iv("53177.94"), iv("53600")),
    c("机关支出增长 4.62%", iv("4.62"), yoy, iv("53177.94"), iv("2346.81")),
    c("机关结余", iv("238.33"), diff, iv("53416.27"), iv("53177.94")),
    c("机关滚存 1725.60", iv("1725.60"), total, iv("1487.27"), iv("238.33")),
    c("机关抚养比 1.44", iv("1.44"), ratio, iv(11265), iv(7843)),
    c("居民收入增幅 6.99%", iv("6.99"), yoy, iv("16982.45"), iv("1109.39")),
    c("居民收入完成 102.92%", iv("102.92"), rate, iv("16982.45"), iv("16500")),
    c("居民收入其中合计", iv("16982.45"), total, iv("3416.80"), iv("12875.33"), iv("690.32")),
    c("居民支出完成 98.75%", iv("98.75"), rate, iv("12146.58"), iv("12300")),
    c("居民支出其中合计", iv("12146.58"), total, iv("11032.16"), iv("917.36"), iv("197.06")),
    c("居民结余", iv("4835.87"), diff, iv("16982.45"), iv("12146.58")),
    c("居民可支付 45.7个月", iv("45.7"), months, iv("46218.73"), iv("12146.58")),
    c("执行偏差率 0.87%", iv("0.87"), lambda a, b: abs(a - b) / b * 100, iv("65324.52"), iv("65900")),
    c("执行率得分 9.91", iv("9.91"), lambda a, b: a / b * 10, iv("65324.52"), iv("65900")),
    c("总分 99.91", iv("99.91"), total, iv("9.91"), *(iv(x) for x in ("10",) * 6), iv("15"), iv("15")),
]

# ---------------------------------------------------------------- jiangzi-2023 (江孜县, amounts in 元)
JIANGZI_CLEAN = [
    c("合计预算收入", yuan("85,100,000.00"), total, yuan("36,500,000.00"), yuan("48,600,000.00")),
    c("合计预算支出", yuan("81,000,000.00"), total, yuan("31,200,000.00"), yuan("49,800,000.00")),
    c("合计收入", yuan("88,636,521.54"), total, yuan("38,764,215.36"), yuan("49,872,306.18")),
    c("合计支出", yuan("79,412,608.96"), total, yuan("30,486,937.52"), yuan("48,925,671.44")),
    c("合计收入完成 104.16%", iv("104.16"), rate, yuan("88,636,521.54"), yuan("85,100,000.00")),
    c("合计支出完成 98.04%", iv("98.04"), rate, yuan("79,412,608.96"), yuan("81,000,000.00")),
    c("合计结余", yuan("9,223,912.58"), diff, yuan("88,636,521.54"), yuan("79,412,608.96")),
    c("合计累计结余", yuan("131,821,445.92"), total, yuan("126,503,418.27"), yuan("5,318,027.65")),
    c("居民收入完成 106.20%", iv("106.20"), rate, yuan("38,764,215.36"), yuan("36,500,000.00")),
    c("居民收入其中合计", yuan("38,764,215.36"), total,
      *map(yuan, ("2,913,480.00", "34,187,652.41", "1,663,082.95"))),
    c("居民支出完成 97.71%", iv("97.71"), rate, yuan("30,486,937.52"), yuan("31,200,000.00")),
    c("居民支出其中合计", yuan("30,486,937.52"), total,
      *map(yuan, ("28,164,320.00", "1,527,617.52", "795,000.00"))),
    c("居民结余", yuan("8,277,277.84"), diff, yuan("38,764,215.36"), yuan("30,486,937.52")),
    c("居民可支付 49.8个月", iv("49.8"), months, yuan("126,503,418.27"), yuan("30,486,937.52")),
    c("机关收入完成 102.62%", iv("102.62"), rate, yuan("49,872,306.18"), yuan("48,600,000.00")),
    c("机关收入其中合计", yuan("49,872,306.18"), total, yuan("21,436,518.90"), yuan("28,435,787.28")),
    c("机关支出完成 98.24%", iv("98.24"), rate, yuan("48,925,671.44"), yuan("49,800,000.00")),
    c("机关支出增长 6.3%", iv("6.3"), yoy, yuan("48,925,671.44"), yuan("2,899,871.44")),
    c("机关结余", yuan("946,634.74"), diff, yuan("49,872,306.18"), yuan("48,925,671.44")),
]

CHECKS: dict[str, tuple[list[Check], list[Check]]] = {
    "youxian-2019": (YOUXIAN_CLEAN, YOUXIAN_WRONG),
    "zhanggong-2019": (ZHANGGONG_CLEAN, ZHANGGONG_WRONG),
    "arong-2018": (ARONG_CLEAN, ARONG_WRONG),
    "linyi-2020": (_linyi(), []),
    "dali-2022": (DALI_CLEAN, DALI_WRONG),
    "xifeng-2021": (XIFENG_CLEAN, []),
    "nehe-2024": (NEHE_CLEAN, []),
    "jiangzi-2023": (JIANGZI_CLEAN, []),
}


# ---------------------------------------------------------------- runner
def num_token_in(token: str, hay: str) -> bool:
    """Same rule as ../shared/tools/score.py: token occurs, not as part of a longer number."""
    if not re.search(r"\d", token):
        return token in hay
    for m in re.finditer(re.escape(token), hay):
        before = hay[m.start() - 1] if m.start() > 0 else ""
        after = hay[m.end() : m.end() + 2]
        if before and (before.isdigit() or before in ".,"):
            continue
        if after[:1].isdigit() or (after[:1] in ".," and after[1:2].isdigit()):
            continue
        return True
    return False


def report_text(name: str) -> str:
    """Text of a report as written: the .txt file, or the builder's plain text for .docx/.pdf."""
    txt = HERE / f"{name}.txt"
    if txt.exists():
        return txt.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return load_build().plain_text(name)


def squash(s: str) -> str:
    return re.sub(r"\s", "", s)


def problems() -> list[str]:
    """Every way the keys disagree with their own arithmetic or with their report texts."""
    out: list[str] = []
    for name, (clean, wrong) in CHECKS.items():
        for label, stated, f, args in clean:
            if not consistent(stated, f, *args):
                out.append(f"{name}: clean figure inconsistent: {label} (range {span(f, *args)})")
        for label, stated, f, args in wrong:
            if consistent(stated, f, *args):
                out.append(f"{name}: planted finding is consistent: {label}")
        gold = yaml.safe_load((HERE / f"{name}.gold.yaml").read_text(encoding="utf-8"))
        raw = report_text(name)
        text = squash(raw)

        def has(tok: str, raw: str = raw, text: str = text) -> bool:
            return num_token_in(tok, raw) or num_token_in(squash(tok), text)

        for tok in gold.get("clean", []):
            if not has(tok):
                out.append(f"{name}: clean token {tok!r} not in text")
        for fd in gold.get("findings", []) + gold.get("optional", []):
            for tok in fd["tokens"]:
                if not has(tok):
                    out.append(f"{name}: token {tok!r} of {fd['id']} not in text")
        printed = {Decimal(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", raw)}
        for fact in gold.get("facts", []):
            v = abs(Decimal(str(fact["value"])))
            if not {v, v / 10000, v * 10000} & printed:  # 万元, or printed in 亿元 / 元
                out.append(f"{name}: fact {fact} not printed in text")
        plan = "十三五" if gold["year"] <= 2020 else "十四五"  # 2016–2020, 2021–2025
        planted = {t for fd in gold.get("findings", []) for t in fd["tokens"]}
        for wrong in {"十二五", "十三五", "十四五", "十五五"} - {plan}:
            if (wrong in text) != (wrong in planted):
                out.append(f"{name}: {wrong} in a {gold['year']} report must be (only) a planted finding")
        for ind in gold.get("indicators", []):
            for k in ("name", "target", "actual"):
                if squash(ind[k]) not in text:
                    out.append(f"{name}: indicator {k} {ind[k]!r} not in text")
    return out


if __name__ == "__main__":
    bad = problems()
    print("\n".join(bad) or f"ok: {sum(len(a) + len(b) for a, b in CHECKS.values())} checks")
    sys.exit(1 if bad else 0)
