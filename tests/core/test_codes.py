"""The code list (data/codes.yaml): complete per interchange.md, a sound hierarchy, aliases that match."""

from __future__ import annotations

from collections import defaultdict

import pytest

from sifund.core.codes import FUND_ORDER, codebook

# The stable codes of interchange.md; the code list may add more, never lose one.
FUNDS = set(
    [
        "all",
        "enterprise_pension",
        "institution_pension",
        "resident_pension",
        "employee_medical",
        "resident_medical",
        "maternity",
        "work_injury",
        "unemployment",
        "occupational_annuity",
    ]
)
ITEMS = set(
    [
        "income_total",
        "contribution",
        "fiscal_subsidy",
        "interest",
        "investment_income",
        "transfer_in",
        "higher_subsidy",
        "lower_remit_in",
        "other_income",
        "expenditure_total",
        "benefits",
        "basic_pension",
        "basic_pension_base",
        "individual_account_pension",
        "funeral_survivor",
        "medical_benefits",
        "unemployment_benefit",
        "unemployment_medical",
        "job_stabilization",
        "skill_subsidy",
        "training_placement",
        "maternity_medical",
        "maternity_allowance",
        "work_injury_benefits",
        "disability_assessment",
        "transfer_out",
        "remit_up",
        "subsidy_down",
        "other_expenditure",
        "balance_current",
        "balance_rolling",
        "insured",
        "contributors",
        "retirees",
        "beneficiaries",
        "deaths",
        "new_beneficiaries",
    ]
)
MEASURES = {
    "actual",
    "budget",
    "budget_adjusted",
    "prior",
    "yoy_change",
    "yoy_rate",
    "completion_rate",
    "target",
}


def test_every_interchange_code_is_in_the_code_list() -> None:
    cb = codebook()
    assert set(cb.funds) >= FUNDS
    assert set(cb.items) >= ITEMS
    assert set(cb.measures) >= MEASURES
    assert set(FUND_ORDER) == set(cb.funds)


def test_hierarchy_is_sound() -> None:
    cb = codebook()
    for code, item in cb.items.items():
        assert item.parent is None or item.parent in cb.items, code
        assert item.group in ("income", "expenditure", "balance", "people", "other"), code
        assert code not in cb.ancestors(code), f"{code} is its own ancestor"
        if item.parent:  # a component sits in its total's group
            assert cb.items[item.parent].group == item.group, code


def test_children_and_ancestors() -> None:
    cb = codebook()
    assert {"contribution", "fiscal_subsidy", "interest", "transfer_in", "other_income"} <= set(
        cb.children("income_total")
    )
    assert {"basic_pension", "funeral_survivor", "medical_benefits"} <= set(cb.children("benefits"))
    assert "basic_pension" not in cb.children("expenditure_total")  # a grandchild, not a child
    assert cb.ancestors("basic_pension") == ["benefits", "expenditure_total"]
    assert cb.ancestors("income_total") == []
    assert cb.children("insured") == []


def test_kinds() -> None:
    cb = codebook()
    assert cb.is_money("contribution") and cb.is_money("balance_rolling")
    assert not cb.is_money("insured") and not cb.is_money("retirees")
    assert cb.items["insured"].kind == "people"


def test_no_alias_is_ambiguous() -> None:
    cb = codebook()
    for pairs in (cb.fund_aliases(), cb.item_aliases()):
        codes = defaultdict(set)
        for alias, code in pairs:
            codes[alias].add(code)
        assert {a: c for a, c in codes.items() if len(c) > 1} == {}
        lengths = [len(a) for a, _ in pairs]
        assert lengths == sorted(lengths, reverse=True), "longest alias first"


@pytest.mark.parametrize(
    ("label", "item"),
    [
        ("保费收入", "contribution"),
        ("养老保险费收入", "contribution"),
        ("城乡居民基本养老保险基金保险费收入", "contribution"),
        ("财政补助", "fiscal_subsidy"),
        ("财政补助收入", "fiscal_subsidy"),
        ("财政补贴收入", "fiscal_subsidy"),
        ("累计结余", "balance_rolling"),
        ("年末滚存结余", "balance_rolling"),
        ("当期结余", "balance_current"),
        ("社会保险\n待遇支出", "benefits"),
        ("丧葬抚恤金支出", "funeral_survivor"),
        ("基础养老金支出", "basic_pension_base"),
        ("上解上级支出", "remit_up"),
        ("基金总支出", "expenditure_total"),
        ("参保人数", "insured"),
        ("奇台县", None),
    ],
)
def test_match_item_suffix(label: str, item: str | None) -> None:
    assert codebook().match_item_suffix(label) == item


@pytest.mark.parametrize(
    ("text", "fund"),
    [
        ("机关事业养老保险(改革)基金", "institution_pension"),
        ("机关事业养老保险（改革）基金", "institution_pension"),
        ("机关事业单位养老保险基金", "institution_pension"),
        ("城乡居民社会养老保险基金", "resident_pension"),
        ("企业职工基本养老保险基金", "enterprise_pension"),
        ("城乡居民基本医疗保险基金", "resident_medical"),  # not employee_medical via 基本医疗保险
        ("基本医疗保险基金", "employee_medical"),
        ("工伤保险基金", "work_injury"),
        ("失业 保险", "unemployment"),
        ("生育保险基金", "maternity"),
        ("各项基金", "all"),
        ("奇台县", None),
    ],
)
def test_match_fund(text: str, fund: str | None) -> None:
    assert codebook().match_fund(text) == fund


def test_codebook_is_loaded_once() -> None:
    assert codebook() is codebook()
