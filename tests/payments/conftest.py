"""Shared fixtures of the payment-audit tests: tiny input folders written by the test itself.

``folder(payments=[...], deaths=[...], ...)`` writes one CSV per table given (a row is a dict; see
:mod:`.builders`), so a test shows every row its rule rests on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .builders import write_table

# Tiny folders: Spark's quick start-up settings (sifund.payments.spark), not its throughput ones.
os.environ.setdefault("SIFUND_SPARK_QUICK", "1")


@pytest.fixture
def folder(tmp_path: Path) -> Callable[..., Path]:
    """Write the given tables into a fresh folder and return it (deaths default to none)."""

    def make(**tables: list[dict[str, Any]]) -> Path:
        out = tmp_path / f"in{len(list(tmp_path.iterdir()))}"
        out.mkdir()
        tables.setdefault("deaths", [])
        for table, rows in tables.items():
            write_table(out / f"{table}.csv", table, rows)
        return out

    return make
