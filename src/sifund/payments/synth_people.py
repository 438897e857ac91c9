"""Synthetic payment data, the people: the setting (synth.yaml), key registries, a chunk of people
with their payment streams, contributions and deaths, and the clean background.

Why arrays of streams and not rows: a pension is one stream (person, fund, benefit, amount, first
and last period) however many months it runs; rows are made only when a chunk is printed
(:mod:`.synth_print`), so drawing 5 M people costs arrays of 5 M, not of 50 M.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

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
    """Keys drawn so far: a sorted int64 array, and a set of the few added one at a time since the
    last merge (merging the array for every single planted ID would cost O(N) each)."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.recent: set[int] = set()

    def taken(self, keys: np.ndarray) -> np.ndarray:
        """True where a key is already registered or repeats an earlier key of ``keys``."""
        if len(self.keys):
            pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            hit = self.keys[pos] == keys
        else:
            hit = np.zeros(len(keys), dtype=bool)
        if self.recent and len(keys) <= 64:
            hit |= np.fromiter((int(k) in self.recent for k in keys), bool, len(keys))
        elif self.recent:
            hit |= np.isin(keys, np.fromiter(self.recent, np.int64, len(self.recent)))
        _, first = np.unique(keys, return_index=True)
        repeat = np.ones(len(keys), dtype=bool)
        repeat[first] = False
        return hit | repeat

    def add(self, keys: np.ndarray) -> None:
        if len(keys) <= 16:
            self.recent.update(int(k) for k in keys)
            if len(self.recent) < 50_000:
                return
            keys, self.recent = np.array(sorted(self.recent), np.int64), set()
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
