"""What routing needs to know about a caller, in one indexed query: whether a card holds the
number, its owner (the contact's, else the company's), the contact's status, the company's tags."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Company, Contact, Phone
from crm_core.phones import normalise_phone


@dataclass(frozen=True, slots=True)
class CallerProfile:
    known: bool
    owner_id: int | None = None
    contact_status: str = ""
    company_tags: tuple[str, ...] = field(default_factory=tuple)


_PROFILE = (
    select(
        Contact.owner_id.label("contact_owner"),
        Company.owner_id.label("company_owner"),
        Contact.status,
        Company.tags,
    )
    .select_from(Phone)
    .outerjoin(Contact, Contact.id == Phone.contact_id)
    .outerjoin(Company, Company.id == func.coalesce(Phone.company_id, Contact.company_id))
    .order_by(Phone.contact_id.is_(None), Phone.id)
    .limit(1)
)


async def caller_profile(session: AsyncSession, number: str, region: str) -> CallerProfile:
    e164 = normalise_phone(number, region).e164
    if e164 is None:
        return CallerProfile(known=False)
    row = (await session.execute(_PROFILE.where(Phone.e164 == e164))).first()
    if row is None:
        return CallerProfile(known=False)
    return CallerProfile(
        known=True,
        owner_id=row.contact_owner or row.company_owner,
        contact_status=row.status or "",
        company_tags=tuple(str(tag) for tag in row.tags or ()),
    )
