"""Build helper B2's blind6 reports from Python data: jiangxi-2022.pdf and mianyang-2023.docx.

Why a module of its own: blind6's build.py (helper B1) calls ``build_reports`` and ``docx_sources``
here, so each author keeps the data of their own reports. Deterministic: the same data gives the same
text. Table figures (rates, balances, months) are computed from the amounts, half-up; the planted
errors are written in the prose (see the .gold.yaml keys).
"""

from __future__ import annotations

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from pdfrender import soffice_pdf as docx_to_pdf

D = Decimal


def money(x: str | Decimal) -> str:
    """12345.6 -> '12,345.60' (thousands separators, 2 decimals), as the reports print amounts."""
    return f"{D(x):,.2f}"


def rounded(x: Decimal, places: str = "0.01") -> str:
    return str(x.quantize(D(places), ROUND_HALF_UP))


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


def _merge_runs(table, col: int, first_row: int, last_row: int) -> None:
    """Merge equal consecutive cells of a column vertically, as a 自评表's 一级/二级指标 are in Word."""
    start = first_row
    for i in range(first_row + 1, last_row + 2):
        same = i <= last_row and table.cell(i, col).text == table.cell(start, col).text
        if not same:
            if i - 1 > start:
                for k in range(start + 1, i):
                    table.cell(k, col).text = ""
                merged = table.cell(start, col).merge(table.cell(i - 1, col))
                for par in merged.paragraphs[1:]:  # the emptied cells' paragraphs
                    if not par.text:
                        par._element.getparent().remove(par._element)
            start = i


def _title(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(text)
    r.bold = True
    r.font.size = Pt(16)


# ---------------------------------------------------------------- 江西省 2022, 亿元, .pdf
# 险种: 收入, 上年收入, 收入预算, 支出, 上年支出, 支出预算, 上年末累计结余 (亿元)
JX = {
    "企业职工基本养老保险": ("1486.52", "1402.37", "1450.00", "1412.68", "1318.40", "1430.00", "1061.25"),
    "机关事业单位基本养老保险": ("468.35", "441.20", "460.00", "459.72", "432.06", "465.00", "85.40"),
    "城乡居民基本养老保险": ("312.64", "295.18", "305.00", "228.37", "214.55", "232.00", "598.72"),
    "工伤保险": ("32.18", "29.74", "31.50", "28.96", "27.13", "30.00", "41.35"),
    "失业保险": ("38.45", "41.02", "37.80", "52.17", "60.38", "55.00", "136.90"),
}


def jx_row(name: str, v: tuple[str, ...]) -> list[str]:
    """险种, 收入, 支出, 当年结余, 年末累计结余, 可支付月数 (from the amounts)."""
    inc, exp, prior_roll = D(v[0]), D(v[3]), D(v[6])
    bal = inc - exp
    roll = prior_roll + bal
    return [name, money(inc), money(exp), money(bal), money(roll), rounded(roll / (exp / 12), "0.1")]


def jx_rows() -> list[list[str]]:
    rows = [["险种", "基金收入", "基金支出", "当年收支结余", "年末累计结余", "累计结余可支付月数（月）"]]
    rows += [jx_row(k, v) for k, v in JX.items()]
    sums = tuple(str(sum(D(v[j]) for v in JX.values())) for j in range(7))
    rows.append(jx_row("合计", sums))
    return rows


JX_BEFORE = [
    "一、基本情况",
    "江西省社会保险基金预算由省人力资源和社会保障厅会同省财政厅编制，纳入本报告的为企业职工基本养老保险、"
    "机关事业单位基本养老保险、城乡居民基本养老保险、工伤保险、失业保险5项基金，职工基本医疗保险和城乡居民"
    "基本医疗保险基金由省医疗保障局另行报告。2022年是企业职工基本养老保险全国统筹实施的第一年，也是失业保险、"
    "工伤保险省级统筹全面规范运行之年。根据《社会保险基金预算绩效管理办法》和省财政厅关于开展2022年度社会保险"
    "基金预算绩效自评的通知，省社会保险事业管理局组织各设区市、县（市、区）经办机构，对照年初绩效目标逐项"
    "开展自评，汇总形成本报告。",
    "年初设定的主要绩效目标为：各项社会保险待遇按时足额发放率100%；企业和机关事业单位退休人员基本养老金按"
    "国家统一部署调整到位；城乡居民基础养老金按月足额发放；失业保险稳岗返还政策应享尽享；基金收支预算完成率"
    "保持在90%至110%之间；参保群众满意度不低于90%。",
    "二、基金预算执行情况",
    "（一）总体情况",
    "2022年，全省5项社会保险基金总收入2,338.14亿元，比上年增加118.63亿元，增长5.82%，完成预算2,284.30亿元"
    "的102.36%；总支出2,181.90亿元，比上年增加129.38亿元，增长6.30%，完成预算2,212.00亿元的98.64%；当年收支"
    "结余156.24亿元，年末累计结余2,079.86亿元。各险种收支情况见表1。",
    "表1  2022年全省社会保险基金收支情况（单位：亿元）",
]

JX_AFTER = [
    "（二）分险种情况",
    "1.企业职工基本养老保险基金。年末全省参保人数1,402.36万人，其中离退休人员386.12万人。全年基金收入"
    "1,486.52亿元，完成年度预算1,450.00亿元的102.52%，比上年增加84.15亿元，增长6.00%。其中：养老保险费收入"
    "1,108.46亿元，财政补贴收入246.83亿元，利息收入21.37亿元。基金支出1,412.68亿元，完成年度预算1,430.00亿元"
    "的98.79%，比上年增加94.28亿元，增长7.15%，其中基本养老金支出1,352.17亿元。支出增长主要是退休人员增加和"
    "2022年按4%左右的总体水平调整基本养老金。当年收支结余73.84亿元。",
    "2.机关事业单位基本养老保险基金。基金收入468.35亿元，为年度预算460.00亿元的101.82%，较上年增加27.15亿元，"
    "增长6.15%，其中养老保险费收入232.60亿元、财政补助收入229.18亿元；基金支出459.72亿元，为年度预算465.00"
    "亿元的98.86%，较上年增加27.66亿元，增长6.40%。当年结余8.63亿元，年末累计结余仅94.03亿元，可支付月数偏低。",
    "3.城乡居民基本养老保险基金。全年实现基金收入312.64亿元，同比增加17.46亿元，增长5.92%，完成年初预算305.00亿元的102.50%。"
    "其中：个人缴费收入78.25亿元，各级财政补贴收入221.46亿元。基金支出228.37亿元，同比增加13.82亿元，增长6.44%，完成年初预算"
    "232.00亿元的98.44%，其中基础养老金196.38亿元、个人账户养老金27.15亿元。年末领取待遇人员512.40万人。",
    "4.工伤保险基金。基金收入32.18亿元，较上年增加2.44亿元，增长8.20%，完成预算31.50亿元的102.16%；基金支出28.96亿元，"
    "较上年增加1.83亿元，增长6.75%，完成预算30.00亿元的96.53%，其中工伤保险待遇支出26.75亿元。当年结余3.22亿元。",
    "5.失业保险基金。受阶段性降低失业保险费率政策影响，基金收入38.45亿元，比上年减少2.57亿元，下降6.27%，"
    "完成预算37.80亿元的101.72%。基金支出52.17亿元，比上年减少8.21亿元，下降13.60%，完成预算55.00亿元的"
    "94.85%，其中：失业保险金14.26亿元，稳岗返还21.38亿元，技能提升补贴3.12亿元。当年收支缺口13.72亿元，"
    "由历年结余弥补，年末累计结余123.18亿元。",
    "三、绩效目标完成情况",
    "全年各项社会保险待遇按时足额发放，发放率100%；企业和机关事业单位退休人员基本养老金调整于7月底前全部发放"
    "到位；城乡居民基础养老金按月足额发放；稳岗返还采取“免申即享”方式直接拨付企业。5项基金收入、支出预算完成"
    "率均在90%至110%之间。第三方抽样调查显示参保群众满意度为93.6%。年初设定的绩效目标全部实现。",
    "四、存在的主要问题",
    "一是机关事业单位基本养老保险基金累计结余少，对财政补助依赖程度高，部分市县按月支付压力较大；二是失业保险"
    "基金连续两年收不抵支，累计结余逐年减少；三是部分市县基金预算编制精细化程度不高，个别项目调整幅度较大。",
    "五、下一步工作",
    "一是配合做好企业职工基本养老保险全国统筹工作，严格执行基金预算；二是加强机关事业单位养老保险基金收支"
    "监测，督促各地足额安排财政补助；三是科学测算失业保险基金支撑能力，统筹用好稳岗返还和技能提升补贴政策；"
    "四是将本次自评结果运用于2024年度基金预算编制。",
]


def build_jiangxi_docx(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    _title(doc, "江西省2022年度社会保险基金预算绩效自评报告")
    p = doc.add_paragraph("江西省人力资源和社会保障厅")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for t in JX_BEFORE:
        doc.add_paragraph(t)
    _table(doc, jx_rows())
    for t in JX_AFTER:
        doc.add_paragraph(t)
    doc.save(path)
    return path


# ---------------------------------------------------------------- 绵阳市 2023, 万元, .docx
MY_KPI = [  # 一级, 二级, 三级, 指标值, 实际完成值, 分值, 得分
    ("产出指标", "数量指标", "职工基本医疗保险参保人数", "≥97万人", "98.64万人", "10", "10"),
    ("产出指标", "数量指标", "城乡居民基本医疗保险参保人数", "≥360万人", "362.17万人", "10", "10"),
    ("产出指标", "质量指标", "职工医保政策范围内住院费用基金支付比例", "≥80%", "82.6%", "10", "10"),
    ("产出指标", "质量指标", "城乡居民医保政策范围内住院费用基金支付比例", "70%左右", "70.4%", "10", "10"),
    ("产出指标", "时效指标", "定点医药机构医疗费用结算拨付时限", "30个工作日内", "30个工作日内", "10", "10"),
    ("效益指标", "经济效益指标", "基金支出预算完成率", "90%—110%", "98.31%", "10", "10"),
    ("效益指标", "可持续影响指标", "基金运行情况", "收支平衡、略有结余", "收支平衡、略有结余", "10", "10"),
    ("效益指标", "社会效益指标", "违规使用医保基金金额", "0", "0", "10", "10"),
    ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", "93.5%", "10", "10"),
]
MY_EXECUTION = ("预算执行率", "10", "9.83")  # 10 × 655,721.89 / 667,000.00
MY_TOTAL = "99.83"

MY_TEXT = [
    "一、基本情况",
    "（一）参保情况",
    "截至2023年12月底，全市参加基本医疗保险460.81万人。其中：参加职工基本医疗保险98.64万人，包括在职职工"
    "71.25万人、退休人员27.39万人；参加城乡居民基本医疗保险362.17万人，户籍人口参保率保持在95%以上。",
    "（二）预算编制情况",
    "2023年全市基本医疗保险基金收入预算683,600.00万元，其中职工基本医疗保险（含生育保险）378,600.00万元、"
    "城乡居民基本医疗保险305,000.00万元；支出预算667,000.00万元，其中职工医保365,000.00万元、居民医保"
    "302,000.00万元；预计当年收支结余16,600.00万元。预算经市人民政府审定后报市人大常委会审查。",
    "（三）绩效目标设定情况",
    "年度绩效目标为：职工基本医疗保险参保人数97万人以上，城乡居民基本医疗保险参保人数360万人以上；职工医保政策"
    "范围内住院费用基金支付比例80%以上，居民医保70%左右；定点医药机构医疗费用在30个工作日内完成结算拨付；基金"
    "支出预算完成率90%—110%；参保群众满意度90%以上。",
    "二、基金预算执行情况",
    "（一）总体情况",
    "2023年，全市基本医疗保险基金年初预计收入683,600.00万元，实际为698,930.73万元，完成预算的102.24%，较上年"
    "增长5.73%。其中：职工基本医疗保险基金收入386,452.17万元，城乡居民基本医疗保险基金收入312,478.56万元。基金"
    "支出年初预计667,000.00万元，实际为655,721.89万元，预算执行率98.31%，较上年增长5.63%。其中：职工医保基金"
    "支出358,917.64万元，居民医保基金支出296,804.25万元。当年收支结余43,208.84万元，年末累计结余484,130.82万元。",
    "（二）职工基本医疗保险基金（含生育保险）",
    "1.基金收入。职工医保基金收入预计378,600.00万元，实际为386,452.17万元，完成预算的102.07%；上年同期为"
    "362,108.45万元，同比增长6.72%。其中：基本医疗保险费收入371,806.42万元，财政补贴收入3,215.60万元，利息收入"
    "6,418.75万元，其他收入5,011.40万元。",
    "2.基金支出。职工医保基金支出358,917.64万元，年初预计365,000.00万元，预算执行率98.33%，比上年339,240.18万元"
    "增加19,677.46万元，增长5.80%。其中：医疗待遇支出341,206.35万元，生育医疗费5,318.26万元，生育津贴9,872.44"
    "万元，其他支出2,520.59万元。全年职工医保住院12.86万人次。支出增长的主要原因是门诊共济保障机制实施后普通门诊"
    "统筹待遇支出增加，以及退休人员就医需求持续释放。",
    "3.基金结余。当年收支结余27,534.53万元，年末累计结余326,149.93万元，可支付10.90个月。",
    "（三）城乡居民基本医疗保险基金",
    "居民医保基金收入312,478.56万元，完成年初预计305,000.00万元的102.45%，比上年298,934.17万元增长4.53%。其中："
    "个人缴费收入98,356.20万元，各级财政补助收入208,715.34万元，利息收入2,318.66万元，其他收入3,088.36万元。2023年"
    "居民医保个人缴费标准为每人每年380元，人均财政补助标准不低于640元。",
    "基金支出296,804.25万元，预计302,000.00万元，预算执行率98.28%，比上年281,507.63万元增长5.43%，其中医疗待遇支出"
    "289,413.87万元，其他支出7,390.38万元。当年收支结余15,674.31万元，年末累计结余157,980.89万元，累计结余可支付"
    "7.39个月。",
    "三、绩效目标完成情况",
    "（一）产出目标。年末职工医保参保98.64万人、居民医保参保362.17万人，均完成目标；职工医保政策范围内住院费用"
    "基金支付比例82.6%，居民医保70.4%；定点医药机构医疗费用均在30个工作日内结算拨付。",
    "（二）效益目标。全市基本医疗保险基金支出预算执行率98.31%。分险种看，职工医保基金支出预算执行率为98.53%，居民医保"
    "为98.28%，均在90%—110%的合理区间；两项基金均实现收支平衡、略有结余；全年未发生违规使用医保基金问题。",
    "（三）满意度目标。委托第三方开展参保群众满意度调查，满意度为93.5%。",
    "综合自评得分99.83分，评价等级为“优”。",
    "四、存在的问题及改进措施",
    "一是居民医保基金结余水平偏低，个人缴费标准连年提高，部分群众参保意愿下降；二是医疗费用增长较快，异地就医"
    "直接结算基金监管难度加大。下一步，我局将深化DRG支付方式改革，加强定点医药机构智能监管，持续巩固参保扩面"
    "成果，确保基金安全可持续运行。",
    "附件：绵阳市2023年度基本医疗保险基金预算绩效自评表",
]


def my_kpi_rows() -> list[list[str]]:
    rows = [["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]]
    name, weight, score = MY_EXECUTION
    rows.append([name, "", "", "", "98.31%", weight, score])
    rows += [list(r) for r in MY_KPI]
    rows.append(["总分", "", "", "", "", "100", MY_TOTAL])
    return rows


def build_mianyang(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    _title(doc, "绵阳市2023年度基本医疗保险基金预算绩效自评报告")
    p = doc.add_paragraph("绵阳市医疗保障局")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for t in MY_TEXT:
        doc.add_paragraph(t)
    rows = my_kpi_rows()
    _table(doc, rows)
    for col in (0, 1):  # the indicator rows: 1 is 预算执行率, the last is 总分
        _merge_runs(doc.tables[-1], col, 2, len(rows) - 2)
    doc.add_paragraph("填报单位：绵阳市医疗保障事务中心      填报日期：2024年4月18日")
    doc.save(path)
    return path


# ---------------------------------------------------------------- building


def docx_sources(out: Path) -> dict[str, Path]:
    """Both reports as the .docx they are written as (the PDF's source too), by report stem.

    tests/oracle.py reads the reports' words from these (no LibreOffice needed).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return {"jiangxi-2022": build_jiangxi_docx(out / "jiangxi-2022.docx"),
            "mianyang-2023": build_mianyang(out / "mianyang-2023.docx")}


def build_reports(out: Path, with_pdf: bool) -> None:
    """Write mianyang-2023.docx and (when with_pdf) jiangxi-2022.pdf into out."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    build_mianyang(out / "mianyang-2023.docx")
    if with_pdf:
        with tempfile.TemporaryDirectory() as tmp:
            docx_to_pdf(build_jiangxi_docx(Path(tmp) / "jiangxi-2022.docx"), out)
