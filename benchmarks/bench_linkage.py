"""Time ``same_person_two_ids`` linkage on DuckDB and measure its accuracy on planted duplicates.

Run: ``PYTHONPATH=src:tests python benchmarks/bench_linkage.py --people 100000 1000000 [--months 12]``

The population is ``tests/payments/linkage_population.py`` (background people, 1 % planted
duplicates of four kinds, 1 % decoys). Per phase it prints wall time and the process's CPU time
(all threads) — the audit's budget is per core, and a shared machine makes wall time noisy. The
phases are those of ``find_clusters``: persons, deterministic keys, the max_pairs bound, scoring
(the SQL scorer of the fixed model; ``--splink``: Splink's predict instead), clusters. Pair
precision and recall compare every pair of IDs within the found clusters with the planted pairs.
"""

from __future__ import annotations

import argparse
import time

import ibis

from payments.linkage_population import population
from sifund.payments import linkage as L


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def run(n: int, months: int, with_people: bool, threads: int | None, splink: bool) -> None:
    pop = population(n, seed=7, months=months)
    con = ibis.duckdb.connect()
    if threads:
        con.con.execute(f"SET threads = {threads}")
    pay = con.create_table("payments", pop.payments)
    ppl = con.create_table("people", pop.people) if with_people else None
    p = L.merged_params({})
    marks = [_clock()]
    persons = L._Materialised(con, L.persons_table(pay, ppl), "duckdb")
    n_persons = persons.table.count().execute()
    marks.append(_clock())
    det = L.deterministic_pairs(persons.table, p).to_pyarrow().to_pylist()
    marks.append(_clock())
    bound = L.blocked_pair_bound(persons.table, p)
    marks.append(_clock())
    prob = L.splink_pairs(persons, p) if splink else L.probabilistic_pairs(persons, p)
    marks.append(_clock())
    persons.drop()
    clusters = L.clusters_from_pairs(det, prob, p)
    marks.append(_clock())
    phases = ["persons", "deterministic", "bound", "splink" if splink else "scoring", "clusters"]
    cost = "  ".join(
        f"{ph} {b[0] - a[0]:.2f}s/{b[1] - a[1]:.2f}cpu"
        for ph, a, b in zip(phases, marks[:-1], marks[1:], strict=True)
    )
    total = f"total {marks[-1][0] - marks[0][0]:.2f}s wall, {marks[-1][1] - marks[0][1]:.2f}s cpu"
    truth = {frozenset(x) for x in pop.truth}
    found = set()
    for c in clusters:
        ids = [c.person_id, *c.other_ids]
        found |= {frozenset((a, b)) for a in ids for b in ids if a < b}
    tp = len(found & truth)
    decoys = len(found & {frozenset(x) for x in pop.decoys})
    print(
        f"people={n} persons={n_persons} payments={pop.payments.num_rows} people_table={with_people}"
        f" threads={threads or 'default'}\n  {cost}\n  {total}\n"
        f"  blocked pairs ≤ {bound:,}\n  pairs: planted {len(truth)} found {len(found)} true {tp}"
        f" precision {tp / max(1, len(found)):.4f} recall {tp / max(1, len(truth)):.4f}"
        f" decoys linked {decoys}; deterministic pairs {len(det)}, probabilistic pairs {len(prob)}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, nargs="+", default=[100_000])
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--with-people", action="store_true", help="also pass the people table")
    ap.add_argument("--splink", action="store_true", help="score with Splink, not the SQL scorer")
    a = ap.parse_args()
    for n in a.people:
        run(n, a.months, a.with_people, a.threads, a.splink)


if __name__ == "__main__":
    main()
