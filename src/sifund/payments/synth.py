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
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from sifund.core.idcard import CHECK_CHARS, WEIGHTS, check_digit
from sifund.core.packaged import data_yaml

TABLES: dict[str, tuple[str, ...]] = {
    "payments": ("person_id", "name", "fund", "benefit", "period", "amount", "account", "region"),
    "deaths": ("person_id", "name", "death_date"),
    "contributions": ("person_id", "fund", "period", "employer", "base", "amount"),
    "people": ("person_id", "name", "birth_date", "gender", "retire_date"),
}
TRUTH_COLUMNS = ("rule", "person_id", "periods", "amount", "other_ids")
RULES = (
    "paid_after_death", "duplicate_payment", "multiple_pensions", "unemployment_with_pension",
    "unemployment_while_contributing", "underage_pension", "invalid_person_id", "shared_account",
    "same_person_two_ids", "amount_outlier",
)  # fmt: skip
FUNDS = ("enterprise_pension", "institution_pension", "resident_pension", "unemployment", "work_injury")
BENEFITS = (
    "basic_pension", "basic_pension_base", "individual_account_pension", "unemployment_benefit",
    "work_injury_benefits", "funeral_survivor",
)  # fmt: skip
ENT, INST, RES, UNEMP, INJ = range(5)  # fund indices
BP, BASE, IND, UB, WIB, FUN = range(6)  # benefit indices
PENSION_FUNDS = (ENT, INST, RES)
RETIREE_KIND = {"enterprise_retiree": ENT, "institution_retiree": INST, "resident_pensioner": RES}
GENDER_NAMES = ("女", "男")  # people.gender: 0 female, 1 male
DAY0 = np.datetime64("1900-01-01", "D")


@cache
def config() -> dict[str, Any]:
    """``data/payments/synth.yaml``."""
    return data_yaml("payments", "synth.yaml")


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


# ---- the setting: periods, name and region tables ----------------------------------------------


def periods_of(start: str, months: int) -> list[str]:
    """``months`` periods ``YYYY-MM`` from ``start``."""
    y, m = (int(x) for x in start.split("-"))
    return [f"{y + (m - 1 + t) // 12:04d}-{(m - 1 + t) % 12 + 1:02d}" for t in range(months)]


class Setting:
    """The tables every chunk draws from (from synth.yaml) and the rule parameters."""

    def __init__(self, people: int, months: int, start: str) -> None:
        cfg = config()
        self.cfg = cfg
        self.people, self.months = people, months
        self.periods = periods_of(start, months)
        y, m = (int(x) for x in start.split("-"))
        self.start_year, self.start_month = y, m
        self.start_day = int((np.datetime64(f"{y:04d}-{m:02d}-01", "D") - DAY0).astype(int))
        self.surnames = list(cfg["surnames"])
        w = np.array([float(v) for v in cfg["surnames"].values()])
        self.surname_p = w / w.sum()
        self.given = list(dict.fromkeys("".join(cfg["given_chars"].split())))
        regions = cfg["regions"]
        self.region_codes = list(regions)
        self.region_names = [v[0] for v in regions.values()]
        rw = np.array([float(v[1]) for v in regions.values()])
        self.region_p = rw / rw.sum()
        self.id_codes = self.region_codes + [c for c in cfg["other_id_regions"] if c not in regions]
        self.id_digits = np.array([[int(c) for c in code] for code in self.id_codes], dtype=np.uint8)
        self.banks = [(b, int(n)) for b, n in cfg["banks"].items()]
        emp = cfg["employers"]
        self.employers = [
            p + m_ + s for p in emp["prefixes"] for m_ in emp["middles"] for s in emp["suffixes"]
        ]
        lv = cfg["benefits"]
        self.level = np.zeros((len(FUNDS), len(BENEFITS)))
        self.spread = np.zeros((len(FUNDS), len(BENEFITS)))
        for f, items in lv.items():
            for b, spec in items.items():
                self.level[FUNDS.index(f), BENEFITS.index(b)] = spec["level"]
                self.spread[FUNDS.index(f), BENEFITS.index(b)] = spec["spread"]
        ages = cfg["rule_params"]["statutory_age"]
        self.stat_age = {(FUNDS.index(f), g): int(v[name]) for f, v in ages.items()
                         for g, name in ((1, "male"), (0, "female"))}  # fmt: skip


# ---- key registries: no two people share (name, birth, gender) or an ID ------------------------


class Registry:
    """A sorted array of int64 keys; ``fresh(keys)`` says which are new (and not repeated)."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)

    def taken(self, keys: np.ndarray) -> np.ndarray:
        """True where a key is already registered or repeats an earlier key of ``keys``."""
        if len(self.keys):
            pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            hit = self.keys[pos] == keys
        else:
            hit = np.zeros(len(keys), dtype=bool)
        _, first = np.unique(keys, return_index=True)
        repeat = np.ones(len(keys), dtype=bool)
        repeat[first] = False
        return hit | repeat

    def add(self, keys: np.ndarray) -> None:
        # timsort merges the two sorted runs in linear time
        self.keys = np.sort(np.concatenate([self.keys, np.sort(keys)]), kind="stable")


def name_key(surname: np.ndarray, g1: np.ndarray, g2: np.ndarray, male: np.ndarray,
             birth: np.ndarray) -> np.ndarray:  # fmt: skip
    return (((surname.astype(np.int64) * 1024 + g1) * 1025 + (g2 + 1)) * 2 + male) * 65536 + birth


def id_key(idreg: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    return (idreg.astype(np.int64) * 65536 + birth) * 1000 + seq


# ---- one chunk: records (one per ID), payment streams, contributions, deaths --------------------

REC_FIELDS: dict[str, Any] = {
    "surname": np.int16, "g1": np.int16, "g2": np.int16, "male": np.int8, "birth": np.int32,
    "idreg": np.int16, "seq": np.int16, "region": np.int16, "acct": np.int64, "planted": np.bool_,
    "id15": np.bool_, "retire": np.int32,
}  # fmt: skip
STREAM_FIELDS: dict[str, Any] = {"rec": np.int64, "fund": np.int8, "benefit": np.int8, "cents": np.int64,
                                 "t0": np.int32, "t1": np.int32, "acct": np.int64}  # fmt: skip
CONTRIB_FIELDS: dict[str, Any] = {"rec": np.int64, "employer": np.int32, "base": np.int64,
                                  "t0": np.int32, "t1": np.int32}  # fmt: skip
People = dict[str, np.ndarray]


class Columns:
    """A struct of arrays built by appending blocks; ``arrays()`` joins them once at the end."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields
        self.blocks: dict[str, list[np.ndarray]] = {k: [] for k in fields}
        self.n = 0

    def add(self, **cols: Any) -> np.ndarray:
        n = max(int(np.size(v)) for v in cols.values())
        for k, dt in self.fields.items():
            v = cols.get(k, False if dt is np.bool_ else -1)
            self.blocks[k].append(np.broadcast_to(np.asarray(v).astype(dt), (n,)).copy())
        idx = np.arange(self.n, self.n + n, dtype=np.int64)
        self.n += n
        return idx

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: (np.concatenate(v) if v else np.zeros(0, self.fields[k])) for k, v in self.blocks.items()}


class Chunk:
    """The people of one chunk and everything paid to or recorded for them."""

    def __init__(self, s: Setting, rng: np.random.Generator, names: Registry, ids: Registry,
                 acct_base: int) -> None:  # fmt: skip
        self.s, self.rng, self.names, self.ids = s, rng, names, ids
        self.recs = Columns(REC_FIELDS)
        self.streams = Columns(STREAM_FIELDS)
        self.contribs = Columns(CONTRIB_FIELDS)
        self.deaths: list[tuple[int, int]] = []  # (record, day)
        self.invalid: dict[int, str] = {}  # record → kind of invalid ID to print
        self.lower_x_quota = 0  # IDs ending in X to print with a lower-case x (decoys)
        self.next_acct = acct_base
        self.clusters: list[list[int]] = []  # records that are one person (planted)

    def new_accounts(self, n: int) -> np.ndarray:
        a = np.arange(self.next_acct, self.next_acct + n, dtype=np.int64)
        self.next_acct += n
        return a

    def amounts(self, fund: Any, benefit: Any, n: int) -> np.ndarray:
        """Even cents within ±spread of the level (never on the bounds)."""
        level = self.s.level[fund, benefit]
        spread = self.s.spread[fund, benefit]
        x = level * (1 + self.rng.uniform(-1, 1, n) * spread * 0.99)
        return np.round(x * 50).astype(np.int64) * 2

    def draw(self, n: int, age_lo: Any = 0, age_hi: Any = 0, *, male: Any = None, birth: Any = None,
             region: Any = None, planted: bool = False, retire_fund: Any = None, retire: Any = None,
             id15: bool = False) -> People:  # fmt: skip
        """``n`` new people with unique (name, birth date, gender) and unique IDs.

        Ages are at the first period, drawn in [age_lo, age_hi + 1) years (strictly inside, so
        that age_lo ≥ statutory age + 1 means the age was reached before the first period)."""
        s, rng = self.s, self.rng
        male = (
            (rng.random(n) < 0.5).astype(np.int8)
            if male is None
            else np.broadcast_to(male, (n,)).astype(np.int8)
        )
        if birth is None:
            lo = np.broadcast_to(np.asarray(age_lo, float), (n,))
            hi = np.broadcast_to(np.asarray(age_hi, float), (n,))
            days = rng.uniform(lo * 365.25 + 3, (hi + 1) * 365.25 - 3)
            birth = (s.start_day - days).astype(np.int32)
        birth = np.broadcast_to(np.asarray(birth, np.int32), (n,)).copy()
        surname = rng.choice(len(s.surnames), n, p=s.surname_p).astype(np.int16)
        g1 = rng.integers(0, len(s.given), n).astype(np.int16)
        g2 = np.where(rng.random(n) < s.cfg["given_two_share"], rng.integers(0, len(s.given), n), -1)
        g2 = g2.astype(np.int16)
        if region is None:
            region = rng.choice(len(s.region_codes), n, p=s.region_p)
        region = np.broadcast_to(np.asarray(region, np.int16), (n,)).copy()
        other = rng.integers(0, len(s.id_codes), n)
        idreg = np.where(rng.random(n) < s.cfg["same_id_region"], region, other).astype(np.int16)
        seq = (rng.integers(0, 500, n) * 2 + male).astype(np.int16)
        while True:  # redraw the given name of a taken (name, birth, gender)
            nk = name_key(surname, g1, g2, male, birth)
            bad = self.names.taken(nk)
            if not bad.any():
                break
            k = int(bad.sum())
            g1[bad] = rng.integers(0, len(s.given), k)
            g2[bad] = rng.integers(0, len(s.given), k)
        while True:  # redraw the sequence of a taken ID
            ik = id_key(idreg, birth, seq)
            bad = self.ids.taken(ik)
            if not bad.any():
                break
            seq[bad] = rng.integers(0, 500, int(bad.sum())) * 2 + male[bad]
        self.names.add(nk)
        self.ids.add(ik)
        if retire is not None:
            retire = np.broadcast_to(np.asarray(retire, np.int32), (n,))
        elif retire_fund is not None:
            retire = reach_day(s, birth, male, retire_fund)
        else:
            retire = np.full(n, -1, np.int32)
        p: People = dict(surname=surname, g1=g1, g2=g2, male=male, birth=birth, idreg=idreg, seq=seq,
                         region=region, acct=self.new_accounts(n), planted=np.full(n, planted),
                         id15=np.full(n, id15), retire=retire)  # fmt: skip
        p["rec"] = self.recs.add(**p)
        return p

    def second_id(self, p: People, i: int, *, idreg: int, seq: int, region: int, acct: int,
                  id15: bool = False) -> int:  # fmt: skip
        """Another ID of person ``i`` of ``p`` (same name, birth date, gender); -1 if it is taken."""
        if not id15:
            ik = id_key(np.array([idreg]), p["birth"][i : i + 1], np.array([seq]))
            if self.ids.taken(ik).any():
                return -1
            self.ids.add(ik)
        row = {k: p[k][i : i + 1] for k in REC_FIELDS}
        row.update(idreg=idreg, seq=seq, region=region, acct=acct, planted=True, id15=id15)
        return int(self.recs.add(**row)[0])

    def pension(self, rec: Any, fund: Any, t0: Any, t1: Any, acct: Any, cents: Any = None) -> None:
        """A basic pension: basic_pension (enterprise, institution) or base + individual (resident)."""
        rec = np.atleast_1d(np.asarray(rec, np.int64))
        n = len(rec)
        fund = np.broadcast_to(np.asarray(fund, np.int8), (n,))
        t0, t1, acct = (np.broadcast_to(np.asarray(v), (n,)) for v in (t0, t1, acct))
        res = fund == RES
        if (~res).any():
            m = ~res
            c = self.amounts(fund[m], BP, int(m.sum())) if cents is None else np.broadcast_to(cents, (n,))[m]
            self.streams.add(rec=rec[m], fund=fund[m], benefit=BP, cents=c, t0=t0[m], t1=t1[m], acct=acct[m])
        if res.any():
            k = int(res.sum())
            for b in (BASE, IND):
                self.streams.add(
                    rec=rec[res],
                    fund=RES,
                    benefit=b,
                    cents=self.amounts(RES, b, k),
                    t0=t0[res],
                    t1=t1[res],
                    acct=acct[res],
                )

    def pay(self, rec: Any, fund: int, benefit: int, cents: Any, t0: Any, t1: Any, acct: Any) -> None:
        self.streams.add(rec=rec, fund=fund, benefit=benefit, cents=cents, t0=t0, t1=t1, acct=acct)

    def contribute(self, rec: Any, t0: Any, t1: Any, employer: Any = None) -> None:
        """Contribution records, one a period from t0 to t1 (employer −1: none, 灵活就业)."""
        rec = np.atleast_1d(np.asarray(rec, np.int64))
        n = len(rec)
        lo, hi = self.s.cfg["contributions"]["base"]
        base = np.round(self.rng.uniform(lo, hi, n) / 10).astype(np.int64) * 1000  # cents, whole 10 元
        if employer is None:
            employer = self.rng.integers(0, len(self.s.employers), n)
        self.contribs.add(rec=rec, employer=employer, base=base, t0=t0, t1=t1)

    def month_day(self, t: Any, day: Any = 0) -> Any:
        """The day number of period t's first day (+ day)."""
        return month_start(self.s, t) + day


def month_start(s: Setting, t: Any) -> Any:
    """Days since 1900-01-01 of the first day of period index ``t`` (vectorised)."""
    months = (s.start_year - 1970) * 12 + (s.start_month - 1) + np.asarray(t)
    return (months.astype("datetime64[M]").astype("datetime64[D]") - DAY0).astype(np.int64)


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = DAY0 + np.asarray(days).astype("timedelta64[D]")
    month = d.astype("datetime64[M]")
    y = month.astype(int) // 12 + 1970
    m = month.astype(int) % 12 + 1
    dd = (d - month.astype("datetime64[D]")).astype(int) + 1
    return y, m, dd


def reach_day(s: Setting, birth: np.ndarray, male: np.ndarray, fund: Any) -> np.ndarray:
    """The first day of the month the statutory age is reached (birth year + age, birth month)."""
    n = len(birth)
    fund = np.broadcast_to(np.asarray(fund), (n,))
    age = (
        np.array([s.stat_age[(int(f), int(g))] for f, g in zip(fund, male, strict=True)])
        if n
        else np.zeros(0)
    )
    y, m, _ = ymd(birth)
    months = (y + age - 1970) * 12 + (m - 1)
    return (months.astype("datetime64[M]").astype("datetime64[D]") - DAY0).astype(np.int32)


def birth_reaching(s: Setting, c: Chunk, t: np.ndarray, age: Any) -> np.ndarray:
    """Birth days such that ``age`` is reached in period ``t`` (a random day of that month)."""
    months = (s.start_year - 1970) * 12 + (s.start_month - 1) + np.asarray(t) - np.asarray(age) * 12
    first = (months.astype("datetime64[M]").astype("datetime64[D]") - DAY0).astype(np.int64)
    return (first + c.rng.integers(0, 28, len(first))).astype(np.int32)


# ---- the background ----------------------------------------------------------------------------


def background(c: Chunk, n: int) -> None:
    """``n`` clean people of the mix of synth.yaml, with their payments, contributions, deaths."""
    s, rng, cfg = c.s, c.rng, c.s.cfg
    M = s.months
    kinds = list(cfg["mix"])
    p = np.array([float(cfg["mix"][k]) for k in kinds])
    kind = rng.choice(len(kinds), n, p=p / p.sum())
    for ki, name in enumerate(kinds):
        k = int((kind == ki).sum())
        if k == 0:
            continue
        male = (rng.random(k) < 0.5).astype(np.int8)
        ages = cfg["ages"][name]
        lo = np.where(male == 1, ages["male"][0], ages["female"][0])
        hi = np.where(male == 1, ages["male"][1], ages["female"][1])
        fund = RETIREE_KIND.get(name)
        p_ = c.draw(k, lo, hi, male=male, retire_fund=fund)
        rec, acct = p_["rec"], p_["acct"]
        if fund is not None:
            dies = rng.random(k) < 1 - (1 - cfg["deaths"]["monthly_rate"]) ** M
            dm = rng.integers(0, M, k)
            c.pension(rec, fund, 0, np.where(dies, dm, M - 1), acct)
            days = c.month_day(dm[dies], rng.integers(0, 28, int(dies.sum())))
            c.deaths.extend(zip(rec[dies].tolist(), days.tolist(), strict=True))
            if fund != RES and dies.any():  # 丧葬补助金和抚恤金, once, in the month of death
                d = int(dies.sum())
                c.pay(rec[dies], fund, FUN, c.amounts(fund, FUN, d), dm[dies], dm[dies], acct[dies])
        elif name == "unemployed":
            lo_l, hi_l = cfg["unemployment_spell_months"]
            length = rng.integers(lo_l, hi_l + 1, k)
            start = rng.integers(-(length - 1), M)
            t0, t1 = np.maximum(start, 0), np.minimum(start + length - 1, M - 1)
            c.pay(rec, UNEMP, UB, c.amounts(UNEMP, UB, k), t0, t1, acct)
            before = t0 > 0
            if before.any():
                c.contribute(rec[before], 0, t0[before] - 1)
        elif name == "work_injured":
            c.pay(rec, INJ, WIB, c.amounts(INJ, WIB, k), 0, M - 1, acct)
            c.contribute(rec, 0, M - 1)
        else:  # contributor
            flexible = rng.random(k) < cfg["contributions"]["flexible_share"]
            c.contribute(rec, 0, M - 1, employer=np.where(flexible, -1, rng.integers(0, len(s.employers), k)))


def retirees(
    c: Chunk,
    k: int,
    funds: tuple[int, ...] = PENSION_FUNDS,
    age: tuple[int, int] = (62, 85),
    planted: bool = True,
    region: Any = None,
    id15: bool = False,
) -> tuple[People, np.ndarray]:
    """``k`` people old enough for any fund's pension, and a pension fund for each."""
    fund = c.rng.choice(np.array(funds), k)
    p = c.draw(k, age[0], age[1], planted=planted, retire_fund=fund, region=region, id15=id15)
    return p, fund


# ---- planted anomalies (one function per rule; each plant is a person of its own) -------------


def plant_paid_after_death(c: Chunk, k: int) -> None:
    """Paid on after a death: died in the window (paid to the end) or before it (paid all along)."""
    M, rng = c.s.months, c.rng
    p, fund = retirees(c, k)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"])
    inside = (rng.random(k) < 0.6) & (M >= 2)
    dm = rng.integers(0, max(M - 1, 1), k)
    day_in = c.month_day(dm, rng.integers(0, 28, k))
    day_before = c.month_day(0) - rng.integers(1, 240, k)
    c.deaths.extend(zip(p["rec"].tolist(), np.where(inside, day_in, day_before).tolist(), strict=True))


def plant_duplicate_payment(c: Chunk, k: int) -> None:
    """One or two periods paid twice with the same amount (a batch sent twice)."""
    M, rng = c.s.months, c.rng
    p, fund = retirees(c, k, funds=(ENT, INST))
    cents = c.amounts(fund, BP, k)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"], cents=cents)
    for j in range(k):
        for t in rng.choice(M, min(M, int(rng.integers(1, 3))), replace=False):
            c.pay(p["rec"][j], int(fund[j]), BP, cents[j], int(t), int(t), p["acct"][j])


def plant_multiple_pensions(c: Chunk, k: int) -> None:
    """Two basic pensions of two funds, the second starting in a random period."""
    M, rng = c.s.months, c.rng
    pairs = np.array([(ENT, RES), (INST, RES), (ENT, INST)])
    pair = pairs[rng.integers(0, len(pairs), k)]
    swap = rng.random(k) < 0.5
    f1, f2 = np.where(swap, pair[:, 1], pair[:, 0]), np.where(swap, pair[:, 0], pair[:, 1])
    p = c.draw(k, 62, 80, planted=True, retire_fund=f1)
    c.pension(p["rec"], f1, 0, M - 1, p["acct"])
    c.pension(p["rec"], f2, rng.integers(0, M, k), M - 1, p["acct"])


def plant_unemployment_with_pension(c: Chunk, k: int) -> None:
    """Unemployment benefit and a pension: a pensioner who also draws unemployment benefit, or an
    unemployed man whose pension starts (at 60) while the benefit goes on."""
    M, rng = c.s.months, c.rng
    late = rng.random(k) < 0.5 if M >= 2 else np.zeros(k, bool)
    ka = int((~late).sum())
    if ka:
        p, fund = retirees(c, ka, funds=(ENT, RES), age=(62, 70))
        u0 = rng.integers(1, M, ka) if M >= 2 else np.zeros(ka, int)
        u1 = np.minimum(u0 + rng.integers(1, 8, ka), M - 1)
        c.pension(p["rec"], fund, 0, M - 1, p["acct"])
        c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, ka), u0, u1, p["acct"])
    kb = int(late.sum())
    if kb:
        t = rng.integers(1, M, kb)
        birth = birth_reaching(c.s, c, t, c.s.stat_age[(ENT, 1)])
        p = c.draw(kb, male=1, birth=birth, planted=True, retire_fund=ENT)
        c.pension(p["rec"], ENT, t, M - 1, p["acct"])
        c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, kb), 0, rng.integers(t, M), p["acct"])


def plant_unemployment_while_contributing(c: Chunk, k: int) -> None:
    """Unemployment benefit goes on after a new job starts (an employer contributes)."""
    M, rng = c.s.months, c.rng
    p = c.draw(k, 25, 45, planted=True)
    u0 = rng.integers(0, max(M - 1, 1), k)
    u1 = rng.integers(u0, M)
    job = rng.integers(u0, u1 + 1)
    c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, k), u0, u1, p["acct"])
    c.contribute(p["rec"], job, M - 1)
    before = u0 > 0
    if before.any():
        c.contribute(p["rec"][before], 0, u0[before] - 1)


def plant_underage_pension(c: Chunk, k: int) -> None:
    """A pension before the statutory age: all the window, or until the age is reached in it."""
    s, M, rng = c.s, c.s.months, c.rng
    choice = np.array([(ENT, 0), (ENT, 1), (INST, 0), (INST, 1), (RES, 1)])[rng.integers(0, 5, k)]
    fund, male = choice[:, 0], choice[:, 1]
    age = np.array([s.stat_age[(int(f), int(g))] for f, g in choice])
    mid = (rng.random(k) < 0.5) & (M >= 2)
    t = rng.integers(1, max(M, 2), k)
    birth_mid = birth_reaching(s, c, t, age)
    years = -(-M // 12) + 1  # reaches the age after the window
    birth_all = (s.start_day - rng.uniform((age - years - 3) * 365.25, (age - years) * 365.25)).astype(
        np.int32
    )
    p = c.draw(k, male=male, birth=np.where(mid, birth_mid, birth_all), planted=True, retire=s.start_day)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"])


INVALID_DATES = ("0230", "0231", "1301", "0000", "0431", "1232", "0631", "0900")
INVALID_PROVINCES = ("99", "00", "10", "20", "30", "40", "55", "60", "70", "80", "90")


def plant_invalid_person_id(c: Chunk, k: int) -> None:
    """A pensioner whose ID is printed wrong (check digit, date, province or length)."""
    cfg, rng, M = c.s.cfg, c.rng, c.s.months
    kinds = list(cfg["invalid_id_kinds"])
    w = np.array([float(v) for v in cfg["invalid_id_kinds"].values()])
    p, fund = retirees(c, k)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"])
    for r, kind in zip(p["rec"].tolist(), rng.choice(kinds, k, p=w / w.sum()), strict=True):
        c.invalid[r] = str(kind)


def spoil_id(valid: str, kind: str, rng: np.random.Generator) -> str:
    """An invalid ID made from a valid one (only the named part is wrong)."""
    if kind == "check_digit":
        return valid[:17] + rng.choice([ch for ch in CHECK_CHARS if ch != valid[17].upper()])
    if kind == "date":
        first17 = valid[:10] + str(rng.choice(INVALID_DATES)) + valid[14:17]
    elif kind == "province":
        first17 = str(rng.choice(INVALID_PROVINCES)) + valid[2:17]
    else:  # length: a sequence digit dropped
        return valid[:15] + valid[16:]
    return first17 + check_digit(first17)


def plant_shared_account(c: Chunk, k: int) -> list[int]:
    """Groups of 3–5 pensioners paid into one account; in some, one joins it mid-window."""
    M, rng = c.s.months, c.rng
    sizes = rng.integers(3, 6, k)
    for g in sizes.tolist():
        p, fund = retirees(c, g)
        shared = c.new_accounts(1)[0]
        joiner = M >= 2 and rng.random() < 0.5
        if joiner:
            fund[-1] = ENT
            j = int(rng.integers(1, M))
            cents = c.amounts(ENT, BP, 1)
            c.pay(p["rec"][-1], ENT, BP, cents, 0, j - 1, p["acct"][-1])
            c.pay(p["rec"][-1], ENT, BP, cents, j, M - 1, shared)
        m = slice(0, g - 1) if joiner else slice(0, g)
        c.pension(p["rec"][m], fund[m], 0, M - 1, shared)
    return sizes.tolist()


def plant_same_person_two_ids(c: Chunk, k: int) -> None:
    """One person under two IDs (synth.yaml ``same_person_kinds``), paid under both at once, in
    overlapping spells, or first under one and then under the other."""
    s, M, rng = c.s, c.s.months, c.rng
    kinds = list(s.cfg["same_person_kinds"])
    w = np.array([float(v) for v in s.cfg["same_person_kinds"].values()])
    p, fund = retirees(c, k, funds=(ENT, ENT, INST, RES))
    for i, kind in enumerate(rng.choice(kinds, k, p=w / w.sum()).tolist()):
        idreg, seq, region, acct = (
            int(p["idreg"][i]),
            int(p["seq"][i]),
            int(p["region"][i]),
            int(p["acct"][i]),
        )
        for _ in range(20):  # a free second ID
            id15 = kind == "id15"
            if kind == "id15":
                acct2 = acct if rng.random() < 0.6 else int(c.new_accounts(1)[0])
                rec2 = c.second_id(p, i, idreg=idreg, seq=seq, region=region, acct=acct2, id15=True)
            elif kind == "other_county":
                reg2 = int(rng.choice([r for r in range(len(s.region_codes)) if r != idreg]))
                seq2 = int(rng.integers(0, 500)) * 2 + int(p["male"][i])
                acct2 = acct
                rec2 = c.second_id(p, i, idreg=reg2, seq=seq2, region=reg2, acct=acct2)
            else:  # a mistyped first or second sequence digit keeps the gender digit
                digits = [seq // 100, seq // 10 % 10, seq % 10]
                pos = int(rng.integers(0, 2))
                digits[pos] = int(rng.choice([d for d in range(10) if d != digits[pos]]))
                acct2 = acct if kind == "mistyped_same_account" else int(c.new_accounts(1)[0])
                rec2 = c.second_id(p, i, idreg=idreg, seq=digits[0] * 100 + digits[1] * 10 + digits[2],
                                   region=region, acct=acct2)  # fmt: skip
            if rec2 >= 0:
                break
        else:
            raise RuntimeError("no free second ID")  # cannot happen with 500 sequences a day
        rec1 = int(p["rec"][i])
        c.clusters.append([rec1, rec2])
        pattern = int(rng.integers(0, 3)) if M >= 2 else 0
        if pattern == 0:  # both all along
            a1, b0 = M - 1, 0
        elif pattern == 1:  # overlapping
            b0 = int(rng.integers(1, M))
            a1 = int(rng.integers(b0, M))
        else:  # switched: never both in a period
            b0 = int(rng.integers(1, M))
            a1 = b0 - 1
        f = int(fund[i])
        cents = c.amounts(f, BP, 1)
        c.pension(rec1, f, 0, a1, acct, cents=cents)
        c.pension(rec2, f, b0, M - 1, acct2, cents=cents)
        del id15


def plant_amount_outlier(c: Chunk, k: int) -> None:
    """One period's enterprise pension 8–20 times the level (in the three biggest counties)."""
    s, M, rng = c.s, c.s.months, c.rng
    p, _ = retirees(c, k, funds=(ENT,), region=rng.integers(0, min(3, len(s.region_codes)), k))
    cents = c.amounts(ENT, BP, k)
    big = np.round(s.level[ENT, BP] * rng.uniform(8, 20, k) * 100).astype(np.int64)
    t = rng.integers(0, M, k)
    rec, acct = p["rec"], p["acct"]
    c.pay(rec, ENT, BP, cents, 0, t - 1, acct)  # empty when t = 0
    c.pay(rec, ENT, BP, big, t, t, acct)
    c.pay(rec, ENT, BP, cents, t + 1, M - 1, acct)


PLANTS: dict[str, Callable[[Chunk, int], Any]] = {
    "paid_after_death": plant_paid_after_death,
    "duplicate_payment": plant_duplicate_payment,
    "multiple_pensions": plant_multiple_pensions,
    "unemployment_with_pension": plant_unemployment_with_pension,
    "unemployment_while_contributing": plant_unemployment_while_contributing,
    "underage_pension": plant_underage_pension,
    "invalid_person_id": plant_invalid_person_id,
    "shared_account": plant_shared_account,
    "same_person_two_ids": plant_same_person_two_ids,
    "amount_outlier": plant_amount_outlier,
}


# ---- decoys: suspicious-looking, clean (the audit must not report them) ------------------------


def decoys(c: Chunk, counts: dict[str, int]) -> None:
    s, M, rng = c.s, c.s.months, c.rng
    k = counts.get("couple_shared_account", 0)
    if k:  # a couple: two pensioners, one account
        p, fund = retirees(c, 2 * k, funds=(ENT, RES), planted=False)
        acct = p["acct"].copy()
        acct[1::2] = acct[0::2]
        c.pension(p["rec"], fund, 0, M - 1, acct)
    k = counts.get("namesake_other_gender", 0)
    if k:  # same name and birth date, the other gender, another county and account
        p, fund = retirees(c, k, funds=(ENT,), planted=False)
        c.pension(p["rec"], ENT, 0, M - 1, p["acct"])
        for i in range(k):
            male = 1 - int(p["male"][i])
            nk = name_key(p["surname"][i : i + 1], p["g1"][i : i + 1], p["g2"][i : i + 1],
                          np.array([male]), p["birth"][i : i + 1])  # fmt: skip
            region = int(rng.choice([r for r in range(len(s.region_codes)) if r != int(p["region"][i])]))
            seq = int(rng.integers(0, 500)) * 2 + male
            ik = id_key(np.array([region]), p["birth"][i : i + 1], np.array([seq]))
            if c.names.taken(nk).any() or c.ids.taken(ik).any():
                continue
            c.names.add(nk)
            c.ids.add(ik)
            birth = p["birth"][i : i + 1]
            rec = c.recs.add(
                surname=p["surname"][i],
                g1=p["g1"][i],
                g2=p["g2"][i],
                male=male,
                birth=birth,
                idreg=region,
                seq=seq,
                region=region,
                acct=c.new_accounts(1),
                retire=reach_day(s, birth, np.array([male]), ENT),
            )
            c.pension(rec, ENT, 0, M - 1, c.next_acct - 1)
    k = counts.get("lone_15_digit", 0)
    if k:  # known only by a valid 15-digit ID
        p, fund = retirees(c, k, funds=(ENT, RES), planted=False, id15=True)
        c.pension(p["rec"], fund, 0, M - 1, p["acct"])
    k = counts.get("flexible_while_unemployed", 0)
    if k:  # a self-paid (no employer) contribution while on unemployment benefit
        p = c.draw(k, 25, 45)
        u0 = rng.integers(0, M, k)
        u1 = np.minimum(u0 + rng.integers(1, 6, k), M - 1)
        c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, k), u0, u1, p["acct"])
        c.contribute(p["rec"], u0, u1, employer=-1)
    k = counts.get("pension_from_statutory_month", 0) if M >= 2 else 0
    if k:  # reaches 60 in the window and is paid from that very month
        t = rng.integers(1, M, k)
        p = c.draw(k, male=1, birth=birth_reaching(s, c, t, s.stat_age[(ENT, 1)]), retire_fund=ENT)
        c.pension(p["rec"], ENT, t, M - 1, p["acct"])
    k = counts.get("lowercase_x", 0)
    if k:
        c.lower_x_quota = k  # applied when the IDs are printed


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
    regions = pa.array(s.region_codes)

    st = c.streams.arrays()
    rep, t = expand(st["t0"], st["t1"])
    rec = st["rec"][rep]
    o = np.lexsort((rank[rec], t))  # by period, then the people's order (stable: stream order)
    rep, t, rec = rep[o], t[o], rec[o]
    cents = st["cents"][rep]
    fund, benefit = st["fund"][rep], st["benefit"][rep]
    payments = pa.table({
        "person_id": ids.take(rec), "name": names.take(rec),
        "fund": pa.array(FUNDS).take(fund), "benefit": pa.array(BENEFITS).take(benefit),
        "period": pa.array(s.periods).take(t), "amount": decimal_array(cents),
        "account": account_strings(s, st["acct"]).take(rep), "region": regions.take(recs["region"][rec]),
    }, schema=schema("payments"))  # fmt: skip

    ct = c.contribs.arrays()
    crep, ctp = expand(ct["t0"], ct["t1"])
    crec = ct["rec"][crep]
    o = np.lexsort((rank[crec], ctp))
    crep, ctp, crec = crep[o], ctp[o], crec[o]
    base = ct["base"][crep]
    emp = ct["employer"][crep]
    rate = float(s.cfg["contributions"]["rate"])
    contributions = pa.table(
        {
            "person_id": ids.take(crec),
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
        {"person_id": ids.take(drec), "name": names.take(drec), "death_date": date_strings(dday)},
        schema=schema("deaths"),
    )

    people = pa.table(
        {
            "person_id": ids.take(order),
            "name": names.take(order),
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
    clusters = [[id_list[r] for r in cl] for cl in c.clusters]
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
