"""Build the binary reports of blind set 4 (.docx via python-docx, .pdf via LibreOffice) from data here.

Why a builder: the binaries are reproducible from this file, so only text is committed. Each report is
written the way a county/city agency writes it in Word: a fund table with a header row, a 自评表 whose
一级/二级 cells are merged vertically, a cover page laid out in two columns.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

FIXED_TIME = datetime(2024, 1, 1, 8, 0, 0)

# ---------------------------------------------------------------- xingtai-2022.docx (河北, 地级市)
XINGTAI_INTRO = [
    ("title", "邢台市2022年度社会保险基金支出预算绩效自评报告"),
    ("p", "邢台市社会保险事业服务中心"),
    ("h", "一、基本情况"),
    ("p", "根据省人力资源和社会保障厅、省财政厅关于做好社会保险基金预算绩效自评工作的部署，我中心对2022年度"
          "市级统筹的社会保险基金支出预算执行和绩效目标完成情况进行了自评。企业职工基本养老保险基金自2020年起"
          "实行全省统收统支，职工基本医疗保险基金和城乡居民基本医疗保险基金由市医疗保障局管理，城乡居民基本"
          "养老保险基金和机关事业单位基本养老保险基金由各县（市、区）分别编报，本报告仅包括市级统筹的工伤保险"
          "基金和失业保险基金两项。"),
    ("p", "年度绩效目标：工伤保险待遇支付准确率达到99%以上；全年领取失业保险金人数不少于4200人；失业保险金于"
          "每月15日前发放到位；落实失业保险稳岗返还政策，惠及企业3000户以上；参保单位和个人满意度达到90%以上。"),
    ("h", "二、基金预算执行情况"),
    ("p", "2022年两项基金收支预算执行情况见下表。"),
]

FUND_TABLE_TITLE = "表1  2022年邢台市工伤、失业保险基金预算执行情况表（单位：万元）"
FUND_TABLE_HEADER = ["项目", "上年决算数", "本年预算数", "本年执行数", "完成预算%", "同比增长%"]
FUND_TABLE_ROWS = [
    ["一、工伤保险基金收入", "16985.40", "18200.00", "18642.15", "102.43", "9.75"],
    ["    其中：工伤保险费收入", "15870.22", "17100.00", "17536.90", "102.56", "10.50"],
    ["          利息收入", "312.18", "320.00", "338.61", "105.82", "8.47"],
    ["二、工伤保险基金支出", "16102.87", "17800.00", "17533.78", "98.50", "8.89"],
    ["    其中：工伤保险待遇支出", "15855.30", "17480.00", "17251.06", "98.69", "8.80"],
    ["          劳动能力鉴定费", "86.40", "95.00", "92.35", "97.21", "6.89"],
    ["三、工伤保险基金当年收支结余", "882.53", "400.00", "1208.37", "", ""],
    ["四、工伤保险基金年末滚存结余", "9236.58", "", "10344.95", "", ""],
    ["五、失业保险基金收入", "21563.70", "22500.00", "23018.44", "102.30", "6.75"],
    ["    其中：失业保险费收入", "19875.12", "20800.00", "21236.58", "102.10", "6.85"],
    ["          利息收入", "1402.30", "1450.00", "1516.87", "104.61", "8.17"],
    ["六、失业保险基金支出", "26894.35", "30500.00", "29687.12", "97.33", "10.38"],
    ["    其中：失业保险金", "9623.41", "10800.00", "10452.63", "96.78", "8.62"],
    ["          代缴基本医疗保险费", "3105.26", "3500.00", "3367.08", "96.20", "8.43"],
    ["          稳岗返还", "9874.50", "11200.00", "10936.72", "97.65", "10.76"],
    ["          技能提升补贴", "2103.40", "2600.00", "2484.90", "95.57", "18.14"],
    ["七、失业保险基金当年收支结余", "-5330.65", "-8000.00", "-6668.68", "", ""],
    ["八、失业保险基金年末滚存结余", "78542.16", "", "71873.48", "", ""],
]

XINGTAI_BODY = [
    ("h2", "（一）工伤保险基金"),
    ("p", "全年工伤保险基金收入18642.15万元，完成预算的102.43%，同比增长9.75%，其中工伤保险费收入17536.90"
          "万元，占基金收入的94.07%。基金支出17533.78万元，完成预算的98.50%，同比增长8.89%，其中工伤保险待遇"
          "支出17251.06万元，全年享受工伤保险待遇5362人次。当年收支结余1208.37万元，年末滚存结余10344.95万元。"),
    ("h2", "（二）失业保险基金"),
    ("p", "全年失业保险基金收入23018.44万元，完成预算的102.30%，同比增长6.75%。基金支出29687.12万元，完成预算"
          "的97.33%，较上年增加2792.77万元，同比增长10.38%。其中：失业保险金10452.63万元，代缴基本医疗保险费"
          "3367.08万元，稳岗返还10936.72万元，技能提升补贴2484.90万元。全年领取失业保险金4358人，为3246户企业"
          "发放稳岗返还。受阶段性降费和扩大稳岗返还范围影响，当年收不抵支6668.68万元，年末滚存结余71873.48万元，"
          "按当年支出水平可支付29.05个月。"),
    ("h", "三、绩效目标完成情况"),
    ("p", "2022年，两项基金支出合计47220.90万元，支出预算执行率97.77%。年初设定的绩效目标全部完成：领取失业"
          "保险金4358人，高于目标；失业保险金均于每月15日前发放；稳岗返还惠及企业3246户；工伤保险待遇按规定"
          "及时足额支付；经第三方测评，参保单位和个人满意度为94.5%。自评得分99.96分，评价等级为“优”。"),
    ("h", "四、存在问题及改进措施"),
    ("p", "一是失业保险基金连续两年收不抵支，结余逐年下降，需关注基金可持续性；"
          "二是工伤保险待遇审核仍以人工为主，个别案件核定出现差错；三是预算编制对政策调整的预判不足。下一步，我们将完善工伤待遇智能审核规则，"
          "加强与税务部门的数据共享，提高预算编制精准度。"),
    ("h", "五、附件：2022年社会保险基金支出预算绩效自评表"),
]

# 自评表: (一级, 二级, 三级, 指标值, 实际完成值, 分值, 得分, 偏差原因)
XINGTAI_SELF_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "全年实际值", "分值", "得分",
                       "偏差原因分析"]
XINGTAI_SELF_ROWS = [
    ("产出指标", "数量指标", "领取失业保险金人数", "≥4000人", "4358人", "10", "10", ""),
    ("产出指标", "数量指标", "工伤保险待遇享受人次", "≥5000人次", "5362人次", "10", "10", ""),
    ("产出指标", "质量指标", "工伤保险待遇支付准确率", "≥99%", "98.6%", "10", "9.96",
     "个别工伤待遇核定有误，已追回"),
    ("产出指标", "质量指标", "失业保险金发放准确率", "100%", "100%", "10", "10", ""),
    ("产出指标", "时效指标", "失业保险金发放时间", "每月15日前", "每月15日前", "10", "10", ""),
    ("产出指标", "成本指标", "基金支出预算执行率", "≥95%", "97.77%", "10", "10", ""),
    ("效益指标", "社会效益指标", "稳岗返还惠及企业数", "≥3000户", "3246户", "15", "15", ""),
    ("效益指标", "可持续影响指标", "失业保险基金累计结余可支付月数", "≥24个月", "29.05个月", "15", "15", ""),
    ("满意度指标", "服务对象满意度指标", "参保单位和个人满意度", "≥90%", "94.5%", "10", "10", ""),
]
XINGTAI_SELF_TOTAL = ("总分", "", "", "", "", "100", "99.96", "")

# ---------------------------------------------------------------- chengdong-2020.pdf (青海, 区)
CHENGDONG_COVER_LEFT = ["西宁市城东区", "社会保险基金支出预算", "绩效自评报告", "（2020年度）"]
CHENGDONG_COVER_RIGHT = [
    "项目名称：城乡居民基本养老保险基金支出",
    "实施单位：西宁市城东区社会保险服务中心",
    "主管部门：城东区人力资源和社会保障局",
    "联 系 人：马海英",
    "填报日期：2021年3月26日",
]
CHENGDONG_BODY = [
    ("h", "一、基金概况"),
    ("p", "我区负责城乡居民基本养老保险基金的收支核算，机关事业单位养老保险由西宁市统筹管理，工伤、失业保险"
          "由市级统筹，医疗保险由医疗保障部门管理。2020年末全区城乡居民养老保险参保64318人，领取待遇14260人，"
          "领取待遇人员占参保人数的22.17%。基础养老金标准由每人每月210元提高到230元。"),
    ("h", "二、预算执行情况"),
    ("p", "表1 2020年城乡居民养老保险基金收支预算执行情况（单位：万元）"),
    ("p", "项目  预算数  执行数  完成率"),
    ("p", "基金收入  6830  7046.28  103.17%"),
    ("p", "其中：个人缴费收入  1300  1358.62  104.51%"),
    ("p", "基金支出  5480  5327.64  97.22%"),
    ("p", "当年结余  1350  1718.64  127.31%"),
    ("h2", "1.基金收入"),
    ("p", "全年基金收入7046.28万元。其中：（1）个人缴费收入1358.62万元；（2）各级财政补贴收入5216.40万元，"
          "占基金收入的74.03%；（3）利息收入312.75万元；（4）转移收入158.51万元。为1236户建档立卡贫困户中的"
          "1548名困难群众代缴了最低档次养老保险费。"),
    ("h2", "2.基金支出"),
    ("p", "全年基金支出5327.64万元，比上年的4963.15万元增加364.49万元，增长7.34%。其中：（1）基础养老金"
          "4486.20万元；（2）个人账户养老金658.36万元；（3）丧葬补助金96.80万元；（4）转移支出86.28万元。"),
    ("h2", "3.基金结余"),
    ("p", "当年收支结余1718.64万元，年末滚存结余23302.70万元，可支付52.49个月。"),
    ("h", "三、绩效目标完成情况"),
    ("p", "1.待遇按月足额发放，发放率100%，未发生欠发。2.通过与民政、公安部门信息比对，全年暂停发放疑似死亡"
          "人员待遇42人，追回多领待遇3.86万元。3.群众满意度调查回收问卷1200份，满意度为96.2%。"),
    ("h", "四、存在问题及下一步打算"),
    ("p", "（1）辖区流动人口多，参保人员信息变动频繁，核查难度大；（2）多数参保人员按最低档次缴费。下一步将"
          "加大政策宣传，推动参保人员选择较高档次缴费，并常态化开展待遇资格认证。"),
]


def _set_fonts(doc) -> None:
    """Chinese text needs w:eastAsia; theme attributes on built-in styles would override it."""
    for name, ea, size in (("Normal", "仿宋_GB2312", 12), ("Title", "方正小标宋简体", 18),
                           ("Heading 1", "黑体", 14), ("Heading 2", "楷体_GB2312", 13)):
        style = doc.styles[name]
        style.font.name = "Times New Roman"
        style.font.size = Pt(size)
        rf = style.element.get_or_add_rPr().get_or_add_rFonts()
        rf.set(qn("w:eastAsia"), ea)
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rf.attrib.pop(qn(a), None)


def _new_doc():
    doc = Document()
    _set_fonts(doc)
    cp = doc.core_properties
    cp.author, cp.created, cp.modified, cp.last_modified_by = "sifund-tests", FIXED_TIME, FIXED_TIME, ""
    return doc


def _add_blocks(doc, blocks) -> None:
    for kind, text in blocks:
        if kind == "title":
            doc.add_heading(text, level=0)
        elif kind == "h":
            doc.add_heading(text, level=1)
        elif kind == "h2":
            doc.add_heading(text, level=2)
        else:
            doc.add_paragraph(text)


def _table(doc, header, rows):
    t = doc.add_table(rows=1 + len(rows), cols=len(header))
    t.style = "Table Grid"
    for j, h in enumerate(header):
        t.cell(0, j).text = h
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    return t


def _merge_runs(table, col: int, first_row: int, keys: list[str], labels: list[str]) -> None:
    """Vertically merge runs of equal keys in one column (一级/二级指标 cells as Word writes them)."""
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i]:
            j += 1
        if j > i:
            merged = table.cell(first_row + i, col).merge(table.cell(first_row + j, col))
            merged.text = labels[i]
        i = j + 1


def build_xingtai(path: Path) -> Path:
    doc = _new_doc()
    _add_blocks(doc, XINGTAI_INTRO)
    doc.add_paragraph(FUND_TABLE_TITLE)
    _table(doc, FUND_TABLE_HEADER, FUND_TABLE_ROWS)
    _add_blocks(doc, XINGTAI_BODY)
    doc.add_paragraph("单位：万元")
    t = _table(doc, XINGTAI_SELF_HEADER, [list(r) for r in XINGTAI_SELF_ROWS] + [list(XINGTAI_SELF_TOTAL)])
    level1 = [r[0] for r in XINGTAI_SELF_ROWS]
    level2 = [r[1] for r in XINGTAI_SELF_ROWS]
    _merge_runs(t, 0, 1, level1, level1)
    _merge_runs(t, 1, 1, [a + "/" + b for a, b in zip(level1, level2, strict=True)], level2)
    doc.save(path)
    return path


def _columns(section, n: int) -> None:
    cols = section._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        section._sectPr.append(cols)
    cols.set(qn("w:num"), str(n))
    cols.set(qn("w:space"), "720")


def build_chengdong_docx(path: Path) -> Path:
    doc = _new_doc()
    _columns(doc.sections[0], 2)
    for line in CHENGDONG_COVER_LEFT:
        p = doc.add_paragraph()
        p.add_run(line).font.size = Pt(20)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.COLUMN)
    for line in CHENGDONG_COVER_RIGHT:
        doc.add_paragraph(line)
    _columns(doc.add_section(WD_SECTION.NEW_PAGE), 1)
    _add_blocks(doc, [("title", "西宁市城东区2020年度社会保险基金支出预算绩效自评报告"), *CHENGDONG_BODY])
    doc.save(path)
    return path


def docx_to_pdf(docx: Path, outdir: Path) -> Path:
    """LibreOffice headless with its own profile (two soffice sharing one profile fail silently)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) not found")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        subprocess.run([soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                       check=True, capture_output=True, timeout=180)
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


def docx_sources(outdir: Path) -> dict[str, Path]:
    """Both built reports as the .docx they are written as (the PDF's source too), by report stem.

    tests/oracle.py reads the report's words from these (no LibreOffice needed).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return {"xingtai-2022": build_xingtai(outdir / "xingtai-2022.docx"),
            "chengdong-2020": build_chengdong_docx(outdir / "chengdong-2020.docx")}


def build_reports(outdir: Path, with_pdf: bool = True) -> list[Path]:
    """Write xingtai-2022.docx and (when with_pdf) chengdong-2020.pdf into outdir; return their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [build_xingtai(outdir / "xingtai-2022.docx")]
    if with_pdf:
        with tempfile.TemporaryDirectory(prefix="blind4-") as tmp:
            src = build_chengdong_docx(Path(tmp) / "chengdong-2020.docx")
            paths.append(docx_to_pdf(src, outdir))
    return paths


def build_all(outdir: Path) -> list[Path]:
    """Write xingtai-2022.docx and chengdong-2020.pdf into outdir; return their paths."""
    return build_reports(outdir)


if __name__ == "__main__":
    import sys

    for p in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "blind4-out")):
        print(p)
