"""Paths that are not regular files: devices, directories, FIFOs behind dataset/report names."""

from __future__ import annotations

import os

import pytest
from tests.hardening.harness import Case, assert_no_outputs, assert_refused

DATASET_COMMANDS = {
    "validate": [],
    "evaluate": [],
    "audit": [],
    "report": ["-o", "out"],
}


def _special(case: Case, kind: str, name: str):
    p = case.inp / name
    if kind == "dev-zero":
        p.symlink_to("/dev/zero")
    elif kind == "dev-urandom":
        p.symlink_to("/dev/urandom")
    elif kind == "directory":
        p.mkdir()
        (p / "figures.yaml").write_text("x: 1\n", encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(p)
    return p


class TestDatasetIsNotAFile:
    """A hostile user symlinks ``/dev/zero`` or ``/dev/urandom`` as ``x.yaml``, names a directory
    ``x.yaml`` or a FIFO ``x.json``. Every dataset command must refuse at once (regular-file check
    before reading), with one line naming the path as given, and write nothing."""

    # every command on /dev/zero and a directory; the rarer kinds on validate and report
    # (same loader), to keep the suite's time down
    @pytest.mark.parametrize("kind,name,command", [
        *[(k, "x.yaml", c) for k in ("dev-zero", "directory") for c in DATASET_COMMANDS],
        *[(k, n, c) for k, n in (("dev-urandom", "x.yaml"), ("fifo", "x.json"))
          for c in ("validate", "report")],
    ])
    def test_refused(self, case: Case, command: str, kind: str, name: str) -> None:
        p = _special(case, kind, name)
        r = case.run(command, p, *DATASET_COMMANDS[command])
        assert_refused(r, p)
        assert_no_outputs(case, r)

    def test_dev_zero_as_xlsx(self, case: Case) -> None:
        p = _special(case, "dev-zero", "x.xlsx")
        assert_refused(case.run("validate", p), p)

    def test_dev_zero_as_config(self, case: Case) -> None:
        from tests.hardening.makers import EXAMPLE

        p = _special(case, "dev-zero", "c.yaml")
        assert_refused(case.run("evaluate", EXAMPLE, "--config", p), p)


class TestReportIsNotAFile:
    """``/dev/zero`` as ``x.txt``/``x.docx``/``x.pdf``, a directory ``x.txt``, a FIFO ``x.txt``:
    ``extract`` and ``audit`` refuse with one line naming the path."""

    @pytest.mark.parametrize("kind,name,command", [
        *[(k, n, "extract") for k, n in (("dev-zero", "x.txt"), ("dev-zero", "x.docx"),
                                         ("dev-zero", "x.pdf"), ("directory", "x.txt"),
                                         ("fifo", "x.txt"))],
        ("dev-zero", "x.txt", "audit"), ("fifo", "x.pdf", "audit"),
    ])
    def test_refused(self, case: Case, command: str, kind: str, name: str) -> None:
        p = _special(case, kind, name)
        assert_refused(case.run(command, p), p)
