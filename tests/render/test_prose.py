"""Prose a reviewer accepts (#11): each rule of the genre on made-up data, one test per rule.

Every test renders a report from a small dataset built here (no real report's text), and checks
a rule a 财政局 reviewer applies when reading it: small counts in Chinese numerals, no 元/人·年
units, a metric stated once, 收不抵支 judged on the fund's financing model, indicator results as
sentences with target, actual and score, grouped by fund, the agency's narrative under its fund,
risks as paragraphs with figure and reason, the sign-off, and the 数据审核 appendix.
"""

from __future__ import annotations

import re

import pytest
from tests.render.conftest import evaluate_dataset

from sifund.core.model import Dataset
from sifund.render.phrases import cn_count, cn_number, fmt_score
from sifund.render.report import render_text

FIGS = [
    # 机关养老: contributions below spending, subsidy makes up the rest (not 收不抵支 on its model)
    ("institution_pension", "income_total", "actual", 1200.0),
    ("institution_pension", "income_total", "budget", 1150.0),
    ("institution_pension", "contribution", "actual", 700.0),
    ("institution_pension", "fiscal_subsidy", "actual", 480.0),
    ("institution_pension", "expenditure_total", "actual", 1100.0),
    ("institution_pension", "expenditure_total", "budget", 1120.0),
    ("institution_pension", "expenditure_total", "prior", 1000.0),
    ("institution_pension", "benefits", "actual", 1090.0),
    ("institution_pension", "balance_rolling", "actual", 100.0),
    ("institution_pension", "retirees", "actual", 300.0),
    ("institution_pension", "contributors", "actual", 500.0),
    # 城乡居民养老: subsidy-financed by design, large surplus
    ("resident_pension", "income_total", "actual", 900.0),
    ("resident_pension", "contribution", "actual", 200.0),
    ("resident_pension", "fiscal_subsidy", "actual", 650.0),
    ("resident_pension", "expenditure_total", "actual", 600.0),
    ("resident_pension", "expenditure_total", "budget", 610.0),
    ("resident_pension", "balance_rolling", "actual", 4000.0),
    ("resident_pension", "beneficiaries", "actual", 2000.0),
    # 工伤: contribution-financed, contributions below spending → 收不抵支
    ("work_injury", "income_total", "actual", 310.0),
    ("work_injury", "contribution", "actual", 300.0),
    ("work_injury", "expenditure_total", "actual", 340.0),
    ("work_injury", "expenditure_total", "budget", 345.0),
    ("work_injury", "balance_rolling", "actual", 90.0),
]

INDICATORS = [
    {"level1": "产出指标", "level2": "数量指标", "name": "机关养老支出预算完成率", "target": "≥95%",
     "fund": "institution_pension", "metric": "expenditure_completion", "weight": 7},
    {"level1": "产出指标", "level2": "数量指标", "name": "机关养老收入预算完成率", "target": "≥95%",
     "fund": "institution_pension", "metric": "income_completion", "weight": 6},
    {"level1": "产出指标", "level2": "数量指标", "name": "居民养老待遇领取人数", "target": "≥1900人",
     "actual": "2000人", "fund": "resident_pension", "weight": 6},
    {"level1": "产出指标", "level2": "时效指标", "name": "待遇按月发放", "target": "每月10日前发放",
     "actual": "每月10日前发放", "weight": 5},
    {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "参保人员满意度", "target": ">90%",
     "actual": "93%", "weight": 10},
]  # fmt: skip


SIGNED = "2025年3月1日"


def _dataset(**extra: object) -> Dataset:
    raw: dict = {
        "region": "样例县",
        "year": 2024,
        "figures": [{"fund": f, "item": i, "measure": m, "value": v} for f, i, m, v in FIGS],
        "indicators": INDICATORS,
        "narrative": {
            "opening": "开篇说明甲。",
            "overview": "总体说明乙。",
            "achievements": "成效说明丙。",
            "application": "结果应用说明丁。",
        },
        "fund_narratives": {
            "work_injury": {
                "reasons": "工伤变动原因戊。",
                "practices": "工伤主要做法己。",
                "standards": "工伤待遇标准庚。",
            }
        },
        "signoff": {"unit": "样例县社保中心", "preparer": "张三", "phone": "0000-1234567", "date": SIGNED},
    }
    raw.update(extra)
    return Dataset.model_validate(raw)


@pytest.fixture(scope="module")
def text() -> str:
    return render_text(evaluate_dataset(_dataset()))


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


# -- counts, units, numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "want"), [(1, "一项"), (2, "两项"), (3, "三项"), (10, "十项"), (12, "十二项"), (20, "二十项"),
                    (22, "二十二项"), (99, "九十九项"), (100, "100项")]
)  # fmt: skip
def test_cn_count_writes_small_counts_in_chinese(n: int, want: str) -> None:
    assert cn_count(n) == want


def test_cn_number_and_score() -> None:
    assert (cn_number(2), cn_number(14), cn_number(0)) == ("二", "十四", "零")
    assert (fmt_score(7.0), fmt_score(5.68), fmt_score(9.999)) == ("7", "5.68", "10")


def test_no_arabic_counts_of_funds_or_indicators(text: str) -> None:
    assert "三项" in _section(text, "（一）社会保险基金总体情况", "（二）")
    assert "共设置绩效指标五项（产出指标四项、满意度指标一项）" in text
    assert not re.search(r"共\d+项|\d+项(基金|绩效指标)", text)


def test_no_per_person_period_units(text: str) -> None:
    assert "元/人" not in text and "人·年" not in text
    assert "年人均待遇支出" in text


# -- one metric, once; payable months per fund -------------------------------------------------


def test_payable_months_once_per_fund_and_never_pooled(text: str) -> None:
    section2 = _section(text, "二、各项社会保险基金", "三、")
    assert section2.count("累计结余可支付") == 3  # one per fund, on one basis
    assert section2.count("按当年基金支出水平，累计结余可支付") == 3
    overview = _section(text, "（一）社会保险基金总体情况", "（二）")
    assert "可支付" not in overview  # separate accounts: no 合计 by default


def test_no_payable_months_for_a_negative_balance() -> None:
    figs = [f for f in FIGS if f[0] == "work_injury" and f[1] != "balance_rolling"]
    figs.append(("work_injury", "balance_rolling", "actual", -50.0))
    ds = Dataset.model_validate({"region": "样例县", "year": 2024, "figures": [
        {"fund": f, "item": i, "measure": m, "value": v} for f, i, m, v in figs]})  # fmt: skip
    out = render_text(evaluate_dataset(ds))
    assert "年末滚存结余-50.00万元" in out
    assert "可支付" not in _section(out, "二、", "三、")


# -- 收不抵支 on the financing model ------------------------------------------------------------


def test_deficit_judged_on_the_financing_model(text: str) -> None:
    section2 = _section(text, "二、各项社会保险基金", "三、")
    inst = _section(section2, "机关事业单位基本养老保险基金预算完成及运行情况", "（二）")
    resid = _section(section2, "城乡居民基本养老保险基金预算完成及运行情况", "（三）")
    injury = section2[section2.index("工伤保险基金预算完成及运行情况") :]
    assert "收不抵支" not in inst  # 700 + 480 ≥ 1100: the subsidy is its regular income
    assert "收不抵支" not in resid and "需财政补贴弥补" not in text
    assert "保险费收入低于基金支出40.00万元，收不抵支" in injury  # 300 − 340


# -- 一（二）: the targets ----------------------------------------------------------------------


def test_targets_listed_per_fund_with_their_values(text: str) -> None:
    targets = _section(text, "（二）社会保险基金支出预算绩效目标设定情况", "二、")
    assert "2024年机关事业单位基本养老保险基金预算支出1120.00万元，绩效目标为：" in targets
    assert "机关养老支出预算完成率≥95%，机关养老收入预算完成率≥95%。" in targets
    assert "居民养老待遇领取人数≥1900人" in targets
    assert "各项基金共同的绩效目标为：待遇按月发放（每月10日前发放），参保人员满意度>90%。" in targets


# -- 三（二）: results ---------------------------------------------------------------------------


def test_indicator_sentence_names_target_actual_and_score(text: str) -> None:
    results = _section(text, "（二）绩效目标完成情况", "（三）")
    assert "机关养老支出预算完成率指标值≥95%，实际完成98.21%，得7分" in results
    assert "居民养老待遇领取人数指标值≥1900人，实际完成2000人，得6分" in results
    assert "待遇按月发放达到“每月10日前发放”的要求，得5分" in results
    assert "分值7.00" not in results and "得分7.00" not in results and "产出指标/" not in results


def test_indicator_sentences_vary_in_shape(text: str) -> None:
    results = _section(text, "（二）绩效目标完成情况", "（三）")
    inst = _section(results, "1.机关事业单位基本养老保险基金", "2.")
    assert "指标值≥95%，实际完成" in inst and "年度目标为≥95%，全年实际为" in inst


def test_results_grouped_by_fund_with_the_funds_practices(text: str) -> None:
    results = _section(text, "（二）绩效目标完成情况", "（三）")
    i1, i2, i3 = (results.index(x) for x in ("1.机关事业", "2.城乡居民", "3.工伤保险基金"))
    assert i1 < results.index("机关养老支出预算完成率") < i2 < results.index("居民养老待遇领取人数") < i3
    assert results.index("工伤主要做法己。") > i3
    assert results.index("各项基金共同指标中，") > i3


def test_achievements_come_before_the_scores(text: str) -> None:
    results = _section(text, "（二）绩效目标完成情况", "（三）")
    assert results.index("成效说明丙。") < results.index("预算执行率") < results.index("经自评")


# -- risks -----------------------------------------------------------------------------------


def test_risks_are_paragraphs_with_figure_and_reason(text: str) -> None:
    risks = _section(text, "（四）基金运行风险评估", "四、")
    assert "【" not in risks
    injury = next(p for p in risks.split("\n") if p.startswith("工伤保险基金"))
    assert "低于基金支出40.00万元" in injury and "-40" not in injury and "收不抵支" in injury
    assert "缴费筹资" in injury  # the financing model's reason
    assert "城乡居民基本养老保险基金" not in risks  # subsidy share above half is its design


# -- the agency's narrative where it belongs ---------------------------------------------------


def test_narrative_slots_are_placed(text: str) -> None:
    assert text.index("开篇说明甲。") < text.index("一、社会保险基金收支余总体情况")
    overview = _section(text, "（一）社会保险基金总体情况", "（二）")
    assert overview.index("总收入") < overview.index("总体说明乙。")
    injury2 = _section(text, "（三）工伤保险基金预算完成及运行情况", "三、")
    assert "收支变动的主要原因：工伤变动原因戊。" in injury2 and "工伤待遇标准庚。" in injury2
    assert re.search(r"（三）绩效自评结果应用\n\n结果应用说明丁。", text)


def test_signoff_closes_the_body_before_the_appendix(text: str) -> None:
    body = text[: text.index("五、附表")]
    lines = [x for x in body.split("\n") if x]
    assert lines[-3:] == [
        "填报单位（盖章）：样例县社保中心",
        "填报人：张三　　联系电话：0000-1234567",
        f"填报日期：{SIGNED}",
    ]


def test_no_signoff_lines_when_none_given() -> None:
    out = render_text(evaluate_dataset(_dataset(signoff={})))
    assert "填报单位（盖章）：样例县" not in out


def test_optional_parts_number_on() -> None:
    ds = _dataset(narrative={"experience": "经验。", "application": ""})
    out = render_text(evaluate_dataset(ds))
    assert "（三）主要经验及做法" in out and "结果应用" not in out


# -- 数据审核 appendix ---------------------------------------------------------------------------


def test_audit_appendix_on_request_and_only_when_stated_figures_disagree(text: str) -> None:
    assert "数据审核" not in text
    assert "数据审核" not in render_text(evaluate_dataset(_dataset()), audit_appendix=True)
    ds = _dataset(figures=[*_dataset().model_dump()["figures"],
                           {"fund": "work_injury", "item": "expenditure_total", "measure": "completion_rate",
                            "value": 80.0}])  # fmt: skip  # 340 / 345 is 98.55%, not 80%
    ev = evaluate_dataset(ds)
    assert any(f.severity in ("warning", "error") for f in ev.findings)
    assert "数据审核" not in render_text(ev)  # off by default: a submitted report leaves it out
    out = render_text(ev, audit_appendix=True)
    appendix = out[out.index("六、数据审核情况") :]
    assert "经审核，报送数据中有一处" in appendix and "（1）" in appendix
    assert "完成年初预算345.00万元的98.55%" in out  # the body prints the computed rate


# -- round trip --------------------------------------------------------------------------------


def test_extractor_reads_every_figure_back_from_the_new_prose(text: str) -> None:
    from sifund.review.extract import extract_text

    got = extract_text(text).dataset
    back = {(f.fund, f.item, f.measure): f.value for f in got.figures}
    missing = [(f, i) for f, i, m, v in FIGS if m == "actual" and abs(back.get((f, i, m), 1e18) - v) > 1e-6]
    assert not missing


def test_range_targets_read_as_promises() -> None:
    from sifund.render.phrases import target_words

    assert target_words("90%-110%") == "不低于90%、不超过110%"
    assert target_words("90-110%") == "不低于90%、不超过110%"
    assert target_words("≥95%") == "≥95%" and target_words("30日内完成审核拨付") == "30日内完成审核拨付"


def test_reviewer_audit_of_the_new_prose_is_clean(text: str) -> None:
    from sifund.review.audit import audit_report
    from sifund.review.extract import extract_text

    serious = [f.message for f in audit_report(extract_text(text)) if f.severity in ("warning", "error")]
    assert not serious


def test_an_execution_rate_within_the_band_needs_no_reason() -> None:
    """Within 90%~110% the execution points simply follow the rate (98.55% → 9.86分): 三（三） must
    not ask the agency for a reason with a “（请填写偏差原因）” placeholder."""
    ev = evaluate_dataset(_dataset())
    assert ev.score.execution_rate is not None and 90 <= ev.score.execution_rate < 100
    assert any(x.get("kind") == "execution" for x in ev.score.lost)
    out = render_text(ev)
    part = out[out.index("（三）绩效目标未完成") : out.index("（四）")]
    assert "请填写" not in part and "预算执行率”偏差原因" not in part
