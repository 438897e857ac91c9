"""Figures stated in tables: header row → measures, row label → fund and item, cells → figures.

Budget-execution tables (DOCX/PDF tables arrive as TAB-separated view lines) put one item per row
("基金收入", "其中：保险费收入") under a fund-name row ("一、企业职工基本养老保险基金") or beside a
fund column, and one measure per column (上年实际数/年初预算数/调整后预算数/本年执行数/完成预算%/
同比增减%). The column words, unit lines, total-row words and the pipe-row syntax are data
(``tables`` in data/review/extract.yaml); the measure words are the lexicon's classes it names.

A DOCX/PDF table is read from its grid (``Document.tables``, review/grid.py): each row's cells at
their true columns, a merged header cell over every column it spans ("基金收入" over 预算数/调整后预
算数/决算数), a merged label beside every row it covers, a number only in its own cell. Its figures
say ``production: TABLE_GRID``. The header cells are classified by the same words as a TXT table's.
A row the grid cannot give whole (a cell not placed in the text) and a table no grid was found for
are read from their lines (``TABLE_ROW``): merged and empty leading cells are lost when a table is
flattened, so a row with fewer cells than its header is aligned to the right (the values end every
row), and an upper header row with fewer cells is spread evenly over the lower one.

A TXT report's table comes as TAB rows, as rows of cells parted by spaces, or as pipe rows
("项目 | 预算数 | 累计执行数", with or without outer pipes, "|---|---|" rows under the header). A unit
stated for the table ("单位：元" above it or in a header cell) or for one column ("预算数（元）")
scales the amounts of its money columns; rates stay in %.

A header cell may name its item and its measure at once ("全年预算收入", "收入进度(%)", "1-6月累计支出",
"期末累计结余"): the words left once the measure words and the period (``tables.column_period``) are
taken out name the column's item, and the rows are then funds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from sifund.core.codes import codebook
from sifund.core.lexicon import alternation
from sifund.core.numbers import UNITS, NumberError, parse_quantity
from sifund.review.funds import fund_mentions
from sifund.review.labels import label_item, without_funds
from sifund.review.lookup import sane_quantity
from sifund.review.rules import Rules, extract_rules, fast_start

if TYPE_CHECKING:
    from sifund.review.clauses import ClauseParser
    from sifund.review.document import Document
    from sifund.review.grid import Grid

RATE_MEASURES = ("completion_rate", "yoy_rate")

# The ``production`` a table figure records (the figure extras contract): read from a row of a TXT
# table (TAB, space or pipe cells, aligned by the heuristics) or from a DOCX/PDF grid's row (cells at
# their true columns, merged cells where they stand).
TABLE_ROW = "TABLE_ROW"
TABLE_GRID = "TABLE_GRID"

Cells = list[tuple[str, int, int]]  # (text, view start, view end) per cell; (-1, -1): nowhere in the view


def _pipe() -> re.Pattern[str]:
    """A pipe row's cell separator (``tables.pipe``: | and ｜)."""
    return extract_rules().spec.tables.pipe


@dataclass
class _Table:
    columns: list[str | None]  # measure per column; None for label columns
    unit: str
    items: list[str | None] = field(default_factory=list)  # item per column when the header names items
    fund: str | None = None
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (fund, item, group) of rows seen
    space: bool = False  # flattened to text: columns separated by spaces, not TABs
    section_item: str | None = None  # item-major table: "一、基金收入合计" then one row per fund
    fund_heads: bool = False  # fund-major table: a fund-name row (no values) heads the rows below it
    open_parent: tuple[str, str] | None = None  # (fund, group) of the total an open 其中 list belongs to
    funds: list[str | None] = field(default_factory=list)  # fund per column when the header names funds
    title_item: str | None = None  # the item the table's title names ("…收入预算执行情况")
    header: list[str] = field(default_factory=list)  # the header row's cell texts
    units: list[str | None] = field(default_factory=list)  # unit per column when its header cell states one
    part_items: set[str] = field(default_factory=set)  # items of rows by source ("中央财政补助资金")
    parts_group: str | None = None  # the clause group of their 合计 row (the parts' ``of_which``)
    title_fund: str | None = None  # the one fund the table's title names ("工伤保险基金收支情况表")
    grid: bool = False  # read from a DOCX/PDF grid: a line that is none of its rows ends it


_WS = re.compile(r"\s")  # blanks, taken out of cells and labels (module-level re.sub looked it up per call)
_CELL_TAIL = re.compile(r"[\s（(].*$")  # a header cell's words after its first blank or bracket


@cache
def _lead_of_which(pattern: str) -> re.Pattern[str]:
    """The 其中 marker (rule of_which) opening a header cell."""
    return re.compile("^\\s*" + pattern)


def _header_unit(cell: str) -> str | None:
    """The unit a header cell closes with ("预算数（元）" → 元, "增长(%)" → %), if it is a known unit."""
    t = extract_rules().spec.tables
    m = t.unit_bracket.search(_WS.sub("", cell))
    if m is None:
        return None
    unit = t.unit_words.get(m.group("u"), m.group("u"))
    return unit if unit in UNITS else None


def column_measure(cell: str) -> str | None:
    """The measure a header cell names, the first of ``tables.columns`` whose words it holds.

    Its unit is not part of the name ("比上年增减（万元）" is a change): a "%" makes a change column
    its rate ("比上年增减(%)").
    """
    t = _WS.sub("", cell)
    unit = _header_unit(t)
    if unit is not None:
        t = extract_rules().spec.tables.unit_bracket.sub("", t)
    for measure, rx in _columns():
        if rx.search(t):
            return "yoy_rate" if measure == "yoy_change" and unit == "%" else measure
    return None


def _no_aside(label: str) -> str:
    """A label without its fund aside ("职工基本医疗保险基金（含生育保险）收入" → "…基金收入"): the aside
    says what the fund includes, the item is named after it (as in prose, ``fund_aside``)."""
    return extract_rules().re("fund_aside").sub("", label)


def _column_item(cell: str) -> str | None:
    """The item a header cell names in full ("基金收入", "年末滚存结余"), if any."""
    # "其中：保险费收入": a part column names its item after the 其中 marker
    cell = _no_aside(_lead_of_which(extract_rules().spec.of_which.pattern).sub("", cell))
    cell = _CELL_TAIL.sub("", cell)
    item, rest = label_item(cell)
    if item is not None and rest in ("", "基金"):
        return item
    return _measured_item(cell)


def _measured_item(cell: str) -> str | None:
    """The item of a header cell that names its measure and its period with it ("全年预算收入":
    收入 budgeted; "收入进度": 收入's rate; "1-6月累计支出"): the words left once the measure words
    (``tables.columns``) and the period (``tables.column_period``) are taken out name only the item."""
    t = extract_rules().spec.tables
    for _, rx in _columns():
        cell = rx.sub("", cell)
    item, rest = label_item(cell)
    if item is None or not cell:
        return None
    return item if rest in ("", "基金") or t.column_period.fullmatch(rest) else None


_CHANGE_MEASURES = ("yoy_change", "yoy_rate")


def _change_column_items(
    items: list[str | None], measures: list[str | None], header: list[str]
) -> list[str | None]:
    """Columns "年末参保人数（人） | 比上年增减（人）": a change column that names no item is the change of
    the item column just left of it (the level it follows), when its unit, if it states one, is that
    item's kind or a rate. Without an item column before it (items as rows) it stays item-less."""
    cb = codebook()
    out = list(items)
    for k, (item, measure) in enumerate(zip(items, measures, strict=True)):
        if item is not None or measure not in _CHANGE_MEASURES or k == 0:
            continue
        left, left_measure = items[k - 1], measures[k - 1]
        if left is None or left_measure in _CHANGE_MEASURES:
            continue
        unit = _header_unit(header[k])
        if unit is not None and unit != "%" and UNITS[unit][0] != cb.items[left].kind:
            continue
        out[k] = left
    return out


def _columns() -> list[tuple[str, re.Pattern[str]]]:
    return _columns_of(extract_rules())


@cache
def _columns_of(rules: Rules) -> list[tuple[str, re.Pattern[str]]]:
    """The column measures' patterns (``tables.columns``) in order, each ``fast_start``-ed once."""
    return [(k, fast_start(rx)) for k, rx in rules.spec.tables.columns.items()]


@cache
def _of_which_row() -> re.Pattern[str]:
    """A row label that opens or continues a 其中 list ("其中：保险费收入")."""
    return re.compile(r"\s*" + alternation("of_which"))


class TableReader:
    """Consumes the table lines of the body for a ClauseParser (which owns the figures)."""

    def __init__(self, parser: ClauseParser) -> None:
        self.p = parser
        t = extract_rules().spec.tables
        self.unit_rx = t.unit_line
        self.total_rx = t.total_row
        self.strip_rx = t.label_strip
        self.value_rx = t.value_cell
        self.wrapped_rx = t.wrapped_value_cell
        self.end_rx = t.table_end
        self.rule_row_rx = t.rule_row
        self.only_unit_rx = t.only_unit
        self.pending_unit: str | None = None
        self.pending_item: str | None = None
        self.pending_fund: str | None = None
        self.title_rx = t.title_line
        self.title_items = list(t.title_items.items())
        self.table: _Table | None = None
        self.page_rx = t.page_line
        self.continued_rx = t.continued_title
        self.last: _Table | None = None  # the latest table that had rows: a page break may continue it
        self.continues = False  # a "续表" title was read: the next header goes on with ``last``
        self.gap = 0  # lines fed since the latest table row, "续表" title or page line
        self.carry = ""
        self.carry_max = t.split_label_max
        self.space_row_rx = t.space_row
        self.space_cell_max = t.space_header_cell_max
        self.item_total_rx = t.item_total_row
        self.year_rx = t.column_year
        self.year: int | None = None
        self.production = TABLE_ROW
        # text offset where a grid row's TAB line starts -> (index in Document.tables, row)
        self.grid_rows = {
            span[0]: (gi, r)
            for gi, g in enumerate(parser.doc.tables)
            for r, span in enumerate(g.row_lines)
            if span[0] >= 0
        }
        self.grid_header: tuple[int, int] | None = None  # (grid, row) of the header row read last
        self.in_grid = False  # the line being fed is a row of a DOCX/PDF grid
        self.opening_apart: bool | None = None  # an opening budget stated apart (once per document)

    def feed(self, line: str, start: int) -> bool:
        """True when ``line`` (a view line starting at ``start``) was a table line and is done with."""
        done = self._feed_line(line, start)
        if not done:
            self.last = None  # prose between: a header after it starts a table of its own
        return done

    def _feed_line(self, line: str, start: int) -> bool:
        self.in_grid = self._grid_row_at(line, start) is not None
        if self.grid_rows:
            done = self._feed_grid_row(line, start)
            if done is not None:
                return done
        self.production = TABLE_ROW
        if "\t" not in line and _pipe().search(line):
            rows = self._text_lines(line, start)
            if len(rows) > 1:
                return self._feed_rows(rows)
        return self._feed(line, start)

    def _text_lines(self, line: str, start: int) -> list[tuple[str, int]]:
        """The view line cut where the report's text breaks lines.

        The view joins hard-wrapped lines, and it knows TAB rows as table rows but not pipe rows, so a
        pipe header ("… | 比上年同期增长") and the row under it can come as one view line. A table row
        is one line of the text, so the text's line breaks part the rows again; lines with no pipe
        stay joined (a wrapped sentence before the table is one sentence)."""
        doc = self.p.doc
        vm, text = doc.view_map, doc.text
        out: list[tuple[str, int]] = []
        cut = 0
        for i in range(1, len(line)):
            if text.find("\n", vm[start + i - 1], vm[start + i]) >= 0:
                out.append((line[cut:i], start + cut))
                cut = i
        out.append((line[cut:], start + cut))
        merged: list[tuple[str, int]] = []
        for row, s in out:
            if merged and not _pipe().search(row) and not _pipe().search(merged[-1][0]):
                merged[-1] = (merged[-1][0] + row, merged[-1][1])
            else:
                merged.append((row, s))
        return merged

    def _feed_rows(self, rows: list[tuple[str, int]]) -> bool:
        """Feed the text lines of one view line as rows; a line that is no table row (prose the view
        joined to a pipe row) is read as prose afterwards. False when none was a table line."""
        prose = [(row, s) for row, s in rows if not self._feed(row, s)]
        if len(prose) == len(rows):
            return False
        if prose:
            self.last = None
        for row, s in prose:
            self.p._line(row, s)
        return True

    def _grid_row_at(self, line: str, start: int) -> tuple[int, int] | None:
        """(grid, row) of a view line that is a row of a DOCX/PDF grid, else None."""
        if not self.grid_rows:
            return None
        vm = self.p.doc.view_map
        lead = start + len(line) - len(line.lstrip())
        return self.grid_rows.get(vm[lead]) if lead < len(vm) else None

    def _feed_grid_row(self, line: str, start: int) -> bool | None:
        """``feed`` for a view line that is a row of a DOCX/PDF grid, read by the grid's columns: None
        when it is no grid row, or one the grid cannot give whole (a cell it could not place in the
        text, a row with one cell: a fund-name row or a caption), which the line path reads."""
        doc = self.p.doc
        at = self._grid_row_at(line, start)
        if at is None:
            return None
        gi, r = at
        cells = _grid_cells(doc, doc.tables[gi], r, self.value_rx)
        if cells is None:
            return None
        self.production = TABLE_GRID
        before = self.table
        stacked = self.grid_header == (gi, r - 1)
        done = self._feed(line, start, cells, stacked)
        made = self.table is not None and self.table is not before and not self.table.rows
        self.grid_header = (gi, r) if made else None
        return done

    def _feed(self, line: str, start: int, grid_cells: Cells | None = None, stacked: bool = False) -> bool:
        """``feed`` for one table row or one other line. ``grid_cells``: the row's cells at their grid
        columns (a DOCX/PDF table); ``stacked``: the row right under a header row of the same grid."""
        text = line.strip()
        if self.table is not None and self.table.rows:
            self.last = self.table
        pipes = "\t" not in text and _pipe().search(text) is not None
        if pipes and self.rule_row_rx.match(text):
            return True  # "|---|---|" under a pipe header: a table line with nothing in it
        if self.table is not None and self.page_rx.match(text):
            self.gap = 0
            return True  # "第 1 页，共 2 页" between a table's pages: the table goes on
        self.gap += 1
        u = self.unit_rx.search(text)
        if u:
            self.pending_unit = u.group("u")
        if self._continued_title(text, pipes):
            return True
        title = self.title_rx.search(text) is not None and "\t" not in text and not pipes
        if title:
            if u is None or not self.only_unit_rx.fullmatch(self.unit_rx.sub("", text)):
                # a title; a unit line under it ("单位：元") keeps what the title named
                named = [item for item, rx in self.title_items if rx.search(text)]
                self.pending_item = named[0] if len(named) == 1 else None
                self.pending_fund = self._title_fund(text)
            self.table = self.last = None  # a table's title (or unit line) starts the next table
        if grid_cells is not None:
            cells: Cells | None = self._unwrap(grid_cells)
        elif "\t" in text:
            cells = self._unwrap(_split(line, start))
        elif pipes:
            cells = self._unwrap(_pipe_cells(line, start))
        else:
            cells = self._space_cells(line, start)
        if cells is None:
            if self.table is None:
                if not title:
                    self.pending_fund = None  # a title's fund is its table's, with nothing between
                return False
            label = self.carry + self.strip_rx.sub("", text)
            self.carry = ""
            fund = self._fund_of(label)
            if fund is not None and len(label) <= 40:  # a fund-name row, other cells empty
                from sifund.review.funds import heading_level

                if self.table.grid and not self.in_grid and heading_level(text) is not None:
                    # a numbered heading after a DOCX/PDF table that is no row of its grid ("（二）城乡
                    # 居民基本养老保险基金" under 表1): the table has ended, the heading is the parser's.
                    # (A page's running title between a table's rows is no heading: the table goes on.)
                    self.table = None
                    return False
                self._fund_heading(fund)
                if self.table.space:
                    # a heading right after a text table ("（一）机关事业单位…") is the parser's too
                    return heading_level(text) is None
                return True
            if len(label) <= self.carry_max and not self.end_rx.search(label):
                self.carry = label  # a label cell split by a page break ("四、城乡" / "居民基本医疗…")
                return True
            if self.end_rx.search(text) or len(text) > 40:
                self.table = None
            return False
        in_year = any(extract_rules().spec.tables.in_year_header.search(c) for c, _, _ in cells)
        measures = [self._cell_measure(c, in_year) for c, _, _ in cells]
        items = [_column_item(c) for c, _, _ in cells]
        if sum(m is not None or i is not None for m, i in zip(measures, items, strict=True)) >= 2:
            if self._continue([c for c, _, _ in cells]):
                return True
            prev = self.table if self.table is not None and not self.table.rows else None
            inherit = prev if prev is not None else (self.last if self.continues else None)
            above = _spread([c for c, _, _ in cells], prev.header) if prev is not None else None
            if above is None and stacked and prev is not None and len(prev.header) == len(cells):
                above = prev.header  # a grid's header rows: the upper one at the same columns
            if above is not None:
                # second header row under merged cells ("基金收入" over "预算数 | 决算数"): the upper
                # cell names the item of every column below it
                items = [i or _column_item(a) for i, a in zip(items, above, strict=True)]
            # "险种 | 基金收入 | 基金支出 | 滚存结余": item columns hold actuals unless a measure is named
            measures = [
                m or ("actual" if i is not None else None) for m, i in zip(measures, items, strict=True)
            ]
            measures = [self._year_measure(c, m) for (c, _, _), m in zip(cells, measures, strict=True)]
            items = _change_column_items(items, measures, [c for c, _, _ in cells])
            unit = inherit.unit if inherit is not None and self.pending_unit is None else self.pending_unit
            units = [_header_unit(c) for c, _, _ in cells]
            if prev is not None and above is not None:
                # "基金收入（元）" over "预算数 | 决算数": the upper cell's unit is its columns'
                upper = [_header_unit(a) for a in above]
                units = [u or a for u, a in zip(units, upper, strict=True)]
            self.table = _Table(
                columns=measures,
                items=items,
                unit=unit or "万元",
                space="\t" not in text and not pipes,
                title_item=inherit.title_item if inherit is not None else self.pending_item,
                header=[c for c, _, _ in cells],
                units=units,
                fund=inherit.fund if inherit is not None else self.pending_fund,
                title_fund=inherit.title_fund if inherit is not None else self.pending_fund,
                grid=self.in_grid,
            )
            self.pending_unit = self.pending_item = self.pending_fund = None
            self.continues = False
            return True
        funds = [self._fund_of(self.strip_rx.sub("", c)) for c, _, _ in cells]
        if (
            sum(f is not None for f in funds) >= 2
            and not any(measures)
            and not any(self.value_rx.match(c) for c, _, _ in cells)
        ):
            # "项目 | 机关事业单位基本养老保险基金 | 城乡居民基本养老保险基金 | 合计": funds as columns,
            # items as rows; the cells are actuals (a 决算 table) unless the title names a measure
            if self._continue([c for c, _, _ in cells]):
                return True
            inherit = self.last if self.continues else None
            self.table = _Table(
                columns=["actual" if f else None for f in funds],
                funds=funds,
                unit=self.pending_unit or (inherit.unit if inherit is not None else "万元"),
                space="\t" not in text and not pipes,
                header=[c for c, _, _ in cells],
                grid=self.in_grid,
            )
            self.pending_unit = None
            self.continues = False
            return True
        if self.table is None:
            return False
        if self.table.funds:
            self._fund_row(cells)
        else:
            self._row(cells)
        self.gap = 0
        return True

    def _continued_title(self, text: str, pipes: bool) -> bool:
        """A "续表" / "表1（续）" line after a table: the next header goes on with that table. True when
        ``text`` is such a line (done with: it is no prose)."""
        if pipes or "\t" in text or self.last is None or len(text) > 40:
            return False
        if not self.continued_rx.search(_WS.sub("", text)):
            return False
        self.table, self.continues, self.gap = None, True, 0
        return True

    def _continue(self, header: list[str]) -> bool:
        """A header row repeated after a page break (or after "续表") equal to the open table's or the
        latest one's: that table goes on, with its unit, fund and item (a new table would take the
        default unit and read 元 cells as 万元). Only right after a row, a page line or a "续表" title:
        with anything between (a fund line, prose), the header opens a table of its own. True when the
        header continued a table."""
        if self.gap > 1:
            return False
        key = [_WS.sub("", c) for c in header]
        for tb in (self.table, self.last):
            if tb is None or not tb.rows or [_WS.sub("", c) for c in tb.header] != key:
                continue
            if self.pending_unit is not None and self.pending_unit != tb.unit:
                continue  # a unit line of its own: a new table with the same columns
            self.table, tb.open_parent, self.continues = tb, None, False
            self.pending_unit = self.pending_item = self.pending_fund = None
            return True
        return False

    def _report_year(self) -> int:
        if self.year is None:
            from sifund.review.header import read_header

            self.year = read_header(self.p.doc.view).year or 0
        return self.year

    def _cell_measure(self, cell: str, in_year: bool) -> str | None:
        """The measure of a header cell (``column_measure``), in this document: a cell that is only a
        year ("2023年（万元）", "2022年") is the report year's actual or the year before's prior, any
        other year no measure (a three-year table's oldest column restates nothing of this report).
        ``in_year``: the header has a column of part of the year ("1-9月累计执行数"), which makes its
        全年预算数 the budget (``_full_year_budget``)."""
        t = extract_rules().spec.tables
        measure = column_measure(cell)
        if measure is not None and t.sub_period_header.search(re.sub(r"\s", "", cell)):
            return None  # "本季度执行数" beside "1-9月累计执行数": a part of the period only
        if measure == "budget_adjusted" and t.full_year_budget.search(re.sub(r"\s", "", cell)):
            return self._full_year_budget(in_year)
        if measure is not None:
            return measure
        bare = re.sub(r"\s", "", cell)
        bare = t.unit_bracket.sub("", bare) if _header_unit(bare) is not None else bare
        y = self.year_rx.fullmatch(bare)
        if y is None:
            return None
        year = int(y.group("y"))
        return {self._report_year(): "actual", self._report_year() - 1: "prior"}.get(year)

    def _full_year_budget(self, in_year: bool) -> str:
        """The measure of a 全年预算数 column: the budget where a note defines it as the opening one,
        or in an in-year table of a report stating no opening budget apart; else the adjusted budget
        (a year-end table's 全年 against its 年初)."""
        t = extract_rules().spec.tables
        view = self.p.doc.view
        if self.opening_apart is None:
            self.opening_apart = t.opening_budget_stated.search(view) is not None
        if t.full_year_is_opening.search(view) or (in_year and not self.opening_apart):
            return "budget"
        return "budget_adjusted"

    def _year_measure(self, cell: str, measure: str | None) -> str | None:
        """A "2022年决算数" column in a 2023 report: last year's column (prior)."""
        y = self.year_rx.search(cell)
        if measure is None or y is None:
            return measure
        return "prior" if int(y.group("y")) == self._report_year() - 1 else measure

    def _fund_row(self, cells: list[tuple[str, int, int]]) -> None:
        """A row of a table whose columns are funds: its label names the item, each cell one fund's."""
        tb = self.table
        assert tb is not None
        n = len(tb.columns)
        if len(cells) < n:
            cells = [("", -1, -1)] * (n - len(cells)) + cells
        cells = cells[-n:]
        # the label is words: a number outside the fund columns is a line number ("行次") or a column
        # the reader does not take (an account's: "其中：个人账户"), never the row's item
        labels = [
            c for (c, _, _), f in zip(cells, tb.funds, strict=True)
            if f is None and c and not self.value_rx.match(c.strip())
        ]
        if not labels:
            return
        of_which = bool(_of_which_row().match(labels[-1]))
        label = _no_aside(self.strip_rx.sub("", labels[-1]))
        item, rest = label_item(label)
        if item is None:
            tb.open_parent = None
            return
        measure = self._row_measure(label, item, rest)
        cb = codebook()
        kind = cb.items[item].kind
        unit = extract_rules().spec.tables.kind_units.get(kind, tb.unit)
        # 其中 rows are parts of the latest row of an ancestor item ("一、基金收入" / "其中：保险费收入" /
        # "财政补贴收入"); a row of a non-descendant item closes the list
        parent_item = None
        if of_which or tb.open_parent is not None:
            parent_item = next((it for _f, it, _g in reversed(tb.rows) if it in cb.ancestors(item)), None)
        tb.open_parent = ("", parent_item) if parent_item is not None else None
        for (c, vs, ve), fund in zip(cells, tb.funds, strict=True):
            if fund is None or not self.value_rx.match(c.strip()):
                continue
            try:
                q = parse_quantity(c.strip() + unit)
            except NumberError:
                continue
            if q.kind != kind or not sane_quantity(q):  # too large to be a figure: skipped like text
                continue
            parent = next((g for f, it, g in reversed(tb.rows) if f == fund and it == parent_item), None)
            extra: dict = {"of_which": parent} if parent is not None else {}
            extra["attribution"] = {"fund": "table", "item": "table"}
            extra["production"] = self.production
            group = self.p._new_group()
            self.p._add(
                fund,
                item,
                measure,
                float(q.canonical),
                float(q.canonical_precision),
                q.unit,
                vs,
                ve,
                group,
                "subject" if measure == "actual" else "table_cell",
                **extra,
            )
            tb.rows.append((fund, item, group))

    @staticmethod
    def _same_date(head: str, item: str) -> bool:
        """Whether a prior cell is a stock on last year's same date (``tables.same_date_header``
        over a ``same_date_items`` row), not last year's closing figure."""
        t = extract_rules().spec.tables
        return item in t.same_date_items and bool(t.same_date_header.search(head))

    @staticmethod
    def _row_measure(label: str, item: str, rest: str) -> str:
        """The measure of a row of a funds-as-columns table: its cells are actuals (a 决算 table)
        unless the label names last year's or a budgeted figure of its item ("上年末滚存结余",
        "预算收入", "调整预算支出" under "年末滚存结余" and "一、基金收入" rows), as a header cell does
        (``tables.columns``); the rest of the label must name that item and nothing else."""
        m = column_measure(label)
        if m not in ("prior", "budget", "budget_adjusted"):
            return "actual"
        if _measured_item(label) == item:
            return m
        # "年初预算支出": the words before the item are a measure and a period only
        for _, rx in _columns():
            rest = rx.sub("", rest)
        t = extract_rules().spec.tables
        return m if rest in ("", "基金") or t.column_period.fullmatch(rest) else "actual"

    def _unwrap(self, cells: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Numbers wrapped inside narrow cells ("8230 0.00") joined again; the span stays the cell's."""
        out = []
        for c, vs, ve in cells:
            if self.wrapped_rx.match(c):
                joined = _WS.sub("", c)
                if self.value_rx.match(joined):
                    c = joined
            out.append((c, vs, ve))
        return out

    def _space_cells(self, line: str, start: int) -> list[tuple[str, int, int]] | None:
        """Cells of a table flattened with spaces: a header of short cells naming ≥2 measures (no
        table open), or a row "label value value…" of the open space table; None otherwise."""
        text = line.strip()
        lead = start + len(line) - len(line.lstrip())
        if self.table is None:
            if text.count(" ") < 2:
                return None  # fewer than three cells (most prose lines)
            cells = _split(text, lead, " ")
            if len(cells) >= 3 and all(len(c) <= self.space_cell_max for c, _, _ in cells):
                return cells
            return None
        if not self.table.space:
            return None
        m = self.space_row_rx.match(text)
        if m is None:
            return None
        return [
            *_split(m.group("label"), lead + m.start("label")),
            *_split(m.group("values"), lead + m.start("values"), " "),
        ]

    def _title_fund(self, title: str) -> str | None:
        """The one fund a table's title names ("工伤保险基金收支预算执行情况表"): the fund of its rows
        that name none ("基金收入 | …"). Not the funds together ("社会保险基金…"): such a title heads
        tables of per-fund rows as well as of totals."""
        funds = {m.fund for m in fund_mentions(_WS.sub("", title))}
        return funds.pop() if len(funds) == 1 and "all" not in funds else None

    def _qualifier(self, rest: str) -> str | None:
        """The source or level a row label puts before its item ("县级" of "县级财政补助资金",
        ``tables.qualifier``): the row is a part of that item, not the item."""
        m = extract_rules().spec.tables.qualifier.fullmatch(_WS.sub("", without_funds(rest)))
        return m.group() if m is not None else None

    def _total_only(self, label: str) -> bool:
        """The label is a total row's and names nothing else ("合计", "总计", "四项基金合计")."""
        return self.total_rx.search(label) is not None or not without_funds(label)

    def _fund_heading(self, fund: str) -> None:
        """A fund-name row with no values ("一、机关事业单位基本养老保险基金", "三项基金合计" merged
        across the table): the table is fund-major, its rows below are that fund's. Its "收入合计" /
        "支出合计" rows are then the fund's totals, not the all-funds total of an item-major table
        ("一、基金收入合计" over one row per fund)."""
        tb = self.table
        assert tb is not None
        tb.fund, tb.fund_heads, tb.section_item = fund, True, None

    def _fund_of(self, label: str) -> str | None:
        if self.total_rx.search(label):
            return "all"
        ms = fund_mentions(_WS.sub("", label))
        return ms[0].fund if ms else None

    def _row(self, cells: list[tuple[str, int, int]]) -> None:
        tb = self.table
        assert tb is not None
        n = len(tb.columns)
        if tb.space and len(cells) == 2 and n > 2 and "actual" in tb.columns:
            # "其中：基础养老金支出  10,958.62": a lone value of a text table is the actual
            row = [cells[0]] + [("", -1, -1)] * (n - 1)
            row[tb.columns.index("actual")] = cells[1]
            cells = row
        if len(cells) < n:
            pad = [("", -1, -1)] * (n - len(cells))
            n_labels = sum(1 for m in tb.columns if m is None)
            lead = next(
                (k for k, (c, _, _) in enumerate(cells) if self.value_rx.match(c.strip())), len(cells)
            )
            # all label cells present: the empty cells lost are the trailing ones ("当年收支结余" rows
            # with no rate); otherwise merged/empty leading cells were lost and the values end the row
            cells = cells + pad if lead == n_labels else pad + cells
        cells = cells[-n:]
        # a column whose header names no measure the reader knows ("未到位数", "差额") is no label
        # column when its cell is a number: the label is the words of the row
        labels = [c for (c, _, _), m in zip(cells, tb.columns, strict=True)
                  if m is None and c and not self.value_rx.match(c.strip())]
        if not labels:
            return
        of_which = bool(_of_which_row().match(labels[-1]))
        raw = [_no_aside(self.strip_rx.sub("", c)) for c in labels]
        item, rest = label_item(raw[-1])
        total = self.item_total_rx.search(raw[-1])
        if item is None and total is not None and total.start() > 0:
            # "四项基金本期收支结余合计": the total row of an item that has no "…合计" alias
            item, rest = label_item(raw[-1][: total.start()])
        fund = None
        # a fund name inside the item's own words ("代缴基本医疗保险费") names no fund
        for c in [*raw[:-1], rest if item is not None else raw[-1]]:
            f = self._fund_of(c)
            if f is not None:
                fund = f
        qualifier = self._qualifier(rest) if item else None
        whole = False
        if qualifier is not None:
            tb.part_items.add(item)  # "县级财政补助资金": a part of the item by who pays it
        elif item is None and fund == "all" and len(tb.part_items) == 1 and self._total_only(raw[-1]):
            # "合计" under rows by funding source: the item itself, of the table's (report's) fund
            item, fund, whole = next(iter(tb.part_items)), None, True
        if (
            not whole
            and fund == "all"
            and tb.title_fund is not None
            and not tb.fund_heads
            and self._total_only(raw[-1])
        ):
            # "合计" closing a table whose title names one fund ("表2 城乡居民基本养老保险基金支出情况"):
            # that fund's total of the title's item, not all funds
            fund = tb.title_fund
        if item is None and any(tb.items):
            item = ""  # the columns name the items
        if whole or qualifier is not None:
            pass  # a part by source or its 合计: neither a fund's row nor the all-funds total
        elif item is None and fund is not None and tb.section_item is not None and not without_funds(raw[-1]):
            item = tb.section_item  # item-major table: a fund's row (the fund alone) under "一、基金收入合计"
        elif item is None and fund is not None and tb.title_item is not None:
            item = tb.title_item  # a fund's row of a table whose title names the item
        elif (
            item
            and fund in (None, "all")
            and not tb.fund_heads
            and (self.item_total_rx.search(raw[-1]) or tb.section_item is not None)
        ):
            # "一、基金收入合计" / "三、当年收支结余": the total over the funds listed below it
            fund, tb.section_item = "all", item
        if item is None:
            if fund is not None:
                if any(self.value_rx.match(c.strip()) for c, _, _ in cells):
                    tb.fund = fund
                else:
                    self._fund_heading(fund)  # a merged fund-name row whose text every cell repeats
            return
        if fund is not None and tb.section_item is None:
            tb.fund = fund  # a fund column or a fund named with the item: it holds for the rows below
        via = {"fund": "table" if fund or tb.fund else self.p._fund_via(), "item": "table"}
        fund = fund or tb.fund or self.p.st.fund
        if fund is None:
            return
        if qualifier is not None and not extract_rules().spec.tables.qualified_parts:
            return  # a part by source: not the item's own figure (see ``tables.qualified_parts``)
        cb = codebook()
        if qualifier is not None or whole:
            tb.parts_group = tb.parts_group or self.p._new_group()
        group = tb.parts_group if whole else self.p._new_group()
        parent = None
        if of_which and item:
            parent = next(
                (g for f, it, g in reversed(tb.rows) if f == fund and it in cb.ancestors(item)), None
            )
        elif item and tb.open_parent is not None and tb.open_parent[0] == fund:
            # the 其中 list goes on ("其中：基础养老金支出", "个人账户养老金支出", …)
            pitem = next((it for f, it, g in tb.rows if g == tb.open_parent[1]), None)
            if pitem is not None and pitem in cb.ancestors(item):
                parent = tb.open_parent[1]
        tb.open_parent = (fund, parent) if parent is not None else None
        if qualifier is not None:
            parent = tb.parts_group  # its 合计 row, when one follows, takes this group
        col_items = tb.items or [None] * n
        col_units = tb.units or [None] * n
        heads = tb.header if len(tb.header) == n else [""] * n
        for (c, vs, ve), measure, col_item, col_unit, head in zip(
            cells, tb.columns, col_items, col_units, heads, strict=True
        ):
            if measure is None or not self.value_rx.match(c.strip()):
                continue
            cell_item = item or col_item
            if not cell_item:
                continue
            if measure not in RATE_MEASURES and c.strip().endswith(("%", "％")):
                # a percentage under an amount's header: a change column's rate ("比上年增减" 5.20%),
                # else not this column's figure (never "4.87%" read as 4.87 元)
                if measure != "yoy_change":
                    continue
                measure = "yoy_rate"
            kind = cb.items[cell_item].kind
            if measure in RATE_MEASURES:
                unit = "%"
            elif col_unit is not None and UNITS[col_unit][0] == kind:
                unit = col_unit  # "预算数（元）": the column's own unit
            else:
                unit = extract_rules().spec.tables.kind_units.get(kind, tb.unit)
            try:
                q = parse_quantity(c.strip().rstrip("%％") + unit)
            except NumberError:
                continue
            if q.kind != ("rate" if unit == "%" else kind) or not sane_quantity(q):
                continue
            extra: dict = {"of_which": parent} if parent is not None and measure == "actual" else {}
            if qualifier is not None:
                extra["qualifier"] = qualifier
            elif measure == "prior" and self._same_date(head, cell_item):
                extra["qualifier"] = extract_rules().spec.tables.same_date_qualifier
            if measure == "completion_rate" and "budget_adjusted" in tb.columns and "年初" not in head:
                # a table with an adjusted budget column measures progress against it (the budget in
                # force), unless the rate's own header names the 年初 budget
                extra["basis"] = "budget_adjusted"
            extra["attribution"] = via
            extra["production"] = self.production
            role = "subject" if measure == "actual" and cell_item == item else "table_cell"
            self.p._add(
                fund,
                cell_item,
                measure,
                float(q.canonical),
                float(q.canonical_precision),
                q.unit,
                vs,
                ve,
                group if cell_item == item else self.p._new_group(),
                role,
                **extra,
            )
        tb.rows.append((fund, item or "", group))


def _grid_cells(doc: Document, grid: Grid, row: int, value_rx: re.Pattern[str]) -> Cells | None:
    """Row ``row`` of ``grid`` as one cell per grid column, with view spans: a merged cell's words at
    every column and row it covers ("基金收入" over 预算数 and 决算数, a fund name merged down beside
    its rows), a number only where its cell starts (it is one figure). None when the row has fewer
    than two cells with text, or a cell of its own that is not placed in the view."""
    out: Cells = []
    own_cells = 0
    for k in range(grid.n_cols):
        c = grid.at(row, k)
        if c is None or not c.text.strip():
            out.append(("", -1, -1))
            continue
        own = c.row == row and c.col == k
        if not own and value_rx.match(c.text.strip()):
            out.append(("", -1, -1))  # a merged number is one figure, at its own cell
            continue
        span = _view_span(doc, c.start, c.end)
        if own and span is None:
            return None
        own_cells += own
        vs, ve = span or (-1, -1)
        out.append((c.text.strip(), vs, ve) if vs < 0 else (doc.view[vs:ve].strip(), vs, ve))
    return out if own_cells >= 2 else None


def _view_span(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The view span of text[start:end] when the view holds it char for char (a cell of a TAB line)."""
    if start < 0 or end <= start:
        return None
    vm = doc.view_map
    vs = bisect_left(vm, start, 0, len(vm) - 1)
    ve = vs + (end - start)
    if ve > len(vm) - 1 or vm[vs] != start or vm[ve - 1] != end - 1:
        return None
    return vs, ve


def _spread(lower: list[str], upper: list[str]) -> list[str] | None:
    """The upper header cell over each lower header cell, when the upper row has fewer cells because
    some span several columns: cells equal in both rows are one cell merged down, the others share
    the columns between them evenly. None when the rows do not fit that way."""
    if not upper or len(upper) >= len(lower):
        return None
    head = 0
    while head < len(upper) and upper[head] == lower[head]:
        head += 1
    tail = 0
    while tail < len(upper) - head and upper[-1 - tail] == lower[-1 - tail]:
        tail += 1
    mid_up, mid_low = upper[head : len(upper) - tail], len(lower) - head - tail
    if not mid_up or mid_low % len(mid_up):
        return None
    span = mid_low // len(mid_up)
    return [*upper[:head], *(c for c in mid_up for _ in range(span)), *upper[len(upper) - tail :]]


def _pipe_cells(line: str, start: int) -> list[tuple[str, int, int]]:
    """The cells of a pipe row ("| 项目 | 预算数 |" or "项目｜预算数"); outer pipes open and close the row,
    they part no cell."""
    one_bar = _pipe().sub(lambda m: "|" * len(m.group()), line)  # one char for one: the spans hold
    cells = _split(one_bar, start, "|")
    if len(cells) > 1 and not cells[0][0]:
        cells = cells[1:]
    if len(cells) > 1 and not cells[-1][0]:
        cells = cells[:-1]
    return cells


def _split(line: str, start: int, sep: str = "\t") -> list[tuple[str, int, int]]:
    """``sep``-separated cells with their view spans (stripped)."""
    out = []
    pos = 0
    for cell in line.split(sep):
        lead = len(cell) - len(cell.lstrip())
        s = start + pos + lead
        out.append((cell.strip(), s, s + len(cell.strip())))
        pos += len(cell) + 1
    return out
