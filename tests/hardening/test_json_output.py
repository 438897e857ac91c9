"""Machine-readable output is strict JSON, and ``codes`` handles any argument."""

from __future__ import annotations

import json

import pytest
from tests.hardening.harness import Case, assert_bounded, assert_ok, assert_refused
from tests.hardening.makers import EXAMPLE


def _strict(text: str):
    def bad(token: str):
        raise AssertionError(f"non-JSON token {token} in output")

    return json.loads(text, parse_constant=bad)


HUGE = {
    "400-nines-yi": "9" * 400 + "亿元",
    "400-nines-wan": "9" * 400 + ".5万元",
    "400-nines-people": "9" * 400 + "人",
    "1e400-style": "1" + "0" * 400 + "万元",
}


class TestStrictJson:
    """A report stating "999…9亿元" (400 digits) overflows a float: ``extract --format json`` and
    ``audit --format json`` must print strict JSON (no ``Infinity``/``NaN``) or refuse the number
    in one line naming the file. The example's ``evaluate``/``audit --format json`` is strict too."""

    # every size through extract; audit shares its numbers, so one audit case
    @pytest.mark.parametrize("kind,command", [*((k, "extract") for k in HUGE), ("400-nines-yi", "audit")])
    def test_huge_amount(self, case: Case, kind: str, command: str) -> None:
        f = case.inp / "r.txt"
        f.write_text(
            "示例县2023年度社会保险基金绩效自评报告\n"
            f"2023年社会保险基金预算总收入{HUGE[kind]}，总支出30000万元，参保人数12000人。\n",
            encoding="utf-8",
        )
        r = case.run(command, f, "--format", "json")
        assert_bounded(r)
        if r.rc == 1:
            assert_refused(r, f)
        else:
            assert r.rc == 0, r
            _strict(r.stdout)

    @pytest.mark.parametrize("command", ["evaluate", "audit"])
    def test_example_dataset(self, case: Case, command: str) -> None:
        r = case.run(command, EXAMPLE, "--format", "json")
        assert_ok(r)
        _strict(r.stdout)


class TestCodesArguments:
    """``codes`` with a path, a formula, a 100 000-character word: exit 1, one line, no traceback."""

    @pytest.mark.parametrize("arg", ["../../etc/passwd", "=HYPERLINK(1)", "x" * 100_000],
                             ids=["path", "formula", "100k-chars"])
    def test_unknown_kind(self, case: Case, arg: str) -> None:
        r = case.run("codes", arg)
        assert_bounded(r)
        assert r.rc == 1 and len(r.lines) == 1, r

    def test_all(self, case: Case) -> None:
        r = case.run("codes")
        assert_ok(r)
        assert "institution_pension" in r.stdout
