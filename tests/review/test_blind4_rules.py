"""Phrasings first seen in the fourth blind set, on made-up sentences (cover fund, 为年度预算, 百分之…)."""

from __future__ import annotations

from sifund.review.extract import extract_text

HEAD = "示例县社会保险基金支出预算绩效自评报告\n（2021年度）\n"


def keys(text: str) -> set[tuple[str, str, str, float]]:
    return {(*f.key, f.value) for f in extract_text(text).dataset.figures}


def test_cover_project_field_names_the_only_fund() -> None:
    cover = ("示例区\n项目名称：城乡居民基本养老保险基\n社会保险基金支出预\n金支出\n绩效自评报告\n"
             "（2020年度）\n一、预算执行情况\n全年基金收入1234.56万元，基金支出987.65万元。\n")
    got = keys(cover)
    assert ("resident_pension", "income_total", "actual", 1234.56) in got
    assert ("resident_pension", "expenditure_total", "actual", 987.65) in got
    # without the field the figures have no fund
    assert not any(k[0] == "resident_pension" for k in keys(cover.replace("项目名称：", "")))


def test_as_share_of_the_annual_budget_is_a_completion() -> None:
    got = keys(HEAD + "工伤保险基金收入4387.62万元，为年度预算4120万元的106.50%。\n")
    assert ("work_injury", "income_total", "budget", 4120) in got
    assert ("work_injury", "income_total", "completion_rate", 106.5) in got


def test_from_to_without_an_item_is_the_subjects_prior() -> None:
    got = keys(HEAD + "失业保险基金支出3264.50万元，完成预算的105.31%，由上年的2652.20万元增加到3264.50万元，"
                      "增长23.09%。\n")
    assert ("unemployment", "expenditure_total", "prior", 2652.2) in got
    assert [k for k in got if k[:3] == ("unemployment", "expenditure_total", "actual")] == [
        ("unemployment", "expenditure_total", "actual", 3264.5)]


def test_change_right_after_a_from_to_pair_is_its_yoy_change() -> None:
    got = keys(HEAD + "工伤保险基金支出由上年的1,000.00万元增加到1,100.50万元，"
                      "增加100.50万元，增幅10.05%。\n")
    assert ("work_injury", "expenditure_total", "yoy_change", 100.5) in got


def test_fund_shares_after_qizhong_of_an_all_funds_budget() -> None:
    got = keys(HEAD + "两项基金年初预算收入7,710万元，其中机关事业单位基本养老保险基金5,280万元、"
                      "城乡居民基本养老保险基金2,430万元。\n")
    assert ("institution_pension", "income_total", "budget", 5280) in got
    assert ("resident_pension", "income_total", "budget", 2430) in got


def test_percentages_in_words_but_not_tenths() -> None:
    got = keys(HEAD + "工伤保险基金支出1.68亿元，完成年初预算1.70亿元的百分之九十八点八，"
                      "比上年增长了一成多。\n")
    assert ("work_injury", "expenditure_total", "completion_rate", 98.8) in got
    assert not any(k[3] in (1, 10) for k in got)


def test_promised_count_takes_the_fund_named_earlier_in_the_sentence() -> None:
    got = keys(HEAD + "（三）绩效目标\n年度目标为：城乡居民基本养老保险待遇按月足额发放，"
                      "领取待遇人数不少于5.5万人；全年领取失业保险金人数不少于4200人。\n")
    assert ("resident_pension", "beneficiaries", "target", 55000) in got
    assert ("unemployment", "beneficiaries", "target", 4200) in got


def test_table_item_with_a_fund_name_inside_and_rows_without_rates() -> None:
    body = ("表1 失业保险基金预算执行情况表（单位：万元）\n"
            "项目\t上年决算数\t本年预算数\t本年执行数\t完成预算%\n"
            "一、失业保险基金支出\t2600.00\t3000.00\t2900.00\t96.67\n"
            "其中：代缴基本医疗保险费\t310.00\t350.00\t336.00\t96.00\n"
            "稳岗返还\t980.00\t1100.00\t1090.00\t99.09\n"
            "二、失业保险基金当年收支结余\t-530.00\t-800.00\t-660.00\n")
    got = keys(HEAD + body)
    assert ("unemployment", "unemployment_medical", "budget", 350) in got
    assert ("unemployment", "job_stabilization", "completion_rate", 99.09) in got
    assert ("unemployment", "balance_current", "prior", -530) in got
    assert ("unemployment", "balance_current", "budget", -800) in got
    assert ("unemployment", "balance_current", "actual", -660) in got
    assert not any(k[0] == "employee_medical" for k in got)


def test_wrapped_indicator_row_without_numbers() -> None:
    table = ("附表 绩效自评表\n一级指标 二级指标 三级指标 年度指标值 实际完成值\n产出指标\n时效指标\n"
             "待遇发放时间 每月10日前 每月10日前\n城乡居民养老保险待遇发放 按月足额发\n放 按月足额发放\n"
             "效益指标\n社会效益指标\n违规使用基金金额 0万元 0万元\n")
    rows = {(i.name, i.target, i.actual) for i in extract_text(HEAD + table).dataset.indicators}
    assert ("城乡居民养老保险待遇发放", "按月足额发放", "按月足额发放") in rows
    assert ("违规使用基金金额", "0万元", "0万元") in rows


def test_audit_messages_print_every_digit() -> None:
    from sifund.review.audit import audit_report

    text = HEAD + "失业保险基金支出1234567.50万元，其中失业保险金600000.12万元、稳岗补贴400000.25万元。\n"
    msgs = [f.message for f in audit_report(extract_text(text)) if f.code == "sum_below_total"]
    assert msgs and "1000000.37" in msgs[0] and "234567.13" in msgs[0] and "e+" not in msgs[0]
