"""Numbers as printed in real reports: value, unit, kind, printed precision, intervals, offsets."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifund.core.numbers import (
    NumberError,
    Quantity,
    find_quantities,
    format_number,
    format_people,
    format_percent,
    format_plain,
    format_wan,
    normalize_digits,
    parse_chinese_integer,
    parse_chinese_quantity,
    parse_quantity,
    precision_of,
    sign_from_words,
)

D = Decimal

# (string as printed, canonical value, unit as printed, kind, canonical precision)
# Canonical: 万元 for money, 人 for people, 人次 for counts, percent for rates, 元 for per-capita.
KORLA = [
    ("43937万元", "43937", "万元", "money", "1"),
    ("29303万元", "29303", "万元", "money", "1"),
    ("14221万元", "14221", "万元", "money", "1"),
    ("40673万元", "40673", "万元", "money", "1"),
    ("40511万元", "40511", "万元", "money", "1"),
    ("3264万元", "3264", "万元", "money", "1"),
    ("14590万元", "14590", "万元", "money", "1"),
    ("38631万元", "38631", "万元", "money", "1"),
    ("27196万元", "27196", "万元", "money", "1"),
    ("38429万元", "38429", "万元", "money", "1"),
    ("38273万元", "38273", "万元", "money", "1"),
    ("2410万元", "2410", "万元", "money", "1"),
    ("202万元", "202", "万元", "money", "1"),
    ("5306万元", "5306", "万元", "money", "1"),
    ("798万元", "798", "万元", "money", "1"),
    ("2107万元", "2107", "万元", "money", "1"),
    ("2244万元", "2244", "万元", "money", "1"),
    ("14388万元", "14388", "万元", "money", "1"),
    ("7500万元", "7500", "万元", "money", "1"),
    ("98%", "98", "%", "rate", "1"),
    ("102%", "102", "%", "rate", "1"),
    ("97%", "97", "%", "rate", "1"),
    ("6.69%", "6.69", "%", "rate", "0.01"),
    ("94%", "94", "%", "rate", "1"),
    ("17.7%", "17.7", "%", "rate", "0.1"),
    ("11.7%", "11.7", "%", "rate", "0.1"),
    ("114%", "114", "%", "rate", "1"),
    ("52%", "52", "%", "rate", "1"),
    ("5854人", "5854", "人", "people", "1"),
    ("127人", "127", "人", "people", "1"),
    ("5631人", "5631", "人", "people", "1"),
    ("9175人", "9175", "人", "people", "1"),
    ("5939人", "5939", "人", "people", "1"),
    ("9203人", "9203", "人", "people", "1"),
    ("5922人", "5922", "人", "people", "1"),
    ("5073.17元/月", "5073.17", "元/月", "yuan", "0.01"),
    ("5283.43元/月", "5283.43", "元/月", "yuan", "0.01"),
    ("760元/人", "760", "元/人", "yuan", "1"),
    ("780元/人", "780", "元/人", "yuan", "1"),
    ("195元/人·月", "195", "元/人·月", "yuan", "1"),
    ("64个月", "64", "个月", "months", "1"),
]
QITAI = [
    ("133590万元", "133590", "万元", "money", "1"),
    ("16663万元", "16663", "万元", "money", "1"),
    ("120586万元", "120586", "万元", "money", "1"),
    ("18851万元", "18851", "万元", "money", "1"),
    ("13004万元", "13004", "万元", "money", "1"),
    ("30112万元", "30112", "万元", "money", "1"),
    ("43257万元", "43257", "万元", "money", "1"),
    ("57271万元", "57271", "万元", "money", "1"),
    ("36720万元", "36720", "万元", "money", "1"),
    ("20569万元", "20569", "万元", "money", "1"),
    ("39万元", "39", "万元", "money", "1"),
    ("-137万元", "-137", "万元", "money", "1"),
    ("-70万元", "-70", "万元", "money", "1"),
    ("-2.8万元", "-2.8", "万元", "money", "0.1"),
    ("283.19万元", "283.19", "万元", "money", "0.01"),
    ("3.46万元", "3.46", "万元", "money", "0.01"),
    ("0.4万元", "0.4", "万元", "money", "0.1"),
    ("7195.06万元", "7195.06", "万元", "money", "0.01"),
    ("111.64万元", "111.64", "万元", "money", "0.01"),
    ("974.08元", "0.097408", "元", "money", "0.000001"),
    ("115元", "0.0115", "元", "money", "0.0001"),
    ("140元", "0.0140", "元", "money", "0.0001"),
    ("14.25%", "14.25", "%", "rate", "0.01"),
    ("10.89%", "10.89", "%", "rate", "0.01"),
    ("104%", "104", "%", "rate", "1"),
    ("96.73%", "96.73", "%", "rate", "0.01"),
    ("10.2%", "10.2", "%", "rate", "0.1"),
    ("1.53%", "1.53", "%", "rate", "0.01"),
    ("95.73%", "95.73", "%", "rate", "0.01"),
    ("153.3%", "153.3", "%", "rate", "0.1"),
    ("121.4%", "121.4", "%", "rate", "0.1"),
    ("138.08%", "138.08", "%", "rate", "0.01"),
    ("84.86%", "84.86", "%", "rate", "0.01"),
    ("5.93%", "5.93", "%", "rate", "0.01"),
    ("56.7%", "56.7", "%", "rate", "0.1"),
    ("99％", "99", "%", "rate", "1"),
    ("3884人", "3884", "人", "people", "1"),
    ("525人", "525", "人", "people", "1"),
    ("623人", "623", "人", "people", "1"),
    ("8420名", "8420", "名", "people", "1"),
    ("142260名", "142260", "名", "people", "1"),
    ("3915人次", "3915", "人次", "count", "1"),
    ("75872人次", "75872", "人次", "count", "1"),
    ("301358人次", "301358", "人次", "count", "1"),
    ("1个月", "1", "个月", "months", "1"),
]
SYNTHETIC = [
    ("303,976万元", "303976", "万元", "money", "1"),
    ("1,234.5万元", "1234.5", "万元", "money", "0.1"),
    ("50.27亿元", "502700", "亿元", "money", "100"),
    ("1.22亿元", "12200", "亿元", "money", "100"),
    ("150元", "0.0150", "元", "money", "0.0001"),
    ("13.13万人", "131300", "万人", "people", "100"),
    ("-22.29%", "-22.29", "%", "rate", "0.01"),
    ("－22.29％", "-22.29", "%", "rate", "0.01"),
    ("１２３．４５万元", "123.45", "万元", "money", "0.01"),
    ("16663 万元", "16663", "万元", "money", "1"),
    ("约3200人", "3200", "人", "people", "1"),
    ("+5.5%", "5.5", "%", "rate", "0.1"),
    ("190元/人·月", "190", "元/人·月", "yuan", "1"),
    ("1.5万", "15000", "", "number", "1000"),
    ("50.27亿", "5027000000", "", "number", "1000000"),
    ("3‰", "0.3", "‰", "rate", "0.1"),
    ("三千二百", "3200", "", "number", "1"),
    ("三千二百人", "3200", "人", "people", "1"),
    ("五十点二七亿元", "502700", "亿元", "money", "100"),
    ("百分之十二点五", "12.5", "%", "rate", "0.1"),
    ("负三百万元", "-300", "万元", "money", "1"),
]
ROWS = KORLA + QITAI + SYNTHETIC


def test_table_is_big_enough() -> None:
    assert len(KORLA + QITAI) >= 60


@pytest.mark.parametrize(("text", "value", "unit", "kind", "precision"), ROWS, ids=[r[0] for r in ROWS])
def test_parse_quantity(text: str, value: str, unit: str, kind: str, precision: str) -> None:
    q = parse_quantity(text)
    assert q.canonical == D(value)
    assert q.unit == unit
    assert q.kind == kind
    assert q.canonical_precision == D(precision)


@pytest.mark.parametrize("rows", [KORLA, QITAI], ids=["korla", "qitai"])
def test_real_strings_occur_in_the_corpus(corpus: Path, rows: list[tuple[str, ...]]) -> None:
    """The 'real' rows are verbatim from the reports (so the table keeps testing real input)."""
    name = "korla-2020.txt" if rows is KORLA else "qitai-2019.txt"
    text = (corpus / name).read_text(encoding="utf-8")
    missing = [r[0] for r in rows if r[0] not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("103.96%", "103.955", "103.965"),
        ("98%", "97.5", "98.5"),
        ("50.27亿元", "502650", "502750"),
        ("13.13万人", "131250", "131350"),
        ("-2.8万元", "-2.85", "-2.75"),
        ("283.19万元", "283.185", "283.195"),
        ("150元", "0.01495", "0.01505"),
    ],
)
def test_interval(text: str, low: str, high: str) -> None:
    assert parse_quantity(text).interval() == (D(low), D(high))


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("121.4", "0.1"),
        ("30813.69", "0.01"),
        ("303,976", "1"),
        ("-2.8", "0.1"),
        ("7", "1"),
        ("0.0001", "0.0001"),
    ],
)
def test_precision_of(digits: str, expected: str) -> None:
    assert precision_of(digits) == D(expected)


def test_quantity_str_and_negation() -> None:
    q = parse_quantity("283.19万元")
    assert str(q) == "283.19万元"
    assert q.negated().canonical == D("-283.19")
    assert q.negated().precision == q.precision


def test_normalize_digits_keeps_length() -> None:
    s = "１２３．４５％－６"
    assert normalize_digits(s) == "123.45%-6"
    assert len(normalize_digits(s)) == len(s)


# ---- sign from words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("较上年减少111.64万元", "-111.64"),
        ("较上年增加2294万元", "2294"),
        ("较上年减少440万元，下降29.5%", "-29.5"),
        ("下降了35%", "-35"),
        ("降低1.53%", "-1.53"),
        ("比上年同期增加798万元", "798"),
        ("与去年同期相比增加3204万元", "3204"),
        ("基金当期结余-137万元", "-137"),
        ("累计结余283.19万元", "283.19"),
    ],
)
def test_sign_from_words(clause: str, expected: str) -> None:
    m = find_quantities(clause)[-1]
    assert sign_from_words(clause[: m.start]) * m.quantity.canonical == D(expected)


def test_sign_from_words_with_parse_quantity() -> None:
    """The issue's example: 较上年减少111.64万元 is a yoy_change of −111.64."""
    assert sign_from_words("较上年减少") * parse_quantity("111.64万元").canonical == D("-111.64")
    assert sign_from_words("较上年增加") * parse_quantity("16663万元").canonical == D("16663")
    assert sign_from_words("基金当期结余") == 1


# ---- numbers in running text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "2019年本县各项基金总收入133590万元，较上年增加   16663万元，增长14.25%，完成年度预算104%。",
            [
                ("2019", "2019", ""),
                ("133590万元", "133590", "万元"),
                ("16663万元", "16663", "万元"),
                ("14.25%", "14.25", "%"),
                ("104%", "104", "%"),
            ],
        ),
        (
            "基金当期结余-2.8万元，累计结余3.46万元。",
            [("-2.8万元", "-2.8", "万元"), ("3.46万元", "3.46", "万元")],
        ),
        (
            "总收入1,234万元,其中保费收入１２３．４５万元",
            [("1,234万元", "1234", "万元"), ("１２３．４５万元", "123.45", "万元")],
        ),
        (
            "待遇发放由190元/人·月调整为195元/人·月，首次待遇发放准确率99％以上",
            [("190元/人·月", "190", "元/人·月"), ("195元/人·月", "195", "元/人·月"), ("99％", "99", "%")],
        ),
        ("社会保险\n\n待遇支出40511\n万元。", [("40511\n万元", "40511", "万元")]),
        # malformed grouping and numbers glued to digits are not split into wrong figures
        ("编号12,3456号", []),
        ("2019-2020年", [("2019", "2019", ""), ("2020", "2020", "")]),
    ],
)
def test_find_quantities(clause: str, expected: list[tuple[str, str, str]]) -> None:
    got = [(clause[m.start : m.end], m.quantity.canonical, m.quantity.unit) for m in find_quantities(clause)]
    assert got == [(s, D(v), u) for s, v, u in expected]


def test_find_quantities_offsets_on_the_corpus(corpus: Path) -> None:
    """Every number found in the real texts re-parses from its own span to the same quantity."""
    for name in ("korla-2020.txt", "qitai-2019.txt"):
        text = (corpus / name).read_text(encoding="utf-8")
        matches = find_quantities(text)
        assert len(matches) > 100
        for m in matches:
            assert parse_quantity(text[m.start : m.end]) == m.quantity, (name, m.start)
        spans = {text[m.start : m.end] for m in matches}
        assert {"99％", "283.19万元", "-137万元", "5073.17元/月"} & spans


# ---- Chinese numerals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三千二百", 3200),
        ("三千二", 3200),
        ("一万零五", 10005),
        ("一万五", 15000),
        ("两千", 2000),
        ("十二", 12),
        ("二十五", 25),
        ("一百零一", 101),
        ("一千零一十", 1010),
        ("二〇二四", 2024),
        ("一亿二千万", 120000000),
        ("一亿零五百万", 105000000),
        ("三十万零五百", 300500),
        ("壹仟贰佰叁拾肆", 1234),
        ("九千九百九十九万九千九百九十九", 99999999),
    ],
)
def test_parse_chinese_integer(text: str, value: int) -> None:
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize(
    ("text", "value", "unit", "precision"),
    [
        ("百分之十二点五", "12.5", "%", "0.1"),
        ("五十点二七亿元", "502700", "亿元", "100"),
        ("负三百", "-300", "", "1"),
        ("三千二百人", "3200", "人", "1"),
        ("一点五万人", "15000", "万人", "1000"),
        ("百分之九十五", "95", "%", "1"),
    ],
)
def test_parse_chinese_quantity(text: str, value: str, unit: str, precision: str) -> None:
    q = parse_chinese_quantity(text)
    assert (q.canonical, q.unit, q.canonical_precision) == (D(value), unit, D(precision))


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "abc",
        "万元",
        "三千x",
        "1.2.3",
        "12..5",
        "--5",
        "十十",
        "万",
        "三三百",
        "零百",
        "十二点",
        "百分之",
        "负",
    ],
)
def test_junk_raises_number_error(junk: str) -> None:
    with pytest.raises(NumberError, match="不是") as e:
        parse_quantity(junk)
    assert repr(junk) in str(e.value)  # the message quotes the offending input


@pytest.mark.parametrize("junk", ["", "abc", "十十", "万万", "3千"])
def test_junk_chinese_integer(junk: str) -> None:
    with pytest.raises(NumberError):
        parse_chinese_integer(junk)


# ---- formatting and the round trip ------------------------------------------------------


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (format_wan(30813.69), "30813.69万元"),
        (format_wan(30813.685), "30813.69万元"),  # half up, as finance staff round
        (format_wan(1234567.891, thousands=True), "1,234,567.89万元"),
        (format_percent(103.955), "103.96%"),
        (format_percent(-22.294), "-22.29%"),
        (format_people(5854), "5854人"),
        (format_number(-0.001), "0.00"),  # no "-0.00"
        (format_number(2.5, 0), "3"),
    ],
)
def test_format(got: str, expected: str) -> None:
    assert got == expected


money = st.decimals(min_value=-(10**10), max_value=10**10, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(value=money, decimals=st.integers(0, 4), thousands=st.booleans())
def test_format_number_round_trip(value: Decimal, decimals: int, thousands: bool) -> None:
    s = format_number(value, decimals, thousands)
    q = parse_quantity(s)
    step = D(1).scaleb(-decimals)
    assert q.canonical == value.quantize(step, rounding="ROUND_HALF_UP")
    assert q.precision == step
    assert q.interval()[0] <= value <= q.interval()[1]  # the printed figure covers the true value


@settings(max_examples=100, deadline=None)
@given(value=money, decimals=st.integers(0, 4), thousands=st.booleans())
def test_format_wan_round_trip_in_text(value: Decimal, decimals: int, thousands: bool) -> None:
    s = format_wan(value, decimals, thousands)
    text = f"基金支出{s}，"
    (m,) = find_quantities(text)
    assert (m.start, m.end) == (4, 4 + len(s))
    assert m.quantity.unit == "万元"
    assert m.quantity.canonical == D(s.removesuffix("万元").replace(",", ""))
    assert m.quantity.canonical_precision == D(1).scaleb(-decimals)


@settings(max_examples=100, deadline=None)
@given(value=st.floats(min_value=-1000, max_value=1000, allow_nan=False), decimals=st.integers(0, 3))
def test_format_percent_round_trip(value: float, decimals: int) -> None:
    s = format_percent(value, decimals)
    q = parse_quantity(s)
    assert q.kind == "rate"
    assert q.precision == D(1).scaleb(-decimals)
    assert abs(float(q.canonical) - value) <= float(q.precision) / 2 + 1e-9


def test_quantity_is_hashable_value_object() -> None:
    assert parse_quantity("98%") == Quantity(D(98), "%", D(1))
    assert len({parse_quantity("98%"), parse_quantity("98％")}) == 1


@pytest.mark.parametrize(
    ("value", "text"),
    [(227353.49, "227353.49"), (227353.0, "227353"), (0.4, "0.4"), (1234567.5, "1234567.5"),
     (-2.8, "-2.8"), (-0.001, "0"), (121.4749, "121.47")],
)
def test_format_plain_keeps_every_digit_that_matters(value: float, text: str) -> None:
    assert format_plain(value) == text
