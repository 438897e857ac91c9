"""Phrasings first seen in the third blind set, on made-up sentences (people counts, aliases, units)."""

from __future__ import annotations

from sifund.review.extract import extract_text

HEAD = "示例县社会保险基金支出预算绩效自评报告\n（2021年度）\n"


def keys(body: str) -> set[tuple[str, str, str, float]]:
    return {(*f.key, f.value) for f in extract_text(HEAD + body).dataset.figures}


def test_people_worded_as_in_service_contributors_retirees_and_receivers() -> None:
    got = keys("机关事业单位基本养老保险基金支出900万元。全县机关事业单位在职参保缴费1234人，退休567人。\n"
               "城乡居民基本养老保险基金支出300万元。年末全县领取城乡居民养老保险待遇8901人，"
               "参保缴费2.34万人，按月领取待遇1.05万人。\n")
    assert ("institution_pension", "contributors", "actual", 1234) in got
    assert ("institution_pension", "retirees", "actual", 567) in got
    assert ("resident_pension", "beneficiaries", "actual", 8901) in got
    assert ("resident_pension", "insured", "actual", 23400) in got
    assert ("resident_pension", "beneficiaries", "actual", 10500) in got


def test_wan_ming_is_ten_thousand_people() -> None:
    got = keys("机关事业单位基本养老保险基金支出900万元，主要用于支付1.23万名退休人员的基本养老金。\n")
    assert ("institution_pension", "retirees", "actual", 12300) in got


def test_job_stabilization_return_and_bracket_before_the_number() -> None:
    got = keys("失业保险基金支出800万元，其中稳岗返还支出123.40万元。\n"
               "企业职工基本养老保险基金收入5000万元，其中上级补助收入（中央调剂金）1695.00万元。\n")
    assert ("unemployment", "job_stabilization", "actual", 123.4) in got
    assert ("enterprise_pension", "higher_subsidy", "actual", 1695) in got


def test_two_row_header_with_merged_item_cells() -> None:
    body = ("2021年示例县社会保险基金收支情况表\n单位：万元\n"
            "险种\t基金收入\t基金支出\t年末滚存结余\n"
            "险种\t预算数\t决算数\t预算数\t决算数\t年末滚存结余\n"
            "工伤保险\t2180\t2294.5\t1960\t1820.3\t2781.9\n"
            "失业保险\t1750\t1812.7\t2680\t2498.6\t6753.1\n")
    got = keys(body)
    assert ("work_injury", "income_total", "budget", 2180) in got
    assert ("work_injury", "income_total", "actual", 2294.5) in got
    assert ("work_injury", "expenditure_total", "budget", 1960) in got
    assert ("unemployment", "expenditure_total", "actual", 2498.6) in got
    assert ("unemployment", "balance_rolling", "actual", 6753.1) in got


def test_year_called_a_year_of_the_wrong_five_year_plan() -> None:
    from sifund.review.audit import audit_report

    def plans(sentence: str) -> list[str]:
        fs = audit_report(extract_text(HEAD + sentence + "\n"))
        return [f.message for f in fs if f.code == "plan_period"]

    assert plans("2021年是党的百年华诞之年，也是实施“十三五”规划的关键之年。")
    assert not plans("2021年是党的百年华诞之年，也是实施“十四五”规划的开局之年。")
    assert not plans("2021年是党的百年华诞之年，全面总结“十三五”期间的经验。")


def test_number_wrapped_inside_a_narrow_cell() -> None:
    body = ("项目\t年初预算数（万元）\t决算数（万元）\n"
            "失业保险基金收入\t1750 0.00\t1812. 70\n")
    got = keys(body)
    assert ("unemployment", "income_total", "budget", 17500) in got
    assert ("unemployment", "income_total", "actual", 1812.7) in got


def test_a_list_of_budgets_keeps_its_measure() -> None:
    got = keys("全县工伤保险基金年初预算收入4234万元、支出4066万元。全年基金支出4016.17万元。\n")
    assert ("work_injury", "expenditure_total", "budget", 4066) in got
    assert ("work_injury", "expenditure_total", "actual", 4016.17) in got
    assert ("work_injury", "expenditure_total", "actual", 4066) not in got
