"""Benchmark: `sifund validate` on large YAML/JSON datasets (seeded, reproducible).

    .venv/bin/python benchmarks/bench_validate.py [--sizes 10000 50000 100000] [--seed 20240101]

Each dataset is what ``sifund extract`` writes for a long report: figures over every fund, item
and measure, each with its own ``source`` (a key stated twice in a report appears twice), plus a
自评表 of 200 indicators. Times ``load_dataset`` (read, parse, model validation, dataset checks)
for the YAML and the JSON form with ``time.perf_counter`` and prints figures/s. Sizes above
``limits().dataset.max_figures`` are expected to be refused, and the time to refuse is printed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.ingest import load_dataset

MEASURES = ("actual", "budget", "budget_adjusted", "prior", "yoy_change", "yoy_rate", "completion_rate")


def synthetic(n: int, seed: int) -> dict:
    """A dataset of ``n`` figures; values positive (budgets > 0), repeats sourced."""
    rng = random.Random(seed)
    cb = codebook()
    funds = list(cb.funds)
    items = [c for c, it in cb.items.items() if it.kind == "money"]
    figures = []
    offset = 0
    for _ in range(n):
        fund, item, measure = rng.choice(funds), rng.choice(items), rng.choice(MEASURES)
        value = round(rng.uniform(1, 90000), 2)
        text = f"{cb.items[item].name}{value}万元"
        figures.append({"fund": fund, "item": item, "measure": measure, "value": value, "precision": 0.01,
                        "source": {"start": offset, "end": offset + len(text), "text": text}})  # fmt: skip
        offset += len(text) + 7
    indicators = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"指标{i}", "target": "≥95%", "actual": "97%"}
        for i in range(200)
    ]
    return {"schema": "sifund.dataset/1", "region": "示例县", "year": 2023, "figures": figures,
            "indicators": indicators}  # fmt: skip


def time_load(path: Path) -> tuple[float, str]:
    t = time.perf_counter()
    try:
        ds = load_dataset(path)
        outcome = f"ok, {len(ds.figures)} figures"
    except SifundError as e:
        outcome = f"refused: {e.problems[0].message[:60]}"
    return time.perf_counter() - t, outcome


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    ap.add_argument("--seed", type=int, default=20240101)
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, libyaml {yaml.__with_libyaml__}")
    print(f"{'figures':>8} {'format':6} {'bytes':>11} {'seconds':>8} {'figures/s':>10}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            data = synthetic(n, args.seed)
            files = {
                "yaml": yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                "json": json.dumps(data, ensure_ascii=False, indent=2),
            }
            for fmt, text in files.items():
                path = Path(tmp) / f"bench-{n}.{fmt}"
                path.write_text(text, encoding="utf-8")
                seconds, outcome = time_load(path)
                rate = n / seconds if outcome.startswith("ok") else 0
                print(f"{n:>8} {fmt:6} {path.stat().st_size:>11,} {seconds:>8.2f} {rate:>10,.0f}  {outcome}")


if __name__ == "__main__":
    main()
