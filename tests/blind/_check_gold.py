# ruff: noqa: E501  (the check tables quote printed figures verbatim; one check per line reads best)
"""Recompute every number the blind answer keys rest on, by interval arithmetic on the printed figures.

Why: a blind set is only worth something if its keys are right. Each check below names the printed
strings (exactly as in the report) and the formula; it asserts that every `clean` figure is consistent
within printed precision (``97.38%`` stands for [97.375, 97.385], each input likewise) and that every
planted `finding` is inconsistent beyond it. Run as a script or through test_blind.py.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
Interval = tuple[float, float]

# factor to the canonical unit: money 万元, people 人
_UNITS = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001, "万人": 10000.0, "人": 1.0, "%": 1.0, "个月": 1.0, ":1": 1.0}
_NUM = re.compile(r"^(-?[\d,]+(?:\.\d+)?)(亿元|万元|元|万人|人|%|个月|:1)?$")


def iv(s: str) -> Interval:
    """The interval a printed figure stands for, in canonical units."""
    m = _NUM.match(s.replace("≥", ""))
    if not m:
        raise ValueError(f"not a printed figure: {s!r}")
    digits = m.group(1).replace(",", "")
    d = Decimal(digits)
    exp = d.as_tuple().exponent
    half = Decimal(1).scaleb(exp if isinstance(exp, int) else 0) / 2
    f = _UNITS.get(m.group(2) or "", 1.0)
    return float(d - half) * f, float(d + half) * f


def div(a: Interval, b: Interval) -> Interval:
    c = [a[0] / b[0], a[0] / b[1], a[1] / b[0], a[1] / b[1]]
    return min(c), max(c)


def sub(a: Interval, b: Interval) -> Interval:
    return a[0] - b[1], a[1] - b[0]


def add(*xs: Interval) -> Interval:
    return sum(x[0] for x in xs), sum(x[1] for x in xs)


def pct(x: Interval) -> Interval:
    return x[0] * 100, x[1] * 100


# kind -> formula over the argument intervals
FORMULAS: dict[str, Callable[..., Interval]] = {
    "rate": lambda n, d: pct(div(n, d)),  # completion rate: actual / budget
    "yoy": lambda ch, act: pct(div(ch, sub(act, ch))),  # 增加ch，增长x%: ch / (actual − ch)
    "yoy_down": lambda ch, act: pct(div(ch, add(act, ch))),  # 减少ch，下降x%: ch / (actual + ch)
    "yoy2": lambda prior, act: pct(div(sub(act, prior), prior)),  # 由prior增加到act
    "yoy2_down": lambda prior, act: pct(div(sub(prior, act), prior)),  # 由prior减少到act, magnitude
    "diff": lambda a, b: sub(a, b),
    "sum": lambda *xs: add(*xs),
    "months": lambda roll, exp: div(roll, div(exp, (12.0, 12.0))),
    "ratio": lambda a, b: div(a, b),
}


def meets(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def evaluate(check: tuple) -> bool:
    """True when the check's figures are consistent within printed precision."""
    kind, stated, *args = check
    if kind in FORMULAS:
        return meets(iv(stated), FORMULAS[kind](*map(iv, args)))
    if kind == "parts_le":  # "其中" parts may not exceed their total
        return add(*map(iv, args))[0] <= iv(stated)[1]
    if kind == "same":  # one figure stated twice
        return meets(iv(stated), iv(args[0]))
    if kind == "unmet":  # stated = target "≥X", args[0] = actual
        return iv(args[0])[1] >= iv(stated)[0]
    if kind == "plan":  # stated = five-year plan named, args[0] = the report's year
        year = int(args[0])
        right = "十三五" if 2016 <= year <= 2020 else "十四五" if 2021 <= year <= 2025 else "?"
        return stated == right
    raise ValueError(kind)


def literals(check: tuple) -> list[str]:
    kind, stated, *args = check
    if kind == "plan":
        return [stated]
    return [stated, *args]


OK, BAD = True, False

CHECKS: dict[str, list[tuple[bool, tuple]]] = {
    "wensu-2018": [
        (OK, ("rate", "101.92%", "21873", "21460")),
        (BAD, ("rate", "98.02%", "11982", "12350")),
        (OK, ("rate", "97.48%", "20388", "20915")),
        (OK, ("rate", "97.41%", "19862", "20390")),
        (OK, ("yoy", "8.49%", "1555", "19862")),
        (OK, ("rate", "105.67%", "6742", "6380")),
        (OK, ("yoy", "8.94%", "108", "1316")),
        (OK, ("rate", "96.02%", "3956", "4120")),
        (OK, ("months", "54.6", "17997", "3956")),
        (OK, ("rate", "97.24%", "24344", "25035")),
        (OK, ("sum", "21588", "3591", "17997")),
        (OK, ("diff", "1485", "21873", "20388")),
        (BAD, ("diff", "2768", "6742", "3956")),
        (OK, ("sum", "21873", "11982", "9603", "34", "254")),
        (OK, ("sum", "6742", "1316", "4925", "487", "14")),
        (OK, ("sum", "3956", "3318", "512", "103", "23")),
        (OK, ("sum", "28615", "21873", "6742")),
        (OK, ("sum", "24344", "20388", "3956")),
        (OK, ("diff", "4271", "28615", "24344")),
        (BAD, ("sum", "4271", "1485", "2768")),
        (OK, ("sum", "27840", "21460", "6380")),
        (OK, ("sum", "25035", "20915", "4120")),
    ],
    "changji-2021": [
        (OK, ("yoy", "5.52%", "11672.58", "223033.39")),
        (OK, ("yoy", "7.57%", "14819.21", "210655.19")),
        (OK, ("rate", "98.16%", "210655.19", "214600")),
        (OK, ("rate", "98.36%", "79865.12", "81200")),
        (OK, ("yoy", "7.47%", "5552.72", "79865.12")),
        (OK, ("ratio", "1.62:1", "47508", "29316")),
        (OK, ("rate", "100.81%", "52318.06", "51900")),
        (OK, ("rate", "98.37%", "51744.50", "52600")),
        (OK, ("yoy", "7.95%", "3809.32", "51744.50")),
        (OK, ("yoy2", "7.66%", "6702.31", "7215.64")),
        (OK, ("rate", "98.2%", "7215.64", "7350")),
        (OK, ("months", "52.5", "31577.18", "7215.64")),
        (OK, ("rate", "97.26%", "38902.55", "40000")),
        (OK, ("yoy", "6.64%", "2423.65", "38902.55")),
        (OK, ("months", "8.8", "28416.79", "38902.55")),
        (OK, ("rate", "97.5%", "26813.57", "27500")),
        (OK, ("yoy", "6.65%", "1671.48", "26813.57")),
        (OK, ("yoy_down", "10.08%", "222.85", "1987.33")),
        (OK, ("rate", "92.43%", "1987.33", "2150")),
        (OK, ("rate", "108.59%", "4126.48", "3800")),
        (OK, ("yoy", "35.08%", "1071.56", "4126.48")),
        (OK, ("diff", "12378.20", "223033.39", "210655.19")),
        (OK, ("sum", "110076.10", "23815.67", "4128.90", "31577.18", "28416.79", "9874.22", "3611.04", "8652.30")),
        (OK, ("diff", "6562.23", "86427.35", "79865.12")),
        (OK, ("diff", "573.56", "52318.06", "51744.50")),
        (OK, ("diff", "2620.76", "9836.40", "7215.64")),
        (OK, ("diff", "2333.25", "41235.80", "38902.55")),
        (OK, ("diff", "646.55", "27460.12", "26813.57")),
        (OK, ("diff", "449.38", "2436.71", "1987.33")),
        (OK, ("diff", "-807.53", "3318.95", "4126.48")),
        (OK, ("sum", "223033.39", "86427.35", "52318.06", "9836.40", "41235.80", "27460.12", "2436.71", "3318.95")),
        (OK, ("sum", "210655.19", "79865.12", "51744.50", "7215.64", "38902.55", "26813.57", "1987.33", "4126.48")),
        (OK, ("sum", "214600", "81200", "52600", "7350", "40000", "27500", "2150", "3800")),
        (OK, ("sum", "86427.35", "41268.90", "3150.00", "212.47", "1385.62", "40410.36")),
        (OK, ("sum", "52318.06", "24506.77", "27620.00", "191.29")),
        (OK, ("sum", "9836.40", "2754.18", "6310.55", "745.92", "25.75")),
        (OK, ("sum", "7215.64", "6412.08", "688.37", "96.40", "18.79")),
        (OK, ("sum", "41235.80", "39876.42", "131.08", "1228.30")),
        (OK, ("parts_le", "38902.55", "35117.63", "856.21", "1251.24")),
        (OK, ("sum", "27460.12", "6985.40", "20115.38", "359.34")),
        (OK, ("sum", "2436.71", "2398.05", "38.66")),
        (OK, ("parts_le", "1987.33", "1842.60", "24.50")),
        (OK, ("sum", "3318.95", "3195.27", "123.68")),
        (OK, ("parts_le", "4126.48", "1285.30", "402.11", "1676.52", "213.60")),
    ],
    "yili-2022": [
        (OK, ("rate", "101.33", "104,876.53", "103,500.00")), (OK, ("yoy2", "6.56", "98,420.16", "104,876.53")),
        (OK, ("rate", "101.39", "23,117.85", "22,800.00")), (OK, ("yoy2", "8.50", "21,306.42", "23,117.85")),
        (OK, ("rate", "99.26", "63,528.91", "64,000.00")), (OK, ("yoy2", "3.73", "61,245.70", "63,528.91")),
        (OK, ("rate", "101.65", "52,046.37", "51,200.00")), (OK, ("yoy2", "6.50", "48,870.25", "52,046.37")),
        (OK, ("rate", "103.21", "4,231.60", "4,100.00")), (OK, ("yoy2", "6.18", "3,985.14", "4,231.60")),
        (OK, ("rate", "98.10", "5,788.02", "5,900.00")), (OK, ("yoy2", "-5.43", "6,120.33", "5,788.02")),
        (OK, ("rate", "100.83", "253,589.28", "251,500.00")), (OK, ("yoy2", "5.69", "239,948.00", "253,589.28")),
        (OK, ("sum", "253,589.28", "104,876.53", "23,117.85", "63,528.91", "52,046.37", "4,231.60", "5,788.02")),
        (OK, ("sum", "251,500.00", "103,500.00", "22,800.00", "64,000.00", "51,200.00", "4,100.00", "5,900.00")),
        (OK, ("sum", "239,948.00", "98,420.16", "21,306.42", "61,245.70", "48,870.25", "3,985.14", "6,120.33")),
        (OK, ("rate", "99.18", "100,962.47", "101,800.00")), (OK, ("yoy2", "4.61", "96,514.80", "100,962.47")),
        (OK, ("rate", "97.41", "15,488.19", "15,900.00")), (OK, ("yoy2", "5.70", "14,652.38", "15,488.19")),
        (OK, ("rate", "96.22", "60,135.26", "62,500.00")), (OK, ("yoy2", "4.34", "57,633.41", "60,135.26")),
        (OK, ("rate", "99.44", "50,318.73", "50,600.00")), (OK, ("yoy2", "6.59", "47,209.88", "50,318.73")),
        (OK, ("rate", "97.29", "3,697.05", "3,800.00")), (OK, ("yoy2", "8.34", "3,412.56", "3,697.05")),
        (OK, ("rate", "97.51", "7,215.44", "7,400.00")), (OK, ("yoy2", "2.25", "7,056.92", "7,215.44")),
        (OK, ("sum", "242,000.00", "101,800.00", "15,900.00", "62,500.00", "50,600.00", "3,800.00", "7,400.00")),
        (OK, ("sum", "226,479.95", "96,514.80", "14,652.38", "57,633.41", "47,209.88", "3,412.56", "7,056.92")),
        # planted: the 支出合计 cell is not the sum of its rows (the text's 237,817.14 is)
        (BAD, ("sum", "238,717.14", "100,962.47", "15,488.19", "60,135.26", "50,318.73", "3,697.05", "7,215.44")),
        (BAD, ("same", "238,717.14", "237,817.14")),
        (OK, ("sum", "237,817.14", "100,962.47", "15,488.19", "60,135.26", "50,318.73", "3,697.05", "7,215.44")),
        (BAD, ("rate", "98.27", "238,717.14", "242,000.00")), (OK, ("rate", "98.27", "237,817.14", "242,000.00")),
        (BAD, ("yoy2", "5.01", "226,479.95", "238,717.14")), (OK, ("yoy2", "5.01", "226,479.95", "237,817.14")),
        (BAD, ("diff", "15,772.14", "253,589.28", "238,717.14")),
        (OK, ("diff", "15,772.14", "253,589.28", "237,817.14")),
        (OK, ("diff", "13,468.05", "239,948.00", "226,479.95")), (OK, ("diff", "9,500.00", "251,500.00", "242,000.00")),
        (OK, ("sum", "203,178.46", "187,406.32", "15,772.14")), (OK, ("sum", "196,906.32", "187,406.32", "9,500.00")),
        (OK, ("rate", "103.19", "203,178.46", "196,906.32")), (OK, ("yoy2", "8.42", "187,406.32", "203,178.46")),
        (OK, ("months", "10.3个月", "203,178.46", "237,817.14")), (BAD, ("months", "10.3个月", "203,178.46", "238,717.14")),
        (OK, ("diff", "1,427.42", "7,215.44", "5,788.02")),
        (BAD, ("unmet", "≥11.5万人", "11.32万人")),
        (OK, ("unmet", "≥1.2万人", "1.26万人")),
    ],
    "etuoke-2019": [
        (OK, ("rate", "97.32%", "45925.23", "47190")),
        (OK, ("yoy", "6.61%", "2848.84", "45925.23")),
        (OK, ("diff", "3547.48", "49472.71", "45925.23")),
        (OK, ("sum", "29682.44", "5214.08", "14627.90", "9452.31", "388.15")),
        (OK, ("rate", "102.07%", "31846.27", "31200")),
        (OK, ("rate", "98.45%", "30518.64", "31000")),
        (OK, ("yoy", "7.20%", "2048.52", "30518.64")),
        (OK, ("diff", "1327.63", "31846.27", "30518.64")),
        (OK, ("ratio", "1.53", "6282", "4106")),
        (OK, ("rate", "95.64%", "3012.77", "3150")),
        (OK, ("yoy", "7.79%", "217.69", "3012.77")),
        (OK, ("diff", "1305.83", "4318.60", "3012.77")),
        (OK, ("months", "58.3", "14627.90", "3012.77")),
        (OK, ("rate", "94.64%", "11734.92", "12400")),
        (OK, ("yoy", "5.64%", "626.57", "11734.92")),
        (OK, ("diff", "870.56", "12605.48", "11734.92")),
        (OK, ("rate", "102.95%", "658.90", "640")),
        (OK, ("yoy_down", "6.25%", "43.94", "658.90")),
        (OK, ("diff", "43.46", "702.36", "658.90")),
        (OK, ("sum", "49472.71", "31846.27", "4318.60", "12605.48", "702.36")),
        (OK, ("sum", "45925.23", "30518.64", "3012.77", "11734.92", "658.90")),
        (OK, ("sum", "47190", "31000", "3150", "12400", "640")),
        (OK, ("sum", "31846.27", "14902.55", "16780.00", "163.72")),
        (OK, ("sum", "4318.60", "1025.34", "2987.41", "305.85")),
        (OK, ("sum", "3012.77", "2563.20", "382.16", "67.41")),
        (OK, ("sum", "12605.48", "12288.16", "96.10", "221.22")),
        (OK, ("sum", "702.36", "695.12", "7.24")),
        (OK, ("sum", "658.90", "241.53", "417.37")),
    ],
    "jiangning-2023": [
        (OK, ("rate", "98.60%", "97,124.22", "98,500.00")),
        (OK, ("rate", "101.81%", "87,912.46", "86,350.00")),
        (OK, ("rate", "99.19%", "40,865.31", "41,200.00")),
        (OK, ("rate", "104.31%", "46,521.70", "44,600.00")),
        (OK, ("rate", "95.54%", "525.45", "550.00")),
        (OK, ("rate", "98.53%", "84,637.92", "85,900.00")),
        (OK, ("rate", "98.71%", "83,706.88", "84,800.00")),
        (OK, ("rate", "102.83%", "16,247.83", "15,800.00")),
        (OK, ("rate", "103.32%", "4,236.18", "4,100.00")),
        (OK, ("rate", "102.45%", "10,962.40", "10,700.00")),
        (OK, ("rate", "104.93%", "1,049.25", "1,000.00")),
        (OK, ("rate", "99.10%", "12,486.30", "12,600.00")),
        (OK, ("yoy", "6.68%", "5,507.27", "87,912.46")),
        (OK, ("rate", "101.17%", "87,912.46", "86,900.00")),
        # planted: the rate is change / this year's amount, not change / last year's
        (BAD, ("yoy", "6.31%", "5,342.18", "84,637.92")),
        (OK, ("yoy", "4.86%", "753.03", "16,247.83")),
        (OK, ("months", "46.7", "48,620.15", "12,486.30")),
        (OK, ("diff", "3,274.54", "87,912.46", "84,637.92")),
        (OK, ("diff", "3,761.53", "16,247.83", "12,486.30")),
        (OK, ("sum", "64,003.06", "15,382.91", "48,620.15")),
        (OK, ("sum", "7,036.07", "3,274.54", "3,761.53")),
        (OK, ("sum", "104,160.29", "87,912.46", "16,247.83")),
        (OK, ("sum", "97,124.22", "84,637.92", "12,486.30")),
        (OK, ("sum", "98,500.00", "85,900.00", "12,600.00")),
        (OK, ("sum", "87,912.46", "40,865.31", "46,521.70", "525.45")),
        (OK, ("sum", "86,350.00", "41,200.00", "44,600.00", "550.00")),
        (OK, ("sum", "84,637.92", "83,706.88", "931.04")),
        (OK, ("sum", "16,247.83", "4,236.18", "10,962.40", "1,049.25")),
        (OK, ("sum", "15,800.00", "4,100.00", "10,700.00", "1,000.00")),
        # planted: the 其中 parts exceed their total
        (BAD, ("parts_le", "12,486.30", "10,958.62", "1,634.17", "205.40")),
    ],
    "zhangye-2024": [
        (OK, ("rate", "97.60%", "158.38亿元", "162.28亿元")),
        (OK, ("yoy", "5.79%", "8.67亿元", "158.38亿元")),
        (OK, ("diff", "16.91亿元", "175.29亿元", "158.38亿元")),
        (OK, ("months", "9.7个月", "128.52亿元", "158.38亿元")),
        (OK, ("rate", "98.64%", "58.79亿元", "59.60亿元")),
        (OK, ("diff", "2.44亿元", "61.23亿元", "58.79亿元")),
        (OK, ("months", "4.8个月", "23.47亿元", "58.79亿元")),
        (OK, ("ratio", "1.65:1", "18.94万人", "11.47万人")),
        (OK, ("rate", "97.33%", "39.13亿元", "40.20亿元")),
        (OK, ("diff", "0.74亿元", "39.87亿元", "39.13亿元")),
        (OK, ("yoy2", "6.58%", "5.74亿元", "6.12亿元")),
        (OK, ("rate", "96.39%", "6.12亿元", "6.35亿元")),
        (OK, ("diff", "2.53亿元", "8.65亿元", "6.12亿元")),
        (OK, ("months", "29.2个月", "14.90亿元", "6.12亿元")),
        (OK, ("rate", "96.54%", "22.69亿元", "23.50亿元")),
        (OK, ("diff", "1.87亿元", "24.56亿元", "22.69亿元")),
        (OK, ("months", "10.9个月", "20.64亿元", "22.69亿元")),
        (OK, ("rate", "97.73%", "26.87亿元", "27.50亿元")),
        (OK, ("diff", "0.76亿元", "27.63亿元", "26.87亿元")),
        (OK, ("rate", "92.37%", "18,935", "20,500")),
        (OK, ("yoy_down", "4.71%", "935", "18,935")),
        (OK, ("diff", "2,525", "21,460", "18,935")),
        (OK, ("rate", "92.04%", "16,384", "17,800")),
        (OK, ("yoy", "7.75%", "1,178", "16,384")),
        (OK, ("diff", "2,336", "18,720", "16,384")),
        (OK, ("rate", "95.81%", "12,455", "13,000")),
        (OK, ("yoy", "26.11%", "2,579", "12,455")),
        (OK, ("diff", "80,755", "93,210", "12,455")),
        (OK, ("sum", "175.29亿元", "61.23亿元", "39.87亿元", "8.65亿元", "24.56亿元", "27.63亿元", "21,460", "18,720",
              "93,210")),
        (OK, ("sum", "158.38亿元", "58.79亿元", "39.13亿元", "6.12亿元", "22.69亿元", "26.87亿元", "18,935", "16,384",
              "12,455")),
        (OK, ("sum", "162.28亿元", "59.60亿元", "40.20亿元", "6.35亿元", "23.50亿元", "27.50亿元", "20,500", "17,800",
              "13,000")),
        (OK, ("sum", "128.52亿元", "23.47亿元", "4.87亿元", "14.90亿元", "20.64亿元", "10.26亿元", "33,075", "43,616",
              "46.72亿元")),
        (OK, ("sum", "16.91亿元", "2.44亿元", "0.74亿元", "2.53亿元", "1.87亿元", "0.76亿元", "2,525", "2,336", "80,755")),
    ],
    "atushi-2020": [
        (OK, ("rate", "97.31%", "29290", "30100")),
        (OK, ("rate", "102.42%", "24683", "24100")),
        (OK, ("rate", "97.84%", "23972", "24500")),
        (OK, ("yoy", "8.16%", "1808", "23972")),
        (OK, ("rate", "103.51%", "7142", "6900")),
        (OK, ("rate", "94.96%", "5318", "5600")),
        (OK, ("yoy", "8.07%", "397", "5318")),
        (OK, ("months", "48.4", "21457", "5318")),
        (OK, ("diff", "711", "24683", "23972")),
        (OK, ("diff", "1824", "7142", "5318")),
        (OK, ("sum", "24395", "2938", "21457")),
        (OK, ("diff", "2535", "31825", "29290")),
        (OK, ("sum", "31825", "24683", "7142")),
        (OK, ("sum", "29290", "23972", "5318")),
        (OK, ("sum", "30100", "24500", "5600")),
        (OK, ("sum", "24683", "11358", "13206", "119")),
        (OK, ("sum", "7142", "1587", "5003", "552")),
        (OK, ("sum", "5318", "4712", "498", "108")),
        (OK, ("unmet", "≥21000人", "21862人")),
        # planted
        (BAD, ("same", "5318", "5381")),
        (BAD, ("same", "21500", "21000")),
        (BAD, ("plan", "十四五", "2020")),
    ],
    "yuli-2022": [
        (OK, ("rate", "99.25%", "4863.27", "4900")),
        (OK, ("yoy2_down", "1.76%", "4950.19", "4863.27")),
        (OK, ("rate", "98.01%", "3577.46", "3650")),
        (OK, ("yoy2", "7.88%", "3316.08", "3577.46")),
        (OK, ("diff", "1285.81", "4863.27", "3577.46")),
        (OK, ("months", "56.7", "16914.52", "3577.46")),
        (OK, ("sum", "4863.27", "1108.52", "3362.18", "3,856,215.40元", "6.95")),
        (OK, ("sum", "3362.18", "2410.05", "614.73", "337.40")),
        (OK, ("sum", "3577.46", "3052.31", "438.70", "796,000.00元", "6.85")),
    ],
}

SUFFIX = {"yili-2022": ".docx", "zhangye-2024": ".docx", "etuoke-2019": ".pdf"}


def report_text(name: str) -> str:
    if name in SUFFIX:
        spec = importlib.util.spec_from_file_location("blind_build", HERE / "build.py")
        assert spec and spec.loader
        build = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(build)
        return build.text_of(name)
    return (HERE / f"{name}.txt").read_text(encoding="utf-8")


def _squash(s: str) -> str:
    return re.sub(r"\s", "", s)


def _numbers(text: str) -> list[float]:
    """Every number in the text, also scaled by the unit conversions a key may have applied."""
    out = []
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        v = float(m.group().replace(",", ""))
        out += [v, v * 10000, v / 10000]
    return out


def problems(name: str) -> list[str]:
    """Everything wrong with one report's key; empty when the key is right."""
    errs: list[str] = []
    raw = report_text(name)
    text = _squash(raw)
    gold = yaml.safe_load((HERE / f"{name}.gold.yaml").read_text(encoding="utf-8"))
    checks = CHECKS[name]
    verified: set[str] = set()
    bad_literals: list[set[str]] = []
    for expect_ok, check in checks:
        for lit in literals(check):
            if lit.lstrip("-≥") not in text:
                errs.append(f"{name}: {lit!r} of {check} is not in the report")
        consistent = evaluate(check)
        if consistent != expect_ok:
            errs.append(f"{name}: {check} expected {'consistent' if expect_ok else 'inconsistent'}")
        if expect_ok:
            verified.update(literals(check))
            verified.update(re.sub(r"(元|万人|人)$", "", lit) for lit in literals(check))
        else:
            bad_literals.append({lit.lstrip("≥") for lit in literals(check)})
    for tok in gold.get("clean", []):
        if tok.lstrip("-") not in text:
            errs.append(f"{name}: clean {tok!r} is not in the report")
        if tok not in verified:
            errs.append(f"{name}: clean {tok!r} is not verified by any check")
        if any(tok in bad for bad in bad_literals):
            errs.append(f"{name}: clean {tok!r} is part of an inconsistent check")
    for f in gold.get("findings", []):
        for tok in f["tokens"]:
            if tok not in text:
                errs.append(f"{name}: finding {f['id']} token {tok!r} is not in the report")
        bare = {t.rstrip("万人") for t in f["tokens"]}
        if not any(bare & {b.rstrip("万人") for b in bad} for bad in bad_literals):
            errs.append(f"{name}: finding {f['id']} has no inconsistent check")
    nums = _numbers(raw)
    for fact in gold.get("facts", []):
        v = abs(float(fact["value"]))
        if not any(abs(v - n) <= max(0.0051, 1e-6 * v) for n in nums):
            errs.append(f"{name}: fact {fact} has no matching number in the report")
    for ind in gold.get("indicators", []):
        for key in ("name", "target", "actual"):
            if _squash(ind[key]) not in text:
                errs.append(f"{name}: indicator {key} {ind[key]!r} is not in the report")
    if gold["report"].rsplit(".", 1)[0] != name:
        errs.append(f"{name}: key names report {gold['report']}")
    return errs


def main() -> int:
    errs = [e for name in CHECKS for e in problems(name)]
    for e in errs:
        print(e)
    n = sum(len(c) for c in CHECKS.values())
    print(f"{len(CHECKS)} reports, {n} checks, {len(errs)} problems")
    return 1 if errs else 0


if __name__ == "__main__":
    raise SystemExit(main())
