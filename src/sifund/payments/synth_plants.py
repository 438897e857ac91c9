"""Synthetic payment data, the planted anomalies (one function per rule) and the decoys.

Each planted person has a name, an ID and an account no one else has (the registries of
:mod:`.synth_people`), so what a plant triggers depends on its own rows only; the answer key is then
computed from those rows by :mod:`.synth_truth`. Decoys look suspicious but break no rule, so an
engine that reports them disagrees with ``truth.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sifund.core.idcard import CHECK_CHARS, check_digit
from sifund.payments.synth_people import (
    BP,
    ENT,
    FUN,
    INST,
    RES,
    UB,
    UNEMP,
    Chunk,
    birth_reaching,
    id_key,
    name_key,
    reach_day,
    retirees,
)

# ---- planted anomalies (one function per rule; each plant is a person of its own) -------------


def plant_paid_after_death(c: Chunk, k: int) -> None:
    """Paid on after a death: died in the window (paid to the end) or before it (paid all along)."""
    M, rng = c.s.months, c.rng
    p, fund = retirees(c, k)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"])
    inside = (rng.random(k) < 0.6) & (M >= 2)
    dm = rng.integers(0, max(M - 1, 1), k)
    day_in = c.month_day(dm, rng.integers(0, 28, k))
    day_before = c.month_day(0) - rng.integers(1, 240, k)
    c.deaths.extend(zip(p["rec"].tolist(), np.where(inside, day_in, day_before).tolist(), strict=True))


def plant_duplicate_payment(c: Chunk, k: int) -> None:
    """One or two periods paid twice with the same amount (a batch sent twice)."""
    M, rng = c.s.months, c.rng
    p, fund = retirees(c, k, funds=(ENT, INST))
    cents = c.amounts(fund, BP, k)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"], cents=cents)
    for j in range(k):
        for t in rng.choice(M, min(M, int(rng.integers(1, 3))), replace=False):
            c.pay(p["rec"][j], int(fund[j]), BP, cents[j], int(t), int(t), p["acct"][j])


def plant_multiple_pensions(c: Chunk, k: int) -> None:
    """Two basic pensions of two funds, the second starting in a random period."""
    M, rng = c.s.months, c.rng
    pairs = np.array([(ENT, RES), (INST, RES), (ENT, INST)])
    pair = pairs[rng.integers(0, len(pairs), k)]
    swap = rng.random(k) < 0.5
    f1, f2 = np.where(swap, pair[:, 1], pair[:, 0]), np.where(swap, pair[:, 0], pair[:, 1])
    p = c.draw(k, 62, 80, planted=True, retire_fund=f1)
    c.pension(p["rec"], f1, 0, M - 1, p["acct"])
    c.pension(p["rec"], f2, rng.integers(0, M, k), M - 1, p["acct"])


def plant_unemployment_with_pension(c: Chunk, k: int) -> None:
    """Unemployment benefit and a pension: a pensioner who also draws unemployment benefit, or an
    unemployed man whose pension starts (at 60) while the benefit goes on."""
    M, rng = c.s.months, c.rng
    late = rng.random(k) < 0.5 if M >= 2 else np.zeros(k, bool)
    ka = int((~late).sum())
    if ka:
        p, fund = retirees(c, ka, funds=(ENT, RES), age=(62, 70))
        u0 = rng.integers(1, M, ka) if M >= 2 else np.zeros(ka, int)
        u1 = np.minimum(u0 + rng.integers(1, 8, ka), M - 1)
        c.pension(p["rec"], fund, 0, M - 1, p["acct"])
        c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, ka), u0, u1, p["acct"])
    kb = int(late.sum())
    if kb:
        t = rng.integers(1, M, kb)
        birth = birth_reaching(c.s, c, t, c.s.stat_age[(ENT, 1)])
        p = c.draw(kb, male=1, birth=birth, planted=True, retire_fund=ENT)
        c.pension(p["rec"], ENT, t, M - 1, p["acct"])
        c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, kb), 0, rng.integers(t, M), p["acct"])


def plant_unemployment_while_contributing(c: Chunk, k: int) -> None:
    """Unemployment benefit goes on after a new job starts (an employer contributes)."""
    M, rng = c.s.months, c.rng
    p = c.draw(k, 25, 45, planted=True)
    u0 = rng.integers(0, max(M - 1, 1), k)
    u1 = rng.integers(u0, M)
    job = rng.integers(u0, u1 + 1)
    c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, k), u0, u1, p["acct"])
    c.contribute(p["rec"], job, M - 1)
    before = u0 > 0
    if before.any():
        c.contribute(p["rec"][before], 0, u0[before] - 1)


def plant_underage_pension(c: Chunk, k: int) -> None:
    """A pension before the statutory age: all the window, or until the age is reached in it."""
    s, M, rng = c.s, c.s.months, c.rng
    choice = np.array([(ENT, 0), (ENT, 1), (INST, 0), (INST, 1), (RES, 1)])[rng.integers(0, 5, k)]
    fund, male = choice[:, 0], choice[:, 1]
    age = np.array([s.stat_age[(int(f), int(g))] for f, g in choice])
    mid = (rng.random(k) < 0.5) & (M >= 2)
    t = rng.integers(1, max(M, 2), k)
    birth_mid = birth_reaching(s, c, t, age)
    years = -(-M // 12) + 1  # reaches the age after the window
    birth_all = (s.start_day - rng.uniform((age - years - 3) * 365.25, (age - years) * 365.25)).astype(
        np.int32
    )
    p = c.draw(k, male=male, birth=np.where(mid, birth_mid, birth_all), planted=True, retire=s.start_day)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"])


INVALID_DATES = ("0230", "0231", "1301", "0000", "0431", "1232", "0631", "0900")
INVALID_PROVINCES = ("99", "00", "10", "20", "30", "40", "55", "60", "70", "80", "90")


def plant_invalid_person_id(c: Chunk, k: int) -> None:
    """A pensioner whose ID is printed wrong (check digit, date, province or length)."""
    cfg, rng, M = c.s.cfg, c.rng, c.s.months
    kinds = list(cfg["invalid_id_kinds"])
    w = np.array([float(v) for v in cfg["invalid_id_kinds"].values()])
    p, fund = retirees(c, k)
    c.pension(p["rec"], fund, 0, M - 1, p["acct"])
    for r, kind in zip(p["rec"].tolist(), rng.choice(kinds, k, p=w / w.sum()), strict=True):
        c.invalid[r] = str(kind)


def spoil_id(valid: str, kind: str, rng: np.random.Generator) -> str:
    """An invalid ID made from a valid one (only the named part is wrong)."""
    if kind == "check_digit":
        return valid[:17] + rng.choice([ch for ch in CHECK_CHARS if ch != valid[17].upper()])
    if kind == "date":
        first17 = valid[:10] + str(rng.choice(INVALID_DATES)) + valid[14:17]
    elif kind == "province":
        first17 = str(rng.choice(INVALID_PROVINCES)) + valid[2:17]
    else:  # length: a sequence digit dropped
        return valid[:15] + valid[16:]
    return first17 + check_digit(first17)


def plant_shared_account(c: Chunk, k: int) -> list[int]:
    """Groups of 3–5 pensioners paid into one account; in some, one joins it mid-window."""
    M, rng = c.s.months, c.rng
    sizes = rng.integers(3, 6, k)
    for g in sizes.tolist():
        p, fund = retirees(c, g)
        shared = c.new_accounts(1)[0]
        joiner = M >= 2 and rng.random() < 0.5
        if joiner:
            fund[-1] = ENT
            j = int(rng.integers(1, M))
            cents = c.amounts(ENT, BP, 1)
            c.pay(p["rec"][-1], ENT, BP, cents, 0, j - 1, p["acct"][-1])
            c.pay(p["rec"][-1], ENT, BP, cents, j, M - 1, shared)
        m = slice(0, g - 1) if joiner else slice(0, g)
        c.pension(p["rec"][m], fund[m], 0, M - 1, shared)
    return sizes.tolist()


def plant_same_person_two_ids(c: Chunk, k: int) -> None:
    """One person under two IDs (synth.yaml ``same_person_kinds``), paid under both at once, in
    overlapping spells, or first under one and then under the other."""
    s, M, rng = c.s, c.s.months, c.rng
    kinds = list(s.cfg["same_person_kinds"])
    w = np.array([float(v) for v in s.cfg["same_person_kinds"].values()])
    p, fund = retirees(c, k, funds=(ENT, ENT, INST, RES))
    for i, kind in enumerate(rng.choice(kinds, k, p=w / w.sum()).tolist()):
        idreg, seq, region, acct = (
            int(p["idreg"][i]),
            int(p["seq"][i]),
            int(p["region"][i]),
            int(p["acct"][i]),
        )
        for _ in range(20):  # a free second ID
            id15 = kind == "id15"
            if kind == "id15":
                acct2 = acct if rng.random() < 0.6 else int(c.new_accounts(1)[0])
                rec2 = c.second_id(p, i, idreg=idreg, seq=seq, region=region, acct=acct2, id15=True)
            elif kind == "other_county":
                reg2 = int(rng.choice([r for r in range(len(s.region_codes)) if r != idreg]))
                seq2 = int(rng.integers(0, 500)) * 2 + int(p["male"][i])
                acct2 = acct
                rec2 = c.second_id(p, i, idreg=reg2, seq=seq2, region=reg2, acct=acct2)
            else:  # a mistyped first or second sequence digit keeps the gender digit
                digits = [seq // 100, seq // 10 % 10, seq % 10]
                pos = int(rng.integers(0, 2))
                digits[pos] = int(rng.choice([d for d in range(10) if d != digits[pos]]))
                acct2 = acct if kind == "mistyped_same_account" else int(c.new_accounts(1)[0])
                rec2 = c.second_id(p, i, idreg=idreg, seq=digits[0] * 100 + digits[1] * 10 + digits[2],
                                   region=region, acct=acct2)  # fmt: skip
            if rec2 >= 0:
                break
        else:
            raise RuntimeError("no free second ID")  # cannot happen with 500 sequences a day
        rec1 = int(p["rec"][i])
        c.clusters.append([rec1, rec2])
        pattern = int(rng.integers(0, 3)) if M >= 2 else 0
        if pattern == 0:  # both all along
            a1, b0 = M - 1, 0
        elif pattern == 1:  # overlapping
            b0 = int(rng.integers(1, M))
            a1 = int(rng.integers(b0, M))
        else:  # switched: never both in a period
            b0 = int(rng.integers(1, M))
            a1 = b0 - 1
        f = int(fund[i])
        cents = c.amounts(f, BP, 1)
        c.pension(rec1, f, 0, a1, acct, cents=cents)
        c.pension(rec2, f, b0, M - 1, acct2, cents=cents)
        del id15


def plant_amount_outlier(c: Chunk, k: int) -> None:
    """One period's enterprise pension 8–20 times the level (in the three biggest counties)."""
    s, M, rng = c.s, c.s.months, c.rng
    p, _ = retirees(c, k, funds=(ENT,), region=rng.integers(0, min(3, len(s.region_codes)), k))
    cents = c.amounts(ENT, BP, k)
    big = np.round(s.level[ENT, BP] * rng.uniform(8, 20, k) * 100).astype(np.int64)
    t = rng.integers(0, M, k)
    rec, acct = p["rec"], p["acct"]
    c.pay(rec, ENT, BP, cents, 0, t - 1, acct)  # empty when t = 0
    c.pay(rec, ENT, BP, big, t, t, acct)
    c.pay(rec, ENT, BP, cents, t + 1, M - 1, acct)


PLANTS: dict[str, Callable[[Chunk, int], Any]] = {
    "paid_after_death": plant_paid_after_death,
    "duplicate_payment": plant_duplicate_payment,
    "multiple_pensions": plant_multiple_pensions,
    "unemployment_with_pension": plant_unemployment_with_pension,
    "unemployment_while_contributing": plant_unemployment_while_contributing,
    "underage_pension": plant_underage_pension,
    "invalid_person_id": plant_invalid_person_id,
    "shared_account": plant_shared_account,
    "same_person_two_ids": plant_same_person_two_ids,
    "amount_outlier": plant_amount_outlier,
}


# ---- decoys: suspicious-looking, clean (the audit must not report them) ------------------------


def decoys(c: Chunk, counts: dict[str, int]) -> None:
    s, M, rng = c.s, c.s.months, c.rng
    k = counts.get("couple_shared_account", 0)
    if k:  # a couple: two pensioners, one account
        p, fund = retirees(c, 2 * k, funds=(ENT, RES), planted=False)
        acct = p["acct"].copy()
        acct[1::2] = acct[0::2]
        c.pension(p["rec"], fund, 0, M - 1, acct)
    k = counts.get("namesake_other_gender", 0)
    if k:  # same name and birth date, the other gender, another county and account
        p, fund = retirees(c, k, funds=(ENT,), planted=False)
        c.pension(p["rec"], ENT, 0, M - 1, p["acct"])
        for i in range(k):
            male = 1 - int(p["male"][i])
            nk = name_key(p["surname"][i : i + 1], p["g1"][i : i + 1], p["g2"][i : i + 1],
                          np.array([male]), p["birth"][i : i + 1])  # fmt: skip
            region = int(rng.choice([r for r in range(len(s.region_codes)) if r != int(p["region"][i])]))
            seq = int(rng.integers(0, 500)) * 2 + male
            ik = id_key(np.array([region]), p["birth"][i : i + 1], np.array([seq]))
            if c.names.taken(nk).any() or c.ids.taken(ik).any():
                continue
            c.names.add(nk)
            c.ids.add(ik)
            birth = p["birth"][i : i + 1]
            rec = c.recs.add(
                surname=p["surname"][i],
                g1=p["g1"][i],
                g2=p["g2"][i],
                male=male,
                birth=birth,
                idreg=region,
                seq=seq,
                region=region,
                acct=c.new_accounts(1),
                retire=reach_day(s, birth, np.array([male]), ENT),
            )
            c.pension(rec, ENT, 0, M - 1, c.next_acct - 1)
    k = counts.get("lone_15_digit", 0)
    if k:  # known only by a valid 15-digit ID
        p, fund = retirees(c, k, funds=(ENT, RES), planted=False, id15=True)
        c.pension(p["rec"], fund, 0, M - 1, p["acct"])
    k = counts.get("flexible_while_unemployed", 0)
    if k:  # a self-paid (no employer) contribution while on unemployment benefit
        p = c.draw(k, 25, 45)
        u0 = rng.integers(0, M, k)
        u1 = np.minimum(u0 + rng.integers(1, 6, k), M - 1)
        c.pay(p["rec"], UNEMP, UB, c.amounts(UNEMP, UB, k), u0, u1, p["acct"])
        c.contribute(p["rec"], u0, u1, employer=-1)
    k = counts.get("pension_from_statutory_month", 0) if M >= 2 else 0
    if k:  # reaches 60 in the window and is paid from that very month
        t = rng.integers(1, M, k)
        p = c.draw(k, male=1, birth=birth_reaching(s, c, t, s.stat_age[(ENT, 1)]), retire_fund=ENT)
        c.pension(p["rec"], ENT, t, M - 1, p["acct"])
    k = counts.get("funeral_after_death", 0) if M >= 2 else 0
    if k:  # dies in the window; the pension stops, 丧葬补助金和抚恤金 paid in a later month
        p, fund = retirees(c, k, funds=(ENT, INST), planted=False)
        dm = rng.integers(0, M - 1, k)
        c.pension(p["rec"], fund, 0, dm, p["acct"])
        c.deaths.extend(zip(p["rec"].tolist(), c.month_day(dm, rng.integers(0, 28, k)).tolist(), strict=True))
        paid = np.minimum(dm + rng.integers(1, 3, k), M - 1)
        for f in (ENT, INST):
            m = fund == f
            if m.any():
                c.pay(p["rec"][m], f, FUN, c.amounts(f, FUN, int(m.sum())), paid[m], paid[m], p["acct"][m])
    k = counts.get("lowercase_x", 0)
    if k:
        c.lower_x_quota = k  # applied when the IDs are printed
