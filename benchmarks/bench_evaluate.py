"""Benchmark: evaluate + audit over 3,000 synthetic region-year datasets (seeded, reproducible).

    .venv/bin/python benchmarks/bench_evaluate.py [--n 3000] [--seed 20240101]

Each dataset has 2–7 funds with income/expenditure parts, budgets, prior-year figures, stated
derived figures (rounded, some deliberately off), people counts and a 自评表 of 8–14 indicators.
Prints datasets/s and peak memory (tracemalloc for Python allocations, ru_maxrss for the process).
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc

from sifund.core.model import Dataset
from sifund.engine.audit import audit_dataset
from sifund.engine.config import default_config
from sifund.engine.evaluation import evaluate

FUNDS = ["enterprise_pension", "institution_pension", "resident_pension", "employee_medical",
         "resident_medical", "work_injury", "unemployment"]  # fmt: skip
TARGETS = [("≥99%", "100%"), ("≥95%或≤105%", "97%"), ("≥9203人", "9175人"), ("≤1%", "≤1%"),
           (">90%", ">90%"), ("每季度结束后的5日内", "每季度结束后的5日内"), ("30日内完成审核拨付", "25日内"),
           ("按标准审核后足额发放", "按标准审核后足额发放"), ("效果明显", "较好"), ("≤0", "0")]  # fmt: skip
GROUPS = ["产出指标", "产出指标", "产出指标", "效益指标", "满意度指标"]


def synthetic(rng: random.Random, i: int) -> Dataset:
    figs: list[dict] = []

    def add(fund: str, item: str, measure: str, value: float, precision: float | None = 0.01) -> None:
        figs.append(
            {"fund": fund, "item": item, "measure": measure, "value": round(value, 2), "precision": precision}
        )

    for fund in rng.sample(FUNDS, rng.randint(2, 7)):
        contribution, subsidy = rng.uniform(500, 50000), rng.uniform(0, 30000)
        income = contribution + subsidy + rng.uniform(0, 500)
        benefits = rng.uniform(500, 60000)
        expenditure = benefits + rng.uniform(0, 2000)
        prior, budget = expenditure * rng.uniform(0.7, 1.2), expenditure * rng.uniform(0.8, 1.3)
        prior_roll = rng.uniform(0, 80000)
        for item, v in (("contribution", contribution), ("fiscal_subsidy", subsidy), ("income_total", income),
                        ("benefits", benefits), ("expenditure_total", expenditure)):  # fmt: skip
            add(fund, item, "actual", v)
        add(fund, "expenditure_total", "budget", budget)
        add(fund, "income_total", "budget", income * rng.uniform(0.8, 1.2))
        add(fund, "expenditure_total", "prior", prior)
        add(fund, "benefits", "prior", prior * 0.95)
        add(fund, "balance_rolling", "prior", prior_roll)
        off = 1.0 if rng.random() < 0.3 else 0.0  # some stated figures are wrong on purpose
        add(fund, "expenditure_total", "completion_rate", expenditure / budget * 100 + off)
        add(fund, "expenditure_total", "yoy_rate", (expenditure - prior) / prior * 100 - off)
        add(fund, "balance_current", "actual", income - expenditure)
        add(fund, "balance_rolling", "actual", prior_roll + income - expenditure + 10 * off)
        retirees = rng.randint(500, 20000)
        add(fund, "retirees", "actual", retirees, 1)
        add(fund, "retirees", "prior", retirees - rng.randint(0, 300), 1)
        add(fund, "contributors", "actual", retirees * rng.uniform(1.2, 4), 1)
    inds = []
    for k in range(rng.randint(8, 14)):
        target, actual = rng.choice(TARGETS)
        inds.append({"level1": rng.choice(GROUPS), "name": f"指标{k}", "target": target, "actual": actual})
    return Dataset(region=f"合成地区{i}", year=2015 + i % 10, figures=figs, indicators=inds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=20240101)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    datasets = [synthetic(rng, i) for i in range(args.n)]
    build = time.perf_counter() - t0
    cfg = default_config()
    evaluate(datasets[0], cfg)  # warm caches (code list, config, regexes)
    t0 = time.perf_counter()
    findings = metrics = 0
    for ds in datasets:
        ev = evaluate(ds, cfg)  # evaluate() runs the audit too
        metrics += len(ev.metrics)
        findings += len(ev.findings)
    t_eval = time.perf_counter() - t0
    t0 = time.perf_counter()
    for ds in datasets:
        audit_dataset(ds)
    t_audit = time.perf_counter() - t0
    # peak Python allocation of one evaluation, traced separately (tracemalloc slows the run ~2x)
    tracemalloc.start()
    peak = 0
    for ds in datasets[:200]:
        tracemalloc.reset_peak()
        evaluate(ds, cfg)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = sum(len(d.figures) for d in datasets)
    print(f"datasets: {args.n} ({figures} figures), built in {build:.2f} s")
    print(f"evaluate incl. audit: {t_eval:.2f} s = {args.n / t_eval:.0f} datasets/s")
    print(f"audit alone: {t_audit:.2f} s = {args.n / t_audit:.0f} datasets/s")
    print(f"metrics computed: {metrics}, findings: {findings}")
    print(f"peak traced memory of one evaluation: {peak / 2**20:.2f} MiB; process max RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
