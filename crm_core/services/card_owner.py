"""Who owns the card behind a number: the routing hot path needs only that, not the whole card."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Company, Contact, Phone
from crm_core.phones import normalise_phone


@dataclass(frozen=True, slots=True)
class CardOwner:
    """`known`: a card holds the number; `owner_id`: the contact's owner, else its company's."""

    known: bool
    owner_id: int | None = None


_OWNER_OF_NUMBER = (
    select(Contact.owner_id.label("contact_owner"), Company.owner_id.label("company_owner"))
    .select_from(Phone)
    .outerjoin(Contact, Contact.id == Phone.contact_id)
    .outerjoin(Company, Company.id == func.coalesce(Phone.company_id, Contact.company_id))
    .order_by(Phone.contact_id.is_(None), Phone.id)
    .limit(1)
)


async def owner_of_number(session: AsyncSession, number: str, region: str) -> CardOwner:
    e164 = normalise_phone(number, region).e164
    if e164 is None:
        return CardOwner(known=False)
    row = (await session.execute(_OWNER_OF_NUMBER.where(Phone.e164 == e164))).first()
    if row is None:
        return CardOwner(known=False)
    return CardOwner(known=True, owner_id=row.contact_owner or row.company_owner)
