"""Third blind set (issue #4): eight reports written without looking at the extractor, with answer keys.

Extraction and audit must run on every report, and every report must score in full: every fact,
every 自评表 indicator, every planted finding and no false positive (SCORES.md has the numbers). A
report that cannot yet goes into ``pending`` with the precise reason (strict xfail: it fails the run
once it passes). The keys themselves are checked by tests/oracle.py from key_checks.py. The tests are
those of tests/blindsets.py, plus the two below; run with -s to see the score lines and, score.py
--verbose style, whatever is missing.
"""

from __future__ import annotations

from pathlib import Path

from blindsets import BlindSet, set_tests

HERE = Path(__file__).resolve().parent
SET = BlindSet("blind3", HERE, count=8)
globals().update(set_tests(SET))


def test_every_report_has_a_key() -> None:
    assert sorted(SET.reports) == sorted(
        [
            "youxian-2019.txt",
            "zhanggong-2019.txt",
            "arong-2018.txt",
            "linyi-2020.docx",
            "dali-2022.docx",
            "xifeng-2021.pdf",
            "nehe-2024.txt",
            "jiangzi-2023.txt",
        ]
    )
    assert all(SET.gold(r)["facts"] for r in SET.reports)


def test_txt_encodings_as_delivered() -> None:
    """youxian comes as UTF-8 with BOM and CRLF line ends, like a file saved by Windows Notepad."""
    raw = (HERE / "youxian-2019.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")
