"""Shared fixtures. The real reports live in ../shared/corpus, read by tests only; they skip when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
SCORE_TOOL = ROOT.parent / "shared" / "tools" / "score.py"
if os.environ.get("SIFUND_NO_SHARED", "") not in ("", "0"):  # run as if ../shared were absent
    CORPUS = SCORE_TOOL = Path("/nonexistent/sifund-shared-hidden")


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "korla-2020.txt").exists():
        pytest.skip("../shared/corpus is absent")
    return CORPUS
