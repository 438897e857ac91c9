"""Blind set 5: six reports written without looking at the extractor, scored as score.py counts.

Extraction and audit must run on every report, and every report must score in full: every fact,
every 自评表 indicator, every planted finding and no false positive (SCORES.md has the numbers). A
report that cannot yet is listed in ``PENDING`` with the precise reason (strict xfail: it fails the run
once it passes). The keys themselves are checked by tests/oracle.py from key_checks.py. Run with -s
to see the score lines and, score.py --verbose style, whatever is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import oracle
from reportscore import ReportSet, assert_same_as_shared, built_reports, load_module, pending

HERE = Path(__file__).resolve().parent
SET = ReportSet("blind5", HERE)
KEYS = load_module("sifund_blind5_key_checks", HERE / "key_checks.py").KEYS
TEXTS = oracle.set_texts(HERE, "blind5")

_JIEXIU_KEY = (
    "gold key rounds 11 printed figures (14 facts) to 1 decimal (13206.8 for 13,206.75), outside score.py's "
    "0.0051 tolerance; the extractor reads all of them as printed"
)
# Reports whose score is not met yet: report -> precise reason (strict xfail).
PENDING: dict[str, str] = {"jiexiu-2018.txt": _JIEXIU_KEY}
# Facts a PENDING report found when last measured (SCORES.md): a floor, so it cannot lose any silently.
FLOORS: dict[str, int] = {"jiexiu-2018.txt": 45}
# Answer keys known to be wrong: report stem -> precise reason (strict xfail).
PENDING_KEYS: dict[str, str] = {"jiexiu-2018": _JIEXIU_KEY}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The .docx/.pdf reports, built once per session from build.py's data (the .pdf needs LibreOffice)."""
    return built_reports("blind5", tmp_path_factory)


def test_every_key_has_checks() -> None:
    """Every answer key has its checks in key_checks.py, and every checked report has a key."""
    assert oracle.coverage_problems(KEYS) == []


@pytest.mark.parametrize("name", pending(KEYS.reports, PENDING_KEYS))
def test_key_is_consistent(name: str) -> None:
    """Every clean figure consistent and every planted finding inconsistent within printed precision,
    and the key agrees with its report's text."""
    found = oracle.report_problems(KEYS, name, TEXTS)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("report", SET.reports)
def test_extract_and_audit_run(report: str, built: dict[str, Path]) -> None:
    out, audit = SET.outputs(report, built)
    assert out["schema"] == "sifund.dataset/1"
    assert audit["schema"] == "sifund.audit/1"


@pytest.mark.parametrize("report", pending(SET.reports, PENDING))
def test_score(report: str, built: dict[str, Path]) -> None:
    """Every fact, indicator and planted finding, no false positive (the score SCORES.md records)."""
    s = SET.score(report, built)
    print(f"\n{s.text}", end="")
    assert s.full, s.text


def test_pending_registries_are_consistent() -> None:
    """Every pending report has a floor, and only pending reports have one."""
    assert set(FLOORS) == set(PENDING)


@pytest.mark.parametrize("report", list(FLOORS))
def test_pending_report_keeps_its_floor(report: str, built: dict[str, Path]) -> None:
    """A pending report still finds the facts it found when measured, and all else in full."""
    s = SET.score(report, built)
    assert s.hit >= FLOORS[report], s.text
    assert (s.ind_hit, s.found, s.fps) == (s.ind_total, s.n, 0), s.text


@pytest.mark.parametrize("report", SET.reports)
def test_scorer_matches_score_py(report: str, built: dict[str, Path]) -> None:
    """tests/scoring.py counts this report as ../shared/tools/score.py does (skips without ../shared)."""
    assert_same_as_shared(SET.gold(report), *SET.outputs(report, built))
