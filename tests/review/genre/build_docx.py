"""Builds the genre test report 柳溪县 2022 (figures in DOCX tables, short prose) as .docx.

Test data, not package code: the answer key liuxi-2022.gold.yaml lists the same figures, so the
tables here and the key must change together (``python build_docx.py --gold`` prints the facts).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FUNDS = {  # fund name → item → (上年实际数, 年初预算数, 调整后预算数, 本年执行数)
    "企业职工基本养老保险基金": {"基金收入": (48215, 50100, 51300, 51862),
                          "其中：保险费收入": (35410, 37000, 37000, 37526),
                          "基金支出": (45906, 47800, 49200, 48392)},
    "城乡居民基本养老保险基金": {"基金收入": (9320, 9800, 9800, 10126),
                          "基金支出": (7215, 7600, 7750, 7488)},
    "职工基本医疗保险基金": {"基金收入": (21870, 22500, 23100, 23354),
                       "基金支出": (19433, 20600, 21400, 20912)},
    "城乡居民基本医疗保险基金": {"基金收入": (30125, 31200, 31200, 31587),
                          "基金支出": (29840, 30900, 31500, 30266)},
}
CODES = {"企业职工基本养老保险基金": "enterprise_pension", "城乡居民基本养老保险基金": "resident_pension",
         "职工基本医疗保险基金": "employee_medical", "城乡居民基本医疗保险基金": "resident_medical",
         "各项基金合计": "all"}
ITEMS = {"基金收入": "income_total", "其中：保险费收入": "contribution", "基金支出": "expenditure_total",
         "当年收支结余": "balance_current"}
PEOPLE = [("企业职工基本养老保险基金", "参保人数", 21306, 22015, "insured"),
          ("企业职工基本养老保险基金", "离退休人数", 6821, 7140, "retirees"),
          ("城乡居民基本养老保险基金", "参保人数", 86540, 87912, "insured"),
          ("城乡居民基本养老保险基金", "领取待遇人数", 23118, 23906, "beneficiaries")]
# 表3: columns name the items, rows the funds
ROLLING = {"企业职工基本养老保险基金": 41260, "城乡居民基本养老保险基金": 38915,
           "职工基本医疗保险基金": 15822, "城乡居民基本医疗保险基金": 9604}
HEAD = ["项目", "上年实际数", "年初预算数", "调整后预算数", "本年执行数", "完成预算%", "同比增减%"]
MEASURES = ["prior", "budget", "budget_adjusted", "actual"]


def _rows() -> dict[str, dict[str, tuple[int, ...]]]:
    """Per fund: its items plus the balance row, and the 合计 block summed over the funds."""
    out: dict[str, dict[str, tuple[int, ...]]] = {}
    for fund, items in FUNDS.items():
        rows = dict(items)
        rows["当年收支结余"] = tuple(a - b for a, b in zip(items["基金收入"], items["基金支出"], strict=True))
        out[fund] = rows
    total = {k: tuple(sum(v) for v in zip(*(out[f][k] for f in FUNDS), strict=True))
             for k in ("基金收入", "基金支出", "当年收支结余")}
    out["各项基金合计"] = total
    return out


def _pct(a: float, b: float) -> str:
    return f"{a / b * 100:.2f}"


def cells(values: tuple[int, ...], balance: bool) -> list[str]:
    prior, _budget, adjusted, actual = values
    money = [f"{v:,}" for v in values]
    if balance:
        return [*money, "—", "—"]
    return [*money, _pct(actual, adjusted), _pct(actual - prior, prior)]


def facts() -> list[dict]:
    out = []
    for fund, rows in _rows().items():
        for item, values in rows.items():
            code, ic = CODES[fund], ITEMS[item]
            for m, v in zip(MEASURES, values, strict=True):
                out.append({"fund": code, "item": ic, "measure": m, "value": v})
            if item != "当年收支结余":
                c = cells(values, False)
                out.append({"fund": code, "item": ic, "measure": "completion_rate", "value": float(c[4])})
                out.append({"fund": code, "item": ic, "measure": "yoy_rate", "value": float(c[5])})
    for fund, rolling in ROLLING.items():
        out.append({"fund": CODES[fund], "item": "balance_rolling", "measure": "actual", "value": rolling})
    for fund, _name, prior, actual, ic in PEOPLE:
        out.append({"fund": CODES[fund], "item": ic, "measure": "prior", "value": prior})
        out.append({"fund": CODES[fund], "item": ic, "measure": "actual", "value": actual})
    return out


def _page_number_footer(doc: Document) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    p._p.append(fld)


def _font(doc: Document) -> None:
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")


PROSE_1 = ("2022年，柳溪县社会保险基金预算严格按照批复执行，县人社局、医保局会同财政局按月监控基金收支，"
           "各项待遇按时足额发放，基金运行总体平稳。纳入本次自评的有企业职工基本养老保险、城乡居民基本"
           "养老保险、职工基本医疗保险和城乡居民基本医疗保险四项基金，各项基金预算执行情况见表1，参保"
           "及待遇享受人数见表2。")
PROSE_2 = ("企业职工基本养老保险基金支出48,392万元，完成调整后预算的98.36%，主要用于离退休人员基本养老金"
           "的按月发放；城乡居民基本医疗保险基金支出30,266万元，比上年增加426万元，同比增长1.43%，"
           "支出增长主要来自住院费用报销人次的增加。")
PROSE_3 = ("全年各项绩效目标基本完成。下一步将继续做好参保扩面和基金征缴工作，进一步提高预算编制的"
           "准确性，强化对医保基金支出的事前事中监控，防范基金运行风险。")


def build(path: Path) -> Path:
    doc = Document()
    _font(doc)
    _page_number_footer(doc)
    doc.add_paragraph("柳溪县2022年度社会保险基金支出预算绩效自评报告").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("一、基金预算执行情况")
    doc.add_paragraph(PROSE_1)
    doc.add_paragraph("表1  2022年社会保险基金预算执行情况表")
    doc.add_paragraph("单位：万元")
    rows = _rows()
    t = doc.add_table(rows=1, cols=len(HEAD))
    t.style = "Table Grid"
    for j, h in enumerate(HEAD):
        t.cell(0, j).text = h
    for k, (fund, items) in enumerate(rows.items()):
        r = t.add_row().cells
        r[0].text = f"{'一二三四五'[k]}、{fund}"
        for item, values in items.items():
            r = t.add_row().cells
            for j, v in enumerate([item, *cells(values, item == "当年收支结余")]):
                r[j].text = v
    doc.add_paragraph("表2  参保及待遇享受人数")
    doc.add_paragraph("单位：人")
    t2 = doc.add_table(rows=1, cols=4)
    t2.style = "Table Grid"
    for j, h in enumerate(["基金名称", "指标", "上年实际数", "本年执行数"]):
        t2.cell(0, j).text = h
    first: dict[str, int] = {}
    for fund, name, prior, actual, _ in PEOPLE:
        r = t2.add_row()
        i = len(t2.rows) - 1
        if fund in first:
            t2.cell(first[fund], 0).merge(t2.cell(i, 0))
        else:
            first[fund] = i
            r.cells[0].text = fund
        for j, v in enumerate([name, f"{prior:,}", f"{actual:,}"], start=1):
            r.cells[j].text = v
    doc.add_paragraph("表3  各项基金结余情况（单位：万元）")
    t3 = doc.add_table(rows=1, cols=3)
    t3.style = "Table Grid"
    for j, h in enumerate(["险种", "当年收支结余", "年末滚存结余"]):
        t3.cell(0, j).text = h
    for fund, rolling in ROLLING.items():
        r = t3.add_row().cells
        for j, v in enumerate([fund, f"{rows[fund]['当年收支结余'][3]:,}", f"{rolling:,}"]):
            r[j].text = v
    doc.add_paragraph("二、主要基金执行情况说明")
    doc.add_paragraph(PROSE_2)
    doc.add_paragraph("三、绩效目标完成情况")
    doc.add_paragraph(PROSE_3)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    if "--gold" in sys.argv:
        for f in facts():
            print("  - {" + ", ".join(f"{k}: {v}" for k, v in f.items()) + "}")
    else:
        print(build(Path(sys.argv[1])))
