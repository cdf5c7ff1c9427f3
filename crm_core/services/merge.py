"""Merging two contact cards (typically two cards that share a phone) into one.

Every row the merge touches is audited: each phone moved or dropped as a duplicate, each call,
task and note moved, the card kept (fields filled) and the card merged away (archived, with
`merged_into`). Removing the merged-away card follows crm_core.services.card_rights.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import InvalidFieldError
from crm_core.models import Call, Contact, Note, Phone, Task
from crm_core.models.enums import AuditAction
from crm_core.phones import normalise_phone
from crm_core.services.audit import record
from crm_core.services.base import ServiceBase
from crm_core.services.card_archive import archive_contact, delete_phones
from crm_core.services.card_rights import check_may_remove_contact
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


def _same_number(phone: Phone, known: set[str | None], region: str) -> bool:
    """A duplicate of a number the kept card has: the same E.164, or typed as one of them."""
    return (phone.e164 or normalise_phone(phone.raw, region).e164) in known - {None}


async def _move_phones(
    session: AsyncSession, actor: Actor, keep: Contact, drop: Contact, region: str
) -> None:
    known = {phone.e164 for phone in keep.phones}
    duplicates = [phone for phone in drop.phones if _same_number(phone, known, region)]
    await delete_phones(session, actor, duplicates)
    for phone in drop.phones:
        if phone not in duplicates:
            phone.contact_id = keep.id
            changes = {"contact_id": [drop.id, keep.id]}
            record(session, actor, AuditAction.UPDATE, "phones", phone.id, changes)
    await session.flush()
    session.expire(drop, ["phones"])


async def _move_history(session: AsyncSession, actor: Actor, keep_id: int, drop_id: int) -> None:
    changes = {"contact_id": [drop_id, keep_id]}
    rows: list[Call | Task | Note] = [
        *await session.scalars(select(Call).where(Call.contact_id == drop_id)),
        *await session.scalars(select(Task).where(Task.contact_id == drop_id)),
        *await session.scalars(select(Note).where(Note.contact_id == drop_id)),
    ]
    for row in rows:
        row.contact_id = keep_id
        record(session, actor, AuditAction.UPDATE, row.__tablename__, row.id, changes)


class MergeService(ServiceBase):
    async def merge_contacts(self, actor: Actor, keep_id: int, drop_id: int) -> ContactOut:
        """Move `drop_id`'s phones, calls, tasks and notes to `keep_id`, fill `keep_id`'s blank
        fields from it, then archive it. Duplicate phones are kept once."""
        if keep_id == drop_id:
            raise InvalidFieldError(
                "drop_id", "cannot merge a card into itself", code="merge_into_itself"
            )
        async with self._sessions.begin() as session:
            keep = await load_contact(session, keep_id)
            drop = await load_contact(session, drop_id)
            check_may_remove_contact(actor, drop)
            dropped = ContactOut.model_validate(drop).model_dump(mode="json")
            filled = _fill_blanks(keep, drop)
            refresh_search_text(keep)
            await _move_phones(session, actor, keep, drop, self.region)
            await _move_history(session, actor, keep_id, drop_id)
            drop = await load_contact(session, drop_id)
            await archive_contact(session, actor, drop, dropped, merged_into=keep_id)
            changes = {"merged_from": drop_id, **filled}
            record(session, actor, AuditAction.UPDATE, "contacts", keep_id, changes)
            await session.flush()
            session.expunge_all()
            return ContactOut.model_validate(await load_contact(session, keep_id))
