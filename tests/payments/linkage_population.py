"""A synthetic population for the linkage tests and benchmark, with planted duplicates and decoys.

Why its own generator: the linkage needs shapes the general synthetic data (``sifund.payments.synth``)
may plant differently, and a test must know exactly which pairs are one person. Background people
have valid 18-digit IDs, names drawn with a skewed (Zipf-like) surname and given-name distribution
(so common names form large blocks, as real data does), one region and one account each, and no two
share name + birth date + gender. Planted duplicates (a second ID paid for the same person):

- ``id15``: the 15-digit form of the ID (same account or a new one);
- ``seq_typo``: one sequence digit (15–16) mistyped, check digit recomputed or left wrong, a new account;
- ``reregistered``: another county's region code, the same birth date and sequence, a new account;
- ``same_account``: another ID altogether, the same name, birth date, gender and account.

Decoys (different people that must not link): same name + birth date with the other gender, and
same name + birth date + gender in another region with another account and an unrelated ID.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
PROVINCES = ("11", "12", "13", "14", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42")
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲建国文斌宇浩凯健俊帆帅旭宁"
    "龙林欣佳雪梅琳晶莉婷慧颖倩瑶琪晨阳波峰飞鑫博思雨嘉亮志新东海兵成春荣丹宏云庆德金燕凤"
    "君莹月彬晓晖光松昊泽瑞翔振宝家安永福生喜顺利民宗发友良才忠义礼智信仁和平安康乐美善真"
)
MONTHS = 12


def check_char(body17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True)) % 11]


def id18(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + check_char(body)


@dataclass
class Population:
    payments: pa.Table  # person_id, name, fund, benefit, period, amount, account, region, _row
    people: pa.Table  # person_id, name, birth_date, gender, retire_date, _row
    truth: list[tuple[str, str]]  # (first-paid ID, other ID) of every planted duplicate
    decoys: list[tuple[str, str]]  # pairs that must not link


def _zipf_choice(rng: np.random.Generator, items: list[str], n: int, s: float = 1.0) -> np.ndarray:
    w = 1.0 / np.arange(1, len(items) + 1) ** s
    return rng.choice(np.array(items), size=n, p=w / w.sum())


def population(
    n: int, *, seed: int = 1, dup_rate: float = 0.01, decoy_rate: float = 0.01, months: int = MONTHS
) -> Population:
    """``n`` background people, ``dup_rate``·n planted duplicates (the four kinds in turn) and
    ``decoy_rate``·n decoys; payments for ``months`` months (the duplicates from month 4)."""
    rng = np.random.default_rng(seed)
    counties = [p + f"{c:02d}{d:02d}" for p in PROVINCES for c in range(1, 4) for d in range(1, 5)]
    m = int(n * 1.15) + 100  # draw extra, then drop name+birth+gender collisions
    sur = _zipf_choice(rng, SURNAMES, m)
    g1 = _zipf_choice(rng, GIVEN, m, 0.6)
    g2 = _zipf_choice(rng, GIVEN, m, 0.6)
    two = rng.random(m) < 0.7
    names = np.char.add(np.char.add(sur, g1), np.where(two, g2, ""))
    days = rng.integers(0, 365 * 40, m)  # born 1940–1979
    births = (np.datetime64("1940-01-01") + days).astype("datetime64[D]")
    bstr = np.char.replace(births.astype(str), "-", "")
    seqn = rng.integers(0, 1000, m)
    gender = np.where(seqn % 2 == 1, "M", "F")
    region = np.array(counties)[rng.integers(0, len(counties), m)]
    key = np.char.add(np.char.add(names, bstr), gender)
    _, first = np.unique(key, return_index=True)
    keep = np.sort(first)[:n]
    names, bstr, seqn, gender, region = names[keep], bstr[keep], seqn[keep], gender[keep], region[keep]
    ids = [id18(r, b, f"{s:03d}") for r, b, s in zip(region, bstr, seqn, strict=True)]
    accounts = [f"62{i * 7919 + 1000003:014d}" for i in rng.permutation(n + 10)]

    people_rows: list[tuple[str, str, str, str, str]] = []  # id, name, birth, gender, region
    acct: list[str] = []
    start: list[int] = []
    for i in range(n):
        people_rows.append((ids[i], str(names[i]), str(bstr[i]), str(gender[i]), str(region[i])))
        acct.append(accounts[i])
        start.append(0)
    used = set(ids)
    truth: list[tuple[str, str]] = []
    decoys: list[tuple[str, str]] = []
    extra = iter(range(n, 10**9))

    def new_account() -> str:
        return f"63{next(extra):014d}"

    def add(pid: str, name: str, birth: str, g: str, reg: str, account: str, month: int) -> None:
        used.add(pid)
        people_rows.append((pid, name, birth, g, reg))
        acct.append(account)
        start.append(month)

    n_dup, n_decoy = int(n * dup_rate), int(n * decoy_rate)
    who = rng.choice(n, size=n_dup + n_decoy, replace=False)
    for k, i in enumerate(who[:n_dup]):
        pid, name, birth, g, reg = people_rows[i]
        kind = k % 4
        if kind == 0:  # 15-digit form
            other = pid[:6] + pid[8:17]
            account = acct[i] if k % 8 == 0 else new_account()
            other_reg = reg
        elif kind == 1:  # a mistyped sequence digit
            pos = 14 + int(rng.integers(0, 2))
            digit = str((int(pid[pos]) + 1 + int(rng.integers(0, 8))) % 10)
            body = pid[:pos] + digit + pid[pos + 1 : 17]
            other = body + (check_char(body) if k % 8 == 1 else pid[17])
            account, other_reg = new_account(), reg
        elif kind == 2:  # re-registered in another county: same birth date and sequence
            other_reg = next(c for c in rng.permutation(counties) if c != reg)
            other = id18(other_reg, birth, pid[14:17])
            account = new_account()
        else:  # another ID altogether, the same account
            other_reg = next(c for c in rng.permutation(counties) if c != reg)
            seq = int(rng.integers(0, 500)) * 2 + (1 if g == "M" else 0)
            other = id18(other_reg, birth, f"{seq:03d}")
            account = acct[i]
        if other in used:
            continue
        add(other, name, birth, g, other_reg, account, 3)
        truth.append((pid, other))
    for k, i in enumerate(who[n_dup:]):
        pid, name, birth, g, reg = people_rows[i]
        other_reg = next(c for c in rng.permutation(counties) if c != reg)
        if k % 2 == 0:  # the other gender
            g2_ = "F" if g == "M" else "M"
            par = 1 if g2_ == "M" else 0
        else:  # same gender, another region and account, an unrelated sequence
            g2_, par = g, 1 if g == "M" else 0
        seq = (int(rng.integers(0, 500)) * 2 + par) % 1000
        other = id18(other_reg, birth, f"{seq:03d}")
        if other in used or other[14:17] == pid[14:17]:
            continue
        add(other, name, birth, g2_, other_reg, new_account(), 0)
        decoys.append((pid, other))

    total = len(people_rows)
    pid_arr = np.array([r[0] for r in people_rows])
    name_arr = np.array([r[1] for r in people_rows])
    reg_arr = np.array([r[4] for r in people_rows])
    acct_arr = np.array(acct)
    start_arr = np.array(start)
    person = np.tile(np.arange(total), months)
    month = np.repeat(np.arange(months), total)
    paid = month >= start_arr[person]
    person, month = person[paid], month[paid]
    periods = np.array([f"2024-{mm + 1:02d}" for mm in range(months)])
    cents = rng.integers(250000, 450000, total)[person]
    payments = pa.table(
        {
            "person_id": pid_arr[person],
            "name": name_arr[person],
            "fund": np.full(len(person), "enterprise_pension"),
            "benefit": np.full(len(person), "basic_pension"),
            "period": periods[month],
            "amount": pa.array(cents / 100.0).cast(pa.decimal128(18, 2)),
            "account": acct_arr[person],
            "region": reg_arr[person],
            "_row": np.arange(1, len(person) + 1, dtype=np.int64),
        }
    )
    gender_zh = np.where(np.array([r[3] for r in people_rows]) == "M", "男", "女")
    birth_arr = np.array([f"{r[2][:4]}-{r[2][4:6]}-{r[2][6:]}" for r in people_rows], dtype="datetime64[D]")
    people = pa.table(
        {
            "person_id": pid_arr,
            "name": name_arr,
            "birth_date": pa.array(birth_arr, pa.date32()),
            "gender": gender_zh,
            "retire_date": pa.nulls(total, pa.date32()),
            "_row": np.arange(1, total + 1, dtype=np.int64),
        }
    )
    return Population(payments, people, truth, decoys)
