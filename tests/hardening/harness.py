"""How the hardening suite runs a command: the real ``sifund`` in a child process, bounded, observed.

Every case runs in its own tmp folder (``Case``): inputs under ``tmp/in``, the child's cwd is
``tmp/cwd``, its OUTDIR is ``tmp/cwd/out``. The child runs under ``RLIMIT_AS`` = 3 GiB and umask 022
in its own session (so a runaway can be killed as a group), with a 60 s hard timeout. The whole
tmp tree is snapshotted before and after, so any file that appears outside OUTDIR is caught —
``../../z`` from OUTDIR lands in ``tmp/z``, still inside the snapshot.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HARD_TIMEOUT = 60.0  # the bound: the child is killed after this
BOUND = 20.0  # what a case asserts: well below the hard timeout
REPORT_BOUND = 30.0  # a report that renders (DOCX charts) on a loaded 2-core machine
MEMORY = 3 << 30  # RLIMIT_AS of the child: the 3 GB
OUTPUT_CAP = 2 << 20  # bytes of stdout/stderr kept for assertions
METRICS_SHEET = "计算指标"  # the only sheet the project may fill with formulas of its own

_BIN = Path(sys.executable).with_name("sifund")
SIFUND = [str(_BIN)] if _BIN.exists() else [sys.executable, "-m", "sifund"]


@dataclass
class Run:
    args: list[str]
    rc: int
    stdout: str
    stderr: str
    seconds: float
    maxrss_mb: float
    timed_out: bool = False
    signalled: int | None = None  # the signal we sent, if any

    @property
    def lines(self) -> list[str]:
        return [x for x in self.stderr.splitlines() if x.strip()]

    def __str__(self) -> str:
        err = "\n    ".join(self.lines[:6]) or "(empty)"
        out = self.stdout[:300].replace("\n", "\\n")
        return (
            f"sifund {' '.join(a[:80] for a in self.args)}\n  rc={self.rc} {self.seconds:.1f}s "
            f"{self.maxrss_mb:.0f}MB timed_out={self.timed_out}\n  stderr ({len(self.lines)} lines):\n"
            f"    {err}\n  stdout: {out}"
        )

    __repr__ = __str__  # so that ``assert …, r`` shows the run, not the dataclass


def _child() -> None:
    os.umask(0o022)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIFUND_", "PYTEST_", "COV_"))}
    env.update(PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1", COLUMNS="200", MPLBACKEND="Agg")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_cli(
    args: list[str],
    cwd: Path,
    *,
    timeout: float = HARD_TIMEOUT,
    on_poll: Callable[[int, float], int | None] | None = None,
    output_cap: int = OUTPUT_CAP,
) -> Run:
    """Run ``sifund *args``; ``on_poll(pid, elapsed)`` may return a signal number to send once."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [*SIFUND, *args], cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            env=_env(), preexec_fn=_child, start_new_session=True,
        )
        timed_out, sent, delay = False, None, 0.002
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.monotonic() - t0
            if elapsed > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            if on_poll is not None and sent is None:
                sig = on_poll(proc.pid, elapsed)
                if sig:
                    os.kill(proc.pid, sig)
                    sent = sig
            time.sleep(delay)
            delay = min(delay * 1.5, 0.05 if on_poll is None else 0.005)
        seconds = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # a grandchild left behind is ours to end
        texts = []
        for fh in (out, err):
            fh.seek(0)
            texts.append(fh.read(output_cap).decode("utf-8", "replace"))
    return Run(list(args), proc.returncode, texts[0], texts[1], seconds, usage.ru_maxrss / 1024,
               timed_out, sent)


# --------------------------------------------------------------------------- the case folder


def snapshot(root: Path) -> dict[str, tuple[bool, int, int]]:
    """relative path -> (is_dir, size, mtime_ns) for everything under root (symlinks not followed)."""
    out: dict[str, tuple[bool, int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(p.relative_to(root))] = (p.is_dir() and not p.is_symlink(), st.st_size,
                                             st.st_mtime_ns)
    return out


@dataclass
class Case:
    """One hostile case: its tmp tree, inputs, cwd and OUTDIR, and the checks after the run."""

    root: Path
    watch: list[Path] = field(default_factory=list)  # absolute paths the data names: must not appear

    def __post_init__(self) -> None:
        self.inp = self.root / "in"
        self.cwd = self.root / "cwd"
        self.out = self.cwd / "out"
        self.inp.mkdir(parents=True, exist_ok=True)
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.parent_before = set(os.listdir(self.root.parent))

    def run(self, *args: str | Path, **kw) -> Run:
        before = snapshot(self.root)
        r = run_cli([str(a) for a in args], self.cwd, **kw)
        self.check_confined(before, r)
        return r

    def check_confined(self, before: dict[str, tuple[bool, int, int]], r: Run) -> None:
        """Nothing appears or changes outside OUTDIR; the tmp parent and watched paths stay clean."""
        after = snapshot(self.root)
        outrel = str(self.out.relative_to(self.root))
        stray = [
            p for p, meta in after.items()
            if p != outrel and not p.startswith(outrel + os.sep)
            and (p not in before or (not meta[0] and before[p] != meta))
        ]
        assert not stray, f"written outside OUTDIR: {stray[:10]}\n{r}"
        gone = [p for p in before if p not in after and not p.startswith(outrel)]
        assert not gone, f"input files removed or replaced: {gone[:10]}\n{r}"
        new_parent = set(os.listdir(self.root.parent)) - self.parent_before
        # other tests of this worker may create their own tmp folders meanwhile: only names the
        # hostile data could produce count
        suspicious = [n for n in new_parent if not re.fullmatch(r".*\d+", n) or n.startswith("z")]
        assert not suspicious, f"created next to the case folder: {suspicious}\n{r}"
        for w in self.watch:
            assert not w.exists() and not w.is_symlink(), f"created {w}\n{r}"

    def outputs(self) -> list[Path]:
        return sorted(p for p in self.out.rglob("*")) if self.out.exists() else []


# --------------------------------------------------------------------------- assertions


def assert_bounded(r: Run, seconds: float = BOUND) -> None:
    """Ended by itself, within the time bound, not killed, no MemoryError, no traceback."""
    assert not r.timed_out, f"killed after the {HARD_TIMEOUT:.0f}s hard timeout\n{r}"
    assert r.rc >= 0 or r.signalled, f"killed by signal {-r.rc}\n{r}"
    both = r.stdout + r.stderr
    assert "Traceback" not in both, f"traceback\n{r}\n{r.stderr[-3000:]}"
    assert "MemoryError" not in both, f"MemoryError\n{r}"
    assert "RecursionError" not in both, f"RecursionError\n{r}"
    assert r.seconds < seconds, f"took {r.seconds:.1f}s, bound {seconds:.0f}s\n{r}"


def assert_refused(r: Run, file: str | Path, place: str | None = None, lines: int | None = 1,
                   seconds: float = BOUND) -> None:
    """Exit 1; ``lines`` lines on stderr (None: at least one); the first names the file and,
    when given, matches the ``place`` regex."""
    assert_bounded(r, seconds)
    assert r.rc == 1, f"expected exit 1\n{r}"
    if lines is None:
        assert r.lines, f"no message on stderr\n{r}"
    else:
        assert len(r.lines) == lines, f"expected {lines} line(s) on stderr, got {len(r.lines)}\n{r}"
    first = r.lines[0]
    assert str(file) in first, f"first line does not name {file}\n{r}"
    if place is not None:
        assert re.search(place, first.replace(str(file), "", 1)), f"first line has no place {place!r}\n{r}"


def assert_ok(r: Run, seconds: float = BOUND) -> None:
    assert_bounded(r, seconds)
    assert r.rc == 0, f"expected exit 0\n{r}"


def assert_no_outputs(case: Case, r: Run) -> None:
    """A refused report leaves OUTDIR without files (not even hidden ones)."""
    files = [p for p in case.outputs() if not p.is_dir()]
    assert not files, f"refused, yet OUTDIR holds {[p.name for p in files]}\n{r}"


def hidden(case: Case) -> list[str]:
    return [str(p.relative_to(case.out)) for p in case.outputs() if p.name.startswith(".")]


# --------------------------------------------------------------------------- XLSX output


def sheets(xlsx: Path) -> dict[str, str]:
    """Sheet name -> its XML, read from the package (no openpyxl: we look at what is stored)."""
    with zipfile.ZipFile(xlsx) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        target.update({a: b for b, a in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
        out = {}
        for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="(rId\d+)"', wb):
            t = target[rid].lstrip("/")
            out[name] = z.read(t if t.startswith("xl/") else f"xl/{t}").decode()
        shared = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
    out["(sharedStrings)"] = shared
    return out


def assert_no_formulas(xlsx: Path, payload: str = "") -> None:
    """No ``<f>`` in any sheet but the project's own metrics sheet, none there naming ``payload``."""
    for name, xml in sheets(xlsx).items():
        fs = re.findall(r"<f[ >].*?</f>|<f/>", xml)
        if name == METRICS_SHEET:
            assert not (payload and any(payload in f for f in fs)), f"{xlsx.name}!{name}: {fs[:3]}"
        else:
            assert not fs, f"{xlsx.name}!{name} holds formulas: {fs[:3]}"
