"""Target forms of the 自评表 and the met / not_met / partly_met / unknown judgements."""

from __future__ import annotations

import pytest

from sifund.core.model import Indicator
from sifund.engine.config import default_config
from sifund.engine.results import Metric
from sifund.engine.targets import evaluate_indicator, judge, parse_target


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        ("≥99%", "≥", 99, "%"),
        (">90%", ">", 90, "%"),
        ("≤1%", "≤", 1, "%"),
        ("=100%", "=", 100, "%"),
        ("100%", "=", 100, "%"),
        ("≤0", "≤", 0, ""),
        ("≥9203人", "≥", 9203, "人"),
        ("99%以上", "≥", 99, "%"),
        ("95%以上", "≥", 95, "%"),
        ("不低于95%", "≥", 95, "%"),
        ("不超过1%", "≤", 1, "%"),
        (">=90%", "≥", 90, "%"),
        ("≥ 95 ％", "≥", 95, "%"),
        ("96%", "=", 96, "%"),
        ("9175人", "=", 9175, "人"),
        ("0", "=", 0, ""),
        ("达到90%以上", "≥", 90, "%"),
        ("≥6个月", "≥", 6, "个月"),
        ("低于5%", "<", 5, "%"),
    ],
)
def test_compare_forms(text, op, value, unit):
    t = parse_target(text)
    assert (t.kind, t.op, t.value, t.unit) == ("compare", op, value, unit)


@pytest.mark.parametrize(
    ("text", "lo", "hi", "vacuous"),
    [
        ("≥95%或≤105%", 95, 105, True),
        ("≥90%或≤110%", 90, 110, True),
        ("90%-110%", 90, 110, False),
        ("90%～110%", 90, 110, False),
        ("≥95%且≤105%", 95, 105, False),
        ("≤110%或≥90%", 90, 110, True),
    ],
)
def test_band_forms(text, lo, hi, vacuous):
    t = parse_target(text)
    assert (t.kind, t.lo, t.hi, t.literal_vacuous) == ("band", lo, hi, vacuous)
    assert bool(t.note) == vacuous


@pytest.mark.parametrize(
    ("text", "days", "unit", "anchor"),
    [
        ("30日内完成审核拨付", 30, "日", ""),
        ("每季度结束后的5日内", 5, "日", "每季度结束后"),
        ("每年度结束后的20日内", 20, "日", "每年度结束后"),
        ("每月25日前按时足额发放", 25, "by_day", "每月"),
        ("20个工作日内", 20, "工作日", ""),
        ("15天内", 15, "日", ""),
    ],
)
def test_deadline_forms(text, days, unit, anchor):
    t = parse_target(text)
    assert (t.kind, t.days, t.day_unit, t.anchor) == ("deadline", days, unit, anchor)


@pytest.mark.parametrize("text", ["按标准审核后足额发放", "效果明显", "逐步提高", "有效提升"])
def test_qualitative(text):
    assert parse_target(text).kind == "qualitative"


def test_empty():
    assert parse_target("  ").kind == "empty"


@pytest.mark.parametrize(
    ("target", "actual", "status", "why_part"),
    [
        ("≥9203人", "9175人", "not_met", "实际9175人低于目标9203人"),
        ("≥5922人", "5939人", "met", "达到"),
        ("≥99%", "100%", "met", ""),
        (">90%", "90%", "not_met", ""),
        (">90%", "95%", "met", ""),
        ("≤1%", "2%", "not_met", "高于"),
        ("≤0", "0", "met", ""),
        ("≤0", "1", "not_met", ""),
        ("=100%", "100%", "met", ""),
        ("100%", "98%", "not_met", "不等于"),
        ("≥95%或≤105%", "96%", "met", "区间"),
        ("90%-110%", "121%", "not_met", "高于目标区间"),
        ("90%-110%", "85%", "not_met", "低于目标区间"),
        (">90%", ">90%", "met", "可推出"),
        ("≤1%", "≤1%", "met", "可推出"),
        ("≥95%", ">96%", "met", ""),
        ("≥95%", ">90%", "unknown", "不能确定"),
        ("≥95%", "<90%", "not_met", ""),
        ("≥1万人", "9000人", "not_met", ""),
        ("≥99%", "9000人", "unknown", "单位"),
        ("每季度结束后的5日内", "每季度结束后的5日内", "met", ""),
        ("30日内完成审核拨付", "25日内", "met", ""),
        ("30日内完成审核拨付", "45日内", "not_met", "超过"),
        ("每月25日前按时足额发放", "每月20日前", "met", ""),
        ("20个工作日内", "20日内", "unknown", "口径"),
        ("按标准审核后足额发放", "按标准审核后足额发放", "met", "一致"),
        ("效果明显", "较好", "unknown", "judgement"),
        ("≥99%", "", "unknown", "为空"),
        ("", "100%", "unknown", "为空"),
    ],
)
def test_judge(target, actual, status, why_part):
    j = judge(parse_target(target), parse_target(actual))
    assert j.status == status, j.why
    assert why_part in j.why


@pytest.mark.parametrize(
    ("judgement", "status"), [("full", "met"), ("partial", "partly_met"), ("zero", "not_met")]
)
def test_qualitative_by_judgement(judgement, status):
    j = judge(parse_target("效果明显"), parse_target("较好"), judgement)
    assert j.status == status and j.by_judgement


def test_unmet_completion_ratios():
    assert judge(parse_target("≥100人"), parse_target("80人")).completion == pytest.approx(0.8)
    assert judge(parse_target("≤1%"), parse_target("4%")).completion == pytest.approx(0.25)
    assert judge(parse_target("≤0"), parse_target("3")).completion == 0.0
    assert judge(parse_target("90%-110%"), parse_target("121%")).completion == pytest.approx(110 / 121)


def _lookup(value, unit="%", note=""):
    m = Metric(
        fund="resident_pension",
        code="expenditure_completion",
        name="基金支出预算完成率",
        value=value,
        unit=unit,
        note=note,
    )
    return lambda fund, code: m if (fund, code) == ("resident_pension", "expenditure_completion") else None


def test_indicator_takes_actual_from_bound_metric_and_notes_it():
    ind = Indicator(
        name="支出预算完成率",
        target="≥95%",
        actual="96%",
        fund="resident_pension",
        metric="expenditure_completion",
    )
    r = evaluate_indicator(ind, _lookup(94.5))
    assert r.status == "not_met" and r.actual_from == "metric:expenditure_completion"
    assert r.actual_value == 94.5 and "计算指标" in r.note and "不一致" in r.note


def test_indicator_metric_missing_falls_back_to_stated():
    ind = Indicator(
        name="x", target="≥95%", actual="96%", fund="unemployment", metric="expenditure_completion"
    )
    r = evaluate_indicator(ind, _lookup(99.0))
    assert r.status == "met" and r.actual_from == "stated" and "不可得" in r.note


def test_binding_by_name_only_when_no_actual_stated():
    bindings = default_config().metrics.bindings
    ind = Indicator(name="居民养老基金支出预算完成率", target="≥95%", actual="", fund="resident_pension")
    assert evaluate_indicator(ind, _lookup(97.0), bindings).actual_from == "metric:expenditure_completion"
    ind2 = ind.model_copy(update={"actual": "90%"})
    assert evaluate_indicator(ind2, _lookup(97.0), bindings).actual_from == "stated"


def test_vacuous_band_is_flagged_on_the_result():
    r = evaluate_indicator(Indicator(name="x", target="≥95%或≤105%", actual="96%"), lambda f, c: None)
    assert r.status == "met" and r.literal_vacuous is True and "或" in r.note


# ---- real-life variants found in review ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        ("＞＝９５％", "≥", 95, "%"),  # full-width symbols typed with a CJK IME
        ("98.5%（含）以上", "≥", 98.5, "%"),
        ("0起", "=", 0, "起"),
        ("≥2:1", "≥", 2, ""),
        ("1.62:1", "=", 1.62, ""),
        ("零差错", "=", 0, ""),
        ("无", "=", 0, ""),
    ],
)
def test_more_compare_forms(text, op, value, unit):
    t = parse_target(text)
    assert (t.kind, t.op, t.value, t.unit) == ("compare", op, value, unit)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [("90%以上110%以下", 90, 110), ("90%≤x≤110%", 90, 110), ("95%—105%", 95, 105)],
)
def test_more_band_forms(text, lo, hi):
    t = parse_target(text)
    assert (t.kind, t.lo, t.hi) == ("band", lo, hi)


@pytest.mark.parametrize(
    ("text", "days", "unit"),
    [
        ("≤5个工作日", 5, "工作日"),
        ("3个工作日", 3, "工作日"),
        ("≤5日", 5, "日"),
        ("2天", 2, "日"),
        ("每月8日", 8, "by_day"),
    ],
)
def test_more_deadline_forms(text, days, unit):
    t = parse_target(text)
    assert (t.kind, t.days, t.day_unit) == ("deadline", days, unit)


@pytest.mark.parametrize("text", ["较上年提高", "≥上年", "按时足额", "应保尽保"])
def test_relative_and_descriptive_targets_stay_qualitative(text):
    assert parse_target(text).kind == "qualitative"


@pytest.mark.parametrize(
    ("target", "actual", "status"),
    [
        ("≤5个工作日", "3个工作日", "met"),
        ("≤5个工作日", "6个工作日", "not_met"),
        ("0起", "1起", "not_met"),
        ("零差错", "无差错", "met"),
        ("≤0", "未发生", "met"),
        ("每月10日前", "每月8日", "met"),
        ("≥2:1", "1.62:1", "not_met"),
    ],
)
def test_variant_judgements(target, actual, status):
    assert judge(parse_target(target), parse_target(actual)).status == status


def test_strict_target_missed_at_its_bound_says_so_and_scores_below_full():
    j = judge(parse_target(">90%"), parse_target("90%"))
    assert j.status == "not_met" and "未超过" in j.why and "低于" not in j.why
    from sifund.core.model import Dataset
    from sifund.engine.evaluation import evaluate

    ind = Indicator(level1="满意度指标", name="满意度", target=">90%", actual="90%", weight=10)
    r = evaluate(Dataset(region="x", year=2023, indicators=[ind])).indicators[0]
    assert r.score == pytest.approx(9.9) and r.lost_reason


# ---- a bare count in a 数量指标 is a floor; a target without a unit is flagged --------------------


@pytest.mark.parametrize("text", ["1200人", "5个", "300人次", "2万人", "达到1200人", "12户"])
def test_bare_count_in_a_quantity_indicator_means_at_least(text):
    t = parse_target(text, "数量指标")
    assert t.op == "≥" and "不少于" in t.note


def test_more_people_served_than_planned_meets_a_bare_count_target():
    ind = Indicator(level2="数量指标", name="待遇领取人数", target="1200人", actual="1250人")
    r = evaluate_indicator(ind, lambda f, c: None)
    assert r.status == "met" and "按不少于1200人理解" in r.note


def test_fewer_people_than_planned_misses_a_bare_count_target():
    ind = Indicator(level2="数量指标", name="待遇领取人数", target="1200人", actual="1100人")
    assert evaluate_indicator(ind, lambda f, c: None).status == "not_met"


@pytest.mark.parametrize(
    ("text", "level2"),
    [
        ("1200人", "质量指标"),  # outside a 数量指标 the letter stands
        ("1200人", ""),
        ("=1200人", "数量指标"),  # an explicit equality is meant
        ("0件", "数量指标"),  # nobody plans "at least none"
        ("100%", "数量指标"),  # a rate is not a count
    ],
)
def test_other_bare_numbers_keep_equality(text, level2):
    assert parse_target(text, level2).op == "="


@pytest.mark.parametrize("text", ["≥95", "90-110", "95"])
def test_target_without_a_unit_gets_a_warning(text):
    assert "未写单位" in parse_target(text).warning


@pytest.mark.parametrize("text", ["≥95%", "≤0", "0", "无", "≥2:1", "≥6个月", "≥1200人"])
def test_target_with_a_unit_or_without_need_for_one_gets_no_warning(text):
    assert parse_target(text).warning == ""


def test_unitless_target_warning_reaches_the_result_and_the_number_is_still_compared():
    r = evaluate_indicator(Indicator(name="发放准确率", target="≥95", actual="98%"), lambda f, c: None)
    assert r.status == "met"
    assert "未写单位" in r.warning and "未写单位" in r.note


def test_unitless_target_of_a_unitless_metric_is_fine():
    m = Metric(fund="institution_pension", code="dependency_ratio", name="制度抚养比", value=2.5, unit="")
    ind = Indicator(name="抚养比", target="≥2", fund="institution_pension", metric="dependency_ratio")
    r = evaluate_indicator(ind, lambda f, c: m if c == "dependency_ratio" else None)
    assert r.status == "met" and "warning" not in r.model_dump()
