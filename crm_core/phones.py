"""Phone number normalisation: pure, no I/O.

`normalise_phone(raw, region)` returns a `PhoneResult`: the number as typed (cleaned so it can be
stored), its E.164 form or None, and the reason. Only a full, valid number gets an E.164 form;
lookups compare E.164 forms exactly, never suffixes, so "123456" never matches "+421900123456".
Extensions, short codes, "anonymous", "<unknown>", letters and over-long digit runs keep e164=None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

MAX_RAW_LENGTH = 64
MAX_E164_DIGITS = 15
MAX_SHORT_DIGITS = 6
_ALLOWED = re.compile(r"^\+?[\d\s().\-/]+$")
_ANONYMOUS = {"anonymous", "unknown", "<unknown>", "private", "restricted", "unavailable"}


class PhoneReason(StrEnum):
    OK = "ok"
    EMPTY = "empty"
    ANONYMOUS = "anonymous"
    BAD_CHARACTERS = "bad_characters"
    SHORT_NUMBER = "short_number"
    TOO_LONG = "too_long"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class PhoneResult:
    raw: str
    e164: str | None
    reason: PhoneReason

    @property
    def ok(self) -> bool:
        return self.e164 is not None


def clean_typed(raw: str | bytes | None) -> str:
    """The typed form made storable: valid UTF-8, no control characters, trimmed, bounded."""
    if raw is None:
        return ""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    return text.strip()[:MAX_RAW_LENGTH]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _screen(text: str) -> PhoneReason | None:
    """Why `text` cannot be a full number, or None when it is worth parsing."""
    if not text:
        return PhoneReason.EMPTY
    if text.lower() in _ANONYMOUS:
        return PhoneReason.ANONYMOUS
    if not _ALLOWED.match(text):
        return PhoneReason.BAD_CHARACTERS
    digits = _digits(text)
    if text.startswith("00"):
        digits = digits[2:]
    if len(digits) > MAX_E164_DIGITS:
        return PhoneReason.TOO_LONG
    if len(digits) <= MAX_SHORT_DIGITS:
        return PhoneReason.SHORT_NUMBER
    return None


def _parse_e164(text: str, region: str) -> str | None:
    candidate = "+" + text[2:] if text.startswith("00") else text
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_phone(raw: str | bytes | None, region: str) -> PhoneResult:
    """Normalise a phone number typed or delivered in any form; see the module docstring."""
    typed = clean_typed(raw)
    ascii_form = unicodedata.normalize("NFKC", typed)
    rejected = _screen(ascii_form)
    if rejected is not None:
        return PhoneResult(typed, None, rejected)
    e164 = _parse_e164(ascii_form, region)
    if e164 is None:
        return PhoneResult(typed, None, PhoneReason.INVALID)
    return PhoneResult(typed, e164, PhoneReason.OK)


def phone_kind(e164: str) -> str:
    """'mobile', 'fixed' or 'other', from the number plan of a valid E.164 number."""
    number_type = phonenumbers.number_type(phonenumbers.parse(e164))
    if number_type == phonenumbers.PhoneNumberType.MOBILE:
        return "mobile"
    if number_type in (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return "fixed"
    return "other"
