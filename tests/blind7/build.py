"""Build the blind7 .docx/.pdf reports from Python data (B3's two; B4's through b4_build.py).

- youxian-2024.pdf: 攸县2024年上半年社会保险基金预算执行情况分析 (Word table → LibreOffice → PDF).
- meitan-2020.docx: 湄潭县2020年度社会保险基金预算绩效自评报告, each fund named only in its chapter heading.

Deterministic: the same data gives the same text. Rates are computed from the amounts (half-up to 2
decimals) except where a planted error overrides one (see the .gold.yaml keys).
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import ModuleType

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pdfrender import soffice_pdf as docx_to_pdf

D = Decimal
HERE = Path(__file__).resolve().parent


def wan(x: str | Decimal) -> str:
    """12345.6 -> '12,345.60' (thousands separators, 2 decimals)."""
    return f"{D(x):,.2f}"


def pct(a: str | Decimal, b: str | Decimal) -> str:
    return str((D(a) / D(b) * 100).quantize(D("0.01"), ROUND_HALF_UP))


def yoy(cur: str | Decimal, prior: str | Decimal) -> str:
    return pct(D(cur) - D(prior), prior)


def _fonts(doc) -> None:
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(11)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")


def _table(
    doc, rows: list[list[str]], widths_cm: list[float] | None = None, size: float | None = None
) -> None:
    """A grid table; column widths and a smaller font where the figures must fit on one line."""
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    if widths_cm:
        t.autofit = False
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = t.cell(i, j)
            cell.text = text
            if widths_cm:
                cell.width = Cm(widths_cm[j])
            if size:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(size)


def _a4(doc, margin_cm: float) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(margin_cm)


# ---------------------------------------------------------------- 攸县 2024年上半年 (湖南), .pdf
YX = [  # 基金, 全年预算收入, 1-6月累计收入, 全年预算支出, 1-6月累计支出, 期末累计结余
    ("机关事业单位基本养老保险基金", "52360.00", "25418.37", "51880.00", "26105.92", "4386.51"),
    ("城乡居民基本养老保险基金", "31250.00", "12876.40", "27600.00", "13912.68", "78540.26"),
    ("职工基本医疗保险基金（含生育保险）", "38900.00", "20315.82", "34700.00", "16988.45", "41207.33"),
    ("城乡居民基本医疗保险基金", "62480.00", "40632.15", "60950.00", "27436.09", "25870.64"),
    ("工伤保险基金", "1860.00", "902.36", "1720.00", "958.71", "1245.80"),
    ("失业保险基金", "2450.00", "1186.53", "2980.00", "1302.17", "8917.45"),
]
# planted: 城乡居民医保支出进度 printed 54.01 (27436.09/60950 = 45.01%)
YX_PLANTED = {("城乡居民基本医疗保险基金", "out"): "54.01"}
YX_PRIOR = {  # 上年同期 figures the comments quote
    "机关收入": "24107.55",
    "居民养老支出": "13086.24",
    "职工医保收入": "19402.60",
    "失业支出": "1538.90",
}


def yx_total() -> list[Decimal]:
    return [sum((D(r[j]) for r in YX), D(0)) for j in range(1, 6)]


def youxian_rows() -> list[list[str]]:
    rows = [["基金名称", "全年预算收入", "1-6月累计收入", "收入进度(%)", "全年预算支出", "1-6月累计支出",
             "支出进度(%)", "期末累计结余"]]
    for name, bi, ai, bo, ao, bal in YX:
        rows.append([name, wan(bi), wan(ai), YX_PLANTED.get((name, "in"), pct(ai, bi)), wan(bo), wan(ao),
                     YX_PLANTED.get((name, "out"), pct(ao, bo)), wan(bal)])
    bi, ai, bo, ao, bal = yx_total()
    rows.append(["合计", wan(bi), wan(ai), pct(ai, bi), wan(bo), wan(ao), pct(ao, bo), wan(bal)])
    return rows


def youxian_text() -> tuple[list[str], list[str]]:
    """(paragraphs before the table, paragraphs after it)."""
    r = {row[0]: row for row in YX}
    bi, ai, bo, ao, bal = yx_total()
    p = YX_PRIOR
    inst, res = r["机关事业单位基本养老保险基金"], r["城乡居民基本养老保险基金"]
    emp = r["职工基本医疗保险基金（含生育保险）"]
    rmed, inj, une = r["城乡居民基本医疗保险基金"], r["工伤保险基金"], r["失业保险基金"]
    before = [
        "攸县2024年上半年社会保险基金预算执行情况分析",
        "攸县财政局  攸县人力资源和社会保障局  攸县医疗保障局",
        "（2024年7月）",
        "按照《湖南省社会保险基金预算管理办法》和市财政局关于做好社会保险基金预算执行分析的通知要求，"
        "现将我县2024年1-6月社会保险基金预算执行情况分析如下。",
        "一、总体执行情况",
        f"1-6月，全县各项社会保险基金累计收入{wan(ai)}万元，占全年预算{wan(bi)}万元的{pct(ai, bi)}%；"
        f"累计支出{wan(ao)}万元，占全年预算{wan(bo)}万元的{pct(ao, bo)}%；期末累计结余{wan(bal)}万元。"
        "收入进度略高于时间进度（50%），支出进度低于时间进度，基金运行总体平稳。各项基金执行情况见下表。",
        "表1  2024年1-6月社会保险基金预算执行情况表（单位：万元）",
    ]
    after = [
        "二、分险种执行情况",
        f"（一）机关事业单位基本养老保险基金。上半年收入{wan(inst[2])}万元，"
        f"收入进度{pct(inst[2], inst[1])}%，比上年同期{wan(p['机关收入'])}万元增长"
        f"{yoy(inst[2], p['机关收入'])}%，主要是在职人员缴费基数调整后单位补缴到位；"
        f"支出{wan(inst[4])}万元，支出进度{pct(inst[4], inst[3])}%，高于时间进度，主要是上半年集中"
        "退休人员较多、基本养老金调整待遇补发。收支缺口由财政补助资金弥补，需关注下半年支付压力。",
        f"（二）城乡居民基本养老保险基金。上半年收入{wan(res[2])}万元，"
        f"仅完成全年预算的{pct(res[2], res[1])}%，"
        "主要是个人缴费集中在下半年征收，中央和省级补助资金尚未全部下达；支出"
        f"{wan(res[4])}万元，比上年同期{wan(p['居民养老支出'])}万元增长{yoy(res[4], p['居民养老支出'])}%，"
        "增长原因是基础养老金最低标准提高和待遇领取人数增加。",
        f"（三）职工基本医疗保险基金（含生育保险）。上半年收入{wan(emp[2])}万元，较上年同期"
        f"{wan(p['职工医保收入'])}万元增长{yoy(emp[2], p['职工医保收入'])}%；支出{wan(emp[4])}万元，支出进度"
        f"{pct(emp[4], emp[3])}%。期末累计结余{wan(emp[5])}万元，结余水平较高，统筹基金运行平稳。",
        f"（四）城乡居民基本医疗保险基金。上半年收入{wan(rmed[2])}万元，收入进度{pct(rmed[2], rmed[1])}%，"
        "主要是年度集中征缴期个人缴费已基本入库；累计支出"
        f"{wan(rmed[4])}万元，住院费用按月结算，县域外就医费用有所增加。期末累计结余{wan(rmed[5])}万元。",
        f"（五）工伤保险基金。上半年收入{wan(inj[2])}万元，支出{wan(inj[4])}万元，支出进度"
        f"{pct(inj[4], inj[3])}%，当期收不抵支，主要是一次性伤残补助金支出集中。",
        f"（六）失业保险基金。上半年收入{wan(une[2])}万元，收入进度{pct(une[2], une[1])}%；支出"
        f"{wan(une[4])}万元，比上年同期{wan(p['失业支出'])}万元下降"
        f"{pct(D(p['失业支出']) - D(une[4]), p['失业支出'])}%，主要是稳岗返还资金尚未发放。",
        "三、下一步工作",
        "一是加强征缴管理，督促各乡镇做好城乡居民养老保险、医疗保险个人缴费征收工作；二是积极争取上级补助"
        "资金及时到位；三是加强医保基金监管，严控不合理医疗费用增长；四是按月开展基金运行监测，确保全年预算"
        "任务完成。",
    ]
    return before, after


def build_youxian_docx(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    _a4(doc, 1.7)
    before, after = youxian_text()
    for i, t in enumerate(before):
        doc.add_heading(t, level=1) if i == 0 else doc.add_paragraph(t)
    _table(doc, youxian_rows(), widths_cm=[2.8] + [2.1] * 7, size=8.5)
    for t in after:
        doc.add_paragraph(t)
    doc.save(path)
    return path


# ---------------------------------------------------------------- 湄潭县 2020 (贵州), .docx
# per fund: 收入(预算数, 实际, 上年), 收入其中, 支出(预算数, 实际, 上年), 支出其中, 上年末滚存结余
MT = {
    "第一部分 城镇职工基本养老保险基金": (
        ("48620.00", "46915.38", "49222.09"),
        [("养老保险费收入", "31208.44"), ("财政补贴收入", "12650.00"), ("利息收入", "418.26"),
         ("转移收入", "2638.68")],
        ("51300.00", "50486.27", "46613.77"),
        [("基本养老金", "47902.15"), ("丧葬抚恤补助金", "1015.32"), ("转移支出", "1568.80")],
        "41815.49",
    ),
    "第二部分 机关事业单位基本养老保险基金": (
        ("36850.00", "37402.56", "34987.12"),
        [("养老保险费收入", "20116.73"), ("财政补助收入", "17208.40"), ("利息收入", "77.43")],
        ("37200.00", "36918.05", "34105.66"),
        [("基本养老金", "36512.28"), ("丧葬抚恤补助金", "405.77")],
        "2870.34",
    ),
    "第三部分 城乡居民基本养老保险基金": (
        ("15480.00", "16127.93", "15203.40"),
        [("个人缴费收入", "2806.15"), ("政府补贴收入", "12714.62"), ("利息收入", "592.08"),
         ("其他收入", "15.08")],
        ("12900.00", "12435.70", "11652.18"),
        [("基础养老金", "11102.46"), ("个人账户养老金", "1186.90"), ("丧葬补助金", "146.34")],
        "46205.81",
    ),
    "第四部分 失业保险基金": (
        ("2960.00", "2408.77", "2875.30"),
        [("失业保险费收入", "2206.52"), ("利息收入", "202.25")],
        ("3350.00", "3618.42", "1920.66"),
        [("失业保险金", "902.14"), ("代缴基本医疗保险费", "186.07"), ("稳岗返还", "2314.80"),
         ("技能提升补贴", "215.41")],
        "10672.09",
    ),
}
# planted: 机关养老当年收支结余 448.51 (37402.56 − 36918.05 = 484.51); 城乡居民养老收入完成率 104.91 (104.19)
MT_PLANTED = {("第二部分 机关事业单位基本养老保险基金", "balance"): "448.51",
              ("第三部分 城乡居民基本养老保险基金", "in_rate"): "104.91"}
MT_NOTES = {
    "第一部分 城镇职工基本养老保险基金": ("主要是落实阶段性减免企业社会保险费政策，保险费收入减少",
                                 "主要是退休人员增加和基本养老金调整"),
    "第二部分 机关事业单位基本养老保险基金": ("主要是在职人员工资调整带动缴费基数提高", "主要是新增退休人员"),
    "第三部分 城乡居民基本养老保险基金": ("主要是政府补贴收入增加", "主要是基础养老金标准提高"),
    "第四部分 失业保险基金": ("主要是阶段性减免失业保险费", "主要是落实援企稳岗政策，稳岗返还支出大幅增加"),
}
MONTHS_PRINTED = ("第一部分 城镇职工基本养老保险基金", "第三部分 城乡居民基本养老保险基金",
                  "第四部分 失业保险基金")


def _change(cur: str, prior: str) -> tuple[str, str]:
    ch = D(cur) - D(prior)
    return wan(ch), yoy(cur, prior)


def mt_figures(part: str) -> dict[str, str]:
    """The printed figures of one chapter (planted ones as printed)."""
    (bi, ai, _pi), _inc, (bo, ao, _po), _exp, rp = MT[part]
    bal = D(ai) - D(ao)
    roll = D(rp) + bal
    return {
        "in_rate": MT_PLANTED.get((part, "in_rate"), pct(ai, bi)),
        "out_rate": pct(ao, bo),
        "balance": MT_PLANTED.get((part, "balance"), wan(bal)),
        "rolling": wan(roll),
        "months": str((roll / (D(ao) / 12)).quantize(D("0.01"), ROUND_HALF_UP)),
    }


def meitan_chapter(part: str) -> list[tuple[str, str]]:
    """(style, text) paragraphs of one fund chapter: the fund is named only in the heading."""
    (bi, ai, pi), inc, (bo, ao, po), exp, rp = MT[part]
    f = mt_figures(part)
    why_in, why_out = MT_NOTES[part]
    ci, ri = _change(ai, pi)
    co, ro = _change(ao, po)
    out = [("h2", part), ("h3", "一、收入")]
    out.append(("p", f"2020年收入预算数{wan(bi)}万元，实际完成{wan(ai)}万元，完成预算数的{f['in_rate']}%；"
                     f"较上年增减{ci}万元，增减率{ri}%，{why_in}。"))
    out.append(("p", "其中：" + "；".join(f"{n}{wan(v)}万元" for n, v in inc) + "。"))
    out.append(("h3", "二、支出"))
    out.append(("p", f"支出预算数{wan(bo)}万元，实际支出{wan(ao)}万元，完成预算数的{f['out_rate']}%；"
                     f"较上年增减{co}万元，增减率{ro}%，{why_out}。"))
    out.append(("p", "其中：" + "；".join(f"{n}{wan(v)}万元" for n, v in exp) + "。"))
    out.append(("h3", "三、结余"))
    tail = f"，可支付{f['months']}个月" if part in MONTHS_PRINTED else ""
    out.append(("p", f"当年收支结余{f['balance']}万元，上年末滚存结余{wan(rp)}万元，年末滚存结余"
                     f"{f['rolling']}万元{tail}。"))
    return out


MT_HEAD = [
    ("h1", "湄潭县2020年度社会保险基金预算绩效自评报告"),
    ("p", "湄潭县人力资源和社会保障局"),
    ("p", "根据《贵州省社会保险基金预算绩效管理实施办法》和县财政局关于开展2020年度社会保险基金预算绩效"
          "自评工作的通知，我局对城镇职工基本养老保险、机关事业单位基本养老保险、城乡居民基本养老保险和失业"
          "保险四项基金2020年度预算执行情况开展了自评，现报告如下。2020年受新冠肺炎疫情影响，国家实施阶段性"
          "减免社会保险费政策，基金收入有所减少，支出刚性增长。"),
]
MT_TAIL = [
    ("h2", "第五部分 绩效目标完成情况及自评结论"),
    ("p", "年初设定的养老金按时足额发放率100%、失业保险金按时足额发放率100%、参保对象满意度90%以上等绩效"
          "目标均已实现。四项基金全年未发生挤占挪用问题，养老金社会化发放率100%，参保对象满意度调查结果为93%。"
          "综合评价，2020年度社会保险基金预算绩效自评等级为“良”。"),
    ("h2", "第六部分 存在问题及下一步打算"),
    ("p", "一是城镇职工基本养老保险基金当年收不抵支，累计结余可支付月数下降；二是失业保险基金支出超预算，"
          "预算编制的精准性有待提高；三是城乡居民参保人员缴费档次偏低。下一步，我局将扩面征缴、严格预算编制、"
          "加强基金监督检查，确保基金安全可持续运行。"),
]


def meitan_paragraphs() -> list[tuple[str, str]]:
    out = list(MT_HEAD)
    for part in MT:
        out += meitan_chapter(part)
    return out + MT_TAIL


def build_meitan(path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    levels = {"h1": 1, "h2": 2, "h3": 3}
    for style, text in meitan_paragraphs():
        doc.add_heading(text, level=levels[style]) if style in levels else doc.add_paragraph(text)
    doc.save(path)
    return path


# ---------------------------------------------------------------- building, with B4's reports


def _b4() -> ModuleType | None:
    """B4's build module (tests/blind7/b4_build.py) when it exists, loaded under a name of its own."""
    path = HERE / "b4_build.py"
    if not path.exists():
        return None
    name = "sifund_blind7_b4_build"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]




def docx_sources(outdir: Path) -> dict[str, Path]:
    """Every built report as the .docx it is written as (the PDF's source too), by report stem.

    tests/oracle.py reads the reports' words from these (no LibreOffice needed). B4's .docx reports
    come from its build_reports without PDFs (or its own docx_sources when it has one).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out = {"youxian-2024": build_youxian_docx(outdir / "youxian-2024.docx"),
           "meitan-2020": build_meitan(outdir / "meitan-2020.docx")}
    b4 = _b4()
    if b4 is not None:
        if hasattr(b4, "docx_sources"):
            out |= b4.docx_sources(outdir / "b4")
        else:
            (outdir / "b4").mkdir(exist_ok=True)
            b4.build_reports(outdir / "b4", False)
            out |= {p.stem: p for p in sorted((outdir / "b4").glob("*.docx"))}
    return out


def build_reports(outdir: Path, with_pdf: bool = True) -> list[Path]:
    """Write meitan-2020.docx, youxian-2024.pdf (when with_pdf) and B4's reports into outdir."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = [build_meitan(outdir / "meitan-2020.docx")]
    if with_pdf:
        with tempfile.TemporaryDirectory() as tmp:
            yd = build_youxian_docx(Path(tmp) / "youxian-2024.docx")
            paths.append(docx_to_pdf(yd, outdir))
    b4 = _b4()
    if b4 is not None:
        b4.build_reports(outdir, with_pdf)
    return paths


if __name__ == "__main__":
    print(*build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build")), sep="\n")
