"""Phone helpers the card services share: normalise, check the number is free, attach, find."""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.db import Sessions
from crm_core.errors import InvalidFieldError, PhoneTakenError
from crm_core.models import Company, Contact, Phone
from crm_core.models.enums import AuditAction
from crm_core.phones import normalise_phone, phone_kind
from crm_core.services.audit import record
from crm_core.services.dto import Actor, PhoneIn, PhoneOut


def build_phone(data: PhoneIn, region: str) -> Phone:
    """A Phone row for a card; a card's phone must be a full, valid number."""
    result = normalise_phone(data.number, region)
    if result.e164 is None:
        raise InvalidFieldError(
            "number",
            f"{data.number!r} is not a valid phone number ({result.reason})",
            code="invalid_phone",
        )
    kind = data.kind.value if data.kind else phone_kind(result.e164)
    return Phone(e164=result.e164, raw=result.raw, kind=kind, label=data.label)


async def find_owner_of(session: AsyncSession, e164: str) -> tuple[str, int, str] | None:
    """(kind, id, name) of the first card holding `e164`, contacts before companies."""
    contact_row = (
        await session.execute(
            select(Contact.id, Contact.first_name, Contact.last_name)
            .join(Phone, Phone.contact_id == Contact.id)
            .where(Phone.e164 == e164)
            .order_by(Contact.id)
            .limit(1)
        )
    ).first()
    if contact_row is not None:
        return (
            "contact",
            contact_row.id,
            f"{contact_row.first_name} {contact_row.last_name}".strip(),
        )
    company_row = (
        await session.execute(
            select(Company.id, Company.name)
            .join(Phone, Phone.company_id == Company.id)
            .where(Phone.e164 == e164)
            .order_by(Company.id)
            .limit(1)
        )
    ).first()
    return None if company_row is None else ("company", company_row.id, company_row.name)


async def ensure_free(session: AsyncSession, e164: str, kind: str, owner_id: int | None) -> None:
    owner = await find_owner_of(session, e164)
    if owner is not None and (owner[0], owner[1]) != (kind, owner_id):
        raise PhoneTakenError(e164, *owner)


async def attach_phones(
    session: AsyncSession,
    actor: Actor,
    region: str,
    phones: list[PhoneIn],
    *,
    contact_id: int | None = None,
    company_id: int | None = None,
) -> list[Phone]:
    kind, owner_id = ("contact", contact_id) if contact_id is not None else ("company", company_id)
    unique = {row.e164: row for row in (build_phone(data, region) for data in phones)}
    rows = list(unique.values())
    for row in rows:
        assert row.e164 is not None
        await ensure_free(session, row.e164, kind, owner_id)
        row.contact_id, row.company_id = contact_id, company_id
        session.add(row)
    await session.flush()
    for row in rows:
        changes = PhoneOut.model_validate(row).model_dump(mode="json")
        changes[f"{kind}_id"] = owner_id
        record(session, actor, AuditAction.CREATE, "phones", row.id, changes)
    return rows


async def raise_phone_taken(
    sessions: Sessions, region: str, phones: list[PhoneIn], error: IntegrityError
) -> NoReturn:
    """After a write lost the race for a number (the unique index on phones.e164 refused it):
    PhoneTakenError naming the card that won; the original error when no number explains it."""
    async with sessions() as session:
        for data in phones:
            e164 = normalise_phone(data.number, region).e164
            owner = None if e164 is None else await find_owner_of(session, e164)
            if e164 is not None and owner is not None:
                raise PhoneTakenError(e164, *owner) from error
    raise error


def phones_matching(e164: str | None, typed: str) -> ColumnElement[bool]:
    """A WHERE clause for phones whose E.164 equals `e164`, or typed exactly like `typed`."""
    clauses = [Phone.raw == typed]
    if e164 is not None:
        clauses.append(Phone.e164 == e164)
    return or_(*clauses)
