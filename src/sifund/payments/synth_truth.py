"""The answer key of the synthetic data: the rules of docs/payments.md applied with pandas.

Why a second, plain implementation: ``truth.csv`` must be what the rules find by their written
definition, computed independently of the engines it checks (DuckDB, Spark). The generator applies
it to the planted people's rows only (they are isolated by construction, see :mod:`.synth`), with
the exact medians of the groups the planted outliers are in; a test applies it to a whole small data
set and gets the same answer, which is what shows the background clean.

Money is integer cents throughout; ``amount`` is printed with two decimals.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from sifund.core import idcard

PENSION_FUNDS = ("enterprise_pension", "institution_pension", "resident_pension")
PENSION_BENEFITS = ("basic_pension", "basic_pension_base", "individual_account_pension")
RULES = (
    "paid_after_death", "duplicate_payment", "multiple_pensions", "unemployment_with_pension",
    "unemployment_while_contributing", "underage_pension", "invalid_person_id", "shared_account",
    "same_person_two_ids", "amount_outlier",
)  # fmt: skip
GENDERS = {"男": "male", "女": "female", "male": "male", "female": "female", "M": "male", "F": "female",
           "1": "male", "2": "female"}  # fmt: skip


def money(cents: float) -> str:
    """Cents as 元 with two decimals (half a cent rounds half-even, as Decimal would)."""
    c = round(cents)
    sign = "-" if c < 0 else ""
    c = abs(int(c))
    return f"{sign}{c // 100}.{c % 100:02d}"


def _hits(rule: str, rows: pd.DataFrame, amount: pd.Series | None = None) -> list[dict[str, Any]]:
    """One hit per person: the sorted periods of ``rows`` and the sum of ``amount`` (default: cents)."""
    if rows.empty:
        return []
    rows = rows.assign(_amt=rows["cents"] if amount is None else amount)
    periods = _joined(rows, "person_id", "period")
    cents = rows.groupby("person_id")["_amt"].sum()
    return [
        {"rule": rule, "person_id": pid, "periods": periods[pid], "cents": float(cents[pid]), "other_ids": ""}
        for pid in periods.index
    ]


def _joined(rows: pd.DataFrame, by: str, col: str) -> pd.Series:
    """Per ``by``: the distinct values of ``col``, sorted, joined with ``;``."""
    u = rows[[by, col]].drop_duplicates().sort_values([by, col])
    return u.groupby(by, sort=True)[col].agg(";".join)


def _pension(p: pd.DataFrame) -> pd.Series:
    return p["fund"].isin(PENSION_FUNDS) & p["benefit"].isin(PENSION_BENEFITS)


def paid_after_death(
    p: pd.DataFrame, deaths: pd.DataFrame, exempt: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Payments after the death month, but of the ``exempt`` benefits (丧葬补助金和抚恤金: paid
    because of the death)."""
    if deaths.empty:
        return []
    month = deaths.groupby("person_id")["death_date"].min().str[:7].rename("death_month")
    x = p[~p["benefit"].isin(list(exempt))].join(month, on="person_id", how="inner")
    return _hits("paid_after_death", x[x["period"] > x["death_month"]])


def duplicate_payment(p: pd.DataFrame) -> list[dict[str, Any]]:
    keys = ["person_id", "fund", "benefit", "period"]
    x = p.sort_values("row")
    size = x.groupby(keys)["row"].transform("size")
    first = x.groupby(keys).cumcount() == 0
    dup = x[size >= 2]
    return _hits("duplicate_payment", dup, dup["cents"].where(~first[size >= 2], 0))


def multiple_pensions(p: pd.DataFrame) -> list[dict[str, Any]]:
    pen = p[_pension(p)]
    nf = pen.groupby(["person_id", "period"])["fund"].transform("nunique")
    start = pen.groupby(["person_id", "fund"])["period"].min().reset_index()
    start["order"] = start["fund"].map({f: i for i, f in enumerate(PENSION_FUNDS)})
    keep = start.sort_values(["person_id", "period", "order"]).drop_duplicates("person_id")
    keep = keep.set_index("person_id")["fund"].rename("keep")
    over = pen[nf >= 2].join(keep, on="person_id")
    return _hits("multiple_pensions", over, over["cents"].where(over["fund"] != over["keep"], 0))


def unemployment_with_pension(p: pd.DataFrame) -> list[dict[str, Any]]:
    is_ub = p["benefit"] == "unemployment_benefit"
    ub, pen = p[is_ub], p[_pension(p)]
    keys = ["person_id", "period"]
    both = ub[keys].drop_duplicates().merge(pen[keys].drop_duplicates())
    if both.empty:
        return []
    u0, p0 = ub.groupby("person_id")["period"].min(), pen.groupby("person_id")["period"].min()
    x = p[_pension(p) | is_ub].merge(both, on=keys)
    count_ub = x["person_id"].map(u0) >= x["person_id"].map(p0)  # the later-starting; a tie: unemployment
    return _hits(
        "unemployment_with_pension",
        x,
        x["cents"].where((x["benefit"] == "unemployment_benefit") == count_ub, 0),
    )


def unemployment_while_contributing(
    p: pd.DataFrame, contributions: pd.DataFrame | None
) -> list[dict[str, Any]]:
    if contributions is None or contributions.empty:
        return []
    emp = contributions["employer"].fillna("").astype(str).str.strip() != ""
    keys = contributions.loc[emp, ["person_id", "period"]].drop_duplicates()
    ub = p[p["benefit"] == "unemployment_benefit"]
    return _hits("unemployment_while_contributing", ub.merge(keys, on=["person_id", "period"]))


def _facts(ids: Any, people: pd.DataFrame | None) -> pd.DataFrame:
    """Birth date (YYYY-MM-DD) and gender ('male'|'female') of each ID, indexed by ID: from people
    when it has the person, else read from the ID."""
    ids = pd.Index(pd.unique(pd.Series(list(ids), dtype=object)))
    out = pd.DataFrame({"birth": None, "gender": None}, index=ids, dtype=object)
    known = pd.Index([])
    if people is not None and not people.empty:
        pe = people.drop_duplicates("person_id").set_index("person_id")
        known = ids[ids.isin(pe.index)]
        b = pe.loc[known, "birth_date"].astype(object)
        out.loc[known, "birth"] = b.where(b.astype(str) != "", None).to_numpy(object)
        out.loc[known, "gender"] = pe.loc[known, "gender"].astype(str).map(GENDERS).to_numpy(object)
    for pid in ids.difference(known).tolist():
        born = idcard.birth_date(pid)
        out.loc[pid, "birth"] = born.isoformat() if born else None
        out.loc[pid, "gender"] = idcard.gender(pid)
    return out


def underage_pension(p: pd.DataFrame, people: pd.DataFrame | None, ages: dict[str, dict[str, int]]
                     ) -> list[dict[str, Any]]:  # fmt: skip
    pen = p[_pension(p)]
    facts = _facts(pen["person_id"], people)
    birth, gender = pen["person_id"].map(facts["birth"]), pen["person_id"].map(facts["gender"])
    age = (pen["fund"] + "|" + gender.fillna("")).map({f"{f}|{g}": a[g] for f, a in ages.items() for g in a})
    ok = birth.notna() & age.notna()  # unknown birth or gender: not judged
    pen, birth, age = pen[ok], birth[ok].astype(str), age[ok].astype(int)
    reach = (birth.str[:4].astype(int) + age).astype(str).str.zfill(4) + "-" + birth.str[5:7]
    return _hits("underage_pension", pen[pen["period"] < reach])


def invalid_person_id(p: pd.DataFrame, last_period: str) -> list[dict[str, Any]]:
    y, m = int(last_period[:4]), int(last_period[5:7])
    latest = date(y, m, calendar.monthrange(y, m)[1])
    bad = {i for i in p["person_id"].unique() if not idcard.is_valid(i, latest)}
    return _hits("invalid_person_id", p[p["person_id"].isin(bad)])


def shared_account(p: pd.DataFrame, min_people: int) -> list[dict[str, Any]]:
    x = p[p["account"].fillna("").astype(str) != ""]
    n = x.groupby(["account", "period"])["person_id"].transform("nunique")
    return _hits("shared_account", x[n >= min_people])


def same_person_two_ids(p: pd.DataFrame, people: pd.DataFrame | None, clusters: Iterable[list[str]]
                        ) -> list[dict[str, Any]]:  # fmt: skip
    ids = list(p["person_id"].unique())
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    present = set(ids)
    for i in ids:  # the 15-digit form of another ID of the data
        if len(i) == 15 and i.isdigit() and idcard.to_18(i) in present:
            union(i, idcard.to_18(i))
    facts = _facts(ids, people)
    names = p.drop_duplicates("person_id").set_index("person_id")["name"]
    key = p[p["account"].fillna("").astype(str) != ""][["person_id", "account"]].drop_duplicates()
    key = key.assign(name=key["person_id"].map(names), birth=key["person_id"].map(facts["birth"]),
                     gender=key["person_id"].map(facts["gender"])).dropna()  # fmt: skip
    for _, g in key.groupby(["name", "birth", "gender", "account"]):
        members = list(g["person_id"].unique())
        for other in members[1:]:
            union(members[0], other)
    for cl in clusters:  # planted pairs that only probabilistic linkage finds
        for other in cl[1:]:
            union(cl[0], other)
    p = p.assign(_cl=p["person_id"].map(find))
    n_ids = p.groupby("_cl")["person_id"].transform("nunique")
    rows = p[n_ids >= 2]
    if rows.empty:
        return []
    first = rows.groupby("person_id")["period"].transform("min")
    lead = (
        rows[rows["period"] == first]
        .groupby("person_id")
        .agg(_cl=("_cl", "first"), period=("period", "min"), row=("row", "min"))
    )
    primary = lead.reset_index().sort_values(["_cl", "period", "row"]).drop_duplicates("_cl")
    primary = primary.set_index("_cl")["person_id"]
    others = rows[rows["person_id"] != rows["_cl"].map(primary)]
    per_key = rows.groupby(["_cl", "fund", "benefit", "period"])["person_id"].transform("nunique")
    counted = others["cents"].where(per_key.loc[others.index] >= 2, 0)
    periods = _joined(others, "_cl", "period")
    other_ids = _joined(others, "_cl", "person_id")
    cents = counted.groupby(others["_cl"]).sum()
    return [{"rule": "same_person_two_ids", "person_id": primary[cl], "periods": periods[cl],
             "cents": float(cents[cl]), "other_ids": other_ids[cl]} for cl in periods.index]  # fmt: skip


def group_medians(p: pd.DataFrame) -> pd.DataFrame:
    """Exact median (cents) and size of every (fund, benefit, region, period) group."""
    g = p.groupby(["fund", "benefit", "region", "period"])["cents"]
    return pd.DataFrame({"median": g.median(), "n": g.size()}).reset_index()


def amount_outlier(
    p: pd.DataFrame, medians: pd.DataFrame, factor: float, min_group: int
) -> list[dict[str, Any]]:
    x = p.merge(medians, on=["fund", "benefit", "region", "period"], how="inner")
    x = x[(x["n"] >= min_group) & (x["cents"] > factor * x["median"])]
    return _hits("amount_outlier", x, x["cents"] - x["median"])


def reference(
    payments: pd.DataFrame,
    *,
    deaths: pd.DataFrame | None,
    contributions: pd.DataFrame | None,
    people: pd.DataFrame | None,
    params: dict[str, Any],
    last_period: str,
    medians: pd.DataFrame | None = None,
    clusters: Iterable[list[str]] = (),
) -> pd.DataFrame:
    """Every rule's hits: ``rule, person_id, periods, amount, other_ids`` (truth.csv's columns).

    ``payments`` needs ``person_id, name, fund, benefit, period, cents, account, region, row``;
    ``medians`` (fund, benefit, region, period, median, n) defaults to the medians of ``payments``."""
    p = payments
    hits = [
        *paid_after_death(
            p,
            deaths if deaths is not None else pd.DataFrame(columns=["person_id", "death_date"]),
            params.get("after_death_exempt") or (),
        ),
        *duplicate_payment(p),
        *multiple_pensions(p),
        *unemployment_with_pension(p),
        *unemployment_while_contributing(p, contributions),
        *underage_pension(p, people, params["statutory_age"]),
        *invalid_person_id(p, last_period),
        *shared_account(p, int(params["shared_min_people"])),
        *same_person_two_ids(p, people, clusters),
        *amount_outlier(
            p,
            group_medians(p) if medians is None else medians,
            float(params["outlier_factor"]),
            int(params["outlier_min_group"]),
        ),
    ]
    df = pd.DataFrame(hits, columns=["rule", "person_id", "periods", "cents", "other_ids"])
    df["amount"] = df["cents"].map(money)
    df["order"] = df["rule"].map({r: i for i, r in enumerate(RULES)})
    df = df.sort_values(["order", "person_id"], kind="stable")
    return df[["rule", "person_id", "periods", "amount", "other_ids"]].reset_index(drop=True)


def planted_truth(s: Any, planted: dict[str, list[pd.DataFrame]], clusters: list[list[str]],
                  stash: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> pd.DataFrame:  # fmt: skip
    """truth.csv from the planted rows of every chunk and the outlier groups' rows."""
    cat = {t: pd.concat(v, ignore_index=True) if v else pd.DataFrame() for t, v in planted.items()}
    region = np.concatenate([x[0] for x in stash]) if stash else np.zeros(0, np.int64)
    period = np.concatenate([x[1] for x in stash]) if stash else np.zeros(0, np.int64)
    cents = np.concatenate([x[2] for x in stash]) if stash else np.zeros(0, np.int64)
    st = pd.DataFrame({"region": np.array(s.region_codes, dtype=object)[region],
                       "period": np.array(s.periods, dtype=object)[period], "cents": cents})  # fmt: skip
    g = st.groupby(["region", "period"])["cents"]
    med = pd.DataFrame({"median": g.median(), "n": g.size()}).reset_index()
    med["fund"], med["benefit"] = "enterprise_pension", "basic_pension"
    return reference(cat["payments"], deaths=cat["deaths"], contributions=cat["contributions"],
                     people=cat["people"], params=s.cfg["rule_params"], last_period=s.periods[-1],
                     medians=med, clusters=clusters)  # fmt: skip


def parquet_strings(path: Any) -> pd.DataFrame:
    """A Parquet file's columns as strings (decimals as 1234.50, null as ""), like its CSV."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t = pq.read_table(path)
    cols = {n: pc.fill_null(pc.cast(t[n], pa.string()), "") for n in t.column_names}
    return pa.table(cols).to_pandas()


def read_table(folder: Any, table: str) -> pd.DataFrame | None:
    """A table of a synthetic folder as strings (CSV or Parquet), with ``row`` from 1; None if absent."""
    from pathlib import Path

    folder = Path(folder)
    if (folder / f"{table}.csv").exists():
        df = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    elif (folder / f"{table}.parquet").exists():
        df = parquet_strings(folder / f"{table}.parquet")
    else:
        return None
    df["row"] = np.arange(1, len(df) + 1)
    return df


def reference_of_folder(
    folder: Any, params: dict[str, Any], clusters: Iterable[list[str]] = ()
) -> pd.DataFrame:
    """:func:`reference` over a whole folder (small data: a test's independent audit)."""
    p = read_table(folder, "payments")
    assert p is not None
    p["cents"] = (p["amount"].astype(float) * 100).round().astype(np.int64)
    return reference(
        p,
        deaths=read_table(folder, "deaths"),
        contributions=read_table(folder, "contributions"),
        people=read_table(folder, "people"),
        params=params,
        last_period=max(p["period"]),
        clusters=clusters,
    )
