
"""Author A3's built report of blind9, from Python data (deterministic: same data, same text).

- pidu-2024.docx: 成都市郫都区2024年度社会保险基金绩效自评报告 (四川成都), by the 区人力资源和社会保障局.
  Two district-managed funds (机关事业单位基本养老保险, 城乡居民基本养老保险), each told in prose that refers
  back to the fund as 该基金/这部分基金 and in a three-year Word table (2022年/2023年决算数, 2024年预算数/执行数/
  执行进度, 2024年较2023年 增减额/增减%) under merged header cells; a Word table of people 2022–2024; a 存在的
  问题 section restating figures; the 绩效自评表 as one Word grid with merged cells; a page footer.
  Planted: the 机关养老 2024 年末滚存结余 does not roll forward (PLANTED_IP_ROLL), and the 城乡居民养老
  待遇享受人数 97,386 against a target of ≥98,000 is declared met and scored in full.

hebi-2023 is a committed .txt (not built here). Every figure below the amounts is computed from them
(half-up: amounts and rates to 2 decimals, months to 1). a3_key_checks.py reads this data, so the key and
the document cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

D = Decimal
PD = "pidu-2024"
YEARS = ("2022", "2023", "2024")


def q2(x: Decimal | str) -> Decimal:
    return D(x).quantize(D("0.01"), ROUND_HALF_UP)


def wan(x: Decimal | str) -> str:
    """12345.6 -> '12,345.60'."""
    return f"{q2(x):,.2f}"


def pct(a: Decimal | str, b: Decimal | str) -> str:
    return f"{q2(D(a) / D(b) * 100):.2f}"


def mon(balance: Decimal | str, expenditure: Decimal | str) -> str:
    return str((D(balance) / (D(expenditure) / 12)).quantize(D("0.1"), ROUND_HALF_UP))


# ---------------------------------------------------------------------------- data (万元, by year)
# fund → rows (label, kind, {year: amount}); kind: "in"/"out" a part of income/expenditure
IP = "机关事业单位基本养老保险基金"
RP = "城乡居民基本养老保险基金"
FUNDS: dict[str, dict] = {
    IP: {
        "short": "机关养老",
        "income": [
            ("养老保险费收入", {"2022": "30214.75", "2023": "31906.40", "2024": "33518.62"}),
            ("财政补助收入", {"2022": "20400.00", "2023": "21850.00", "2024": "23160.00"}),
            ("利息收入", {"2022": "101.64", "2023": "92.17", "2024": "86.35"}),
            ("转移收入", {"2022": "188.20", "2023": "246.90", "2024": "312.48"}),
        ],
        "expend": [
            ("基本养老金支出", {"2022": "50036.52", "2023": "53118.29", "2024": "56203.87"}),
            ("转移支出", {"2022": "152.76", "2023": "198.34", "2024": "285.16"}),
        ],
        "budget_income": ["33800.00", "23400.00", "100.00", "300.00"],
        "budget_expend": ["56900.00", "300.00"],
        "roll_2021": "8368.00",
    },
    RP: {
        "short": "居民养老",
        "income": [
            ("个人缴费收入", {"2022": "8935.18", "2023": "9412.30", "2024": "9826.45"}),
            ("财政补贴收入", {"2022": "21904.25", "2023": "23065.40", "2024": "24318.70"}),
            ("利息收入", {"2022": "2846.93", "2023": "2987.66", "2024": "3105.22"}),
        ],
        "expend": [
            ("基础养老金支出", {"2022": "26315.80", "2023": "28016.35", "2024": "29874.60"}),
            ("个人账户养老金支出", {"2022": "3516.44", "2023": "3874.92", "2024": "4215.38"}),
            ("丧葬补助金支出", {"2022": "540.50", "2023": "587.00", "2024": "612.50"}),
        ],
        "budget_income": ["9600.00", "24100.00", "3100.00"],
        "budget_expend": ["30100.00", "4300.00", "600.00"],
        "roll_2021": "132125.60",
    },
}
# Planted: the 机关养老 2024 年末滚存结余 as printed (the true roll-forward is 10,450.57: two digits swapped)
PLANTED_IP_ROLL = "10540.57"
# people (人): 机关养老 在职缴费/退休, 居民养老 参保/领取待遇
PEOPLE = {
    "ip_contributors": {"2022": 12530, "2023": 12695, "2024": 12840},
    "ip_retirees": {"2022": 6502, "2023": 6874, "2024": 7215},
    "rp_insured": {"2022": 279305, "2023": 281920, "2024": 283650},
    "rp_beneficiaries": {"2022": 92764, "2023": 95108, "2024": 97386},
}
RP_BENEFICIARY_TARGET = 98000  # declared met although 97,386 < 98,000
SATISFACTION = "94.2"


def numbers(fund: str) -> dict[str, dict[str, str]]:
    """Per fund, per year: totals, balances and rolling balances (万元, as Decimal strings), budgets."""
    f = FUNDS[fund]
    n: dict[str, dict[str, str]] = {}
    roll = D(f["roll_2021"])
    for yr in YEARS:
        inc = sum((D(v[yr]) for _, v in f["income"]), D(0))
        out = sum((D(v[yr]) for _, v in f["expend"]), D(0))
        roll += inc - out
        n[yr] = {"inc": str(inc), "out": str(out), "bal": str(inc - out), "roll": str(roll)}
    n["2024"]["roll_true"] = n["2024"]["roll"]
    if fund == IP:
        n["2024"]["roll"] = PLANTED_IP_ROLL
    b_in = sum((D(x) for x in f["budget_income"]), D(0))
    b_out = sum((D(x) for x in f["budget_expend"]), D(0))
    n["budget"] = {"inc": str(b_in), "out": str(b_out), "bal": str(b_in - b_out),
                   "roll": str(D(n["2023"]["roll"]) + b_in - b_out)}
    return n


def fund_rows(fund: str) -> list[list[str]]:
    """The body rows of a fund's three-year table: 项目, 2022, 2023, 预算, 执行, 执行进度, 增减额, 增减%."""
    f, n = FUNDS[fund], numbers(fund)

    def row(label: str, vals: dict[str, str], budget: str, progress: bool = True) -> list[str]:
        cur, pri = D(vals["2024"]), D(vals["2023"])
        ch = cur - pri
        return [label, wan(vals["2022"]), wan(vals["2023"]), wan(budget), wan(cur),
                pct(cur, budget) if progress else "—", wan(ch), pct(ch, pri)]

    tot = {k: {yr: n[yr][k] for yr in YEARS} for k in ("inc", "out", "bal", "roll")}
    rows = [row("一、基金收入", tot["inc"], n["budget"]["inc"])]
    rows += [row(f"其中：{nm}" if i == 0 else f"　　　{nm}", v, b)
             for i, ((nm, v), b) in enumerate(zip(f["income"], f["budget_income"], strict=True))]
    rows.append(row("二、基金支出", tot["out"], n["budget"]["out"]))
    rows += [row(f"其中：{nm}" if i == 0 else f"　　　{nm}", v, b)
             for i, ((nm, v), b) in enumerate(zip(f["expend"], f["budget_expend"], strict=True))]
    rows.append(row("三、当年收支结余", tot["bal"], n["budget"]["bal"], progress=False))
    rows.append(row("四、年末滚存结余", tot["roll"], n["budget"]["roll"], progress=False))
    return rows


def people_rows() -> list[list[str]]:
    labels = [("ip_contributors", "机关事业单位养老保险在职缴费人数"), ("ip_retirees", "机关事业单位养老保险退休人数"),
              ("rp_insured", "城乡居民养老保险参保人数"), ("rp_beneficiaries", "城乡居民养老保险领取待遇人数")]
    rows = []
    for key, label in labels:
        v = PEOPLE[key]
        ch = v["2024"] - v["2023"]
        rows.append([label, f"{v['2022']:,}", f"{v['2023']:,}", f"{v['2024']:,}", f"{ch:+,}"])
    return rows


def totals() -> dict[str, str]:
    """The two funds together (2024, 2023 and the 2024 budgets), and the derived figures the text prints."""
    a, b = numbers(IP), numbers(RP)
    t: dict[str, str] = {}
    for k in ("inc", "out", "bal", "roll"):
        t[k] = str(D(a["2024"][k]) + D(b["2024"][k]))
        t[f"{k}_prior"] = str(D(a["2023"][k]) + D(b["2023"][k]))
        t[f"{k}_budget"] = str(D(a["budget"][k]) + D(b["budget"][k]))
    t["inc_rate"] = pct(t["inc"], t["inc_budget"])
    t["out_rate"] = pct(t["out"], t["out_budget"])
    t["inc_change"] = str(D(t["inc"]) - D(t["inc_prior"]))
    t["out_change"] = str(D(t["out"]) - D(t["out_prior"]))
    t["inc_yoy"] = pct(t["inc_change"], t["inc_prior"])
    t["out_yoy"] = pct(t["out_change"], t["out_prior"])
    t["roll_yi"] = str((D(t["roll"]) / 10000).quantize(D("0.01"), ROUND_HALF_UP))
    t["exec_score"] = str((D(t["out_rate"]) / 10).quantize(D("0.01"), ROUND_HALF_UP))
    return t


def kpi() -> list[tuple[str, str, str, str, str, str, str, str]]:
    """自评表 rows: 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因."""
    t, b = totals(), numbers(RP)
    p = PEOPLE
    return [
        ("产出指标", "数量指标", "保障机关事业单位基本养老保险退休待遇享受人数", "≥7,200人",
         f"{p['ip_retirees']['2024']:,}人", "10", "10", "无"),
        ("产出指标", "数量指标", "保障城乡居民基本养老保险待遇享受人数", f"≥{RP_BENEFICIARY_TARGET:,}人",
         f"{p['rp_beneficiaries']['2024']:,}人", "10", "10", "无"),
        ("产出指标", "质量指标", "各项社会保险待遇发放准确率", "≥99%", "100%", "10", "10", "无"),
        ("产出指标", "时效指标", "养老金按月足额发放", "每月10日前", "每月10日前", "10", "10", "无"),
        ("产出指标", "成本指标", "基金支出预算完成率", "≥95%且≤105%", f"{t['out_rate']}%", "10", "10", "无"),
        ("效益指标", "社会效益指标", "城乡居民基本养老保险参保人数", "≥28万人", f"{p['rp_insured']['2024']:,}人",
         "10", "10", "无"),
        ("效益指标", "可持续影响指标", "城乡居民养老保险基金累计结余可支付月数", "≥24个月",
         f"{mon(b['2024']['roll'], b['2024']['out'])}个月", "10", "10", "无"),
        ("效益指标", "可持续影响指标", "违规使用基金", "0起", "0起", "10", "10", "无"),
        ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", f"{SATISFACTION}%", "10", "10", "无"),
    ]


def score() -> str:
    return str(D(totals()["exec_score"]) + sum((D(r[6]) for r in kpi()), D(0)))


def derived() -> dict[str, str]:
    """The figures the prose and 存在的问题 print, each computed from the data."""
    a, b = numbers(IP), numbers(RP)
    fa, fb = {nm: v for nm, v in FUNDS[IP]["income"]}, {nm: v for nm, v in FUNDS[RP]["income"]}
    ea, eb = {nm: v for nm, v in FUNDS[IP]["expend"]}, {nm: v for nm, v in FUNDS[RP]["expend"]}
    p = PEOPLE
    d = {
        "ip_con_share": pct(fa["养老保险费收入"]["2024"], a["2024"]["inc"]),
        "ip_sub_share": pct(fa["财政补助收入"]["2024"], a["2024"]["inc"]),
        "ip_cover": pct(fa["养老保险费收入"]["2024"], a["2024"]["out"]),
        "ip_months": mon(a["2024"]["roll"], a["2024"]["out"]),
        "ip_dep": str((D(p["ip_contributors"]["2024"]) / p["ip_retirees"]["2024"]).quantize(D("0.01"), ROUND_HALF_UP)),
        "ip_dep_prior": str((D(p["ip_contributors"]["2023"]) / p["ip_retirees"]["2023"]).quantize(D("0.01"),
                                                                                               ROUND_HALF_UP)),
        "ip_pension_share": pct(ea["基本养老金支出"]["2024"], a["2024"]["out"]),
        "rp_sub_share": pct(fb["财政补贴收入"]["2024"], b["2024"]["inc"]),
        "rp_base_share": pct(eb["基础养老金支出"]["2024"], b["2024"]["out"]),
        "rp_months": mon(b["2024"]["roll"], b["2024"]["out"]),
        "rp_inc_yoy": pct(D(b["2024"]["inc"]) - D(b["2023"]["inc"]), b["2023"]["inc"]),
        "rp_out_yoy": pct(D(b["2024"]["out"]) - D(b["2023"]["out"]), b["2023"]["out"]),
        "rp_ben_change": f"{p['rp_beneficiaries']['2024'] - p['rp_beneficiaries']['2023']:,}",
    }
    return d


# ---------------------------------------------------------------------------- document


def _fonts(doc) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(12)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for name in ("Heading 1", "Heading 2", "Title"):
        doc.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Sans CJK SC")


def _table(doc, nrows: int, ncols: int, cells: list[tuple[int, int, int, int, str]], size: float = 9):
    """A grid whose cells are (r0, c0, r1, c1, text) spans: merged first, text set once per span."""
    t = doc.add_table(rows=nrows, cols=ncols)
    t.style = "Table Grid"
    for r0, c0, r1, c1, text in cells:
        cell = t.cell(r0, c0)
        if (r1, c1) != (r0, c0):
            cell = cell.merge(t.cell(r1, c1))
        cell.text = text
        for par in cell.paragraphs:
            for run in par.runs:
                run.font.size = Pt(size)
    return t


def _fund_table(doc, fund: str) -> None:
    body = fund_rows(fund)
    cells = [
        (0, 0, 1, 0, "项目"), (0, 1, 0, 2, "决算数"), (0, 3, 0, 5, "2024年"), (0, 6, 0, 7, "2024年较2023年"),
        (1, 1, 1, 1, "2022年"), (1, 2, 1, 2, "2023年"), (1, 3, 1, 3, "预算数"), (1, 4, 1, 4, "执行数"),
        (1, 5, 1, 5, "执行进度（%）"), (1, 6, 1, 6, "增减额"), (1, 7, 1, 7, "增减（%）"),
    ]
    for i, r in enumerate(body):
        cells += [(i + 2, j, i + 2, j, text) for j, text in enumerate(r)]
    _table(doc, len(body) + 2, 8, cells)


def _people_table(doc) -> None:
    body = people_rows()
    cells = [(0, 0, 1, 0, "项目"), (0, 1, 0, 3, "年末人数"), (0, 4, 1, 4, "2024年较上年增减"),
             (1, 1, 1, 1, "2022年"), (1, 2, 1, 2, "2023年"), (1, 3, 1, 3, "2024年")]
    for i, r in enumerate(body):
        cells += [(i + 2, j, i + 2, j, text) for j, text in enumerate(r)]
    _table(doc, len(body) + 2, 5, cells)


def _kpi_table(doc) -> None:
    t = totals()
    rows = kpi()
    cells: list[tuple[int, int, int, int, str]] = [
        (0, 0, 0, 7, "2024年度社会保险基金预算绩效自评表"),
        (1, 0, 1, 1, "项目名称"), (1, 2, 1, 7, "社会保险基金（机关事业单位基本养老保险基金、城乡居民基本养老保险基金）"),
        (2, 0, 2, 1, "主管部门"), (2, 2, 2, 4, "成都市郫都区人力资源和社会保障局"),
        (2, 5, 2, 5, "实施单位"), (2, 6, 2, 7, "成都市郫都区社会保险事业管理局"),
        (3, 0, 4, 0, "预算资金（万元）"), (3, 1, 3, 2, ""), (3, 3, 3, 3, "年初预算数"), (3, 4, 3, 4, "全年执行数"),
        (3, 5, 3, 5, "分值"), (3, 6, 3, 6, "执行率"), (3, 7, 3, 7, "得分"),
        (4, 1, 4, 2, "年度基金支出总额"), (4, 3, 4, 3, wan(t["out_budget"])), (4, 4, 4, 4, wan(t["out"])),
        (4, 5, 4, 5, "10"), (4, 6, 4, 6, f"{t['out_rate']}%"), (4, 7, 4, 7, t["exec_score"]),
        (5, 0, 5, 0, "年度总体目标"),
        (5, 1, 5, 7, "按时足额发放两项养老保险待遇，基金收支平衡、略有结余；扩大城乡居民养老保险覆盖面；"
                     "加强基金风险防控，杜绝违规使用基金，提高参保群众满意度。"),
        (6, 0, 6, 0, "一级指标"), (6, 1, 6, 1, "二级指标"), (6, 2, 6, 2, "三级指标"), (6, 3, 6, 3, "年度指标值"),
        (6, 4, 6, 4, "实际完成值"), (6, 5, 6, 5, "分值"), (6, 6, 6, 6, "得分"), (6, 7, 6, 7, "偏差原因分析及改进措施"),
    ]
    first = 7
    for i, r in enumerate(rows):
        cells += [(first + i, c, first + i, c, r[c]) for c in range(2, 8)]
    for col in (0, 1):  # vertical merges of equal consecutive 一级/二级 labels
        i = 0
        while i < len(rows):
            j = i
            while j + 1 < len(rows) and rows[j + 1][col] == rows[i][col] and rows[j + 1][0] == rows[i][0]:
                j += 1
            cells.append((first + i, col, first + j, col, rows[i][col]))
            i = j + 1
    last = first + len(rows)
    weight = str(10 + sum(int(r[5]) for r in rows))
    cells += [(last, 0, last, 4, "总分"), (last, 5, last, 5, weight), (last, 6, last, 6, score()),
              (last, 7, last, 7, "自评等级：优")]
    _table(doc, last + 1, 8, cells, size=8.5)


def paragraphs() -> list[tuple[str, str]]:
    a, b, t, d = numbers(IP), numbers(RP), totals(), derived()
    ia, ib = dict(FUNDS[IP]["income"]), dict(FUNDS[RP]["income"])
    ea, eb = dict(FUNDS[IP]["expend"]), dict(FUNDS[RP]["expend"])
    p = PEOPLE
    A4, A3, B4, B3 = a["2024"], a["2023"], b["2024"], b["2023"]

    def ch(cur: str, pri: str) -> str:
        return wan(D(cur) - D(pri))

    def yoy(cur: str, pri: str) -> str:
        return pct(D(cur) - D(pri), pri)

    return [
        ("title", "成都市郫都区2024年度社会保险基金绩效自评报告"),
        ("center", "成都市郫都区人力资源和社会保障局"),
        ("center", "2025年3月"),
        ("p", "根据《社会保险基金预算绩效管理办法》和成都市财政局、成都市人力资源和社会保障局关于开展2024年度社会保险基金"
              "预算绩效自评工作的通知要求，我局会同区财政局、区社会保险事业管理局，对区级管理的机关事业单位基本养老保险基金和"
              "城乡居民基本养老保险基金2024年度预算执行及绩效目标完成情况进行了自评。现将自评情况报告如下。"),
        ("h", "一、基本情况"),
        ("h2", "（一）基金总体情况"),
        ("p", f"2024年，全区两项养老保险基金收入合计{wan(t['inc'])}万元，完成年初预算{wan(t['inc_budget'])}万元的"
              f"{t['inc_rate']}%，较上年增加{wan(t['inc_change'])}万元，增长{t['inc_yoy']}%；基金支出合计{wan(t['out'])}万元，"
              f"完成年初预算{wan(t['out_budget'])}万元的{t['out_rate']}%，较上年多支{wan(t['out_change'])}万元，增幅"
              f"{t['out_yoy']}%。收支相抵，当年收支结余{wan(t['bal'])}万元，年末滚存结余{wan(t['roll'])}万元。"),
        ("h2", "（二）绩效目标设定情况"),
        ("p", f"年初随基金预算设定的绩效目标为：1.按时足额发放机关事业单位退休人员基本养老金，保障退休待遇享受人数7,200人以上；"
              f"2.城乡居民基本养老保险待遇享受人数达到{RP_BENEFICIARY_TARGET:,}人以上，参保人数稳定在28万人以上；"
              f"3.各项待遇发放准确率99%以上，养老金每月10日前发放到位；4.基金支出预算完成率控制在95%至105%之间；"
              f"5.城乡居民养老保险基金累计结余可支付月数不低于24个月，不发生违规使用基金问题；6.参保群众满意度90%以上。"),
        ("h", "二、基金预算执行情况"),
        ("h2", "（一）机关事业单位基本养老保险基金"),
        ("p", f"1.基金收入。2024年机关事业单位基本养老保险基金收入{wan(A4['inc'])}万元，完成年初预算"
              f"{wan(a['budget']['inc'])}万元的{pct(A4['inc'], a['budget']['inc'])}%，较上年增加{ch(A4['inc'], A3['inc'])}"
              f"万元，增长{yoy(A4['inc'], A3['inc'])}%。其中：养老保险费收入{wan(ia['养老保险费收入']['2024'])}万元，占该基金"
              f"收入的{d['ip_con_share']}%；财政补助收入{wan(ia['财政补助收入']['2024'])}万元，占{d['ip_sub_share']}%，这部分"
              f"资金主要用于弥补当期缴费收入不足；利息收入{wan(ia['利息收入']['2024'])}万元；转移收入"
              f"{wan(ia['转移收入']['2024'])}万元。"),
        ("p", f"2.基金支出。该基金全年支出{wan(A4['out'])}万元，完成年初预算{wan(a['budget']['out'])}万元的"
              f"{pct(A4['out'], a['budget']['out'])}%，比上年多支{ch(A4['out'], A3['out'])}万元，增长"
              f"{yoy(A4['out'], A3['out'])}%。其中：基本养老金支出{wan(ea['基本养老金支出']['2024'])}万元，占基金支出的"
              f"{d['ip_pension_share']}%，主要是退休人员增加{p['ip_retirees']['2024'] - p['ip_retirees']['2023']:,}人及"
              f"基本养老金标准调整；转移支出{wan(ea['转移支出']['2024'])}万元。"),
        ("p", f"3.基金结余。该基金当年收支结余{wan(A4['bal'])}万元，比上年减少{ch(A3['bal'], A4['bal'])}万元；年末滚存结余"
              f"{wan(A4['roll'])}万元，按当年支出水平可支付{d['ip_months']}个月。2022—2024年收支情况见表1。"),
        ("caption", "表1 机关事业单位基本养老保险基金收支情况（2022—2024年）　　单位：万元"),
        ("table", IP),
        ("h2", "（二）城乡居民基本养老保险基金"),
        ("p", f"1.基金收入。城乡居民基本养老保险基金全年收入{wan(B4['inc'])}万元，完成预算的"
              f"{pct(B4['inc'], b['budget']['inc'])}%，较上年增加{ch(B4['inc'], B3['inc'])}万元，同比增长"
              f"{yoy(B4['inc'], B3['inc'])}%。其中：个人缴费收入{wan(ib['个人缴费收入']['2024'])}万元，较上年增加"
              f"{ch(ib['个人缴费收入']['2024'], ib['个人缴费收入']['2023'])}万元；各级财政补贴收入"
              f"{wan(ib['财政补贴收入']['2024'])}万元，占该基金收入的比重为{d['rp_sub_share']}%；利息收入"
              f"{wan(ib['利息收入']['2024'])}万元。"),
        ("p", f"2.基金支出。该基金支出{wan(B4['out'])}万元，执行进度{pct(B4['out'], b['budget']['out'])}%，比上年多支"
              f"{ch(B4['out'], B3['out'])}万元，增幅{yoy(B4['out'], B3['out'])}%。其中：基础养老金支出"
              f"{wan(eb['基础养老金支出']['2024'])}万元，占基金支出的{d['rp_base_share']}%；个人账户养老金支出"
              f"{wan(eb['个人账户养老金支出']['2024'])}万元；丧葬补助金支出{wan(eb['丧葬补助金支出']['2024'])}万元。"),
        ("p", f"3.基金结余。当年收支结余{wan(B4['bal'])}万元，较上年减少{ch(B3['bal'], B4['bal'])}万元；年末滚存结余"
              f"{wan(B4['roll'])}万元，这部分基金按当年支出水平可支付{d['rp_months']}个月。收支情况见表2。"),
        ("caption", "表2 城乡居民基本养老保险基金收支情况（2022—2024年）　　单位：万元"),
        ("table", RP),
        ("h2", "（三）参保及待遇享受情况"),
        ("p", f"2024年末，机关事业单位养老保险在职缴费{p['ip_contributors']['2024']:,}人，退休{p['ip_retirees']['2024']:,}人，"
              f"抚养比为{d['ip_dep']}:1；城乡居民养老保险参保{p['rp_insured']['2024']:,}人，领取待遇"
              f"{p['rp_beneficiaries']['2024']:,}人，较上年增加{d['rp_ben_change']}人。近三年人数见表3。"),
        ("caption", "表3 两项养老保险参保及待遇享受人数（2022—2024年）　　单位：人"),
        ("people", ""),
        ("h", "三、绩效目标完成情况"),
        ("p", f"（一）产出指标。机关事业单位养老保险退休待遇享受{p['ip_retirees']['2024']:,}人，完成7,200人以上的目标；"
              f"城乡居民养老保险待遇享受{p['rp_beneficiaries']['2024']:,}人，完成年度目标。全年各项待遇发放准确率100%，"
              f"养老金均于每月10日前发放到位。两项基金支出预算完成率{t['out_rate']}%，在95%至105%的目标区间内。"),
        ("p", f"（二）效益指标。城乡居民养老保险参保{p['rp_insured']['2024']:,}人，稳定在28万人以上；该基金累计结余可支付"
              f"{d['rp_months']}个月，高于24个月的目标；全年未发生违规使用基金问题。"),
        ("p", f"（三）满意度指标。通过电话回访和经办大厅问卷调查，参保群众满意度为{SATISFACTION}%，高于90%的目标。"),
        ("p", f"经逐项对照，2024年度绩效自评得分{score()}分，其中预算执行率得分{t['exec_score']}分，自评等级为“优”，"
              f"各项绩效指标均已完成。"),
        ("h", "四、存在的问题"),
        ("p", f"（一）机关事业单位养老保险基金对财政补助依赖度高。2024年该基金养老保险费收入{wan(ia['养老保险费收入']['2024'])}"
              f"万元，仅能覆盖基金支出的{d['ip_cover']}%，财政补助收入占基金收入的{d['ip_sub_share']}%；抚养比由上年的"
              f"{d['ip_dep_prior']}:1下降到{d['ip_dep']}:1，年末滚存结余{wan(A4['roll'])}万元仅可支付{d['ip_months']}个月，"
              f"支付压力逐年加大。"),
        ("p", f"（二）城乡居民养老保险基金支出增速快于收入。这部分基金支出增长{d['rp_out_yoy']}%，高于收入增长"
              f"{d['rp_inc_yoy']}%，当年结余{wan(B4['bal'])}万元，连续两年减少；全区两项基金年末滚存结余{t['roll_yi']}亿元，"
              f"以活期存款和一年期定期存款为主，保值增值能力不足。"),
        ("p", "（三）多缴多得激励不足。城乡居民参保人员选择最低缴费档次的比例仍然偏高，个人账户积累偏少，待遇水平提升缓慢。"),
        ("h", "五、下一步工作"),
        ("p", "一是继续做好机关事业单位养老保险基金征缴和财政补助资金保障，确保待遇按时足额发放；二是加大城乡居民养老保险"
              "政策宣传，引导参保人员选择较高缴费档次；三是落实基金运行风险评估和预警机制，定期开展待遇领取资格认证和疑点数据"
              "比对，防范重复领取、死亡冒领等风险；四是将本次自评结果应用于2026年基金预算编制。"),
        ("p", "附件：2024年度社会保险基金预算绩效自评表"),
        ("kpi", ""),
        ("footer", "成都市郫都区人力资源和社会保障局　2024年度社会保险基金绩效自评报告"),
    ]


def _page_number(par) -> None:
    """Append ' 第 N 页' with a PAGE field to a footer paragraph."""
    par.add_run("　第 ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    par._p.append(fld)
    par.add_run(" 页")


def build_pidu(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    for kind, text in paragraphs():
        if kind == "title":
            par = doc.add_paragraph()
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = par.add_run(text)
            run.bold, run.font.size = True, Pt(18)
        elif kind == "center":
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h":
            doc.add_heading(text, level=1)
        elif kind == "h2":
            doc.add_heading(text, level=2)
        elif kind == "caption":
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            _fund_table(doc, text)
        elif kind == "people":
            _people_table(doc)
        elif kind == "kpi":
            _kpi_table(doc)
        elif kind == "footer":
            foot = sec.footer.paragraphs[0]
            foot.text = text
            foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _page_number(foot)
        else:
            par = doc.add_paragraph(text)
            par.paragraph_format.first_line_indent = Pt(24)
    stamp = datetime(2025, 3, 20, 9, 0, 0)  # fixed properties: no build date inside the document
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.author = doc.core_properties.last_modified_by = "郫都区人力资源和社会保障局"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def docx_sources(out: Path) -> dict[str, Path]:
    """A3's built report as the .docx it is written as, by stem."""
    return {PD: build_pidu(Path(out) / f"{PD}.docx")}


def build_reports(out: Path, with_pdf: bool) -> list[Path]:
    """Write pidu-2024.docx into out (a DOCX report: with_pdf changes nothing)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [build_pidu(out / f"{PD}.docx")]


if __name__ == "__main__":
    import sys

    print(*build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build"), with_pdf=False), sep="\n")
