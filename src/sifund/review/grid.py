"""Tables as grids: rows × columns of cells with their spans, built by the DOCX and PDF readers.

Why: a table flattened to TAB lines loses where a merged cell sits — "一级指标" spanning two columns
becomes one TAB cell and every cell after it shifts left, a cell merged down three rows is repeated
(DOCX) or missing (PDF) on the rows below. A ``Grid`` keeps the true columns and row spans, and each
cell's offsets in ``Document.text``, so a consumer can read a table by position and still quote the
text. The TAB lines stay in the text exactly as the readers always wrote them (offsets, ``--text``
and the same view from TXT/DOCX/PDF do not change); a grid is an index over them.

The readers fill grids through :class:`GridBuilder` (positions in their output lines), then
:meth:`GridBuilder.finish` turns line positions into text offsets once the text is joined.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sifund.core.packaged import data_text, parse_validated, valid_regex

GRID_RULES = "sifund/data/review/grid.yaml"


# --------------------------------------------------------------------------- rules (grid.yaml)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class CaptionRules(_Strict):
    unit: str = Field(min_length=1)
    lines_above: int = Field(ge=0, le=10)
    title_max_chars: int = Field(ge=1)
    title_not_end: str = Field(min_length=1)

    @field_validator("unit", "title_not_end")
    @classmethod
    def _re(cls, v: str) -> str:
        return valid_regex(v)

    @field_validator("unit")
    @classmethod
    def _unit_group(cls, v: str) -> str:
        if "(?P<u>" not in v:
            raise ValueError("unit 须含命名组 (?P<u>…) must name the unit group u")
        return v


class PdfGridRules(_Strict):
    same_boundary: float = Field(gt=0, le=20)
    full_line_slack: float = Field(ge=1, le=3)
    line_tolerance: float = Field(gt=0, le=20)


class GridRules(_Strict):
    caption: CaptionRules
    pdf: PdfGridRules


@lru_cache(maxsize=1)
def grid_rules() -> GridRules:
    """data/review/grid.yaml, validated (every error names the file, the line and the key)."""
    return parse_validated(GridRules, data_text("review", "grid.yaml"), GRID_RULES)[0]


@lru_cache(maxsize=1)
def _caption_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    c = grid_rules().caption
    return re.compile(c.unit), re.compile(c.title_not_end)


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True)
class Cell:
    """One cell at its top-left grid position. ``start``/``end``: where ``text`` stands in
    ``Document.text`` (``text[start:end] == cell.text``); both -1 when the reader could not place
    it (a row line dropped as a page number, a repair that changed the line's cells)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    start: int = -1
    end: int = -1

    @property
    def rows(self) -> range:
        return range(self.row, self.row + self.rowspan)

    @property
    def cols(self) -> range:
        return range(self.col, self.col + self.colspan)


@dataclass(frozen=True)
class Grid:
    """A table: ``n_rows`` × ``n_cols`` grid positions covered by ``cells`` (row-major, each once).

    ``start``/``end``: the span of its row lines in the text; ``row_lines[r]``: the (start, end) of
    row r's TAB line, (-1, -1) when the row has none (a PDF row continued on the next page is part of
    the line of the row it continues). ``title``: the paragraph just above, when it reads as a
    caption; ``unit``: from a 单位：… line or caption above it, or a cell of its first row.
    ``parent``: (index in ``Document.tables``, row, col) of the cell a nested table sits in.
    ``pages``: the 1-based PDF pages it is on (a table going on over a page break is one grid).
    """

    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]
    start: int
    end: int
    row_lines: tuple[tuple[int, int], ...]
    title: str | None = None
    unit: str | None = None
    parent: tuple[int, int, int] | None = None
    pages: tuple[int, ...] = ()
    _at: dict[tuple[int, int], Cell] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        at: dict[tuple[int, int], Cell] = {}
        for c in self.cells:
            for r in c.rows:
                for k in c.cols:
                    at.setdefault((r, k), c)
        object.__setattr__(self, "_at", at)

    @property
    def shape(self) -> tuple[int, int]:
        return self.n_rows, self.n_cols

    def at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid position (row, col), merged or not; None for a hole."""
        return self._at.get((row, col))

    def row_cells(self, row: int) -> list[Cell]:
        """The cells that start in ``row``, left to right."""
        return [c for c in self.cells if c.row == row]

    def texts(self) -> list[list[str | None]]:
        """Every grid position's text, a merged cell's text at each position it covers (the way a
        reader sees "产出指标" beside each of the rows it spans); None for a hole."""
        out: list[list[str | None]] = []
        for r in range(self.n_rows):
            row: list[str | None] = []
            for k in range(self.n_cols):
                c = self._at.get((r, k))
                row.append(c.text if c is not None else None)
            out.append(row)
        return out


# --------------------------------------------------------------------------- building


@dataclass
class CellDraft:
    """A cell while a reader builds its grid: ``line``/``offset`` place its text in the reader's
    output lines (-1: not placed)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    line: int = -1
    offset: int = -1


class GridBuilder:
    """Cells added by grid position; row lines and the caption come from the reader's lines."""

    def __init__(self, parent: tuple[GridBuilder, int, int] | None = None) -> None:
        self.cells: list[CellDraft] = []
        self.n_rows = 0
        self.row_line: dict[int, int] = {}
        self.parent = parent
        self.pages: set[int] = set()
        self._at: dict[tuple[int, int], CellDraft] = {}

    def add(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> CellDraft:
        cell = CellDraft(row, col, text, max(1, rowspan), max(1, colspan))
        self.cells.append(cell)
        self._cover(cell)
        self.n_rows = max(self.n_rows, row + cell.rowspan)
        return cell

    def _cover(self, cell: CellDraft) -> None:
        for r in range(cell.row, cell.row + cell.rowspan):
            for k in range(cell.col, cell.col + cell.colspan):
                self._at.setdefault((r, k), cell)

    def adopt(self, cell: CellDraft) -> None:
        """A cell built for another grid (a table's part on the next page) joins this one."""
        self.cells.append(cell)
        self._cover(cell)
        self.n_rows = max(self.n_rows, cell.row + cell.rowspan)

    def covering(self, row: int, col: int) -> CellDraft | None:
        return self._at.get((row, col))

    def grow_down(self, cell: CellDraft, to_row: int) -> None:
        """A vertical merge goes on into ``to_row``."""
        if to_row >= cell.row + cell.rowspan:
            cell.rowspan = to_row - cell.row + 1
            self._cover(cell)
            self.n_rows = max(self.n_rows, to_row + 1)

    def finish(
        self, lines: Sequence[str], starts: Sequence[int], index: dict[int, int], table_lines: set[int]
    ) -> Grid:
        """The grid, offsets resolved: ``starts[i]`` is the text offset of ``lines[i]``; ``index``
        maps ``id(builder)`` to its place in ``Document.tables`` (for ``parent``); ``table_lines``:
        the lines that are rows of any table (a caption is not read across them)."""
        cells: list[Cell] = []
        for d in sorted(self.cells, key=lambda c: (c.row, c.col)):
            s = e = -1
            placed = 0 <= d.line < len(lines) and d.offset >= 0
            if placed and lines[d.line][d.offset : d.offset + len(d.text)] == d.text:
                s = starts[d.line] + d.offset
                e = s + len(d.text)
            cells.append(Cell(d.row, d.col, d.rowspan, d.colspan, d.text, s, e))
        row_lines = tuple(
            (starts[i], starts[i] + len(lines[i])) if (i := self.row_line.get(r, -1)) >= 0 else (-1, -1)
            for r in range(self.n_rows)
        )
        placed = [span for span in row_lines if span[0] >= 0]
        first = min((i for i in self.row_line.values() if i >= 0), default=-1)
        title, unit = caption(lines, first, table_lines, cells)
        parent = None
        if self.parent is not None:
            pb, pr, pc = self.parent
            if id(pb) in index:
                parent = (index[id(pb)], pr, pc)
        return Grid(
            n_rows=self.n_rows,
            n_cols=max((c.col + c.colspan for c in cells), default=0),
            cells=tuple(cells),
            start=min((s for s, _ in placed), default=-1),
            end=max((e for _, e in placed), default=-1),
            row_lines=row_lines,
            title=title,
            unit=unit,
            parent=parent,
            pages=tuple(sorted(self.pages)),
        )


def caption(
    lines: Sequence[str],
    first: int,
    table_lines: set[int] | frozenset[int] = frozenset(),
    cells: Sequence[Cell] = (),
) -> tuple[str | None, str | None]:
    """(title, unit) of a table whose first row is ``lines[first]``.

    Up to ``caption.lines_above`` non-blank lines above it are read, nearest first, never across a
    table row (``table_lines``: another table, or the row a nested table sits in). A line saying
    单位：万元 gives the unit; when that is all it says, the title is looked for above it. The first
    other line is the title when it is short and does not end like prose ("…具体见下表。" is not a
    title but its "（单位：万元）" still gives the unit). A cell of the first row saying 单位：… gives
    the unit when no line above does."""
    rules = grid_rules().caption
    unit_rx, prose_end = _caption_res()
    title: str | None = None
    unit: str | None = None
    seen = 0
    i = first - 1
    while first > 0 and i >= 0 and seen < rules.lines_above:
        if i in table_lines:
            break
        line = lines[i].strip()
        i -= 1
        if not line:
            continue
        seen += 1
        m = unit_rx.search(line)
        if m and unit is None:
            unit = m.group("u")
            if not (line[: m.start()] + line[m.end() :]).strip(" \t（()）"):
                continue  # a bare unit line: the title is above it
        if len(line) <= rules.title_max_chars and not prose_end.search(line):
            title = line
        break
    if unit is None:
        for c in cells:
            if c.row == 0 and (m := unit_rx.search(c.text)):
                unit = m.group("u")
                break
    return title, unit


def line_starts(lines: Sequence[str]) -> list[int]:
    """The text offset of each line of ``"\\n".join(lines)``."""
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def finish_all(builders: Sequence[GridBuilder], lines: Sequence[str]) -> list[Grid]:
    """The grids of a document whose text is ``"\\n".join(lines)``, in text order (a nested table
    after the row it sits in); a table none of whose rows has a line is left out."""
    placed = [b for b in builders if any(i >= 0 for i in b.row_line.values())]
    order = sorted(placed, key=lambda b: min(i for i in b.row_line.values() if i >= 0))
    index = {id(b): k for k, b in enumerate(order)}
    table_lines = {i for b in builders for i in b.row_line.values() if i >= 0}
    starts = line_starts(lines)
    return [b.finish(lines, starts, index, table_lines) for b in order]


# --------------------------------------------------------------------------- PDF cell boxes


def box_spans(
    boxes: Sequence[tuple[float, float, float, float]],
) -> tuple[list[float], list[float], list[tuple[int, int, int, int]]]:
    """Grid positions of table cell boxes (x0, top, x1, bottom), pdfplumber's way: the column
    boundaries are the distinct x0 of the boxes, the row boundaries the distinct tops (as
    ``Table.rows``/``columns`` index them). A box spans every boundary it covers: (row, col,
    rowspan, colspan) per box, in the order given. Returns (xs, tops, spans)."""
    xs = sorted({b[0] for b in boxes})
    tops = sorted({b[1] for b in boxes})
    eps = 1e-6
    spans: list[tuple[int, int, int, int]] = []
    for x0, top, x1, bottom in boxes:
        c = bisect_left(xs, x0)
        r = bisect_left(tops, top)
        cs = max(1, bisect_left(xs, x1 - eps) - c)
        rs = max(1, bisect_left(tops, bottom - eps) - r)
        spans.append((r, c, rs, cs))
    return xs, tops, spans


__all__ = [
    "Cell",
    "CellDraft",
    "Grid",
    "GridBuilder",
    "GridRules",
    "box_spans",
    "caption",
    "finish_all",
    "grid_rules",
    "line_starts",
]
