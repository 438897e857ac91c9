"""``same_person_two_ids``: which IDs are one person (``sifund.payments.linkage``).

Deterministic keys first (15/18-digit forms; name + birth date + gender + account), then Splink's
fixed-parameter model for the rest; a cluster is led by its first-paid ID. The small tables here are
built row by row so that each test shows the case it is about; the planted population
(``linkage_population``) measures precision and recall.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from sifund.payments import linkage as L

from .linkage_population import check_char, id18, population

A18 = id18("110101", "19500312", "123")  # a man (sequence 123: odd)
A15 = A18[:6] + A18[8:17]


def tables(rows: list[tuple], people: list[tuple] | None = None):
    """An in-memory DuckDB with ``payments`` from (person_id, name, period, account, region) rows and
    optionally ``people`` from (person_id, name, birth_date, gender) rows; ``_row`` counts from 1."""
    con = ibis.duckdb.connect()
    n = len(rows)
    pay = con.create_table(
        "payments",
        pa.table(
            {
                "person_id": [r[0] for r in rows],
                "name": [r[1] for r in rows],
                "fund": ["enterprise_pension"] * n,
                "benefit": ["basic_pension"] * n,
                "period": [r[2] for r in rows],
                "amount": pa.array([Decimal("3000.00")] * n, pa.decimal128(18, 2)),
                "account": [r[3] for r in rows],
                "region": [r[4] for r in rows],
                "_row": pa.array(range(1, n + 1), pa.int64()),
            }
        ),
    )
    ppl = None
    if people is not None:
        import datetime as dt

        ppl = con.create_table(
            "people",
            pa.table(
                {
                    "person_id": [r[0] for r in people],
                    "name": [r[1] for r in people],
                    "birth_date": pa.array([dt.date.fromisoformat(r[2]) for r in people], pa.date32()),
                    "gender": [r[3] for r in people],
                    "retire_date": pa.nulls(len(people), pa.date32()),
                    "_row": pa.array(range(1, len(people) + 1), pa.int64()),
                }
            ),
        )
    return con, pay, ppl


def clusters(rows, people=None, params=None):
    con, pay, ppl = tables(rows, people)
    return L.find_clusters(con, pay, ppl, params or {})


def test_a_15_digit_id_and_its_18_digit_form_are_one_person_by_key():
    # The 18-digit ID is paid first (2024-01), so it leads; the accounts differ: the key alone links.
    found = clusters(
        [
            (A18, "张建国", "2024-01", "6200001", "110101"),
            (A15, "张建国", "2024-02", "6200002", "110101"),
            (id18("110101", "19600101", "222"), "李芳", "2024-01", "6200003", "110101"),
        ]
    )
    assert found == [L.Cluster(A18, [A15], {"key": "15位与18位号码一致", "basis": "15位与18位号码一致"})]


def test_the_same_name_birth_date_gender_and_account_is_a_key():
    other = id18("320102", "19500312", "455")  # another county, another sequence: nothing in the ID
    found = clusters(
        [(A18, "张建国", "2024-01", "6200001", "110101"), (other, "张建国", "2024-03", "6200001", "320102")]
    )
    assert [(c.person_id, c.other_ids, c.reason_facts["key"]) for c in found] == [
        (A18, [other], "姓名+出生日期+性别+账户一致")
    ]


def test_a_mistyped_sequence_digit_links_with_its_match_weight():
    body = A18[:15] + "8" + A18[16]
    typo = body + check_char(body)
    found = clusters(
        [(A18, "张建国", "2024-01", "6200001", "110101"), (typo, "张建国", "2024-01", "6209999", "110101")]
    )
    assert len(found) == 1 and found[0].other_ids == [typo]
    facts = found[0].reason_facts
    assert "key" not in facts
    assert float(facts["match_probability"]) >= 0.95 and len(facts["match_probability"].split(".")[1]) == 2
    assert float(facts["match_weight"]) > 10 and facts["basis"] == (
        f"匹配权重{facts['match_weight']}，匹配概率{facts['match_probability']}"
    )


def test_the_first_paid_id_leads_and_the_row_breaks_a_tie():
    # Same first period: the lower row leads (the 15-digit ID is on row 1).
    found = clusters([(A15, "张建国", "2024-01", "1", "110101"), (A18, "张建国", "2024-01", "2", "110101")])
    assert (found[0].person_id, found[0].other_ids) == (A15, [A18])
    found = clusters([(A15, "张建国", "2024-02", "1", "110101"), (A18, "张建国", "2024-01", "2", "110101")])
    assert (found[0].person_id, found[0].other_ids) == (A18, [A15])


def test_three_ids_of_one_person_are_one_cluster_with_both_kinds_of_reason():
    body = A18[:14] + "7" + A18[15:17]
    typo = body + check_char(body)
    found = clusters(
        [
            (A18, "张建国", "2024-01", "6200001", "110101"),
            (A15, "张建国", "2024-02", "6200002", "110101"),
            (typo, "张建国", "2024-03", "6200003", "110101"),
        ]
    )
    assert len(found) == 1 and found[0].person_id == A18 and found[0].other_ids == sorted([A15, typo])
    facts = found[0].reason_facts
    assert facts["key"] == "15位与18位号码一致" and "match_weight" in facts
    assert facts["basis"].startswith("15位与18位号码一致；匹配权重")


def test_same_name_and_birth_date_but_another_person_does_not_link():
    woman = id18("110101", "19500312", "486")  # the other gender, same county
    stranger = id18("420102", "19500312", "731")  # same gender, another county, another account
    found = clusters(
        [
            (A18, "张建国", "2024-01", "6200001", "110101"),
            (woman, "张建国", "2024-01", "6200002", "110101"),
            (stranger, "张建国", "2024-01", "6200003", "420102"),
        ]
    )
    assert found == []


def test_birth_date_and_gender_come_from_people_when_it_has_the_person():
    # The IDs disagree on gender (sequence 123 vs 124) but people says both are one woman; with the
    # same name, birth date and account the key links them — and without people it does not.
    woman = id18("110101", "19500312", "124")
    rows = [
        (A18, "王秀英", "2024-01", "6200001", "110101"),
        (woman, "王秀英", "2024-02", "6200001", "110101"),
    ]
    people = [(A18, "王秀英", "1950-03-12", "女"), (woman, "王秀英", "1950-03-12", "女")]
    with_people = clusters(rows, people)
    assert with_people[0].reason_facts.get("key") == "姓名+出生日期+性别+账户一致"
    without = clusters(rows)
    assert "key" not in without[0].reason_facts  # Splink still links them: the shared account weighs


def test_the_threshold_is_a_parameter():
    # Re-registered in another county with the same birth date and sequence, a new account: a
    # moderate weight, linked at the default 0.95 and not at 0.999.
    moved = id18("320102", "19500312", "123")
    rows = [
        (A18, "张建国", "2024-01", "6200001", "110101"),
        (moved, "张建国", "2024-04", "6200002", "320102"),
    ]
    found = clusters(rows)
    assert len(found) == 1 and 0.95 <= float(found[0].reason_facts["match_probability"]) < 0.999
    assert clusters(rows, params={"match_probability": 0.999}) == []


def test_planted_duplicates_are_found_and_decoys_are_not():
    pop = population(3000, seed=11)
    con = ibis.duckdb.connect()
    found = L.find_clusters(con, con.create_table("p", pop.payments), con.create_table("q", pop.people), {})
    pairs = {frozenset((c.person_id, o)) for c in found for o in c.other_ids}
    truth = {frozenset(t) for t in pop.truth}
    assert len(truth) >= 25 and pairs == truth
    assert not pairs & {frozenset(d) for d in pop.decoys}
    leads = {c.person_id for c in found}
    assert leads == {t[0] for t in pop.truth}  # the original ID is paid from month 1, the copy from 4


def test_a_common_name_does_not_explode_the_comparisons():
    # 2 000 people all named 张伟, born over 40 years: unblocked they would be 1 999 000 pairs;
    # blocked on name + birth year (and birthday + surname, ID digits 7–17) a small fraction.
    rows = [
        (
            id18("110101", f"{1940 + i % 40}{1 + i % 12:02d}{1 + i % 28:02d}", f"{i % 1000:03d}"),
            "张伟",
            "2024-01",
            str(i),
            "1",
        )
        for i in range(2000)
    ]
    con, pay, _ = tables(rows)
    persons = L.persons_table(pay, None)
    bound = L.blocked_pair_bound(persons, L.merged_params({}))
    assert 0 < bound < 2000 * 1999 / 2 / 20
    with pytest.raises(L.LinkageTooLarge, match="max_pairs"):
        L.find_clusters(con, pay, None, {"max_pairs": bound - 1})


def test_bad_parameters_name_the_key():
    with pytest.raises(L.LinkageParamsError, match=r"comparisons\.name\.exact\.m"):
        L.merged_params({"comparisons": {"name": {"exact": {"m": 2}}}})
    with pytest.raises(L.LinkageParamsError, match=r"blocking\[0\]"):
        L.merged_params({"blocking": [["nickname"]]})
    with pytest.raises(L.LinkageParamsError, match="match_probability"):
        L.merged_params({"match_probability": "high"})


def test_params_override_the_packaged_defaults_key_by_key():
    p = L.merged_params({"comparisons": {"name": {"exact": {"m": 0.8}}}})
    assert p["comparisons"]["name"]["exact"] == {
        "m": 0.8,
        "u": L.DEFAULTS["comparisons"]["name"]["exact"]["u"],
    }
    assert p["match_probability"] == L.DEFAULTS["match_probability"] == 0.95


def _both_scorers(con, pay, ppl, params):
    """The accepted pairs of the SQL scorer and of Splink on the same persons, each sorted."""
    p = L.merged_params(params)
    persons = L._Materialised(con, L.persons_table(pay, ppl), "duckdb")
    try:
        key = lambda r: (r["person_id_l"], r["person_id_r"])  # noqa: E731
        return sorted(L.fixed_model_pairs(persons, p), key=key), sorted(L.splink_pairs(persons, p), key=key)
    finally:
        persons.drop()


@pytest.mark.parametrize("threshold", [0.95, 1e-6])
def test_the_fixed_model_in_sql_gives_splinks_pairs_and_weights_exactly(threshold):
    # 20 000 people make blocks of strangers (same birthday and surname, similar names); at 1e-6
    # most of their pairs are kept, so every level's weight and the pruning are exercised.
    pop = population(20000, seed=5)
    con = ibis.duckdb.connect()
    pay, ppl = con.create_table("p", pop.payments), con.create_table("q", pop.people)
    for people in (None, ppl):
        sql, splink = _both_scorers(con, pay, people, {"match_probability": threshold})
        assert len(sql) >= len(pop.truth) and sql == splink


def test_the_sql_scorer_treats_missing_values_as_splink_does():
    # No name, no account, an ID that is neither 15 nor 18 digits: each a null level (weight 0);
    # the re-registered ID is also paid in its old region, its second one (a region in common).
    moved = id18("320102", "19500312", "123")
    rows = [
        (A18, "张建国", "2024-01", "6200001", "110101"),
        (moved, "张建国", "2024-04", "", "320102"),
        (moved, "张建国", "2024-05", "", "110101"),
        (A15, "", "2024-02", "6200001", "110101"),
        ("11010119500312123", "张建国", "2024-03", "6200009", ""),
    ]
    con, pay, _ = tables(rows)
    sql, splink = _both_scorers(con, pay, None, {"match_probability": 1e-9})
    assert len(sql) == 3 and sql == splink  # the 17-digit ID has no birth date: in no block


def test_a_trained_model_is_splinks_and_still_finds_the_planted_duplicates():
    # train: true estimates u by random sampling and m by EM (Splink); no SQL shortcut applies.
    pop = population(3000, seed=11)
    con = ibis.duckdb.connect()
    found = L.find_clusters(con, con.create_table("p", pop.payments), None, {"train": True})
    pairs = {frozenset((c.person_id, o)) for c in found for o in c.other_ids}
    assert pairs == {frozenset(t) for t in pop.truth}
