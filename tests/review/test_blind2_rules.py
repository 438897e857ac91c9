"""The general rules added for the second blind set (tests/blind2), each on its own synthetic text.

Every text here is written for the rule, in words and numbers other than the blind reports', so a
rule that only matched those reports would fail here.
"""

from __future__ import annotations

import pytest

from sifund.core.errors import SifundError
from sifund.review.extract import extract_text

from .textcheck import figs, serious

TITLE = "示例县2021年度社会保险基金支出预算绩效自评报告\n\n"


def test_full_width_digits_work_like_ascii() -> None:
    text = ("某旗社会保险基金支出预算绩效自评报告\n\n（２０１９年度）\n\n"
            "２０１９年工伤保险基金收入１２３４万元，完成预算1300万元的９４．９２％。\n")
    r = extract_text(text)
    assert r.header.year == 2019
    got = figs(text)
    assert got[("work_injury", "income_total", "actual")] == [1234]
    assert got[("work_injury", "income_total", "completion_rate")] == [94.92]
    src = next(f.source for f in r.dataset.figures if f.measure == "completion_rate")
    assert src is not None and "９４．９２％" in src.text  # quoted as written


@pytest.mark.parametrize("year, expected", [("二〇二二", 2022), ("二○一八", 2018), ("二O二三", 2023)])
def test_year_in_chinese_numerals(year: str, expected: int) -> None:
    r = extract_text(f"某县社会保险基金支出预算绩效自评报告\n（{year}年度）\n\n失业保险基金收入50万元。\n")
    assert r.header.year == expected


def test_no_year_at_all_is_a_clear_error() -> None:
    with pytest.raises(SifundError, match="年度"):
        extract_text("某县社会保险基金支出预算绩效自评报告\n\n失业保险基金收入50万元。\n")


def test_unknown_income_label_is_not_the_fund_total() -> None:
    text = (TITLE + "城乡居民基本养老保险基金收入9,120.50万元，其中：缴费收入3,000.00万元；"
            "集体补助收入420.00万元。\n")
    r = extract_text(text)
    got = figs(text)
    assert got[("resident_pension", "income_total", "actual")] == [9120.5]
    assert any(u["value"] == 420 and u["reason"] == "unknown item" for u in r.unresolved)
    assert not serious(text)  # 420 is no restatement of the total


def test_new_enrolment_is_a_change_not_the_insured_count() -> None:
    text = TITLE + "失业保险基金年末参保人数8,800人，全年新增参保640人，新增享受待遇人数52人。\n"
    got = figs(text)
    assert got[("unemployment", "insured", "actual")] == [8800]
    assert got[("unemployment", "new_beneficiaries", "actual")] == [52]
    assert not serious(text)


def test_table_with_funds_as_columns() -> None:
    text = (TITLE + "两项基金决算情况如下（单位：万元）：\n"
            "项目\t工伤保险基金\t失业保险基金\t合计\n"
            "一、基金收入\t1,200.50\t800.25\t2,000.75\n"
            "其中：保险费收入\t1,100.00\t700.00\t1,800.00\n"
            "利息收入\t100.50\t100.25\t200.75\n"
            "二、基金支出\t900.00\t600.00\t1,500.00\n"
            "三、年末滚存结余\t3,000.00\t2,000.00\t5,000.00\n"
            "二、说明\n")
    got = figs(text)
    assert got[("work_injury", "income_total", "actual")] == [1200.5]
    assert got[("unemployment", "contribution", "actual")] == [700]
    assert got[("all", "interest", "actual")] == [200.75]
    assert got[("all", "balance_rolling", "actual")] == [5000]
    assert not serious(text)
    bad = text.replace("2,000.75", "2,010.75")  # the total row no longer adds up
    assert any("2,010.75" in e.text for f in serious(bad) for e in f.evidence)


def test_space_table_whose_title_names_the_item() -> None:
    text = (TITLE + "表3 2021年社会保险基金支出预算执行情况 单位：万元\n"
            "基金名称 预算数 执行数 完成率\n"
            "工伤保险 640 612 95.63%\n"
            "失业保险 1,300 1,352 104.00%\n"
            "合计 1,940 1,964 101.24%\n"
            "表4 2021年社会保险基金收入预算执行情况 单位：万元\n"
            "基金名称 预算数 执行数 完成率\n"
            "工伤保险 700 710 101.43%\n"
            "二、说明\n全年征收失业保险费1,020万元，全年领取失业保险金318人，职工住院2.05万人次。\n")
    got = figs(text)
    assert got[("work_injury", "expenditure_total", "budget")] == [640]
    assert got[("unemployment", "expenditure_total", "completion_rate")] == [104.0]
    assert got[("all", "expenditure_total", "actual")] == [1964]
    assert got[("work_injury", "income_total", "actual")] == [710]
    assert got[("unemployment", "contribution", "actual")] == [1020]
    assert got[("unemployment", "beneficiaries", "actual")] == [318]
    assert got[("unemployment", "inpatient_visits", "actual")] == [20500]
    assert not serious(text)


def test_prior_year_named_in_a_comparison() -> None:
    text = (TITLE + "（一）工伤保险基金。基金支出2,300.50万元，比上年同期2,100.25万元增加200.25万元，"
            "同比增长9.53%。\n（二）失业保险基金。基金支出960万元，与上年同期900.00万元相比增加60万元。"
            "基金收入1,010万元，较上年的980万元增长3.06%。\n（三）生育保险基金。基金收入75.20万元，"
            "同比下降6.00%，上年同期为80.00万元。\n")
    got = figs(text)
    assert got[("work_injury", "expenditure_total", "prior")] == [2100.25]
    assert got[("work_injury", "expenditure_total", "yoy_change")] == [200.25]
    assert got[("unemployment", "expenditure_total", "prior")] == [900]
    assert got[("unemployment", "expenditure_total", "yoy_change")] == [60]
    assert got[("unemployment", "income_total", "prior")] == [980]
    assert got[("maternity", "income_total", "prior")] == [80]
    assert not serious(text)
    bad = text.replace("比上年同期2,100.25万元增加200.25万元", "比上年同期2,100.25万元增加210.25万元")
    assert any("210.25" in e.text for f in serious(bad) for e in f.evidence)


def test_amount_and_unit_split_by_a_wrap() -> None:
    line = "（一）失业保险基金。全年基金收入8,120万元，基金支出7,015万元，完成支出预算7,400万"
    text = TITLE + "\n".join([line, "元的94.80%，比上年同期6,900万元增加115", "万元，同比增长1.67%。",
                              line.replace("失业", "工伤"), line.replace("失业", "生育")]) + "\n"
    got = figs(text)
    assert got[("unemployment", "expenditure_total", "budget")] == [7400]
    assert got[("unemployment", "expenditure_total", "completion_rate")] == [94.8]
    assert got[("unemployment", "expenditure_total", "yoy_change")] == [115]


def test_balance_fell_since_the_start_of_the_year() -> None:
    got = figs(TITLE + "（一）工伤保险基金。当期收支为负，结余较年初减少312万元，年末滚存结余4,050万元。\n"
                       "（二）失业保险基金。结余较年初增加95万元。\n")
    assert got[("work_injury", "balance_current", "actual")] == [-312]
    assert got[("unemployment", "balance_current", "actual")] == [95]


def test_contributing_workers_named_as_persons() -> None:
    got = figs(TITLE + "年末机关事业单位基本养老保险在职缴费人员8,204人，离退休人员3,990人。\n")
    assert got[("institution_pension", "contributors", "actual")] == [8204]


def _indicators(text: str) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.name, i.target, i.actual) for i in extract_text(text).dataset.indicators]


def test_table_rows_with_budget_execution_and_qualitative_values() -> None:
    head = TITLE + "一、说明\n基金运行平稳。\n附表\n"
    tabbed = head + "\n".join([
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值",
        "预算执行\t预算执行率\t工伤保险基金支出预算执行率\t≥90%\t96.10%",
        "产出指标\t数量指标\t工伤待遇按月发放人数\t应发尽发\t应发尽发",
        "效益指标\t社会效益指标\t基金安全\t无重大风险事件\t无重大风险事件",
        "效益指标\t可持续影响指标\t工伤保险基金累计结余\t较上年增加\t增加210.50万元",
    ]) + "\n"
    got = _indicators(tabbed)
    assert ("预算执行", "工伤保险基金支出预算执行率", "≥90%", "96.10%") in got
    assert ("产出指标", "工伤待遇按月发放人数", "应发尽发", "应发尽发") in got
    assert ("效益指标", "基金安全", "无重大风险事件", "无重大风险事件") in got
    assert ("效益指标", "工伤保险基金累计结余", "较上年增加", "增加210.50万元") in got
    spaced = head + "一级指标 二级指标 三级指标 指标值 实际完成值\n产出指标\n数量指标\n" \
                    "失业保险金领取人数 ≥300人 312人\n效益指标\n可持续影响指标\n基金结余 保持正结余 880万元\n"
    got = _indicators(spaced)
    assert ("效益指标", "基金结余", "保持正结余", "880万元") in got
    assert ("产出指标", "失业保险金领取人数", "≥300人", "312人") in got


def test_text_target_without_a_fund_is_held_to_the_table() -> None:
    text = (TITLE + "（二）绩效目标设定情况\n年初设定的绩效目标为：保障退休人员待遇享受人数1800人以上；"
            "参保人员满意度达到90%以上。\n附表\n一级指标 二级指标 三级指标 指标值 实际完成值\n"
            "产出指标\n数量指标\n保障退休人员待遇享受人数 ≥1850人 1862人\n"
            "满意度指标\n服务对象满意度指标\n参保人员满意度 ≥90% 95%\n")
    found = serious(text)
    assert any("1800" in f.message and "≥1850人" in f.message for f in found)
    assert not any("满意度" in f.message for f in found)
