"""The harness every acceptance-style test shares (corpus, genre set, blind sets, snapshots).

- Scores are counted by tests/scoring.py, the project's restatement of ../shared/tools/score.py, so the
  blind and genre sets run on a machine without ../shared. Where ../shared exists, every set also runs
  `assert_same_as_shared`, so the two scorers cannot drift apart.
- `report_json` gives the JSON that `sifund extract` / `sifund audit` would print, through the Python
  API for speed, once per report and process.
- `built_reports` builds a set's .docx/.pdf reports once per test session, shared by the pytest-xdist
  workers (LibreOffice takes about 3.5 s a PDF); the PDFs only where LibreOffice is installed.
- `pending` turns a set's ``PENDING = {"report": "reason"}`` registry into strict xfails.
- ``SIFUND_NO_SHARED=1`` makes ../shared look absent (tests/conftest.py honours it too): run the suite
  with it to prove what runs without the corpus and score.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
import yaml

if TYPE_CHECKING:
    from sifund.review.extract import ExtractResult

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
GENRE = TESTS / "review" / "genre"
NO_SHARED_ENV = "SIFUND_NO_SHARED"


def shared_hidden() -> bool:
    """True when the run pretends ../shared is absent (SIFUND_NO_SHARED set to anything but 0/empty)."""
    return os.environ.get(NO_SHARED_ENV, "") not in ("", "0")


SHARED = ROOT.parent / "shared" if not shared_hidden() else Path("/nonexistent/sifund-shared-hidden")
SCORE_TOOL = SHARED / "tools" / "score.py"
CORPUS = SHARED / "corpus"


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


class AuthorBuilds:
    """A blind set written by several authors: each author's ``aN_build.py`` (present ones only)
    defines ``build_reports(out, with_pdf) -> list[Path]`` and ``docx_sources(out) -> {stem: .docx}``;
    the set's build.py is one of these, so no author edits another's files (tests/blind8, blind9)."""

    def __init__(self, here: Path, set_name: str, authors: tuple[str, ...] = ("a1", "a2", "a3")) -> None:
        self.here, self.set_name, self.authors = Path(here), set_name, authors

    def modules(self) -> list[ModuleType]:
        """The author build modules present in the folder, each under a module name of its own."""
        return [
            load_module(f"sifund_{self.set_name}_{a}_build", self.here / f"{a}_build.py")
            for a in self.authors
            if (self.here / f"{a}_build.py").exists()
        ]

    def docx_sources(self, outdir: Path) -> dict[str, Path]:
        """Every built report as its .docx, by report stem (one subfolder per author)."""
        out: dict[str, Path] = {}
        for mod in self.modules():
            sub = Path(outdir) / mod.__name__.rsplit("_", 2)[-2]
            sub.mkdir(parents=True, exist_ok=True)
            out |= mod.docx_sources(sub)
        return out

    def build_reports(self, outdir: Path, with_pdf: bool = True) -> list[Path]:
        """Write every author's .docx/.pdf reports into outdir."""
        outdir = Path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        for mod in self.modules():
            paths += mod.build_reports(outdir, with_pdf)
        return paths


def score_tool() -> ModuleType:
    """The scorer the tests count with: tests/scoring.py (same functions and results as score.py)."""
    return load_module("sifund_test_scoring", TESTS / "scoring.py")


def shared_score_tool() -> ModuleType:
    """../shared/tools/score.py as a module; skips the test when ../shared is absent (or hidden)."""
    if not SCORE_TOOL.exists():
        pytest.skip("../shared/tools/score.py is absent")
    return load_module("sifund_score_tool", SCORE_TOOL)


@dataclass(frozen=True)
class Score:
    """One report's score as score.py counts it, with score.py's summary lines and --verbose misses."""

    hit: int
    total: int
    ind_hit: int
    ind_total: int
    found: int
    n: int
    fps: int
    text: str

    @property
    def full(self) -> bool:
        """Every fact, every indicator, every planted finding, no false positive."""
        return (self.hit, self.ind_hit, self.found, self.fps) == (self.total, self.ind_total, self.n, 0)


def score(
    gold: Mapping[str, Any],
    extracted: Mapping[str, Any],
    audited: Mapping[str, Any],
    scorer: ModuleType | None = None,
) -> Score:
    """Score one report's extract and audit JSON (with the project scorer unless another is given)."""
    scorer = scorer or score_tool()
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        line_e, hit, total, ind_hit, ind_total = scorer.score_extract(gold, extracted, True)
        line_a, found, n, fps = scorer.score_audit(gold, audited, True)
    return Score(hit, total, ind_hit, ind_total, found, n, fps, f"{line_e}\n{line_a}\n{log.getvalue()}")


def assert_same_as_shared(
    gold: Mapping[str, Any], extracted: Mapping[str, Any], audited: Mapping[str, Any]
) -> None:
    """tests/scoring.py and ../shared/tools/score.py give the same counts, lines and misses (else skip)."""
    shared = shared_score_tool()
    ours, theirs = score(gold, extracted, audited), score(gold, extracted, audited, shared)
    assert ours == theirs, f"project scorer:\n{ours.text}\nscore.py:\n{theirs.text}"


@functools.cache
def extraction(path: Path) -> ExtractResult:
    """``extract_file(path)`` (an ExtractResult: the dataset and the text its offsets point into), once
    per path and process. Shared by every caller: read it, never change it."""
    from sifund.review.extract import extract_file

    return extract_file(path)


@functools.cache
def report_json(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(extract JSON, audit JSON) of one report, exactly as the CLI prints them; once per path and process.

    The dicts are shared by every caller: read them, never change them.
    """
    from sifund.engine.findings import audit_json
    from sifund.review.audit import audit_report

    result = extraction(path)
    return result.dataset.to_interchange(), audit_json(audit_report(result))


def pending(names: Iterable[str], registry: Mapping[str, str]) -> list[Any]:
    """Test parameters for a set's reports; those in its PENDING registry are strict xfails with the reason.

    Strict: a pending report that starts passing fails the run, so the registry stays honest. An entry
    naming no report of the set is an error at collection (a renamed report must not leave a stale one).
    """
    names = list(names)
    stale = sorted(set(registry) - set(names))
    if stale:
        raise ValueError(f"PENDING names no report of this set: {stale}")
    return [
        pytest.param(n, id=n, marks=pytest.mark.xfail(strict=True, reason=registry[n]))
        if n in registry
        else pytest.param(n, id=n)
        for n in names
    ]


def soffice() -> str | None:
    """LibreOffice's executable, or None when it is not installed (the PDF reports then skip)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _build_genre(outdir: Path, with_pdf: bool) -> list[Path]:
    """The genre set's liuxi-2022 as .docx (genre/build_docx.py) and, with LibreOffice, as .pdf."""
    sys.path.insert(0, str(GENRE))
    try:
        docx = load_module("genre_build_docx", GENRE / "build_docx.py").build(outdir / "liuxi-2022.docx")
    finally:
        sys.path.remove(str(GENRE))
    paths = [docx]
    exe = soffice()
    if with_pdf and exe:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(outdir),
                    str(docx),
                ],
                capture_output=True,
                timeout=180,
                check=False,
                env={**os.environ, "HOME": profile},
            )
        if (outdir / "liuxi-2022.pdf").exists():
            paths.append(outdir / "liuxi-2022.pdf")
    return paths


def set_build(set_name: str) -> ModuleType:
    """A blind set's build.py (tests/<set>/build.py) under a module name of its own."""
    return load_module(f"sifund_{set_name}_build", TESTS / set_name / "build.py")


def built_reports(set_name: str, factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A set's built reports by file name ("yili-2022.docx"), built once per session for all workers.

    set_name is a blind set folder ("blind3") or "genre". The PDFs are missing where LibreOffice is
    not installed; their tests skip. The first worker to come builds under a lock; the others wait.
    """
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this session
    out = base / f"built-{set_name}"
    with open(base / f"built-{set_name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = out / ".built"
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            with_pdf = soffice() is not None
            if set_name == "genre":
                _build_genre(out, with_pdf)
            else:
                set_build(set_name).build_reports(out, with_pdf=with_pdf)
            done.write_text("ok\n")
    return {p.name: p for p in sorted(out.iterdir()) if p.suffix in (".docx", ".pdf")}


def report_path(set_dir: Path, report: str, built: Mapping[str, Path]) -> Path:
    """Where a set's report is: the committed .txt, or the built .docx/.pdf (skips when not built here)."""
    if report.endswith(".txt"):
        return set_dir / report
    if report not in built:
        pytest.skip(f"{report} could not be built here (LibreOffice missing?)")
    return built[report]


@dataclass(frozen=True)
class ReportSet:
    """A folder of reports with answer keys (a blind set, or the genre set): what its tests iterate over.

    ``reports`` are file names as delivered ("yili-2022.docx"), one per ``*.gold.yaml`` in key-file
    order; a key naming a report without its suffix (genre's "liuxi-2022") stands for the .docx and
    the .pdf built from it.
    """

    name: str
    folder: Path

    @functools.cached_property
    def golds(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for path in sorted(self.folder.glob("*.gold.yaml")):
            gold = yaml.safe_load(path.read_text(encoding="utf-8"))
            report = gold["report"]
            for name in [report] if Path(report).suffix else [f"{report}.docx", f"{report}.pdf"]:
                out[name] = gold
        return out

    @property
    def reports(self) -> list[str]:
        return list(self.golds)

    def gold(self, report: str) -> dict[str, Any]:
        return self.golds[report]

    def path(self, report: str, built: Mapping[str, Path]) -> Path:
        return report_path(self.folder, report, built)

    def outputs(self, report: str, built: Mapping[str, Path]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(extract JSON, audit JSON) of one report (cached per process, see report_json)."""
        return report_json(self.path(report, built))

    def score(self, report: str, built: Mapping[str, Path]) -> Score:
        return score(self.gold(report), *self.outputs(report, built))
