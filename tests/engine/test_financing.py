"""The financing models of data/engine/financing.yaml: what they say, and how a bad file is reported."""

from __future__ import annotations

import textwrap

import pytest

from sifund.core.errors import SifundError
from sifund.engine.config import default_config
from sifund.engine.financing import financing, load_financing, parse_financing

GOOD = """\
default_model: plain
funds:
  work_injury: plain
models:
  plain:
    name: 缴费型
    regular_income: [contribution]
    basis: 保险费收入
    why: 由缴费筹资
"""


def _bad(text: str) -> str:
    with pytest.raises(SifundError) as e:
        parse_financing(textwrap.dedent(text), "f.yaml")
    return str(e.value)


def test_resident_funds_are_subsidy_financed_and_pensions_are_backed_by_subsidy():
    fin = financing()
    assert fin.model_code("resident_pension") == fin.model_code("resident_medical") == "subsidy_financed"
    assert fin.model("resident_pension").regular_income == ["income_total"]
    assert fin.model("institution_pension").regular_income == ["contribution", "fiscal_subsidy"]
    assert fin.model("enterprise_pension").regular_income == ["contribution", "fiscal_subsidy"]
    assert fin.model("work_injury").regular_income == ["contribution"]


def test_a_fund_not_listed_gets_the_default_model():
    fin = financing()
    assert "occupational_annuity" not in fin.funds
    assert fin.model_code("occupational_annuity") == fin.default_model


def test_fiscal_dependence_is_no_risk_for_subsidy_financed_funds_and_says_why():
    use = financing().rule("resident_pension", "fiscal_dependence_high")
    assert use is not None and not use.applies and "政府补贴" in use.why
    backed = financing().rule("institution_pension", "fiscal_dependence_high")
    assert backed is not None and backed.applies


def test_every_rule_the_models_name_is_a_shipped_risk_rule():
    ids = {r.id for r in default_config().risks}
    named = {rid for m in financing().models.values() for rid in m.risks}
    assert named and named <= ids


def test_every_rule_use_cites_a_reason_in_chinese():
    for model in financing().models.values():
        for use in model.risks.values():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in use.why)


def test_no_payable_months_pool_by_default():
    assert financing().payable_months_pools == []
    assert financing().pool_of(["institution_pension", "resident_pension"]) is None


def test_pool_of_needs_every_fund_in_one_pool():
    fin = parse_financing(
        GOOD + "payable_months_pools:\n  - {funds: [employee_medical, maternity], why: 合并实施}\n"
    )
    assert fin.pool_of(["employee_medical", "maternity"]).why == "合并实施"
    assert fin.pool_of(["employee_medical", "maternity", "work_injury"]) is None
    assert fin.pool_of(["employee_medical"]) is None  # one fund pools nothing


def test_load_from_a_file(tmp_path):
    p = tmp_path / "fin.yaml"
    p.write_text(GOOD, encoding="utf-8")
    assert load_financing(p).model("unemployment").name == "缴费型"
    assert load_financing() is financing()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SifundError, match="不存在"):
        load_financing(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (GOOD.replace("work_injury: plain", "wrk_injury: plain"), "funds"),
        (GOOD.replace("work_injury: plain", "work_injury: other"), "unknown model"),
        (GOOD.replace("default_model: plain", "default_model: nope"), "default_model"),
        (GOOD.replace("[contribution]", "[contribution, benefits]"), "line 7, models.plain.regular_income"),
        (GOOD.replace("[contribution]", "[income_total, fiscal_subsidy]"), "models.plain.regular_income"),
        (GOOD.replace("    why: 由缴费筹资\n", ""), "line 6, models.plain.why"),
        (GOOD + "    risks:\n      fiscal_dependence_high: {applies: false}\n",
         "line 11, models.plain.risks.fiscal_dependence_high.why"),
        (GOOD + "    colour: red\n", "models.plain.colour"),
        (GOOD + "payable_months_pools:\n  - {funds: [maternity], why: x}\n", "payable_months_pools.0.funds"),
        (GOOD + "payable_months_pools:\n  - {funds: [all, maternity], why: x}\n", "unknown fund code 'all'"),
        (GOOD + "payable_months_pools:\n  - {funds: [maternity, work_injury], why: a}\n"
                "  - {funds: [maternity, unemployment], why: b}\n", "maternity"),
        ("models: [\n", "YAML"),
        ("- 1\n", "顶层"),
    ],
)  # fmt: skip
def test_bad_file_names_the_key(text, where):
    msg = _bad(text)
    assert "f.yaml" in msg and where in msg, msg
