"""公民身份号码 (GB 11643-1999): the check digit, the 15 ↔ 18 forms, birth date and gender."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sifund.core import idcard

# The standard's own example (a woman born 1949-12-31 in 北京市朝阳区).
EXAMPLE = "11010519491231002X"


def test_the_standards_example_is_valid():
    assert idcard.check_digit(EXAMPLE[:17]) == "X"
    assert idcard.is_valid_18(EXAMPLE)
    assert idcard.birth_date(EXAMPLE) == date(1949, 12, 31)
    assert idcard.gender(EXAMPLE) == "female"  # sequence 002: even


def test_check_digits_worked_by_hand():
    # 4·7+4·9+0·10+5·5+2·8+4·4+1·2+8·1+8·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 195; 195 mod 11 = 8 → '4'
    assert idcard.check_digit("44052418800101001") == "4"
    assert idcard.gender("440524188001010014") == "male"
    # the check is right, but docs/payments.md wants a birth date from 1900-01-01 on
    assert not idcard.is_valid_18("440524188001010014")


def test_lower_case_x_is_accepted():
    assert idcard.is_valid_18(EXAMPLE.lower())
    assert idcard.gender(EXAMPLE.lower()) == "female"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "wrong check digit"),
        ("11010519490231002X", "no 31 February (check digit recomputed below)"),
        ("00010519491231002X", "province 00"),
        ("11010519491231002", "17 characters"),
        ("1101051949123100X2", "X not last"),
        ("11010518991231002X", "before 1900"),
        ("", "empty"),
    ],
)
def test_invalid_18(number, why):
    if why.startswith("no 31") or why.startswith("province") or why.startswith("before"):
        number = number[:17] + idcard.check_digit(number[:17])  # only the named part is wrong
    assert not idcard.is_valid_18(number), why


def test_a_birth_date_after_the_data_is_invalid_when_a_latest_date_is_given():
    first17 = "11010520250115001"
    number = first17 + idcard.check_digit(first17)
    assert idcard.is_valid_18(number)
    assert not idcard.is_valid_18(number, latest=date(2024, 12, 31))


def test_15_digit_form():
    assert idcard.is_valid_15("110105491231002")
    assert idcard.to_18("110105491231002") == EXAMPLE
    assert idcard.to_15(EXAMPLE) == "110105491231002"
    assert idcard.birth_date("110105491231002") == date(1949, 12, 31)
    assert idcard.gender("110105491231002") == "female"
    assert not idcard.is_valid_15("110105490231002")  # 31 February... 1949-02-31
    assert not idcard.is_valid_15("990105491231002")  # province 99
    assert idcard.is_valid("110105491231002") and idcard.is_valid(EXAMPLE)


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        idcard.check_digit("1234")
    with pytest.raises(ValueError):
        idcard.to_18(EXAMPLE)
    with pytest.raises(ValueError):
        idcard.to_15("11010520010101001X")  # born 2001: no 15-digit form


def test_province_codes_are_the_standards():
    edges = ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"]
    outside = ["00", "10", "16", "20", "24", "30", "38", "40", "47", "55", "60", "66", "70", "83", "99"]
    assert set(edges) <= idcard.PROVINCES
    assert not set(outside) & idcard.PROVINCES
    assert len(idcard.PROVINCES) == 34


# ---- properties over generated numbers --------------------------------------------------------

provinces = st.sampled_from(sorted(idcard.PROVINCES))
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31))
rest = st.integers(min_value=0, max_value=9999)  # 4 digits of the region
sequences = st.integers(min_value=0, max_value=999)


def make(province: str, region: int, born: date, seq: int) -> str:
    first17 = f"{province}{region:04d}{born:%Y%m%d}{seq:03d}"
    return first17 + idcard.check_digit(first17)


@given(provinces, rest, births, sequences)
def test_a_made_number_is_valid_and_says_its_birth_and_gender(province, region, born, seq):
    number = make(province, region, born, seq)
    assert idcard.is_valid_18(number)
    assert idcard.birth_date(number) == born
    assert idcard.gender(number) == ("male" if seq % 2 else "female")


@given(provinces, rest, births, sequences, st.integers(0, 16), st.integers(1, 9))
def test_every_single_digit_error_is_caught(province, region, born, seq, pos, delta):
    number = make(province, region, born, seq)
    wrong = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert idcard.check_digit(wrong[:17]) != wrong[17]  # MOD 11-2 detects any one changed digit


@given(provinces, rest, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sequences)
def test_15_and_18_forms_round_trip(province, region, born, seq):
    number = make(province, region, born, seq)
    old = idcard.to_15(number)
    assert len(old) == 15 and idcard.is_valid_15(old)
    assert idcard.to_18(old) == number
    assert idcard.birth_date(old) == born and idcard.gender(old) == idcard.gender(number)


@given(st.text(max_size=20))
def test_arbitrary_text_never_raises(text):
    assert isinstance(idcard.is_valid(text), bool)
    assert idcard.birth_date(text) is None or idcard.is_valid(text) or len(text) in (15, 18)
    assert idcard.gender(text) in (None, "male", "female")


# ---- numbers of the same form that are not 公民身份号码 -----------------------------------------


def test_a_taiwan_residence_permit_and_a_foreigners_permanent_residence_id_are_valid():
    born = date(1985, 6, 1)
    taiwan = make("83", 0, born, 21)  # 台湾居民居住证: 830000…
    foreigner = make("94", 4840, born, 11)  # 外国人永久居留身份证 (2023): 9, 受理地 44 (广东), 国籍 840
    assert idcard.is_valid_18(taiwan) and idcard.is_valid_18(foreigner)
    assert idcard.birth_date(foreigner) == born  # the birth date sits where a citizen's does
    assert not idcard.is_valid_18(make("97", 4840, born, 11))  # 9 then no mainland province
    assert not idcard.is_valid_18(make("98", 2840, born, 11))  # 98: 9 + 82 is not a 受理地
    assert not idcard.is_valid_15(taiwan[:6] + taiwan[8:17])  # no 15-digit form of either


def test_the_rule_accepts_exactly_the_numbers_idcard_accepts():
    """invalid_person_id's lists (data, overridable per province) say what sifund.core.idcard says."""
    from sifund.payments.catalogue import load_rules

    (rule,) = [r for r in load_rules(None) if r.code == "invalid_person_id"]
    p = rule.params
    assert set(p.provinces) == idcard.PROVINCES
    assert set(p.permit_prefixes) == idcard.RESIDENCE_PERMIT_PREFIXES
    assert set(p.foreigner_provinces) == idcard.MAINLAND
