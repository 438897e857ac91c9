
"""Author A2's two reports of blind9, from Python data (deterministic: same data, same text).

- wannian-2023.txt: 万年县2023年度社会保险基金预算绩效自评报告 (江西上饶), committed as delivered; its
  text is written by ``wannian_text()`` (``python a2_build.py --txt`` rewrites the file). Two funds,
  each named ONLY in a bare heading line; items 1、2、3、4、 give 收入/支出/结余/参保 with 同比 and
  完成预算 rates; a 自评表 aligned with spaces at the end. Planted: the 机关养老 支出 同比 rate
  (PLANTED_IP_OUT_YOY) and the 居民养老 年末滚存结余 (PLANTED_RP_ROLL_DELTA: does not roll forward).
- qinghai-2023.pdf: 青海省2023年社会保险基金预算绩效自评报告 (.docx → LibreOffice → .pdf), in 亿元: an
  overview sentence over the seven funds, per-fund paragraphs with 占…比重 and 可支付月数, one summary
  table, page footers. Planted: the 失业 可支付月数 (PLANTED_UE_MONTHS) and the 职工医保 收入占比
  (PLANTED_EM_SHARE).

Every other figure is computed here from the amounts below (half-up rounding). a2_key_checks.py reads
these numbers, so the keys and the documents cannot drift apart.
"""

from __future__ import annotations

import tempfile
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

D = Decimal
HERE = Path(__file__).resolve().parent
WN = "wannian-2023"
QH = "qinghai-2023"


def rnd(x: Decimal | str, places: str) -> Decimal:
    return D(x).quantize(D(places), ROUND_HALF_UP)


def wan(x: Decimal | str) -> str:
    """万元 with thousands separators and 2 decimals: 12345.6 → '12,345.60'."""
    return f"{rnd(x, '0.01'):,.2f}"


def yi(x: Decimal | str) -> str:
    """万元 → 亿元, 2 decimals: 3654237 → '365.42'."""
    return f"{rnd(D(x) / 10000, '0.01'):.2f}"


def pct(a: Decimal | str, b: Decimal | str) -> str:
    return f"{rnd(D(a) / D(b) * 100, '0.01'):.2f}"


def growth(cur: Decimal | str, prior: Decimal | str) -> str:
    return pct(D(cur) - D(prior), prior)


def mon(balance: Decimal | str, expenditure: Decimal | str) -> str:
    return f"{rnd(D(balance) / (D(expenditure) / 12), '0.1'):.1f}"


def tot(*xs: Decimal | str) -> Decimal:
    return sum((D(x) for x in xs), D(0))


# ====================================================================== 万年县 2023 (TXT)
# Each line: label, code, 本年决算, 年初预算, 上年决算 (万元).
WN_FUNDS: dict[str, dict] = {
    "resident_pension": {
        "heading": "（一）城乡居民基本养老保险",
        "income": [
            ("个人缴费收入", "contribution", "3862.45", "3700.00", "3615.20"),
            ("财政补贴收入", "fiscal_subsidy", "13578.60", "13420.00", "12946.33"),
            ("利息收入", "interest", "926.18", "880.00", "874.52"),
            ("转移收入", "transfer_in", "42.37", "30.00", "38.91"),
            ("其他收入", "other_income", "15.60", "10.00", "12.84"),
        ],
        "expend": [
            ("基础养老金支出", "basic_pension_base", "11846.72", "12000.00", "11102.35"),
            ("个人账户养老金支出", "individual_account_pension", "1538.40", "1560.00", "1402.66"),
            ("丧葬补助金支出", "funeral_survivor", "318.60", "300.00", "296.40"),
            ("转移支出", "transfer_out", "36.15", "40.00", "31.27"),
        ],
        "prior_rolling": "40215.36",
        "insured": 236418,
        "contributors": 128905,
        "beneficiaries": 65812,
        "beneficiaries_change": 2136,
    },
    "institution_pension": {
        "heading": "（二）机关事业单位基本养老保险",
        "income": [
            ("养老保险费收入", "contribution", "19526.30", "19200.00", "18347.82"),
            ("财政补助收入", "fiscal_subsidy", "16284.50", "16800.00", "15630.00"),
            ("利息收入", "interest", "58.72", "60.00", "64.15"),
            ("转移收入", "transfer_in", "186.40", "150.00", "142.36"),
        ],
        "expend": [
            ("基本养老金支出", "basic_pension", "34962.18", "35400.00", "32780.55"),
            ("丧葬抚恤补助支出", "funeral_survivor", "612.30", "650.00", "578.64"),
            ("转移支出", "transfer_out", "95.26", "120.00", "126.80"),
        ],
        "prior_rolling": "3956.82",
        "contributors": 9806,
        "retirees": 5638,
    },
}
PLANTED_IP_OUT_YOY = "6.25"  # 机关养老 支出增长: 2,183.75 / 33,485.99 = 6.52%
PLANTED_RP_ROLL_DELTA = D("1000.00")  # 居民养老 年末滚存 printed 1,000 万元 above 上年末 + 当年结余
WN_KPI_TARGET_INSURED_RATE, WN_INSURED_RATE = "96", "95.42"  # 参保率: honestly declared unmet


def wn_numbers() -> dict[str, dict[str, str]]:
    """Every figure the county report prints, as strings in the form it prints them (before units)."""
    out: dict[str, dict[str, str]] = {}
    for code, f in WN_FUNDS.items():
        n: dict[str, str] = {}
        for key, rows in (("in", f["income"]), ("out", f["expend"])):
            act, bud, pri = (tot(*(r[i] for r in rows)) for i in (2, 3, 4))
            n[f"{key}"], n[f"{key}_budget"], n[f"{key}_prior"] = str(act), str(bud), str(pri)
            n[f"{key}_rate"] = pct(act, bud)
            n[f"{key}_change"] = str(act - pri)
            n[f"{key}_yoy"] = growth(act, pri)
        n["bal"] = str(D(n["in"]) - D(n["out"]))
        true_roll = D(f["prior_rolling"]) + D(n["bal"])
        n["roll_true"] = str(true_roll)
        n["roll"] = str(true_roll + (PLANTED_RP_ROLL_DELTA if code == "resident_pension" else 0))
        n["months"] = mon(n["roll"], n["out"])
        out[code] = n
    out["institution_pension"]["out_yoy_printed"] = PLANTED_IP_OUT_YOY
    out["resident_pension"]["out_yoy_printed"] = out["resident_pension"]["out_yoy"]
    ip = WN_FUNDS["institution_pension"]
    out["institution_pension"]["dependency"] = f"{rnd(D(ip['contributors']) / ip['retirees'], '0.01'):.2f}"
    a: dict[str, str] = {}
    for key in ("in", "in_budget", "in_prior", "out", "out_budget", "out_prior", "bal", "roll"):
        a[key] = str(tot(*(out[c][key] for c in WN_FUNDS)))
    for key in ("in", "out"):
        a[f"{key}_rate"] = pct(a[key], a[f"{key}_budget"])
        a[f"{key}_change"] = str(D(a[key]) - D(a[f"{key}_prior"]))
        a[f"{key}_yoy"] = growth(a[key], a[f"{key}_prior"])
    a["months"] = mon(a["roll"], a["out"])
    a["subsidy"] = str(tot(*(r[2] for c in WN_FUNDS for r in WN_FUNDS[c]["income"] if r[1] == "fiscal_subsidy")))
    a["subsidy_share"] = pct(a["subsidy"], a["in"])
    out["all"] = a
    return out


def wn_kpi() -> list[tuple[str, str, str, str, str, str, str]]:
    """自评表 rows: 一级, 二级, 三级, 指标值, 实际完成值, 分值, 得分."""
    n = wn_numbers()
    rp, ip = WN_FUNDS["resident_pension"], WN_FUNDS["institution_pension"]
    insured_score = f"{rnd(D(WN_INSURED_RATE) / D(WN_KPI_TARGET_INSURED_RATE) * 10, '0.01'):.2f}"
    return [
        ("产出指标", "数量指标", "城乡居民养老保险参保率", f"≥{WN_KPI_TARGET_INSURED_RATE}%", f"{WN_INSURED_RATE}%",
         "10", insured_score),
        ("", "", "城乡居民养老保险待遇领取人数", "≥6.5万人", f"{rp['beneficiaries']:,}人", "10", "10"),
        ("", "", "机关事业单位养老保险待遇领取人数", "≥5500人", f"{ip['retirees']:,}人", "10", "10"),
        ("", "质量指标", "待遇发放准确率", "≥99%", "100%", "10", "10"),
        ("", "", "基金支出预算执行率", "≥95%或≤105%", f"{n['all']['out_rate']}%", "10", "10"),
        ("", "时效指标", "养老金按月发放", "每月15日前", "每月15日前", "10", "10"),
        ("效益指标", "社会效益指标", "违规使用社会保险基金", "0起", "0起", "10", "10"),
        ("", "可持续影响指标", "城乡居民养老保险基金累计结余可支付月数", "≥24个月",
         f"{n['resident_pension']['months']}个月", "10", "10"),
        ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", "94.6%", "10", "10"),
    ]


def wn_exec_score() -> str:
    """预算执行率 10 points × the 支出 execution rate (capped at 10)."""
    r = D(wn_numbers()["all"]["out_rate"])
    return f"{min(rnd(r / 10, '0.01'), D(10)):.2f}"


def wn_score() -> str:
    return f"{D(wn_exec_score()) + tot(*(k[6] for k in wn_kpi())):.2f}"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


def wn_table() -> list[str]:
    head = ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分")
    rows = [head, ("预算执行率", "", "", "", f"{wn_numbers()['all']['out_rate']}%", "10", wn_exec_score())]
    rows += wn_kpi()
    rows.append(("总分", "", "", "", "", "100", wn_score()))
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(len(head))]
    return [
        "".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]


def wn_text() -> str:
    n = wn_numbers()
    a, rp, ip = n["all"], n["resident_pension"], n["institution_pension"]
    frp, fip = WN_FUNDS["resident_pension"], WN_FUNDS["institution_pension"]
    ri = {r[1]: r for r in frp["income"]}
    re_ = {r[1]: r for r in frp["expend"]}
    ii = {r[1]: r for r in fip["income"]}
    ie = {r[1]: r for r in fip["expend"]}
    L: list[str] = []
    L += [
        "万年县2023年度社会保险基金预算绩效自评报告",
        "",
        "万年县社会保险事业管理局",
        "2024年3月",
        "",
        "    根据《社会保险基金预算绩效管理办法》（财社〔2022〕65号）和上饶市财政局、市人力资源和社会保障局关于"
        "做好2023年度社会保险基金预算绩效自评工作的通知要求，我局对2023年度我县统筹管理的社会保险基金预算执行"
        "和绩效目标完成情况进行了自评，现将有关情况报告如下。",
        "",
        "一、基本情况",
        "（一）基金收支总体情况",
        f"    2023年全县社会保险基金收入合计{wan(a['in'])}万元，完成年度预算{wan(a['in_budget'])}万元的"
        f"{a['in_rate']}%，较上年增加{wan(a['in_change'])}万元，同比增长{a['in_yoy']}%，其中各级财政补助收入"
        f"{wan(a['subsidy'])}万元，占基金收入的{a['subsidy_share']}%。基金支出合计{wan(a['out'])}万元，完成年度预算"
        f"{wan(a['out_budget'])}万元的{a['out_rate']}%，比上年多支{wan(a['out_change'])}万元，增幅{a['out_yoy']}%。"
        f"收支相抵，当年收支结余{wan(a['bal'])}万元，年末滚存结余{wan(a['roll'])}万元，按当年支出水平可支付"
        f"{a['months']}个月。",
        "（二）绩效目标设定情况",
        "    年初随基金预算设定的绩效目标为：各项社会保险待遇按时足额发放，每月15日前发放到位；基金支出预算执行率"
        "控制在95%至105%之间；待遇发放准确率不低于99%；参保扩面稳步推进，基金累计结余保持合理水平；全年不发生违规"
        "使用基金问题；参保群众满意度不低于90%。",
        "",
        "二、各项基金预算执行情况",
        frp["heading"],
        f"    1、基金收入。全年收入{wan(rp['in'])}万元，完成年度预算{wan(rp['in_budget'])}万元的{rp['in_rate']}%，"
        f"较上年增加{wan(rp['in_change'])}万元，同比增长{rp['in_yoy']}%。其中：个人缴费收入"
        f"{wan(ri['contribution'][2])}万元，完成预算的{pct(ri['contribution'][2], ri['contribution'][3])}%，同比增长"
        f"{growth(ri['contribution'][2], ri['contribution'][4])}%；财政补贴收入{wan(ri['fiscal_subsidy'][2])}万元，"
        f"同比增长{growth(ri['fiscal_subsidy'][2], ri['fiscal_subsidy'][4])}%；利息收入{wan(ri['interest'][2])}万元；"
        f"转移收入{wan(ri['transfer_in'][2])}万元；其他收入{wan(ri['other_income'][2])}万元。",
        f"    2、基金支出。全年支出{wan(rp['out'])}万元，完成预算的{rp['out_rate']}%（年初预算"
        f"{wan(rp['out_budget'])}万元），比上年多支{wan(rp['out_change'])}万元，增幅{rp['out_yoy_printed']}%。"
        f"其中：基础养老金支出{wan(re_['basic_pension_base'][2])}万元，较上年增长"
        f"{growth(re_['basic_pension_base'][2], re_['basic_pension_base'][4])}%，主要是基础养老金标准提高和领取人数增加；"
        f"个人账户养老金支出{wan(re_['individual_account_pension'][2])}万元；丧葬补助金支出"
        f"{wan(re_['funeral_survivor'][2])}万元；转移支出{wan(re_['transfer_out'][2])}万元。",
        f"    3、基金结余。当年收支结余{wan(rp['bal'])}万元，上年末滚存结余{wan(frp['prior_rolling'])}万元，"
        f"年末滚存结余{wan(rp['roll'])}万元，可支付{rp['months']}个月。",
        f"    4、参保及待遇享受情况。年末参保{frp['insured']:,}人，其中缴费人数{frp['contributors']:,}人；"
        f"领取待遇{frp['beneficiaries']:,}人，较上年增加{frp['beneficiaries_change']:,}人。",
        fip["heading"],
        f"    1、基金收入。全年收入{wan(ip['in'])}万元，完成年度预算{wan(ip['in_budget'])}万元的{ip['in_rate']}%，"
        f"较上年增加{wan(ip['in_change'])}万元，同比增长{ip['in_yoy']}%。其中：养老保险费收入"
        f"{wan(ii['contribution'][2])}万元，完成预算的{pct(ii['contribution'][2], ii['contribution'][3])}%；"
        f"财政补助收入{wan(ii['fiscal_subsidy'][2])}万元，完成预算的{pct(ii['fiscal_subsidy'][2], ii['fiscal_subsidy'][3])}%；"
        f"利息收入{wan(ii['interest'][2])}万元；转移收入{wan(ii['transfer_in'][2])}万元。",
        f"    2、基金支出。全年支出{wan(ip['out'])}万元，完成年度预算{wan(ip['out_budget'])}万元的{ip['out_rate']}%，"
        f"比上年增加{wan(ip['out_change'])}万元，增长{ip['out_yoy_printed']}%。其中：基本养老金支出"
        f"{wan(ie['basic_pension'][2])}万元，同比增长{growth(ie['basic_pension'][2], ie['basic_pension'][4])}%；"
        f"丧葬抚恤补助支出{wan(ie['funeral_survivor'][2])}万元；转移支出{wan(ie['transfer_out'][2])}万元，"
        f"较上年减少{wan(D(ie['transfer_out'][4]) - D(ie['transfer_out'][2]))}万元。",
        f"    3、基金结余。当年收支结余{wan(ip['bal'])}万元，年末滚存结余{wan(ip['roll'])}万元，"
        f"可支付{ip['months']}个月，基金支付压力较大，当期收支平衡主要依靠财政补助。",
        f"    4、参保及待遇享受情况。年末在职缴费{fip['contributors']:,}人，退休{fip['retirees']:,}人，"
        f"抚养比{ip['dependency']}:1。",
        "",
        "三、绩效目标完成情况",
        f"    全县养老金均在每月15日前足额发放，待遇发放准确率100%，全年未发生违规使用基金问题。基金支出预算执行率"
        f"{a['out_rate']}%，控制在目标区间内。参保率{WN_INSURED_RATE}%，较{WN_KPI_TARGET_INSURED_RATE}%的目标低"
        f"{D(WN_KPI_TARGET_INSURED_RATE) - D(WN_INSURED_RATE)}个百分点，主要原因是外出务工人员在务工地参加职工养老保险"
        f"后未及时办理转移，部分年轻群体参保意愿不强；其余指标均已完成。第三方电话回访满意度94.6%。",
        "",
        "四、存在的问题及下一步工作",
        "    一是居民参保扩面难度加大，下一步将联合乡镇（街道）开展入户宣传，推动应保尽保；二是部分险种当期收支平衡"
        "对财政补助依赖程度高，将加强征缴稽核，确保应收尽收；三是进一步加强待遇资格认证和疑点数据比对，防范"
        "重复领取、死亡冒领等风险。",
        "",
        "五、自评结论",
        f"    经对照绩效目标逐项打分，2023年度社会保险基金预算绩效自评得分{wn_score()}分，其中预算执行率得分"
        f"{wn_exec_score()}分，自评等级为“优”。",
        "",
        "附表",
        "万年县2023年度社会保险基金预算绩效自评表",
        "",
    ]
    L += wn_table()
    return "\n".join(L) + "\n"


# ====================================================================== 青海省 2023 (DOCX → PDF)
# Per fund: name, 收入 parts (label, code, 万元), 支出 parts, 收入预算, 支出预算, 上年收入, 上年支出,
# 上年末滚存结余, people (label, code, 万人) — all 万元 (亿元 × 10000).
QH_FUNDS: dict[str, dict] = {
    "enterprise_pension": {
        "name": "企业职工基本养老保险基金",
        "income": [("养老保险费收入", "contribution", "1683042"), ("财政补贴收入", "fiscal_subsidy", "421537"),
                   ("中央调剂资金收入", "higher_subsidy", "1487619"), ("利息收入", "interest", "38514"),
                   ("其他收入", "other_income", "23608")],
        "expend": [("基本养老金支出", "basic_pension", "3386245"), ("丧葬抚恤补助支出", "funeral_survivor", "68417"),
                   ("转移支出", "transfer_out", "41236"), ("其他支出", "other_expenditure", "32152")],
        "budget_in": "3605000", "budget_out": "3560000", "prior_in": "3421806", "prior_out": "3297530",
        "prior_rolling": "1864523",
        "people": [("参保人数", "insured", "210.36"), ("离退休人员", "retirees", "62.18")],
    },
    "institution_pension": {
        "name": "机关事业单位基本养老保险基金",
        "income": [("养老保险费收入", "contribution", "984216"), ("财政补助收入", "fiscal_subsidy", "1318045"),
                   ("利息收入", "interest", "6312"), ("转移收入", "transfer_in", "7958")],
        "expend": [("基本养老金支出", "basic_pension", "2243618"), ("丧葬抚恤补助支出", "funeral_survivor", "31240"),
                   ("转移支出", "transfer_out", "14602")],
        "budget_in": "2330000", "budget_out": "2310000", "prior_in": "2185430", "prior_out": "2147961",
        "prior_rolling": "203518",
        "people": [("参保人数", "insured", "36.84"), ("退休人员", "retirees", "13.52")],
    },
    "resident_pension": {
        "name": "城乡居民基本养老保险基金",
        "income": [("个人缴费收入", "contribution", "68457"), ("财政补贴收入", "fiscal_subsidy", "236024"),
                   ("利息收入", "interest", "17612"), ("其他收入", "other_income", "2706")],
        "expend": [("基础养老金支出", "basic_pension_base", "201836"), ("个人账户养老金支出", "individual_account_pension",
                    "36217"), ("丧葬补助金支出", "funeral_survivor", "5581")],
        "budget_in": "318000", "budget_out": "250000", "prior_in": "301276", "prior_out": "226905",
        "prior_rolling": "589204",
        "people": [("参保人数", "insured", "238.65"), ("领取待遇人数", "beneficiaries", "47.36")],
    },
    "employee_medical": {
        "name": "职工基本医疗保险基金（含生育保险）",
        "income": [("医疗保险费收入", "contribution", "1213528"), ("利息收入", "interest", "18472"),
                   ("其他收入", "other_income", "36041")],
        "expend": [("医疗待遇支出", "medical_benefits", "1039615"), ("生育医疗费", "maternity_medical", "11842"),
                   ("生育津贴", "maternity_allowance", "22967"), ("其他支出", "other_expenditure", "12021")],
        "budget_in": "1240000", "budget_out": "1120000", "prior_in": "1192657", "prior_out": "1004318",
        "prior_rolling": "1653082",
        "people": [("参保人数", "insured", "108.27")],
    },
    "resident_medical": {
        "name": "城乡居民基本医疗保险基金",
        "income": [("个人缴费收入", "contribution", "178562"), ("财政补贴收入", "fiscal_subsidy", "453018"),
                   ("利息收入", "interest", "7406"), ("其他收入", "other_income", "3021")],
        "expend": [("医疗待遇支出", "medical_benefits", "584037"), ("大病保险支出", None, "44496")],
        "budget_in": "650000", "budget_out": "615000", "prior_in": "624815", "prior_out": "587262",
        "prior_rolling": "386547",
        "people": [("参保人数", "insured", "447.12")],
    },
    "work_injury": {
        "name": "工伤保险基金",
        "income": [("工伤保险费收入", "contribution", "91236"), ("利息收入", "interest", "4185"),
                   ("其他收入", "other_income", "3172")],
        "expend": [("工伤保险待遇支出", "work_injury_benefits", "79518"), ("劳动能力鉴定费", "disability_assessment",
                    "614"), ("其他支出", "other_expenditure", "2307")],
        "budget_in": "96000", "budget_out": "85000", "prior_in": "93158", "prior_out": "78416",
        "prior_rolling": "142806",
        "people": [("参保人数", "insured", "92.45")],
    },
    "unemployment": {
        "name": "失业保险基金",
        "income": [("失业保险费收入", "contribution", "79213"), ("利息收入", "interest", "6584"),
                   ("其他收入", "other_income", "3817")],
        "expend": [("失业保险金", "unemployment_benefit", "43605"), ("代缴基本医疗保险费", "unemployment_medical",
                    "12784"), ("稳岗返还", "job_stabilization", "24516"), ("技能提升补贴", "skill_subsidy", "6218"),
                   ("其他支出", "other_expenditure", "14103")],
        "budget_in": "92000", "budget_out": "98000", "prior_in": "86472", "prior_out": "94358",
        "prior_rolling": "264015",
        "people": [("参保人数", "insured", "68.92"), ("领取失业保险金人数", "beneficiaries", "2.86")],
    },
}
QH_SHORT = {"enterprise_pension": "企业养老", "institution_pension": "机关养老", "resident_pension": "城乡居民养老",
            "employee_medical": "职工医保", "resident_medical": "居民医保", "work_injury": "工伤保险",
            "unemployment": "失业保险"}
PLANTED_UE_MONTHS = "19.9"  # 失业 25.24亿元 / (10.12亿元 / 12) = 29.9 个月
PLANTED_EM_SHARE = "15.71"  # 职工医保 126.80亿元 / 839.36亿元 = 15.11%


def qh_numbers() -> dict[str, dict[str, str]]:
    """Every figure the provincial report prints (amounts in 亿元 as printed, before the unit)."""
    out: dict[str, dict[str, str]] = {}
    for code, f in QH_FUNDS.items():
        inc, exp = tot(*(r[2] for r in f["income"])), tot(*(r[2] for r in f["expend"]))
        out[code] = {"inc_w": str(inc), "out_w": str(exp), "bal_w": str(inc - exp),
                     "roll_w": str(D(f["prior_rolling"]) + inc - exp)}
    a = {k: str(tot(*(out[c][k] for c in QH_FUNDS))) for k in ("inc_w", "out_w", "bal_w", "roll_w")}
    a["budget_in_w"] = str(tot(*(f["budget_in"] for f in QH_FUNDS.values())))
    a["budget_out_w"] = str(tot(*(f["budget_out"] for f in QH_FUNDS.values())))
    a["prior_in_w"] = str(tot(*(f["prior_in"] for f in QH_FUNDS.values())))
    a["prior_out_w"] = str(tot(*(f["prior_out"] for f in QH_FUNDS.values())))
    for code, f in QH_FUNDS.items():
        n = out[code]
        n["inc"], n["out"], n["bal"], n["roll"] = (yi(n[k]) for k in ("inc_w", "out_w", "bal_w", "roll_w"))
        n["budget_in"], n["budget_out"] = yi(f["budget_in"]), yi(f["budget_out"])
        n["inc_rate"], n["out_rate"] = pct(n["inc_w"], f["budget_in"]), pct(n["out_w"], f["budget_out"])
        n["inc_yoy"], n["out_yoy"] = growth(n["inc_w"], f["prior_in"]), growth(n["out_w"], f["prior_out"])
        n["inc_change"] = yi(D(n["inc_w"]) - D(f["prior_in"]))
        n["out_change"] = yi(D(n["out_w"]) - D(f["prior_out"]))
        n["inc_share"], n["out_share"] = pct(n["inc_w"], a["inc_w"]), pct(n["out_w"], a["out_w"])
        n["months"] = mon(n["roll_w"], n["out_w"])
        n["roll_change"] = yi(D(n["bal_w"]))
        for label, _code, v in f["income"] + f["expend"]:
            n[label] = yi(v)
    out["employee_medical"]["inc_share_true"] = out["employee_medical"]["inc_share"]
    out["employee_medical"]["inc_share"] = PLANTED_EM_SHARE
    out["unemployment"]["months_true"] = out["unemployment"]["months"]
    out["unemployment"]["months"] = PLANTED_UE_MONTHS
    for k in ("inc", "out", "bal", "roll", "budget_in", "budget_out"):
        a[k] = yi(a[f"{k}_w"])
    a["inc_rate"], a["out_rate"] = pct(a["inc_w"], a["budget_in_w"]), pct(a["out_w"], a["budget_out_w"])
    a["inc_yoy"], a["out_yoy"] = growth(a["inc_w"], a["prior_in_w"]), growth(a["out_w"], a["prior_out_w"])
    a["inc_change"] = yi(D(a["inc_w"]) - D(a["prior_in_w"]))
    a["out_change"] = yi(D(a["out_w"]) - D(a["prior_out_w"]))
    a["months"] = mon(a["roll_w"], a["out_w"])
    pensions = ("enterprise_pension", "institution_pension", "resident_pension")
    a["pension_out"] = yi(tot(*(out[c]["out_w"] for c in pensions)))
    a["pension_out_share"] = pct(tot(*(out[c]["out_w"] for c in pensions)), a["out_w"])
    a["subsidy"] = yi(tot(*(r[2] for f in QH_FUNDS.values() for r in f["income"] if r[1] == "fiscal_subsidy")))
    a["subsidy_share"] = pct(tot(*(r[2] for f in QH_FUNDS.values() for r in f["income"]
                                   if r[1] == "fiscal_subsidy")), a["inc_w"])
    out["all"] = a
    return out


def qh_table_rows() -> list[list[str]]:
    n = qh_numbers()
    rows = [["险种", "收入预算", "收入决算", "完成预算%", "支出预算", "支出决算", "完成预算%", "当年结余",
             "年末滚存结余", "可支付月数"]]
    for code in QH_FUNDS:
        f = n[code]
        rows.append([QH_SHORT[code], f["budget_in"], f["inc"], f["inc_rate"], f["budget_out"], f["out"],
                     f["out_rate"], f["bal"], f["roll"], f["months"]])
    a = n["all"]
    rows.append(["合计", a["budget_in"], a["inc"], a["inc_rate"], a["budget_out"], a["out"], a["out_rate"], a["bal"],
                 a["roll"], a["months"]])
    return rows


def _parts(n: dict[str, str], parts: list[tuple[str, str | None, str]]) -> str:
    return "，".join(f"{label}{n[label]}亿元" for label, _c, _v in parts)


def _signed(word_up: str, word_down: str, x: str) -> str:
    """'增加1.20' or '减少1.20' as the sign of x says (the figure printed as a magnitude)."""
    return f"{word_up if D(x) >= 0 else word_down}{x.lstrip('-')}"


def qh_fund_paragraph(code: str) -> str:
    """One fund's paragraph; the wording alternates as agencies' drafts do (增收/增长/增幅, 占…比重)."""
    n, f = qh_numbers()[code], QH_FUNDS[code]
    odd = list(QH_FUNDS).index(code) % 2 == 1
    people = "，".join(f"{label}{v}万人" for label, _c, v in f["people"])
    if odd:
        inc = (f"基金收入{n['inc']}亿元，为预算的{n['inc_rate']}%，较上年{_signed('增收', '减收', n['inc_change'])}亿元，"
               f"增幅{n['inc_yoy'].lstrip('-')}%，占全省基金总收入的{n['inc_share']}%")
        out = (f"基金支出{n['out']}亿元，执行进度{n['out_rate']}%，比上年{_signed('多支', '少支', n['out_change'])}亿元，"
               f"增长{n['out_yoy']}%，占全省基金总支出的比重为{n['out_share']}%")
    else:
        inc = (f"全年基金收入{n['inc']}亿元，占全省社会保险基金总收入的比重为{n['inc_share']}%，完成预算的"
               f"{n['inc_rate']}%，比上年{_signed('增加', '减少', n['inc_change'])}亿元，同比增长{n['inc_yoy']}%")
        out = (f"基金支出{n['out']}亿元，占总支出的{n['out_share']}%，完成预算的{n['out_rate']}%，比上年"
               f"{_signed('增加', '减少', n['out_change'])}亿元，增幅{n['out_yoy']}%")
    bal = f"当年收支结余{n['bal']}亿元" if D(n["bal"]) >= 0 else f"当年收不抵支{n['bal'].lstrip('-')}亿元"
    return (
        f"2023年末{people}。{inc}。其中：{_parts(n, f['income'])}。{out}。其中：{_parts(n, f['expend'])}。{bal}，"
        f"年末滚存结余{n['roll']}亿元，比上年末{_signed('增加', '减少', n['roll_change'])}亿元，"
        f"累计结余可支付{n['months']}个月。"
    )


def qh_paragraphs() -> list[tuple[str, str]]:
    n = qh_numbers()
    a = n["all"]
    paras: list[tuple[str, str]] = [
        ("title", "青海省2023年社会保险基金预算绩效自评报告"),
        ("center", "青海省人力资源和社会保障厅  青海省医疗保障局"),
        ("center", "2024年4月"),
        ("p", "按照财政部、人力资源社会保障部、国家税务总局、国家医保局《社会保险基金预算绩效管理办法》（财社〔2022〕65号）"
              "和省财政厅关于开展2023年度社会保险基金预算绩效自评的工作安排，省人力资源社会保障厅、省医保局会同省税务局，"
              "对全省2023年度社会保险基金预算执行情况和绩效目标实现情况开展了自评。现将自评情况报告如下。"),
        ("h", "一、基金收支总体情况"),
        ("p", f"2023年，全省7项社会保险基金总收入{a['inc']}亿元，完成预算的{a['inc_rate']}%，比上年增加"
              f"{a['inc_change']}亿元，增长{a['inc_yoy']}%；总支出{a['out']}亿元，完成预算的{a['out_rate']}%，比上年增加"
              f"{a['out_change']}亿元，增长{a['out_yoy']}%；当年收支结余{a['bal']}亿元，年末滚存结余{a['roll']}亿元，"
              f"累计结余可支付{a['months']}个月。各级财政补助收入{a['subsidy']}亿元，占总收入的{a['subsidy_share']}%；"
              f"三项养老保险基金支出{a['pension_out']}亿元，占总支出的{a['pension_out_share']}%。"),
        ("p", "全年各项社会保险待遇按时足额发放，基金运行总体平稳。企业职工基本养老保险全国统筹调剂资金足额到位，"
              "有效缓解了我省养老金支付压力。各险种收支情况如下。"),
        ("h", "二、各项基金预算执行情况"),
    ]
    cn = "一二三四五六七"
    for i, code in enumerate(QH_FUNDS):
        paras.append(("p", f"（{cn[i]}）{QH_FUNDS[code]['name']}"))
        paras.append(("p", qh_fund_paragraph(code)))
    paras += [
        ("p", "各险种预算执行情况汇总如下（单位：亿元）。"),
        ("table", ""),
        ("h", "三、绩效目标完成情况"),
        ("p", f"（一）预算执行。全省基金收入预算完成率{a['inc_rate']}%，支出预算完成率{a['out_rate']}%，均在年初设定的"
              f"95%—105%目标区间内。失业保险基金支出超出预算，主要是延续实施稳岗返还、技能提升补贴等援企稳岗政策。"),
        ("p", "（二）待遇保障。企业和机关事业单位退休人员基本养老金按国家统一部署调整，城乡居民基础养老金按月足额发放，"
              "各项待遇社会化发放率100%。"),
        ("p", "（三）基金安全。开展社会保险基金管理问题专项整治，对疑点数据逐条核查，全年未发生重大基金安全事件。"),
        ("h", "四、存在的问题和下一步工作"),
        ("p", f"一是企业职工基本养老保险基金对中央调剂资金依赖程度较高，中央调剂资金收入"
              f"{n['enterprise_pension']['中央调剂资金收入']}亿元；二是失业保险基金收不抵支，当年缺口"
              f"{n['unemployment']['bal'].lstrip('-')}亿元；三是居民医保基金支出增长{n['resident_medical']['out_yoy']}%，"
              f"快于收入增长{n['resident_medical']['inc_yoy']}%，当年结余仅{n['resident_medical']['bal']}亿元。下一步将加大扩面征缴力度，加强基金运行分析和风险预警，将绩效自评结果应用于2024年预算编制。"),
        ("footer", "青海省2023年社会保险基金预算绩效自评报告"),
    ]
    return paras


def _fonts(doc, size: float = 11) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(size)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Sans CJK SC")


def _page_field(paragraph) -> None:
    """Append a PAGE field (first rendered as 1; LibreOffice prints each page's number)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    run._r.append(fld("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(fld("end"))


def build_qinghai_docx(path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    _fonts(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    for kind, text in qh_paragraphs():
        if kind == "title":
            doc.add_heading(text, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "center":
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h":
            doc.add_heading(text, level=2)
        elif kind == "table":
            rows = qh_table_rows()
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, cell_text in enumerate(row):
                    cell = t.cell(i, j)
                    cell.text = cell_text
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(8)
        elif kind == "footer":
            p = sec.footer.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(f"{text}    第")
            _page_field(p)
            p.add_run("页")
        else:
            doc.add_paragraph(text)
    doc.save(path)
    return path


def docx_sources(out: Path) -> dict[str, Path]:
    """A2's built report as the .docx it is written as (qinghai-2023.pdf's source), by stem."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return {QH: build_qinghai_docx(out / f"{QH}.docx")}


def build_reports(out: Path, with_pdf: bool) -> list[Path]:
    """Write qinghai-2023.pdf into out (nothing without a PDF: the report is delivered as PDF only)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if not with_pdf:
        return []
    from pdfrender import soffice_pdf

    with tempfile.TemporaryDirectory() as tmp:
        src = build_qinghai_docx(Path(tmp) / f"{QH}.docx")
        return [soffice_pdf(src, out)]


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--txt"]:
        (HERE / f"{WN}.txt").write_text(wn_text(), encoding="utf-8")
        print(HERE / f"{WN}.txt")
    else:
        print(*build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build"), with_pdf=True), sep="\n")
