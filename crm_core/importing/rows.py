"""Validation of one CSV row into a contact ready to insert (pure: no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from crm_core.models.enums import ContactStatus
from crm_core.phones import normalise_phone, phone_kind

COLUMNS = ("first_name", "last_name", "company", "email", "phone", "phone2", "owner", "status")
LIMITS = {"first_name": 100, "last_name": 100, "company": 200, "email": 254, "owner": 64}
STATUSES = {status.value for status in ContactStatus}


class RowError(ValueError):
    """Why a row is rejected."""


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reason: str


@dataclass(slots=True)
class ValidRow:
    line: int
    first_name: str
    last_name: str
    company: str
    email: str
    owner: str
    status: str
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # (e164, raw, kind)


def _checked_email(value: str) -> str:
    if not value:
        return ""
    try:
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise RowError(f"email: {exc}") from exc


def _checked_phones(values: list[str], region: str) -> list[tuple[str, str, str]]:
    phones: list[tuple[str, str, str]] = []
    for value in values:
        if not value.strip():
            continue
        result = normalise_phone(value, region)
        if result.e164 is None:
            raise RowError(f"phone {value!r} is not a valid number ({result.reason})")
        if result.e164 not in {phone[0] for phone in phones}:
            phones.append((result.e164, result.raw, phone_kind(result.e164)))
    return phones


def validate_row(line: int, raw: dict[str, str], region: str) -> ValidRow:
    values = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            raise RowError(f"{key}: longer than {limit} characters")
    if not (values["first_name"] or values["last_name"]):
        raise RowError("first_name/last_name: a contact needs a name")
    status = values["status"].lower() or ContactStatus.LEAD.value
    if status not in STATUSES:
        raise RowError(f"status: {values['status']!r} is not one of {', '.join(sorted(STATUSES))}")
    return ValidRow(
        line=line,
        first_name=values["first_name"],
        last_name=values["last_name"],
        company=values["company"],
        email=_checked_email(values["email"]),
        owner=values["owner"],
        status=status,
        phones=_checked_phones([values["phone"], values["phone2"]], region),
    )
