"""NIK and No. KK layout rules (households/identity.py), by example and by property."""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from households.identity import (
    EXACT_FLOAT_LIMIT,
    PROVINCE_CODES,
    clean_number,
    kk_error,
    mask,
    nik_birth_date,
    nik_error,
    nik_is_female,
    number_from_cell,
)

ASCII_DIGITS = "0123456789"
provinces = st.sampled_from(sorted(PROVINCE_CODES))
not_provinces = st.integers(0, 99).map("{:02d}".format).filter(lambda c: c not in PROVINCE_CODES)
four_digits = st.integers(0, 9999).map("{:04d}".format)
serials = st.integers(1, 9999).map("{:04d}".format)
men_days = st.integers(1, 31)
women_days = st.integers(41, 71)
months = st.integers(1, 12).map("{:02d}".format)
years = st.integers(0, 99).map("{:02d}".format)


@st.composite
def valid_niks(draw, days=men_days | women_days):
    return (
        draw(provinces)
        + draw(four_digits)
        + f"{draw(days):02d}"
        + draw(months)
        + draw(years)
        + draw(serials)
    )


def replace(nik: str, start: int, text: str) -> str:
    return nik[:start] + text + nik[start + len(text) :]


# ---------------------------------------------------------------------------------------
# The province list


def test_there_are_38_province_codes_including_kalimantan_selatan_and_the_papuas():
    assert len(PROVINCE_CODES) == 38
    assert {"11", "21", "31", "36", "51", "63", "65", "76", "81", "82", "91", "96"} <= (
        PROVINCE_CODES
    )
    assert not {"00", "10", "20", "22", "30", "37", "50", "60", "66", "70", "77", "90", "97"} & (
        PROVINCE_CODES
    )


# ---------------------------------------------------------------------------------------
# NIK


@given(valid_niks())
@example("6302170101900001")  # a man born 1 January 1990 in Kelumpang Hilir
@example("6302175112850123")  # a woman born 11 December 1985
def test_any_16_digits_with_a_valid_province_day_month_and_serial_is_a_nik(nik):
    assert nik_error(nik) is None


@given(valid_niks(), not_provinces)
def test_a_nik_outside_the_38_provinces_is_rejected_naming_the_code(nik, code):
    error = nik_error(code + nik[2:])
    assert error is not None
    assert code in error


@given(valid_niks(), st.sampled_from([0, 32, 33, 39, 40, 72, 80, 99]))
def test_a_nik_birth_day_outside_01_31_and_41_71_is_rejected(nik, day):
    error = nik_error(replace(nik, 6, f"{day:02d}"))
    assert error is not None
    assert f"{day:02d}" in error


@given(valid_niks(), st.sampled_from(["00", "13", "20", "99"]))
def test_a_nik_birth_month_outside_01_12_is_rejected(nik, month):
    error = nik_error(replace(nik, 8, month))
    assert error is not None
    assert month in error


@given(valid_niks())
def test_a_nik_with_serial_0000_is_rejected(nik):
    error = nik_error(replace(nik, 12, "0000"))
    assert error is not None
    assert "0000" in error


@given(valid_niks(), st.integers(0, 15))
def test_a_nik_one_digit_short_is_rejected(nik, position):
    assert nik_error(nik[:position] + nik[position + 1 :]) is not None


@given(valid_niks(), st.integers(0, 16), st.sampled_from(ASCII_DIGITS))
def test_a_nik_one_digit_long_is_rejected(nik, position, digit):
    assert nik_error(nik[:position] + digit + nik[position:]) is not None


@given(valid_niks(), st.integers(0, 15), st.sampled_from("Oo lI x?+/"))
def test_a_nik_with_a_letter_or_sign_in_it_is_rejected(nik, position, character):
    assert nik_error(replace(nik, position, character)) is not None


@given(valid_niks(), st.integers(2, 15), st.sampled_from("٠١٢٣٤٥٦٧٨٩０１２３４５６７８９"))
def test_a_nik_with_a_non_ascii_digit_is_rejected(nik, position, digit):
    # Arabic-Indic or full-width digits pasted from a PDF are not the NIK's digits: stored
    # as they are, they would make a second person with the "same" NIK.
    assert nik_error(replace(nik, position, digit)) is not None


def follows_the_nik_layout(digits: str) -> bool:
    """The layout rules of the issue, written out plainly."""
    day, month = int(digits[6:8]), int(digits[8:10])
    return (
        digits[:2] in PROVINCE_CODES
        and (1 <= day <= 31 or 41 <= day <= 71)
        and 1 <= month <= 12
        and digits[12:] != "0000"
    )


@given(st.text(ASCII_DIGITS, min_size=16, max_size=16))
@example("6302170101900001")
@example("6302177112991000")
def test_any_16_digits_are_a_nik_exactly_when_they_follow_the_layout(digits):
    assert (nik_error(digits) is None) == follows_the_nik_layout(digits)


@given(st.text(ASCII_DIGITS, min_size=16, max_size=16))
def test_any_16_digits_are_a_no_kk_exactly_when_they_start_with_a_province(digits):
    assert (kk_error(digits) is None) == (digits[:2] in PROVINCE_CODES)


def test_nik_errors_on_the_examples_a_person_would_type():
    assert nik_error("6302170101900001") is None
    assert nik_error("630217010190001") is not None  # 15 digits
    assert nik_error("63021701019000011") is not None  # 17 digits
    assert "10" in nik_error("1002170101900001")  # 10 is not a province
    assert nik_error("6302170001900001") is not None  # day 00
    assert nik_error("6302173201900001") is not None  # day 32
    assert nik_error("6302174001900001") is not None  # day 40
    assert nik_error("6302177201900001") is not None  # day 72
    assert nik_error("6302174101900001") is None  # a woman born on the 1st
    assert nik_error("6302177101900001") is None  # a woman born on the 31st
    assert nik_error("6302170113900001") is not None  # month 13
    assert nik_error("6302170101900000") is not None  # serial 0000


@given(valid_niks(days=men_days))
def test_a_woman_has_40_added_to_the_birth_day_of_her_nik(nik):
    woman = replace(nik, 6, f"{int(nik[6:8]) + 40:02d}")
    assert not nik_is_female(nik)
    assert nik_is_female(woman)
    assert nik_error(woman) is None


def test_the_nik_birth_date_takes_the_latest_century_not_after_today():
    today = datetime.date(2025, 10, 1)
    assert nik_birth_date("6302170101900001", today=today) == datetime.date(1990, 1, 1)
    assert nik_birth_date("6302175112850123", today=today) == datetime.date(1985, 12, 11)
    assert nik_birth_date("6302171503100002", today=today) == datetime.date(2010, 3, 15)
    assert nik_birth_date("6302171503250002", today=today) == datetime.date(2025, 3, 15)
    assert nik_birth_date("6302171503260002", today=today) == datetime.date(1926, 3, 15)


def test_the_nik_birth_date_is_none_when_the_day_does_not_exist():
    assert nik_birth_date("6302173102900001", today=datetime.date(2025, 10, 1)) is None


# ---------------------------------------------------------------------------------------
# No. KK


@given(provinces, st.text(ASCII_DIGITS, min_size=14, max_size=14))
def test_any_16_digits_with_a_valid_province_is_a_no_kk(province, rest):
    assert kk_error(province + rest) is None


@given(not_provinces, st.text(ASCII_DIGITS, min_size=14, max_size=14))
def test_a_no_kk_outside_the_38_provinces_is_rejected(code, rest):
    assert code in kk_error(code + rest)


@pytest.mark.parametrize("kk", ["630217150320001", "63021715032000011", "63021715O3200001", ""])
def test_a_no_kk_that_is_not_16_digits_is_rejected(kk):
    assert kk_error(kk) is not None


# ---------------------------------------------------------------------------------------
# Cleaning what people type


@pytest.mark.parametrize(
    "typed",
    [
        "6302170101900001",
        "6302 1701 0190 0001",
        "6302.1701.0190.0001",
        "6302-1701-0190-0001",
        "63.02.17-010190 0001",
        "'6302170101900001",
        "  '6302 1701 0190 0001 ",
        "6302\u00a01701\u00a00190\u00a00001",
    ],
)
def test_clean_number_drops_spaces_dots_dashes_and_a_leading_apostrophe(typed):
    assert clean_number(typed) == "6302170101900001"


@given(
    st.text(ASCII_DIGITS, min_size=16, max_size=16),
    st.lists(st.sampled_from([" ", ".", "-"]), min_size=17, max_size=17),
    st.booleans(),
)
def test_clean_number_gives_back_the_digits_whatever_separators_were_typed(digits, seps, quote):
    typed = "".join(sep + digit for sep, digit in zip(seps, digits, strict=False))
    typed = ("'" if quote else "") + typed.lstrip()
    assert clean_number(typed) == digits


def test_clean_number_keeps_an_apostrophe_that_is_not_leading_so_the_number_is_rejected():
    assert clean_number("6302'170101900001") == "6302'170101900001"
    assert nik_error(clean_number("6302'170101900001")) is not None


# ---------------------------------------------------------------------------------------
# Numbers held in numeric spreadsheet cells


@given(st.integers(1, EXACT_FLOAT_LIMIT - 1).filter(lambda n: n % 10))
def test_a_whole_number_below_2_53_not_ending_in_0_is_read_as_its_digits(number):
    assert number_from_cell(number) == (str(number), None)
    if float(number) == number:
        assert number_from_cell(float(number)) == (str(number), None)


@given(st.integers(1, (EXACT_FLOAT_LIMIT - 1) // 10))
def test_a_number_ending_in_0_may_have_been_rounded_by_excel_and_is_an_error(tens):
    digits, error = number_from_cell(tens * 10)
    assert digits is None
    assert str(tens * 10) in error


@given(st.integers(EXACT_FLOAT_LIMIT, 10**17))
def test_a_number_of_2_53_or_more_is_an_error(number):
    digits, error = number_from_cell(number)
    assert digits is None
    assert error


@given(st.floats(1, 1e15).filter(lambda x: not x.is_integer()))
def test_a_number_with_decimals_is_an_error(number):
    digits, error = number_from_cell(number)
    assert digits is None
    assert error


def test_numbers_as_excel_hands_them_over():
    assert number_from_cell(6302170101900001) == ("6302170101900001", None)
    assert number_from_cell(6302170101900001.0) == ("6302170101900001", None)
    assert number_from_cell(6302170101900010)[0] is None
    assert number_from_cell(6.30201e15)[0] is None
    assert number_from_cell(9100000000000001)[0] is None  # Papua, but 2**53 or more
    assert number_from_cell(630217010190000.5)[0] is None


# ---------------------------------------------------------------------------------------
# Masking


def test_mask_keeps_the_first_4_and_last_4_digits():
    assert mask("6302170101900001") == "6302********0001"


@given(st.text(ASCII_DIGITS, min_size=9, max_size=20))
def test_mask_hides_everything_between_the_first_and_last_4(number):
    masked = mask(number)
    assert len(masked) == len(number)
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {"*"}


@given(st.text(ASCII_DIGITS, max_size=8))
def test_mask_hides_a_short_number_entirely(number):
    assert mask(number) == "*" * len(number)
