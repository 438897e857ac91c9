"""The attachment grammar of the clause parser: what one number of a sentence is, as named productions.

A report states a subject amount and then what is said about it ("<基金><项目>支出X万元，较上年增加Y
万元，增长Z%，完成全年预算B万元的R%"). For every number the clause parser reads a ``Reading`` (the
sentence, the number and the next one, the label before it, its clause, the words after it, the
current subject) and hands it to ``dispatch``: the productions of the number's kind (``amount`` or
``rate``) are tried in priority order, and the first that accepts it makes its figures (or lists the
number as unresolved, or records a share or a text target). A production is a small function named
for what it reads, registered with ``@production`` with its priority, a Chinese one-line summary and
executable examples (tests/review/test_grammar.py runs each through the real extraction and checks
the figures it must yield were made by that production). Every figure made from prose carries the
name of its production (``production``), so a reviewer — and a snapshot diff — can see which rule
read it.

Why productions over an ordered cascade: the cascade of ``ClauseParser._amount`` (21 branches in one
function, each falling through to the next) could only be read whole; a production is read, tested
and reordered alone, and a figure says which one made it. The helpers and the state stay in the
parser (``ClauseParser``): a production reads ``p.r`` (the rules), ``p.st`` (subject, 其中 list,
scope) and calls its helpers. Productions run in the order the cascade ran and keep its side
effects (a fund named in a label becomes current as it did), so the output is the cascade's.

Matching over token kinds — the choice, and why not a parser generator. The label before a number is
read by the tokenizer (review/tokens.py) into a kind string, one word per token: "较上年增加" is
"compare time.prior dir.up", "完成年初预算" "ratio_verb measure.budget" (``kind_string``). A
production may carry a ``pattern``, a regex over that string that holds whenever the production
applies (a necessary condition: YOY_CHANGE needs a ``compare`` word, FROM_TO a ``from`` word);
``dispatch`` tries a production only when its pattern matches, then its predicate decides. Why
regexes over kind strings rather than a grammar for lark or the like: what a number is depends on
state a context-free grammar does not see (the current subject and its sentence, the open 其中 list,
the figure stated just before, the budgets stated so far), the sentences are flat (a label, a number,
maybe the next number), and the rule files already speak in regexes over lexicon classes — so a
kind regex is the same language one level up, costs one cached tokenizing of each distinct label,
and leaves each production a plain function. The filter is exact by construction only if a pattern
is implied by its predicate (and by any side effect the predicate has before declining); it is kept
so by the test that runs every blind and genre report and phrase case with the filter on and off and
requires the same output. On those reports it cuts the predicates run from 17,024 to 6,369. The
fallbacks (UNKNOWN_ITEM, OF_WHICH_PART, SUBJECT, RATE_TARGET, UNKNOWN_RATE) and the productions whose
words the lexicon does not class (NEGATED_LABEL: 收不抵支; CHANGE_WITHOUT_COMPARISON: 新增, 差额) have no
pattern yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from sifund.core.codes import codebook
from sifund.core.lexicon import Lexicon, lexicon
from sifund.core.numbers import Match, Quantity, sign_from_words
from sifund.engine.intervals import Interval, rate
from sifund.review.funds import fund_mentions, report_memo
from sifund.review.labels import (
    alias_kind,
    item_after,
    kind_ok,
    label_item,
    longest_item_alias,
    without_funds,
)
from sifund.review.rules import Rules, extract_rules
from sifund.review.tokens import Token, tokenize

if TYPE_CHECKING:
    from sifund.core.model import Figure
    from sifund.review.clauses import ClauseParser

Reads = Literal["amount", "rate"]
Figure4 = tuple[str, str, str, float]  # fund, item, measure, value


@dataclass(frozen=True)
class Example:
    """A sentence and what its production must make of it: the figures (fund, item, measure, value)
    and, for a production that makes no figure, the reasons of the unresolved numbers it lists."""

    text: str
    figures: tuple[Figure4, ...] = ()
    unresolved: tuple[str, ...] = ()


@dataclass(frozen=True)
class Production:
    """One production: ``name`` (UPPER_SNAKE, carried by the figures it makes), ``priority`` (lower is
    tried first, unique), what it reads (``reads``: an amount or a rate), ``summary`` (one Chinese
    sentence) and ``examples``; ``fn(parser, reading)`` returns None when it does not apply, else
    whether it consumed the next number."""

    name: str
    priority: int
    reads: Reads
    summary: str
    examples: tuple[Example, ...]
    fn: ProductionFn = field(repr=False, compare=False)
    # A regex over the kind string of the label (``kind_string``) that holds whenever the production
    # applies: ``dispatch`` runs ``fn`` only when it matches (see the module docstring); None: the
    # production reads more than the label's kinds tell.
    pattern: re.Pattern[str] | None = None


_REGISTRY: dict[str, Production] = {}
_ORDER: dict[str, tuple[Production, ...]] = {}
# (reads, kind string of a label) -> the productions of ``_ordered(reads)`` whose pattern that kind
# string matches, in order (``dispatch``): every production's pattern was searched for every number,
# and labels' kind strings are few ("item", "item compare time.prior dir.up"). A pure function of
# the registered grammar, cleared when a production is registered; bounded as ``_label_kinds`` is.
_CANDIDATES: dict[tuple[str, str], tuple[Production, ...]] = {}
_CANDIDATES_MAX = 8192


ProductionFn = Callable[["ClauseParser", "Reading"], "bool | None"]


def production(*, name: str, priority: int, reads: Reads, summary: str, examples: tuple[Example, ...],
               pattern: str | None = None) -> Callable[[ProductionFn], ProductionFn]:
    """Registers the decorated function as the production ``name`` (see ``Production``)."""

    def register(fn: ProductionFn) -> ProductionFn:
        if name in _REGISTRY:
            raise ValueError(f"production {name} registered twice")
        rx = re.compile(pattern) if pattern is not None else None
        _REGISTRY[name] = Production(name, priority, reads, summary, examples, fn, rx)
        _ORDER.clear()
        _CANDIDATES.clear()
        return fn

    return register


def productions() -> dict[str, Production]:
    """Every production by name, in priority order."""
    return {p.name: p for p in sorted(_REGISTRY.values(), key=lambda p: p.priority)}


def _ordered(reads: Reads) -> tuple[Production, ...]:
    if reads not in _ORDER:
        _ORDER[reads] = tuple(p for p in productions().values() if p.reads == reads)
    return _ORDER[reads]


def _candidates(reads: Reads, kinds: str) -> tuple[Production, ...]:
    """The productions of ``reads`` in order that may read a number whose label has ``kinds``."""
    key = (reads, kinds)
    hit = _CANDIDATES.get(key)
    if hit is None:
        if len(_CANDIDATES) >= _CANDIDATES_MAX:
            _CANDIDATES.clear()
        hit = _CANDIDATES[key] = tuple(p for p in _ordered(reads)
                                       if p.pattern is None or p.pattern.search(kinds))
    return hit


@dataclass
class Reading:
    """One number of a sentence and what the productions read around it. ``subj`` is the current
    subject (None when it is older than the sentence before); a production may rename it for the
    ones after it, as the cascade did. The item words of the label are worked out once, when a
    production first needs them (``items``)."""

    sent: str
    base: int  # view offset of the sentence
    m: Match
    nxt: Match | None
    label: str  # the cleaned label before the number
    lstart: int  # view offset where the label starts
    clause: str  # the clause before the number (from the last ，；。)
    after: str  # the words after the number (``clauses._AFTER``)
    subj: Figure | None
    _items: _Items | None = None
    production: str | None = None  # the production that read the number (set by ``dispatch``)
    q: Quantity = field(init=False)  # the number's quantity, its canonical value and precision
    value: float = field(init=False)
    prec: float = field(init=False)
    vend: int = field(init=False)  # view offset where the number ends

    def __post_init__(self) -> None:
        self.q = q = self.m.quantity
        self.value, self.prec = float(q.canonical), float(q.canonical_precision)
        self.vend = self.base + self.m.end

    def signed(self) -> float:
        """The value with the sign of the label's direction word (减少 → negative)."""
        return -abs(self.value) if sign_from_words(self.label) < 0 else self.value

    def items(self, p: ClauseParser) -> _Items:
        if self._items is None:
            self._items = _Items.of(p, self)
        return self._items


@dataclass
class _Items:
    """What the label of an amount names once a promise (不少于…) and a measure tail are taken off."""

    label: str  # the label without its promise
    promised: bool
    bare: str  # the label without its measure tail
    item: str | None
    rest: str  # the label's words besides the item's
    item_via: str

    @classmethod
    def of(cls, p: ClauseParser, c: Reading) -> _Items:
        """Read from the label and the number's kind (the report memo keeps what a label and kind
        gave: labels repeat); only a count with no item in its label reads the words after it."""
        memo = report_memo()
        kind = c.q.kind
        key = ("items", f"{kind}\n{c.label}")
        got = memo.get(key) if memo is not None else None
        if got is None:
            got = cls._of_label(p, c.label, kind)
            if memo is not None:
                memo[key] = got
        label, promised, bare, item, rest, item_via = got  # type: ignore[misc]
        if item is None and kind in ("people", "count"):
            item, item_via = item_after(c.after), "after"
        return cls(label, promised, bare, item, rest, item_via)

    @staticmethod
    def _of_label(p: ClauseParser, label: str, kind: str) -> tuple[str, bool, str, str | None, str, str]:
        r = p.r
        promised = r.re("target_prefix").search(label)
        if promised:
            label = label[: promised.start()]
        bare = r.re("label_measure_tail").sub("", label)
        item, rest = label_item(bare)
        item_via = alias_kind(bare, item) if item else "alias"
        if item is None and fund_mentions(bare):
            # "领取城乡居民养老保险待遇98362人": the fund's name sits inside the item's words
            item, _ = label_item(without_funds(bare))
            rest = bare
            if item is None and kind == "people" and p._joins(without_funds(bare)):
                # "参加失业保险2.35万人": who joined the fund's insurance are its insured
                item, item_via = JOINED_ITEM, "alias"
        return label, bool(promised), bare, item, rest, item_via


JOINED_ITEM = "insured"  # the item of the people who joined a fund's insurance (``ClauseParser._joins``)


# Whether ``dispatch`` skips a production whose ``pattern`` the label's kinds do not match. Off, every
# predicate runs (tests/review/test_grammar.py checks the output is the same either way).
KIND_FILTER = True


def kind_string(tokens: list[Token]) -> str:
    """The kinds of ``tokens`` in order, one word each: "item compare time.prior dir.up"; a measure word
    reads as its measure ("measure.prior" for 上年同期), a quantity as "Q"."""
    return " ".join("Q" if t.kind == "quantity" else f"measure.{t.code}" if t.kind == "measure" else t.kind
                    for t in tokens)


def label_kinds(label: str) -> str:
    """The kind string of a label read alone (``tokens.tokenize``). Labels repeat ("增长", "较上年增加",
    "完成年初预算"): most are a cache hit (keyed by the lexicon and rules too, as the tokenizer is)."""
    return _label_kinds(label, lexicon(), extract_rules())


@lru_cache(maxsize=8192)
def _label_kinds(label: str, _lex: Lexicon, _rules: Rules) -> str:
    return kind_string(tokenize(label))


def dispatch(p: ClauseParser, c: Reading, reads: Reads) -> bool:
    """Tries the productions of ``reads`` in priority order; the first that applies reads the number.
    Returns whether it consumed the next number. While a production runs, ``p.production`` names it
    (``ClauseParser._add`` writes it on the figures)."""
    try:
        for prod in _candidates(reads, label_kinds(c.label)) if KIND_FILTER else _ordered(reads):
            p.production = prod.name
            used = prod.fn(p, c)
            if used is not None:
                c.production = prod.name
                return used
    finally:
        p.production = None
    raise AssertionError(f"no production read {c.m}")  # the last production of each kind always applies


def attribution(f: Figure) -> dict[str, str]:
    """How a figure's fund and item were told (see ``attribution`` in data/review/extract.yaml)."""
    return dict((f.__pydantic_extra__ or {}).get("attribution") or {})


def told_like(f: Figure) -> dict[str, Any]:
    """The extras a figure about ``f`` takes from it: how its fund and item were told, and where its
    fund's scope starts (None: named in its own clause; ``ClauseParser._add`` then writes none)."""
    extra = f.__pydantic_extra__ or {}
    return {"attribution": dict(extra.get("attribution") or {}), "scope_at": extra.get("scope_at")}


# ---- amounts ---------------------------------------------------------------------------------


def _yuan(q: Quantity) -> bool:
    """A number printed in 元 (元, or a per-capita unit such as 元/人·年): a standard's own unit."""
    return q.unit.startswith("元")


def _standard_item(p: ClauseParser, label: str) -> tuple[str, str] | None:
    """The per-capita standard (an item of kind yuan) a label ends with, and the words before it:
    "居民医保人均财政补助标准" / "基础养老金标准达到每人每月" (``per_capita_tail`` taken off)."""
    bare = p.r.re("per_capita_tail").sub("", label)
    item, rest = label_item(bare)
    if item is None or codebook().items[item].kind != "yuan":
        return None
    return item, rest


@production(
    name="PER_CAPITA_STANDARD", priority=5, reads="amount",
    summary="读“人均财政补助标准N元”“基础养老金标准为每人每月N元”：人均标准（元），及其后“较上年提高N元”的同比增减额。",
    examples=(Example("居民医保人均财政补助标准调整为每人每年705元，比上年提高25元。",
                      (("resident_medical", "subsidy_standard", "actual", 705.0),
                       ("resident_medical", "subsidy_standard", "yoy_change", 25.0))),
              Example("城乡居民养老保险基础养老金标准达到每人每月147元。",
                      (("resident_pension", "basic_pension_standard", "actual", 147.0),))),
)
def per_capita_standard(p: ClauseParser, c: Reading) -> bool | None:
    """A standard in 元 per person is a figure of its own item (kind yuan), in 元, never fund money:
    read only when the label names such an item, says the standard just read changed, or is only a
    measure of it (an aside "（上年N元）"); the 元 parts of a 其中 list after it stay apart."""
    q = c.q
    if not _yuan(q):
        return None
    value, prec = float(q.value), float(q.precision)
    subj = c.subj
    if (subj is not None and codebook().items[subj.item].kind == "yuan"
            and p.r.re("yoy_change").search(c.label)):
        sign = -1.0 if sign_from_words(c.label) < 0 else 1.0
        p._add(subj.fund, subj.item, "yoy_change", sign * abs(value), prec, "元", c.lstart, c.vend,
               subj.group, "yoy_change", **told_like(subj))  # type: ignore[attr-defined]
        return False
    if subj is not None and codebook().items[subj.item].kind == "yuan":
        if p.r.re("measure_only").match(c.label.strip()):
            # "较上年提高8元（上年145元）": a measure aside of the standard just read, in 元 as it is
            measure = p._measure(c.label, q.kind, c.after, None)
            p._add(subj.fund, subj.item, measure, value, prec, "元", c.lstart, c.vend, subj.group,
                   "measure_of_subject", **told_like(subj))  # type: ignore[attr-defined]
            return False
        parts = p.st.parts
        if parts is not None and parts.parent is subj and _standard_item(p, c.label) is None:
            # "标准为每人每月153元，其中中央确定的基础养老金103元": a share of the standard, per person,
            # never fund money in 万元 — no item of the code list holds it
            p._unresolved(q, c.lstart, c.vend, "per_capita")
            return False
    found = _standard_item(p, c.label)
    if found is None:
        return None
    item, rest = found
    fund = p._fund_for(rest)
    if fund is None:
        p._unresolved(q, c.lstart, c.vend, "per_capita")
        return False
    f = p._add(fund, item, "actual", value, prec, "元", c.lstart, c.vend, p._new_group(), "subject",
               attribution={"fund": p._via_named(), "item": "alias"})
    p._set_subject(f)
    return False


def read_per_capita(p: ClauseParser, c: Reading) -> bool:
    """Whether PER_CAPITA_STANDARD reads a number the clause parser holds for a per-capita one
    (a 元 amount, or one whose clause speaks per person); the others stay unresolved."""
    p.production = "PER_CAPITA_STANDARD"
    try:
        return per_capita_standard(p, c) is not None
    finally:
        p.production = None


@production(
    name="COMPLETION_WITH_BUDGET", priority=10, reads="amount", pattern=r"ratio_verb",
    summary="读“完成全年预算B万元的R%”：B为主语项目的预算，R为其预算完成率。",
    examples=(Example("失业保险基金支出900万元，完成全年预算1000万元的90%。",
                      (("unemployment", "expenditure_total", "completion_rate", 90.0),
                       ("unemployment", "expenditure_total", "budget", 1000.0))),),
)
def completion_with_budget(p: ClauseParser, c: Reading) -> bool | None:
    r, nxt, q, label = p.r, c.nxt, c.q, c.label
    if not (nxt is not None and nxt.quantity.kind == "rate" and r.re("completion_head").search(label)
            and r.re("completion_between").match(c.sent[c.m.end : nxt.start])):
        return None
    head = r.re("completion_head").search(label)
    if head is not None and head.start() > 0 and q.kind == "money":
        p._renamed(label[: head.start()], q.kind)
    p._completion(c.sent, c.base, c.m, nxt, label, c.lstart)
    return True


@production(
    name="BARE_CHANGE", priority=20, reads="amount", pattern=r"\bdir\.",
    summary="读同比增幅或上年数之后的“增加/减少N万元”：主语项目的同比增减额。",
    examples=(Example("工伤保险基金支出500万元，比上年同期下降9.09%，减少50万元。",
                      (("work_injury", "expenditure_total", "yoy_change", -50.0),)),),
)
def bare_change(p: ClauseParser, c: Reading) -> bool | None:
    subj, q = c.subj, c.q
    last = p.out.figures[-1] if p.out.figures else None
    if not (p.r.re("bare_change").match(c.label) and subj is not None and last is not None
            and (getattr(last, "role", None) in ("yoy_rate", "prior")
                 or getattr(last, "group", None) == p._from_to_group)
            and getattr(last, "group", None) == subj.group  # type: ignore[attr-defined]
            and kind_ok(subj.item, q.kind)):
        return None
    p._add(subj.fund, subj.item, "yoy_change", c.signed(), c.prec, q.unit, c.lstart, c.vend,
           subj.group, "yoy_change", **told_like(subj))  # type: ignore[attr-defined]
    return False


@production(
    name="PRIOR", priority=30, reads="amount", pattern=r"\bcompare\b",
    summary="读“比上年（同期）N万元增加…”一类：主语项目的上年数。",
    examples=(Example("失业保险基金支出1590万元，比上年1515万元增加75万元。",
                      (("unemployment", "expenditure_total", "prior", 1515.0),)),),
)
def prior(p: ClauseParser, c: Reading) -> bool | None:
    q, label = c.q, c.label
    pref = p.r.re("prior_ref").search(label)
    if not (pref and q.kind == "money"):
        return None
    if pref.start() > 0:
        c.subj = p._renamed(label[: pref.start()], q.kind) or c.subj
    subj = c.subj
    if subj is None or not kind_ok(subj.item, q.kind):
        return None  # the subject renamed (or not) holds for the productions after this one
    p._add(subj.fund, subj.item, "prior", c.value, c.prec, q.unit, c.lstart, c.vend,
           subj.group, "prior", **told_like(subj))  # type: ignore[attr-defined]
    return False


@production(
    name="YOY_CHANGE", priority=40, reads="amount", pattern=r"\bcompare(\.yoy)?\b",
    summary="读“较上年增加/减少N万元”：主语（或标签所指项目最近的主语）的同比增减额，减少为负。",
    examples=(Example("失业保险基金支出1590万元，较上年增加75万元。",
                      (("unemployment", "expenditure_total", "yoy_change", 75.0),)),
              Example("失业保险基金支出1590万元。基金支出较上年减少75万元。",
                      (("unemployment", "expenditure_total", "yoy_change", -75.0),))),
)
def yoy_change(p: ClauseParser, c: Reading) -> bool | None:
    r, q, label = p.r, c.q, c.label
    if not r.re("yoy_change").search(label):
        return None
    subj = c.subj
    named, rest = label_item(r.re("yoy_change").sub("", label))
    if named is not None and kind_ok(named, q.kind):  # "基金支出较上年增加505万元"
        subj = p._latest(p._fund_for(rest), named)
    if subj is None or not kind_ok(subj.item, q.kind):
        p._unresolved(q, c.lstart, c.vend, "yoy without subject")
        return False
    p._add(subj.fund, subj.item, "yoy_change", c.signed(), c.prec, q.unit, c.lstart, c.vend,
           subj.group, "yoy_change", **told_like(subj))  # type: ignore[attr-defined]
    return False


def _from_to_head(p: ClauseParser, c: Reading) -> str | None:
    """The label's words before 由 when "由A增加至B" follows (A and B of one unit), else None."""
    nxt, q = c.nxt, c.q
    if not (nxt is not None and p.r.re("from_to").search(c.label) and nxt.quantity.unit == q.unit
            and p.r.re("from_to_mid").match(c.sent[c.m.end : nxt.start])):
        return None
    return p.r.re("from_to").sub("", c.label)


@production(
    name="FROM_TO_OF_SUBJECT", priority=50, reads="amount", pattern=r"\bfrom\b",
    summary="读主语之后不另名项目的“由A增加到B”：A为主语的上年数，B与主语不符时记为重述。",
    examples=(Example("失业保险基金支出1590万元，由上年的1515万元增加到1590万元。",
                      (("unemployment", "expenditure_total", "prior", 1515.0),)),),
)
def from_to_of_subject(p: ClauseParser, c: Reading) -> bool | None:
    head = _from_to_head(p, c)
    if head is None:
        return None
    item, _ = label_item(head)
    subj = c.subj
    if not (item is None and not head.strip() and subj is not None and kind_ok(subj.item, c.q.kind)):
        return None
    # "基金支出65417.82万元，…，由上年的60235.40万元增加到65417.82万元": of the subject
    assert c.nxt is not None
    return p._from_to_of_subject(subj, c.m, c.nxt, c.base, c.lstart)


@production(
    name="FROM_TO", priority=60, reads="amount", pattern=r"\bfrom\b",
    summary="读“<项目>由A增加至B”：A为该项目的上年数，B为其本年数并成为主语。",
    examples=(Example("失业保险参保人数由2.1万人增加至2.3万人。",
                      (("unemployment", "insured", "prior", 21000.0),
                       ("unemployment", "insured", "actual", 23000.0))),),
)
def from_to(p: ClauseParser, c: Reading) -> bool | None:
    head = _from_to_head(p, c)
    if head is None:
        return None
    q, nxt = c.q, c.nxt
    assert nxt is not None
    item, rest = label_item(head)
    fund = p._fund_for(rest)
    if item is None or fund is None or not kind_ok(item, q.kind):
        p._unresolved(q, c.lstart, c.vend, "from-to without subject")
        return False
    g = p._from_to_group = p._new_group()
    via = {"fund": p._via_named(), "item": alias_kind(head, item)}
    p._add(fund, item, "prior", c.value, c.prec, q.unit, c.lstart, c.vend, g, "prior", attribution=via)
    nq = nxt.quantity
    f = p._add(fund, item, "actual", float(nq.canonical), float(nq.canonical_precision), nq.unit,
               c.base + c.m.end, c.base + nxt.end, g, "subject", attribution=via)
    p._set_subject(f)
    return True


@production(
    name="NEGATED_LABEL", priority=70, reads="amount",
    summary="读“收不抵支N万元”“累计结余较年初减少N万元”一类：当期结余，按词义取负号。",
    examples=(Example("失业保险基金当年收不抵支200万元。",
                      (("unemployment", "balance_current", "actual", -200.0),)),),
)
def negated_label(p: ClauseParser, c: Reading) -> bool | None:
    q, label = c.q, c.label
    if q.kind != "money":
        return None
    for neg in p._negated:
        short = neg.rx.search(label)
        if short:
            fund = p._fund_for(label[: short.start()])
            if fund is not None:
                v = c.value * sign_from_words(label) if neg.signed else -abs(c.value)
                f = p._add(fund, neg.item, "actual", v, c.prec, q.unit, c.lstart, c.vend,
                           p._new_group(), "subject", attribution={"fund": p._via_named(), "item": "alias"})
                p._set_subject(f)
                return False
    return None


@production(
    name="CHANGE_WITHOUT_COMPARISON", priority=80, reads="amount",
    summary="读不言比较对象的“增加/减少N万元”及“追加/调减…预算N万元”：不知比的是什么，列为未归属。",
    examples=(Example("失业保险基金收入增加75万元。", unresolved=("change without comparison",)),
              Example("失业保险基金追加稳岗返还支出预算380万元。",
                      unresolved=("change without comparison",))),
)
def change_without_comparison(p: ClauseParser, c: Reading) -> bool | None:
    if not p.r.re("change_words").search(c.label):
        return None
    p._unresolved(c.q, c.lstart, c.vend, "change without comparison")
    return False


@production(
    name="BACK_REFERENCE", priority=90, reads="amount", pattern=r"\bmeasure\.",
    summary="读“上述收入的年初预算为N万元”：前文所述项目的某一口径数，并使其重为主语。",
    examples=(Example("失业保险基金收入1600万元。上述收入的年初预算为1500万元。",
                      (("unemployment", "income_total", "budget", 1500.0),)),),
)
def back_reference(p: ClauseParser, c: Reading) -> bool | None:
    it, q = c.items(p), c.q
    if it.item is not None:
        return None
    back = p.r.re("back_reference").match(it.label.strip())
    ref = p._back_reference(back.group("item")) if back is not None else None
    if ref is None or back is None or not kind_ok(ref.item, q.kind):
        return None
    # "上述收入的年初预算为35000万元": a measure of the figure stated before; its rate follows
    measure = p._measure(back.group("m"), q.kind, c.after, None)
    p._add(ref.fund, ref.item, measure, c.value, c.prec, q.unit, c.lstart, c.vend,
           ref.group, "measure_of_subject", **told_like(ref))  # type: ignore[attr-defined]
    p._set_subject(ref)
    return False


@production(
    name="MEASURE_OF_SUBJECT", priority=100, reads="amount", pattern=r"\bmeasure\.|time\.prior|\bforecast\b",
    summary="读紧随主语的“调整后预算数为N万元”“预计N万元，预算执行率R%”：只言口径不言项目，即主语项目的该口径数。",
    examples=(Example("失业保险基金支出1590万元，调整后预算数为1700万元。",
                      (("unemployment", "expenditure_total", "budget_adjusted", 1700.0),)),
              Example("失业保险基金支出1590万元，预计1700万元，预算执行率93.5%。",
                      (("unemployment", "expenditure_total", "budget", 1700.0),))),
)
def measure_of_subject(p: ClauseParser, c: Reading) -> bool | None:
    it, q, subj = c.items(p), c.q, c.subj
    if not (it.item is None and subj is not None and kind_ok(subj.item, q.kind)
            and (p.r.re("measure_only").match(it.label.strip()) or _overrun_budget(p, c, subj))):
        return None
    # "调整后预算数为12,650万元" right after "基金支出12,036万元": a measure of that subject
    measure = p._measure(it.label, q.kind, c.after, None)
    if measure == "actual" and p.is_forecast(it.label):
        return None  # "预计N万元" that no budget word or context makes a budget: no measure to check
    f = p._add(subj.fund, subj.item, measure, c.value, c.prec, q.unit, c.lstart, c.vend,
               subj.group, "measure_of_subject", **told_like(subj))  # type: ignore[attr-defined]
    if measure == "actual" and subj.measure in ("budget", "budget_adjusted"):
        # "收入预计378,600万元，实际为386,452万元，…。其中：…": the parts listed next are of what was done
        p._set_subject(f)
    return False


def _overrun_budget(p: ClauseParser, c: Reading, subj: Figure) -> bool:
    """"超预算118,000.00万元，执行率102.59%": the amount is the budget the subject overran when the rate
    right after it is the subject over it; "超预算3,055.83万元" (the overrun itself) is not."""
    if not p.r.re("overrun_budget").match(c.items(p).label.strip()):
        return False
    nxt = c.nxt
    if nxt is None or nxt.quantity.kind != "rate" or not c.value:
        return False
    stated = Interval.printed(float(nxt.quantity.canonical), float(nxt.quantity.canonical_precision))
    try:
        over = rate(Interval.printed(subj.value, subj.precision), Interval.printed(c.value, c.prec))
        fits = over.meets(stated)
    except ZeroDivisionError:
        return False
    return bool(fits) and subj.value > c.value


@production(
    name="FUND_PART", priority=110, reads="amount", pattern=r"\bfund\b",
    summary="读全部基金合计之后“其中”列出的各基金数：只言基金不言项目，取合计的项目与口径。",
    examples=(Example("社会保险基金预算收入77100万元，其中机关事业单位养老保险基金52800万元、"
                      "城乡居民养老保险基金24300万元。",
                      (("institution_pension", "income_total", "budget", 52800.0),
                       ("resident_pension", "income_total", "budget", 24300.0))),),
)
def fund_part(p: ClauseParser, c: Reading) -> bool | None:
    it, q = c.items(p), c.q
    if it.item is not None or p._fund_part(it.bare, q.kind) is None:
        return None
    # "预算收入77,100万元，其中机关…基金52,800万元、城乡居民…基金24,300万元": one fund's share
    parent = p.st.of_which
    assert parent is not None
    fund = fund_mentions(it.bare)[-1].fund
    p._add(fund, parent.item, parent.measure, c.value, c.prec, q.unit, c.lstart, c.vend,
           p._new_group(), "subject", of_which=parent.group,  # type: ignore[attr-defined]
           attribution={"fund": "clause", "item": "of_which"})
    return False


def _topic_item(p: ClauseParser, c: Reading) -> tuple[str, str] | None:
    """The item the sentence is about when the label of an amount is only a verb ("到位", "返还"):
    the words before a "：" earlier in the sentence end with an item ("支出增长主要来自稳岗返还：…返还
    11,893.43万元"), or its first clause starts with one ("失业保险金按月足额发放，发放4,215万元"), and
    this is the sentence's first amount. A topic ending "…中" names a whole whose parts follow, so it
    gives no item. Returns (item, the topic's words), else None."""
    lead = c.sent[: c.m.start - len(c.label)] if c.label else c.sent[: c.m.start]
    colon = max(lead.rfind("："), lead.rfind(":"))
    topic, item = "", None
    if colon > 0:
        topic = lead[:colon]
        item, _ = label_item(topic)
    if item is None:
        first = re.split(r"[，,；;：:]", lead, maxsplit=1)[0]
        # "失业保险金按月…" (an item holding a fund's name), else "城乡居民…基金财政补贴已…" (after the fund)
        hit = None
        if len(first) < len(lead):
            words = re.sub(r"\s+", "", first)
            hit = (longest_item_alias(words, at_end=False)
                   or longest_item_alias(without_funds(words), at_end=False))
        if hit is None or p.r.re("generic_item_suffix").match(hit[0]):
            return None  # "支出超预算主要是…": a bare 支出/收入 opens no topic
        topic, item = first, hit[1]
    if not kind_ok(item, c.q.kind) or p.r.re("topic_whole").search(topic):
        return None  # "财政补助资金中，缴费补贴N万元": a part of the topic's item, not the item
    raw, _ok = p._sent_raw
    if any(m.start < c.m.start and m.quantity.kind not in ("number", "days") for m in raw):
        return None  # an amount before it: the sentence opened with a statement of its own
    return item, topic


@production(
    name="TOPIC_ITEM", priority=115, reads="amount",
    summary="读标签只是动词的金额（“到位22.96亿元”“返还11,893.43万元”）：句首或冒号前所说的项目为其主语。",
    examples=(Example("支出增长主要来自稳岗返还：失业保险基金向214家企业返还1,189.34万元，比上年增长9.4%。",
                      (("unemployment", "job_stabilization", "actual", 1189.34),)),
              Example("城乡居民基本养老保险基金财政补贴已全部到位，到位资金3,120万元。",
                      (("resident_pension", "fiscal_subsidy", "actual", 3120.0),))),
)
def topic_item(p: ClauseParser, c: Reading) -> bool | None:
    it, q = c.items(p), c.q
    if it.item is not None or it.promised or q.kind != "money" or p.r.re("change_words").search(c.label):
        return None
    found = _topic_item(p, c)
    if found is None:
        return None
    item, topic = found
    fund = p._fund_for(topic + it.bare)
    p._subject(c, _Items(it.label, False, it.bare, item, it.rest, "topic"), None, fund, p._via_named())
    return False


@production(
    name="UNKNOWN_ITEM", priority=120, reads="amount",
    summary="读标签不名任何已知项目的数：列为未归属，并结束当前主语；若是人数且有“以上/不少于”，记为文中目标。",
    examples=(Example("失业保险基金办公经费12万元。", unresolved=("unknown item",)),),
)
def unknown_item(p: ClauseParser, c: Reading) -> bool | None:
    it, q = c.items(p), c.q
    if it.item is not None and kind_ok(it.item, q.kind):
        return None
    p._unresolved(q, c.lstart, c.vend, "unknown item")
    # "…返还11,893.43万元（unknown），比上年同期增长94.32%": what follows speaks of this amount, not of the
    # subject before it; a rate after it stays unresolved rather than going to an older subject
    p.st.subject = None
    if q.kind in ("people", "count") and (it.promised or p.r.re("target_suffix").match(c.after)):
        # "待遇按时足额发放4200人以上": no item of the code list, still a promise the 自评表 can be held to
        ms = fund_mentions(it.label)
        p._target(it.label.strip(), c.value, q.unit, ms[-1].fund if ms else None,
                  p._src(c.lstart, c.vend), c.prec)
    return False


@production(
    name="OF_WHICH_PART", priority=130, reads="amount",
    summary="读“其中：”之后的分项：所名项目为合计项目的下级，基金随合计，成为新的主语。",
    examples=(Example("失业保险基金支出1590万元，其中：失业保险金支出900万元。",
                      (("unemployment", "unemployment_benefit", "actual", 900.0),)),),
)
def of_which_part(p: ClauseParser, c: Reading) -> bool | None:
    it, parent = c.items(p), p.st.of_which
    assert it.item is not None
    if parent is None or parent.item == it.item or parent.item not in codebook().ancestors(it.item):
        return None
    fund_via = attribution(parent).get("fund", "none")
    p._subject(c, it, parent, parent.fund, fund_via)
    return False


@production(
    name="SUBJECT", priority=140, reads="amount",
    summary="读“<基金><项目>收入/支出N万元”：一个新主语（本年数、预算数或目标），其后的增减与比率附于它。",
    examples=(Example("失业保险基金支出1590万元。",
                      (("unemployment", "expenditure_total", "actual", 1590.0),)),
              Example("失业保险基金年初预算收入1500万元。",
                      (("unemployment", "income_total", "budget", 1500.0),)),
              Example("绩效目标：失业保险参保人数不少于2万人。",
                      (("unemployment", "insured", "target", 20000.0),))),
)
def subject(p: ClauseParser, c: Reading) -> bool | None:
    it = c.items(p)
    parent = p.st.of_which
    if parent is not None:
        if parent.item == it.item:
            # "收入X万元。其中：职工…基金收入Y万元，城乡居民…基金收入Z万元": a part per fund of the
            # parent's own item; the fund it names holds to the end of the list only
            p.hold_scope()
        p.st.parts = None  # the open 其中 list does not hold this item (OF_WHICH_PART declined it)
    fund = p._fund_for(it.rest)
    p._subject(c, it, None, fund, p._via_named())
    return False


# ---- rates -----------------------------------------------------------------------------------


@production(
    name="SHARE", priority=200, reads="rate", pattern=r"ratio_verb",
    summary="读“占增长总量的R%”：句中前一金额占所指总量的比重，留给审核核算。",
    examples=(Example("失业保险基金收入1600万元，较上年增加100万元，其中保费收入增加94万元，占增长总量的94%。",
                      unresolved=("share",)),),
)
def share(p: ClauseParser, c: Reading) -> bool | None:
    sh = p.r.re("share").search(c.label)
    if not sh:
        return None
    p._share(c.sent, c.base, c.m, sh.group("ref"), c.lstart)
    return False


def _promise(p: ClauseParser, c: Reading) -> tuple[Any, bool]:
    suffix = p.r.re("rate_target_suffix").match(c.after)
    return suffix, bool(suffix.group(1) or p.r.re("target_prefix").search(c.label))


def _rate_of_unstated(p: ClauseParser, c: Reading, head: str, measure: str, role: str, signed: bool = False,
                      **extra: Any) -> bool:
    """"个人缴费收入已完成全年预算的96.08%": a rate whose clause names an item (``head``) with no amount
    stated is that item's (of the fund it names, else the scope's), in a group of its own — not the
    subject's, whatever the subject is; a part of the subject's item named with words the code list
    does not know stays unresolved. False when ``head`` names no item, or the subject's own."""
    marker = p.r.re("of_which").match(head.lstrip())  # "其中财政补贴收入完成…": the part's item
    if marker is not None:
        head = head.lstrip()[marker.end() :]
    named = p.named_subject(head, "money")
    subj = c.subj
    if named is None and subj is not None:
        loose = p.named_subject(head, "money", strict=False)
        if loose is not None and subj.item in codebook().ancestors(loose[1]):
            # "个人缴费收入已完成全年预算的96.08%" (a qualified 缴费收入): a part's rate, never its total's
            p._unresolved(c.q, c.lstart, c.vend, "rate of a part with no amount")
            return True
    if named is None or named[0] is None or (subj is not None and (subj.fund, subj.item) == named):
        return False
    fund, item = named
    told = "clause" if fund_mentions(head) else p._fund_via()
    p._add(fund, item, measure, c.signed() if signed else c.value, c.prec, c.q.unit, c.lstart, c.vend,
           p._new_group(), role, attribution={"fund": told, "item": "alias"}, **extra)
    return True


@production(
    name="COMPLETION_RATE", priority=210, reads="rate", pattern=r"rate_noun|ratio_verb",
    summary="读“预算执行率/完成率R%”：主语项目（或句首所名、未言金额的项目）的预算完成率，依据取标签所言（年初或调整后）。",
    examples=(Example("失业保险基金支出1590万元，预算执行率95.2%。",
                      (("unemployment", "expenditure_total", "completion_rate", 95.2),)),
              Example("失业保险基金收入1600万元，完成预算的98%。保险费收入完成预算的101%。",
                      (("unemployment", "income_total", "completion_rate", 98.0),
                       ("unemployment", "contribution", "completion_rate", 101.0)))),
)
def completion_rate(p: ClauseParser, c: Reading) -> bool | None:
    r, q, label = p.r, c.q, c.label
    _, promised = _promise(p, c)
    done = r.re("completion_rate_label").search(label)
    if not done or promised:  # "预算执行率90%以上" is a target, not what was done
        return None
    # the basis the text names (年初 / 调整后), else either may be meant
    basis = ("budget_adjusted" if r.measures["budget_adjusted"].search(label)
             else "budget" if r.re("initial_budget").search(label) else None)
    subj = c.subj
    if done.start() > 0:
        renamed = p._renamed(label[: done.start()], "money")
        if renamed is None and _rate_of_unstated(p, c, label[: done.start()], "completion_rate", "completion",
                                                 basis=basis):
            return False
        subj = renamed or subj
    if subj is None:
        p._unresolved(q, c.lstart, c.vend, "rate without subject")
        return False
    p._completion_rate(subj, c.value, c.prec, q.unit, c.lstart, c.vend, None, c.sent, basis)
    return False


@production(
    name="YOY_RATE", priority=220, reads="rate", pattern=r"\bdir\.|compare\.yoy",
    summary="读“增长/下降R%”“同比增长R%”：主语项目的同比增减率，下降为负。",
    examples=(Example("失业保险基金支出1590万元，较上年增长4.5%。",
                      (("unemployment", "expenditure_total", "yoy_rate", 4.5),)),),
)
def yoy_rate(p: ClauseParser, c: Reading) -> bool | None:
    r, q, label = p.r, c.q, c.label
    rise = r.re("yoy_rate").search(label)
    if not rise or r.re("not_yoy").search(c.clause):
        return None
    subj = c.subj
    head = r.re("yoy_change").search(label)
    cut = head.start() if head else rise.start()
    if cut > 0:
        renamed = p._renamed(label[:cut], "money")
        if renamed is None and _rate_of_unstated(p, c, label[:cut], "yoy_rate", "yoy_rate", signed=True):
            return False
        subj = renamed or subj
    if subj is None:
        p._unresolved(q, c.lstart, c.vend, "rate without subject")
        return False
    p._add(subj.fund, subj.item, "yoy_rate", c.signed(), c.prec, q.unit, c.lstart, c.vend,
           subj.group, "yoy_rate", **told_like(subj))  # type: ignore[attr-defined]
    return False


@production(
    name="RATE_TARGET", priority=230, reads="rate",
    summary="读“满意度达到R%以上”一类允诺的比率：记为文中目标（供与自评表核对，基金取标签所名者），数本身列为未归属。",
    examples=(Example("绩效目标：参保群众满意度达到90%以上。", unresolved=("rate without known meaning",)),),
)
def rate_target(p: ClauseParser, c: Reading) -> bool | None:
    suffix, promised = _promise(p, c)
    if not (promised or "目标" in c.clause):
        return None
    # "…；职工医保政策范围内住院费用基金支付比例80%以上": the fund its own label names, else the scope's
    named = p._funds_in(c.label)
    fund = named[-1].fund if named else p.st.fund
    p._target(c.label.strip(), c.value, c.q.unit, fund, p._src(c.lstart, c.vend + suffix.end()), c.prec)
    p._unresolved(c.q, c.lstart, c.vend, "rate without known meaning")
    return False


@production(
    name="UNKNOWN_RATE", priority=240, reads="rate",
    summary="读不知所指的比率：列为未归属。",
    examples=(Example("失业保险基金支出1590万元，结余率0.3%。",
                      unresolved=("rate without known meaning",)),),
)
def unknown_rate(p: ClauseParser, c: Reading) -> bool | None:
    p._unresolved(c.q, c.lstart, c.vend, "rate without known meaning")
    return False
