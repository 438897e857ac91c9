"""Synthetic payment data, printing: a chunk's arrays as pyarrow tables in file order, and the
writer that appends them to CSV (no quoting: nothing in the data needs it) or Parquet files.

Why pyarrow ``take`` on per-person strings: a row's ID, name and account are strings built once per
person (IDs and accounts from digit matrices, vectorised) and gathered per row in C, so no Python
object is made per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sifund.core.idcard import CHECK_CHARS, WEIGHTS
from sifund.payments.synth_people import (
    BENEFITS,
    BP,
    DAY0,
    ENT,
    FUNDS,
    GENDER_NAMES,
    TABLES,
    Chunk,
    Setting,
    ymd,
)
from sifund.payments.synth_plants import spoil_id

# ---- printing a chunk: numpy → pyarrow tables ---------------------------------------------------


def ascii_strings(mat: np.ndarray, lengths: np.ndarray) -> Any:
    """A pyarrow string array from an (n, width) matrix of ASCII codes, row i cut to lengths[i]."""
    import pyarrow as pa

    n, w = mat.shape
    flat = np.ascontiguousarray(mat[np.arange(w)[None, :] < lengths[:, None]])
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(flat))


def id_matrix(s: Setting, recs: dict[str, np.ndarray]) -> np.ndarray:
    """(n, 18) ASCII codes of the 18-character IDs (check digit computed)."""
    n = len(recs["birth"])
    d = np.empty((n, 17), np.int64)
    d[:, :6] = s.id_digits[recs["idreg"]]
    y, m, dd = ymd(recs["birth"])
    seq = recs["seq"].astype(np.int64)
    for j, (v, p) in enumerate([(y, 1000), (y, 100), (y, 10), (y, 1), (m, 10), (m, 1), (dd, 10), (dd, 1),
                                (seq, 100), (seq, 10), (seq, 1)]):  # fmt: skip
        d[:, 6 + j] = v // p % 10
    rem = (d @ np.array(WEIGHTS, np.int64)) % 11
    mat = np.empty((n, 18), np.uint8)
    mat[:, :17] = d + 48
    mat[:, 17] = np.frombuffer(CHECK_CHARS.encode(), np.uint8)[rem]
    return mat


def account_strings(s: Setting, a: np.ndarray) -> Any:
    """Bank accounts: a BIN, a body injective in the account number, a Luhn digit (16–19 digits)."""
    n = len(a)
    a = a.astype(np.int64)
    bank = (a * 40503) % len(s.banks)
    mat = np.zeros((n, 19), np.uint8)
    lengths = np.zeros(n, np.int64)
    for b, (bin_, length) in enumerate(s.banks):
        m = bank == b
        if not m.any():
            continue
        k = length - 7
        body = (a[m] * 7777777 + 1234567) % 10**k  # 7777777 is prime to 10: injective below 10**k
        digits = np.zeros((int(m.sum()), length), np.int64)
        digits[:, :6] = [int(ch) for ch in bin_]
        digits[:, 6 : 6 + k] = (body[:, None] // 10 ** np.arange(k - 1, -1, -1)) % 10
        rev = digits[:, : length - 1][:, ::-1].copy()
        rev[:, 0::2] *= 2
        rev[rev > 9] -= 9
        digits[:, length - 1] = (10 - rev.sum(1) % 10) % 10
        mat[m, :length] = digits + 48
        lengths[m] = length
    return ascii_strings(mat, lengths)


def decimal_array(cents: np.ndarray) -> Any:
    """DECIMAL(18,2) from integer cents (written as 1234.50 in CSV)."""
    import pyarrow as pa

    n = len(cents)
    buf = np.empty((n, 2), np.int64)
    buf[:, 0] = cents
    buf[:, 1] = np.where(cents < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, 2), n, [None, pa.py_buffer(buf)])


def date_strings(days: np.ndarray) -> Any:
    """``YYYY-MM-DD`` (null where days < 0)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    d = (DAY0 + np.maximum(days, 0).astype("timedelta64[D]")).astype("datetime64[D]")
    return pc.cast(pa.array(d, mask=np.asarray(days) < 0), pa.string())


def expand(t0: np.ndarray, t1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of spells [t0, t1]: (the spell of each row, its period index)."""
    cnt = np.maximum(t1.astype(np.int64) - t0 + 1, 0)
    rep = np.repeat(np.arange(len(t0)), cnt)
    starts = np.cumsum(cnt) - cnt
    return rep, t0[rep] + (np.arange(len(rep)) - starts[rep])


SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "payments": [("person_id", "s"), ("name", "s"), ("fund", "s"), ("benefit", "s"), ("period", "s"),
                 ("amount", "d"), ("account", "s"), ("region", "s")],
    "deaths": [("person_id", "s"), ("name", "s"), ("death_date", "s")],
    "contributions": [("person_id", "s"), ("fund", "s"), ("period", "s"), ("employer", "s"), ("base", "d"),
                      ("amount", "d")],
    "people": [("person_id", "s"), ("name", "s"), ("birth_date", "s"), ("gender", "s"), ("retire_date", "s")],
}  # fmt: skip


def schema(table: str) -> Any:
    import pyarrow as pa

    return pa.schema([(n, pa.string() if t == "s" else pa.decimal128(18, 2)) for n, t in SCHEMAS[table]])


@dataclass
class Printed:
    """One chunk's tables, and what the answer key needs of it (planted rows with their numbers)."""

    tables: dict[str, Any]
    planted: dict[str, Any]  # table → pandas DataFrame of planted rows (with `row`, payments with `cents`)
    clusters: list[list[str]]
    stash: tuple[np.ndarray, np.ndarray, np.ndarray]  # (region, period index, cents) of outlier groups


def print_chunk(c: Chunk, offsets: dict[str, int]) -> Printed:
    """The chunk as pyarrow tables in file order; ``offsets`` are the rows written before it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    s, rng = c.s, c.rng
    recs = c.recs.arrays()
    n = len(recs["birth"])
    order = rng.permutation(n)  # file order of the people (plants are interleaved with the rest)
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)

    mat = id_matrix(s, recs)
    lengths = np.full(n, 18)
    if recs["id15"].any():
        m = recs["id15"]
        mat[m, :15] = np.concatenate([mat[m, :6], mat[m, 8:17]], axis=1)
        lengths[m] = 15
    if c.lower_x_quota:
        cand = np.flatnonzero((mat[:, 17] == ord("X")) & ~recs["planted"] & ~recs["id15"])
        pick = rng.choice(cand, min(len(cand), c.lower_x_quota), replace=False)
        mat[pick, 17] = ord("x")
    ids = ascii_strings(mat, lengths)
    if c.invalid:
        where = np.zeros(n, bool)
        bad = sorted(c.invalid)
        where[bad] = True
        spoiled = [spoil_id(mat[r].tobytes().decode(), c.invalid[r], rng) for r in bad]
        ids = pc.replace_with_mask(ids, pa.array(where), pa.array(spoiled, pa.string()))
    given = pa.array([*s.given, ""])
    names = pc.binary_join_element_wise(
        pa.array(s.surnames).take(recs["surname"]), given.take(recs["g1"]),
        given.take(np.where(recs["g2"] < 0, len(s.given), recs["g2"])), "",
    )  # fmt: skip
    # From here on everything is in file order: people by ``order``, so that a row's ``take`` of its
    # person's strings walks the arrays forwards (rows are sorted by period, then person).
    ids, names = ids.take(order), names.take(order)
    region_f = pa.array(s.region_codes).take(recs["region"][order])

    st = c.streams.arrays()
    st = {k: v[np.argsort(rank[st["rec"]], kind="stable")] for k, v in st.items()}
    rep, t = expand(st["t0"], st["t1"])
    o = np.argsort(t, kind="stable")  # by period, then person (streams are in person order)
    rep, t = rep[o], t[o]
    rec = st["rec"][rep]
    pos = rank[rec]
    cents = st["cents"][rep]
    fund, benefit = st["fund"][rep], st["benefit"][rep]
    payments = pa.table({
        "person_id": ids.take(pos), "name": names.take(pos),
        "fund": pa.array(FUNDS).take(fund), "benefit": pa.array(BENEFITS).take(benefit),
        "period": pa.array(s.periods).take(t), "amount": decimal_array(cents),
        "account": account_strings(s, st["acct"]).take(rep), "region": region_f.take(pos),
    }, schema=schema("payments"))  # fmt: skip

    ct = c.contribs.arrays()
    ct = {k: v[np.argsort(rank[ct["rec"]], kind="stable")] for k, v in ct.items()}
    crep, ctp = expand(ct["t0"], ct["t1"])
    o = np.argsort(ctp, kind="stable")
    crep, ctp = crep[o], ctp[o]
    crec = ct["rec"][crep]
    base = ct["base"][crep]
    emp = ct["employer"][crep]
    rate = float(s.cfg["contributions"]["rate"])
    contributions = pa.table(
        {
            "person_id": ids.take(rank[crec]),
            "fund": pa.array([s.cfg["contributions"]["fund"]] * len(crec), pa.string()),
            "period": pa.array(s.periods).take(ctp),
            "employer": pa.array([*s.employers, None]).take(np.where(emp < 0, len(s.employers), emp)),
            "base": decimal_array(base),
            "amount": decimal_array(np.round(base * rate).astype(np.int64)),
        },
        schema=schema("contributions"),
    )

    drec = np.array([r for r, _ in c.deaths], np.int64)
    dday = np.array([d for _, d in c.deaths], np.int64)
    o = np.argsort(rank[drec], kind="stable")
    drec, dday = drec[o], dday[o]
    deaths = pa.table(
        {"person_id": ids.take(rank[drec]), "name": names.take(rank[drec]), "death_date": date_strings(dday)},
        schema=schema("deaths"),
    )

    people = pa.table(
        {
            "person_id": ids,
            "name": names,
            "birth_date": date_strings(recs["birth"][order]),
            "gender": pa.array(GENDER_NAMES).take(recs["male"][order]),
            "retire_date": date_strings(recs["retire"][order]),
        },
        schema=schema("people"),
    )

    planted = recs["planted"]
    pm = planted[rec]
    pl_pay = payments.filter(pa.array(pm)).to_pandas()
    pl_pay["cents"] = cents[pm]
    pl_pay["row"] = offsets["payments"] + 1 + np.flatnonzero(pm)
    cm = planted[crec]
    pl_con = contributions.filter(pa.array(cm)).to_pandas()
    pl_con["row"] = offsets["contributions"] + 1 + np.flatnonzero(cm)
    dm = planted[drec] if len(drec) else np.zeros(0, bool)
    pl_dea = deaths.filter(pa.array(dm)).to_pandas()
    pl_dea["row"] = offsets["deaths"] + 1 + np.flatnonzero(dm)
    pe = planted[order]
    pl_peo = people.filter(pa.array(pe)).to_pandas()
    id_list = ids.to_pylist() if c.clusters else []
    clusters = [[id_list[rank[r]] for r in cl] for cl in c.clusters]
    sm = (fund == ENT) & (benefit == BP) & (recs["region"][rec] < 3)
    return Printed(
        {"payments": payments, "contributions": contributions, "deaths": deaths, "people": people},
        {"payments": pl_pay, "contributions": pl_con, "deaths": pl_dea, "people": pl_peo},
        clusters,
        (recs["region"][rec][sm].astype(np.int64), t[sm].astype(np.int64), cents[sm]),
    )


# ---- writing: CSV (pyarrow, no quoting) or Parquet, a chunk at a time ---------------------------


class Writer:
    """Appends each chunk's tables to one file per table in ``folder``."""

    def __init__(self, folder: Path, fmt: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.fmt = fmt
        self.paths = {t: folder / f"w-{t}.{fmt}" for t in TABLES}
        self.sinks: dict[str, Any] = {}
        for t, path in self.paths.items():
            if fmt == "csv":
                sink = pa.OSFile(str(path), "wb")
                sink.write((",".join(TABLES[t]) + "\n").encode())
                self.sinks[t] = sink
            else:
                self.sinks[t] = pq.ParquetWriter(str(path), schema(t))

    def write(self, tables: dict[str, Any]) -> None:
        import pyarrow.csv as pcsv

        for t, table in tables.items():
            if self.fmt == "csv":
                if table.num_rows:
                    opts = pcsv.WriteOptions(include_header=False, quoting_style="none")
                    pcsv.write_csv(table, self.sinks[t], opts)
            else:
                self.sinks[t].write_table(table)

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()
