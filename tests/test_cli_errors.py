"""User mistakes end in one clear line naming the file, exit 1, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import EXAMPLES
from sifund.cli import app

runner = CliRunner()


def _run(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_a_readable_report_with_nothing_recognised_is_a_result_not_an_error(tmp_path: Path) -> None:
    """Issue 12: extract/audit exit 0 on any readable report — the JSON lists the numbers that did
    not resolve, and one line on stderr says nothing was recognised (naming the file)."""
    import json

    f = tmp_path / "空报告.txt"
    f.write_text("2020年度社会保险基金绩效自评报告。\n本年度工作顺利，走访群众35户。\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["extract", str(f), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["figures"] == [] and out["year"] == 2020
    assert "空报告.txt" in r.stderr and "未在报告中识别出" in r.stderr
    r = CliRunner().invoke(app, ["audit", str(f), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["findings"] == []


def test_unreadable_report_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "坏.docx"
    f.write_bytes(b"not a zip at all")
    for verb in ("extract", "audit"):
        r = _run(verb, str(f), "--format", "json")
        assert r.exit_code == 1
        assert "坏.docx" in r.output


def test_wrong_unit_names_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "unit.yaml"
    f.write_text(
        "schema: sifund.dataset/1\nregion: 某县\nyear: 2023\nunit: 元\nfigures: []\n", encoding="utf-8"
    )
    r = _run("validate", str(f))
    assert r.exit_code == 1
    assert "line 4, unit" in r.output and "万元" in r.output


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "模板.xlsx"  # a folder that is a file: cannot be created
    r = _run("template", "-o", str(target))
    assert r.exit_code == 1
    assert str(target) in r.output
    r = _run("report", str(EXAMPLES / "synthetic-county-2023.yaml"), "-o", str(blocker / "out"))
    assert r.exit_code == 1
    assert not (blocker / "out").exists()
