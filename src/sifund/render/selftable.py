"""The 项目支出绩效自评表 as a Grid: header block, funds and execution score, goals, indicator rows.

Built once from the Evaluation; the XLSX, the DOCX table and the HTML table all draw this grid,
so the three show the same figures, scores and merges. Labels come from data/render/table.yaml.

The indicator rows are grouped by fund in a 基金 column (identical indicator names appear once per
fund, so a row without its fund cannot be read), and the 项目资金 part has one row per fund under
the total. The 填报 sign-off block closes the grid (kind ``signoff``, drawn without borders).
"""

from __future__ import annotations

from sifund.core.codes import codebook
from sifund.engine.results import Evaluation, IndicatorResult
from sifund.render.blocks import Grid
from sifund.render.phrases import PrintFacts, indicator_actual
from sifund.render.wording import load

NCOLS = 9  # without a 基金 column
SIGNOFF_FIELDS = (("unit", "date"), ("preparer", "phone"))  # two lines of two fields each


def _spans(values: list[str]) -> list[tuple[int, int]]:
    """(start, length) runs of equal consecutive values — the vertically merged 一级/二级 cells."""
    runs: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if runs and values[runs[-1][0]] == v:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def has_fund_column(ev: Evaluation) -> bool:
    """A 基金 column only when some indicator names its fund: a column of 综合 would say nothing."""
    return any(r.indicator.fund for r in ev.indicators)


def fund_label(fund: str | None) -> str:
    """The 基金 cell: the fund's short name (机关养老), read back through codes.yaml aliases."""
    if fund is None:
        return str(load("table")["fund_none"])
    return codebook().funds[fund].short


def grouped_indicators(ev: Evaluation) -> list[IndicatorResult]:
    """Indicator results grouped by fund in code-table order, those without a fund last.

    Within a fund the dataset's order is kept (a stable sort), so 一级/二级 runs stay as written.
    """
    if not has_fund_column(ev):
        return list(ev.indicators)
    order = {code: i for i, code in enumerate(codebook().funds)}
    return sorted(ev.indicators, key=lambda r: order.get(r.indicator.fund or "", len(order)))


def build_grid(ev: Evaluation) -> Grid:
    t = load("table")
    ds = ev.dataset
    f = PrintFacts(ev)
    sc = ev.score
    by_fund = has_fund_column(ev)
    n = NCOLS + 1 if by_fund else NCOLS
    lead = 1 if by_fund else 0  # columns shift right by one when the 基金 column is there
    g = Grid(n)
    g.add(0, 0, t["title"].format(region=ds.region, year=ds.year), "title", colspan=n)
    g.add(1, 0, t["subtitle"].format(year=ds.year), "subtitle", colspan=n - 2)
    g.add(1, n - 2, t["unit"], "subtitle", colspan=2)
    g.add(2, 0, t["project"], "label")
    g.add(2, 1, ds.project, "text", colspan=n - 1)
    g.add(3, 0, t["department"], "label")
    g.add(3, 1, ds.department, "text", colspan=3 + lead)
    g.add(3, 4 + lead, t["agency"], "label", colspan=2)
    g.add(3, 6 + lead, ds.agency, "text", colspan=3)

    funds = f.funds() if len(f.funds()) > 1 else []  # one fund: its row would repeat the total
    row = _funds_rows(g, ev, f, t, funds, lead)

    g.add(row, 0, t["goals_label"], "label", rowspan=2)
    g.add(row, 1, t["goals_header"][0], "header", colspan=4 + lead)
    g.add(row, 5 + lead, t["goals_header"][1], "header", colspan=4)
    g.add(row + 1, 1, ds.narrative.goals.strip(), "text", colspan=4 + lead)
    g.add(row + 1, 5 + lead, ds.narrative.achievements.strip(), "text", colspan=4)

    results = grouped_indicators(ev)
    head = row + 2
    first = head + 1
    g.add(head, 0, t["indicators_label"], "label", rowspan=len(results) + 1)
    header = ([t["fund_column"]] if by_fund else []) + list(t["indicators_header"])
    for i, h in enumerate(header):
        g.add(head, 1 + i, h, "header")
    _indicator_rows(g, results, f, first, by_fund)

    total_row = first + len(results)
    weights = sc.execution_weight + sum(r.weight for r in results)
    g.add(total_row, 0, t["total"], "header", colspan=6 + lead)
    g.add(total_row, 6 + lead, weights, "score")
    g.add(total_row, 7 + lead, sc.total, "score")
    g.add(total_row, 8 + lead, f"{t['grade']}：{sc.grade}" if sc.grade else "", "text")
    g.header_rows = 0
    g.repeat_row = head
    g.footer_row = total_row + 1
    _signoff(g, ev, t, total_row + 1)
    return g


def _funds_rows(g: Grid, ev: Evaluation, f: PrintFacts, t: dict, funds: list[str], lead: int) -> int:
    """The 项目资金 part: header, 年度资金总额 (scored), then one 其中 row per fund; the next free row.

    A fund row shows its budgets, spending and rate; 分值/得分 stay on the total, which is what the
    engine scores (the execution weight is not split between funds).
    """
    sc = ev.score
    top = 4
    v0 = 3 + lead  # first value column
    g.add(top, 0, t["funds_label"], "label", rowspan=2 + len(funds))
    g.add(top, 1, "", "header", colspan=v0 - 1)
    for i, h in enumerate(t["funds_header"]):
        g.add(top, v0 + i, h, "header")

    def money_row(row: int, label: str, fund: str) -> None:
        budget = f.fig(fund, "expenditure_total", "budget")
        adjusted = f.fig(fund, "expenditure_total", "budget_adjusted")
        g.add(row, 1, label, "label", colspan=v0 - 1)
        g.add(row, v0, budget, "money")
        g.add(row, v0 + 1, adjusted if adjusted is not None else budget, "money")
        g.add(row, v0 + 2, f.fig(fund, "expenditure_total"), "money")

    money_row(top + 1, t["funds_row"], "all")
    g.add(top + 1, v0 + 3, sc.execution_weight, "score")
    g.add(top + 1, v0 + 4, sc.execution_rate, "percent")
    g.add(top + 1, v0 + 5, sc.execution_score, "score")
    for k, fund in enumerate(funds):
        row = top + 2 + k
        money_row(row, t["fund_row"].format(fund=codebook().funds[fund].short), fund)
        g.add(row, v0 + 3, t["not_scored"], "score")
        g.add(row, v0 + 4, f.value(fund, "expenditure_completion"), "percent")
        g.add(row, v0 + 5, t["not_scored"], "score")
    return top + 2 + len(funds)


def _indicator_rows(
    g: Grid, results: list[IndicatorResult], f: PrintFacts, first: int, by_fund: bool
) -> None:
    lead = 1 if by_fund else 0
    groups = [fund_label(r.indicator.fund) for r in results] if by_fund else [""] * len(results)
    for gs, gn in _spans(groups):
        if by_fund:
            g.add(first + gs, 1, groups[gs], "label", rowspan=gn)
        part = results[gs : gs + gn]
        level1 = [r.indicator.level1 for r in part]
        for start, n in _spans(level1):
            g.add(first + gs + start, 1 + lead, level1[start], "label", rowspan=n)
            sub = [r.indicator.level2 for r in part[start : start + n]]
            for s2, n2 in _spans(sub):
                g.add(first + gs + start + s2, 2 + lead, sub[s2], "label", rowspan=n2)
    for i, r in enumerate(results):
        row = first + i
        ind = r.indicator
        g.add(row, 3 + lead, ind.name, "text")
        g.add(row, 4 + lead, ind.target, "text")
        g.add(row, 5 + lead, indicator_actual(r, f), "text")
        g.add(row, 6 + lead, r.weight, "score")
        g.add(row, 7 + lead, r.score, "score")
        reason = "" if r.score >= r.weight else (r.lost_reason or ind.reason)
        g.add(row, 8 + lead, reason, "text")


def _signoff(g: Grid, ev: Evaluation, t: dict, row: int) -> None:
    """填报单位（盖章）/填报日期, 填报人/联系电话 under the table; blanks are lines to sign on."""
    so = ev.dataset.signoff
    half = g.ncols // 2
    for k, pair in enumerate(SIGNOFF_FIELDS):
        for j, key in enumerate(pair):
            value = str(getattr(so, key) or "").strip() or t["signoff_blank"]
            col, span = (0, half) if j == 0 else (half, g.ncols - half)
            g.add(row + k, col, f"{t['signoff'][key]}：{value}", "signoff", colspan=span)
