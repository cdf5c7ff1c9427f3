"""Notes on a contact's card.

Extending: `NoteService.add_hook(hook)` registers a coroutine run inside the adding transaction
after each note, with the call it sums up when there is one (e.g. the webhooks' `call.wrapup`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.errors import NotFoundError
from crm_core.models import Call, Note
from crm_core.models.enums import AuditAction
from crm_core.services.audit import record, snapshot
from crm_core.services.base import ServiceBase
from crm_core.services.contacts import require_live_contact
from crm_core.services.dto import Actor, NoteCreate, NoteOut

NoteHook = Callable[[AsyncSession, NoteOut, Call | None], Awaitable[None]]
"""(session, the note, the call it sums up or None), run in the adding transaction."""


class NoteService(ServiceBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hooks: list[NoteHook] = []

    def add_hook(self, hook: NoteHook) -> None:
        self._hooks.append(hook)

    async def add(self, actor: Actor, contact_id: int, data: NoteCreate) -> NoteOut:
        async with self._sessions.begin() as session:
            await require_live_contact(session, contact_id)
            call = None if data.call_id is None else await session.get(Call, data.call_id)
            if data.call_id is not None and call is None:
                raise NotFoundError("call", data.call_id)
            note = Note(contact_id=contact_id, author_id=actor.id, **data.model_dump())
            session.add(note)
            await session.flush()
            record(session, actor, AuditAction.CREATE, "notes", note.id, snapshot(data))
            out = NoteOut.model_validate(note)
            for hook in self._hooks:
                await hook(session, out, call)
            return out

    async def for_contact(self, contact_id: int, limit: int = 50) -> list[NoteOut]:
        """The contact's notes, newest first."""
        async with self._sessions() as session:
            await require_live_contact(session, contact_id)
            rows = await session.scalars(
                select(Note)
                .where(Note.contact_id == contact_id)
                .order_by(Note.created_at.desc(), Note.id.desc())
                .limit(limit)
            )
            return [NoteOut.model_validate(row) for row in rows]
