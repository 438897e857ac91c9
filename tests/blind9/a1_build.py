"""Build author A1's two reports of blind9 from the literal data below (same data, same text).

- chuzhou-2024q3.pdf: 滁州市2024年第三季度（1-9月）社会保险基金预算执行情况表 and its
  分析说明. One landscape Word table in 万元 (全年预算数 / 本季度执行数 / 1-9月累计执行数 /
  执行进度% / 上年同期累计数 / 同比增减%), five funds as blocks of rows (基金收入 and 其中 rows,
  基金支出 and 其中 rows, 本期收支结余), a 五项基金合计 block at the bottom; .docx → .pdf by
  LibreOffice. Planted: the 合计 1-9月 基金收入 is 1,000.00 below the five funds' sum
  (CZ_TOTAL_SHORT: summed before the 工伤 row was revised) and the 职工医保 支出 执行进度 has
  its last two digits swapped (CZ_RATE).
- anhua-2023.docx: 安化县2023年度城乡居民基本养老保险中央和省级财政补助资金绩效自评报告.
  Prose in numbered sections, a Word table of 资金到位 by level (中央/省级/市级/县级, 合计), a
  Word table of 资金使用 (2023 / 2022 / 增减额 / 增减%), and the 项目支出绩效自评表 as one Word
  grid with merged cells. Planted: the 参保率 target ≥96% is missed (95.72%) but declared met
  with full marks, and the 年末滚存结余 does not roll forward (AH_ROLLING).

Every derived figure is computed here (half-up: amounts and rates to 2 decimals, months to 1);
a1_key_checks.py reads the same data, so the keys and the documents cannot drift apart.
"""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

D = Decimal
CZ = "chuzhou-2024q3"
AH = "anhua-2023"
FONT = "Noto Serif CJK SC"


def d(x: str | Decimal) -> Decimal:
    return D(str(x).replace(",", ""))


def q(x: Decimal, places: str = "0.01") -> Decimal:
    return x.quantize(D(places), ROUND_HALF_UP)


def wan(x: str | Decimal) -> str:
    """12345.6 -> '12,345.60'."""
    return f"{q(d(x)):,.2f}"


def pct(a: str | Decimal, b: str | Decimal) -> str:
    return str(q(d(a) / d(b) * 100))


def growth(cur: str | Decimal, prior: str | Decimal) -> str:
    return pct(d(cur) - d(prior), prior)


# ============================================================================ chuzhou-2024q3 (table, 万元)

CZ_COLS = ("budget", "quarter", "actual", "prior")  # 全年预算数 本季度执行数 1-9月累计执行数 上年同期累计数

# fund -> (name, income total, income parts, expenditure total, expenditure parts); every figure
# 万元 as (全年预算数, 本季度执行数, 1-9月累计执行数, 上年同期累计数); the 其中 rows are the main
# items, not all of them.
CZ_FUNDS: dict[str, tuple] = {
    "institution_pension": (
        "机关事业单位基本养老保险基金",
        ("412,600.00", "103,684.27", "309,517.36", "291,846.05"),
        [
            ("保险费收入", "contribution", ("215,800.00", "55,216.40", "163,024.58", "154,376.92")),
            ("财政补贴收入", "fiscal_subsidy", ("188,500.00", "46,120.00", "140,310.00", "131,650.00")),
        ],
        ("405,300.00", "102,935.61", "302,486.47", "283,914.30"),
        [("社会保险待遇支出", "benefits", ("398,700.00", "101,422.18", "297,935.80", "279,602.66"))],
    ),
    "resident_pension": (
        "城乡居民基本养老保险基金",
        ("236,400.00", "48,372.15", "188,906.24", "179,238.61"),
        [
            ("保险费收入", "contribution", ("52,300.00", "6,418.30", "47,826.55", "45,903.18")),
            ("财政补贴收入", "fiscal_subsidy", ("162,800.00", "38,704.00", "124,662.00", "117,985.00")),
        ],
        ("178,500.00", "45,233.86", "134,127.09", "126,544.73"),
        [("社会保险待遇支出", "benefits", ("176,900.00", "44,905.42", "133,015.36", "125,318.20"))],
    ),
    "employee_medical": (
        "职工基本医疗保险基金（含生育保险）",
        ("618,200.00", "158,316.70", "471,825.43", "446,092.17"),
        [
            ("保险费收入", "contribution", ("596,400.00", "153,021.36", "456,318.90", "431,207.64")),
            ("利息收入", "interest", ("6,800.00", "1,726.12", "4,907.35", "5,286.41")),
        ],
        ("532,700.00", "141,855.29", "416,286.52", "384,170.38"),
        [("社会保险待遇支出", "benefits", ("524,900.00", "139,610.07", "410,352.18", "378,905.44"))],
    ),
    "resident_medical": (
        "城乡居民基本医疗保险基金",
        ("348,900.00", "56,208.34", "292,615.80", "286,340.22"),
        [
            ("保险费收入", "contribution", ("121,600.00", "3,815.62", "118,437.26", "120,905.35")),
            ("财政补贴收入", "fiscal_subsidy", ("222,700.00", "51,640.00", "171,523.00", "163,208.00")),
        ],
        ("341,500.00", "88,972.45", "262,318.67", "249,736.08"),
        [("社会保险待遇支出", "benefits", ("336,800.00", "87,803.12", "258,906.41", "246,115.79"))],
    ),
    "work_injury": (
        "工伤保险基金",
        ("24,300.00", "6,236.84", "18,318.46", "17,082.53"),
        [("保险费收入", "contribution", ("23,600.00", "6,108.27", "17,894.30", "16,640.12"))],
        ("21,800.00", "5,317.90", "15,826.35", "16,244.81"),
        [("社会保险待遇支出", "benefits", ("21,500.00", "5,260.44", "15,684.20", "16,092.57"))],
    ),
}
CZ_NUM = {
    "institution_pension": "一",
    "resident_pension": "二",
    "employee_medical": "三",
    "resident_medical": "四",
    "work_injury": "五",
}

CZ_TOTAL_SHORT = D("1000.00")  # the 合计 1-9月 基金收入 is printed this much below the five funds' sum
CZ_RATE = ("employee_medical", "expenditure_total", "78.51")  # 416,286.52 / 532,700.00 = 78.15


def _row(label: str, code: str, vals: tuple[str, ...], kind: str = "item") -> dict:
    v = dict(zip(CZ_COLS, (d(s) for s in vals), strict=True))
    return {"label": label, "code": code, "values": v, "kind": kind}


def _finish(row: dict) -> dict:
    v = row["values"]
    row["printed"] = {c: wan(v[c]) for c in CZ_COLS}
    if row["kind"] == "balance":
        row["rate"] = row["yoy"] = None
    else:
        row["rate"] = pct(v["actual"], v["budget"])
        row["yoy"] = growth(v["actual"], v["prior"])
    return row


def cz_numbers() -> dict[str, list[dict]]:
    """Per fund (and 'all'), its rows in table order: {label, code, kind, values, printed, rate, yoy}.

    kind: 'total' (基金收入/基金支出), 'part' (其中 rows), 'balance' (本期收支结余). The 'all' rows are the
    sums of the funds' rows, except the planted 1-9月 基金收入 (and the 结余 that follows it).
    """
    out: dict[str, list[dict]] = {}
    for fund, (_name, inc, inc_parts, exp, exp_parts) in CZ_FUNDS.items():
        rows = [_row("基金收入", "income_total", inc, "total")]
        rows += [_row(lab, code, vals, "part") for lab, code, vals in inc_parts]
        rows.append(_row("基金支出", "expenditure_total", exp, "total"))
        rows += [_row(lab, code, vals, "part") for lab, code, vals in exp_parts]
        bal = {c: rows[0]["values"][c] - rows[len(inc_parts) + 1]["values"][c] for c in CZ_COLS}
        rows.append({"label": "本期收支结余", "code": "balance_current", "values": bal, "kind": "balance"})
        out[fund] = [_finish(r) for r in rows]
    alls = []
    for label, code, kind in (
        ("基金收入", "income_total", "total"),
        ("基金支出", "expenditure_total", "total"),
    ):
        vals = {
            c: sum((next(r for r in out[f] if r["code"] == code)["values"][c] for f in CZ_FUNDS), D(0))
            for c in CZ_COLS
        }
        alls.append({"label": label, "code": code, "values": vals, "kind": kind})
    alls[0]["true_actual"] = alls[0]["values"]["actual"]
    alls[0]["values"]["actual"] -= CZ_TOTAL_SHORT
    bal = {c: alls[0]["values"][c] - alls[1]["values"][c] for c in CZ_COLS}
    alls.append({"label": "本期收支结余", "code": "balance_current", "values": bal, "kind": "balance"})
    out["all"] = [_finish(r) for r in alls]
    fund, code, wrong = CZ_RATE
    row = next(r for r in out[fund] if r["code"] == code)
    row["true_rate"], row["rate"] = row["rate"], wrong
    return out


def cz_row(fund: str, code: str) -> dict:
    return next(r for r in cz_numbers()[fund] if r["code"] == code)


def cz_table_rows() -> list[list[str]]:
    n = cz_numbers()
    rows = [
        [
            "项目",
            "全年预算数",
            "本季度执行数",
            "1-9月累计执行数",
            "执行进度(%)",
            "上年同期累计数",
            "同比增减(%)",
        ]
    ]
    order = [(f"{CZ_NUM[f]}、{CZ_FUNDS[f][0]}", f) for f in CZ_FUNDS] + [("六、五项基金合计", "all")]
    for heading, fund in order:
        rows.append([heading] * 7)
        prev = None
        for r in n[fund]:
            if r["kind"] == "part":
                label = ("    其中：" if prev != "part" else "          ") + r["label"]
            else:
                label = "  " + r["label"]
            prev = r["kind"]
            p = r["printed"]
            rows.append(
                [label, p["budget"], p["quarter"], p["actual"], r["rate"] or "—", p["prior"], r["yoy"] or "—"]
            )
    return rows


def cz_analysis() -> list[tuple[str, str]]:
    """The 分析说明: (style, text) with style 'h' (a heading line) or 'p' (a paragraph)."""
    n = cz_numbers()
    g = lambda f, code: next(r for r in n[f] if r["code"] == code)  # noqa: E731
    a_in, a_out, a_bal = g("all", "income_total"), g("all", "expenditure_total"), g("all", "balance_current")
    v = lambda r, c="actual": r["values"][c]  # noqa: E731
    ip_in, ip_con, ip_sub = (
        g("institution_pension", c) for c in ("income_total", "contribution", "fiscal_subsidy")
    )
    ip_bal = g("institution_pension", "balance_current")
    rp_out, rp_sub = g("resident_pension", "expenditure_total"), g("resident_pension", "fiscal_subsidy")
    em_in, em_con, em_ben = (g("employee_medical", c) for c in ("income_total", "contribution", "benefits"))
    rm_con, rm_sub, rm_bal = (
        g("resident_medical", c) for c in ("contribution", "fiscal_subsidy", "balance_current")
    )
    wi_out, wi_in = g("work_injury", "expenditure_total"), g("work_injury", "income_total")
    yi_out = str(q(v(a_out) / 10000))
    return [
        ("h", "分析说明"),
        ("h", "一、总体执行情况"),
        (
            "p",
            f"2024年1-9月，全市五项社会保险基金收入合计{wan(v(a_in))}万元，完成全年预算的{a_in['rate']}%，"
            f"较上年同期增收{wan(v(a_in) - v(a_in, 'prior'))}万元，增长{a_in['yoy']}%；其中第三季度收入"
            f"{wan(v(a_in, 'quarter'))}万元。基金支出合计{yi_out}亿元，执行进度{a_out['rate']}%，同比多支"
            f"{wan(v(a_out) - v(a_out, 'prior'))}万元，增幅{a_out['yoy']}%。收支相抵，1-9月基金结余"
            f"{wan(v(a_bal))}万元。对照75%的序时进度，基金收入进度基本同步，支出进度总体平稳。",
        ),
        ("h", "二、分险种执行情况"),
        (
            "p",
            f"（一）机关事业单位基本养老保险基金。1-9月征收保险费{wan(v(ip_con))}万元，占该基金收入的"
            f"{pct(v(ip_con), v(ip_in))}%；财政补贴收入{wan(v(ip_sub))}万元，比上年同期多拨"
            f"{wan(v(ip_sub) - v(ip_sub, 'prior'))}万元。当期收支结余{wan(v(ip_bal))}万元，基金收支主要依靠"
            f"财政补贴维持平衡，第四季度需按月足额拨付。",
        ),
        (
            "p",
            f"（二）城乡居民基本养老保险基金。中央基础养老金最低标准提高后，基金支出{wan(v(rp_out))}万元，"
            f"比上年同期多支{wan(v(rp_out) - v(rp_out, 'prior'))}万元，增幅{rp_out['yoy']}%；各级财政补贴到位"
            f"{wan(v(rp_sub))}万元，完成全年预算的{rp_sub['rate']}%，个人缴费集中征收期已过，后三个月收入以"
            f"财政补贴为主。",
        ),
        (
            "p",
            f"（三）职工基本医疗保险基金（含生育保险）。保险费收入{wan(v(em_con))}万元，同比增长"
            f"{em_con['yoy']}%，占该基金收入的{pct(v(em_con), v(em_in))}%；待遇支出{wan(v(em_ben))}万元，"
            f"较上年同期增加{wan(v(em_ben) - v(em_ben, 'prior'))}万元，增长{em_ben['yoy']}%，增速快于收入，"
            f"主要是门诊共济保障机制实施后普通门诊统筹待遇支出增加。",
        ),
        (
            "p",
            f"（四）城乡居民基本医疗保险基金。受参保人数减少影响，个人缴费收入{wan(v(rm_con))}万元，"
            f"较上年同期减少{wan(v(rm_con, 'prior') - v(rm_con))}万元，下降{-d(rm_con['yoy'])!s}%；"
            f"财政补贴收入{wan(v(rm_sub))}万元，完成全年预算的{rm_sub['rate']}%。1-9月基金结余"
            f"{wan(v(rm_bal))}万元，因第四季度为住院费用结算高峰，预计全年结余将明显收窄。",
        ),
        (
            "p",
            f"（五）工伤保险基金。基金收入{wan(v(wi_in))}万元，同比增长{wi_in['yoy']}%；基金支出"
            f"{wan(v(wi_out))}万元，同比下降{-d(wi_out['yoy'])!s}%，主要是一次性工伤医疗补助金支付减少。",
        ),
        ("h", "三、下一步工作"),
        (
            "p",
            "市人社局、市医保局和市税务局将加强保险费征缴和待遇稽核，市财政局将及时拨付各项财政补贴资金，"
            "确保全年社会保险基金预算执行到位。",
        ),
    ]


# ============================================================================ shared docx helpers


def _fonts(doc, size: float) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(size)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _cell(cell, text: str, bold: bool = False, align=None, size: float = 8.5) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if align is not None:
        p.alignment = align


def _page_footer(section, before: str, after: str) -> None:
    foot = section.footer.paragraphs[0]
    foot.add_run(before)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    foot._p.append(fld)
    foot.add_run(after)
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _heading(doc, text: str, size: float = 12, center: bool = False) -> None:
    p = doc.add_paragraph()
    r = p.add_run(text)
    r.bold, r.font.size = True, Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _para(doc, text: str, indent: bool = True) -> None:
    p = doc.add_paragraph(text)
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)


def build_chuzhou(path: Path) -> Path:
    doc = Document()
    _fonts(doc, 10.5)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    sec.orientation = 1
    sec.left_margin = sec.right_margin = Cm(1.8)
    sec.top_margin = sec.bottom_margin = Cm(1.5)
    _heading(doc, "滁州市2024年第三季度（1-9月）社会保险基金预算执行情况表", 16, center=True)
    doc.add_paragraph(
        "编报单位：滁州市财政局  滁州市人力资源和社会保障局  滁州市医疗保障局\t\t\t\t\t单位：万元"
    )
    rows = cz_table_rows()
    tbl = doc.add_table(rows=len(rows), cols=7)
    tbl.style = "Table Grid"
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    widths = [Cm(6.4), Cm(3.2), Cm(3.2), Cm(3.4), Cm(2.4), Cm(3.4), Cm(2.4)]
    for j, col in enumerate(tbl.columns):
        col.width = widths[j]
    for i, row in enumerate(rows):
        for j in range(7):
            tbl.cell(i, j).width = widths[j]
        if i and len(set(row)) == 1:
            m = tbl.cell(i, 0).merge(tbl.cell(i, 6))
            _cell(m, row[0], bold=True)
            continue
        for j, text in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else (None if j == 0 else WD_ALIGN_PARAGRAPH.RIGHT)
            _cell(tbl.cell(i, j), text, bold=i == 0 or "合计" in text, align=align)
    note = doc.add_paragraph(
        "说明：1.执行进度=1-9月累计执行数÷全年预算数×100%；同比增减=（1-9月累计执行数-上年同期累计数）÷上年同期累计数×100%。"
        "2.“其中”项仅列主要收支项目，利息收入、转移收入、其他支出等未单独列示。3.全年预算数为市人大批准的年初预算数。"
    )
    note.runs[0].font.size = Pt(9)
    doc.add_paragraph(
        "单位负责人：            分管负责人：            制表人：            报送日期：2024年10月18日"
    )
    for style, text in cz_analysis():
        if style == "h":
            _heading(doc, text, 14 if text == "分析说明" else 12, center=text == "分析说明")
        else:
            _para(doc, text)
    _page_footer(sec, "第 ", " 页")
    doc.core_properties.author = "滁州市财政局社会保障科"
    doc.core_properties.created = __import__("datetime").datetime(2024, 10, 18, 9, 0, 0)
    doc.core_properties.modified = doc.core_properties.created
    doc.save(path)
    return path


# ============================================================================ anhua-2023 (自评报告, 万元/元)

AH_PEOPLE = {
    "insured": "578,236",  # 年末参保人数
    "eligible": "604,092",  # 适龄应参保人数
    "contributors": "381,947",  # 当年缴费人数 (参保 − 缴费 − 领取 = 未缴费暂停人员)
    "beneficiaries": "186,905",  # 领取待遇人数
    "deaths": "9,216",  # 领取丧葬补助金的死亡人员
}
AH_STANDARD = ("153", "145", "103", "40", "10")  # 基础养老金 元/人·月: 2023, 2022; 中央, 省, 县 parts of 2023
AH_FUNERAL = "1,000"  # 丧葬补助金 元/人
# 资金到位 by level (万元): (全年预算数, 实际到位数)
AH_LEVELS = (
    ("中央财政补助资金", "23,118.00", "23,118.00"),
    ("省级财政补助资金", "9,630.00", "9,630.00"),
    ("市级财政补助资金", "412.00", "386.50"),
    ("县级财政补助资金", "4,850.00", "4,720.00"),
)
AH_BUDGET = ("32,130.00", "5,070.00")  # 年初预算数: 中央和省级, 市县级
# fund income (万元): (label, code, 2023, 2022)
AH_INCOME = (
    ("个人缴费收入", "contribution", "11,846.20", "11,372.95"),
    ("财政补助收入", "fiscal_subsidy", None, "36,102.64"),  # 2023 = the 到位 total
    ("利息收入", "interest", "2,385.62", "2,418.07"),
    ("集体补助及其他收入", "other_income", "126.40", "98.35"),
    ("转移收入", "transfer_in", "58.31", "20.46"),
)
# fund expenditure (万元): (label, code, 2023, 2022)
AH_SPENDING = (
    ("基础养老金", "basic_pension_base", "34,108.72", "31,986.30"),
    ("个人账户养老金", "individual_account_pension", "3,216.45", "2,905.18"),
    ("丧葬补助金", "funeral_survivor", None, "868.00"),  # 2023 = deaths × 1,000元
    ("转移支出", "transfer_out", "46.18", "35.62"),
)
AH_ROLLING_PRIOR = "186,420.55"
AH_ROLLING = "200,938.63"  # printed; 186,420.55 + 13,978.08 = 200,398.63 (digits 3 and 9 swapped)
AH_CONTRIB_SUBSIDY = "1,830.78"  # 缴费补贴（含代缴）记入个人账户, 万元 (not a fund item)


def ah_numbers() -> dict:
    """Every printed figure of the 自评报告 (strings as printed), computed from the data above."""
    lv = [(lab, d(b), d(a)) for lab, b, a in AH_LEVELS]
    budget_total = sum((b for _, b, _ in lv), D(0))
    arrived = sum((a for _, _, a in lv), D(0))
    levels = [
        {"label": lab, "budget": wan(b), "arrived": wan(a), "rate": pct(a, b), "missing": wan(b - a)}
        for lab, b, a in lv
    ]
    total = {
        "label": "合计",
        "budget": wan(budget_total),
        "arrived": wan(arrived),
        "rate": pct(arrived, budget_total),
        "missing": wan(budget_total - arrived),
    }
    funeral = q(d(AH_PEOPLE["deaths"]) * d(AH_FUNERAL) / 10000)
    income = [(lab, code, d(cur) if cur else arrived, d(pr)) for lab, code, cur, pr in AH_INCOME]
    spending = [(lab, code, d(cur) if cur else funeral, d(pr)) for lab, code, cur, pr in AH_SPENDING]

    def lines(rows: list) -> list[dict]:
        out = [
            {
                "label": lab,
                "code": code,
                "cur": wan(c),
                "prior": wan(p),
                "change": wan(c - p),
                "yoy": growth(c, p),
            }
            for lab, code, c, p in rows
        ]
        c, p = sum((r[2] for r in rows), D(0)), sum((r[3] for r in rows), D(0))
        out.append(
            {
                "label": "合计",
                "code": None,
                "cur": wan(c),
                "prior": wan(p),
                "change": wan(c - p),
                "yoy": growth(c, p),
            }
        )
        return out

    inc, spend = lines(income), lines(spending)
    balance = d(inc[-1]["cur"]) - d(spend[-1]["cur"])
    sub_budget = d(AH_BUDGET[0]) + d(AH_BUDGET[1])
    central_prov = lv[0][1] + lv[1][1], lv[0][2] + lv[1][2]
    local = lv[2][1] + lv[3][1], lv[2][2] + lv[3][2]
    return {
        "levels": levels,
        "level_total": total,
        "income": inc,
        "spending": spend,
        "balance": wan(balance),
        "rolling_prior": AH_ROLLING_PRIOR,
        "rolling": AH_ROLLING,
        "rolling_true": wan(d(AH_ROLLING_PRIOR) + balance),
        "months": str(q(d(AH_ROLLING) / (d(spend[-1]["cur"]) / 12), "0.1")),
        "base_share": pct(d(spend[0]["cur"]), d(spend[-1]["cur"])),
        "insured_rate": pct(d(AH_PEOPLE["insured"]), d(AH_PEOPLE["eligible"])),
        "funeral": wan(funeral),
        "funds": {  # the 自评表 项目资金 block: 年初预算数, 全年预算数, 全年执行数, 执行率
            "total": (wan(sub_budget), total["budget"], total["arrived"], total["rate"]),
            "central_prov": (
                AH_BUDGET[0],
                wan(central_prov[0]),
                wan(central_prov[1]),
                pct(central_prov[1], central_prov[0]),
            ),
            "local": (AH_BUDGET[1], wan(local[0]), wan(local[1]), pct(local[1], local[0])),
        },
        "exec_score": str(q(d(total["rate"]) / 10)),  # 10分 × 执行率
    }


def ah_kpis() -> list[tuple[str, str, str, str, str, str, str, str]]:
    """The 自评表 indicators: (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)."""
    n = ah_numbers()
    return [
        (
            "产出指标",
            "数量指标",
            "城乡居民养老保险参保人数",
            "≥57万人",
            f"{AH_PEOPLE['insured']}人",
            "10",
            "10",
            "无",
        ),
        (
            "产出指标",
            "数量指标",
            "领取城乡居民养老保险待遇人数",
            "≥18.5万人",
            f"{AH_PEOPLE['beneficiaries']}人",
            "10",
            "10",
            "无",
        ),
        ("产出指标", "数量指标", "适龄居民参保率", "≥96%", f"{n['insured_rate']}%", "10", "10", "无"),
        ("产出指标", "质量指标", "基础养老金按时足额发放率", "100%", "100%", "10", "10", "无"),
        ("产出指标", "时效指标", "养老金发放时间", "每月10日前", "每月10日前", "5", "5", "无"),
        ("产出指标", "成本指标", "基础养老金标准", "≥153元/人·月", "153元/人·月", "5", "5", "无"),
        (
            "效益指标",
            "社会效益指标",
            "城乡老年居民基本生活保障水平",
            "稳步提高",
            "稳步提高",
            "10",
            "10",
            "无",
        ),
        ("效益指标", "社会效益指标", "丧葬补助金按规定发放率", "100%", "100%", "10", "10", "无"),
        (
            "效益指标",
            "可持续影响指标",
            "基金累计结余可支付月数",
            "≥12个月",
            f"{n['months']}个月",
            "10",
            "10",
            "无",
        ),
        ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", "94.2%", "10", "10", "无"),
    ]


def ah_total_score() -> str:
    return str(q(d(ah_numbers()["exec_score"]) + sum(d(k[6]) for k in ah_kpis())))


def ah_paragraphs() -> list[tuple[str, str]]:
    n = ah_numbers()
    p = AH_PEOPLE
    inc, sp = {r["code"]: r for r in n["income"]}, {r["code"]: r for r in n["spending"]}
    inc_t, sp_t = n["income"][-1], n["spending"][-1]
    tot = n["level_total"]
    lv = {r["label"][:2]: r for r in n["levels"]}
    std, std_prior, c_std, p_std, x_std = AH_STANDARD
    fb, _fa, _fe, fr = n["funds"]["total"]
    return [
        ("title", "安化县2023年度城乡居民基本养老保险中央和省级财政补助资金绩效自评报告"),
        ("center", "安化县人力资源和社会保障局"),
        ("center", "（2024年3月）"),
        (
            "p",
            "根据财政部、人力资源社会保障部关于开展中央对地方转移支付绩效自评的要求和省、市有关通知精神，"
            "我局会同县财政局对2023年度城乡居民基本养老保险中央和省级财政补助资金开展了绩效自评，现将有关情况报告如下。",
        ),
        ("h1", "一、项目基本情况"),
        ("h2", "（一）项目概况"),
        (
            "p",
            f"城乡居民基本养老保险补助资金用于支付参保人员基础养老金、对参保人缴费给予补贴、为困难群体代缴"
            f"最低档次养老保险费以及支付丧葬补助金。截至2023年底，全县城乡居民基本养老保险参保人数{p['insured']}人，"
            f"适龄应参保人数{p['eligible']}人；当年缴费人数{p['contributors']}人；领取待遇人数{p['beneficiaries']}人。"
            f"2023年全县基础养老金标准为每人每月{std}元，"
            f"较上年提高{int(std) - int(std_prior)}元（上年{std_prior}元），"
            f"其中中央确定的基础养老金{c_std}元、省级提高部分{p_std}元、县级加发{x_std}元。",
        ),
        ("h2", "（二）绩效目标"),
        (
            "p",
            "年度总体目标：按时足额发放城乡居民基本养老保险待遇，落实缴费补贴和代缴政策，保障城乡老年居民基本生活，"
            "确保基金安全可持续运行。具体指标为：1.全县参保人数不低于57万人；2.领取待遇人数不低于18.5万人；"
            "3.适龄居民参保率达到96%以上；4.基础养老金按时足额发放率100%；5.每月10日前发放养老金；"
            "6.基础养老金标准不低于每人每月153元；7.丧葬补助金按规定发放率100%；8.基金累计结余可支付月数不少于12个月；"
            "9.参保群众满意度90%以上。",
        ),
        ("h1", "二、资金到位情况"),
        (
            "p",
            f"2023年各级财政安排城乡居民基本养老保险补助资金全年预算数{tot['budget']}万元（年初预算数{fb}万元，"
            f"年中按实际领取待遇人数调增），实际到位{tot['arrived']}万元，到位率{tot['rate']}%，尚有{tot['missing']}万元"
            f"未到位。其中：中央财政补助资金{lv['中央']['arrived']}万元、省级财政补助资金{lv['省级']['arrived']}万元，"
            f"均已全额到位；市级财政补助资金应到位{lv['市级']['budget']}万元，实际到位{lv['市级']['arrived']}万元，"
            f"到位率{lv['市级']['rate']}%；县级财政配套资金应到位{lv['县级']['budget']}万元，实际到位"
            f"{lv['县级']['arrived']}万元，到位率{lv['县级']['rate']}%。分级到位情况见表1。",
        ),
        ("table1", ""),
        ("h1", "三、资金使用情况"),
        (
            "p",
            f"到位资金全部纳入社会保障基金财政专户，实行收支两条线管理。2023年全县城乡居民基本养老保险基金收入"
            f"{inc_t['cur']}万元，比上年增加{inc_t['change']}万元，增长{inc_t['yoy']}%。其中：个人缴费收入"
            f"{inc['contribution']['cur']}万元；财政补助收入{inc['fiscal_subsidy']['cur']}万元，占基金收入的"
            f"{pct(d(inc['fiscal_subsidy']['cur']), d(inc_t['cur']))}%；"
            f"利息收入{inc['interest']['cur']}万元，受存款利率下调影响"
            f"较上年减少{inc['interest']['change'].lstrip('-')}万元；集体补助及其他收入{inc['other_income']['cur']}万元；"
            f"转移收入{inc['transfer_in']['cur']}万元。财政补助资金中，缴费补贴（含代缴）{AH_CONTRIB_SUBSIDY}万元"
            f"已全部记入参保人个人账户。",
        ),
        (
            "p",
            f"全年基金支出{sp_t['cur']}万元，较上年增长{sp_t['yoy']}%。其中：发放基础养老金"
            f"{sp['basic_pension_base']['cur']}万元，占基金支出的{n['base_share']}%；个人账户养老金"
            f"{sp['individual_account_pension']['cur']}万元；为{p['deaths']}名死亡参保人员的家属发放丧葬补助金"
            f"{sp['funeral_survivor']['cur']}万元（每人{AH_FUNERAL}元）；转移支出{sp['transfer_out']['cur']}万元。"
            f"资金使用明细见表2。",
        ),
        ("table2", ""),
        (
            "p",
            f"当年收支结余{n['balance']}万元，年末滚存结余{n['rolling']}万元（上年末{n['rolling_prior']}万元），"
            f"按当年支出水平计算可支付{n['months']}个月。",
        ),
        ("h1", "四、绩效目标完成情况"),
        (
            "p",
            f"（一）产出指标。1.参保人数{p['insured']}人，完成不低于57万人的目标；2.领取待遇人数{p['beneficiaries']}人，"
            f"超过18.5万人的目标；3.适龄居民参保率{n['insured_rate']}%，完成参保率目标；4.基础养老金按时足额发放率100%；"
            f"5.养老金均于每月10日前发放到参保人社会保障卡；6.基础养老金标准达到每人每月{std}元。",
        ),
        (
            "p",
            f"（二）效益指标。城乡老年居民基本生活保障水平稳步提高，丧葬补助金按规定发放率100%；基金累计结余可支付"
            f"{n['months']}个月，高于12个月的目标，基金运行可持续。",
        ),
        ("p", "（三）满意度指标。通过电话回访和入户走访抽样调查，参保群众满意度为94.2%，达到90%以上的目标。"),
        ("h1", "五、自评结论"),
        (
            "p",
            f"经综合评价，本项目预算执行率{fr}%，得{n['exec_score']}分；产出、效益和满意度指标均已完成，"
            f"自评总得分{ah_total_score()}分，自评等级为“优”。扣分原因为市县两级补助资金未足额到位。",
        ),
        ("h1", "六、存在的问题及改进措施"),
        (
            "p",
            f"一是市县两级资金到位不足，全年仍有{tot['missing']}万元未到位，需在2024年一季度补足；二是个人缴费"
            f"档次偏低，多数参保人选择最低档次缴费，个人账户积累不足；三是部分乡镇经办人员变动频繁，待遇资格认证"
            f"工作存在滞后。下一步，我局将会同县财政局督促资金及时足额到位，加大多缴多得政策宣传，引导参保人选择"
            f"较高档次缴费，并加强基层经办队伍培训。",
        ),
        ("p", "附件：项目支出绩效自评表"),
        ("selftable", ""),
    ]


def ah_table1() -> list[list[str]]:
    n = ah_numbers()
    rows = [["资金来源", "全年预算数（万元）", "实际到位数（万元）", "到位率（%）", "未到位数（万元）"]]
    for r in n["levels"] + [n["level_total"]]:
        rows.append([r["label"], r["budget"], r["arrived"], r["rate"], r["missing"]])
    return rows


def ah_table2() -> list[list[str]]:
    n = ah_numbers()
    rows = [["支出项目", "2023年（万元）", "2022年（万元）", "增减额（万元）", "增减（%）"]]
    for r in n["spending"]:
        rows.append([r["label"], r["cur"], r["prior"], r["change"], r["yoy"]])
    return rows


def _simple_table(doc, rows: list[list[str]], caption: str) -> None:
    _heading(doc, caption, 10.5, center=True)
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 or j == 0 else WD_ALIGN_PARAGRAPH.RIGHT
            _cell(t.cell(i, j), text, bold=i == 0 or row[0] == "合计", align=align, size=10)


def ah_selftable_cells() -> tuple[int, list[tuple[int, int, int, int, str]]]:
    """The 自评表 as spans (r0, c0, r1, c1, text) on an 8-column grid, and its row count."""
    n = ah_numbers()
    _fb, _fa, _fe, fr = n["funds"]["total"]
    cells: list[tuple[int, int, int, int, str]] = [
        (0, 0, 0, 7, "项目支出绩效自评表"),
        (1, 0, 1, 7, "（2023年度）"),
        (2, 0, 2, 0, "项目名称"),
        (2, 1, 2, 7, "城乡居民基本养老保险中央和省级财政补助资金"),
        (3, 0, 3, 0, "主管部门"),
        (3, 1, 3, 3, "安化县人力资源和社会保障局"),
        (3, 4, 3, 4, "实施单位"),
        (3, 5, 3, 7, "安化县社会保险服务中心"),
        (4, 0, 7, 0, "项目资金（万元）"),
    ]
    for j, text in enumerate(
        ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=1
    ):
        cells.append((4, j, 4, j, text))
    block = (
        ("年度资金总额", n["funds"]["total"], "10", f"{fr}%", n["exec_score"]),
        ("其中：中央和省级补助", n["funds"]["central_prov"], "—", f"{n['funds']['central_prov'][3]}%", "—"),
        ("市县级资金", n["funds"]["local"], "—", f"{n['funds']['local'][3]}%", "—"),
    )
    for i, (label, (b, a, e, _r), score, rate, got) in enumerate(block, start=5):
        for j, text in enumerate((label, b, a, e, score, rate, got), start=1):
            cells.append((i, j, i, j, text))
    cells += [
        (8, 0, 9, 0, "年度总体目标"),
        (8, 1, 8, 3, "预期目标"),
        (8, 4, 8, 7, "实际完成情况"),
        (
            9,
            1,
            9,
            3,
            "按时足额发放城乡居民基本养老保险待遇，落实缴费补贴和代缴政策，保障城乡老年居民基本生活，"
            "确保基金安全可持续运行。",
        ),
        (
            9,
            4,
            9,
            7,
            f"全年发放基础养老金{n['spending'][0]['cur']}万元，领取待遇{AH_PEOPLE['beneficiaries']}人，"
            f"待遇按月足额发放，基金累计结余可支付{n['months']}个月。",
        ),
    ]
    head = (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    cells += [(10, j, 10, j, t) for j, t in enumerate(head)]
    kpis = ah_kpis()
    r0 = 11
    for col in (0, 1):  # vertical merges of equal consecutive 一级/二级 labels
        start = 0
        for i in range(1, len(kpis) + 1):
            if i == len(kpis) or kpis[i][col] != kpis[start][col]:
                cells.append((r0 + start, col, r0 + i - 1, col, kpis[start][col]))
                start = i
    for i, k in enumerate(kpis):
        cells += [(r0 + i, j, r0 + i, j, k[j]) for j in range(2, 8)]
    last = r0 + len(kpis)
    cells += [
        (last, 0, last, 4, "总分"),
        (last, 5, last, 5, "100"),
        (last, 6, last, 6, ah_total_score()),
        (last, 7, last, 7, "自评等级：优"),
    ]
    return last + 1, cells


def _merged_table(doc, nrows: int, ncols: int, cells: list[tuple[int, int, int, int, str]]) -> None:
    t = doc.add_table(rows=nrows, cols=ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = [Cm(w) for w in (1.7, 1.9, 2.7, 1.9, 1.9, 1.1, 1.4, 3.2)]
    for j, col in enumerate(t.columns):
        col.width = widths[j]
        for cell in col.cells:
            cell.width = widths[j]
    for r0, c0, r1, c1, text in cells:
        cell = t.cell(r0, c0)
        if (r1, c1) != (r0, c0):
            cell = cell.merge(t.cell(r1, c1))
        bold = r0 < 2 or text in ("一级指标", "二级指标", "三级指标", "总分")
        _cell(cell, text, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER if len(text) < 16 else None, size=9)


def build_anhua(path: Path) -> Path:
    doc = Document()
    _fonts(doc, 12)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.6)
    sec.top_margin = sec.bottom_margin = Cm(2.5)
    for style, text in ah_paragraphs():
        if style == "title":
            _heading(doc, text, 18, center=True)
        elif style == "center":
            p = doc.add_paragraph(text)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "h1":
            _heading(doc, text, 14)
        elif style == "h2":
            _heading(doc, text, 12)
        elif style == "table1":
            _simple_table(doc, ah_table1(), "表1  2023年城乡居民基本养老保险补助资金分级到位情况")
        elif style == "table2":
            _simple_table(doc, ah_table2(), "表2  2023年城乡居民基本养老保险基金支出情况")
        elif style == "selftable":
            nrows, cells = ah_selftable_cells()
            _merged_table(doc, nrows, 8, cells)
        else:
            _para(doc, text)
    _page_footer(sec, "— ", " —")
    doc.core_properties.author = "安化县人社局社保股"
    doc.core_properties.created = __import__("datetime").datetime(2024, 3, 20, 10, 0, 0)
    doc.core_properties.modified = doc.core_properties.created
    doc.save(path)
    return path


# ============================================================================ entry points


def docx_sources(out: Path) -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return {CZ: build_chuzhou(out / f"{CZ}.docx"), AH: build_anhua(out / f"{AH}.docx")}


def build_reports(out: Path, with_pdf: bool) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cz = build_chuzhou(out / f"{CZ}.docx")
    paths = [cz, build_anhua(out / f"{AH}.docx")]
    if with_pdf:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from pdfrender import soffice_pdf

        paths.append(soffice_pdf(cz, out))
    return paths


if __name__ == "__main__":
    for p in build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build"), with_pdf="--pdf" in sys.argv):
        print(p)
