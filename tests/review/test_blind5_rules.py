"""Phrasings first seen in the fifth blind set, on made-up sentences and tables."""

from __future__ import annotations

from sifund.engine.findings import audit_json
from sifund.review.audit import audit_report
from sifund.review.extract import extract_text

HEAD = "示例县社会保险基金支出预算绩效自评报告\n（2021年度）\n"


def keys(text: str) -> set[tuple[str, str, str, float]]:
    return {(*f.key, f.value) for f in extract_text(text).dataset.figures}


def test_fund_name_before_a_colon_is_the_subject() -> None:
    got = keys(HEAD + "一、基金情况\n2021年，工伤保险基金：收入1,234.56万元，支出1,000.00万元。\n"
                      "2021年，失业保险基金：收入800.00万元。\n")
    assert ("work_injury", "income_total", "actual", 1234.56) in got
    assert ("work_injury", "expenditure_total", "actual", 1000.0) in got
    assert ("unemployment", "income_total", "actual", 800.0) in got


def test_unit_in_brackets_between_label_and_number() -> None:
    got = keys(HEAD + "（一）工伤保险基金。基金收入（万元）：1,234.56，年初预算（万元）：1,200.00，"
                      "完成预算（%）：102.88。当年结余（万元）：-79.43。\n")
    assert ("work_injury", "income_total", "actual", 1234.56) in got
    assert ("work_injury", "income_total", "budget", 1200.0) in got
    assert ("work_injury", "income_total", "completion_rate", 102.88) in got
    assert ("work_injury", "balance_current", "actual", -79.43) in got


def test_bracketed_unit_line_goes_on_with_its_wrapped_number() -> None:
    body = ("（一）工伤保险基金。基金收入（万元）：\n\n1,234.56，基金支出（万元）：1,0\n\n"
            "00.00；利息收入（万元）：5.00。全部待遇按时足额发放到位，未发生拖欠。\n\n"
            "（二）失业保险基金。基金收入（万元）：800.00，基金支出（万元）：700.00。\n\n"
            "其他情况说明：全年经办业务平稳有序，各项待遇按时发放。\n")
    got = keys(HEAD + body)
    assert ("work_injury", "income_total", "actual", 1234.56) in got
    assert ("work_injury", "expenditure_total", "actual", 1000.0) in got
    assert ("work_injury", "interest", "actual", 5.0) in got


def test_government_subsidy_is_fiscal_subsidy() -> None:
    got = keys(HEAD + "城乡居民基本养老保险基金收入100万元，其中：各级政府补贴收入60万元，"
                      "个人缴费收入40万元。\n")
    assert ("resident_pension", "fiscal_subsidy", "actual", 60.0) in got


def test_budget_stated_in_a_later_sentence() -> None:
    got = keys(HEAD + "失业保险基金收入3412.50万元，支出2975.10万元。上述收入的年初预算为3400万元，完成预算的"
                      "100.37%；支出的预算数为3100万元，执行率95.97%。\n")
    assert ("unemployment", "income_total", "budget", 3400.0) in got
    assert ("unemployment", "income_total", "completion_rate", 100.37) in got
    assert ("unemployment", "expenditure_total", "budget", 3100.0) in got
    assert ("unemployment", "expenditure_total", "completion_rate", 95.97) in got


def test_scope_word_and_counted_pension_funds_mean_all() -> None:
    got = keys(HEAD + "全县两项养老保险基金合计收入88,713.91万元，合计支出80,653.81万元。\n")
    assert ("all", "income_total", "actual", 88713.91) in got


def test_table_column_of_the_previous_year_is_prior_and_of_which_columns_are_read() -> None:
    table = ("项目\t2020年决算数\t2021年预算数\t2021年决算数\n"
             "工伤保险基金年末滚存结余\t1,786.54\t—\t2,217.83\n")
    got = keys(HEAD + "二、执行情况\n收支情况见下表（单位：万元）。\n" + table)
    assert ("work_injury", "balance_rolling", "prior", 1786.54) in got
    assert ("work_injury", "balance_rolling", "actual", 2217.83) in got
    assert ("work_injury", "balance_rolling", "actual", 1786.54) not in got
    parts = ("险种\t基金收入\t其中：保险费收入\t基金支出\t其中：待遇支出\n"
             "工伤保险\t1,000.00\t900.00\t800.00\t750.00\n")
    got = keys(HEAD + "二、执行情况\n单位：万元\n" + parts)
    assert ("work_injury", "contribution", "actual", 900.0) in got
    assert ("work_injury", "benefits", "actual", 750.0) in got


TABLE = ("附件：示例县2021年度社会保险基金支出预算绩效自评表\n"
         "一级指标\t二级指标\t三级指标\t权重\t指标值\t实际完成值\t得分\n"
         "产出指标\t数量指标\t机关事业单位养老保险待遇发放人数\t15\t≥4100人\t4126人\t15\n"
         "满意度指标\t服务对象满意度指标\t参保群众满意度\t20\t≥90%\t95%\t20\n"
         "总分\t\t\t100\t\t\t99.6\n")


def test_weight_column_is_skipped_and_text_target_without_item_is_checked() -> None:
    text = (HEAD + "一、基本情况\n年初设定的绩效目标为：机关事业单位养老保险待遇按时足额发放4200人以上。\n"
            "二、执行情况\n工伤保险基金收入100万元。\n" + TABLE)
    result = extract_text(text)
    inds = {(i.name, i.target, i.actual) for i in result.dataset.indicators}
    assert ("机关事业单位养老保险待遇发放人数", "≥4100人", "4126人") in inds
    assert ("参保群众满意度", "≥90%", "95%") in inds
    assert len(inds) == 2  # 总分 is not an indicator
    codes = [f["code"] for f in audit_json(audit_report(result))["findings"]]
    assert "target_mismatch" in codes
    same = text.replace("4200人以上", "4100人以上")
    again = audit_json(audit_report(extract_text(same)))["findings"]
    assert "target_mismatch" not in [f["code"] for f in again]
