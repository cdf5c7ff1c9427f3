"""Deterministic fake names, companies and phone numbers for the demo data set (pure)."""

from __future__ import annotations

import random

import phonenumbers

FIRST = [
    "Ján",
    "Peter",
    "Eva",
    "Zuzana",
    "Tomáš",
    "Jana",
    "Martin",
    "Lucia",
    "Pavel",
    "Kateřina",
    "Jiří",
    "Oliver",
    "Emma",
    "James",
    "Sophie",
    "John",
    "Mary",
    "Lukas",
    "Anna",
    "Jürgen",
    "Šimon",
    "Ľubica",
    "Łukasz",
    "Wei",
    "Ondřej",
]
LAST = [
    "Šťastný",
    "Novák",
    "Kováč",
    "Horváth",
    "Varga",
    "Tóth",
    "Dvořák",
    "Černý",
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Johnson",
    "Williams",
    "Procházka",
    "Kučera",
    "Veselý",
    "Marek",
    "Weber",
    "Wagner",
    "Green",
]
COMPANY_WORDS = [
    "Tatra",
    "Danube",
    "Carpathian",
    "Nova",
    "Alpha",
    "Baltic",
    "Bohemia",
    "Metro",
    "Atlas",
    "Orion",
    "Vertex",
    "Summit",
    "Pioneer",
    "Harbor",
    "Granite",
    "Falcon",
]
COMPANY_KINDS = [
    "Logistics",
    "Software",
    "Energy",
    "Foods",
    "Motors",
    "Consulting",
    "Print",
    "Medical",
    "Textiles",
    "Robotics",
]
COMPANY_FORMS = {"SK": "s.r.o.", "CZ": "a.s.", "GB": "Ltd", "US": "Inc.", "DE": "GmbH"}
REGIONS = ["SK", "SK", "SK", "CZ", "CZ", "GB", "US", "DE"]
_STYLES = [phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL]


def phone_number(rng: random.Random, region: str) -> tuple[str, str]:
    """(typed form, E.164) of a valid random number of `region`. National forms only for SK
    (the default region); other regions are typed internationally or with 00."""
    kind = rng.choice(
        [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
    )
    example = phonenumbers.example_number_for_type(region, kind)
    assert example is not None
    national = str(example.national_number)
    while True:
        digits = national[:-5] + "".join(rng.choice("0123456789") for _ in range(5))
        number = phonenumbers.parse(digits, region)
        if phonenumbers.is_valid_number(number):
            break
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if region == "SK":
        return phonenumbers.format_number(number, rng.choice(_STYLES)), e164
    if rng.random() < 0.2:
        return "00" + e164[1:], e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL), e164


def company_name(rng: random.Random, region: str, index: int) -> str:
    words = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
    return f"{words} {index} {COMPANY_FORMS[region]}"


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)
