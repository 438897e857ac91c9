"""Helper B4's key checks for blind7: every derived figure of its three keys, recomputed from printed figures.

Declarations only; tests/oracle.py decides them (a printed '97.38' stands for [97.375, 97.385], each input
likewise) and checks the keys against the reports' text. ``ok`` is a clean figure, ``bad`` a planted error.
B3's key_checks.py calls ``register(KEYS)``; the DOCX report's figures are read from b4_build.py so that
the key and the document cannot drift apart.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from oracle import Keys, Recorder, diff, exact, growth, growth_from_change, iv, months, rate, ratio, total

HERE = Path(__file__).resolve().parent


def _build() -> ModuleType:
    """b4_build.py loaded by path (the set folder is not necessarily on sys.path)."""
    spec = importlib.util.spec_from_file_location("sifund_blind7_b4_build", HERE / "b4_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _weifang(ok: Recorder, bad: Recorder) -> None:
    # 职工医保
    ok("职工收入合计", "599564.20", total("586204.37", "1380.00", "9562.18", "2417.65"))
    ok("职工收入完成率", "101.62", rate("599564.20", "590000"))
    ok("职工收入增长", "6.72", growth_from_change("37728.30", "599564.20"))
    ok("职工支出合计", "542487.56", total("531406.82", "9874.30", "1206.44"))
    ok("职工支出完成率", "98.99", rate("542487.56", "548000"))
    ok("职工支出增长", "8.80", growth_from_change("43877.29", "542487.56"))
    ok("职工当年结余", "57076.64", diff("599564.20", "542487.56"))
    ok("职工滚存增加额", "57076.64", iv("57076.64"))
    ok("职工滚存增长", "8.01", growth_from_change("57076.64", "769483.19"))
    ok("统筹+个账收入", "599564.20", total("371518.06", "228046.14"))
    ok("统筹+个账支出", "542487.56", total("338962.71", "203524.85"))
    ok("统筹结余", "32555.35", diff("371518.06", "338962.71"))
    ok("个账结余", "24521.29", diff("228046.14", "203524.85"))
    ok("统筹+个账滚存", "769483.19", total("434874.09", "334609.10"))
    ok("统筹滚存", "434874.09", diff("769483.19", "334609.10"))
    ok("统筹可支付月数", "15.4", months("434874.09", "338962.71"))
    ok("在职+退休", "112.46万人", total("81.37万人", "31.09万人"))
    # 居民医保
    ok("居民收入完成率", "101.75", rate("585055.23", "575000"))
    ok("居民收入增长", "3.20", growth_from_change("18141.75", "585055.23"))
    ok("居民支出合计", "575303.53", total("552318.64", "21604.37", "1380.52"))
    ok("居民支出完成率", "97.51", rate("575303.53", "590000"))
    ok("居民支出增长", "4.75", growth_from_change("26096.38", "575303.53"))
    ok("居民当年结余", "9751.70", diff("585055.23", "575303.53"))
    ok("居民滚存增长", "3.63", growth_from_change("9751.70", "278183.50"))
    ok("居民可支付月数", "5.8", months("278183.50", "575303.53"))
    bad("WF1 居民收入其中四项超过总额", "585055.23", total("168720.45", "421386.90", "3105.72", "842.16"))


def _chuxiong(ok: Recorder, bad: Recorder) -> None:
    f = {  # 收入 支出 结余 滚存
        "机关": ["386215.40", "379604.82", "6610.58", "47849.33"],
        "居民养老": ["98437.62", "71826.05", "26611.57", "225151.93"],
        "职工医保": ["236904.18", "204318.47", "32585.71", "29.60亿元"],
        "居民医保": ["218530.66", "213972.41", "4558.25", "91260.58"],
        "工伤": ["12846.29", "11237.58", "1608.71", "11439.18"],
        "失业": ["15218.73", "13492.16", "1726.57", "70141.79"],
    }
    for j, t in enumerate(["96.82亿元", "89.45亿元", "7.37亿元", "74.18亿元"]):
        ok(f"全州合计列{j}", t, total(*(r[j] for r in f.values())))
    for k, r in f.items():
        ok(f"{k}结余", r[2], diff(r[0], r[1]))
    ok("机关收入完成率", "102.17", rate("386215.40", "378000"))
    ok("机关收入增长", "9.43", growth_from_change("33275.23", "386215.40"))
    ok("机关支出完成率", "98.73", rate("379604.82", "384500"))
    ok("机关可支付月数", "1.5", months("47849.33", "379604.82"))
    ok("州本级机关收入占比", "39.4", rate("152306.48", "386215.40"))
    ok("州本级机关支出占比", "39.5", rate("149870.25", "379604.82"))
    ok("居民养老收入完成率", "102.97", rate("98437.62", "95600"))
    ok("居民养老支出完成率", "98.39", rate("71826.05", "73000"))
    ok("居民养老支出增长", "8.09", growth_from_change("5373.86", "71826.05"))
    ok("职工医保支出完成率", "96.38", rate("204318.47", "212000"))
    ok("职工医保可支付月数", "17.4", months("29.60亿元", "204318.47"))
    ok("居民医保收入完成率", "98.88", rate("218530.66", "221000"))
    ok("居民医保收入增长", "4.39", growth_from_change("9183.54", "218530.66"))
    ok("居民医保支出完成率", "98.15", rate("213972.41", "218000"))
    ok("居民医保可支付月数", "5.1", months("91260.58", "213972.41"))
    ok("工伤收入完成率", "102.77", rate("12846.29", "12500"))
    ok("工伤支出完成率", "95.23", rate("11237.58", "11800"))
    ok("失业收入完成率", "102.83", rate("15218.73", "14800"))
    ok("失业收入下降", "-8.35", growth_from_change("-1386.69", "15218.73"))
    ok("失业支出完成率", "107.08", rate("13492.16", "12600"))
    ok("失业支出增长", "36.63", growth_from_change("3616.86", "13492.16"))
    bad("CX1 居民医保支出同比", "6.41", growth("213972.41", "201586.70"))
    bad("CX2 失业支出执行率重述", "106.08", rate("13492.16", "12600"))


def _yudu(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    n = b.yudu_numbers()
    funds = (("wi", b.WI_INCOME, b.WI_EXPEND, b.WI), ("ue", b.UE_INCOME, b.UE_EXPEND, b.UE))
    for key, income, expend, f in funds:
        x = n[key]
        ok(f"{key}收入合计", x["inc"], total(*income.values()))
        ok(f"{key}支出合计", x["out"], total(*expend.values()))
        ok(f"{key}收入完成率", x["inc_rate"], rate(x["inc"], f["budget_in"]))
        ok(f"{key}支出完成率", x["out_rate"], rate(x["out"], f["budget_out"]))
        ok(f"{key}支出增长", x["out_yoy"], growth_from_change(x["out_change"], x["out"]))
        ok(f"{key}当年结余", x["bal"], diff(x["inc"], x["out"]))
    ok("工伤收入增长", n["wi"]["inc_yoy"], growth_from_change(n["wi"]["inc_change"], n["wi"]["inc"]))
    ok("工伤可支付月数", n["wi"]["months"], months(n["wi"]["roll"], n["wi"]["out"]))
    both = n["both"]
    ok("两项支出合计", both["out"], total(n["wi"]["out"], n["ue"]["out"]))
    ok("两项支出执行率", both["exec_rate"], rate(both["out"], both["budget_out"]))
    rows = b.kpi_rows()
    ok("自评表权重合计", rows[-1][3], total(*(r[3] for r in rows[1:-1])))
    ok("自评表得分合计", rows[-1][6], total(*(r[6] for r in rows[1:-1])))
    ok("稳岗返还按比例得分", "9.5", ratio(286, 300) * exact(10))
    bad("YD1 失业可支付月数", b.PLANTED_UNEMPLOYMENT_MONTHS, months(n["ue"]["roll"], n["ue"]["out"]))


def register(keys: Keys) -> None:
    """Declare B4's three reports' checks on the set's Keys (B3's key_checks.py calls this)."""
    keys.report("weifang-2023")(_weifang)
    keys.report("chuxiong-2021")(_chuxiong)
    keys.report("yudu-2024")(_yudu)
