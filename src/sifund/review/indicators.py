"""The 自评表 → Indicator rows (一级/二级/三级指标, 指标值, 实际完成值).

A DOCX/PDF 自评表 is read from its grid (``Document.tables``): every row at its true columns, a merged
一级/二级指标 cell beside each row it spans, the header's columns found by their names. A TXT table,
or a DOCX/PDF one the readers found no grid for, is read from its flattened lines, which lose the
grid: merged level-1/level-2 cells appear once, before their rows, and long names wrap ("社会效益指" /
"标"). Rows are then lines whose last two cells are the target and the actual; other lines are level
names (joined until they form a known name) or wrapped name parts.

A 绩效目标 table in the body before the 自评表 ("绩效指标 | 年度目标 | 实际完成 | 完成情况", a DOCX/PDF
grid) gives indicator rows too, with no levels: its header's columns are named by
``table.goal_columns`` (whole cells, so a 自评表's "绩效指标" label column is never its name column).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from sifund.core.codes import codebook
from sifund.core.model import Indicator, Source
from sifund.review.document import Document
from sifund.review.funds import fund_mentions
from sifund.review.rules import extract_rules


def _next_level(text: str, l1_rx: re.Pattern[str], l2_rx: re.Pattern[str], level1: str,
                last_level: bool) -> tuple[str, str, bool]:
    """(level1, level2, whether it was a level 1) after a 一级/二级指标 cell ``text``: a name both
    patterns match is a level 1 unless it follows one (then it is that level 1's 二级指标)."""
    is_l1 = bool(l1_rx.match(text)) and (not l2_rx.match(text) or not last_level)
    return (text, "", True) if is_l1 else (level1, text, False)


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t") if c.strip()]
    return line.split()


def parse_indicators(doc: Document, start: int | None) -> list[Indicator]:
    """Rows of the 自评表 found in the view from ``start`` on (the table's first line)."""
    goals = _goal_tables(doc, start)
    if start is None:
        return goals
    return goals + _self_evaluation(doc, start)


def _goal_tables(doc: Document, start: int | None) -> list[Indicator]:
    """Indicator rows of the 绩效目标 tables before the 自评表 ("绩效指标 | 年度目标 | 实际完成 |
    完成情况"): a DOCX/PDF grid whose first row is a ``table.goal_columns`` header. Such a table states
    targets and results the body is checked against as the 自评表's are; it has no level columns."""
    stop = doc.view_map[start] if start is not None and start < len(doc.view_map) else None
    out: list[Indicator] = []
    for g in doc.tables:
        if g.parent is not None or (stop is not None and g.start >= stop) or g.row_lines[0][0] < 0:
            continue
        texts = g.texts()
        columns = Columns.of("\t".join(c or "" for c in texts[0]), goal=True)
        if columns is None:
            continue
        carried: list[str] = []
        for r in range(1, g.n_rows):
            s, e = g.row_lines[r]
            row = columns.grid_row(texts[r], carried) if s >= 0 else None
            if row is None:
                continue
            carried = row
            vs, ve = bisect_left(doc.view_map, s), bisect_left(doc.view_map, e)
            columns.add(doc, row, vs, ve, out)
    return out


def _self_evaluation(doc: Document, start: int) -> list[Indicator]:
    """Rows of the 自评表 from view offset ``start`` (its first line) on."""
    r = extract_rules()
    header_rx, l1_rx, l2_rx = r.re("table.header"), r.re("table.level1"), r.re("table.level2")
    value_rx = r.re("table.value_cell")
    view = doc.view
    out: list[Indicator] = []
    level1 = level2 = ""
    started = wide = False
    skip = 0
    pending: list[tuple[str, int, int]] = []  # name fragments (text, vstart, vend)
    last_level = False
    pos = start
    longest = _longest_match(l1_rx, l2_rx)
    lines = view[start:].split("\n")
    columns: Columns | None = None
    carried: list[str] = []
    grid_rows = _grid_rows(doc)
    for line in lines:
        ls, pos = pos, pos + len(line) + 1
        text = line.strip()
        if not text:
            continue
        lo = ls + (len(line) - len(line.lstrip()))
        if header_rx.search(text) and not started:
            if "\t" not in text and len(_cells(text)) == 1:
                stacked = _cell_stack(doc, view, ls)
                if stacked is not None:
                    return out + stacked
            started, pending = True, []
            wide = _is_wide(_cells(text), "\t" in text)
            skip = _skipped_columns(_cells(text))
            columns = Columns.of(line) if "\t" in text else None
            in_grid = grid_rows.get(doc.view_map[lo])
            if in_grid is not None:  # the grid's header: merged cells at every column they cover
                columns = Columns.of("\t".join(c or "" for c in in_grid)) or columns
            continue
        if not started:
            continue
        if columns is not None and "\t" in text:
            if header_rx.search(text):  # the header repeated atop a page
                continue
            in_grid = grid_rows.get(doc.view_map[lo])
            row = columns.grid_row(in_grid, carried) if in_grid is not None else None
            if row is None:
                row = columns.row(_raw_line(doc, lo, lo + len(text)), carried)
            if row is not None:
                carried = row
                level1, level2 = columns.add(doc, row, lo, lo + len(text), out) or (level1, level2)
                continue
        cells = _cells(text)
        if len(cells) < 2 and "\t" not in text:
            # "基金滚存结余 保持正结余 30110万元": spaces between Chinese cells are dropped in the view;
            # the text as written still has them
            cells = _text_cells(doc, lo, lo + len(text)) or cells
        if wide:
            level1, level2 = _wide_row(doc, cells, lo, lo + len(text), level1, level2, out, skip)
            continue
        frag = "".join(cells)
        level = None
        # fragments joined from the k-th on; only joins no longer than a level name can be one, so
        # the first k tried is the first whose join fits (rescanning every join of a long run of
        # unmatched lines made a big table quadratic)
        first = _first_fitting(pending, len(frag), longest)
        for k in range(first, len(pending) + 1):
            cand = "".join(p[0] for p in pending[k:]) + frag
            if l1_rx.match(cand) or l2_rx.match(cand):
                level = cand
                break
        if level is not None:
            _text_row(doc, pending[:k], level1, level2, out)
            level1, level2, last_level = _next_level(level, l1_rx, l2_rx, level1, last_level)
            pending = []
        elif len(cells) >= 2 and (value_rx.search(cells[-1]) or value_rx.search(cells[-2])):
            name = "".join(p[0] for p in pending) + "".join(cells[:-2])
            if not name:
                pending.append((frag, lo, lo + len(text)))
                continue
            vs = pending[0][1] if pending else lo
            src = doc.source(vs, lo + len(text))
            ms = fund_mentions(name)
            out.append(
                Indicator(
                    level1=level1,
                    level2=level2,
                    name=name,
                    target=cells[-2],
                    actual=cells[-1],
                    fund=ms[0].fund if ms else None,
                    source=Source(start=src.start, end=src.end, text=src.text),
                )
            )
            pending, last_level = [], False
        else:
            pending.append((frag, lo, lo + len(text)))
    return out


_SCORE_CELL = re.compile(r"^\d{1,3}(\.\d{1,2})?$")


def _cell_stack(doc: Document, view: str, start: int) -> list[Indicator] | None:
    """A 自评表 flattened to one cell per line (a PDF table copied as text: "一级指标" / "二级指标" / … /
    "产出指标" / "数量指标" / "职工参保人数" / "≥60万人" / "61.25万人" / "10" / "10" / "无"), read from its
    header line at view offset ``start``; None when the lines there are not such a header.

    The header's cells, one a line up to the first level-1 name, give the columns: a row is its
    name, the target and the actual, then as many cells as the header has after 实际完成值 (分值,
    得分, 偏差原因). Merged level cells appear once, before their first row; an empty cell is lost,
    so a trailing cell that is followed by two value cells is the next row's name instead."""
    r = extract_rules()
    header_rx, l1_rx, l2_rx = r.re("table.header"), r.re("table.level1"), r.re("table.level2")
    value_rx, skip_rx = r.re("table.value_cell"), r.re("table.skip_row")
    t_rx, a_rx = r.re("table.target_column"), r.re("table.actual_column")
    cells: list[tuple[str, int, int]] = []
    pos = start
    for line in view[start:].split("\n"):
        ls, pos = pos, pos + len(line) + 1
        text = line.strip()
        if text:
            lo = ls + (len(line) - len(line.lstrip()))
            cells.append((text, lo, lo + len(text)))
    first = next((k for k, c in enumerate(cells) if l1_rx.match(c[0])), None)
    if first is None or first < 3:
        return None
    header = [c[0] for c in cells[:first]]
    if any(len(_cells(h)) != 1 for h in header) or not all(header_rx.search(h) for h in header[:2]):
        return None
    t = next((k for k, h in enumerate(header) if t_rx.search(h)), None)
    a = next((k for k, h in enumerate(header) if a_rx.search(h)), None)
    if t is None or a != t + 1:
        return None
    after = len(header) - a - 1

    def is_value(k: int) -> bool:
        return k < len(cells) and bool(value_rx.search(cells[k][0]))

    out: list[Indicator] = []
    level1 = level2 = ""
    last_level = False
    pending: list[tuple[str, int, int]] = []
    k = first
    while k < len(cells):
        text = cells[k][0]
        if skip_rx.match(text):  # 总分 and its numbers: the table's end
            break
        if l1_rx.match(text) or l2_rx.match(text):
            level1, level2, last_level = _next_level(text, l1_rx, l2_rx, level1, last_level)
            pending = []
            k += 1
            continue
        if not (is_value(k + 1) and k + 2 < len(cells)):
            pending.append(cells[k])  # a wrapped part of the name
            k += 1
            continue
        parts = [*pending, cells[k]]
        name = "".join(p[0] for p in parts)
        vs, ve = parts[0][1], cells[k + 2][2]
        src = doc.source(vs, ve)
        ms = fund_mentions(name)
        out.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name,
                target=cells[k + 1][0],
                actual=cells[k + 2][0],
                fund=ms[0].fund if ms else None,
                source=Source(start=src.start, end=src.end, text=src.text),
            )
        )
        pending, last_level = [], False
        k += 3
        for _ in range(after):  # 分值, 得分, 偏差原因: unless a cell is the next row's name or level
            if k >= len(cells):
                break
            cell = cells[k][0]
            if l1_rx.match(cell) or l2_rx.match(cell) or skip_rx.match(cell):
                break
            if not _SCORE_CELL.match(cell) and is_value(k + 1) and is_value(k + 2):
                break
            k += 1
    return out


_WRAPPED_RANGE = re.compile(r"(?<=[-~～—])\s+(?=[\d≥≤<>])")


class Columns:
    """A real (TAB-separated) 自评表 header read as a column map: which column holds the 基金, the
    一级/二级/三级指标, the 指标值 and the 实际完成值, wherever they stand.

    Rows are then read by header position, aligned from the right: a flattened table drops the
    cells of vertically merged columns (PDF, plain text) on the left, never the right, so a row
    with k cells fewer holds the last columns, and its first k are carried from the row above.
    A DOCX row repeats merged cells, and then every cell is there. Why: reading positionally
    after recognising level names shifted every column of a table whose first column is a
    label (绩效指标) or a 基金 column (name = "绩效指标", target = "产出指标").
    """

    def __init__(self, header: list[str], index: dict[str, int]) -> None:
        self.header = header
        self.index = index

    @classmethod
    def of(cls, line: str, goal: bool = False) -> Columns | None:
        """The column map of a header line; ``goal``: a 绩效目标 table's header, its columns named by
        ``table.goal_columns`` (whole cells) instead of the 自评表's words."""
        r = extract_rules()
        header = [c.strip() for c in line.split("\t")]
        while header and not header[-1]:
            header.pop()
        index: dict[str, int] = {}
        if goal:
            g = r.spec.table.goal_columns
            keys = (("name", g.name), ("target", g.target), ("actual", g.actual))
        else:
            keys = (
                ("level1", r.re("table.level1_column")),
                ("level2", r.re("table.level2_column")),
                ("name", r.re("table.name_column")),
                ("target", r.re("table.target_column")),
                ("actual", r.re("table.actual_column")),
                ("fund", r.re("table.fund_column")),
            )
        for key, rx in keys:
            hit = next((i for i, c in enumerate(header) if rx.search(c) and i not in index.values()), None)
            if hit is not None:
                index[key] = hit
        need = ("name", "target", "actual")
        if any(k not in index for k in need) or not index["name"] < index["target"] < index["actual"]:
            return None
        return cls(header, index)

    def row(self, line: str, carried: list[str]) -> list[str] | None:
        """The row's cells in header positions, or None when it is not one row of this table."""
        # a PDF cell's wrapped lines are joined with a space between Latin parts: "90%-" + "110%"
        # must read "90%-110%" again, as the range was printed
        cells = [_WRAPPED_RANGE.sub("", c.strip()) for c in line.split("\t")]
        n = len(self.header)
        while len(cells) > n and not cells[-1]:
            cells.pop()
        missing = n - len(cells)
        if missing < 0 or missing > self.index["name"]:
            return None
        lead = carried[:missing] if len(carried) >= missing else [""] * missing
        return self._filled(lead + cells, carried)

    def grid_row(self, texts: list[str | None], carried: list[str]) -> list[str] | None:
        """A DOCX/PDF grid's row (``Grid.texts()[r]``) in header positions: every cell where the grid
        puts it, a merged cell's text at each row it spans; None when the grid is not as wide as the
        header (a table the header is not of: its lines are read instead)."""
        if len(texts) != len(self.header):
            return None
        return self._filled([_WRAPPED_RANGE.sub("", (c or "").strip()) for c in texts], carried)

    def _filled(self, row: list[str], carried: list[str]) -> list[str]:
        for key in ("fund", "level1", "level2"):  # a blank cell under a label: the label above holds
            k = self.index.get(key)
            if k is not None and k < len(row) and not row[k] and k < len(carried):
                row[k] = carried[k]
        return row

    def add(
        self, doc: Document, row: list[str], start: int, end: int, out: list[Indicator]
    ) -> tuple[str, str] | None:
        """Append the indicator of ``row``; (level1, level2) of the row when it is one."""
        r = extract_rules()
        i = self.index
        name = row[i["name"]]
        if not name or r.re("table.skip_row").match(name) or r.re("table.header").search(name):
            return None
        if r.re("table.skip_row").match(next((c for c in row if c), "")):
            return None
        level1 = row[i["level1"]] if "level1" in i else ""
        level2 = row[i["level2"]] if "level2" in i else ""
        if "fund" in i and row[i["fund"]]:  # the 基金 cell decides; 综合 or 各险种 names none
            fund = codebook().match_fund(row[i["fund"]])
        else:
            ms = fund_mentions(name)
            fund = ms[0].fund if ms else None
        src = doc.source(start, end)
        out.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name,
                target=row[i["target"]],
                actual=row[i["actual"]],
                fund=None if fund == "all" else fund,
                source=Source(start=src.start, end=src.end, text=src.text),
            )
        )
        return level1, level2


def _grid_rows(doc: Document) -> dict[int, list[str | None]]:
    """Text offset where a grid row's TAB line starts → that row's texts at every grid column."""
    out: dict[int, list[str | None]] = {}
    for g in doc.tables:
        texts = g.texts()
        out.update((span[0], texts[r]) for r, span in enumerate(g.row_lines) if span[0] >= 0)
    return out


def _raw_line(doc: Document, vstart: int, vend: int) -> str:
    """The row as written, to the end of its line: the view drops trailing empty cells (an empty
    偏差原因), which would shift a row aligned from the right."""
    s, e = doc.to_text_span(vstart, vend)
    stop = doc.text.find("\n", e)
    raw = doc.text[s : len(doc.text) if stop < 0 else stop].rstrip("\r ")
    return raw if "\t" in raw else doc.view[vstart:vend]


def _longest_match(*rxs: re.Pattern[str]) -> int | None:
    """The most chars a string matched by any of the patterns can have, when every pattern must
    match to the end of the string (each alternative ends with ``$``); None when that cannot be
    told from the patterns (they are data), and then every join is tried as before."""
    return _longest_of(tuple(rx.pattern for rx in rxs))


@lru_cache(maxsize=8)
def _longest_of(patterns: tuple[str, ...]) -> int | None:
    """``_longest_match`` of the patterns' text, worked out once: parsing them again for every
    自评表 was half the time of reading one."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    def ends_at_end(seq: list) -> bool:
        if not seq:
            return False
        op, arg = seq[-1]
        if op is c.AT:
            return arg is c.AT_END
        if op is c.BRANCH:
            return all(ends_at_end(list(alt)) for alt in arg[1])
        if op is c.SUBPATTERN:
            return ends_at_end(list(arg[-1]))
        return False

    top = 0
    for pattern in patterns:
        parsed = sre_parse.parse(pattern)
        if not ends_at_end(list(parsed)):
            return None
        top = max(top, parsed.getwidth()[1])
    return None if top >= c.MAXREPEAT else int(top)


def _first_fitting(pending: list[tuple[str, int, int]], tail: int, longest: int | None) -> int:
    """The smallest k for which pending[k:] joined, plus ``tail`` chars, is at most ``longest``."""
    if longest is None:
        return 0
    k, size = len(pending), tail
    while k > 0 and size + len(pending[k - 1][0]) <= longest:
        k -= 1
        size += len(pending[k][0])
    return k


def _text_row(
    doc: Document, frags: list[tuple[str, int, int]], level1: str, level2: str, out: list[Indicator]
) -> None:
    """Fragments left before a level name may be a row with no number, its target wrapped
    ("城乡居民养老保险待遇发放 按月足额发" / "放 按月足额发放"): as written, wraps joined, three cells."""
    if not frags:
        return
    s, e = doc.to_text_span(frags[0][1], frags[-1][2])
    cells = [c for c in re.split(r"[ \u3000\t]+", re.sub(r"\s*\n\s*", "", doc.text[s:e])) if c]
    r = extract_rules()
    if len(cells) != 3 or any(r.re("table.header").search(c) for c in cells):
        return
    src = doc.source(frags[0][1], frags[-1][2])
    ms = fund_mentions(cells[0])
    out.append(
        Indicator(
            level1=level1,
            level2=level2,
            name=cells[0],
            target=cells[1],
            actual=cells[2],
            fund=ms[0].fund if ms else None,
            source=Source(start=src.start, end=src.end, text=src.text),
        )
    )


def _text_cells(doc: Document, vstart: int, vend: int) -> list[str]:
    """Cells of a view line split where the text as written has spaces (a row whose cells are
    Chinese words the view joined); [] when that gives no row of ≥3 cells ending in a value."""
    s, e = doc.to_text_span(vstart, vend)
    cells = [c for c in re.split(r"[ \u3000\t]+", doc.text[s:e].replace("\n", "")) if c]
    value_rx = extract_rules().re("table.value_cell")
    return cells if len(cells) >= 3 and value_rx.search(cells[-1]) else []


def _is_wide(header: list[str], tabbed: bool = False) -> bool:
    """A header with columns after 实际完成值 (分值, 得分, 偏差原因), or a real (TAB-separated) table
    whose last columns are 指标值 and 实际完成值: rows are read by position."""
    r = extract_rules()
    t_rx, a_rx = r.re("table.target_column"), r.re("table.actual_column")
    t = next((i for i, c in enumerate(header) if t_rx.search(c)), None)
    a = next((i for i, c in enumerate(header) if a_rx.search(c)), None)
    return t is not None and a == t + 1 and (a + 1 < len(header) or tabbed)


def _skipped_columns(header: list[str]) -> int:
    """How many columns (权重, 分值) stand between the name column and the target column."""
    r = extract_rules()
    t = next((i for i, c in enumerate(header) if r.re("table.target_column").search(c)), None)
    n = max((i for i, c in enumerate(header) if r.re("table.name_column").search(c)), default=None)
    return t - n - 1 if t is not None and n is not None and t > n else 0


def _wide_row(
    doc: Document,
    cells: list[str],
    start: int,
    end: int,
    level1: str,
    level2: str,
    out: list[Indicator],
    skip: int = 0,
) -> tuple[str, str]:
    """One row of a wide 自评表: [level1] [level2] name target actual 分值 得分 [原因]; merged level
    cells are empty (dropped), so levels are recognised by name and the rest is positional."""
    r = extract_rules()
    l1_rx, l2_rx, value_rx = r.re("table.level1"), r.re("table.level2"), r.re("table.value_cell")

    def level2_at(i: int) -> bool:
        """cells[i] is a 二级指标, also one written without its 指标 ("服务对象满意度"): that short form
        only when a name, not a value, follows it (a level cell stands before its row's name)."""
        if i >= len(cells):
            return False
        if l2_rx.match(cells[i]):
            return True
        return (l2_rx.match(cells[i] + "指标") is not None and i + 1 < len(cells)
                and not value_rx.search(cells[i + 1]))

    cells = list(cells)
    while cells and (l1_rx.match(cells[0]) or level2_at(0)):
        both_levels = level2_at(1)  # "满意度指标" names both levels
        if l1_rx.match(cells[0]) and (not level2_at(0) or both_levels):
            level1, level2 = cells.pop(0), ""
        else:
            level2 = cells.pop(0)
    if len(cells) < 3 + skip or r.re("table.skip_row").match(cells[0]):
        return level1, level2
    if r.re("tables.value_cell").match(cells[0]):
        # "预算执行率  98.68%  10  9.87": a level's own row (its value and score, no 三级指标) names no
        # indicator; its first value is no name
        return level1, level2
    src = doc.source(start, end)
    ms = fund_mentions(cells[0])
    out.append(
        Indicator(
            level1=level1,
            level2=level2,
            name=cells[0],
            target=cells[1 + skip],
            actual=cells[2 + skip],
            fund=ms[0].fund if ms else None,
            source=Source(start=src.start, end=src.end, text=src.text),
        )
    )
    return level1, level2
