"""The scope a figure is read in: which fund the words around it speak of, as a stack of frames.

A report names a fund once and then speaks of it for a while: in its title ("某县工伤保险基金…
自评报告"), in a heading ("（三）工伤保险基金"), in a bare line naming only the fund
("城乡居民基本养老保险", no number, no 基金) over numbered sub-items ("1、基本养老金支出…"), or in a
sentence subject ("2019年工伤保险基金总支出…", which the next sentences then carry). Each of these
opens a frame; a frame closes when a heading of its level or above comes. The fund of a figure that
names none is the innermost frame's that names one, and *how* that fund was told is read off the
frame (``attribution.fund`` of data/review/extract.yaml, whose weak values make the audit downgrade
a finding to info): the frames are the one place that knows.

Why a stack rather than a fund field per parser: the fields (current fund, where a mention set it,
the outline's funds by level, the level given to bare fund lines) had to be kept consistent by hand
at every heading and mention, and a bare fund line took a numbered level, so the first numbered
sub-item below it closed it. Here a bare fund line sits *between* the numbered heading above it and
the numbered headings below it, so those are its children; the next bare fund line is its sibling.

A heading frame also says what kind of section it opens (``targets``: 绩效目标, where people counts
are targets; ``overview``: the totals, where ``all`` is meant rather than guessed). Below the
headings, a 其中 list is the scope of a subject (``Parts``): it ends with its sentence, or with its
bracket.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sifund.core.model import Figure
from sifund.review.funds import Mention, unnumbered
from sifund.review.rules import extract_rules

FundSource = Literal["report", "heading", "mention"]
FrameKind = Literal["report", "heading", "fund_line", "mention"]
Namer = Callable[[str], Sequence[Mention]]  # the funds named in a text, in order

MENTION_LEVEL = math.inf  # a sentence's mention is innermost: any heading closes it


@dataclass(frozen=True, slots=True)
class Frame:
    """One scope: what opened it (``kind``), the fund it names (None: it inherits the outer one's),
    how that fund was told (``fund_src``), where it opened (``at``: view offset; ``sentence`` and
    ``line``: the parser's counters then), and what kind of section a heading opens."""

    level: float  # report 0; numbered heading its level; bare fund line between; mention innermost
    fund: str | None
    fund_src: FundSource | None
    kind: FrameKind
    at: int = 0
    sentence: int = 0
    line: int = 0
    targets: bool = False  # a target-setting section ("绩效目标"): people counts there are targets
    overview: bool = False  # a section on the totals ("社会保险基金总体情况"): its `all` is meant
    budget: bool = False  # the budget-setting section ("预算编制情况"): a forecast there is the budget


@dataclass
class ScopeStack:
    """The frames open at the line being read, outermost (the report) first."""

    report_fund: str | None = None
    frames: list[Frame] = field(default_factory=list)
    # the report's title names one fund and its text no other: a fund carried over is that one
    single_fund: bool = False
    # a heading matching it opens the budget-setting section (``Frame.budget``); None: none is told
    budget_section: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        if not self.frames:
            src: FundSource | None = "report" if self.report_fund else None
            self.frames.append(Frame(0, self.report_fund, src, "report"))

    # ---- opening frames ------------------------------------------------------------------

    def heading(
        self, level: int, title: str, names: Namer, at: int = 0, sentence: int = 0, line: int = 0
    ) -> Frame:
        """A numbered (or title-like) heading of ``level``: closes the frames at its level and deeper
        (a bare fund line under a shallower heading stays open), then opens its own."""
        self._close_from(level)
        return self._push(level, "heading", title, names, at, sentence, line)

    def fund_line(self, title: str, names: Namer, at: int = 0, sentence: int = 0, line: int = 0) -> Frame:
        """A bare line naming a fund ("城乡居民基本养老保险"): the sibling of the open bare fund line,
        else the child of the innermost numbered heading, so the numbered sub-items below it are its.
        Before any heading (the cover, the title) it is only as deep as a top heading, which closes it:
        a fund named there is the report's, found by ``funds.report_fund``."""
        sibling = next((i for i, f in enumerate(self.frames) if f.kind == "fund_line"), None)
        if sibling is not None:
            level = self.frames[sibling].level
            del self.frames[sibling:]
        else:
            self._close_from(MENTION_LEVEL)
            parent = self.frames[-1]
            level = parent.level + 0.5 if parent.kind == "heading" else 1
            self._close_from(level)
        return self._push(level, "fund_line", title, names, at, sentence, line)

    def mention(self, fund: str, at: int = 0, sentence: int = 0, line: int = 0) -> Frame:
        """A fund named as a sentence's subject: current until the next heading or mention."""
        self._close_from(MENTION_LEVEL)
        frame = Frame(MENTION_LEVEL, fund, "mention", "mention", at, sentence, line)
        self.frames.append(frame)
        return frame

    def _close_from(self, level: float) -> None:
        while len(self.frames) > 1 and self.frames[-1].level >= level:
            self.frames.pop()

    def _push(
        self, level: float, kind: FrameKind, title: str, names: Namer, at: int, sentence: int, line: int
    ) -> Frame:
        r = extract_rules()
        head = r.re("sentence_end").split(unnumbered(title), maxsplit=1)[0]
        mentions = names(head)
        fund = mentions[0].fund if mentions else None
        frame = Frame(
            level,
            fund,
            "heading" if fund else None,
            kind,
            at,
            sentence,
            line,
            targets=bool(r.re("target_section").search(head)),
            overview=bool(r.re("overview_section").search(head)),
            budget=self.budget_section is not None and self.budget_section.search(head) is not None,
        )
        self.frames.append(frame)
        return frame

    # ---- reading the scope ---------------------------------------------------------------

    @property
    def fund_frame(self) -> Frame | None:
        """The innermost frame that names a fund: it gives the fund of a figure that names none."""
        for f in reversed(self.frames):
            if f.fund is not None:
                return f
        return None

    @property
    def fund(self) -> str | None:
        frame = self.fund_frame
        return frame.fund if frame is not None else None

    @property
    def fund_src(self) -> FundSource | None:
        frame = self.fund_frame
        return frame.fund_src if frame is not None else None

    @property
    def heading_frame(self) -> Frame | None:
        """The innermost heading (or bare fund line) that names a fund."""
        return next(
            (f for f in reversed(self.frames) if f.fund is not None and f.kind in ("heading", "fund_line")),
            None,
        )

    @property
    def heading_fund(self) -> str | None:
        frame = self.heading_frame
        return frame.fund if frame is not None else None

    @property
    def in_targets(self) -> bool:
        return any(f.targets for f in self.frames)

    @property
    def in_budget(self) -> bool:
        """Inside the budget-setting section (lexicon class budget_section)."""
        return any(f.budget for f in self.frames)

    def fund_via(self, sentence: int, line: int) -> str:
        """How the current fund was told, seen from ``sentence`` of ``line``: a fund named earlier in
        this sentence or paragraph is as good as named here; one carried over from an earlier
        paragraph, or ``all`` given by a heading over per-fund paragraphs (not an overview section),
        is a guess (``carried`` / ``heading_all``) — unless it is the report's own fund, which the
        figure would have had without the mention."""
        frame = self.fund_frame
        if frame is None:
            return "none"
        if frame.kind == "mention":
            if frame.sentence == sentence:
                return "sentence"
            if frame.line == line:
                return "paragraph"
            if self.single_fund and frame.fund == self.report_fund:
                # the report's own fund, in a report naming no other: named earlier or not, the
                # figure is the report's, as a fund-less figure under no heading is
                return "report"
            if frame.fund != self.heading_fund:
                return "carried"
        if frame.kind == "report":
            return "report"
        head = self.heading_frame
        overview = head.overview if head is not None else False
        return "heading_all" if frame.fund == "all" and not overview else "heading"


@dataclass(frozen=True, slots=True)
class Parts:
    """An open 其中 list: the figure its parts belong to, and where the list ends.

    It ends with its sentence. Opened inside a bracket ("…5000万元（其中：A 3000万元，B 1500万元），较上年
    增加200万元"), it ends at the closing bracket, and what follows speaks of the parent again. A bracket
    left unclosed ("（其中：A 3000万元，B 1500万元，较上年增加200万元，增长4.2%。") ends at the first clause
    that names no part: read to the sentence end, it gave the total's change to the last part.
    """

    parent: Figure
    bracket: bool = False  # opened right after "（"
    close: int | None = None  # sentence offset of the closing bracket (None: none, or unclosed)

    @classmethod
    def open(
        cls, parent: Figure, sent: str, marker: int, brackets: Callable[[], dict[int, int | None]]
    ) -> Parts:
        """The list a 其中 at sentence offset ``marker`` opens; ``brackets`` gives the sentence's
        bracket pairs (``bracket_pairs``, found once per sentence when first needed)."""
        i = marker
        while i > 0 and sent[i - 1].isspace():
            i -= 1
        if i == 0 or sent[i - 1] not in "（(":
            return cls(parent)
        return cls(parent, True, brackets().get(i - 1))

    def ended_by(self, pos: int, names_part: Callable[[], bool]) -> bool:
        """Whether the list has ended before the number at sentence offset ``pos``, whose clause
        names an item or a fund (``names_part()``, asked only for an unclosed bracket) or not."""
        if not self.bracket:
            return False
        if self.close is not None:
            return pos > self.close
        return not names_part()


def bracket_pairs(text: str) -> dict[int, int | None]:
    """Each opening bracket's offset → the offset of the bracket closing it (None: left unclosed), in
    one pass (asides nested in a bracket are pairs of their own)."""
    pairs: dict[int, int | None] = {}
    opened: list[int] = []
    for i, c in enumerate(text):
        if c in "（(":
            opened.append(i)
            pairs[i] = None
        elif c in "）)" and opened:
            pairs[opened.pop()] = i
    return pairs
