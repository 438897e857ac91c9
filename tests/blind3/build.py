"""Build the blind3 reports that are not plain text: two .docx (python-docx) and one .pdf (a .docx
converted by LibreOffice headless). The report texts live here as data so the binaries need not be
committed; building is deterministic apart from the timestamps Word/LibreOffice store.

    python tests/blind3/build.py OUTDIR
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

Block = tuple[str, Any]

# ------------------------------------------------------------------ linyi-2020 (临沂市, 山东, 地级市)
_LY_INC = [
    ("机关事业单位基本养老保险基金", "584216.37", "612000.00", "607842.15", "99.32", "4.04"),
    ("城乡居民基本养老保险基金", "326418.55", "335000.00", "341265.80", "101.87", "4.55"),
    ("职工基本医疗保险基金（含生育）", "398765.21", "405000.00", "389512.66", "96.18", "-2.32"),
    ("城乡居民基本医疗保险基金", "768432.90", "812000.00", "806915.32", "99.37", "5.01"),
    ("工伤保险基金", "38612.47", "35000.00", "27436.81", "78.39", "-28.94"),
    ("失业保险基金", "52187.30", "40000.00", "36894.25", "92.24", "-29.30"),
]
_LY_EXP = [
    ("机关事业单位基本养老保险基金", "561037.92", "598000.00", "590126.44", "98.68", "5.18"),
    ("城乡居民基本养老保险基金", "254870.12", "272000.00", "268933.47", "98.87", "5.52"),
    ("职工基本医疗保险基金（含生育）", "352108.74", "372000.00", "361274.09", "97.12", "2.60"),
    ("城乡居民基本医疗保险基金", "731286.45", "795000.00", "786530.18", "98.93", "7.55"),
    ("工伤保险基金", "30425.66", "33500.00", "32108.93", "95.85", "5.53"),
    ("失业保险基金", "41236.08", "76000.00", "81563.72", "107.32", "97.80"),
]

LINYI: list[Block] = [
    ("title", "临沂市2020年度社会保险基金支出预算绩效自评报告"),
    ("center", "临沂市社会保险事业中心"),
    ("center", "2021年4月"),
    ("h1", "一、基本情况"),
    ("p", "2020年，面对新冠肺炎疫情冲击和阶段性减免社会保险费政策带来的减收压力，市社会保险事业中心"
          "在市委、市政府的坚强领导下，认真落实“减免缓返补”援企稳岗政策，统筹做好疫情防控和社保经办"
          "服务，确保了各项社会保险待遇按时足额发放，基金运行总体平稳。"),
    ("p", "纳入本次自评的社会保险基金包括机关事业单位基本养老保险、城乡居民基本养老保险、职工基本医疗"
          "保险（含生育保险）、城乡居民基本医疗保险、工伤保险、失业保险六项基金。企业职工基本养老保险"
          "基金自2020年1月起实行省级统收统支，由省级编报预算绩效自评报告，不纳入本报告。"),
    ("h1", "二、基金预算执行情况"),
    ("h2", "（一）总体情况"),
    ("p", "2020年，全市社会保险基金收入合计220.99亿元，同比增长1.90%，完成预算的98.70%；支出合计"
          "212.05亿元，同比增长7.59%，完成预算的98.79%；当年收支结余8.93亿元，年末滚存结余133.71亿元。"
          "各项基金收支情况见表1。"),
    ("center", "表1  2020年临沂市社会保险基金收支预算执行情况表"),
    ("right", "单位：万元"),
    ("table", {
        "rows": [["项目", "上年决算数", "本年预算数", "本年执行数", "完成预算%", "同比增长%"],
                 ["一、基金收入合计", "2168632.80", "2239000.00", "2209866.99", "98.70", "1.90"],
                 *[list(r) for r in _LY_INC],
                 ["二、基金支出合计", "1970964.97", "2146500.00", "2120536.83", "98.79", "7.59"],
                 *[list(r) for r in _LY_EXP],
                 ["三、当年收支结余", "197667.83", "92500.00", "89330.16", "—", "—"],
                 ["四、年末滚存结余", "—", "—", "1337108.06", "—", "—"]],
        "header_rows": 1,
        "widths_cm": [5.2, 2.3, 2.3, 2.3, 1.9, 1.9],
        "font_pt": 9,
    }),
    ("h2", "（二）分险种情况"),
    ("p", "1.机关事业单位基本养老保险基金。基金收入607842.15万元，其中：养老保险费收入382615.40万元，"
          "财政补助收入225226.75万元。基金支出590126.44万元，主要用于支付8.31万名退休人员的基本养老金，"
          "当年结余17715.71万元，年末滚存结余71235.86万元。全市机关事业单位养老保险在职缴费人员21.37万人，"
          "抚养比2.57:1。"),
    ("p", "2.城乡居民基本养老保险基金。基金收入34.13亿元，基金支出268933.47万元，同比增加14063.35万元，"
          "当年结余7.23亿元，年末滚存结余612587.33万元，按当年支出水平可支付27.3个月。全市城乡居民养老"
          "保险参保423.6万人，领取待遇人员118.7万人。"),
    ("p", "3.职工基本医疗保险基金（含生育保险）。受阶段性减半征收职工医保单位缴费政策影响，基金收入"
          "389512.66万元，同比下降2.32%；基金支出36.13亿元，完成预算的97.12%；当年结余28238.57万元，"
          "年末滚存结余298413.57万元。"),
    ("p", "4.城乡居民基本医疗保险基金。基金收入80.69亿元，同比增长5.01%，其中个人缴费收入241360.00万元、"
          "各级财政补助收入565555.32万元；基金支出786530.18万元，同比增长7.55%；当年结余20385.14万元，"
          "年末滚存结余186245.62万元。"),
    ("p", "5.工伤保险基金。受阶段性免征企业工伤保险单位缴费政策影响，工伤保险基金收入27436.81万元，"
          "比上年减少1.12亿元，下降28.94%；基金支出32108.93万元，当年收不抵支4672.12万元，年末滚存结余"
          "41873.20万元。"),
    ("p", "6.失业保险基金。基金收入36894.25万元，同比下降29.30%；基金支出8.16亿元，完成预算的107.32%，"
          "其中稳岗返还支出52468.30万元、失业保险金支出14231.86万元、技能提升补贴支出3715.20万元，"
          "稳岗返还惠及企业1.46万户；当年收不抵支44669.47万元，年末滚存结余126752.48万元，基金支付能力"
          "依然较强。"),
    ("h1", "三、绩效目标完成情况"),
    ("p", "年初设定的绩效目标为：城乡居民养老保险参保人数420万人以上，机关事业单位养老保险退休人员待遇"
          "按时足额发放，待遇发放准确率99%以上，基金支出预算执行率90%以上，稳岗返还惠及企业1.2万户以上，"
          "参保群众满意度90%以上。从完成情况看，全部绩效指标均已完成，详见自评表。"),
    ("h1", "四、存在的问题及改进措施"),
    ("p", "一是阶段性减免政策使工伤、失业保险基金出现当期收不抵支，2021年政策到期后需做好征缴衔接；"
          "二是失业保险基金支出超出年初预算，预算编制对政策调整的预见性不足；三是部分县区基金预算执行"
          "分析还停留在数字罗列，绩效分析深度不够。下一步，我们将提高预算编制的科学性，健全预算执行"
          "监控和绩效评价结果应用机制，切实防范基金运行风险。"),
    ("h1", "五、附件"),
    ("center", "表2  临沂市2020年度社会保险基金支出绩效自评表"),
    ("table", {
        "rows": [["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
                 ["产出指标", "数量指标", "城乡居民基本养老保险参保人数", "≥420万人", "423.6万人"],
                 ["", "", "机关事业单位养老保险退休人员待遇发放人数", "≥8.2万人", "8.31万人"],
                 ["", "质量指标", "养老保险待遇发放准确率", "≥99%", "100%"],
                 ["", "", "基金支出预算执行率", "≥90%", "98.79%"],
                 ["", "时效指标", "养老金按月发放时间", "每月5日前", "每月5日前"],
                 ["效益指标", "社会效益指标", "失业保险稳岗返还惠及企业", "≥1.2万户", "1.46万户"],
                 ["", "可持续影响指标", "城乡居民养老保险基金累计结余可支付月数", "≥12个月", "27.3个月"],
                 ["满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", "96.2%"]],
        "header_rows": 1,
        "merges": [((1, 0), (5, 0)), ((1, 1), (2, 1)), ((3, 1), (4, 1)), ((6, 0), (7, 0))],
        "widths_cm": [2.2, 2.6, 5.6, 2.6, 2.6],
        "font_pt": 10,
    }),
]

# ------------------------------------------------------------------ dali-2022 (大理白族自治州, 云南, 自治州)
DALI: list[Block] = [
    ("title", "大理白族自治州2022年度社会保险基金预算绩效自评报告"),
    ("center", "大理州社会保险中心"),
    ("h1", "一、基金预算执行总体情况"),
    ("p", "2022年是党的二十大胜利召开之年，也是实施“十三五”规划的关键之年。州社会保险中心坚持以人民为"
          "中心的发展思想，认真执行社会保险基金预算，扎实推进基金预算绩效管理。全州纳入本次预算绩效自评"
          "的社会保险基金共六项，企业职工基本养老保险自2022年1月起实施全国统筹，不在本次自评范围。"),
    ("p", "2022年全州六项社会保险基金收入1115716.51万元，完成预算1105500万元的100.92%；支出1047882.80万元，"
          "完成预算1078300万元的97.18%；当年收支结余67833.71万元，年末滚存结余713439.66万元。分险种收支"
          "情况如下表。"),
    ("center", "2022年大理州社会保险基金收支情况表"),
    ("right", "单位：万元"),
    ("table", {
        "rows": [["险种", "基金收入", "", "基金支出", "", "当年收支结余", "年末滚存结余"],
                 ["", "预算数", "决算数", "预算数", "决算数", "", ""],
                 ["机关事业单位养老保险", "428600", "431275.62", "445300", "440182.37", "-8906.75",
                  "36512.08"],
                 ["城乡居民养老保险", "98500", "101436.25", "76200", "75318.90", "26117.35", "248761.33"],
                 ["职工基本医疗保险", "186400", "192318.47", "168900", "163574.21", "28744.26", "214385.66"],
                 ["城乡居民基本医疗保险", "352700", "349612.88", "341500", "325617.40", "23995.48",
                  "118427.95"],
                 ["工伤保险", "21800", "22945.36", "19600", "18203.77", "4741.59", "27819.54"],
                 ["失业保险", "17500", "18127.93", "26800", "24986.15", "-6858.22", "67533.10"],
                 ["合计", "1105500", "1115716.51", "1078300", "1047882.80", "67833.71", "713439.66"]],
        "header_rows": 2,
        "merges": [((0, 0), (1, 0)), ((0, 1), (0, 2)), ((0, 3), (0, 4)), ((0, 5), (1, 5)), ((0, 6), (1, 6))],
        "widths_cm": [3.6, 1.9, 2.2, 1.9, 2.2, 2.1, 2.2],
        "font_pt": 9,
    }),
    ("h1", "二、分险种预算执行情况"),
    ("h2", "（一）机关事业单位养老保险基金"),
    ("p", "基金收入431275.62万元，完成预算的100.62%；基金支出440182.37万元，较上年增加21446.32万元，"
          "增长5.12%，完成预算的98.85%；当年收不抵支8906.75万元，动用累计结余弥补后，年末滚存结余"
          "36512.08万元。收不抵支的主要原因是退休人员增加和基本养老金调整，而缴费基数增长放缓。"),
    ("h2", "（二）城乡居民养老保险基金"),
    ("p", "基金收入101436.25万元，完成预算的102.98%；基金支出75318.90万元，比上年增加5073.29万元，"
          "增长7.22%，完成预算的98.84%；当年结余26117.35万元，年末滚存结余248761.33万元，按当年支出"
          "水平可支付39.6个月。"),
    ("h2", "（三）职工基本医疗保险基金"),
    ("p", "基金收入192318.47万元，完成预算的103.18%；基金支出163574.21万元，完成预算的96.85%；当年结余"
          "28744.26万元，年末滚存结余214385.66万元。"),
    ("h2", "（四）城乡居民基本医疗保险基金"),
    ("p", "基金收入349612.88万元，完成预算的99.12%；基金支出325617.40万元，完成预算的97.2%；当年结余"
          "23995.48万元，年末滚存结余118427.95万元。"),
    ("h2", "（五）工伤保险基金"),
    ("p", "基金收入22945.36万元，完成预算的105.25%；基金支出18203.77万元，完成预算的92.88%；当年结余"
          "4741.59万元，年末滚存结余27819.54万元。"),
    ("h2", "（六）失业保险基金"),
    ("p", "基金收入18127.93万元，完成预算的103.59%；基金支出24986.15万元，完成预算的93.23%，当年收不抵支"
          "6858.22万元，主要是落实失业保险稳岗返还、一次性留工培训补助等援企稳岗政策；年末滚存结余"
          "67533.10万元。"),
    ("h1", "三、绩效目标实现情况"),
    ("p", "全年各项社会保险待遇均按时足额发放，未发生拖欠；通过数据比对和实地稽核，清理死亡冒领、重复"
          "领取待遇人员1268人；完成基金管理风险防控专项整治，年度绩效目标总体实现。"),
    ("h1", "四、存在的问题和建议"),
    ("p", "机关事业单位养老保险基金连续两年收不抵支，对财政补助的依赖程度较高；失业保险基金支出超过"
          "当年收入，需统筹考虑政策延续带来的支付压力。建议进一步完善预算编制方法，加强对重大政策调整"
          "的测算，提高预算执行的准确性。"),
]

# ------------------------------------------------------------------ xifeng-2021 (西峰区, 甘肃, 区) → PDF
XIFENG: list[Block] = [
    ("title", "庆阳市西峰区2021年度社会保险基金支出预算绩效自评报告"),
    ("center", "西峰区社会保险中心"),
    ("h1", "一、基本情况"),
    ("p", "2021年是“十四五”开局之年。西峰区社会保险中心负责全区机关事业单位基本养老保险和城乡居民基本"
          "养老保险两项基金的征缴、支付和管理，企业职工基本养老保险、医疗保险、工伤保险和失业保险基金"
          "由市级统筹管理。全年我们按照“以支定收、收支平衡、略有结余”的原则编制和执行基金预算，确保了"
          "各项养老保险待遇按时足额发放。"),
    ("h1", "二、基金预算执行情况"),
    ("p", "2021年全区两项社会保险基金收入84236.41万元，完成年初预算82300万元的102.35%；支出78776.33万元，"
          "完成年初预算79800万元的98.72%；当年结余5460.08万元，年末滚存结余37498.27万元。具体见下表。"),
    ("table", {
        "rows": [["项目", "年初预算数（万元）", "决算数（万元）", "完成预算（%）"],
                 ["基金收入合计", "82300.00", "84236.41", "102.35"],
                 ["其中：机关事业单位基本养老保险", "68500.00", "69874.36", "102.01"],
                 ["城乡居民基本养老保险", "13800.00", "14362.05", "104.07"],
                 ["基金支出合计", "79800.00", "78776.33", "98.72"],
                 ["其中：机关事业单位基本养老保险", "70200.00", "69318.52", "98.74"],
                 ["城乡居民基本养老保险", "9600.00", "9457.81", "98.52"],
                 ["当年收支结余", "2500.00", "5460.08", "—"],
                 ["年末滚存结余", "—", "37498.27", "—"]],
        "header_rows": 1,
        "widths_cm": [3.2, 1.45, 1.45, 1.9],  # narrow: LibreOffice breaks the numbers inside the cells
        "font_pt": 10.5,
    }),
    ("p", "（一）机关事业单位基本养老保险基金。基金收入69874.36万元，完成预算的102.01%，其中养老保险费收入"
          "38215.47万元，财政补助收入31658.89万元；基金支出69318.52万元，完成预算的98.74%，较上年增加"
          "3862.15万元，增长5.90%；当年结余555.84万元，年末滚存结余2381.47万元。全区机关事业单位在职参保"
          "16388人，退休9126人，抚养比1.80:1，基金收支平衡主要依靠财政补助。"),
    ("p", "（二）城乡居民基本养老保险基金。基金收入14362.05万元，完成预算的104.07%，其中个人缴费收入"
          "3108.60万元，财政补贴收入10516.33万元，利息收入737.12万元；基金支出9457.81万元，完成预算的"
          "98.52%，其中基础养老金支出8612.44万元，个人账户养老金支出706.95万元，丧葬补助金支出138.42万元；"
          "当年结余4904.24万元，年末滚存结余35116.80万元，可支付44.6个月。年末全区领取城乡居民养老保险"
          "待遇48215人。"),
    ("h1", "三、绩效目标完成情况"),
    ("p", "年初设定的绩效目标为：两项基金支出预算执行率不低于95%，养老金按月足额发放率100%，待遇领取资格"
          "认证率98%以上，参保对象满意度90%以上。全年两项基金支出预算执行率98.72%，养老金于每月10日前"
          "发放到位，认证工作全部完成，参保对象满意度测评为94%，各项绩效目标均已实现。"),
    ("h1", "四、存在问题和下一步工作"),
    ("p", "一是城乡居民参保缴费档次偏低，个人账户积累有限；二是机关事业单位养老保险抚养比下降，财政补助"
          "压力增大。下一步将加强政策宣传，引导参保群众选择较高缴费档次，继续做好基金运行分析和风险预警，"
          "确保基金安全平稳运行。"),
]

REPORTS: dict[str, tuple[str, list[Block]]] = {
    "linyi-2020": ("docx", LINYI),
    "dali-2022": ("docx", DALI),
    "xifeng-2021": ("pdf", XIFENG),
}


def plain_text(name: str) -> str:
    """The report's words in reading order (cells of a row joined by two spaces): for key checks."""
    out: list[str] = []
    for kind, body in REPORTS[name][1]:
        if kind == "table":
            out.extend("  ".join(row) for row in body["rows"])
        else:
            out.append(body)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ writers
def _font(style_or_run: Any, ea: str, ascii_font: str = "Times New Roman") -> None:
    style_or_run.font.name = ascii_font
    el = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    rf = el.get_or_add_rPr().get_or_add_rFonts()
    rf.set(qn("w:eastAsia"), ea)
    for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rf.attrib.pop(qn(a), None)


def _docx(blocks: list[Block], path: Path, justify: bool) -> None:
    doc = Document()
    _font(doc.styles["Normal"], "Noto Serif CJK SC")
    doc.styles["Normal"].font.size = Pt(12)
    for s in ("Title", "Heading 1", "Heading 2"):
        _font(doc.styles[s], "Noto Sans CJK SC", "Arial")
    for kind, body in blocks:
        if kind == "title":
            p = doc.add_paragraph(style="Title")
            p.add_run(body)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind in ("h1", "h2"):
            doc.add_heading(body, level=1 if kind == "h1" else 2)
        elif kind in ("center", "right"):
            p = doc.add_paragraph(body)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if kind == "center" else WD_ALIGN_PARAGRAPH.RIGHT
        elif kind == "p":
            p = doc.add_paragraph(body)
            p.paragraph_format.first_line_indent = Pt(24)
            if justify:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif kind == "table":
            _table(doc, body)
    doc.core_properties.author = "sifund blind3"
    doc.save(str(path))


def _table(doc: Any, spec: dict) -> None:
    rows = spec["rows"]
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for j, w in enumerate(spec["widths_cm"]):
        t.columns[j].width = Cm(w)  # the grid LibreOffice lays out by
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = t.cell(i, j)
            cell.width = Cm(spec["widths_cm"][j])
            para = cell.paragraphs[0]
            run = para.add_run(text)
            run.font.size = Pt(spec.get("font_pt", 10))
            run.bold = i < spec.get("header_rows", 0)
    for (r0, c0), (r1, c1) in spec.get("merges", []):
        a, b = t.cell(r0, c0), t.cell(r1, c1)
        keep = a.text
        m = a.merge(b)
        for p in m.paragraphs[1:]:  # merge() concatenates the (empty) paragraphs of the other cells
            p._element.getparent().remove(p._element)
        if m.text != keep:
            raise ValueError(f"merged cell text changed: {keep!r} -> {m.text!r}")


def _pdf(docx_path: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = tempfile.mkdtemp(prefix="lo-blind3-")
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profile},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx_path.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no {pdf.name}")
    return pdf


def build(name: str, outdir: Path) -> Path:
    kind, blocks = REPORTS[name]
    outdir.mkdir(parents=True, exist_ok=True)
    if kind == "docx":
        path = outdir / f"{name}.docx"
        _docx(blocks, path, justify=False)
        return path
    with tempfile.TemporaryDirectory(prefix="blind3-") as tmp:
        src = Path(tmp) / f"{name}.docx"
        _docx(blocks, src, justify=True)
        return _pdf(src, outdir)


def docx_sources(outdir: Path) -> dict[str, Path]:
    """Every built report as the .docx it is written as (the PDF's source too), by report stem.

    tests/oracle.py reads the report's words from these (no LibreOffice needed).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (kind, blocks) in REPORTS.items():
        out[name] = outdir / f"{name}.docx"
        _docx(blocks, out[name], justify=kind == "pdf")
    return out


def build_reports(outdir: Path, with_pdf: bool = True) -> list[Path]:
    """Write the non-text reports as delivered into outdir (the .pdf only when with_pdf); their paths."""
    return [build(name, Path(outdir)) for name, (kind, _) in REPORTS.items() if with_pdf or kind != "pdf"]


def build_all(outdir: Path) -> list[Path]:
    """Write every non-text blind3 report into outdir; returns their paths."""
    return build_reports(outdir)


if __name__ == "__main__":
    for p in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "blind3-out")):
        print(p)
