"""Contacts: create, read, change, delete, add phones, promote a lead."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from crm_core.errors import ConflictError, InvalidFieldError, NotFoundError
from crm_core.models import Company, Contact, User
from crm_core.models.enums import AuditAction, ContactStatus
from crm_core.services.audit import diff, record, snapshot
from crm_core.services.base import ServiceBase
from crm_core.services.card_archive import archive_contact
from crm_core.services.card_rights import check_may_remove_contact
from crm_core.services.dto import Actor, ContactCreate, ContactOut, ContactUpdate, PhoneIn, PhoneOut
from crm_core.services.lead_distribution import distribute
from crm_core.services.lead_rules_dto import LeadFacts
from crm_core.services.phone_ops import attach_phones, raise_phone_taken
from crm_core.text import search_text
from crm_core.webhooks.outbox import emit

CONTACT_LOAD = (
    joinedload(Contact.company),
    joinedload(Contact.owner),
    selectinload(Contact.phones),
)


async def load_contact(session: AsyncSession, contact_id: int) -> Contact:
    """The contact, unless there is none or it was archived (NotFoundError)."""
    contact = await session.scalar(
        select(Contact)
        .where(Contact.id == contact_id, Contact.archived_at.is_(None))
        .options(*CONTACT_LOAD)
    )
    if contact is None:
        raise NotFoundError("contact", contact_id)
    return contact


async def require_live_contact(session: AsyncSession, contact_id: int) -> None:
    """NotFoundError unless the contact exists and is not archived."""
    found = await session.scalar(
        select(Contact.id).where(Contact.id == contact_id, Contact.archived_at.is_(None))
    )
    if found is None:
        raise NotFoundError("contact", contact_id)


async def lock_contact(session: AsyncSession, contact_id: int) -> None:
    """Take the contact's row lock (PostgreSQL) or the write lock (SQLite) before reading it, so
    two changes of one card run one after the other and neither works from a stale copy (two
    PATCHes, one of the first name and one of the last, would otherwise leave a search text
    made from one old name)."""
    await session.execute(
        update(Contact).where(Contact.id == contact_id).values(id=Contact.id),
        execution_options={"synchronize_session": False},
    )


async def check_references(
    session: AsyncSession, company_id: int | None, owner_id: int | None
) -> None:
    if company_id is not None:
        company = await session.get(Company, company_id)
        if company is None or company.archived_at is not None:
            raise NotFoundError("company", company_id)
    if owner_id is not None and await session.get(User, owner_id) is None:
        raise NotFoundError("user", owner_id)


def refresh_search_text(contact: Contact) -> None:
    contact.search_text = search_text(
        contact.first_name, contact.last_name, contact.email, contact.position
    )


class ContactService(ServiceBase):
    async def create(self, actor: Actor, data: ContactCreate) -> ContactOut:
        try:
            return await self._create(actor, data)
        except IntegrityError as exc:  # a phone taken meanwhile by another card
            await raise_phone_taken(self._sessions, self.region, data.phones, exc)

    async def _create(self, actor: Actor, data: ContactCreate) -> ContactOut:
        async with self._sessions.begin() as session:
            owner_id = data.owner_id if data.owner_id is not None else actor.id
            await check_references(session, data.company_id, owner_id)
            fields = data.model_dump(exclude={"phones"})
            contact = Contact(**{**fields, "email": data.email or "", "owner_id": owner_id})
            refresh_search_text(contact)
            session.add(contact)
            await session.flush()
            record(session, actor, AuditAction.CREATE, "contacts", contact.id, snapshot(data))
            phones = await attach_phones(
                session, actor, self.region, data.phones, contact_id=contact.id
            )
            if data.owner_id is None and data.status == ContactStatus.LEAD:
                e164 = next((phone.e164 for phone in phones if phone.e164), None)
                facts = LeadFacts(contact_id=contact.id, source="api", e164=e164,
                                  language=data.language)  # fmt: skip
                await distribute(session, actor, [facts])
            created = await self._out(session, contact.id)
            emit(session, "contact.created", {"contact": created.model_dump(mode="json")},
                 f"contact:{created.id}")  # fmt: skip
            return created

    async def get(self, contact_id: int) -> ContactOut:
        async with self._sessions() as session:
            return ContactOut.model_validate(await load_contact(session, contact_id))

    async def update(self, actor: Actor, contact_id: int, data: ContactUpdate) -> ContactOut:
        async with self._sessions.begin() as session:
            await lock_contact(session, contact_id)
            contact = await load_contact(session, contact_id)
            changes = data.model_dump(mode="json", exclude_unset=True)
            await check_references(session, changes.get("company_id"), changes.get("owner_id"))
            await self._apply(session, actor, contact, changes)
            return await self._out(session, contact_id)

    async def delete(self, actor: Actor, contact_id: int) -> None:
        """Archive the card (crm_core.services.card_archive), if `actor` may remove it
        (crm_core.services.card_rights)."""
        async with self._sessions.begin() as session:
            await lock_contact(session, contact_id)
            contact = await load_contact(session, contact_id)
            check_may_remove_contact(actor, contact)
            before = ContactOut.model_validate(contact).model_dump(mode="json")
            await archive_contact(session, actor, contact, before)

    async def add_phone(self, actor: Actor, contact_id: int, data: PhoneIn) -> PhoneOut:
        """409 naming the card when the number is on another card, also when two requests
        race for it (the unique index on phones.e164 decides)."""
        try:
            async with self._sessions.begin() as session:
                await load_contact(session, contact_id)
                rows = await attach_phones(
                    session, actor, self.region, [data], contact_id=contact_id
                )
                return PhoneOut.model_validate(rows[0])
        except IntegrityError as exc:
            await raise_phone_taken(self._sessions, self.region, [data], exc)

    async def promote_to_client(self, actor: Actor, contact_id: int) -> ContactOut:
        """Lead -> client; any other status is a conflict."""
        async with self._sessions.begin() as session:
            contact = await load_contact(session, contact_id)
            if contact.status != ContactStatus.LEAD:
                raise ConflictError(
                    f"contact {contact_id} is a {contact.status}, not a lead", code="not_a_lead"
                )
            await self._apply(session, actor, contact, {"status": ContactStatus.CLIENT.value})
            return await self._out(session, contact_id)

    async def _apply(
        self, session: AsyncSession, actor: Actor, contact: Contact, changes: dict[str, Any]
    ) -> None:
        before = {key: getattr(contact, key) for key in changes}
        for key, value in changes.items():
            setattr(contact, key, "" if key == "email" and value is None else value)
        if not (contact.first_name or contact.last_name):
            field = "first_name" if "first_name" in changes else "last_name"
            raise InvalidFieldError(
                field, "a contact needs a first or a last name", code="name_required"
            )
        refresh_search_text(contact)
        if "owner_id" in changes and changes["owner_id"] != before["owner_id"]:
            contact.assignment_reason = f"owner set on the card by {actor.login}"
        await session.flush()
        after = {key: getattr(contact, key) for key in changes}
        record(session, actor, AuditAction.UPDATE, "contacts", contact.id, diff(before, after))

    async def _out(self, session: AsyncSession, contact_id: int) -> ContactOut:
        await session.flush()  # pending audit entries must not be dropped
        session.expunge_all()
        return ContactOut.model_validate(await load_contact(session, contact_id))
