"""The README's "到哪里找" table is how a newcomer finds a rule, a code list or a page: every file or
folder it names must exist (a rename that forgets the README fails here, not in a reader's hands).

A cell names paths from the repository root (``src/sifund/…``, ``docs/…``, ``tests/…``) or, after the
first one, relative to the package (``payments/engine.py``, ``data/payments/synth.yaml``); a ``*``
is a glob that must match at least one file.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "sifund"
PATHLIKE = re.compile(r"`([A-Za-z0-9_./*-]+(?:\.[a-z]{2,4}|/))`")


def finder_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## 到哪里找", 1)[1].split("\n## ", 1)[0].split("\n# ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|") and "---" not in line]


def named_paths() -> list[str]:
    return [m for row in finder_rows() for m in PATHLIKE.findall(row.rsplit("|", 2)[-2])]


def exists(name: str) -> bool:
    for base in (ROOT, PACKAGE):
        if "*" in name:
            if any(base.glob(name)):
                return True
        elif (base / name).exists():
            return True
    return False


def test_the_finder_table_names_paths():
    assert len(named_paths()) > 40  # the parsing still finds the table


def test_every_path_the_finder_table_names_exists():
    missing = [p for p in named_paths() if not exists(p)]
    assert not missing, f"README 到哪里找 names paths that do not exist: {missing}"
