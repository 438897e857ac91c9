"""Extraction stays about linear in the report length, and the fast lookups that make it so give
the same answers as the plain scans they replaced."""

from __future__ import annotations

import re
import time

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
