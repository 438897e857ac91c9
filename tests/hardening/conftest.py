"""Fixtures of the hardening suite: one ``Case`` (tmp tree, cwd, OUTDIR) per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hardening.harness import Case


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case(tmp_path)
