"""Chinese numbers with units and printed precision.

A figure in a report stands for an interval: ``97.38%`` is [97.375, 97.385], ``50.27亿元`` is
502,650–502,750 万元. Every parsed value therefore keeps the unit of its last printed digit, so
audits can infer their tolerance from the digits printed (as Beancount does) instead of guessing.
Canonical units: 万元 for money, 人 for people, percent for rates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import cache
from typing import Literal

Kind = Literal["money", "people", "count", "rate", "months", "days", "number", "yuan"]

# unit -> (kind, factor to the canonical unit)
UNITS: dict[str, tuple[Kind, Decimal]] = {
    "亿元": ("money", Decimal(10000)),
    "万元": ("money", Decimal(1)),
    "千元": ("money", Decimal("0.1")),
    "元": ("money", Decimal("0.0001")),
    # per-capita standards stay in 元 (kind "yuan"): 190元/人·月, 5073.17元/月, 760元/人
    "元/人·月": ("yuan", Decimal(1)),
    "元/人/月": ("yuan", Decimal(1)),
    "元/月/人": ("yuan", Decimal(1)),
    "元/人·年": ("yuan", Decimal(1)),
    "元/人/年": ("yuan", Decimal(1)),
    "元/人": ("yuan", Decimal(1)),
    "元/月": ("yuan", Decimal(1)),
    "元/年": ("yuan", Decimal(1)),
    "万人次": ("count", Decimal(10000)),
    "人次": ("count", Decimal(1)),
    "亿人": ("people", Decimal(100000000)),
    "万人": ("people", Decimal(10000)),
    "人": ("people", Decimal(1)),
    "名": ("people", Decimal(1)),
    "户": ("people", Decimal(1)),
    "%": ("rate", Decimal(1)),
    "‰": ("rate", Decimal("0.1")),
    "个月": ("months", Decimal(1)),
    "日": ("days", Decimal(1)),
    "天": ("days", Decimal(1)),
    "": ("number", Decimal(1)),
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted((u for u in UNITS if u), key=len, reverse=True))

# The full-width forms sifund reads as ASCII, each defined once here. Each maps one char to one,
# so offsets into the text survive translation. ``normalize_digits`` maps all but the comparators;
# the review view (review/normalize.py) maps the digits and ％, and the point only between digits;
# the target parser (engine/targets.py) maps the comparators; a web form maps digits, point and －.
WIDE_DIGITS: dict[str, str] = {**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%"}
WIDE_POINT = "．"
WIDE_SIGNS: dict[str, str] = {"－": "-", "−": "-", "＋": "+"}
WIDE_COMPARATORS: dict[str, str] = {"＞": ">", "＜": "<", "＝": "="}
_FULLWIDTH = str.maketrans({**WIDE_DIGITS, WIDE_POINT: ".", **WIDE_SIGNS})
# Any char ``_FULLWIDTH`` maps: most texts reaching ``normalize_digits`` (the review view reads digits
# and ％ as ASCII already) have none, and one C-level search is ~10× cheaper than a translation.
_WIDE_CHAR = re.compile("[" + "".join(re.escape(c) for c in [*WIDE_DIGITS, WIDE_POINT, *WIDE_SIGNS]) + "]")

_NUM = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Never a piece of a longer number: no digit (or digit + '.'/',') before, and no digit (or ','
# + digit) after, so a malformed "12,3456" yields nothing rather than a wrong 12. A comma after a
# non-digit ("万元,30人") is punctuation, so the number after it still counts.
# The leading lookahead only says what ``_NUM`` starts with (a sign or a digit): it changes no
# match, but rejects every other position at once instead of running the two lookbehinds there
# (the pattern is tried at each char of every sentence; this halves the scan).
QUANTITY_RE = re.compile(rf"(?=[-+\d])(?<!\d)(?<!\d[.,])({_NUM})(?!\d)(?!,\d)\s*({_UNIT_RE})?")
# A unit, or else a bare magnitude (50.27亿, 1.5万) that scales the number itself.
_FULL_RE = re.compile(rf"^\s*(?:约|近|超过|达到|达)?\s*({_NUM})\s*(?:({_UNIT_RE})|([万亿]))?\s*$")
_MAGNITUDE = {"万": Decimal(10000), "亿": Decimal(100000000)}


class NumberError(ValueError):
    """A string that is not a number sifund can read; the message says which."""


@dataclass(frozen=True)
class Quantity:
    """A number as printed: its value and unit, and the unit of its last printed digit."""

    value: Decimal  # in the printed unit
    unit: str  # as printed: 万元, 亿元, %, 人, "" …
    precision: Decimal  # last printed digit, in the printed unit (97.38 -> 0.01)

    @property
    def kind(self) -> Kind:
        return UNITS[self.unit][0]

    @property
    def factor(self) -> Decimal:
        return UNITS[self.unit][1]

    @property
    def canonical(self) -> Decimal:
        """Value in the canonical unit (万元, 人, percent)."""
        return self.value * self.factor

    @property
    def canonical_precision(self) -> Decimal:
        return self.precision * self.factor

    def interval(self) -> tuple[Decimal, Decimal]:
        """The closed interval of true values that print as this figure (round half up)."""
        half = self.canonical_precision / 2
        return self.canonical - half, self.canonical + half

    def negated(self) -> Quantity:
        return Quantity(-self.value, self.unit, self.precision)

    def __str__(self) -> str:
        return f"{_plain(self.value, self.precision)}{self.unit}"


def normalize_digits(text: str) -> str:
    """Full-width digits and signs to ASCII; same length, so offsets are kept."""
    return text.translate(_FULLWIDTH) if _WIDE_CHAR.search(text) else text


# 1, 0.1, 0.01 …: the precisions printed numbers have, built once (Decimals are immutable)
_PRECISIONS = tuple(Decimal(1).scaleb(-n) for n in range(12))


def precision_of(digits: str) -> Decimal:
    """Unit of the last printed digit: '121.4' -> 0.1, '303,976' -> 1."""
    digits = digits.replace(",", "").lstrip("+-")
    point = digits.find(".")
    places = len(digits) - point - 1 if point >= 0 else 0
    return _PRECISIONS[places] if places < len(_PRECISIONS) else Decimal(1).scaleb(-places)


def parse_quantity(text: str) -> Quantity:
    """Parse one number with an optional unit: '30813.69万元', '303,976万元', '-22.29％', '三千二百人'."""
    s = normalize_digits(text).strip()
    m = _FULL_RE.match(s)
    if m:
        digits, unit = m.group(1), m.group(2) or ""
        try:
            value = Decimal(digits.replace(",", ""))
        except InvalidOperation as e:  # pragma: no cover - regex guarantees digits
            raise NumberError(f"不是数字: {text!r}") from e
        mag = _MAGNITUDE.get(m.group(3) or "", Decimal(1))
        return Quantity(value * mag, unit, precision_of(digits) * mag)
    return parse_chinese_quantity(s, original=text)


# ---- Chinese numerals -------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4,
    "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10000, "亿": 100000000}


def parse_chinese_integer(s: str) -> int:
    """三千二百 -> 3200, 一万零五 -> 10005, 十二 -> 12, 二〇二四 -> 2024 (digit by digit).

    Colloquial forms count a trailing digit one place below the unit before it, as readers do:
    三千二 -> 3200, 一万五 -> 15000, 一亿二 -> 120000000. Malformed strings (十十, 万, 三三百)
    raise NumberError rather than yield a plausible wrong number.
    """
    bad = NumberError(f"不是中文数字: {s!r}")
    if not s or any(c not in _CN_DIGITS and c not in _CN_SMALL and c not in _CN_BIG for c in s):
        raise bad
    if all(c in _CN_DIGITS for c in s):  # 二〇二四
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, wan, section = 0, 0, 0
    digit: int | None = None
    last_small, last_big = 10**9, 10**9  # multipliers must fall within a section / across sections
    for c in s:
        if c in _CN_DIGITS:
            if digit not in (None, 0):  # 三三百: two digits without a multiplier between
                raise bad
            digit = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            mult = _CN_SMALL[c]
            if mult >= last_small or digit == 0:  # 十十, 百千, 零百
                raise bad
            section += (1 if digit is None else digit) * mult
            digit, last_small = None, mult
        else:
            big = _CN_BIG[c]
            part = section + (digit or 0)
            if big >= last_big or (part == 0 and not (big == 10000 and total)):  # 万, 亿亿
                raise bad
            if big == 10000:
                wan = part * 10000
            else:
                total, wan = (wan + part) * 100000000, 0
            section, digit, last_small, last_big = 0, None, 10**9, big
    if digit and len(s) >= 2 and s[-2] in (*_CN_SMALL, *_CN_BIG):
        digit *= ({**_CN_SMALL, **_CN_BIG}[s[-2]]) // 10
    return total + wan + section + (digit or 0)


def parse_chinese_quantity(s: str, original: str | None = None) -> Quantity:
    """百分之十二点五 -> 12.5%, 五十点二七亿元 -> 50.27亿元, 三千二百人 -> 3200人."""
    src = original if original is not None else s
    s = s.strip()
    unit = ""
    if s.startswith("百分之"):
        s, unit = s[3:], "%"
    else:
        for u in sorted((u for u in UNITS if u), key=len, reverse=True):
            if s.endswith(u):
                s, unit = s[: -len(u)], u
                break
        # 五十点二七亿 without 元: a bare magnitude
    sign = 1
    if s.startswith(("负", "-")):
        sign, s = -1, s[1:]
    mag = Decimal(1)
    if unit == "" and s and s[-1] in _CN_BIG and "点" in s:
        mag, s = Decimal(_CN_BIG[s[-1]]), s[:-1]
    if not s:
        raise NumberError(f"不是数字: {src!r}")
    try:
        if "点" in s:
            ip, fp = s.split("点", 1)
            if not fp or any(c not in _CN_DIGITS for c in fp):
                raise NumberError(f"不是中文数字: {src!r}")
            frac = "".join(str(_CN_DIGITS[c]) for c in fp)
            value = Decimal(f"{parse_chinese_integer(ip) if ip else 0}.{frac}")
            prec = Decimal(1).scaleb(-len(fp))
        else:
            value, prec = Decimal(parse_chinese_integer(s)), Decimal(1)
    except NumberError:
        raise NumberError(f"不是数字: {src!r}") from None
    return Quantity(sign * value * mag, unit, prec * mag)


# ---- finding numbers in running text ----------------------------------------------------


def sign_from_words(prefix: str) -> int:
    """-1 when the words just before a number say it fell (较上年减少111.64万元 -> −111.64).

    The direction words are the signed classes of the lexicon (:mod:`sifund.core.lexicon`, from
    data/review/lexicon.yaml: dir.up, dir.down … with their stems, so "降幅" and "增至" count too),
    read from the last six
    chars: the word ending last wins, then the longer one ("负增长" over "增长"), then a fall."""
    tail = prefix[-6:]
    best: tuple[int, int, bool] = (-1, 0, False)
    sign = 1
    for word, s in _sign_words():
        i = tail.rfind(word)
        if i >= 0 and (key := (i + len(word), len(word), s < 0)) > best:
            best, sign = key, s
    return sign


@cache
def _sign_words() -> tuple[tuple[str, int], ...]:
    # imported here: the lexicon builds on this module (units, quantities)
    from sifund.core.lexicon import lexicon

    return lexicon().signs()


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    quantity: Quantity


def find_quantities(text: str) -> list[Match]:
    """Every Arabic-digit number in ``text`` with its unit and offsets (offsets into ``text``)."""
    t = normalize_digits(text)
    out = []
    for m in QUANTITY_RE.finditer(t):
        digits, unit = m.group(1), m.group(2) or ""
        q = Quantity(Decimal(digits.replace(",", "")), unit, precision_of(digits))
        out.append(Match(m.start(), m.end(), q))
    return out


# ---- formatting the way Chinese finance documents do -----------------------------------


def _plain(value: Decimal, precision: Decimal) -> str:
    exp = min(0, precision.normalize().as_tuple().exponent) if precision else 0
    q = value.quantize(Decimal(1).scaleb(exp), rounding=ROUND_HALF_UP)
    return f"{q:f}"


def round_half_up(value: float | Decimal, decimals: int = 2) -> Decimal:
    """Half-up rounding to ``decimals`` places, for any finite value.

    The context's precision is raised to the digits the result needs: with the default 28 digits,
    quantizing 1e23 (a ratio of an allowed 1e12 by an allowed 1e-9, × 100) to 6 places raised
    decimal.InvalidOperation."""
    d = Decimal(str(value))
    if not d.is_finite():
        raise ValueError(f"不是有限数 not a finite number: {value!r}")
    digits = max(28, d.adjusted() + decimals + 2)
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=Context(prec=digits))


def format_number(value: float | Decimal, decimals: int = 2, thousands: bool = False) -> str:
    """30813.69 -> '30813.69'; with thousands=True -> '30,813.69'. Half-up, as finance staff round."""
    q = round_half_up(value, decimals)
    if q == 0:
        q = abs(q)
    return f"{q:,.{decimals}f}" if thousands else f"{q:.{decimals}f}"


def format_wan(value: float | Decimal, decimals: int = 2, thousands: bool = False) -> str:
    """Money in 万元: 30813.69 -> '30813.69万元'."""
    return f"{format_number(value, decimals, thousands)}万元"


def format_percent(value: float | Decimal, decimals: int = 2) -> str:
    """103.96 -> '103.96%' (value already in percent)."""
    return f"{format_number(value, decimals)}%"


def format_people(value: float | Decimal) -> str:
    return f"{format_number(value, 0)}人"


def format_quantity(value: float | Decimal, unit: str, decimals: int = 2, thousands: bool = False) -> str:
    """Generic: the number rounded to ``decimals`` followed by ``unit``."""
    return f"{format_number(value, decimals, thousands)}{unit}"


def format_value(value: float | Decimal | None, unit: str) -> str:
    """A figure with its unit as reports print it: 97.00%, 3264.00万元, 5854人, 5.20个月, 1.62."""
    if value is None:
        return "—"
    if unit == "%":
        return format_percent(value)
    if unit == "万元":
        return format_wan(value)
    if unit in ("人", "人次"):
        return f"{format_number(value, 0)}{unit}"
    return f"{format_number(value, 2)}{unit}"


def format_plain(value: float | Decimal, max_decimals: int = 2) -> str:
    """A number in running text without trailing zeros or exponent: 227353.49, 0.4, 1234567.5.

    ``:g`` would keep only six significant digits (227353.49 → 227353), hiding the very gap an
    audit message is about.
    """
    q = round_half_up(value, max_decimals)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
