"""Header cells that name a measure and an item at once, and 绩效目标 tables in the body.

A half-year execution table puts funds in its rows and, in each header cell, what the column holds:
"全年预算收入" (收入, budgeted), "1-6月累计收入" (收入 to date: the actual), "收入进度(%)" (收入's
completion rate), "期末累计结余" (the rolling balance). Such a cell is read as its item and its
measure: the words left once the measure words and the period ("全年", "1-6月累计", "期末") are taken
out name only the item. Before this, no column of such a table had an item and none of its 63 cells
was read (blind7 youxian-2024: 30/57 facts, the planted 进度 error not found).

A report may also state its targets in a table of the body ("绩效指标 | 年度目标 | 实际完成 | 完成情况")
besides the 自评表 appended to it; its rows are indicators too (blind7 yudu-2024: 9/15 indicators).
Each case is a small .docx built here with python-docx (a TXT version where the class is the same).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sifund.review.extract import extract_document, extract_text
from sifund.review.readers import read_document
from sifund.review.tables import TABLE_GRID, column_measure

HALF_YEAR = [
    [
        "基金名称",
        "全年预算收入",
        "1-6月累计收入",
        "收入进度(%)",
        "全年预算支出",
        "1-6月累计支出",
        "支出进度(%)",
        "期末累计结余",
    ],
    [
        "机关事业单位\n基本养老保险\n基金",
        "52,360.00",
        "25,418.37",
        "48.55",
        "51,880.00",
        "26,105.92",
        "50.32",
        "4,386.51",
    ],
    ["工伤保险基金", "1,860.00", "902.36", "48.51", "1,720.00", "958.71", "55.74", "1,245.80"],
    ["合计", "54,220.00", "26,320.73", "48.54", "53,600.00", "27,064.63", "50.49", "5,632.31"],
]

HALF_YEAR_FIGURES = {
    ("institution_pension", "income_total", "budget", 52360.0),
    ("institution_pension", "income_total", "actual", 25418.37),
    ("institution_pension", "income_total", "completion_rate", 48.55),
    ("institution_pension", "expenditure_total", "budget", 51880.0),
    ("institution_pension", "expenditure_total", "actual", 26105.92),
    ("institution_pension", "expenditure_total", "completion_rate", 50.32),
    ("institution_pension", "balance_rolling", "actual", 4386.51),
    ("work_injury", "income_total", "budget", 1860.0),
    ("work_injury", "expenditure_total", "completion_rate", 55.74),
    ("work_injury", "balance_rolling", "actual", 1245.8),
    ("all", "income_total", "budget", 54220.0),
    ("all", "expenditure_total", "completion_rate", 50.49),
    ("all", "balance_rolling", "actual", 5632.31),
}


def _docx(path: Path, paragraphs: list[str | list[list[str]]]) -> Path:
    """A report of paragraphs and tables (a list of rows is a table), in order."""
    import docx

    d = docx.Document()
    for p in paragraphs:
        if isinstance(p, str):
            d.add_paragraph(p)
            continue
        t = d.add_table(rows=len(p), cols=len(p[0]))
        for r, row in enumerate(p):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    d.save(str(path))
    return path


def _figures(result) -> set[tuple[str, str, str, float]]:
    return {(f.fund, f.item, f.measure, f.value) for f in result.dataset.figures}


@pytest.mark.parametrize(
    ("cell", "measure"),
    [
        ("全年预算收入", "budget"),
        ("收入进度(%)", "completion_rate"),
        ("支出进度", "completion_rate"),
        ("1-6月累计支出", None),  # an item column with no measure word holds actuals
        ("时间进度", None),  # the share of the year gone, no column of figures
    ],
)
def test_a_header_cell_names_its_measure_beside_its_item(cell: str, measure: str | None) -> None:
    assert column_measure(cell) == measure


def test_a_half_year_table_with_measure_and_item_in_each_header_cell(tmp_path: Path) -> None:
    path = _docx(
        tmp_path / "half.docx",
        [
            "某县2024年1-6月社会保险基金预算执行情况如下。",
            "表1 2024年1-6月社会保险基金预算执行情况表（单位：万元）",
            HALF_YEAR,
        ],
    )
    result = extract_document(read_document(path))
    grid = [f for f in result.dataset.figures if (f.model_extra or {}).get("production") == TABLE_GRID]
    assert {(f.fund, f.item, f.measure, f.value) for f in grid} >= HALF_YEAR_FIGURES
    assert len(grid) == 3 * 7  # every value cell, once
    # the fund name wrapped over three lines of its cell is one fund
    assert {f.fund for f in grid} == {"institution_pension", "work_injury", "all"}


def test_the_same_header_in_a_txt_table() -> None:
    lines = ["\t".join(c.replace("\n", "") for c in row) for row in HALF_YEAR]
    text = (
        "某县2024年1-6月社会保险基金预算执行情况如下。\n表1 执行情况表（单位：万元）\n"
        + "\n".join(lines)
        + "\n"
    )
    assert _figures(extract_text(text)) >= HALF_YEAR_FIGURES


def test_a_period_alone_before_an_item_is_no_item_of_a_measure_column() -> None:
    # "上年同期" is a measure (prior), not a period: "上年同期收入" holds last year's 收入
    text = (
        "某县2024年社会保险基金收支情况如下。\n单位：万元\n"
        "项目\t本年收入\t上年同期收入\n工伤保险基金\t1,860.00\t1,700.00\n"
    )
    assert {
        ("work_injury", "income_total", "actual", 1860.0),
        ("work_injury", "income_total", "prior", 1700.0),
    } <= _figures(extract_text(text))


GOALS = [
    ["绩效指标", "年度目标", "实际完成", "完成情况"],
    ["失业保险参保人数", "1.85万人", "1.79万人", "未完成"],
    ["稳岗返还惠及企业", "300户", "286户", "基本完成"],
]
SELF_EVALUATION = [
    ["一级指标", "二级指标", "三级指标", "指标权重", "年度指标值", "实际完成值", "得分"],
    ["产出指标", "数量指标", "失业保险金按时足额发放人数", "10", "≥600人", "642人", "10"],
]


def _indicators(path: Path) -> list[tuple[str, str, str, str]]:
    return [
        (i.level1, i.name, i.target, i.actual)
        for i in extract_document(read_document(path)).dataset.indicators
    ]


def test_a_goal_table_in_the_body_and_the_appended_self_evaluation(tmp_path: Path) -> None:
    path = _docx(
        tmp_path / "goals.docx",
        [
            "某县2024年度失业保险基金预算绩效自评报告",
            "三、绩效目标完成情况",
            "年初设定的绩效目标及完成情况见下表。",
            GOALS,
            "四、存在的问题",
            "附表：某县2024年度社会保险基金预算绩效自评表",
            SELF_EVALUATION,
        ],
    )
    assert _indicators(path) == [
        ("", "失业保险参保人数", "1.85万人", "1.79万人"),
        ("", "稳岗返还惠及企业", "300户", "286户"),
        ("产出指标", "失业保险金按时足额发放人数", "≥600人", "642人"),
    ]


def test_a_goal_table_without_a_self_evaluation(tmp_path: Path) -> None:
    path = _docx(
        tmp_path / "only.docx",
        ["某县2024年度失业保险基金预算绩效自评报告", "绩效目标完成情况见下表。", GOALS],
    )
    assert [n for _, n, _, _ in _indicators(path)] == ["失业保险参保人数", "稳岗返还惠及企业"]


def test_a_table_of_figures_is_no_goal_table(tmp_path: Path) -> None:
    # "项目 | 年度目标" would be a goal table only with its indicator column named so
    rows = [["项目", "预算数", "实际完成"], ["基金收入", "1,860.00", "1,902.00"]]
    path = _docx(tmp_path / "figures.docx", ["某县2024年工伤保险基金预算执行情况如下。", rows])
    assert _indicators(path) == []
