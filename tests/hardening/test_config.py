"""Hostile ``--config`` files for evaluate and report."""

from __future__ import annotations

import pytest
from tests.hardening.harness import Case, assert_no_outputs, assert_refused
from tests.hardening.makers import EXAMPLE

CONFIGS = {
    "rule-id-list": (
        "risks:\n  - id: [a, b]\n    level: 高\n    when: {metric: payable_months, op: '<', value: 6}\n"
        "    message: x\n", r"line 2\b"),
    "rule-id-mapping": (
        "risks:\n  - id: {x: 1}\n    level: 高\n    when: {metric: payable_months, op: '<', value: 6}\n"
        "    message: x\n", r"line 2\b"),
    "execution-weight-inf": ("scoring:\n  execution:\n    weight: .inf\n", r"line 3\b"),
    "group-weight-inf": ("scoring:\n  groups:\n    产出指标: .inf\n", r"line 3\b"),
    "group-weight-nan": ("scoring:\n  groups:\n    产出指标: .nan\n", r"line 3\b"),
    "threshold-nan": (
        "risks:\n  - id: payable_months_critical\n    when: {metric: payable_months, op: '<', value: .nan}\n",
        r"line 3\b"),
    "top-level-list": ("- 1\n- 2\n", None),
}


class TestHostileConfig:
    """A risk rule whose ``id`` is a list or a mapping (unhashable: a TypeError today), an infinite
    or NaN weight or threshold, a list at the top: refused with the line, never a traceback;
    ``report`` writes nothing."""

    @pytest.mark.parametrize("name", list(CONFIGS))
    def test_evaluate(self, case: Case, name: str) -> None:
        text, place = CONFIGS[name]
        c = case.inp / "c.yaml"
        c.write_text(text, encoding="utf-8")
        assert_refused(case.run("evaluate", EXAMPLE, "--config", c), c, place=place)

    @pytest.mark.parametrize("name", ["rule-id-list", "execution-weight-inf"])
    def test_report(self, case: Case, name: str) -> None:
        text, place = CONFIGS[name]
        c = case.inp / "c.yaml"
        c.write_text(text, encoding="utf-8")
        r = case.run("report", EXAMPLE, "--config", c, "-o", case.out)
        assert_refused(r, c, place=place)
        assert_no_outputs(case, r)
