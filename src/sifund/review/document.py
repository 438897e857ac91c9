"""A report as text: the normalised text (offsets refer to it) and a joined view for matching.

Readers (readers.py) produce the normalised ``text`` — what ``sifund extract --text`` prints and
what every Source offset points into. Real reports are hard-wrapped mid-phrase ("2020年社会保险基金
\\n\\n预算总收入43937万元"), so patterns run on ``view``: the same text with in-paragraph line
breaks removed, plus a map from each view index back to its index in ``text``.

``tables`` are the DOCX/PDF tables as grids (review/grid.py): true columns and spans of merged
cells, each cell placed in ``text``. The TAB line each table row becomes in ``text`` stays as it was;
a TXT report has none (its tables are only TAB/space lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sifund.core.model import Source
from sifund.review.grid import Grid


@dataclass
class Document:
    path: str
    kind: str  # "txt" | "docx" | "pdf"
    text: str  # normalised text; Source offsets refer to this
    view: str = ""  # text with hard wraps joined, for pattern matching
    view_map: list[int] = field(default_factory=list)  # view index -> text index (len(view)+1 entries)
    tables: list[Grid] = field(default_factory=list)  # DOCX/PDF tables in text order; offsets into text

    def __post_init__(self) -> None:
        if not self.view and not self.view_map:
            self.view = self.text
            self.view_map = list(range(len(self.text) + 1))

    def to_text_span(self, vstart: int, vend: int) -> tuple[int, int]:
        """Map a [vstart, vend) span of ``view`` to the matching span of ``text``."""
        start = self.view_map[vstart]
        end = self.view_map[vend - 1] + 1 if vend > vstart else start
        return start, end

    def source(self, vstart: int, vend: int) -> Source:
        """A Source quoting the normalised text for a span of the view."""
        s, e = self.to_text_span(vstart, vend)
        return Source(start=s, end=e, text=self.text[s:e], file=self.path)
