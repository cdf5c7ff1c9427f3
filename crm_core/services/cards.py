"""The card behind a phone number (the screen-pop hot path) and a card's timeline."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError
from crm_core.models import Call, Company, Contact, Note, Phone, Task
from crm_core.phones import normalise_phone
from crm_core.services.base import ServiceBase
from crm_core.services.companies import load_company
from crm_core.services.contacts import load_contact
from crm_core.services.dto import (
    CallOut,
    Card,
    CardRef,
    CompanyOut,
    ContactOut,
    NoteOut,
    TaskOut,
    TimelineItem,
)

LAST_CALLS = 5
LAST_NOTES = 5
OPEN_TASKS = 20


async def _owners_of(session: AsyncSession, e164: str) -> list[CardRef]:
    """Every card holding `e164`: contacts first, then companies, oldest first."""
    rows = await session.execute(
        select(
            Phone.contact_id, Phone.company_id, Contact.first_name, Contact.last_name, Company.name
        )
        .outerjoin(Contact, Contact.id == Phone.contact_id)
        .outerjoin(Company, Company.id == Phone.company_id)
        .where(Phone.e164 == e164)
        .order_by(Phone.contact_id.is_(None), Phone.id)
        .limit(10)
    )
    return [
        CardRef(kind="contact", id=row.contact_id, name=f"{row.first_name} {row.last_name}".strip())
        if row.contact_id is not None
        else CardRef(kind="company", id=row.company_id, name=row.name)
        for row in rows
    ]


async def _history(
    session: AsyncSession, contact_id: int | None, company_id: int | None
) -> tuple[list[CallOut], list[TaskOut], list[NoteOut]]:
    on_card = (
        Call.contact_id == contact_id if contact_id is not None else Call.company_id == company_id
    )
    calls = await session.scalars(
        select(Call).where(on_card).order_by(Call.started_at.desc()).limit(LAST_CALLS)
    )
    if contact_id is None:
        return [CallOut.model_validate(row) for row in calls], [], []
    tasks = await session.scalars(
        select(Task)
        .where(Task.contact_id == contact_id, Task.done_at.is_(None))
        .order_by(Task.due_at.is_(None), Task.due_at)
        .limit(OPEN_TASKS)
    )
    notes = await session.scalars(
        select(Note)
        .where(Note.contact_id == contact_id)
        .order_by(Note.created_at.desc())
        .limit(LAST_NOTES)
    )
    return (
        [CallOut.model_validate(row) for row in calls],
        [TaskOut.model_validate(row) for row in tasks],
        [NoteOut.model_validate(row) for row in notes],
    )


class CardService(ServiceBase):
    async def lookup(self, phone: str | bytes | None) -> Card | None:
        """The card owning `phone` (any spelling of a full number) or None; never a suffix match."""
        e164 = normalise_phone(phone, self.region).e164
        if e164 is None:
            return None
        async with self._sessions() as session:
            owners = await _owners_of(session, e164)
            if not owners:
                return None
            return await self._card(session, e164, owners)

    async def _card(self, session: AsyncSession, e164: str, owners: list[CardRef]) -> Card:
        first = owners[0]
        contact = await load_contact(session, first.id) if first.kind == "contact" else None
        company_id = contact.company_id if contact is not None else first.id
        company = await load_company(session, company_id) if company_id is not None else None
        owner = contact.owner if contact is not None and contact.owner else None
        owner = owner or (company.owner if company is not None else None)
        calls, tasks, notes = await _history(
            session, contact.id if contact else None, company.id if company else None
        )
        return Card(
            phone=e164,
            contact=ContactOut.model_validate(contact) if contact else None,
            company=CompanyOut.model_validate(company) if company else None,
            owner=owner,
            last_calls=calls,
            open_tasks=tasks,
            last_notes=notes,
            other_matches=owners[1:],
        )

    async def timeline(
        self, contact_id: int, limit: int = 50, offset: int = 0
    ) -> list[TimelineItem]:
        """Calls, tasks and notes of a contact in one stream, newest first."""
        window = limit + offset
        async with self._sessions() as session:
            if await session.get(Contact, contact_id) is None:
                raise NotFoundError("contact", contact_id)
            calls = await session.scalars(
                select(Call)
                .where(Call.contact_id == contact_id)
                .order_by(Call.started_at.desc())
                .limit(window)
            )
            tasks = await session.scalars(
                select(Task)
                .where(Task.contact_id == contact_id)
                .order_by(Task.created_at.desc())
                .limit(window)
            )
            notes = await session.scalars(
                select(Note)
                .where(Note.contact_id == contact_id)
                .order_by(Note.created_at.desc())
                .limit(window)
            )
            items = [
                *(
                    TimelineItem(kind="call", at=c.started_at, call=CallOut.model_validate(c))
                    for c in calls
                ),
                *(
                    TimelineItem(kind="task", at=t.created_at, task=TaskOut.model_validate(t))
                    for t in tasks
                ),
                *(
                    TimelineItem(kind="note", at=n.created_at, note=NoteOut.model_validate(n))
                    for n in notes
                ),
            ]
        items.sort(key=lambda item: item.at, reverse=True)
        return items[offset:window]
