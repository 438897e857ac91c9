"""Interrupted or failing commands end in one line and leave nothing behind.

SIGINT/SIGTERM/SIGHUP during ``report``/``template`` remove the temporary folder, print one line
and exit 128+n; a signal that lands during the final renames lets them finish and says so. A
write error names the target; an unexpected exception is still one line (exit 2), never a
traceback; ``--format json`` never prints a non-JSON token.

The signal tests run real processes: the signal is sent by the process to itself at a chosen
moment (after the first file is staged, during the renames), so they are deterministic.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from sifund import cli
from sifund.cli import app
from sifund.util import TMP_PREFIX

DATASET = EXAMPLES / "synthetic-county-2023.yaml"
REPORT_NAME = "示例县2023年社会保险基金支出预算绩效自评报告"
runner = CliRunner()

HARNESS = """
import os, signal, sys
import sifund.util as u
moment, sig = sys.argv[1], getattr(signal, sys.argv[2])
if moment == "staged":  # after the first file is complete in the temporary folder
    staged = u.OutputSet.write
    def write(self, name, fn):
        path = staged(self, name, fn)
        os.kill(os.getpid(), sig)
        return path
    u.OutputSet.write = write
elif moment == "renaming":  # during the first of the final renames
    rename = os.replace
    def replace(src, dst):
        if u.TMP_PREFIX in str(src):
            os.kill(os.getpid(), sig)
        rename(src, dst)
    os.replace = replace
sys.argv = ["sifund", *sys.argv[3:]]
from sifund.cli import main
main()
"""


def run_harness(moment: str, sig: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HARNESS, moment, sig, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and lines[0].startswith("错误 error: ")
    return lines[0]


@pytest.mark.parametrize(("sig", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_during_report_cleans_up_and_prints_one_line(tmp_path: Path, sig: str, code: int) -> None:
    out = tmp_path / "out"
    p = run_harness("staged", sig, "report", DATASET, "-o", out)
    assert p.returncode == code, p.stderr
    line = assert_one_line(p.stderr)
    assert f"已中断 interrupted ({sig})" in line and "未写入任何文件" in line
    assert p.stdout == ""
    assert list(out.iterdir()) == []  # no report, no hidden temp file, no temp folder


def test_a_signal_during_template_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "模板.xlsx"
    p = run_harness("staged", "SIGTERM", "template", "-o", target)
    assert p.returncode == 143
    assert "未写入任何文件" in assert_one_line(p.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_signal_during_the_renames_lets_them_finish(tmp_path: Path) -> None:
    """Half a set must never be left in place: the renames run with the signals held, then the
    signal is honoured and the message says the files are complete."""
    out = tmp_path / "out"
    p = run_harness("renaming", "SIGTERM", "report", DATASET, "-o", out)
    assert p.returncode == 143
    assert "3 个文件已完整写入" in assert_one_line(p.stderr)
    assert sorted(x.suffix for x in out.iterdir()) == [".docx", ".html", ".xlsx"]


def handles_sigterm(pid: int) -> bool:
    """Whether the process has installed a SIGTERM handler yet (Linux: SigCgt in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_sigterm_from_outside_while_rendering(tmp_path: Path) -> None:
    """A real SIGTERM from another process, as soon as the command has its handler."""
    out = tmp_path / "out"
    p = subprocess.Popen(
        [sys.executable, "-m", "sifund", "report", str(DATASET), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while p.poll() is None and not handles_sigterm(p.pid) and time.monotonic() < deadline:
        time.sleep(0.005)
    p.send_signal(signal.SIGTERM)
    _, stderr = p.communicate(timeout=120)
    assert p.returncode == 143, stderr
    assert "interrupted (SIGTERM)" in assert_one_line(stderr)
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("limit_kb", "formats", "failing"),
    [(60, ["docx"], f"{REPORT_NAME}.docx"), (40, ["xlsx"], "示例县2023年社会保险基金支出绩效自评表.xlsx")],
    ids=["staging-the-docx", "openpyxl-temp-file"],
)
def test_a_write_error_names_the_target_and_leaves_nothing(
    tmp_path: Path, limit_kb: int, formats: list[str], failing: str
) -> None:
    """Real write failures: with RLIMIT_FSIZE, writing past the limit fails with EFBIG, as on a
    full disk; at 60 KB the ~120 KB DOCX fails in our temporary folder, at 40 KB already
    openpyxl's own temporary sheet file in TMPDIR. Either way the message names the target."""

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_kb * 1024, limit_kb * 1024))

    out = tmp_path / "out"
    p = subprocess.run(
        [sys.executable, "-m", "sifund", "report", str(DATASET), "-o", str(out),
         *(x for f in formats for x in ("-f", f))],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_files,
    )
    assert p.returncode == 1, p.stderr
    line = assert_one_line(p.stderr)
    assert line.startswith(f"错误 error: {out / failing}: 无法读写文件")  # the target, never a temporary
    assert TMP_PREFIX not in line
    assert not out.exists() or list(out.iterdir()) == []


def test_template_onto_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "模板.xlsx"
    os.mkfifo(fifo)
    r = runner.invoke(app, ["template", "-o", str(fifo)])
    assert r.exit_code == 1
    assert str(fifo) in assert_one_line(r.output) and "普通文件" in r.output


# ---- _guard: every failure is one line -------------------------------------------------------


def test_an_os_error_without_a_file_name_names_the_commands_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sifund.render.report as report

    def broken(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(report, "write_outputs", broken)
    r = runner.invoke(app, ["report", str(DATASET), "-o", str(tmp_path)])
    assert r.exit_code == 1
    line = assert_one_line(r.output)
    assert f"{DATASET}: 无法读写文件" in line and "error: :" not in line


@pytest.mark.parametrize(
    ("exc", "shown"),
    [
        (ZeroDivisionError("by zero"), "内部错误 internal error (ZeroDivisionError: by zero)"),
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: 嵌套过深"),
        (MemoryError(), "MemoryError: 内存不足"),
        (KeyError("multi\nline"), "内部错误 internal error (KeyError: 'multi\\nline')"),
    ],
    ids=["bug", "recursion", "memory", "multiline"],
)
def test_an_unexpected_exception_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, exc: BaseException, shown: str
) -> None:
    import sifund.ingest as ingest

    def broken(path: Path) -> None:
        raise exc

    monkeypatch.setattr(ingest, "load_dataset", broken)
    for verb in ("evaluate", "report", "validate"):
        r = runner.invoke(app, [verb, str(DATASET)])
        assert r.exit_code == 2, (verb, r.output)
        line = assert_one_line(r.output)
        assert line.startswith(f"错误 error: {DATASET}: ") and shown in line


def test_json_output_never_prints_infinity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Result:
        class dataset:  # a stand-in for ExtractResult.dataset
            @staticmethod
            def to_interchange() -> dict:
                return {"figures": [{"value": float("inf")}, {"value": float("nan")}]}

    report = tmp_path / "r.txt"
    report.write_text("x", encoding="utf-8")
    monkeypatch.setattr(cli, "_extract_report", lambda path: Result())
    r = runner.invoke(app, ["extract", str(report), "--format", "json"])
    assert r.exit_code == 1
    line = assert_one_line(r.output)
    assert str(report) in line and "NaN/Infinity" in line
    assert "Infinity\n" not in r.output.replace(line, "")


def test_a_sifund_error_is_still_exit_1(tmp_path: Path) -> None:
    r = runner.invoke(app, ["report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 1
    assert "missing.yaml" in assert_one_line(r.output)
    assert not (tmp_path / "o").exists()
