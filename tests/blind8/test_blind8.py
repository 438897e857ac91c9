"""Blind set 8: six reports in six styles, written by three authors who never read the extractor.

Styles: a 1-9月 基金预算执行情况表 in 元 with fund row blocks (PDF), a self-evaluation whose funds are
named only in headings (TXT), a 城乡居民医保 财政补助资金 self-evaluation with a merged 自评表 grid (DOCX),
a district's 预算执行 and 绩效自评 in 亿元 and 万元 (PDF), a 决算 with one TAB table of funds as columns
(TXT), a 医保 self-evaluation copied out of a PDF with a 自评表 one cell per line (TXT). Measured before
any tuning (SCORES.md: 446/705 facts, 9/12 findings, 17 false positives), then the failure classes
the misses showed were fixed as general rules; enforced, two reports pending.
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

# Reports whose score is not met yet: report -> precise reason (strict xfail).
PENDING: dict[str, str] = {
    "suining-2022.txt": (
        "分别 lists are not distributed over the funds they name (职工医保、居民医保基金收入分别为A、B，"
        "较上年分别增长x%、y%: 8 priors and yoy rates); the 自评表's 年度资金总额 is not read as the "
        "two funds' expenditure"
    ),
    "banan-2022.pdf": (
        "a fund named in a figure-less sentence (三是失业保险基金收支缺口扩大。) is not carried to the "
        "next one, so its 由上年末A降至B prior balance has no fund"
    ),
}
# What a pending report found when last measured (SCORES.md): it cannot lose any of it silently.
FLOORS: dict[str, int] = {"suining-2022.txt": 40, "banan-2022.pdf": 146}

SET = BlindSet("blind8", Path(__file__).resolve().parent, count=6, pending=PENDING, floors=FLOORS)
globals().update(set_tests(SET))
