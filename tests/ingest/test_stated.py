"""Stated figures are kept and checked (#11): every disagreement is one warning naming the place
(line N / Sheet!Cell), both values and the recomputation, from validate, evaluate and report;
``report`` still writes unless ``--strict``; a consistent dataset gets no warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.ingest.fill import fill_template
from typer.testing import CliRunner

from sifund.cli import app
from sifund.ingest import load_dataset
from sifund.render.template import write_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Made-up figures. Three stated figures disagree: the completion rate (line 8), the 较上年增减额
# (line 6) and the all-funds income (line 12); the yoy_rate of line 7 is right.
BAD = """\
region: 甲县
year: 2023
figures:
  - {fund: enterprise_pension, item: expenditure_total, measure: actual, value: 12000}
  - {fund: enterprise_pension, item: expenditure_total, measure: prior, value: 11800}
  - {fund: enterprise_pension, item: expenditure_total, measure: yoy_change, value: 120}
  - {fund: enterprise_pension, item: expenditure_total, measure: yoy_rate, value: 1.69}
  - {fund: enterprise_pension, item: expenditure_total, measure: completion_rate, value: 90.5}
  - {fund: enterprise_pension, item: expenditure_total, measure: budget, value: 12500}
  - {fund: enterprise_pension, item: income_total, measure: actual, value: 13000}
  - {fund: unemployment, item: income_total, measure: actual, value: 500}
  - {fund: all, item: income_total, measure: actual, value: 13600}
"""
EXPECTED = [
    ("line 8", "90.5%", "12000/12500×100", "96.00%"),
    ("line 6", "120万元", "12000−11800", "200.00万元"),
    ("line 12", "13600万元", "13000+500", "13500.00万元"),
]


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(BAD, encoding="utf-8")
    return p


def _warnings(output: str) -> list[str]:
    return [x for x in output.splitlines() if x.startswith("警告 warning: ")]


def _assert_expected(lines: list[str], path: Path) -> None:
    assert len(lines) == len(EXPECTED), lines
    for line, (place, stated, recomp, computed) in zip(lines, EXPECTED, strict=True):
        assert line.startswith(f"警告 warning: {path}: {place}: ")
        assert f"写作{stated}" in line and recomp in line and f"应为{computed}" in line


def test_validate_warns_once_per_disagreement(bad: Path) -> None:
    r = CliRunner().invoke(app, ["validate", str(bad)])
    assert r.exit_code == 0, r.output
    _assert_expected(_warnings(r.output), bad)
    assert "通过（3条警告）" in r.output and "通过 ok" not in r.output


def test_validate_strict_exits_1(bad: Path) -> None:
    r = CliRunner().invoke(app, ["validate", "--strict", str(bad)])
    assert r.exit_code == 1
    assert len(_warnings(r.output)) == 3


def test_report_warns_writes_and_prints_the_computed_value(bad: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", str(bad), "-o", str(out), "-f", "txt"])
    assert r.exit_code == 0, r.output
    _assert_expected(_warnings(r.output), bad)
    (txt,) = out.iterdir()
    body = txt.read_text(encoding="utf-8")
    assert "数据审核" not in body  # the appendix is asked for with --audit-appendix
    assert "较上年增加200.00万元" in body and "120.00万元" not in body
    assert "96.00%" in body and "90.50%" not in body
    assert "13500.00" in body and "13600.00" not in body


def test_report_audit_appendix_lists_each_correction(bad: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", str(bad), "-o", str(out), "-f", "txt", "--audit-appendix"])
    assert r.exit_code == 0, r.output
    (txt,) = out.iterdir()
    body, appendix = txt.read_text(encoding="utf-8").split("数据审核情况")
    assert "120.00万元" not in body  # the body still prints only the computed value
    assert "（3）" in appendix and "（4）" not in appendix


def test_report_strict_writes_nothing(bad: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", "--strict", str(bad), "-o", str(out), "-f", "txt"])
    assert r.exit_code == 1
    assert len(_warnings(r.output)) == 3 and "未写入任何文件" in r.output
    assert not out.exists() or not any(out.iterdir())


def test_evaluate_json_lists_corrections_and_keeps_stdout_json(bad: Path) -> None:
    r = CliRunner().invoke(app, ["evaluate", str(bad), "-f", "json"])
    assert r.exit_code == 0
    stdout = r.stdout if hasattr(r, "stdout") else r.output
    obj = json.loads(stdout[stdout.index("{") :])
    got = [(c["place"], c["code"], c["stated"], c["computed"]) for c in obj["corrections"]]
    assert got == [
        ("line 8", "rate_mismatch", 90.5, 96.0),
        ("line 6", "yoy_change_mismatch", 120.0, 200.0),
        ("line 12", "fund_total_mismatch", 13600.0, 13500.0),
    ]
    assert all(c["corrected"] for c in obj["corrections"])
    metric = {(m["fund"], m["code"]): m["value"] for m in obj["metrics"]}
    assert metric[("enterprise_pension", "expenditure_yoy_change")] == 200.0


@pytest.mark.parametrize("name", ["synthetic-county-2023.yaml", "seven-funds-2023.yaml"])
def test_consistent_dataset_has_no_warning(name: str, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["validate", "--strict", str(EXAMPLES / name)])
    assert r.exit_code == 0 and not _warnings(r.output), r.output
    assert "通过 ok" in r.output
    r = CliRunner().invoke(
        app, ["report", "--strict", str(EXAMPLES / name), "-o", str(tmp_path), "-f", "txt"]
    )
    assert r.exit_code == 0 and not _warnings(r.output), r.output


def test_xlsx_warning_names_the_cell(tmp_path: Path) -> None:
    ds = load_dataset(EXAMPLES / "seven-funds-2023.yaml")
    filled = fill_template(write_template(tmp_path / "b.xlsx", ds.funds()), ds, tmp_path / "f.xlsx")
    wb = load_workbook(filled)
    ws = wb["基金收支"]
    header = {c.value: c.column_letter for c in ws[1]}
    row = next(
        r[0].row
        for r in ws.iter_rows(min_row=2)
        if r[1].value == "enterprise_pension" and r[3].value == "expenditure_total"
    )
    cell = f"{header['较上年增减额']}{row}"
    ws[cell] = 120
    wb.save(filled)
    r = CliRunner().invoke(app, ["validate", str(filled)])
    (line,) = _warnings(r.output)
    assert line.startswith(
        f"警告 warning: {filled}: 基金收支!{cell}: 企业职工基本养老保险基金支出较上年增减额写作120万元"
    )
    assert "按23233.6−21960.4应为1273.20万元" in line


def test_every_figure_of_a_yaml_dataset_has_its_line(bad: Path) -> None:
    ds = load_dataset(bad)
    assert [f.source.place for f in ds.figures] == [f"line {n}" for n in range(4, 13)]


# -- indicators: the 自评表 rows the officer typed ---------------------------------------------

INDICATORS = """\
schema: sifund.dataset/1
region: 某县
year: 2023
figures:
  - {fund: work_injury, item: expenditure_total, measure: actual, value: 340}
  - {fund: work_injury, item: expenditure_total, measure: budget, value: 345}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 工伤保险参保人数, target: "≥95", actual: "98人",
     fund: work_injury}
  - {level1: 产出指标, level2: 质量指标, name: 工伤保险基金支出预算完成率, target: "≥95%", actual: "80%",
     fund: work_injury, metric: expenditure_completion}
  - {level1: 产出指标, level2: 质量指标, name: 工伤待遇支付, target: "≥95%", actual: "98.55%",
     fund: work_injury, metric: expenditure_completion}
"""


def test_validate_warns_about_a_unitless_target_and_a_contradicted_actual(tmp_path: Path) -> None:
    path = tmp_path / "ind.yaml"
    path.write_text(INDICATORS, encoding="utf-8")
    r = CliRunner().invoke(app, ["validate", str(path)])
    assert r.exit_code == 0, r.output
    lines = _warnings(r.output)
    assert len(lines) == 2, lines  # the third row's 98.55% agrees with 340/345
    unitless, contradicted = lines
    assert f"{path}: line 8:" in unitless and "未写单位" in unitless
    assert f"{path}: line 10:" in contradicted and "写作80%" in contradicted and "98.55%" in contradicted
