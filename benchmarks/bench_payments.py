"""Benchmark: the payment audit (疑点筛查) on DuckDB, beside a bare DuckDB group-by over the same rows.

    .venv/bin/python benchmarks/bench_payments.py [--people 1000000] [--months 12] [--format both]
        [--threads 1] [--memory-limit 3GB] [--seed 7] [--keep DIR] [--repeat 1]

1. Synthetic tables (``sifund.payments.synth.generate``: payments, deaths, contributions, people
   and truth.csv, with the planted anomalies) of ``--people`` × ``--months`` payment rows, in
   Parquet and/or CSV, in a temporary folder (``--keep DIR``: in DIR, and reused by a later run
   with the same people, months, seed and format). Timed, not part of the figures.
2. For each format, each in its own child process (so that its peak RSS is its own, read from
   ``os.wait4``'s rusage):
   - **bare**: one DuckDB pass over the payment rows, ``GROUP BY person_id, period`` with
     ``sum(amount)`` (threads and memory limit as the audit's) — the yardstick: issue #13 asks the
     whole catalogue to cost at most about 8 such passes;
   - **audit**: what ``sifund.payments.engine.audit(folder, engine="duckdb", threads=…,
     memory_limit=…)`` does, in its two steps so each can be timed — ``tables.register`` (read,
     check and type the tables; a CSV is parsed once into a DuckDB table) and
     ``engine.audit_tables`` (every enabled rule, each rule's seconds, then the summary) — and the
     hits compared with truth.csv by (rule, person_id).
3. Prints per format: payment rows, wall and CPU seconds, rows per minute per core (rows ÷ CPU
   seconds; with ``--threads 1`` CPU ≈ wall), the audit as a multiple of the bare pass, the peak
   RSS against the 4 GB budget, and each rule's seconds (slowest first).

Targets (issue #13): ≥ 30 M rows/min/core from Parquet and ≥ 10 M from CSV for the whole
catalogue, under 4 GB of memory. The machine is shared (2 cores, other sessions' tests): the
load average is printed before and after; CPU seconds move less with load than wall seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MB = 4096
FORMATS = {"parquet": ["parquet"], "csv": ["csv"], "both": ["parquet", "csv"]}


def _payments_file(folder: Path) -> Path:
    for name in ("payments.parquet", "payments.csv", "payments.csv.gz"):
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"{folder}: no payments file")


# --------------------------------------------------------------------------- the child processes


def child_bare(folder: Path, threads: int, memory_limit: str) -> dict:
    """One group-by pass over the payment rows; the result is reduced to one row inside DuckDB so
    fetching it costs nothing."""
    import duckdb

    path = _payments_file(folder)
    scan = (
        f"read_parquet('{path}')"
        if path.suffix == ".parquet"
        else f"read_csv('{path}', header = true, types = {{'amount': 'DECIMAL(18,2)'}})"
    )
    tmp = tempfile.mkdtemp(prefix="bench-pay-bare-")
    try:
        con = duckdb.connect(":memory:", config={"threads": threads, "memory_limit": memory_limit,
                                                 "temp_directory": tmp})  # fmt: skip
        t0 = time.perf_counter()
        groups, total, rows = con.execute(
            "SELECT count(*), sum(s), sum(n) FROM (SELECT person_id, period, sum(amount) AS s, "
            f"count(*) AS n FROM {scan} GROUP BY person_id, period)"
        ).fetchone()
        seconds = time.perf_counter() - t0
        con.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"seconds": seconds, "rows": int(rows), "groups": int(groups), "sum": str(total)}


def _truth(folder: Path) -> set[tuple[str, str]]:
    path = folder / "truth.csv"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["rule"], r["person_id"]) for r in csv.DictReader(fh)}


def child_audit(folder: Path, threads: int, memory_limit: str) -> dict:
    """The audit as ``engine.audit`` runs it (register, then audit_tables), each step timed."""
    from sifund.payments import engine
    from sifund.payments.catalogue import load_rules
    from sifund.payments.tables import register

    t0 = time.perf_counter()
    rules = load_rules(None)
    tables = register(folder, "duckdb", memory_limit, threads)
    t1 = time.perf_counter()
    try:
        result, runs = engine.audit_tables(tables, rules, progress=False)
    finally:
        tables.close()
    t2 = time.perf_counter()
    found = {(h.rule, h.person_id) for h in result.hits}
    truth = _truth(folder)
    return {
        "seconds": t2 - t0,
        "load": t1 - t0,
        "rules": {r.rule.code: r.seconds for r in runs},
        "rules_cpu": {r.rule.code: r.cpu for r in runs},
        "skipped": {r.rule.code: r.skipped for r in runs if r.skipped},
        "summary": (t2 - t1) - sum(r.seconds for r in runs),
        "rows": result.summary.payments,
        "hits": len(result.hits),
        "truth": len(truth),
        "matched": len(found & truth),
        "missed": len(truth - found),
        "extra": len(found - truth) if truth else None,
    }


# --------------------------------------------------------------------------- the parent


def run_child(mode: str, folder: Path, args: argparse.Namespace) -> dict:
    """Run one measurement in a fresh interpreter; its own wall, CPU and peak RSS."""
    cmd = [sys.executable, __file__, "--child", mode, "--data", str(folder), "--threads", str(args.threads),
           "--memory-limit", args.memory_limit]  # fmt: skip
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        text, problems = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{mode} on {folder} failed (exit {proc.returncode}):\n{problems[-3000:]}")
    data = json.loads(text.strip().splitlines()[-1])
    data.update(process_wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024)
    return data


def generate(folder: Path, people: int, months: int, seed: int, fmt: str) -> float | None:
    """Synthetic tables into ``folder`` (seconds taken), or None when it already holds them."""
    if folder.exists() and any(folder.glob("payments.*")) and (folder / "truth.csv").exists():
        return None
    from sifund.payments import synth

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    synth.generate(people, months, seed, folder, fmt)
    return time.perf_counter() - t0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20


def report(fmt: str, folder: Path, bare: dict, audit: dict) -> None:
    rows = audit["rows"]
    per_min = rows / audit["cpu"] * 60 / 1e6
    print(f"\n## {fmt}: {rows:,} payment rows ({_size_mb(folder):,.0f} MB on disk: {folder})")
    print(f"bare group-by pass   {bare['seconds']:7.2f} s   process CPU {bare['cpu']:7.2f} s   "
          f"peak RSS {bare['rss_mb']:6.0f} MB   ({bare['groups']:,} person×period groups)")  # fmt: skip
    print(f"whole audit          {audit['seconds']:7.2f} s   process CPU {audit['cpu']:7.2f} s   "
          f"peak RSS {audit['rss_mb']:6.0f} MB (budget {BUDGET_MB} MB: "
          f"{'within' if audit['rss_mb'] < BUDGET_MB else 'OVER'})")  # fmt: skip
    print(f"  = {audit['seconds'] / bare['seconds']:.1f} bare passes; {per_min:.1f} M rows/min/core by CPU, "
          f"{rows / audit['seconds'] * 60 / 1e6:.1f} M rows/min by wall")  # fmt: skip
    print(f"  load (read, check, type) {audit['load']:7.2f} s")
    for code, s in sorted(audit["rules"].items(), key=lambda kv: -kv[1]):
        note = f"   skipped: {audit['skipped'][code]}" if code in audit["skipped"] else ""
        cpu = audit.get("rules_cpu", {}).get(code, 0.0)
        print(f"  {code:34} {s:7.2f} s  = {s / bare['seconds']:4.1f} bare   CPU {cpu:6.2f} s{note}")
    print(f"  summary                  {audit['summary']:7.2f} s")
    extra = "" if audit["extra"] is None else f", {audit['extra']} not in truth"
    print(f"  hits {audit['hits']:,}; truth.csv {audit['truth']:,}: {audit['matched']:,} found, "
          f"{audit['missed']:,} missed{extra}")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--format", choices=sorted(FORMATS), default="both")
    ap.add_argument("--threads", type=int, default=1, help="DuckDB threads (the target is per core)")
    ap.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit (the budget is 4 GB RSS)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="generate into (or reuse from) this folder")
    ap.add_argument("--repeat", type=int, default=1, help="measure each format this many times")
    ap.add_argument("--child", choices=["bare", "audit"], help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        fn = child_bare if args.child == "bare" else child_audit
        print(json.dumps(fn(args.data, args.threads, args.memory_limit)))
        return 0
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-payments-", dir=os.environ.get("TMPDIR")))
    print(f"load average {_load()}; {os.cpu_count()} cores; DuckDB threads {args.threads}, "
          f"memory_limit {args.memory_limit}")  # fmt: skip
    try:
        for fmt in FORMATS[args.format]:
            folder = root / f"{fmt}-{args.people}x{args.months}-seed{args.seed}"
            took = generate(folder, args.people, args.months, args.seed, fmt)
            print(f"{fmt}: " + (f"generated in {took:.1f} s" if took is not None else f"reusing {folder}"))
            for _ in range(args.repeat):
                bare = run_child("bare", folder, args)
                audit = run_child("audit", folder, args)
                report(fmt, folder, bare, audit)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nload average {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
