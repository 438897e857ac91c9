"""blind4's key checks: every derived figure of the answer keys, recomputed from printed figures.

Declarations only; tests/oracle.py decides them (a printed figure stands for an interval: 97.38% →
[97.375, 97.385]; money in 万元, 亿元 × 10000, 元 × 0.0001) and checks the keys against the reports' text.
"""

from __future__ import annotations

from pathlib import Path

from oracle import Interval, Keys, Recorder, growth, growth_from_change, rate, threshold, total
from oracle import exact as X
from oracle import printed as P

KEYS = Keys(Path(__file__).resolve().parent)

# (report, stated figure as printed, what it should equal, consistent?) — one line per checked figure.
CHECKS: list[tuple[str, str, Interval, bool]] = [
    # ---- zhengan-2021 (clean)
    ("zhengan-2021", "102.44%", rate(P("43370.98"), P("42340")), True),
    ("zhengan-2021", "98.77%", rate(P("40160.17"), P("40660")), True),
    ("zhengan-2021", "43370.98", P("33156.42") + P("10214.56"), True),
    ("zhengan-2021", "40160.17", P("31504.87") + P("8655.30"), True),
    ("zhengan-2021", "3210.81", P("43370.98") - P("40160.17"), True),
    ("zhengan-2021", "34427.84", P("5663.93") + P("28763.91"), True),
    ("zhengan-2021", "33156.42", total(P("18426.35"), P("14502.60"), P("227.47")), True),
    ("zhengan-2021", "102.08%", rate(P("33156.42"), P("32480")), True),
    ("zhengan-2021", "101.80%", rate(P("18426.35"), P("18100")), True),
    ("zhengan-2021", "31504.87", P("31418.22") + P("86.65"), True),
    ("zhengan-2021", "98.70%", rate(P("31504.87"), P("31920")), True),
    ("zhengan-2021", "5.45%", growth_from_change(P("1628.73"), P("31504.87")), True),
    ("zhengan-2021", "1651.55", P("33156.42") - P("31504.87"), True),
    ("zhengan-2021", "2.23", P("9354") / P("4186"), True),
    ("zhengan-2021", "10214.56", total(P("2367.80"), P("7214.26"), P("632.50")), True),
    ("zhengan-2021", "103.60%", rate(P("10214.56"), P("9860")), True),
    ("zhengan-2021", "12.46%", growth_from_change(P("262.36"), P("2367.80")), True),
    ("zhengan-2021", "8655.30", total(P("7410.12"), P("1082.55"), P("162.63")), True),
    ("zhengan-2021", "99.03%", rate(P("8655.30"), P("8740")), True),
    ("zhengan-2021", "1559.26", P("10214.56") - P("8655.30"), True),
    ("zhengan-2021", "39.88", P("28763.91") / (P("8655.30") / X("12")), True),
    ("zhengan-2021", "42340", P("32480") + P("9860"), True),
    ("zhengan-2021", "40660", P("31920") + P("8740"), True),
    # ---- fuqing-2018 (three planted errors)
    ("fuqing-2018", "15610", P("222810") - P("207200"), True),
    (
        "fuqing-2018",
        "227535.43",
        total(
            P("69872.36"),
            P("22418.75"),
            P("56937.14"),
            P("62153.90"),
            P("4387.62"),
            P("5102.37"),
            P("6481.29"),
        ),
        False,
    ),
    (
        "fuqing-2018",
        "206519.61",
        total(
            P("65417.82"),
            P("16523.09"),
            P("52318.46"),
            P("59847.25"),
            P("3412.08"),
            P("3264.50"),
            P("5736.41"),
        ),
        True,
    ),
    ("fuqing-2018", "99.67%", rate(P("206519.61"), P("207200")), True),
    ("fuqing-2018", "9.09%", growth_from_change(P("17203.57"), P("206519.61")), True),
    (
        "fuqing-2018",
        "17203.57",
        P("206519.61")
        - total(
            P("60235.40"),
            P("16523.09") - P("660.88"),
            P("52318.46") - P("5113.13"),
            P("59847.25") - P("4720.45"),
            P("3412.08") - P("396.64"),
            P("3264.50") - P("612.30"),
            P("5736.41") - P("517.75"),
        ),
        True,
    ),
    ("fuqing-2018", "102.08%", rate(P("69872.36"), P("68450")), True),
    ("fuqing-2018", "103.65%", rate(P("22418.75"), P("21630")), True),
    ("fuqing-2018", "103.15%", rate(P("56937.14"), P("55200")), True),
    ("fuqing-2018", "100.57%", rate(P("62153.90"), P("61800")), True),
    ("fuqing-2018", "106.50%", rate(P("4387.62"), P("4120")), True),
    ("fuqing-2018", "95.19%", rate(P("5102.37"), P("5360")), True),
    ("fuqing-2018", "103.70%", rate(P("6481.29"), P("6250")), True),
    ("fuqing-2018", "98.67%", rate(P("65417.82"), P("66300")), True),
    ("fuqing-2018", "8.60%", growth(P("65417.82"), P("60235.40")), True),
    ("fuqing-2018", "98.06%", rate(P("16523.09"), P("16850")), True),
    ("fuqing-2018", "4.17%", growth_from_change(P("660.88"), P("16523.09")), True),
    ("fuqing-2018", "16523.09", total(P("13562.40"), P("2741.66"), P("219.03")), True),
    ("fuqing-2018", "102.29%", rate(P("52318.46"), P("50900")), False),
    ("fuqing-2018", "10.83%", growth_from_change(P("5113.13"), P("52318.46")), True),
    ("fuqing-2018", "98.92%", rate(P("59847.25"), P("60500")), True),
    ("fuqing-2018", "8.56%", growth_from_change(P("4720.45"), P("59847.25")), True),
    ("fuqing-2018", "93.48%", rate(P("3412.08"), P("3650")), True),
    ("fuqing-2018", "13.15%", growth_from_change(P("396.64"), P("3412.08")), True),
    ("fuqing-2018", "105.31%", rate(P("3264.50"), P("3100")), True),
    ("fuqing-2018", "18.76%", growth_from_change(P("612.30"), P("3264.50")), False),
    ("fuqing-2018", "97.23%", rate(P("5736.41"), P("5900")), True),
    ("fuqing-2018", "9.92%", growth_from_change(P("517.75"), P("5736.41")), True),
    (
        "fuqing-2018",
        "20833.82",
        total(P("4454.54"), P("5895.66"), P("4618.68"), P("2306.65"), P("975.54"), P("1837.87"), P("744.88")),
        True,
    ),
    ("fuqing-2018", "20833.82", P("227535.43") - P("206519.61"), False),  # consequence of the 合计 error
    (
        "fuqing-2018",
        "150797.89",
        total(
            P("12563.20"),
            P("48215.37"),
            P("38451.06"),
            P("26380.91"),
            P("6842.15"),
            P("15236.48"),
            P("3108.72"),
        ),
        True,
    ),
    ("fuqing-2018", "4454.54", P("69872.36") - P("65417.82"), True),
    ("fuqing-2018", "5895.66", P("22418.75") - P("16523.09"), True),
    ("fuqing-2018", "4618.68", P("56937.14") - P("52318.46"), True),
    ("fuqing-2018", "2306.65", P("62153.90") - P("59847.25"), True),
    ("fuqing-2018", "975.54", P("4387.62") - P("3412.08"), True),
    ("fuqing-2018", "1837.87", P("5102.37") - P("3264.50"), True),
    ("fuqing-2018", "744.88", P("6481.29") - P("5736.41"), True),
    ("fuqing-2018", "56", P("15236.48") / (P("3264.50") / X("12")), True),
    # ---- xingtai-2022 (three planted errors; figures from the Word table and text)
    ("xingtai-2022", "102.43", rate(P("18642.15"), P("18200.00")), True),
    ("xingtai-2022", "9.75", growth(P("18642.15"), P("16985.40")), True),
    ("xingtai-2022", "102.56", rate(P("17536.90"), P("17100.00")), True),
    ("xingtai-2022", "10.50", growth(P("17536.90"), P("15870.22")), True),
    ("xingtai-2022", "105.82", rate(P("338.61"), P("320.00")), True),
    ("xingtai-2022", "8.47", growth(P("338.61"), P("312.18")), True),
    ("xingtai-2022", "98.50", rate(P("17533.78"), P("17800.00")), True),
    ("xingtai-2022", "8.89", growth(P("17533.78"), P("16102.87")), True),
    ("xingtai-2022", "98.69", rate(P("17251.06"), P("17480.00")), True),
    ("xingtai-2022", "8.80", growth(P("17251.06"), P("15855.30")), True),
    ("xingtai-2022", "97.21", rate(P("92.35"), P("95.00")), True),
    ("xingtai-2022", "6.89", growth(P("92.35"), P("86.40")), True),
    ("xingtai-2022", "882.53", P("16985.40") - P("16102.87"), True),
    ("xingtai-2022", "400.00", P("18200.00") - P("17800.00"), True),
    ("xingtai-2022", "1208.37", P("18642.15") - P("17533.78"), False),
    ("xingtai-2022", "10344.95", P("9236.58") + P("1208.37"), False),  # consequence of the 结余 error
    ("xingtai-2022", "10344.95", P("9236.58") + P("18642.15") - P("17533.78"), True),
    ("xingtai-2022", "102.30", rate(P("23018.44"), P("22500.00")), True),
    ("xingtai-2022", "6.75", growth(P("23018.44"), P("21563.70")), True),
    ("xingtai-2022", "102.10", rate(P("21236.58"), P("20800.00")), True),
    ("xingtai-2022", "6.85", growth(P("21236.58"), P("19875.12")), True),
    ("xingtai-2022", "104.61", rate(P("1516.87"), P("1450.00")), True),
    ("xingtai-2022", "8.17", growth(P("1516.87"), P("1402.30")), True),
    ("xingtai-2022", "97.33", rate(P("29687.12"), P("30500.00")), True),
    ("xingtai-2022", "10.38", growth(P("29687.12"), P("26894.35")), True),
    ("xingtai-2022", "2792.77", P("29687.12") - P("26894.35"), True),
    ("xingtai-2022", "96.78", rate(P("10452.63"), P("10800.00")), True),
    ("xingtai-2022", "8.62", growth(P("10452.63"), P("9623.41")), True),
    ("xingtai-2022", "96.20", rate(P("3367.08"), P("3500.00")), True),
    ("xingtai-2022", "8.43", growth(P("3367.08"), P("3105.26")), True),
    ("xingtai-2022", "97.65", rate(P("10936.72"), P("11200.00")), True),
    ("xingtai-2022", "10.76", growth(P("10936.72"), P("9874.50")), True),
    ("xingtai-2022", "95.57", rate(P("2484.90"), P("2600.00")), True),
    ("xingtai-2022", "18.14", growth(P("2484.90"), P("2103.40")), True),
    ("xingtai-2022", "-5330.65", P("21563.70") - P("26894.35"), True),
    ("xingtai-2022", "-8000.00", P("22500.00") - P("30500.00"), True),
    ("xingtai-2022", "-6668.68", P("23018.44") - P("29687.12"), True),
    ("xingtai-2022", "71873.48", P("78542.16") + P("-6668.68"), True),
    ("xingtai-2022", "94.07%", rate(P("17536.90"), P("18642.15")), True),
    ("xingtai-2022", "47220.90", P("17533.78") + P("29687.12"), True),
    ("xingtai-2022", "97.77%", rate(P("47220.90"), P("17800.00") + P("30500.00")), True),
    ("xingtai-2022", "29.05", P("71873.48") / (P("29687.12") / X("12")), True),
    ("xingtai-2022", "9.96", X("10") * P("98.6") / X("99"), True),
    ("xingtai-2022", "99.96", X("90") + P("9.96"), True),
    ("xingtai-2022", "4200", P("4000"), False),  # X2: the text's target is not the 自评表's ≥4000人
    ("xingtai-2022", "98.6%", threshold("≥99%"), False),  # X3: a 自评表 row unmet while the text says all met
    # ---- chengdong-2020 (clean)
    ("chengdong-2020", "7046.28", total(P("1358.62"), P("5216.40"), P("312.75"), P("158.51")), True),
    ("chengdong-2020", "5327.64", total(P("4486.20"), P("658.36"), P("96.80"), P("86.28")), True),
    ("chengdong-2020", "103.17%", rate(P("7046.28"), P("6830")), True),
    ("chengdong-2020", "104.51%", rate(P("1358.62"), P("1300")), True),
    ("chengdong-2020", "97.22%", rate(P("5327.64"), P("5480")), True),
    ("chengdong-2020", "1350", P("6830") - P("5480"), True),
    ("chengdong-2020", "1718.64", P("7046.28") - P("5327.64"), True),
    ("chengdong-2020", "127.31%", rate(P("1718.64"), P("1350")), True),
    ("chengdong-2020", "74.03%", rate(P("5216.40"), P("7046.28")), True),
    ("chengdong-2020", "22.17%", rate(P("14260"), P("64318")), True),
    ("chengdong-2020", "364.49", P("5327.64") - P("4963.15"), True),
    ("chengdong-2020", "7.34%", growth(P("5327.64"), P("4963.15")), True),
    ("chengdong-2020", "52.49", P("23302.70") / (P("5327.64") / X("12")), True),
    # ---- yanbian-2023 (three planted errors; 亿元 → 万元)
    (
        "yanbian-2023",
        "142.72亿元",
        total(P("58.36亿元"), P("128416.52"), P("36.75亿元"), P("29.64亿元"), P("1.92亿元"), P("3.21亿元")),
        True,
    ),
    (
        "yanbian-2023",
        "133.82亿元",
        total(P("56.91亿元"), P("95210.36"), P("34.18亿元"), P("28.85亿元"), P("1.68亿元"), P("2.68亿元")),
        True,
    ),
    (
        "yanbian-2023",
        "133.82亿元",
        total(P("56.91亿元"), P("95210.36"), P("34.18亿元"), P("28.85亿元"), P("1.68亿元"), P("2.86亿元")),
        False,
    ),  # with the restated 2.86
    ("yanbian-2023", "97.52%", rate(P("133.82亿元"), P("137.22亿元")), True),
    ("yanbian-2023", "8.90亿元", P("142.72亿元") - P("133.82亿元"), True),
    (
        "yanbian-2023",
        "186.45亿元",
        total(P("12.35亿元"), P("86.92亿元"), P("48.67亿元"), P("21.73亿元"), P("3.86亿元"), P("12.92亿元")),
        True,
    ),
    ("yanbian-2023", "98.46%", rate(P("56.91亿元"), P("57.80亿元")), True),
    ("yanbian-2023", "6.43%", growth(P("56.91亿元"), P("53.47亿元")), True),
    ("yanbian-2023", "1.45亿元", P("58.36亿元") - P("56.91亿元"), True),
    ("yanbian-2023", "百分之九十八点五", rate(P("95210.36"), P("96650")), True),
    ("yanbian-2023", "85.44%", rate(P("81350.27"), P("95210.36")), True),
    ("yanbian-2023", "33206.16", P("128416.52") - P("95210.36"), True),
    ("yanbian-2023", "34.18亿元", P("32.47亿元") + P("2.03亿元"), False),  # 其中 parts exceed the total
    ("yanbian-2023", "97.66%", rate(P("34.18亿元"), P("35.00亿元")), True),
    ("yanbian-2023", "2.57亿元", P("36.75亿元") - P("34.18亿元"), True),
    ("yanbian-2023", "95.85%", rate(P("28.85亿元"), P("30.10亿元")), True),
    ("yanbian-2023", "0.79亿元", P("29.64亿元") - P("28.85亿元"), True),
    ("yanbian-2023", "百分之五", growth(P("1.68亿元"), P("1.60亿元")), True),
    ("yanbian-2023", "0.24亿元", P("1.92亿元") - P("1.68亿元"), True),
    ("yanbian-2023", "2.86亿元", P("2.68亿元"), False),  # the same figure restated
    ("yanbian-2023", "92.41%", rate(P("2.68亿元"), P("2.90亿元")), True),
    ("yanbian-2023", "0.53亿元", P("3.21亿元") - P("2.68亿元"), True),
    # ---- rongshui-2024 (clean)
    ("rongshui-2024", "77100", P("52800") + P("24300"), True),
    ("rongshui-2024", "70550", P("51600") + P("18950"), True),
    ("rongshui-2024", "77574.25", P("53617.84") + P("23956.41"), True),
    ("rongshui-2024", "69586.02", P("50983.27") + P("18602.75"), True),
    ("rongshui-2024", "7.76亿元", P("77574.25"), True),
    ("rongshui-2024", "6.96亿元", P("69586.02"), True),
    ("rongshui-2024", "100.62%", rate(P("77574.25"), P("77100")), True),
    ("rongshui-2024", "98.63%", rate(P("69586.02"), P("70550")), True),
    ("rongshui-2024", "7988.23", P("77574.25") - P("69586.02"), True),
    ("rongshui-2024", "73758.90", P("12509.97") + P("61248.93"), True),
    ("rongshui-2024", "53617.84", total(P("29430.16"), P("23905.20"), P("282.48")), True),
    ("rongshui-2024", "101.55%", rate(P("53617.84"), P("52800")), True),
    ("rongshui-2024", "44.58%", rate(P("23905.20"), P("53617.84")), True),
    ("rongshui-2024", "3667.65", P("50983.27") - P("47315.62"), True),
    ("rongshui-2024", "7.75%", growth(P("50983.27"), P("47315.62")), True),
    ("rongshui-2024", "98.80%", rate(P("50983.27"), P("51600")), True),
    ("rongshui-2024", "50983.27", P("50512.09") + P("471.18"), True),
    ("rongshui-2024", "1.62", P("10073") / P("6218"), True),
    ("rongshui-2024", "6770元", P("50512.09") / P("6218") / X("12"), True),  # 元 per person a month
    ("rongshui-2024", "2634.57", P("53617.84") - P("50983.27"), True),
    ("rongshui-2024", "23956.41", total(P("5214.63"), P("17836.52"), P("905.26")), True),
    ("rongshui-2024", "98.59%", rate(P("23956.41"), P("24300")), True),
    ("rongshui-2024", "-2.27%", growth_from_change(P("-555.89"), P("23956.41")), True),
    ("rongshui-2024", "18602.75", total(P("15980.34"), P("2307.61"), P("314.80")), True),
    ("rongshui-2024", "98.17%", rate(P("18602.75"), P("18950")), True),
    ("rongshui-2024", "5353.66", P("23956.41") - P("18602.75"), True),
    ("rongshui-2024", "39.51", P("61248.93") / (P("18602.75") / X("12")), True),
    ("rongshui-2024", "9.86", X("10") * P("98.63%") / X("100"), True),
    ("rongshui-2024", "95.86", X("86") + P("9.86"), True),
]


def _declare(report: str) -> None:
    @KEYS.report(report)
    def _checks(ok: Recorder, bad: Recorder) -> None:
        for r, stated, computed, consistent in CHECKS:
            if r == report:
                (ok if consistent else bad)(stated, stated, computed)


for _report in dict.fromkeys(r for r, *_ in CHECKS):
    _declare(_report)
