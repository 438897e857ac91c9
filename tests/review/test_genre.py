"""Genre test set: reports written for the genre (not the corpus), scored exactly as score.py counts.

Each report in tests/review/genre/ has an answer key in the corpus gold format. Extraction must find
every fact (all are found today: the floor is the measured score, so no loss passes) and every 自评表
indicator; the audit must report every finding and none that rests on a figure the key lists as
clean. The DOCX report is built by genre/build_docx.py and converted to PDF with LibreOffice (skipped
when soffice is absent), so hard wraps, page numbers and tables split by page breaks are exercised on a
real PDF.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
import yaml

from reportscore import assert_same_as_shared, built_reports, report_json, score_tool
from sifund.engine.findings import audit_json
from sifund.review.audit import audit_report
from sifund.review.extract import extract_file

GENRE = Path(__file__).parent / "genre"
TEXT_REPORTS = ["yunling-2021", "shanhe-2022", "qingquan-2022", "lanxi-2021", "shimen-2020"]
BUILT = ["liuxi-2022.docx", "liuxi-2022.pdf"]


@pytest.fixture(scope="module")
def score() -> ModuleType:
    return score_tool()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """liuxi-2022 as .docx and (with LibreOffice) .pdf, built once per session for every worker."""
    return built_reports("genre", tmp_path_factory)


def _case(name: str, built: dict[str, Path]) -> tuple[Path, dict]:
    if name in BUILT:
        if name not in built:
            pytest.skip("LibreOffice (soffice) is absent: no PDF")
        path, stem = built[name], name.rsplit(".", 1)[0]
    else:
        path, stem = GENRE / f"{name}.txt", name
    return path, yaml.safe_load((GENRE / f"{stem}.gold.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", TEXT_REPORTS + BUILT)
def test_genre_extract(score: ModuleType, built: dict[str, Path], name: str) -> None:
    path, gold = _case(name, built)
    res = extract_file(path)
    out = res.dataset.to_interchange()
    _, hit, total, ind_hit, ind_total = score.score_extract(gold, out, False)
    assert hit == total, f"facts {hit}/{total}"
    assert ind_hit == ind_total, f"indicators {ind_hit}/{ind_total}"
    assert out["region"] == gold["region"] and out["year"] == gold["year"]
    for f in out["figures"]:  # every source quotes the text it points into
        assert res.text[f["source"]["start"] : f["source"]["end"]] == f["source"]["text"]


@pytest.mark.parametrize("name", TEXT_REPORTS + BUILT)
def test_genre_audit(score: ModuleType, built: dict[str, Path], name: str) -> None:
    path, gold = _case(name, built)
    out = audit_json(audit_report(extract_file(path)))
    _, found, n, fps = score.score_audit(gold, out, False)
    assert found == n, f"found {found}/{n}"
    assert fps == 0, f"{fps} false positives"


@pytest.mark.parametrize("name", TEXT_REPORTS + BUILT)
def test_scorer_matches_score_py(built: dict[str, Path], name: str) -> None:
    """tests/scoring.py counts this report as ../shared/tools/score.py does (skips without ../shared)."""
    path, gold = _case(name, built)
    assert_same_as_shared(gold, *report_json(path))


def test_per_capita_yuan_never_fund_money() -> None:
    """元/人·月 standards and 元 amounts per person are not fund money (lanxi-2021)."""
    res = extract_file(GENRE / "lanxi-2021.txt")
    for f in res.dataset.figures:
        assert f.source is not None
        assert "元/" not in f.source.text and "每人" not in f.source.text, f.source.text
        assert not (f.source.text.endswith("元") and not f.source.text.endswith("万元")), f.source.text
