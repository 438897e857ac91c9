"""Clause parsing: the stereotyped sentences of the genre → figures with fund, item and measure.

A report states a subject amount and then what is said about it, in one run:
"<基金><项目>支出X万元，较上年增加Y万元，增长Z%，完成全年预算B万元的R%", "其中：A万元，B万元",
"由A人增加至B人". The parser walks the numbers of each sentence left to right, keeping the
current subject (the amount that changes, rates and budgets attach to), the open 其中 list and
the current fund (from headings and sentence subjects). Every figure gets a ``group`` (the
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
from sifund.core.lexicon import alternation, lexicon
from sifund.core.limits import limits
from sifund.core.model import Figure, Source
from sifund.core.numbers import (
    Match,
    Quantity,
    find_quantities,
    sign_from_words,
)
from sifund.engine.intervals import Interval, rate
from sifund.review.document import Document
from sifund.review.funds import Mention, fund_mentions, heading_level, report_fund
from sifund.review.labels import (
    alias_kind,
    item_after,
    kind_ok,
    label_item,
    longest_item_alias,
    without_funds,
    word_percents,
)
from sifund.review.lookup import IntervalIndex, sane_quantity
from sifund.review.rules import extract_rules
from sifund.review.scope import Parts, ScopeStack, bracket_pairs
from sifund.review.tables import TableReader

AMOUNT_KINDS = ("money", "people", "count", "months")
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


def attribution(f: Figure) -> dict[str, str]:
    """How a figure's fund and item were told (see ``attribution`` in data/review/extract.yaml)."""
    return dict((f.model_extra or {}).get("attribution") or {})


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
        # Indexes over out.figures, kept by _add, so that lookups do not rescan every figure so far
        # (which made long reports quadratic).
        self._by_fund_measure: dict[tuple[str, str], list[Figure]] = {}
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
        self._share_parts: tuple[list[Match], list[int], list[int]] | None = None
        self._mentions: list[Mention] | None = None
        self._prev_mentions: list[Mention] | None = None
        self._brackets: dict[int, int | None] | None = None
        self._limits = limits().dataset

    # ---- helpers -----------------------------------------------------------------------

    def _src(self, vs: int, ve: int) -> Source:
        s = self.doc.source(vs, ve)
        s.file = None
        return s

    def _new_group(self) -> str:
        self.st.groups += 1
        return f"g{self.st.groups}"

    def _add(self, fund: str, item: str, measure: str, value: float, precision: float, unit: str,
             vs: int, ve: int, group: str, role: str, **extra: Any) -> Figure:
        extra.setdefault("attribution", {"fund": self._fund_via(), "item": "alias"})
        f = Figure(fund=fund, item=item, measure=measure, value=value, precision=precision, unit=unit,
                   source=self._src(vs, ve), group=group, role=role, **extra)
        self.out.figures.append(f)
        self._by_fund_measure.setdefault((fund, measure), []).append(f)
        iv = Interval.printed(value, precision)
        if measure == "actual":
            self._actuals.setdefault((fund, item), IntervalIndex()).add(iv, (len(self.out.figures) - 1, f))
            self._actual_items.setdefault(fund, set()).add(item)
        if measure in ("budget", "budget_adjusted"):
            self._budget_index.setdefault(fund, IntervalIndex()).add(iv, f, key=item)
        if role == "subject":
            self._first_subject.setdefault(group, f)
            self._latest_subject[(fund, item)] = f
        self._last_end = ve  # view offset: where the latest figure's number ends
        return f

    def _via_named(self) -> str:
        """How the fund just returned by ``_fund_for`` was told."""
        return "clause" if self._named else self._fund_via()

    def _fund_via(self) -> str:
        """How the current fund was told, seen from the sentence being read (``ScopeStack.fund_via``)."""
        return self.st.scope.fund_via(self._sent, self._line_no)

    def _unresolved(self, q: Quantity, vs: int, ve: int, reason: str) -> None:
        # the span and quote a Source would hold, without building one (most numbers of a long
        # list end here)
        start, end = self.doc.to_text_span(vs, ve)
        value = float(q.canonical)
        self.out.unresolved.append({"value": value if math.isfinite(value) else None, "unit": q.unit,
                                    "reason": reason, "start": start, "end": end,
                                    "text": self.doc.text[start:end]})

    # ---- walk ----------------------------------------------------------------------------

    def run(self) -> Parsed:
        view = self.doc.view
        table_rx = self.r.re("table_start")
        tables = TableReader(self)
        pos = 0
        self.st.scope = scope = ScopeStack(report_fund(view))  # the report's fund, if it has one
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
            if level is not None:
                opened = scope.heading(level, stripped, funds_in, *at)
            elif self._is_fund_line(stripped):
                # "工伤保险基金" alone on a line, no numbering: it scopes the numbered items below it
                opened = scope.fund_line(stripped, funds_in, *at)
            if opened is not None:
                self.st.subject = None
                self.st.parts = None
            self._line(line, start)
        return self.out

    def _is_fund_line(self, line: str) -> bool:
        if not self.r.re("fund_line").match(line):
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
        b = self.r.re("unit_bracket_label").search(sent[max(0, m.start - 16) : m.start])
        if b is None:
            return m
        q = m.quantity
        return Match(m.start, m.end, Quantity(q.value, b.group("u").replace("％", "%"), q.precision))

    def _bracket_start(self, sent: str, m: Match, lo: int) -> int:
        """Where the label of ``m`` ends: before a "（万元）：" bracket, else at the number."""
        w0 = max(lo, m.start - 16)
        b = self.r.re("unit_bracket_label").search(sent[w0 : m.start])
        return w0 + b.start() if b is not None else m.start

    def _fund_lead(self, lead: str) -> None:
        """"2021年，城乡居民养老保险基金：收入…": a fund named just before a colon becomes current."""
        b = self.r.re("fund_colon_lead").search(lead[-40:])
        if b is None:
            return
        ms = fund_mentions(b.group("f"))
        if ms:
            self._mention(ms[-1].fund)

    def _line(self, line: str, base: int) -> None:
        end_rx = self.r.re("sentence_end")
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
        self.st.parts = None
        raw = find_quantities(sent)
        read = [self._unit_bracket(sent, self._unit_synonym(sent, m)) for m in raw]
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
        # Break offsets found once per sentence and bisected per number: rescanning the sentence up
        # to each number made a long unpunctuated line quadratic. Breaks are single characters, so a
        # break found in the whole sentence lies before a number exactly when it ends at or before it.
        breaks = [b.end() for b in self._breaks_rx.finditer(sent)]
        clause_ends = [b.end() for b in _CLAUSE_END.finditer(sent)]
        of_which_rx, list_sep_rx = self.r.re("of_which"), self.r.re("list_sep")
        fillers_rx, tail_aside_rx = self.r.re("label_fillers"), self.r.re("label_tail_aside")
        fund_aside_rx, per_capita_rx = self.r.re("fund_aside"), self.r.re("per_capita")
        prev_end = 0
        consumed: set[int] = set()
        self._brackets = None
        for i, m in enumerate(qs):
            if i in consumed:
                continue
            q = m.quantity
            if q.kind in ("number", "days"):
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
            label_clean = (fillers_rx.sub("", tail_aside_rx.sub("", fund_aside_rx.sub("", label)))
                           if label else "")
            parts = self.st.parts
            if parts is not None and parts.ended_by(m.start, partial(self._names_part, label_clean)):
                # past the 其中 list's bracket: the words speak of its parent again
                self.st.parts, self.st.subject = None, parts.parent
            marker = of_which_rx.search(between)
            if marker is not None and self.st.subject is not None:
                self.st.parts = Parts.open(self.st.subject, sent, prev_end + marker.start(),
                                           partial(self._bracket_pairs, sent))
            lstart = base + seg + (len(label) - len(label.lstrip()))
            clause_start = max(_last_at_or_before(clause_ends, m.start), m.start - self._lookback)
            clause = sent[clause_start : m.start]
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            if q.kind == "yuan" or per_capita_rx.search(clause):
                self._unresolved(q, lstart, base + m.end, "per_capita")
                prev_end = m.end
                continue
            if not label_clean and q.kind in ("money", "months"):
                # a bare amount of a list ("…收入1万元，2万元，…"): no words name its item, and no rule
                # of _amount reads anything but the label for these kinds (the long way ends the same)
                self._unresolved(q, lstart, base + m.end, "unknown item")
                prev_end = m.end
                continue
            after = _AFTER.match(sent, m.end).group()  # type: ignore[union-attr]
            if q.kind == "rate":
                self._rate(sent, base, m, label_clean, lstart, clause, after)
            elif q.kind in AMOUNT_KINDS:
                used = self._amount(sent, base, m, nxt, label_clean, lstart, after)
                if used:
                    consumed.add(i + 1)
            else:
                self._unresolved(q, lstart, base + m.end, f"unit {q.unit}")
            prev_end = nxt.end if (i + 1) in consumed and nxt is not None else m.end

    # ---- amounts -------------------------------------------------------------------------

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

    def _amount(self, sent: str, base: int, m: Match, nxt: Match | None, label: str, lstart: int,
                after: str) -> bool:
        """Handle an amount; returns True when it consumed the next number (B … 的R%, 由A至B).
        ``after`` is the start of the text after the number (see ``_AFTER``)."""
        r, st, q = self.r, self.st, m.quantity
        vend = base + m.end
        value, prec = float(q.canonical), float(q.canonical_precision)
        subj = st.subject if self._sent - st.subject_sentence <= 1 else None
        # completion with a stated budget: 完成全年预算B万元的R%
        if (nxt is not None and nxt.quantity.kind == "rate" and r.re("completion_head").search(label)
                and r.re("completion_between").match(sent[m.end : nxt.start])):
            head = r.re("completion_head").search(label)
            if head is not None and head.start() > 0 and q.kind == "money":
                self._renamed(label[: head.start()], q.kind)
            self._completion(sent, base, m, nxt, label, lstart)
            return True
        # year-on-year change of the subject
        last = self.out.figures[-1] if self.out.figures else None
        if (r.re("bare_change").match(label) and subj is not None and last is not None
                and (getattr(last, "role", None) in ("yoy_rate", "prior")
                     or getattr(last, "group", None) == self._from_to_group)
                and getattr(last, "group", None) == subj.group
                and kind_ok(subj.item, q.kind)):  # type: ignore[attr-defined]
            v = -abs(value) if sign_from_words(label) < 0 else value
            self._add(subj.fund, subj.item, "yoy_change", v, prec, q.unit, lstart, vend,
                      subj.group, "yoy_change", attribution=attribution(subj))  # type: ignore[attr-defined]
            return False
        pref = r.re("prior_ref").search(label)
        if pref and q.kind == "money":
            if pref.start() > 0:
                subj = self._renamed(label[: pref.start()], q.kind) or subj
            if subj is not None and kind_ok(subj.item, q.kind):
                self._add(subj.fund, subj.item, "prior", value, prec, q.unit, lstart, vend,
                          subj.group, "prior", attribution=attribution(subj))  # type: ignore[attr-defined]
                return False
        if r.re("yoy_change").search(label):
            named, rest = label_item(r.re("yoy_change").sub("", label))
            if named is not None and kind_ok(named, q.kind):  # "基金支出较上年增加505万元"
                subj = self._latest(self._fund_for(rest), named)
            if subj is None or not kind_ok(subj.item, q.kind):
                self._unresolved(q, lstart, vend, "yoy without subject")
                return False
            v = -abs(value) if sign_from_words(label) < 0 else value
            self._add(subj.fund, subj.item, "yoy_change", v, prec, q.unit, lstart, vend,
                      subj.group, "yoy_change", attribution=attribution(subj))  # type: ignore[attr-defined]
            return False
        # 由A增加至B: prior and actual of the subject named before 由
        if (nxt is not None and r.re("from_to").search(label) and nxt.quantity.unit == q.unit
                and r.re("from_to_mid").match(sent[m.end : nxt.start])):
            head = r.re("from_to").sub("", label)
            item, rest = label_item(head)
            if item is None and not head.strip() and subj is not None and kind_ok(subj.item, q.kind):
                # "基金支出65417.82万元，…，由上年的60235.40万元增加到65417.82万元": of the subject
                return self._from_to_of_subject(subj, m, nxt, base, lstart)
            fund = self._fund_for(rest)
            if item is None or fund is None or not kind_ok(item, q.kind):
                self._unresolved(q, lstart, vend, "from-to without subject")
                return False
            g = self._from_to_group = self._new_group()
            via = {"fund": self._via_named(), "item": alias_kind(head, item)}
            self._add(fund, item, "prior", value, prec, q.unit, lstart, vend, g, "prior", attribution=via)
            nq = nxt.quantity
            f = self._add(fund, item, "actual", float(nq.canonical), float(nq.canonical_precision), nq.unit,
                          base + m.end, base + nxt.end, g, "subject", attribution=via)
            self._set_subject(f)
            return True
        for neg in self._negated:
            short = neg.rx.search(label)
            if short and q.kind == "money":
                fund = self._fund_for(label[: short.start()])
                if fund is not None:
                    v = value * sign_from_words(label) if neg.signed else -abs(value)
                    f = self._add(fund, neg.item, "actual", v, prec, q.unit, lstart, vend,
                                  self._new_group(), "subject",
                                  attribution={"fund": self._via_named(), "item": "alias"})
                    self._set_subject(f)
                    return False
        if r.re("change_words").search(label):
            self._unresolved(q, lstart, vend, "change without comparison")
            return False
        promised = r.re("target_prefix").search(label)
        if promised:
            label = label[: promised.start()]
        bare_label = r.re("label_measure_tail").sub("", label)
        item, rest = label_item(bare_label)
        item_via = alias_kind(bare_label, item) if item else "alias"
        if item is None and fund_mentions(bare_label):
            # "领取城乡居民养老保险待遇98362人": the fund's name sits inside the item's words
            item, _ = label_item(without_funds(bare_label))
            rest = bare_label
            if item is None and q.kind == "people" and _joined().search(without_funds(bare_label)):
                # "参加失业保险2.35万人": who joined the fund's insurance are its insured
                item, item_via = _JOINED_ITEM, "alias"
        if item is None and q.kind in ("people", "count"):
            item, item_via = item_after(after), "after"
        back = r.re("back_reference").match(label.strip()) if item is None else None
        ref = self._back_reference(back.group("item")) if back is not None else None
        if ref is not None and back is not None and kind_ok(ref.item, q.kind):
            # "上述收入的年初预算为35000万元": a measure of the figure stated before; its rate follows
            measure = self._measure(back.group("m"), q.kind, after, None)
            self._add(ref.fund, ref.item, measure, value, prec, q.unit, lstart, vend,
                      ref.group, "measure_of_subject", attribution=attribution(ref))  # type: ignore[attr-defined]
            self._set_subject(ref)
            return False
        if (item is None and subj is not None and kind_ok(subj.item, q.kind)
                and r.re("measure_only").match(label.strip())):
            # "调整后预算数为12,650万元" right after "基金支出12,036万元": a measure of that subject
            measure = self._measure(label, q.kind, after, None)
            self._add(subj.fund, subj.item, measure, value, prec, q.unit, lstart, vend,
                      subj.group, "measure_of_subject", attribution=attribution(subj))  # type: ignore[attr-defined]
            return False
        if item is None and self._fund_part(bare_label, q.kind) is not None:
            # "预算收入77,100万元，其中机关…基金52,800万元、城乡居民…基金24,300万元": one fund's share
            parent = st.of_which
            assert parent is not None
            fund = fund_mentions(bare_label)[-1].fund
            self._add(fund, parent.item, parent.measure, value, prec, q.unit, lstart, vend,
                      self._new_group(), "subject", of_which=parent.group,  # type: ignore[attr-defined]
                      attribution={"fund": "clause", "item": "of_which"})
            return False
        if item is None or not kind_ok(item, q.kind):
            self._unresolved(q, lstart, vend, "unknown item")
            if q.kind in ("people", "count") and (promised or r.re("target_suffix").match(after)):
                # "待遇按时足额发放4200人以上": no item of the code list, still a promise the 自评表
                # can be held to
                ms = fund_mentions(label)
                self.out.targets.append(TextTarget(label.strip(), value, q.unit, ms[-1].fund if ms else None,
                                                   self._src(lstart, vend), prec))
            return False
        parent = st.of_which
        if parent is not None and (parent.item == item or parent.item not in codebook().ancestors(item)):
            parent, st.parts = None, None
        fund = parent.fund if parent is not None else self._fund_for(rest)
        fund_via = attribution(parent).get("fund", "none") if parent is not None else self._via_named()
        measure = "target" if promised else self._measure(label, q.kind, after, parent)
        if (measure == "actual" and self._list_measure in ("budget", "budget_adjusted")
                and not any(rx.search(label) for rx in r.measures.values())):
            measure = self._list_measure
        if fund is None and measure == "target":
            # "城乡居民基本养老保险待遇按月足额发放，领取待遇人数不少于5.5万人": the target list names
            # the fund in an earlier clause of the same sentence
            named = [x.fund for x in self._sentence_mentions(sent) if x.fund != "all" and x.end <= m.start]
            fund, fund_via = (named[-1], "sentence") if named else (None, fund_via)
        if fund is None:
            self._unresolved(q, lstart, vend, "unknown fund")
            if measure == "target":  # still a promise the 自评表 can be held to, fund or not
                src = self._src(lstart, vend)
                self.out.targets.append(TextTarget(label.strip(), value, q.unit, None, src, prec))
            return False
        if parent is None and measure == "actual":
            named, item = item, self._reidentify(fund, item, value, prec)
            item_via = item_via if item == named else "reidentified"
        g = self._new_group()
        extra: dict[str, Any] = {"attribution": {"fund": fund_via, "item": item_via}}
        if parent is not None:
            extra["of_which"] = parent.group  # type: ignore[attr-defined]
        f = self._add(fund, item, measure, value, prec, q.unit, lstart, vend, g, "subject", **extra)
        if measure == "target":
            self.out.targets.append(TextTarget(label.strip(), value, q.unit, fund, f.source, prec))  # type: ignore[arg-type]
        self._set_subject(f)
        return False

    def _renamed(self, label: str, kind: str) -> Figure | None:
        """The latest subject of the item a clause names first ("基金支出完成预算…", "基金支出比上年…"),
        made the current subject; None when the clause does not start by naming an item."""
        t = re.sub(r"\s+", "", label)
        for k in range(len(t), 1, -1):
            item, rest = label_item(t[:k])
            if item is None:
                continue
            ms = fund_mentions(rest)
            bare = rest
            for m in reversed(ms):
                bare = bare[: m.start] + bare[m.end :]
            if not kind_ok(item, kind) or not self.r.re("renamed_subject_rest").match(bare):
                return None
            f = self._latest(ms[-1].fund if ms else self.st.fund, item)
            if f is not None:  # the subject of this sentence only: it was not stated here
                self.st.subject, self.st.subject_sentence = f, self._sent - 1
            return f
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
        via = attribution(subj)
        g = self._from_to_group = subj.group  # type: ignore[attr-defined]
        self._add(subj.fund, subj.item, "prior", float(q.canonical), float(q.canonical_precision), q.unit,
                  lstart, base + m.end, g, "prior", attribution=via)
        b_iv = Interval.printed(float(nq.canonical), float(nq.canonical_precision))
        if not Interval.printed(subj.value, subj.precision).meets(b_iv):
            self._add(subj.fund, subj.item, "actual", float(nq.canonical), float(nq.canonical_precision),
                      nq.unit, base + m.end, base + nxt.end, g, "restated", attribution=via)
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

    def _names_part(self, label: str) -> bool:
        """Whether a cleaned label ends with an item's word ("…支出", known item or not) or names a fund,
        as a part of a 其中 list does; "较上年增加", "增长", "完成预算的" do not."""
        t = re.sub(r"\s+", "", label)
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
        """A fund named as the subject of the sentence being read: the current fund from here on."""
        self.st.scope.mention(fund, self._sent_base, self._sent, self._line_no)

    def _measure(self, label: str, kind: str, after: str, parent: Figure | None) -> str:
        r = self.r
        for measure, rx in r.measures.items():
            if measure == "target":
                continue
            if rx.search(label):
                return measure
        if kind in ("people", "count") and r.re("target_suffix").match(after):
            return "target"
        if parent is not None and parent.measure in ("budget", "budget_adjusted", "target"):
            return parent.measure
        if kind in ("people", "count") and self.st.scope.in_targets:
            return "target"
        return "actual"

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

    def _rate(self, sent: str, base: int, m: Match, label: str, lstart: int, clause: str,
              after: str) -> None:
        r, st, q = self.r, self.st, m.quantity
        value, prec = float(q.canonical), float(q.canonical_precision)
        vend = base + m.end
        subj = st.subject if self._sent - st.subject_sentence <= 1 else None
        share = r.re("share").search(label)
        if share:
            self._share(sent, base, m, share.group("ref"), lstart)
            return
        suffix = r.re("rate_target_suffix").match(after)
        promised = bool(suffix.group(1) or r.re("target_prefix").search(label))
        done = r.re("completion_rate_label").search(label)
        if done and not promised:  # "预算执行率90%以上" is a target, not what was done
            if done.start() > 0:
                subj = self._renamed(label[: done.start()], "money") or subj
            if subj is None:
                self._unresolved(q, lstart, vend, "rate without subject")
                return
            # the basis the text names (年初 / 调整后), else either may be meant
            basis = ("budget_adjusted" if self.r.measures["budget_adjusted"].search(label)
                     else "budget" if r.re("initial_budget").search(label) else None)
            self._completion_rate(subj, value, prec, q.unit, lstart, vend, None, sent, basis)
            return
        rise = r.re("yoy_rate").search(label)
        if rise and not r.re("not_yoy").search(clause):
            head = r.re("yoy_change").search(label)
            cut = head.start() if head else rise.start()
            if cut > 0:
                subj = self._renamed(label[:cut], "money") or subj
            if subj is None:
                self._unresolved(q, lstart, vend, "rate without subject")
                return
            v = -abs(value) if sign_from_words(label) < 0 else value
            self._add(subj.fund, subj.item, "yoy_rate", v, prec, q.unit, lstart, vend,
                      subj.group, "yoy_rate", attribution=attribution(subj))  # type: ignore[attr-defined]
            return
        if promised or "目标" in clause:
            self.out.targets.append(TextTarget(label.strip(), value, q.unit, st.fund,
                                               self._src(lstart, vend + suffix.end()), prec))
        self._unresolved(q, lstart, vend, "rate without known meaning")

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
        self.out.shares.append(Share(
            value=float(q.canonical), precision=float(q.canonical_precision),
            part=float(p.quantity.canonical), part_precision=float(p.quantity.canonical_precision),
            of=of, fund=subj.fund if subj is not None else self.st.fund,
            group=subj.group if subj is not None else None,  # type: ignore[attr-defined]
            source=self._src(lstart, base + m.end), part_source=self._src(base + pstart, base + p.end)))
        self._unresolved(q, lstart, base + m.end, "share")

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
        via = attribution(subj)
        if note:
            via["item"] = "budget_match"
        extra: dict[str, Any] = {"note": note, "attribution": via} if note else {"attribution": via}
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


_JOINED_ITEM = "insured"  # the item of the people who joined a fund's insurance (see _joined)


@cache
def _counted_funds() -> re.Pattern[str]:
    """"五项险种基金" / "三项社会保险": a count of funds, meaning all of them."""
    return re.compile(alternation("fund.count") + alternation("fund.kind"))


@cache
def _fund_reference() -> re.Pattern[str]:
    """"这部分基金" / "该基金" / "上述基金": words pointing back at the fund named before."""
    return re.compile(alternation("fund.reference"))


@cache
def _joined() -> re.Pattern[str]:
    """A people count's label that, the fund's name taken out, ends by joining it ("全县参加失业保险")."""
    return re.compile(alternation("join_verb") + r"(?:的?人数)?$")


@cache
def _ratio_verb() -> re.Pattern[str]:
    """The verb opening "完成/为/达到/是…预算B的R%" (the budget's quote starts after it)."""
    return re.compile(r"\s*(" + alternation("ratio_verb") + ")")


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
