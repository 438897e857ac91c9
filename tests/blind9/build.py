"""Build the blind9 .docx/.pdf reports: each author's reports come from its own module aN_build.py
(:class:`reportscore.AuthorBuilds`). Deterministic: the same data gives the same text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportscore import AuthorBuilds

BUILDS = AuthorBuilds(Path(__file__).resolve().parent, "blind9")
docx_sources = BUILDS.docx_sources
build_reports = BUILDS.build_reports

if __name__ == "__main__":
    print(*build_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "build")), sep="\n")
