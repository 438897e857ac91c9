"""Third blind set (issue #4): eight reports written without looking at the extractor, with answer keys.

Each report is extracted and audited through the Python API and scored exactly as
../shared/tools/score.py scores it. The keys' own arithmetic is enforced (_check_gold.py), and so are
the scores, strictly: every fact, every indicator, every planted finding, no false positive (SCORES.md).
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from reportscore import load_module, report_json, score_tool

HERE = Path(__file__).resolve().parent


def _load(name: str) -> ModuleType:
    """A helper module of this folder under a name of its own (other blind sets have a build.py too)."""
    return load_module(f"sifund_blind3_{name}", HERE / f"{name}.py")


_check_gold = _load("_check_gold")
build = _load("build")
ROOT = HERE.parents[1]

REPORTS = [
    "youxian-2019.txt",
    "zhanggong-2019.txt",
    "arong-2018.txt",
    "linyi-2020.docx",
    "dali-2022.docx",
    "xifeng-2021.pdf",
    "nehe-2024.txt",
    "jiangzi-2023.txt",
]
# Reports on which extraction raised when last measured: name -> reason (xfail strict=True).
RAISES: dict[str, str] = {}



@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .docx/.pdf reports, built once for the module."""
    out = tmp_path_factory.mktemp("blind3")
    for name, (kind, _) in build.REPORTS.items():
        if kind == "pdf" and not (shutil.which("soffice") or shutil.which("libreoffice")):
            continue  # the .pdf case skips itself below
        build.build(name, out)
    return out


def _path(report: str, built: Path) -> Path:
    if report.endswith(".txt"):
        return HERE / report
    path = built / report
    if not path.exists():
        pytest.skip(f"{report} could not be built here (LibreOffice absent)")
    return path


@cache
def _run(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(extract JSON, audit JSON) of one report, via the Python API."""
    return report_json(path)


def _gold(report: str) -> dict[str, Any]:
    stem = report.rsplit(".", 1)[0]
    return yaml.safe_load((HERE / f"{stem}.gold.yaml").read_text(encoding="utf-8"))


def _cases(marks_for: dict[str, str], strict: bool) -> list[Any]:
    return [
        pytest.param(r, marks=pytest.mark.xfail(strict=strict, reason=marks_for[r])) if r in marks_for else r
        for r in REPORTS
    ]


def test_keys_are_consistent_within_printed_precision() -> None:
    """Every clean figure recomputes within printed precision, every planted finding does not."""
    assert _check_gold.problems() == []


def test_every_report_has_a_key() -> None:
    for report in REPORTS:
        gold = _gold(report)
        assert gold["report"] == report
        assert gold["facts"], report
    stems = {r.rsplit(".", 1)[0] for r in REPORTS}
    assert stems == {p.name.removesuffix(".gold.yaml") for p in HERE.glob("*.gold.yaml")}


def test_txt_encodings_as_delivered() -> None:
    """youxian comes as UTF-8 with BOM and CRLF line ends, like a file saved by Windows Notepad."""
    raw = (HERE / "youxian-2019.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")


@pytest.mark.parametrize("report", _cases(RAISES, strict=True))
def test_extract_and_audit_run(report: str, built: Path) -> None:
    ext, aud = _run(_path(report, built))
    assert ext["schema"] == "sifund.dataset/1" and ext["figures"]
    assert aud["schema"] == "sifund.audit/1"


# Reports whose score cannot be met yet: name -> precise reason (xfail strict=True). None now.
NOT_YET: dict[str, str] = {}


@pytest.mark.parametrize("report", _cases({**RAISES, **NOT_YET}, strict=True))
def test_score(report: str, built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    score = score_tool()
    gold = _gold(report)
    ext, aud = _run(_path(report, built))
    summary_e, hit, total, ind_hit, ind_total = score.score_extract(gold, ext, True)
    summary_a, found, n, fps = score.score_audit(gold, aud, True)
    with capsys.disabled():
        print(f"\n{summary_e}\n{summary_a}")
    assert (hit, ind_hit, found, fps) == (total, ind_total, n, 0)
