"""Builders of tiny input folders for the payment-audit tests (imported by conftest and tests).

``pid(...)`` makes a valid 18-digit 公民身份号码 (check digit computed), so that a test about one
rule is not also an ``invalid_person_id`` hit; ``write_table`` writes one table's rows as CSV
(a payment's missing columns get the defaults of :data:`PAYMENT`).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sifund.payments.tables import TABLE_SPECS

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PAYMENT = {
    "name": "张三",
    "fund": "enterprise_pension",
    "benefit": "basic_pension",
    "amount": "1000.00",
    "account": "",
    "region": "110105",
}


def pid(birth: str = "19500101", seq: str = "001", region: str = "110105", male: bool = True) -> str:
    """A valid 18-digit ID: region, birth date YYYYMMDD, a sequence whose last digit is odd for a man."""
    last = int(seq[-1])
    if (last % 2 == 1) != male:
        seq = seq[:-1] + str((last + 1) % 10)
    body = region + birth + seq
    total = sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def write_table(path: Path, table: str, rows: list[dict[str, Any]]) -> Path:
    """``rows`` as a CSV with the table's columns (a payment row gets PAYMENT's defaults)."""
    cols = [c.name for c in TABLE_SPECS[table].columns if c.required]
    extra = [k for r in rows for k in r if k not in cols]
    cols += list(dict.fromkeys(extra))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({**(PAYMENT if table == "payments" else {}), **r})
    return path
