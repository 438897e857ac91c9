"""The general rules added for the blind set (tests/blind), each on its own synthetic text.

Every text here is written for the rule, in words other than the blind reports', so a rule that only
matched those reports would fail here.
"""

from __future__ import annotations

from sifund.review.audit import audit_report
from sifund.review.extract import extract_text
from sifund.review.normalize import build_view

from .textcheck import figs, serious

TITLE = "示例县2021年度社会保险基金支出预算绩效自评报告\n\n"


def test_dotted_numbered_fund_headings_set_the_fund() -> None:
    text = (TITLE + "二、各项基金运行情况\n\n1.工伤保险基金\n\n（1）基金收入812万元。\n\n"
            "2.失业保险基金\n\n（1）基金收入455万元。\n")
    got = figs(text)
    assert got[("work_injury", "income_total", "actual")] == [812]
    assert got[("unemployment", "income_total", "actual")] == [455]
    assert not serious(text)  # two funds' incomes are not one figure stated twice


def test_counted_funds_mean_all() -> None:
    got = figs(TITLE + "全年三项基金收入合计9120万元，支出合计8700万元。\n")
    assert got[("all", "income_total", "actual")] == [9120]
    assert got[("all", "expenditure_total", "actual")] == [8700]


def test_single_fund_title_gives_fund_less_figures_its_fund() -> None:
    text = ("某旗2021年度工伤保险基金支出预算绩效自评报告\n\n一、基金收支\n\n"
            "2021年基金收入640.5万元，基金支出601.2万元，当年收支结余39.3万元。\n")
    got = figs(text)
    assert got[("work_injury", "income_total", "actual")] == [640.5]
    assert got[("work_injury", "balance_current", "actual")] == [39.3]
    # a title naming all funds gives no default: figures without a fund stay unresolved
    assert not figs(TITLE + "一、基金收支\n\n2021年基金收入640.5万元。\n")


def test_clause_naming_its_item_again_is_about_that_item() -> None:
    text = (TITLE + "2021年失业保险基金支出900.00万元，其中：失业保险金400.00万元；稳岗补贴120.00万元。"
            "基金支出完成预算1000万元的90.00%，较上年增加100.00万元，增长12.50%。\n")
    got = figs(text)
    key = ("unemployment", "expenditure_total")
    assert got[(*key, "completion_rate")] == [90.0]
    assert got[(*key, "yoy_change")] == [100.0]
    assert got[(*key, "yoy_rate")] == [12.5]
    assert ("unemployment", "job_stabilization", "yoy_rate") not in got
    assert not serious(text)


def test_rate_then_bare_change_and_from_to_with_prior_year() -> None:
    got = figs(TITLE + "工伤保险基金支出500万元，比上年同期下降9.09%，减少50万元。"
               "工伤保险基金收入由上年的620万元减少到600万元，减幅3.23%。\n")
    assert got[("work_injury", "expenditure_total", "yoy_change")] == [-50]
    assert got[("work_injury", "income_total", "prior")] == [620]
    assert got[("work_injury", "income_total", "actual")] == [600]
    assert got[("work_injury", "income_total", "yoy_rate")] == [-3.23]


def test_fund_named_in_an_aside_is_not_the_subject() -> None:
    got = figs(TITLE + "2021年职工基本医疗保险（含生育保险）基金收入1234.5万元。\n")
    assert got[("employee_medical", "income_total", "actual")] == [1234.5]
    assert not any(k[0] == "maternity" for k in got)


def test_shortfall_is_a_negative_current_balance() -> None:
    got = figs(TITLE + "失业保险基金收入300万元，基金支出350万元，当年收不抵支50万元。\n")
    assert got[("unemployment", "balance_current", "actual")] == [-50]


def test_initial_budget_basis_is_kept() -> None:
    res = extract_text(TITLE + "工伤保险基金收入1018万元，完成年初预算的101.80%；"
                               "收入完成调整后预算1050万元的96.95%。\n")
    rates = {f.value: f.basis for f in res.dataset.figures if f.measure == "completion_rate"}
    assert rates == {101.8: "budget", 96.95: "budget_adjusted"}
    # the 年初 rate is never checked against the adjusted budget (101.80 ≠ 1018/1050)
    assert not [f for f in audit_report(res) if f.severity != "info"]


def test_text_target_against_table_in_wan_people() -> None:
    table = ("\n五、附表\n\n一级指标\t二级指标\t三级指标\t指标值\t实际完成值\n"
             "产出指标\t数量指标\t工伤保险待遇享受人数\t≥1.2万人\t1.3万人\n")
    same = TITLE + "二、绩效目标设定情况\n\n保障工伤保险待遇享受人数不少于1.2万人。\n" + table
    other = TITLE + "二、绩效目标设定情况\n\n保障工伤保险待遇享受人数不少于1.5万人。\n" + table
    assert not [f for f in serious(same) if f.code == "target_mismatch"]
    assert [f.code for f in serious(other)] == ["target_mismatch"]


def test_space_flattened_table_and_its_of_which_list() -> None:
    text = (TITLE + "表1  预算执行情况（单位：万元）\n\n项目  预算数  执行数  完成率\n"
            "一、工伤保险基金收入  800.00  812.00  101.50%\n"
            "    其中：工伤保险费收入  780.00  790.00  101.28%\n"
            "          利息收入  20.00  22.00  110.00%\n"
            "二、工伤保险基金支出  700.00  690.00  98.57%\n"
            "    其中：工伤保险待遇支出  650.00\n"
            "          劳动能力鉴定费  60.00\n\n"
            "（一）失业保险基金\n\n1.收入。基金收入455万元。\n")
    got = figs(text)
    assert got[("work_injury", "income_total", "budget")] == [800]
    assert got[("work_injury", "interest", "actual")] == [22]
    assert got[("work_injury", "interest", "completion_rate")] == [110]
    assert got[("work_injury", "work_injury_benefits", "actual")] == [650]  # a lone value is the actual
    assert got[("unemployment", "income_total", "actual")] == [455]  # the heading after the table counts
    codes = [f.code for f in serious(text)]
    assert codes == ["sum_exceeds_total"]  # 650 + 60 > 690, the list goes on without a second 其中


def test_item_major_table() -> None:
    text = (TITLE + "项目\t上年决算数\t本年预算数\t本年执行数\t完成预算%\n"
            "一、基金收入合计\t900\t1000\t1010\t101.00\n工伤保险基金\t400\t450\t455\t101.11\n"
            "失业保险基金\t500\t550\t555\t100.91\n三、当年收支结余\t50\t60\t70\t116.67\n")
    got = figs(text)
    assert got[("all", "income_total", "actual")] == [1010]
    assert got[("work_injury", "income_total", "prior")] == [400]
    assert got[("unemployment", "income_total", "completion_rate")] == [100.91]
    assert got[("all", "balance_current", "actual")] == [70]


def test_amount_at_line_start_continues_the_line() -> None:
    text = "\n".join(["一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"] * 5
                     + ["全年基金支出3012.77万元，完成年初预算3150万元的", "95.64%，较上年增加217.69万元。"])
    view, _ = build_view(text)
    assert "的95.64%" in view


def test_complete_heading_does_not_swallow_the_next_line() -> None:
    wide = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
    head = "（一）工伤保险基金预算完成及运行情况分析工伤保险情况分析"  # full width, ends like a title
    text = "\n".join([wide] * 5 + [head, "2021年基金收入100万元。"])
    view, _ = build_view(text)
    assert view.endswith("情况分析\n2021年基金收入100万元。")
