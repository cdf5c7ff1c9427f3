"""Removing a card: it is archived (kept, hidden from every read), never deleted, and every row
the removal touches is audited one by one.

- Its phones are deleted (so the number is free for another card), each audited with its data.
- Open tasks and call-backs on a contact are closed (done, with the reason as result), each
  audited: nobody's task disappears without a trace and no call-back rings for a card that went.
- A company's contacts are detached from it, each audited.
- Calls and notes stay on the archived card (the history is kept).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.models import Company, Contact, Phone, Task
from crm_core.models.enums import AuditAction
from crm_core.services.audit import record
from crm_core.services.dto import Actor, PhoneOut


async def delete_phones(session: AsyncSession, actor: Actor, phones: list[Phone]) -> None:
    for phone in phones:
        owner = {"contact_id": phone.contact_id, "company_id": phone.company_id}
        data = PhoneOut.model_validate(phone).model_dump(mode="json") | owner
        record(session, actor, AuditAction.DELETE, "phones", phone.id, data)
        await session.delete(phone)


async def close_open_tasks(
    session: AsyncSession, actor: Actor, contact_id: int, reason: str
) -> None:
    now = datetime.now(UTC)
    tasks = await session.scalars(
        select(Task).where(Task.contact_id == contact_id, Task.done_at.is_(None))
    )
    for task in tasks:
        task.done_at, task.result = now, reason
        changes = {"done_at": [None, now.isoformat()], "result": ["", reason]}
        record(session, actor, AuditAction.UPDATE, "tasks", task.id, changes)


async def archive_contact(
    session: AsyncSession,
    actor: Actor,
    contact: Contact,
    snapshot: dict[str, object],
    merged_into: int | None = None,
) -> None:
    """`contact` must be loaded with its phones; `snapshot` is its ContactOut as JSON."""
    why = f"merged into contact {merged_into}" if merged_into else "card removed"
    await delete_phones(session, actor, list(contact.phones))
    await close_open_tasks(session, actor, contact.id, f"closed: {why} by {actor.login}")
    contact.archived_at = datetime.now(UTC)
    contact.merged_into_id = merged_into
    extra = {"merged_into": merged_into} if merged_into else {}
    record(session, actor, AuditAction.ARCHIVE, "contacts", contact.id, extra | snapshot)


async def archive_company(
    session: AsyncSession, actor: Actor, company: Company, snapshot: dict[str, object]
) -> None:
    """`company` must be loaded with its phones."""
    await delete_phones(session, actor, list(company.phones))
    contacts = await session.scalars(select(Contact).where(Contact.company_id == company.id))
    for contact in contacts:
        contact.company_id = None
        changes = {"company_id": [company.id, None]}
        record(session, actor, AuditAction.UPDATE, "contacts", contact.id, changes)
    company.archived_at = datetime.now(UTC)
    record(session, actor, AuditAction.ARCHIVE, "companies", company.id, snapshot)
