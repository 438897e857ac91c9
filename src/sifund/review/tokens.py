"""Typed tokens of a report's view: quantities, fund / item / measure words and the lexicon's classes.

Why: the clause rules find numbers with one scanner, fix their units with three more passes
(``（万元）：N``, ``万名``, ``百分之…``) and look for words with a regex per rule, each over the
same text again. One longest-match pass over the view gives every later step the same typed
tokens with view offsets (so ``Document.source`` still maps each back to the text): a quantity with
its unit and printed precision, or a word with its class, its code (for a fund, item, measure or
unit) and its sign (for a direction word).

The pass works line by line and sentence by sentence, as the clause parser reads them: no number
or word spans a line or a sentence end. A quantity takes

- the unit printed after it (亿元, 万元, %, 人 … — ``core/numbers.UNITS``),
- else a synonym of a unit right after it (``8.31万名`` is 8.31 万人; the lexicon's unit synonyms),
- else the unit bracketed before its colon (``基金收入（万元）：23,518.40``);

percentages in words (``百分之九十八点五``) are quantities too, and a quantity right after a bound
word (``不少于``) or right before one (``以上``) is flagged as a target's bound.

This round the tokenizer runs in shadow: tests/review/test_tokens.py checks that its quantities are
those the clause parser reads on every blind and genre report, before the parser moves onto it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any

from sifund.core.lexicon import Lexicon, lexicon
from sifund.core.numbers import (
    QUANTITY_RE,
    NumberError,
    Quantity,
    normalize_digits,
    parse_chinese_quantity,
    precision_of,
)
from sifund.review.rules import Rules, extract_rules

# Word kinds taken from the code list, in the order they win when one word is in several classes.
_CODED = ("fund", "item", "measure", "unit")
_BRACKET_WINDOW = 16  # chars before a number searched for "（万元）：" (as the clause parser does)
_BOUNDS = {
    "target.lower": "lower",
    "target.lower.after": "lower",
    "target.upper": "upper",
    "target.upper.after": "upper",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is "quantity", "fund", "item", "measure", "unit" or a class name of the
    lexicon ("dir.up", "time.prior" …); ``start``/``end`` are view offsets."""

    kind: str
    start: int
    end: int
    text: str
    quantity: Quantity | None = None
    code: str | None = None  # fund / item / measure code, or the unit a unit word stands for
    sign: int = 0  # +1 / -1 for a direction word
    target: str | None = None  # "lower" / "upper": a quantity bounded by 不少于…/…以上 or 不超过…/…以下
    # where a quantity's unit was read when not printed after it: "synonym" (8.31万名) or "bracket"
    # (收入（万元）：N). The clause parser's share check counts only amounts whose unit is printed.
    unit_from: str | None = None


@dataclass(frozen=True)
class _Scanner:
    rx: re.Pattern[str]
    num: int  # group numbers of the quantity's digits and unit, and of a word
    unit: int
    word: int
    percent: int
    kinds: dict[str, tuple[str, str | None, int]]  # word -> (kind, code, sign)


def _kind_of(name: str, source_code: str | None) -> tuple[str, str | None]:
    """The token kind and code of a word of class ``name``."""
    if name in ("fund", "item", "unit"):
        return name, source_code
    if name.startswith("measure."):
        return "measure", name.removeprefix("measure.")
    return name, None


@cache
def _scanner(lex: Lexicon, rules: Rules) -> _Scanner:
    kinds: dict[str, tuple[str, str | None, int]] = {}

    def rank(kind: str) -> int:
        return _CODED.index(kind) if kind in _CODED else len(_CODED)

    for name, wc in lex.classes.items():
        if wc.include:
            continue
        for w in wc.words:
            kind, code = _kind_of(name, wc.codes.get(w))
            old = kinds.get(w)
            if old is None or rank(kind) < rank(old[0]):
                kinds[w] = (kind, code, wc.sign or 0)
    alt = _trie_pattern(kinds)
    rx = re.compile(f"(?P<pct>{rules.spec.word_percent.pattern})|(?P<q>{QUANTITY_RE.pattern})|(?P<w>{alt})")
    q = rx.groupindex["q"]
    return _Scanner(rx, q + 1, q + 2, rx.groupindex["w"], rx.groupindex["pct"], kinds)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex matching the longest of ``words`` at a position, as a trie: "基金(?:收入|支出)?".

    Why: an alternation of the ~420 words sorted longest first tries every word at every position
    of the view; the trie tries only the words sharing the characters read so far, and matches the
    same (at each node the longer continuation is tried before stopping, and sibling branches start
    with different characters, so the first match found is the longest). The scan took half the
    time on the blind and genre views."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + branch(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a word ends here: the longer ones first, then this one
            body = f"(?:{body})?"
        return body

    return branch(trie)


def tokenize(view: str) -> list[Token]:
    """Every token of ``view`` in order, with view offsets (see the module docstring)."""
    lex, rules = lexicon(), extract_rules()
    sc = _scanner(lex, rules)
    end_rx = rules.spec.sentence_end
    out: list[Token] = []
    pos = 0
    for line in view.split("\n"):
        s = 0
        for m in end_rx.finditer(line):
            if m.group() in "；;":
                continue  # a clause break, not the end of a sentence (as the clause parser reads it)
            _segment(line[s : m.end()], pos + s, sc, lex, rules, out)
            s = m.end()
        if s < len(line):
            _segment(line[s:], pos + s, sc, lex, rules, out)
        pos += len(line) + 1
    return out


def _segment(seg: str, base: int, sc: _Scanner, lex: Lexicon, rules: Rules, out: list[Token]) -> None:
    """The tokens of one sentence ``seg`` starting at view offset ``base``, appended to ``out``."""
    t = normalize_digits(seg)
    synonyms = lex.unit_synonyms
    bracket_rx = rules.spec.unit_bracket_label
    first = len(out)
    skip_to = -1  # a unit synonym absorbed into the number before it
    for m in sc.rx.finditer(t):
        if m.start() < skip_to:
            continue
        if m.group(sc.word) is not None:
            w = m.group(sc.word)
            kind, code, sign = sc.kinds[w]
            out.append(Token(kind, base + m.start(), base + m.end(), w, None, code, sign))
            continue
        if m.group(sc.percent) is not None:
            try:
                q = parse_chinese_quantity(m.group())
            except NumberError:
                continue  # "百分之点" and the like: not a number
            out.append(Token("quantity", base + m.start(), base + m.end(), seg[m.start() : m.end()], q))
            continue
        digits, unit = m.group(sc.num), m.group(sc.unit) or ""
        q = Quantity(Decimal(digits.replace(",", "")), unit, precision_of(digits))
        end = m.end()
        unit_from = None
        if not unit:
            syn = next((w for w in synonyms if t.startswith(w, end)), None)
            if syn is not None:
                q, end = Quantity(q.value, synonyms[syn], q.precision), end + len(syn)
                skip_to, unit_from = end, "synonym"
            else:
                b = bracket_rx.search(t[max(0, m.start() - _BRACKET_WINDOW) : m.start()])
                if b is not None:
                    q = Quantity(q.value, b.group("u").replace("％", "%"), q.precision)
                    unit_from = "bracket"
        out.append(Token("quantity", base + m.start(), base + end, seg[m.start() : end], q,
                         unit_from=unit_from))
    _flag_targets(out, first, seg, base)


def _flag_targets(out: list[Token], first: int, seg: str, base: int) -> None:
    """Quantities right after 不少于/不超过… or right before 以上/以下… are a target's bound."""
    for i in range(first, len(out)):
        tok = out[i]
        if tok.kind != "quantity":
            continue
        bound = None
        prev = out[i - 1] if i > first else None
        nxt = out[i + 1] if i + 1 < len(out) else None
        if prev is not None and prev.kind in _BOUNDS and not seg[prev.end - base : tok.start - base].strip():
            bound = _BOUNDS[prev.kind]
        if nxt is not None and nxt.kind in _BOUNDS and not seg[tok.end - base : nxt.start - base].strip():
            bound = _BOUNDS[nxt.kind]
        if bound is not None:
            out[i] = replace(tok, target=bound)
