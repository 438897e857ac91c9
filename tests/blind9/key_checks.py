"""blind9's key checks: every derived figure of the keys, recomputed from printed figures.

Declarations only; tests/oracle.py decides them. Each author declares its reports' checks in its own
aN_key_checks.py, whose ``register(keys)`` is called here when the file exists.
"""

from __future__ import annotations

from pathlib import Path

from oracle import Keys
from reportscore import load_module

HERE = Path(__file__).resolve().parent
KEYS = Keys(HERE)

for _author in ("a1", "a2", "a3"):
    if (HERE / f"{_author}_key_checks.py").exists():
        load_module(f"sifund_blind9_{_author}_key_checks", HERE / f"{_author}_key_checks.py").register(KEYS)
