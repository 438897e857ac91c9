"""The template's slots for what an agency states (#11): each has a 说明 line, and template → fill
→ load round-trips every one of them (stated changes and rates, all-funds totals and budgets, a
其中 budget line, benefit standards, opening/overview/application, per-fund text, the sign-off)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.ingest.fill import fill_template, templatable

from sifund.core.codes import codebook
from sifund.ingest import load_dataset
from sifund.ingest.xlsx_template import load_workbook_dataset
from sifund.render.template import write_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEVEN = EXAMPLES / "seven-funds-2023.yaml"


@pytest.fixture(scope="module")
def seven(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    ds = load_dataset(SEVEN)
    tmp = tmp_path_factory.mktemp("seven")
    return fill_template(write_template(tmp / "blank.xlsx", ds.funds()), ds, tmp / "filled.xlsx"), ds


def test_each_slot_has_a_readme_line(tmp_path: Path) -> None:
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    readme = "\n".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    words_list = ("较上年增减额", "同比增减率%", "完成预算%", "all", "其中", "基础养老金标准",
                  "人均财政补助标准", "开篇段落", "总体情况说明", "结果应用", "分基金说明", "填报单位",
                  "填报日期")  # fmt: skip
    for words in words_list:
        assert words in readme, words
    info = [r[0].value for r in wb["基本信息"].iter_rows(min_row=2)]
    assert info[-4:] == ["填报单位", "填报人", "联系电话", "填报日期"]
    codes = [r[1].value for r in wb["文字说明"].iter_rows(min_row=2)]
    assert codes[-3:] == ["opening", "overview", "application"]
    per_fund = wb["分基金说明"]
    assert [c.value for c in per_fund[1]] == [
        "基金",
        "基金代码",
        "收支变动原因",
        "主要做法及成效",
        "待遇标准及政策调整",
    ]
    assert "all" not in {r[1].value for r in per_fund.iter_rows(min_row=2)}  # 合计 has no text of its own
    money = {(r[1].value, r[3].value) for r in wb["基金收支"].iter_rows(min_row=2)}
    assert ("resident_pension", "basic_pension_base") in money and ("all", "expenditure_total") in money
    people = {(r[1].value, r[3].value) for r in wb["人数"].iter_rows(min_row=2)}
    assert ("resident_pension", "basic_pension_standard") in people
    assert ("resident_medical", "subsidy_standard") in people


def test_standard_codes_are_yuan() -> None:
    cb = codebook()
    assert cb.items["basic_pension_standard"].kind == "yuan"
    assert cb.items["subsidy_standard"].kind == "yuan"


def test_seven_funds_round_trip_every_slot(seven: tuple[Path, object]) -> None:
    filled, ds = seven
    back = load_dataset(filled)
    assert sorted((f.fund, f.item, f.measure, f.value) for f in back.figures) == sorted(templatable(ds))
    measures = {f.measure for f in back.figures}
    assert {"yoy_change", "yoy_rate", "completion_rate", "budget", "prior"} <= measures
    assert back.value("all", "expenditure_total", "budget") == ds.value("all", "expenditure_total", "budget")
    assert back.value("resident_pension", "basic_pension_base", "budget") == 6500.0
    assert back.value("resident_pension", "basic_pension_standard", "yoy_change") == 20.0
    assert back.value("resident_medical", "subsidy_standard") == 640.0
    assert back.narrative.model_dump() == ds.narrative.model_dump()
    assert back.fund_narratives == ds.fund_narratives and len(back.fund_narratives) == 7
    assert back.signoff == ds.signoff and back.signoff.date == "2024年3月15日"


def test_template_date_and_percent_cells_read_as_typed(seven: tuple[Path, object], tmp_path: Path) -> None:
    filled, _ = seven
    wb = load_workbook(filled)
    info = wb["基本信息"]
    row = next(r for r in info.iter_rows(min_row=2) if r[0].value == "填报日期")
    row[1].value = dt.datetime(2024, 3, 5)  # Excel turned the typed date into a date cell
    ws = wb["基金收支"]
    col = next(c.column for c in ws[1] if c.value == "完成预算%")
    r = next(
        r for r in ws.iter_rows(min_row=2) if r[1].value == "unemployment" and r[3].value == "income_total"
    )
    cell = ws.cell(row=r[0].row, column=col)
    cell.value, cell.number_format = 1.0270, "0.00%"  # typed "102.70%" in a percent-formatted cell
    wb.save(tmp_path / "x.xlsx")
    back = load_workbook_dataset(tmp_path / "x.xlsx")
    assert back.signoff.date == "2024年3月5日"
    assert back.value("unemployment", "income_total", "completion_rate") == pytest.approx(102.70)


def test_a_copy_of_an_older_template_still_loads(seven: tuple[Path, object], tmp_path: Path) -> None:
    """Copies filled before the stated columns and the 分基金说明 sheet existed: no 缺少列 error."""
    filled, _ = seven
    wb = load_workbook(filled)
    ws = wb["基金收支"]
    for head in ("完成预算%", "同比增减率%", "较上年增减额"):
        col = next(c.column for c in ws[1] if c.value == head)
        ws.delete_cols(col)
    del wb["分基金说明"]
    wb.save(tmp_path / "old.xlsx")
    back = load_workbook_dataset(tmp_path / "old.xlsx")
    assert not back.fund_narratives
    assert {f.measure for f in back.figures if codebook().items[f.item].kind == "money"} == {
        "actual", "prior", "budget"}  # fmt: skip


def test_fund_narrative_for_an_unknown_fund_names_the_cell(
    seven: tuple[Path, object], tmp_path: Path
) -> None:
    from sifund.core.errors import SifundError

    filled, _ = seven
    wb = load_workbook(filled)
    wb["分基金说明"]["B3"] = "no_such_fund"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(SifundError) as e:
        load_workbook_dataset(tmp_path / "bad.xlsx")
    assert "分基金说明!B3" in [p.place for p in e.value.problems]
