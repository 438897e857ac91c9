"""Build the blind2 reports that are not plain text: two .docx and one .pdf (via LibreOffice).

The reports are Python data below, so the binaries need not be committed and every build is
deterministic: `build_all(outdir)` writes wenjiang-2024.docx, lishui-2022.docx and xuanhan-2018.pdf.
`plain_text(name)` gives the report's text (paragraphs, then table rows with cells joined by a space)
so tests/oracle.py can check that every token of a key is printed in its report.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

Block = tuple  # ("title"|"h1"|"h2"|"p", text) or ("table", rows)

# --- 成都市温江区 2024: Word Heading styles, funds as COLUMNS, items as rows (two planted errors) ---
WENJIANG_TABLE = [
    ("项目", "机关事业单位基本养老保险基金", "城乡居民基本养老保险基金", "合计"),
    ("一、基金收入", "46,215.38", "9,864.27", "56,097.65"),
    ("其中：保险费收入", "27,408.12", "2,318.45", "29,726.57"),
    ("财政补贴收入", "18,650.00", "6,912.60", "25,562.60"),
    ("利息收入", "157.26", "633.22", "790.48"),
    ("二、基金支出", "44,872.51", "7,436.85", "52,309.36"),
    ("其中：社会保险待遇支出", "44,503.17", "7,380.41", "51,883.58"),
    ("转移支出", "369.34", "56.44", "425.78"),
    ("三、当年收支结余", "1,342.87", "2,427.42", "3,770.29"),
    ("四、年末滚存结余", "8,916.40", "31,205.66", "40,122.06"),
]

WENJIANG: list[Block] = [
    ("title", "成都市温江区2024年度社会保险基金预算绩效自评报告"),
    ("p", "成都市温江区社会保险事业管理局"),
    ("h1", "一、基本情况"),
    ("h2", "（一）基金范围"),
    ("p", "我区经办并纳入本次自评的社会保险基金为机关事业单位基本养老保险基金和城乡居民基本养老保险基金。"
          "企业职工基本养老保险基金实行全国统筹，"
          "职工和城乡居民基本医疗保险、工伤保险、失业保险基金实行市级统筹，"
          "不在本报告范围内。"),
    ("h2", "（二）收支总体情况"),
    ("p", "2024年，两项基金运行平稳。机关事业单位基本养老保险基金全年支出44,872.51万元，"
          "城乡居民基本养老保险基金全年支出7,463.85万元，各项待遇均按月足额发放。"
          "两项基金收支决算情况见下表（单位：万元）："),
    ("table", WENJIANG_TABLE),
    ("h1", "二、绩效目标完成情况"),
    ("h2", "（一）机关事业单位基本养老保险基金"),
    ("p", "全年基金收入46,215.38万元，完成年初预算45,800万元的100.91%。基金支出44,872.51万元，"
          "完成预算45,600万元的98.40%，上年支出42,686.30万元，同比增长5.12%，主要是2024年1月起"
          "调整退休人员基本养老金及新增退休人员。年末享受待遇人员3,915人。"),
    ("h2", "（二）城乡居民基本养老保险基金"),
    ("p", "全年基金收入9,864.27万元，其中财政补贴收入6,912.60万元，占基金收入的70.08%。基金支出7,436.85万元，"
          "完成预算7,200万元的103.29%，超支主要是基础养老金提标。全区领取待遇人员4.12万人，"
          "基础养老金最低标准提高到每人每月143元。年末滚存结余31,205.66万元，可支付50.4个月。"),
    ("h2", "（三）绩效指标完成情况"),
    ("p", "待遇按时足额发放率100%，待遇发放准确率99.98%，待遇资格认证率98.7%，参保群众满意度97.2%，"
          "均达到年初设定的目标。"),
    ("h1", "三、存在的问题"),
    ("p", "一是机关事业单位基本养老保险基金依赖财政补助，财政补贴收入占基金收入的40.35%；"
          "二是城乡居民参保人员选择高档次缴费的比例偏低，个人账户积累不足；"
          "三是预算编制对政策调整因素的预判仍需加强。"),
    ("h1", "四、下一步工作"),
    ("p", "深入落实“十四五”规划，完善基金预算编制和执行监控，强化待遇稽核和基金风险防控，"
          "推动绩效评价结果与下年度预算安排挂钩。"),
]

# --- 丽水市 2022: header row 项目/上年决算数/本年预算数/本年执行数/完成预算%/同比增长%; 自评表 as a table ---
LISHUI_TABLE = [
    ("项目", "上年决算数", "本年预算数", "本年执行数", "完成预算%", "同比增长%"),
    ("机关事业单位基本养老保险基金", "", "", "", "", ""),
    ("基金收入", "98,412.36", "103,500.00", "104,268.91", "100.74", "5.95"),
    ("其中：保险费收入", "61,205.40", "64,800.00", "65,013.72", "100.33", "6.22"),
    ("财政补贴收入", "36,880.15", "38,300.00", "38,871.44", "101.49", "5.40"),
    ("基金支出", "95,870.22", "101,600.00", "100,947.63", "99.36", "5.30"),
    ("其中：社会保险待遇支出", "95,102.87", "100,900.00", "100,316.05", "99.42", "5.48"),
    ("当年收支结余", "2,542.14", "1,900.00", "3,321.28", "—", "—"),
    ("年末滚存结余", "21,067.90", "22,967.90", "24,389.18", "—", "—"),
    ("城乡居民基本养老保险基金", "", "", "", "", ""),
    ("基金收入", "52,316.08", "55,000.00", "56,742.19", "103.17", "8.46"),
    ("其中：保险费收入", "14,208.51", "15,000.00", "15,603.27", "104.02", "9.82"),
    ("财政补贴收入", "35,910.36", "37,600.00", "38,524.80", "102.46", "7.28"),
    ("基金支出", "40,862.75", "44,500.00", "43,918.06", "98.69", "7.48"),
    ("其中：社会保险待遇支出", "40,715.30", "44,300.00", "43,776.59", "98.82", "7.52"),
    ("当年收支结余", "11,453.33", "10,500.00", "12,824.13", "—", "—"),
    ("年末滚存结余", "158,604.27", "169,104.27", "171,428.40", "—", "—"),
    ("工伤保险基金", "", "", "", "", ""),
    ("基金收入", "18,126.44", "16,800.00", "17,305.62", "103.01", "-4.53"),
    ("其中：保险费收入", "17,640.10", "16,300.00", "16,811.05", "103.14", "-4.70"),
    ("基金支出", "15,934.80", "17,200.00", "16,658.37", "96.85", "4.54"),
    ("其中：社会保险待遇支出", "15,402.16", "16,600.00", "16,120.94", "97.11", "4.67"),
    ("当年收支结余", "2,191.64", "-400.00", "647.25", "—", "—"),
    ("年末滚存结余", "30,415.77", "30,015.77", "31,063.02", "—", "—"),
    ("失业保险基金", "", "", "", "", ""),
    ("基金收入", "21,508.93", "22,400.00", "23,115.40", "103.19", "7.47"),
    ("其中：保险费收入", "20,944.18", "21,800.00", "22,502.66", "103.22", "7.44"),
    ("基金支出", "19,763.05", "21,000.00", "20,342.19", "96.87", "2.93"),
    ("其中：社会保险待遇支出", "6,206.71", "7,000.00", "6,915.32", "98.79", "11.42"),
    ("当年收支结余", "1,745.88", "1,400.00", "2,773.21", "—", "—"),
    ("年末滚存结余", "96,210.45", "97,610.45", "98,983.66", "—", "—"),
]

LISHUI_SELF_EVAL = [
    ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"),
    ("产出指标", "数量指标", "城乡居民基本养老保险待遇领取人数", "≥28万人", "28.6万人"),
    ("产出指标", "数量指标", "失业保险金按月发放人数", "应发尽发", "应发尽发"),
    ("产出指标", "质量指标", "社会保险待遇发放准确率", "≥99%", "99.97%"),
    ("产出指标", "质量指标", "基金支出预算执行率", "≥95%", "98.68%"),
    ("产出指标", "时效指标", "养老金发放时间", "每月15日前", "每月15日前"),
    ("产出指标", "时效指标", "工伤待遇审核办结时限", "≤10个工作日", "7个工作日"),
    ("效益指标", "社会效益指标", "基金安全运行", "无重大风险事件", "无重大风险事件"),
    ("效益指标", "可持续影响指标", "养老保险基金累计结余", "较上年增加", "增加16,145.41万元"),
    ("满意度指标", "服务对象满意度指标", "参保人员满意度", "≥95%", "97.3%"),
]

LISHUI: list[Block] = [
    ("title", "丽水市2022年度社会保险基金预算绩效自评报告"),
    ("p", "丽水市社会保险事业管理服务中心  2023年5月"),
    ("h1", "第一部分 基本情况"),
    ("p", "我市纳入自评范围的社会保险基金包括机关事业单位基本养老保险、城乡居民基本养老保险、工伤保险、"
          "失业保险四项基金。2022年四项基金收入201,432.12万元，完成预算的101.89%，同比增长5.81%；"
          "支出181,866.25万元，完成预算的98.68%，同比增长5.47%；当年结余19,565.87万元，"
          "年末滚存结余325,864.26万元。"),
    ("p", "各项基金预算执行情况如下表（单位：万元）："),
    ("table", LISHUI_TABLE),
    ("h1", "第二部分 绩效目标实现情况"),
    ("p", "（一）机关事业单位基本养老保险基金收入104,268.91万元，支出100,947.63万元，"
          "收支相抵结余3,321.28万元。年末离退休人员1.92万人。"),
    ("p", "（二）城乡居民基本养老保险基金支出43,918.06万元，比上年增加3,055.31万元，主要是基础养老金"
          "由每人每月190元提高到205元，全市待遇领取人数28.6万人。"),
    ("p", "（三）工伤保险基金受阶段性降费率政策影响，收入17,305.62万元，比上年减少820.82万元，"
          "同比下降4.53%；支出16,658.37万元。"),
    ("p", "（四）失业保险基金支出20,342.19万元，其中失业保险金等待遇支出6,915.32万元，"
          "其余主要为稳岗返还和技能提升补贴。年末滚存结余98,983.66万元，累计结余可支付58.4个月。"),
    ("p", "（五）绩效指标完成情况。全年设定的9项绩效指标全部完成，详见下表。"),
    ("table", LISHUI_SELF_EVAL),
    ("h1", "第三部分 问题和建议"),
    ("p", "工伤保险基金收入连续两年下降，而待遇支出刚性增长，需加强费率调整的测算论证；"
          "建议进一步完善跨部门数据共享，提高待遇资格认证效率。"),
]

# --- 宣汉县 2018: PDF with a page header and "第 N 页 共 M 页"; 三号仿宋 so it runs to several pages ---
XUANHAN: list[Block] = [
    ("title", "宣汉县2018年度社会保险基金支出预算绩效自评报告"),
    ("p", "宣汉县社会保险事业管理局"),
    ("h1", "一、基本情况"),
    ("p", "宣汉县社会保险事业管理局是县人力资源和社会保障局管理的事业单位，负责全县机关事业单位基本养老保险和"
          "城乡居民基本养老保险的经办工作。2018年，"
          "县委、县政府高度重视社会保障工作，在县财政局、县人社局的共同"
          "支持下，我局围绕“十三五”社会保障发展规划确定的目标任务，"
          "扎实推进全民参保计划，确保了各项养老保险待遇"
          "按时足额发放。"),
    ("p", "2018年两项基金共实现收入59,480万元，"
          "支出55,313万元，当年收支结余4,167万元，年末累计结余30,904万元。"),
    ("h1", "二、绩效目标设定情况"),
    ("p", "年初确定的绩效目标为：养老金社会化发放率100%；"
          "每月10日前将养老金发放到参保人员账户；城乡居民基本养老保险"
          "参保率保持在90%以上；基金支出预算执行率在95%以上；参保群众满意度90%以上。"),
    ("h1", "三、基金预算执行情况"),
    ("h2", "（一）机关事业单位基本养老保险基金"),
    ("p", "1.基金收入。全年实现基金收入35,862万元，"
          "完成预算36,500万元的98.25%。其中：养老保险费收入20,118万元，"
          "财政补助收入15,604万元，利息收入140万元。"),
    ("p", "2.基金支出。全年基金支出由上年的31,846万元增加到34,927万元，"
          "增长9.67%，完成预算35,400万元的98.66%。"
          "支出增长的原因：一是2018年基本养老金调整，人均月增加约180元；二是新增退休人员412人。"
          "年末在职缴费人员11,236人，离退休人员7,120人，抚养比为1.58:1。"),
    ("p", "3.基金结余。当年结余935万元，年末累计结余6,254万元，累计结余可支付月数为2.1个月。"),
    ("h2", "（二）城乡居民基本养老保险基金"),
    ("p", "1.基金收入。全年基金收入23,618万元，收入完成调整后预算的102.7%。其中：个人缴费收入5,426万元，"
          "比上年同期下降3.8%，上年同期为5,640万元，主要是建档立卡贫困人员由政府代缴、个人缴费减少；"
          "财政补贴收入16,935万元；利息收入1,257万元。"),
    ("p", "2.基金支出。全年基金支出20,386万元，其中：基础养老金支出17,512万元，个人账户养老金支出2,497万元，"
          "丧葬补助金支出377万元。2018年起全县城乡居民基础养老金由每人每月75元提高到88元，"
          "全年领取待遇人员17.86万人。"),
    ("p", "3.基金结余。当年结余3,232万元，年末累计结余24,650万元，累计结余可支付月数为14.5个月。"),
    ("h1", "四、绩效目标完成情况"),
    ("p", "（一）产出指标。全年养老金社会化发放率100%，"
          "每月10日前发放到位；城乡居民基本养老保险参保率达到93.2%；"
          "两项基金支出预算执行率均在95%以上。"),
    ("p", "（二）效益指标。全年为1.32万名建档立卡贫困人员代缴城乡居民养老保险费，"
          "贫困老年人应保尽保、应发尽发，"
          "实现了“老有所养”的目标。基金管理规范，未发生挤占、挪用等违规问题。"),
    ("p", "（三）满意度指标。通过问卷调查，参保群众满意度为95.3%。"),
    ("h1", "五、存在的问题和下一步工作"),
    ("p", "一是机关事业单位养老保险基金累计结余仅能支付约2个月，"
          "支付压力较大；二是城乡居民参保人员外出务工多，"
          "待遇资格认证难度大。下一步，我局将加强与财政部门沟通，确保机关事业单位养老保险待遇资金及时到位；"
          "运用大数据比对开展待遇资格认证，严防冒领、重复领取，确保基金安全。"),
    ("p", "宣汉县社会保险事业管理局"),
    ("p", "2019年3月20日"),
]

XUANHAN_HEADER = "宣汉县人力资源和社会保障局"

REPORTS: dict[str, list[Block]] = {"wenjiang-2024": WENJIANG, "lishui-2022": LISHUI, "xuanhan-2018": XUANHAN}
FILES = {
    "wenjiang-2024": "wenjiang-2024.docx",
    "lishui-2022": "lishui-2022.docx",
    "xuanhan-2018": "xuanhan-2018.pdf",
}


def plain_text(name: str) -> str:
    """The report's words in reading order (for checking tokens, not what an extractor must see)."""
    out = []
    for kind, body in REPORTS[name]:
        if kind == "table":
            out.extend(" ".join(row) for row in body)
        else:
            out.append(body)
    if name == "xuanhan-2018":
        out.insert(0, XUANHAN_HEADER)
    return "\n".join(out)


def _fonts(run_or_style, ea: str, ascii_font: str = "Times New Roman") -> None:
    run_or_style.font.name = ascii_font
    el = run_or_style.element if hasattr(run_or_style, "base_style") else run_or_style._element
    rf = el.get_or_add_rPr().get_or_add_rFonts()
    rf.set(qn("w:eastAsia"), ea)
    for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rf.attrib.pop(qn(a), None)


def _field(paragraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def _document(blocks: list[Block], size: int, headings: bool) -> Document:
    doc = Document()
    _fonts(doc.styles["Normal"], "Noto Serif CJK SC")
    doc.styles["Normal"].font.size = Pt(size)
    for s in ("Title", "Heading 1", "Heading 2"):
        _fonts(doc.styles[s], "Noto Sans CJK SC", "Arial")
    for kind, body in blocks:
        if kind == "table":
            table = doc.add_table(rows=len(body), cols=len(body[0]))
            table.style = doc.styles["Table Grid"]
            for i, row in enumerate(body):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
            continue
        if kind == "title":
            p = doc.add_paragraph(body, style="Title" if headings else None)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind in ("h1", "h2") and headings:
            doc.add_heading(body, level=1 if kind == "h1" else 2)
        else:
            p = doc.add_paragraph(body)
            if kind in ("h1", "h2"):  # a heading typed in bold body text, as many offices do
                p.runs[0].bold = True
    return doc


def _xuanhan_docx(path: Path) -> None:
    doc = _document(XUANHAN, 16, headings=False)
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    head.text = XUANHAN_HEADER
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("第 ")
    _field(foot, "PAGE")
    foot.add_run(" 页 共 ")
    _field(foot, "NUMPAGES")
    foot.add_run(" 页")
    doc.save(str(path))


def _to_pdf(docx_path: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to build the PDF report")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
            check=True, capture_output=True, timeout=180,
        )
    pdf = outdir / (docx_path.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


_DOCX_HEADINGS = (("wenjiang-2024", True), ("lishui-2022", False))


def docx_sources(outdir: Path | str) -> dict[str, Path]:
    """Every built report as the .docx it is written as (the PDF's source too), by report stem.

    tests/oracle.py reads the report's words from these (no LibreOffice needed).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, headings in _DOCX_HEADINGS:
        out[name] = outdir / f"{name}.docx"
        _document(REPORTS[name], 12, headings=headings).save(str(out[name]))
    out["xuanhan-2018"] = outdir / "xuanhan-2018.docx"
    _xuanhan_docx(out["xuanhan-2018"])
    return out


def build_reports(outdir: Path | str, with_pdf: bool = True) -> list[Path]:
    """Write the built reports as delivered into outdir (the .pdf only when with_pdf); their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, headings in _DOCX_HEADINGS:
        p = outdir / FILES[name]
        _document(REPORTS[name], 12, headings=headings).save(str(p))
        paths.append(p)
    if with_pdf:
        with tempfile.TemporaryDirectory(prefix="xuanhan-") as tmp:
            src = Path(tmp) / "xuanhan-2018.docx"
            _xuanhan_docx(src)
            paths.append(_to_pdf(src, outdir))
    return paths


def build_all(outdir: Path | str) -> list[Path]:
    """Write the three built reports into outdir; returns their paths."""
    return build_reports(outdir)


if __name__ == "__main__":
    import sys

    for p in build_all(sys.argv[1] if len(sys.argv) > 1 else "blind2-out"):
        print(p)
