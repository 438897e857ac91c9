"""The reviewer's dashboard: the region × year grid over a user's area, one region's trends and its
place among its sibling regions, and every table as CSV/XLSX.

The data are synthetic submissions made the way an agency would file them (``synthetic_dataset``:
an example's figures scaled by a seeded factor, filed under another region and year through
``services.create_submission``), or — where only the stored columns matter (ranks, colours, the
3,000-row grid) — rows with known stored columns.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import time
from typing import Any

import pytest

from sifund import api
from sifund.core.codes import codebook
from sifund.web import dashboard, scope, services
from sifund.web.models import Region, Submission

from .conftest import EXAMPLES

# ---- synthetic submissions ---------------------------------------------------------------------

DERIVED = ("yoy_change", "yoy_rate", "completion_rate")  # recomputed by the engine, never stated


def synthetic_dataset(base: dict[str, Any], region: str, year: int, seed: int = 0) -> dict[str, Any]:
    """``base`` (an interchange dataset) as ``region``'s dataset of ``year``: money scaled by the
    region's size (seeded by region) and a growth of 6% a year; per fund a factor on spending and
    on budgets (seeded by region-year) and on the rolling balance carried in (by region, with a
    little noise per year), so completion, balances and months of payment differ. Figures the
    engine derives (all-fund totals, the current and year-end balances, changes and rates) are
    left out and recomputed — the dataset stays free of disagreements. Indicators bound to a
    metric take its value; satisfaction varies."""
    book = codebook()
    size = random.Random(f"size/{region}/{seed}").uniform(0.4, 2.5) * 1.06 ** (year - base["year"])
    rnd = random.Random(f"{region}/{year}/{seed}")
    funds = sorted({f["fund"] for f in base["figures"]} - {"all"})
    spend = {f: rnd.uniform(0.86, 1.14) for f in funds}
    plan = {f: rnd.uniform(0.95, 1.06) for f in funds}
    held = random.Random(f"stock/{region}/{seed}")  # a region's reserves are its own, year after year
    stock = {f: held.uniform(0.5, 6.0) * rnd.uniform(0.9, 1.15) for f in funds}
    figures = []
    for f in base["figures"]:
        item, measure = f["item"], f.get("measure", "actual")
        if f["fund"] == "all" or item == "balance_current" or measure in DERIVED:
            continue
        if item == "balance_rolling" and measure == "actual":
            continue
        v = f["value"] * size
        if item == "balance_rolling":
            v *= stock[f["fund"]]
        elif measure == "actual" and book.items[item].group == "expenditure":
            v *= spend[f["fund"]]
        elif measure in ("budget", "budget_adjusted"):
            v *= plan[f["fund"]]
        figures.append(
            {**{k: x for k, x in f.items() if k != "source"}, "value": round(v, 1), "precision": 0.1}
        )
    indicators = []
    for ind in base["indicators"]:
        ind = {k: x for k, x in ind.items() if k != "source"}
        if ind.get("metric") or "可支付月数" in ind.get("name", ""):
            ind["actual"] = ""
        elif "满意度" in ind.get("name", ""):
            ind["actual"] = f"{rnd.uniform(82, 98):.0f}%"
        indicators.append(ind)
    text = json.dumps(
        {k: v for k, v in base.items() if k not in ("figures", "indicators")}, ensure_ascii=False
    )
    other = json.loads(text.replace(base["region"], region).replace(str(base["year"]), str(year)))
    return {**other, "region": region, "year": year, "figures": figures, "indicators": indicators}


def example_base(name: str = "synthetic-county-2023.yaml") -> dict[str, Any]:
    return api.load(EXAMPLES / name).dataset.to_interchange()


def file_synthetic(a: scope.Actor, plan: dict[str, list[int]], seed: int = 0) -> list[Submission]:
    """One submission per region-year of ``plan`` ({region name: [years]}), filed by ``a`` through
    the services layer (evaluated like any upload)."""
    base = example_base()
    out = []
    for region, years in plan.items():
        for y in years:
            loaded = services.parse_body(synthetic_dataset(base, region, y, seed))
            assert not loaded.warnings, [w.message for w in loaded.warnings]
            out.append(services.create_submission(a, loaded, f"synthetic-{region}-{y}.json", "json"))
    return out


def stored(region: Region, year: int, **cols: Any) -> Submission:
    """A row with only the stored columns the grid and the ranks read (no dataset, no evaluation)."""
    return Submission.objects.create(region=region, year=year, dataset={}, evaluation={}, **cols)


# ---- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def area(tree):
    """conftest's tree with two more counties under 示例市 (甲县, 乙县)."""
    r = tree["regions"]
    for name in ("甲县", "乙县"):
        r[name] = Region.objects.create(name=name, level="county", parent=r["示例市"])
    return tree


@pytest.fixture
def synthetic(area):
    """示例县 2022 and 2023, 甲县 2023 (示例市) and 邻县 2023 (邻市), filed by the admin."""
    subs = file_synthetic(
        scope.actor(area["users"]["admin"]), {"示例县": [2022, 2023], "甲县": [2023], "邻县": [2023]}
    )
    return {**area, "subs": subs}


def grid_cells(html: str) -> dict[int, dict[str, str]]:
    """The grid's cells by submission id: the class of the completion and months chips."""
    out = {}
    for m in re.finditer(
        r'href="/submissions/(\d+)/".*?dash-chip ?([a-z]*)" title="支出预算完成率">([^<]*)<.*?'
        r'dash-chip ?([a-z]*)" title="累计结余可支付月数">([^<]*)<',
        html,
        re.S,
    ):
        out[int(m[1])] = {"completion": m[2], "completion_text": m[3], "months": m[4], "months_text": m[5]}
    return out


def grid_regions(html: str) -> list[str]:
    return re.findall(r'<th class="dash-region dash-d\d"><a href="/dashboard/region/\d+/">([^<]+)</a>', html)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(body: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(body)).active
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def norm(rows: list[list[str]]) -> list[list[str]]:
    """Numbers as numbers (a CSV says 368.0 where the XLSX cell reads back as 368)."""

    def one(v: str) -> str:
        try:
            return repr(float(v))
        except ValueError:
            return v

    return [[one(v) for v in r] for r in rows]


def chart_data(html: str) -> dict[str, Any]:
    m = re.search(r'<script id="dash-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the region page embeds its chart data"
    return json.loads(m[1])


# ---- the grid ----------------------------------------------------------------------------------


def test_a_prefecture_reviewer_sees_exactly_its_counties_in_the_grid_and_the_downloads(synthetic, client_for):
    c = client_for("city-rev")
    html = c.get("/dashboard/").content.decode()
    assert grid_regions(html) == ["示例市", "示例县", "甲县", "乙县"]  # tree order, the prefecture first
    assert "邻县" not in html and "邻市" not in html
    mine = {s.pk for s in synthetic["subs"] if s.region.name in ("示例县", "甲县")}
    assert set(grid_cells(html)) == mine

    expected = [
        [s.region.name, str(s.year), str(s.pk)]
        for s in sorted(synthetic["subs"], key=lambda s: (s.region.path, s.year))
        if s.pk in mine
    ]
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        r = c.get("/dashboard/", {"format": fmt})
        assert r.status_code == 200 and f".{fmt}" in r["Content-Disposition"]
        rows = read(r.content)
        assert rows[0] == list(dashboard.GRID_HEADER)
        assert [[x[0], x[2], x[-1]] for x in rows[1:]] == expected
    assert norm(csv_rows(c.get("/dashboard/", {"format": "csv"}).content)) == norm(
        xlsx_rows(c.get("/dashboard/", {"format": "xlsx"}).content)
    )
    assert c.get("/dashboard/", {"format": "pdf"}).status_code == 400


def test_the_downloaded_row_holds_the_stored_columns(synthetic, client_for):
    s = next(x for x in synthetic["subs"] if (x.region.name, x.year) == ("示例县", 2023))
    rows = csv_rows(client_for("prov-rev").get("/dashboard/", {"format": "csv"}).content)
    row = dict(zip(rows[0], next(r for r in rows if r[-1] == str(s.pk)), strict=True))
    assert row["状态"] == "草稿" and row["等级"] == s.grade
    assert float(row["得分"]) == round(s.score, 2)
    assert float(row["支出预算完成率（%）"]) == round(s.expenditure_completion, 2)
    assert float(row["累计结余可支付月数"]) == round(s.payable_months, 2)
    assert [int(row[k]) for k in ("高风险", "中风险", "低风险")] == [s.risk_high, s.risk_medium, s.risk_low]


def test_a_preparer_sees_its_own_region_only(synthetic, client_for):
    html = client_for("county-prep").get("/dashboard/").content.decode()
    assert grid_regions(html) == ["示例县"]
    assert set(grid_cells(html)) == {s.pk for s in synthetic["subs"] if s.region.name == "示例县"}
    rows = csv_rows(client_for("county-prep").get("/dashboard/", {"format": "csv"}).content)
    assert {r[0] for r in rows[1:]} == {"示例县"}


def test_the_csv_has_a_bom_and_opens_as_utf8(synthetic, client_for):
    r = client_for("prov-rev").get("/dashboard/", {"format": "csv"})
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r.content[:3] == b"\xef\xbb\xbf"
    text = r.content.decode("utf-8")  # strict: raises on anything that is not UTF-8
    assert text.lstrip("\ufeff").startswith("地区,级别,年度,状态")
    assert "示例县" in text and "\r\n" in text


def test_the_completion_colour_follows_the_engines_band(area, client_for):
    b = dashboard.bands()
    lo, hi = b.completion
    assert (lo, hi) == (90.0, 110.0)  # risks.yaml: expenditure_completion_deviation, outside [90, 110]
    r = area["regions"]
    cases = {lo: "good", hi: "good", lo - 0.01: "fair", hi + 0.01: "fair", (lo + hi) / 2: "good", None: ""}
    cases[lo - 0.004] = "good"  # prints as 90.00%: judged as printed, like the report's 偏差原因
    ids = {}
    for year, (v, want) in enumerate(cases.items(), start=2015):
        ids[stored(r["甲县"], year, expenditure_completion=v, score=90).pk] = (v, want)
    html = client_for("city-rev").get("/dashboard/", {"span": 0}).content.decode()
    cells = grid_cells(html)
    for pk, (v, want) in ids.items():
        assert cells[pk]["completion"] == want, (v, cells[pk])
        assert dashboard.completion_class(v) == want
    assert cells[next(iter(ids))]["completion_text"] == f"{lo:.2f}%"
    assert f"绿色在{lo:g}%~{hi:g}%区间内" in html  # the legend states the band it colours by


def test_the_months_colour_follows_the_engines_risk_thresholds(area):
    b = dashboard.bands()
    assert (b.months_high, b.months_medium) == (6.0, 12.0)  # payable_months_critical / _low
    assert [
        dashboard.months_class(v) for v in (b.months_high - 0.01, b.months_high, b.months_medium - 0.01)
    ] == [
        "poor",
        "fair",
        "fair",
    ]
    assert dashboard.months_class(b.months_medium) == "good" and dashboard.months_class(None) == ""


def test_the_bands_are_read_from_the_rules_and_checked(area):
    rules = [
        {
            "id": "band",
            "level": "低",
            "when": {"metric": "expenditure_completion", "op": "outside", "value": [95, 105]},
        },
        {"id": "h", "level": "高", "when": {"metric": "payable_months", "op": "<", "value": 3}},
        {
            "id": "m",
            "level": "中",
            "when": {
                "all": [
                    {"metric": "payable_months", "op": ">=", "value": 3},
                    {"metric": "payable_months", "op": "<", "value": 9},
                ]
            },
        },
    ]
    b = dashboard.bands_from(rules)
    assert (b.completion, b.months_high, b.months_medium) == ((95.0, 105.0), 3.0, 9.0)
    assert dashboard.completion_class(94.99, b) == "fair" and dashboard.months_class(8, b) == "fair"
    with pytest.raises(ValueError, match="band"):
        dashboard.bands_from(rules[1:])
    with pytest.raises(ValueError, match="中"):
        dashboard.bands_from(rules[:2])
    with pytest.raises(ValueError, match="overlap"):
        dashboard.bands_from([rules[0], rules[1], {**rules[1], "id": "x", "level": "中"}])


def test_the_kpi_cards_count_the_focus_year(area, client_for):
    r = area["regions"]
    b = dashboard.bands()
    stored(r["示例县"], 2023, status="approved", score=90, risk_high=1, payable_months=b.months_high - 1)
    stored(r["甲县"], 2023, status="submitted", score=80, expenditure_completion=b.completion[1] + 5)
    stored(r["乙县"], 2022, status="approved", score=70)
    g = dashboard.grid(scope.actor(area["users"]["city-rev"]))
    k = g.kpi
    assert (k["year"], k["count"], k["average"]) == (2023, 2, "85.00")
    assert dict((s, n) for s, _, n in k["by_status"]) == {
        "draft": 0,
        "submitted": 1,
        "returned": 0,
        "approved": 1,
    }
    assert k["high"] == ["示例县"] and k["short"] == ["示例县"] and k["off"] == ["甲县"]
    assert k["missing"] == ["乙县"]  # reported in 2022, not in 2023
    html = client_for("city-rev").get("/dashboard/").content.decode()
    assert "85.00" in html and "未填报：1个（乙县）" in html


def test_the_grid_of_a_province_is_a_few_queries_whatever_its_size(
    tree, client_for, django_assert_max_num_queries
):
    """~300 counties × 10 years = 3,000 submissions: one query for the newest ids (with their stored
    columns), one for the regions, one for the years — never one per cell."""
    prov = tree["regions"]["示例省"]
    pref = [Region.objects.create(name=f"第{i}地区", level="prefecture", parent=prov) for i in range(15)]
    counties = [
        Region.objects.create(name=f"第{i}县", level="county", parent=pref[i % 15]) for i in range(300)
    ]
    rnd = random.Random(7)
    Submission.objects.bulk_create(
        Submission(
            region=c,
            year=y,
            dataset={},
            evaluation={},
            status=rnd.choice(["draft", "submitted", "approved"]),
            score=rnd.uniform(60, 99),
            grade="良",
            expenditure_completion=rnd.uniform(80, 120),
            payable_months=rnd.uniform(1, 30),
            risk_high=rnd.randint(0, 2),
        )
        for c in counties
        for y in range(2014, 2024)
    )
    c = client_for("prov-rev")
    c.get("/dashboard/")  # warm the session and the template cache
    t0 = time.perf_counter()
    with django_assert_max_num_queries(8):
        r = c.get("/dashboard/", {"span": 0})
    took = time.perf_counter() - t0
    html = r.content.decode()
    assert len(grid_cells(html)) == 3000
    assert took < 5, f"the 3,000-cell grid took {took:.2f} s"
    with django_assert_max_num_queries(8):
        rows = csv_rows(c.get("/dashboard/", {"span": 0, "format": "csv"}).content)
    assert len(rows) == 3001
    print(f"\n3,000-cell grid: {took * 1000:.0f} ms, {len(html) // 1024} KiB")


# ---- one region --------------------------------------------------------------------------------


def test_a_region_outside_the_callers_area_is_not_found(synthetic, client_for):
    r = synthetic["regions"]
    city = client_for("city-rev")
    assert city.get(f"/dashboard/region/{r['示例县'].pk}/").status_code == 200
    for other in ("邻县", "邻市", "示例省"):
        for q in ({}, {"format": "csv"}, {"format": "xlsx", "table": "peers"}):
            resp = city.get(f"/dashboard/region/{r[other].pk}/", q)
            assert resp.status_code == 404, (other, q)
            assert other not in resp.content.decode()
    assert city.get("/dashboard/region/999999/").status_code == 404
    prep = client_for("county-prep")
    assert prep.get(f"/dashboard/region/{r['示例县'].pk}/").status_code == 200
    assert prep.get(f"/dashboard/region/{r['甲县'].pk}/").status_code == 404
    assert client_for("other-rev").get(f"/dashboard/region/{r['示例县'].pk}/").status_code == 404


def test_the_chart_data_are_the_stored_metrics(synthetic, client_for):
    subs = [s for s in synthetic["subs"] if s.region.name == "示例县"]
    region = subs[0].region
    c = client_for("city-rev")

    def metric(s: Submission, fund: str, code: str) -> Any:
        return next((m for m in s.evaluation["metrics"] if (m["fund"], m["code"]) == (fund, code)), None)

    d = chart_data(c.get(f"/dashboard/region/{region.pk}/").content.decode())
    t = d["trend"]
    assert t["years"] == [2022, 2023] and t["fund"] == "all" and d["fund_name"] == "合计"
    for k in ("balance_current", "balance_rolling"):
        assert t["series"][k] == [metric(s, "all", k)["value"] for s in subs]
    assert t["series"]["income"] == [metric(s, "all", "income_completion")["inputs"]["actual"] for s in subs]
    assert t["series"]["expenditure"] == [
        metric(s, "all", "expenditure_completion")["inputs"]["actual"] for s in subs
    ]
    assert t["series"]["expenditure_completion"] == [s.expenditure_completion for s in subs]
    assert t["series"]["payable_months"] == [s.payable_months for s in subs]  # the grid's (binding) fund
    assert t["series"]["score"] == [s.score for s in subs]
    assert t["band"] == list(dashboard.bands().completion)

    fund = "institution_pension"
    d = chart_data(c.get(f"/dashboard/region/{region.pk}/", {"fund": fund}).content.decode())
    for k in ("expenditure_completion", "payable_months", "balance_rolling"):
        assert d["trend"]["series"][k] == [metric(s, fund, k)["value"] for s in subs]
    assert d["fund_name"] == codebook().funds[fund].name

    rows = csv_rows(c.get(f"/dashboard/region/{region.pk}/", {"fund": fund, "format": "csv"}).content)
    assert [r[0] for r in rows[1:]] == ["2022", "2023"]
    col = rows[0].index("年末滚存结余（万元）")
    assert [float(r[col]) for r in rows[1:]] == [
        round(metric(s, fund, "balance_rolling")["value"], 2) for s in subs
    ]
    xlsx = xlsx_rows(c.get(f"/dashboard/region/{region.pk}/", {"fund": fund, "format": "xlsx"}).content)
    assert norm(xlsx) == norm(rows)


def test_the_rank_among_siblings_and_their_median(area, client_for):
    r = area["regions"]
    b = dashboard.bands()
    stored(r["示例县"], 2023, score=88.5, expenditure_completion=b.centre + 8, payable_months=7, risk_high=1)
    stored(r["甲县"], 2023, score=92.0, expenditure_completion=b.centre - 1, payable_months=20, risk_high=0)
    stored(r["乙县"], 2023, score=95.0, expenditure_completion=b.centre + 3, payable_months=3, risk_high=2)
    stored(r["邻县"], 2023, score=99.0)  # another prefecture: no sibling of 示例县
    stored(r["示例县"], 2022, score=50.0)  # another year

    p = dashboard.peers(scope.actor(area["users"]["city-rev"]), r["示例县"], 2023)
    m = {x["key"]: x for x in p["metrics"]}
    assert p["count"] == 3
    assert m["score"]["rank_text"] == "第3位/共3个" and m["score"]["median_text"] == "93.50"
    assert m["expenditure_completion"]["rank_text"] == "第3位/共3个"  # farthest from the band's centre
    assert m["payable_months"]["rank_text"] == "第2位/共3个"
    assert m["risk_high"]["rank_text"] == "第2位/共3个" and m["risk_high"]["median_text"] == "1.0"

    html = client_for("city-rev").get(f"/dashboard/region/{r['示例县'].pk}/").content.decode()
    assert "第3位/共3个" in html and "93.50" in html
    assert chart_data(html)["peers"] == {
        "names": ["乙县", "甲县", "示例县"],
        "scores": [95.0, 92.0, 88.5],
        "highlight": 2,
        "median": 93.5,
    }
    rows = csv_rows(
        client_for("city-rev")
        .get(f"/dashboard/region/{r['甲县'].pk}/", {"table": "peers", "format": "csv"})
        .content
    )
    assert [(x[0], x[-1]) for x in rows[1:]] == [
        ("乙县", "第1位/共3个"),
        ("甲县", "第2位/共3个"),
        ("示例县", "第3位/共3个"),
    ]
    cmp = csv_rows(
        client_for("city-rev")
        .get(f"/dashboard/region/{r['示例县'].pk}/", {"table": "compare", "format": "csv"})
        .content
    )
    assert cmp[0] == ["指标", "单位", "示例县", "同级中位数（不含本地区）", "排名"]
    assert cmp[1] == ["绩效得分", "分", "88.5", "93.5", "第3位/共3个"]


def test_ties_share_a_place():
    assert dashboard.rank(90, [95, 90, 90, 80], "high") == (2, 4)
    assert dashboard.rank(80, [95, 90, 90, 80], "high") == (4, 4)
    assert dashboard.rank(0, [2, 0, 1, None], "low") == (1, 3)
    assert dashboard.rank(None, [1, 2], "high") == (None, 2)
    assert dashboard.rank_text(3, 12) == "第3位/共12个"


def test_siblings_outside_the_callers_area_are_not_compared(area, client_for):
    """A prefecture reviewer on its own prefecture's page: the other prefectures are not its to see,
    not even as a median."""
    r = area["regions"]
    stored(r["示例市"], 2023, score=80.0)
    stored(r["邻市"], 2023, score=90.0)
    p = dashboard.peers(scope.actor(area["users"]["city-rev"]), r["示例市"], 2023)
    assert p["count"] == 1 and p["chart"]["names"] == ["示例市"]
    html = client_for("city-rev").get(f"/dashboard/region/{r['示例市'].pk}/").content.decode()
    assert "邻市" not in html and "90.00" not in html
    p = dashboard.peers(scope.actor(area["users"]["prov-rev"]), r["示例市"], 2023)
    assert p["count"] == 2 and {x["key"]: x["rank_text"] for x in p["metrics"]}["score"] == "第2位/共2个"


def test_a_region_without_submissions_has_a_page(area, client_for):
    r = client_for("city-rev").get(f"/dashboard/region/{area['regions']['乙县'].pk}/")
    assert r.status_code == 200 and "尚无自评提交" in r.content.decode()
    assert "尚无自评提交" in client_for("city-rev").get("/dashboard/").content.decode()
