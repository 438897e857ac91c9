"""How each figure's fund and item were told, and the audit's safeguard on inferred attributions.

Made-up sentences: a finding that compares figures of different clauses must not be a warning when
one of them got its fund only by being carried over from an earlier paragraph (归属不确定).
"""

from __future__ import annotations

from sifund.core.model import Figure
from sifund.engine.findings import Finding
from sifund.review.audit import audit_report
from sifund.review.clauses import attribution
from sifund.review.extract import extract_text

HEAD = "示例县社会保险基金支出预算绩效自评报告\n（2021年度）\n"


def figures(body: str) -> list[Figure]:
    return extract_text(HEAD + body).dataset.figures


def find(figs: list[Figure], value: float) -> Figure:
    (f,) = [x for x in figs if x.value == value]
    return f


def audit(body: str) -> list[Finding]:
    return audit_report(extract_text(HEAD + body))


def test_fund_named_in_clause_in_paragraph_and_carried() -> None:
    figs = figures("一、基金运行情况\n工伤保险基金收入820万元。基金支出473万元。\n基金支出预算800万元。\n")
    assert attribution(find(figs, 820)) == {"fund": "clause", "item": "alias"}
    assert attribution(find(figs, 473))["fund"] == "paragraph"
    assert attribution(find(figs, 800))["fund"] == "carried"  # a new paragraph, no heading since


def test_fund_of_the_heading_is_confident_even_after_a_restatement_of_its_name() -> None:
    figs = figures("（一）失业保险基金运行情况\n失业保险基金收入900万元。\n基金支出610万元。\n")
    assert attribution(find(figs, 900))["fund"] == "clause"
    f = find(figs, 610)
    assert f.fund == "unemployment" and attribution(f)["fund"] == "heading"


def test_bare_fund_line_with_colon_sets_the_fund_of_the_paragraphs_below() -> None:
    figs = figures("二、各项基金预算执行情况\n两项基金收入合计900万元。\n失业保险基金：\n"
                   "2021年基金收入300万元。\n基金支出250万元。\n")
    assert find(figs, 300).fund == "unemployment" and find(figs, 250).fund == "unemployment"
    assert attribution(find(figs, 250))["fund"] == "heading"


def test_aside_between_label_and_number_or_after_fund_name() -> None:
    figs = figures("企业职工基本养老保险基金收入5000万元，上级补助收入（含中央调剂金）2488.00万元。\n"
                   "职工基本医疗保险基金（含生育保险）收入3156.08万元，基金支出2890.77万元。\n")
    sub = find(figs, 2488)
    assert (sub.fund, sub.item) == ("enterprise_pension", "higher_subsidy")
    assert [(f.fund, f.item) for f in figs if f.value in (3156.08, 2890.77)] == [
        ("employee_medical", "income_total"), ("employee_medical", "expenditure_total")]


def test_rate_with_yi_shang_is_a_target_not_a_completion_rate() -> None:
    figs = figures("城乡居民基本养老保险基金支出800万元，完成预算的98.87%。\n"
                   "年初设定的绩效目标为：基金支出预算执行率90%以上。\n")
    rates = [f.value for f in figs if f.measure == "completion_rate"]
    assert rates == [98.87]


def test_restatement_on_a_carried_figure_is_only_info() -> None:
    body = ("一、基金运行情况\n工伤保险基金支出473万元。\n基金支出500万元。\n")
    (f,) = [x for x in audit(body) if x.code == "restatement_conflict"]
    assert f.severity == "info" and "归属不确定" in f.message and "500万元" in f.message


def test_restatement_with_both_funds_named_stays_a_warning() -> None:
    body = ("一、基金运行情况\n工伤保险基金支出473万元。\n工伤保险基金支出500万元。\n")
    (f,) = [x for x in audit(body) if x.code == "restatement_conflict"]
    assert f.severity == "warning" and "归属不确定" not in f.message


def test_a_rate_against_its_own_clause_holds_whatever_the_fund() -> None:
    body = "一、基金运行情况\n工伤保险基金收入820万元。\n基金支出1590万元，完成全年预算1308万元的121.4%。\n"
    (f,) = [x for x in audit(body) if x.measure == "completion_rate"]
    assert attribution(find(figures(body), 1590))["fund"] == "carried"
    assert f.severity == "error"  # one clause: a carried fund cannot make it a false alarm


def test_all_funds_heading_is_sure_only_for_an_overview_section() -> None:
    figs = figures("（一）社会保险基金总体情况\n全年基金收入900万元。\n"
                   "二、各项基金预算执行情况\n2021年基金收入300万元。\n")
    assert attribution(find(figs, 900))["fund"] == "heading"
    assert attribution(find(figs, 300))["fund"] == "heading_all"


def test_per_fund_paragraphs_under_an_all_funds_heading_raise_no_false_alarm() -> None:
    body = ("一、总体情况\n两项基金当年收支结余900.00万元。\n二、各项基金预算执行情况\n"
            "2021年基金收入500.00万元，基金支出450.00万元，当年收支结余50.00万元。\n")
    fs = [f for f in audit(body) if f.code == "restatement_conflict"]
    assert fs and all(f.severity == "info" and "归属不确定" in f.message for f in fs)
