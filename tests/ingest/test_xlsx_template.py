"""The XLSX input template: its layout, the round trip template → filled → Dataset, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.ingest.fill import fill_template, templatable
from typer.testing import CliRunner

from sifund.cli import app
from sifund.core.errors import SifundError
from sifund.ingest import load_dataset
from sifund.ingest.xlsx_template import load_workbook_dataset
from sifund.render.template import write_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SYNTHETIC = EXAMPLES / "synthetic-county-2023.yaml"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "模板.xlsx", None)


def test_template_layout(blank: Path) -> None:
    wb = load_workbook(blank)
    assert wb.sheetnames[:6] == ["说明", "基本信息", "基金收支", "人数", "绩效指标", "文字说明"]
    assert wb["代码表"].sheet_state == "hidden"
    money = wb["基金收支"]
    assert [c.value for c in money[1]] == [
        "基金",
        "基金代码",
        "项目",
        "项目代码",
        "上年实际",
        "年初预算",
        "调整后预算",
        "本年实际",
        "较上年增减额",
        "同比增减率%",
        "完成预算%",
    ]
    assert money.freeze_panes == "E2"
    assert money["E2"].number_format == "#,##0.00"
    assert money[1][0].font.b
    kinds = {dv.type for dv in money.data_validations.dataValidation}
    assert {"list", "decimal"} <= kinds
    funds = {r[1].value for r in money.iter_rows(min_row=2)}
    assert {"all", "institution_pension", "resident_pension", "unemployment"} <= funds
    # fund-specific rows: basic pension for pension funds, unemployment benefit for unemployment only
    keys = {(r[1].value, r[3].value) for r in money.iter_rows(min_row=2)}
    assert ("institution_pension", "basic_pension") in keys and (
        "unemployment",
        "unemployment_benefit",
    ) in keys
    assert ("unemployment", "basic_pension") not in keys
    assert [c.value for c in wb["人数"][1]][-3:] == ["上年", "本年", "较上年增减"]
    assert [c.value for c in wb["绩效指标"][1]][:3] == ["一级指标", "二级指标", "三级指标"]
    codes = [r[1].value for r in wb["文字说明"].iter_rows(min_row=2)]
    assert codes[:2] == ["goals", "achievements"] and "plans" in codes


def test_template_funds_option(tmp_path: Path) -> None:
    wb = load_workbook(
        write_template(tmp_path / "t.xlsx", ["resident_pension", "机关事业单位基本养老保险基金"])
    )
    assert {r[1].value for r in wb["基金收支"].iter_rows(min_row=2)} == {
        "resident_pension",
        "institution_pension",
    }
    with pytest.raises(SifundError, match=r"未知基金代码.*nonsense"):
        write_template(tmp_path / "u.xlsx", ["nonsense"])
    assert not (tmp_path / "u.xlsx").exists()


def test_blank_template_reads_as_missing_region_and_year(blank: Path) -> None:
    with pytest.raises(SifundError) as e:
        load_workbook_dataset(blank)
    text = str(e.value)
    assert "基本信息!B2" in text and "缺少地区" in text and "基本信息!B4" in text


@pytest.mark.parametrize("name", ["synthetic-county-2023", "korla-2020", "qitai-2019"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    ds = load_dataset(EXAMPLES / f"{name}.yaml")
    blank = write_template(tmp_path / "blank.xlsx", ds.funds())
    back = load_dataset(fill_template(blank, ds, tmp_path / "filled.xlsx"))
    assert (back.region, back.year, back.region_level) == (ds.region, ds.year, ds.region_level)
    assert (back.agency, back.department, back.project) == (ds.agency, ds.department, ds.project)
    got = sorted((f.fund, f.item, f.measure, f.value) for f in back.figures)
    assert got == sorted(templatable(ds))
    assert all(f.source and f.source.place and "!" in f.source.place for f in back.figures)
    fields = (
        "level1",
        "level2",
        "name",
        "target",
        "actual",
        "fund",
        "weight",
        "metric",
        "judgement",
        "reason",
    )
    assert [[getattr(i, k) for k in fields] for i in back.indicators] == [
        [getattr(i, k) for k in fields] for i in ds.indicators
    ]
    assert back.narrative.model_dump() == ds.narrative.model_dump()


def _broken(tmp_path: Path) -> Path:
    ds = load_dataset(SYNTHETIC)
    filled = fill_template(write_template(tmp_path / "blank.xlsx", ds.funds()), ds, tmp_path / "filled.xlsx")
    wb = load_workbook(filled)
    wb["基金收支"]["E12"] = "12,3a"
    wb["基金收支"]["B13"] = "no_such_fund"
    wb["基金收支"]["H13"] = 5
    wb["人数"]["F3"] = "三百人x"
    wb["绩效指标"]["I2"] = "maybe"
    wb.save(tmp_path / "broken.xlsx")
    return tmp_path / "broken.xlsx"


def test_broken_cells_listed_all_at_once(tmp_path: Path) -> None:
    with pytest.raises(SifundError) as e:
        load_workbook_dataset(_broken(tmp_path))
    lines = str(e.value).splitlines()
    assert any(line.endswith('基金收支!E12: 不是数字 "12,3a"') for line in lines)
    places = [p.place for p in e.value.problems]
    assert {"基金收支!E12", "基金收支!B13", "人数!F3", "绩效指标!I2"} <= set(places)


def test_cli_validate_and_report_refuse_broken_workbook(tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["validate", str(broken)])
    assert res.exit_code == 1
    assert '基金收支!E12: 不是数字 "12,3a"' in res.output
    out = tmp_path / "out"
    res = runner.invoke(app, ["report", str(broken), "-o", str(out)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert not out.exists() or not any(out.iterdir())


def test_unit_conversion_and_text_numbers(tmp_path: Path) -> None:
    ds = load_dataset(SYNTHETIC)
    filled = fill_template(write_template(tmp_path / "b.xlsx", ds.funds()), ds, tmp_path / "f.xlsx")
    wb = load_workbook(filled)
    ws = wb["基金收支"]
    row = next(
        r[0].row for r in ws.iter_rows(min_row=2) if r[1].value == "all" and r[3].value == "income_total"
    )
    ws[f"H{row}"] = "4.414050亿元"
    ws[f"G{row}"] = "４３，０００.５"  # full-width digits typed by hand
    wb.save(filled)
    back = load_workbook_dataset(filled)
    assert back.value("all", "income_total") == pytest.approx(44140.50)
    assert back.get("all", "income_total").source.place == f"基金收支!H{row}"
    assert back.value("all", "income_total", "budget_adjusted") == pytest.approx(43000.5)


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(SifundError, match="无法读取工作簿"):
        load_workbook_dataset(bad)


def test_report_from_filled_template_has_the_same_numbers(tmp_path: Path) -> None:
    from sifund.core.model import Figure
    from sifund.engine.evaluation import evaluate
    from sifund.render.report import render_text

    ds = load_dataset(SYNTHETIC)
    filled = fill_template(write_template(tmp_path / "b.xlsx", ds.funds()), ds, tmp_path / "f.xlsx")
    inputs = ds.model_copy(
        update={"figures": [Figure(fund=f, item=i, measure=m, value=v) for f, i, m, v in templatable(ds)]}
    )
    assert render_text(evaluate(load_dataset(filled))) == render_text(evaluate(inputs))


def test_cli_template_and_report_from_xlsx(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["template", "-o", str(tmp_path / "模板.xlsx"), "--funds", "resident_pension"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "模板.xlsx").exists()
    ds = load_dataset(SYNTHETIC)
    filled = fill_template(write_template(tmp_path / "b.xlsx", ds.funds()), ds, tmp_path / "f.xlsx")
    res = runner.invoke(app, ["report", str(filled), "-o", str(tmp_path / "out"), "-f", "txt"])
    assert res.exit_code == 0, res.output
    (txt,) = (tmp_path / "out").iterdir()
    assert txt.name == "示例县2023年社会保险基金支出预算绩效自评报告.txt"


def test_negative_count_and_unknown_metric_are_cell_errors(tmp_path: Path) -> None:
    ds = load_dataset(SYNTHETIC)
    filled = fill_template(write_template(tmp_path / "blank.xlsx", ds.funds()), ds, tmp_path / "filled.xlsx")
    wb = load_workbook(filled)
    people = wb["人数"]
    row = next(r for r in people.iter_rows(min_row=2) if r[5].value is not None)
    row[5].value = -5
    ind = wb["绩效指标"]
    col = next(c.column_letter for c in ind[1] if c.value == "绑定指标")
    ind[f"{col}2"] = "expenditure_completoin"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(SifundError) as e:
        load_workbook_dataset(tmp_path / "bad.xlsx")
    got = {p.place: p.message for p in e.value.problems}
    assert "负" in got[f"人数!{row[5].coordinate}"]
    assert "expenditure_completion" in got[f"绩效指标!{col}2"]  # the near miss is suggested


def test_yaml_negative_count_and_unknown_metric_name_their_lines(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(
        "region: x\nyear: 2023\nfigures:\n"
        "  - {fund: institution_pension, item: retirees, measure: yoy_change, value: -3}\n"
        "  - {fund: institution_pension, item: retirees, value: -3}\n"
        "indicators:\n  - {name: a, metric: payable_month}\n",
        encoding="utf-8",
    )
    with pytest.raises(SifundError) as e:
        load_dataset(p)
    places = [x.place for x in e.value.problems]
    assert places == ["line 5, figures[1].value", "line 7, indicators[0].metric"]  # a change may be < 0
