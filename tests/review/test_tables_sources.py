"""Rows of one item by who pays it, and the short people labels of a breakdown.

A subsidy report's table splits one item by funding source ("中央/省级/市级/县级财政补助资金") and
closes with 合计: the 合计 row is the item of the report's fund (phrases/tables.yaml shows that); the
source rows are its parts. They are figures of the same key as the total, told apart by ``qualifier``
(the source) and, on actuals, ``of_which`` (the 合计 row's group): a rate is checked against its own
row, and the audit keeps qualified figures out of its restatement comparison (four values of one key
would otherwise read as one figure written four ways, as in blind6 huining before the audit did so).
The switch ``tables.qualified_parts`` (on) can still turn the part rows off: then they are read as
nothing and only the 合计 row is a figure.

The breakdown labels (在职/在职缴费/在职职工 under a 参保 total, 享受<benefit>待遇 for beneficiaries) are
aliases of data/codes.yaml: they serve table rows and prose alike.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sifund.core.model import Figure
from sifund.review.audit import audit_report
from sifund.review.extract import ExtractResult, extract_text
from sifund.review.rules import extract_rules

HEAD = "示例县2023年度城乡居民基本养老保险补助资金绩效自评报告\n\n（一）城乡居民基本养老保险基金\n"
# 县级: 1,901.75 / 1,982.00 = 95.95%, printed 95.59% (digits swapped)
SOURCES = (
    "资金来源\t年初预算数\t全年预算数\t全年执行数\t执行率（%）\n"
    "中央财政补助资金\t14,862.00\t15,106.00\t15,106.00\t100.00\n"
    "省级财政补助资金\t2,618.00\t2,618.00\t2,573.40\t98.30\n"
    "县级财政补助资金\t1,982.00\t1,982.00\t1,901.75\t95.59\n"
    "合计\t19,462.00\t19,706.00\t19,581.15\t99.37\n"
)
PROSE = "补助资金全部计入基金政府补贴收入，全年政府补贴收入19,581.15万元。\n"


def _extract(text: str) -> ExtractResult:
    return extract_text(HEAD + text)


def _extra(f: Figure, key: str) -> object:
    return (f.__pydantic_extra__ or {}).get(key)


@pytest.fixture
def parts_off() -> Iterator[None]:
    """``tables.qualified_parts`` off for one test (the rules are frozen: set and restored by hand)."""
    tables = extract_rules().spec.tables
    was = tables.qualified_parts
    object.__setattr__(tables, "qualified_parts", False)
    try:
        yield
    finally:
        object.__setattr__(tables, "qualified_parts", was)


def test_the_switch_is_on_by_default() -> None:
    assert extract_rules().spec.tables.qualified_parts is True


@pytest.mark.usefixtures("parts_off")
def test_source_rows_are_no_figures_of_the_item_while_the_switch_is_off() -> None:
    figs = _extract(SOURCES).dataset.figures
    assert {f.value for f in figs if f.measure == "actual"} == {19581.15}
    assert all(_extra(f, "qualifier") is None for f in figs)


def test_source_rows_are_parts_of_their_total_row() -> None:
    figs = _extract(SOURCES).dataset.figures
    total = next(f for f in figs if f.measure == "actual" and _extra(f, "qualifier") is None)
    parts = [f for f in figs if f.measure == "actual" and _extra(f, "qualifier") is not None]
    assert total.value == 19581.15
    assert [(_extra(f, "qualifier"), f.value) for f in parts] == [
        ("中央", 15106.0),
        ("省级", 2573.4),
        ("县级", 1901.75),
    ]
    assert {_extra(f, "of_which") for f in parts} == {_extra(total, "group")}
    assert {f.key for f in figs} == {("resident_pension", "fiscal_subsidy", m) for m in
                                      ("budget", "budget_adjusted", "actual", "completion_rate")}


def test_a_source_rows_rate_is_checked_against_its_own_row() -> None:
    findings = audit_report(_extract(SOURCES + PROSE))
    assert [(f.code, f.stated) for f in findings] == [("rate_mismatch", 95.59)]


@pytest.mark.parametrize(
    ("sentence", "item", "value"),
    [
        ("年末参保职工31,642人，其中在职缴费19,557人。", "contributors", 19557),
        ("年末参保4,318人，其中在职2,946人，退休1,372人。", "contributors", 2946),
        ("年末参保4,318人，其中在职2,946人，退休1,372人。", "retirees", 1372),
        ("参保职工98.64万人，其中在职职工71.25万人、退休人员27.39万人。", "contributors", 712500),
        ("享受基础养老金待遇10.12万人。", "beneficiaries", 101200),
        ("享受待遇人数10.12万人。", "beneficiaries", 101200),
        ("全年领取失业保险金待遇人数1,046人。", "beneficiaries", 1046),
    ],
)
def test_breakdown_people_labels(sentence: str, item: str, value: float) -> None:
    figs = _extract(sentence).dataset.figures
    assert value in [f.value for f in figs if f.item == item and f.measure == "actual"], [
        (f.key, f.value) for f in figs
    ]
