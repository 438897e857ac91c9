"""``sifund payments synth``: the synthetic tables, their clean background and the answer key.

The background checks are written here in DuckDB SQL over the files as written — independently of
the generator's own bookkeeping — and ``truth.csv`` is checked three ways: against the plain pandas
rules run over the whole data set, against the engine's audit, and for the shape of its rows.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from sifund.cli import app
from sifund.core import idcard
from sifund.payments import synth
from sifund.payments.synth_truth import parquet_strings, reference_of_folder

# The contract's columns (../shared/spec/payments.md), written out here on purpose.
CONTRACT = {
    "payments": ["person_id", "name", "fund", "benefit", "period", "amount", "account", "region"],
    "deaths": ["person_id", "name", "death_date"],
    "contributions": ["person_id", "fund", "period", "employer", "base", "amount"],
    "people": ["person_id", "name", "birth_date", "gender", "retire_date"],
}
PEOPLE, MONTHS, SEED = 2000, 12, 7


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "pay"
    synth.generate(PEOPLE, MONTHS, SEED, out)
    return out


@pytest.fixture(scope="module")
def truth(data: Path) -> pd.DataFrame:
    return pd.read_csv(data / "truth.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def db(data: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for t in CONTRACT:
        con.execute(
            f"CREATE VIEW {t} AS SELECT * FROM read_csv('{data / t}.csv', all_varchar=true, header=true)"
        )
    return con


def ids_of(db: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The first column of a query's rows, as a set."""
    return {r[0] for r in db.execute(sql).fetchall()}


def planted(truth: pd.DataFrame, *rules: str) -> set[str]:
    """Every ID truth.csv names for these rules (person_id and other_ids)."""
    rows = truth[truth["rule"].isin(rules)] if rules else truth
    ids = set(rows["person_id"])
    for other in rows["other_ids"]:
        ids |= set(filter(None, other.split(";")))
    return ids


def test_the_tables_have_exactly_the_contracts_columns(data: Path):
    for table, cols in CONTRACT.items():
        header = (data / f"{table}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == cols, table
    assert (data / "truth.csv").read_text().split("\n", 1)[0] == "rule,person_id,periods,amount,other_ids"
    assert sorted(p.name for p in data.iterdir()) == [
        "contributions.csv", "deaths.csv", "payments.csv", "people.csv", "truth.csv",
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_files_and_another_seed_others(data: Path, tmp_path: Path):
    def digest(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    synth.generate(PEOPLE, MONTHS, SEED, tmp_path / "again")
    synth.generate(PEOPLE, MONTHS, SEED + 1, tmp_path / "other")
    assert digest(tmp_path / "again") == digest(data)
    assert digest(tmp_path / "other")["payments.csv"] != digest(data)["payments.csv"]


def test_every_rule_is_planted_at_least_twice(truth: pd.DataFrame):
    counts = truth["rule"].value_counts()
    for rule in synth.RULES:
        assert counts.get(rule, 0) >= 2, rule


def test_truth_rows_are_well_formed(truth: pd.DataFrame, db):
    periods = {r[0] for r in db.execute("SELECT DISTINCT period FROM payments").fetchall()}
    for r in truth.itertuples():
        ps = r.periods.split(";")
        assert ps == sorted(set(ps)) and set(ps) <= periods, r
        assert r.amount == f"{float(r.amount):.2f}", r
        assert (r.other_ids != "") == (r.rule == "same_person_two_ids"), r
    assert not truth.duplicated(["rule", "person_id"]).any()  # one hit per rule and person


def test_truth_is_what_the_rules_find_in_the_whole_data(data: Path, truth: pd.DataFrame):
    """The pandas rules over every row (background included) find exactly truth.csv: the planted
    people are isolated and the background triggers nothing. (Probabilistic same-person pairs
    cannot be derived by the deterministic keys, so the planted clusters are given.)"""
    clusters = [[r.person_id, *r.other_ids.split(";")] for r in truth.itertuples() if r.other_ids]
    full = reference_of_folder(data, synth.config()["rule_params"], clusters).astype(str)
    pd.testing.assert_frame_equal(full.reset_index(drop=True), truth.reset_index(drop=True))


# ---- the background is clean: checked in SQL over the files ----------------------------------


def test_no_account_pays_three_people_in_a_period_but_the_planted(db, truth):
    rows = db.execute("""
        SELECT account, period, list(DISTINCT person_id) AS ids FROM payments
        GROUP BY account, period HAVING count(DISTINCT person_id) >= 3""").fetchall()
    shared = planted(truth, "shared_account")
    assert rows and all(set(ids) <= shared for _, _, ids in rows)
    couples = db.execute("""SELECT count(*) FROM (SELECT account FROM payments GROUP BY account, period
                        HAVING count(DISTINCT person_id) = 2)""").fetchone()[0]
    assert couples > 0  # decoys: a couple's account (two people) is not an anomaly


def test_every_id_is_valid_but_the_planted_invalid_ones(db, truth):
    ids = [r[0] for r in db.execute("SELECT DISTINCT person_id FROM payments").fetchall()]
    invalid = {i for i in ids if not idcard.is_valid(i, date(2024, 12, 31))}
    assert invalid == set(truth.loc[truth["rule"] == "invalid_person_id", "person_id"])
    assert any(i.endswith("x") for i in ids)  # decoy: a lower-case check character is valid
    assert any(len(i) == 15 for i in ids if i not in planted(truth))  # decoy: a lone old 15-digit ID


def test_the_people_table_agrees_with_the_ids(db):
    rows = db.execute("SELECT person_id, birth_date, gender FROM people").fetchall()
    assert len(rows) >= PEOPLE * 0.95
    for pid, birth, gender in rows:
        if idcard.is_valid(pid):
            assert idcard.birth_date(pid).isoformat() == birth, pid
            assert {"male": "男", "female": "女"}[idcard.gender(pid)] == gender, pid


def test_no_two_ids_share_name_birth_and_gender_but_one_persons(db, truth):
    rows = db.execute("""
        SELECT name, birth_date, gender, list(person_id) FROM people
        GROUP BY ALL HAVING count(*) >= 2""").fetchall()
    clusters = [set([r.person_id, *r.other_ids.split(";")]) for r in truth.itertuples() if r.other_ids]
    for *_, ids in rows:
        assert set(ids) in clusters, ids
    namesakes = db.execute("""SELECT count(*) FROM (SELECT name, birth_date FROM people GROUP BY ALL
                          HAVING count(DISTINCT gender) = 2)""").fetchone()[0]
    assert namesakes > 0  # decoys: same name and birth date, the other gender


def test_amounts_are_within_the_spread_of_their_level_but_the_outliers(db, truth):
    levels = synth.config()["benefits"]
    outliers = planted(truth, "amount_outlier")
    for fund, benefit, pid, amount in db.execute(
        "SELECT fund, benefit, person_id, CAST(amount AS DECIMAL(18,2)) FROM payments"
    ).fetchall():
        spec = levels[fund][benefit]
        lo, hi = spec["level"] * (1 - spec["spread"]), spec["level"] * (1 + spec["spread"])
        assert lo <= float(amount) <= hi or pid in outliers, (fund, benefit, pid, amount)


def test_nobody_is_paid_after_death_or_before_the_age_but_the_planted(db, truth):
    after = ids_of(
        db,
        """
        SELECT DISTINCT p.person_id FROM payments p JOIN deaths d USING (person_id)
        WHERE p.period > substr(d.death_date, 1, 7) AND p.benefit <> 'funeral_survivor'""",
    )
    assert after == planted(truth, "paid_after_death")
    ages = synth.config()["rule_params"]["statutory_age"]
    cases = " ".join(
        f"WHEN p.fund = '{f}' AND pe.gender = '{g}' THEN {a[k]}"
        for f, a in ages.items()
        for g, k in (("男", "male"), ("女", "female"))
    )
    young = ids_of(
        db,
        f"""
        SELECT DISTINCT p.person_id FROM payments p JOIN people pe USING (person_id)
        WHERE p.benefit IN ('basic_pension', 'basic_pension_base', 'individual_account_pension')
          AND p.period < printf('%04d-%s', CAST(substr(pe.birth_date, 1, 4) AS INT) + CASE {cases} END,
                                substr(pe.birth_date, 6, 2))""",
    )
    assert young == planted(truth, "underage_pension")


def test_a_funeral_grant_paid_after_the_death_is_a_decoy_not_a_hit(db, truth):
    """丧葬补助金和抚恤金 come after the death by nature: planted so, and not 死亡冒领."""
    late = ids_of(
        db,
        """
        SELECT DISTINCT p.person_id FROM payments p JOIN deaths d USING (person_id)
        WHERE p.period > substr(d.death_date, 1, 7) AND p.benefit = 'funeral_survivor'""",
    )
    assert len(late) >= round(synth.config()["decoys"]["funeral_after_death"] * PEOPLE / 1000)
    assert not late & planted(truth)


def test_one_pension_per_person_and_no_unemployment_benefit_beside_a_pension_or_a_job(db, truth):
    two = ids_of(
        db,
        """
        SELECT DISTINCT person_id FROM payments
        WHERE benefit IN ('basic_pension', 'basic_pension_base', 'individual_account_pension')
        GROUP BY person_id, period HAVING count(DISTINCT fund) >= 2""",
    )
    assert two == planted(truth, "multiple_pensions")
    both = ids_of(
        db,
        """
        SELECT DISTINCT u.person_id FROM payments u JOIN payments p USING (person_id, period)
        WHERE u.benefit = 'unemployment_benefit'
          AND p.benefit IN ('basic_pension', 'basic_pension_base', 'individual_account_pension')""",
    )
    assert both == planted(truth, "unemployment_with_pension")
    working = ids_of(
        db,
        """
        SELECT DISTINCT u.person_id FROM payments u JOIN contributions c USING (person_id, period)
        WHERE u.benefit = 'unemployment_benefit' AND coalesce(c.employer, '') <> ''""",
    )
    assert working == planted(truth, "unemployment_while_contributing")
    flexible = db.execute("""
        SELECT count(*) FROM payments u JOIN contributions c USING (person_id, period)
        WHERE u.benefit = 'unemployment_benefit' AND coalesce(c.employer, '') = ''""").fetchone()[0]
    assert flexible > 0  # decoys: a self-paid contribution (no employer) is not a job


def test_accounts_are_bank_card_numbers(db):
    def luhn_ok(number: str) -> bool:
        digits = [int(c) for c in reversed(number)]
        return (
            sum(d if i % 2 == 0 else (2 * d - 9 if d > 4 else 2 * d) for i, d in enumerate(digits)) % 10 == 0
        )

    accounts = [r[0] for r in db.execute("SELECT DISTINCT account FROM payments").fetchall()]
    assert all(a.isdigit() and 16 <= len(a) <= 19 and luhn_ok(a) for a in accounts)


# ---- against the engine, Parquet, and the command ----------------------------------------------


def test_the_engine_finds_exactly_truth(data: Path, truth: pd.DataFrame):
    from sifund.payments.engine import audit

    result = audit(data, progress=False)
    got = {(h.rule, h.person_id, ";".join(h.periods), f"{h.amount:.2f}", ";".join(h.other_ids or []))
           for h in result.hits}  # fmt: skip
    want = set(map(tuple, truth.values.tolist()))
    assert not [r for r, s in result.summary.by_rule.items() if s.skipped]
    assert got == want


def test_the_answer_key_uses_the_catalogues_parameters():
    """truth.csv is computed with synth.yaml's rule_params; they must be the built-in rules'."""
    from sifund.payments.catalogue import load_rules

    rules = {r.code: r.params for r in load_rules(None)}
    mine = synth.config()["rule_params"]
    ages = rules["underage_pension"].ages
    assert {f: {"male": a.male, "female": a.female} for f, a in ages.items()} == mine["statutory_age"]
    assert rules["amount_outlier"].factor == mine["outlier_factor"]
    assert rules["amount_outlier"].min_group == mine["outlier_min_group"]
    assert rules["shared_account"].min_people == mine["shared_min_people"]
    assert rules["paid_after_death"].payments.exclude_benefits == mine["after_death_exempt"]
    assert {"男", "女"} <= set(rules["underage_pension"].male) | set(rules["underage_pension"].female)


def test_parquet_holds_the_same_rows(tmp_path: Path):
    synth.generate(300, 3, SEED, tmp_path / "csv")
    synth.generate(300, 3, SEED, tmp_path / "pq", fmt="parquet")
    for t in CONTRACT:
        a = pd.read_csv(tmp_path / "csv" / f"{t}.csv", dtype=str, keep_default_na=False)
        b = parquet_strings(tmp_path / "pq" / f"{t}.parquet")
        assert list(b.columns) == CONTRACT[t]
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert (tmp_path / "csv" / "truth.csv").read_bytes() == (tmp_path / "pq" / "truth.csv").read_bytes()


def test_the_command_writes_all_files_or_none(tmp_path: Path):
    out = tmp_path / "cmd"
    r = CliRunner().invoke(app, ["payments", "synth", "--people", "300", "--months", "2", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert len(list(out.iterdir())) == 5
    bad = CliRunner().invoke(app, ["payments", "synth", "--people", "300", "--start", "2024-13", "-o",
                                   str(tmp_path / "bad")])  # fmt: skip
    assert bad.exit_code == 1 and "--start" in bad.output and "Traceback" not in bad.output
    assert not (tmp_path / "bad").exists() or not list((tmp_path / "bad").iterdir())
    mixed = CliRunner().invoke(
        app, ["payments", "synth", "--people", "300", "--format", "parquet", "-o", str(out)]
    )
    assert mixed.exit_code == 1 and "csv" in mixed.output  # the folder holds CSV tables already
