"""Pipe-flattened tables of TXT reports (review/tables.py): what the phrase cases cannot show.

The view (review/normalize.py) joins hard-wrapped lines and knows TAB rows as table rows, not pipe
rows, so a pipe table whose rows are as wide as the report's lines arrives as one view line; these
tests make sure that happens in them (else they would pin nothing) and that every row is still read,
the prose joined to it too, in linear time.
"""

from __future__ import annotations

import time

from sifund.review.extract import extract_text
from sifund.review.normalize import build_view

HEAD = "示例县2021年度社会保险基金支出预算绩效自评报告\n\n一、基金收支情况\n"
PROSE = "全年工伤保险基金收入812万元，支出690万元，当年收支结余122万元，收支情况见下表\n"
TABLE = (
    "项目 | 预算数 | 累计执行数 | 预算执行进度\n"
    "工伤保险基金收入 | 800.00 | 812.00 | 101.50%\n"
    "工伤保险基金支出 | 700.00 | 690.00 | 98.57%\n"
)


def _keys(text: str) -> dict[tuple[str, str, str], list[float]]:
    out: dict[tuple[str, str, str], list[float]] = {}
    res = extract_text(text)
    for f in res.dataset.figures:
        assert f.source is not None and res.text[f.source.start : f.source.end] == f.source.text
        out.setdefault(f.key, []).append(f.value)
    return out


def test_rows_the_view_joins_are_read_one_by_one() -> None:
    """A pipe header joined by the view to its rows and to the sentence before it: the table's
    cells and the sentence's amounts are all read, each from its own text."""
    view, _ = build_view(HEAD + PROSE + TABLE)
    assert "见下表项目 | 预算数" in view and "预算执行进度工伤保险基金收入 |" in view  # joined
    keys = _keys(HEAD + PROSE + TABLE)
    assert keys[("work_injury", "income_total", "budget")] == [800]
    assert keys[("work_injury", "income_total", "completion_rate")] == [101.5]
    assert keys[("work_injury", "expenditure_total", "actual")] == [690, 690]  # the table's and the prose's
    assert keys[("work_injury", "balance_current", "actual")] == [122]


def test_a_pipe_in_prose_is_no_table() -> None:
    """A "|" between two amounts of a sentence makes no table: the amounts are read as prose."""
    res = extract_text(HEAD + "工伤保险基金收入812万元 | 支出690万元。\n")
    assert [(f.key, f.value) for f in res.dataset.figures][:1] == [
        (("work_injury", "income_total", "actual"), 812)
    ]
    assert all((f.model_extra or {})["attribution"]["fund"] != "table" for f in res.dataset.figures)


def test_rule_row_only_is_nothing() -> None:
    """A Markdown rule row with no table around it gives no figure and no error."""
    assert _keys(HEAD + "|---|---|---|\n") == {}


def _cpu(text: str) -> float:
    t0 = time.process_time()
    extract_text(text)
    return time.process_time() - t0


def _rows(n: int) -> str:
    rows = ["项目 | 预算数 | 累计执行数 | 预算执行进度"]
    rows += [f"工伤保险基金收入 | {800 + i % 7}.00 | 812.00 | 101.50%" for i in range(n)]
    return HEAD + "单位：元\n" + "\n".join(rows) + "\n"


def test_a_long_joined_pipe_table_is_read_in_linear_time() -> None:
    """300 and 1,200 rows of one width, which the view joins into one line: every row gives its
    figures, and 4× the rows take about 4× the time (16× would be quadratic)."""
    view, _ = build_view(_rows(50))
    assert view.count("\n") < 10  # the rows are joined
    assert len(extract_text(_rows(300)).dataset.figures) == 900

    def growth() -> float:
        small = min(_cpu(_rows(300)) for _ in range(2))
        return _cpu(_rows(1200)) / max(small, 0.05)

    g = growth()
    if g >= 8:  # a burst of load on the shared machine: measure once more
        g = growth()
    assert g < 8, f"4× the rows took {g:.1f}× the time"
