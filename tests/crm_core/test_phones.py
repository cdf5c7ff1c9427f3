"""The phone normaliser: full numbers in any spelling match; nothing else ever does."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_core.phones import MAX_RAW_LENGTH, PhoneReason, normalise_phone

SK_MOBILE = "+421900123456"


@pytest.mark.parametrize(
    "typed",
    ["+421 900 123 456", "00421900123456", "0900 123 456", "0900/123-456", "+421 (900) 123.456"],
)
def test_spellings_of_a_slovak_number_share_one_e164(typed: str) -> None:
    assert normalise_phone(typed, "SK").e164 == SK_MOBILE


def test_uk_number_with_brackets_is_valid() -> None:
    result = normalise_phone("+44 (20) 7946-0958", "SK")
    assert (result.e164, result.reason) == ("+442079460958", PhoneReason.OK)


def test_national_form_depends_on_the_region() -> None:
    assert normalise_phone("0601 123 456", "CZ").e164 is None
    assert normalise_phone("601 123 456", "CZ").e164 == "+420601123456"
    assert normalise_phone("030 1234567", "DE").e164 == "+49301234567"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", PhoneReason.EMPTY),
        ("   ", PhoneReason.EMPTY),
        (None, PhoneReason.EMPTY),
        ("anonymous", PhoneReason.ANONYMOUS),
        ("<unknown>", PhoneReason.ANONYMOUS),
        ("Restricted", PhoneReason.ANONYMOUS),
        ("123456", PhoneReason.SHORT_NUMBER),
        ("1001", PhoneReason.SHORT_NUMBER),
        ("112", PhoneReason.SHORT_NUMBER),
        ("*72", PhoneReason.BAD_CHARACTERS),
        ("PJSIP/1001-00000001", PhoneReason.BAD_CHARACTERS),
        ("1-800-FLOWERS", PhoneReason.BAD_CHARACTERS),
        ("12345678901234567890", PhoneReason.TOO_LONG),
        ("+421 900 123 456 789 012", PhoneReason.TOO_LONG),
        ("0421900123456", PhoneReason.INVALID),
        ("+999 123 456 789", PhoneReason.INVALID),
    ],
)
def test_non_numbers_keep_their_typed_form_and_no_e164(typed: str | None, reason: str) -> None:
    result = normalise_phone(typed, "SK")
    assert result.e164 is None
    assert result.reason == reason
    assert result.raw == (typed or "").strip()


def test_a_suffix_is_not_the_number() -> None:
    assert normalise_phone("123456", "SK").e164 != SK_MOBILE
    assert normalise_phone("900123456", "SK").e164 == SK_MOBILE  # national significant number


def test_non_utf8_bytes_are_kept_readable_and_never_match() -> None:
    result = normalise_phone(b"\xff\xfe0900\x00123", "SK")
    assert result.e164 is None
    assert "\x00" not in result.raw
    result.raw.encode("utf-8")


def test_control_characters_are_dropped_from_the_typed_form() -> None:
    result = normalise_phone("\x00+421 900 123 456\x07", "SK")
    assert (result.raw, result.e164) == ("+421 900 123 456", SK_MOBILE)


def test_full_width_digits_are_read_as_digits() -> None:
    assert normalise_phone("０９００ １２３ ４５６", "SK").e164 == SK_MOBILE


def test_typed_form_is_bounded() -> None:
    assert len(normalise_phone("9" * 500, "SK").raw) == MAX_RAW_LENGTH


@given(st.text(max_size=80))
def test_any_text_never_raises_and_e164_is_well_formed(typed: str) -> None:
    result = normalise_phone(typed, "SK")
    result.raw.encode("utf-8")
    if result.e164 is not None:
        assert result.e164.startswith("+")
        assert result.e164[1:].isdigit()
        assert 8 <= len(result.e164) <= 16


@given(st.binary(max_size=40))
def test_any_bytes_never_raise(typed: bytes) -> None:
    normalise_phone(typed, "SK").raw.encode("utf-8")


@given(st.text(alphabet="0123456789", max_size=6))
def test_six_digits_or_fewer_never_match(digits: str) -> None:
    assert normalise_phone(digits, "SK").e164 is None


@given(st.sampled_from(["SK", "CZ", "GB", "US", "DE"]), st.data())
def test_every_format_of_a_valid_number_normalises_to_its_e164(
    region: str, data: st.DataObject
) -> None:
    number = phonenumbers.example_number_for_type(
        region,
        data.draw(
            st.sampled_from(
                [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
            )
        ),
    )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    for style in (
        phonenumbers.PhoneNumberFormat.E164,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        phonenumbers.PhoneNumberFormat.NATIONAL,
    ):
        assert normalise_phone(phonenumbers.format_number(number, style), region).e164 == e164
    assert normalise_phone(e164, "SK").e164 == e164
    assert normalise_phone("00" + e164[1:], region if region != "US" else "SK").e164 == e164
