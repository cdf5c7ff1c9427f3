"""What routing needs to know about a caller, in one indexed query: whether a card holds the
number, its owner (the contact's, else the company's), the contact's status, the company's tags.

The routing hook's hot path, so the query runs as Core on a bare connection, no ORM session. On
SQLite it runs on the event loop's thread (crm_core.sqlite_reads: ~16 µs, cheaper than any thread
hop); only when SQLite would wait for a lock does it run on a synchronous twin engine in one
worker-thread hop (aiosqlite and an AsyncSession pay a thread hop and a greenlet switch per step:
begin, execute, fetch, rollback, check-in). On PostgreSQL it runs through asyncpg's own fetch on
a connection of the engine's pool (crm_core.asyncpg_reads: a third of SQLAlchemy's CPU)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_core.asyncpg_reads import AsyncpgRead
from crm_core.db import autocommit_reads, sync_sqlite_twin
from crm_core.models import Company, Contact, Phone
from crm_core.services.call_matching import e164_of
from crm_core.sqlite_reads import BusyError, LoopSqliteRead


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
_PROFILE_OF_NUMBER = _PROFILE.where(Phone.e164 == bindparam("e164"))


class CallerLookup:
    def __init__(self, engine: AsyncEngine, region: str) -> None:
        self._engine = autocommit_reads(engine)
        self._region = region
        sqlite = engine.dialect.name == "sqlite"
        self._sqlite = sync_sqlite_twin(engine) if sqlite else None
        self._on_loop = LoopSqliteRead(engine.url, _PROFILE_OF_NUMBER) if sqlite else None
        asyncpg = engine.dialect.driver == "asyncpg"
        self._asyncpg = AsyncpgRead(engine, _PROFILE_OF_NUMBER) if asyncpg else None

    async def profile(self, number: str) -> CallerProfile:
        e164 = e164_of(number, self._region)
        if e164 is None:
            return CallerProfile(known=False)
        rows = await self._rows(e164)
        return _profile_of(rows[0] if rows else None)

    async def _rows(self, e164: str) -> Sequence[Any]:
        if self._on_loop is not None and self._sqlite is not None:
            try:
                return self._on_loop.rows(e164=e164)
            except BusyError:
                return await asyncio.to_thread(_rows_in_thread, self._sqlite, e164)
        if self._asyncpg is not None:
            return await self._asyncpg.rows(e164=e164)
        async with self._engine.connect() as connection:
            return (await connection.execute(_PROFILE_OF_NUMBER, {"e164": e164})).all()

    def close(self) -> None:
        if self._on_loop is not None:
            self._on_loop.close()
        if self._sqlite is not None:
            self._sqlite.dispose()


def _rows_in_thread(engine: Engine, e164: str) -> Sequence[Any]:
    with engine.connect() as connection:
        return connection.execute(_PROFILE_OF_NUMBER, {"e164": e164}).all()


def _profile_of(row: Any) -> CallerProfile:
    """`row`: (contact owner, company owner, contact status, company tags) or None."""
    if row is None:
        return CallerProfile(known=False)
    contact_owner, company_owner, status, tags = row
    if isinstance(tags, str):  # the JSON text itself, read without SQLAlchemy
        tags = json.loads(tags)
    return CallerProfile(
        known=True,
        owner_id=contact_owner or company_owner,
        contact_status=status or "",
        company_tags=tuple(str(tag) for tag in tags or ()),
    )
