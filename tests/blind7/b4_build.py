"""Build helper B4's DOCX report of blind7 (yudu-2024.docx) from Python data.

Deterministic: the same data gives the same document. Fund figures are printed from the amounts below
(rates half-up to 2 decimals, months to 1 decimal); the one planted error is the 失业保险 可支付月数
(PLANTED_UNEMPLOYMENT_MONTHS), printed instead of the value the balance and expenditure give. B3's
build.py calls ``build_reports``; ``docx_sources`` gives the .docx the oracle reads.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

D = Decimal
STEM = "yudu-2024"


def wan(x: str | Decimal) -> str:
    """12345.6 -> '12,345.60' (thousands separators, 2 decimals)."""
    return f"{D(x):,.2f}"


def pct(a: str | Decimal, b: str | Decimal) -> str:
    return str((D(a) / D(b) * 100).quantize(D("0.01"), ROUND_HALF_UP))


def months(balance: str | Decimal, expenditure: str | Decimal) -> str:
    return str((D(balance) / (D(expenditure) / 12)).quantize(D("0.1"), ROUND_HALF_UP))


def total(*xs: str) -> str:
    return str(sum((D(x) for x in xs), D(0)))


# ---------------------------------------------------------------- 于都县 2024 (江西), .docx
WI_INCOME = {"保险费收入": "2486.35", "利息收入": "38.72", "上级补助收入": "310.00"}
WI_EXPEND = {"工伤保险待遇支出": "2105.48", "劳动能力鉴定费": "24.60"}
WI = {"budget_in": "2750", "prior_in": "2618.40", "budget_out": "2200", "prior_out": "1986.12",
      "prior_rolling": "1905.33"}
UE_INCOME = {"失业保险费收入": "1612.48", "利息收入": "52.36"}
UE_EXPEND = {"失业保险金": "486.27", "代缴基本医疗保险费": "71.35", "稳岗返还": "612.84",
             "技能提升补贴": "48.60", "职业培训补贴": "95.00"}
UE = {"budget_in": "1650", "prior_in": "1588.90", "budget_out": "1400", "prior_out": "1206.55",
      "prior_rolling": "6320.18"}
PLANTED_UNEMPLOYMENT_MONTHS = "30.5"  # 6670.96 / (1314.06 / 12) = 60.9

GOALS = [  # 绩效指标, 年度目标, 实际完成, 完成情况
    ("工伤保险参保人数", "3.2万人", "3.31万人", "完成"),
    ("失业保险参保人数", "1.85万人", "1.79万人", "未完成"),
    ("工伤保险待遇按时足额支付率", "100%", "100%", "完成"),
    ("失业保险金发放时间", "次月10日前", "次月10日前", "完成"),
    ("稳岗返还惠及企业", "300户", "286户", "基本完成"),
    ("两项基金支出预算执行率", "≥95%", "{exec_rate}%", "完成"),
]

KPI = [  # 一级指标, 二级指标, 三级指标, 指标权重, 年度指标值, 实际完成值, 得分
    ("产出指标", "数量指标", "工伤保险待遇按时足额支付人次", "10", "≥1200人次", "1286人次", "10"),
    ("产出指标", "数量指标", "失业保险金按时足额发放人数", "10", "≥600人", "642人", "10"),
    ("产出指标", "质量指标", "待遇核定发放准确率", "10", "≥99%", "99.7%", "10"),
    ("产出指标", "时效指标", "失业保险金发放时限", "10", "次月10日前", "次月10日前", "10"),
    ("产出指标", "成本指标", "基金支出预算执行率", "10", "≥95%", "{exec_rate}%", "10"),
    ("效益指标", "社会效益指标", "稳岗返还惠及企业户数", "10", "≥300户", "286户", "9.5"),
    ("效益指标", "可持续影响指标", "工伤保险基金累计结余可支付月数", "10", "≥12个月", "{wi_months}个月",
     "10"),
    ("效益指标", "可持续影响指标", "基金收支状况", "10", "收支平衡、略有结余", "收支平衡、略有结余", "10"),
    ("满意度指标", "服务对象满意度指标", "参保单位和参保人员满意度", "20", "≥90%", "92.4%", "20"),
]


def fund_figures(income: dict[str, str], expend: dict[str, str], f: dict[str, str]) -> dict[str, str]:
    """Every derived figure of one fund's paragraph, computed from its amounts."""
    inc, out = total(*income.values()), total(*expend.values())
    inc_change, out_change = D(inc) - D(f["prior_in"]), D(out) - D(f["prior_out"])
    bal = str(D(inc) - D(out))
    roll = str(D(f["prior_rolling"]) + D(bal))
    return {
        "inc": inc, "out": out, "bal": bal, "roll": roll,
        "inc_rate": pct(inc, f["budget_in"]), "out_rate": pct(out, f["budget_out"]),
        "inc_change": str(inc_change), "inc_yoy": pct(inc_change, f["prior_in"]),
        "out_change": str(out_change), "out_yoy": pct(out_change, f["prior_out"]),
        "months": months(roll, out),
    }


def yudu_numbers() -> dict[str, dict[str, str]]:
    """The figures of both funds and of the two-fund totals (what the key checks recompute)."""
    wi, ue = fund_figures(WI_INCOME, WI_EXPEND, WI), fund_figures(UE_INCOME, UE_EXPEND, UE)
    out = total(wi["out"], ue["out"])
    budget = total(WI["budget_out"], UE["budget_out"])
    both = {"out": out, "budget_out": budget, "exec_rate": pct(out, budget)}
    return {"wi": wi, "ue": ue, "both": both}


def goal_rows() -> list[list[str]]:
    rate = yudu_numbers()["both"]["exec_rate"]
    rows = [["绩效指标", "年度目标", "实际完成", "完成情况"]]
    return rows + [[c.format(exec_rate=rate) for c in r] for r in GOALS]


def kpi_rows() -> list[list[str]]:
    n = yudu_numbers()
    rows = [["一级指标", "二级指标", "三级指标", "指标权重", "年度指标值", "实际完成值", "得分"]]
    fill = {"exec_rate": n["both"]["exec_rate"], "wi_months": n["wi"]["months"]}
    rows += [[c.format(**fill) for c in r] for r in KPI]
    score = str(sum((D(r[6]) for r in KPI), D(0)))
    rows.append(["合计", "", "", str(sum(int(r[3]) for r in KPI)), "", "", score])
    return rows


def _fonts(doc) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(12)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _table(doc, rows: list[list[str]]) -> None:
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell


def _paragraphs() -> list[tuple[str, str]]:
    """The report in body order as (kind, text): 'h' heading, 'p' paragraph, 'goals'/'kpi' the two tables."""
    n = yudu_numbers()
    wi, ue, both = n["wi"], n["ue"], n["both"]
    score = kpi_rows()[-1][6]
    return [
        ("h", "于都县2024年度工伤保险基金和失业保险基金预算绩效自评报告"),
        ("p", "于都县人力资源和社会保障局"),
        ("p", "2025年3月"),
        ("p", "根据赣州市财政局、赣州市人力资源和社会保障局关于开展2024年度社会保险基金预算绩效自评的"
              "通知要求，我局组织县社会保险事业服务中心、县就业服务中心，对县级经办的工伤保险基金和失业保险基金2024年度"
              "预算执行及绩效目标实现情况进行了自评，现将自评情况报告如下。"),
        ("p", "一、基本情况"),
        ("p", "我县工伤保险和失业保险基金纳入市级统筹管理，县级负责参保登记、费基核定、待遇审核发放及"
              "稳岗返还、技能提升补贴等政策落实。2024年末，全县工伤保险参保3.31万人，失业保险参保1.79万人。2024年是"
              "实现“十四五”规划目标任务的关键一年，我局坚持以收定支、收支平衡，确保各项待遇按时足额发放。"),
        ("p", "二、基金预算执行情况"),
        ("p", "（一）工伤保险基金"),
        ("p", f"2024年工伤保险基金收入{wan(wi['inc'])}万元，完成年初预算{wan(WI['budget_in'])}万元的"
              f"{wi['inc_rate']}%，同比增加{wan(wi['inc_change'])}万元、增长{wi['inc_yoy']}%。其中：保险费收入"
              f"{wan(WI_INCOME['保险费收入'])}万元，利息收入{wan(WI_INCOME['利息收入'])}万元，上级补助收入"
              f"{wan(WI_INCOME['上级补助收入'])}万元。基金支出{wan(wi['out'])}万元，完成年初预算"
              f"{wan(WI['budget_out'])}万元的{wi['out_rate']}%，同比增加{wan(wi['out_change'])}万元、增长"
              f"{wi['out_yoy']}%，其中工伤保险待遇支出{wan(WI_EXPEND['工伤保险待遇支出'])}万元，劳动能力鉴定费"
              f"{wan(WI_EXPEND['劳动能力鉴定费'])}万元。当年收支结余{wan(wi['bal'])}万元，年末滚存结余"
              f"{wan(wi['roll'])}万元，可支付{wi['months']}个月。"),
        ("p", "（二）失业保险基金"),
        ("p", f"失业保险基金全年收入{wan(ue['inc'])}万元，为预算{wan(UE['budget_in'])}万元的"
              f"{ue['inc_rate']}%，比上年增长{ue['inc_yoy']}%，其中失业保险费收入{wan(UE_INCOME['失业保险费收入'])}万元、利息收入"
              f"{wan(UE_INCOME['利息收入'])}万元。全年支出{wan(ue['out'])}万元，为预算{wan(UE['budget_out'])}"
              f"万元的{ue['out_rate']}%，比上年增加{wan(ue['out_change'])}万元，增长{ue['out_yoy']}%。支出中，"
              f"失业保险金{wan(UE_EXPEND['失业保险金'])}万元，代缴基本医疗保险费"
              f"{wan(UE_EXPEND['代缴基本医疗保险费'])}万元，稳岗返还{wan(UE_EXPEND['稳岗返还'])}万元，技能提升"
              f"补贴{wan(UE_EXPEND['技能提升补贴'])}万元，职业培训补贴{wan(UE_EXPEND['职业培训补贴'])}万元。"
              f"收支相抵，当年结余{wan(ue['bal'])}万元，年末滚存结余{wan(ue['roll'])}万元，按当年支出水平"
              f"可支付{PLANTED_UNEMPLOYMENT_MONTHS}个月。"),
        ("p", f"两项基金全年支出合计{wan(both['out'])}万元，完成支出预算{wan(both['budget_out'])}万元的"
              f"{both['exec_rate']}%。"),
        ("p", "三、绩效目标完成情况"),
        ("p", "年初设定的绩效目标及完成情况见下表。"),
        ("goals", ""),
        ("p", "失业保险参保人数未达到年度目标，主要是县内部分建筑、商贸企业经营困难、减员停保；"
              "稳岗返还惠及企业286户，略低于目标，原因是部分企业上年度存在裁员或欠缴情况，不符合返还条件。"),
        ("p", f"按照自评表评分，2024年度两项基金绩效自评得分{score}分，等级为“优”。"),
        ("p", "四、存在的问题及改进措施"),
        ("p", "一是工伤保险基金对上级补助收入仍有一定依赖；二是失业保险扩面难度加大，灵活就业人员"
              "参保意愿不强；三是技能提升补贴申领率偏低。下一步，我局将加强与税务部门的数据共享，推进企业应保尽保；"
              "简化稳岗返还和技能提升补贴经办流程，推行“免申即享”；强化基金风险防控，定期开展待遇稽核。"),
        ("p", "附表：于都县2024年度社会保险基金预算绩效自评表"),
        ("kpi", ""),
    ]


def build_yudu(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    for kind, text in _paragraphs():
        if kind == "h":
            doc.add_heading(text, level=1)
        elif kind == "goals":
            _table(doc, goal_rows())
        elif kind == "kpi":
            _table(doc, kpi_rows())
        else:
            doc.add_paragraph(text)
    doc.save(path)
    return path




def docx_sources(outdir: Path) -> dict[str, Path]:
    """B4's built report as the .docx it is delivered as, by report stem (what tests/oracle.py reads)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return {STEM: build_yudu(outdir / f"{STEM}.docx")}


def build_reports(out: Path, with_pdf: bool) -> None:
    """Write yudu-2024.docx into out (B4 has no PDF report, so with_pdf changes nothing)."""
    del with_pdf
    docx_sources(out)


if __name__ == "__main__":
    import sys

    build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build"), with_pdf=False)
