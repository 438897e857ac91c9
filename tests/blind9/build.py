"""Build the blind9 .docx/.pdf reports: each author's reports come from its own module aN_build.py.

An author module defines ``build_reports(out: Path, with_pdf: bool) -> list[Path]`` (writes its
.docx/.pdf reports into ``out``) and ``docx_sources(out: Path) -> dict[str, Path]`` (every built
report as the .docx it is written as, by report stem: what tests/oracle.py reads). Deterministic: the
same data gives the same text.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

from reportscore import load_module

HERE = Path(__file__).resolve().parent
AUTHORS = ("a1", "a2", "a3")


def authors() -> list[ModuleType]:
    """The author build modules present in the folder, each under a module name of its own."""
    return [
        load_module(f"sifund_blind9_{a}_build", HERE / f"{a}_build.py")
        for a in AUTHORS
        if (HERE / f"{a}_build.py").exists()
    ]


def docx_sources(outdir: Path) -> dict[str, Path]:
    """Every built report as its .docx, by report stem (one subfolder per author)."""
    out: dict[str, Path] = {}
    for mod in authors():
        sub = Path(outdir) / mod.__name__.rsplit("_", 2)[-2]
        sub.mkdir(parents=True, exist_ok=True)
        out |= mod.docx_sources(sub)
    return out


def build_reports(outdir: Path, with_pdf: bool = True) -> list[Path]:
    """Write every author's .docx/.pdf reports into outdir."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for mod in authors():
        paths += mod.build_reports(outdir, with_pdf)
    return paths


if __name__ == "__main__":
    print(*build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build")), sep="\n")
