"""Blind set 4: six reports written without looking at the extractor, scored as score.py scores them.

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
SET = ReportSet("blind4", HERE)
KEYS = load_module("sifund_blind4_key_checks", HERE / "key_checks.py").KEYS
TEXTS = oracle.set_texts(HERE, "blind4")

# Reports whose score is not met yet: report -> precise reason (strict xfail). None now.
PENDING: dict[str, str] = {}
# Answer keys known to be wrong: report stem -> precise reason (strict xfail). None now.
PENDING_KEYS: dict[str, str] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The .docx/.pdf reports, built once per session from build.py's data (the .pdf needs LibreOffice)."""
    return built_reports("blind4", tmp_path_factory)


def test_every_key_has_checks() -> None:
    """Every answer key has its checks in key_checks.py, and every checked report has a key."""
    assert oracle.coverage_problems(KEYS) == []


@pytest.mark.parametrize("name", pending(KEYS.reports, PENDING_KEYS))
def test_key_is_consistent(name: str) -> None:
    """Every clean figure consistent and every planted finding inconsistent within printed precision,
    and the key agrees with its report's text."""
    found = oracle.report_problems(KEYS, name, TEXTS)
    assert not found, "\n".join(found)


def test_keys_have_the_shape_of_the_corpus_keys() -> None:
    assert sorted(Path(r).stem for r in SET.reports) == sorted(
        ["zhengan-2021", "fuqing-2018", "xingtai-2022", "chengdong-2020", "yanbian-2023", "rongshui-2024"]
    )
    for report in SET.reports:
        g = SET.gold(report)
        assert g["region"] and 2018 <= g["year"] <= 2024
        assert g["facts"] and all({"fund", "item", "measure", "value"} <= set(f) for f in g["facts"])
        assert all({"id", "tokens", "why"} <= set(f) for f in g.get("findings", []))


@pytest.mark.parametrize("report", SET.reports)
def test_extract_and_audit_run(report: str, built: dict[str, Path]) -> None:
    extracted, audited = SET.outputs(report, built)
    assert extracted["schema"] == "sifund.dataset/1" and extracted["figures"]
    assert audited["schema"] == "sifund.audit/1"


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
