"""``same_person_two_ids``: which IDs in the payments are one person — deterministic keys, then Splink.

Why two stages: a 15-digit ID whose 18-digit form is also paid, or the same name, birth date and
gender paid into the same account, is certain and needs no model; everything else (a mistyped
sequence digit, a re-registration in another county) is a matter of degree, scored by Splink's
Fellegi–Sunter model. The model's m/u probabilities are FIXED parameters (``linkage.yaml``, or the
rule's ``params``), not trained by default: the same data then gives the same weights on DuckDB and
on Spark, and a reason's match weight can be explained level by level (docs/payments.md,
"Linkage details").

Bounded work: the payments table is never pulled into Python. One ibis aggregation makes the
distinct persons (one row per ID) in the backend; only pairs within the blocking rules (name +
birth year, birth date + surname + gender, ID digits 7–17) are scored, in the same backend — by
Splink, or for the fixed model on DuckDB by the same model written out as one pruned SQL query
(:func:`fixed_model_sql`: identical pairs and weights, less than half the CPU); only the accepted
pairs come back to Python, where the clusters are their connected components.
"""

from __future__ import annotations

import copy
import logging
import math
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sifund.core.packaged import data_yaml

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir

DEFAULTS: dict[str, Any] = data_yaml("payments", "linkage.yaml")

# GB 11643: weights of the first 17 digits and the check character for (sum mod 11).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MALE = ("男", "M", "MALE", "1")
_FEMALE = ("女", "F", "FEMALE", "2", "0")
# The persons' columns a blocking rule may name.
BLOCKING_COLUMNS = ("name", "surname", "birth_date", "birth_year", "gender", "id18", "id_tail")
# The levels of each comparison, in Splink's order (the null level first is implicit).
LEVELS: dict[str, tuple[str, ...]] = {
    "name": ("exact", "jaro_winkler", "else"),
    "birth_date": ("exact", "one_digit", "else"),
    "gender": ("exact", "else"),
    "region": ("shared", "else"),
    "account": ("shared", "else"),
    "id": ("exact", "levenshtein", "tail", "else"),
}


@dataclass(frozen=True)
class Cluster:
    """IDs that are one person: ``person_id`` the one paid first (earliest period, then lowest row),
    ``other_ids`` the rest (sorted), ``reason_facts`` what links them, as text for the reason template:
    ``key`` (deterministic keys, ``；``-joined), ``match_weight`` / ``match_probability`` (the weakest
    probabilistic pair, two decimals) and ``basis`` (always: the key and/or the weight, in words)."""

    person_id: str
    other_ids: list[str]
    reason_facts: dict[str, str] = field(default_factory=dict)


class LinkageParamsError(ValueError):
    """A ``linkage`` parameter that is missing or out of range (the message names the key)."""


class LinkageTooLarge(RuntimeError):
    """The blocking rules would score more pairs than ``max_pairs``: narrower rules are needed."""

    def __init__(self, pairs: int, limit: int) -> None:
        super().__init__(
            f"same_person_two_ids: 分块后待比对 {pairs:,} 对，超过上限 max_pairs={limit:,}；"
            "请在 linkage 参数 blocking 中使用更窄的分块规则"
        )
        self.pairs, self.limit = pairs, limit


# ---------------------------------------------------------------- parameters


def merged_params(params: dict | None) -> dict[str, Any]:
    """DEFAULTS with ``params`` merged over them (mappings key by key), checked."""
    out = copy.deepcopy(DEFAULTS)
    _merge(out, params or {})
    _check(out)
    return out


def _merge(base: dict, over: dict) -> None:
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            _merge(base[k], v)
        else:
            base[k] = v


def _prob(value: Any, where: str, *, open_low: bool = True) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not (0 < value <= 1 if open_low else 0 <= value <= 1):
        raise LinkageParamsError(f"linkage 参数 {where} 应为 0 到 1 之间的数 (got {value!r})")
    return float(value)


def _check(p: dict[str, Any]) -> None:
    _prob(p.get("match_probability"), "match_probability")
    _prob(p.get("prior"), "prior")
    for key in ("max_pairs", "train_max_pairs"):
        if not isinstance(p.get(key), int) or isinstance(p.get(key), bool) or p[key] < 1:
            raise LinkageParamsError(f"linkage 参数 {key} 应为正整数 (got {p.get(key)!r})")
    for name, levels in LEVELS.items():
        comp = p.get("comparisons", {}).get(name)
        if not isinstance(comp, dict):
            raise LinkageParamsError(f"linkage 参数 comparisons.{name} 缺失")
        for level in levels:
            lv = comp.get(level)
            if not isinstance(lv, dict):
                raise LinkageParamsError(f"linkage 参数 comparisons.{name}.{level} 缺失")
            _prob(lv.get("m"), f"comparisons.{name}.{level}.m")
            _prob(lv.get("u"), f"comparisons.{name}.{level}.u")
    rules = p.get("blocking")
    if not isinstance(rules, list) or not rules:
        raise LinkageParamsError("linkage 参数 blocking 应为非空列表")
    for i, rule in enumerate(rules):
        if not isinstance(rule, list) or not rule or any(c not in BLOCKING_COLUMNS for c in rule):
            raise LinkageParamsError(
                f"linkage 参数 blocking[{i}] 应为列名列表 ({', '.join(BLOCKING_COLUMNS)}), got {rule!r}"
            )


# ---------------------------------------------------------------- persons (one row per ID)


def persons_table(payments: ir.Table, people: ir.Table | None) -> ir.Table:
    """One row per ID paid: person_id (as printed), name, surname, birth_date (``YYYYMMDD`` text),
    birth_year, gender (``M``/``F``), regions and accounts (arrays, null when none; a value may
    repeat), id18 (the 18-digit form), id_tail (digits 7–17), first_period and first_row — an ibis
    expression, run by the backend.

    Birth date and gender come from ``people`` when it has the person (its lowest row), else from the
    ID. Why text for the birth date: an invalid ID's date (``19990230``) must not fail the whole query,
    and text compares the same on every backend."""
    import ibis

    p = payments.filter(payments.person_id.notnull() & (payments.person_id != ""))
    # One pass over the payments to distinct (ID, account, region) — about one row per person —
    # then the arrays from that small table: DISTINCT aggregates over the payments themselves cost
    # a hash table each.
    tri = p.group_by("person_id", "account", "region").aggregate(
        pay_name=p.name.min(),  # not the first row's: an ordered aggregate costs 3× the scan
        first_period=p.period.min(),
        first_row=p._row.min(),
    )
    agg = tri.group_by("person_id").aggregate(
        pay_name=tri.pay_name.min(),
        first_period=tri.first_period.min(),
        first_row=tri.first_row.min(),
        # Plain lists, not DISTINCT ones (a third of this step's cost): ``tri`` is already distinct,
        # so a value repeats only when a person has one account in two regions (or the reverse),
        # and a repeat changes neither "a value in common" nor the account key.
        regions=tri.region.collect(where=tri.region != ""),
        accounts=tri.account.collect(where=tri.account != ""),
    )
    pid = agg.person_id.strip().upper()
    is18 = pid.re_search(r"^[0-9]{17}[0-9X]$")
    is15 = pid.re_search(r"^[0-9]{15}$")
    # The 15-digit ID's 17-digit body is pid[0:6] + "19" + pid[6:15]; its check digit is summed from
    # the pid's own digits (an expression per digit of pid, not of the body, keeps the SQL small).
    body_digit = (
        [pid.substr(i, 1) for i in range(6)] + [None, None] + [pid.substr(i, 1) for i in range(6, 15)]
    )
    total = 1 * _WEIGHTS[6] + 9 * _WEIGHTS[7]
    for d, w in zip(body_digit, _WEIGHTS, strict=True):
        if d is not None:
            total = d.try_cast("int32") * w + total
    id18 = ibis.cases(
        (is18, pid),
        (is15, pid.substr(0, 6) + "19" + pid.substr(6, 9) + ibis.literal(_CHECK).substr(total % 11, 1)),
        else_=ibis.null("string"),
    )
    id_birth = ibis.cases(
        (is18, pid.substr(6, 8)), (is15, "19" + pid.substr(6, 6)), else_=ibis.null("string")
    )
    digit = ibis.cases((is18, pid.substr(16, 1)), (is15, pid.substr(14, 1)), else_=ibis.null("string"))
    parity = digit.try_cast("int32") % 2
    id_gender = ibis.cases((parity == 1, "M"), (parity == 0, "F"), else_=ibis.null("string"))
    persons = agg.mutate(
        pid=pid,
        is15=is15,
        id18=id18,
        id_birth=id_birth,
        id_gender=id_gender,
        regions=ibis.ifelse(agg.regions.length() > 0, agg.regions, ibis.null(agg.regions.type())),
        accounts=ibis.ifelse(agg.accounts.length() > 0, agg.accounts, ibis.null(agg.accounts.type())),
    )
    if people is not None:
        first = people.group_by("person_id").aggregate(
            people_name=people.name.argmin(people._row),
            people_birth=people.birth_date.argmin(people._row),
            people_gender=people.gender.argmin(people._row),
        )
        g = first.people_gender.cast("string").strip().upper()
        first = first.mutate(
            people_birth=first.people_birth.strftime("%Y%m%d"),
            people_gender=ibis.cases((g.isin(_MALE), "M"), (g.isin(_FEMALE), "F"), else_=ibis.null("string")),
        )
        persons = persons.left_join(first, persons.person_id == first.person_id).select(
            persons, first.people_name, first.people_birth, first.people_gender
        )
        name = persons.pay_name.strip().nullif("").coalesce(persons.people_name.strip())
        birth = persons.people_birth.coalesce(persons.id_birth)
        gender = persons.people_gender.coalesce(persons.id_gender)
    else:
        name, birth, gender = persons.pay_name.strip().nullif(""), persons.id_birth, persons.id_gender
    persons = persons.mutate(name=name, birth_date=birth, gender=gender)
    return persons.select(
        "person_id",
        "pid",
        "is15",
        "name",
        surname=persons.name.substr(0, 1),
        birth_date=persons.birth_date,
        birth_year=persons.birth_date.substr(0, 4),
        gender=persons.gender,
        regions=persons.regions,
        accounts=persons.accounts,
        id18=persons.id18,
        id_tail=persons.id18.substr(6, 11),
        first_period=persons.first_period,
        first_row=persons.first_row.cast("int64"),
    )


# ---------------------------------------------------------------- deterministic pairs


def deterministic_pairs(persons: ir.Table, params: dict[str, Any]) -> ir.Table:
    """The certain pairs: columns ``id_l``, ``id_r``, ``key`` (the key's wording), and each side's
    ``first_period``/``first_row``.

    15/18: a 15-digit ID whose 18-digit form is another ID as printed (upper-cased). Account: the
    same name, birth date and gender paid into the same non-empty account under two IDs (the
    persons' account arrays unnested, so the payments are not read again)."""
    import ibis

    keys = params["keys"]
    cols = ["person_id", "first_period", "first_row"]
    a = persons.filter(persons.is15).select(*cols, "id18")
    b = persons.filter(persons.pid.length() == 18).select(*cols, "pid")

    def pair(lt: ir.Table, rt: ir.Table, key: str) -> dict[str, Any]:
        """One pair row's columns: both IDs, the key's wording, and when each was paid first."""
        return {
            "id_l": lt.person_id,
            "id_r": rt.person_id,
            "key": ibis.literal(keys[key]),
            "first_period_l": lt.first_period,
            "first_row_l": lt.first_row,
            "first_period_r": rt.first_period,
            "first_row_r": rt.first_row,
        }

    j15 = a.join(b, a.id18 == b.pid).select(**pair(a, b, "id15_18"))
    who = persons.filter(persons.name.notnull() & persons.birth_date.notnull() & persons.gender.notnull())
    pa = who.select(*cols, "name", "birth_date", "gender", account=who.accounts.unnest())
    left, right = pa, pa.view()
    jacc = (
        left.join(
            right,
            [
                left.account == right.account,
                left.name == right.name,
                left.birth_date == right.birth_date,
                left.gender == right.gender,
                left.person_id < right.person_id,
            ],
        )
        .select(**pair(left, right, "name_birth_gender_account"))
        .distinct()
    )
    return j15.union(jacc)


def blocked_pair_bound(persons: ir.Table, params: dict[str, Any]) -> int:
    """An upper bound of the pairs Splink will score: Σ over blocking rules and blocks of n(n−1)/2
    (a pair in two rules' blocks is counted twice). One group-by per rule over the persons; checked
    against ``max_pairs`` before Splink runs, so that a data set whose blocks explode is a clear
    error rather than hours of work."""
    total = 0
    for cols in params["blocking"]:
        keyed = persons.filter([persons[c].notnull() for c in cols])
        sizes = keyed.group_by(cols).aggregate(n=keyed.count())
        total += int((sizes.n * (sizes.n - 1) / 2).sum().execute() or 0)
    return total


class _Materialised:
    """The persons, computed once and kept in the backend for the deterministic joins and Splink:
    a DuckDB temp table, or a cached Spark temp view. ``drop()`` removes it."""

    def __init__(self, con: Any, expr: ir.Table, backend: str) -> None:
        self.con, self.backend = con, backend
        self.name = f"__sifund_link_persons_{uuid.uuid4().hex[:8]}"
        if backend == "duckdb":
            self.table = con.create_table(self.name, expr, temp=True, overwrite=True)
        elif backend == "spark":
            self.df = con._session.sql(con.compile(expr)).cache()
            self.df.createOrReplaceTempView(self.name)
            self.table = con.table(self.name)
        else:
            raise ValueError(f"unknown backend {backend!r}")

    def db_api(self) -> Any:
        if self.backend == "duckdb":
            from splink import DuckDBAPI

            return DuckDBAPI(connection=self.con.con)
        from splink import SparkAPI

        return SparkAPI(spark_session=self.con._session)

    def drop(self) -> None:
        if self.backend == "duckdb":
            self.con.con.execute(f"DROP TABLE IF EXISTS {self.name}")
        else:
            self.con._session.catalog.dropTempView(self.name)
            self.df.unpersist()


# ---------------------------------------------------------------- Splink


def splink_settings(params: dict[str, Any]) -> Any:
    """The Splink model: comparisons with the fixed m/u of ``params``, blocking rules, prior."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    c = params["comparisons"]

    def lv(level: Any, name: str, key: str) -> Any:
        return level.configure(m_probability=c[name][key]["m"], u_probability=c[name][key]["u"])

    def comparison(name: str, levels: list[Any], null_col: str) -> Any:
        return cl.CustomComparison(
            comparison_levels=[cll.NullLevel(null_col), *levels, lv(cll.ElseLevel(), name, "else")],
            output_column_name=name,
        )

    comparisons = [
        comparison(
            "name",
            [
                lv(cll.ExactMatchLevel("name"), "name", "exact"),
                lv(
                    cll.JaroWinklerLevel("name", c["name"]["jaro_winkler"]["threshold"]),
                    "name",
                    "jaro_winkler",
                ),
            ],
            "name",
        ),
        comparison(
            "birth_date",
            [
                lv(cll.ExactMatchLevel("birth_date"), "birth_date", "exact"),
                lv(cll.LevenshteinLevel("birth_date", 1), "birth_date", "one_digit"),
            ],
            "birth_date",
        ),
        comparison("gender", [lv(cll.ExactMatchLevel("gender"), "gender", "exact")], "gender"),
        comparison("region", [lv(cll.ArrayIntersectLevel("regions", 1), "region", "shared")], "regions"),
        comparison("account", [lv(cll.ArrayIntersectLevel("accounts", 1), "account", "shared")], "accounts"),
        comparison(
            "id",
            [
                lv(cll.ExactMatchLevel("id18"), "id", "exact"),
                lv(cll.LevenshteinLevel("id18", c["id"]["levenshtein"]["threshold"]), "id", "levenshtein"),
                lv(cll.ExactMatchLevel("id_tail"), "id", "tail"),
            ],
            "id18",
        ),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="person_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in params["blocking"]],
        probability_two_random_records_match=params["prior"],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["first_period", "first_row"],
    )


def probabilistic_pairs(persons: _Materialised, params: dict[str, Any]) -> list[dict]:
    """The accepted pairs (match probability ≥ the ``match_probability`` param) as dicts with
    person_id_l/_r, match_weight, match_probability, first_period_l/_r, first_row_l/_r, match_key.

    With the fixed model on DuckDB (the default): :func:`fixed_model_pairs`, Splink's predict written
    out as one pruned SQL query (identical pairs and weights, a third of the CPU). Trained
    (``train: true``) or on Spark: Splink itself (:func:`splink_pairs`)."""
    if persons.backend == "duckdb" and not params.get("train"):
        return fixed_model_pairs(persons, params)
    return splink_pairs(persons, params)


def splink_pairs(persons: _Materialised, params: dict[str, Any]) -> list[dict]:
    """Splink's accepted pairs (see :func:`probabilistic_pairs`), trained first if ``train``.

    Splink runs its SQL in the backend that holds the persons; only the accepted pairs come back."""
    from splink import Linker

    db_api = persons.db_api()
    linker = Linker(db_api.register(persons.name), splink_settings(params), log_level=logging.WARNING)
    try:
        if params.get("train"):
            _train(linker, params)
        pred = linker.inference.predict(
            threshold_match_probability=params["match_probability"], warning_mode="never"
        )
        return pred.as_record_list()
    finally:
        db_api.delete_tables_created_by_splink_from_db()


def _train(linker: Any, params: dict[str, Any]) -> None:
    """``train: true``: u by random sampling, m by EM within the prediction blocks (each block
    leaves its own columns' m as given)."""
    from splink import block_on

    linker.training.estimate_u_using_random_sampling(max_pairs=params["train_max_pairs"], seed=1)
    for cols in params["blocking"]:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*cols))


# ---------------------------------------------------------------- the fixed model in SQL
#
# With fixed m/u, Splink's predict is a sum: prior weight + Σ per comparison the weight log2(m/u) of
# the level the pair falls in (0 for the null level), kept when it reaches the threshold weight. Most
# of its cost is the Levenshtein distance of two 18-digit IDs for every blocked pair (2.3 M pairs at
# 1 M people), yet a pair can only link when the other comparisons leave room for it. So: stage A
# scores every blocked pair on the cheap comparisons and gives the ID its best possible weight;
# pairs that cannot reach the threshold even so are dropped; stage B scores the few left exactly.
# The expressions, weights and their order of summation are Splink's (its DuckDB SQL), so the pairs
# and weights are bit for bit Splink's; tests/payments/test_linkage.py compares the two.

# Each comparison: the column whose null on either side is the null level, then its levels
# (key in ``params["comparisons"]``, DuckDB condition); the ``else`` level closes it.
# ``DEFERRED``: the comparison scored in stage B, and how many of its levels stage A checks.
DEFERRED = ("id", 1)


def _comparison_levels(params: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    c = params["comparisons"]
    jw, lev = c["name"]["jaro_winkler"]["threshold"], c["id"]["levenshtein"]["threshold"]
    return [
        ("name", "name", [("exact", '"name_l" = "name_r"'),
                          ("jaro_winkler", f'jaro_winkler_similarity("name_l", "name_r") >= {jw}')]),
        ("birth_date", "birth_date", [("exact", '"birth_date_l" = "birth_date_r"'),
                                      ("one_digit", 'levenshtein("birth_date_l", "birth_date_r") <= 1')]),
        ("gender", "gender", [("exact", '"gender_l" = "gender_r"')]),
        # list_has_any: Splink's array_length(list_intersect(…)) >= 1 for lists without nulls
        # (persons_table drops null and empty values), at half the cost.
        ("region", "regions", [("shared", 'list_has_any("regions_l", "regions_r")')]),
        ("account", "accounts", [("shared", 'list_has_any("accounts_l", "accounts_r")')]),
        ("id", "id18", [("exact", '"id18_l" = "id18_r"'),
                        ("levenshtein", f'levenshtein("id18_l", "id18_r") <= {lev}'),
                        ("tail", '"id_tail_l" = "id_tail_r"')]),
    ]  # fmt: skip


def level_weight(m: float, u: float) -> float:
    """A level's match weight as Splink computes it: log2(m/u), m and u clamped at 1e-300."""
    return math.log2(max(m, 1e-300) / max(u, 1e-300))


def _f8(x: float) -> str:
    return f"cast({x!r} as float8)" if math.isfinite(x) else f"cast('{x}' as float8)"


def fixed_model_sql(table: str, params: dict[str, Any]) -> str:
    """The DuckDB query of :func:`fixed_model_pairs` over the persons table ``table``."""
    comps = params["comparisons"]
    # The blocked pairs carry only what the comparisons read (their width is most of stage A's
    # cost); when each ID was first paid is joined to the few accepted pairs at the end.
    cols = ("person_id", "name", "birth_date", "gender", "regions", "accounts", "id18", "id_tail")
    sides = ", ".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in cols)

    def same(rule: list[str]) -> str:
        return "(" + " AND ".join(f'(l."{c}" = r."{c}")' for c in rule) + ")"

    blocks = []
    for i, rule in enumerate(params["blocking"]):  # Splink's: each pair once, under its first rule
        earlier = " OR ".join(f"coalesce({same(r)}, false)" for r in params["blocking"][:i])
        blocks.append(
            f"SELECT {sides}, '{i}' AS match_key FROM {table} AS l JOIN {table} AS r ON {same(rule)}"
            f' WHERE l."person_id" < r."person_id"' + (f" AND NOT ({earlier})" if earlier else "")
        )

    def case(name: str, null_col: str, levels: list[tuple[str, str]], rest: float | None = None) -> str:
        """The comparison's weight; with ``rest`` the levels after ``levels`` count as ``rest``."""
        whens = "".join(
            f" WHEN {cond} THEN {_f8(level_weight(comps[name][k]['m'], comps[name][k]['u']))}"
            for k, cond in levels
        )
        last = rest if rest is not None else level_weight(comps[name]["else"]["m"], comps[name]["else"]["u"])
        null = f'"{null_col}_l" IS NULL OR "{null_col}_r" IS NULL'
        return f"CASE WHEN {null} THEN {_f8(0.0)}{whens} ELSE {_f8(last)} END"

    deferred, cheap = DEFERRED
    stage_a, weights = [], []
    for name, null_col, levels in _comparison_levels(params):
        if name == deferred:
            later = [k for k, _ in levels[cheap:]] + ["else"]
            best = max(level_weight(comps[name][k]["m"], comps[name][k]["u"]) for k in later)
            stage_a.append(f"{case(name, null_col, levels[:cheap], best)} AS ub_{name}")
            stage_b = f"{case(name, null_col, levels)} AS mw_{name}"
        else:
            stage_a.append(f"{case(name, null_col, levels)} AS mw_{name}")
        weights.append(f"mw_{name}")
    prior = _f8(math.log2(params["prior"] / (1 - params["prior"])))
    t = params["match_probability"]
    threshold = math.log2(t / (1 - t)) if t != 1 else math.inf
    total = f"{prior} + " + " + ".join(weights)
    bound = total.replace(f"mw_{deferred}", f"ub_{deferred}")
    keep = ", ".join(f'"{c}_{s}"' for c in ("person_id", "id18", "id_tail") for s in "lr")
    # Rounding is monotone, so the bound (the same sum with a weight no smaller) never drops a pair
    # the exact sum keeps; the 1e-9 is a margin all the same.
    return f"""
WITH blocked AS ({" UNION ALL ".join(blocks)}),
a AS (SELECT {keep}, match_key, {", ".join(stage_a)} FROM blocked),
b AS (SELECT *, {stage_b} FROM a WHERE ({bound}) >= {_f8(threshold - 1e-9)})
SELECT {total} AS match_weight,
  CASE WHEN ({total}) >= 0 THEN 1.0 / (1.0 + POWER(cast(2 as float8), -({total})))
  ELSE POWER(cast(2 as float8), ({total})) / (1.0 + POWER(cast(2 as float8), ({total}))) END
  AS match_probability,
  person_id_l, person_id_r, l.first_period AS first_period_l, r.first_period AS first_period_r,
  l.first_row AS first_row_l, r.first_row AS first_row_r, match_key
FROM b JOIN {table} AS l ON l."person_id" = b.person_id_l JOIN {table} AS r ON r."person_id" = b.person_id_r
WHERE ({total}) >= {_f8(threshold)}"""


def fixed_model_pairs(persons: _Materialised, params: dict[str, Any]) -> list[dict]:
    """The fixed model's accepted pairs on DuckDB, as :func:`splink_pairs` gives them (same keys,
    values and weights; row order aside), from one query (:func:`fixed_model_sql`)."""
    cur = persons.con.con.execute(fixed_model_sql(persons.name, params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


# ---------------------------------------------------------------- clusters


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def clusters_from_pairs(det: list[dict], prob: list[dict], params: dict[str, Any]) -> list[Cluster]:
    """Connected components of the accepted pairs; each cluster's first-paid ID leads it.

    A pair found by a deterministic key is explained by the key, even when Splink also accepts it;
    the weight shown is the weakest of the cluster's other (probabilistic) pairs."""
    parent: dict[str, str] = {}
    order: dict[str, tuple[str, int]] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def add(a: str, b: str, row: dict) -> None:
        order[a] = (str(row["first_period_l"]), int(row["first_row_l"]))
        order[b] = (str(row["first_period_r"]), int(row["first_row_r"]))
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    det_pairs: set[frozenset[str]] = set()
    for row in det:
        add(row["id_l"], row["id_r"], row)
        det_pairs.add(frozenset((row["id_l"], row["id_r"])))
    for row in prob:
        add(row["person_id_l"], row["person_id_r"], row)
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(find(x), []).append(x)
    keys: dict[str, set[str]] = {}
    for row in det:
        keys.setdefault(find(row["id_l"]), set()).add(row["key"])
    weakest: dict[str, dict] = {}
    for row in prob:
        if frozenset((row["person_id_l"], row["person_id_r"])) in det_pairs:
            continue
        root = find(row["person_id_l"])
        if root not in weakest or row["match_weight"] < weakest[root]["match_weight"]:
            weakest[root] = row
    key_order = list(params["keys"].values())
    out = []
    for root, ids in members.items():
        ids.sort(key=lambda i: (order[i], i))
        facts: dict[str, str] = {}
        parts = []
        if root in keys:
            facts["key"] = "；".join(sorted(keys[root], key=key_order.index))
            parts.append(facts["key"])
        if root in weakest:
            facts["match_weight"] = _fmt(weakest[root]["match_weight"])
            facts["match_probability"] = _fmt(weakest[root]["match_probability"])
            parts.append(params["weight_basis"].format(**facts))
        facts["basis"] = "；".join(parts)
        out.append(Cluster(person_id=ids[0], other_ids=sorted(ids[1:]), reason_facts=facts))
    out.sort(key=lambda c: c.person_id)
    return out


def find_clusters(
    con: Any,
    payments: ibis.Table,
    people: ibis.Table | None,
    params: dict,
    backend: str = "duckdb",
) -> list[Cluster]:
    """The clusters of IDs that are one person, sorted by ``person_id`` (see :class:`Cluster`).

    ``con`` is the ibis backend both tables live in; an ibis PySpark backend is run on Spark whatever
    ``backend`` says (the DuckDB path cannot run there). ``params`` are the rule's ``params``, merged
    over ``linkage.yaml``; keys this module does not know are ignored."""
    if getattr(con, "name", "") == "pyspark":
        backend = "spark"
    p = merged_params(params)
    cols = ["person_id", "pid", "is15", "name", "surname", "birth_date", "birth_year", "gender"]
    cols += ["regions", "accounts", "id18", "id_tail", "first_period", "first_row"]
    persons = _Materialised(con, persons_table(payments, people).select(*cols), backend)
    try:
        det = deterministic_pairs(persons.table, p).to_pyarrow().to_pylist()
        bound = blocked_pair_bound(persons.table, p)
        if bound > p["max_pairs"]:
            raise LinkageTooLarge(bound, p["max_pairs"])
        prob = probabilistic_pairs(persons, p)
    finally:
        persons.drop()
    return clusters_from_pairs(det, prob, p)
