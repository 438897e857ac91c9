"""Blind set 5: six reports written without looking at the extractor, scored as score.py counts.

Extraction and audit must run on every report; each report's score is enforced strictly (≥95% facts, all
indicators and findings, 0 false positives) unless listed in PENDING with its reason (strict xfail).
Run with -s to see one score line per report (plus the missing items, score.py --verbose style).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from reportscore import load_module, report_json, score_tool

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REPORTS = ["huoqiu-2021.txt", "xiangzhou-2019.txt", "jiexiu-2018.txt", "qianjiang-2024.txt",
           "tongxin-2022.docx", "qiongzhong-2023.pdf"]
BUILT = {".docx", ".pdf"}




@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Build the .docx/.pdf reports once per module (the .pdf needs LibreOffice)."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("blind5")
    load_module("blind5_build", HERE / "build.py").build_all(out)
    return out


def _path(name: str, request) -> Path:
    if Path(name).suffix in BUILT:
        return request.getfixturevalue("built") / name
    return HERE / name


def _run(path: Path) -> tuple[dict, dict]:
    return report_json(path)


def test_keys_recompute() -> None:
    """Every clean figure of the keys is consistent and every planted one is not (interval arithmetic)."""
    for check in load_module("blind5_check_gold", HERE / "_check_gold.py").ALL:
        check()


@pytest.mark.parametrize("name", REPORTS)
def test_extract_and_audit_run(name: str, request) -> None:
    out, audit = _run(_path(name, request))
    assert out["schema"] == "sifund.dataset/1"
    assert audit["schema"] == "sifund.audit/1"


# Reports not yet passing, each with the precise reason; every other report is enforced strictly.
PENDING = {
    "jiexiu-2018.txt": "gold key rounds 11 printed figures to 1 decimal (13206.8 for 13,206.75), outside "
                       "score.py's 0.0051 tolerance; the extractor reads all of them as printed",
}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=PENDING[n])) if n in PENDING else n
    for n in REPORTS])
def test_score(name: str, request) -> None:
    score = score_tool()
    gold = yaml.safe_load((HERE / (Path(name).stem + ".gold.yaml")).read_text(encoding="utf-8"))
    out, audit = _run(_path(name, request))
    line, hit, total, ind_hit, ind_total = score.score_extract(gold, out, True)
    aline, found, n, fps = score.score_audit(gold, audit, True)
    print(f"\n{line} | {aline}")
    assert hit >= 0.95 * total, line
    assert (ind_hit, found, fps) == (ind_total, n, 0), aline
