"""Clause parsing on synthetic sentences of the genre (other funds, units, phrasings)."""

from __future__ import annotations

import pytest

from sifund.core.errors import SifundError
from sifund.review.extract import extract_text

from .textcheck import figs


def test_subject_change_rate_and_completion_with_budget() -> None:
    got = figs("2022年失业保险基金总支出1590万元，较上年减少75万元，下降4.5%，完成全年预算1308万元的121.4%。")
    assert got[("unemployment", "expenditure_total", "actual")] == [1590]
    assert got[("unemployment", "expenditure_total", "yoy_change")] == [-75]
    assert got[("unemployment", "expenditure_total", "yoy_rate")] == [-4.5]
    assert got[("unemployment", "expenditure_total", "completion_rate")] == [121.4]
    assert got[("unemployment", "expenditure_total", "budget")] == [1308]


def test_units_are_converted_to_wan_with_precision() -> None:
    res = extract_text("2021年城乡居民基本医疗保险基金总收入5.27亿元，其中：财政补贴收入31,250,000元。")
    f = {x.item: x for x in res.dataset.figures}
    assert f["income_total"].value == pytest.approx(52700)
    assert f["income_total"].precision == pytest.approx(100)
    assert f["income_total"].fund == "resident_medical"
    assert f["fiscal_subsidy"].value == pytest.approx(3125)
    assert f["fiscal_subsidy"].precision == pytest.approx(0.0001)


def test_adjusted_budget_and_from_to() -> None:
    got = figs("2023年工伤保险基金全年预算支出调整后为19,699万元。工伤保险参保人数由13554人增加至14130人。")
    assert got[("work_injury", "expenditure_total", "budget_adjusted")] == [19699]
    assert got[("work_injury", "insured", "prior")] == [13554]
    assert got[("work_injury", "insured", "actual")] == [14130]


def test_of_which_parts_inherit_fund_and_budget_measure() -> None:
    got = figs("2020年预算城乡居民基本医疗保险基金总支出24803万元，其中：基本医疗保险待遇支出10859万元，"
               "转移支出20万元。")
    assert got[("resident_medical", "expenditure_total", "budget")] == [24803]
    assert got[("resident_medical", "medical_benefits", "budget")] == [10859]  # not employee_medical
    assert got[("resident_medical", "transfer_out", "budget")] == [20]


def test_headings_switch_funds_and_bare_labels_inherit() -> None:
    text = ("一、各项基金运行情况\n（一）工伤保险基金\n基金总支出1049万元，当期结余137万元。\n"
            "（二）生育保险基金\n基金总支出1983万元，较上年增加477万元，增长31.7%。\n")
    got = figs("2019年度报告\n" + text)
    assert got[("work_injury", "expenditure_total", "actual")] == [1049]
    assert got[("work_injury", "balance_current", "actual")] == [137]
    assert got[("maternity", "expenditure_total", "actual")] == [1983]
    assert got[("maternity", "expenditure_total", "yoy_rate")] == [31.7]


def test_next_sentence_without_subject_continues_previous_subject() -> None:
    got = figs("2020年机关事业养老保险待遇支出38273万元，完成预算的97%。\n较上年增加2410万元，增长6.69%。")
    assert got[("institution_pension", "benefits", "yoy_change")] == [2410]
    assert got[("institution_pension", "benefits", "yoy_rate")] == [6.69]


def test_people_counts_and_targets() -> None:
    text = ("（二）社会保险基金支出预算绩效目标设定情况\n2021年保障城乡居民养老保险待遇享受人数9175人以上，"
            "全年保障8420名离退休人员的基本养老金待遇发放。\n")
    res = extract_text(text)
    got = {f.key: f.value for f in res.dataset.figures}
    assert got[("resident_pension", "beneficiaries", "target")] == 9175
    assert got[("resident_pension", "retirees", "target")] == 8420
    assert res.parsed.targets and res.parsed.targets[0].value == 9175


def test_unknown_fund_and_attribution_stay_unresolved() -> None:
    res = extract_text("2021年度。基金总支出500万元。使养老金支出增加300万元。人均养老金5073.17元/月。")
    assert res.dataset.figures == []
    reasons = {u["reason"] for u in res.unresolved}
    assert {"unknown fund", "change without comparison", "per_capita"} <= reasons


def test_budget_naming_another_item_moves_the_rate() -> None:
    text = ("2019年预算企业养老保险基金总支出43257万元。\n"
            "企业养老保险基金总支出47318万元，其中：基本养老金待遇支出26424万元，较上年增加5521万元，"
            "完成全年预算43257万元的109%。")
    res = extract_text(text)
    rate = next(f for f in res.dataset.figures if f.measure == "completion_rate")
    assert (rate.fund, rate.item) == ("enterprise_pension", "expenditure_total")
    change = next(f for f in res.dataset.figures if f.measure == "yoy_change")
    assert change.item == "basic_pension"
    assert res.parsed.notes and res.parsed.notes[0]["kind"] == "budget_matches_other_item"


def test_sources_point_into_the_text() -> None:
    text = ("2019年度，本县社会保险工作取得了显著成绩，各项基金运行平\n\n"
            "稳，总体运行情况良好。2019年企业养老保险基金总收入为\n\n"
            "57271万元，较上年增加16663万元，增长41.1%，完成全年预\n\n"
            "算的104%，基金运行总体平稳，参保人员的获得感不断增强。\n")
    res = extract_text(text)
    for f in res.dataset.figures:
        assert f.source is not None
        assert res.text[f.source.start : f.source.end] == f.source.text
    first = res.dataset.figures[0]
    assert (first.fund, first.item, first.value) == ("enterprise_pension", "income_total", 57271)
    assert "57271万" in first.source.text and "\n" in first.source.text  # quoted across the hard wrap


def test_header_region_and_year() -> None:
    res = extract_text("示例县社会保险基金支出预算绩效自评报告\n（2023年度）\n"
                       "2023年示例县城乡居民养老保险基金收入1万元。")
    assert res.dataset.region == "示例县"
    assert res.dataset.year == 2023


def test_text_without_year_is_a_clear_error() -> None:
    with pytest.raises(SifundError, match="年度"):
        extract_text("没有年份的文字，基金总支出1万元。")


def test_same_period_phrasings() -> None:
    got = figs("2022年城乡居民养老保险基金总收入7414万元，同比增加560万元，同比增长8.17%，"
               "比去年同期增长8.2%。")
    assert got[("resident_pension", "income_total", "yoy_change")] == [560]
    assert got[("resident_pension", "income_total", "yoy_rate")] == [8.17, 8.2]
