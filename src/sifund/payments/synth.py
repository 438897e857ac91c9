"""Synthetic payment tables with planted anomalies and their answer key (``truth.csv``).

``generate(people, months, seed, out)`` writes ``payments``, ``deaths``, ``contributions`` and
``people`` (the columns of ``../shared/spec/payments.md``, nothing else) and ``truth.csv``.

Why it is built this way:

* **Clean background by construction** (docs/payments.md, "Synthetic data"), so that the audit of
  the data is exactly ``truth.csv``: every person has one account of their own (a couple may share
  one: two people, below ``min_people``), one pension, amounts within ±spread of the level, is paid
  only from the statutory age and up to the month of death; (name, birth date, gender) and the ID
  are unique (checked against a registry of every key drawn so far).
* **Planted anomalies are isolated**: each planted person has a name, ID and account no one else
  has, so the rules they trigger depend on their own rows only (and, for ``amount_outlier``, on the
  median of their group, which is computed exactly from every row of the group). The answer key is
  then computed by :mod:`sifund.payments.synth_truth` — the rule definitions of docs/payments.md
  applied to the planted rows — so a plant that triggers a second rule is recorded under both.
* **Fast and memory-bounded**: people are generated ``chunk_people`` at a time as numpy arrays;
  each chunk's rows are built with numpy and pyarrow (``take`` on per-person strings) and appended
  to the output files, so memory is one chunk plus the key registries (8 bytes a person each).
* **Deterministic**: one ``numpy.random.Generator`` per chunk, seeded from (seed, chunk number).
* All money is integer cents; background amounts are even cents so that a median of an even
  number of payments is still a whole cent (the outlier's amount at risk is then exact).
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sifund.payments.synth_people import (
    RULES,
    TABLES,
    Chunk,
    Registry,
    Setting,
    background,
    config,
)
from sifund.payments.synth_plants import PLANTS, decoys
from sifund.payments.synth_print import Writer, print_chunk


@dataclass
class SynthSummary:
    """What ``generate`` wrote: counts per table and per rule of ``truth.csv``, and the time."""

    out: Path
    fmt: str
    people: int = 0
    payments: int = 0
    contributions: int = 0
    deaths: int = 0
    periods: list[str] = field(default_factory=list)
    truth: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# ---- the whole run ------------------------------------------------------------------------------


def _shares(total: int, sizes: list[int]) -> list[int]:
    """``total`` split over chunks in proportion to their sizes (whole numbers, summing to total)."""
    n = sum(sizes)
    cum = np.cumsum([0, *sizes])
    marks = [total * int(x) // n for x in cum]
    return [b - a for a, b in itertools.pairwise(marks)]


def plan(people: int, sizes: list[int]) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """Planted units and decoys per chunk (at least ``min_each`` of every rule in all)."""
    cfg = config()
    plants = {r: max(int(cfg["min_each"]), round(float(cfg["anomalies"][r]) * people / 1000)) for r in RULES}
    dec = {d: round(float(v) * people / 1000) for d, v in cfg["decoys"].items()}
    per_p = {r: _shares(k, sizes) for r, k in plants.items()}
    per_d = {d: _shares(k, sizes) for d, k in dec.items()}
    return ([{r: per_p[r][i] for r in RULES} for i in range(len(sizes))],
            [{d: per_d[d][i] for d in dec} for i in range(len(sizes))])  # fmt: skip


def check_args(people: int, months: int, start: str, fmt: str) -> None:
    from sifund.core.errors import SifundError

    problems = []
    if people < 100:
        problems.append(f"--people 至少 100 (at least 100): {people}")
    if not 1 <= months <= 600:
        problems.append(f"--months 应在 1–600 之间 (1 to 600): {months}")
    try:
        y, m = (int(x) for x in start.split("-"))
        if len(start) != 7 or not (1900 < y < 2200 and 1 <= m <= 12):
            raise ValueError
    except ValueError:
        problems.append(f"--start 应为 YYYY-MM (must be YYYY-MM): {start!r}")
    if fmt not in ("csv", "parquet"):
        problems.append(f"--format 应为 csv 或 parquet (csv or parquet): {fmt!r}")
    if problems:
        raise SifundError(problems)


def generate(people: int, months: int, seed: int, out: Path, fmt: str = "csv", start: str = "2024-01",
             progress: Callable[[int, int], None] | None = None) -> SynthSummary:  # fmt: skip
    """Write the four tables and ``truth.csv`` into ``out`` (all at once: a temporary folder in
    ``out`` is renamed into place only when every file is complete). ``progress(done, people)``."""
    from sifund.core.errors import SifundError
    from sifund.payments import synth_truth
    from sifund.util import OutputSet

    t_begin = time.perf_counter()
    check_args(people, months, start, fmt)
    out = Path(out)
    other = "parquet" if fmt == "csv" else "csv"
    stale = [out / f"{t}.{other}" for t in TABLES if (out / f"{t}.{other}").exists()]
    if stale:
        raise SifundError([f"{stale[0]}: 文件夹中已有另一种格式的表，请换一个文件夹 (the folder holds the "
                           f"{other} tables already; use another folder)"])  # fmt: skip
    s = Setting(people, months, start)
    chunk = int(s.cfg["chunk_people"])
    sizes = [min(chunk, people - i) for i in range(0, people, chunk)]
    plants, dec = plan(people, sizes)
    names = [f"{t}.{fmt}" for t in TABLES] + ["truth.csv"]
    summary = SynthSummary(out=out, fmt=fmt, periods=[s.periods[0], s.periods[-1]])
    name_reg, id_reg = Registry(), Registry()
    offsets = dict.fromkeys(TABLES, 0)
    planted: dict[str, list[Any]] = {t: [] for t in TABLES}
    clusters: list[list[str]] = []
    stash: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    done = 0
    with OutputSet(out, names) as o:
        assert o.tmp is not None
        w = Writer(o.tmp, fmt)
        try:
            for i, size in enumerate(sizes):
                rng = np.random.default_rng([seed, i])
                c = Chunk(s, rng, name_reg, id_reg, acct_base=i * 4 * chunk + 1)
                extra = sum(plants[i].values()) + 3 * plants[i]["shared_account"] + sum(dec[i].values())
                extra += dec[i].get("couple_shared_account", 0) + dec[i].get("namesake_other_gender", 0)
                background(c, max(size - extra, 0))
                for rule, fn in PLANTS.items():
                    if plants[i][rule]:
                        fn(c, plants[i][rule])
                decoys(c, dec[i])
                p = print_chunk(c, offsets)
                w.write(p.tables)
                for t, table in p.tables.items():
                    offsets[t] += table.num_rows
                    planted[t].append(p.planted[t])
                clusters += p.clusters
                stash.append(p.stash)
                done += size
                if progress:
                    progress(done, people)
        finally:
            w.close()
        truth = synth_truth.planted_truth(s, planted, clusters, stash)
        tpath = o.tmp / "w-truth.csv"
        truth.to_csv(tpath, index=False, lineterminator="\n")
        for t in TABLES:
            o.write(f"{t}.{fmt}", lambda dst, src=w.paths[t]: os.replace(src, dst))
        o.write("truth.csv", lambda dst: os.replace(tpath, dst))
    summary.payments = offsets["payments"]
    summary.contributions = offsets["contributions"]
    summary.deaths = offsets["deaths"]
    summary.people = offsets["people"]
    summary.truth = {r: int((truth["rule"] == r).sum()) for r in RULES}
    summary.seconds = time.perf_counter() - t_begin
    return summary


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on standard error (people generated); yields the ``progress`` callback."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("合成 synth"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} 人"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True),
                  transient=True) as bar:  # fmt: skip
        task = bar.add_task("synth", total=total)
        yield lambda done, _total: bar.update(task, completed=done)
