"""Each built-in rule on a tiny hand-built folder: what it finds, what it does not (the boundary),
the money it counts and the rows it rests on — exactly the definitions of docs/payments.md."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

from sifund.payments.catalogue import load_rules
from sifund.payments.engine import audit
from sifund.payments.model import AuditResult, Hit

from .builders import pid

ZHANG = pid("19500101", "011")
LI = pid("19520202", "021")
WANG = pid("19540303", "031")


def run(path: Path, code: str, override: Path | None = None) -> AuditResult:
    """The audit of ``path`` with only the rule ``code`` enabled."""
    rules = [r for r in load_rules(override) if r.code == code]
    return audit(path, rules=rules, progress=False)


def hits(path: Path, code: str) -> dict[str, Hit]:
    return {h.person_id: h for h in run(path, code).hits}


def rows(h: Hit) -> list[tuple[str, int]]:
    return [(r.table, r.row) for r in h.rows]


def pay(person: str, period: str, amount: str = "1000.00", **kw: str) -> dict[str, str]:
    return {"person_id": person, "period": period, "amount": amount, **kw}


# ---- paid_after_death ------------------------------------------------------------------------------


def test_paid_after_death_counts_the_months_after_the_death_month_not_the_month_itself(folder) -> None:
    path = folder(
        payments=[
            pay(ZHANG, "2024-03"),  # row 1: the death month itself is not after death
            pay(ZHANG, "2024-04", "1000.50"),  # row 2
            pay(ZHANG, "2024-05", "999.50"),  # row 3
            pay(LI, "2024-05"),  # row 4: died on the last day of 2024-05, paid for 2024-05 only
            pay(WANG, "2024-06"),  # row 5: no death record
        ],
        deaths=[
            {"person_id": ZHANG, "name": "张三", "death_date": "2024-04-02"},  # row 1: a later record
            {"person_id": ZHANG, "name": "张三", "death_date": "2024-03-17"},  # row 2: the earliest counts
            {"person_id": LI, "name": "李四", "death_date": "2024-05-31"},
        ],
    )
    found = hits(path, "paid_after_death")
    assert list(found) == [ZHANG]
    h = found[ZHANG]
    assert h.periods == ["2024-04", "2024-05"]
    assert h.amount == 2000.00
    assert rows(h) == [("payments", 2), ("payments", 3), ("deaths", 2)]
    assert "2024-03-17" in h.reason and "2,000.00元" in h.reason and h.risk == "high"


# ---- duplicate_payment ----------------------------------------------------------------------------


def test_duplicate_payment_counts_every_payment_of_a_group_but_its_first_row(folder) -> None:
    path = folder(
        payments=[
            pay(ZHANG, "2024-01", "1000.00"),  # row 1: first of the group, not at risk
            pay(ZHANG, "2024-01", "900.00"),  # row 2
            pay(ZHANG, "2024-02", "1000.00"),  # row 3: another period, alone
            pay(ZHANG, "2024-01", "800.00"),  # row 4: the group's third payment
            pay(LI, "2024-01", benefit="basic_pension_base"),  # row 5: base + account of one fund
            pay(LI, "2024-01", benefit="individual_account_pension"),  # row 6: are not a duplicate
            pay(WANG, "2024-01", fund="resident_pension"),  # rows 7–8: same period, two funds:
            pay(WANG, "2024-01"),  # multiple_pensions, not a duplicate
        ]
    )
    found = hits(path, "duplicate_payment")
    assert list(found) == [ZHANG]
    assert found[ZHANG].amount == 1700.00
    assert found[ZHANG].periods == ["2024-01"]
    assert rows(found[ZHANG]) == [("payments", 1), ("payments", 2), ("payments", 4)]


# ---- multiple_pensions -----------------------------------------------------------------------------


def test_multiple_pensions_keeps_the_earliest_starting_fund_and_counts_the_others_in_the_overlap(
    folder,
) -> None:
    path = folder(
        payments=[
            pay(ZHANG, "2024-01"),  # row 1: enterprise starts first, before the overlap
            pay(ZHANG, "2024-02"),  # row 2
            pay(ZHANG, "2024-03"),  # row 3
            pay(ZHANG, "2024-02", "200.00", fund="resident_pension", benefit="basic_pension_base"),  # 4
            pay(ZHANG, "2024-03", "150.00", fund="resident_pension", benefit="individual_account_pension"),
            pay(LI, "2024-01", fund="enterprise_pension", benefit="basic_pension_base"),  # row 6: one
            pay(LI, "2024-01", fund="enterprise_pension", benefit="individual_account_pension"),  # pension
            pay(WANG, "2024-01", "300.00", fund="institution_pension"),  # row 8: same start as
            pay(WANG, "2024-01", "400.00"),  # row 9: enterprise, which comes first in the tie order
            pay(
                WANG, "2024-02", "300.00", fund="unemployment", benefit="basic_pension"
            ),  # not a pension fund
        ]
    )
    found = hits(path, "multiple_pensions")
    assert sorted(found) == sorted([ZHANG, WANG])
    assert found[ZHANG].periods == ["2024-02", "2024-03"]
    assert found[ZHANG].amount == 350.00
    assert rows(found[ZHANG]) == [("payments", 2), ("payments", 3), ("payments", 4), ("payments", 5)]
    assert found[WANG].amount == 300.00  # the institution pension; enterprise is kept on the tie
    assert rows(found[WANG]) == [("payments", 8), ("payments", 9)]
    assert "城乡居民基本养老保险" in found[ZHANG].reason


# ---- unemployment_with_pension ---------------------------------------------------------------------


def test_unemployment_with_pension_counts_the_later_starting_benefit_in_the_overlap(folder) -> None:
    u = {"fund": "unemployment", "benefit": "unemployment_benefit"}
    path = folder(
        payments=[
            pay(ZHANG, "2024-01", "500.00", **u),  # row 1: unemployment starts first
            pay(ZHANG, "2024-02", "500.00", **u),  # row 2
            pay(ZHANG, "2024-02", "1200.00"),  # row 3: the pension starts later: counted
            pay(ZHANG, "2024-03", "1200.00"),  # row 4: no unemployment then
            pay(LI, "2024-01", "500.00", **u),  # row 5: same start: the unemployment benefit counts
            pay(LI, "2024-01", "1300.00", fund="resident_pension", benefit="basic_pension_base"),  # row 6
            pay(WANG, "2024-01", "500.00", **u),  # row 7: one after the other, never together
            pay(WANG, "2024-02", "1000.00"),  # row 8
        ]
    )
    found = hits(path, "unemployment_with_pension")
    assert sorted(found) == sorted([ZHANG, LI])
    assert found[ZHANG].periods == ["2024-02"] and found[ZHANG].amount == 1200.00
    assert rows(found[ZHANG]) == [("payments", 2), ("payments", 3)]
    assert found[LI].amount == 500.00 and rows(found[LI]) == [("payments", 5), ("payments", 6)]
    assert "失业保险金" in found[ZHANG].reason


# ---- unemployment_while_contributing -------------------------------------------------------------


def test_unemployment_while_contributing_needs_an_employer_in_the_same_period(folder) -> None:
    u = {"fund": "unemployment", "benefit": "unemployment_benefit", "amount": "600.00"}
    path = folder(
        payments=[pay(ZHANG, "2024-01", **u), pay(ZHANG, "2024-02", **u), pay(LI, "2024-02", **u)],
        contributions=[
            {"person_id": ZHANG, "fund": "enterprise_pension", "period": "2024-01", "employer": " "},  # empty
            {"person_id": ZHANG, "fund": "enterprise_pension", "period": "2024-02", "employer": "某某公司"},
            {"person_id": LI, "fund": "enterprise_pension", "period": "2024-03", "employer": "某某公司"},
        ],
    )
    found = hits(path, "unemployment_while_contributing")
    assert list(found) == [ZHANG]
    assert found[ZHANG].periods == ["2024-02"] and found[ZHANG].amount == 600.00
    assert rows(found[ZHANG]) == [("payments", 2), ("contributions", 2)]
    assert "某某公司" in found[ZHANG].reason


def test_unemployment_while_contributing_is_skipped_without_contributions(folder) -> None:
    path = folder(payments=[pay(ZHANG, "2024-01", benefit="unemployment_benefit")])
    result = run(path, "unemployment_while_contributing")
    s = result.summary.by_rule["unemployment_while_contributing"]
    assert result.hits == [] and s.skipped and "contributions" in s.skipped


# ---- underage_pension ---------------------------------------------------------------------------


def test_underage_pension_is_before_the_month_of_the_statutory_age(folder) -> None:
    man = pid("19640315", "011", male=True)  # enterprise 60: reaches it in 2024-03
    woman = pid("19800615", "022", male=False)  # enterprise 50: 2030-06
    resident = pid("19640315", "032", male=False)  # resident women 60: 2024-03
    by_people = pid("19900101", "041")  # the ID says 1990; people says 1950: people wins
    path = folder(
        payments=[
            pay(man, "2024-02"),  # row 1: before 2024-03
            pay(man, "2024-03"),  # row 2: the month itself is of age
            pay(woman, "2024-01", "800.00"),  # row 3
            pay(resident, "2024-03", fund="resident_pension", benefit="basic_pension_base"),  # row 4
            pay(by_people, "2024-01"),  # row 5
            pay(WANG, "2024-01", benefit="unemployment_benefit", fund="unemployment"),  # not a pension
        ],
        people=[{"person_id": by_people, "name": "赵六", "birth_date": "1950-01-01", "gender": "男"}],
    )
    found = hits(path, "underage_pension")
    assert sorted(found) == sorted([man, woman])
    assert found[man].periods == ["2024-02"] and found[man].amount == 1000.00
    assert rows(found[man]) == [("payments", 1)]
    assert found[woman].amount == 800.00 and "2030-06" in found[woman].reason


# ---- invalid_person_id ------------------------------------------------------------------------------


def test_invalid_person_id_checks_form_province_date_and_check_digit(folder) -> None:
    good = pid("19500101", "011")
    lower_x = "11010519491231002x"  # the GB 11643 example, lowercase x accepted
    good15 = "110105500101001"  # 15 digits, 1950-01-01
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    short = good[:17]
    bad_province = "99" + good[2:]
    feb30 = pid("19500101", "011")[:6] + "19500230" + "011" + "0"
    bad15 = "110105501301001"  # month 13
    future = pid("20250101", "011")  # born after the last period (2024-12)
    path = folder(
        payments=[
            pay(good, "2024-12"),  # row 1
            pay(lower_x, "2024-12"),  # row 2
            pay(good15, "2024-12"),  # row 3
            pay(bad_check, "2024-11", "100.00"),  # row 4
            pay(bad_check, "2024-12", "100.00"),  # row 5
            pay(short, "2024-12"),  # row 6
            pay(bad_province, "2024-12"),  # row 7
            pay(feb30, "2024-12"),  # row 8
            pay(bad15, "2024-12"),  # row 9
            pay(future, "2024-12"),  # row 10
        ]
    )
    found = hits(path, "invalid_person_id")
    assert sorted(found) == sorted([bad_check, short, bad_province, feb30, bad15, future])
    assert found[bad_check].amount == 200.00 and rows(found[bad_check]) == [("payments", 4), ("payments", 5)]
    assert "校验码错误" in found[bad_check].reason
    assert "地区码无效" in found[bad_province].reason
    assert "出生日期无效" in found[feb30].reason and "出生日期无效" in found[future].reason
    assert "位数或字符不正确" in found[short].reason


def test_a_residence_permit_or_a_foreigners_id_is_not_invalid_but_9_without_a_province_is(folder) -> None:
    def with_check(first17: str) -> str:
        from sifund.core.idcard import check_digit

        return first17 + check_digit(first17)

    taiwan = with_check("83000019850601021")  # 台湾居民居住证
    foreigner = with_check("94484019850601011")  # 外国人永久居留身份证 (2023): 9, 受理地 44, 国籍 840
    nowhere = with_check("97484019850601011")  # 9 and 74: no 受理地
    path = folder(payments=[pay(taiwan, "2024-12"), pay(foreigner, "2024-12"), pay(nowhere, "2024-12")])
    found = hits(path, "invalid_person_id")
    assert sorted(found) == [nowhere] and "地区码无效" in found[nowhere].reason


# ---- shared_account ----------------------------------------------------------------------------------


def test_shared_account_is_three_people_in_one_period_and_two_is_not(folder) -> None:
    path = folder(
        payments=[
            pay(ZHANG, "2024-01", account="6222001"),  # row 1
            pay(ZHANG, "2024-01", "50.00", account="6222001", benefit="funeral_survivor"),  # row 2
            pay(LI, "2024-01", account="6222001"),  # row 3
            pay(WANG, "2024-01", account="6222001"),  # row 4
            pay(ZHANG, "2024-02", account="6222001"),  # row 5: two people only in 2024-02
            pay(LI, "2024-02", account="6222001"),  # row 6
            pay(ZHANG, "2024-03", account=""),  # rows 7–9: an empty account is no account
            pay(LI, "2024-03", account=""),
            pay(WANG, "2024-03", account=""),
        ]
    )
    found = hits(path, "shared_account")
    assert sorted(found) == sorted([ZHANG, LI, WANG])
    assert found[ZHANG].periods == ["2024-01"] and found[ZHANG].amount == 1050.00
    assert rows(found[ZHANG]) == [("payments", 1), ("payments", 2)]
    assert rows(found[WANG]) == [("payments", 4)]
    assert "6222001" in found[LI].reason and "3人" in found[LI].reason


# ---- amount_outlier --------------------------------------------------------------------------------


def test_amount_outlier_is_above_factor_times_the_exact_median_in_large_enough_groups(folder) -> None:
    people = [pid("19500101", f"{i:02d}1") for i in range(12)]
    group = [pay(people[i], "2024-01", "100.00") for i in range(5)]  # rows 1–5
    group += [pay(people[i], "2024-01", "100.01") for i in range(5, 9)]  # rows 6–9
    group += [pay(people[9], "2024-01", "600.03")]  # row 10: median 100.005, above 5 × = 500.025
    small = [pay(people[i], "2024-02", "100.00") for i in range(8)] + [pay(people[8], "2024-02", "9000.00")]
    exact = [pay(people[i], "2024-03", "100.00") for i in range(9)] + [pay(people[9], "2024-03", "500.00")]
    path = folder(payments=group + small + exact)
    found = hits(path, "amount_outlier")
    assert list(found) == [people[9]]  # not the 9-payment group, not exactly 5 × the median
    h = found[people[9]]
    assert h.periods == ["2024-01"] and rows(h) == [("payments", 10)]
    assert h.amount == 500.03  # 600.03 − 100.005 = 500.025, half up
    assert "100.005" in h.reason


# ---- same_person_two_ids (the linkage kind; clusters come from sifund.payments.linkage) ------------


@dataclass
class FakeCluster:
    person_id: str
    other_ids: list[str]
    reason_facts: dict[str, str] = field(default_factory=dict)


def test_linkage_counts_payments_under_other_ids_that_duplicate_the_cluster(folder, monkeypatch) -> None:
    id15 = "110105500101011"
    id18 = pid("19500101", "011")
    module = types.ModuleType("sifund.payments.linkage")
    module.find_clusters = lambda con, payments, people, params: [  # type: ignore[attr-defined]
        FakeCluster(id18, [id15], {"key": "15位与18位号码一致"})
    ]
    monkeypatch.setitem(sys.modules, "sifund.payments.linkage", module)
    path = folder(
        payments=[
            pay(id18, "2024-01", name="张三"),  # row 1: paid first: the hit's person_id
            pay(id15, "2024-01", "990.00", name="张叁"),  # row 2: same fund, benefit, period: at risk
            pay(id15, "2024-02", "980.00", name="张叁"),  # row 3: evidence only
        ]
    )
    result = run(path, "same_person_two_ids")
    assert len(result.hits) == 1
    h = result.hits[0]
    assert (h.person_id, h.name, h.other_ids) == (id18, "张三", [id15])
    assert h.amount == 990.00 and rows(h) == [("payments", 2), ("payments", 3)]
    assert "15位与18位号码一致" in h.reason
    assert result.as_json()["hits"][0]["other_ids"] == [id15]


def test_linkage_is_skipped_cleanly_when_the_module_is_absent(folder, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sifund.payments.linkage", None)  # import raises ImportError
    result = run(folder(payments=[pay(ZHANG, "2024-01")]), "same_person_two_ids")
    assert result.hits == [] and result.summary.by_rule["same_person_two_ids"].skipped


# ---- the whole catalogue: summary and order ----------------------------------------------------------


def test_summary_has_every_enabled_rule_and_hits_are_ordered_by_risk_rule_person(folder) -> None:
    path = folder(
        payments=[
            pay(LI, "2024-01"),
            pay(LI, "2024-01"),  # duplicate (high)
            pay("110105195001010000", "2024-02"),  # invalid ID (medium)
            pay(ZHANG, "2024-03"),
        ],
        deaths=[{"person_id": ZHANG, "name": "张三", "death_date": "2024-01-05"}],  # after death (high)
    )
    result = audit(path, progress=False)
    s = result.summary
    assert (s.payments, s.people, s.periods) == (4, 3, ["2024-01", "2024-03"])
    enabled = [r.code for r in load_rules() if r.enabled]
    assert list(s.by_rule) == enabled
    assert [h.rule for h in result.hits] == ["paid_after_death", "duplicate_payment", "invalid_person_id"]
    assert s.by_rule["duplicate_payment"].rows == 2 and s.by_rule["duplicate_payment"].amount == 1000.0
    assert (
        s.by_rule["paid_after_death"].name == "死亡冒领"
        and s.by_rule["paid_after_death"].category == "支付类"
    )


def test_a_row_filter_rule_from_an_override_file(folder, tmp_path: Path) -> None:
    override = tmp_path / "省规则.yaml"
    override.write_text(
        """rules:
  - code: large_funeral
    名称: 丧葬抚恤金超标准
    类别: 支付类
    风险等级: low
    kind: row_filter
    params:
      where: "benefit = 'funeral_survivor' AND amount > 20000"
      amount: "amount - 20000"
      facts: [region]
    reason: "{name}的丧葬抚恤金超过标准{amount}元（{region}）"
""",
        encoding="utf-8",
    )
    path = folder(
        payments=[
            pay(ZHANG, "2024-01", "25000.00", benefit="funeral_survivor"),
            pay(LI, "2024-01", "20000.00", benefit="funeral_survivor"),
            pay(WANG, "2024-01", "30000.00"),
        ]
    )
    result = run(path, "large_funeral", override)
    assert [(h.person_id, h.amount, rows(h)) for h in result.hits] == [(ZHANG, 5000.0, [("payments", 1)])]
    assert result.hits[0].reason == "张三的丧葬抚恤金超过标准5,000.00元（110105）"
