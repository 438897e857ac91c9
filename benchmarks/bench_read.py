"""Time the readers (run: python benchmarks/bench_read.py [--pages 30] [--runs 3] [--pdf FILE ...]).

- ``build_view``/``read_document`` on the korla text scaled up (when ../shared/corpus is present);
- PDF: ``read_pdf_text`` against pdfplumber's plain ``page.extract_text()`` over all pages of the same
  file (issue #12: "PDF reading within 2× of pdfplumber's plain text extraction"). The PDF is a
  multi-page report with ruled tables (merged header cells included) written with python-docx and
  converted by LibreOffice, as the tests build theirs; ``--pdf`` times given files instead.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sifund.review.normalize import build_view
from sifund.review.readers import read_document, read_pdf_text

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FUNDS = [
    "企业职工基本养老保险基金",
    "城乡居民基本养老保险基金",
    "机关事业单位基本养老保险基金",
    "职工基本医疗保险基金",
    "城乡居民基本医疗保险基金",
    "工伤保险基金",
    "失业保险基金",
]


def bench_text() -> None:
    src = CORPUS / "korla-2020.txt"
    if not src.exists():
        print("corpus absent; build_view/read_document not timed")
        return
    text = src.read_text("utf-8")
    for copies in (1, 10, 100):
        big = text * copies
        t0 = time.perf_counter()
        build_view(big)
        dt = time.perf_counter() - t0
        print(f"build_view {len(big):>9} chars: {dt * 1000:8.1f} ms ({len(big) / dt / 1e6:.2f} Mchar/s)")
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "big.txt"
        f.write_text(text * 100, encoding="gb18030")
        t0 = time.perf_counter()
        read_document(f)
        print(f"read_document GB18030 {f.stat().st_size} bytes: {(time.perf_counter() - t0) * 1000:.1f} ms")


def _report_docx(path: Path, sections: int) -> Path:
    """A report of ``sections`` fund sections: heading, five paragraphs, a 9×6 table whose first two
    header rows merge cells both ways (收入/支出 over 预算数/决算数, 项目 over two rows)."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    rf = d.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    rf.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for k in range(sections):
        fund = FUNDS[k % len(FUNDS)]
        d.add_heading(f"{k + 1}、{fund}", level=2)
        base = 10000 + 137 * k
        d.add_paragraph(
            f"2023年{fund}收入{base}.25万元，完成预算的{98 + k % 4}.12%，较上年增加{k + 300}.5万元，"
            f"增长{k % 9}.4%；支出{base - 800}.75万元，当年结余{800 + k}.5万元，年末滚存结余"
            f"{base * 3}.18万元。基金运行总体平稳，待遇按时足额发放。"
        )
        for n in range(3):  # prose dominates real reports: about two thirds of a page per section
            d.add_paragraph(
                f"（{n + 1}）本年度{fund}围绕年初设定的绩效目标，认真落实参保扩面、基金征缴、待遇"
                f"发放和基金监管各项工作，参保人数{2000 + 17 * k + n}人，待遇享受人数{900 + k}人，"
                "各项待遇按时足额发放，未发生挤占挪用基金的情况，经办服务满意度调查结果良好，"
                "基金预算执行情况总体符合预期，下一步将继续加强预算执行监控和绩效运行分析。"
            )
        d.add_paragraph("下表列示本基金分项收支预算执行情况（单位：万元）。")
        t = d.add_table(rows=9, cols=6)
        t.style = "Table Grid"
        head = [
            ["项目", "基金收入", "", "基金支出", "", "当年结余"],
            ["", "预算数", "决算数", "预算数", "决算数", ""],
        ]
        for i, row in enumerate(head):
            for j, v in enumerate(row):
                t.cell(i, j).text = v
        for i in range(2, 9):
            vals = [
                f"第{i - 1}项明细",
                f"{base + i * 11}.00",
                f"{base + i * 13}.41",
                f"{base - i * 7}.00",
                f"{base - i * 5}.33",
                f"{i * 18}.08",
            ]
            for j, v in enumerate(vals):
                t.cell(i, j).text = v
        t.cell(0, 0).merge(t.cell(1, 0))
        t.cell(0, 1).merge(t.cell(0, 2))
        t.cell(0, 3).merge(t.cell(0, 4))
        t.cell(0, 5).merge(t.cell(1, 5))
    d.save(str(path))
    return path


def build_pdf(outdir: Path, sections: int) -> Path | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    src = _report_docx(outdir / "bench-report.docx", sections)
    profile = tempfile.mkdtemp(prefix="lo-bench-")
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(src),
            ],
            check=False,
            capture_output=True,
            timeout=300,
            env={**os.environ, "HOME": profile},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = src.with_suffix(".pdf")
    return pdf if pdf.exists() else None


def _plain(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def bench_pdf(path: Path, runs: int) -> None:
    import pdfplumber

    data = path.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    plain: list[float] = []
    ours: list[float] = []
    for _ in range(runs):  # interleaved, so a burst of load hits both alike
        t0 = time.perf_counter()
        _plain(data)
        t1 = time.perf_counter()
        read_pdf_text(path, data)
        t2 = time.perf_counter()
        plain.append(t1 - t0)
        ours.append(t2 - t1)
    p, o = statistics.median(plain), statistics.median(ours)
    print(
        f"{path.name}: {pages} pages, {len(data) // 1024} KB; pdfplumber extract_text {p:.2f} s, "
        f"read_pdf_text {o:.2f} s (median of {runs}) → {o / p:.2f}×"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=30, help="about this many pages in the built PDF")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pdf", type=Path, nargs="*", help="time these PDF files instead of a built one")
    ap.add_argument("--keep", type=Path, help="write the built DOCX/PDF into this folder (kept)")
    args = ap.parse_args()
    if not args.pdf:
        bench_text()
    with tempfile.TemporaryDirectory() as tmp:
        outdir = args.keep or Path(tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        files = args.pdf or [build_pdf(outdir, sections=max(1, args.pages))]
        if files == [None]:
            print("LibreOffice (soffice) absent; PDF reading not timed")
            return 0
        for f in files:
            bench_pdf(f, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
