"""Second blind set: eight realistic reports nobody tuned sifund on, scored as score.py counts.

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
SET = ReportSet("blind2", HERE)
KEYS = load_module("sifund_blind2_key_checks", HERE / "key_checks.py").KEYS
TEXTS = oracle.set_texts(HERE, "blind2")

# Reports whose score is not met yet: report -> precise reason (strict xfail). None now.
PENDING: dict[str, str] = {}
# Answer keys known to be wrong: report stem -> precise reason (strict xfail). None now.
PENDING_KEYS: dict[str, str] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The .docx/.pdf reports, built once per session from build.py's data (the .pdf needs LibreOffice)."""
    return built_reports("blind2", tmp_path_factory)


def test_every_key_has_checks() -> None:
    """Every answer key has its checks in key_checks.py, and every checked report has a key."""
    assert oracle.coverage_problems(KEYS) == []


@pytest.mark.parametrize("name", pending(KEYS.reports, PENDING_KEYS))
def test_key_is_consistent(name: str) -> None:
    """Every clean figure consistent and every planted finding inconsistent within printed precision,
    and the key agrees with its report's text."""
    found = oracle.report_problems(KEYS, name, TEXTS)
    assert not found, "\n".join(found)


def test_set_has_eight_reports_in_three_formats() -> None:
    golds = [SET.gold(r) for r in SET.reports]
    assert len(golds) == 8
    assert {g["report"].rsplit(".", 1)[1] for g in golds} == {"txt", "docx", "pdf"}


@pytest.mark.parametrize("report", SET.reports)
def test_extract_and_audit_run(report: str, built: dict[str, Path]) -> None:
    extracted, audited = SET.outputs(report, built)
    assert extracted["schema"] == "sifund.dataset/1"
    assert audited["schema"] == "sifund.audit/1"
    assert isinstance(extracted["figures"], list) and isinstance(audited["findings"], list)


@pytest.mark.parametrize("report", pending(SET.reports, PENDING))
def test_score(report: str, built: dict[str, Path]) -> None:
    """Every fact, indicator and planted finding, no false positive (the score SCORES.md records)."""
    s = SET.score(report, built)
    print(f"\n{s.text}", end="")
    assert s.full, s.text


@pytest.mark.parametrize("report", SET.reports)
def test_scorer_matches_score_py(report: str, built: dict[str, Path]) -> None:
    """tests/scoring.py counts this report as ../shared/tools/score.py does (skips without ../shared)."""
    assert_same_as_shared(SET.gold(report), *SET.outputs(report, built))
