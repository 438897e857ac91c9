"""The shortcuts that make extraction cheaper give the answers of the plain forms they replace.

- ``rules.fast_start``: a rule pattern led by a lookahead of the chars its matches start with finds
  the same matches (spans and groups) as the pattern as written.
- ``rules.required_chars``: a text holding none of the chars it names has no match, so the clause
  parser may skip the pattern on it.
- the report memo (``funds.report_memo``): ``fund_mentions`` and ``label_item`` answer within one
  report as they do without a memo, and the memo ends with the report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifund.core.codes import codebook
from sifund.review import funds, labels
from sifund.review.normalize import build_view
from sifund.review.readers import read_txt_text
from sifund.review.rules import extract_rules, fast_start, parse_extract_rules, required_chars

TESTS = Path(__file__).resolve().parents[1]
REPORTS = sorted(TESTS.glob("blind*/*.txt")) + sorted((TESTS / "review" / "genre").glob("*.txt"))
VIEWS = [build_view(read_txt_text(p))[0] for p in REPORTS]
RULES = extract_rules()
LED = {k: rx for k, rx in RULES.patterns.items() if rx.pattern.startswith("(?=[")}
GUARDED = ("fund_aside", "label_tail_aside", "unit_bracket_label", "cause_aside", "fund_colon_lead")


def _plain(key: str) -> re.Pattern[str]:
    """The rule as written in data/review/extract.yaml (before ``fast_start``)."""
    node: object = RULES.raw
    for part in key.split("."):
        node = node[part]  # type: ignore[index]
    assert isinstance(node, re.Pattern)
    return node


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


def test_some_rules_are_led_and_the_rest_are_the_patterns_as_written() -> None:
    assert "claims.all_met" in LED and "header.year_any" in LED  # an alternation, a group first
    for key, rx in RULES.patterns.items():
        if key not in LED:
            assert rx is _plain(key)


@pytest.mark.parametrize("key", sorted(LED))
def test_a_led_rule_finds_what_the_rule_as_written_finds_in_every_report(key: str) -> None:
    fast, plain = LED[key], _plain(key)
    assert fast.groupindex == plain.groupindex
    for view in VIEWS:
        assert _matches(fast, view) == _matches(plain, view)
        for line in view.split("\n"):
            assert bool(fast.match(line)) == bool(plain.match(line))
            assert _matches(fast, line) == _matches(plain, line)


def _letters() -> list[str]:
    """Texts made of what the led rules are made of: their CJK chars, digits, blanks, punctuation."""
    chars = {c for key in LED for c in _plain(key).pattern if not c.isascii() or c.isdigit()}
    return sorted(chars | set("0123456789 .%，。；：:") | {"\n"})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_letters()), max_size=60).map("".join))
def test_a_led_rule_finds_what_the_rule_as_written_finds_in_any_text(text: str) -> None:
    for key, fast in LED.items():
        plain = _plain(key)
        assert _matches(fast, text) == _matches(plain, text), key
        assert fast.sub("#", text) == plain.sub("#", text), key


def test_fast_start_leaves_patterns_the_engine_already_scans_for() -> None:
    for pattern in ("其中\\s*[:：]?", "[（(]含", "基金收入|基金支出", "(?i)(a)?b|c", "(\\s|了)+$", "^(x)?y"):
        rx = re.compile(pattern)
        assert fast_start(rx) is rx, pattern
    led = fast_start(re.compile("(绩效)?目标|指标(均)?完成"))
    assert led.pattern.startswith("(?=[指目绩])")
    assert _matches(led, "指标均完成，绩效目标") == [((0, 5), (None, "均")), ((6, 10), ("绩效", None))]


@pytest.mark.parametrize("key", GUARDED)
def test_a_guarded_rule_matches_only_where_its_required_chars_are(key: str) -> None:
    rx = RULES.re(key)
    chars = required_chars(rx)
    assert chars, f"{key}: the clause parser's guard would run the pattern everywhere"
    for view in VIEWS:
        for m in rx.finditer(view):
            assert any(c in m.group() for c in chars)


def test_required_chars_is_none_when_a_match_may_lack_every_char() -> None:
    assert required_chars(re.compile("[（(]x|y")) is None  # a top-level alternation
    assert required_chars(re.compile("(a)?b")) == "b"
    assert required_chars(re.compile("\\s*[:：]$")) == ":："
    assert required_chars(re.compile("(?i)a")) is None


def test_rules_parsed_from_text_are_led_too() -> None:
    from sifund.core.packaged import data_text

    r = parse_extract_rules(data_text("review", "extract.yaml"))
    assert r.re("claims.all_met").pattern == LED["claims.all_met"].pattern


ALIASES = [a for a, _c in codebook().fund_aliases()] + [a for a, _c in codebook().item_aliases()]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*ALIASES, "（含生育保险）", "，", "基金", "收入"]), max_size=6).map("".join))
def test_the_report_memo_answers_as_the_functions_do(text: str) -> None:
    def ask() -> tuple:
        return funds.fund_mentions(text), labels.label_item(text), funds.fund_mentions(text[1:])

    plain = ask()
    assert funds.report_memo() is None
    view = "全市基本医疗保险基金收入，其中职工基本医疗保险基金、城乡居民基本医疗保险基金。"
    for names in ((), ("基本医疗保险",)):
        with funds.reading_umbrellas(view, names) as found:
            assert funds.report_memo() == {}
            token = funds._MEMO.set(None)  # the same report without the memo
            unmemoised = ask()
            funds._MEMO.reset(token)
            assert ask() == unmemoised  # first asked: computed and kept
            assert ask() == unmemoised  # asked again: from the memo
            assert funds.report_memo()
            if not found:
                assert unmemoised == plain
        assert funds.report_memo() is None  # the memo ends with its report
