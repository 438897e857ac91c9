"""Third blind set (issue #4): eight reports written without looking at the extractor, with answer keys.

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
SET = ReportSet("blind3", HERE)
KEYS = load_module("sifund_blind3_key_checks", HERE / "key_checks.py").KEYS
TEXTS = oracle.set_texts(HERE, "blind3")

# Reports whose score is not met yet: report -> precise reason (strict xfail). None now.
PENDING: dict[str, str] = {}
# Answer keys known to be wrong: report stem -> precise reason (strict xfail). None now.
PENDING_KEYS: dict[str, str] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The .docx/.pdf reports, built once per session from build.py's data (the .pdf needs LibreOffice)."""
    return built_reports("blind3", tmp_path_factory)


def test_every_key_has_checks() -> None:
    """Every answer key has its checks in key_checks.py, and every checked report has a key."""
    assert oracle.coverage_problems(KEYS) == []


@pytest.mark.parametrize("name", pending(KEYS.reports, PENDING_KEYS))
def test_key_is_consistent(name: str) -> None:
    """Every clean figure consistent and every planted finding inconsistent within printed precision,
    and the key agrees with its report's text."""
    found = oracle.report_problems(KEYS, name, TEXTS)
    assert not found, "\n".join(found)


def test_every_report_has_a_key() -> None:
    assert sorted(SET.reports) == sorted(
        [
            "youxian-2019.txt",
            "zhanggong-2019.txt",
            "arong-2018.txt",
            "linyi-2020.docx",
            "dali-2022.docx",
            "xifeng-2021.pdf",
            "nehe-2024.txt",
            "jiangzi-2023.txt",
        ]
    )
    assert all(SET.gold(r)["facts"] for r in SET.reports)


def test_txt_encodings_as_delivered() -> None:
    """youxian comes as UTF-8 with BOM and CRLF line ends, like a file saved by Windows Notepad."""
    raw = (HERE / "youxian-2019.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")


@pytest.mark.parametrize("report", SET.reports)
def test_extract_and_audit_run(report: str, built: dict[str, Path]) -> None:
    ext, aud = SET.outputs(report, built)
    assert ext["schema"] == "sifund.dataset/1" and ext["figures"]
    assert aud["schema"] == "sifund.audit/1"


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
