"""Build the blind6 .docx/.pdf reports from Python data: huining-2023.docx here, helper B2's in b2_build.py.

Deterministic: the same data gives the same text. Rates in the tables are computed from the amounts
(half-up to 2 decimals) except where a planted error overrides one (see huining-2023.gold.yaml). The
set's .txt reports are committed as written; only the Word/PDF ones are built.
"""

from __future__ import annotations

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import ModuleType

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

D = Decimal
HERE = Path(__file__).resolve().parent


def wan(x: str) -> str:
    """12345.6 -> '12,345.60' (thousands separators, 2 decimals)."""
    return f"{D(x):,.2f}"


def pct(a: str, b: str) -> str:
    return str((D(a) / D(b) * 100).quantize(D("0.01"), ROUND_HALF_UP))


def _fonts(doc) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(12)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _table(doc, rows: list[list[str]]):
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    return t


def _merge(table, spans: list[tuple[int, int, int, int]]) -> None:
    """Merge cell ranges (row, col, last row, last col) as the template's Word table has them.

    The text stays the top-left cell's: the covered cells are emptied first, so Word shows it once.
    """
    for r1, c1, r2, c2 in spans:
        top = table.cell(r1, c1)
        text = top.text
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                table.cell(r, c).text = ""
        merged = top.merge(table.cell(r2, c2))
        merged.text = text


def _centered(doc, text: str, bold: bool = False) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(text)
    r.bold = bold


# ---------------------------------------------------------------- 会宁县 2023 (甘肃), .docx
HN_SOURCES = [  # 资金来源, 年初预算数, 全年预算数, 全年执行数
    ("中央财政补助资金", "14862", "15106", "15106"),
    ("省级财政补助资金", "2618", "2618", "2573.40"),
    ("市级财政补助资金", "436", "436", "436"),
    ("县级财政补助资金", "1982", "1982", "1901.75"),
]
HN_TOTAL = ("合计", "19898", "20142", "20017.15")
# Planted: 1901.75 / 1982 = 95.95%, the table prints the digits swapped.
HN_PLANTED_RATE = {"县级财政补助资金": "95.59"}

HN_KPI = [  # 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因
    ("产出指标", "数量指标", "城乡居民养老保险参保人数", "≥35万人", "35.82万人", "10", "10", "—"),
    ("产出指标", "数量指标", "享受基础养老金待遇人数", "≥10万人", "10.12万人", "10", "10", "—"),
    ("产出指标", "质量指标", "养老金发放准确率", "≥99%", "99.8%", "10", "10", "—"),
    ("产出指标", "时效指标", "基础养老金发放时间", "每月15日前", "每月15日前", "10", "10", "—"),
    ("产出指标", "成本指标", "中央财政补助资金执行率", "100%", "100%", "10", "10", "—"),
    ("效益指标", "社会效益指标", "符合条件的60周岁以上参保人员按时领取待遇率", "100%", "100%", "15", "15",
     "—"),
    ("效益指标", "可持续影响指标", "基金累计结余可支付月数", "≥12个月", "42.55个月", "15", "15", "—"),
    ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", "93.6%", "10", "10", "—"),
]
HN_BUDGET_SCORE = "9.94"  # 10 × 99.38%
HN_TOTAL_SCORE = "99.94"


def huining_source_rows() -> list[list[str]]:
    """The 补助资金 table: one row per funding source, then 合计 (单位：万元)."""
    rows = [["资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率（%）"]]
    for name, budget, adjusted, actual in [*HN_SOURCES, HN_TOTAL]:
        rate = HN_PLANTED_RATE.get(name, pct(actual, adjusted))
        rows.append([name, wan(budget), wan(adjusted), wan(actual), rate])
    return rows


def huining_selftable_rows() -> list[list[str]]:
    """The 项目支出绩效自评表 as one 8-column grid: header block, 资金 block, 目标, 指标, 总分."""
    _, budget, adjusted, actual = HN_TOTAL
    rate = pct(actual, adjusted) + "%"
    blank = ["", "", "", "", "", "", "", ""]
    rows = [
        ["项目名称", "城乡居民基本养老保险补助资金", "", "", "", "", "", ""],
        ["主管部门", "会宁县人力资源和社会保障局", "", "", "实施单位", "会宁县社会保险服务中心", "", ""],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", wan(budget), wan(adjusted), wan(actual), "10", rate, HN_BUDGET_SCORE],
        ["", "其中：当年财政拨款", wan(budget), wan(adjusted), wan(actual), "—", "—", "—"],
        ["", "上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"],
        ["", "其他资金", "0.00", "0.00", "0.00", "—", "—", "—"],
        ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""],
        ["", "足额筹集并及时拨付各级财政补助资金，按月足额发放城乡居民基础养老金，参保人数稳定在35万人以上，"
             "基金收支平衡、略有结余。", "", "",
         "各级补助资金到位20,017.15万元，基础养老金按月足额发放，年末参保35.82万人，基金当年结余6,900.91万元。",
         "", "", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
    ]
    rows += [list(k) for k in HN_KPI]
    rows.append(["总分", "", "", "", "", "100", HN_TOTAL_SCORE, ""])
    assert all(len(r) == len(blank) for r in rows)
    return rows


HN_TEXT = [
    "一、项目基本情况",
    "（一）项目概况。城乡居民基本养老保险补助资金是中央、省、市、县四级财政对城乡居民基本养老保险基础养老金"
    "和参保缴费的补助，由县财政局会同县人力资源和社会保障局管理，县社会保险服务中心具体经办。2023年末全县"
    "城乡居民基本养老保险参保35.82万人，享受基础养老金待遇10.12万人。",
    "（二）资金安排。2023年年初预算安排补助资金19,898.00万元，年中中央财政追加补助244.00万元，全年预算数"
    "20,142.00万元，全部纳入城乡居民基本养老保险基金财政专户管理。",
    "（三）绩效目标。按月足额发放基础养老金，发放准确率99%以上，每月15日前发放到位；参保人数稳定在35万人"
    "以上，享受待遇人数10万人以上；基金累计结余可支付月数不低于12个月；参保群众满意度90%以上。",
    "二、预算执行情况",
    "各级财政补助资金全年执行20,017.15万元，执行率99.38%。其中中央财政补助资金全额到位；省级补助资金"
    "2,573.40万元，执行率98.30%；县级补助资金1,901.75万元，未执行部分为第四季度缴费补贴，因参保人员12月集中"
    "缴费、补贴须在次年1月与税务部门对账后结算。分级执行情况如下（单位：万元）：",
]
HN_AFTER = [
    "补助资金全部计入基金政府补贴收入。2023年城乡居民基本养老保险基金收入34,746.10万元，完成预算33,900万元的"
    "102.50%，其中：个人缴费收入12,056.30万元，政府补贴收入20,017.15万元，利息收入2,672.65万元。基金支出"
    "27,845.19万元，完成预算28,600万元的97.36%，其中：基础养老金支出24,306.58万元，个人账户养老金支出"
    "3,118.27万元，丧葬补助金支出420.34万元。当年结余6,900.91万元，年末滚存结余98,741.36万元，"
    "可支付42.55个月。",
    "三、绩效目标完成情况",
    "（一）产出。全年按月发放基础养老金，发放准确率99.8%，均在每月15日前发放到位；年末参保人数35.82万人，"
    "享受待遇人数10.12万人，完成年度目标。",
    "（二）效益。符合条件的60周岁以上参保人员全部按时领取待遇，基金累计结余可支付42.55个月，高于12个月的"
    "目标，基金运行可持续。",
    "（三）满意度。委托第三方电话回访1,200人，参保群众满意度93.6%。",
    "经自评，项目预算执行率得分9.94分，产出、效益、满意度指标全部达到年度指标值，自评总分99.94分，等级为“优”。",
    "四、存在的问题和改进措施",
    "一是县级缴费补贴结算滞后于缴费，年末执行率偏低；二是个人缴费仍以最低档次为主，个人账户养老金水平不高。"
    "下一步将与税务部门按月对账，缴费补贴当月核定、次月拨付；加大多缴多得政策宣传，引导参保人员选择较高档次。",
]


def huining_selftable_merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """The template's merged cells: header labels and values, the 目标 block, 一级指标 runs, 总分."""
    spans = [(0, 1, 0, 7), (1, 1, 1, 3), (1, 5, 1, 7), (2, 0, 6, 0), (7, 0, 8, 0),
             (7, 1, 7, 3), (7, 4, 7, 7), (8, 1, 8, 3), (8, 4, 8, 7), (len(rows) - 1, 0, len(rows) - 1, 4)]
    first = 10  # the first indicator row
    start = first
    for i in range(first + 1, len(rows)):
        if rows[i][0] != rows[start][0]:
            if i - 1 > start:
                spans.append((start, 0, i - 1, 0))
            start = i
    return spans


def build_huining(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    _centered(doc, "会宁县2023年度城乡居民基本养老保险补助资金绩效自评报告", bold=True)
    _centered(doc, "会宁县人力资源和社会保障局")
    for t in HN_TEXT:
        doc.add_paragraph(t)
    _table(doc, huining_source_rows())
    for t in HN_AFTER:
        doc.add_paragraph(t)
    doc.add_paragraph("附件")
    _centered(doc, "项目支出绩效自评表", bold=True)
    doc.add_paragraph("（2023年度）")
    rows = huining_selftable_rows()
    table = _table(doc, rows)
    _merge(table, huining_selftable_merges(rows))
    doc.save(path)
    return path


# ---------------------------------------------------------------- the set


def _b2() -> ModuleType | None:
    """Helper B2's build module (b2_build.py), when it is there: its reports are built with the set's."""
    path = HERE / "b2_build.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("sifund_blind6_b2_build", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docx_sources(outdir: Path) -> dict[str, Path]:
    """Every built report as the .docx it is written as (a PDF's source too), by report stem.

    tests/oracle.py reads the report's words from these (no LibreOffice needed).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out = {"huining-2023": build_huining(outdir / "huining-2023.docx")}
    b2 = _b2()
    if b2 is not None:
        out.update(b2.docx_sources(outdir))
    return out


def build_reports(outdir: Path, with_pdf: bool = True) -> None:
    """Write huining-2023.docx and helper B2's reports (its PDFs only when with_pdf) into outdir."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    build_huining(outdir / "huining-2023.docx")
    b2 = _b2()
    if b2 is not None:
        b2.build_reports(outdir, with_pdf)


if __name__ == "__main__":
    import sys

    build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build"))
