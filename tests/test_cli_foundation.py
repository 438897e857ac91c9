"""The CLI's foundations: version, code table, and `validate` with one clear line per problem."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sifund import __version__
from sifund.cli import app
from sifund.core.codes import codebook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SIFUND = Path(sys.executable).with_name("sifund")
runner = CliRunner()


def _run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


# ---- version and code table -------------------------------------------------------------


def test_version_via_runner() -> None:
    r = _run("--version")
    assert r.exit_code == 0
    assert r.output.strip() == f"sifund {__version__}"


@pytest.mark.parametrize("cmd", [[str(SIFUND)], [sys.executable, "-m", "sifund"]], ids=["script", "python-m"])
def test_version_as_a_process(cmd: list[str]) -> None:
    p = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"sifund {__version__}"


def test_codes_lists_every_fund_item_and_measure() -> None:
    r = _run("codes")
    assert r.exit_code == 0
    cb = codebook()
    codes_listed = {line.split()[0] for line in r.output.splitlines() if line and not line.startswith("#")}
    assert set(cb.funds) | set(cb.items) | set(cb.measures) <= codes_listed
    for name in ("机关事业单位基本养老保险基金", "城乡居民基本养老保险基金", "保险费收入", "年末滚存结余"):
        assert name in r.output


def test_codes_funds_only() -> None:
    r = _run("codes", "funds")
    assert r.exit_code == 0
    assert "institution_pension" in r.output and "contribution" not in r.output


def test_codes_bogus_kind() -> None:
    r = _run("codes", "bogus")
    assert r.exit_code == 1
    assert "bogus" in r.output and "funds" in r.output  # names the bad word and the choices


# ---- validate ---------------------------------------------------------------------------


def test_examples_validate() -> None:
    assert len(EXAMPLES) >= 3
    r = _run("validate", *EXAMPLES)
    assert r.exit_code == 0, r.output
    # every example passes; the two from real reports keep their real contradictions as warnings (#11)
    assert sum("通过 ok" in x or "通过（" in x for x in r.output.splitlines()) == len(EXAMPLES)


HEAD = "schema: sifund.dataset/1\nregion: 测试县\nyear: 2023\n"

# (file name, content, expected places — one problem line each, in order — and a word of the message)
BROKEN: list[tuple[str, bytes | None, list[tuple[str, str]]]] = [
    (
        "fund.yaml",
        (
            HEAD + "figures:\n"
            "  - {fund: all, item: income_total, value: 1}\n"
            "  - {fund: bogus, item: income_total, value: 2}\n"
        ).encode(),
        [("line 6, figures[1].fund", "bogus")],
    ),
    (
        "amount.yaml",
        (HEAD + "figures:\n  - fund: all\n    item: income_total\n    value: 一百多\n").encode(),
        [("line 7, figures[0].value", "不是数字")],
    ),
    (
        "noyear.yaml",
        b"schema: sifund.dataset/1\nregion: x\nfigures: []\n",
        [("line 1, year", "year")],
    ),
    (
        "measure.yaml",
        (HEAD + "figures:\n  - {fund: all, item: income_total, measure: estimate, value: 1}\n").encode(),
        [("line 5, figures[0].measure", "estimate")],
    ),
    (
        "syntax.yaml",
        (HEAD + "figures:\n  - {fund: all, item: income_total\n").encode(),
        [("line 6, column 1", "YAML")],
    ),
    (
        "bytes.yaml",
        b"schema: sifund.dataset/1\nregion: \xb2\xe2\xca\xd4\xcf\xd8\nyear: 2023\n",  # GBK, not UTF-8
        [("line 2, byte offset 33", "UTF-8")],
    ),
    (
        "syntax.json",
        '{"region": "测试县", "year": 2023,\n "figures": [}\n'.encode(),
        [("line 2, column 14", "JSON")],
    ),
    (
        "value.json",
        b'{"region": "x", "year": 2023,\n "figures": [\n  {"fund": "all", "item": "nope", "value": 1}]}\n',
        [("line 3, figures[0].item", "nope")],
    ),
    ("list.yaml", b"- region: x\n- year: 2023\n", [("line 1, (top)", "mapping")]),
    ("absent.yaml", None, [("", "文件不存在")]),
    (
        "many.yaml",
        (
            HEAD + "figures:\n"
            "  - {fund: all, item: income_total, value: 1}\n"
            "  - {fund: nope, item: income_total, value: 2}\n"
            "  - {fund: all, item: nada, value: 3}\n"
            "  - {fund: all, item: income_total, measure: guess, value: x}\n"
            "indicators:\n"
            "  - {target: ≥99%}\n"
        ).encode(),
        [
            ("line 6, figures[1].fund", "nope"),
            ("line 7, figures[2].item", "nada"),
            ("line 8, figures[3].measure", "guess"),
            ("line 8, figures[3].value", "不是数字"),
            ("line 10, indicators[0].name", "name"),
        ],
    ),
]


def _write(tmp_path: Path, name: str, content: bytes | None) -> Path:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize(("name", "content", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_validate_broken_file(
    tmp_path: Path, name: str, content: bytes | None, expected: list[tuple[str, str]]
) -> None:
    path = _write(tmp_path, name, content)
    r = _run("validate", path)
    assert r.exit_code == 1
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == len(expected), r.output  # one line per problem
    for line, (place, word) in zip(lines, expected, strict=True):
        assert line.startswith("错误 error: ")
        assert f"{path}: {place}" in line if place else str(path) in line
        assert word in line


def test_validate_reports_every_file_and_keeps_going(tmp_path: Path) -> None:
    """Good and bad files together, run as a real process: exit 1, the good one still passes."""
    bad = [_write(tmp_path, n, c) for n, c, _ in BROKEN]
    p = subprocess.run(
        [str(SIFUND), "validate", str(EXAMPLES[0]), *map(str, bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 1
    assert "Traceback" not in p.stderr + p.stdout
    assert "通过" in p.stdout  # "通过 ok", or "通过（N条警告）" when stated figures disagree (#11)
    problems = [line for line in p.stderr.splitlines() if line.startswith("错误 error: ")]
    assert len(problems) == sum(len(e) for _, _, e in BROKEN)
    assert all(re.search(rf"{re.escape(str(tmp_path))}/\S+: ", line) for line in problems)
