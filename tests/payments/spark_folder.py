"""A small hand-built input folder with at least one case of every built-in rule (for the Spark tests).

Built in the test, never committed as data: each person below is one planted case, named after the
rule it should trigger, beside a few clean people so that every rule also has rows it must not find.
"""

from __future__ import annotations

import csv
from pathlib import Path

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id18(region: str, birth: str, seq: str) -> str:
    """A valid 18-character 公民身份号码 (GB 11643 check character) from region, YYYYMMDD and 3 digits."""
    body = region + birth + seq
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def id15(region: str, birth: str, seq: str) -> str:
    """The 15-digit form of the same number (two-digit year, no check character)."""
    return region + birth[2:] + seq


MONTHS = [f"2024-{m:02d}" for m in range(1, 7)]
R = "110101"  # 北京市东城区
EP, IP, RP, UN = "enterprise_pension", "institution_pension", "resident_pension", "unemployment"


def build(folder: Path) -> Path:
    """Write payments.csv, deaths.csv, contributions.csv and people.csv into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    pay: list[tuple] = []

    def pension(pid: str, name: str, fund: str, months: list[str], amount: str, account: str) -> None:
        for m in months:
            pay.append((pid, name, fund, "basic_pension", m, amount, account, R))

    # clean background: ten pensioners born in the 1950s, own accounts (also the outlier's group)
    for i in range(10):
        pid = id18(R, f"1955{i + 1:02d}15", f"{100 + i:03d}")
        pension(pid, f"背景{i}", EP, MONTHS, f"{3000 + 10 * i}.00", f"62220000{i:04d}")
    dead = id18(R, "19500310", "201")
    pension(dead, "死亡甲", EP, MONTHS, "3100.00", "622201")
    dup = id18(R, "19520101", "202")
    pension(dup, "重复乙", EP, MONTHS, "3200.00", "622202")
    pay.append((dup, "重复乙", EP, "basic_pension", "2024-02", "3200.00", "622202", R))
    two = id18(R, "19530202", "203")
    pension(two, "双养丙", EP, MONTHS, "3050.00", "622203")
    pension(two, "双养丙", RP, MONTHS[3:], "180.00", "622203")
    unp = id18(R, "19540303", "204")
    pension(unp, "失养丁", EP, MONTHS, "3010.00", "622204")
    for m in MONTHS[2:4]:
        pay.append((unp, "失养丁", UN, "unemployment_benefit", m, "1800.00", "622204", R))
    work = id18(R, "19850404", "205")
    for m in MONTHS[:3]:
        pay.append((work, "失缴戊", UN, "unemployment_benefit", m, "1800.00", "622205", R))
    young = id18(R, "19800505", "206")
    pension(young, "早领己", EP, MONTHS[:2], "2990.00", "622206")
    bad = id18(R, "19560606", "207")
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")  # wrong check character
    pension(bad, "错号庚", EP, MONTHS[:2], "3020.00", "622207")
    for k, who in enumerate(("共户一", "共户二", "共户三")):
        pid = id18(R, f"1951070{k + 1}", f"{210 + k:03d}")
        pension(pid, who, EP, MONTHS[:1], "3005.00", "622299")
    old = ("110101", "19480808", "220")
    pension(id15(*old), "两号辛", EP, MONTHS[:3], "3030.00", "622220")
    pension(id18(*old), "两号辛", EP, MONTHS[2:], "3030.00", "622220")
    big = id18(R, "19490909", "230")
    pension(big, "超额壬", EP, MONTHS[:1], "30000.00", "622230")
    pension(big, "超额壬", EP, MONTHS[1:2], "3040.00", "622230")

    _write(
        folder / "payments.csv",
        ["person_id", "name", "fund", "benefit", "period", "amount", "account", "region"],
        pay,
    )
    _write(folder / "deaths.csv", ["person_id", "name", "death_date"], [(dead, "死亡甲", "2024-03-10")])
    _write(
        folder / "contributions.csv",
        ["person_id", "fund", "period", "employer", "base", "amount"],
        [
            (work, UN, "2024-02", "某某科技有限公司", "6000.00", "30.00"),
            (work, UN, "2024-03", "", "6000.00", "30.00"),
        ],
    )
    _write(
        folder / "people.csv",
        ["person_id", "name", "birth_date", "gender", "retire_date"],
        [(young, "早领己", "1980-05-05", "男", ""), (dead, "死亡甲", "1950-03-10", "男", "2010-03-10")],
    )
    return folder


def _write(path: Path, header: list[str], rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
