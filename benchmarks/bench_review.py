"""Throughput of report extraction + audit (reports per second) on text reports.

Uses the real corpus texts when ../shared/corpus is present, else a synthetic report of the genre
built here; prints one line per input and the overall rate.
usage: python benchmarks/bench_review.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sifund.review.audit import audit_report
from sifund.review.extract import extract_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FUNDS = ["企业职工基本养老保险基金", "机关事业单位养老保险基金", "城乡居民基本养老保险基金", "工伤保险基金",
         "失业保险基金", "生育保险基金", "城乡居民基本医疗保险基金", "职工基本医疗保险基金"]


def synthetic(sections: int = 8) -> str:
    """A long report of the genre: one section per fund, repeated, with restatements."""
    lines = ["示例县社会保险基金支出预算绩效自评报告", "（2023年度）",
             "二、各项社会保险基金预算完成及运行情况"]
    for i in range(sections):
        fund = FUNDS[i % len(FUNDS)]
        a, b = 1000 + 37 * i, 900 + 29 * i
        lines += [f"（{'一二三四五六七八九十'[i % 10]}）{fund}预算完成及运行情况分析",
                  f"2023年{fund}总收入{a}万元，其中：保费收入{a - 300}万元，利息收入12万元，"
                  f"财政补贴收入{250 + i}万元。基金总支出{b}万元，其中：待遇支出{b - 40}万元，"
                  "转移支出15万元。"
                  f"基金当期结余{a - b}万元，累计结余{5 * a}万元。",
                  f"基金总支出{b}万元，较上年增加{40 + i}万元，增长{100 * (40 + i) / (b - 40 - i):.2f}%，"
                  f"完成全年预算{b + 50}万元的{100 * b / (b + 50):.2f}%。"
                  f"参保人数由{8000 + i}人增加至{8100 + i}人。"]
    return "\n".join(lines) + "\n"


def bench(name: str, text: str, seconds: float) -> float:
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        audit_report(extract_text(text))
        n += 1
    rate = n / (time.perf_counter() - t0)
    print(f"{name}: {len(text)} chars, {rate:.1f} reports/s (extract+audit)")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    inputs = {p.name: p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))} if CORPUS.exists() else {}
    inputs["synthetic-8-funds"] = synthetic(8)
    inputs["synthetic-80-sections"] = synthetic(80)
    rates = [bench(k, v, args.seconds) for k, v in inputs.items()]
    print(f"overall: {len(rates) / sum(1 / r for r in rates):.1f} reports/s (harmonic mean)")


if __name__ == "__main__":
    main()
