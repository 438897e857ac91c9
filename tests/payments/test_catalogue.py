"""The rule catalogue: the ten built-in rules, errors naming file/line/key, province overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from sifund.core.errors import SifundError
from sifund.payments.catalogue import RULES_FILE, builtin_rules, load_rules, parse_catalogue
from sifund.payments.kinds import KINDS

BUILTIN = {
    "paid_after_death": ("high", "paid_after_event"),
    "duplicate_payment": ("high", "duplicate"),
    "multiple_pensions": ("high", "concurrent_funds"),
    "unemployment_with_pension": ("high", "incompatible_benefits"),
    "unemployment_while_contributing": ("medium", "benefit_while_contributing"),
    "underage_pension": ("medium", "under_age"),
    "invalid_person_id": ("medium", "invalid_id"),
    "shared_account": ("medium", "shared_key"),
    "same_person_two_ids": ("medium", "linkage"),
    "amount_outlier": ("low", "outlier"),
}


def test_the_ten_rules_of_the_spec_come_first_with_their_risk_and_kind() -> None:
    rules = builtin_rules()
    assert [r.code for r in rules[:10]] == list(BUILTIN)
    assert {r.code: (r.risk, r.kind) for r in rules[:10]} == BUILTIN
    assert all(r.enabled and r.category == "支付类" and r.name and r.reason for r in rules)
    shared = next(r for r in rules if r.code == "shared_account")
    assert (shared.params.key, shared.params.min_people) == ("account", 3)
    pensions = next(r for r in rules if r.code == "multiple_pensions").params
    assert pensions.funds == ["enterprise_pension", "institution_pension", "resident_pension"]  # from $sets


def overridden(tmp_path: Path, text: str) -> list:
    f = tmp_path / "省规则.yaml"
    f.write_text(text, encoding="utf-8")
    return load_rules(f)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(SifundError) as e:
        overridden(tmp_path, text)
    return str(e.value)


def test_an_override_changes_params_key_by_key_disables_and_adds(tmp_path: Path) -> None:
    rules = overridden(
        tmp_path,
        """rules:
  - code: shared_account
    params: {min_people: 2}
  - code: amount_outlier
    enabled: false
  - code: big_payment
    名称: 单笔金额过大
    类别: 支付类
    风险等级: low
    kind: row_filter
    params: {where: "amount > 100000"}
    reason: "{name}单笔待遇超过十万元"
""",
    )
    by = {r.code: r for r in rules}
    assert (by["shared_account"].params.min_people, by["shared_account"].params.key) == (2, "account")
    assert by["shared_account"].name == "多人共用银行账户"  # untouched fields stay
    assert not by["amount_outlier"].enabled
    assert [r.code for r in rules][-1] == "big_payment" and by["big_payment"].order == 10


def test_a_typo_in_a_key_names_the_file_the_line_and_the_key(tmp_path: Path) -> None:
    msg = error(tmp_path, "rules:\n  - code: shared_account\n    风险等极: low\n")
    assert msg == f"{tmp_path / '省规则.yaml'}: line 3, rules.0.风险等极: 未知的键（拼写错误？）unknown key"
    msg = error(tmp_path, "rules:\n  - code: shared_account\n    params:\n      min_peopel: 2\n")
    assert "line 4, rules.0.params.min_peopel: 未知的键" in msg


def test_bad_values_are_named_with_their_line(tmp_path: Path) -> None:
    assert "line 3, rules.0.风险等级: 应为" in error(
        tmp_path, "rules:\n  - code: shared_account\n    风险等级: 高\n"
    )
    assert "line 3, rules.0.kind: 未知的规则类型" in error(
        tmp_path, "rules:\n  - code: shared_account\n    kind: nope\n"
    )
    msg = error(tmp_path, 'rules:\n  - code: shared_account\n    reason: "{name}{acount}"\n')
    assert "line 3, rules.0.reason: 说明模板中有未知占位符 unknown placeholder {acount}" in msg
    msg = error(tmp_path, "rules:\n  - code: amount_outlier\n    params: {factor: -1}\n")
    assert "line 3, rules.0.params.factor" in msg
    msg = error(tmp_path, "rules:\n  - code: multiple_pensions\n    params: {funds: $no_such_set}\n")
    assert "未定义的代码集 unknown set $no_such_set" in msg


def test_a_new_rule_needs_every_field_and_a_valid_sql_condition(tmp_path: Path) -> None:
    msg = error(tmp_path, "rules:\n  - code: x1\n    kind: row_filter\n")
    assert "line 2, rules.0.名称: 缺少必填项 missing" in msg
    head = "rules:\n  - code: x1\n    名称: 甲\n    类别: 支付类\n    风险等级: low\n"
    head += "    reason: r\n    kind: row_filter\n"
    assert "invalid SQL" in error(tmp_path, head + '    params: {where: "amount >"}\n')
    assert "unknown column: amout" in error(tmp_path, head + '    params: {where: "amout > 1"}\n')
    assert "不能是查询" in error(tmp_path, head + '    params: {where: "(SELECT 1)"}\n')


def test_a_code_twice_in_one_file_and_a_yaml_error_name_the_line() -> None:
    entry = "  - {code: a, 名称: 甲, 类别: 支付类, 风险等级: low, kind: row_filter, "
    entry += "params: {where: 'amount > 1'}, reason: r}\n"
    with pytest.raises(SifundError, match=r"x.yaml: line 3, rules.1.code: 代码重复"):
        parse_catalogue([("rules:\n" + entry + entry, "x.yaml")])
    with pytest.raises(SifundError, match=r"y.yaml: line 3, column 1: YAML 格式错误"):
        parse_catalogue([("rules:\n  - [\n", "y.yaml")])


def test_every_kind_is_documented_and_has_a_params_model() -> None:
    for name, kind in KINDS.items():
        assert kind.run.__doc__, name
        assert kind.params.model_json_schema(), name
    assert RULES_FILE.endswith("rules.yaml")
