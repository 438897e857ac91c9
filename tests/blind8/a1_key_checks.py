"""Author A1's key checks for blind8: every derived figure of its two keys, recomputed from printed figures.

Declarations only; tests/oracle.py decides them. ``ok`` is a clean figure, ``bad`` a planted error.
yiling-2023 (built DOCX/PDF) reads its figures from a1_build.py so that the key and the document cannot
drift apart; changde-2023 (TXT) quotes its printed figures literally.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from oracle import Keys, Recorder, diff, growth, growth_from_change, iv, months, rate, threshold, total, yuan

HERE = Path(__file__).resolve().parent


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sifund_blind8_a1_build_for_keys", HERE / "a1_build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _yiling(ok: Recorder, bad: Recorder) -> None:
    b = _build()
    n = b.numbers()
    planted_fund = b.PLANTED_SUBSIDY[0]
    for fund, data in n.items():
        rows = data["rows"]
        p = {k: r["printed"] for k, r in rows.items()}
        parts_in = [k for k in rows if k.endswith("@in")]
        parts_out = [k for k in rows if k.endswith("@out")]
        for c in b.COLS:
            if fund != "all":
                planted = fund == planted_fund and c == "actual"
                (bad if planted else ok)(
                    f"{fund} 收入合计 {c} = 其中各项", p["收入合计"][c], total(*(p[k][c] for k in parts_in))
                )
                ok(f"{fund} 支出合计 {c} = 其中各项", p["支出合计"][c], total(*(p[k][c] for k in parts_out)))
            else:
                for lab in ("收入合计", "支出合计", "本期收支结余", "期末滚存结余"):
                    ok(
                        f"三项合计 {lab} {c}",
                        p[lab][c],
                        total(*(n[f]["rows"][lab]["printed"][c] for f in b.FUNDS)),
                    )
            ok(f"{fund} 本期收支结余 {c}", p["本期收支结余"][c], diff(p["收入合计"][c], p["支出合计"][c]))
        for c in ("budget", "budget_adjusted"):  # 预算测算的年末滚存 = 上年末滚存 + 预算结余
            ok(
                f"{fund} 期末滚存结余 {c}",
                p["期末滚存结余"][c],
                diff(p["期末滚存结余"]["actual"], p["本期收支结余"]["actual"]) + iv(p["本期收支结余"][c]),
            )
        for k, r in rows.items():
            if r["rate"]:
                planted = "true_rate" in r
                (bad if planted else ok)(
                    f"{fund} {k} 执行进度",
                    r["rate"],
                    rate(r["printed"]["actual"], r["printed"]["budget_adjusted"]),
                )
            ok(f"{fund} {k} 比上年同期增减", r["yoy"], growth(r["printed"]["actual"], r["printed"]["prior"]))
    # 分析说明: figures restated in 万元
    a = {k: r["printed"] for k, r in n["all"]["rows"].items()}
    ip = {k: r["printed"] for k, r in n["institution_pension"]["rows"].items()}
    rp = {k: r["printed"] for k, r in n["resident_pension"]["rows"].items()}
    rm = {k: r["printed"] for k, r in n["resident_medical"]["rows"].items()}
    ok("合计收入万元", "46,859.19万元", yuan(a["收入合计"]["actual"]))
    ok("合计增收", "2,294.97万元", diff(yuan(a["收入合计"]["actual"]), yuan(a["收入合计"]["prior"])))
    ok("合计支出万元", "43,142.02万元", yuan(a["支出合计"]["actual"]))
    ok("合计多支", "3,080.25万元", diff(yuan(a["支出合计"]["actual"]), yuan(a["支出合计"]["prior"])))
    ok("合计结余万元", "3,717.17万元", yuan(a["本期收支结余"]["actual"]))
    ok("合计滚存万元", "48,908.55万元", yuan(a["期末滚存结余"]["actual"]))
    ok(
        "合计滚存 = 上年末 + 本期结余",
        yuan(a["期末滚存结余"]["actual"]),
        total("45,191.37万元", yuan(a["本期收支结余"]["actual"])),
    )
    ok("机关保险费万元", "14,623.75万元", yuan(ip["社会保险费收入@in"]["actual"]))
    ok("机关财政补贴万元", "4,418.00万元", yuan(ip["财政补贴收入@in"]["actual"]))
    ok(
        "机关追加补贴",
        "570.00万元",
        diff(yuan(ip["财政补贴收入@in"]["budget_adjusted"]), yuan(ip["财政补贴收入@in"]["budget"])),
    )
    ok("机关补贴调整后预算万元", "5,830.00万元", yuan(ip["财政补贴收入@in"]["budget_adjusted"]))
    ok("机关结余万元", "268.51万元", yuan(ip["本期收支结余"]["actual"]))
    ok("机关滚存万元", "4,133.75万元", yuan(ip["期末滚存结余"]["actual"]))
    ok("居民养老利息万元", "241.39万元", yuan(rp["利息收入@in"]["actual"]))
    ok(
        "居民养老利息减少",
        "17.33万元",
        diff(yuan(rp["利息收入@in"]["prior"]), yuan(rp["利息收入@in"]["actual"])),
    )
    ok("居民养老支出万元", "5,323.26万元", yuan(rp["支出合计"]["actual"]))
    ok("居民医保待遇万元", "18,672.54万元", yuan(rm["社会保险待遇支出@out"]["actual"]))
    ok(
        "居民医保待遇增加",
        "1,516.51万元",
        diff(yuan(rm["社会保险待遇支出@out"]["actual"]), yuan(rm["社会保险待遇支出@out"]["prior"])),
    )
    ok("居民医保待遇预算万元", "23,850.00万元", yuan(rm["社会保险待遇支出@out"]["budget"]))
    ok("居民医保待遇调整后预算万元", "24,630.00万元", yuan(rm["社会保险待遇支出@out"]["budget_adjusted"]))


PLANTED_EM_BAL = "52,583.57"  # 职工医保 当年收支结余: 362,718.94 − 309,865.37 = 52,853.57


def _changde(ok: Recorder, bad: Recorder) -> None:
    fund_inc = ("418,327.46", "173,842.19", "362,718.94", "458,931.26", "25,317.68")
    fund_exp = ("411,962.08", "128,617.45", "309,865.37", "451,276.83", "22,964.39")
    fund_roll = ("58,484.02", "531,616.91", "677,164.42", "149,739.82", "20,916.03")
    fund_bal = ("6,365.38", "45,224.74", PLANTED_EM_BAL, "7,654.43", "2,353.29")
    # 一、基本情况: 五项基金合计
    ok("五项收入合计", "1,439,137.53", total(*fund_inc))
    ok("五项支出合计", "1,324,686.12", total(*fund_exp))
    ok("五项收入完成率", "101.08", rate("1,439,137.53", "1,423,700.00"))
    ok("五项支出完成率", "98.96", rate("1,324,686.12", "1,338,600.00"))
    ok("五项收入增长", "4.90", growth_from_change("6.73亿元", "1,439,137.53"))
    ok("五项支出增长", "6.26", growth_from_change("7.80亿元", "1,324,686.12"))
    ok("五项当年结余 = 收入−支出", "114,451.41", diff("1,439,137.53", "1,324,686.12"))
    bad("CD2 五项当年结余 ≠ 各基金结余之和", "114,451.41", total(*fund_bal))
    ok("五项年末滚存", "143.79亿元", total(*fund_roll))
    ok("两项医保支出占比", "57.5", rate(total("309,865.37", "451,276.83"), "1,324,686.12"))
    # 机关事业单位基本养老保险基金
    ok("机关收入合计", "418,327.46", total("236,418.52", "171,604.00", "1,236.75", "9,068.19"))
    ok("机关支出合计", "411,962.08", total("398,215.37", "3,862.40", "9,884.31"))
    ok("机关收入完成率", "101.39", rate("418,327.46", "412,600.00"))
    ok("机关支出完成率", "100.53", rate("411,962.08", diff("411,962.08", "2,162.08")))  # 预算 = 支出 − 超支
    ok("机关收入增长", "5.42", growth_from_change("21,512.19", "418,327.46"))
    ok("机关支出增长", "6.05", growth_from_change("23,511.45", "411,962.08"))
    ok("机关当年结余", "6,365.38", diff("418,327.46", "411,962.08"))
    ok("机关可支付月数", "1.7", months("58,484.02", "411,962.08"))
    # 城乡居民基本养老保险基金
    ok("居民养老收入合计", "173,842.19", total("41,286.30", "119,634.00", "12,415.27", "506.62"))
    ok("居民养老支出合计", "128,617.45", total("104,328.60", "21,475.18", "2,146.90", "666.77"))
    ok("居民养老收入完成率", "103.17", rate("173,842.19", "168,500.00"))
    ok("居民养老支出完成率", "97.44", rate("128,617.45", "132,000.00"))
    ok("居民养老收入增长", "7.11", growth_from_change("11,534.64", "173,842.19"))
    ok("居民养老支出增长", "6.21", growth_from_change("7,523.59", "128,617.45"))
    ok("居民养老当年结余", "45,224.74", diff("173,842.19", "128,617.45"))
    ok("居民养老年末滚存", "531,616.91", total("486,392.17", "45,224.74"))
    ok("居民养老可支付月数", "49.6", months("531,616.91", "128,617.45"))
    # 职工基本医疗保险基金
    ok("职工医保收入合计", "362,718.94", total("351,427.16", "3,184.52", "8,107.26"))
    ok("职工医保支出合计", "309,865.37", total("301,542.83", "4,216.38", "3,961.05", "145.11"))
    ok("职工医保收入完成率", "101.89", rate("362,718.94", "356,000.00"))
    ok("职工医保支出完成率", "97.44", rate("309,865.37", "318,000.00"))
    ok("职工医保收入增长", "6.29", growth_from_change("21,462.64", "362,718.94"))
    ok("职工医保支出增长", "7.81", growth_from_change("22,446.29", "309,865.37"))
    bad("CD2 职工医保当年结余 ≠ 收入−支出", PLANTED_EM_BAL, diff("362,718.94", "309,865.37"))
    bad("CD2 职工医保当年结余 ≠ 年末滚存−上年末滚存", PLANTED_EM_BAL, diff("677,164.42", "624,310.85"))
    ok(
        "职工医保年末滚存 = 上年末 + (收入−支出)",
        "677,164.42",
        iv("624,310.85") + diff("362,718.94", "309,865.37"),
    )
    ok("职工医保可支付月数", "26.2", months("677,164.42", "309,865.37"))
    # 城乡居民基本医疗保险基金
    ok("居民医保收入合计", "458,931.26", total("143,862.50", "312,480.00", "2,588.76"))
    ok("居民医保支出合计", "451,276.83", total("438,605.27", "12,671.56"))
    ok("居民医保收入完成率", "99.34", rate("458,931.26", "462,000.00"))
    ok("居民医保支出完成率", "99.18", rate("451,276.83", "455,000.00"))
    ok("居民医保收入增长", "2.53", growth_from_change("11,329.08", "458,931.26"))
    ok("居民医保支出增长", "5.40", growth_from_change("23,130.91", "451,276.83"))
    ok("居民医保当年结余", "7,654.43", diff("458,931.26", "451,276.83"))
    ok("居民医保可支付月数", "4.0", months("149,739.82", "451,276.83"))
    # 工伤保险基金
    ok("工伤收入合计", "25,317.68", total("24,286.40", "318.57", "712.71"))
    ok("工伤支出合计", "22,964.39", total("22,416.85", "187.26", "360.28"))
    ok("工伤收入增长", "5.91", growth_from_change("1,413.53", "25,317.68"))
    ok("工伤支出增长", "6.38", growth_from_change("1,376.77", "22,964.39"))
    ok("工伤当年结余", "2,353.29", diff("25,317.68", "22,964.39"))
    ok("工伤可支付月数", "10.9", months("20,916.03", "22,964.39"))
    ok("机关基本养老金增长", "6.12", growth_from_change("22,961.08", "398,215.37"))
    ok("居民养老财政补贴收入增长", "5.68", growth_from_change("6,426.00", "119,634.00"))
    ok("职工医保保险费收入增长", "6.26", growth_from_change("20,708.72", "351,427.16"))
    ok("居民医保财政补贴收入增长", "3.62", growth_from_change("10,920.00", "312,480.00"))
    ok("工伤工伤保险待遇支出增长", "6.53", growth_from_change("1,373.89", "22,416.85"))
    # 人数
    ok("机关参保 = 在职 + 退休", "10.26万人", total("7.41万人", "2.85万人"))
    ok("职工医保参保 = 在职 + 退休", "62.48万人", total("47.15万人", "15.33万人"))
    # 第二部分的其他推算
    ok("机关财政补贴占收入", "41.02", rate("171,604.00", "418,327.46"))
    # 绩效目标 and 自评表
    ok("机关待遇领取人数达标", "2.85万人", threshold("2.8万人"))
    ok("居民养老待遇领取人数达标", "58.62万人", threshold("58万人"))
    ok("待遇发放准确率达标", "99.86", threshold("99%"))
    ok("工伤参保人数达标", "33.06万人", threshold("32万人"))
    ok("职工医保可支付月数达标", "26.2", threshold("6个月"))
    ok("满意度达标", "93.6", threshold("90%"))
    bad("CD1 居民医保参保率 ≥95% 称已完成", "94.37", threshold("95%"))
    ok("自评表分值合计", "100", total(*(["10"] * 8), "5", "15"))


def register(keys: Keys) -> None:
    keys.report("yiling-2023")(_yiling)
    keys.report("changde-2023")(_changde)
