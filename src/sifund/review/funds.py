"""Which fund a text names: fund names (the aliases of data/codes.yaml), headings, the report's fund.

Reports name the fund in section headings ("（三）工伤保险基金…") and in sentence subjects
("2019年工伤保险基金总支出…"); a bare "基金总支出" inherits the section's fund (the scope stack of
``review/scope.py`` keeps which). A figure with no fund anywhere stays unknown rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from sifund.core.codes import codebook
from sifund.review.rules import extract_rules, holds_any, required_chars

# The umbrella names read as all funds in the report being parsed (``umbrellas`` / ``reading_umbrellas``):
# alias → the fund it means there.
_UMBRELLAS: ContextVar[dict[str, str] | None] = ContextVar("umbrellas", default=None)
# What ``fund_mentions`` (and ``labels.label_item``) found for each text while one report is read
# (``reading_umbrellas``): a report asks about the same label again and again ("基金收入", the
# fund's name), about half its calls. It lives for one report only, so its answers cannot depend on
# another report's umbrellas, and a benchmark repeating a report does not hit it.
_MEMO: ContextVar[dict[tuple[str, str], object] | None] = ContextVar("review_memo", default=None)


def report_memo() -> dict[tuple[str, str], object] | None:
    """The memo of the report being read (keys: (function, text)), or None outside one."""
    return _MEMO.get()


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    fund: str


def fund_mentions(text: str) -> list[Mention]:
    """Leftmost-longest fund names in ``text`` ("城乡居民基本医疗保险" is not "基本医疗保险"); a fund named
    in an aside ("职工基本医疗保险（含生育保险）基金") is not a mention."""
    if not text:
        return []
    memo = _MEMO.get()
    if memo is not None:
        hit = memo.get(("fund_mentions", text))
        if hit is not None:
            return list(hit)  # type: ignore[call-overload]
    rx, codes = _alias_rx()
    aside_rx = extract_rules().re("fund_aside")
    # an aside opens with a bracket (fund_aside in data/review/extract.yaml): most texts have none
    need = _aside_chars(aside_rx)
    asides = ([m.span() for m in aside_rx.finditer(text)]
              if holds_any(text, need) else [])
    umbrellas = _UMBRELLAS.get()
    found = rx.finditer(text) if not asides else (
        m for m in rx.finditer(text) if not any(s <= m.start() < e for s, e in asides))
    out = [Mention(m.start(), m.end(), _meant(text, m, umbrellas) if umbrellas else codes[m.group()])
           for m in found]
    if memo is not None:
        memo[("fund_mentions", text)] = tuple(out)
    return out


@cache
def _aside_chars(rx: re.Pattern[str]) -> str | None:
    return required_chars(rx)


def _meant(text: str, m: re.Match[str], umbrellas: dict[str, str]) -> str:
    """The fund an alias match means: an umbrella name read as all funds (``umbrellas``) means them,
    unless it sits inside an item's words ("基本医疗保险费收入", "代缴基本医疗保险费")."""
    alias = m.group()
    meant = umbrellas.get(alias)
    if meant is None or _inside_item(text, m.start(), alias):
        return _alias_rx()[1][alias]
    return meant


def _inside_item(text: str, at: int, word: str) -> bool:
    """Whether ``word`` at ``at`` is part of an item alias of the code list that contains it."""
    for alias, off in _items_containing(word):
        s = at - off
        if s >= 0 and text.startswith(alias, s):
            return True
    return False


@cache
def _items_containing(word: str) -> tuple[tuple[str, int], ...]:
    """The item aliases longer than ``word`` that contain it, with its offset in each."""
    return tuple((a, a.index(word)) for a, _c in codebook().item_aliases() if word in a and a != word)


def umbrellas(view: str, names: tuple[str, ...]) -> dict[str, str]:
    """The umbrella ``names`` (lexicon class fund.umbrella: "基本医疗保险" is 职工's alias and the
    kind of 职工 and 城乡居民 医保) that mean all funds in this report: it names, by their own names,
    two or more of the funds whose code-list name holds the umbrella, and no fund outside them.
    "全市基本医疗保险基金收入…，其中职工基本医疗保险…、城乡居民基本医疗保险…" is the two together,
    i.e. the report's all. A report naming one of them, or other funds besides, keeps the code
    list's reading. A fund's name inside an item's words ("生育津贴", "基本医疗保险费收入") names no
    fund here."""
    token = _UMBRELLAS.set(None)
    try:
        named = fund_mentions(view)
    finally:
        _UMBRELLAS.reset(token)
    out: dict[str, str] = {}
    book = codebook()
    for word in names:
        covered = {code for code, f in book.funds.items() if code != "all" and word in f.name}
        funds = {m.fund for m in named if m.fund != "all" and (alias := view[m.start : m.end]) != word
                 and not _inside_item(view, m.start, alias)}  # "生育津贴" names no 生育保险 fund
        if len(funds & covered) >= 2 and funds <= covered:
            out[word] = "all"
    return out


@contextmanager
def reading_umbrellas(view: str, names: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Within it, ``fund_mentions`` reads the report's umbrella ``names`` as all funds (``umbrellas``)."""
    found = umbrellas(view, names)
    token = _UMBRELLAS.set(found or None)
    memo_token = _MEMO.set({})  # a fresh memo: the answers hold for this report's umbrellas
    try:
        yield found
    finally:
        _MEMO.reset(memo_token)
        _UMBRELLAS.reset(token)


@cache
def _alias_rx() -> tuple[re.Pattern[str], dict[str, str]]:
    """All fund aliases as one alternation, in ``fund_aliases()`` order (longest first): at each
    offset the first alias that fits wins and the scan goes on after it, as a hand loop would."""
    aliases = codebook().fund_aliases()
    codes: dict[str, str] = {}
    for alias, code in aliases:
        codes.setdefault(alias, code)
    return re.compile("|".join(re.escape(a) for a, _c in aliases)), codes


def last_fund(text: str) -> str | None:
    m = fund_mentions(text)
    return m[-1].fund if m else None


def unnumbered(line: str) -> str:
    """The heading without its number: "1." would otherwise end the first sentence at its dot."""
    for _level, rx in extract_rules().headings:
        m = rx.match(line)
        if m:
            return line[m.end() :]
    return line


def heading_level(line: str) -> int | None:
    """The outline level of a view line that starts a heading, or None."""
    for level, rx in extract_rules().headings:
        if rx.match(line):
            return level
    if extract_rules().re("title_line").match(line.strip()):
        return 1
    return None


def report_fund(view: str) -> str | None:
    """The one fund a report covers when its title names exactly one ("某县2022年度城乡居民基本养老
    保险基金支出预算绩效自评报告"): its fund-less figures belong to that fund. None otherwise."""
    title: list[str] = []
    for line in view.split("\n")[: int(extract_rules().raw["title_lines"])]:
        if heading_level(line.strip()) is not None and title:
            break
        title.append(line)
    funds = {m.fund for m in fund_mentions("".join(title))}
    if len(funds) == 1 and "all" not in funds:
        return funds.pop()
    return _cover_fund(view)


def _cover_fund(view: str) -> str | None:
    """The fund named by the cover's project field ("项目名称：城乡居民基本养老保险基金支出"): the first
    fund named right after the field, as a cover in two columns may run the other column's words
    ("社会保险基金支出预算") into the same line."""
    field_rx = extract_rules().re("cover_project_field")
    funds: set[str] = set()
    for line in view.split("\n"):
        stripped = line.strip()
        if heading_level(stripped) is not None:
            break
        field = field_rx.match(stripped)
        if field:
            ms = fund_mentions(stripped[field.end() :].lstrip())
            if ms and ms[0].start == 0:
                funds.add(ms[0].fund)
    return funds.pop() if len(funds) == 1 and "all" not in funds else None
