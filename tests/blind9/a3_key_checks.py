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
    at_least,
    decline,
    diff,
    growth,
    growth_from_change,
    months,
    rate,
    ratio,
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


def register(keys: Keys) -> None:
    """Declare A3's two reports' checks on the set's Keys (blind9's key_checks.py calls this)."""
    keys.report("hebi-2023")(_hebi)
