"""Author → review round trip: the DOCX sifund writes is read back by sifund's own reviewer.

Ties the renderer to the extractor: every actual figure of a consistent dataset comes back with
its exact value from the generated Word file, and the audit of that file finds nothing to warn about.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from sifund.engine.config import load_config
from sifund.engine.evaluation import evaluate
from sifund.ingest import load_dataset
from sifund.render.report import write_outputs
from sifund.review.audit import audit_report
from sifund.review.extract import extract_file


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    ds = load_dataset(EXAMPLES / "synthetic-county-2023.yaml")
    out = tmp_path_factory.mktemp("docx")
    paths = write_outputs(ds, evaluate(ds, load_config(None)), out, ["docx"])
    docx = next(p for p in paths if Path(p).suffix == ".docx")
    return ds, extract_file(docx)


def test_docx_gives_back_every_actual_figure(generated) -> None:
    ds, result = generated
    got = result.dataset
    assert (got.region, got.year) == (ds.region, ds.year)
    back: dict[tuple[str, str, str], list[float]] = {}
    for f in got.figures:
        back.setdefault(f.key, []).append(f.value)
    actual = [f for f in ds.figures if f.measure == "actual"]
    assert len(actual) > 30
    missing = [f.key for f in actual if f.key not in back]
    wrong = [(f.key, f.value, back[f.key]) for f in actual
             if f.key in back and not any(abs(v - f.value) < 1e-6 for v in back[f.key])]
    assert not missing, missing
    assert not wrong, wrong


def test_docx_audit_is_clean(generated) -> None:
    _, result = generated
    serious = [f for f in audit_report(result) if f.severity in ("warning", "error")]
    assert not serious, [f.message for f in serious]
