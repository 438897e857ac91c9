"""The model boundary: every number finite and in range, every text writable into DOCX/XLSX,
names short, years real integers — refused here, with the field named, instead of crashing a
report writer or the engine later."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sifund.core.model import Dataset, Figure, Indicator

BASE = {"region": "测试县", "year": 2023}


def errors(data: dict) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as e:
        Dataset.model_validate({**BASE, **data})
    return [(err["loc"], err["msg"]) for err in e.value.errors()]


def fig(value, **extra) -> dict:
    return {"figures": [{"fund": "all", "item": "income_total", "value": value, **extra}]}


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 1e308, 10.0**13, "1" * 5000])
def test_a_value_must_be_finite_and_in_range(value):
    ((loc, msg),) = errors(fig(value))
    assert loc[:3] == ("figures", 0, "value")
    assert "finite" in msg or "out of range" in msg


def test_the_largest_and_smallest_allowed_values_pass():
    for v in (0, 1e-9, -1e-9, 1e12, -1e12):
        assert Dataset.model_validate({**BASE, **fig(v)}).figures[0].value == v
    ((_, msg),) = errors(fig(1e-12))
    assert "too small" in msg


@pytest.mark.parametrize("precision", [0, -0.01, float("inf"), float("nan")])
def test_precision_is_a_positive_finite_number(precision):
    ((loc, _),) = errors(fig(1, precision=precision))
    assert loc[:3] == ("figures", 0, "precision")


@pytest.mark.parametrize("weight", [-1, float("inf"), float("nan")])
def test_indicator_weight_is_finite_and_not_negative(weight):
    ((loc, _),) = errors({"indicators": [{"name": "n", "weight": weight}]})
    assert loc[:3] == ("indicators", 0, "weight")
    assert Indicator(name="n", weight=0).weight == 0


@pytest.mark.parametrize("field", ["region", "agency", "department", "project"])
def test_names_are_short_and_single_line(field):
    ((loc, msg),) = errors({field: "县" * 101})
    assert loc == (field,) and "name too long" in msg
    ((loc, msg),) = errors({field: "示例\x00县"})
    assert "U+0000" in msg
    ((loc, msg),) = errors({field: "示例\n县"})
    assert "U+000A" in msg


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\ud800", "\ufffe"])
def test_text_fields_refuse_what_xml_cannot_carry(bad):
    ((loc, msg),) = errors({"narrative": {"goals": f"目标{bad}"}})
    assert loc == ("narrative", "goals") and "control character" in msg
    ok = Dataset.model_validate({**BASE, "narrative": {"goals": "第一行\n\t第二行\r\n"}})
    assert ok.narrative.goals.startswith("第一行")


def test_text_fields_are_length_limited():
    ((loc, msg),) = errors({"indicators": [{"name": "指" * 200_001}]})
    assert loc == ("indicators", 0, "name") and "text too long" in msg


@pytest.mark.parametrize("year", ["²⁰²³", "２０２３", True, "2023年", 2023.5])
def test_year_is_a_real_integer(year):
    ((loc, _),) = errors({"year": year})
    assert loc == ("year",)


def test_year_as_ascii_digits_still_reads():
    assert Dataset.model_validate({**BASE, "year": "2023"}).year == 2023


def test_figure_and_indicator_counts_are_limited(monkeypatch, tmp_path):
    limits = tmp_path / "limits.yaml"
    limits.write_text("dataset: {max_figures: 2, max_indicators: 1}\n", encoding="utf-8")
    monkeypatch.setenv("SIFUND_LIMITS", str(limits))
    three = [{"fund": "all", "item": "income_total", "value": i} for i in range(3)]
    msgs = errors({"figures": three, "indicators": [{"name": "a"}, {"name": "b"}]})
    assert [loc for loc, _ in msgs] == [("figures",), ("indicators",)]
    assert all("too many" in m for _, m in msgs)


def test_a_figure_built_in_code_is_checked_too():
    with pytest.raises(ValidationError, match="finite"):
        Figure(fund="all", item="income_total", value=float("nan"))
