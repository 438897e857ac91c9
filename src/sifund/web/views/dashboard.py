"""Pages: the dashboard over a user's area (``/dashboard/``) and one region's trends and peers
(``/dashboard/region/<id>/``), each table downloadable with ``?format=xlsx|csv``.

Who sees what is :mod:`sifund.web.scope`'s answer, as everywhere: a reviewer its region and below,
a preparer its own region, an admin everything; a region outside that is 404. The figures come
from :mod:`sifund.web.dashboard` (stored columns for the grid, stored evaluation metrics for the
trends).
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from sifund.web import dashboard as dash
from sifund.web import http, scope
from sifund.web.models import STATUSES

SPANS = (3, 5, 10)  # the "years shown" choices; 0 shows every year
DEFAULT_SPAN = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(sheets: list[tuple[str, list[list[Any]]]], fmt: str, stem: str) -> HttpResponse:
    """``sheets`` as ``stem.xlsx`` (one sheet each) or ``stem.csv`` (the first; UTF-8 with BOM)."""
    if fmt == "csv":
        body, ctype = dash.to_csv(sheets[0][1]), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, ctype = dash.to_xlsx(sheets), XLSX
    else:
        return HttpResponseBadRequest(
            "不支持的下载格式（format 应为 xlsx 或 csv）", content_type="text/plain; charset=utf-8"
        )
    return http.attachment(body, ctype, f"{stem}.{fmt}")


def _chip(cls: str, text: str, title: str = "") -> str:
    t = f' title="{title}"' if title else ""
    return f'<span class="dash-chip {cls}"{t}>{text}</span>'


BADGES = {code: f'<span class="badge st-{code}">{name}</span>' for code, name in STATUSES}


@lru_cache(maxsize=512)
def _risks(high: int, medium: int, low: int) -> str:
    return "".join(
        _chip(cls if n else "", f"{word}{n}")
        for n, word, cls in ((high, "高", "lv-high"), (medium, "中", "lv-medium"), (low, "低", "lv-low"))
    )


def _cell_html(c: dict[str, Any], name: str, year: int) -> str:
    word = html.escape(c["status_name"])
    status = BADGES.get(c["status"]) or f'<span class="badge">{word}</span>'
    return (
        f'<td class="dash-cell"><a href="/submissions/{c["id"]}/" title="{name} {year}年 {word}">'
        f'<span class="dash-l1">{status}<b>{c["score_text"]}</b><i>{html.escape(c["grade"])}</i></span>'
        f'<span class="dash-l2"><span class="dash-chip {c["completion_class"]}" title="支出预算完成率">'
        f"{c['completion_text']}</span>"
        f'<span class="dash-chip {c["months_class"]}" title="累计结余可支付月数">'
        f"{c['months_text']}月</span></span>"
        f'<span class="dash-l3">{_risks(c["high"], c["medium"], c["low"])}</span></a></td>'
    )


def grid_body(g: dash.Grid) -> SafeString:
    """The grid's ``<tbody>``, built here rather than in the template: a province × 10 years is
    3,000 cells, which Django's template engine took ~2 s to render and plain string building
    takes tens of milliseconds (the whole page ~0.2 s). Every text from data is escaped; numbers
    and classes are our own formatting."""
    out = []
    for r in g.rows:
        reg = r["region"]
        name = html.escape(reg.name)
        out.append(
            f'<tr><th class="dash-region dash-d{r["depth"]}"><a href="/dashboard/region/{reg.pk}/">{name}</a>'
            f' <span class="muted">{html.escape(r["level_name"])}</span></th>'
        )
        missing = f'<td class="dash-cell dash-none">{"未填报" if r["reports"] else ""}</td>'
        out += [
            missing if c is None else _cell_html(c, name, y) for y, c in zip(g.years, r["cells"], strict=True)
        ]
        out.append("</tr>")
    return mark_safe("".join(out))  # every text from data above went through html.escape


def _query(**params: Any) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


@login_required
@require_safe
def index(request: Any) -> HttpResponse:
    a = scope.actor(request.user)
    raw_span = request.GET.get("span")
    span = DEFAULT_SPAN if raw_span in (None, "") else http.int_param(raw_span)
    span = span if span in (*SPANS, 0) else DEFAULT_SPAN
    year = http.int_param(request.GET.get("year"))

    def build() -> tuple[dash.Grid, bytes]:
        g = dash.grid(a, year, span or None)
        return g, grid_body(g).encode()

    g, body = dash.cached("grid", a, (year, span), build)
    area = a.region.name if a.region is not None and not a.is_admin else "全部地区"
    if fmt := request.GET.get("format"):
        years = f"{g.years[0]}-{g.years[-1]}年" if g.years else "无数据"
        return download([("总览", g.table())], fmt, f"{area}_总览_{years}")
    q = {"year": g.focus, "span": span}
    ctx = {
        "g": g,
        "body": GRID_MARK,
        "area": area,
        "span": span,
        "spans": [(s, f"近{s}年") for s in SPANS] + [(0, "全部年度")],
        "legend": dash.legend(),
        "statuses": STATUSES,
        "xlsx": _query(**q, format="xlsx"),
        "csv": _query(**q, format="csv"),
    }
    return _with_grid(render(request, "sifund/dashboard/index.html", ctx), body)


# Where the grid's rows go in the rendered page. A province's grid is ~800 KiB of HTML: put through
# the template, Django's node lists copy it at every level (~5 ms a request, measured); spliced into
# the rendered bytes, it is copied once and encoded once per cache entry.
GRID_MARK = mark_safe("<!--sifund:grid-rows-->")
_GRID_MARK_BYTES = GRID_MARK.encode()


def _with_grid(response: HttpResponse, body: bytes) -> HttpResponse:
    head, mark, tail = response.content.partition(_GRID_MARK_BYTES)
    if mark:
        response.content = b"".join((head, body, tail))
    return response


@login_required
@require_safe
def region(request: Any, region_id: int) -> HttpResponse:
    a = scope.actor(request.user)
    r = dash.region_for(a, region_id)
    subs = dash.history(a, r)
    funds = dash.funds_of(subs)
    fund = request.GET.get("fund") or "all"
    if fund not in dict(funds):
        fund = "all"
    fund_name = dict(funds)[fund]
    t = dash.trend(subs, fund)
    years = [s.year for s in subs]
    year = http.int_param(request.GET.get("year"))
    if year not in years:
        year = years[-1] if years else None
    p = dash.peers(a, r, year)
    if fmt := request.GET.get("format"):
        table = request.GET.get("table") or "trend"
        peers_sheet = (f"同级地区{year or ''}年", dash.peer_table(p))
        compare_sheet = (f"同级比较{year or ''}年", dash.compare_table(p, r))
        if table == "peers":  # the XLSX holds the comparison too; a CSV is one table
            sheets, stem = [peers_sheet, compare_sheet], f"{r.name}_同级地区_{year or '无数据'}年"
        elif table == "compare":
            sheets, stem = [compare_sheet], f"{r.name}_同级比较_{year or '无数据'}年"
        else:
            sheets, stem = (
                [(f"历年趋势（{fund_name}）", dash.trend_table(t))],
                f"{r.name}_历年趋势_{fund_name}",
            )
        return download(sheets, fmt, stem)
    b = dash.bands()
    rows = []
    for i, s in enumerate(subs):
        v = {k: t["series"][k][i] for k, _, _ in dash.TREND_SERIES}
        rows.append(
            {
                "s": s,
                "score": dash.num(v["score"]),
                "income": dash.wan(v["income"]),
                "expenditure": dash.wan(v["expenditure"]),
                "balance_current": dash.wan(v["balance_current"]),
                "balance_rolling": dash.wan(v["balance_rolling"]),
                "completion": dash.pct(v["expenditure_completion"]),
                "completion_class": dash.completion_class(v["expenditure_completion"], b),
                "months": dash.num(v["payable_months"]),
                "months_class": dash.months_class(v["payable_months"], b),
            }
        )
    chart = {
        "region": r.name,
        "fund_name": fund_name,
        "year": year,
        "trend": t,
        "peers": p["chart"],
        "legend": dash.legend(b),
    }
    q = {"fund": fund, "year": year}
    ctx = {
        "region": r,
        "crumbs": [x for x in r.ancestors() if scope.sees_region(a, x)],
        "funds": funds,
        "fund": fund,
        "fund_name": fund_name,
        "years": years,
        "year": year,
        "rows": rows,
        "peers": p,
        "chart": chart,
        "legend": dash.legend(b),
        "trend_xlsx": _query(**q, table="trend", format="xlsx"),
        "trend_csv": _query(**q, table="trend", format="csv"),
        "peers_xlsx": _query(**q, table="peers", format="xlsx"),
        "peers_csv": _query(**q, table="peers", format="csv"),
        "compare_xlsx": _query(**q, table="compare", format="xlsx"),
        "compare_csv": _query(**q, table="compare", format="csv"),
    }
    return render(request, "sifund/dashboard/region.html", ctx)


urlpatterns = [
    path("dashboard/", index, name="dashboard"),
    path("dashboard/region/<int:region_id>/", region, name="dashboard-region"),
]
