"""``sifund serve --demo``: a 疑点筛查 of 示例县 for 2023 with a few dozen hits of every rule, part of
them already verified by the county's preparer and the city's reviewer, so the 疑点 pages, the
history and the report's 三（四）sentence have something to show.

Why hand-made rather than an audit of synthetic tables: the engine's start-up (DuckDB, ibis) costs
seconds on every demo start; the hits here use the catalogue's own names, risks and 疑点说明
templates (data/payments/rules.yaml), with valid ID numbers, so they read like a real run.
Seeded: the same demo on every start. Idempotent: a region with a run is left alone.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

DEMO_REGION = "示例县"
DEMO_SEED = 20230101
HITS_PER_RULE = {
    "paid_after_death": 6, "duplicate_payment": 5, "multiple_pensions": 3, "unemployment_with_pension": 2,
    "underage_pension": 3, "invalid_person_id": 4, "shared_account": 3, "same_person_two_ids": 3,
    "amount_outlier": 5,
}  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀兰", "志强", "玉梅", "桂英", "国华", "丽娟", "德明", "淑珍", "文斌", "海燕", "永福"]
# what the verification looked like: (status, note, recovered share of the amount)
VERIFIED = [
    ("confirmed", "经比对民政死亡信息属实，已停发并追回。", 1.0),
    ("confirmed", "已核实，责令退回，部分追回。", 0.5),
    ("excluded", "系银行退票后重发，实际只到账一次。", 0.0),
    ("checking", "已发函至参保人所在社区核实。", 0.0),
]


def _pid(rng: random.Random, year: int) -> str:
    from sifund.core.idcard import check_digit

    body = f"652801{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + check_digit(body)


def _month_before(month: int, day: int) -> str:
    """A death date in the month before ``month`` of 2023 (payments for its periods come after it)."""
    return f"2022-12-1{day}" if month == 1 else f"2023-{month - 1:02d}-1{day}"


def demo_result() -> dict[str, Any]:
    """The contract JSON of a made-up audit of 示例县's 2023 payments."""
    from sifund.core.idcard import to_15
    from sifund.payments.catalogue import load_rules
    from sifund.payments.engine import period_facts
    from sifund.payments.linkage import merged_params

    id15_18 = merged_params({})["keys"]["id15_18"]  # the demo's 一人多号 are 15/18-digit pairs

    rng = random.Random(DEMO_SEED)
    hits, by_rule = [], {}
    for rule in load_rules():
        if not rule.enabled:
            continue
        mine = []
        for k in range(HITS_PER_RULE.get(rule.code, 0)):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            pid = _pid(rng, rng.randint(1940, 1975))
            first = rng.randint(1, 10)
            months = rng.randint(1, 12 - first + 1)
            periods = [f"2023-{m:02d}" for m in range(first, first + months)]
            amount = round(rng.uniform(1800, 4200) * months, 2)
            facts = defaultdict(
                str, period_facts(periods), name=name, person_id=pid, amount=f"{amount:,.2f}",
                event_date=_month_before(first, k), count=2,
                benefits="基本养老金", funds="企业职工基本养老保险、城乡居民基本养老保险",
                kept_fund="企业职工基本养老保险", a_benefits="基本养老金", b_benefits="失业保险金",
                counted="失业保险金", employers="示例县建筑公司",
                birth_date="1968-05-03", reach="2028-05", fund="企业职工基本养老保险", age=60,
                problem="校验码错误", key=f"6222{rng.randint(10**11, 10**12 - 1)}", people=3,
                other_ids=to_15(pid), basis=id15_18, median="2,150.00", factor=5,
            )  # fmt: skip
            rows = [{"table": "payments", "row": rng.randint(1, 90000)} for _ in periods]
            if rule.code == "paid_after_death":
                rows.append({"table": "deaths", "row": rng.randint(1, 400)})
            hit = {"rule": rule.code, "risk": rule.risk, "person_id": pid, "name": name, "periods": periods,
                   "amount": amount, "reason": rule.reason.format_map(facts),
                   "rows": sorted(rows, key=lambda r: (r["table"] != "payments", r["row"]))}  # fmt: skip
            if rule.code == "same_person_two_ids":
                hit["other_ids"] = [facts["other_ids"]]
            mine.append(hit)
        hits += sorted(mine, key=lambda h: h["person_id"])
        entry = {"people": len(mine), "rows": sum(len(h["rows"]) for h in mine),
                 "amount": round(sum(h["amount"] for h in mine), 2), "name": rule.name,
                 "category": rule.category, "risk": rule.risk}  # fmt: skip
        if rule.code == "unemployment_while_contributing":
            entry["skipped"] = "缺少 contributions 表"
        by_rule[rule.code] = entry
    order = {"high": 0, "medium": 1, "low": 2}
    hits.sort(key=lambda h: order[h["risk"]])  # stable: the catalogue's order within a risk
    summary = {"payments": 86_412, "people": 7_203, "periods": ["2023-01", "2023-12"], "by_rule": by_rule}
    return {"summary": summary, "hits": hits}


def load_payments_demo(users: dict[str, str]) -> None:
    """The demo run of 示例县, filed by its preparer, a few hits verified (``users``: role → username
    of 示例县's preparer ``preparer`` and 示例市's reviewer ``reviewer``)."""
    from django.contrib.auth import get_user_model

    from sifund.web import payments
    from sifund.web.models import Region
    from sifund.web.payment_models import PaymentRun
    from sifund.web.scope import actor

    region = Region.objects.filter(name=DEMO_REGION).first()
    if region is None or PaymentRun.objects.filter(region=region).exists():
        return
    User = get_user_model()
    prep = actor(User.objects.get(username=users["preparer"]))
    rev = actor(User.objects.get(username=users["reviewer"]))
    run = payments.create_run(prep, region, demo_result(), "import", "示例县2023年待遇支付疑点筛查.json")
    for i, h in enumerate(payments.hits(run)[:12]):
        status, note, share = VERIFIED[i % len(VERIFIED)]
        payments.verify(prep, h.pk, "checking", "已调取支付明细与相关部门数据。")
        if status != "checking":
            recovered = f"{float(h.amount) * share:.2f}" if share else None
            payments.verify(prep, h.pk, status, note, recovered)
        if i == 2:  # a reviewer overturns one exclusion after a second look
            payments.verify(rev, h.pk, "confirmed", "复核：银行流水显示两次均已到账，改为确认违规。")
