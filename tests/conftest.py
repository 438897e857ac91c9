"""Shared fixtures. The real reports live in ../shared/corpus, read by tests only; they skip when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
SCORE_TOOL = ROOT.parent / "shared" / "tools" / "score.py"


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "korla-2020.txt").exists():
        pytest.skip("../shared/corpus is absent")
    return CORPUS
