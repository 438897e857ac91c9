"""The tokenizer (sifund.review.tokens): one longest-match pass over the view, typed tokens with
view offsets.

It runs in shadow this round: its quantities must be exactly those the clause parser reads today
(``find_quantities`` + ``_unit_synonym`` + ``_unit_bracket`` + ``word_percents``, sentence by
sentence) on every blind and genre report, before the parser moves onto it. It must stay linear.
"""

from __future__ import annotations

import bisect
import itertools
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifund.core.codes import codebook
from sifund.core.lexicon import lexicon
from sifund.core.numbers import find_quantities
from sifund.review.clauses import ClauseParser
from sifund.review.document import Document
from sifund.review.labels import word_percents
from sifund.review.readers import read_document
from sifund.review.tokens import Token, tokenize

TESTS = Path(__file__).resolve().parents[1]
TEXT_REPORTS = sorted([*TESTS.glob("blind*/*.txt"), *(TESTS / "review" / "genre").glob("*.txt")])


class _Recorder(ClauseParser):
    """The clause parser, noting every sentence it reads (the text and its view offset)."""

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self.sentences: list[tuple[str, int]] = []

    def _sentence(self, sent: str, base: int) -> None:
        self.sentences.append((sent, base))
        super()._sentence(sent, base)


Q = tuple[int, int, Decimal, str, Decimal]


def _parser_quantities(doc: Document) -> tuple[list[Q], list[tuple[int, int]]]:
    """What the clause parser reads as quantities today, and the spans of the sentences it read."""
    p = _Recorder(doc)
    p.run()
    out: list[Q] = []
    for sent, base in p.sentences:
        read = [p._unit_bracket(sent, p._unit_synonym(sent, m)) for m in find_quantities(sent)]
        for m in read + word_percents(sent):
            q = m.quantity
            out.append((base + m.start, base + m.end, q.value, q.unit, q.precision))
    return sorted(out), [(base, base + len(sent)) for sent, base in p.sentences]


def test_the_set_is_all_there() -> None:
    assert len(TEXT_REPORTS) >= 28  # every TXT report of the five blind sets and the genre set


@pytest.mark.parametrize("path", TEXT_REPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_quantities_equal_the_clause_parsers(path: Path) -> None:
    """Shadow: same offsets, value, unit and printed precision as the parser's own number reading,
    on every sentence the parser reads (table rows and the 自评表 it leaves to other readers)."""
    doc = read_document(path)
    want, spans = _parser_quantities(doc)
    starts = [s for s, _e in spans]

    def read_by_parser(t: Token) -> bool:
        i = bisect.bisect_right(starts, t.start) - 1
        return i >= 0 and t.start < spans[i][1]

    got = sorted(
        (t.start, t.end, t.quantity.value, t.quantity.unit, t.quantity.precision)
        for t in tokenize(doc.view)
        if t.quantity is not None and read_by_parser(t)
    )
    assert want, "the parser read no number: the comparison would be empty"
    assert got == want


def _kinds(view: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(view)]


def test_a_clause_in_tokens() -> None:
    view = "企业职工基本养老保险基金收入（万元）：23,518.40，较上年增加2410万元，增长6.69%。"
    toks = tokenize(view)
    assert [(t.kind, t.text) for t in toks] == [
        ("fund", "企业职工基本养老保险基金"),
        ("item", "收入"),
        ("unit", "万元"),
        ("quantity", "23,518.40"),
        ("compare", "较"),
        ("time.prior", "上年"),
        ("dir.up", "增加"),
        ("quantity", "2410万元"),
        ("dir.up", "增长"),
        ("quantity", "6.69%"),
    ]
    assert all(view[t.start : t.end] == t.text for t in toks)
    fund, item = toks[0], toks[1]
    assert (fund.code, item.code) == ("enterprise_pension", "income_total")
    bracketed = toks[3].quantity
    assert bracketed is not None and (bracketed.value, bracketed.unit, bracketed.precision) == (
        Decimal("23518.40"),
        "万元",
        Decimal("0.01"),
    )
    assert toks[6].sign == 1


def test_quantities_absorb_unit_forms() -> None:
    """亿元 and % after the number, a synonym (万名 → 万人), 百分之… in words."""
    toks = [t for t in tokenize("收入50.27亿元，参保8.31万名，完成预算的百分之九十八点五。") if t.quantity]
    assert [(t.text, t.quantity.unit, t.quantity.canonical) for t in toks] == [  # type: ignore[union-attr]
        ("50.27亿元", "亿元", Decimal("502700.0000")),
        ("8.31万名", "万人", Decimal("83100")),
        ("百分之九十八点五", "%", Decimal("98.5")),
    ]


def test_a_unit_not_printed_after_the_number_says_where_it_was_read() -> None:
    """万名 is a synonym, （万元）： a bracket before the colon; a printed unit (and none) has no mark. The
    clause parser's share check needs it: a bracketed amount is not one the number parser read as money."""
    toks = [
        t for t in tokenize("参保8.31万名。基金收入（万元）：23,518.40，支出100万元，共3项。") if t.quantity
    ]
    assert [(t.text, t.unit_from) for t in toks] == [
        ("8.31万名", "synonym"),
        ("23,518.40", "bracket"),
        ("100万元", None),
        ("3", None),
    ]


def test_bounds_flag_targets() -> None:
    """A quantity after 不少于 or before 以上 is a target's lower bound; 不超过/以内: its upper bound."""
    toks = [
        t
        for t in tokenize("领取人数不少于21500人，满意度90%以上，时限不超过15日，差错率1%以内，参保5000人。")
        if t.quantity
    ]
    assert [(t.text, t.target) for t in toks] == [
        ("21500人", "lower"),
        ("90%", "lower"),
        ("15日", "upper"),
        ("1%", "upper"),
        ("5000人", None),
    ]


def test_longest_word_wins_and_carries_its_class() -> None:
    assert _kinds("比上年同期负增长") == [("compare", "比"), ("measure", "上年同期"), ("dir.down", "负增长")]
    toks = tokenize("较上年缩减")
    assert toks[-1].kind == "dir.down" and toks[-1].sign == -1
    # a measure word of the code list (codes.yaml measures) carries its code
    assert [(t.kind, t.code) for t in tokenize("调整后预算数")] == [("measure", "budget_adjusted")]


def test_no_token_crosses_a_line_or_a_sentence() -> None:
    """A unit on the next line ("收入100\\n万元") is not the number's: the parser reads lines."""
    toks = tokenize("基金收入100\n万元。增长5.")
    q = [t for t in toks if t.quantity]
    assert [(t.text, t.quantity.unit) for t in q] == [("100", ""), ("5", "")]  # type: ignore[union-attr]


PIECES = st.lists(
    st.sampled_from(
        [a for a, _c in codebook().fund_aliases()[:20]]
        + [w for n in ("dir.up", "time.prior", "ratio_verb") for w in lexicon().words(n)]
        + ["1", "2,345.6", "万元", "%", "，", "。", "\n", " ", "（万元）：", "万名", "以上", "百分之五"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(PIECES)
def test_tokens_are_ordered_disjoint_and_quote_the_view(view: str) -> None:
    toks = tokenize(view)
    for a, b in itertools.pairwise(toks):
        assert a.end <= b.start
    for t in toks:
        assert t.start < t.end and "\n" not in view[t.start : t.end]
        if t.quantity is None:
            assert view[t.start : t.end] == t.text


def _cpu_tokenize(view: str) -> float:
    t0 = time.process_time()
    tokenize(view)
    return time.process_time() - t0


def _amounts(n: int) -> str:
    """One line of ``n`` amounts after a fund's income ("…收入100000.25万元，100001.26万元，…")."""
    return "企业职工基本养老保险基金收入" + "，".join(f"{100000 + i}.{i % 100:02d}万元" for i in range(n))


def test_fifty_thousand_amounts_on_one_line() -> None:
    line = _amounts(50_000)
    assert len(line.encode("utf-8")) >= 700_000  # 700 KB
    assert _cpu_tokenize(line) < 10


def test_tokenizing_is_linear() -> None:
    small = min(_cpu_tokenize(_amounts(5000)) for _ in range(2))
    growth = _cpu_tokenize(_amounts(20_000)) / max(small, 0.05)
    if growth >= 8:  # a burst of load on the shared machine: measure once more
        growth = _cpu_tokenize(_amounts(20_000)) / max(_cpu_tokenize(_amounts(5000)), 0.05)
    assert growth < 8, f"4× the input took {growth:.1f}× the time (quadratic is 16×)"
