"""Build the blind5 .docx/.pdf reports (tongxin-2022.docx, qiongzhong-2023.pdf) from Python data.

Deterministic: the same data gives the same text. Rates in the tables are computed from the amounts
(half-up to 2 decimals) except where a planted error overrides one (see tongxin-2022.gold.yaml).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

D = Decimal


def wan(x: str) -> str:
    """12345.6 -> '12,345.60' (thousands separators, 2 decimals)."""
    return f"{D(x):,.2f}"


def pct(a: str, b: str) -> str:
    return str((D(a) / D(b) * 100).quantize(D("0.01"), ROUND_HALF_UP))


def yoy(cur: str, prior: str) -> str:
    return pct(str(D(cur) - D(prior)), prior)


def _fonts(doc) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(12)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _table(doc, rows: list[list[str]], header_repeat: bool = False) -> None:
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    if header_repeat:
        trpr = t.rows[0]._tr.get_or_add_trPr()
        h = OxmlElement("w:tblHeader")
        h.set(qn("w:val"), "true")
        trpr.append(h)


# ---------------------------------------------------------------- 同心县 2022 (宁夏), .docx
RP = [  # 项目, 上年决算, 本年预算, 本年执行
    ("一、城乡居民养老保险基金收入", "14210.36", "14800", "15362.08"),
    ("其中：个人缴费收入", "1905.22", "2000", "2133.47"),
    ("政府补贴收入", "11820.55", "12300", "12697.40"),
    ("利息收入", "484.59", "500", "531.21"),
    ("二、城乡居民养老保险基金支出", "11562.90", "12600", "12318.75"),
    ("其中：基础养老金", "10402.35", "", "11046.12"),
    ("个人账户养老金", "1008.70", "", "1108.33"),
    ("丧葬补助金", "151.85", "", "164.30"),
    ("三、机关事业单位养老保险基金收入", "18402.77", "19500", "19876.40"),
    ("其中：养老保险费收入", "9502.18", "10000", "10215.68"),
    ("财政补助收入", "8835.40", "9420", "9588.12"),
    ("利息收入", "65.19", "80", "72.60"),
    ("四、机关事业单位养老保险基金支出", "18016.44", "19800", "19463.29"),
    ("其中：基本养老金", "17790.15", "", "19230.85"),
    ("丧葬抚恤补助", "226.29", "", "232.44"),
]
PLANTED_YOY = {"四、机关事业单位养老保险基金支出": "7.43"}  # computed on the current year: 1446.85/19463.29

TX_KPI = [  # 一级, 二级, 三级, 权重, 指标值, 实际完成值, 得分
    ("产出指标", "数量指标", "城乡居民养老保险待遇按时足额发放人数", "15", "≥3.2万人", "3.12万人", "14.6"),
    ("产出指标", "数量指标", "机关事业单位养老保险待遇发放人数", "15", "≥4100人", "4126人", "15"),
    ("产出指标", "质量指标", "待遇发放准确率", "10", "≥99%", "100%", "10"),
    ("产出指标", "时效指标", "养老金发放时间", "10", "每月10日前", "每月10日前", "10"),
    ("产出指标", "成本指标", "基金支出预算完成率", "10", "≥95%", "98.09%", "10"),
    ("效益指标", "可持续影响指标", "城乡居民养老保险基金累计结余可支付月数", "15", "≥12个月", "42.0个月",
     "15"),
    ("效益指标", "社会效益指标", "参保人员待遇水平", "5", "较上年提高", "较上年提高", "5"),
    ("满意度指标", "服务对象满意度指标", "参保群众满意度", "20", "≥90%", "95%", "20"),
]


def tongxin_rows() -> list[list[str]]:
    rows = [["项目", "上年决算数", "本年预算数", "本年执行数", "完成预算%", "同比增长%"]]
    for name, prior, budget, actual in RP:
        rows.append([name, wan(prior), wan(budget) if budget else "—", wan(actual),
                     pct(actual, budget) if budget else "—", PLANTED_YOY.get(name, yoy(actual, prior))])
    rows.append(["五、城乡居民养老保险基金当年结余", "2,647.46", "2,200.00", "3,043.33", "—", "—"])
    rows.append(["六、城乡居民养老保险基金年末滚存结余", "40,115.62", "—", "43,158.95", "—", "—"])
    rows.append(["七、机关事业单位养老保险基金当年结余", "386.33", "-300.00", "413.11", "—", "—"])
    rows.append(["八、机关事业单位养老保险基金年末滚存结余", "1,290.06", "—", "1,703.17", "—", "—"])
    return rows


def build_tongxin(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    doc.add_heading("同心县2022年度社会保险基金支出预算绩效自评报告", level=1)
    doc.add_paragraph("同心县社会保险事业管理中心")
    doc.add_paragraph("一、基本情况")
    doc.add_paragraph(
        "同心县社会保险事业管理中心负责全县城乡居民基本养老保险和机关事业单位养老保险基金的征缴、"
        "待遇核定与发放。2022年是“十四五”规划实施的第二年，我中心按照自治区财政厅、人力资源和社会保障厅"
        "的部署，对两项基金的预算执行和绩效目标完成情况开展了自评。")
    doc.add_paragraph(
        "年初设定的绩效目标为：城乡居民养老保险待遇按时足额发放3.2万人以上；机关事业单位养老保险待遇"
        "按时足额发放4200人以上；待遇发放准确率99%以上；养老金每月10日前发放到位；基金支出预算完成率"
        "不低于95%；参保群众满意度不低于90%。")
    doc.add_paragraph("二、基金预算执行情况")
    doc.add_paragraph("两项基金2022年预算执行情况见下表（单位：万元）。")
    _table(doc, tongxin_rows())
    doc.add_paragraph(
        "两项基金全年支出合计31,782.04万元，完成支出预算32,400.00万元的98.09%。城乡居民养老保险基金"
        "年末滚存结余43,158.95万元，按当年支出计算可支付42.0个月；机关事业单位养老保险基金年末滚存结余"
        "1,703.17万元，结余规模偏小。")
    doc.add_paragraph("三、绩效目标完成情况")
    doc.add_paragraph(
        "2022年各项绩效目标全部完成，自评得分99.6分，等级为“优”。城乡居民养老保险待遇发放人数3.12万人，"
        "机关事业单位养老保险待遇发放4126人，待遇发放准确率100%，群众满意度95%。")
    doc.add_paragraph("四、存在问题和改进措施")
    doc.add_paragraph(
        "一是城乡居民养老保险缴费档次普遍偏低；二是机关事业单位养老保险基金结余较少，对财政补助依赖较大。"
        "下一步将加强政策宣传，做好待遇资格认证，确保基金安全运行。")
    doc.add_paragraph("附件：同心县2022年度社会保险基金支出预算绩效自评表")
    rows = [["一级指标", "二级指标", "三级指标", "权重", "指标值", "实际完成值", "得分"]]
    rows += [list(r) for r in TX_KPI]
    rows.append(["总分", "", "", "100", "", "", "99.6"])
    _table(doc, rows)
    doc.save(path)
    return path


# ---------------------------------------------------------------- 琼中黎族苗族自治县 2023 (海南), .pdf
QZ = [  # 项目, 2022年决算数, 2023年预算数, 2023年决算数
    ("城乡居民基本养老保险基金收入", "11930.40", "12000", "12486.52"),
    ("  其中：个人缴费收入", "", "", "2870.16"),
    ("        政府补贴收入", "", "", "9105.87"),
    ("        利息收入", "", "", "498.35"),
    ("        其他收入", "", "", "12.14"),
    ("城乡居民基本养老保险基金支出", "9185.66", "10100", "9734.08"),
    ("  其中：基础养老金", "", "", "8602.71"),
    ("        个人账户养老金", "", "", "1012.40"),
    ("        丧葬补助金", "", "", "118.97"),
    ("城乡居民基本养老保险基金当年结余", "", "", "2752.44"),
    ("城乡居民基本养老保险基金年末滚存结余", "32857.83", "", "35610.27"),
    ("机关事业单位基本养老保险基金收入", "", "25800", "26315.90"),
    ("  其中：养老保险费收入", "", "", "14930.22"),
    ("        财政补助收入", "", "", "11310.48"),
    ("        利息收入", "", "", "75.20"),
    ("机关事业单位基本养老保险基金支出", "", "26500", "25884.61"),
    ("  其中：基本养老金", "", "", "25570.36"),
    ("        丧葬抚恤补助", "", "", "314.25"),
    ("机关事业单位基本养老保险基金当年结余", "", "", "431.29"),
    ("机关事业单位基本养老保险基金年末滚存结余", "1786.54", "", "2217.83"),
]

QZ_TEXT = [
    "琼中黎族苗族自治县2023年度社会保险基金支出预算绩效自评报告",
    "琼中黎族苗族自治县社会保险服务中心",
    "一、项目概况",
    "我县社会保险服务中心承担城乡居民基本养老保险和机关事业单位基本养老保险两项基金的经办工作。"
    "2023年是全面贯彻落实党的二十大精神的开局之年，也是“十四五”规划承前启后的关键一年。",
    "根据《社会保险基金预算绩效管理办法》①和省财政厅有关通知要求，我中心组成自评工作小组，"
    "对照年初设定的绩效目标，逐项核对基金收支数据、待遇发放记录和服务对象满意度调查结果，形成本报告。",
    "二、绩效目标设定情况",
    "年度绩效目标包括：城乡居民基础养老金按月足额发放，发放准确率不低于99%；机关事业单位养老金按时"
    "足额发放；基金收支平衡、略有结余；参保对象满意度不低于90%。",
    "三、主要工作措施",
    "（一）扎实开展待遇资格认证。依托社保卡和人脸识别开展待遇领取资格认证，对长期未认证人员暂停发放并"
    "逐户核实，全年核查疑似死亡冒领线索并全部处理到位。",
    "（二）规范待遇发放流程。实行待遇核定、复核、审批三岗分离，待遇资金通过社保卡直接发放到参保人账户。",
    "（三）加强基金内控管理。定期开展基金对账，按季度编报基金运行分析，对大额支出实行集体审批。",
    "（四）做好政策宣传。利用乡镇集市日、村委会广播等形式宣传多缴多得政策，引导群众选择较高缴费档次。",
    "（五）推进经办服务下沉。在各乡镇设立社保服务窗口，推行“一窗通办”，方便群众就近办理参保登记、"
    "待遇申领和关系转移接续业务。",
    "四、基金预算执行情况",
    "2023年城乡居民基本养老保险基金收入12,486.52万元，完成年初预算12,000万元的104.05%，比上年"
    "11,930.40万元增长4.66%；基金支出9,734.08万元，完成预算10,100万元的96.38%，比上年9,185.66万元"
    "增长5.97%。当年结余2,752.44万元，年末滚存结余35,610.27万元②。",
    "机关事业单位基本养老保险基金收入26,315.90万元，完成预算25,800万元的102.00%；基金支出25,884.61万元，"
    "完成预算26,500万元的97.68%；当年结余431.29万元，年末滚存结余2,217.83万元。年末在职参保5,436人，"
    "离退休3,218人，抚养比为1.69。",
    "两项基金收支明细见下表（单位：万元）③。",
]
QZ_NOTES = [
    "注：①财社〔2022〕65号。②年末滚存结余含委托省级投资运营部分。③表中2022年决算数仅列示总额，明细从略；"
    "“—”表示该项无预算数。",
]
QZ_AFTER = [
    "五、绩效目标完成情况",
    "全年按月足额发放城乡居民基础养老金，发放准确率100%；机关事业单位养老金按时足额发放；两项基金均实现收支"
    "平衡、略有结余；参保对象满意度调查结果为96%。年初设定的绩效目标均已完成。",
    "六、存在的问题及改进措施",
    "一是个人缴费档次偏低，待遇水平总体不高；二是基金保值增值渠道有限。下一步将继续扩大委托投资规模，"
    "加强基金风险防控。",
]


def build_qiongzhong_docx(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    for i, t in enumerate(QZ_TEXT):
        doc.add_heading(t, level=1) if i == 0 else doc.add_paragraph(t)
    rows = [["项目", "2022年决算数", "2023年预算数", "2023年决算数", "完成预算(%)"]]
    for name, prior, budget, actual in QZ:
        rows.append([name, wan(prior) if prior else "—", wan(budget) if budget else "—", wan(actual),
                     pct(actual, budget) if budget else "—"])
    _table(doc, rows, header_repeat=True)
    for t in QZ_NOTES:
        p = doc.add_paragraph()
        r = p.add_run(t)
        r.font.size = Pt(9)
    for t in QZ_AFTER:
        doc.add_paragraph(t)
    doc.save(path)
    return path


def docx_to_pdf(docx: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) not found")
    prof = tempfile.mkdtemp(prefix="b5lo")
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                       check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": prof})
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    return outdir / (docx.stem + ".pdf")


def docx_sources(outdir: Path) -> dict[str, Path]:
    """Both built reports as the .docx they are written as (the PDF's source too), by report stem.

    tests/oracle.py reads the report's words from these (no LibreOffice needed).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return {"tongxin-2022": build_tongxin(outdir / "tongxin-2022.docx"),
            "qiongzhong-2023": build_qiongzhong_docx(outdir / "qiongzhong-2023.docx")}


def build_reports(outdir: Path, with_pdf: bool = True) -> list[Path]:
    """Write tongxin-2022.docx and (when with_pdf) qiongzhong-2023.pdf into outdir; return their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [build_tongxin(outdir / "tongxin-2022.docx")]
    if with_pdf:
        with tempfile.TemporaryDirectory() as tmp:
            qd = build_qiongzhong_docx(Path(tmp) / "qiongzhong-2023.docx")
            paths.append(docx_to_pdf(qd, outdir))
    return paths


def build_all(outdir: Path) -> list[Path]:
    """Write tongxin-2022.docx and qiongzhong-2023.pdf into outdir; return their paths."""
    return build_reports(outdir)


if __name__ == "__main__":
    import sys

    print(*build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "build")), sep="\n")
