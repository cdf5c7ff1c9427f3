"""The card behind a phone number (the screen-pop hot path) and a card's timeline."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Executable, RowMapping, select
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_core.db import Sessions, autocommit_reads, sync_sqlite_twin
from crm_core.models import Call, Note, Task, Voicemail
from crm_core.phones import normalise_phone
from crm_core.services.base import ServiceBase
from crm_core.services.card_builder import build_card
from crm_core.services.card_queries import build_card_queries
from crm_core.services.card_rights import calls_visible, tasks_visible
from crm_core.services.contacts import require_live_contact
from crm_core.services.dto import Actor, CallOut, Card, NoteOut, TaskOut, TimelineItem
from crm_core.services.voicemail_rows import voicemail_out, voicemails_visible
from crm_core.settings import CrmSettings

LAST_CALLS = 5
LAST_NOTES = 5
OPEN_TASKS = 20

Rows = Sequence[RowMapping]
Sight = dict[str, Any]


def _sight(viewer: Actor | None) -> Sight:
    """The card queries' visibility parameters for `viewer` (crm_core.services.card_rights)."""
    sees_all = viewer is None or not viewer.is_agent
    viewer_id = -1 if viewer is None or viewer.id is None else viewer.id
    return {"all_calls": sees_all, "all_tasks": sees_all, "viewer_id": viewer_id}


class CardService(ServiceBase):
    def __init__(self, sessions: Sessions, settings: CrmSettings, engine: AsyncEngine) -> None:
        super().__init__(sessions, settings)
        self._engine = autocommit_reads(engine)
        self._queries = build_card_queries(LAST_CALLS, OPEN_TASKS, LAST_NOTES)
        self._sqlite = sync_sqlite_twin(engine) if engine.dialect.name == "sqlite" else None

    async def lookup(self, phone: str | bytes | None, viewer: Actor | None = None) -> Card | None:
        """The card owning `phone` (any spelling of a full number) or None; never a suffix match.
        Its calls and tasks are those `viewer` may see (None: the system, all of them).

        The screen-pop hot path: five indexed Core queries on one connection, no ORM. On SQLite
        they run on a synchronous twin engine in one worker-thread hop (aiosqlite would pay a
        thread hop per query); on PostgreSQL on the async engine."""
        e164 = normalise_phone(phone, self.region).e164
        if e164 is None:
            return None
        sees = _sight(viewer)
        if self._sqlite is not None:
            return await asyncio.to_thread(self._lookup_in_thread, self._sqlite, e164, sees)
        async with self._engine.connect() as connection:
            return await connection.run_sync(self._lookup_on, e164, sees)

    async def held_numbers(self, phones: Sequence[str | bytes | None]) -> set[str]:
        """Which of `phones` some card holds (as given): `lookup` of any other gives None. One
        indexed query for all of them: a busy line's many unknown callers in one round trip."""
        e164s: dict[str, list[str]] = {}
        for phone in phones:
            e164 = normalise_phone(phone, self.region).e164
            if e164 is not None and isinstance(phone, str):
                e164s.setdefault(e164, []).append(phone)
        if not e164s:
            return set()
        wanted = {"e164s": sorted(e164s)}
        if self._sqlite is not None:
            found = await asyncio.to_thread(self._held_in_thread, self._sqlite, wanted)
        else:
            async with self._engine.connect() as connection:
                held = await connection.execute(self._queries.held_pg, wanted)
                found = list(held.scalars())
        return {phone for e164 in found for phone in e164s.get(e164, [])}

    def _held_in_thread(self, engine: Engine, wanted: dict[str, Any]) -> list[str]:
        with engine.connect() as connection:
            return list(connection.execute(self._queries.held, wanted).scalars())

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.dispose()

    def _lookup_in_thread(self, engine: Engine, e164: str, sees: Sight) -> Card | None:
        with engine.connect() as connection:
            return self._lookup_on(connection, e164, sees)

    def _bundle(
        self, rows: Callable[..., Rows], contact_id: int | None, company_id: int | None
    ) -> tuple[Rows, tuple[Rows, Rows, Rows]]:
        """PostgreSQL: phones and history in one round trip (JSON rows split by kind)."""
        found: dict[str, list[Any]] = {"phone": [], "call": [], "task": [], "note": []}
        params = {"contact_id": contact_id, "company_id": company_id}
        for row in rows(self._queries.bundle, company_only=contact_id is None, **params):
            found[row["kind"]].append(row["data"])
        return found["phone"], (found["call"], found["task"], found["note"])

    def _separately(
        self, rows: Callable[..., Rows], contact_id: int | None, company_id: int | None
    ) -> tuple[Rows, tuple[Rows, Rows, Rows]]:
        """SQLite (in-process, cheap queries): phones and history in four indexed queries."""
        queries = self._queries
        phones = rows(queries.phones, contact_id=contact_id, company_id=company_id)
        if contact_id is None:
            return phones, (rows(queries.company_calls, company_id=company_id), [], [])
        return phones, (
            rows(queries.contact_calls, contact_id=contact_id),
            rows(queries.tasks, contact_id=contact_id),
            rows(queries.notes, contact_id=contact_id),
        )

    def _lookup_on(self, connection: Connection, e164: str, sees: Sight) -> Card | None:
        def rows(statement: Executable, **params: Any) -> Rows:
            return connection.execute(statement, sees | params).mappings().all()

        heads = rows(self._queries.head, e164=e164)
        if not heads:
            return None
        contact_id, company_id = heads[0]["ct_id"], heads[0]["co_id"]
        fetch = self._bundle if connection.dialect.name == "postgresql" else self._separately
        phones, history = fetch(rows, contact_id, company_id)
        return build_card(e164, heads, phones, history)

    async def timeline(
        self, contact_id: int, limit: int = 50, offset: int = 0, viewer: Actor | None = None
    ) -> list[TimelineItem]:
        """Calls, tasks, notes and voicemail messages of a contact in one stream, newest first;
        calls, tasks and messages are those `viewer` may see (None: all)."""
        window = limit + offset
        async with self._sessions() as session:
            await require_live_contact(session, contact_id)
            calls = await session.scalars(
                select(Call)
                .where(Call.contact_id == contact_id, calls_visible(viewer))
                .order_by(Call.started_at.desc())
                .limit(window)
            )
            tasks = await session.scalars(
                select(Task)
                .where(Task.contact_id == contact_id, tasks_visible(viewer))
                .order_by(Task.created_at.desc())
                .limit(window)
            )
            notes = await session.scalars(
                select(Note)
                .where(Note.contact_id == contact_id)
                .order_by(Note.created_at.desc())
                .limit(window)
            )
            voicemails = await session.scalars(
                select(Voicemail)
                .where(Voicemail.contact_id == contact_id, voicemails_visible(viewer))
                .order_by(Voicemail.received_at.desc())
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
                *(
                    TimelineItem(kind="voicemail", at=v.received_at, voicemail=voicemail_out(v))
                    for v in voicemails
                ),
            ]
        items.sort(key=lambda item: item.at, reverse=True)
        return items[offset:window]
