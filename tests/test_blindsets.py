"""The acceptance sets are complete: every tests/blind*/ folder is a declared `BlindSet` whose every report
file has an answer key and is scored, and a set's declaration is checked.

Why: a set's tests are parametrised by its answer keys, so a report without a key, a key removed or a
folder whose test module forgot the standard tests would leave nothing failing — the report would
simply not be tested. These tests make that visible (in the manner of Datasette's documentation
meta-tests: the inventory is checked, not trusted).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from blindsets import STANDARD_TESTS, BlindSet, set_tests
from reportscore import GENRE, TESTS, soffice

BLIND_FOLDERS = sorted(p for p in TESTS.glob("blind*") if p.is_dir())
# The genre set lives under tests/review; its test module is named for the genre.
SET_MODULES = {GENRE: "review.test_genre"}
REPORT_SUFFIXES = (".txt", ".docx", ".pdf")


def _module(folder: Path) -> ModuleType:
    """The folder's test module, imported under the name pytest gives it (tests/ is on sys.path)."""
    if folder in SET_MODULES:
        return importlib.import_module(SET_MODULES[folder])
    assert (folder / "__init__.py").exists(), f"{folder.name}/ has no __init__.py (every set is a package)"
    modules = sorted(folder.glob("test_*.py"))
    assert [m.name for m in modules] == [f"test_{folder.name}.py"], f"{folder.name}/: test modules {modules}"
    return importlib.import_module(f"{folder.name}.test_{folder.name}")


def _declared(folder: Path) -> tuple[ModuleType, BlindSet]:
    module = _module(folder)
    s = getattr(module, "SET", None)
    assert isinstance(s, BlindSet), f"{module.__name__} declares no SET = BlindSet(...)"
    return module, s


def _params(fn: object) -> list[str]:
    """The values a test is parametrised with (its one parametrize mark)."""
    (mark,) = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
    return [p.values[0] if hasattr(p, "values") else p for p in mark.args[1]]


@pytest.mark.parametrize("folder", [*BLIND_FOLDERS, GENRE], ids=lambda p: p.name)
def test_every_set_is_declared_with_the_standard_tests(folder: Path) -> None:
    """The folder's module declares its BlindSet and carries every standard test of it, over every report."""
    module, s = _declared(folder)
    assert s.folder.resolve() == folder.resolve() and s.name == folder.name
    if folder in BLIND_FOLDERS:
        assert (folder / "key_checks.py").exists(), f"{folder.name}/ has no key_checks.py"
        assert (folder / "SCORES.md").exists(), f"{folder.name}/ has no SCORES.md"
    expected = [n for n in STANDARD_TESTS if n in set_tests(s)]
    present = [n for n in STANDARD_TESTS if getattr(getattr(module, n, None), "blind_set", None) is s]
    assert present == expected, f"{module.__name__} lacks {sorted(set(expected) - set(present))}"
    for name in ("test_extract_and_audit_run", "test_score", "test_scorer_matches_score_py"):
        assert _params(getattr(module, name)) == s.reports, name
    if s.keys is not None:
        assert _params(module.test_key_is_consistent) == s.keys.reports


@pytest.mark.parametrize("folder", [*BLIND_FOLDERS, GENRE], ids=lambda p: p.name)
def test_every_report_file_has_a_key_and_is_scored(
    folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each committed .txt and each report build.py writes is a keyed report of the set, and back."""
    _, s = _declared(folder)
    assert len(s.reports) == s.count, f"{folder.name}: {len(s.reports)} keyed reports, declared {s.count}"
    built = s.built_reports(tmp_path_factory)
    files = {p.name for p in folder.iterdir() if p.suffix in REPORT_SUFFIXES} | set(built)
    unkeyed = [
        f
        for f in sorted(files)
        if f not in s.reports and not (f.endswith(".docx") and f"{f[:-5]}.pdf" in s.reports)
    ]
    assert not unkeyed, f"{folder.name}: report files without a key: {unkeyed}"
    missing = [
        r
        for r in s.reports
        if r not in files and not (r.endswith(".pdf") and soffice() is None)  # a PDF needs LibreOffice
    ]
    assert not missing, f"{folder.name}: keys whose report is neither committed nor built: {missing}"


def test_a_pending_report_must_keep_a_floor() -> None:
    """A report waiting for a fix still states what it finds, so it cannot lose more silently."""
    folder = TESTS / "blind5"
    with pytest.raises(ValueError, match="floor"):
        BlindSet("blind5", folder, count=6, pending={"jiexiu-2018.txt": "why"})
    with pytest.raises(ValueError, match="floor"):
        BlindSet("blind5", folder, count=6, floors={"jiexiu-2018.txt": 45})
    with pytest.raises(ValueError, match="count"):
        BlindSet("blind5", folder)


def test_a_floor_is_facts_or_everything_a_pending_report_scored() -> None:
    """A floor of only facts asks the rest in full; a Floor also states the indicators and findings
    found and the false positives tolerated when the report was measured short of them."""
    from blindsets import Floor, as_floor

    assert as_floor(45) == Floor(facts=45, indicators=None, findings=None, fps=0)
    assert as_floor(Floor(2, findings=0, fps=1)).fps == 1
    BlindSet("blind5", TESTS / "blind5", count=6, pending={"jiexiu-2018.txt": "why"},
             floors={"jiexiu-2018.txt": Floor(45, fps=0)})


def test_a_set_being_measured_shows_its_score_instead_of_failing() -> None:
    """With enforced=False a report short of its key skips with its score line (pytest -rs shows it)."""
    measuring = BlindSet("blind5", TESTS / "blind5", count=6, enforced=False)
    with pytest.raises(
        pytest.skip.Exception, match=r"measured, not enforced yet: extract jiexiu-2018.txt: facts"
    ):
        set_tests(measuring)["test_score"]("jiexiu-2018.txt", {})
