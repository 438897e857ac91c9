"""Numbers no fund has: ±inf, NaN, 1e308, 5000 digits, a zero or negative budget."""

from __future__ import annotations

import pytest
from tests.hardening.harness import REPORT_BOUND, Case, assert_no_outputs, assert_refused
from tests.hardening.makers import RAW, dataset, dump_yaml, figure_index, line_of

VALUES = {"inf": ".inf", "-inf": "-.inf", "nan": ".nan", "1e308": "1.0e+308", "5000-digits": "9" * 5000}
PLACES = {  # a head count outside every identity, and a budget a completion ratio divides by
    "figure": ("institution_pension", "deaths", "actual"),
    "budget": ("institution_pension", "expenditure_total", "budget"),
}
COMMANDS = {"validate": [], "evaluate": [], "audit": [], "report": ["-o", "out"]}


def _dataset(case: Case, place: str, raw: str):
    data = dataset()
    i = figure_index(data, *PLACES[place])
    data["figures"][i]["value"] = RAW
    f = dump_yaml(data, case.inp / "x.yaml", raw=f"{raw}  # hostile")
    return f, i, line_of(f, "# hostile")


class TestNonFiniteAndHugeValues:
    """A hostile user types ``.inf``, ``-.inf``, ``.nan``, ``1e308`` or a 5000-digit number as a
    figure's value or as a budget. ``validate`` must refuse it with the line and field of the
    value, and ``evaluate``/``audit``/``report`` must refuse the same way (no ``decimal`` error,
    no "NaN to int", no "0.00% = … / -inf") and write nothing."""

    @pytest.mark.parametrize("command", list(COMMANDS))
    @pytest.mark.parametrize("value", list(VALUES))
    @pytest.mark.parametrize("place", list(PLACES))
    def test_refused(self, case: Case, place: str, value: str, command: str) -> None:
        f, i, line = _dataset(case, place, VALUES[value])
        r = case.run(command, f, *COMMANDS[command])
        assert_refused(r, f, place=rf"line {line}\b", seconds=REPORT_BOUND)
        if value != "5000-digits":  # parsed at all, the field path is known too
            assert f"figures[{i}]" in r.lines[0], r
        assert_no_outputs(case, r)


class TestBudgetThatCannotDivide:
    """A budget of 0 or below, where a completion ratio divides by it, is refused at its line."""

    @pytest.mark.parametrize("command", ["validate", "evaluate"])
    @pytest.mark.parametrize("value", ["0", "-5"])
    def test_refused(self, case: Case, value: str, command: str) -> None:
        f, i, line = _dataset(case, "budget", value)
        r = case.run(command, f)
        assert_refused(r, f, place=rf"line {line}\b")
        assert f"figures[{i}]" in r.lines[0], r


class TestIndicatorWeight:
    """``weight: .inf`` (or ``.nan``) on an indicator is refused at its line by validate and evaluate."""

    @pytest.mark.parametrize("command", ["validate", "evaluate"])
    @pytest.mark.parametrize("value", [".inf", ".nan"])
    def test_refused(self, case: Case, value: str, command: str) -> None:
        data = dataset()
        data["indicators"][3]["weight"] = RAW
        f = dump_yaml(data, case.inp / "x.yaml", raw=value)
        r = case.run(command, f)
        assert_refused(r, f, place=r"line \d+, indicators\[3\]\.weight")
