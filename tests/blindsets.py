"""The blind sets (and the genre set) as data: one `BlindSet` per folder, one copy of their tests.

Why: the five blind sets and the genre set each repeated the same ~30 lines (load the keys, extract,
score with tests/scoring.py, compare with ../shared/tools/score.py, enforce the measured score,
strict xfails for ``PENDING``, key consistency through tests/oracle.py). The copies drifted (one set
asked for figures, another only for the schema). Now a set's test module declares what is particular
to it — its reports, what is enforced, what is pending and why — and `set_tests` gives it the standard
tests, under the names and ids the blind sets always had
(``tests/blind5/test_blind5.py::test_score[jiexiu-2018.txt]``); the genre set's tests took the same
names (``test_genre_extract[yunling-2021]`` and ``test_genre_audit[…]`` are
``test_score[yunling-2021.txt]`` and ``test_extract_and_audit_run[…]`` now).

The standard tests of a set (per report: a file name as delivered, ``yili-2022.docx``):

- ``test_every_key_has_checks`` and ``test_key_is_consistent[<stem>]`` — only where the folder has a
  ``key_checks.py``: tests/oracle.py decides every ``ok``/``bad`` check and the key against the text.
- ``test_extract_and_audit_run[<report>]`` — extraction and audit give their schemas, figures are
  found, the year is the key's, the region ends with the key's (a key may write 江宁区 for 南京市江宁区),
  and every figure's source quotes the text at its offsets.
- ``test_score[<report>]`` — every fact, every 自评表 indicator, every planted finding and no false
  positive, counted by tests/scoring.py (so it runs without ../shared, and under SIFUND_NO_SHARED=1).
- ``test_pending_report_keeps_its_floor[<report>]`` — only where ``floors`` is not empty.
- ``test_scorer_matches_score_py[<report>]`` — tests/scoring.py counts as ../shared/tools/score.py does
  (skips without ../shared).

Adding a set (e.g. tests/blind7/)::

    tests/blind7/__init__.py      empty (the folder is a package, like the other sets)
    tests/blind7/<stem>.gold.yaml one answer key per report, in the corpus gold format
    tests/blind7/<stem>.txt       the TXT reports as delivered
    tests/blind7/build.py         if some reports are DOCX/PDF: build_reports(out, with_pdf) writes them,
                                  docx_sources(out) -> {stem: .docx} the sources oracle.py reads
    tests/blind7/key_checks.py    KEYS = oracle.Keys(HERE), one @KEYS.report("<stem>") per key
    tests/blind7/SCORES.md        the measured scores
    tests/blind7/test_blind7.py:

        '''Blind set 7: <what the set is>.'''

        from pathlib import Path

        from blindsets import BlindSet, set_tests

        SET = BlindSet("blind7", Path(__file__).resolve().parent, count=6, enforced=False)
        globals().update(set_tests(SET))

``enforced=False`` while the set is being measured (before any tuning): ``test_score`` then skips with
the score lines as its reason, so ``pytest tests/blind7 -rs`` shows the measurement; everything else is
asserted. Once SCORES.md records the measurement, drop ``enforced=False``; a report that does not score
in full yet goes into ``pending`` (report → precise reason: a strict xfail, so it fails once it passes)
with its measured number of facts in ``floors``; a wrong key goes into ``pending_keys`` (stem → reason).
tests/test_blindsets.py checks that every tests/blind*/ folder is declared this way and every report
file in it has a key and is scored.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import oracle
from reportscore import (
    ReportSet,
    Score,
    assert_same_as_shared,
    built_reports,
    extraction,
    load_module,
    pending,
)

Built = dict[str, Path]
# The names set_tests gives a set's module, in the order pytest runs them.
STANDARD_TESTS = (
    "test_every_key_has_checks",
    "test_key_is_consistent",
    "test_extract_and_audit_run",
    "test_score",
    "test_pending_report_keeps_its_floor",
    "test_scorer_matches_score_py",
)


@dataclass(frozen=True)
class Floor:
    """What a pending report must still score: its measured facts, and — where it was not in full
    when measured — its indicators and findings found and the most false positives it may report
    (None: in full, as for a floor given as a plain number of facts)."""

    facts: int
    indicators: int | None = None
    findings: int | None = None
    fps: int = 0


def as_floor(floor: int | Floor) -> Floor:
    return floor if isinstance(floor, Floor) else Floor(floor)


@dataclass(frozen=True)
class BlindSet(ReportSet):
    """A folder of reports with answer keys, and what its tests hold it to.

    ``count``: how many reports the set was written with (a key lost or added is an error of
    tests/test_blindsets.py, not a test that silently disappears). ``enforced``: whether test_score
    asserts the full score (False only while a new set is measured). ``pending``: report → reason,
    reports whose score is not met yet (strict xfail); each has its measured facts in ``floors``.
    ``pending_keys``: key stem → reason, answer keys known to be wrong (strict xfail of the oracle).
    """

    count: int = 0
    enforced: bool = True
    pending: Mapping[str, str] = field(default_factory=dict)
    floors: Mapping[str, int | Floor] = field(default_factory=dict)
    pending_keys: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = self.registry_problems()
        if problems:
            raise ValueError(f"{self.name}: " + "; ".join(problems))

    def registry_problems(self) -> list[str]:
        """What is inconsistent in the declaration (checked when the set is declared, at collection)."""
        out = []
        if self.count < 1:
            out.append("count (the number of reports) must be given")
        if set(self.floors) != set(self.pending):
            out.append(
                f"every pending report needs a floor and only those: {sorted(self.pending)} vs "
                f"{sorted(self.floors)}"
            )
        if not self.enforced and self.pending:
            out.append("a set measured without enforcement has no pending reports")
        return out

    @functools.cached_property
    def keys(self) -> oracle.Keys | None:
        """The set's key checks (key_checks.py's KEYS), or None for a set without (the genre set)."""
        path = self.folder / "key_checks.py"
        return load_module(f"sifund_{self.name}_key_checks", path).KEYS if path.exists() else None

    @functools.cached_property
    def texts(self) -> oracle.Texts:
        """The reports' texts as the oracle reads them (never through sifund)."""
        return oracle.set_texts(self.folder, self.name)

    def built_reports(self, factory: pytest.TempPathFactory) -> Built:
        """The .docx/.pdf reports, built once per session from build.py (the .pdf needs LibreOffice)."""
        return built_reports(self.name, factory)


def _key_tests(s: BlindSet, keys: oracle.Keys) -> dict[str, Callable[..., None]]:
    def test_every_key_has_checks() -> None:
        """Every answer key has its checks in key_checks.py, and every checked report has a key."""
        problems = oracle.coverage_problems(keys)
        assert problems == [], problems

    @pytest.mark.parametrize("name", pending(keys.reports, s.pending_keys))
    def test_key_is_consistent(name: str) -> None:
        """Every clean figure consistent and every planted finding inconsistent within printed precision,
        and the key agrees with its report's text."""
        found = oracle.report_problems(keys, name, s.texts)
        assert not found, "\n".join(found)

    return {
        "test_every_key_has_checks": test_every_key_has_checks,
        "test_key_is_consistent": test_key_is_consistent,
    }


def _same_region(extracted: str, key: str) -> bool:
    """The key's region, or its short form: 楚雄州 for 楚雄彝族自治州 (the autonomy words left out)."""
    if extracted.endswith(key):
        return True
    short = len(extracted) >= 3 and key.startswith(extracted[:-1]) and key.endswith(extracted[-1])
    return "自治" in key and short


def run_problems(s: BlindSet, report: str, built: Built) -> list[str]:
    """What is wrong with one report's extract and audit beyond its score (empty when nothing)."""
    extracted, audited = s.outputs(report, built)
    gold, text = s.gold(report), extraction(s.path(report, built)).text
    out = []
    if extracted.get("schema") != "sifund.dataset/1" or audited.get("schema") != "sifund.audit/1":
        out.append(f"schemas {extracted.get('schema')!r}, {audited.get('schema')!r}")
    if not extracted.get("figures"):
        out.append("nothing extracted")
    if not isinstance(audited.get("findings"), list):
        out.append("the audit lists no findings")
    if extracted.get("year") != gold["year"]:
        out.append(f"year {extracted.get('year')!r}, the key says {gold['year']!r}")
    if not _same_region(str(extracted.get("region") or ""), str(gold["region"])):
        out.append(f"region {extracted.get('region')!r}, the key says {gold['region']!r}")
    for f in extracted.get("figures") or []:
        src = f["source"]
        if text[src["start"] : src["end"]] != src["text"]:
            out.append(f"source {src['text']!r} is not the text at {src['start']}:{src['end']}")
    return out


def _report_tests(s: BlindSet) -> dict[str, Callable[..., None]]:
    @pytest.mark.parametrize("report", s.reports)
    def test_extract_and_audit_run(report: str, built: Built) -> None:
        """Extraction and audit run, find figures, read the key's year and region, and quote their sources."""
        problems = run_problems(s, report, built)
        assert not problems, "\n".join(problems)

    @pytest.mark.parametrize("report", pending(s.reports, s.pending))
    def test_score(report: str, built: Built) -> None:
        """Every fact, indicator and planted finding, no false positive (the score SCORES.md records)."""
        sc = s.score(report, built)
        print(f"\n{sc.text}", end="")
        if not s.enforced:
            pytest.skip("measured, not enforced yet: " + " | ".join(sc.text.splitlines()[:2]))
        assert sc.full, sc.text

    @pytest.mark.parametrize("report", s.reports)
    def test_scorer_matches_score_py(report: str, built: Built) -> None:
        """tests/scoring.py counts this report as ../shared/tools/score.py does (skips without ../shared)."""
        assert_same_as_shared(s.gold(report), *s.outputs(report, built))

    tests: dict[str, Callable[..., None]] = {
        "test_extract_and_audit_run": test_extract_and_audit_run,
        "test_score": test_score,
    }
    if s.floors:

        @pytest.mark.parametrize("report", list(s.floors))
        def test_pending_report_keeps_its_floor(report: str, built: Built) -> None:
            """A pending report still finds what it found when measured: its facts, and its indicators,
            findings and false positives as its floor says (in full unless the floor says otherwise)."""
            sc: Score = s.score(report, built)
            f = as_floor(s.floors[report])
            assert sc.hit >= f.facts, sc.text
            assert sc.ind_hit >= (sc.ind_total if f.indicators is None else f.indicators), sc.text
            assert sc.found >= (sc.n if f.findings is None else f.findings), sc.text
            assert sc.fps <= f.fps, sc.text

        tests["test_pending_report_keeps_its_floor"] = test_pending_report_keeps_its_floor
    tests["test_scorer_matches_score_py"] = test_scorer_matches_score_py
    return tests


def set_tests(s: BlindSet) -> dict[str, Any]:
    """The standard tests of a set and its ``built`` fixture, by the names pytest collects them under.

    A set's module installs them with ``globals().update(set_tests(SET))``; each test carries
    ``blind_set`` (the set it tests), which tests/test_blindsets.py checks.
    """

    @pytest.fixture(scope="module")
    def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
        """The .docx/.pdf reports, built once per session from build.py (the .pdf needs LibreOffice)."""
        return s.built_reports(tmp_path_factory)

    tests = _key_tests(s, s.keys) if s.keys is not None else {}
    tests |= _report_tests(s)
    for fn in tests.values():
        fn.blind_set = s  # type: ignore[attr-defined]
    return {"built": built, **tests}
