"""The report as a list of blocks — built once (report.build_blocks), written by every format.

DOCX, HTML and TXT walk the same blocks, so the three carry the same sentences and the same
table by construction; only the typesetting differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sifund.core.numbers import format_number, format_percent

CellKind = Literal["title", "subtitle", "header", "label", "text", "money", "percent", "score", "signoff"]


@dataclass
class Cell:
    row: int
    col: int
    value: str | float | None
    kind: CellKind = "text"
    rowspan: int = 1
    colspan: int = 1

    def display(self) -> str:
        """The cell as printed: money and scores with two decimals, rates with a percent sign."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, str):
            return v
        if self.kind == "percent":
            return format_percent(v)
        return format_number(v, 2)


@dataclass
class Grid:
    """A table with merged cells: the 自评表 shared by the XLSX, the DOCX and the HTML."""

    ncols: int
    cells: list[Cell] = field(default_factory=list)
    header_rows: int = 0  # rows repeated on every printed page
    repeat_row: int | None = None  # heads the long part (指标 rows): repeated atop each DOCX page
    footer_row: int | None = None  # first row of the 填报 block under the table (no borders)

    @property
    def nrows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    def add(
        self,
        row: int,
        col: int,
        value: str | float | None,
        kind: CellKind = "text",
        rowspan: int = 1,
        colspan: int = 1,
    ) -> Cell:
        cell = Cell(row, col, value, kind, rowspan, colspan)
        self.cells.append(cell)
        return cell

    def rows(self) -> list[list[Cell]]:
        """Anchor cells per row, left to right (merged-away positions omitted)."""
        out: list[list[Cell]] = [[] for _ in range(self.nrows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out


@dataclass
class Heading:
    text: str
    level: int  # 0 = document title, 1 = 一、, 2 = （一）


@dataclass
class Para:
    text: str


@dataclass
class ChartRef(Para):
    """The sentence that refers to charts ("…见图1。"): printed where the charts are, left out of
    the plain text, which has no charts to refer to."""


@dataclass
class Cover:
    title: str
    subtitle: str
    lines: list[tuple[str, str]]


@dataclass
class Table:
    grid: Grid
    title: str = ""


@dataclass
class Chart:
    key: str
    title: str
    png: bytes


Block = Heading | Para | Cover | Table | Chart
