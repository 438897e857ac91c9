"""Author A2's two built reports of blind8, from Python data (deterministic: same data, same text).

- wugong-2023.docx: 武功县2023年度城乡居民基本医疗保险财政补助资金绩效自评报告 (陕西咸阳). Prose with a
  资金到位 Word table (by level), a 基金收支 Word table (预算/执行/上年), and the 项目支出绩效自评表 as one
  Word grid with merged cells. Planted: the 县级配套 到位率 (PLANTED_COUNTY_RATE) and the 住院费用基金支付比例
  declared met although it misses ≥70%.
- banan-2022.pdf: 重庆市巴南区2022年社会保险基金预算执行情况和绩效自评报告 (.docx → LibreOffice → .pdf).
  Overview in 亿元, six funds in 万元 prose, one Word table of 参保人数/可支付月数. Planted: the 居民医保
  收入占总收入比重 (PLANTED_RM_SHARE) and the 工伤 年末滚存结余 (PLANTED_WI_ROLLING ≠ 上年 + 当年结余).

Every other figure is computed here from the amounts below (rates half-up to 2 decimals, months to 1).
a2_key_checks.py reads these numbers so the keys and the documents cannot drift apart.
"""

from __future__ import annotations

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

D = Decimal
WG = "wugong-2023"
BN = "banan-2022"


def q2(x: Decimal) -> Decimal:
    return D(x).quantize(D("0.01"), ROUND_HALF_UP)


def wan(x: str | Decimal) -> str:
    """12345.6 -> '12,345.60'."""
    return f"{q2(D(x)):,.2f}"


def plain(x: str | Decimal) -> str:
    """12345.6 -> '12345.60' (no separators)."""
    return f"{q2(D(x)):.2f}"


def yi(x: str | Decimal) -> str:
    """万元 -> 亿元, 2 decimals."""
    return str((D(x) / 10000).quantize(D("0.01"), ROUND_HALF_UP))


def pct(a: str | Decimal, b: str | Decimal) -> str:
    return str((D(a) / D(b) * 100).quantize(D("0.01"), ROUND_HALF_UP))


def growth(cur: str | Decimal, prior: str | Decimal) -> str:
    return pct(D(cur) - D(prior), prior)


def mon(balance: str | Decimal, expenditure: str | Decimal) -> str:
    return str((D(balance) / (D(expenditure) / 12)).quantize(D("0.1"), ROUND_HALF_UP))


def tot(*xs: str | Decimal) -> Decimal:
    return sum((D(x) for x in xs), D(0))


# ====================================================================== 武功县 2023 (陕西咸阳)
WG_INSURED = 352418
WG_STANDARD, WG_STANDARD_RISE, WG_PERSONAL = 640, 30, 380
WG_LEVELS = [  # 资金来源, 全年预算数, 实际到位数
    ("中央财政补助资金", "15788.33", "15788.33"),
    ("省级财政补助资金", "3383.21", "3383.21"),
    ("市级财政补助资金", "1127.74", "1127.74"),
    ("县级财政配套资金", "2255.47", "2040.00"),
]
PLANTED_COUNTY_RATE = "95.40"  # 2040.00 / 2255.47 = 90.45%
WG_SUB_BUDGET_INITIAL = "22400.00"
# fund items: name, 年初预算数, 2023年执行数, 2022年执行数
WG_INCOME = [
    ("个人缴费收入", "13604.75", "13391.88", "12870.30"),
    ("财政补助收入", WG_SUB_BUDGET_INITIAL, None, "21403.50"),  # actual = the subsidy in place
    ("利息收入", "150.00", "156.42", "271.85"),
    ("其他收入", "45.25", "48.37", "67.15"),
]
WG_EXPEND = [
    ("医疗待遇支出", "33900.00", "33402.16", "31350.25"),
    ("大病保险支出", "2100.00", "2114.50", "1937.20"),
]
WG_PRIOR_ROLLING = "18604.37"
WG_AIDED, WG_AID_AMOUNT = 21536, "612.40"
WG_INPATIENT, WG_OUTPATIENT = "4.86", "61.3"  # 万人次
WG_INPATIENT_RATIO = "68.72"  # 政策范围内住院费用基金支付比例 %, declared met against ≥70%


def wg_numbers() -> dict[str, str]:
    n: dict[str, str] = {}
    n["sub_budget"] = str(tot(*(b for _, b, _ in WG_LEVELS)))
    n["sub_actual"] = str(tot(*(a for _, _, a in WG_LEVELS)))
    n["sub_rate"] = pct(n["sub_actual"], n["sub_budget"])
    n["county_gap"] = str(D(WG_LEVELS[3][1]) - D(WG_LEVELS[3][2]))
    n["county_rate_true"] = pct(WG_LEVELS[3][2], WG_LEVELS[3][1])
    n["sub_total_check"] = str(q2(D(WG_INSURED) * WG_STANDARD / 10000))
    inc = [(nm, b, a if a is not None else n["sub_actual"], p) for nm, b, a, p in WG_INCOME]
    for key, rows in (("in", inc), ("out", WG_EXPEND)):
        n[f"{key}_budget"] = str(tot(*(r[1] for r in rows)))
        n[f"{key}_actual"] = str(tot(*(r[2] for r in rows)))
        n[f"{key}_prior"] = str(tot(*(r[3] for r in rows)))
        n[f"{key}_rate"] = pct(n[f"{key}_actual"], n[f"{key}_budget"])
        n[f"{key}_change"] = str(D(n[f"{key}_actual"]) - D(n[f"{key}_prior"]))
        n[f"{key}_yoy"] = growth(n[f"{key}_actual"], n[f"{key}_prior"])
    n["bal_budget"] = str(D(n["in_budget"]) - D(n["out_budget"]))
    n["bal"] = str(D(n["in_actual"]) - D(n["out_actual"]))
    n["bal_prior"] = str(D(n["in_prior"]) - D(n["out_prior"]))
    n["bal_change"] = str(D(n["bal"]) - D(n["bal_prior"]))
    n["roll"] = str(D(WG_PRIOR_ROLLING) + D(n["bal"]))
    n["roll_budget"] = str(D(WG_PRIOR_ROLLING) + D(n["bal_budget"]))
    n["roll_prior_prior"] = str(D(WG_PRIOR_ROLLING) - D(n["bal_prior"]))
    n["months"] = mon(n["roll"], n["out_actual"])
    n["sub_share"] = pct(n["sub_actual"], n["in_actual"])
    n["exec_score"] = str((D(n["sub_rate"]) / 10).quantize(D("0.01"), ROUND_HALF_UP))
    return n


def wg_fund_rows() -> list[list[str]]:
    """基金收支情况表: 项目, 年初预算数, 执行数, 上年执行数, 同比增减(%)."""
    n = wg_numbers()
    rows = [["项目", "2023年年初预算数", "2023年执行数", "2022年执行数", "同比增减（%）"]]
    rows.append(["一、基金收入", wan(n["in_budget"]), wan(n["in_actual"]), wan(n["in_prior"]), n["in_yoy"]])
    for nm, b, a, p in WG_INCOME:
        a = a if a is not None else n["sub_actual"]
        rows.append([f"  {nm}", wan(b), wan(a), wan(p), growth(a, p)])
    rows.append(["二、基金支出", wan(n["out_budget"]), wan(n["out_actual"]), wan(n["out_prior"]), n["out_yoy"]])
    for nm, b, a, p in WG_EXPEND:
        rows.append([f"  {nm}", wan(b), wan(a), wan(p), growth(a, p)])
    rows.append(["三、当年收支结余", wan(n["bal_budget"]), wan(n["bal"]), wan(n["bal_prior"]), "—"])
    rows.append(["四、年末滚存结余", wan(n["roll_budget"]), wan(n["roll"]), wan(WG_PRIOR_ROLLING), "—"])
    return rows


def wg_level_rows() -> list[list[str]]:
    n = wg_numbers()
    rows = [["资金来源", "全年预算数（万元）", "实际到位数（万元）", "到位率", "未到位数（万元）"]]
    for nm, b, a in WG_LEVELS:
        r = PLANTED_COUNTY_RATE if nm.startswith("县级") else pct(a, b)
        rows.append([nm, wan(b), wan(a), f"{r}%", wan(D(b) - D(a)) if D(b) != D(a) else "0"])
    rows.append(["合计", wan(n["sub_budget"]), wan(n["sub_actual"]), f"{n['sub_rate']}%", wan(n["county_gap"])])
    return rows


# 三级指标 rows: 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因
def wg_kpi() -> list[tuple[str, ...]]:
    n = wg_numbers()
    return [
        ("产出指标", "数量指标", "城乡居民医保参保人数", "≥35万人", f"{WG_INSURED:,}人", "10", "10", ""),
        ("产出指标", "数量指标", "资助困难群众参保人数", "≥2.1万人", f"{WG_AIDED:,}人", "10", "10", ""),
        ("产出指标", "质量指标", "财政补助资金到位率", "100%", f"{n['sub_rate']}%", "10", n["exec_score"],
         "县级配套资金未足额到位，已列入2024年预算"),
        ("产出指标", "质量指标", "政策范围内住院费用基金支付比例", "≥70%", f"{WG_INPATIENT_RATIO}%", "10", "10", ""),
        ("产出指标", "时效指标", "补助资金拨付及时率", "100%", "100%", "10", "10", ""),
        ("效益指标", "社会效益指标", "城乡居民医保参保率", "≥95%", "96.2%", "10", "10", ""),
        ("效益指标", "社会效益指标", "参保群众医疗费用负担", "有效减轻", "有效减轻", "10", "10", ""),
        ("效益指标", "可持续影响指标", "基金累计结余可支付月数", "≥6个月", f"{n['months']}个月", "10", "10", ""),
        ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", "93.5%", "10", "10", ""),
    ]


def wg_score() -> str:
    n = wg_numbers()
    return str(D(n["exec_score"]) + tot(*(r[6] for r in wg_kpi())))


def _fonts(doc, size: float = 12) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(size)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for name in ("Heading 1", "Heading 2", "Title"):
        with_style = doc.styles[name]
        with_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _a4(doc) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.2)


def _grid(doc, rows: list[list[str]], size: float = 9) -> None:
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = t.cell(i, j)
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(size)


def _merged_table(doc, nrows: int, ncols: int, cells: list[tuple[int, int, int, int, str]], size: float = 8.5):
    """A grid whose cells are (r0, c0, r1, c1, text) spans: merged first, text set once in the span."""
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


def wg_kpi_cells() -> tuple[int, list[tuple[int, int, int, int, str]]]:
    """The 自评表 as spans on an 8-column grid."""
    n = wg_numbers()
    cells: list[tuple[int, int, int, int, str]] = [
        (0, 0, 0, 7, "2023年度项目支出绩效自评表"),
        (1, 0, 1, 1, "项目名称"), (1, 2, 1, 7, "城乡居民基本医疗保险财政补助资金"),
        (2, 0, 2, 1, "主管部门"), (2, 2, 2, 4, "武功县医疗保障局"),
        (2, 5, 2, 5, "实施单位"), (2, 6, 2, 7, "武功县医疗保障经办中心"),
        (3, 0, 5, 0, "项目资金（万元）"), (3, 1, 3, 1, ""), (3, 2, 3, 2, "年初预算数"),
        (3, 3, 3, 3, "全年预算数"), (3, 4, 3, 4, "全年执行数"), (3, 5, 3, 5, "分值"), (3, 6, 3, 6, "执行率"),
        (3, 7, 3, 7, "得分"),
        (4, 1, 4, 1, "年度资金总额"), (4, 2, 4, 2, wan(WG_SUB_BUDGET_INITIAL)), (4, 3, 4, 3, wan(n["sub_budget"])),
        (4, 4, 4, 4, wan(n["sub_actual"])), (4, 5, 4, 5, "10"), (4, 6, 4, 6, f"{n['sub_rate']}%"),
        (4, 7, 4, 7, n["exec_score"]),
        (5, 1, 5, 1, "其中：财政拨款"), (5, 2, 5, 2, wan(WG_SUB_BUDGET_INITIAL)), (5, 3, 5, 3, wan(n["sub_budget"])),
        (5, 4, 5, 4, wan(n["sub_actual"])), (5, 5, 5, 5, "—"), (5, 6, 5, 6, f"{n['sub_rate']}%"),
        (5, 7, 5, 7, "—"),
        (6, 0, 6, 0, "年度总体目标"),
        (6, 1, 6, 7, "足额筹集并及时拨付城乡居民医保各级财政补助资金，人均财政补助标准达到640元；巩固参保覆盖面，"
                     "资助困难群众应保尽保；保障参保群众住院、门诊待遇，基金收支平衡、略有结余。"),
        (7, 0, 7, 0, "一级指标"), (7, 1, 7, 1, "二级指标"), (7, 2, 7, 2, "三级指标"), (7, 3, 7, 3, "年度指标值"),
        (7, 4, 7, 4, "实际完成值"), (7, 5, 7, 5, "分值"), (7, 6, 7, 6, "得分"), (7, 7, 7, 7, "偏差原因分析及改进措施"),
    ]
    kpi = wg_kpi()
    first = 8
    for i, r in enumerate(kpi):
        row = first + i
        for c in range(2, 8):
            cells.append((row, c, row, c, r[c]))
    for col in (0, 1):  # vertical merges of equal consecutive 一级/二级 labels
        i = 0
        while i < len(kpi):
            j = i
            while j + 1 < len(kpi) and kpi[j + 1][col] == kpi[i][col] and (col == 0 or kpi[j + 1][0] == kpi[i][0]):
                j += 1
            cells.append((first + i, col, first + j, col, kpi[i][col]))
            i = j + 1
    last = first + len(kpi)
    total_weight = str(10 + sum(int(r[5]) for r in kpi))
    cells += [(last, 0, last, 4, "总分"), (last, 5, last, 5, total_weight), (last, 6, last, 6, wg_score()),
              (last, 7, last, 7, "自评等级：优")]
    return last + 1, cells


def wg_paragraphs() -> list[tuple[str, str]]:
    n = wg_numbers()
    lv = {nm: (b, a) for nm, b, a in WG_LEVELS}
    c_b, c_a = lv["县级财政配套资金"]
    inc = {r[0]: r for r in WG_INCOME}
    out = {r[0]: r for r in WG_EXPEND}
    return [
        ("title", "武功县2023年度城乡居民基本医疗保险财政补助资金绩效自评报告"),
        ("center", "武功县医疗保障局"),
        ("center", "2024年3月18日"),
        ("p", "按照咸阳市财政局、咸阳市医疗保障局《关于开展2023年度医疗保障领域财政补助资金绩效自评工作的通知》要求，"
              "我局会同县财政局，对2023年度城乡居民基本医疗保险财政补助资金（以下简称“补助资金”）的预算安排、资金到位、"
              "使用管理和绩效目标实现情况开展了自评。现将有关情况报告如下："),
        ("h", "一、项目基本情况"),
        ("p", "（一）项目概况"),
        ("p", f"城乡居民基本医疗保险财政补助资金由中央、省、市、县四级财政按规定比例分担，用于对参加城乡居民基本医疗保险的"
              f"个人缴费给予补助，资金全部纳入县社会保障基金财政专户，与个人缴费统筹用于支付参保居民医疗保险待遇。"
              f"2023年，城乡居民医保人均财政补助标准为{WG_STANDARD}元，较上年提高{WG_STANDARD_RISE}元；个人缴费标准为每人每年"
              f"{WG_PERSONAL}元。全县城乡居民医保参保{WG_INSURED:,}人（以年度参保缴费人数为准），其中由医疗救助资金资助参保的"
              f"特困人员、低保对象、返贫致贫人口等困难群众{WG_AIDED:,}人，资助金额{WG_AID_AMOUNT}万元。"),
        ("p", "（二）项目绩效目标"),
        ("p", "年初设定的绩效目标为：1.城乡居民医保参保人数不低于35万人，参保率稳定在95%以上；2.困难群众资助参保不低于2.1万人，"
              "做到应资尽资；3.各级财政补助资金到位率100%，拨付及时率100%；4.政策范围内住院费用基金支付比例保持在70%以上；"
              "5.基金累计结余可支付月数不低于6个月，收支平衡、略有结余；6.参保群众满意度达到90%以上。"),
        ("h", "二、资金到位及使用情况"),
        ("p", "（一）资金到位情况"),
        ("p", f"2023年年初预算安排补助资金{wan(WG_SUB_BUDGET_INITIAL)}万元，年中按照省级核定的参保人数和补助标准调整为"
              f"{wan(n['sub_budget'])}万元（{WG_INSURED:,}人×{WG_STANDARD}元），全年实际到位{wan(n['sub_actual'])}万元，"
              f"资金到位率{n['sub_rate']}%。其中：中央财政补助资金{wan(lv['中央财政补助资金'][0])}万元、省级财政补助资金"
              f"{wan(lv['省级财政补助资金'][0])}万元、市级财政补助资金{wan(lv['市级财政补助资金'][0])}万元，均已足额到位；"
              f"县级财政应配套{wan(c_b)}万元，实际到位{wan(c_a)}万元，到位率{PLANTED_COUNTY_RATE}%，"
              f"未到位的{wan(n['county_gap'])}万元已列入2024年县级财政预算。分级到位情况见下表。"),
        ("table_levels", ""),
        ("p", "（二）资金使用情况"),
        ("p", f"到位的补助资金已全部划入县社会保障基金财政专户居民医保基金账户，全年执行{wan(n['sub_actual'])}万元，"
              f"预算执行率{n['sub_rate']}%（以全年预算数计）。补助资金与个人缴费统筹使用，主要用于参保居民住院、普通门诊、"
              f"门诊慢特病等医疗待遇支付及大病保险保费支付，未发现截留、挤占、挪用情况。"),
        ("p", "（三）基金收支情况"),
        ("p", f"2023年居民医保基金收入{wan(n['in_actual'])}万元，为年初预算{wan(n['in_budget'])}万元的{n['in_rate']}%，"
              f"比上年{wan(n['in_prior'])}万元增收{wan(n['in_change'])}万元，增长{n['in_yoy']}%。其中：个人缴费收入"
              f"{wan(inc['个人缴费收入'][2])}万元；财政补助收入{wan(n['sub_actual'])}万元，占基金收入的{n['sub_share']}%；"
              f"利息收入{wan(inc['利息收入'][2])}万元，受存款利率下调影响较上年{wan(inc['利息收入'][3])}万元明显减少；"
              f"其他收入{wan(inc['其他收入'][2])}万元。"),
        ("p", f"基金支出{wan(n['out_actual'])}万元，为年初预算{wan(n['out_budget'])}万元的{n['out_rate']}%，"
              f"较上年{wan(n['out_prior'])}万元多支{wan(n['out_change'])}万元，增幅{n['out_yoy']}%。其中：医疗待遇支出"
              f"{wan(out['医疗待遇支出'][2])}万元，大病保险支出{wan(out['大病保险支出'][2])}万元。全年参保居民住院"
              f"{WG_INPATIENT}万人次、门诊{WG_OUTPATIENT}万人次。"),
        ("p", f"收支相抵，当年收支结余{wan(n['bal'])}万元，较上年结余{wan(n['bal_prior'])}万元减少"
              f"{wan(-D(n['bal_change']))}万元；年末滚存结余{wan(n['roll'])}万元（上年末{wan(WG_PRIOR_ROLLING)}万元），"
              f"按当年支出水平可支付{n['months']}个月。基金收支明细见下表（单位：万元）。"),
        ("table_fund", ""),
        ("h", "三、绩效目标完成情况"),
        ("p", "（一）产出指标完成情况"),
        ("p", f"1.数量指标。全县城乡居民医保参保{WG_INSURED:,}人，完成不低于35万人的目标；资助困难群众参保{WG_AIDED:,}人，"
              f"超过2.1万人的目标，做到应资尽资。"),
        ("p", f"2.质量指标。补助资金到位率{n['sub_rate']}%，因县级配套资金未足额到位，未完成100%的目标。全县政策范围内"
              f"住院费用基金支付比例为{WG_INPATIENT_RATIO}%，达到年度目标。"),
        ("p", "3.时效指标。中央、省、市补助资金到账后均在15个工作日内拨入基金财政专户，拨付及时率100%。"),
        ("p", "（二）效益指标完成情况"),
        ("p", f"城乡居民医保参保率96.2%，保持在95%以上；参保群众医疗费用负担有效减轻。基金累计结余可支付{n['months']}个月，"
              f"高于6个月的目标，基金运行总体平稳。"),
        ("p", "（三）满意度指标完成情况"),
        ("p", "通过第三方电话回访和定点医疗机构现场问卷，共调查参保群众1,200人，满意度为93.5%，高于90%的目标。"),
        ("h", "四、自评结论"),
        ("p", f"经对照绩效目标逐项打分，2023年度补助资金绩效自评得分{wg_score()}分，其中预算执行率得分{n['exec_score']}分，"
              f"自评等级为“优”。除财政补助资金到位率外，其余绩效指标均已完成。"),
        ("h", "五、存在的问题及改进措施"),
        ("p", f"（一）县级配套资金未能足额到位。受县级财力紧张影响，2023年县级配套资金到位{wan(c_a)}万元，尚有"
              f"{wan(n['county_gap'])}万元未到位。下一步将积极协调县财政局，在2024年一季度前补足。"),
        ("p", f"（二）基金收支增速倒挂。基金支出增长{n['out_yoy']}%，快于收入增长{n['in_yoy']}%，当年结余较上年减少"
              f"{wan(-D(n['bal_change']))}万元。下一步将加强医保基金监管和智能审核，推进DRG/DIP支付方式改革，控制不合理医疗费用增长。"),
        ("p", "（三）参保扩面难度加大。外出务工人员重复参保、断缴现象仍然存在，需进一步加强部门数据比对和参保动员。"),
        ("p", "附件：2023年度项目支出绩效自评表"),
        ("kpi", ""),
    ]


def build_wugong(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    _a4(doc)
    for kind, text in wg_paragraphs():
        if kind == "title":
            p = doc.add_heading(text, level=1)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "center":
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h":
            doc.add_heading(text, level=2)
        elif kind == "table_levels":
            _grid(doc, wg_level_rows())
        elif kind == "table_fund":
            _grid(doc, wg_fund_rows(), size=8.5)
        elif kind == "kpi":
            nrows, cells = wg_kpi_cells()
            _merged_table(doc, nrows, 8, cells)
        else:
            doc.add_paragraph(text)
    doc.save(path)
    return path


# ====================================================================== 巴南区 2022 (重庆)
# per fund: income parts, expenditure parts, 收入预算, 支出预算, 上年收入, 上年支出, 上年末滚存, 参保人数, 比上年增减人数
BN_FUNDS: dict[str, dict] = {
    "机关养老": {
        "name": "机关事业单位基本养老保险基金",
        "income": {"保险费收入": "82315.60", "财政补贴收入": "78904.12", "利息收入": "1212.45", "转移收入": "6020.20"},
        "expend": {"基本养老金": "165880.34", "丧葬抚恤补助金": "2946.10", "转移支出": "2410.14"},
        "budget_in": "165000.00", "budget_out": "172000.00", "prior_in": "159870.14", "prior_out": "160118.03",
        "prior_rolling": "25630.44", "insured": 58372, "insured_change": 1206,
        "contributors": 41520, "retirees": 16852,
    },
    "居民养老": {
        "name": "城乡居民基本养老保险基金",
        "income": {"个人缴费收入": "14206.38", "财政补贴收入": "33870.25", "利息收入": "4012.80", "其他收入": "229.23"},
        "expend": {"基础养老金": "31208.47", "个人账户养老金": "5450.36", "丧葬补助金": "744.12"},
        "budget_in": "51500.00", "budget_out": "38200.00", "prior_in": "49805.12", "prior_out": "35118.60",
        "prior_rolling": "182436.52", "insured": 213640, "insured_change": -3185,
    },
    "职工医保": {
        "name": "职工基本医疗保险基金（含生育保险）",
        "income": {"保险费收入": "238015.44", "利息收入": "3105.27", "其他收入": "5588.20"},
        "expend": {"医疗待遇支出": "207316.85", "生育医疗费": "4318.62", "生育津贴": "9749.05"},
        "budget_in": "240000.00", "budget_out": "225000.00", "prior_in": "232540.06", "prior_out": "209771.30",
        "prior_rolling": "268905.11", "insured": 412508, "insured_change": 15327,
    },
    "居民医保": {
        "name": "城乡居民基本医疗保险基金",
        "income": {"个人缴费收入": "38402.15", "财政补贴收入": "78916.40", "利息收入": "1321.72"},
        "expend": {"医疗待遇支出": "114820.47", "大病保险支出": "6235.36"},
        "budget_in": "120500.00", "budget_out": "118000.00", "prior_in": "115902.48", "prior_out": "112674.90",
        "prior_rolling": "58311.09", "insured": 536814, "insured_change": -8412,
    },
    "工伤": {
        "name": "工伤保险基金",
        "income": {"保险费收入": "12610.30", "利息收入": "294.25"},
        "expend": {"工伤保险待遇支出": "10106.47", "劳动能力鉴定费": "112.30"},
        "budget_in": "12300.00", "budget_out": "11000.00", "prior_in": "11386.02", "prior_out": "10822.18",
        "prior_rolling": "17420.66", "insured": 301257, "insured_change": 9864,
    },
    "失业": {
        "name": "失业保险基金",
        "income": {"保险费收入": "9315.40", "利息收入": "540.72"},
        "expend": {"失业保险金": "5108.62", "代缴基本医疗保险费": "890.45", "稳岗返还": "6120.88",
                   "技能提升补贴": "1342.40", "职业培训补贴": "1140.00"},
        "budget_in": "10200.00", "budget_out": "13500.00", "prior_in": "10452.88", "prior_out": "12406.13",
        "prior_rolling": "41288.95", "insured": 268930, "insured_change": 6215,
    },
}
PLANTED_RM_SHARE = "19.94"  # 118640.27 / 608880.88 = 19.49%
PLANTED_WI_ROLLING = "20116.44"  # 17420.66 + 2685.78 = 20106.44


def bn_fund(key: str) -> dict[str, str]:
    f = BN_FUNDS[key]
    inc, out = tot(*f["income"].values()), tot(*f["expend"].values())
    x = {"inc": str(inc), "out": str(out)}
    x["inc_rate"], x["out_rate"] = pct(inc, f["budget_in"]), pct(out, f["budget_out"])
    x["inc_change"], x["out_change"] = str(inc - D(f["prior_in"])), str(out - D(f["prior_out"]))
    x["inc_yoy"], x["out_yoy"] = growth(inc, f["prior_in"]), growth(out, f["prior_out"])
    x["bal"] = str(inc - out)
    x["roll"] = str(D(f["prior_rolling"]) + inc - out)
    x["roll_printed"] = PLANTED_WI_ROLLING if key == "工伤" else x["roll"]
    x["months"] = mon(x["roll_printed"], out)
    return x


def bn_numbers() -> dict[str, dict[str, str]]:
    n = {k: bn_fund(k) for k in BN_FUNDS}
    a: dict[str, str] = {}
    a["inc"] = str(tot(*(n[k]["inc"] for k in BN_FUNDS)))
    a["out"] = str(tot(*(n[k]["out"] for k in BN_FUNDS)))
    a["prior_in"] = str(tot(*(f["prior_in"] for f in BN_FUNDS.values())))
    a["prior_out"] = str(tot(*(f["prior_out"] for f in BN_FUNDS.values())))
    a["budget_in"] = str(tot(*(f["budget_in"] for f in BN_FUNDS.values())))
    a["budget_out"] = str(tot(*(f["budget_out"] for f in BN_FUNDS.values())))
    a["bal"] = str(D(a["inc"]) - D(a["out"]))
    a["bal_prior"] = str(D(a["prior_in"]) - D(a["prior_out"]))
    a["roll"] = str(tot(*(n[k]["roll"] for k in BN_FUNDS)))
    a["prior_rolling"] = str(tot(*(f["prior_rolling"] for f in BN_FUNDS.values())))
    a["contribution"] = str(tot(*(v for f in BN_FUNDS.values() for k, v in f["income"].items() if "缴费" in k
                                  or k == "保险费收入")))
    a["subsidy"] = str(tot(*(v for f in BN_FUNDS.values() for k, v in f["income"].items() if k == "财政补贴收入")))
    a["interest"] = str(tot(*(v for f in BN_FUNDS.values() for k, v in f["income"].items() if k == "利息收入")))
    for k in ("inc", "out", "bal", "roll", "prior_in", "prior_out", "contribution", "subsidy", "interest",
              "bal_prior", "prior_rolling", "budget_in", "budget_out"):
        a[f"{k}_yi"] = yi(a[k])
    a["inc_change_yi"] = yi(D(a["inc"]) - D(a["prior_in"]))
    a["out_change_yi"] = yi(D(a["out"]) - D(a["prior_out"]))
    a["inc_yoy"] = growth(a["inc"], a["prior_in"])
    a["out_yoy"] = growth(a["out"], a["prior_out"])
    a["inc_rate"] = pct(a["inc"], a["budget_in"])
    a["out_rate"] = pct(a["out"], a["budget_out"])
    a["contribution_share"] = pct(a["contribution"], a["inc"])
    a["subsidy_share"] = pct(a["subsidy"], a["inc"])
    a["months"] = mon(a["roll"], a["out"])
    n["all"] = a
    for k in BN_FUNDS:
        n[k]["inc_share"] = PLANTED_RM_SHARE if k == "居民医保" else pct(n[k]["inc"], a["inc"])
        n[k]["out_share"] = pct(n[k]["out"], a["out"])
    return n


def bn_table_rows() -> list[list[str]]:
    n = bn_numbers()
    rows = [["险种", "年末参保人数（人）", "比上年增减（人）", "累计结余可支付月数（个月）"]]
    for k, f in BN_FUNDS.items():
        ch = f["insured_change"]
        rows.append([f["name"].replace("基金", ""), f"{f['insured']:,}", f"{ch:+,}", n[k]["months"]])
    return rows


def bn_paragraphs() -> list[tuple[str, str]]:
    n = bn_numbers()
    a = n["all"]
    F = BN_FUNDS
    ip, rp, em, rm, wi, ue = (n[k] for k in ("机关养老", "居民养老", "职工医保", "居民医保", "工伤", "失业"))
    fi, fr, fe, fm, fw, fu = (F[k] for k in ("机关养老", "居民养老", "职工医保", "居民医保", "工伤", "失业"))
    return [
        ("title", "重庆市巴南区2022年社会保险基金预算执行情况和绩效自评报告"),
        ("center", "重庆市巴南区财政局　重庆市巴南区人力资源和社会保障局　重庆市巴南区医疗保障局"),
        ("p", "根据《重庆市社会保险基金预算绩效管理实施细则》要求，现将我区2022年社会保险基金预算执行情况和绩效自评情况报告如下。"
              "本报告所列基金包括机关事业单位基本养老保险、城乡居民基本养老保险、职工基本医疗保险（含生育保险）、城乡居民基本"
              "医疗保险、工伤保险和失业保险六项基金；企业职工基本养老保险基金实行全国统筹，不在本报告反映。"),
        ("h", "一、基金预算执行总体情况"),
        ("p", f"2022年，全区社会保险基金总收入{a['inc_yi']}亿元，完成年初预算{a['budget_in_yi']}亿元的{a['inc_rate']}%，"
              f"比上年增收{a['inc_change_yi']}亿元，增长{a['inc_yoy']}%。从收入结构看，保险费收入{a['contribution_yi']}亿元，"
              f"占总收入的比重为{a['contribution_share']}%；财政补贴收入{a['subsidy_yi']}亿元，占{a['subsidy_share']}%；"
              f"利息收入{a['interest_yi']}亿元。全区社会保险基金总支出{a['out_yi']}亿元，为年初预算{a['budget_out_yi']}亿元的"
              f"{a['out_rate']}%，同比多支{a['out_change_yi']}亿元，增幅{a['out_yoy']}%，支出增幅高于收入增幅。"
              f"收支相抵，当年收支结余{a['bal_yi']}亿元（上年{a['bal_prior_yi']}亿元）；年末滚存结余{a['roll_yi']}亿元，"
              f"上年末为{a['prior_rolling_yi']}亿元，按当年支出水平测算可支付{a['months']}个月。"),
        ("h", "二、各项基金预算执行情况"),
        ("p", "（一）机关事业单位基本养老保险基金"),
        ("p", f"全年基金收入{wan(ip['inc'])}万元，为预算的{ip['inc_rate']}%（预算{wan(fi['budget_in'])}万元），比上年增收"
              f"{wan(ip['inc_change'])}万元，增长{ip['inc_yoy']}%，占全区社保基金总收入的{ip['inc_share']}%。其中：养老保险费收入"
              f"{wan(fi['income']['保险费收入'])}万元，财政补贴收入{wan(fi['income']['财政补贴收入'])}万元，利息收入"
              f"{wan(fi['income']['利息收入'])}万元，转移收入{wan(fi['income']['转移收入'])}万元。基金支出{wan(ip['out'])}万元，"
              f"完成预算{wan(fi['budget_out'])}万元的{ip['out_rate']}%，同比多支{wan(ip['out_change'])}万元，增长"
              f"{ip['out_yoy']}%，主要是退休人员增加和基本养老金调整。支出中，基本养老金{wan(fi['expend']['基本养老金'])}万元，"
              f"丧葬抚恤补助金{wan(fi['expend']['丧葬抚恤补助金'])}万元，转移支出{wan(fi['expend']['转移支出'])}万元。"
              f"年末参保{fi['insured']:,}人，其中在职缴费{fi['contributors']:,}人、退休{fi['retirees']:,}人。当年收支缺口{wan(-D(ip['bal']))}万元，动用历年结余弥补后，年末滚存结余{wan(ip['roll'])}万元。"),
        ("p", "（二）城乡居民基本养老保险基金"),
        ("p", f"该基金收入{plain(rp['inc'])}万元，完成预算{plain(fr['budget_in'])}万元的{rp['inc_rate']}%，较上年增加"
              f"{plain(rp['inc_change'])}万元、增幅{rp['inc_yoy']}%，收入占比{rp['inc_share']}%。其中个人缴费收入"
              f"{plain(fr['income']['个人缴费收入'])}万元，各级政府补贴收入{plain(fr['income']['财政补贴收入'])}万元，利息收入"
              f"{plain(fr['income']['利息收入'])}万元，其他收入{plain(fr['income']['其他收入'])}万元。基金支出"
              f"{plain(rp['out'])}万元，完成预算{plain(fr['budget_out'])}万元的{rp['out_rate']}%，同比增长{rp['out_yoy']}%"
              f"（多支{plain(rp['out_change'])}万元），其中基础养老金{plain(fr['expend']['基础养老金'])}万元、个人账户养老金"
              f"{plain(fr['expend']['个人账户养老金'])}万元、丧葬补助金{plain(fr['expend']['丧葬补助金'])}万元。"
              f"当年结余{plain(rp['bal'])}万元，年末累计结余{plain(rp['roll'])}万元。"),
        ("p", "（三）职工基本医疗保险基金（含生育保险）"),
        ("p", f"生育保险自2020年起并入职工基本医疗保险合并实施，基金统一核算。2022年基金收入{wan(em['inc'])}万元，"
              f"完成预算的{em['inc_rate']}%（预算数{wan(fe['budget_in'])}万元），比上年增收{wan(em['inc_change'])}万元，"
              f"增长{em['inc_yoy']}%，是收入规模最大的险种，占总收入的比重达{em['inc_share']}%。其中：医疗保险费收入"
              f"{wan(fe['income']['保险费收入'])}万元，利息收入{wan(fe['income']['利息收入'])}万元，其他收入"
              f"{wan(fe['income']['其他收入'])}万元。基金支出{wan(em['out'])}万元，为预算{wan(fe['budget_out'])}万元的"
              f"{em['out_rate']}%，同比多支{wan(em['out_change'])}万元，增幅{em['out_yoy']}%；其中医疗待遇支出"
              f"{wan(fe['expend']['医疗待遇支出'])}万元，生育医疗费{wan(fe['expend']['生育医疗费'])}万元，生育津贴"
              f"{wan(fe['expend']['生育津贴'])}万元。当年结余{wan(em['bal'])}万元，年末滚存结余{wan(em['roll'])}万元。"),
        ("p", "（四）城乡居民基本医疗保险基金"),
        ("p", f"全年收入{wan(rm['inc'])}万元，完成预算{wan(fm['budget_in'])}万元的{rm['inc_rate']}%，比上年增收"
              f"{wan(rm['inc_change'])}万元，增幅{rm['inc_yoy']}%，占全区社会保险基金总收入的{rm['inc_share']}%。"
              f"其中个人缴费收入{wan(fm['income']['个人缴费收入'])}万元，财政补贴收入{wan(fm['income']['财政补贴收入'])}万元，"
              f"利息收入{wan(fm['income']['利息收入'])}万元。全年支出{wan(rm['out'])}万元，超预算{wan(fm['budget_out'])}万元，"
              f"执行率{rm['out_rate']}%，比上年多支{wan(rm['out_change'])}万元，增长{rm['out_yoy']}%；其中医疗待遇支出"
              f"{wan(fm['expend']['医疗待遇支出'])}万元，大病保险支出{wan(fm['expend']['大病保险支出'])}万元。"
              f"当年收不抵支{wan(-D(rm['bal']))}万元，年末滚存结余{wan(rm['roll'])}万元。"),
        ("p", "（五）工伤保险基金"),
        ("p", f"工伤保险基金收入{wan(wi['inc'])}万元，为预算的{wi['inc_rate']}%（预算{wan(fw['budget_in'])}万元），"
              f"较上年增收{wan(wi['inc_change'])}万元，增长{wi['inc_yoy']}%，其中保险费收入{wan(fw['income']['保险费收入'])}万元、"
              f"利息收入{wan(fw['income']['利息收入'])}万元。基金支出{wan(wi['out'])}万元，为预算{wan(fw['budget_out'])}万元的"
              f"{wi['out_rate']}%，比上年减支{wan(-D(wi['out_change']))}万元，降幅{wan(-D(wi['out_yoy']))}%，其中工伤保险待遇支出"
              f"{wan(fw['expend']['工伤保险待遇支出'])}万元，劳动能力鉴定费{wan(fw['expend']['劳动能力鉴定费'])}万元。当年收支结余"
              f"{wan(wi['bal'])}万元，加上年末滚存结余{wan(fw['prior_rolling'])}万元，年末滚存结余{wan(wi['roll_printed'])}万元。"),
        ("p", "（六）失业保险基金"),
        ("p", f"受阶段性降低失业保险费率政策延续影响，失业保险基金收入{wan(ue['inc'])}万元，完成预算{wan(fu['budget_in'])}万元的"
              f"{ue['inc_rate']}%，比上年少收{wan(-D(ue['inc_change']))}万元，降幅{wan(-D(ue['inc_yoy']))}%；其中失业保险费收入"
              f"{wan(fu['income']['保险费收入'])}万元，利息收入{wan(fu['income']['利息收入'])}万元。基金支出{wan(ue['out'])}万元，"
              f"为预算{wan(fu['budget_out'])}万元的{ue['out_rate']}%，同比多支{wan(ue['out_change'])}万元，增长{ue['out_yoy']}%。"
              f"支出中，失业保险金{wan(fu['expend']['失业保险金'])}万元，代缴基本医疗保险费{wan(fu['expend']['代缴基本医疗保险费'])}"
              f"万元，稳岗返还{wan(fu['expend']['稳岗返还'])}万元，技能提升补贴{wan(fu['expend']['技能提升补贴'])}万元，"
              f"职业培训补贴{wan(fu['expend']['职业培训补贴'])}万元。当年收支缺口{wan(-D(ue['bal']))}万元，年末滚存结余"
              f"{wan(ue['roll'])}万元。"),
        ("h", "三、绩效目标完成情况"),
        ("p", "（一）参保扩面和基金可持续性。各险种年末参保人数及基金累计结余可支付月数如下表（可支付月数＝年末滚存结余÷当年月均支出）。"),
        ("table", ""),
        ("p", f"职工医保、工伤、失业保险参保人数稳步增长，其中职工医保净增{fe['insured_change']:,}人；城乡居民养老和居民医保参保人数"
              f"分别减少{-fr['insured_change']:,}人和{-fm['insured_change']:,}人，主要是部分居民转入职工保险及外出务工人员在就业地参保。"),
        ("p", f"（二）待遇保障。各项社会保险待遇按时足额发放，发放准确率100%。机关事业单位退休人员基本养老金按国家统一部署"
              f"上调，城乡居民基础养老金按月足额发放；稳岗返还{wan(fu['expend']['稳岗返还'])}万元惠及企业4,316户。"),
        ("p", "（三）预算管理。六项基金收入预算执行率均在95%以上，支出预算执行率除居民医保、失业保险超支外均控制在100%以内。"),
        ("h", "四、存在的问题"),
        ("p", f"一是机关事业单位养老保险基金收不抵支。当年收支缺口{wan(-D(ip['bal']))}万元，养老保险费收入"
              f"{wan(fi['income']['保险费收入'])}万元仅相当于基金支出的{pct(fi['income']['保险费收入'], ip['out'])}%，"
              f"累计结余仅可支付{ip['months']}个月，对财政补贴依赖程度高。"),
        ("p", f"二是居民医保基金支出增长过快。支出增长{rm['out_yoy']}%，高于收入增幅{rm['inc_yoy']}%，当期出现"
              f"{wan(-D(rm['bal']))}万元收支缺口，可支付月数降至{rm['months']}个月。"),
        ("p", f"三是失业保险基金收支缺口扩大。在费率下调和稳岗返还等政策叠加下，当年缺口{wan(-D(ue['bal']))}万元，"
              f"滚存结余由上年末{wan(fu['prior_rolling'])}万元降至{wan(ue['roll'])}万元。"),
        ("h", "五、下一步工作"),
        ("p", "（一）加大扩面征缴力度，推进全民参保计划，重点做好新就业形态劳动者、灵活就业人员参保工作；（二）加强医保基金"
              "监管，深化支付方式改革，遏制不合理支出增长；（三）完善基金运行风险预警，对可支付月数低于6个月的基金按季度开展"
              "分析；（四）将绩效自评结果与2024年基金预算编制挂钩。"),
        ("footer", "巴南区2022年社会保险基金预算绩效自评报告"),
    ]


def build_banan_docx(path: Path) -> Path:
    doc = Document()
    _fonts(doc, 11)
    _a4(doc)
    for kind, text in bn_paragraphs():
        if kind == "title":
            doc.add_heading(text, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "center":
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h":
            doc.add_heading(text, level=2)
        elif kind == "table":
            _grid(doc, bn_table_rows(), size=10)
        elif kind == "footer":
            doc.sections[0].footer.paragraphs[0].text = text
        else:
            doc.add_paragraph(text)
    doc.save(path)
    return path


def docx_sources(out: Path) -> dict[str, Path]:
    """A2's reports as the .docx each is written as (banan-2022.pdf's source too), by stem."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return {WG: build_wugong(out / f"{WG}.docx"), BN: build_banan_docx(out / f"{BN}.docx")}


def build_reports(out: Path, with_pdf: bool) -> list[Path]:
    """Write wugong-2023.docx and (when with_pdf) banan-2022.pdf into out."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [build_wugong(out / f"{WG}.docx")]
    if with_pdf:
        from pdfrender import soffice_pdf

        with tempfile.TemporaryDirectory() as tmp:
            src = build_banan_docx(Path(tmp) / f"{BN}.docx")
            paths.append(soffice_pdf(src, out))
    return paths


if __name__ == "__main__":
    import sys

    print(*build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build"), with_pdf=True), sep="\n")
