"""Region names that are paths: the report must land inside OUTDIR, whatever the data says."""

from __future__ import annotations

import pytest
from tests.hardening.harness import REPORT_BOUND, Case, assert_bounded, assert_refused
from tests.hardening.makers import dataset, dump_json, dump_yaml, filled_xlsx

REGIONS = {
    "absolute": None,  # filled in per case: a path inside tmp, so an escape is seen and harmless
    "dotdot": "../../z/x",
    "slash": "a/b",
    "nul": "示例\x00县",
    "300-chars": "县" * 300,
}
PATHLIKE = ("absolute", "dotdot", "slash")


def _region(case: Case, kind: str) -> str:
    if kind == "absolute":
        target = case.root / "escape" / "x"
        case.watch.append(case.root / "escape")
        return str(target)
    if kind == "dotdot":
        case.watch.append(case.root / "z")
    return REGIONS[kind]


def _check_report(case: Case, r, kind: str, file: str) -> None:
    """Either refused (exit 1, one line naming the file and the region's place) or written, every
    output a plain file directly inside OUTDIR, its name one path component of bounded length."""
    if r.rc == 1 or kind not in PATHLIKE:
        assert_refused(r, file, place=r"region|地区|基本信息", seconds=REPORT_BOUND)
        return
    assert_bounded(r, REPORT_BOUND)
    assert r.rc == 0, r
    outs = case.outputs()
    assert outs, f"exit 0 but nothing in OUTDIR\n{r}"
    for p in outs:
        assert p.parent == case.out and p.is_file() and not p.is_symlink(), f"{p}\n{r}"
        assert len(p.name.encode()) <= 255 and "\x00" not in p.name


class TestRegionAsPathInYaml:
    """A hostile user names the region ``/abs/path``, ``../../z/x``, ``a/b``, puts a NUL in it or
    makes it 300 characters long. The region becomes part of the output file names, so ``report``
    must sanitise it to one path component (or refuse); NUL and over-long names are refused by
    ``validate`` with the line of ``region``; nothing is ever written outside OUTDIR."""

    @pytest.mark.parametrize("kind", list(REGIONS))
    def test_validate(self, case: Case, kind: str) -> None:
        data = dataset()
        data["region"] = _region(case, kind)
        f = dump_yaml(data, case.inp / "x.yaml")
        r = case.run("validate", f)
        if kind in PATHLIKE and r.rc == 0:
            assert_bounded(r)  # a path-like region may be valid data: report sanitises it
        else:
            assert_refused(r, f, place=r"line \d+, region")

    @pytest.mark.parametrize("kind", list(REGIONS))
    def test_report(self, case: Case, kind: str) -> None:
        data = dataset()
        data["region"] = _region(case, kind)
        f = dump_yaml(data, case.inp / "x.yaml")
        fmts = ["-f", "xlsx", "-f", "txt"] if kind in PATHLIKE else []  # DOCX: the 255-char limit
        r = case.run("report", f, "-o", "out", *fmts)
        _check_report(case, r, kind, str(f))

    def test_nul_region_in_json(self, case: Case) -> None:
        data = dataset()
        data["region"] = "示例\x00县"
        f = dump_json(data, case.inp / "x.json")
        r = case.run("report", f, "-o", case.out)
        assert_refused(r, f, place=r"line \d+, region", seconds=REPORT_BOUND)


class TestRegionAsPathInXlsx:
    """The same regions typed into the 基本信息 sheet of a filled ``sifund template`` (a NUL cannot
    be stored in XLSX). The place of a refusal is the cell, e.g. ``基本信息!B2``."""

    @pytest.mark.parametrize("kind", [k for k in REGIONS if k != "nul"])
    def test_validate_and_report(self, case: Case, kind: str) -> None:
        f = filled_xlsx(case.inp / "x.xlsx", case.root, region=_region(case, kind))
        r = case.run("validate", f)
        if not (kind in PATHLIKE and r.rc == 0):
            assert_refused(r, f, place=r"基本信息!B\d+")
        fmts = ["-f", "xlsx", "-f", "txt"] if kind in PATHLIKE else []
        r = case.run("report", f, "-o", case.out, *fmts)
        _check_report(case, r, kind, str(f))
