"""Deriving a call's links: the external number's E.164, the matched card, the owning agent."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Contact, Phone, UserExtension
from crm_core.models.enums import Direction
from crm_core.phones import clean_typed, normalise_phone
from crm_core.services.dto import CallOut, CallRecord


def external_number(data: CallRecord) -> str | None:
    if data.direction == Direction.INBOUND:
        return data.caller
    if data.direction == Direction.OUTBOUND:
        return data.callee
    return None


def agent_extension(data: CallRecord) -> str:
    if data.direction == Direction.INBOUND:
        return data.answered_by
    return data.agent_extension or data.caller


Card = tuple[int | None, int | None]


@lru_cache(maxsize=65_536)
def e164_of(number: str, region: str) -> str | None:
    """normalise_phone(...).e164, remembered: parsing a number costs ~50 us."""
    return normalise_phone(number, region).e164


async def cards_for(session: AsyncSession, numbers: Iterable[str]) -> dict[str, Card]:
    """(contact_id, company_id) of the card owning each number, in one query: a contact before
    a company's own phone, then the oldest phone; a contact's company comes along."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    rows = await session.execute(
        select(Phone.e164, Phone.contact_id, Phone.company_id, Contact.company_id)
        .outerjoin(Contact, Contact.id == Phone.contact_id)
        .where(Phone.e164.in_(wanted))
        .order_by(Phone.e164, Phone.contact_id.is_(None), Phone.id)
    )
    cards: dict[str, Card] = {}
    for e164, contact_id, company_id, contact_company in rows:
        card = (contact_id, company_id if contact_id is None else contact_company)
        cards.setdefault(str(e164), card)
    return cards


async def users_for_extensions(
    session: AsyncSession, extensions: Iterable[str], pbx: str = "default"
) -> dict[str, int]:
    """The users holding these extensions of this PBX."""
    wanted = sorted({extension for extension in extensions if extension})
    if not wanted:
        return {}
    rows = await session.execute(
        select(UserExtension.extension, UserExtension.user_id).where(
            UserExtension.extension.in_(wanted), UserExtension.pbx == pbx
        )
    )
    return {extension: user_id for extension, user_id in rows}


def known_match(
    data: CallRecord, e164: str | None, card: Card, before: CallOut | None, agent_id: int | None
) -> dict[str, Any]:
    """A call's column values from facts looked up beforehand (`cards_for`,
    `users_for_extensions`); a card matched earlier is kept if none matches now."""
    contact_id, company_id = card
    if contact_id is None and company_id is None and before is not None:
        contact_id, company_id = before.contact_id, before.company_id
    return {
        "caller": clean_typed(data.caller),
        "callee": clean_typed(data.callee),
        "external_e164": e164,
        "contact_id": contact_id,
        "company_id": company_id,
        "agent_id": agent_id,
    }
