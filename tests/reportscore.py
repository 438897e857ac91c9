"""The scoring harness every acceptance-style test shares (corpus, genre set, blind sets).

Counting is never reimplemented: tests call ../shared/tools/score.py's own functions on the JSON
that `sifund extract` / `sifund audit` would print, produced here through the Python API for speed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCORE_TOOL = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "score.py"


def load_module(name: str, path: Path) -> ModuleType:
    """Import a file that is not on sys.path (score.py, a blind set's build.py), once per name.

    Registered in sys.modules before running, as dataclasses in such files need.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def score_tool() -> ModuleType:
    """../shared/tools/score.py as a module; skips the test when ../shared is absent."""
    if not SCORE_TOOL.exists():
        pytest.skip("../shared/tools/score.py is absent")
    return load_module("sifund_score_tool", SCORE_TOOL)


def report_json(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(extract JSON, audit JSON) of one report, exactly as the CLI prints them."""
    from sifund.engine.findings import audit_json
    from sifund.review.audit import audit_report
    from sifund.review.extract import extract_file

    result = extract_file(path)
    return result.dataset.to_interchange(), audit_json(audit_report(result))
