"""Build author A1's DOCX/PDF report of blind8 (yiling-2023: 夷陵区2023年1-9月社会保险基金预算执行情况表).

Deterministic: every amount is literal data below (元, two decimals); totals, balances, 执行进度 and
比上年同期增减 are computed from it (half-up to two decimals). Two planted errors:

- PLANTED_RATE: the 机关养老 支出合计 执行进度 printed with two digits transposed;
- PLANTED_SUBSIDY: the 城乡居民养老 1-9月 财政补贴收入 printed 100,000.00 元 above the figure the
  收入合计 was summed from (the 其中 rows are exhaustive, so they add up to more than the total).

a1_key_checks.py recomputes every derived figure from ``numbers()``; ``gold_facts()`` lists the facts.
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
STEM = "yiling-2023"
COLS = ("budget", "budget_adjusted", "actual", "prior")  # 年初预算数 调整后预算数 1-9月累计执行数 上年同期数

# fund -> (heading, income parts, expenditure parts, 上年末滚存结余, 上年同期期末滚存结余)
# each part: (label, item code, 年初预算数, 调整后预算数, 1-9月累计执行数, 上年同期数) in 元
FUNDS = {
    "institution_pension": (
        "机关事业单位基本养老保险基金",
        [
            (
                "社会保险费收入",
                "contribution",
                "186,400,000.00",
                "191,800,000.00",
                "146,237,518.36",
                "139,604,227.85",
            ),
            (
                "财政补贴收入",
                "fiscal_subsidy",
                "52,600,000.00",
                "58,300,000.00",
                "44,180,000.00",
                "40,265,000.00",
            ),
            ("利息收入", "interest", "1,350,000.00", "1,350,000.00", "962,734.18", "1,018,446.72"),
            ("转移收入", "transfer_in", "2,400,000.00", "2,400,000.00", "1,876,203.55", "1,532,918.40"),
            ("其他收入", "other_income", "150,000.00", "150,000.00", "84,630.00", "121,305.00"),
        ],
        [
            (
                "社会保险待遇支出",
                "benefits",
                "236,800,000.00",
                "245,600,000.00",
                "188,406,925.73",
                "176,833,514.26",
            ),
            ("转移支出", "transfer_out", "2,900,000.00", "2,900,000.00", "2,213,648.90", "1,964,372.15"),
            ("其他支出", "other_expenditure", "100,000.00", "100,000.00", "35,420.00", "58,760.00"),
        ],
        "38,652,417.29",
        "47,233,906.14",
    ),
    "resident_pension": (
        "城乡居民基本养老保险基金",
        [
            (
                "社会保险费收入",
                "contribution",
                "31,500,000.00",
                "31,500,000.00",
                "27,846,310.00",
                "25,937,180.00",
            ),
            (
                "财政补贴收入",
                "fiscal_subsidy",
                "46,800,000.00",
                "48,200,000.00",
                "34,469,315.20",
                "32,118,640.75",
            ),
            ("利息收入", "interest", "3,600,000.00", "3,600,000.00", "2,413,876.04", "2,587,209.33"),
            ("转移收入", "transfer_in", "300,000.00", "300,000.00", "196,480.15", "228,573.60"),
        ],
        [
            (
                "社会保险待遇支出",
                "benefits",
                "68,900,000.00",
                "70,500,000.00",
                "52,904,716.38",
                "49,072,385.91",
            ),
            ("转移支出", "transfer_out", "450,000.00", "450,000.00", "327,915.62", "386,104.27"),
        ],
        "286,417,553.82",
        "260,849,617.45",
    ),
    "resident_medical": (
        "城乡居民基本医疗保险基金",
        [
            (
                "社会保险费收入",
                "contribution",
                "98,600,000.00",
                "98,600,000.00",
                "96,307,542.00",
                "92,851,260.00",
            ),
            (
                "财政补贴收入",
                "fiscal_subsidy",
                "151,200,000.00",
                "151,200,000.00",
                "113,400,000.00",
                "108,675,000.00",
            ),
            ("利息收入", "interest", "850,000.00", "850,000.00", "617,308.47", "702,415.36"),
        ],
        [
            (
                "社会保险待遇支出",
                "benefits",
                "238,500,000.00",
                "246,300,000.00",
                "186,725,361.94",
                "171,560,228.43",
            ),
            ("其他支出", "other_expenditure", "1,200,000.00", "1,200,000.00", "806,214.50", "742,380.00"),
        ],
        "126,843,770.51",
        "117,905,246.08",
    ),
}
ROMAN = {"institution_pension": "一", "resident_pension": "二", "resident_medical": "三"}

PLANTED_RATE = ("institution_pension", "expenditure_total", "78.64")  # 190,655,994.63 / 248,600,000 = 76.69
PLANTED_SUBSIDY = ("resident_pension", "fiscal_subsidy", D("100000.00"))  # summed at 34,469,315.20


def y(x: str | Decimal) -> Decimal:
    return D(str(x).replace(",", ""))


def fmt(x: Decimal) -> str:
    """190656000 -> '190,656,000.00' (thousands separators, two decimals)."""
    return f"{x:,.2f}"


def q2(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), ROUND_HALF_UP)


def pct(a: Decimal, b: Decimal) -> str:
    return str(q2(a / b * 100))


def yoy(cur: Decimal, prior: Decimal) -> str:
    return str(q2((cur - prior) / prior * 100))


def wan(x: Decimal) -> str:
    """元 -> 万元 rounded to two decimals, with separators: 146237518.36 -> '14,623.75'."""
    return f"{q2(x / 10000):,}"


def numbers() -> dict[str, dict]:
    """Per fund (and 'all'): rows as {label: {code, values{col: 元}, printed{col: str}, rate, yoy}}.

    ``values`` are the amounts the arithmetic uses (the planted subsidy at its summed value),
    ``printed`` the table's strings.
    """
    out: dict[str, dict] = {}
    for fund, (_name, inc, exp, start, prior_roll) in FUNDS.items():
        rows: dict[str, dict] = {}

        def part(label: str, code: str, vals: tuple[str, ...]) -> dict:
            v = dict(zip(COLS, (y(s) for s in vals), strict=True))
            return {"code": code, "values": v}

        inc_rows = [part(lab, code, vals) for lab, code, *vals in inc]
        exp_rows = [part(lab, code, vals) for lab, code, *vals in exp]
        inc_total = {c: sum((r["values"][c] for r in inc_rows), D(0)) for c in COLS}
        exp_total = {c: sum((r["values"][c] for r in exp_rows), D(0)) for c in COLS}
        bal = {c: inc_total[c] - exp_total[c] for c in COLS}
        roll = {c: y(start) + bal[c] for c in COLS[:3]}
        roll["prior"] = y(prior_roll)
        rows["收入合计"] = {"code": "income_total", "values": inc_total, "total": True}
        for (lab, *_), r in zip(inc, inc_rows, strict=True):
            rows[lab + "@in"] = r | {"label": lab}
        rows["支出合计"] = {"code": "expenditure_total", "values": exp_total, "total": True}
        for (lab, *_), r in zip(exp, exp_rows, strict=True):
            rows[lab + "@out"] = r | {"label": lab}
        rows["本期收支结余"] = {"code": "balance_current", "values": bal, "balance": True}
        rows["期末滚存结余"] = {"code": "balance_rolling", "values": roll, "balance": True}
        out[fund] = {"rows": rows, "start": y(start)}
    # 三项基金合计
    alls: dict[str, dict] = {}
    for lab, code in (
        ("收入合计", "income_total"),
        ("支出合计", "expenditure_total"),
        ("本期收支结余", "balance_current"),
        ("期末滚存结余", "balance_rolling"),
    ):
        vals = {c: sum((out[f]["rows"][lab]["values"][c] for f in FUNDS), D(0)) for c in COLS}
        alls[lab] = {
            "code": code,
            "values": vals,
            "total": code.endswith("total"),
            "balance": code.startswith("balance"),
        }
    out["all"] = {"rows": alls, "start": sum((out[f]["start"] for f in FUNDS), D(0))}
    # printed strings, rates
    for _fund, data in out.items():
        for row in data["rows"].values():
            v = row["values"]
            row["printed"] = {c: fmt(v[c]) for c in COLS}
            row["rate"] = None if row.get("balance") else pct(v["actual"], v["budget_adjusted"])
            row["yoy"] = yoy(v["actual"], v["prior"])
            row["printed_actual_value"] = v["actual"]
    f, code, wrong = PLANTED_RATE
    row = next(r for r in out[f]["rows"].values() if r["code"] == code)
    row["true_rate"], row["rate"] = row["rate"], wrong
    f, code, extra = PLANTED_SUBSIDY
    row = next(r for r in out[f]["rows"].values() if r["code"] == code)
    row["printed_actual_value"] = row["values"]["actual"] + extra
    row["printed"]["actual"] = fmt(row["printed_actual_value"])
    # the rate and the yoy agree with the printed figure: only the 其中 sum is off
    row["rate"] = pct(row["printed_actual_value"], row["values"]["budget_adjusted"])
    row["yoy"] = yoy(row["printed_actual_value"], row["values"]["prior"])
    return out


def table_rows() -> list[list[str]]:
    n = numbers()
    rows = [
        ["项    目", "本年预算", "本年预算", "本年执行", "本年执行", "上年同期数", "比上年同期增减(%)"],
        [
            "项    目",
            "年初预算数",
            "调整后预算数",
            "1-9月累计执行数",
            "执行进度(%)",
            "上年同期数",
            "比上年同期增减(%)",
        ],
    ]
    order = [("", "三项基金合计", "all")] + [(ROMAN[f] + "、", FUNDS[f][0], f) for f in FUNDS]
    for num, name, fund in order:
        rows.append([f"{num}{name}"] * 7)
        for key, r in n[fund]["rows"].items():
            if "@" in key:
                label = ("    其中：" if _first_part(n[fund]["rows"], key) else "          ") + r["label"]
            else:
                label = key
            p = r["printed"]
            rows.append(
                [
                    label,
                    p["budget"],
                    p["budget_adjusted"],
                    p["actual"],
                    r["rate"] if r["rate"] else "—",
                    p["prior"],
                    r["yoy"],
                ]
            )
    return rows


def _first_part(rows: dict, key: str) -> bool:
    keys = list(rows)
    i = keys.index(key)
    return "@" not in keys[i - 1]


def _fonts(doc) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(10.5)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _cell_text(cell, text: str, bold: bool = False, align=None, size: float = 8) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    if align is not None:
        p.alignment = align


def analysis() -> list[str]:
    n = numbers()
    a, ip, rp, rm = (
        n[k]["rows"] for k in ("all", "institution_pension", "resident_pension", "resident_medical")
    )
    va = lambda rows, k, c="actual": rows[k]["values"][c]  # noqa: E731
    inc_change = va(a, "收入合计") - va(a, "收入合计", "prior")
    exp_change = va(a, "支出合计") - va(a, "支出合计", "prior")
    ip_sub = ip["财政补贴收入@in"]["values"]
    rm_ben = rm["社会保险待遇支出@out"]["values"]
    rp_int = rp["利息收入@in"]["values"]
    return [
        f"1-9月，全区三项社会保险基金收入合计{wan(va(a, '收入合计'))}万元，完成调整后预算的{a['收入合计']['rate']}%，"
        f"比上年同期增收{wan(inc_change)}万元、增长{a['收入合计']['yoy']}%；支出合计{wan(va(a, '支出合计'))}万元，"
        f"支出进度{a['支出合计']['rate']}%，同比多支{wan(exp_change)}万元、增幅{a['支出合计']['yoy']}%。收支相抵，"
        f"本期结余{wan(va(a, '本期收支结余'))}万元，9月末三项基金滚存结余{wan(va(a, '期末滚存结余'))}万元"
        f"（上年末{wan(n['all']['start'])}万元）。按时间进度75%衡量，收入进度基本同步，支出进度略快于序时。",
        f"机关事业单位养老保险基金收不抵支的状况仍未改变。1-9月该基金征收保险费{wan(ip['社会保险费收入@in']['values']['actual'])}万元，"
        f"同比增长{ip['社会保险费收入@in']['yoy']}%，主要是2023年缴费基数调整后按新基数补收；财政补贴收入"
        f"{wan(ip_sub['actual'])}万元，区财政在年中预算调整中追加补贴{wan(ip_sub['budget_adjusted'] - ip_sub['budget'])}万元，"
        f"调整后预算为{wan(ip_sub['budget_adjusted'])}万元。待遇支出随退休人员增加和基本养老金调待而增长"
        f"{ip['社会保险待遇支出@out']['yoy']}%，当期收支结余{wan(va(ip, '本期收支结余'))}万元，期末滚存结余降至"
        f"{wan(va(ip, '期末滚存结余'))}万元，低于上年同期，基金支付压力较大，第四季度需按月足额拨付财政补贴。",
        f"城乡居民养老保险基金运行平稳。个人缴费集中在上半年征收，1-9月保险费收入已完成调整后预算的"
        f"{rp['社会保险费收入@in']['rate']}%；受存款利率下调影响，利息收入{wan(rp_int['actual'])}万元，比上年同期减少"
        f"{wan(rp_int['prior'] - rp_int['actual'])}万元，下降{-D(rp['利息收入@in']['yoy'])!s}%。基金支出"
        f"{wan(va(rp, '支出合计'))}万元，同比增长{rp['支出合计']['yoy']}%。",
        f"城乡居民医保基金受门诊统筹待遇提高和住院费用增长影响，待遇支出{wan(rm_ben['actual'])}万元，"
        f"比上年同期增加{wan(rm_ben['actual'] - rm_ben['prior'])}万元、增长{rm['社会保险待遇支出@out']['yoy']}%，"
        f"执行进度{rm['社会保险待遇支出@out']['rate']}%，年中已将待遇支出预算由{wan(rm_ben['budget'])}万元调增至"
        f"{wan(rm_ben['budget_adjusted'])}万元。下一步，区医保局将加强对定点医药机构的监管，区人社局和区税务局将加强"
        f"保险费征缴，确保全年基金收支预算顺利完成。",
    ]


def build_docx(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    sec.orientation = 1
    sec.left_margin = sec.right_margin = Cm(1.8)
    sec.top_margin = sec.bottom_margin = Cm(1.6)
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = t.add_run("夷陵区2023年1-9月社会保险基金预算执行情况表")
    r.bold, r.font.size = True, Pt(16)
    head = doc.add_paragraph("编制单位：宜昌市夷陵区财政局\t\t\t\t\t\t\t\t\t\t单位：元")
    head.paragraph_format.space_after = Pt(2)
    rows = table_rows()
    tbl = doc.add_table(rows=len(rows), cols=7)
    tbl.style = "Table Grid"
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    widths = [Cm(6.0), Cm(3.6), Cm(3.6), Cm(3.8), Cm(2.2), Cm(3.6), Cm(2.8)]
    for j, col in enumerate(tbl.columns):
        col.width = widths[j]
    for i, row in enumerate(rows):
        for j, _text in enumerate(row):
            tbl.cell(i, j).width = widths[j]
        if len(set(row)) == 1:
            continue
        for j, text in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.CENTER if i < 2 else (None if j == 0 else WD_ALIGN_PARAGRAPH.RIGHT)
            _cell_text(tbl.cell(i, j), text, bold=i < 2, align=align)
    # merged header cells: 项目 (two rows), 本年预算, 本年执行, 上年同期数, 比上年同期增减
    for a, b in (((0, 0), (1, 0)), ((0, 1), (0, 2)), ((0, 3), (0, 4)), ((0, 5), (1, 5)), ((0, 6), (1, 6))):
        text = rows[a[0]][a[1]]
        m = tbl.cell(*a).merge(tbl.cell(*b))
        _cell_text(m, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, row in enumerate(rows):
        if len(set(row)) == 1:
            m = tbl.cell(i, 0).merge(tbl.cell(i, 6))
            _cell_text(m, row[0], bold=True)
    note = doc.add_paragraph(
        "注：执行进度=1-9月累计执行数÷调整后预算数×100%；比上年同期增减=（1-9月累计执行数-上年同期数）"
        "÷上年同期数×100%。期末滚存结余的预算数为按预算测算的年末滚存结余。"
    )
    note.runs[0].font.size = Pt(9)
    doc.add_paragraph(
        "单位负责人：                    财务负责人：                    制表人：                    "
        "报出日期：2023年10月16日"
    )
    h = doc.add_paragraph()
    rh = h.add_run("分析说明")
    rh.bold = True
    for para in analysis():
        p = doc.add_paragraph(para)
        p.paragraph_format.first_line_indent = Pt(21)
    foot = sec.footer.paragraphs[0]
    foot.add_run("第 ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    fld_run = OxmlElement("w:r")
    fld_text = OxmlElement("w:t")
    fld_text.text = "1"
    fld_run.append(fld_text)
    fld.append(fld_run)
    foot._p.append(fld)
    foot.add_run(" 页")
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.core_properties.author = "夷陵区财政局社保科"
    doc.core_properties.created = __import__("datetime").datetime(2023, 10, 16, 9, 0, 0)
    doc.core_properties.modified = doc.core_properties.created
    doc.save(path)
    return path


def docx_sources(out: Path) -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return {STEM: build_docx(out / f"{STEM}.docx")}


def build_reports(out: Path, with_pdf: bool) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    docx = build_docx(out / f"{STEM}.docx")
    if not with_pdf:
        return [docx]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pdfrender import soffice_pdf

    return [docx, soffice_pdf(docx, out)]


def gold_facts() -> list[dict]:
    """Every fact of the table (money in 万元: the printed 元 / 10000, rates in percent)."""
    facts = []
    for fund, data in numbers().items():
        for r in data["rows"].values():
            code = r["code"]
            for c in COLS:
                val = y(r["printed"][c]) / 10000
                facts.append({"fund": fund, "item": code, "measure": c, "value": val})
            if r["rate"]:
                facts.append(
                    {"fund": fund, "item": code, "measure": "completion_rate", "value": D(r["rate"])}
                )
            facts.append({"fund": fund, "item": code, "measure": "yoy_rate", "value": D(r["yoy"])})
    return facts


if __name__ == "__main__":
    for p in build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build"), with_pdf="--pdf" in sys.argv):
        print(p)
