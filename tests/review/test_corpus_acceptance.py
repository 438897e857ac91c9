"""Acceptance on the real corpus (../shared/corpus, skipped without it), counted as score.py counts.

Every fact and indicator is found today, so that is the floor: no loss passes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from reportscore import score_tool
from sifund.engine.findings import audit_json
from sifund.review.audit import audit_report
from sifund.review.extract import extract_file

REPORTS = ["korla-2020", "qitai-2019"]


@pytest.fixture(scope="module")
def score() -> ModuleType:
    return score_tool()


def _gold(corpus: Path, name: str) -> dict:
    return yaml.safe_load((corpus / f"{name}.gold.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", REPORTS)
def test_extract_facts_and_indicators(corpus: Path, score: ModuleType, name: str) -> None:
    gold = _gold(corpus, name)
    res = extract_file(corpus / f"{name}.txt")
    out = res.dataset.to_interchange()
    _, hit, total, ind_hit, ind_total = score.score_extract(gold, out, False)
    assert hit == total, f"facts {hit}/{total}"
    assert ind_hit == ind_total, f"indicators {ind_hit}/{ind_total}"
    assert out["region"] == gold["region"] and out["year"] == gold["year"]
    for f in out["figures"]:  # every source quotes the text it points into
        assert res.text[f["source"]["start"] : f["source"]["end"]] == f["source"]["text"]


@pytest.mark.parametrize("name", REPORTS)
def test_audit_findings_without_false_positives(corpus: Path, score: ModuleType, name: str) -> None:
    gold = _gold(corpus, name)
    out = audit_json(audit_report(extract_file(corpus / f"{name}.txt")))
    _, found, n, fps = score.score_audit(gold, out, False)
    assert found == n, f"found {found}/{n}"
    assert fps == 0


def _cli(verb: str, path: Path) -> dict:
    p = subprocess.run([sys.executable, "-m", "sifund", verb, str(path), "--format", "json"],
                       capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_cli_extract_json(corpus: Path) -> None:
    out = _cli("extract", corpus / "korla-2020.txt")
    assert out["schema"] == "sifund.dataset/1" and out["unit"] == "万元"
    f = out["figures"][0]
    assert {"fund", "item", "measure", "value", "precision", "source"} <= set(f)
    assert {"start", "end", "text"} <= set(f["source"])
    assert out["indicators"] and "unresolved" in out


def test_cli_audit_json(corpus: Path) -> None:
    out = _cli("audit", corpus / "qitai-2019.txt")
    assert out["schema"] == "sifund.audit/1"
    q8 = [f for f in out["findings"] if "121.4%" in f["message"]]
    assert q8 and q8[0]["severity"] == "error" and q8[0]["evidence"][0]["text"]
