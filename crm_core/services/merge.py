"""Merging two contact cards (typically two cards that share a phone) into one."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import InvalidFieldError
from crm_core.models import Call, Contact, Note, Phone, Task
from crm_core.models.enums import AuditAction
from crm_core.services.audit import record
from crm_core.services.base import ServiceBase
from crm_core.services.contacts import load_contact, refresh_search_text
from crm_core.services.dto import Actor, ContactOut

_FILLABLE = ("first_name", "last_name", "company_id", "position", "email", "owner_id", "source")


def _fill_blanks(keep: Contact, drop: Contact) -> dict[str, list[object]]:
    filled: dict[str, list[object]] = {}
    for field in _FILLABLE:
        if not getattr(keep, field) and getattr(drop, field):
            filled[field] = [getattr(keep, field), getattr(drop, field)]
            setattr(keep, field, getattr(drop, field))
    return filled


async def _move_phones(session: AsyncSession, keep: Contact, drop: Contact) -> None:
    known = {phone.e164 for phone in keep.phones}
    duplicate_ids = [phone.id for phone in drop.phones if phone.e164 in known]
    if duplicate_ids:
        await session.execute(delete(Phone).where(Phone.id.in_(duplicate_ids)))
    await session.execute(
        update(Phone).where(Phone.contact_id == drop.id).values(contact_id=keep.id)
    )


async def _move_history(session: AsyncSession, keep_id: int, drop_id: int) -> None:
    for model in (Call, Task, Note):
        await session.execute(
            update(model).where(model.contact_id == drop_id).values(contact_id=keep_id)
        )


class MergeService(ServiceBase):
    async def merge_contacts(self, actor: Actor, keep_id: int, drop_id: int) -> ContactOut:
        """Move `drop_id`'s phones, calls, tasks and notes to `keep_id`, fill `keep_id`'s blank
        fields from it, then delete it. Duplicate phones are kept once."""
        if keep_id == drop_id:
            raise InvalidFieldError("drop_id", "cannot merge a card into itself")
        async with self._sessions.begin() as session:
            keep = await load_contact(session, keep_id)
            drop = await load_contact(session, drop_id)
            filled = _fill_blanks(keep, drop)
            refresh_search_text(keep)
            await _move_phones(session, keep, drop)
            await _move_history(session, keep_id, drop_id)
            dropped = ContactOut.model_validate(drop).model_dump(mode="json")
            await session.execute(delete(Contact).where(Contact.id == drop_id))
            record(
                session,
                actor,
                AuditAction.DELETE,
                "contacts",
                drop_id,
                {"merged_into": keep_id, **dropped},
            )
            record(
                session,
                actor,
                AuditAction.UPDATE,
                "contacts",
                keep_id,
                {"merged_from": drop_id, **filled},
            )
            await session.flush()
            session.expunge_all()
            return ContactOut.model_validate(await load_contact(session, keep_id))
