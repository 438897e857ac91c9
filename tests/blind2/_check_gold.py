"""Recompute every derived figure of the blind2 answer keys by interval arithmetic.

Run: .venv/bin/python tests/blind2/_check_gold.py
Each `ok(...)` asserts that a figure listed in `clean` is consistent within printed precision; each
`bad(...)` asserts that a planted finding is inconsistent beyond it. A printed figure stands for the
interval of half its last digit either side (97.38% -> [97.375, 97.385]). The script also checks that
every clean/finding token occurs in the report text and that every fact value is printed there.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal as D
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
Iv = tuple[D, D]


def iv(s: str) -> Iv:
    """Interval a printed number stands for (thousands separators and units ignored)."""
    t = re.sub(r"[^\d.\-]", "", s.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")))
    d = D(t)
    half = D(1).scaleb(d.as_tuple().exponent) / 2
    return (d - half, d + half)


def scale(a: Iv, k: D | int) -> Iv:
    return (a[0] * k, a[1] * k)


def add(*xs: Iv) -> Iv:
    return (sum((x[0] for x in xs), D(0)), sum((x[1] for x in xs), D(0)))


def sub(a: Iv, b: Iv) -> Iv:
    return (a[0] - b[1], a[1] - b[0])


def div(a: Iv, b: Iv) -> Iv:
    assert b[0] > 0, "divisor interval must be positive"
    cands = [a[0] / b[0], a[0] / b[1], a[1] / b[0], a[1] / b[1]]
    return (min(cands), max(cands))


def pct(a: Iv, b: Iv) -> Iv:
    """a / b * 100."""
    return scale(div(a, b), 100)


def meets(a: Iv, b: Iv) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def ok(label: str, stated: str, computed: Iv) -> None:
    assert meets(iv(stated), computed), f"{label}: {stated} vs {computed}"


def bad(label: str, stated: str, computed: Iv) -> None:
    assert not meets(iv(stated), computed), f"{label}: {stated} should be inconsistent with {computed}"


# shorthands taking printed strings
def rate(actual: str, budget: str) -> Iv:
    return pct(iv(actual), iv(budget))


def yoy(change: str, actual: str) -> Iv:
    """Growth rate from a change and this year's actual (prior = actual - change)."""
    return pct(iv(change), sub(iv(actual), iv(change)))


def yoy_p(actual: str, prior: str) -> Iv:
    """Growth rate from this year's actual and the prior year's."""
    return pct(sub(iv(actual), iv(prior)), iv(prior))


def total(*parts: str) -> Iv:
    return add(*(iv(p) for p in parts))


def diff(a: str, b: str) -> Iv:
    return sub(iv(a), iv(b))


def months(balance: str, expenditure: str) -> Iv:
    return div(iv(balance), scale(iv(expenditure), D(1) / 12))


def yi(s: str) -> Iv:
    """A figure printed in 亿元, as 万元."""
    return scale(iv(s), 10000)


def _build():
    """build.py loaded by path, so this script runs without the tests package on sys.path."""
    if "blind2_build" not in sys.modules:
        spec = importlib.util.spec_from_file_location("blind2_build", HERE / "build.py")
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules["blind2_build"] = mod
        spec.loader.exec_module(mod)
    return sys.modules["blind2_build"]


# ---------------------------------------------------------------------------------------------
def check_anji() -> None:
    ok("机关养老收入完成率", "102.66", rate("52318.46", "50960"))
    ok("机关养老收入合计", "52318.46", total("31206.15", "20874.00", "238.31"))
    ok("机关养老支出完成率", "97.72", rate("50127.83", "51300"))
    ok("机关养老增加额", "3142.63", diff("50127.83", "46985.20"))
    ok("机关养老增幅", "6.69", yoy_p("50127.83", "46985.20"))
    ok("机关养老支出合计", "50127.83", total("49312.40", "815.43"))
    ok("抚养比", "1.62", div(iv("10068"), iv("6215")))
    ok("机关养老当年结余", "2190.63", diff("52318.46", "50127.83"))
    ok("机关养老可支付月数", "3.3", months("13596.90", "50127.83"))
    ok("居民养老收入完成率", "105.63", rate("21653.72", "20500"))
    ok("居民养老缴费完成率", "105.31", rate("6845.30", "6500"))
    ok("居民养老收入合计", "21653.72", total("6845.30", "12906.55", "1101.87", "800.00"))
    ok("居民养老支出完成率", "102.40", rate("17408.16", "17000"))
    ok("居民养老增加额", "1445.83", diff("17408.16", "15962.33"))
    ok("居民养老增长率", "9.06", yoy_p("17408.16", "15962.33"))
    ok("居民养老支出合计", "17408.16", total("13215.60", "3862.41", "330.15"))
    ok("居民养老当年结余", "4245.56", diff("21653.72", "17408.16"))
    ok("居民养老可支付月数", "47.2", months("68420.55", "17408.16"))
    ok("基础养老金增加", "20", diff("275", "255"))
    ok("合计收入", "73972.18", total("52318.46", "21653.72"))
    ok("合计支出", "67535.99", total("50127.83", "17408.16"))
    ok("合计当年结余", "6436.19", diff("73972.18", "67535.99"))
    ok("合计滚存结余", "82017.45", total("13596.90", "68420.55"))


CHECKS = {"anji-2021": check_anji}


def check_liangshan() -> None:
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
    ok("合计收入增长", "4.30", yoy("56092", "1360560"))
    ok("企业养老完成率", "101.51", rate("512648", "505000"))
    ok("企业养老缺口", "26433", diff("512648", "486215"))
    ok("机关养老收入其中", "268430", total("142606", "125824"))
    ok("机关养老完成率", "97.08", rate("262118", "270000"))
    ok("机关养老增加额", "20591", diff("262118", "241527"))
    ok("机关养老增长", "8.53", yoy_p("262118", "241527"))
    ok("机关养老结余", "6312", diff("268430", "262118"))
    ok("居民养老结余", "37437", diff("158742", "121305"))
    ok("居民养老可支付月数", "39.8", months("402338", "121305"))
    ok("职工医保结余", "14443", diff("112860", "98417"))
    ok("职工医保可支付月数", "19", months("156204", "98417"))
    ok("居民医保增加额", "17664", diff("318940", "301276"))
    ok("居民医保增长", "5.86", yoy_p("318940", "301276"))
    ok("居民医保结余减少", "6434", diff("318940", "312506"))
    ok("工伤结余", "3527", diff("12845", "9318"))
    ok("失业结余", "4100", diff("8962", "4862"))
    bad("L1 失业完成率", "93.2", rate("4862", "5300"))
    bad("L2 工伤增长率（错基数）", "12.94", yoy("1206", "9318"))
    ok("L2 12.94%即以本年为基数", "12.94", pct(iv("1206"), iv("9318")))


CHECKS["liangshan-2022"] = check_liangshan


def check_gongyi() -> None:
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
    ok("居民养老增长", "9.91", yoy_p("15372", "13986"))
    ok("居民养老支出其中", "15372", total("12108", "3018", "246"))
    ok("居民养老结余", "3532", diff("18904", "15372"))
    ok("职工医保结余", "1115", diff("22975", "21860"))
    ok("生育减幅", "-5.03", yoy("-95", "1792"))
    bad("G2 生育当年结余", "-37", diff("1792", "1865"))
    ok("失业结余", "669", diff("2265", "1596"))


CHECKS["gongyi-2019"] = check_gongyi


def check_heyuan() -> None:
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
    ok("执行率得分", "9.88", div(iv("98.80"), iv("10")))
    ok("自评总分", "99.88", add(iv("9.88"), *(iv("10") for _ in range(9))))
    ok("机关养老收入完成率", "101.48", rate("38.46", "37.90"))
    ok("机关养老收入其中", "38.46", total("21.35", "16.92", "0.19"))
    ok("机关养老支出完成率", "98.20", rate("37.12", "37.80"))
    ok("机关养老增长", "7.28", yoy_p("37.12", "34.60"))
    ok("机关养老结余", "1.34", diff("38.46", "37.12"))
    ok("机关养老财政依赖", "44.0", rate("16.92", "38.46"))
    ok("居民养老收入其中", "14.83", total("10.26", "3.62", "0.95"))
    ok("居民养老完成率", "101.57", rate("11.68", "11.50"))
    ok("居民养老结余", "3.15", diff("14.83", "11.68"))
    ok("居民养老可支付月数", "41.3", months("40.15", "11.68"))
    ok("职工医保增长", "5.20", yoy_p("29.74", "28.27"))
    ok("职工医保完成率", "98.72", rate("27.05", "27.40"))
    ok("职工医保结余", "2.69", diff("29.74", "27.05"))
    ok("居民医保完成率", "98.59", rate("32.14", "32.60"))
    ok("居民医保结余", "-0.77", diff("31.37", "32.14"))
    ok("居民医保可支付月数", "3.6", months("9.52", "32.14"))


CHECKS["heyuan-2023"] = check_heyuan


def check_etuoke() -> None:
    ok("合计收入", "26974", total("21846", "5128"))
    ok("合计支出", "24899", total("20935", "3964"))
    ok("合计结余", "2075", diff("26974", "24899"))
    ok("合计滚存", "30110", total("5327", "24783"))
    ok("合计支出执行率", "97.45", rate("24899", "25550"))
    ok("合计支出预算", "25550", total("21500", "4050"))
    ok("机关养老收入完成率", "97.96", rate("21846", "22300"))
    ok("机关养老收入其中", "21846", total("12580", "9190", "76"))
    ok("机关养老支出完成率", "97.37", rate("20935", "21500"))
    ok("机关养老增长", "7.62", yoy("1482", "20935"))
    ok("机关养老结余", "911", diff("21846", "20935"))
    ok("抚养比", "1.63", div(iv("4012"), iv("2468")))
    ok("居民养老收入完成率", "104.65", rate("5128", "4900"))
    ok("居民养老收入其中", "5128", total("1286", "3452", "390"))
    ok("居民养老支出完成率", "97.88", rate("3964", "4050"))
    ok("居民养老增长", "6.85", yoy_p("3964", "3710"))
    ok("居民养老支出其中", "3964", total("3305", "602", "57"))
    ok("居民养老结余", "1164", diff("5128", "3964"))
    ok("居民养老可支付月数", "75", months("24783", "3964"))
    # E1/E2/E3 are textual: a target stated twice, an unmet row, a wrong five-year plan
    assert D("2400") != D("2450")
    assert D("93.6") < D("95")


CHECKS["etuoke-2020"] = check_etuoke


def check_wenjiang() -> None:
    WENJIANG_TABLE = _build().WENJIANG_TABLE
    rows = {r[0]: r[1:] for r in WENJIANG_TABLE[1:]}
    for item, (a, b, tot) in rows.items():
        if item == "一、基金收入":
            bad("W1 合计基金收入", tot, total(a, b))
            ok("W1 两项之和应为", "56079.65", total(a, b))
        else:
            ok(f"合计{item}", tot, total(a, b))
    for col in (0, 1):
        inc, con, fis, inte, exp, ben, tra, bal, _ = (r[col] for r in rows.values())
        ok(f"列{col}收入其中", inc, total(con, fis, inte))
        ok(f"列{col}支出其中", exp, total(ben, tra))
        ok(f"列{col}当年结余", bal, diff(inc, exp))
    ok("机关养老收入完成率", "100.91", rate("46215.38", "45800"))
    ok("机关养老支出完成率", "98.40", rate("44872.51", "45600"))
    ok("机关养老增长", "5.12", yoy_p("44872.51", "42686.30"))
    ok("机关养老财政补贴占比", "40.35", rate("18650.00", "46215.38"))
    ok("居民养老财政补贴占比", "70.08", rate("6912.60", "9864.27"))
    ok("居民养老完成率（按表中支出）", "103.29", rate("7436.85", "7200"))
    bad("W2b 按正文重述的支出", "103.29", rate("7463.85", "7200"))
    ok("居民养老可支付月数", "50.4", months("31205.66", "7436.85"))
    bad("W2 重述不同", "7463.85", iv("7436.85"))


def check_lishui() -> None:
    LISHUI_TABLE = _build().LISHUI_TABLE
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
            ok(f"{fund}{row[0]}同比增长%", yrate, yoy_p(actual, prior))
    for fund, rows in by_fund.items():
        inc, exp, bal, roll = rows["基金收入"], rows["基金支出"], rows["当年收支结余"], rows["年末滚存结余"]
        for k in range(3):
            ok(f"{fund}结余列{k}", bal[k], diff(inc[k], exp[k]))
        ok(f"{fund}滚存预算", roll[1], add(iv(roll[0]), iv(bal[1])))
        ok(f"{fund}滚存决算", roll[2], add(iv(roll[0]), iv(bal[2])))
    tot = {
        k: [total(*(by_fund[f][k][c] for f in by_fund)) for c in range(3)] for k in ("基金收入", "基金支出")
    }
    ok("合计收入", "201432.12", tot["基金收入"][2])
    ok("合计收入完成率", "101.89", pct(tot["基金收入"][2], tot["基金收入"][1]))
    ok("合计收入增长", "5.81", pct(sub(tot["基金收入"][2], tot["基金收入"][0]), tot["基金收入"][0]))
    ok("合计支出", "181866.25", tot["基金支出"][2])
    ok("合计支出完成率", "98.68", pct(tot["基金支出"][2], tot["基金支出"][1]))
    ok("合计支出增长", "5.47", pct(sub(tot["基金支出"][2], tot["基金支出"][0]), tot["基金支出"][0]))
    ok("合计结余", "19565.87", diff("201432.12", "181866.25"))
    ok("合计滚存", "325864.26", total(*(by_fund[f]["年末滚存结余"][2] for f in by_fund)))
    ok("居民养老支出增加", "3055.31", diff("43918.06", "40862.75"))
    ok("工伤收入减少", "820.82", diff("18126.44", "17305.62"))
    ok("失业可支付月数", "58.4", months("98983.66", "20342.19"))
    ok("养老累计结余增加", "16145.41", total("3321.28", "12824.13"))


def check_xuanhan() -> None:
    ok("合计收入", "59480", total("35862", "23618"))
    ok("合计支出", "55313", total("34927", "20386"))
    ok("合计结余", "4167", diff("59480", "55313"))
    ok("合计滚存", "30904", total("6254", "24650"))
    ok("机关养老收入完成率", "98.25", rate("35862", "36500"))
    ok("机关养老收入其中", "35862", total("20118", "15604", "140"))
    ok("机关养老增长", "9.67", yoy_p("34927", "31846"))
    ok("机关养老支出完成率", "98.66", rate("34927", "35400"))
    ok("抚养比", "1.58", div(iv("11236"), iv("7120")))
    ok("机关养老结余", "935", diff("35862", "34927"))
    ok("机关养老可支付月数", "2.1", months("6254", "34927"))
    ok("居民养老收入其中", "23618", total("5426", "16935", "1257"))
    ok("居民养老缴费下降", "-3.8", yoy_p("5426", "5640"))
    ok("居民养老支出其中", "20386", total("17512", "2497", "377"))
    ok("居民养老结余", "3232", diff("23618", "20386"))
    ok("居民养老可支付月数", "14.5", months("24650", "20386"))


CHECKS["wenjiang-2024"] = check_wenjiang
CHECKS["lishui-2022"] = check_lishui
CHECKS["xuanhan-2018"] = check_xuanhan


# --- tokens and facts must be printed in the report ------------------------------------------
_FW = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")


def report_text(gold: dict) -> str:
    """The report's text: .txt files as stored (gongyi-2019 is GB18030), built ones from build.py."""
    name = gold["report"]
    path = HERE / name
    if name.endswith(".txt"):
        raw = path.read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("gb18030")
    return _build().plain_text(Path(name).stem)


def has_number(token: str, hay: str) -> bool:
    """token occurs in hay, not as part of a longer number (as score.py counts it)."""
    for m in re.finditer(re.escape(token), hay):
        before = hay[m.start() - 1] if m.start() > 0 else ""
        after = hay[m.end(): m.end() + 2]
        if before and (before.isdigit() or before in ".,"):
            continue
        if after[:1].isdigit() or (after[:1] in ".," and after[1:2].isdigit()):
            continue
        return True
    return False


def _renderings(value: float) -> set[str]:
    d = abs(D(str(value)))
    out = set()
    for x in (d, d / 10000):  # 万元 / 人 as printed, or 亿元 / 万人
        for q in ("1", "0.1", "0.01"):
            r = x.quantize(D(q))
            if r == x:
                out.add(str(r))
        if x == x.to_integral_value():
            out.add(str(int(x)))
    return out


def check_printed(gold: dict) -> None:
    text = report_text(gold)
    flat = text.translate(_FW).replace(",", "")
    for g in gold.get("findings", []) + gold.get("optional", []):
        for t in g["tokens"]:
            assert has_number(t, text) if re.search(r"\d", t) else t in text, f"{gold['report']}: token {t!r}"
    for t in gold.get("clean", []):
        # a clean figure may be listed as printed (９７．９６％) and in ASCII, as an extractor may quote it
        assert has_number(t.translate(_FW), text.translate(_FW)), f"{gold['report']}: clean {t!r} not printed"
    for f in gold["facts"]:
        printed = any(has_number(r, flat) for r in _renderings(f["value"]))
        assert printed, f"{gold['report']}: fact {f} not printed"
    for ind in gold.get("indicators", []):
        for key in ("name", "target", "actual"):
            assert re.sub(r"\s", "", ind[key]) in re.sub(r"\s", "", text), f"{gold['report']}: {ind}"


def main() -> None:
    golds = sorted(HERE.glob("*.gold.yaml"))
    assert len(golds) == 8, golds
    for g in golds:
        gold = yaml.safe_load(g.read_text(encoding="utf-8"))
        assert gold["report"].startswith(g.name.removesuffix(".gold.yaml")), g
        assert set(gold) >= {"report", "region", "year", "facts", "findings", "clean"}, g
        CHECKS[g.name.removesuffix(".gold.yaml")]()
        check_printed(gold)
        print(f"{gold['report']}: {len(gold['facts'])} facts, {len(gold.get('indicators', []))} indicators, "
              f"{len(gold['findings'])} findings, {len(gold['clean'])} clean — ok")


if __name__ == "__main__":
    main()
