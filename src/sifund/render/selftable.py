"""The 项目支出绩效自评表 as a Grid: header block, funds and execution score, goals, indicator rows.

Built once from the Evaluation; the XLSX, the DOCX table and the HTML table all draw this grid,
so the three show the same figures, scores and merges. Labels come from data/render/table.yaml.
"""

from __future__ import annotations

from sifund.engine.evaluation import Evaluation, IndicatorResult
from sifund.render.blocks import Grid
from sifund.render.phrases import Facts, indicator_actual
from sifund.render.wording import load

NCOLS = 9


def _spans(values: list[str]) -> list[tuple[int, int]]:
    """(start, length) runs of equal consecutive values — the vertically merged 一级/二级 cells."""
    runs: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if runs and values[runs[-1][0]] == v:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def build_grid(ev: Evaluation) -> Grid:
    t = load("table")
    ds = ev.dataset
    f = Facts(ev)
    sc = ev.score
    g = Grid(NCOLS)
    g.add(0, 0, t["title"].format(region=ds.region, year=ds.year), "title", colspan=NCOLS)
    g.add(1, 0, t["subtitle"].format(year=ds.year), "subtitle", colspan=7)
    g.add(1, 7, t["unit"], "subtitle", colspan=2)
    g.add(2, 0, t["project"], "label")
    g.add(2, 1, ds.project, "text", colspan=8)
    g.add(3, 0, t["department"], "label")
    g.add(3, 1, ds.department, "text", colspan=3)
    g.add(3, 4, t["agency"], "label", colspan=2)
    g.add(3, 6, ds.agency, "text", colspan=3)

    g.add(4, 0, t["funds_label"], "label", rowspan=2)
    g.add(4, 1, "", "header", colspan=2)
    for i, h in enumerate(t["funds_header"]):
        g.add(4, 3 + i, h, "header")
    budget = f.fig("all", "expenditure_total", "budget")
    adjusted = f.fig("all", "expenditure_total", "budget_adjusted")
    g.add(5, 1, t["funds_row"], "label", colspan=2)
    g.add(5, 3, budget, "money")
    g.add(5, 4, adjusted if adjusted is not None else budget, "money")
    g.add(5, 5, f.fig("all", "expenditure_total"), "money")
    g.add(5, 6, sc.execution_weight, "score")
    g.add(5, 7, sc.execution_rate, "percent")
    g.add(5, 8, sc.execution_score, "score")

    g.add(6, 0, t["goals_label"], "label", rowspan=2)
    g.add(6, 1, t["goals_header"][0], "header", colspan=4)
    g.add(6, 5, t["goals_header"][1], "header", colspan=4)
    g.add(7, 1, ds.narrative.goals.strip(), "text", colspan=4)
    g.add(7, 5, ds.narrative.achievements.strip(), "text", colspan=4)

    results = ev.indicators
    first = 9
    g.add(8, 0, t["indicators_label"], "label", rowspan=len(results) + 1)
    for i, h in enumerate(t["indicators_header"]):
        g.add(8, 1 + i, h, "header")
    _indicator_rows(g, results, f, first)

    total_row = first + len(results)
    weights = sc.execution_weight + sum(r.weight for r in results)
    g.add(total_row, 0, t["total"], "header", colspan=6)
    g.add(total_row, 6, weights, "score")
    g.add(total_row, 7, sc.total, "score")
    g.add(total_row, 8, f"{t['grade']}：{sc.grade}" if sc.grade else "", "text")
    g.header_rows = 0
    g.repeat_row = 8
    return g


def _indicator_rows(g: Grid, results: list[IndicatorResult], f: Facts, first: int) -> None:
    level1 = [r.indicator.level1 for r in results]
    for start, n in _spans(level1):
        g.add(first + start, 1, level1[start], "label", rowspan=n)
        sub = [r.indicator.level2 for r in results[start : start + n]]
        for s2, n2 in _spans(sub):
            g.add(first + start + s2, 2, sub[s2], "label", rowspan=n2)
    for i, r in enumerate(results):
        row = first + i
        ind = r.indicator
        g.add(row, 3, ind.name, "text")
        g.add(row, 4, ind.target, "text")
        g.add(row, 5, indicator_actual(r, f), "text")
        g.add(row, 6, r.weight, "score")
        g.add(row, 7, r.score, "score")
        reason = "" if r.score >= r.weight else (r.lost_reason or ind.reason)
        g.add(row, 8, reason, "text")
