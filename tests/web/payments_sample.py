"""A small payment-audit result (the contract JSON of ``sifund payments audit``) for the web tests:
five hits over 2024 in three risk levels, and a summary that lists every built-in rule (one
skipped), the way a real run of a county's tables looks."""

from __future__ import annotations

import copy
from typing import Any

RULES = [  # code, 名称, 类别, risk, hits
    ("paid_after_death", "死亡后继续领取待遇", "支付类", "high"),
    ("duplicate_payment", "重复发放", "支付类", "high"),
    ("multiple_pensions", "重复领取基本养老金", "支付类", "high"),
    ("unemployment_with_pension", "领取养老金期间领取失业保险金", "支付类", "high"),
    ("unemployment_while_contributing", "就业参保期间领取失业保险金", "支付类", "medium"),
    ("underage_pension", "未达法定退休年龄领取养老金", "支付类", "medium"),
    ("invalid_person_id", "身份证号码无效", "支付类", "medium"),
    ("shared_account", "多人共用银行账户", "支付类", "medium"),
    ("same_person_two_ids", "一人多号", "支付类", "medium"),
    ("amount_outlier", "待遇金额异常", "支付类", "low"),
]

HITS: list[dict[str, Any]] = [
    {
        "rule": "paid_after_death", "risk": "high", "person_id": "65280119450307123X", "name": "张建国",
        "periods": ["2024-05", "2024-06"], "amount": 6840.0,
        "reason": "张建国（65280119450307123X）于2024-04-17死亡，死亡后仍发放2个月待遇，共6,840.00元",
        "rows": [{"table": "payments", "row": 41}, {"table": "payments", "row": 42},
                 {"table": "deaths", "row": 3}],
    },
    {
        "rule": "paid_after_death", "risk": "high", "person_id": "652801195011224526", "name": "李秀兰",
        "periods": ["2024-09"], "amount": 2980.5,
        "reason": "李秀兰（652801195011224526）于2024-08-02死亡，死亡后仍发放1个月待遇，共2,980.50元",
        "rows": [{"table": "payments", "row": 77}, {"table": "deaths", "row": 5}],
    },
    {
        "rule": "duplicate_payment", "risk": "high", "person_id": "652801196208153317", "name": "王志强",
        "periods": ["2024-03"], "amount": 3105.0,
        "reason": "王志强（652801196208153317）2024-03的基本养老金发放2次，多发3,105.00元",
        "rows": [{"table": "payments", "row": 12}, {"table": "payments", "row": 13}],
    },
    {
        "rule": "same_person_two_ids", "risk": "medium", "person_id": "652801195803211234", "name": "赵玉梅",
        "periods": ["2024-01", "2024-02"], "amount": 4200.0,
        "reason": "赵玉梅的号码652801195803211234与652801580321123为同一人（15位与18位号码一致）",
        "rows": [{"table": "payments", "row": 88}, {"table": "payments", "row": 89}],
        "other_ids": ["652801580321123"],
    },
    {
        "rule": "amount_outlier", "risk": "low", "person_id": "652801197001015555", "name": "陈刚",
        "periods": ["2024-07"], "amount": 18000.0,
        "reason": "陈刚2024-07的失业保险金20,000.00元，高于同组中位数2,000.00元的5倍",
        "rows": [{"table": "payments", "row": 130}],
    },
]  # fmt: skip


def result(hits: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The contract JSON: ``summary`` (every rule listed, counts from the hits) and ``hits``."""
    hs = copy.deepcopy(HITS if hits is None else hits)
    by_rule = {}
    for code, name, category, risk in RULES:
        mine = [h for h in hs if h["rule"] == code]
        entry = {
            "people": len(mine),
            "rows": sum(len(h["rows"]) for h in mine),
            "amount": round(sum(h["amount"] for h in mine), 2),
            "name": name,
            "category": category,
            "risk": risk,
        }
        if code == "unemployment_while_contributing":
            entry["skipped"] = "缺少 contributions 表"
        by_rule[code] = entry
    return {
        "summary": {"payments": 1200, "people": 100, "periods": ["2024-01", "2024-12"], "by_rule": by_rule},
        "hits": hs,
    }


def create_run(tree: dict[str, Any], username: str = "county-prep", region: str = "示例县", data: Any = None):
    """A run filed through the service layer, as the import page does."""
    from sifund.web import payments
    from sifund.web.scope import actor

    return payments.create_run(
        actor(tree["users"][username]), tree["regions"][region], result() if data is None else data,
        "import", "audit.json",
    )  # fmt: skip
