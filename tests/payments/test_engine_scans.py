"""The shortcuts that keep the catalogue to a few passes over payments (issue #13) change no hit:
each is a filter that may only let too much through, and the exact test after it decides.

- ``duplicate`` groups on one hash of its keys first, then on the keys of the rows whose hash
  occurs twice;
- ``outlier`` joins to its group only the payments above the lowest group's bar;
- ``shared_key`` and the contributions' employer test skip ``strip`` for a value that starts
  above the space;
- the summary counts people from the shared per-person pass.
"""

from __future__ import annotations

from pathlib import Path

from sifund.payments.catalogue import load_rules
from sifund.payments.engine import audit
from sifund.payments.model import AuditResult

from .builders import pid

PEOPLE = [pid("19500101", f"{i:02d}1") for i in range(12)]


def run(path: Path, code: str) -> AuditResult:
    return audit(path, rules=[r for r in load_rules(None) if r.code == code], progress=False)


def pay(person: str, period: str, amount: str = "1000.00", **kw: str) -> dict[str, str]:
    return {"person_id": person, "period": period, "amount": amount, **kw}


def test_an_outlier_is_judged_by_its_own_group_not_by_the_lowest_bar(folder) -> None:
    low = [pay(PEOPLE[i], "2024-01", "100.00") for i in range(10)]  # median 100: bar 500
    low += [pay(PEOPLE[10], "2024-01", "500.01")]  # above the lowest bar: a hit
    high = [pay(PEOPLE[i], "2024-02", "1000.00") for i in range(10)]  # median 1000: bar 5000
    high += [pay(PEOPLE[9], "2024-02", "4999.99"), pay(PEOPLE[11], "2024-02", "5000.01")]
    found = run(folder(payments=low + high), "amount_outlier").hits
    # 4999.99 is above the lowest bar (500), so it is read again, but it is not above its own
    # group's; 500.01 is a hit although the other group's bar is ten times higher
    assert [(h.person_id, h.periods, h.amount) for h in found] == [
        (PEOPLE[10], ["2024-01"], 400.01),
        (PEOPLE[11], ["2024-02"], 4000.01),
    ]


def test_no_group_large_enough_means_no_outlier_and_no_error(folder) -> None:
    small = [pay(PEOPLE[i], "2024-01", "100.00") for i in range(3)] + [pay(PEOPLE[3], "2024-01", "9000.00")]
    result = run(folder(payments=small), "amount_outlier")
    assert result.hits == [] and result.summary.by_rule["amount_outlier"].people == 0


def test_a_duplicate_needs_every_key_equal_and_none_empty(folder) -> None:
    rows = [
        pay(PEOPLE[0], "2024-01", fund="enterprise_pension"),
        pay(PEOPLE[0], "2024-01", fund="enterprise_pension"),  # row 2: the duplicate
        pay(PEOPLE[1], "2024-01", fund=""),  # an empty fund is no key: never a duplicate
        pay(PEOPLE[1], "2024-01", fund=""),
        pay(PEOPLE[2], "2024-01", fund="enterprise_pension"),
        pay(PEOPLE[2], "2024-02", fund="enterprise_pension"),  # another period
    ]
    found = run(folder(payments=rows), "duplicate_payment").hits
    assert [(h.person_id, [r.row for r in h.rows], h.amount) for h in found] == [(PEOPLE[0], [1, 2], 1000.0)]


def test_an_account_of_spaces_is_nobody_s_and_a_padded_one_is_still_shared(folder) -> None:
    rows = [pay(PEOPLE[i], "2024-01", account="   ") for i in range(3)]
    rows += [pay(PEOPLE[i], "2024-01", account=" 6222 ") for i in range(3, 6)]
    found = run(folder(payments=rows), "shared_account").hits
    assert sorted(h.person_id for h in found) == sorted(PEOPLE[3:6])


def test_the_summary_counts_each_person_once_from_the_shared_pass(folder) -> None:
    rows = [pay(PEOPLE[0], "2024-01"), pay(PEOPLE[0], "2024-02"), pay(PEOPLE[1], "2024-03")]
    s = audit(folder(payments=rows), progress=False).summary
    assert (s.payments, s.people, s.periods) == (3, 2, ["2024-01", "2024-03"])
