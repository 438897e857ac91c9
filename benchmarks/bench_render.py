"""Benchmark: one region-year from dataset to finished files — in process, and as ``sifund report``.

    .venv/bin/python benchmarks/bench_render.py [--dataset examples/synthetic-county-2023.yaml] [--runs 5]

In process: ``evaluate`` + ``audit_dataset`` + the report blocks (with the three charts) + DOCX,
XLSX and HTML bytes, timed with ``time.perf_counter``. The first run pays the one-time costs
(imports, finding and opening the chart font, python-docx's template) and is printed apart; the
median of the following runs is the figure the target (≤ 0.5 s) is about. As a command: the wall
time of ``sifund report DATASET -o TMP`` (DOCX+XLSX+HTML, the default) in a fresh process, median
of runs (target ≤ 1.5 s), with the CPU time (user + system) the process used, which other jobs on
a shared machine disturb less than the wall time. ``--per-step`` prints the median time of each
step. The load average is printed with the figures: on a busy 2-core machine wall times double.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def in_process(dataset: Path, runs: int) -> tuple[float, float, dict[str, float]]:
    t0 = time.perf_counter()
    from sifund.engine.audit import audit_dataset
    from sifund.engine.config import load_config
    from sifund.engine.evaluation import evaluate
    from sifund.ingest import load_dataset
    from sifund.render.docx_report import docx_bytes
    from sifund.render.html import html_bytes
    from sifund.render.report import build_blocks
    from sifund.render.xlsx_table import xlsx_bytes

    ds = load_dataset(dataset)
    cfg = load_config(None)
    imports = time.perf_counter() - t0
    times: list[float] = []
    steps: dict[str, list[float]] = {}
    for _ in range(runs + 1):
        marks = [("start", time.perf_counter())]
        ev = evaluate(ds, cfg)
        marks.append(("evaluate", time.perf_counter()))
        audit_dataset(ds)
        marks.append(("audit", time.perf_counter()))
        blocks = build_blocks(ev, charts=True)
        marks.append(("blocks+charts", time.perf_counter()))
        docx_bytes(ev, blocks)
        marks.append(("docx", time.perf_counter()))
        xlsx_bytes(ev, blocks)
        marks.append(("xlsx", time.perf_counter()))
        html_bytes(ev, blocks)
        marks.append(("html", time.perf_counter()))
        times.append(marks[-1][1] - marks[0][1])
        for (_, a), (name, b) in itertools.pairwise(marks):
            steps.setdefault(name, []).append(b - a)
    first = imports + times[0]
    return first, statistics.median(times[1:]), {k: statistics.median(v[1:]) for k, v in steps.items()}


def as_command(dataset: Path, runs: int) -> tuple[list[float], list[float]]:
    """(wall, cpu) seconds of each run of ``sifund report``."""
    exe = shutil.which("sifund", path=str(Path(sys.executable).parent)) or "sifund"
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([exe, "report", str(dataset), "-o", tmp], check=True, capture_output=True)
            wall.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return wall, cpu


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=ROOT / "examples" / "synthetic-county-2023.yaml")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--per-step", action="store_true")
    args = ap.parse_args()
    print(f"{_load()} (before)")
    first, warm, steps = in_process(args.dataset, args.runs)
    print(f"in process, first run (imports, font list, templates): {first:.3f} s")
    print(f"in process, evaluate + audit + DOCX/XLSX/HTML with charts, median of {args.runs}: {warm:.3f} s")
    if args.per_step:
        for name, t in steps.items():
            print(f"  {name:14s} {t * 1000:7.1f} ms")
    wall, cpu = as_command(args.dataset, args.runs)
    print(f"`sifund report` as a command, median of {args.runs}: {statistics.median(wall):.3f} s "
          f"(min {min(wall):.3f} s; CPU {statistics.median(cpu):.3f} s)")  # fmt: skip
    print(f"{_load()} (after)")


if __name__ == "__main__":
    main()
