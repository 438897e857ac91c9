"""公民身份号码 (GB 11643-1999): check digit, the 15 ↔ 18 forms, birth date and gender.

Why a module of its own, pure and without heavy imports: the payment rules (``invalid_person_id``,
``same_person_two_ids``), the synthetic data generator and the tests must agree on one definition
of a valid number, and the CLI must not pay for duckdb to check one.

An 18-character number is ``RRRRRR YYYYMMDD SSS C``: a 6-digit region (行政区划代码, its first two
digits the province), the birth date, a 3-digit sequence whose last digit is odd for a man and even
for a woman, and a check character (ISO 7064 MOD 11-2 over the first 17 digits; ``X`` stands for
10, a lower-case ``x`` is accepted). The old 15-digit form (before 1999) is ``RRRRRR YYMMDD SSS``
with the century 19 implied and no check character.
"""

from __future__ import annotations

import re
from datetime import date

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # remainder (Σ digit × weight) mod 11 → check character

# The province codes (first two digits) GB/T 2260 assigns: 华北 11–15, 东北 21–23, 华东 31–37,
# 中南 41–46, 西南 50–54, 西北 61–65, 台湾 71, 香港 81, 澳门 82. A constant, not data: it is the
# standard itself, and a rule file that changed it would make valid numbers invalid.
PROVINCES: frozenset[str] = frozenset(
    f"{p:02d}"
    for lo, hi in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82))
    for p in range(lo, hi + 1)
)
# Numbers of the same form that are not 公民身份号码 but are what a 参保人 may hold, so a payment
# audit must not call them invalid: the 台湾居民居住证 (830000…; 810000/820000 of the 港澳居民居住证
# are already province codes 81/82), and the 2023 外国人永久居留身份证 (首位 9, then the 受理地's
# province code, the birth date at the same places and the same MOD 11-2 check; 国家移民管理局).
# 18-character only: neither has a 15-digit form.
RESIDENCE_PERMIT_PREFIXES: frozenset[str] = frozenset({"83"})
FOREIGNER_MARK = "9"
MAINLAND: frozenset[str] = frozenset(p for p in PROVINCES if p < "70")
EARLIEST_BIRTH = date(1900, 1, 1)


def prefix_ok_18(s: str) -> bool:
    """The first digits of an 18-character number name a province, the 台湾居民居住证 or a foreigner's
    受理地 (``9`` and a mainland province code)."""
    return (
        s[:2] in PROVINCES
        or s[:2] in RESIDENCE_PERMIT_PREFIXES
        or (s[:1] == FOREIGNER_MARK and s[1:3] in MAINLAND)
    )


_RE18 = re.compile(r"[0-9]{17}[0-9Xx]")
_RE15 = re.compile(r"[0-9]{15}")


def check_digit(first17: str) -> str:
    """The check character ('0'–'9' or 'X') of the 17 leading digits; ValueError if not 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"需要17位数字 need 17 digits: {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _date18(s: str, latest: date | None) -> date | None:
    born = _date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    if born is None or born < EARLIEST_BIRTH or (latest is not None and born > latest):
        return None
    return born


def is_valid_18(s: str, latest: date | None = None) -> bool:
    """17 digits and a check character (x accepted), a valid prefix (:func:`prefix_ok_18`), a real
    birth date from 1900-01-01 (to ``latest`` when given, e.g. the last day of the last period) and
    the right check."""
    if not isinstance(s, str) or not _RE18.fullmatch(s) or not prefix_ok_18(s):
        return False
    if _date18(s, latest) is None:
        return False
    return check_digit(s[:17]) == s[17].upper()


def is_valid_15(s: str) -> bool:
    """15 digits, a valid province and a real date 19YYMMDD."""
    if not isinstance(s, str) or not _RE15.fullmatch(s) or s[:2] not in PROVINCES:
        return False
    return _date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12])) is not None


def is_valid(s: str, latest: date | None = None) -> bool:
    """A valid 18-character or 15-digit number (the ``invalid_person_id`` rule's negation)."""
    return is_valid_18(s, latest) or is_valid_15(s)


def to_18(id15: str) -> str:
    """The 18-character form of a 15-digit number: ``19`` after the region, then the check digit."""
    if not _RE15.fullmatch(id15 or ""):
        raise ValueError(f"需要15位数字 need 15 digits: {id15!r}")
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + check_digit(first17)


def to_15(id18: str) -> str:
    """The 15-digit form of an 18-character number born 1900–1999 (drop ``19`` and the check)."""
    if not _RE18.fullmatch(id18 or "") or id18[6:8] != "19":
        raise ValueError(f"需要1900–1999年出生的18位号码 need an 18-character number born 19xx: {id18!r}")
    return id18[:6] + id18[8:17]


def birth_date(s: str) -> date | None:
    """The birth date of an 18- or 15-character number, None when it has no real date."""
    if isinstance(s, str) and _RE18.fullmatch(s):
        return _date18(s, None)
    if isinstance(s, str) and _RE15.fullmatch(s):
        return _date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    return None


def gender(s: str) -> str | None:
    """'male' when the sequence's last digit (17th of 18, 15th of 15) is odd, 'female' when even."""
    if isinstance(s, str) and _RE18.fullmatch(s):
        digit = s[16]
    elif isinstance(s, str) and _RE15.fullmatch(s):
        digit = s[14]
    else:
        return None
    return "male" if int(digit) % 2 else "female"
