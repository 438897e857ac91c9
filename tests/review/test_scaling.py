"""Extraction stays about linear in the report length, and the fast lookups that make it so give
the same answers as the plain scans they replaced."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifund.core.codes import codebook
from sifund.core.model import Figure, Source
from sifund.review import audit, labels
from sifund.review.audit import audit_report
from sifund.review.extract import extract_text
from sifund.review.funds import fund_mentions

FUND_ALIASES = [a for a, _c in codebook().fund_aliases()]
ITEM_ALIASES = [a for a, _c in codebook().item_aliases()]
PIECES = st.lists(st.sampled_from(FUND_ALIASES + ITEM_ALIASES + ["（含生育保险）", "，", "的", "1", "基金"]),
                  max_size=8).map("".join)


def _timed(text: str) -> float:
    t0 = time.perf_counter()
    audit_report(extract_text(text))
    return time.perf_counter() - t0


def test_long_unpunctuated_line_is_not_quadratic() -> None:
    # one 81k-char sentence of 9000 figures (commas only): took ~25 s when every number rescanned
    # the sentence up to itself
    line = "基金收入100万元，较上年增加5万元，增长5.26%，" * 3000
    assert _timed("（2020年度）" + line) < 10


def test_megabyte_of_digits() -> None:
    assert _timed("（2020年度）\n" + "1234567890" * 100_000) < 10


# ---- pathological shapes: N and 4N units, the time must grow about 4×, never 16× ----------------

H = "（2020年度）\n"
F = "企业职工基本养老保险基金"
FUNDS = ["企业职工基本养老保险基金", "机关事业单位养老保险基金", "城乡居民基本养老保险基金", "工伤保险基金",
         "失业保险基金", "生育保险基金", "城乡居民基本医疗保险基金", "职工基本医疗保险基金"]

# Each was quadratic (or worse) in extraction or in the report audit before the lookups of
# review/lookup.py, the bounded lookback/after windows of clauses.py and the indexed audit checks.
SHAPES: dict[str, Callable[[int], str]] = {
    # 594 KB of "…收入0万元，1万元，…" on one line took 109 s for 50k amounts
    "amounts_commas": lambda n: H + F + "收入" + "，".join(f"{i}万元" for i in range(n)),
    "amounts_enumeration": lambda n: H + F + "收入" + "、".join(f"{i}万元" for i in range(n)),
    "amounts_spaces": lambda n: H + F + "收入" + " ".join(f"{i}万元" for i in range(n)),
    "amounts_no_punctuation": lambda n: H + F + "收入" + "".join(f"{i}万元" for i in range(n)),
    "of_which_run": lambda n: H + F + "总收入100万元，" + "，".join(f"其中：保费收入{i}万元"
                                                                  for i in range(n)),
    "fund_names": lambda n: H + "".join(f"{FUNDS[i % 8]}收入{i}万元，" for i in range(n)),
    "percentages": lambda n: H + F + "支出100万元，" + "，".join(f"增长{i}.5%" for i in range(n)),
    "completion_rates": lambda n: H + "".join(f"{F}支出{i + 100}万元，完成全年预算{i + 200}万元的50%，"
                                              for i in range(n // 2)),
    "from_to_no_punctuation": lambda n: H + "".join(f"参保人数由{i}人增加至{i + 1}人"
                                                    for i in range(n // 2)),
    "shares": lambda n: H + F + "收入100万元，" + "，".join(f"增加{i}万元，占增长总量的5%"
                                                           for i in range(n // 2)),
    "targets": lambda n: H + F + "，".join(f"参保人数达到{i}人以上" for i in range(n)),
    "one_figure_per_line": lambda n: H + "".join(f"{F}收入{i}万元\n" for i in range(n)),
}


def _cpu(text: str) -> float:
    """CPU seconds of extraction + audit: wall time on a shared build machine is too noisy."""
    t0 = time.process_time()
    audit_report(extract_text(text))
    return time.process_time() - t0


def _growth(make: Callable[[int], str], n: int) -> float:
    small = min(_cpu(make(n)) for _ in range(2))
    return _cpu(make(4 * n)) / max(small, 0.05)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_pathological_shape_is_linear(shape: str) -> None:
    make = SHAPES[shape]
    growth = _growth(make, 1000)
    if growth >= 8:  # a burst of load on the machine: measure once more before calling it quadratic
        growth = _growth(make, 1000)
    assert growth < 8, f"{shape}: 4× the input took {growth:.1f}× the time (quadratic is 16×)"


def test_fifty_thousand_amounts_on_one_line() -> None:
    # the reported case: one 594 KB line of 50k amounts (109 s before); bench_review.py holds the
    # < 3 s target for the whole command, this only catches a return to quadratic
    t0 = time.process_time()
    extract_text(SHAPES["amounts_commas"](50_000))
    assert time.process_time() - t0 < 10


def _naive_fund_mentions(text: str) -> list[tuple[int, int, str]]:
    asides = [m.span() for m in re.finditer(r"[（(](含|包括|包含)[^）)]{0,20}[）)]", text)]
    out, i = [], 0
    while i < len(text):
        for alias, code in codebook().fund_aliases():
            if text.startswith(alias, i):
                if not any(s <= i < e for s, e in asides):
                    out.append((i, i + len(alias), code))
                i += len(alias)
                break
        else:
            i += 1
    return out


@settings(max_examples=80, deadline=None)
@given(PIECES)
def test_fund_mentions_match_the_plain_scan(text: str) -> None:
    assert [(m.start, m.end, m.fund) for m in fund_mentions(text)] == _naive_fund_mentions(text)


@settings(max_examples=80, deadline=None)
@given(PIECES, st.booleans())
def test_item_alias_lookup_matches_the_plain_scan(text: str, at_end: bool) -> None:
    naive = next(((a, c) for a, c in codebook().item_aliases()
                  if (text.endswith(a) if at_end else text.startswith(a))), None)
    assert labels.longest_item_alias(text, at_end=at_end) == naive


def _fig(start: int, end: int) -> Figure:
    return Figure(fund="all", item="income_total", measure="actual", value=1.0, precision=1.0, unit="万元",
                  source=Source(start=start, end=end, text="x"))


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="ab。!，", max_size=30), st.integers(0, 30), st.integers(0, 30),
       st.integers(0, 30), st.integers(0, 30))
def test_same_sentence_matches_the_text_scan(text: str, a0: int, a1: int, b0: int, b1: int) -> None:
    a, b = _fig(min(a0, a1), max(a0, a1)), _fig(min(b0, b1), max(b0, b1))
    lo, hi = sorted((a.source.end, b.source.start))  # type: ignore[union-attr]
    expected = not re.search(r"[。！？!?]", text[lo:hi])
    assert audit._same_sentence(audit._sentence_ends(text), a, b) == expected
