"""Blind set: eight reports written without looking at the extractor, scored exactly as score.py does.

Extraction and audit must run on every report, and every report must score as the genre set does:
≥95% of its facts, every 自评表 indicator, every planted finding and no false positive. The keys
themselves are checked for consistency by _check_gold.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from reportscore import load_module, report_json, score_tool

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLDS = sorted(HERE.glob("*.gold.yaml"))
NAMES = [g.name.removesuffix(".gold.yaml") for g in GOLDS]



build = load_module("blind_build", HERE / "build.py")
check_gold = load_module("blind_check_gold", HERE / "_check_gold.py")


def _gold(name: str) -> dict:
    return yaml.safe_load((HERE / f"{name}.gold.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Binary reports (.docx/.pdf) are built once per run from build.py's data."""
    out = tmp_path_factory.mktemp("blind")
    for name, (fmt, *_rest) in build.REPORTS.items():
        if fmt == "docx":
            build.build_docx(name, out / f"{name}.docx")
    if shutil.which("soffice") or shutil.which("libreoffice"):
        for name, (fmt, *_rest) in build.REPORTS.items():
            if fmt == "pdf":
                docx = build.build_docx(name, out / "src" / f"{name}.docx")
                build.docx_to_pdf(docx, out)
    return out


_RESULTS: dict[str, tuple[dict, dict]] = {}


def _run(name: str, built: Path) -> tuple[dict, dict]:
    """(extract JSON, audit JSON) for one report, through the Python API; cached per run."""
    if name not in _RESULTS:
        report = _gold(name)["report"]
        path = HERE / report if report.endswith(".txt") else built / report
        if not path.exists():
            pytest.skip(f"{report} could not be built here (LibreOffice missing?)")
        _RESULTS[name] = report_json(path)
    return _RESULTS[name]


def test_keys_are_consistent() -> None:
    """Every clean figure consistent and every planted finding inconsistent, within printed precision."""
    problems = [p for name in check_gold.CHECKS for p in check_gold.problems(name)]
    assert problems == []
    assert sorted(check_gold.CHECKS) == sorted(NAMES)


def test_set_covers_the_brief() -> None:
    golds = [_gold(n) for n in NAMES]
    assert len(golds) == 8
    assert sum(1 for g in golds if g["findings"]) == 4  # half the set is clean
    assert {g["report"].rsplit(".", 1)[1] for g in golds} == {"txt", "docx", "pdf"}
    assert sum(1 for g in golds if g.get("indicators")) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_extract_and_audit_run(name: str, built: Path) -> None:
    out, audit = _run(name, built)
    assert out["figures"], f"{name}: nothing extracted"
    assert audit["schema"] == "sifund.audit/1"


@pytest.fixture(scope="module")
def score() -> ModuleType:
    return score_tool()


@pytest.mark.parametrize("name", NAMES)
def test_score(name: str, built: Path, score: ModuleType) -> None:
    gold = _gold(name)
    out, audit = _run(name, built)
    ex_line, hit, total, ind_hit, ind_total = score.score_extract(gold, out, True)
    au_line, found, n, fps = score.score_audit(gold, audit, True)
    print(f"BLIND {ex_line} | {au_line}")
    assert hit >= 0.95 * total, f"facts {hit}/{total}"
    assert ind_hit == ind_total, f"indicators {ind_hit}/{ind_total}"
    assert found == n, f"findings {found}/{n}"
    assert fps == 0, f"{fps} false positives"
