"""Writes: the normal output set, file modes, a full disk, a device as target, signals mid-write."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
from pathlib import Path

import pytest
from tests.hardening.harness import (
    REPORT_BOUND,
    Case,
    assert_bounded,
    assert_no_formulas,
    assert_ok,
    assert_refused,
    hidden,
)
from tests.hardening.makers import EXAMPLE

SET = {".docx", ".xlsx", ".html"}  # what ``report`` writes by default


class TestNormalOutputSet:
    """The baseline every hostile case is measured against: the example's report is written
    completely, inside OUTDIR, mode 0644 under umask 022, with no formula in the 自评表."""

    def test_report(self, case: Case) -> None:
        r = case.run("report", EXAMPLE, "-o", case.out)
        assert_ok(r, REPORT_BOUND)
        outs = case.outputs()
        assert {p.suffix for p in outs} == SET and len(outs) == 3, r
        assert not hidden(case)
        for p in outs:
            assert stat.S_IMODE(p.stat().st_mode) == 0o644, f"{p.name}: {oct(p.stat().st_mode)}"
        assert_no_formulas(next(p for p in outs if p.suffix == ".xlsx"))

    def test_template(self, case: Case) -> None:
        r = case.run("template", "-o", case.out / "模板.xlsx")
        assert_ok(r)
        p = case.out / "模板.xlsx"
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, oct(p.stat().st_mode)
        assert [x.name for x in case.outputs()] == ["模板.xlsx"]


class TestDeviceAsTarget:
    """``template -o`` onto a full device (a /dev/full node made in tmp, so nothing of the
    system's /dev is at risk): refused with one line naming the target, and the device is still
    the device — not replaced by a regular file through an atomic rename."""

    def test_template_onto_dev_full(self, case: Case) -> None:
        target = case.out / "full.xlsx"
        case.out.mkdir()
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        except PermissionError:
            pytest.skip("mknod not permitted here")
        r = case.run("template", "-o", target)
        assert_refused(r, target)
        st = os.lstat(target)
        assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 7), "device was replaced"
        assert [p.name for p in case.outputs()] == ["full.xlsx"], f"debris: {case.outputs()}"


@pytest.fixture
def full_disk(case: Case):
    """A 64 KB tmpfs mounted at OUTDIR's parent ``disk``; skipped where mount is not permitted."""
    disk = case.cwd / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount tmpfs: {done.stderr.decode().strip()}")
    case.out = disk / "out"  # everything on the small disk counts as OUTDIR
    try:
        yield disk
    finally:
        if subprocess.run(["umount", str(disk)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)


class TestFullDisk:
    """A genuinely full filesystem (64 KB tmpfs): ``template`` refuses in one line naming the
    target file (no "Exception ignored … Errno 28"); ``report -f xlsx -f html`` — the XLSX fits,
    the HTML does not — leaves no file of the set and no hidden temp file."""

    def test_template(self, case: Case, full_disk: Path) -> None:
        (full_disk / "filler").write_bytes(b"\0" * (56 << 10))
        case.out.mkdir()
        target = case.out / "模板.xlsx"
        r = case.run("template", "-o", target)
        assert_refused(r, target)
        assert case.outputs() == [], f"debris on the full disk: {case.outputs()}"

    def test_report_partial_set(self, case: Case, full_disk: Path) -> None:
        r = case.run("report", EXAMPLE, "-o", case.out, "-f", "xlsx", "-f", "html")
        assert_refused(r, case.out, seconds=REPORT_BOUND)
        files = [p.name for p in case.outputs() if p.is_file()]
        assert not files, f"partial set or debris left: {files}\n{r}"


def _when_writing(case: Case):
    """Send the signal as soon as anything appears in OUTDIR (the write phase), else at 15 s."""
    def poll(pid: int, elapsed: float) -> int | None:
        return None if not (elapsed > 15 or (case.out.exists() and any(case.out.iterdir()))) else 1
    return poll


class TestSignals:
    """SIGTERM, SIGINT or SIGHUP during ``report``: early (1.5 s, after start-up, mid-render) and at
    the first write into OUTDIR. The process ends promptly, non-zero, with one message line and
    no traceback; OUTDIR holds the complete set or nothing, and no hidden temp files."""

    @pytest.mark.parametrize("sig,when", [
        (signal.SIGTERM, "early"), (signal.SIGINT, "early"), (signal.SIGHUP, "early"),
        (signal.SIGTERM, "writing"), (signal.SIGINT, "writing"),
    ], ids=["SIGTERM-early", "SIGINT-early", "SIGHUP-early", "SIGTERM-writing", "SIGINT-writing"])
    def test_interrupted(self, case: Case, sig: int, when: str) -> None:
        first = _when_writing(case)

        def poll(pid: int, elapsed: float) -> int | None:
            if when == "early":
                return sig if elapsed >= 1.5 else None
            return sig if first(pid, elapsed) else None

        r = case.run("report", EXAMPLE, "-o", case.out, on_poll=poll)
        assert_bounded(r, REPORT_BOUND)
        assert not hidden(case), f"hidden debris: {hidden(case)}\n{r}"
        names = {p.suffix for p in case.outputs() if p.is_file()}
        assert names in (set(), SET), f"incomplete set {names}\n{r}"
        if r.rc == 0:  # finished before the signal arrived: nothing to clean up
            assert names == SET
            return
        assert r.rc != 0 and len(r.lines) == 1, f"expected one message line\n{r}"
        assert r.rc > 0, f"died of the signal without a message (rc {r.rc})\n{r}"
