"""Which measure a table's header cell names (review/tables.py ``column_measure``).

The phrase cases of phrases/tables.yaml show whole tables; these pin the vocabulary itself: the
column words of budget-execution tables, and that every measure word of the lexicon
(data/review/lexicon.yaml) heads a column of its own measure, so a word added to a class reaches the
tables too.
"""

from __future__ import annotations

import pytest

from sifund.core.lexicon import lexicon
from sifund.review.tables import column_measure

# header cell → measure, as the reports print them (spaces, brackets and units included)
HEADERS = {
    "预算数": "budget",
    "年初预算数（万元）": "budget",
    "本年预算数": "budget",
    "调整后预算数": "budget_adjusted",
    "调整预算数": "budget_adjusted",
    "累计执行数": "actual",
    "执行数": "actual",
    "本年执行数": "actual",
    "决算数（万元）": "actual",
    "上年同期": "prior",
    "上年数": "prior",
    "上年决算数": "prior",
    "上年实际数": "prior",
    "预算执行进度": "completion_rate",
    "执行率": "completion_rate",
    "完成率": "completion_rate",
    "完成预算%": "completion_rate",
    "完成预算（%）": "completion_rate",
    # 增长 names a rate: 上年 in 比上年同期增长 is the comparison, not a prior column
    "比上年同期增长": "yoy_rate",
    "比上年同期增长(%)": "yoy_rate",
    "比上年同期增长（%）": "yoy_rate",
    "比上年增长": "yoy_rate",
    "同比增长": "yoy_rate",
    "同比增长%": "yoy_rate",
    "同比增减%": "yoy_rate",
    "增长率": "yoy_rate",
    "增减幅度": "yoy_rate",
    "增幅": "yoy_rate",
    # a change without 率/% holds amounts; its unit bracket says which
    "比上年增减": "yoy_change",
    "较上年同期增减": "yoy_change",
    "比上年增减（万元）": "yoy_change",
    "比上年增减(%)": "yoy_rate",
    "增减额": "yoy_change",
    "同比增减额": "yoy_change",
    "增长额": "yoy_change",
    # label columns name no measure
    "项目": None,
    "项目（单位：元）": None,
    "险种": None,
    "基金名称": None,
}


@pytest.mark.parametrize(("cell", "measure"), HEADERS.items(), ids=list(HEADERS))
def test_header_cell_names_its_measure(cell: str, measure: str | None) -> None:
    """Each printed header heads a column of its measure, whatever its spaces and unit bracket."""
    assert column_measure(cell) == measure
    assert column_measure(" ".join(cell)) == measure  # a header wrapped in a narrow cell


# the lexicon's measure classes and the column each of their words heads
CLASSES = {
    "measure.actual": "actual",
    "measure.budget": "budget",
    "measure.budget_adjusted": "budget_adjusted",
    "measure.prior": "prior",
    "rate_noun": "completion_rate",
}


@pytest.mark.parametrize(("name", "measure"), CLASSES.items(), ids=list(CLASSES))
def test_every_measure_word_of_the_lexicon_heads_its_column(name: str, measure: str) -> None:
    """A word of a measure class (its own or from codes.yaml's aliases) is a header of that measure."""
    words = lexicon().words(name)
    assert words
    wrong = {w: column_measure(w) for w in words if column_measure(w) != measure}
    assert not wrong, f"{name} words heading another column: {wrong}"
