"""Throughput of report extraction + audit (reports per second) on text reports.

Uses the real corpus texts when ../shared/corpus is present, else a synthetic report of the genre
built here; prints one line per input and the overall rate.

``--pathological`` instead times the whole ``sifund extract FILE --format json`` command (a fresh
process, as a user runs it) on inputs built to be hard: the reported 594 KB line of 50,000 amounts
(109 s before extraction was made linear; target < 3 s) and its variants, and 10 MB of report text.
Wall time and CPU time are printed; on a shared machine CPU time is the steadier of the two.
usage: python benchmarks/bench_review.py [--seconds 5] [--pathological [--n 50000]]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


H = "（2020年度）\n"
F = FUNDS[0]

# name -> text of n units; every one of these was quadratic (or worse) before
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "amounts, commas (the report)": lambda n: H + "养老保险基金收入" + "，".join(f"{i}万元"
                                                                          for i in range(n)),
    "amounts, commas, a fund": lambda n: H + F + "收入" + "，".join(f"{i}万元" for i in range(n)),
    "amounts, 、": lambda n: H + F + "收入" + "、".join(f"{i}万元" for i in range(n)),
    "amounts, spaces": lambda n: H + F + "收入" + " ".join(f"{i}万元" for i in range(n)),
    "amounts, 。": lambda n: H + F + "收入" + "。".join(f"{i}万元" for i in range(n)),
    "amounts, no punctuation": lambda n: H + F + "收入" + "".join(f"{i}万元" for i in range(n)),
    "其中 runs": lambda n: H + F + "总收入100万元，" + "，".join(f"其中：保费收入{i}万元" for i in range(n)),
    "fund names": lambda n: H + "".join(f"{FUNDS[i % 8]}收入{i}万元，" for i in range(n)),
    "percentages": lambda n: H + F + "支出100万元，" + "，".join(f"增长{i}.5%" for i in range(n)),
    "completion rates": lambda n: H + "".join(f"{F}支出{i + 100}万元，完成全年预算{i + 200}万元的50%，"
                                              for i in range(n // 2)),
    "one figure per line": lambda n: H + "".join(f"{F}收入{i}万元\n" for i in range(n)),
    "594 KB, no punctuation, no figure": lambda n: H + F + "收入" + "基金收入增加减少" * (n // 2),
}


def pathological(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {k: make(n) for k, make in PATHOLOGICAL.items()}
        if CORPUS.exists():
            korla = (CORPUS / "korla-2020.txt").read_text("utf-8")
            inputs["10 MB of report text"] = (korla + "\n") * (10_000_000 // len(korla.encode()) + 1)
        for name, text in inputs.items():
            path = Path(tmp) / "r.txt"
            path.write_text(text, "utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            cmd = [os.path.join(os.path.dirname(sys.executable), "sifund"), "extract", str(path),
                   "--format", "json"]
            done = subprocess.run(cmd, capture_output=True, check=False)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            why = done.stderr.decode("utf-8", "replace").strip()[:100] if done.returncode else ""
            print(f"{name}: {path.stat().st_size / 1e3:.0f} KB, {wall:.2f} s wall, {cpu:.2f} s CPU, "
                  f"exit {done.returncode} {why}".rstrip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--pathological", action="store_true", help="time the hard inputs instead")
    ap.add_argument("--n", type=int, default=50_000, help="units per pathological input")
    args = ap.parse_args()
    if args.pathological:
        pathological(args.n)
        return
    inputs = {p.name: p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))} if CORPUS.exists() else {}
    inputs["synthetic-8-funds"] = synthetic(8)
    inputs["synthetic-80-sections"] = synthetic(80)
    rates = [bench(k, v, args.seconds) for k, v in inputs.items()]
    print(f"overall: {len(rates) / sum(1 / r for r in rates):.1f} reports/s (harmonic mean)")


if __name__ == "__main__":
    main()
