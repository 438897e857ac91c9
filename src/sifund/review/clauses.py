"""Clause parsing: the stereotyped sentences of the genre → figures with fund, item and measure.

A report states a subject amount and then what is said about it, in one run:
"<基金><项目>支出X万元，较上年增加Y万元，增长Z%，完成全年预算B万元的R%", "其中：A万元，B万元",
"由A人增加至B人". The parser walks the numbers of each sentence left to right, keeping the
current subject (the amount that changes, rates and budgets attach to), the open 其中 list and
the current fund (from headings and sentence subjects). What each number is — a new subject, its
change, rate, prior or budget, a 其中 part, a target — is decided by the productions of the
attachment grammar (review/grammar.py), tried in priority order; the parser keeps the state and the
helpers they call, and every figure names its production. Every figure gets a ``group`` (the
clause it belongs to): the audit recomputes a stated rate from the amounts of its own clause,
not from a restatement elsewhere. Figures whose fund or item cannot be told are kept apart as
``unresolved`` instead of being guessed.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from sifund.core.codes import codebook
from sifund.core.lexicon import alternation, lexicon, words
from sifund.core.limits import limits
from sifund.core.model import Figure, Source
from sifund.core.numbers import (
    Match,
    Quantity,
    find_quantities,
)
from sifund.engine.intervals import Interval, rate
from sifund.review.document import Document
from sifund.review.funds import Mention, fund_mentions, heading_level, reading_umbrellas, report_fund
from sifund.review.grammar import Reading, dispatch, read_per_capita, told_like
from sifund.review.grammar import attribution as attribution  # (re-exported: it lived here)
from sifund.review.labels import (
    kind_ok,
    label_item,
    longest_item_alias,
    without_funds,
    word_percents,
)
from sifund.review.lookup import IntervalIndex, sane_quantity
from sifund.review.rules import Rules, extract_rules, holds_any, required_chars
from sifund.review.scope import Frame, Parts, ScopeStack, bracket_pairs
from sifund.review.tables import TableReader

AMOUNT_KINDS = ("money", "people", "count", "months")
# The ways of telling a figure's fund (``ScopeStack.fund_via``) that mean a scope frame told it.
FRAME_VIAS = frozenset(("sentence", "paragraph", "carried", "report", "heading", "heading_all"))
_BLANKS = re.compile(r"\s+")
_CLAUSE_END = re.compile(r"[，,；;。]")  # what ends the clause a rate's words are read from
_SHARE_PART_START = re.compile(r"[，,；;。：:]")  # where the quoted part of a share starts
# What the words right after a number are read from: the next 32 non-blank chars (and the blanks
# among and after them). Every pattern applied to them looks at a few words (target_suffix,
# rate_target_suffix) or the first 16 non-blank chars (item_after); copying the whole rest of the
# sentence for every number made a long sentence quadratic.
_AFTER = re.compile(r"(?:\s*\S){0,32}\s*")


@dataclass
class Share:
    """"占增长总量的94%": ``part`` over the figure named by ``of`` (a measure or an item)."""

    value: float
    precision: float
    part: float
    part_precision: float
    of: str
    fund: str | None
    group: str | None
    source: Source
    part_source: Source


@dataclass
class TextTarget:
    """A target promised in the text ("…享受人数9175人以上", "满意度达到90%以上")."""

    label: str
    value: float
    unit: str
    fund: str | None
    source: Source
    precision: float = 1.0


@dataclass
class Parsed:
    figures: list[Figure] = field(default_factory=list)
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    targets: list[TextTarget] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)  # ambiguities for the audit (所指不明)
    table_start: int | None = None  # view offset where the 自评表 begins


@dataclass
class _State:
    scope: ScopeStack = field(default_factory=ScopeStack)  # which fund the text speaks of (scope.py)
    subject: Figure | None = None
    subject_sentence: int = -10
    parts: Parts | None = None  # the open 其中 list
    groups: int = 0

    @property
    def of_which(self) -> Figure | None:
        """The parent of the open 其中 list."""
        return self.parts.parent if self.parts is not None else None

    @property
    def fund(self) -> str | None:
        """The current fund: that of the innermost scope frame naming one (read by tables.py too)."""
        return self.scope.fund


class ClauseParser:
    """Parses the body of one Document (up to the 自评表) into figures."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.r = extract_rules()
        self.out = Parsed()
        self.st = _State()
        self._sent = 0
        self._line_no = 0
        self._named = False
        self._list_measure: str | None = None
        self._last_end = -1
        self._sent_base = 0  # view offset of the sentence being read
        self._sent_text = ""  # the sentence being read, and the one before it (for 该基金)
        self._prev_text = ""
        self._num_start = 0  # where the number being read starts in the sentence
        self._from_to_group: str | None = None  # group of the latest "由A增加到B" pair
        # the scope frames as they were when a fund was first named inside the open 其中 list: the
        # list's parts name their funds for themselves, and the scope returns to these when it ends
        self._pre_list: list[Frame] | None = None
        # a 其中 list laid out on numbered lines ("…的97.28%。其中：" then "1、…", "2、…"): its parent,
        # the numbering level of its lines (None until the first), and whether the line read is one
        self._line_list: Figure | None = None
        self._line_list_level: int | None = None
        self._in_line_list = False
        self.production: str | None = None  # the grammar production reading the number (grammar.dispatch)
        # Indexes over out.figures, kept by _add, so that lookups do not rescan every figure so far
        # (which made long reports quadratic).
        self._first_subject: dict[str, Figure] = {}  # group -> its first subject figure
        self._latest_subject: dict[tuple[str, str], Figure] = {}  # (fund, item) -> latest subject
        # (fund, item) -> its actual figures by interval, as (position in out.figures, figure)
        self._actuals: dict[tuple[str, str], IntervalIndex[tuple[int, Figure]]] = {}
        self._actual_items: dict[str, set[str]] = {}  # fund -> items with an actual figure
        self._budget_index: dict[str, IntervalIndex[Figure]] = {}  # fund -> budgets by interval
        # Labels and clauses are read from at most this many chars before their number (see
        # lookback_chars in data/review/extract.yaml).
        self._lookback = self.r.spec.lookback_chars
        self._negated = self.r.spec.negated_labels
        self._breaks_rx = re.compile(self.r.spec.clause_break.pattern + "|[；;]")
        # per sentence, found when first needed (see _sentence)
        self._sent_raw: tuple[list[Match], list[bool]] = ([], [])
        # view spans read as one account of the fund (统筹基金 / 个人账户: see _account_spans), as
        # (starts, ends, words), found once per report
        self._accounts: tuple[list[int], list[int], list[str]] = ([], [], [])
        self._share_parts: tuple[list[Match], list[int], list[int]] | None = None
        self._mentions: list[Mention] | None = None
        self._prev_mentions: list[Mention] | None = None
        self._brackets: dict[int, int | None] | None = None
        self._limits = limits().dataset
        # the patterns read for every sentence or number, looked up once per report
        r = self.r
        self._rx = {k: r.re(k) for k in ("of_which", "list_sep", "label_fillers", "label_tail_aside",
                                          "fund_aside", "per_capita", "cause_aside", "unit_bracket_label",
                                          "fund_colon_lead", "fund_topic", "sentence_end", "fund_line")}
        # A pattern that can only match where one of a few chars is (an aside opens with a bracket, a
        # cause is "随…而", a colon lead ends with a colon) is not run on a text without them
        # (``rules.required_chars``).
        self._needs = _needs_of(r)

    # ---- helpers -----------------------------------------------------------------------

    def _guarded_search(self, key: str, text: str) -> re.Match[str] | None:
        """The rule ``key`` searched in ``text``, unless ``text`` lacks every char a match needs."""
        return self._rx[key].search(text) if holds_any(text, self._needs[key]) else None

    def _src(self, vs: int, ve: int) -> Source:
        """The Source quoting the text of a view span (no file: the dataset names it once)."""
        s, e = self.doc.to_text_span(vs, ve)
        return Source(start=s, end=e, text=self.doc.text[s:e])

    def _new_group(self) -> str:
        self.st.groups += 1
        return f"g{self.st.groups}"

    def _add(self, fund: str, item: str, measure: str, value: float, precision: float, unit: str,
             vs: int, ve: int, group: str, role: str, **extra: Any) -> Figure:
        if "attribution" not in extra:
            extra["attribution"] = {"fund": self._fund_via(), "item": "alias"}
        if self.production is not None:
            extra.setdefault("production", self.production)
        if "scope_at" not in extra:
            extra["scope_at"] = self._scope_at(extra["attribution"].get("fund"))
        if extra["scope_at"] is None:
            del extra["scope_at"]
        if "qualifier" not in extra and (account := self._account_at(ve)) is not None:
            extra["qualifier"] = account  # the audit keeps a qualified figure apart from the fund's own
        f = Figure(fund=fund, item=item, measure=measure, value=value, precision=precision, unit=unit,
                   source=self._src(vs, ve), group=group, role=role, **extra)
        self.out.figures.append(f)
        # (an index is made only for a key that has none: ``setdefault(k, IntervalIndex())`` made one
        # for every figure)
        if measure == "actual":
            iv = Interval.printed(value, precision)
            actuals = self._actuals.get((fund, item))
            if actuals is None:
                actuals = self._actuals[(fund, item)] = IntervalIndex()
            actuals.add(iv, (len(self.out.figures) - 1, f))
            items = self._actual_items.get(fund)
            if items is None:
                items = self._actual_items[fund] = set()
            items.add(item)
        elif measure in ("budget", "budget_adjusted"):
            iv = Interval.printed(value, precision)
            budgets = self._budget_index.get(fund)
            if budgets is None:
                budgets = self._budget_index[fund] = IntervalIndex()
            budgets.add(iv, f, key=item)
        if role == "subject":
            self._first_subject.setdefault(group, f)
            self._latest_subject[(fund, item)] = f
        self._last_end = ve  # view offset: where the latest figure's number ends
        return f

    def _account_at(self, ve: int) -> str | None:
        """The account word (统筹基金 / 个人账户) whose span holds the number ending at view offset
        ``ve``, if any: that figure is of one account of the fund, not the fund's total."""
        starts, ends, names = self._accounts
        i = bisect.bisect_right(starts, ve - 1) - 1
        return names[i] if i >= 0 and ve - 1 < ends[i] else None

    def _scope_at(self, fund_via: str | None) -> int | None:
        """The text offset where the scope frame giving the current fund starts, when a figure's fund
        is told by one (``FRAME_VIAS``), else None (named in its clause, by a table, by a parent)."""
        frame = self.st.scope.fund_frame if fund_via in FRAME_VIAS else None
        return self.doc.to_text_span(frame.at, frame.at)[0] if frame is not None else None

    def _via_named(self) -> str:
        """How the fund just returned by ``_fund_for`` was told."""
        return "clause" if self._named else self._fund_via()

    def _fund_via(self) -> str:
        """How the current fund was told, seen from the sentence being read (``ScopeStack.fund_via``)."""
        return self.st.scope.fund_via(self._sent, self._line_no)

    def _unresolved(self, q: Quantity, vs: int, ve: int, reason: str, unit: str | None = None) -> None:
        # the span and quote a Source would hold, without building one (most numbers of a long
        # list end here)
        start, end = self.doc.to_text_span(vs, ve)
        value = float(q.canonical)
        entry = {"value": value if math.isfinite(value) else None, "unit": q.unit if unit is None else unit,
                 "reason": reason,
                 "start": start, "end": end, "text": self.doc.text[start:end]}
        if self.production is not None:
            entry["production"] = self.production  # the grammar production that could not place it
        self.out.unresolved.append(entry)

    # ---- walk ----------------------------------------------------------------------------

    def run(self) -> Parsed:
        """Reads the body line by line; an umbrella fund name is read as the report's funds
        (``funds.umbrellas``)."""
        self._accounts = _account_spans(self.doc.view)
        with reading_umbrellas(self.doc.view, words("fund.umbrella")):
            return self._run()

    def _run(self) -> Parsed:
        view = self.doc.view
        table_rx = self.r.re("table_start")
        tables = TableReader(self)
        pos = 0
        # the report's fund, if it has one; the budget section's headings (lexicon class budget_section)
        own = report_fund(view)
        named = {m.fund for m in fund_mentions(view)} - {"all"}
        single = own is not None and named <= {own}
        self._named_funds = named  # the funds the report names (for a count of one kind of them)
        self.st.scope = scope = ScopeStack(own, budget_section=_budget_section(), single_fund=single)
        funds_in = self._funds_in
        for line in view.split("\n"):
            start, pos = pos, pos + len(line) + 1
            stripped = line.strip()
            if not stripped:
                continue
            self._line_no += 1
            if table_rx.search(stripped):
                self.out.table_start = start
                break
            if tables.feed(line, start):
                continue
            level = heading_level(stripped)
            at = (start, self._sent + 1, self._line_no)  # the heading is the next sentence read
            opened = None
            self._in_line_list = self._continues_line_list(level)
            if self._in_line_list:
                pass  # a numbered part of the 其中 list above: no section of its own
            elif level is not None:
                opened = scope.heading(level, stripped, funds_in, *at)
            elif self._is_fund_line(stripped):
                # "工伤保险基金" alone on a line, no numbering: it scopes the numbered items below it
                opened = scope.fund_line(stripped, funds_in, *at)
            if opened is not None:
                self.st.subject = None
                self.st.parts = None
                self._pre_list = None
            self._line(line, start)
            self._line_list = self._opens_line_list(stripped)
        return self.out

    def _continues_line_list(self, level: int | None) -> bool:
        """Whether a line is a numbered part of the 其中 list the line before opened (or continued): a
        numbered line of the list's level (the first sets it); any other line ends the list."""
        if self._line_list is None or level is None or self._line_list_level not in (None, level):
            self._line_list, self._line_list_level = None, None
            return False
        self._line_list_level = level
        return True

    def _opens_line_list(self, line: str) -> Figure | None:
        """The parent of a 其中 list whose parts follow on numbered lines: the line ends with the marker
        and a colon ("…完成年初预算9,900万元的97.28%。其中：", "主要包括："), or it is a part of such a
        list."""
        if self._in_line_list:
            return self._line_list
        self._line_list_level = None
        if self.st.subject is None or _line_list_end().search(line) is None:
            return None
        return self.st.subject

    def _is_fund_line(self, line: str) -> bool:
        if not self._rx["fund_line"].match(line):
            return False
        ms = fund_mentions(line)
        return bool(ms) and sum(m.end - m.start for m in ms) * 2 >= len(line)

    def _unit_synonym(self, sent: str, m: Match) -> Match:
        """"8.31万名": a bare number followed by a unit the parser does not know, read as its synonym."""
        if m.quantity.unit:
            return m
        for word, unit in lexicon().unit_synonyms.items():
            if sent.startswith(word, m.end):
                q = m.quantity
                return Match(m.start, m.end + len(word), Quantity(q.value, unit, q.precision))
        return m

    def _unit_bracket(self, sent: str, m: Match) -> Match:
        """"基金收入（万元）：23,518.40": a bare number takes the unit bracketed before its colon."""
        if m.quantity.unit:
            return m
        w = sent[max(0, m.start - 16) : m.start]
        b = self._guarded_search("unit_bracket_label", w)
        if b is None:
            return m
        q = m.quantity
        return Match(m.start, m.end, Quantity(q.value, b.group("u").replace("％", "%"), q.precision))

    def _bracket_start(self, sent: str, m: Match, lo: int) -> int:
        """Where the label of ``m`` ends: before a "（万元）：" bracket, else at the number."""
        w0 = max(lo, m.start - 16)
        w = sent[w0 : m.start]
        b = self._guarded_search("unit_bracket_label", w)
        return w0 + b.start() if b is not None else m.start

    def _fund_lead(self, lead: str) -> None:
        """"2021年，城乡居民养老保险基金：收入…": a fund named just before a colon becomes current."""
        tail = lead[-40:]
        b = self._guarded_search("fund_colon_lead", tail)
        if b is None:
            return
        ms = fund_mentions(b.group("f"))
        if ms:
            self._mention(ms[-1].fund)

    def _fund_topic(self, sent: str) -> None:
        """"工伤保险基金运行总体平稳。利息收入…": a sentence whose first clause opens with one fund's name
        and holds no number speaks of that fund, as do the sentences after it, whose figures name only
        their items. Not the funds together ("社会保险基金运行平稳": the scope's fund holds), not the
        scope's fund again (its heading told it), and not a bare fund line (a heading, read as such)."""
        m = self._rx["fund_topic"].match(sent)
        if m is None or self._is_fund_line(sent.strip()):
            return
        ms = self._funds_in(m.group("f"))
        if ms and ms[0].start == 0 and ms[0].fund not in ("all", self.st.fund):
            self._mention(ms[0].fund)  # the scope's own fund (its heading's) is told already

    def _line(self, line: str, base: int) -> None:
        end_rx = self._rx["sentence_end"]
        s = 0
        for m in end_rx.finditer(line):
            if m.group() in "；;":
                continue  # a clause break, not the end of a sentence
            self._sentence(line[s : m.end()], base + s)
            s = m.end()
        if s < len(line):
            self._sentence(line[s:], base + s)

    def _sentence(self, sent: str, base: int) -> None:
        self._sent += 1
        self._sent_base = base
        self._prev_text, self._sent_text = self._sent_text, sent
        self._end_list()
        if self._in_line_list and self._line_list is not None:
            self.st.parts = Parts(self._line_list)  # a numbered line of the 其中 list above
        self._fund_topic(sent)
        raw = self._known_money(find_quantities(sent), sent, base)
        # (a number printed with its unit is read as parsed: both readings only give a bare one a unit)
        read = [m if m.quantity.unit else self._unit_bracket(sent, self._unit_synonym(sent, m)) for m in raw]
        ok = [sane_quantity(m.quantity, self._limits) for m in read]
        qs = sorted([m for m, good in zip(read, ok, strict=True) if good]
                    + self._in_range(word_percents(sent), base), key=lambda m: m.start)
        self._in_range([m for m, good in zip(read, ok, strict=True) if not good], base)
        # For shares ("占增长总量的94%"): the money amounts of the sentence as the number parser reads
        # them, and where the text quoting each may start; bisected instead of re-parsing the
        # sentence up to every share. (A money amount has a unit, so ``read`` left it as parsed.)
        self._share_parts = None
        self._sent_raw = (raw, ok)
        self._prev_mentions = self._mentions  # the sentence before's, if they were found
        self._mentions = None  # fund mentions of the whole sentence, when first needed
        self._brackets = None
        if not qs:
            return  # no number to read (two sentences in five of the test reports): nothing below is needed
        # Break offsets found once per sentence and bisected per number: rescanning the sentence up
        # to each number made a long unpunctuated line quadratic. Breaks are single characters, so a
        # break found in the whole sentence lies before a number exactly when it ends at or before it.
        breaks = [b.end() for b in self._breaks_rx.finditer(sent)]
        clause_ends = [b.end() for b in _CLAUSE_END.finditer(sent)]
        rx, needs = self._rx, self._needs
        of_which_rx, list_sep_rx = rx["of_which"], rx["list_sep"]
        fillers_rx, tail_aside_rx = rx["label_fillers"], rx["label_tail_aside"]
        fund_aside_rx, per_capita_rx = rx["fund_aside"], rx["per_capita"]
        cause_rx = rx["cause_aside"]
        aside_chars, tail_chars = needs["fund_aside"], needs["label_tail_aside"]
        cause_chars = needs["cause_aside"]
        prev_end = 0
        consumed: set[int] = set()
        for i, m in enumerate(qs):
            if i in consumed:
                continue
            q = m.quantity
            kind = q.kind
            if kind in ("number", "days"):
                continue
            self._num_start = m.start
            # label: from the last clause break (or previous figure) to the number, at most
            # lookback_chars long
            lend = self._bracket_start(sent, m, prev_end)
            seg = max(prev_end, _last_at_or_before(breaks, lend), lend - self._lookback)
            between = sent[prev_end : m.start]
            if seg > prev_end:
                self._fund_lead(sent[prev_end:seg])
            # "年初预算收入42340万元、支出40660万元": a bare item after "、" keeps the measure before it
            last = self.out.figures[-1] if self.out.figures else None
            self._list_measure = (last.measure if last is not None and i > 0
                                  and self._last_end == base + prev_end
                                  and list_sep_rx.match(sent[prev_end:seg]) else None)
            label = sent[seg:lend]
            # "上级补助收入（含中央调剂金）24880.00": an aside names no item and no fund
            # "待遇支出随退休人员增加而增长": a cause names neither the item nor the fund
            bare_label = fund_aside_rx.sub("", label) if holds_any(label, aside_chars) else label
            if holds_any(bare_label, cause_chars):
                bare_label = cause_rx.sub("", bare_label)
            if label:
                label_clean = (tail_aside_rx.sub("", bare_label) if holds_any(bare_label, tail_chars)
                               else bare_label)
                label_clean = fillers_rx.sub("", label_clean)
            else:
                label_clean = ""
            parts = self.st.parts
            if parts is not None and parts.ended_by(m.start, partial(self._names_part, label_clean)):
                # past the 其中 list's bracket: the words speak of its parent again
                self._end_list()
                self.st.subject = parts.parent
            marker = of_which_rx.search(between)
            if marker is not None and self.st.subject is not None:
                self.st.parts = Parts.open(self.st.subject, sent, prev_end + marker.start(),
                                           partial(self._bracket_pairs, sent))
            lstart = base + seg + (len(label) - len(label.lstrip()))
            clause_start = max(_last_at_or_before(clause_ends, m.start), m.start - self._lookback)
            clause = sent[clause_start : m.start]
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            if kind == "yuan" or per_capita_rx.search(clause):
                st = self.st
                subj = st.subject if self._sent - st.subject_sentence <= 1 else None
                reading = Reading(sent, base, m, nxt, label_clean, lstart, clause,
                                  _AFTER.match(sent, m.end).group(), subj)  # type: ignore[union-attr]
                if not read_per_capita(self, reading):  # a standard in 元 is read; other such stay apart
                    self._unresolved(q, lstart, base + m.end, "per_capita")
                prev_end = m.end
                continue
            if not label_clean and kind in ("money", "months"):
                # a bare amount of a list ("…收入1万元，2万元，…"): no words name its item, and no rule
                # of _amount reads anything but the label for these kinds (the long way ends the same)
                self._unresolved(q, lstart, base + m.end, "unknown item")
                self.st.subject = None  # as production UNKNOWN_ITEM does
                prev_end = m.end
                continue
            after = _AFTER.match(sent, m.end).group()  # type: ignore[union-attr]
            if kind == "rate" or kind in AMOUNT_KINDS:
                st = self.st
                subj = st.subject if self._sent - st.subject_sentence <= 1 else None
                reading = Reading(sent, base, m, nxt, label_clean, lstart, clause, after, subj)
                if dispatch(self, reading, "rate" if kind == "rate" else "amount"):
                    consumed.add(i + 1)
            else:
                self._unresolved(q, lstart, base + m.end, f"unit {q.unit}")
            prev_end = nxt.end if (i + 1) in consumed and nxt is not None else m.end

    # ---- amounts -------------------------------------------------------------------------

    def _known_money(self, raw: list[Match], sent: str, base: int) -> list[Match]:
        """``raw`` without the numbers printed in a money unit sifund does not convert (extract.yaml
        ``foreign_money``: 亿美元, 港元 …), each listed as unresolved with that unit: a bare number
        would otherwise be read as a count or dropped without a word."""
        rx = self.r.re("foreign_money")
        out = []
        for m in raw:
            f = rx.match(sent, m.end) if not m.quantity.unit else None
            if f is None:
                out.append(m)
                continue
            unit = f.group(0).strip()  # the value stays as printed: sifund converts no such unit
            self._unresolved(m.quantity, base + m.start, base + f.end(), f"unknown unit {unit}", unit)
        return out

    def _in_range(self, qs: list[Match], base: int) -> list[Match]:
        """The numbers that can be figures; one too large or too precise to be a figure (a typo or
        an attack: "9"×400 + "亿元") is listed as unresolved and parsed past."""
        out = []
        for m in qs:
            if sane_quantity(m.quantity, self._limits):
                out.append(m)
            elif m.quantity.kind not in ("number", "days"):
                self._unresolved(m.quantity, base + m.start, base + m.end, "out of range")
        return out

    def _subject(self, c: Reading, it: Any, parent: Figure | None, fund: str | None, fund_via: str) -> None:
        """A new subject figure of the item ``it`` names (productions OF_WHICH_PART and SUBJECT): its
        measure from the label (a promise is a target; a bare item after "、" keeps the measure before
        it), its fund (``fund``, else for a target one named earlier in the sentence); none without a
        fund (listed as unresolved; a target is still kept as a text target)."""
        r, q, label, item, item_via = self.r, c.q, it.label, it.item, it.item_via
        value, prec, lstart, vend = c.value, c.prec, c.lstart, c.vend
        measure = "target" if it.promised else self._measure(label, q.kind, c.after, parent)
        if (measure == "actual" and self._list_measure in ("budget", "budget_adjusted")
                and not any(rx.search(label) for rx in r.measures.values())):
            measure = self._list_measure
        # a 其中 part's fund is its parent's, and so is where its scope starts
        extra: dict[str, Any] = {} if parent is None else {"scope_at": told_like(parent)["scope_at"]}
        if fund is None and measure == "target":
            # "城乡居民基本养老保险待遇按月足额发放，领取待遇人数不少于5.5万人": the target list names
            # the fund in an earlier clause of the same sentence
            named = [x for x in self._sentence_mentions(c.sent) if x.fund != "all" and x.end <= c.m.start]
            if named:
                fund, fund_via = named[-1].fund, "sentence"
                extra["scope_at"] = self.doc.to_text_span(c.base + named[-1].start, c.base + named[-1].end)[0]
        if fund is None:
            self._unresolved(q, lstart, vend, "unknown fund")
            if measure == "target":  # still a promise the 自评表 can be held to, fund or not
                self._target(label.strip(), value, q.unit, None, self._src(lstart, vend), prec)
            return
        if parent is None and measure == "actual":
            named_item, item = item, self._reidentify(fund, item, value, prec)
            item_via = item_via if item == named_item else "reidentified"
        g = self._new_group()
        extra["attribution"] = {"fund": fund_via, "item": item_via}
        if parent is not None:
            extra["of_which"] = parent.group  # type: ignore[attr-defined]
        source = _prose_qualifier(it.rest) or self._kind_group(it.rest)
        if source is not None:  # "其中：中央财政补助资金A万元、省级财政补助资金B万元": parts of the item
            extra["qualifier"] = source
        f = self._add(fund, item, measure, value, prec, q.unit, lstart, vend, g, "subject", **extra)
        if measure == "target":
            self._target(label.strip(), value, q.unit, fund, f.source, prec)  # type: ignore[arg-type]
        if not self._budget_of_subject(f):
            self._set_subject(f)

    def _budget_of_subject(self, f: Figure) -> bool:
        """Is ``f`` the budget of the sentence's subject ("全年基金支出X万元，年初支出预算B万元，
        预算执行率R%，其中：…")? Then the actual stays the subject: the 其中 list after the budget
        and its rate breaks down the actual, as after "完成预算B万元的R%"."""
        s = self.st.subject
        return (f.measure in ("budget", "budget_adjusted") and s is not None and s.measure == "actual"
                and s.fund == f.fund and s.item == f.item and self.st.subject_sentence == self._sent)

    def _target(self, label: str, value: float, unit: str, fund: str | None, source: Source,
                precision: float) -> None:
        """A target promised in the text, kept for the audit to hold the 自评表 to."""
        self.out.targets.append(TextTarget(label, value, unit, fund, source, precision))

    def _joins(self, label: str) -> bool:
        """Whether a people count's label, the fund's name taken out, ends by joining it ("全县参加失业
        保险"): who joined the fund's insurance are its insured (production SUBJECT)."""
        return _joined().search(label) is not None

    def _renamed(self, label: str, kind: str) -> Figure | None:
        """The latest subject of the item a clause names first ("基金支出完成预算…", "基金支出比上年…"),
        made the current subject; None when the clause does not start by naming an item, or names one
        with no amount stated (``named_subject`` tells these apart)."""
        named = self.named_subject(label, kind)
        if named is None:
            return None
        f = self._latest(*named)
        if f is not None:  # the subject of this sentence only: it was not stated here
            self.st.subject, self.st.subject_sentence = f, self._sent - 1
        return f

    def named_subject(self, label: str, kind: str, strict: bool = True) -> tuple[str | None, str] | None:
        """The (fund, item) a clause names first ("个人缴费收入已完成…": the scope's fund, contribution),
        whether or not an amount of it was stated; None when the clause does not start by naming an
        item of ``kind`` with only year, fund and 基金 words before it (renamed_subject_rest; not
        ``strict``: whatever words come before it, "个人缴费收入" naming 缴费收入 qualified)."""
        t = _BLANKS.sub("", label)
        for k in range(len(t), 1, -1):
            item, rest = label_item(t[:k])
            if item is None:
                continue
            ms = fund_mentions(rest)
            bare = rest
            for m in reversed(ms):
                bare = bare[: m.start] + bare[m.end :]
            if not kind_ok(item, kind) or (strict and not self.r.re("renamed_subject_rest").match(bare)):
                return None
            return (ms[-1].fund if ms else self.st.fund), item
        return None

    def _back_reference(self, words: str) -> Figure | None:
        """"上述收入": the current fund's latest figure of the item these words name."""
        named, rest = label_item(words)
        if named is None or without_funds(rest):
            return None
        return self._latest(self._fund_for(rest), named)

    def _latest(self, fund: str | None, item: str) -> Figure | None:
        """The latest subject figure of ``item`` (an amount the text names again to say how it changed)."""
        return self._latest_subject.get((fund, item)) if fund is not None else None

    def _fund_part(self, label: str, kind: str) -> str | None:
        """The fund of a label that only names one fund under a 其中 of an all-funds figure, else None."""
        parent = self.st.of_which
        ms = fund_mentions(label)
        if (parent is None or parent.fund != "all" or len({m.fund for m in ms}) != 1 or ms[0].fund == "all"
                or not kind_ok(parent.item, kind)
                or not self.r.re("fund_part_rest").match(without_funds(label))):
            return None
        return ms[0].fund

    def _from_to_of_subject(self, subj: Figure, m: Match, nxt: Match, base: int, lstart: int) -> bool:
        """由A增加到B with no item of its own: A is the subject's prior; B restates its actual (kept only
        when it differs, so the audit can see the conflict)."""
        q, nq = m.quantity, nxt.quantity
        via = told_like(subj)
        g = self._from_to_group = subj.group  # type: ignore[attr-defined]
        self._add(subj.fund, subj.item, "prior", float(q.canonical), float(q.canonical_precision), q.unit,
                  lstart, base + m.end, g, "prior", **via)
        b_iv = Interval.printed(float(nq.canonical), float(nq.canonical_precision))
        if not Interval.printed(subj.value, subj.precision).meets(b_iv):
            self._add(subj.fund, subj.item, "actual", float(nq.canonical), float(nq.canonical_precision),
                      nq.unit, base + m.end, base + nxt.end, g, "restated", **via)
        return True

    def _set_subject(self, f: Figure) -> None:
        self.st.subject = f
        self.st.subject_sentence = self._sent

    def _fund_for(self, subject_words: str) -> str | None:
        """A fund named in the subject words wins and becomes current; else the current fund."""
        ms = self._funds_in(subject_words)
        fund = ms[-1].fund if ms else self._referred_fund(subject_words)
        self._named = fund is not None
        if fund is not None:
            self._mention(fund)
        return self.st.fund

    def _kind_group(self, rest: str) -> str | None:
        """A count of the funds of one kind ("三项养老保险基金") in a report that also names funds of
        another kind: those funds together, not all of the report's — the words are the figure's
        qualifier, which keeps it out of the all-funds comparisons. None when the count is all."""
        m = _kind_count().search(rest)
        if m is None:
            return None
        kind = m.group("kind")
        cb = codebook()
        other = [f for f in getattr(self, "_named_funds", ()) if kind not in cb.funds[f].name]
        return m.group() if other else None

    def _names_part(self, label: str) -> bool:
        """Whether a cleaned label ends with an item's word ("…支出", known item or not) or names a fund,
        as a part of a 其中 list does; "较上年增加", "增长", "完成预算的" do not."""
        t = _BLANKS.sub("", label)
        return bool(t) and (longest_item_alias(t, at_end=True) is not None or bool(self._funds_in(t)))

    def _funds_in(self, text: str) -> list[Mention]:
        """The funds ``text`` names: the code list's names (``funds.fund_mentions``) and a count of the
        funds ("五项险种基金", "三项社会保险": all of them, lexicon classes fund.count + fund.kind)."""
        ms = fund_mentions(text)
        counted = [Mention(c.start(), c.end(), "all") for c in _counted_funds().finditer(text)
                   if not any(x.start < c.end() and c.start() < x.end for x in ms)]
        return sorted(ms + counted, key=lambda x: x.start) if counted else ms

    def _referred_fund(self, subject_words: str) -> str | None:
        """"…纳入失业保险基金。这部分基金全年收入…": words pointing back at a fund (lexicon class
        fund.reference) mean the fund named last before them — earlier in this sentence, else in the
        sentence before. None when they are not there or nothing was named (the scope's fund holds)."""
        if not _fund_reference().search(subject_words):
            return None
        ms = self._sentence_mentions(self._sent_text)  # in order, disjoint: their ends ascend
        before = bisect.bisect_right(ms, self._num_start, key=lambda x: x.end)
        if before:
            return ms[before - 1].fund
        if self._prev_mentions is None:
            self._prev_mentions = self._funds_in(self._prev_text)
        return self._prev_mentions[-1].fund if self._prev_mentions else None

    def _mention(self, fund: str) -> None:
        """A fund named as the subject of the sentence being read: the current fund from here on — or,
        named in a part of an open 其中 list ("收入X万元。其中：职工…Y万元，城乡居民…Z万元。"), until the list
        ends: a part names a fund for itself, the parent's fund holds after it (``_end_list``)."""
        if self.st.parts is not None:
            self.hold_scope()
        self.st.scope.mention(fund, self._sent_base, self._sent, self._line_no)

    def hold_scope(self) -> None:
        """Keeps the scope as it is before the parts of the open 其中 list name their funds, for
        ``_end_list`` to return to (production SUBJECT calls it for a part of the parent's own item)."""
        if self._pre_list is None:
            self._pre_list = list(self.st.scope.frames)

    def _end_list(self) -> None:
        """The open 其中 list ends (its sentence or bracket ends): the scope is again what it was before a
        part named its fund."""
        self.st.parts = None
        if self._pre_list is not None:
            self.st.scope.frames = self._pre_list
            self._pre_list = None

    def _measure(self, label: str, kind: str, after: str, parent: Figure | None) -> str:
        r = self.r
        for measure, rx in r.measures.items():
            if measure == "target":
                continue
            if rx.search(label):
                return self._full_year_measure(label) if measure == "budget" else measure
        if self._forecast_budget(label):
            return "budget"
        if kind in AMOUNT_KINDS and r.re("target_suffix").match(after):
            # "9175人以上", "可支付12个月以上", "收入5亿元以上": a bound after any amount promises it
            return "target"
        if parent is not None and parent.measure in ("budget", "budget_adjusted", "target"):
            return parent.measure
        if kind in ("people", "count") and self.st.scope.in_targets:
            return "target"
        return "actual"

    def _full_year_measure(self, label: str) -> str:
        """The measure of a budget label: "全年预算数B万元（年初预算数B0万元，…）" — a 全年 budget in a
        sentence that states the opening budget apart is the adjusted one, as a 全年预算数 column beside
        年初 is (tables ``_full_year_budget``); unless the report defines 全年预算数 as the opening budget."""
        t = self.r.spec.tables
        if (self.r.re("full_year_label").search(label)
                and t.opening_budget_stated.search(self._sent_text, self._num_start)
                and not t.full_year_is_opening.search(self.doc.view)):
            return "budget_adjusted"
        return "budget"

    def _forecast_budget(self, label: str) -> bool:
        """Whether a forecast word in the label ("预计", lexicon class forecast) states the budget: the
        sentence goes on to compare the amount as one ("…预计302,000万元，预算执行率98.28%": class
        forecast.compared, after the number), 年初 comes before it ("年初预计收入", rule initial_budget), or
        the budget section (lexicon class budget_section) is being read."""
        said = _forecast().search(label)
        if said is None:
            return False
        return (self.r.re("initial_budget").search(label, 0, said.start()) is not None
                or self.st.scope.in_budget
                or _forecast_compared().search(self._sent_text, self._num_start) is not None)

    def is_forecast(self, label: str) -> bool:
        """Whether the label names a forecast ("预计…")."""
        return _forecast().search(label) is not None

    def _reidentify(self, fund: str, item: str, value: float, prec: float) -> str:
        """A generic total label ("基金支出473万元") whose amount disagrees with the total stated before
        but equals a component stated before names that component: reports use the short label."""
        cb = codebook()
        if cb.items[item].parent is not None:
            return item
        iv = Interval.printed(value, prec)
        own = self._actuals.get((fund, item))
        if own is None or own.any_meeting(iv):
            return item
        # the first actual figure of the fund (in the order stated) of a part of ``item`` that meets
        hits = [hit for part in self._actual_items.get(fund, set()) if item in cb.ancestors(part)
                for hit in self._actuals[(fund, part)].meeting(iv)[:1]]
        return min(hits, key=lambda h: h[0])[1].item if hits else item

    # ---- rates ---------------------------------------------------------------------------

    def _parts_of_sentence(self, sent: str) -> tuple[list[Match], list[int], list[int]]:
        """The sentence's money amounts as parsed, their ends, and where a quoted part may start (for
        ``_share``), worked out at the first share of the sentence."""
        if self._share_parts is None:
            raw, ok = self._sent_raw
            money = [m for m, good in zip(raw, ok, strict=True) if good and m.quantity.kind == "money"]
            self._share_parts = (money, [m.end for m in money],
                                 [b.end() for b in _SHARE_PART_START.finditer(sent)])
        return self._share_parts

    def _bracket_pairs(self, sent: str) -> dict[int, int | None]:
        """The sentence's bracket pairs (``scope.bracket_pairs``), found once, at its first 其中."""
        if self._brackets is None:
            self._brackets = bracket_pairs(sent)
        return self._brackets

    def _sentence_mentions(self, sent: str) -> list[Mention]:
        """The fund mentions of the whole sentence (found once; a prefix is filtered from them)."""
        if self._mentions is None:
            self._mentions = self._funds_in(sent)
        return self._mentions

    def _share(self, sent: str, base: int, m: Match, ref: str, lstart: int) -> None:
        q = m.quantity
        money, money_ends, part_starts = self._parts_of_sentence(sent)
        parts = money[: bisect.bisect_right(money_ends, m.start)]
        of = next((o for rx, o in self.r.share_refs if rx.search(ref)), None)
        if not parts or of is None:
            self._unresolved(q, lstart, base + m.end, "share of unknown")
            return
        p = parts[-1]
        pstart = _last_at_or_before(part_starts, p.start)
        subj = self.st.subject
        level: Figure | bool | None = True
        if of in codebook().items:
            # a share of an item is a share of a level: its part is never a change or a budget
            level = self._share_level(sent, base, m, lstart, p, subj)
            if level is None:
                self._unresolved(q, lstart, base + m.end, "share of unknown")
                return
            if level is not True and level is not subj:
                self._share_of(q, lstart, base + m.end, level, of, level.fund)
                return
        if (subj is not None and subj.item == of and subj.fund != "all" and subj.measure == "actual"
                and subj.source is not None and getattr(subj, "qualifier", None) is None
                and all(mn.fund == "all" for mn in self._funds_in(ref))):
            # "机关…基金收入A万元，比上年增收C万元，…，占全区社保基金总收入的R%": a fund's
            # figure as a share of the item it is itself is its share of all funds' total, and the part
            # is the subject, not the change stated after it; not so for an account's figure
            # ("统筹基金收入A万元，占职工医保基金收入的R%") or a reference naming a fund
            self._share_of(q, lstart, base + m.end, subj, of, "all")
            return
        if subj is not None and level is subj and subj.source is not None:
            # the amount before the share is the subject's change or budget: the part is the subject
            self._share_of(q, lstart, base + m.end, subj, of, subj.fund)
            return
        self.out.shares.append(Share(
            value=float(q.canonical), precision=float(q.canonical_precision),
            part=float(p.quantity.canonical), part_precision=float(p.quantity.canonical_precision),
            of=of, fund=subj.fund if subj is not None else self.st.fund,
            group=subj.group if subj is not None else None,  # type: ignore[attr-defined]
            source=self._src(lstart, base + m.end), part_source=self._src(base + pstart, base + p.end)))
        self._unresolved(q, lstart, base + m.end, "share")

    def _share_of(self, q: Any, vs: int, ve: int, part: Figure, of: str, fund: str | None) -> None:
        """A share whose part is a figure read before (its value and source); of all funds no group."""
        group = None if fund == "all" else part.group  # type: ignore[attr-defined]
        self.out.shares.append(Share(
            value=float(q.canonical), precision=float(q.canonical_precision), part=part.value,
            part_precision=part.precision or 0.0, of=of, fund=fund, group=group,
            source=self._src(vs, ve), part_source=part.source or self._src(vs, ve)))
        self._unresolved(q, vs, ve, "share")

    def _share_level(self, sent: str, base: int, m: Match, lstart: int, p: Match,
                     subj: Figure | None) -> Figure | bool | None:
        """The level figure a share of an item takes as its part: the item the share's own clause
        names ("财政补助收入占基金收入的R%": that item's actual of the fund), else the subject's actual
        when the amount before the share is a change or a budget ("…收入A万元，较上年增加C万元，占基金
        收入的R%"). True: the amount before the share is the part; None: the part is not known (no
        share is read rather than a wrong one)."""
        figs = self.out.figures
        before = sent[max(0, lstart - base) : m.start]
        cut = before.rfind("占")
        named, _rest = label_item(_SHARE_PART_START.split(before[:cut])[-1]) if cut > 0 else (None, "")
        if named is not None:
            fund = subj.fund if subj is not None else self.st.fund
            return next((f for f in reversed(figs) if f.fund == fund and f.item == named
                         and f.measure == "actual" and getattr(f, "qualifier", None) is None), None)
        p_end = self._src(base + p.start, base + p.end).end  # a figure's source is in text offsets
        at_p = next((f for f in reversed(figs[-8:]) if f.source is not None and f.source.end == p_end), None)
        if at_p is None or at_p.measure == "actual":
            return True
        if subj is not None and subj.measure == "actual" and subj.source is not None and subj is not at_p:
            return subj
        return True

    def _completion(self, sent: str, base: int, m: Match, nxt: Match, label: str, lstart: int) -> None:
        """完成全年预算B万元的R%: B is a budget; both belong to the item whose budget B is."""
        q, rq = m.quantity, nxt.quantity
        st = self.st
        subj = st.subject if self._sent - st.subject_sentence <= 1 else None
        if subj is None:
            self._unresolved(rq, lstart, base + nxt.end, "rate without subject")
            return
        verb = _ratio_verb().match(label)
        b_start = lstart + (len(verb.group(1)) if verb else 0)
        measure = "budget_adjusted" if self.r.measures["budget_adjusted"].search(label) else "budget"
        self._completion_rate(subj, float(rq.canonical), float(rq.canonical_precision), rq.unit, lstart,
                              base + nxt.end, (float(q.canonical), float(q.canonical_precision), q.unit,
                                                b_start, base + m.end, measure), sent)

    def _completion_rate(self, subj: Figure, value: float, prec: float, unit: str, vs: int, ve: int,
                         budget: tuple | None, sent: str, basis: str | None = None) -> None:
        target, group, note = subj.item, subj.group, None  # type: ignore[attr-defined]
        if budget is not None:
            basis = budget[-1]
        r_iv = Interval.printed(value, prec)
        if budget is not None:
            b_iv = Interval.printed(budget[0], budget[1])
            index = self._budget_index.get(subj.fund)
            stated = index.meeting(b_iv) if index is not None else []
            items = list(dict.fromkeys(f.item for f in stated))
            if items and subj.item not in items:
                target, note = items[0], "budget_matches_other_item"
            elif not items:
                parent = self._parent_in_sentence(subj)
                if parent is not None and not _rate_fits(subj, b_iv, r_iv) and _rate_fits(parent, b_iv, r_iv):
                    target, note = parent.item, "rate_fits_total"
            if note is not None:
                parent = self._parent_in_sentence(subj)
                same = parent is not None and parent.item == target
                group = parent.group if same else self._new_group()  # type: ignore[union-attr]
        extra = told_like(subj)
        if note:
            extra["attribution"]["item"] = "budget_match"
            extra["note"] = note
        f = self._add(subj.fund, target, "completion_rate", value, prec, unit, vs, ve, group, "completion",
                      basis=basis, **extra)
        if budget is not None:
            bv, bp, bu, bs, be, measure = budget
            b = self._add(subj.fund, target, measure, bv, bp, bu, bs, be, group, "budget_ref", **extra)
            if note:
                self.out.notes.append({"kind": note, "subject": subj, "rate": f, "budget": b})

    def _parent_in_sentence(self, subj: Figure) -> Figure | None:
        og = getattr(subj, "of_which", None)
        if og is None:
            return None
        return self._first_subject.get(og)


def _account_spans(view: str) -> tuple[list[int], list[int], list[str]]:
    """Where the view speaks of one account of a fund ("统筹基金收入371,518.06万元，支出…；个人账户收入…"):
    from an account word (lexicon class fund.account) to the next one, the next fund named or the
    sentence end. A longer item alias starting at the word ("个人账户养老金") is an item, not an account."""
    rx = re.compile(alternation("fund.account"))
    end_rx = re.compile("。|\n")
    found = [m for m in rx.finditer(view)
             if len((longest_item_alias(view[m.start() : m.start() + 16], at_end=False) or ("",))[0])
             <= len(m.group())]
    starts: list[int] = []
    ends: list[int] = []
    names: list[str] = []
    for k, m in enumerate(found):
        stop = end_rx.search(view, m.end())
        end = stop.start() if stop is not None else len(view)
        if k + 1 < len(found):
            end = min(end, found[k + 1].start())
        mentions = fund_mentions(view[m.end() : end])
        if mentions:
            end = m.end() + mentions[0].start
        starts.append(m.start())
        ends.append(end)
        names.append(m.group())
    return starts, ends, names


_QUALIFIER_NOISE = re.compile(r"[\s，,、；;：:（）()]|^其中|^全年|^年度")


def _prose_qualifier(rest: str) -> str | None:
    """The funding level a prose label puts before its item ("中央财政补助资金", "省级财政补助资金":
    ``tables.qualifier``, as a table row's label does): the figure is that part of the item."""
    words = _QUALIFIER_NOISE.sub("", without_funds(rest))
    m = extract_rules().spec.tables.qualifier.fullmatch(words) if words else None
    return m.group() if m is not None else None


@cache
def _kind_count() -> re.Pattern[str]:
    """"三项养老保险基金": a count of funds (fund.count) restricted by an insurance kind."""
    return re.compile(alternation("fund.count") + "(?P<kind>" + alternation("insurance_kind") + ")保险基金")


@cache
def _counted_funds() -> re.Pattern[str]:
    """"五项险种基金" / "三项社会保险": a count of funds, meaning all of them."""
    return re.compile(alternation("fund.count") + alternation("fund.kind"))


@cache
def _fund_reference() -> re.Pattern[str]:
    """"这部分基金" / "该基金" / "上述基金": words pointing back at the fund named before."""
    return re.compile(alternation("fund.reference"))


@cache
def _budget_section() -> re.Pattern[str]:
    """A heading of the budget-setting section ("预算编制情况"): a forecast there is the budget."""
    return re.compile(alternation("budget_section"))


@cache
def _line_list_end() -> re.Pattern[str]:
    """A line ending with a 其中 marker and a colon: its list goes on over the numbered lines below."""
    return re.compile(alternation("of_which.list") + r"\s*[:：]\s*$")


@cache
def _forecast() -> re.Pattern[str]:
    """A forecast word ("预计"): a budget only in the contexts ``ClauseParser._forecast_budget`` reads."""
    return re.compile(alternation("forecast"))


@cache
def _forecast_compared() -> re.Pattern[str]:
    """Words comparing an amount with what was done ("完成", "执行率"): a forecast before them is the
    budget."""
    return re.compile(alternation("forecast.compared"))


@cache
def _joined() -> re.Pattern[str]:
    """A label ending by joining a fund's insurance (lexicon class join_verb), optionally "的人数"."""
    return re.compile(alternation("join_verb") + r"(?:的?人数)?$")


@cache
def _ratio_verb() -> re.Pattern[str]:
    """The verb opening "完成/为/达到/是…预算B的R%" (the budget's quote starts after it)."""
    return re.compile(r"\s*(" + alternation("ratio_verb") + ")")


@cache
def _needs_of(rules: Rules) -> dict[str, str | None]:
    """``rules.required_chars`` of the patterns ``ClauseParser`` guards, once per rules."""
    keys = ("fund_aside", "label_tail_aside", "unit_bracket_label", "cause_aside", "fund_colon_lead")
    return {k: required_chars(rules.re(k)) for k in keys}


def _last_at_or_before(ends: list[int], pos: int) -> int:
    """The greatest of the ascending offsets ``ends`` that is ≤ ``pos``, else 0."""
    i = bisect.bisect_right(ends, pos)
    return ends[i - 1] if i else 0


def _rate_fits(actual: Figure, budget: Interval, stated: Interval) -> bool:
    try:
        return rate(Interval.printed(actual.value, actual.precision), budget).meets(stated)
    except ZeroDivisionError:
        return False


def parse_clauses(doc: Document) -> Parsed:
    return ClauseParser(doc).run()
