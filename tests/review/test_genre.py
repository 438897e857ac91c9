"""Genre test set: reports written for the genre (not the corpus), scored exactly as score.py counts.

Each report in tests/review/genre/ has an answer key in the corpus gold format. Extraction must find
≥95% of the facts and every 自评表 indicator; the audit must report every finding and none that
rests on a figure the key lists as clean. The DOCX report is built by genre/build_docx.py and
converted to PDF with LibreOffice (skipped when soffice is absent), so hard wraps, page numbers and
tables split by page breaks are exercised on a real PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from reportscore import load_module, score_tool
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
    out = tmp_path_factory.mktemp("genre")
    sys.path.insert(0, str(GENRE))
    try:
        docx = load_module("genre_build_docx", GENRE / "build_docx.py").build(out / "liuxi-2022.docx")
    finally:
        sys.path.remove(str(GENRE))
    files = {"liuxi-2022.docx": docx}
    soffice = shutil.which("soffice")
    if soffice:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                           capture_output=True, timeout=180, check=False, env={**os.environ, "HOME": profile})
        if (out / "liuxi-2022.pdf").exists():
            files["liuxi-2022.pdf"] = out / "liuxi-2022.pdf"
    return files


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
    assert hit >= 0.95 * total, f"facts {hit}/{total}"
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


def test_per_capita_yuan_never_fund_money() -> None:
    """元/人·月 standards and 元 amounts per person are not fund money (lanxi-2021)."""
    res = extract_file(GENRE / "lanxi-2021.txt")
    for f in res.dataset.figures:
        assert f.source is not None
        assert "元/" not in f.source.text and "每人" not in f.source.text, f.source.text
        assert not (f.source.text.endswith("元") and not f.source.text.endswith("万元")), f.source.text
