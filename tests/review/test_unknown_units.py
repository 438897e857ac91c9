"""A money unit sifund does not convert (亿美元, 港元 …) is never read as a figure nor dropped silently:
the number is listed as unresolved with that unit, so a reviewer sees it (extract.yaml ``foreign_money``)."""

from __future__ import annotations

import pytest

from sifund.review.extract import extract_text

HEAD = "某县2023年社会保险基金绩效自评报告\n"


@pytest.mark.parametrize(
    ("printed", "unit"), [("12.5亿美元", "亿美元"), ("300万港元", "万港元"), ("80欧元", "欧元")]
)
def test_a_number_in_a_foreign_money_unit_is_listed_not_read(printed: str, unit: str) -> None:
    r = extract_text(HEAD + f"企业职工基本养老保险基金收入{printed}，支出3,000.00万元。\n")
    listed = [u for u in r.unresolved if u["text"] == printed]
    assert listed and listed[0]["unit"] == unit and listed[0]["reason"] == f"unknown unit {unit}"
    assert all(f.source.text != printed for f in r.dataset.figures)


def test_yuan_amounts_are_read_as_before() -> None:
    r = extract_text(HEAD + "企业职工基本养老保险基金收入12.50亿元。\n")
    assert [(f.measure, f.value) for f in r.dataset.figures] == [("actual", 125000.0)]
    assert not [u for u in r.unresolved if u["reason"].startswith("unknown unit")]
